"""Synthetic claim graphs shaped like neurokg's, for benchmarks (not for tests).

Consumes: a size in triples. Produces: N-Quads text: synthetic terms (graph ``terms``), sources
(``sources``), claims of about 14 triples each (``claims``: subject, predicate, object, polarity,
status, curator, date, source, ECO evidence, qualified derivation) and the direct edge of each
approved positive claim (``direct``). Deterministic for a given size (seeded).
Policy: identifiers are under ``NKGT:bench-`` so they never collide with curated ones.
"""

from __future__ import annotations

import random

from neurokg.namespaces import AGENT, CLAIM, GRAPH_IRIS, NKG, NKGT, RO, SOURCE

TRIPLES_PER_CLAIM = 14
_PRED = [RO["0002610"], RO["0003302"], RO["0004029"]]
_ECO = "http://purl.obolibrary.org/obo/ECO_"
_KINDS = [NKG.CaseReport, NKG.CohortStudy, NKG.CaseSeries, NKG.SystematicReview]
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_SUB = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
_PROV = "http://www.w3.org/ns/prov#"
_DATE = "http://purl.org/dc/terms/date"
_TITLE = "http://purl.org/dc/terms/title"
_ID = "http://purl.org/dc/terms/identifier"
_INT = "http://www.w3.org/2001/XMLSchema#integer"
_XDATE = "http://www.w3.org/2001/XMLSchema#date"


def claims_for(triples: int) -> int:
    return max(1, triples // TRIPLES_PER_CLAIM)


def generate(triples: int, seed: int = 6) -> str:
    """Return N-Quads of a synthetic graph of about ``triples`` triples."""
    rng = random.Random(seed)
    n_claims = claims_for(triples)
    n_terms = max(50, n_claims // 20)
    n_sources = max(20, n_claims // 50)
    g = {k: f"<{v}>" for k, v in GRAPH_IRIS.items()}
    out: list[str] = []
    add = out.append
    for i in range(n_terms):
        t = f"<{NKGT}bench-{i}>"
        kind = NKG.Disease if i % 2 else NKG.ClinicalFeature
        add(f"{t} <{_RDF}> <{kind}> {g['terms']} .\n")
        add(f'{t} <{_LABEL}> "bench term {i}" {g["terms"]} .\n')
        if i > 10:
            add(f"{t} <{_SUB}> <{NKGT}bench-{rng.randrange(i // 2)}> {g['terms']} .\n")
    for i in range(n_sources):
        s = f"<{SOURCE}bench-{i}>"
        add(f"{s} <{_RDF}> <{_KINDS[i % 4]}> {g['sources']} .\n")
        add(f'{s} <{_TITLE}> "bench source {i}" {g["sources"]} .\n')
        add(f'{s} <{_ID}> "bench-{i}" {g["sources"]} .\n')
        add(f'{s} <{NKG.trustLevel}> "2"^^<{_INT}> {g["sources"]} .\n')
    for i in range(n_claims):
        c = f"<{CLAIM}bench-{i}>"
        d = f"<{CLAIM}bench-{i}/support/1>"
        subj = f"<{NKGT}bench-{rng.randrange(n_terms)}>"
        obj = f"<{NKGT}bench-{rng.randrange(n_terms)}>"
        pred = f"<{_PRED[i % 3]}>"
        src = f"<{SOURCE}bench-{rng.randrange(n_sources)}>"
        eco = f"<{_ECO}{'0000180' if i % 2 else '0006016'}>"
        negative = i % 17 == 0
        status = NKG.Approved if i % 5 else NKG.Submitted
        cg = g["claims"]
        add(
            f"{c} <{_RDF}> <{NKG.Claim}> {cg} .\n"
            f"{c} <{NKG.subject}> {subj} {cg} .\n"
            f"{c} <{NKG.predicate}> {pred} {cg} .\n"
            f"{c} <{NKG.object}> {obj} {cg} .\n"
            f"{c} <{NKG.polarity}> <{NKG.Negative if negative else NKG.Positive}> {cg} .\n"
            f"{c} <{NKG.curationStatus}> <{status}> {cg} .\n"
            f"{c} <{_PROV}wasAttributedTo> <{AGENT}bench-{i % 7}> {cg} .\n"
            f'{c} <{_DATE}> "2024-0{1 + i % 9}-1{i % 9}"^^<{_XDATE}> {cg} .\n'
            f"{c} <{_PROV}wasDerivedFrom> {src} {cg} .\n"
            f"{c} <{RO['0002558']}> {eco} {cg} .\n"
            f"{c} <{_PROV}qualifiedDerivation> {d} {cg} .\n"
            f"{d} <{_PROV}entity> {src} {cg} .\n"
            f"{d} <{RO['0002558']}> {eco} {cg} .\n"
        )
        if status == NKG.Approved and not negative:
            add(f"{subj} {pred} {obj} {g['direct']} .\n")
    return "".join(out)

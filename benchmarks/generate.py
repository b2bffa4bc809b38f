"""Synthetic claim graphs shaped like neurokg's, for benchmarks (not for tests).

Consumes: a size in triples. Produces: N-Quads text: synthetic terms (graph ``terms``), sources
and curators (``sources``), claims of about 17 triples each (``claims``: id, subject, predicate,
object, polarity, status, curator, date, source, ECO evidence, qualified derivation with its
excerpt) and the direct edge of each approved positive claim (``direct``). Valid against the
shapes except for the deliberate faults: every ``FAULT_EVERY``-th claim has no date, so a full
validation must report exactly ``faults(triples)`` ClaimShape violations beyond the curated
graph's own. Deterministic for a given size (seeded).
Policy: identifiers are under ``NKGT:bench_``, ``source:bench-``, ``agent:bench-`` so they never
collide with curated ones; sources are reference resources at example.org (RFC 2606), never
made-up PMIDs or DOIs.
"""

from __future__ import annotations

import random

from neurokg.namespaces import AGENT, CLAIM, GRAPH_IRIS, NKG, NKGT, RO, SOURCE

TRIPLES_PER_CLAIM = 17
FAULT_EVERY = 2500
_PRED = [RO["0002610"], RO["0003302"], RO["0004029"]]
_ECO = "http://purl.obolibrary.org/obo/ECO_"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_SUB = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
_PROV = "http://www.w3.org/ns/prov#"
_DATE = "http://purl.org/dc/terms/date"
_TITLE = "http://purl.org/dc/terms/title"
_ID = "http://purl.org/dc/terms/identifier"
_INT = "http://www.w3.org/2001/XMLSchema#integer"
_XDATE = "http://www.w3.org/2001/XMLSchema#date"
_SOURCE = "http://purl.org/dc/terms/source"
_SEE_ALSO = "http://www.w3.org/2000/01/rdf-schema#seeAlso"


def claims_for(triples: int) -> int:
    return max(1, triples // TRIPLES_PER_CLAIM)


def faults(triples: int) -> int:
    """How many claims ``generate(triples)`` leaves without a date (one violation each)."""
    return len(range(0, claims_for(triples), FAULT_EVERY))


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
        t = f"<{NKGT}bench_{i}>"
        kind = NKG.Disease if i % 2 else NKG.ClinicalFeature
        add(f"{t} <{_RDF}> <{kind}> {g['terms']} .\n")
        add(f'{t} <{_LABEL}> "bench term {i}" {g["terms"]} .\n')
        add(f"{t} <{_SOURCE}> <{SOURCE}bench-0> {g['terms']} .\n")
        if i > 10:
            add(f"{t} <{_SUB}> <{NKGT}bench_{rng.randrange(i // 2)}> {g['terms']} .\n")
    for i in range(n_sources):
        s = f"<{SOURCE}bench-{i}>"
        add(f"{s} <{_RDF}> <{NKG.ReferenceResource}> {g['sources']} .\n")
        add(f'{s} <{_TITLE}> "bench source {i}" {g["sources"]} .\n')
        add(f'{s} <{_ID}> "bench-{i}" {g["sources"]} .\n')
        add(f'{s} <{NKG.trustLevel}> "2"^^<{_INT}> {g["sources"]} .\n')
        add(f"{s} <{_SEE_ALSO}> <https://example.org/neurokg-bench/{i}> {g['sources']} .\n")
    for i in range(7):
        a = f"<{AGENT}bench-{i}>"
        add(f"{a} <{_RDF}> <{_PROV}Agent> {g['sources']} .\n")
        add(f'{a} <{_LABEL}> "bench curator {i}" {g["sources"]} .\n')
    for i in range(n_claims):
        c = f"<{CLAIM}bench-{i}>"
        d = f"<{CLAIM}bench-{i}/support/1>"
        subj = f"<{NKGT}bench_{rng.randrange(n_terms)}>"
        obj = f"<{NKGT}bench_{rng.randrange(n_terms)}>"
        pred = f"<{_PRED[i % 3]}>"
        src = f"<{SOURCE}bench-{rng.randrange(n_sources)}>"
        eco = f"<{_ECO}{'0000180' if i % 2 else '0006016'}>"
        negative = i % 17 == 0
        # negatives stay submitted: two approved opposite claims would be a contradiction
        status = NKG.Approved if i % 5 and not negative else NKG.Submitted
        cg = g["claims"]
        if i % FAULT_EVERY:  # the deliberate fault: no date
            add(f'{c} <{_DATE}> "2024-0{1 + i % 9}-1{i % 9}"^^<{_XDATE}> {cg} .\n')
        add(
            f"{c} <{_RDF}> <{NKG.Claim}> {cg} .\n"
            f'{c} <{_ID}> "bench-{i}" {cg} .\n'
            f"{c} <{NKG.subject}> {subj} {cg} .\n"
            f"{c} <{NKG.predicate}> {pred} {cg} .\n"
            f"{c} <{NKG.object}> {obj} {cg} .\n"
            f"{c} <{NKG.polarity}> <{NKG.Negative if negative else NKG.Positive}> {cg} .\n"
            f"{c} <{NKG.curationStatus}> <{status}> {cg} .\n"
            f"{c} <{_PROV}wasAttributedTo> <{AGENT}bench-{i % 7}> {cg} .\n"
            f"{c} <{_PROV}wasDerivedFrom> {src} {cg} .\n"
            f"{c} <{RO['0002558']}> {eco} {cg} .\n"
            f"{c} <{_PROV}qualifiedDerivation> {d} {cg} .\n"
            f"{d} <{_RDF}> <{_PROV}Derivation> {cg} .\n"
            f"{d} <{_PROV}entity> {src} {cg} .\n"
            f"{d} <{RO['0002558']}> {eco} {cg} .\n"
            f'{d} <{NKG.excerpt}> "synthetic support {i}" {cg} .\n'
            f'{d} <{NKG.excerptKind}> "summary" {cg} .\n'
        )
        if status == NKG.Approved and not negative:
            add(f"{subj} {pred} {obj} {g['direct']} .\n")
    return "".join(out)

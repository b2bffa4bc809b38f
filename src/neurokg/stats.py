"""What a graph holds, counted: claims by status, certainty and source kind; publications and
the claims of each; terms no claim names; imports with their versions; triples per graph.

Consumes: an ``Engine`` (the curated graph, a store with imports, or an endpoint).
Produces: ``Stats`` (``collect_stats``), as a dictionary (``--format json``) or text.
Policy: certainty is the grade ``evidence.certainty_of_claim`` gives each claim (views.py reads it
as ``ask`` does), not a number stored in the graph. A claim counts once for each kind of source
it cites. A publication is a curated source with a PMID or a DOI; import releases (the
``nkg:ReferenceResource`` nodes an import writes, keys ``import-*``) are listed as imports, not
sources. A term "with no claim" is a curated term (graph ``terms``, with a neurokg kind) that no
claim names as subject, object or qualifier. Such a term is still used when the curated hierarchy
makes it a parent or a whole of a term a claim names (putamen is part of the telencephalon): the
roll-ups and kind-of answers read it. Only a term that is neither is "unused".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Final

from rdflib import URIRef

from .namespaces import GRAPH, GRAPH_IRIS, compact
from .query import Engine, Row, run_for
from .resolve import NameLookup
from .views import KIND_NAMES, STATUS_NAMES, claim_view, local

__all__ = ["Stats", "collect_stats", "stats_text"]

_PREFIXES: Final = """PREFIX nkg: <https://w3id.org/neurokg/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX bibo: <http://purl.org/ontology/bibo/>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""
_CLAIMS: Final = _PREFIXES + "SELECT DISTINCT ?claim WHERE { ?claim a nkg:Claim }"
_SOURCES: Final = (
    _PREFIXES
    + """SELECT ?source ?key ?kind ?pmid ?doi (COUNT(DISTINCT ?claim) AS ?claims) WHERE {
  ?source dcterms:identifier ?key ; a ?kind .
  FILTER(?kind IN (nkg:NarrativeReview, nkg:Letter, nkg:CaseReport, nkg:CaseSeries,
    nkg:CohortStudy, nkg:ControlledTrial, nkg:SystematicReview, nkg:Guideline,
    nkg:ReferenceResource, nkg:AIWrittenAnswer))
  FILTER(!STRSTARTS(STR(?key), "import-"))
  OPTIONAL { ?source bibo:pmid ?pmid }
  OPTIONAL { ?source bibo:doi ?doi }
  OPTIONAL { ?claim a nkg:Claim ; prov:wasDerivedFrom ?source }
} GROUP BY ?source ?key ?kind ?pmid ?doi ORDER BY ?key"""
)
_UNUSED: Final = (
    _PREFIXES
    + """SELECT DISTINCT ?term ?label WHERE {
  GRAPH $terms { ?term a ?kind ; rdfs:label ?label .
    FILTER(?kind IN (nkg:Disease, nkg:ClinicalFeature, nkg:AnatomicalSite, nkg:Drug,
                     nkg:Procedure)) }
  FILTER NOT EXISTS { ?claim a nkg:Claim ; ?link ?term }
} ORDER BY ?term"""
)
#: Curated terms that a curated is-a / part-of chain makes a parent or whole of a claimed term.
_ABOVE_CLAIMED: Final = (
    _PREFIXES
    + """PREFIX obo: <http://purl.obolibrary.org/obo/>
SELECT ?term (MIN(?below) AS ?example) WHERE {
  GRAPH $terms { ?term a ?kind . ?below (rdfs:subClassOf|obo:BFO_0000050)+ ?term .
    FILTER(isIRI(?term) && ?kind IN (nkg:Disease, nkg:ClinicalFeature, nkg:AnatomicalSite,
                                     nkg:Drug, nkg:Procedure)) }
  FILTER EXISTS { ?claim a nkg:Claim ; ?link ?below }
} GROUP BY ?term"""
)
_IMPORTS: Final = (
    _PREFIXES
    + """SELECT ?graph ?release ?title ?version ?full ?license WHERE {
  GRAPH ?graph { ?release a nkg:ReferenceResource ; nkg:version ?version ; dcterms:title ?title .
    OPTIONAL { ?release owl:versionInfo ?full }
    OPTIONAL { ?release dcterms:license ?license } }
  FILTER(STRSTARTS(STR(?graph), $prefix))
} ORDER BY ?graph"""
)
_GRAPHS: Final = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


@dataclass
class Stats:
    """The counts of one graph."""

    claims: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_certainty: dict[str, dict[str, int]] = field(default_factory=dict)  # status -> level -> n
    by_source_kind: dict[str, int] = field(default_factory=dict)
    sources: int = 0
    publications: list[dict[str, Any]] = field(default_factory=list)
    unused_terms: list[dict[str, str]] = field(default_factory=list)  # named by no claim
    imports: list[dict[str, str]] = field(default_factory=list)
    graphs: dict[str, int] = field(default_factory=dict)

    @property
    def truly_unused(self) -> list[dict[str, str]]:
        """Terms no claim names and no claimed term is below in the curated hierarchy."""
        return [t for t in self.unused_terms if not t.get("above")]

    @property
    def approved(self) -> int:
        return self.by_status.get("approved", 0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "claims": self.claims,
            "approved_claims": self.approved,
            "claims_by_status": self.by_status,
            "claims_by_certainty": self.by_certainty,
            "claims_by_source_kind": self.by_source_kind,
            "sources": self.sources,
            "publications": len(self.publications),
            "claims_per_publication": self.publications,
            "terms_with_no_claim": self.unused_terms,
            "unused_terms": self.truly_unused,
            "imports": self.imports,
            "triples_by_graph": self.graphs,
        }


def _text(row: Row, key: str) -> str:
    return str(row[key]) if key in row else ""


def _claim_counts(engine: Engine, stats: Stats) -> None:
    claims = [URIRef(str(r["claim"])) for r in engine.select(_CLAIMS, {})]
    stats.claims = len(claims)
    if not claims:
        return
    names = NameLookup(engine)
    summaries = {str(r["claim"]): r for r in run_for(engine, "claim_summary", "claim", claims)}
    evidence: dict[str, list[Row]] = {}
    for row in run_for(engine, "claim_evidence", "claim", claims):
        evidence.setdefault(str(row["claim"]), []).append(row)
    names.prefetch(v for row in summaries.values() for v in row.values())
    status: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    certainty: dict[str, Counter[str]] = {}
    for claim in claims:
        if str(claim) not in summaries:
            continue
        view = claim_view(
            summaries[str(claim)], evidence.get(str(claim), []), names.label, names.ref
        )
        status[view.status] += 1
        certainty.setdefault(view.status, Counter())[view.certainty.word] += 1
        for kind in sorted({s.kind for s in view.sources}):
            kinds[kind] += 1
    stats.by_status = dict(sorted(status.items()))
    stats.by_certainty = {k: dict(sorted(v.items())) for k, v in sorted(certainty.items())}
    stats.by_source_kind = dict(sorted(kinds.items()))


def collect_stats(engine: Engine) -> Stats:
    """Count what ``engine``'s graph holds (see the module policy)."""
    stats = Stats()
    _claim_counts(engine, stats)
    sources = engine.select(_SOURCES, {})
    stats.sources = len(sources)
    stats.publications = [
        {
            "source": _text(r, "key"),
            "kind": KIND_NAMES.get(local(r["kind"]), local(r["kind"])),
            "pmid": _text(r, "pmid") or None,
            "doi": _text(r, "doi") or None,
            "claims": int(str(r["claims"])),
        }
        for r in sources
        if "pmid" in r or "doi" in r
    ]
    terms = f"<{GRAPH_IRIS['terms']}>"
    above = {
        str(r["term"]): compact(str(r["example"]))
        for r in engine.select(_ABOVE_CLAIMED.replace("$terms", terms), {})
    }
    stats.unused_terms = [
        {"id": compact(str(r["term"])), "label": str(r["label"])}
        | ({"above": above[str(r["term"])]} if str(r["term"]) in above else {})
        for r in engine.select(_UNUSED.replace("$terms", terms), {})
    ]
    prefix = f'"{GRAPH}import/"'
    imports: dict[str, dict[str, str]] = {}
    for r in engine.select(_IMPORTS.replace("$prefix", prefix), {}):
        entry = imports.setdefault(
            str(r["graph"]),
            {
                "graph": str(r["graph"]).removeprefix(str(GRAPH)),
                "release": local(r["release"]),
                "title": _text(r, "title"),
                "version": _text(r, "full") or _text(r, "version"),
                "license": "",
            },
        )
        licence = _text(r, "license")  # a release may state its licence twice (header, module)
        if licence and licence not in entry["license"]:
            entry["license"] = "; ".join(x for x in (entry["license"], licence) if x)
    stats.imports = list(imports.values())
    stats.graphs = {str(r["g"]): int(str(r["n"])) for r in engine.select(_GRAPHS, {})}
    return stats


def _lines(stats: Stats) -> Iterator[str]:
    yield f"Claims: {stats.claims} ({stats.approved} approved)"
    for status, count in stats.by_status.items():
        levels = ", ".join(f"{n} {w}" for w, n in stats.by_certainty.get(status, {}).items())
        yield f"  {STATUS_NAMES.get(status, status)}: {count}  (certainty: {levels})"
    yield "Claims by source kind (a claim counts once per kind it cites):"
    yield from (f"  {kind}: {count}" for kind, count in stats.by_source_kind.items())
    yield f"Sources: {stats.sources}; publications (PMID or DOI): {len(stats.publications)}"
    for pub in stats.publications:
        ident = f"PMID {pub['pmid']}" if pub["pmid"] else f"doi {pub['doi']}"
        yield f"  {pub['source']} ({pub['kind']}, {ident}): {pub['claims']} claim(s)"
    yield (
        f"Terms with no claim: {len(stats.unused_terms)}; unused (not above a claimed term in "
        f"the curated hierarchy either): {len(stats.truly_unused)}"
    )
    yield from (
        f"  {t['id']} {t['label']}"
        + (f"  (above {t['above']}, which a claim names)" if t.get("above") else "  (unused)")
        for t in stats.unused_terms
    )
    yield f"Imports: {len(stats.imports)}"
    for imp in stats.imports:
        licence = f"; {imp['license']}" if imp["license"] else ""
        yield f"  {imp['graph']}: {imp['version']}{licence}"
    yield "Triples by graph:"
    yield from (f"  {g}\t{n}" for g, n in sorted(stats.graphs.items()))
    yield f"  total\t{sum(stats.graphs.values())}"


def stats_text(stats: Stats) -> str:
    return "\n".join(_lines(stats)) + "\n"

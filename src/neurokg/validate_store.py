"""Validation at scale: a whole on-disk store, or only what an edited claim touches.

Consumes: a ``pyoxigraph.Store`` (the curated graphs, imports, any size) and the shapes.
Produces: a ``ValidationReport`` as validate.py's (SHACL results only: the quality checks and
HermiT read every term in Python and belong to the curated gate, ``validate_graph``).
Policy: never hand the store to a SHACL engine (PERFORMANCE.md warnings 3 and 10). Full validation
(default engine ``sparql``, ADR 0010) copies the store into memory in Rust, adds the direct-layer
descriptions validate.py adds (``[] nkg:directSubject s ...`` for each triple of the curated direct
graph) and runs each shape as SPARQL on the copy (shacl_sparql); with ``turbo`` it dumps every
graph but ``meta`` as N-Triples and gives the text to pyshacl-turbo. Shapes are scoped by named
graph (validate_shacl.py): those written for curated records (``nkgsh:scope nkgsh:CuratedRecords``:
a term's kind, a publication's year) run on the curated graphs only (``GRAPH_IRIS``), every other
shape on the whole store, so an import (HPO's classes without a kind, HPOA's PMIDs without a year)
is not reported against rules written for curated YAML. One edited claim is validated on its
neighbourhood (``neighbourhood``): the schema, the claim and every claim making the same statement,
their supports, and every node they point at; the focus nodes are those claims, their supports and
the statement's direct triple, so the constraints that look beyond the claim (contradiction, direct
layer, cited sources, refused identifiers) see what they need. Both give pyshacl's results on the
same data (tests/test_validate_store.py).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from .namespaces import GRAPH_IRIS, NKG
from .query import bind_rows, run_for
from .shacl_sparql import run_checks
from .shacl_sparql.edit import validate_edit
from .shacl_sparql.scratch import MARKERS, content_graphs, scratch_store
from .store import OxigraphEngine, dump_content
from .store_terms import to_rdflib_term
from .validate import (
    PendingClaim,
    ValidationReport,
    assemble_report,
    checked_shapes,
    describe_direct,
    pending_claim,
    report_graph_of,
    run_shacl,
    shacl_results,
)
from .validate_shacl import split_shapes

__all__ = ["Neighbourhood", "neighbourhood", "store_ntriples", "validate_claims", "validate_store"]

_DIRECT = ox.NamedNode(str(GRAPH_IRIS["direct"]))
_SCHEMA = ox.NamedNode(str(GRAPH_IRIS["schema"]))


def _rdflib_triples(triples: Iterable[ox.Triple | ox.Quad]) -> Iterator[tuple[Node, Node, Node]]:
    for t in triples:
        yield to_rdflib_term(t.subject), to_rdflib_term(t.predicate), to_rdflib_term(t.object)


def store_ntriples(store: ox.Store) -> tuple[str, Graph]:
    """Every graph of ``store`` but meta as N-Triples text, with the direct-triple descriptions
    (``validate.describe_direct``), and those descriptions."""
    markers = describe_direct(_rdflib_triples(store.quads_for_pattern(None, None, None, _DIRECT)))
    text = dump_content(store) + markers.serialize(format="nt", encoding="utf-8")
    return text.decode("utf-8"), markers


def _curated_ntriples(store: ox.Store) -> str:
    """The curated graphs (``GRAPH_IRIS``: schema, terms, sources, claims, direct) as N-Triples."""
    parts = (
        store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(str(iri))) or b""
        for iri in GRAPH_IRIS.values()
    )
    return b"".join(parts).decode("utf-8")


def _context(store: ox.Store, report: Graph, known: Graph) -> Graph:
    """What validate.py reads about a blank focus node (axioms, markers), from the store."""
    context = Graph()
    context += known
    for focus in set(report.objects(None, SH.focusNode)):
        if isinstance(focus, BNode) and (focus, None, None) not in known:
            for quad in store.quads_for_pattern(ox.BlankNode(str(focus)), None, None):
                context.add((focus, to_rdflib_term(quad.predicate), to_rdflib_term(quad.object)))
    return context


_STATUS = ox.NamedNode(str(NKG.curationStatus))


def _awaits(store: ox.Store, claim: URIRef) -> bool:
    """Has ``claim`` a status that ``pending_claim`` reports, in any graph (as the summary
    query reads them)?"""
    statuses = store.quads_for_pattern(ox.NamedNode(str(claim)), _STATUS, None)
    return any(pending_claim(claim, to_rdflib_term(q.object), ()) for q in statuses)


def _pending(store: ox.Store, claims: Sequence[URIRef] | None = None) -> tuple[PendingClaim, ...]:
    """The claims waiting for review in the store, or among ``claims``."""
    engine = OxigraphEngine(store)
    if claims is None:
        rows = engine.named("claims_pending_review")
    else:  # only a claim with a pending status can be pending: looked up first, in the index
        # (one edited claim: 0.1 ms against 3-7 ms for the summary query)
        rows = run_for(engine, "claim_summary", "claim", [c for c in claims if _awaits(store, c)])
    found = (
        pending_claim(
            row["claim"],
            row["status"],
            (row["subject"], row["predicate"], row.get("object", row.get("object_text"))),
        )
        for row in rows
    )
    return tuple(p for p in found if p is not None)


def _report(
    store: ox.Store,
    report: Graph,
    known: Graph,
    shapes: tuple[Graph, tuple[str, ...]],
    *,
    triples: int,
    timings: dict[str, float],
    pending: tuple[PendingClaim, ...],
) -> ValidationReport:
    context = _context(store, report, known)
    return assemble_report(
        shacl_results(report, shapes[0], context, {}),
        report_graph_of(report, context),
        *shapes,
        pending=pending,
        reasoner=None,
        triples=triples,
        timings=timings,
    )


def validate_store(
    store: ox.Store, shapes_dir: Path | None = None, *, shacl_engine: str = "sparql"
) -> ValidationReport:
    """Validate every graph of ``store`` (but meta) against the shapes."""
    laps: dict[str, float] = {}
    start = time.perf_counter()
    shapes = checked_shapes(shapes_dir)
    if shacl_engine == "sparql":
        return _validate_sparql(store, shapes, laps)
    text, markers = store_ntriples(store)
    curated = _curated_ntriples(store)
    laps["dump"] = time.perf_counter() - start
    curated_shapes, other_shapes = split_shapes(shapes[0])
    report = run_shacl(text, other_shapes, engine=shacl_engine)
    if len(curated_shapes):
        report += run_shacl(curated, curated_shapes, engine=shacl_engine)
    laps["shacl"] = time.perf_counter() - start - laps["dump"]
    triples = text.count("\n")
    return _report(
        store, report, markers, shapes, triples=triples, timings=laps, pending=_pending(store)
    )


def _validate_sparql(
    store: ox.Store, shapes: tuple[Graph, tuple[str, ...]], laps: dict[str, float]
) -> ValidationReport:
    """The shapes as SPARQL (shacl_sparql, ADR 0010) on an in-memory copy of the store (but
    meta) with the direct layer described; curated-record shapes read the curated graphs only."""
    start = time.perf_counter()
    with scratch_store(store) as copy:
        laps["copy"] = time.perf_counter() - start
        curated_shapes, other_shapes = split_shapes(shapes[0])
        report = run_checks(copy, other_shapes, union=True).report  # the copy has no meta
        if len(curated_shapes):
            graphs = content_graphs(copy, curated_only=True)
            report += run_checks(copy, curated_shapes, graphs=graphs).report
        laps["shacl"] = time.perf_counter() - start - laps["copy"]
        triples = len(copy) - len(list(copy.quads_for_pattern(None, None, None, MARKERS)))
        pending = _pending(copy)  # the same claims, read faster in memory (1M: 7.5 s on disk)
        return _report(
            copy, report, Graph(), shapes, triples=triples, timings=laps, pending=pending
        )


#: The edited claims and every claim making the same statement (the contradiction check).
_SAME_STATEMENT = """
  ?edited nkg:subject ?S ; nkg:predicate ?P .
  OPTIONAL { ?edited nkg:object ?O }
  ?claim nkg:subject ?S ; nkg:predicate ?P .
  OPTIONAL { ?claim nkg:object ?other }
  FILTER(sameTerm(?claim, ?edited) || (BOUND(?O) && BOUND(?other) && sameTerm(?O, ?other)))
"""

_NEIGHBOURHOOD = f"""
PREFIX nkg: <https://w3id.org/neurokg/>
CONSTRUCT {{ ?claim ?p ?o }} WHERE {{
{_SAME_STATEMENT}
  ?claim ?p ?o .
}}
"""

_AROUND = """
PREFIX prov: <http://www.w3.org/ns/prov#>
CONSTRUCT { ?s ?p ?o } WHERE {
  { ?claim prov:qualifiedDerivation ?s }
  UNION { ?claim ?q ?s . FILTER(isIRI(?s)) }
  UNION { ?claim prov:qualifiedDerivation ?support . ?support ?q ?s . FILTER(isIRI(?s)) }
  ?s ?p ?o .
}
"""

_STATEMENTS = f"""
PREFIX nkg: <https://w3id.org/neurokg/>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT DISTINCT ?claim ?s ?p ?o ?support WHERE {{
{_SAME_STATEMENT}
  ?claim nkg:subject ?s ; nkg:predicate ?p .
  OPTIONAL {{ ?claim nkg:object ?o }}
  OPTIONAL {{ ?claim prov:qualifiedDerivation ?support }}
}}
"""


def _query(store: ox.Store, text: str, name: str, nodes: Sequence[URIRef]) -> object:
    bound = bind_rows(text, [name], [[node] for node in nodes])
    return store.query(bound, use_default_graph_as_union=True)


def _construct(store: ox.Store, text: str, name: str, nodes: Sequence[URIRef]) -> bytes:
    triples = _query(store, text, name, nodes)
    assert isinstance(triples, ox.QueryTriples)
    return triples.serialize(format=ox.RdfFormat.N_TRIPLES) or b""


class Neighbourhood(NamedTuple):
    """What an edit of some claims can change the SHACL results of."""

    text: str  #: the data, as N-Triples
    claims: list[URIRef]  #: the edited claims and every claim making the same statement
    focus: list[Node]  #: those claims, their supports and their statements' direct triples
    markers: Graph  #: the descriptions of those direct triples (also in ``text``)


def neighbourhood(store: ox.Store, claims: Sequence[URIRef]) -> Neighbourhood:
    """The schema, the claims making the edited claims' statements, their supports, every IRI
    they point at, and the statements' direct triples."""
    rows = _query(store, _STATEMENTS, "edited", claims)
    assert isinstance(rows, ox.QuerySolutions)
    touched: dict[URIRef, None] = {}
    supports: dict[Node, None] = {}
    edges: dict[ox.Triple, None] = {}
    for row in rows:
        touched[URIRef(row["claim"].value)] = None
        if row["support"] is not None:
            supports[to_rdflib_term(row["support"])] = None
        if isinstance(row["o"], ox.NamedNode):
            edges[ox.Triple(row["s"], row["p"], row["o"])] = None
    direct = [e for e in edges if ox.Quad(e.subject, e.predicate, e.object, _DIRECT) in store]
    markers = describe_direct(_rdflib_triples(direct))
    parts = [
        store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=_SCHEMA) or b"",
        _construct(store, _NEIGHBOURHOOD, "edited", claims),
        _construct(store, _AROUND, "claim", list(touched)),
        markers.serialize(format="nt", encoding="utf-8"),
    ]
    focus = [*touched, *supports, *markers.subjects(NKG.directSubject, None)]
    return Neighbourhood(b"".join(parts).decode("utf-8"), list(touched), focus, markers)


def validate_claims(
    store: ox.Store,
    claims: Sequence[URIRef],
    shapes_dir: Path | None = None,
    *,
    shacl_engine: str = "sparql",
) -> ValidationReport:
    """Validate what an edit of ``claims`` touches: with ``sparql`` (the default) the compiled
    checks bound to the edit's focus nodes on the store as it is, giving exactly the full run's
    results about those nodes; with ``turbo`` or ``pyshacl`` their neighbourhood as text."""
    laps: dict[str, float] = {}
    start = time.perf_counter()
    shapes = checked_shapes(shapes_dir)
    if shacl_engine == "sparql":  # the focus nodes bound into the compiled checks, no copy
        edit = validate_edit(store, claims, shapes[0])
        return _report(
            store,
            edit.report,
            edit.markers,
            shapes,
            triples=edit.triples,
            timings=edit.timings,
            pending=_pending(store, edit.claims),
        )
    near = neighbourhood(store, claims)
    laps["neighbourhood"] = time.perf_counter() - start
    # the whole neighbourhood is validated (small) and the results kept are those about the
    # focus nodes: turbo's focus_nodes takes IRIs only, and the other nodes lack their context
    report = run_shacl(near.text, shapes[0], engine=shacl_engine)
    wanted = set(near.focus)
    for result in list(report.subjects(SH.focusNode, None)):
        if report.value(result, SH.focusNode) not in wanted:
            report.remove((result, None, None))
    laps["shacl"] = time.perf_counter() - start - laps["neighbourhood"]
    return _report(
        store,
        report,
        near.markers,
        shapes,
        triples=near.text.count("\n"),
        timings=laps,
        pending=_pending(store, near.claims),
    )

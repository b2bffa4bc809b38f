"""Validation at scale: a whole on-disk store, or only what an edited claim touches.

Consumes: a ``pyoxigraph.Store`` (the curated graphs, imports, any size) and the shapes.
Produces: a ``ValidationReport`` as validate.py's (SHACL results only: the quality checks and
HermiT read every term in Python and belong to the curated gate, ``validate_graph``).
Policy: never hand the store to a SHACL engine (PERFORMANCE.md warnings 3 and 10). Full
validation dumps every graph but ``meta`` as N-Triples, in Rust, and gives the text to
pyshacl-turbo with the direct-layer descriptions validate.py adds (``[] nkg:directSubject s ...``
for each triple of the curated direct graph). One edited claim is validated on its
neighbourhood (``neighbourhood``): the schema, the claim and every claim making the same
statement, their supports, and every node they point at; the focus nodes are those claims, their
supports and the statement's direct triple, so the constraints that look beyond the claim
(contradiction, direct layer, cited sources, refused identifiers) see what they need. Both give
pyshacl's results on the same data (tests/test_validate_store.py).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from .namespaces import GRAPH_IRIS, META_GRAPH, NKG, compact
from .query import run_for
from .store import OxigraphEngine, to_rdflib_term
from .validate import (
    PendingClaim,
    ValidationReport,
    checked_shapes,
    count_shapes,
    report_graph_of,
    result_order,
    run_shacl,
    shacl_results,
)

__all__ = ["neighbourhood", "store_ntriples", "validate_claims", "validate_store"]

_NT = ox.RdfFormat.N_TRIPLES
_DIRECT = ox.NamedNode(str(GRAPH_IRIS["direct"]))
_SCHEMA = ox.NamedNode(str(GRAPH_IRIS["schema"]))


def _direct_markers(triples: Iterable[ox.Triple | ox.Quad]) -> Graph:
    """validate.py's description of direct triples: ``[] nkg:directSubject s ; ...``."""
    markers = Graph()
    for number, triple in enumerate(triples):
        marker = BNode(f"nkgdirect{number}")
        markers.add((marker, NKG.directSubject, to_rdflib_term(triple.subject)))
        markers.add((marker, NKG.directPredicate, to_rdflib_term(triple.predicate)))
        markers.add((marker, NKG.directObject, to_rdflib_term(triple.object)))
    return markers


def store_ntriples(store: ox.Store) -> tuple[str, Graph]:
    """Every graph of ``store`` but meta as N-Triples text, and the direct-triple markers."""
    graphs = [g for g in store.named_graphs() if g != ox.NamedNode(str(META_GRAPH))]
    parts = [store.dump(format=_NT, from_graph=g) or b"" for g in graphs]
    parts.append(store.dump(format=_NT, from_graph=ox.DefaultGraph()) or b"")
    markers = _direct_markers(store.quads_for_pattern(None, None, None, _DIRECT))
    parts.append(markers.serialize(format="nt", encoding="utf-8"))
    return b"".join(parts).decode("utf-8"), markers


def _context(store: ox.Store, report: Graph, known: Graph) -> Graph:
    """What validate.py reads about a blank focus node (axioms, markers), from the store."""
    context = Graph()
    context += known
    for focus in set(report.objects(None, SH.focusNode)):
        if isinstance(focus, BNode) and (focus, None, None) not in known:
            for quad in store.quads_for_pattern(ox.BlankNode(str(focus)), None, None):
                context.add((focus, to_rdflib_term(quad.predicate), to_rdflib_term(quad.object)))
    return context


def _pending(store: ox.Store, only: Sequence[Node] | None = None) -> tuple[PendingClaim, ...]:
    """The claims waiting for review in the store, or among the claims ``only``."""
    engine = OxigraphEngine(store)
    if only is None:
        rows = engine.named("claims_pending_review")
    else:
        claims = [c for c in only if isinstance(c, URIRef) and "/support/" not in str(c)]
        rows = run_for(engine, "claim_summary", "claim", claims)
    pending = []
    for row in rows:
        status = _PENDING_NAMES.get(compact(str(row["status"])))
        if status is None:
            continue
        obj = row.get("object", row.get("object_text"))
        parts = (row["subject"], row["predicate"], *([obj] if obj is not None else []))
        statement = " ".join(compact(str(n)) if isinstance(n, URIRef) else f'"{n}"' for n in parts)
        pending.append(PendingClaim(compact(str(row["claim"])), status, statement))
    return tuple(pending)


_PENDING_NAMES = {"nkg:Submitted": "submitted", "nkg:UnderReview": "under_review"}


def _report(
    report: Graph,
    context: Graph,
    shapes: Graph,
    files: tuple[str, ...],
    triples: int,
    laps: dict[str, float],
    pending: tuple[PendingClaim, ...],
) -> ValidationReport:
    results = shacl_results(report, shapes, context, {})
    return ValidationReport(
        conforms=not any(r.severity == "violation" for r in results),
        results=tuple(sorted(results, key=result_order)),
        report_graph=report_graph_of(report, context),
        pending=pending,
        reasoner=None,
        shapes=count_shapes(shapes),
        shape_files=files,
        triples=triples,
        timings=laps,
    )


def validate_store(
    store: ox.Store, shapes_dir: Path | None = None, *, shacl_engine: str = "turbo"
) -> ValidationReport:
    """Validate every graph of ``store`` (but meta) against the shapes."""
    laps: dict[str, float] = {}
    start = time.perf_counter()
    shapes, files = checked_shapes(shapes_dir)
    text, markers = store_ntriples(store)
    laps["dump"] = time.perf_counter() - start
    report, shapes = run_shacl(text, shapes, engine=shacl_engine)
    laps["shacl"] = time.perf_counter() - start - laps["dump"]
    context = _context(store, report, markers)
    return _report(report, context, shapes, files, text.count("\n"), laps, _pending(store))


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


def _values(name: str, nodes: Iterable[URIRef]) -> str:
    return f"VALUES ?{name} {{ {' '.join(n.n3() for n in nodes)} }}"


def _construct(store: ox.Store, text: str, name: str, nodes: Sequence[URIRef]) -> bytes:
    bound = text.replace("WHERE {", "WHERE {\n  " + _values(name, nodes), 1)
    triples = store.query(bound, use_default_graph_as_union=True)
    assert isinstance(triples, ox.QueryTriples)
    return triples.serialize(format=_NT) or b""


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


def neighbourhood(store: ox.Store, claims: Sequence[URIRef]) -> tuple[str, list[Node], Graph]:
    """The data an edit of ``claims`` can change the SHACL results of (N-Triples), the focus
    nodes, and the description of the statement's direct triples among that data."""
    bound = _STATEMENTS.replace("WHERE {", "WHERE {\n  " + _values("edited", claims), 1)
    rows = store.query(bound, use_default_graph_as_union=True)
    assert isinstance(rows, ox.QuerySolutions)
    touched: dict[Node, None] = {}
    supports: dict[Node, None] = {}
    edges: dict[ox.Triple, None] = {}
    for row in rows:
        touched[to_rdflib_term(row["claim"])] = None
        if row["support"] is not None:
            supports[to_rdflib_term(row["support"])] = None
        if isinstance(row["o"], ox.NamedNode):
            edges[ox.Triple(row["s"], row["p"], row["o"])] = None
    direct = [e for e in edges if ox.Quad(e.subject, e.predicate, e.object, _DIRECT) in store]
    markers = _direct_markers(direct)
    iris = [t for t in touched if isinstance(t, URIRef)]
    parts = [
        store.dump(format=_NT, from_graph=_SCHEMA) or b"",
        _construct(store, _NEIGHBOURHOOD, "edited", claims),
        _construct(store, _AROUND, "claim", iris),
        markers.serialize(format="nt", encoding="utf-8"),
    ]
    focus = [*touched, *supports, *markers.subjects(NKG.directSubject, None)]
    return b"".join(parts).decode("utf-8"), focus, markers


def validate_claims(
    store: ox.Store,
    claims: Sequence[URIRef],
    shapes_dir: Path | None = None,
    *,
    shacl_engine: str = "turbo",
) -> ValidationReport:
    """Validate what an edit of ``claims`` touches, on their neighbourhood only."""
    laps: dict[str, float] = {}
    start = time.perf_counter()
    shapes, files = checked_shapes(shapes_dir)
    data, focus, markers = neighbourhood(store, claims)
    laps["neighbourhood"] = time.perf_counter() - start
    # the whole neighbourhood is validated (small) and the results kept are those about the
    # focus nodes: turbo's focus_nodes takes IRIs only, and the other nodes lack their context
    report, shapes = run_shacl(data, shapes, engine=shacl_engine)
    wanted = set(focus)
    for result in list(report.subjects(SH.focusNode, None)):
        if report.value(result, SH.focusNode) not in wanted:
            report.remove((result, None, None))
    laps["shacl"] = time.perf_counter() - start - laps["neighbourhood"]
    context = _context(store, report, markers)
    pending = _pending(store, focus)
    return _report(report, context, shapes, files, data.count("\n"), laps, pending)

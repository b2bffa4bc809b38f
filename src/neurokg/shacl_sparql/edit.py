"""What an edit of some claims can change, validated on the store as it is (ADR 0010).

Consumes: a ``pyoxigraph.Store`` (the curated graphs, imports; on disk or in memory, read only),
the edited claims and the shapes.
Produces: an ``Edit``: the report about the focus nodes of the edit, and what validate_store.py
needs to name them (the claims, the direct-layer descriptions).
Policy: the focus nodes are the edited claims and every claim making the same statement (the
contradiction check), everything those claims and their supports point at (supports, sources,
terms, curators, evidence codes; not their classes) and each statement's direct triple, found
with the store's index (``_neighbours``: what the ``_EDIT`` query selects, in a fifth of its
time), whose quads are then read once for every check. The
store is not copied: the compiled checks run on it with those nodes bound (focus.py), the shapes
for curated records on the curated graphs, the others on every graph but meta (on the union of
all graphs when nothing points at what meta describes: the same results, read faster). The
direct-layer description of a statement exists only in the validation copy of a full run, so it
is validated in a small store of its own holding it and the claims making that statement, which
is what the direct-layer shape reads.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from ..namespaces import GRAPH_IRIS, META_GRAPH, NKG
from ..store_terms import to_oxigraph_term, to_rdflib_term
from .focus import Quads, node_quads, run_focus
from .scratch import content_graphs

__all__ = ["Edit", "validate_edit"]

_DIRECT = ox.NamedNode(str(GRAPH_IRIS["direct"]))

#: Per claim making an edited claim's statement: its statement and each node it, or one of its
#: supports, points at (with the property, to leave out rdf:type and literals). What
#: ``_neighbours`` reads with the store's index instead (tests/test_shacl_sparql.py compares).
_EDIT = """
PREFIX nkg: <https://w3id.org/neurokg/>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT DISTINCT ?claim ?s ?p ?o ?node WHERE {
  VALUES ?edited { %s }
  ?edited nkg:subject ?S ; nkg:predicate ?P .
  OPTIONAL { ?edited nkg:object ?O }
  ?claim nkg:subject ?S ; nkg:predicate ?P .
  OPTIONAL { ?claim nkg:object ?other }
  FILTER(sameTerm(?claim, ?edited) || (BOUND(?O) && BOUND(?other) && sameTerm(?O, ?other)))
  ?claim nkg:subject ?s ; nkg:predicate ?p .
  OPTIONAL { ?claim nkg:object ?o }
  { ?claim ?q ?node } UNION { ?claim prov:qualifiedDerivation ?support . ?support ?q ?node }
  FILTER(!isLiteral(?node) && !sameTerm(?q, <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>))
}
"""

_SUBJECT, _PREDICATE, _OBJECT = (
    ox.NamedNode(str(NKG[k])) for k in ("subject", "predicate", "object")
)
_DERIVATION = ox.NamedNode("http://www.w3.org/ns/prov#qualifiedDerivation")
_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_Node = ox.NamedNode | ox.BlankNode
_Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
_END = object()


def _values(quads: Sequence[ox.Quad], p: ox.NamedNode) -> dict[_Term, None]:
    return dict.fromkeys(q.object for q in quads if q.predicate == p)


def _has(store: ox.Store, s: _Term, p: ox.NamedNode, o: _Term) -> bool:
    return next(iter(store.quads_for_pattern(s, p, o)), None) is not None  # type: ignore[arg-type]


def _fewest(*patterns: Iterator[ox.Quad]) -> list[ox.Quad]:
    """The quads of the pattern matching fewest, read in turn so that no other pattern is read
    further than it (a term can be the subject of thousands of claims, or their object)."""
    read: list[list[ox.Quad]] = [[] for _ in patterns]
    while True:
        for i, pattern in enumerate(patterns):
            quad = next(pattern, _END)
            if quad is _END:
                return read[i]
            read[i].append(quad)  # type: ignore[arg-type]


def _same_statement(store: ox.Store, quads: Quads, edited: ox.NamedNode) -> list[ox.NamedNode]:
    """``edited`` and each claim with one of its subjects, predicates and objects."""
    mine = node_quads(store, quads, edited)
    subjects, predicates = _values(mine, _SUBJECT), _values(mine, _PREDICATE)
    if not subjects or not predicates:
        return []
    found: dict[ox.NamedNode, None] = {edited: None}
    for s, p, o in itertools.product(subjects, predicates, _values(mine, _OBJECT)):
        by_s = iter(store.quads_for_pattern(None, _SUBJECT, s))
        by_o = iter(store.quads_for_pattern(None, _OBJECT, o))
        for quad in _fewest(by_s, by_o):
            claim = quad.subject
            if (
                isinstance(claim, ox.NamedNode)
                and claim not in found
                and all(
                    _has(store, claim, k, v)
                    for k, v in ((_SUBJECT, s), (_PREDICATE, p), (_OBJECT, o))
                )
            ):
                found[claim] = None
    return list(found)


def _neighbours(
    store: ox.Store, quads: Quads, edited: Sequence[ox.NamedNode]
) -> tuple[dict[ox.NamedNode, None], dict[_Node, None], dict[ox.Triple, None]]:
    """What ``_EDIT`` selects, read with the store's index (about 0.5 ms where the query took
    2.5 ms at 100k triples): the claims making the edited claims' statements (those with a node
    to point at), the nodes they and their supports point at, and their statements."""
    touched: dict[ox.NamedNode, None] = {}
    nodes: dict[_Node, None] = {}
    edges: dict[ox.Triple, None] = {}
    for claim in dict.fromkeys(c for e in edited for c in _same_statement(store, quads, e)):
        own = node_quads(store, quads, claim)
        supports = [s for s in _values(own, _DERIVATION) if not isinstance(s, ox.Literal)]
        pointed = [
            q.object
            for q in itertools.chain(own, *(node_quads(store, quads, s) for s in supports))  # type: ignore[arg-type]
            if q.predicate != _TYPE and isinstance(q.object, (ox.NamedNode, ox.BlankNode))
        ]
        if not pointed:
            continue
        touched[claim] = None
        nodes.update(dict.fromkeys(pointed))
        for s, p, o in itertools.product(
            _values(own, _SUBJECT), _values(own, _PREDICATE), _values(own, _OBJECT)
        ):
            if isinstance(o, ox.NamedNode):
                edges[ox.Triple(s, p, o)] = None  # type: ignore[arg-type]
    return touched, nodes, edges


#: The blank nodes among the focus nodes (a query cannot name them): found again by pattern.
_BLANK = """{ VALUES ?_claim { %s }
  { ?_claim ?_q ?this } UNION { ?_claim <http://www.w3.org/ns/prov#qualifiedDerivation> ?_d .
                               ?_d ?_q ?this }
  FILTER(isBlank(?this) && !sameTerm(?_q, <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>)) }"""


@dataclass
class Edit:
    """The SHACL report about the focus nodes of an edit, and how to name them."""

    report: Graph
    claims: list[URIRef]  #: the edited claims and every claim making the same statement
    focus: list[Node]  #: every focus node validated (blank nodes as the store names them)
    markers: Graph  #: the descriptions of the statements' direct triples
    triples: int = 0  #: the triples describing the focus nodes (what the report says it checked)
    timings: dict[str, float] = field(default_factory=dict)


def _names(nodes: Sequence[ox.NamedNode]) -> str:
    return " ".join(str(n) for n in nodes)


def _markers(
    store: ox.Store,
    shapes: Graph,
    claims: Sequence[ox.NamedNode],
    edges: Sequence[ox.Triple],
    quads: Quads,
) -> tuple[Graph, Graph]:
    """The direct-layer descriptions of ``edges`` found in the direct graph, and their report,
    from a small store holding them and ``claims`` (the claims making those statements)."""
    from ..validate import describe_direct

    markers = describe_direct(
        (to_rdflib_term(e.subject), to_rdflib_term(e.predicate), to_rdflib_term(e.object))
        for e in edges
        if ox.Quad(e.subject, e.predicate, e.object, _DIRECT) in store
    )
    if not len(markers):
        return markers, Graph()
    small = ox.Store()
    small.extend(
        ox.Quad(q.subject, q.predicate, q.object)
        for claim in claims
        for q in node_quads(store, quads, claim)
    )
    small.extend(
        ox.Quad(to_oxigraph_term(s), to_oxigraph_term(p), to_oxigraph_term(o))  # type: ignore[arg-type]
        for s, p, o in markers
    )
    nodes = [ox.BlankNode(str(m)) for m in markers.subjects(NKG.directSubject, None)]
    pattern = f"?this <{NKG.directSubject}> ?_s ."
    return markers, run_focus(small, shapes, nodes, blank=pattern).report


def _meta_apart(store: ox.Store) -> bool:
    """Does nothing outside the meta graph point at what meta describes (the release)? Then the
    union of all graphs, which is much faster to query than a list of graphs (ADR 0010), gives
    the results of a full run, whose copy leaves meta out."""
    meta = ox.NamedNode(str(META_GRAPH))
    described = {q.subject for q in store.quads_for_pattern(None, None, None, meta)}
    return not any(
        q.graph_name != meta for s in described for q in store.quads_for_pattern(None, None, s)
    )


def validate_edit(store: ox.Store, claims: Sequence[URIRef], shapes: Graph) -> Edit:
    """Validate what an edit of ``claims`` can change, on ``store`` as it is."""
    from ..validate_shacl import split_shapes

    laps: dict[str, float] = {}
    start = time.perf_counter()
    edited = [ox.NamedNode(str(c)) for c in claims]
    quads: Quads = {}  # the nodes' quads, read once for the focus and every run below
    touched, nodes, edges = _neighbours(store, quads, edited)
    nodes.update(dict.fromkeys(touched))
    focus = list(nodes)
    blank = _BLANK % _names(list(touched))
    laps["focus"] = time.perf_counter() - start
    curated, others = split_shapes(shapes)
    if _meta_apart(store):  # the union of every graph reads what a full run reads
        report = run_focus(store, others, focus, union=True, blank=blank, quads=quads).report
    else:
        graphs = content_graphs(store)
        report = run_focus(store, others, focus, graphs=graphs, blank=blank, quads=quads).report
    if len(curated):
        graphs = content_graphs(store, curated_only=True)
        report += run_focus(store, curated, focus, graphs=graphs, blank=blank, quads=quads).report
    laps["shacl"] = time.perf_counter() - start - laps["focus"]
    markers, about = _markers(store, shapes, list(touched), list(edges), quads)
    report += about
    laps["direct"] = time.perf_counter() - start - laps["focus"] - laps["shacl"]
    focus_nodes: list[Node] = [to_rdflib_term(n) for n in nodes]
    focus_nodes += list(markers.subjects(NKG.directSubject, None))
    triples = len(markers) + sum(len(node_quads(store, quads, n)) for n in nodes)
    claims = [URIRef(c.value) for c in touched]
    return Edit(report, claims, focus_nodes, markers, triples, laps)

"""What an edit of some claims can change, validated on the store as it is (ADR 0010).

Consumes: a ``pyoxigraph.Store`` (the curated graphs, imports; on disk or in memory, read only),
the edited claims and the shapes.
Produces: an ``Edit``: the report about the focus nodes of the edit, and what validate_store.py
needs to name them (the claims, the direct-layer descriptions).
Policy: the focus nodes are the edited claims and every claim making the same statement (the
contradiction check), everything those claims and their supports point at (supports, sources,
terms, curators, evidence codes; not their classes) and each statement's direct triple. The
store is not copied: the compiled checks run on it with those nodes bound (focus.py), the shapes
for curated records on the curated graphs, the others on every graph but meta (on the union of
all graphs when nothing points at what meta describes: the same results, read faster). The
direct-layer description of a statement exists only in the validation copy of a full run, so it
is validated in a small store of its own holding it and the claims making that statement, which
is what the direct-layer shape reads.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from ..namespaces import GRAPH_IRIS, META_GRAPH, NKG
from ..store import to_oxigraph_term, to_rdflib_term
from .focus import run_focus
from .scratch import content_graphs

__all__ = ["Edit", "validate_edit"]

_DIRECT = ox.NamedNode(str(GRAPH_IRIS["direct"]))

#: Per claim making an edited claim's statement: its statement and each node it, or one of its
#: supports, points at (with the property, to leave out rdf:type and literals).
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
    store: ox.Store, shapes: Graph, claims: Sequence[ox.NamedNode], edges: Sequence[ox.Triple]
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
        for q in store.quads_for_pattern(claim, None, None)
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
    solutions = store.query(_EDIT % _names(edited), use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    touched: dict[ox.NamedNode, None] = {}
    nodes: dict[ox.NamedNode | ox.BlankNode, None] = {}
    edges: dict[ox.Triple, None] = {}
    for row in solutions:
        claim, node = row["claim"], row["node"]
        assert isinstance(claim, ox.NamedNode)
        touched[claim] = None
        if isinstance(node, (ox.NamedNode, ox.BlankNode)):
            nodes[node] = None
        if isinstance(row["o"], ox.NamedNode):
            edges[ox.Triple(row["s"], row["p"], row["o"])] = None
    nodes.update(dict.fromkeys(touched))
    focus = list(nodes)
    blank = _BLANK % _names(list(touched))
    laps["focus"] = time.perf_counter() - start
    curated, others = split_shapes(shapes)
    if _meta_apart(store):  # the union of every graph reads what a full run reads
        report = run_focus(store, others, focus, union=True, blank=blank).report
    else:
        report = run_focus(store, others, focus, graphs=content_graphs(store), blank=blank).report
    if len(curated):
        graphs = content_graphs(store, curated_only=True)
        report += run_focus(store, curated, focus, graphs=graphs, blank=blank).report
    laps["shacl"] = time.perf_counter() - start - laps["focus"]
    markers, about = _markers(store, shapes, list(touched), list(edges))
    report += about
    laps["direct"] = time.perf_counter() - start - laps["focus"] - laps["shacl"]
    focus_nodes: list[Node] = [to_rdflib_term(n) for n in nodes]
    focus_nodes += list(markers.subjects(NKG.directSubject, None))
    triples = len(markers) + sum(1 for n in nodes for _ in store.quads_for_pattern(n, None, None))
    claims = [URIRef(c.value) for c in touched]
    return Edit(report, claims, focus_nodes, markers, triples, laps)

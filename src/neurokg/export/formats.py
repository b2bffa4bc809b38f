"""The canonical quads of a release and the RDF files written from them.

Consumes: the ``Dataset`` of a selected ``KnowledgeGraph`` (selection.py).
Produces: ``canonical_quads`` (every quad of the named graphs, sorted) and ``EXPORT_FORMATS``, the
registry of the RDF files of a release: ``neurokg.ttl``, ``neurokg.nt`` and ``neurokg.jsonld``
(jsonld.py) hold the union of the content graphs; ``neurokg.trig`` and ``neurokg.nq`` keep the
named graphs (schema, terms, sources, claims, direct, meta); the names of the release's other
files (``METADATA_FILE``, ``CHECKSUM_FILE``, ``CONTEXT_FILE``).
Policy: the same quads give byte-identical files: quads are sorted, blank nodes get labels from
their canonical form (``rdflib.compare.to_canonical_graph``), numbered over all graphs so that
graphs never share a node; Oxigraph writes the bytes, Turtle and TriG with the one prefix map
(``namespaces.PREFIX_MAP``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Final

import pyoxigraph as ox
from rdflib import BNode, Dataset, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.term import Node

from ..errors import ExportError
from ..namespaces import GRAPH_IRIS, META_GRAPH, PREFIX_MAP
from ..store_terms import to_oxigraph_term
from .jsonld import jsonld_bytes

__all__ = [
    "CHECKSUM_FILE",
    "CONTEXT_FILE",
    "EXPORT_FORMATS",
    "METADATA_FILE",
    "ExportFormat",
    "Quad",
    "canonical_quads",
    "ox_triples",
    "serialize",
    "union_triples",
]

Quad = tuple[Node, Node, Node, URIRef]


def _graph_order(dataset: Dataset) -> list[URIRef]:
    names = [*GRAPH_IRIS.values(), META_GRAPH]
    return [name for name in names if len(dataset.graph(name)) > 0]


def canonical_quads(dataset: Dataset) -> list[Quad]:
    """Every quad of the named graphs, blank nodes relabelled ``b1``, ``b2`` ... stably, sorted.

    Labels come from each graph's canonical form, so equal graphs give equal labels whatever the
    labels they were built with; numbering runs over all graphs, so graphs never share a node.
    """
    quads: list[Quad] = []
    counter = 0
    for graph_iri in _graph_order(dataset):
        canonical = to_canonical_graph(dataset.graph(graph_iri))
        labels = sorted({str(t) for triple in canonical for t in triple if isinstance(t, BNode)})
        mapping: dict[str, BNode] = {}
        for label in labels:
            counter += 1
            mapping[label] = BNode(f"b{counter}")

        def relabel(term: Node, mapping: dict[str, BNode] = mapping) -> Node:
            return mapping[str(term)] if isinstance(term, BNode) else term

        quads.extend((relabel(s), p, relabel(o), graph_iri) for s, p, o in canonical)
    return sorted(quads, key=_quad_key)


def _quad_key(quad: Quad) -> tuple[str, str, str, str]:
    s, p, o, g = quad
    return (g.n3(), s.n3(), p.n3(), o.n3())


def union_triples(quads: Iterable[Quad]) -> list[tuple[Node, Node, Node]]:
    content = set(GRAPH_IRIS.values())
    triples = {(s, p, o) for s, p, o, g in quads if g in content}
    return sorted(triples, key=lambda t: (t[0].n3(), t[1].n3(), t[2].n3()))


def _ox_resource(term: Node) -> ox.NamedNode | ox.BlankNode:
    converted = to_oxigraph_term(term)
    if isinstance(converted, ox.Literal):
        raise ExportError(f"a literal cannot be a subject or predicate: {term!r}")
    return converted


def _ox_triple(s: Node, p: Node, o: Node) -> ox.Triple:
    return ox.Triple(_ox_resource(s), ox.NamedNode(str(p)), to_oxigraph_term(o))


def _ox_quads(quads: Iterable[Quad]) -> list[ox.Quad]:
    result = []
    for s, p, o, g in quads:
        t = _ox_triple(s, p, o)
        result.append(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g)))
    return result


def ox_triples(triples: Iterable[tuple[Node, Node, Node]]) -> list[ox.Triple]:
    return [_ox_triple(s, p, o) for s, p, o in triples]


def serialize(
    items: Sequence[ox.Quad] | Sequence[ox.Triple],
    fmt: ox.RdfFormat,
    extra_prefixes: dict[str, str] | None = None,
) -> bytes:
    prefixes = None
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
        prefixes = dict(PREFIX_MAP) | (extra_prefixes or {})
    data = ox.serialize(items, format=fmt, prefixes=prefixes)
    assert isinstance(data, bytes)
    return data


@dataclass(frozen=True)
class ExportFormat:
    """One file of a release: its name, media type and how to write it from sorted quads."""

    filename: str
    media_type: str
    write: Callable[[list[Quad]], bytes]


EXPORT_FORMATS: Final[dict[str, ExportFormat]] = {
    "turtle": ExportFormat(
        "neurokg.ttl",
        "text/turtle",
        lambda q: serialize(ox_triples(union_triples(q)), ox.RdfFormat.TURTLE),
    ),
    "ntriples": ExportFormat(
        "neurokg.nt",
        "application/n-triples",
        lambda q: serialize(ox_triples(union_triples(q)), ox.RdfFormat.N_TRIPLES),
    ),
    "jsonld": ExportFormat(
        "neurokg.jsonld", "application/ld+json", lambda q: jsonld_bytes(union_triples(q))
    ),
    "trig": ExportFormat(
        "neurokg.trig", "application/trig", lambda q: serialize(_ox_quads(q), ox.RdfFormat.TRIG)
    ),
    "nquads": ExportFormat(
        "neurokg.nq",
        "application/n-quads",
        lambda q: serialize(_ox_quads(q), ox.RdfFormat.N_QUADS),
    ),
}
METADATA_FILE: Final = "void.ttl"
CHECKSUM_FILE: Final = "SHA256SUMS"
CONTEXT_FILE: Final = "context.jsonld"

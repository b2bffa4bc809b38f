"""The terms graph: each curated term, and the identifiers the lexicon refuses or chooses between.

Consumes: ``Term`` records and a ``Curation``'s lexicon (obsolete identifiers, look-alikes,
conventions; load.py).
Produces: triples in the terms graph: an ``owl:Class`` with its kind, label, synonyms,
abbreviations (context on an ``owl:Axiom``), cross-references, definition and look-up keys;
is_a and part_of edges (part_of also as an OWL existential restriction); refused identifiers
(``nkg:refusedAs``) with what they are and what replaces them; convention alternatives.
Policy: every is_a and part_of edge says where it was read and its status on an ``owl:Axiom``
(``dcterms:source``, ``nkg:edgeStatus``); look-up keys come from every name
(``resolve.lookup_key``), refused identifiers' names included, so ``ask`` can explain them.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from ..load import Curation, Term
from ..namespaces import NKG, OBOINOWL, PART_OF, REPLACED_BY
from ..resolve import lookup_key
from .model import KIND_CLASSES, add_all, iri, source_iri

__all__ = [
    "add_lexicon",
    "add_term",
]


def _annotated_edge(graph: Graph, s: URIRef, p: URIRef, o: Node, source: str, status: str) -> None:
    """Add ``s p o`` and an OWL axiom annotation saying where the edge was read."""
    graph.add((s, p, o))
    axiom = BNode()
    add_all(
        graph,
        [
            (axiom, RDF.type, OWL.Axiom),
            (axiom, OWL.annotatedSource, s),
            (axiom, OWL.annotatedProperty, p),
            (axiom, OWL.annotatedTarget, o),
            (axiom, DCTERMS.source, Literal(source)),
            (axiom, NKG.edgeStatus, Literal(status)),
        ],
    )


def add_term(graph: Graph, term: Term) -> None:
    node = iri(term.id)
    add_all(
        graph,
        [
            (node, RDF.type, OWL.Class),
            (node, RDF.type, KIND_CLASSES[term.kind]),
            (node, RDFS.label, Literal(term.label)),
        ],
    )
    for synonym in term.synonyms:
        graph.add((node, OBOINOWL.hasExactSynonym, Literal(synonym)))
    for abbreviation in term.abbreviations:
        graph.add((node, NKG.abbreviation, Literal(abbreviation.text)))
        axiom = BNode()
        add_all(
            graph,
            [
                (axiom, RDF.type, OWL.Axiom),
                (axiom, OWL.annotatedSource, node),
                (axiom, OWL.annotatedProperty, NKG.abbreviation),
                (axiom, OWL.annotatedTarget, Literal(abbreviation.text)),
                (axiom, NKG.abbreviationContext, Literal(abbreviation.context)),
            ],
        )
    for name in (term.label, *term.synonyms, *(a.text for a in term.abbreviations)):
        graph.add((node, NKG.lookupKey, Literal(lookup_key(name))))
    for xref in term.xrefs:
        graph.add((node, OBOINOWL.hasDbXref, Literal(xref)))
    if term.definition:
        graph.add((node, SKOS.definition, Literal(term.definition)))
    if term.note:
        graph.add((node, SKOS.editorialNote, Literal(term.note)))
    for key in term.read_in:
        graph.add((node, DCTERMS.source, source_iri(key)))
    for edge in term.is_a:
        _annotated_edge(graph, node, RDFS.subClassOf, iri(edge.target), edge.source, edge.status)
    for edge in term.part_of:
        target = iri(edge.target)
        # relation-graph style edge for SPARQL, plus the OWL existential restriction for reasoners
        _annotated_edge(graph, node, PART_OF, target, edge.source, edge.status)
        restriction = BNode()
        add_all(
            graph,
            [
                (node, RDFS.subClassOf, restriction),
                (restriction, RDF.type, OWL.Restriction),
                (restriction, OWL.onProperty, PART_OF),
                (restriction, OWL.someValuesFrom, target),
            ],
        )


def add_lexicon(terms: Graph, curation: Curation) -> None:
    """Obsolete and look-alike identifiers (refused, with what their releases and sources say) and
    the classes a convention chooses between."""
    for old in curation.obsolete:
        node = iri(old.id)
        add_all(
            terms,
            [
                (node, NKG.refusedAs, Literal("obsolete")),
                (node, OWL.deprecated, Literal(True)),
                (node, RDFS.label, Literal(old.label)),
                (node, NKG.lookupKey, Literal(lookup_key(old.label))),
            ],
        )
        if old.replaced_by:
            terms.add((node, REPLACED_BY, iri(old.replaced_by)))
        add_all(terms, [(node, OBOINOWL.consider, iri(c)) for c in old.consider])
        add_all(terms, [(node, DCTERMS.source, source_iri(k)) for k in old.read_in])
    for alike in curation.look_alikes:
        node = iri(alike.key)
        add_all(
            terms,
            [
                (node, NKG.refusedAs, Literal("look-alike")),
                (node, RDFS.label, Literal(alike.label)),
                (node, NKG.lookAlikeOf, iri(alike.not_)),
                (node, SKOS.scopeNote, Literal(alike.is_)),
            ],
        )
        for name in (alike.label, *alike.names):
            terms.add((node, NKG.lookupKey, Literal(lookup_key(name))))
        add_all(terms, [(node, OBOINOWL.hasExactSynonym, Literal(n)) for n in alike.names])
        add_all(terms, [(node, DCTERMS.source, source_iri(k)) for k in alike.read_in])
    for convention in curation.conventions:
        for alt in convention.alternatives:
            node = iri(alt.id)
            add_all(
                terms,
                [
                    (node, NKG.conventionUse, iri(convention.use)),
                    (node, RDFS.label, Literal(alt.label)),
                ],
            )
            add_all(terms, [(node, DCTERMS.source, source_iri(k)) for k in alt.read_in])

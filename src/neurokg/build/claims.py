"""The sources and claims graphs: each source with its standing, each claim with its provenance.

Consumes: ``Source`` and ``Claim`` records (load.py).
Produces: triples in the sources graph (kind, title, bibliographic fields, trust level, links,
citations, standing) and in the claims graph (the claim node with subject, predicate, object,
polarity, curation status, curator, date, qualifiers and review history, and one PROV-O
qualified derivation per supporting source, with the ECO evidence class and the excerpt).
Policy: nothing is added that the record does not say: a field left out gives no triple, and
links (PubMed, DOI) are made only from the identifiers recorded.
"""

from __future__ import annotations

from typing import Final

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from ..load import Claim, Source
from ..namespaces import AGENT, BIBO, HAS_EVIDENCE, NKG, PRISM
from .model import SOURCE_CLASSES, TRUST_LEVELS, add_all, claim_iri, iri, source_iri

__all__ = [
    "add_claim",
    "add_source",
]

_STATUS: Final = {
    "submitted": NKG.Submitted,
    "under_review": NKG.UnderReview,
    "approved": NKG.Approved,
    "rejected": NKG.Rejected,
    "deprecated": NKG.Deprecated,
}
_POLARITY: Final = {"positive": NKG.Positive, "negative": NKG.Negative}


def add_source(graph: Graph, source: Source) -> None:
    node = source_iri(source.key)
    add_all(
        graph,
        [
            (node, RDF.type, SOURCE_CLASSES[source.kind]),
            (node, DCTERMS.title, Literal(source.title)),
            (node, DCTERMS.identifier, Literal(source.key)),
            (node, NKG.trustLevel, Literal(TRUST_LEVELS[source.kind])),
        ],
    )
    optional: list[tuple[URIRef, Node | None]] = [
        (NKG.authors, Literal(", ".join(source.authors)) if source.authors else None),
        (PRISM.publicationName, Literal(source.journal) if source.journal else None),
        (DCTERMS.issued, Literal(str(source.year), datatype=XSD.gYear) if source.year else None),
        (DCTERMS.date, Literal(source.date, datatype=XSD.date) if source.date else None),
        (BIBO.pmid, Literal(source.pmid) if source.pmid else None),
        (BIBO.doi, Literal(source.doi) if source.doi else None),
        (NKG.pmcid, Literal(source.pmcid) if source.pmcid else None),
        (BIBO.volume, Literal(source.volume) if source.volume else None),
        (BIBO.issue, Literal(source.issue) if source.issue else None),
        (BIBO.pages, Literal(source.pages) if source.pages else None),
        (NKG.version, Literal(source.version) if source.version else None),
        (DCTERMS.publisher, Literal(source.publisher) if source.publisher else None),
        (SKOS.editorialNote, Literal(source.note) if source.note else None),
        (RDFS.seeAlso, URIRef(source.url) if source.url else None),
        (
            RDFS.seeAlso,
            URIRef(f"https://pubmed.ncbi.nlm.nih.gov/{source.pmid}") if source.pmid else None,
        ),
        (RDFS.seeAlso, URIRef(f"https://doi.org/{source.doi}") if source.doi else None),
        (
            NKG.publicationType,
            Literal(source.publication_type) if source.publication_type else None,
        ),
    ]
    add_all(graph, [(node, p, o) for p, o in optional if o is not None])
    for key in source.cites:
        graph.add((node, NKG.cites, source_iri(key)))
    _add_standing(graph, node, source)


def _add_standing(graph: Graph, node: URIRef, source: Source) -> None:
    """The source's standing (retracted, superseded, corrected, current), if one is recorded."""
    standing = source.standing
    if standing is None:
        return
    graph.add((node, NKG.standing, NKG[standing.status.capitalize()]))
    graph.add((node, NKG.standingReadIn, Literal(standing.read_in)))
    if standing.by:
        graph.add((node, NKG.supersededBy, source_iri(standing.by)))
    if standing.date:
        graph.add((node, NKG.standingDate, Literal(standing.date, datatype=XSD.date)))
    if standing.note:
        graph.add((node, NKG.standingNote, Literal(standing.note)))


def _add_history(graph: Graph, node: URIRef, claim: Claim) -> None:
    """Each status change of the claim, oldest first (``<claim>/history/<n>``)."""
    for index, change in enumerate(claim.history, start=1):
        entry = URIRef(f"{node}/history/{index}")
        add_all(
            graph,
            [
                (node, NKG.statusChange, entry),
                (entry, RDF.type, NKG.StatusChange),
                (entry, NKG.changeIndex, Literal(index, datatype=XSD.integer)),
                (entry, NKG.toStatus, _STATUS[change.status]),
                (entry, DCTERMS.date, Literal(change.date, datatype=XSD.date)),
                (entry, RDFS.comment, Literal(change.why)),
            ],
        )
        if change.by:
            graph.add((entry, NKG.changedBy, Literal(change.by)))
        if change.orcid:
            graph.add((entry, NKG.changedByOrcid, URIRef(f"https://orcid.org/{change.orcid}")))


def add_claim(graph: Graph, claim: Claim) -> None:
    node = claim_iri(claim.id)
    add_all(
        graph,
        [
            (node, RDF.type, NKG.Claim),
            (node, DCTERMS.identifier, Literal(claim.id)),
            (node, NKG.subject, iri(claim.subject)),
            (node, NKG.predicate, iri(claim.predicate)),
            (node, NKG.polarity, _POLARITY[claim.polarity]),
            (node, NKG.curationStatus, _STATUS[claim.status]),
            (node, PROV.wasAttributedTo, AGENT[claim.curator]),
            (node, DCTERMS.date, Literal(claim.date, datatype=XSD.date)),
        ],
    )
    if claim.object is not None:
        graph.add((node, NKG.object, iri(claim.object)))
    if claim.object_text is not None:
        graph.add((node, NKG.objectText, Literal(claim.object_text)))
    if claim.note:
        graph.add((node, SKOS.editorialNote, Literal(claim.note)))
    _add_history(graph, node, claim)
    q = claim.qualifiers
    qualifiers: list[tuple[URIRef, Node | None]] = [
        (NKG.context, iri(q.context) if q.context else None),
        (NKG.lesionSite, iri(q.lesion_site) if q.lesion_site else None),
        (NKG.target, iri(q.target) if q.target else None),
        (NKG.distinguishedFrom, iri(q.distinguished_from) if q.distinguished_from else None),
        (NKG.lesionType, Literal(q.lesion_type) if q.lesion_type else None),
        (NKG.population, Literal(q.population) if q.population else None),
        (NKG.laterality, Literal(q.laterality) if q.laterality else None),
        (NKG.outcome, Literal(q.outcome) if q.outcome else None),
        (NKG.onset, Literal(q.onset) if q.onset else None),
    ]
    if q.frequency is not None:
        qualifiers.append((NKG.frequencyNumerator, Literal(q.frequency[0], datatype=XSD.integer)))
        qualifiers.append((NKG.frequencyDenominator, Literal(q.frequency[1], datatype=XSD.integer)))
    add_all(graph, [(node, p, o) for p, o in qualifiers if o is not None])
    for index, support in enumerate(claim.support, start=1):
        derivation = URIRef(f"{node}/support/{index}")
        source = source_iri(support.source)
        evidence = iri(support.evidence)
        add_all(
            graph,
            [
                (node, PROV.wasDerivedFrom, source),
                (node, HAS_EVIDENCE, evidence),
                (node, PROV.qualifiedDerivation, derivation),
                (derivation, RDF.type, PROV.Derivation),
                (derivation, PROV.entity, source),
                (derivation, HAS_EVIDENCE, evidence),
                (derivation, NKG.excerpt, Literal(support.text)),
                (derivation, NKG.excerptKind, Literal("quote" if support.verbatim else "summary")),
            ],
        )
        if support.cited_as:
            graph.add((derivation, NKG.citedAs, Literal(support.cited_as)))
        if support.design:
            graph.add((derivation, NKG.studyDesign, Literal(support.design)))
        if support.indirect:
            graph.add((derivation, NKG.indirectness, Literal(support.indirect)))

"""Build the dataset of named graphs from the schema and the curated records.

Consumes: the schema ``Graph`` and a ``Curation`` (load.py).
Produces: a new ``KnowledgeGraph``: an rdflib ``Dataset`` with the named graphs ``schema``,
``terms``, ``sources``, ``claims`` and ``direct`` (and ``meta``); never mutates its inputs.
Policy: every claim becomes a claim node with its qualifiers, its PROV-O qualified derivations (one
per supporting source, with the ECO evidence class and the excerpt), its polarity and its curation
status. The direct layer holds the plain triple of each *approved, positive* claim and nothing else.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from .load import TEXT_PREDICATES, Claim, Curation, Source, Term
from .namespaces import (
    AGENT,
    BIBO,
    CLAIM,
    GRAPH_IRIS,
    HAS_EVIDENCE,
    META_GRAPH,
    NKG,
    OBOINOWL,
    PART_OF,
    PRISM,
    RELEASE,
    REPLACED_BY,
    SOURCE,
    bind_prefixes,
    expand,
)
from .resolve import lookup_key

__all__ = [
    "KIND_CLASSES",
    "SOURCE_CLASSES",
    "TRUST_LEVELS",
    "KnowledgeGraph",
    "build_graph",
    "claim_iri",
    "iri",
    "source_iri",
]


KIND_CLASSES: Final = {
    "disease": NKG.Disease,
    "clinical_feature": NKG.ClinicalFeature,
    "anatomical_site": NKG.AnatomicalSite,
    "drug": NKG.Drug,
    "procedure": NKG.Procedure,
}
SOURCE_CLASSES: Final = {
    "narrative_review": NKG.NarrativeReview,
    "letter": NKG.Letter,
    "case_report": NKG.CaseReport,
    "case_series": NKG.CaseSeries,
    "cohort_study": NKG.CohortStudy,
    "controlled_trial": NKG.ControlledTrial,
    "systematic_review": NKG.SystematicReview,
    "guideline": NKG.Guideline,
    "reference": NKG.ReferenceResource,
    "ai_answer": NKG.AIWrittenAnswer,
}
#: Trust in a source by its kind: 0 never enough alone, 1 opinion, 2 primary study, 3 synthesis.
TRUST_LEVELS: Final = {
    "ai_answer": 0,
    "narrative_review": 1,
    "letter": 1,
    "case_report": 2,
    "case_series": 2,
    "cohort_study": 2,
    "controlled_trial": 3,
    "systematic_review": 3,
    "guideline": 3,
    "reference": 3,
}
_STATUS: Final = {
    "submitted": NKG.Submitted,
    "under_review": NKG.UnderReview,
    "approved": NKG.Approved,
    "rejected": NKG.Rejected,
    "deprecated": NKG.Deprecated,
}
_POLARITY: Final = {"positive": NKG.Positive, "negative": NKG.Negative}


@dataclass(frozen=True)
class KnowledgeGraph:
    """A built dataset of named graphs, with the version of the code and ontology that built it."""

    dataset: Dataset
    version: str

    def graph(self, name: str) -> Graph:
        """Return the named graph ``name`` (schema, terms, sources, claims, direct)."""
        return self.dataset.graph(GRAPH_IRIS[name])

    def content_hash(self) -> str:
        """SHA-256 of the canonical N-Quads of every named graph: equal data, equal hash."""
        digest = hashlib.sha256()
        for name, graph_iri in sorted(GRAPH_IRIS.items()):
            graph = self.dataset.graph(graph_iri)
            lines = to_canonical_graph(graph).serialize(format="nt").splitlines()
            digest.update(name.encode())
            for line in sorted(line for line in lines if line.strip()):
                digest.update(line.encode("utf-8"))
        return digest.hexdigest()


def iri(curie: str) -> URIRef:
    """Expand a CURIE that load.py has already checked."""
    expanded = expand(curie)
    if expanded is None:  # load.py checks prefixes; reaching here is a bug
        raise ValueError(f"unexpanded CURIE {curie!r}")
    return expanded


def claim_iri(claim_id: str) -> URIRef:
    return CLAIM[claim_id]


def source_iri(key: str) -> URIRef:
    return SOURCE[key]


def _add_all(graph: Graph, triples: Iterable[tuple[Node, Node, Node]]) -> None:
    for triple in triples:
        graph.add(triple)


def _annotated_edge(graph: Graph, s: URIRef, p: URIRef, o: Node, source: str, status: str) -> None:
    """Add ``s p o`` and an OWL axiom annotation saying where the edge was read."""
    graph.add((s, p, o))
    axiom = BNode()
    _add_all(
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


def _add_term(graph: Graph, term: Term) -> None:
    node = iri(term.id)
    _add_all(
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
        _add_all(
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
        _add_all(
            graph,
            [
                (node, RDFS.subClassOf, restriction),
                (restriction, RDF.type, OWL.Restriction),
                (restriction, OWL.onProperty, PART_OF),
                (restriction, OWL.someValuesFrom, target),
            ],
        )


def _add_source(graph: Graph, source: Source) -> None:
    node = source_iri(source.key)
    _add_all(
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
    _add_all(graph, [(node, p, o) for p, o in optional if o is not None])
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
        _add_all(
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


def _add_claim(graph: Graph, claim: Claim) -> None:
    node = claim_iri(claim.id)
    _add_all(
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
        (NKG.lesionType, Literal(q.lesion_type) if q.lesion_type else None),
        (NKG.population, Literal(q.population) if q.population else None),
        (NKG.laterality, Literal(q.laterality) if q.laterality else None),
        (NKG.outcome, Literal(q.outcome) if q.outcome else None),
        (NKG.onset, Literal(q.onset) if q.onset else None),
    ]
    if q.frequency is not None:
        qualifiers.append((NKG.frequencyNumerator, Literal(q.frequency[0], datatype=XSD.integer)))
        qualifiers.append((NKG.frequencyDenominator, Literal(q.frequency[1], datatype=XSD.integer)))
    _add_all(graph, [(node, p, o) for p, o in qualifiers if o is not None])
    for index, support in enumerate(claim.support, start=1):
        derivation = URIRef(f"{node}/support/{index}")
        source = source_iri(support.source)
        evidence = iri(support.evidence)
        _add_all(
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


def _add_lexicon(terms: Graph, curation: Curation) -> None:
    """Obsolete and look-alike identifiers (refused, with what their releases and sources say) and
    the classes a convention chooses between."""
    for old in curation.obsolete:
        node = iri(old.id)
        _add_all(
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
        _add_all(terms, [(node, OBOINOWL.consider, iri(c)) for c in old.consider])
        _add_all(terms, [(node, DCTERMS.source, source_iri(k)) for k in old.read_in])
    for alike in curation.look_alikes:
        node = iri(alike.key)
        _add_all(
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
        _add_all(terms, [(node, OBOINOWL.hasExactSynonym, Literal(n)) for n in alike.names])
        _add_all(terms, [(node, DCTERMS.source, source_iri(k)) for k in alike.read_in])
    for convention in curation.conventions:
        for alt in convention.alternatives:
            node = iri(alt.id)
            _add_all(
                terms,
                [
                    (node, NKG.conventionUse, iri(convention.use)),
                    (node, RDFS.label, Literal(alt.label)),
                ],
            )
            _add_all(terms, [(node, DCTERMS.source, source_iri(k)) for k in alt.read_in])


def _is_direct(claim: Claim) -> bool:
    return (
        claim.status == "approved"
        and claim.polarity == "positive"
        and claim.predicate not in TEXT_PREDICATES
        and claim.object is not None
    )


def _curated_folder(curation: Curation) -> Path | None:
    """The folder holding ``terms/`` (and ``imports/``) of the curated files, if one does."""
    for name in curation.files:
        path = Path(name)
        if path.parent.name == "terms":
            return path.parent.parent
    return None


def build_graph(
    curation: Curation, schema: Graph, version: str, ontology: Path | None = None
) -> KnowledgeGraph:
    """Return a new dataset built from ``schema`` and ``curation``; inputs are left untouched.

    Each import module of ``ontology/imports`` (``ontology``: the curated folder, by default the
    folder of the curated files) is loaded into its own graph ``graph:import/<name>``
    (imports/modules.py); the modules are not part of the content hash.
    """
    dataset = bind_prefixes(Dataset(default_union=True))
    assert isinstance(dataset, Dataset)
    ontology = ontology or _curated_folder(curation)
    if ontology is not None:
        from .imports.modules import module_graphs

        for module in module_graphs(ontology):
            target = dataset.graph(module.identifier)
            for triple in module:
                target.add(triple)
    schema_graph = dataset.graph(GRAPH_IRIS["schema"])
    for triple in schema:
        schema_graph.add(triple)
    terms = dataset.graph(GRAPH_IRIS["terms"])
    for term in curation.terms:
        _add_term(terms, term)
    sources = dataset.graph(GRAPH_IRIS["sources"])
    for source in curation.sources:
        _add_source(sources, source)
    for curator in curation.curators:
        agent = AGENT[curator.id]
        _add_all(
            sources, [(agent, RDF.type, PROV.Agent), (agent, RDFS.label, Literal(curator.name))]
        )
    _add_lexicon(terms, curation)
    claims = dataset.graph(GRAPH_IRIS["claims"])
    direct = dataset.graph(GRAPH_IRIS["direct"])
    for claim in curation.claims:
        _add_claim(claims, claim)
        if _is_direct(claim):
            assert claim.object is not None
            direct.add((iri(claim.subject), iri(claim.predicate), iri(claim.object)))
    built = KnowledgeGraph(dataset, version)
    _add_release(built, schema, len(curation.claims))
    return built


def _add_release(built: KnowledgeGraph, schema: Graph, claim_count: int) -> None:
    """Describe the release in the meta graph: versions and the hash of the content graphs."""
    ontology_version = next(schema.objects(None, OWL.versionInfo), Literal("unknown"))
    meta = built.dataset.graph(META_GRAPH)
    _add_all(
        meta,
        [
            (RELEASE, RDF.type, NKG.Release),
            (RELEASE, OWL.versionInfo, Literal(built.version)),
            (RELEASE, NKG.ontologyVersion, Literal(str(ontology_version))),
            (RELEASE, NKG.contentHash, Literal(built.content_hash())),
            (RELEASE, NKG.claimCount, Literal(claim_count)),
        ],
    )

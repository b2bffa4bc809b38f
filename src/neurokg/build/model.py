"""The built dataset (``KnowledgeGraph``) and the IRIs and classes of its nodes.

Consumes: CURIEs, claim ids and source keys that load.py has checked.
Produces: ``KnowledgeGraph`` (an rdflib ``Dataset`` of named graphs and the version that built
it; ``content_hash``); ``iri``, ``claim_iri``, ``source_iri``; the class of each term kind
(``KIND_CLASSES``) and source kind (``SOURCE_CLASSES``), the trust level of each source kind
(``TRUST_LEVELS``).
Policy: one prefix map (namespaces.py); a CURIE that does not expand is a bug (load.py checks
prefixes) and raises ``ValueError``. The content hash covers the content graphs in canonical
form: equal data, equal hash, whatever the blank node labels.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from rdflib import Dataset, Graph, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.term import Node

from ..namespaces import CLAIM, GRAPH_IRIS, NKG, SOURCE, expand

__all__ = [
    "KIND_CLASSES",
    "SOURCE_CLASSES",
    "TRUST_LEVELS",
    "KnowledgeGraph",
    "add_all",
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


def add_all(graph: Graph, triples: Iterable[tuple[Node, Node, Node]]) -> None:
    for triple in triples:
        graph.add(triple)

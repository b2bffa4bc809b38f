"""Build the dataset of named graphs from the schema and the curated records.

Consumes: the schema ``Graph`` and a ``Curation`` (load.py).
Produces: a new ``KnowledgeGraph``: an rdflib ``Dataset`` with the named graphs ``schema``,
``terms``, ``sources``, ``claims`` and ``direct`` (and ``meta``); never mutates its inputs.
Policy: every claim becomes a claim node with its qualifiers, its PROV-O qualified derivations (one
per supporting source, with the ECO evidence class and the excerpt), its polarity and its curation
status. The direct layer holds the plain triple of each *approved, positive* claim and nothing else.

Modules: model (``KnowledgeGraph``, IRIs, kinds), terms (the terms graph, the lexicon),
claims (the sources and claims graphs), dataset (``build_graph``).
"""

from __future__ import annotations

from .dataset import build_graph
from .model import (
    KIND_CLASSES,
    SOURCE_CLASSES,
    TRUST_LEVELS,
    KnowledgeGraph,
    claim_iri,
    iri,
    source_iri,
)

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

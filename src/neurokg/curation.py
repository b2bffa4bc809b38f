"""The curated records as typed, frozen values: terms, sources, curators, claims, and the whole
``Curation``; with the closed vocabularies their fields take.

Consumes: nothing. Produces: the models that parse.py fills from YAML and load.py cross-checks;
build, validate and the CLI read them. Decides nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Final

from .evidence import EvidenceClass
from .lexicon import Convention, LookAlike, Obsolete
from .records import Origin

__all__ = [
    "CLAIM_PREDICATES",
    "POLARITIES",
    "SOURCE_KINDS",
    "STATUSES",
    "TERM_KINDS",
    "TERM_QUALIFIERS",
    "TEXT_PREDICATES",
    "Abbreviation",
    "Change",
    "Claim",
    "Curation",
    "Curator",
    "Edge",
    "Qualifiers",
    "Source",
    "Standing",
    "Support",
    "Term",
]

TERM_KINDS = ("disease", "clinical_feature", "anatomical_site", "drug", "procedure")
SOURCE_KINDS = (
    "narrative_review",
    "letter",
    "case_report",
    "case_series",
    "cohort_study",
    "controlled_trial",
    "systematic_review",
    "guideline",
    "reference",
    "ai_answer",
)
STATUSES = ("submitted", "under_review", "approved", "rejected", "deprecated")
POLARITIES = ("positive", "negative")
#: The documented claim predicates (README 'Claim predicates').
CLAIM_PREDICATES = (
    "RO:0002610",  # correlated with
    "RO:0003302",  # causes or contributes to condition
    "RO:0004029",  # disease has feature
    "RO:0004026",  # disease has location (lesion site)
    "RO:0002302",  # is treated by substance
    "nkg:treatedByProcedure",
    "rdfs:subClassOf",
    "nkg:hasManagementAdvice",
)
TEXT_PREDICATES = frozenset({"nkg:hasManagementAdvice"})


@dataclass(frozen=True)
class Abbreviation:
    text: str
    context: str


@dataclass(frozen=True)
class Edge:
    """An ``is_a`` or ``part_of`` edge of a term, with the source that asserts it."""

    target: str
    source: str
    status: str = "verified"


@dataclass(frozen=True)
class Term:
    id: str
    kind: str
    label: str
    origin: Origin
    read_in: tuple[str, ...]
    synonyms: tuple[str, ...] = ()
    abbreviations: tuple[Abbreviation, ...] = ()
    xrefs: tuple[str, ...] = ()
    definition: str | None = None
    is_a: tuple[Edge, ...] = ()
    part_of: tuple[Edge, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class Standing:
    """Whether a source still stands, and where that was read."""

    status: str  #: current, retracted, superseded or corrected
    read_in: str
    by: str | None = None  #: the superseding source's key
    date: date | None = None
    note: str | None = None


@dataclass(frozen=True)
class Source:
    key: str
    kind: str
    title: str
    origin: Origin
    authors: tuple[str, ...] = ()
    journal: str | None = None
    year: int | None = None
    date: date | None = None
    pmid: str | None = None
    doi: str | None = None
    pmcid: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    url: str | None = None
    version: str | None = None
    publisher: str | None = None
    note: str | None = None
    cites: tuple[str, ...] = ()
    publication_type: str | None = None
    publication_type_read_in: str | None = None
    standing: Standing | None = None


@dataclass(frozen=True)
class Curator:
    id: str
    name: str
    origin: Origin
    note: str | None = None


@dataclass(frozen=True)
class Support:
    """One source behind a claim: the evidence class and what the source says."""

    source: str
    evidence: str
    text: str
    verbatim: bool
    cited_as: str | None = None
    design: str | None = None
    indirect: str | None = None
    line: int = 0


#: The qualifiers whose value is a term of the graph (the YAML side of
#: ``namespaces.CLAIM_TERM_SLOTS``).
TERM_QUALIFIERS: Final = ("context", "lesion_site", "target", "distinguished_from")


@dataclass(frozen=True)
class Qualifiers:
    context: str | None = None
    lesion_site: str | None = None
    target: str | None = None
    distinguished_from: str | None = None
    lesion_type: str | None = None
    population: str | None = None
    frequency: tuple[int, int] | None = None
    laterality: str | None = None
    outcome: str | None = None
    onset: str | None = None

    def terms(self) -> tuple[str | None, ...]:
        """The values of the term-valued qualifiers (``TERM_QUALIFIERS``), in that order."""
        return tuple(getattr(self, key) for key in TERM_QUALIFIERS)


@dataclass(frozen=True)
class Change:
    """One status change of a claim (an entry of its append-only history)."""

    status: str
    date: date
    why: str
    by: str | None = None
    orcid: str | None = None
    line: int = 0


@dataclass(frozen=True)
class Claim:
    id: str
    subject: str
    predicate: str
    status: str
    polarity: str
    support: tuple[Support, ...]
    curator: str
    date: date
    origin: Origin
    object: str | None = None
    object_text: str | None = None
    qualifiers: Qualifiers = field(default_factory=Qualifiers)
    note: str | None = None
    history: tuple[Change, ...] = ()


@dataclass(frozen=True)
class Curation:
    """Everything a curator edits, loaded and cross-checked."""

    terms: tuple[Term, ...]
    sources: tuple[Source, ...]
    curators: tuple[Curator, ...]
    claims: tuple[Claim, ...]
    obsolete: tuple[Obsolete, ...]
    look_alikes: tuple[LookAlike, ...]
    conventions: tuple[Convention, ...]
    evidence_classes: tuple[EvidenceClass, ...]
    files: tuple[str, ...]

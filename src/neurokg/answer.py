"""What an answer is made of: the sources, claims and the answer itself, as values.

Consumes: nothing (ask.py fills them in). Produces: frozen dataclasses with ``as_dict`` for JSON.
render.py turns them into text; review and curation read them. Decides nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .evidence import Certainty, SupportFacts
from .hierarchy import Chain
from .resolve import TermRef

__all__ = ["DENIES_ASSOCIATION", "Answer", "ClaimView", "Count", "SourceView"]

#: Predicates whose negation answers "is A associated with B?" with no: not correlated, no
#: consistent lesions in (a site), not treated by (a treatment). "Not a kind of"
#: (rdfs:subClassOf), "does not cause" (RO:0003302) and "does not have the feature"
#: (RO:0004029) deny only their own relation: the two may still occur together (as review's
#: verdicts read them: only "not correlated" contradicts an association).
DENIES_ASSOCIATION: frozenset[str] = frozenset(
    {"RO:0002610", "RO:0004026", "RO:0002302", "nkg:treatedByProcedure"}
)


@dataclass(frozen=True)
class SourceView:
    key: str
    kind: str
    title: str
    evidence: str
    excerpt: str
    excerpt_kind: str
    authors: str | None = None
    journal: str | None = None
    year: str | None = None
    pmid: str | None = None
    doi: str | None = None
    url: str | None = None
    cited_as: str | None = None
    design: str | None = None
    indirect: str | None = None
    publication_type: str | None = None
    standing: str | None = None  #: retracted, superseded, corrected, current; None: none recorded

    def facts(self) -> SupportFacts:
        """What grading reads of this support."""
        return SupportFacts(
            self.kind, self.evidence, self.design, self.indirect, self.publication_type
        )

    def citation(self) -> str:
        # a part that ends in its own full stop ("Defazio G, et al.") gets no second one
        parts = [p.rstrip(".") for p in (self.authors, self.title, self.journal, self.year) if p]
        ids = [
            f"PMID:{self.pmid}" if self.pmid else "",
            f"doi:{self.doi}" if self.doi else "",
            self.url or "" if not (self.pmid or self.doi) else "",
        ]
        flag = f" [{self.standing.upper()}]" if self.standing not in (None, "current") else ""
        return ". ".join(parts) + ". " + " ".join(i for i in ids if i) + flag

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.key,
            "kind": self.kind,
            "title": self.title,
            "authors": self.authors,
            "journal": self.journal,
            "year": int(self.year) if self.year else None,
            "pmid": self.pmid,
            "doi": self.doi,
            "url": self.url,
            "evidence": self.evidence,
            "excerpt": self.excerpt,
            "excerpt_kind": self.excerpt_kind,
            "cited_as": self.cited_as,
            "design": self.design,
            "indirect": self.indirect,
            "publication_type": self.publication_type,
            "standing": self.standing,
        }


@dataclass(frozen=True)
class Count:
    """A claim's "N of M", kept with that claim's own population and sources: a count is never
    shown with another claim's population or citation."""

    numerator: int
    denominator: int
    population: str | None
    claim: str
    sources: tuple[SourceView, ...]


@dataclass(frozen=True)
class ClaimView:
    id: str
    subject: TermRef
    predicate: str
    object: TermRef | None
    status: str
    polarity: str
    sources: tuple[SourceView, ...]
    certainty: Certainty
    route: str = "direct"
    qualifiers: dict[str, str] = field(default_factory=dict)
    frequency: tuple[int, int] | None = None
    note: str | None = None
    object_text: str | None = None

    @property
    def ai_only(self) -> bool:
        return all(s.kind == "ai_answer" for s in self.sources)

    @property
    def decides(self) -> bool:
        return self.status == "approved" and not self.ai_only

    @property
    def denies_association(self) -> bool:
        """A negative claim whose predicate is an association (not "not a kind of")."""
        return self.polarity == "negative" and self.predicate in DENIES_ASSOCIATION

    @property
    def count(self) -> Count | None:
        """The claim's frequency with its own population and its sources that are not AI-only."""
        if self.frequency is None:
            return None
        sources = tuple(s for s in self.sources if s.kind != "ai_answer")
        return Count(*self.frequency, self.qualifiers.get("population"), self.id, sources)

    def statement(self) -> str:
        labels = _NEGATED_LABELS if self.polarity == "negative" else _PREDICATE_LABELS
        target = self.object.label if self.object else f'"{self.object_text}"'
        return f"{self.subject.label} {labels.get(self.predicate, self.predicate)} {target}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "statement": self.statement(),
            "subject": self.subject.as_dict(),
            "predicate": self.predicate,
            "predicate_label": _PREDICATE_LABELS.get(self.predicate, self.predicate),
            "object": self.object.as_dict() if self.object else None,
            "object_text": self.object_text,
            "status": self.status,
            "polarity": self.polarity,
            "route": self.route,
            "evidence": sorted({s.evidence for s in self.sources}),
            "certainty": self.certainty.as_dict(),
            "ai_only": self.ai_only,
            "frequency": (
                {"numerator": self.frequency[0], "denominator": self.frequency[1]}
                if self.frequency
                else None
            ),
            "qualifiers": self.qualifiers,
            "note": self.note,
            "sources": [s.as_dict() for s in self.sources],
        }


_PREDICATE_LABELS = {
    "RO:0002610": "is correlated with",
    "RO:0003302": "causes or contributes to",
    "RO:0004029": "has feature",
    "RO:0004026": "has lesions in",
    "RO:0002302": "is treated by",
    "nkg:treatedByProcedure": "is treated by procedure",
    "rdfs:subClassOf": "is a kind of",
    "nkg:hasManagementAdvice": "has management advice",
}
_NEGATED_LABELS = {
    "RO:0002610": "is NOT correlated with",
    "RO:0003302": "does NOT cause or contribute to",
    "RO:0004029": "does NOT have feature",
    "RO:0004026": "has NO consistent lesions in",
    "RO:0002302": "is NOT treated by",
    "nkg:treatedByProcedure": "is NOT treated by procedure",
    "rdfs:subClassOf": "is NOT a kind of",
    "nkg:hasManagementAdvice": "has NO management advice",
}


@dataclass(frozen=True)
class Answer:
    subject: TermRef
    object: TermRef
    answer: str
    summary: str
    routes: tuple[str, ...]
    claims: tuple[ClaimView, ...]
    lesion_sites: tuple[dict[str, Any], ...]
    treatments: tuple[ClaimView, ...]
    shared: tuple[dict[str, Any], ...]
    conflicts: tuple[dict[str, Any], ...]
    receipt: dict[str, Any]
    relation: str = "association"
    certainty: Certainty | None = None
    chain: Chain | None = None
    headline: str = ""
    cautions: tuple[str, ...] = ()
    #: Curated claims naming both terms in another role than subject and object (a treatment's
    #: target, a finding's context, a differential diagnosis): how the two meet, never an
    #: association between them.
    naming_both: tuple[ClaimView, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject.as_dict(),
            "object": self.object.as_dict(),
            "answer": self.answer,
            "relation": self.relation,
            "headline": self.headline,
            "certainty": self.certainty.as_dict() if self.certainty else None,
            "chain": self.chain.as_dict() if self.chain else None,
            "cautions": list(self.cautions),
            "summary": self.summary,
            "routes": list(self.routes),
            "claims": [c.as_dict() for c in self.claims],
            "lesion_sites": list(self.lesion_sites),
            "treatments": [c.as_dict() for c in self.treatments],
            "shared": list(self.shared),
            "conflicts": list(self.conflicts),
            "naming_both": [c.as_dict() for c in self.naming_both],
            "receipt": self.receipt,
        }

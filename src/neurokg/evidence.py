"""Certainty of a claim, in GRADE's spirit, and the ECO evidence codes a support may carry.

Consumes: each support's source kind, ECO class and (optionally) the design of what it reports; the
claim's counts (``2 of 733``); whether approved claims say the opposite; for ``ask``, whether the
claim is about exactly what was asked.
Produces: a ``Certainty``: high / moderate / low / very low, the design it started from, and every
reason it was rated down. README 'Certainty' documents the rules with worked examples.
Policy (one level down per concern, never below very low, never up):
- the start is the design behind the support: a statement the source gives as the condition's
  definition (``design: definition``: Meige syndrome is blepharospasm with oromandibular
  dystonia) starts high, as does a controlled trial; an observational
  (cohort) study low, a case report or case series very low; a review's or guideline's sentence
  counts at most as the design of what it reviewed (``design`` on the support), and very low
  when that was not recorded; expert opinion (narrative review, letter), an author statement
  without traceable support, a curator's inference and an AI-written answer are very low; a
  reference resource's assertion (an ontology, HPO's annotations) starts low;
- imprecision: fewer than ``FEW_EVENTS`` patients with the finding;
- indirectness: the support (``indirect`` on the support) or the answer (a subtype, a broader class,
  a lesion of any cause) is about something other than what was asked;
- inconsistency: approved claims say both yes and no.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:  # records.py (and YAML) only where ECO classes are read: not for an answer
    from .records import Origin

__all__ = [
    "DESIGNS",
    "FEW_EVENTS",
    "LEVELS",
    "Certainty",
    "EvidenceClass",
    "certainty_of_claim",
    "certainty_of_support",
    "evidence_problem",
    "parse_evidence_class",
]

#: The four levels, lowest first (GRADE: very low, low, moderate, high).
LEVELS: Final = ("very low", "low", "moderate", "high")
#: Fewer patients with the finding than this is imprecise (rated down once).
FEW_EVENTS: Final = 10

#: design (a source kind, or what a review reviewed) -> (start level, words)
DESIGNS: Final[dict[str, tuple[int, str]]] = {
    "definition": (3, "the condition's definition (true by definition, not a measured finding)"),
    "controlled_trial": (3, "controlled trial"),
    "cohort_study": (1, "observational (cohort) study"),
    "case_series": (0, "case series"),
    "case_report": (0, "case report"),
    "narrative_review": (0, "expert opinion (narrative review)"),
    "letter": (0, "expert opinion (letter)"),
    "expert_opinion": (0, "expert opinion"),
    "reference": (1, "assertion of a curated reference resource"),
    "ai_answer": (0, "AI-written answer"),
}
_REVIEWS: Final = frozenset({"systematic_review", "guideline"})
_PRIMARY: Final = frozenset({"case_report", "case_series", "cohort_study", "controlled_trial"})
_PUBLICATIONS: Final = _PRIMARY | _REVIEWS | {"narrative_review", "letter"}

EVIDENCE_ROOT: Final = "ECO:0000000"
ASSERTION_METHOD: Final = "ECO:0000217"
UNSUPPORTED: Final = "ECO:0000034"
CLINICAL_STUDY: Final = "ECO:0000180"
TRACEABLE_STATEMENT: Final = "ECO:0000033"
IMPORTED: Final = "ECO:0000311"
CURATOR_INFERENCE: Final = "ECO:0000205"
FROM_DATABASE: Final = "ECO:0007636"
FROM_PUBLICATION: Final = "ECO:0007645"
#: ECO's curator inference (ECO:0000205) and the classes below it in ontology/evidence.yaml: a
#: curator's conclusion, not the source's own statement (load.py refuses any other ECO code).
CURATOR_INFERENCES: Final = frozenset(
    {CURATOR_INFERENCE, "ECO:0007647", FROM_PUBLICATION, FROM_DATABASE}
)
#: ECO branch -> the source kinds whose supports may carry a class of that branch.
_FITS: Final[tuple[tuple[str, frozenset[str]], ...]] = (
    (CLINICAL_STUDY, _PRIMARY),
    (TRACEABLE_STATEMENT, _PUBLICATIONS),
    (UNSUPPORTED, _PUBLICATIONS | {"ai_answer"}),
    (IMPORTED, frozenset({"reference"})),
    (FROM_DATABASE, frozenset({"reference"})),
    (FROM_PUBLICATION, _PUBLICATIONS),
)


@dataclass(frozen=True)
class Certainty:
    """How sure the graph is of a statement: a level, where it started, why it went down."""

    level: int
    start: str
    start_level: int
    reasons: tuple[str, ...] = ()

    @classmethod
    def starting(cls, level: int, start: str) -> Certainty:
        return cls(level, start, level)

    @property
    def word(self) -> str:
        return LEVELS[self.level]

    def down(self, reason: str) -> Certainty:
        """One level lower (not below very low), with ``reason`` recorded either way."""
        level = max(self.level - 1, 0)
        return Certainty(level, self.start, self.start_level, (*self.reasons, reason))

    def explain(self) -> str:
        """``very low: starts very low (case report); rated down for imprecision (...)``."""
        why = "; ".join(self.reasons)
        head = f"{self.word}: starts {LEVELS[self.start_level]} ({self.start})"
        return head + (f"; rated down for {why}" if why else "")

    def as_dict(self) -> dict[str, Any]:
        return {
            "level": self.word,
            "start": self.start,
            "start_level": LEVELS[self.start_level],
            "reasons": list(self.reasons),
        }

    def rank(self) -> tuple[int, int]:
        """Order for choosing the best support: higher level, then fewer concerns."""
        return (self.level, -len(self.reasons))


@dataclass(frozen=True)
class SupportFacts:
    """What grading needs to know about one support."""

    kind: str
    evidence: str
    design: str | None = None
    indirect: str | None = None
    publication_type: str | None = None


def certainty_of_support(support: SupportFacts) -> Certainty:
    """Where one support starts, rated down for indirectness when the curator said so."""
    if support.kind == "ai_answer":
        start = Certainty.starting(0, "AI-written answer")
    elif support.evidence == UNSUPPORTED:
        start = Certainty.starting(0, "author statement without traceable support")
    elif support.evidence in CURATOR_INFERENCES:
        start = Certainty.starting(0, "curator's inference")
    elif support.kind in _REVIEWS:
        name = "systematic review" if support.kind == "systematic_review" else "guideline"
        if support.design in DESIGNS:
            level, words = DESIGNS[support.design]
            start = Certainty.starting(level, f"{name} of {words} evidence")
        else:
            start = Certainty.starting(0, f"{name}; the design of what it reviewed is not recorded")
    else:
        level, words = DESIGNS[support.design or support.kind]
        if support.design not in (None, support.kind, "definition"):
            level = min(level, DESIGNS.get(support.kind, (3, ""))[0])
        if support.publication_type:
            words += f": PubMed publication type '{support.publication_type}'"
        start = Certainty.starting(level, words)
    return start.down(f"indirectness ({support.indirect})") if support.indirect else start


def certainty_of_claim(
    supports: Iterable[SupportFacts],
    *,
    frequency: tuple[int, int] | None = None,
    opposed_by: Iterable[str] = (),
) -> Certainty:
    """The best support's certainty, rated down for imprecision and inconsistency."""
    graded = [certainty_of_support(s) for s in supports]
    best = max(graded, key=Certainty.rank) if graded else Certainty.starting(0, "no support")
    if frequency is not None and frequency[0] < FEW_EVENTS:
        n, d = frequency
        best = best.down(f"imprecision (only {n} of {d} patients)")
    opposed = sorted(set(opposed_by))
    if opposed:
        best = best.down(f"inconsistency (approved claim {', '.join(opposed)} says the opposite)")
    return best


# ------------------------------------------------------------------------------ ECO codes
@dataclass(frozen=True)
class EvidenceClass:
    id: str
    label: str
    origin: Origin
    is_a: tuple[str, ...] = ()
    read_in: tuple[str, ...] = field(default=())


def parse_evidence_class(path: Path, raw: Any, index: int) -> EvidenceClass:
    from .records import Record

    rec = Record(path, raw, "evidence class", index, ("id", "label", "is_a", "read_in"))
    eco = rec.req("id")
    rec.check_curie("id", eco, ("ECO",))
    parents = rec.texts("is_a")
    for parent in parents:
        rec.check_curie("is_a", parent, ("ECO",))
    read_in = rec.texts("read_in")
    if not read_in:
        rec.fail("missing 'read_in': name the ECO release this class was read in")
    return EvidenceClass(eco, rec.req("label"), rec.origin, parents, read_in)


def _ancestors(eco: str, classes: Mapping[str, EvidenceClass]) -> set[str]:
    seen: set[str] = set()
    stack = [eco]
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(classes[node].is_a if node in classes else ())
    return seen


def evidence_problem(eco: str, kind: str, classes: Mapping[str, EvidenceClass]) -> str | None:
    """Why ``eco`` cannot be the evidence of a support from a source of ``kind`` (None: it can)."""
    if eco not in classes:
        return (
            f"{eco} is not an ECO class neurokg knows (ontology/evidence.yaml lists those read in "
            "the ECO release); check the code, or add the class with its parents from the release"
        )
    ancestors = _ancestors(eco, classes)
    label = classes[eco].label
    if ASSERTION_METHOD in ancestors:
        return (
            f"{eco} '{label}' is an assertion method (how a statement is made), not evidence; "
            "use an evidence class, e.g. ECO:0000311 'imported information' for a statement "
            "read in a reference resource"
        )
    if EVIDENCE_ROOT not in ancestors:
        return f"{eco} '{label}' is not below ECO:0000000 'evidence' in ontology/evidence.yaml"
    for branch, kinds in _FITS:
        if branch in ancestors:
            if kind in kinds:
                return None
            if kind == "ai_answer":
                return (
                    f"{eco} '{label}' does not fit an AI-written answer: its supports carry only "
                    f"{UNSUPPORTED} 'author statement without traceable support'"
                )
            return (
                f"{eco} '{label}' does not fit a source of kind {kind!r} "
                f"(it fits: {', '.join(sorted(kinds))})"
            )
    return f"{eco} '{label}' is not one of the evidence branches neurokg grades"

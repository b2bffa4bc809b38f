"""Evidence grades: transparent rules over the kind of study behind each claim.

Consumes: the kinds of a claim's sources and their ECO evidence classes.
Produces: a ``Grade`` (level 0-6 and its name). README 'Evidence grades' documents the rules:
a claim's grade is the best grade among its supports; a support's grade is the level of its
source's kind, except that an author statement without traceable support (ECO:0000034) is 0 and a
curator's inference (ECO:0007645) is at most 1.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

__all__ = ["GRADE_LEVELS", "Grade", "grade_claim", "grade_support", "strength"]

#: level, name, by source kind (the order the issue gives: case report < case series < cohort <
#: controlled trial < systematic review; an AI-written answer or unsupported statement lowest).
GRADE_LEVELS: Final[dict[str, tuple[int, str]]] = {
    "ai_answer": (0, "AI-written answer"),
    "narrative_review": (1, "expert opinion (narrative review)"),
    "letter": (1, "expert opinion (letter)"),
    "reference": (1, "curated reference resource"),
    "case_report": (2, "case report"),
    "case_series": (3, "case series"),
    "cohort_study": (4, "cohort study"),
    "controlled_trial": (5, "controlled trial"),
    "systematic_review": (6, "systematic review or meta-analysis"),
    "guideline": (6, "clinical practice guideline"),
}
UNSUPPORTED: Final = "ECO:0000034"
CURATOR_INFERENCE: Final = "ECO:0007645"


@dataclass(frozen=True, order=True)
class Grade:
    level: int
    name: str

    def as_dict(self) -> dict[str, object]:
        return {"level": self.level, "of": 6, "basis": self.name, "strength": strength(self.level)}


def grade_support(kind: str, evidence: str) -> Grade:
    """Grade one support: its source kind, capped by its evidence class."""
    level, name = GRADE_LEVELS[kind]
    if evidence == UNSUPPORTED:
        return Grade(0, "author statement without traceable support")
    if evidence == CURATOR_INFERENCE:
        return Grade(min(level, 1), f"curator inference from a {name}")
    return Grade(level, name)


def grade_claim(supports: Iterable[tuple[str, str]]) -> Grade:
    """Grade a claim from its (source kind, evidence CURIE) pairs: the best support wins."""
    grades = [grade_support(kind, evidence) for kind, evidence in supports]
    return max(grades) if grades else Grade(0, "no support")


def strength(level: int) -> str:
    """Words for a grade level: very low (0-1), low (2-3), moderate (4), high (5-6)."""
    if level <= 1:
        return "very low"
    if level <= 3:
        return "low"
    if level == 4:
        return "moderate"
    return "high"

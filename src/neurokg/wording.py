"""The words of an answer follow its certainty (README 'Certainty'): never stronger than the grade.

Consumes: the direction of an answer (yes / no / unknown), its relation, its certainty and the
claims that decide it. Produces: the headline word(s) and a one-paragraph summary. Decides nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from .evidence import Certainty

if TYPE_CHECKING:
    from .ask import ClaimView
    from .resolve import TermRef

__all__ = ["headline", "summary"]

_YES: Final = ("REPORTED, VERY UNCERTAIN", "POSSIBLY", "PROBABLY", "YES")
_NO: Final = ("NOT FOUND, VERY UNCERTAIN", "POSSIBLY NOT", "PROBABLY NOT", "NO")
_LINKED: Final = (
    "A link between {a} and {b} has been reported, but the evidence is very uncertain",
    "{a} and {b} may be associated",
    "{a} and {b} are probably associated",
    "{a} and {b} are associated",
)
_UNLINKED: Final = (
    "A report found no link between {a} and {b}, but the evidence is very uncertain",
    "{a} and {b} may not be associated",
    "{a} and {b} are probably not associated",
    "{a} and {b} are not associated",
)
_TREATS: Final = (
    "{treatment} has been reported to treat {condition}, but the evidence is very uncertain",
    "{treatment} may treat {condition}",
    "{treatment} probably treats {condition}",
    "{treatment} treats {condition}",
)
_DOES_NOT_TREAT: Final = (
    "A report found that {treatment} does not treat {condition}, but the evidence is very "
    "uncertain",
    "{treatment} may not treat {condition}",
    "{treatment} probably does not treat {condition}",
    "{treatment} does not treat {condition}",
)
_TREATMENT_PREDICATES: Final = frozenset({"RO:0002302", "nkg:treatedByProcedure"})
_RELATIONS: Final = {"kind_of": "A KIND OF", "part_of": "PART OF"}


def headline(answer: str, relation: str, certainty: Certainty | None) -> str:
    """``YES: PART OF``, ``PROBABLY``, ``REPORTED, VERY UNCERTAIN``, ``NOT KNOWN`` ..."""
    if relation in _RELATIONS and answer == "yes":
        return f"YES: {_RELATIONS[relation]}"
    if answer == "unknown" or certainty is None:
        return "NOT KNOWN"
    words = _YES if answer == "yes" else _NO
    return words[certainty.level]


def summary(
    answer: str,
    deciding: Sequence[ClaimView],
    certainty: Certainty | None,
    a: TermRef,
    b: TermRef,
) -> str:
    """One paragraph: what was found, in words no stronger than ``certainty``."""
    if answer == "unknown" or certainty is None or not deciding:
        return f"Not known: no approved claim from the literature links {a.label} and {b.label}."
    n_sources = len({s.key for c in deciding for s in c.sources if s.kind != "ai_answer"})
    treatments = [c for c in deciding if c.predicate in _TREATMENT_PREDICATES and c.object]
    counted = [
        c
        for c in deciding
        if c.frequency and c.polarity == "positive" and c.predicate not in _TREATMENT_PREDICATES
    ]
    defined = [
        c
        for c in deciding
        if c.object
        and c.polarity == "positive"
        and any(s.design == "definition" for s in c.sources)
    ]
    if answer == "yes" and defined and certainty.level == 3:
        claim = defined[0]
        assert claim.object is not None
        text = f"By definition, {claim.subject.label} includes {claim.object.label}"
    elif treatments and len(treatments) == len(deciding):
        claim, phrases = treatments[0], _TREATS if answer == "yes" else _DOES_NOT_TREAT
        assert claim.object is not None
        text = phrases[certainty.level].format(
            treatment=claim.object.label, condition=claim.subject.label
        )
    elif answer == "yes" and counted and certainty.level <= 1:
        n, d = min((c.frequency for c in counted if c.frequency), key=lambda f: f[0] / f[1])
        population = next(
            (c.qualifiers["population"] for c in counted if "population" in c.qualifiers),
            "patients",
        )
        text = (
            f"Co-occurrence reported in {n} of {d} {population}; whether the association is "
            "causal is not established"
        )
    else:
        phrases = _LINKED if answer == "yes" else _UNLINKED
        text = phrases[certainty.level].format(a=a.label, b=b.label)
    return (
        f"{text} ({len(deciding)} approved claim(s) from {n_sources} source(s)). "
        f"Certainty {certainty.explain()}."
    )

"""Read what a statement says about its terms: relations from cue words, context, negation, numbers.

Consumes: a statement's words and the usable hits grounding.py found in it (and, for a bullet or
a sentence that starts with a pronoun, the terms of its lead-in or of the sentence before it).
Produces: a ``Reading``: the ``Proposition``s (relation, subject, object, negation, the condition
they are said of, the numbers given with them) and the cue words that formed none.
Policy (the cue words themselves are listed by relation in cuewords.py): a treatment and a
condition in one statement with a treatment cue are "treats"; a condition and an anatomical site
with a lesion cue are "lesion in". Two conditions are related by the cues between them (nearest
groups of terms on either side): "is a" / "a kind of" (only right next to both terms),
"including" / "such as" (the narrower term after), causes (or "caused by", "due to": the cause
after), "presenting symptom", and association words. "In patients with MS" makes MS the context
of the others when at least two other terms remain. A negation ("not", "no", "does not") between
the two terms (or between them and a cue after them), or just before the first, makes a
proposition negative; an imperative "Don't ..." opening the sentence does not. A checkable cue
(treats, lesion, causes, presenting) that forms no proposition is kept as
"unchecked", so the statement cannot be fully supported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from .cuewords import (
    CHECKABLE,
    IMPERATIVE_RE,
    NEGATION_RE,
    NOT_A_KIND_OF,
    Cue,
    Number,
    find_cues,
    frequency_words,
    is_context,
    numbers_in,
)
from .grounding import Hit

__all__ = ["Number", "Participant", "Proposition", "Reading", "is_context", "read_statement"]


@dataclass(frozen=True)
class Participant:
    hit: Hit
    from_context: bool = False
    at: int = -1  # where a term taken from the context stands in for the missing one

    @property
    def kind(self) -> str:
        return _KINDS.get(self.hit.terms[0].kind, "other")

    @property
    def iris(self) -> frozenset[str]:
        return self.hit.iris()

    @property
    def label(self) -> str:
        return " or ".join(dict.fromkeys(t.label for t in self.hit.terms))

    @property
    def start(self) -> int:
        return self.at if self.from_context else self.hit.start

    @property
    def end(self) -> int:
        return self.at if self.from_context else self.hit.end

    def as_dict(self) -> dict[str, Any]:
        first = self.hit.terms[0]
        found: dict[str, Any] = {"id": first.id, "label": first.label, "text": self.hit.text}
        if len(self.hit.terms) > 1:
            found["candidates"] = [t.id for t in self.hit.terms]
        if self.from_context:
            found["from_context"] = True
        return found


@dataclass(frozen=True)
class Proposition:
    relation: str  # association | causes | treats | is_a | part_of | lesion_in | presenting
    subject: Participant
    object: Participant
    negated: bool
    context: tuple[Participant, ...]
    numbers: tuple[Number, ...]
    cue: str

    def describe(self) -> str:
        words = (_NEGATED if self.negated else _WORDS)[self.relation]
        text = f"{self.subject.label} {words} {self.object.label}"
        if self.context:
            text += " in " + " and ".join(c.label for c in self.context)
        if self.numbers:
            text += f" ({', '.join(n.text for n in self.numbers)})"
        return text


@dataclass(frozen=True)
class Reading:
    propositions: tuple[Proposition, ...]
    unchecked: tuple[str, ...]
    context: tuple[Participant, ...]
    numbers: tuple[Number, ...]
    frequency_words: tuple[str, ...]


_KINDS: Final = {
    "Disease": "condition",
    "ClinicalFeature": "condition",
    "Condition": "condition",
    "AnatomicalSite": "site",
    "Drug": "treatment",
    "Procedure": "treatment",
    "Treatment": "treatment",
}
_WORDS: Final = {
    "association": "is associated with",
    "causes": "causes",
    "treats": "is treated by",
    "is_a": "is a kind of",
    "part_of": "is part of",
    "lesion_in": "has lesions in",
    "presenting": "can present with",
}
_NEGATED: Final = {
    "association": "is NOT associated with",
    "causes": "does NOT cause",
    "treats": "is NOT treated by",
    "is_a": "is NOT a kind of",
    "part_of": "is NOT part of",
    "lesion_in": "has NO lesions in",
    "presenting": "does NOT present with",
}


def _distinct(participants: Iterable[Participant]) -> list[Participant]:
    seen: dict[frozenset[str], Participant] = {}
    for p in participants:
        seen.setdefault(p.iris, p)
    return list(seen.values())


def read_statement(
    text: str, hits: Sequence[Hit], fill: Sequence[Hit] = (), inherited: Sequence[Hit] = ()
) -> Reading:
    """The propositions of the statement ``text`` whose usable hits are ``hits``.

    ``fill``: terms of its lead-in (or the sentence before it), used when the statement names only
    one term ("It can be the presenting symptom of MS"). ``inherited``: the lead-in's context
    ("Blepharospasm in MS patients ...:" makes MS the context of its bullets).
    """
    people = [Participant(h) for h in hits if h.usable]
    context = [p for p in people if p.kind == "condition" and is_context(text, p.hit)]
    others = [p for p in people if p.iris not in {c.iris for c in context}]
    if len(_distinct(others)) >= 2:
        people = others
    else:
        context = []
    known = {p.iris for p in [*people, *context]}
    inherited_context = [Participant(h, True) for h in inherited if h.iris() not in known]
    cues = find_cues(text, hits)
    if len(_distinct(people)) == 1 and cues:
        own = people[0]
        at = len(text) + 1 if all(c.start > own.start for c in cues) else -1
        stand_ins = [
            Participant(h, True, at)
            for h in [*fill, *inherited]
            if h.usable and _KINDS.get(h.terms[0].kind) == "condition" and h.iris() not in known
        ]
        people = _distinct(stand_ins) + people
        inherited_context = [
            c for c in inherited_context if c.iris not in {s.iris for s in stand_ins}
        ]
    context += inherited_context
    propositions, used = _typed(text, people, cues, context)
    clustered, used_clusters = _clustered(text, people, cues, context)
    propositions += clustered
    used |= used_clusters
    unchecked = tuple(c.text for c in cues if c.relation in CHECKABLE and c.relation not in used)
    numbers = numbers_in(text)
    propositions = _with_numbers(_unique(propositions), numbers)
    return Reading(
        tuple(propositions),
        tuple(dict.fromkeys(unchecked)),
        tuple(_distinct(context)),
        tuple(numbers),
        frequency_words(text),
    )


def _typed(
    text: str, people: list[Participant], cues: list[Cue], context: list[Participant]
) -> tuple[list[Proposition], set[str]]:
    """Treatment-condition pairs with a treatment cue; condition-site pairs with a lesion cue."""
    found: list[Proposition] = []
    used: set[str] = set()
    for relation, kind in (("treats", "treatment"), ("lesion_in", "site")):
        cue = next((c for c in cues if c.relation == relation), None)
        if cue is None:
            continue
        conditions = _distinct(p for p in people if p.kind == "condition")
        targets = _distinct(p for p in people if p.kind == kind)
        for condition in conditions:
            for target in targets:
                cue = _nearest_cue(cues, relation, condition, target)
                negated = _negated(text, condition, target, cue)
                found.append(
                    Proposition(relation, condition, target, negated, tuple(context), (), cue.text)
                )
                used.add(relation)
    return found, used


def _clustered(
    text: str, people: list[Participant], cues: list[Cue], context: list[Participant]
) -> tuple[list[Proposition], set[str]]:
    """Condition-condition and site-site propositions, across each cluster of cue words."""
    items = sorted(
        [(p.start, 1, p) for p in people] + [(c.start, 0, c) for c in cues],
        key=lambda item: (item[0], item[1]),
    )
    sequence: list[list[Any]] = []
    for _, is_term, item in items:
        if sequence and bool(sequence[-1][0]) == bool(is_term):
            sequence[-1][1].append(item)
        else:
            sequence.append([is_term, [item]])
    found: list[Proposition] = []
    used: set[str] = set()
    for position, (is_term, members) in enumerate(sequence):
        if is_term:
            continue
        left = sequence[position - 1][1] if position > 0 else []
        right = sequence[position + 1][1] if position + 1 < len(sequence) else []
        pairs = [(a, b) for a in left for b in right]
        if not left and any("between" in text[c.end : c.end + 9] for c in members):
            pairs = [(a, b) for i, a in enumerate(right) for b in right[i + 1 :]]
        for a, b in pairs:
            proposition = _relate(text, a, b, members, context)
            if proposition is not None:
                found.append(proposition)
                used.add(proposition.relation)
    return found, used


def _relate(
    text: str, a: Participant, b: Participant, cues: list[Cue], context: list[Participant]
) -> Proposition | None:
    if a.iris == b.iris:
        return None
    kinds = (a.kind, b.kind)
    relations = {c.relation for c in cues}
    if kinds == ("site", "site") and "part_of" in relations:
        cue = next(c for c in cues if c.relation == "part_of")
        return Proposition("part_of", a, b, _negated(text, a, b), tuple(context), (), cue.text)
    if kinds != ("condition", "condition"):
        return None
    for cue in cues:
        if cue.relation == "is_a" and _adjacent(text, a, b, cue):
            narrow, broad = (a, b) if cue.direction == "forward" else (b, a)
            return Proposition(
                "is_a", narrow, broad, _negated(text, a, b), tuple(context), (), cue.text
            )
    for relation in ("causes", "presenting", "association"):
        found = next((c for c in cues if c.relation == relation), None)
        if found is None:
            continue
        subject, obj = (b, a) if found.direction == "reverse" else (a, b)
        if relation == "presenting" and subject.hit.terms[0].kind != "Disease":
            subject, obj = obj, subject
        return Proposition(
            relation, subject, obj, _negated(text, a, b), tuple(context), (), found.text
        )
    return None


def _adjacent(text: str, a: Participant, b: Participant, cue: Cue) -> bool:
    """An "is a" cue counts only right after the first term and right before the second."""
    if a.from_context or b.from_context:
        return False
    before = re.findall(r"[\w']+", text[a.end : cue.start])
    after = re.findall(r"[\w']+", text[cue.end : b.start])
    return (
        len(before) <= 2
        and len(after) <= 2
        and not any(w.casefold() in NOT_A_KIND_OF for w in [*before, *after])
    )


def _nearest_cue(cues: list[Cue], relation: str, a: Participant, b: Participant) -> Cue:
    """The cue of ``relation`` closest to the two terms (between them if one is)."""
    low, high = sorted([max(a.start, 0), max(b.start, 0)])
    return min(
        (c for c in cues if c.relation == relation),
        key=lambda c: (
            0 if low <= c.start <= high else min(abs(c.start - low), abs(c.start - high)),
            c.start,
        ),
    )


def _negated(text: str, a: Participant, b: Participant, cue: Cue | None = None) -> bool:
    """A negation between the two terms (and the cue, when the cue is outside them), or just
    before the first; an imperative "Don't ..." opening the sentence is not one."""
    first, last = sorted([a, b], key=lambda p: p.start)
    start = max(first.end, 0)
    stop = max(last.start, start)
    if cue is not None and cue.end > stop and last.start >= 0:
        window = text[start : last.start] + " " + text[last.end : cue.end]
    else:
        window = text[start:stop]
    lead = text[: max(first.start, 0)]
    lead_words = re.findall(r"[\w']+", lead)[-3:]
    lead_text = " ".join(lead_words)
    if IMPERATIVE_RE.match(text) and len(re.findall(r"[\w']+", lead)) <= 3:
        lead_text = ""
    return bool(NEGATION_RE.search(window) or NEGATION_RE.search(lead_text))


def _unique(propositions: list[Proposition]) -> list[Proposition]:
    seen: dict[tuple[Any, ...], Proposition] = {}
    for p in propositions:
        key: tuple[Any, ...] = (p.relation, p.subject.iris, p.object.iris, p.negated)
        if p.relation == "association":
            key = (p.relation, frozenset({p.subject.iris, p.object.iris}), p.negated)
        seen.setdefault(key, p)
    return list(seen.values())


def _with_numbers(propositions: list[Proposition], numbers: list[Number]) -> list[Proposition]:
    """Each number goes to the proposition whose terms end nearest before it (else the first)."""
    if not propositions or not numbers:
        return propositions
    given: dict[int, list[Number]] = {i: [] for i in range(len(propositions))}
    for number in numbers:
        ends = [
            (max(p.subject.end, p.object.end), i)
            for i, p in enumerate(propositions)
            if max(p.subject.end, p.object.end) <= number.start
        ]
        given[max(ends)[1] if ends else 0].append(number)
    return [
        Proposition(p.relation, p.subject, p.object, p.negated, p.context, tuple(given[i]), p.cue)
        for i, p in enumerate(propositions)
    ]

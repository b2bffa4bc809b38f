"""The words a statement's relations are read from: cue words by relation, negation, the
phrases that make a condition the context ("in patients with MS"), and numbers.

Consumes: a statement's words (and the hits grounding.py found in them). Produces: its ``Cue``s,
``Number``s and frequency words, and whether a hit stands in a context phrase. Decides nothing:
cues.py turns them into propositions. The lists below are the documentation of what is read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from .grounding import Hit

__all__ = [
    "CHECKABLE",
    "FREQUENCY_WORDS",
    "IMPERATIVE_RE",
    "NEGATION_RE",
    "NOT_A_KIND_OF",
    "Cue",
    "Number",
    "find_cues",
    "frequency_words",
    "is_context",
    "numbers_in",
]


@dataclass(frozen=True)
class Number:
    text: str
    start: int
    numerator: int | None
    denominator: int | None
    percent: float | None

    @property
    def proportion(self) -> float:
        if self.percent is not None:
            return self.percent / 100
        assert self.numerator is not None and self.denominator
        return self.numerator / self.denominator


#: (relation, direction, pattern): "reverse" puts the first term after the cue ("caused by").
_CUES: Final[tuple[tuple[str, str, str], ...]] = (
    (
        "is_a",
        "forward",
        r"\b(?:is|are|was|were)(?:\s+(?:not|also|itself))?\s+(?:an?|one)\s+"
        r"(?:(?:kind|type|form|subtype|variant|variety)\s+of\s+)?",
    ),
    ("is_a", "forward", r"\b(?:an?\s+)?(?:kind|type|form|subtype|variant|variety)s?\s+of\b"),
    ("is_a", "forward", r"\bclassified\s+as\b"),
    ("is_a", "reverse", r"\b(?:including|such\s+as|like)\b"),
    (
        "causes",
        "reverse",
        r"\bcaused\s+by\b|\bdue\s+to\b|\bsecondary\s+to\b|"
        r"\bresult(?:s|ed|ing)?\s+from\b|\battributable\s+to\b|\bbecause\s+of\b",
    ),
    (
        "causes",
        "forward",
        r"\bcaus(?:e|es|ing|ative)\b|\bresult(?:s|ed|ing)?\s+in\b|"
        r"\blead(?:s|ing)?\s+to\b|\bled\s+to\b|\bresponsible\s+for\b|\bcontribut\w*\s+to\b|"
        r"\btrigger(?:s|ed|ing)?\b|\binduc(?:e|es|ed|ing)\b|\bgives?\s+rise\s+to\b",
    ),
    (
        "presenting",
        "forward",
        r"\bpresenting\s+(?:symptom|sign|feature|manifestation|complaint)s?\b"
        r"|\b(?:first|initial|earliest)\s+(?:symptom|sign|manifestation)s?\b",
    ),
    (
        "treats",
        "forward",
        r"\btreat(?:s|ed|ing|ment|ments|able)?\b|\btherap(?:y|ies|eutic)\b|"
        r"\brespon(?:d|ds|ded|se|ses|sive)\b|\bhelpful\b|\bbenefi(?:t|ts|cial|ted)\b|"
        r"\bimprov(?:e|es|ed|ement|ing)\b|\beffective\b|\befficac(?:y|ious)\b|\bmainstay\b|"
        r"\bfirst[- ]line\b|\boptions?\b|\binjections?\b|\bsurg(?:ery|ical)\b|"
        r"\brelie(?:f|ve|ves|ved)\b|\bmanag(?:e|ed|es|ement|ing)\b",
    ),
    (
        "lesion_in",
        "forward",
        r"\blesion(?:s|al)?\b|\binvolv(?:e|es|ed|ing|ement)\b|"
        r"\baffect(?:s|ed|ing)?\b|\bdamage[ds]?\b|\bplaques?\b|\blocated\s+in\b|\binfarcts?\b",
    ),
    ("part_of", "forward", r"\bpart\s+of\b|\bportion\s+of\b|\bcomponent\s+of\b|\bbelongs?\s+to\b"),
    (
        "association",
        "forward",
        r"\bassociat\w*\b|\blink(?:s|ed|age)?\b|\brelated\b|"
        r"\brelationship\b|\bcorrelat\w*\b|\bco-?occur\w*\b|\boccur(?:s|red|ring|rence)?\b|"
        r"\bcomorbid\w*\b|\bconnect(?:ed|ion)\b|\b(?:seen|reported|found|observed|described)\s+in\b|"
        r"\bpatients\s+with\b|\bcombin(?:es|ed|ing|ation)\b|\bcharacteri[sz]ed\s+by\b|\baccompan\w*\b|\bmanifest\w*\b|"
        r"\bfeatures?\b|\bspectrum\b|\b(?:common|rare|frequent|prevalent)\s+in\b|"
        r"\bdevelop(?:s|ed|ing)?\b|\bpresents?\s+(?:as|with|in)\b",
    ),
)
_CUE_RES: Final = tuple((r, d, re.compile(p, re.IGNORECASE)) for r, d, p in _CUES)
CHECKABLE: Final = frozenset({"treats", "lesion_in", "causes", "presenting"})
NOT_A_KIND_OF: Final = frozenset(
    """feature features symptom symptoms sign signs cause causes finding findings manifestation
    manifestations complication complications treatment treatments therapy option part risk factor
    marker site sites lesion lesions consequence result association spectrum""".split()
)
NEGATION_RE: Final = re.compile(
    r"\b(?:not|no|never|neither|nor|without|cannot|can't|isn't|aren't|doesn't|don't|didn't|"
    r"wasn't|weren't|won't|none|absence\s+of|lack\s+of|fail(?:s|ed)?\s+to|unrelated|"
    r"unassociated)\b(?!\s+only\b)",
    re.IGNORECASE,
)
IMPERATIVE_RE: Final = re.compile(r"^\s*(?:don't|do\s+not|never)\b", re.IGNORECASE)
_CONTEXT_BEFORE_RE: Final = re.compile(
    r"\b(?:in|among|for|evaluating|examining)\s+(?:(?:a|an|the|some|many|most|all|these|those)\s+)?"
    r"(?:patients?|people|persons?|individuals?|subjects?|adults?|children|those)\s+"
    r"(?:with|who\s+have)\s+"
    r"(?:(?:known|established|definite|confirmed)\s+)?$",
    re.IGNORECASE,
)
_CONTEXT_AFTER_RE: Final = re.compile(r"^\s+(?:patients|cases|populations?|cohorts?)\b", re.I)
_RATIO_RE: Final = re.compile(r"\b(\d{1,6})\s*(?:of|out\s+of|/)\s*(\d{1,7})\b", re.IGNORECASE)
_PERCENT_RE: Final = re.compile(r"\b(\d{1,3}(?:\.\d+)?)\s*(?:%|per\s*cent\b)", re.IGNORECASE)
_FREQUENCY_RE: Final = re.compile(
    r"\b(?:rare|rarely|uncommon|common|commonly|frequent|frequently|often|usually|typically|"
    r"majority|occasionally|sometimes|always|most\s+common)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Cue:
    relation: str
    direction: str
    start: int
    end: int
    text: str


def find_cues(text: str, hits: Sequence[Hit]) -> list[Cue]:
    found = [
        Cue(relation, direction, m.start(), m.end(), m[0].strip())
        for relation, direction, regex in _CUE_RES
        for m in regex.finditer(text)
    ]
    kept: list[Cue] = []
    for cue in sorted(found, key=lambda c: (c.start, -(c.end - c.start))):
        inside_term = any(h.start < cue.end and cue.start < h.end for h in hits)
        if not inside_term and all(cue.start >= k.end or cue.end <= k.start for k in kept):
            kept.append(cue)
    return kept


def numbers_in(text: str) -> list[Number]:
    """Counts ("2 of 733", "2/733") and percentages ("1.6%") the statement gives."""
    found = [
        Number(m[0], m.start(), int(m[1]), int(m[2]), None)
        for m in _RATIO_RE.finditer(text)
        if 0 < int(m[2]) and int(m[1]) <= int(m[2]) and not re.fullmatch(r"(19|20)\d\d", m[2])
    ]
    found += [
        Number(m[0], m.start(), None, None, float(m[1]))
        for m in _PERCENT_RE.finditer(text)
        if float(m[1]) <= 100
    ]
    return sorted(found, key=lambda n: n.start)


def is_context(text: str, hit: Hit) -> bool:
    """ "MS patients", "in patients with known MS": the condition the statement is said of."""
    before, after = text[max(0, hit.start - 60) : hit.start], text[hit.end :]
    return bool(_CONTEXT_AFTER_RE.match(after) or _CONTEXT_BEFORE_RE.search(before))


#: What a frequency word claims, as a share of patients: (at least, at most).
FREQUENCY_WORDS: Final[dict[str, tuple[float, float]]] = {
    "rare": (0.0, 0.10),
    "rarely": (0.0, 0.10),
    "uncommon": (0.0, 0.10),
    "occasionally": (0.0, 0.10),
    "common": (0.10, 1.0),
    "commonly": (0.10, 1.0),
    "frequent": (0.10, 1.0),
    "frequently": (0.10, 1.0),
    "often": (0.10, 1.0),
    "usually": (0.50, 1.0),
    "typically": (0.50, 1.0),
    "majority": (0.50, 1.0),
}


def frequency_words(text: str) -> tuple[str, ...]:
    """Frequency words ("rare", "typically"); FREQUENCY_WORDS says what share each claims."""
    return tuple(dict.fromkeys(m[0].lower() for m in _FREQUENCY_RE.finditer(text)))

"""Decide what the graph says about each proposition of a statement, from approved claims only.

Consumes: a ``Proposition`` (cues.py) and the claims and hierarchy a ``GraphReader`` has read.
Produces: a ``Check``: supported / contradicted / conflicting / unsupported, with the claims behind
it (each with its certainty, rated down as ``ask`` does for an indirect route and for approved
claims saying the opposite) and, for an unsupported one, the nearest claims.
Policy: only a claim that ``decides`` (approved, with a source that is not an AI-written answer)
supports or contradicts; others that fit are listed as not counted. A positive claim supports a
statement when its subject and object are the statement's terms or kinds of them (a claim about
relapsing-remitting MS supports one about MS; a lesion site that is part of the named site counts;
a lesion claim said of a condition counts for that condition), and it is said of the statement's
context ("in MS patients") when the statement has one. A negative claim contradicts when it is
about the statement's terms or broader ones ("blepharospasm is not treated by the canalith
repositioning procedure" contradicts it for MS patients too). For "is a kind of", subjects go the
other way (a claim that A is a kind of B supports "A is a kind of B's parent"). A negated
statement swaps the two. A number contradicts when it disagrees with every approved claim's
frequency beyond ``FREQUENCY_MARGIN``; a number no approved claim gives cannot be supported; a
frequency word ("common", "rare": cuewords.FREQUENCY_WORDS) that no supporting claim's count fits
leaves it unsupported (words are too vague to contradict).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from ..evidence import Certainty
from .cues import Number, Participant, Proposition
from .cuewords import FREQUENCY_WORDS
from .graph import GraphClaim, GraphReader

__all__ = ["FREQUENCY_MARGIN", "Check", "ClaimUse", "judge"]

#: A number agrees with a claim's frequency when the two proportions differ by at most this many
#: percentage points, or by this share of the claim's proportion, whichever is larger.
FREQUENCY_MARGIN: Final = (0.5, 0.10)
_PREDICATES: Final = {
    "association": frozenset({"RO:0002610", "RO:0004029", "RO:0003302"}),
    "causes": frozenset({"RO:0003302"}),
    "treats": frozenset({"RO:0002302", "nkg:treatedByProcedure"}),
    "is_a": frozenset({"rdfs:subClassOf"}),
    "lesion_in": frozenset({"RO:0004026"}),
    "presenting": frozenset({"RO:0004029"}),
    "part_of": frozenset(),
}
#: a negative claim contradicts an association only if it denies the association itself
_NEGATIVE_PREDICATES: Final = {**_PREDICATES, "association": frozenset({"RO:0002610"})}
_NEAREST: Final = 3


@dataclass(frozen=True)
class ClaimUse:
    claim: GraphClaim
    role: str  # supports | contradicts | nearest | not_counted
    route: str
    certainty: Certainty
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        view = self.claim.view
        return {
            "id": view.id,
            "role": self.role,
            "statement": view.statement(),
            "status": view.status,
            "polarity": view.polarity,
            "route": self.route,
            "certainty": self.certainty.as_dict(),
            "frequency": list(view.frequency) if view.frequency else None,
            "note": self.note,
            "sources": [
                {
                    "key": s.key,
                    "kind": s.kind,
                    "title": s.title,
                    "pmid": s.pmid,
                    "doi": s.doi,
                    "evidence": s.evidence,
                    "excerpt": s.excerpt,
                    "excerpt_kind": s.excerpt_kind,
                }
                for s in view.sources
            ],
        }


@dataclass(frozen=True)
class Check:
    proposition: Proposition
    verdict: str  # supported | contradicted | conflicting | unsupported
    why: str
    claims: tuple[ClaimUse, ...]

    def certainty(self) -> Certainty | None:
        role = {"supported": "supports", "contradicted": "contradicts"}.get(self.verdict)
        graded = [u.certainty for u in self.claims if u.role == role]
        return max(graded, key=Certainty.rank) if graded else None


@dataclass(frozen=True)
class _Fit:
    role: str  # supports | contradicts
    route: str
    general: str | None = None  # the claim fits but is not said of the statement's context


class _Matcher:
    def __init__(self, reader: GraphReader, proposition: Proposition):
        self.reader = reader
        self.p = proposition
        self.parts = proposition.relation in ("lesion_in", "part_of")

    def within(self, term: str | None, ends: frozenset[str], *, parts: bool = False) -> bool:
        """``term`` is one of ``ends`` or a kind (or, with ``parts``, a part) of one."""
        return term is not None and (
            term in ends or bool(ends & self.reader.ancestors(term, parts=parts))
        )

    def covers(self, broad: str | None, ends: frozenset[str], *, parts: bool = False) -> bool:
        """One of ``ends`` (the readings of one name) is ``broad`` or a kind (part) of it."""
        return broad is not None and any(
            e == broad or broad in self.reader.ancestors(e, parts=parts) for e in ends
        )

    def fit(self, claim: GraphClaim) -> _Fit | None:
        p, view = self.p, claim.view
        positive = view.polarity == "positive"
        allowed = (_PREDICATES if positive else _NEGATIVE_PREDICATES)[p.relation]
        if view.predicate not in allowed or claim.object is None:
            return None
        if p.relation == "presenting" and "present" not in view.qualifiers.get("onset", ""):
            return None
        orientations = [(claim.subject, claim.object)]
        if p.relation == "association":
            orientations.append((claim.object, claim.subject))
        for subject, obj in orientations:
            fit = self._oriented(claim, subject, obj, positive)
            if fit is not None:
                return fit
        return None

    def _oriented(self, claim: GraphClaim, subject: str, obj: str, positive: bool) -> _Fit | None:
        p = self.p
        s_ends, o_ends = p.subject.iris, p.object.iris
        via_context = False
        if positive and p.relation != "is_a":
            fits_s = self.within(subject, s_ends)
            if not fits_s and p.relation == "lesion_in" and self.within(claim.context, s_ends):
                fits_s = via_context = True
            fits = fits_s and self.within(obj, o_ends, parts=self.parts)
        elif positive:  # A is a kind of B: the claim's subject may be broader than A
            fits = self.covers(subject, s_ends) and self.within(obj, o_ends)
        elif p.relation == "is_a":
            fits = self.within(subject, s_ends) and self.covers(obj, o_ends)
        else:
            fits = self.covers(subject, s_ends) and self.covers(obj, o_ends, parts=self.parts)
            fits = fits and (claim.context is None or self._context_within(claim.context))
        if not fits:
            return None
        role = "supports" if positive != p.negated else "contradicts"
        route = self._route(claim, subject, obj, via_context)
        general = None
        if positive and not p.negated:
            missing = [c for c in p.context if not self._said_of(claim, c)]
            general = ", ".join(c.label for c in missing) or None
        return _Fit(role, route, general)

    def _context_within(self, context: str) -> bool:
        return not self.p.context or all(self.covers(context, c.iris) for c in self.p.context)

    def _said_of(self, claim: GraphClaim, context: Participant) -> bool:
        return any(self.within(t, context.iris) for t in claim.terms())

    def _route(self, claim: GraphClaim, subject: str, obj: str, via_context: bool) -> str:
        p, label = self.p, self.reader.lexicon.label
        steps = []
        if via_context:
            steps.append(f"said of {label(claim.subject)} in {label(claim.context or '')}")
        elif subject not in p.subject.iris:
            steps.append(f"through {label(subject)}")
        if obj not in p.object.iris:
            steps.append(f"through {label(obj)}")
        return "; ".join(steps) or "direct"


def judge(reader: GraphReader, proposition: Proposition, words: Sequence[str] = ()) -> Check:
    """The verdict on one proposition, with the claims behind it; ``words`` are the statement's
    frequency words ("rare", "common")."""
    matcher = _Matcher(reader, proposition)
    uses: list[ClaimUse] = []
    general: list[ClaimUse] = []
    for claim in sorted(reader.claims.values(), key=lambda c: c.id):
        fit = matcher.fit(claim)
        if fit is None:
            continue
        certainty = _certainty(reader, claim, fit.route)
        if not claim.view.decides:
            note = "rests only on an AI-written answer" if claim.view.ai_only else claim.view.status
            uses.append(ClaimUse(claim, "not_counted", fit.route, certainty, note))
        elif fit.general:
            note = f"said in general, not of {fit.general}"
            general.append(ClaimUse(claim, "nearest", fit.route, certainty, note))
        else:
            uses.append(ClaimUse(claim, fit.role, fit.route, certainty))
    if proposition.relation == "part_of":
        why = "part of is read from the terms' hierarchy, not from claims; no claim states it"
        return Check(proposition, "unsupported", why, tuple(uses))
    return _decide(reader, proposition, uses, general, words)


def _decide(
    reader: GraphReader,
    p: Proposition,
    uses: list[ClaimUse],
    general: list[ClaimUse],
    words: Sequence[str],
) -> Check:
    supports = [u for u in uses if u.role == "supports"]
    contradicts = [u for u in uses if u.role == "contradicts"]
    numbers_note = ""
    if p.numbers and supports and not p.negated:
        counted = [u for u in supports if u.claim.view.frequency]
        agreeing = [
            u for u in counted if any(_agrees(n, u.claim.view.frequency) for n in p.numbers)
        ]
        if counted and not agreeing:
            given = ", ".join(n.text for n in p.numbers)
            wrong = [
                ClaimUse(u.claim, "contradicts", u.route, u.certainty, _disagreement(given, u))
                for u in counted
            ]
            kept = [u for u in uses if u not in counted]
            why = f"the number disagrees with approved claim(s) {_ids(counted)}"
            return Check(p, "contradicted", why, tuple(_ordered(kept + wrong)))
        if not counted:
            numbers_note = (
                f"; but no approved claim gives a frequency to check "
                f"{', '.join(n.text for n in p.numbers)} against"
            )
    if supports and contradicts:
        why = f"approved claims say both: {_ids(supports)} yes, {_ids(contradicts)} no"
        return Check(p, "conflicting", why, tuple(_ordered(uses)))
    if contradicts:
        return Check(
            p,
            "contradicted",
            f"approved claim(s) {_ids(contradicts)} say otherwise",
            tuple(_ordered(uses)),
        )
    vague = _vague(words, supports) if supports and not p.negated else None
    if vague is not None:
        kept = [u for u in uses if u not in supports]
        nearest = [ClaimUse(u.claim, "nearest", u.route, u.certainty, vague) for u in supports]
        return Check(p, "unsupported", vague, tuple(_ordered(kept + nearest)))
    if supports and not numbers_note:
        return Check(
            p, "supported", f"approved claim(s) {_ids(supports)} say so", tuple(_ordered(uses))
        )
    nearest = general + _nearest(reader, p, {u.claim.id for u in uses + general})
    why = "no approved claim says this" + numbers_note
    if general:
        said_of = " and ".join(c.label for c in p.context)
        why += f" (claim(s) {_ids(general)} say it in general, not of {said_of})"
    return Check(p, "unsupported", why, tuple(_ordered(uses + nearest[:_NEAREST])))


def _vague(words: Sequence[str], supports: list[ClaimUse]) -> str | None:
    """Why a frequency word ("common") does not fit the supporting claims' counts, if it does not.

    Words are vague, so a misfit makes the statement unsupported, never contradicted."""
    counted = [(u, u.claim.view.frequency) for u in supports if u.claim.view.frequency]
    for word in words:
        if word not in FREQUENCY_WORDS or not counted:
            continue
        low, high = FREQUENCY_WORDS[word]
        if not any(f and f[1] and low <= f[0] / f[1] <= high for _, f in counted):
            given = ", ".join(
                f"{u.claim.id}: {f[0]} of {f[1]} ({100 * f[0] / f[1]:.1f}%)"
                for u, f in counted
                if f and f[1]
            )
            return f"the answer says '{word}'; approved claims give {given}"
    return None


def _disagreement(given: str, use: ClaimUse) -> str:
    n, d = use.claim.view.frequency or (0, 0)
    return f"the answer says {given}; the claim gives {n} of {d}"


def _ids(uses: Iterable[ClaimUse]) -> str:
    return ", ".join(dict.fromkeys(u.claim.id for u in uses))


_ROLE_ORDER: Final = {"supports": 0, "contradicts": 1, "nearest": 2, "not_counted": 3}


def _ordered(uses: list[ClaimUse]) -> list[ClaimUse]:
    unique: dict[tuple[str, str], ClaimUse] = {}
    for use in uses:
        unique.setdefault((use.claim.id, use.role), use)
    return sorted(unique.values(), key=lambda u: (_ROLE_ORDER[u.role], u.claim.id))


def _agrees(number: Number, frequency: tuple[int, int] | None) -> bool:
    if frequency is None or frequency[1] == 0:
        return False
    n, d = frequency
    if (number.numerator, number.denominator) == (n, d):
        return True
    expected = n / d
    points, share = FREQUENCY_MARGIN
    return abs(number.proportion - expected) <= max(points / 100, share * expected)


def _certainty(reader: GraphReader, claim: GraphClaim, route: str) -> Certainty:
    """The claim's certainty, rated down for an indirect route and for approved opposites."""
    certainty = claim.view.certainty
    view = claim.view
    opposed = sorted(
        other.id
        for other in reader.claims.values()
        if other.view.decides
        and other.view.polarity != view.polarity
        and (other.subject, other.view.predicate, other.object)
        == (claim.subject, view.predicate, claim.object)
    )
    if opposed:
        certainty = certainty.down(
            f"inconsistency (approved claim {', '.join(opposed)} says the opposite)"
        )
    if route != "direct":
        certainty = certainty.down(f"indirectness ({route})")
    return certainty


def _nearest(reader: GraphReader, p: Proposition, taken: set[str]) -> list[ClaimUse]:
    """Approved claims about the proposition's terms (or kinds or parts of them), closest first."""
    ends = [p.subject.iris, p.object.iris]

    def related(term: str | None, group: frozenset[str]) -> bool:
        if term is None:
            return False
        return term in group or bool(
            group & reader.ancestors(term, parts=True)
            or any(term in reader.ancestors(g, parts=True) for g in group)
        )

    scored = []
    for claim in reader.claims.values():
        if claim.id in taken or not claim.view.decides:
            continue
        terms = claim.terms()
        both = any(
            related(a, ends[0]) and related(b, ends[1]) for a in terms for b in terms if a != b
        )
        matched = 2 if both else int(any(related(t, g) for t in terms for g in ends))
        if matched == 0:
            continue
        same = claim.view.predicate in _PREDICATES[p.relation]
        scored.append(((-matched, not same, -claim.view.certainty.level, claim.id), claim))
    scored.sort(key=lambda pair: pair[0])
    return [
        ClaimUse(claim, "nearest", "nearest", claim.view.certainty)
        for score, claim in scored
        if score[0] == -2 or not score[1]
    ][:_NEAREST]

"""A claim's review history: the legal status changes, and the problems of one claim's history.

Consumes: a ``curation.Claim`` (its ``status`` and ``history``). Produces: the ``SourceError`` of
each problem, naming file, line (of the history entry) and claim; ``next_change`` for a status
change a curator asks for.
Policy: the history is append-only and oldest first. Its first entry may have any status (a
claim recorded before histories were kept starts where it stood, and says so in ``why``); every
later entry must follow ``TRANSITIONS``; dates never go back; the last entry's status is the
claim's ``status``; an approval, a rejection and a deprecation name who made them (``by``). An
ORCID is checked by its ISO 7064 check digit, never looked up or invented.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..curation import Change, Claim
from ..errors import ProvenanceError, SourceError

__all__ = ["DECISIONS", "TRANSITIONS", "history_problems", "orcid_problem", "transition_problem"]

#: status -> the statuses it may change to (the curators' workflow, issue 14).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "submitted": ("under_review", "rejected"),
    "under_review": ("approved", "rejected", "submitted"),
    "approved": ("deprecated",),
    "rejected": ("under_review",),
    "deprecated": (),
}
#: Changes that are a curator's decision and must name who made it.
DECISIONS = frozenset({"approved", "rejected", "deprecated"})


def transition_problem(before: str, after: str) -> str | None:
    """Why a claim may not go from ``before`` to ``after``, or None."""
    if after in TRANSITIONS.get(before, ()):
        return None
    allowed = TRANSITIONS.get(before, ())
    then = f"from {before} it may go to: {', '.join(allowed)}" if allowed else f"{before} is final"
    return f"a claim cannot go from {before} to {after} ({then})"


def orcid_problem(orcid: str) -> str | None:
    """Why ``orcid`` (0000-0000-0000-000X) is not an ORCID iD: its check digit (ISO 7064 11,2)."""
    digits = orcid.replace("-", "")
    total = 0
    for char in digits[:-1]:
        total = (total + int(char)) * 2
    check = (12 - total % 11) % 11
    expected = "X" if check == 10 else str(check)
    if digits[-1] != expected:
        return f"ORCID {orcid} has a wrong check digit (not an ORCID iD; copy it from orcid.org)"
    return None


def _problems(claim: Claim) -> Iterator[tuple[int, str, type[SourceError]]]:
    history: tuple[Change, ...] = claim.history
    if not history:
        return
    previous: Change | None = None
    for change in history:
        if change.status in DECISIONS and not change.by:
            yield (
                change.line,
                (
                    f"history: the change to {change.status} on {change.date} names no one; "
                    "give 'by' (who approved, rejected or deprecated it)"
                ),
                ProvenanceError,
            )
        if change.orcid:
            problem = orcid_problem(change.orcid)
            if problem:
                yield change.line, f"history: {problem}", SourceError
        if previous is not None:
            problem = transition_problem(previous.status, change.status)
            if problem:
                yield change.line, f"history: {problem}", SourceError
            if change.date < previous.date:
                yield (
                    change.line,
                    (
                        f"history: {change.date} is before the entry above it ({previous.date}); "
                        "entries are appended oldest first"
                    ),
                    SourceError,
                )
        previous = change
    if history[-1].status != claim.status:
        yield (
            claim.origin.line,
            (
                f"status is {claim.status}, but the last history entry says {history[-1].status}; "
                "change the status with 'neurokg curate', which records both"
            ),
            SourceError,
        )


def history_problems(claim: Claim) -> list[SourceError]:
    """Every problem of ``claim``'s history, naming the file and the entry's line."""
    return [
        error(claim.origin.path, line or claim.origin.line, message, claim.id)
        for line, message, error in _problems(claim)
    ]

"""Compare two releases claim by claim, and write the comparison for curators.

Consumes: two releases read by release.py, and optionally terms to restrict the comparison to.
Produces: a ``ReleaseDiff``: claims added, removed, and changed in status, polarity, sources or
certainty, with the status changes recorded since the old release; as Markdown for curators
(``render_markdown``) or a JSON-ready dict for apps (``ReleaseDiff.as_dict``).
Policy: claims are matched by their stable IRI. A term filter keeps the claims whose subject,
object, context, target or lesion site is one of the terms or a subclass of one
(``rdfs:subClassOf*`` in either release); ``match`` says whether any or all of the terms must be
named. Output order is by claim id, so equal inputs give equal text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

import pyoxigraph as ox

from ..errors import NeurokgError
from ..namespaces import compact
from .release import ClaimState, HistoryStep, claim_states, descendants, resolve_terms, term_labels

__all__ = [
    "ClaimChange",
    "Match",
    "ReleaseDiff",
    "diff_releases",
    "render_markdown",
]

Match = Literal["any", "all"]
_COMPARED: Final = ("status", "polarity", "sources", "certainty")


@dataclass(frozen=True)
class ClaimChange:
    """A claim whose status, polarity, sources or grade differ between two releases."""

    before: ClaimState
    after: ClaimState

    def fields(self) -> dict[str, tuple[object, object]]:
        old, new = self.before.compared(), self.after.compared()
        return {name: (old[name], new[name]) for name in _COMPARED if old[name] != new[name]}

    def recorded(self) -> tuple[HistoryStep, ...]:
        """The status changes recorded since the old release: who changed what, when, why."""
        return self.after.history[len(self.before.history) :]

    def as_dict(self) -> dict[str, object]:
        changes = {k: {"old": o, "new": n} for k, (o, n) in self.fields().items()}
        return {
            "claim": self.after.id,
            "iri": self.after.iri,
            "changes": changes,
            "recorded": [dict(h.__dict__) for h in self.recorded()],
            "before": self.before.as_dict(),
            "after": self.after.as_dict(),
        }


@dataclass(frozen=True)
class ReleaseDiff:
    """What changed between two releases, claim by claim."""

    old: str
    new: str
    terms: list[tuple[str, str]]
    added: list[ClaimState]
    removed: list[ClaimState]
    changed: list[ClaimChange]
    unchanged: int
    labels: dict[str, str]

    def as_dict(self) -> dict[str, object]:
        return {
            "old": self.old,
            "new": self.new,
            "terms": [{"id": compact(iri), "label": label} for iri, label in self.terms],
            "summary": {
                "added": len(self.added),
                "removed": len(self.removed),
                "changed": len(self.changed),
                "unchanged": self.unchanged,
            },
            "added": [c.as_dict() for c in self.added],
            "removed": [c.as_dict() for c in self.removed],
            "changed": [c.as_dict() for c in self.changed],
        }


def diff_releases(
    old: ox.Store,
    new: ox.Store,
    *,
    terms: Sequence[str] = (),
    match: Match = "any",
    names: tuple[str, str] = ("old", "new"),
) -> ReleaseDiff:
    """Compare ``old`` and ``new``, keeping only claims about ``terms`` when any are given."""
    if match not in ("any", "all"):
        raise NeurokgError(f"match must be 'any' or 'all', not {match!r}")
    resolved = resolve_terms([new, old], terms)
    wanted = [descendants([new, old], iri) for iri, _ in resolved]
    before, after = claim_states(old), claim_states(new)

    def keep(state: ClaimState) -> bool:
        hits = [bool(state.terms & group) for group in wanted]
        return not wanted or (any(hits) if match == "any" else all(hits))

    before = {k: v for k, v in before.items() if keep(v)}
    after = {k: v for k, v in after.items() if keep(v)}
    changes = [
        ClaimChange(before[k], after[k])
        for k in sorted(before.keys() & after.keys())
        if before[k].compared() != after[k].compared()
    ]
    common = len(before.keys() & after.keys())
    return ReleaseDiff(
        old=names[0],
        new=names[1],
        terms=resolved,
        added=[after[k] for k in sorted(after.keys() - before.keys())],
        removed=[before[k] for k in sorted(before.keys() - after.keys())],
        changed=changes,
        unchanged=common - len(changes),
        labels=term_labels([new, old]),
    )


def _statement(diff: ReleaseDiff, state: ClaimState) -> str:
    def named(curie: str) -> str:
        label = diff.labels.get(curie)
        return f"{label} ({curie})" if label else curie

    predicate = diff.labels.get(state.predicate, state.predicate)
    return f"{named(state.subject)} *{predicate}* {named(state.obj)}"


def _summary(state: ClaimState) -> str:
    sources = ", ".join(state.sources) or "none"
    return f"{state.status}, {state.polarity}; certainty {state.certainty.word}; sources: {sources}"


def _show(value: object) -> str:
    return ", ".join(str(v) for v in value) or "none" if isinstance(value, list) else str(value)


def render_markdown(diff: ReleaseDiff) -> str:
    """The diff as Markdown for curators."""
    lines = [f"# neurokg: changes from `{diff.old}` to `{diff.new}`", ""]
    if diff.terms:
        named = ", ".join(f"{label} ({compact(iri)})" for iri, label in diff.terms)
        lines += [f"Claims about: {named} (and their subclasses).", ""]
    lines += [
        f"{len(diff.added)} added, {len(diff.removed)} removed, {len(diff.changed)} changed, "
        f"{diff.unchanged} unchanged.",
        "",
    ]
    for title, states in (("Added", diff.added), ("Removed", diff.removed)):
        if states:
            lines += [f"## {title} ({len(states)})", ""]
            for state in states:
                lines.append(f"- `{state.id}`: {_statement(diff, state)} — {_summary(state)}")
                if title == "Added" and state.history:
                    lines.append(f"  - recorded: {state.history[-1].describe()}")
            lines.append("")
    if diff.changed:
        lines += [f"## Changed ({len(diff.changed)})", ""]
        for change in diff.changed:
            lines.append(f"- `{change.after.id}`: {_statement(diff, change.after)}")
            for name, (old, new) in change.fields().items():
                lines.append(f"  - {name}: {_show(old)} → {_show(new)}")
            for step in change.recorded():
                lines.append(f"  - recorded: {step.describe()}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"

"""The review queue: claims waiting for a curator, oldest first.

Consumes: a loaded ``Curation``. Produces: ``QueueItem`` values (claim, status, since when,
by whom, the statement, file and line), as text or JSON-ready dicts.
Policy: a claim waits when its status is submitted or under_review; it has waited since the
history entry that gave it that status (the last one). Order: that date, then file and line.
"""

from __future__ import annotations

import os
import textwrap
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..curation import Claim, Curation
from ..records import Origin

__all__ = ["WAITING", "QueueItem", "render_queue", "review_queue"]

#: The statuses that wait for a curator.
WAITING = ("submitted", "under_review")


@dataclass(frozen=True)
class QueueItem:
    claim: str
    status: str
    since: date
    by: str | None
    statement: str
    origin: Origin

    def as_dict(self) -> dict[str, Any]:
        return {
            "claim": self.claim,
            "status": self.status,
            "since": self.since.isoformat(),
            "by": self.by,
            "statement": self.statement,
            "file": self.origin.path,
            "line": self.origin.line,
        }


def _statement(claim: Claim) -> str:
    obj = claim.object or f'"{claim.object_text}"'
    text = f"{claim.subject} {claim.predicate} {obj}"
    if claim.polarity == "negative":
        text = "NOT " + text
    return textwrap.shorten(text, 90, placeholder="...")


def review_queue(curation: Curation) -> list[QueueItem]:
    """The claims waiting for review, oldest first."""
    items = []
    for claim in curation.claims:
        if claim.status not in WAITING:
            continue
        last = claim.history[-1] if claim.history else None
        since = last.date if last is not None else claim.date
        by = last.by if last is not None else claim.curator
        items.append(QueueItem(claim.id, claim.status, since, by, _statement(claim), claim.origin))
    return sorted(items, key=lambda i: (i.since, i.origin.path, i.origin.line))


def render_queue(items: list[QueueItem]) -> str:
    """For people: one line per claim, with where to edit it."""
    if not items:
        return "No claim waits for review.\n"
    lines = [f"{len(items)} claims wait for review (oldest first):"]
    for item in items:
        where = os.path.relpath(item.origin.path)
        where = item.origin.path if where.startswith("..") else where
        lines.append(
            f"  {item.since}  {item.status:<12} {item.claim}  {item.statement}"
            f"  ({where}:{item.origin.line})"
        )
    return "\n".join(lines) + "\n"

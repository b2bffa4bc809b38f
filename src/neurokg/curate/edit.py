"""A curator's status change, written into the claim's YAML file in place.

Consumes: the curated folders or files, a claim id, the new status, who (a name or curator id,
and an ORCID only when they give it), why, and the date (default: today, UTC).
Produces: the edited file, and a ``StatusChange`` saying what changed where.
Policy: the change must be a legal transition (``history.TRANSITIONS``) and name who and why;
the claim's ``status`` value is replaced and one entry is appended to its ``history``, nothing
else in the file changes (ruamel.yaml round trip, ``yamlfile.YamlFile``; atomic write). A history
shared with other claims through a YAML alias is copied into this claim first, so the others keep
theirs. A claim without a history is refused: scripts/migrate_history.py gives it one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from ..errors import NeurokgError, SourceError
from ..load import curated_files
from ..records import text_problem
from ..schema.models import PATTERN_MESSAGES
from .history import orcid_problem, transition_problem
from .yamlfile import YamlFile

__all__ = ["StatusChange", "change_status", "find_claim_file"]

_ORCID = next(p for p, m in PATTERN_MESSAGES.items() if m.startswith("orcid"))


@dataclass(frozen=True)
class StatusChange:
    """What ``change_status`` did."""

    claim: str
    before: str
    after: str
    path: Path
    line: int
    by: str
    date: date
    why: str


def find_claim_file(paths: Iterable[Path], claim_id: str) -> tuple[YamlFile, CommentedMap]:
    """The curated file holding the claim ``claim_id``, loaded for a round trip, and the claim."""
    for path in curated_files(paths):
        if f"id: {claim_id}" not in path.read_text(encoding="utf-8", errors="replace"):
            continue  # a cheap filter: only files that may hold it are parsed
        doc = YamlFile(path)
        claim = doc.find_claim(claim_id)
        if claim is not None:
            return doc, claim
    raise NeurokgError(f"no claim {claim_id!r} in the curated files")


def _check(by: str, why: str, orcid: str | None) -> None:
    for name, value in (("--by", by), ("--why", why)):
        if not value.strip():
            raise NeurokgError(f"{name} is empty: a status change names who made it and why")
        problem = text_problem(value)
        if problem:
            raise NeurokgError(f"{name} {problem}")
    if orcid is not None:
        problem = None if re.match(_ORCID, orcid) else "is not 0000-0000-0000-000X"
        problem = problem or orcid_problem(orcid)
        if problem:
            raise NeurokgError(f"--orcid {orcid}: {problem}")


def _own_history(doc: YamlFile, claim: CommentedMap) -> CommentedSeq:
    """The claim's history, copied first when a YAML alias shares it with another claim."""
    history = claim["history"]
    shared = sum(1 for other in doc.claims() if other.get("history") is history) > 1
    if not shared:
        return history  # type: ignore[no-any-return]
    copy = CommentedSeq()
    for entry in history:
        item = CommentedMap(entry.items())
        item.fa.set_flow_style()
        copy.append(item)
    claim["history"] = copy
    return copy


def change_status(
    paths: Iterable[Path],
    claim_id: str,
    to: str,
    *,
    by: str,
    why: str,
    orcid: str | None = None,
    when: date | None = None,
) -> StatusChange:
    """Change the status of ``claim_id`` to ``to``, recording who, when and why in its file."""
    _check(by, why, orcid)
    doc, claim = find_claim_file(paths, claim_id)
    line = doc.line_of(claim)
    before = str(claim.get("status"))
    problem = transition_problem(before, to)
    if problem:
        raise SourceError(doc.path, line, problem, claim_id)
    if not isinstance(claim.get("history"), CommentedSeq):
        raise SourceError(
            doc.path, line, "the claim has no 'history' list; run scripts/migrate_history.py "
            "on its file first", claim_id,
        )  # fmt: skip
    when = when or datetime.now(UTC).date()
    last = claim["history"][-1].get("date") if claim["history"] else None
    if isinstance(last, date) and when < last:
        raise SourceError(doc.path, line, f"{when} is before the last history entry ({last})")
    entry = CommentedMap()
    entry["status"] = to
    entry["date"] = when
    entry["by"] = by.strip()
    if orcid:
        entry["orcid"] = orcid
    entry["why"] = DoubleQuotedScalarString(why.strip())
    entry.fa.set_flow_style()
    claim["status"] = to
    _own_history(doc, claim).append(entry)
    doc.save()
    return StatusChange(claim_id, before, to, doc.path, line, by.strip(), when, why.strip())

"""Check one curated record against its schema model, with the loader's messages, file and line.

Consumes: a record as ``records.read_yaml`` gives it (mappings carry their line under ``LINE``)
and its model (``models.MODELS``). Produces: the ``SourceError`` (or ``ProvenanceError``) of each
problem pydantic finds, naming the file, the line of the innermost mapping, the record and the
field; an empty list when the record fits its model.
Policy: one message per problem, in the words load.py has always used ("unknown field(s) ...;
allowed: ...", "missing required field ...", "field 'kind' is 'x'; use one of: ..."); unknown
fields of one mapping are reported together.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from ..errors import ProvenanceError, SourceError
from ..records import LINE
from .models import PATTERN_MESSAGES

__all__ = ["record_errors", "strip_lines"]

#: Missing or empty fields whose absence is missing provenance, with the message load.py gave.
_PROVENANCE = {
    ("support",): "no 'support': every claim needs at least one source",
    ("read_in",): "missing 'read_in': name the source where this identifier and label were read",
    ("history",): "no 'history': record each status change (neurokg curate; existing files: "
    "scripts/migrate_history.py)",
    ("support", "source"): "each 'support' item needs a 'source' key from sources.yaml",
}
_NESTED_NAMES = {
    "support": "support",
    "history": "history entry",
    "is_a": "'is_a' edge",
    "part_of": "'part_of' edge",
    "abbreviations": "abbreviation",
    "alternatives": "alternative",
    "qualifiers": "qualifiers",
    "publication_type": "publication_type",
    "standing": "standing",
}


def strip_lines(value: Any) -> Any:
    """``value`` without the ``LINE`` keys ``read_yaml`` adds."""
    if isinstance(value, dict):
        return {k: strip_lines(v) for k, v in value.items() if k != LINE}
    if isinstance(value, list):
        return [strip_lines(v) for v in value]
    return value


def _line(raw: Any, loc: Sequence[int | str]) -> int | None:
    """The line of the innermost mapping on the path ``loc`` in ``raw``."""
    line = raw.get(LINE) if isinstance(raw, dict) else None
    node = raw
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and LINE in node:
            line = node[LINE]
    return line


def _where(loc: Sequence[int | str]) -> str:
    """'support #2', 'history entry #1', 'qualifiers' for a nested location; '' at the top."""
    parts = []
    for i, part in enumerate(loc):
        if isinstance(part, str) and part in _NESTED_NAMES:
            nxt = loc[i + 1] if i + 1 < len(loc) else None
            parts.append(_NESTED_NAMES[part] + (f" #{nxt + 1}" if isinstance(nxt, int) else ""))
    return ", ".join(parts)


def _field(loc: Sequence[int | str]) -> str:
    names = [str(p) for p in loc if isinstance(p, str)]
    return names[-1] if names else "?"


def _message(error: ErrorDetails, fields: Sequence[str]) -> tuple[str, type[SourceError]]:
    loc = error["loc"]
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    field = _field(loc)
    names = tuple(p for p in loc if isinstance(p, str))
    where = _where(loc[:-1])
    prefix = f"{where}: " if where else ""
    if kind in ("missing", "too_short") and names in _PROVENANCE:
        return _PROVENANCE[names], ProvenanceError
    if kind == "missing":
        return f"{prefix}missing required field {field!r}", SourceError
    if kind == "too_short":
        return f"{prefix}field {field!r} is empty", SourceError
    if kind == "literal_error":
        options = ", ".join(re.findall(r"'([^']*)'", str(ctx.get("expected", ""))))
        return f"{prefix}field {field!r} is {value!r}; use one of: {options}", SourceError
    if kind == "string_pattern_mismatch":
        template = PATTERN_MESSAGES.get(str(ctx.get("pattern")), "field {field!r}: {value!r} "
                                        "does not match the expected pattern")  # fmt: skip
        return prefix + template.format(field=field, value=value), SourceError
    if field == "year":
        return f"year {value!r} is not a four-digit year", SourceError
    if field == "date" or kind.startswith("date"):
        return f"{prefix}{field} {value!r} is not an ISO date (YYYY-MM-DD)", SourceError
    if kind in ("model_type", "dict_type"):
        return f"{prefix}field {field!r} must be a mapping", SourceError
    if kind == "list_type":
        return f"{prefix}field {field!r} must be a list", SourceError
    return f"{prefix}field {field!r}: {error['msg']}", SourceError


def record_errors(
    path: str, raw: Any, model: type[BaseModel], what: str, index: int
) -> list[SourceError]:
    """Every problem of ``raw`` against ``model``, as errors naming file, line and record."""
    name = f"{what} #{index + 1}"
    if not isinstance(raw, dict):
        return [SourceError(path, None, f"{name} is not a mapping")]
    name = str(raw.get("id") or raw.get("key") or name)
    try:
        model.model_validate(strip_lines(raw))
    except ValidationError as err:
        return _errors(path, raw, err, model, name)
    return []


def _errors(
    path: str, raw: dict[str, Any], err: ValidationError, model: type[BaseModel], name: str
) -> list[SourceError]:
    found: list[SourceError] = []
    extra: dict[tuple[int | str, ...], list[str]] = {}
    for error in err.errors(include_url=False):
        if error["type"] == "extra_forbidden":
            extra.setdefault(tuple(error["loc"][:-1]), []).append(str(error["loc"][-1]))
            continue
        message, kind = _message(error, ())
        found.append(kind(path, _line(raw, error["loc"]), message, name))
    for parent, keys in extra.items():
        allowed = _allowed(model, parent)
        where = _where(parent)
        text = f"unknown field(s) {', '.join(sorted(keys))}" + (f" in {where}" if where else "")
        text += f"; allowed: {', '.join(allowed)}" if allowed else ""
        found.append(SourceError(path, _line(raw, parent), text, name))
    return sorted(found, key=lambda e: e.line or 0)


def _allowed(model: type[BaseModel], loc: Sequence[int | str]) -> list[str]:
    """The field names of the model found at ``loc`` below ``model``."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part) if hasattr(current, "model_fields") else None
        if info is None:
            return []
        current = _inner_model(info.annotation)
        if current is None:
            return []
    return sorted(f.alias or n for n, f in current.model_fields.items())


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None

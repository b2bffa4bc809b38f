"""Identifiers that look right and are not: obsolete classes, look-alikes, term-choice conventions.

Consumes: the ``obsolete``, ``look_alikes`` and ``conventions`` lists of a curated YAML file
(``ontology/lookalikes.yaml``). Produces: typed, frozen records, each with its origin.
Policy (DESIGN.md section 8):
- an **obsolete** identifier is refused; its replacement is only what its release says
  (``replaced_by``, ``consider``), read in that release and named by ``read_in``;
- a **look-alike** is a different concept with a similar name, code or abbreviation. It is never
  "corrected" into the concept it resembles: the resolver says what it is and what it is not, and
  exits 2. Only curated records are refused for using it: imported data that uses the identifier
  for its own meaning (HPO's annotations of Orphanet's Meige disease) is left alone;
- a **convention** records which class the graph uses for a concept when several real classes
  could be read as it (UBERON's thalamus classes). It refuses nothing: validation may warn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .records import Origin, Record

__all__ = [
    "Convention",
    "LookAlike",
    "Obsolete",
    "look_alike_iri_key",
    "parse_convention",
    "parse_look_alike",
    "parse_obsolete",
]


@dataclass(frozen=True)
class Obsolete:
    id: str
    label: str
    origin: Origin
    read_in: tuple[str, ...]
    replaced_by: str | None = None
    consider: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class LookAlike:
    """A concept the graph does not hold, easily taken for one it does (``not_``)."""

    label: str
    is_: str
    not_: str
    origin: Origin
    read_in: tuple[str, ...]
    id: str | None = None
    names: tuple[str, ...] = ()
    note: str | None = None

    @property
    def key(self) -> str:
        """The record's key: its identifier, or a slug of its label when it has none."""
        return self.id or look_alike_iri_key(self.label)


@dataclass(frozen=True)
class Alternative:
    id: str
    label: str
    read_in: tuple[str, ...]
    note: str | None = None


@dataclass(frozen=True)
class Convention:
    concept: str
    use: str
    origin: Origin
    alternatives: tuple[Alternative, ...]
    note: str | None = None


def look_alike_iri_key(label: str) -> str:
    """``NKGT:look-alike-<slug>``: the identifier of a look-alike known only by its name."""
    slug = re.sub(r"[^a-z0-9]+", "-", label.casefold()).strip("-")
    return f"NKGT:look-alike-{slug}"


def _read_in(rec: Record) -> tuple[str, ...]:
    read_in = rec.texts("read_in")
    if not read_in:
        rec.fail("missing 'read_in': name the source where this was read")
    return read_in


def _any_curie(rec: Record, key: str, value: str | None) -> str | None:
    if value is not None:
        rec.check_curie(key, value)
    return value


def parse_obsolete(path: Path, raw: Any, index: int) -> Obsolete:
    fields = ("id", "label", "replaced_by", "consider", "note", "read_in")
    rec = Record(path, raw, "obsolete identifier", index, fields)
    consider = rec.texts("consider")
    for curie in consider:
        rec.check_curie("consider", curie)
    return Obsolete(
        id=_any_curie(rec, "id", rec.req("id")) or "",
        label=rec.req("label"),
        origin=rec.origin,
        read_in=_read_in(rec),
        replaced_by=_any_curie(rec, "replaced_by", rec.text("replaced_by")),
        consider=consider,
        note=rec.text("note"),
    )


def parse_look_alike(path: Path, raw: Any, index: int) -> LookAlike:
    fields = ("id", "label", "names", "is", "not", "note", "read_in")
    rec = Record(path, raw, "look-alike", index, fields)
    not_ = rec.req("not")
    rec.entity("not", not_)
    return LookAlike(
        label=rec.req("label"),
        is_=rec.req("is"),
        not_=not_,
        origin=rec.origin,
        read_in=_read_in(rec),
        id=_any_curie(rec, "id", rec.text("id")),
        names=rec.texts("names"),
        note=rec.text("note"),
    )


def parse_convention(path: Path, raw: Any, index: int) -> Convention:
    rec = Record(path, raw, "convention", index, ("concept", "use", "alternatives", "note"))
    use = rec.req("use")
    rec.entity("use", use)
    alternatives: list[Alternative] = []
    for item in rec.items("alternatives"):
        alt = Record(
            path, item, "alternative", len(alternatives), ("id", "label", "note", "read_in")
        )
        alt_id = alt.req("id")
        alt.check_curie("id", alt_id)
        alternatives.append(Alternative(alt_id, alt.req("label"), _read_in(alt), alt.text("note")))
    if not alternatives:
        rec.fail("a convention lists the 'alternatives' it chooses between")
    return Convention(rec.req("concept"), use, rec.origin, tuple(alternatives), rec.text("note"))

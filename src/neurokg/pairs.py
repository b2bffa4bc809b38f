"""Many questions at once: read pairs of terms, one pair a line (``neurokg ask --pairs FILE``).

Consumes: text with one question a line: two terms separated by a tab (TSV), or by a comma
(CSV, with its quoting: ``"Parkinson disease, juvenile",blepharospasm``).
Produces: ``Pair`` records (line number, the two terms) and ``PairError`` records for lines that
are not two terms, each naming its line, so a bad line is reported and the others still answered.
Policy: blank lines and lines starting with ``#`` are skipped; a first line ``first<TAB>second``
or ``first,second`` (a header) is skipped too. Terms are stripped of surrounding spaces.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

__all__ = ["Pair", "PairError", "read_pairs"]

_HEADERS: Final = {("first", "second"), ("a", "b"), ("term_a", "term_b")}


@dataclass(frozen=True)
class Pair:
    """One question: the line it was read from and its two terms."""

    line: int
    first: str
    second: str


@dataclass(frozen=True)
class PairError:
    """A line that is not two terms, and why."""

    line: int
    problem: str


def _fields(text: str) -> list[str]:
    if "\t" in text:
        return [f.strip() for f in text.split("\t")]
    return [f.strip() for f in next(csv.reader([text], skipinitialspace=True))]


def read_pairs(text: str) -> Iterator[Pair | PairError]:
    """Each line of ``text`` as a ``Pair``, or a ``PairError`` saying what is wrong with it."""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            fields = _fields(line)
        except csv.Error as err:
            yield PairError(number, f"cannot read the line as CSV: {err}")
            continue
        while fields and not fields[-1]:
            fields.pop()  # a trailing separator
        if number == 1 and tuple(f.casefold() for f in fields) in _HEADERS:
            continue
        if len(fields) != 2 or not all(fields):
            yield PairError(
                number,
                f"expected two terms separated by a tab or a comma, found {len(fields)} "
                f"field(s) in {raw.strip()!r}",
            )
            continue
        yield Pair(number, fields[0], fields[1])

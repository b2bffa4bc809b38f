"""Read an answer's reference list: numbered, Vancouver, "Title. Journal, year", or one entry per
block of lines as web answers print them; each entry's title, year, PMID, DOI and web addresses.

Consumes: the answer's lines (reading.py). Produces: where the reference list starts and ends
(``find_reference_section``) and its ``Reference`` entries (``read_references``).
Policy: the list starts at a heading such as "References" or "Sources". A numbered list keeps its
numbers; an unnumbered one is numbered in order, as readers count it. An unnumbered entry ends at
a line giving a year or an identifier; a kind label above it ("Guideline", "Research") is kept
apart; four lines without a year, or a long paragraph, end the list (a disclaimer that follows it
is not a reference). Identifiers are read, never guessed: a PMID only where the entry says
"PMID" or links to PubMed, a DOI only as ``10.NNNN/...``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final

__all__ = ["Reference", "find_reference_section", "read_references"]


@dataclass(frozen=True)
class Reference:
    number: int
    text: str
    title: str | None
    label: str | None
    byline: str | None
    year: int | None
    pmid: str | None
    doi: str | None
    urls: tuple[str, ...]
    line: int

    def identifiers(self) -> list[str]:
        """PMID, DOI and web addresses as a curator would look them up."""
        ids = [f"PMID:{self.pmid}" if self.pmid else "", f"doi:{self.doi}" if self.doi else ""]
        return [i for i in ids if i] + list(self.urls)

    def short(self) -> str:
        """The reference as the report names it: its title, else its text, cut short."""
        words = self.title or self.text
        return words if len(words) <= 90 else words[:87].rstrip() + "..."

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "text": self.text,
            "title": self.title,
            "label": self.label,
            "byline": self.byline,
            "year": self.year,
            "pmid": self.pmid,
            "doi": self.doi,
            "urls": list(self.urls),
            "line": self.line,
        }


_HEADING_RE: Final = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:\*\*|__)?\s*(?:references?|reference\s+list|sources|bibliography|"
    r"citations|works\s+cited|literature(?:\s+cited)?|cited\s+literature)\s*:?\s*(?:\*\*|__)?\s*$",
    re.IGNORECASE,
)
_NUMBERED_RE: Final = re.compile(
    r"^\s*(?:\[\^?(\d{1,3})\]:?|(\d{1,3})[.)]|\((\d{1,3})\)|\^(\d{1,3}))\s+(\S.*)$"
)
_YEAR_RE: Final = re.compile(r"\b(1[89]\d{2}|20\d{2})\b")
_PMID_RE: Final = re.compile(
    r"\bPMID:?\s*(\d{1,9})\b|pubmed\.ncbi\.nlm\.nih\.gov/(\d{1,9})|pubmed\.gov/(\d{1,9})", re.I
)
_DOI_RE: Final = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)")
_URL_RE: Final = re.compile(r"https?://[^\s<>\"\])]+")
_AUTHORS_RE: Final = re.compile(
    r"^(?:[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+)*\s[A-Z]{1,3}(?:,\s*|\.?$))+|\bet al\b"
)
_BULLET_RE: Final = re.compile(r"^\s*[-*+•·▪◦‣●]\s+")
_MAX_UNNUMBERED_LINES: Final = 4
_LONGEST_ENTRY: Final = 400


def find_reference_section(lines: list[str]) -> tuple[int, int]:
    """(index of the reference heading, index after the list); (len, len) when there is none."""
    for index, line in enumerate(lines):
        if _HEADING_RE.match(line):
            _, consumed = _entries(lines[index + 1 :], index + 2)
            return index, index + 1 + consumed
    return len(lines), len(lines)


def read_references(lines: list[str], first_line: int = 1) -> tuple[Reference, ...]:
    """The entries of a reference list (the lines after its heading)."""
    entries, _ = _entries(lines, first_line)
    return tuple(entries)


def _entries(lines: list[str], first_line: int) -> tuple[list[Reference], int]:
    start = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    if start < len(lines) and _NUMBERED_RE.match(lines[start]):
        return _numbered(lines, start, first_line)
    return _unnumbered(lines, start, first_line)


def _numbered(lines: list[str], start: int, first_line: int) -> tuple[list[Reference], int]:
    entries: list[Reference] = []
    current: tuple[int, list[str], int] | None = None
    index = start
    after_blank = False
    while index < len(lines):
        text = lines[index].strip()
        match = _NUMBERED_RE.match(lines[index])
        if not text:
            after_blank = True
        elif match:
            if current:
                entries.append(_entry(current[0], current[1], current[2]))
            number = int(next(g for g in match.groups()[:4] if g))
            current, after_blank = (number, [match[5].strip()], first_line + index), False
        elif current is not None and not after_blank:
            current[1].append(text)
        else:
            break
        index += 1
    if current:
        entries.append(_entry(current[0], current[1], current[2]))
    return entries, index


def _unnumbered(lines: list[str], start: int, first_line: int) -> tuple[list[Reference], int]:
    entries: list[Reference] = []
    pending: list[tuple[int, str]] = []
    index = start
    while index < len(lines):
        text = _BULLET_RE.sub("", lines[index]).strip()
        if text:
            if len(text) > _LONGEST_ENTRY:
                break
            pending.append((index, text))
            if _YEAR_RE.search(text) or _PMID_RE.search(text) or _DOI_RE.search(text):
                number = len(entries) + 1
                entries.append(_entry(number, [t for _, t in pending], first_line + pending[0][0]))
                pending = []
            elif len(pending) >= _MAX_UNNUMBERED_LINES:
                break
        index += 1
    consumed = pending[0][0] if pending else index
    return entries, consumed


def _is_label(text: str) -> bool:
    """A kind label printed above an entry: "Guideline", "Research", "Review article"."""
    return len(text.split()) <= 3 and not re.search(r"[\d.:,;]", text)


def _entry(number: int, lines: list[str], line: int) -> Reference:
    label = lines[0] if len(lines) >= 3 and _is_label(lines[0]) else None
    rest = lines[1:] if label else lines
    text = " ".join(rest)
    if len(rest) >= 2:
        title: str | None = rest[0].rstrip(". ")
        byline: str | None = _without_ids(rest[-1])
    else:
        title, byline = _title_and_byline(text)
    year = _YEAR_RE.search(_without_ids(text))
    pmid = _PMID_RE.search(text)
    doi = _DOI_RE.search(text)
    return Reference(
        number=number,
        text=text,
        title=title or None,
        label=label,
        byline=_YEAR_RE.sub("", byline).strip(" ,.;") if byline else None,
        year=int(year[1]) if year else None,
        pmid=next((g for g in pmid.groups() if g), None) if pmid else None,
        doi=doi[1].rstrip(".,;)") if doi else None,
        urls=tuple(dict.fromkeys(u.rstrip(".,;") for u in _URL_RE.findall(text))),
        line=line,
    )


def _without_ids(text: str) -> str:
    text = _URL_RE.sub("", text)
    text = _PMID_RE.sub("", text)
    text = re.sub(r"\bdoi:?\s*", "", _DOI_RE.sub("", text), flags=re.I)
    return " ".join(text.split())


def _title_and_byline(text: str) -> tuple[str | None, str | None]:
    """Vancouver ("Authors. Title. Journal. 2022;..."), or "Title. Journal, year"."""
    parts = [p.strip() for p in re.split(r"(?<=[.?!])\s+(?=[A-Z0-9\"“(])", _without_ids(text)) if p]
    if not parts:
        return None, None
    if len(parts) > 1 and _AUTHORS_RE.search(parts[0]):
        return parts[1].rstrip(". "), parts[0].rstrip(". ")
    return parts[0].rstrip(". "), parts[1].rstrip(". ") if len(parts) > 1 else None

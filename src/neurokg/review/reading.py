"""Read an AI-written answer: its question, statements (with their context) and citation markers.

Consumes: the answer as text, Markdown or HTML (``read_answer``). Produces: a ``ReadAnswer``: the
question, the statements in order (sentences and bullet items, each with its heading, the
question and the lead-in of its bullet list, and the citation markers it carries), the reference
list (bibliography.py) and the text outside the reference list (to recognise the answer's site).
Policy: markers are read in the forms answers use: ``[1]``, ``[2, 3]``, ``[1-3]``, ``(1)``,
superscripts (``¹``, ``<sup>1</sup>``, ``^1``) and a bare number closing a sentence or a bullet
(``... blepharospasm. 1``), unless the word before it takes a number (``type 2``, ``of 733``).
A standalone line ending in ``?`` is the question; a short line without closing punctuation is a
heading; a sentence ending in ``:`` before a bullet list is its lead-in (and a statement itself
unless it is a subordinate clause: "When evaluating a patient with blepharospasm:"). A question
inside a paragraph is not a statement. Nothing after the reference list is read as a statement.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Final

from .bibliography import Reference, find_reference_section, read_references

__all__ = ["ReadAnswer", "Statement", "read_answer"]


@dataclass(frozen=True)
class Statement:
    """One sentence or bullet item of the answer, with the context a reader sees around it."""

    index: int
    text: str  # the statement's own words, markers removed
    markers: tuple[int, ...]
    kind: str  # "sentence" | "bullet" | "lead-in"
    heading: str | None
    question: str | None
    lead_in: str | None
    follows: str | None  # the sentence before it in the same paragraph or bullet
    line: int

    def context(self) -> dict[str, str | None]:
        return {"heading": self.heading, "question": self.question, "lead_in": self.lead_in}

    def cited_as(self) -> str | None:
        """The markers as the curated claims write them: ``[1]``, ``[2, 3]``."""
        return f"[{', '.join(str(m) for m in self.markers)}]" if self.markers else None


@dataclass(frozen=True)
class ReadAnswer:
    fmt: str  # "text" | "markdown" | "html"
    question: str | None
    statements: tuple[Statement, ...]
    references: tuple[Reference, ...]
    outside: str  # every line that is not part of the reference list


@dataclass(frozen=True)
class _Block:
    kind: str  # "heading" | "question" | "paragraph" | "bullet"
    text: str
    line: int


#: control characters (terminal escapes among them) and bidi overrides are read as spaces
_CONTROL_RE: Final = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]"
)
_ANSI_RE: Final = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-_]")
_HTML_RE: Final = re.compile(r"<(?:p|li|h[1-6]|ul|ol|div|br|sup|html|body|span|a)\b", re.I)
_MARKDOWN_RE: Final = re.compile(r"^(?:#{1,6}\s|\s*[-*+]\s|\*\*)|\]\(", re.M)
_BULLET_RE: Final = re.compile(r"^\s*(?:[-*+•·▪◦‣●]|\d{1,2}[.)])\s+(.*)$")
_MD_HEADING_RE: Final = re.compile(r"^\s*#{1,6}\s+(.*?)\s*#*\s*$")
_BOLD_LINE_RE: Final = re.compile(r"^\s*(\*\*|__)(.+?)\1\s*:?\s*$")
_SETEXT_RE: Final = re.compile(r"^\s*(=+|-{3,})\s*$")
_SUBORDINATE: Final = frozenset(
    "when if for in before after while although though whenever where once unless during".split()
)

# ------------------------------------------------------------------------------ inline clean-up
_LINK_RE: Final = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
_EMPHASIS_RE: Final = re.compile(r"(\*\*|__)(.+?)\1")
_SINGLE_EMPHASIS_RE: Final = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])")
_FOOTNOTE_RE: Final = re.compile(r"\[\^(\d{1,3})\]")
_CARET_RE: Final = re.compile(r"\^(\d{1,3}(?:[-,]\d{1,3})*)\^?")


def _clean_inline(text: str) -> str:
    def link(match: re.Match[str]) -> str:
        url = match[2]
        keep = any(k in url for k in ("doi.org", "pubmed", "ncbi.nlm.nih.gov"))
        return f"{match[1]} {url}" if keep else match[1]

    text = _LINK_RE.sub(link, text)
    text = _EMPHASIS_RE.sub(r"\2", text)
    text = _SINGLE_EMPHASIS_RE.sub(r"\1", text)
    text = _FOOTNOTE_RE.sub(r"[\1]", text)
    text = _CARET_RE.sub(r"[\1]", text)
    return text.replace("`", "").replace("\u00a0", " ")


# ------------------------------------------------------------------------------ HTML to lines
class _HTMLText(HTMLParser):
    """HTML to the Markdown-like lines the reader understands; scripts and styles dropped."""

    _BREAKS: Final = frozenset("p div br tr section article ul ol table blockquote".split())

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._sup: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif re.fullmatch(r"h[1-6]", tag):
            self.parts.append("\n\n" + "#" * int(tag[1]) + " ")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in self._BREAKS:
            self.parts.append("\n\n" if tag != "br" else "\n")
        elif tag == "sup":
            self._sup = []
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            if any(k in href for k in ("doi.org", "pubmed", "ncbi.nlm.nih.gov")):
                self.parts.append(f" {href} ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag == "sup" and self._sup is not None:
            inner = "".join(self._sup).strip()
            digits = re.fullmatch(r"\[?(\d{1,3}(?:\s*[-–,]\s*\d{1,3})*)\]?", inner)
            self.parts.append(f"[{digits[1]}]" if digits else inner)
            self._sup = None
        elif re.fullmatch(r"h[1-6]", tag) or tag in self._BREAKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        target = self._sup if self._sup is not None else self.parts
        target.append(data.replace("\n", " "))


def _html_lines(text: str) -> list[str]:
    parser = _HTMLText()
    parser.feed(text)
    parser.close()
    return html.unescape("".join(parser.parts)).splitlines()


# ------------------------------------------------------------------------------ markers
_NUMBERS: Final = r"\d{1,3}(?:\s*[-–,]\s*\d{1,3})*"
_BRACKET_RE: Final = re.compile(rf"\s?\[({_NUMBERS})\]")
_PAREN_RE: Final = re.compile(r"(?<=\S)\s?\((\d{1,2}(?:\s*[-–,]\s*\d{1,2})*)\)(?=[\s.,;:]|$)")
_SUPERSCRIPT: Final = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻˒", "0123456789-,")
_SUPER_RE: Final = re.compile(r"([⁰¹²³⁴⁵⁶⁷⁸⁹]+(?:[⁻˒,][⁰¹²³⁴⁵⁶⁷⁸⁹]+)*)")
_BARE_END_RE: Final = re.compile(r"(?<=[^\s\d])\s+(\d{1,2}(?:\s*,\s*\d{1,2})*)\s*$")
_BARE_MID_RE: Final = re.compile(r"(?<=[.!?])\s+(\d{1,2}(?:\s*,\s*\d{1,2})*)(?=\s+[A-Z])")
#: a bare number after these words is part of the text, not a citation marker
_TAKES_NUMBER: Final = frozenset(
    """type types grade grades stage stages phase class level levels step steps day days week
    weeks month months year years hour hours age aged n of to than and or about over under least
    most figure fig table tables chapter version score times x from between at in on by per every
    item vol no number part section chromosome trisomy factor top dsm icd approximately nearly
    almost only just all some mean median total dose doses mg ml""".split()
)


def _numbers(spec: str) -> list[int]:
    found: list[int] = []
    for part in re.split(r"\s*,\s*", spec.strip()):
        ends = [int(p) for p in re.split(r"\s*[-–]\s*", part) if p.strip().isdigit()]
        if len(ends) == 2 and 0 < ends[1] - ends[0] <= 20:
            found.extend(range(ends[0], ends[1] + 1))
        elif ends:
            found.append(ends[0])
    return [n for n in found if n > 0]


def _take_markers(text: str, bare_limit: int) -> tuple[str, list[tuple[int, list[int]]]]:
    """``text`` without its citation markers, and each marker's position in the cleaned text."""
    spans: list[tuple[int, int, list[int]]] = []
    for regex in (_BRACKET_RE, _PAREN_RE, _SUPER_RE):
        for match in regex.finditer(text):
            spec = match[1].translate(_SUPERSCRIPT)
            spans.append((match.start(), match.end(), _numbers(spec)))
    for regex in (_BARE_END_RE, _BARE_MID_RE):
        for match in regex.finditer(text):
            before = re.findall(r"[\w.]+", text[: match.start()])
            word = before[-1].casefold().rstrip(".") if before else ""
            numbers = _numbers(match[1])
            if word in _TAKES_NUMBER or not numbers or max(numbers) > bare_limit:
                continue
            spans.append((match.start(), match.end(), numbers))
    spans = _without_overlaps(spans)
    cleaned: list[str] = []
    markers: list[tuple[int, list[int]]] = []
    at = 0
    for start, end, numbers in spans:
        cleaned.append(text[at:start])
        markers.append((len("".join(cleaned)), numbers))
        at = end
    cleaned.append(text[at:])
    return "".join(cleaned), markers


def _without_overlaps(spans: list[tuple[int, int, list[int]]]) -> list[tuple[int, int, list[int]]]:
    kept: list[tuple[int, int, list[int]]] = []
    for span in sorted(spans, key=lambda s: (s[0], -s[1])):
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


# ------------------------------------------------------------------------------ sentences
_BOUNDARY_RE: Final = re.compile(r"[.!?]+[\"”’')\]]*\s+(?=[A-Z0-9\"“‘(\[])")
_NOT_AN_END: Final = frozenset(
    "e.g i.e et al vs dr fig figs no nos approx ca cf etc st mr mrs prof n.y u.s u.k eq ref refs "
    "vol pp".split()
)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences of ``text`` (abbreviations such as "e.g." and "et al." kept)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY_RE.finditer(text):
        head = text[start : match.start()]
        words = head.split()
        last = words[-1].casefold().rstrip(".") if words else ""
        if last in _NOT_AN_END or (len(last) == 1 and last.isalpha()) or "et al" in head[-8:]:
            continue
        end = match.start() + len(match[0].rstrip())
        spans.append((start, end))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return [(s, e) for s, e in spans if re.search(r"[A-Za-z]", text[s:e])]


# ------------------------------------------------------------------------------ blocks
def _is_heading(text: str) -> bool:
    """A short line without sentence punctuation (its citation markers set aside)."""
    plain = _take_markers(text, 99)[0].strip()
    words = plain.split()
    return (
        0 < len(words) <= 12
        and not re.search(r"[.!?:;,](?:\s|$)", plain)
        and not plain[0].islower()
    )


def _blocks(lines: list[tuple[int, str]]) -> list[_Block]:
    blocks: list[_Block] = []
    paragraph: list[tuple[int, str]] = []

    def flush() -> None:
        if not paragraph:
            return
        text = " ".join(t for _, t in paragraph)
        line = paragraph[0][0]
        if len(paragraph) == 1 and text.endswith("?"):
            blocks.append(_Block("question", text, line))
        elif len(paragraph) == 1 and _is_heading(text):
            blocks.append(_Block("heading", text, line))
        else:
            blocks.append(_Block("paragraph", text, line))
        paragraph.clear()

    for number, raw in lines:
        text = raw.strip()
        if not text:
            flush()
            continue
        heading = _MD_HEADING_RE.match(raw) or _BOLD_LINE_RE.match(raw)
        bullet = _BULLET_RE.match(raw)
        if heading:
            flush()
            blocks.append(_Block("heading", heading[heading.lastindex or 1].strip(), number))
        elif _SETEXT_RE.match(raw) and paragraph:
            flush()
            if blocks and blocks[-1].kind in ("paragraph", "heading"):
                last = blocks.pop()
                blocks.append(_Block("heading", last.text, last.line))
        elif bullet:
            flush()
            blocks.append(_Block("bullet", bullet[1].strip(), number))
        elif blocks and blocks[-1].kind == "bullet" and not paragraph and raw[:1].isspace():
            last = blocks.pop()
            blocks.append(_Block("bullet", f"{last.text} {text}", last.line))
        else:
            paragraph.append((number, text))
    flush()
    return blocks


def _lines(text: str) -> tuple[str, list[str]]:
    if _HTML_RE.search(text):
        return "html", [_clean_inline(line) for line in _html_lines(text)]
    fmt = "markdown" if _MARKDOWN_RE.search(text) else "text"
    return fmt, [_clean_inline(line) for line in text.splitlines()]


def read_answer(text: str) -> ReadAnswer:
    """Split ``text`` into its question, statements and references."""
    text = _ANSI_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL_RE.sub(" ", text)
    fmt, lines = _lines(text)
    heading, end = find_reference_section(lines)
    references = read_references(lines[heading + 1 : end], first_line=heading + 2)
    body = [(i + 1, line) for i, line in enumerate(lines[:heading])]
    outside = "\n".join([*lines[:heading], *lines[end:]])
    blocks = _blocks(body)
    bare_limit = max(20, len(references) + 10)
    statements, question = _statements(blocks, bare_limit)
    return ReadAnswer(fmt, question, tuple(statements), tuple(references), outside)


def _sentences(text: str, bare_limit: int) -> list[tuple[str, tuple[int, ...]]]:
    """The sentences of a block, each with the markers it carries (one closing it included)."""
    text, markers = _take_markers(text, bare_limit)
    spans = split_sentences(text)
    positions = [at for at, _ in markers]
    found = []
    for number, (start, end) in enumerate(spans):
        next_start = spans[number + 1][0] if number + 1 < len(spans) else len(text) + 1
        first = 0 if number == 0 else bisect_left(positions, start)
        cited = [n for _, ns in markers[first : bisect_left(positions, next_start)] for n in ns]
        sentence = re.sub(r"\s+([.,;:!?])", r"\1", " ".join(text[start:end].split()))
        found.append((sentence, tuple(dict.fromkeys(cited))))
    return found


def _statements(blocks: list[_Block], bare_limit: int) -> tuple[list[Statement], str | None]:
    found: list[Statement] = []
    heading: str | None = None
    question: str | None = None
    lead_in: str | None = None
    for position, block in enumerate(blocks):
        if block.kind in ("heading", "question"):
            heading = block.text.rstrip(":") if block.kind == "heading" else heading
            question = block.text if block.text.endswith("?") else question
            lead_in = None
            continue
        following = blocks[position + 1] if position + 1 < len(blocks) else None
        before_bullets = following is not None and following.kind == "bullet"
        lead_in = None if block.kind == "paragraph" else lead_in
        sentences = _sentences(block.text, bare_limit)
        previous: str | None = None
        for number, (sentence, markers) in enumerate(sentences):
            if sentence.endswith("?"):
                if question is None and len(sentences) == 1 and block.kind == "paragraph":
                    question = sentence
                continue
            kind = "bullet" if block.kind == "bullet" else "sentence"
            last = number == len(sentences) - 1
            if block.kind == "paragraph" and last and sentence.endswith(":") and before_bullets:
                lead_in, kind = sentence, "lead-in"
                if re.split(r"[\s,]+", sentence, maxsplit=1)[0].casefold() in _SUBORDINATE:
                    continue
            found.append(
                Statement(
                    index=len(found) + 1,
                    text=sentence,
                    markers=markers,
                    kind=kind,
                    heading=heading,
                    question=question,
                    lead_in=lead_in if kind == "bullet" else None,
                    follows=previous,
                    line=block.line,
                )
            )
            previous = sentence
    return found, question

"""Check an answer's citations: each marker against its reference, each reference against the graph.

Consumes: the reference list (bibliography.py), the text outside it, the graph's sources with their
identifiers and the claims of the cited ones (graph.py), and each statement's own terms and the
claims that support it (verdicts.py).
Produces: a ``ReferenceReview`` per reference (the graph source it is, and its problems) and a
``CitationCheck`` per marker of a statement.
Policy: a reference is the graph source with its PMID, else its DOI, else its title (compared
without case and punctuation; a graph title inside the entry counts). Problems, by code:
``no_reference`` (a marker the list lacks), ``never_cited``, ``self_citation`` (the answer's own
site: a name from the entry's byline that the answer's own pages carry, or a ``--site`` name),
``ai_answer`` (another AI-written answer), ``unverifiable`` (not among the graph's sources: its
identifiers are printed for a curator), ``identifier_differs`` (its PMID or DOI names another
record than its title), ``mismatch`` (no approved claim of the source is about the statement's
terms together, or kinds or parts of them: all of them, or two of more),
``cited_source_disagrees`` (the cited source is behind an approved claim that contradicts the
statement) and ``shifted_numbering`` (another listed reference supports the statement when the
cited one does not).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from rapidfuzz import fuzz

from .bibliography import Reference
from .graph import GraphReader, GraphSource
from .verdicts import Check

__all__ = ["CitationCheck", "Problem", "ReferenceReview", "check_citations", "review_references"]

_AI_RE: Final = re.compile(
    r"\b(?:AI[- ]generated|AI[- ]written|ChatGPT|GPT-\d|OpenAI|language model|Medical A\.I\.|"
    r"chatbot)\b",
    re.IGNORECASE,
)
_TITLE_SCORE: Final = 92


@dataclass(frozen=True)
class Problem:
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True)
class ReferenceReview:
    reference: Reference
    source: GraphSource | None
    matched_by: str | None  # pmid | doi | title | url
    cited_by: tuple[int, ...]
    problems: tuple[Problem, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.reference.as_dict(),
            "source": self.source.key if self.source else None,
            "source_kind": self.source.kind if self.source else None,
            "matched_by": self.matched_by,
            "cited_by": list(self.cited_by),
            "problems": [p.as_dict() for p in self.problems],
        }


@dataclass(frozen=True)
class CitationCheck:
    marker: int
    reference: int | None
    source: str | None
    supports: bool | None
    problems: tuple[Problem, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "marker": self.marker,
            "reference": self.reference,
            "source": self.source,
            "supports": self.supports,
            "problems": [p.as_dict() for p in self.problems],
        }


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.replace("’", "'").casefold()).split())


def match_source(
    reference: Reference, sources: Sequence[GraphSource]
) -> tuple[GraphSource | None, str | None, list[Problem]]:
    """The graph source ``reference`` is, how it was matched, and any identifier disagreement."""
    by_id: tuple[GraphSource | None, str | None] = (None, None)
    for source in sources:
        if reference.pmid and source.pmid == reference.pmid:
            by_id = (source, "pmid")
            break
        if reference.doi and source.doi and source.doi.casefold() == reference.doi.casefold():
            by_id = (source, "doi")
            break
    by_title = _by_title(reference, sources)
    problems = []
    if by_id[0] is not None and by_title is not None and by_title.key != by_id[0].key:
        problems.append(
            Problem(
                "identifier_differs",
                f"its identifier names {by_id[0].key} ({by_id[0].title}), its title names "
                f"{by_title.key}",
            )
        )
    if by_id[0] is None and by_title is not None and (reference.pmid or reference.doi):
        known = [f"PMID:{by_title.pmid}" if by_title.pmid else "", by_title.doi or ""]
        given = ", ".join(reference.identifiers()[:2])
        problems.append(
            Problem(
                "identifier_differs",
                f"it gives {given}, but the graph's record of this title ({by_title.key}) has "
                f"{', '.join(k for k in known if k) or 'no such identifier'}",
            )
        )
    if by_id[0] is not None:
        return by_id[0], by_id[1], problems
    if by_title is not None:
        return by_title, "title", problems
    for source in sources:
        if set(reference.urls) & set(source.urls):
            return source, "url", problems
    return None, None, problems


def _by_title(reference: Reference, sources: Sequence[GraphSource]) -> GraphSource | None:
    entry = _plain(reference.text)
    title = _plain(reference.title or "")
    for source in sources:
        wanted = _plain(source.title)
        if wanted and (wanted == title or (len(wanted.split()) >= 3 and wanted in entry)):
            return source
    if title and len(title.split()) >= 4:
        scored = [(fuzz.ratio(title, _plain(s.title)), s.key, s) for s in sources]
        best = max(scored, default=None, key=lambda t: (t[0], t[1]))
        if best is not None and best[0] >= _TITLE_SCORE:
            return best[2]
    return None


def _own_site(reference: Reference, outside: str, sites: Sequence[str]) -> str | None:
    """The name that makes ``reference`` the answer's own site, if any: a ``--site`` name in it;
    a site-like name of it ("Dr.Oracle") that the answer's own page also carries; or a
    capitalised phrase of it that the page introduces as its own ("by our Medical Advisory
    Board", "Written by Example Health Answers")."""
    text = reference.text
    for site in sites:
        if site.casefold() in text.casefold():
            return site
    words: list[str] = re.findall(r"[\w.'’&-]+", text)
    for word in words:
        word = word.strip(".")
        if re.fullmatch(r"\w+\.\w{2,}|[a-z]+[A-Z]\w+", word) and re.search(
            rf"(?<![\w.]){re.escape(word)}(?![\w])", outside
        ):
            return word
    for size in (4, 3, 2):
        for start in range(len(words) - size + 1):
            window = words[start : start + size]
            if not all(w[:1].isupper() and w.isalpha() for w in window):
                continue
            phrase = " ".join(window)
            if re.search(rf"\b(?:our|by|from|at|©)\s+{re.escape(phrase)}\b", outside, re.I):
                return phrase
    return None


def review_references(
    references: Sequence[Reference],
    outside: str,
    sources: Sequence[GraphSource],
    cited: Mapping[int, Sequence[int]],
    sites: Sequence[str] = (),
) -> list[ReferenceReview]:
    """Each reference: the graph source it is, who cites it, and its problems."""
    found = []
    for reference in references:
        source, matched_by, problems = match_source(reference, sources)
        cited_by = tuple(cited.get(reference.number, ()))
        if not cited_by:
            problems.append(Problem("never_cited", "no statement cites it"))
        site = _own_site(reference, outside, sites) if source is None else None
        if site:
            problems.append(
                Problem(
                    "self_citation",
                    f"the answer's own site: '{site}' also appears on the answer's own page",
                )
            )
        ai_answer = (source is not None and source.kind == "ai_answer") or bool(
            _AI_RE.search(reference.text)
        )
        if ai_answer:
            problems.append(Problem("ai_answer", "another AI-written answer, not a source"))
        if source is None and not site and not ai_answer:
            ids = ", ".join(reference.identifiers()) or "no PMID, DOI or web address given"
            problems.append(
                Problem("unverifiable", f"not among the graph's sources; identifiers: {ids}")
            )
        found.append(ReferenceReview(reference, source, matched_by, cited_by, tuple(problems)))
    return found


_CARRIED: Final = frozenset({"self_citation", "ai_answer", "unverifiable", "identifier_differs"})


def check_citations(
    markers: Sequence[int],
    own_terms: Iterable[frozenset[str]],
    checks: Sequence[Check],
    references: Mapping[int, ReferenceReview],
    source_claims: Mapping[str, Sequence[tuple[str, ...]]],
    reader: GraphReader,
) -> list[CitationCheck]:
    """The checks of one statement's markers."""
    own = [t for t in own_terms if t]
    supporting = _sources_of(checks, "supports")
    contradicting = _sources_of(checks, "contradicts")
    found = []
    for marker in markers:
        review = references.get(marker)
        if review is None:
            problem = Problem(
                "no_reference", f"[{marker}] names no reference: the list has {len(references)}"
            )
            found.append(
                CitationCheck(
                    marker, None, None, None, (problem, *_shifted(marker, supporting, references))
                )
            )
            continue
        problems = [p for p in review.problems if p.code in _CARRIED]
        source = review.source
        supports: bool | None = None
        if source is not None:
            supports = source.key in supporting
            claims = source_claims.get(source.iri, ())
            if own and not supports and not _links(claims, own, reader):
                missing = [g for g in own if not any(_about(c, g, reader) for c in claims)]
                labels = ", ".join(
                    sorted({reader.lexicon.label(next(iter(t))) for t in missing or own})
                )
                what = f"say nothing about {labels}" if missing else f"never link {labels}"
                problems.append(
                    Problem(
                        "mismatch",
                        f"reference {marker} is {source.key} in the graph, and its approved claims "
                        f"{what}",
                    )
                )
        if source is not None and source.key in contradicting:
            problems.append(
                Problem(
                    "cited_source_disagrees",
                    f"reference {marker} ({source.key}) is behind an approved claim that says "
                    "otherwise",
                )
            )
        if not supports:
            problems += _shifted(marker, supporting, references)
        found.append(
            CitationCheck(marker, marker, source.key if source else None, supports, tuple(problems))
        )
    return found


def _sources_of(checks: Sequence[Check], role: str) -> set[str]:
    return {
        s.key
        for check in checks
        for use in check.claims
        if use.role == role
        for s in use.claim.view.sources
    }


def _about(claim: Sequence[str], group: frozenset[str], reader: GraphReader) -> bool:
    """A claim term is one of the group's terms, or a kind or part of one."""
    return any(term in group or bool(group & reader.ancestors(term, parts=True)) for term in claim)


def _links(claims: Sequence[Sequence[str]], own: list[frozenset[str]], reader: GraphReader) -> bool:
    """One approved claim of the source is about the statement's terms together: all of them,
    or two for a statement of more. A review of Meige syndrome that speaks of dystonia is not
    about "dystonia in multiple sclerosis" because it names dystonia."""
    needed = min(len(own), 2)
    return any(sum(_about(claim, group, reader) for group in own) >= needed for claim in claims)


def _shifted(
    marker: int, supporting: set[str], references: Mapping[int, ReferenceReview]
) -> list[Problem]:
    others = [
        r
        for n, r in sorted(references.items())
        if n != marker and r.source and r.source.key in supporting
    ]
    return [
        Problem(
            "shifted_numbering",
            f"reference {r.reference.number} ({r.source.key}) supports this statement; "
            "the numbering may be shifted",
        )
        for r in others
        if r.source is not None
    ]

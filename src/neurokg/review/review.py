"""Review an AI-written answer against the graph: ``review_answer(engine, text) -> Review``.

Consumes: an ``Engine`` and the answer's text (text, Markdown or HTML).
Produces: a ``Review``: every statement with its terms, propositions, verdict, the claims behind
it and its citation checks; every reference with the graph source it is and its problems; a
summary and a receipt (versions, content hashes, the named queries run, the answer's SHA-256).
Policy: reading.py splits the answer, grounding.py finds terms with the graph's own lexicon,
cues.py reads relations, verdicts.py decides from approved claims with a non-AI source only,
citations.py checks markers and references. A statement's verdict is the worst of its
propositions' (contradicted, then conflicting); it is supported only when every proposition is
and no treatment, lesion, cause or presenting-symptom cue went unchecked; with no proposition it
is not checkable. Offline and deterministic: no network, no model; the same input and graph give
the same review, byte for byte.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from ..evidence import Certainty
from ..namespaces import compact
from ..query import Engine
from .citations import (
    CitationCheck,
    Problem,
    ReferenceReview,
    check_citations,
    review_references,
)
from .cues import Participant, Reading, is_context, read_statement
from .graph import GraphReader
from .grounding import Grounder, Hit
from .reading import ReadAnswer, Statement, read_answer
from .verdicts import Check, ClaimUse, judge

__all__ = ["SCHEMA", "VERDICTS", "Review", "StatementReview", "review_answer"]

SCHEMA: Final = "neurokg-review/1"
VERDICTS: Final = ("supported", "contradicted", "conflicting", "unsupported", "not_checkable")
_PRONOUNS: Final = frozenset("it they this these such its their both".split())
_SEARCH_LEVELS: Final = 4
_ROLES: Final = ("contradicts", "supports", "nearest", "not_counted")


@dataclass(frozen=True)
class StatementReview:
    statement: Statement
    hits: tuple[Hit, ...]
    reading: Reading
    checks: tuple[Check, ...]
    verdict: str
    why: str
    certainty: Certainty | None
    citations: tuple[CitationCheck, ...]

    @property
    def flags(self) -> tuple[Problem, ...]:
        return tuple(Problem(h.status, h.message or "") for h in self.hits if h.status != "ok")

    def claims(self) -> list[ClaimUse]:
        """Every claim behind the verdict once, in its strongest role, supports first."""
        unique: dict[str, ClaimUse] = {}
        for check in self.checks:
            for use in check.claims:
                held = unique.get(use.claim.id)
                if held is None or _ROLES.index(use.role) < _ROLES.index(held.role):
                    unique[use.claim.id] = use
        return sorted(unique.values(), key=lambda u: (_ROLES.index(u.role), u.claim.id))

    def relation(self) -> str | None:
        return self.checks[0].proposition.relation if self.checks else None

    def as_dict(self) -> dict[str, Any]:
        s = self.statement
        return {
            "index": s.index,
            "text": s.text,
            "kind": s.kind,
            "line": s.line,
            "context": s.context(),
            "markers": list(s.markers),
            "terms": [_term(h) for h in self.hits],
            "relation": self.relation(),
            "verdict": self.verdict,
            "why": self.why,
            "certainty": self.certainty.as_dict() if self.certainty else None,
            "checks": [
                {
                    "statement": c.proposition.describe(),
                    "relation": c.proposition.relation,
                    "subject": c.proposition.subject.as_dict(),
                    "object": c.proposition.object.as_dict(),
                    "negated": c.proposition.negated,
                    "context": [p.as_dict() for p in c.proposition.context],
                    "numbers": [n.text for n in c.proposition.numbers],
                    "verdict": c.verdict,
                    "why": c.why,
                    "claims": [u.claim.id for u in c.claims],
                }
                for c in self.checks
            ],
            "unchecked": list(self.reading.unchecked),
            "claims": [u.as_dict() for u in self.claims()],
            "citations": [c.as_dict() for c in self.citations],
            "flags": [f.as_dict() for f in self.flags],
        }


def _term(hit: Hit) -> dict[str, Any]:
    first = hit.terms[0] if hit.terms else None
    found: dict[str, Any] = {
        "text": hit.text,
        "id": first.id if first else (compact(hit.refused.iri) if hit.refused else None),
        "label": first.label if first else (hit.refused.label if hit.refused else None),
        "matched_as": hit.matched_as,
        "status": hit.status,
    }
    if len(hit.terms) > 1:
        found["candidates"] = [t.id for t in hit.terms]
    return found


@dataclass(frozen=True)
class Review:
    name: str
    fmt: str
    sha256: str
    question: str | None
    statements: tuple[StatementReview, ...]
    references: tuple[ReferenceReview, ...]
    receipt: dict[str, Any]

    def counts(self) -> dict[str, int]:
        found = dict.fromkeys(VERDICTS, 0)
        for s in self.statements:
            found[s.verdict] += 1
        return found

    def citation_problems(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for s in self.statements:
            for citation in s.citations:
                for problem in citation.problems:
                    found[problem.code] = found.get(problem.code, 0) + 1
        for r in self.references:
            for problem in r.problems:
                if problem.code == "never_cited":
                    found["never_cited"] = found.get("never_cited", 0) + 1
        return dict(sorted(found.items()))

    def summary(self) -> dict[str, Any]:
        flags: dict[str, int] = {}
        for s in self.statements:
            for flag in s.flags:
                flags[flag.code] = flags.get(flag.code, 0) + 1
        return {
            "statements": len(self.statements),
            "verdicts": self.counts(),
            "markers": sum(len(s.statement.markers) for s in self.statements),
            "references": len(self.references),
            "references_in_graph": sum(1 for r in self.references if r.source is not None),
            "citation_problems": self.citation_problems(),
            "flags": dict(sorted(flags.items())),
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "input": {"name": self.name, "format": self.fmt, "sha256": self.sha256},
            "question": self.question,
            "statements": [s.as_dict() for s in self.statements],
            "references": [r.as_dict() for r in self.references],
            "summary": self.summary(),
            "receipt": self.receipt,
        }


def review_answer(
    engine: Engine,
    text: str,
    *,
    name: str = "answer",
    sites: Sequence[str] = (),
    version: str = "unknown",
) -> Review:
    """Review the answer ``text`` statement by statement and citation by citation."""
    answer = read_answer(text)
    reader = GraphReader(engine)
    grounder = _grounder(reader, answer)
    readings = [_read(grounder, s) for s in answer.statements]
    _load_claims(reader, readings)
    checks = [
        tuple(judge(reader, p, reading.frequency_words) for p in reading.propositions)
        for _, reading in readings
    ]
    cited: dict[int, list[int]] = {}
    for s in answer.statements:
        for marker in s.markers:
            cited.setdefault(marker, []).append(s.index)
    references = review_references(
        answer.references, answer.outside, reader.sources(), cited, sites
    )
    by_number = {r.reference.number: r for r in references}
    source_claims = _source_claims(reader, references)
    reviews = []
    for statement, (hits, reading), found in zip(answer.statements, readings, checks, strict=True):
        verdict, why, certainty = _verdict(hits, reading, found)
        own = [h.iris() for h in hits if h.usable]
        citations = check_citations(statement.markers, own, found, by_number, source_claims, reader)
        reviews.append(
            StatementReview(
                statement, hits, reading, found, verdict, why, certainty, tuple(citations)
            )
        )
    receipt = reader.receipt(version)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Review(
        name, answer.fmt, digest, answer.question, tuple(reviews), tuple(references), receipt
    )


def _source_claims(
    reader: GraphReader, references: Sequence[ReferenceReview]
) -> dict[str, list[tuple[str, ...]]]:
    """The terms of each cited source's approved claims (their hierarchy read too)."""
    in_graph = [r.source.iri for r in references if r.source is not None]
    found = {
        iri: [
            tuple(str(row[k]) for k in ("subject", "object") if k in row)
            for row in rows
            if str(row["status"]).endswith("Approved")
        ]
        for iri, rows in reader.claims_by_source(in_graph).items()
    }
    reader.climb(t for claims in found.values() for claim in claims for t in claim)
    return found


def _grounder(reader: GraphReader, answer: ReadAnswer) -> Grounder:
    texts = [answer.question or ""]
    for s in answer.statements:
        texts += [s.text, s.heading or "", s.lead_in or "", s.follows or ""]
    topic = (
        [answer.question] if answer.question else [s.heading or "" for s in answer.statements[:1]]
    )
    return Grounder(reader.lexicon, [t for t in texts if t], [t for t in topic if t])


def _read(grounder: Grounder, statement: Statement) -> tuple[tuple[Hit, ...], Reading]:
    hits = grounder.hits(statement.text)
    usable = [h for h in hits if h.usable]
    first = re.findall(r"[\w']+", statement.text.casefold())[:1]
    fill: tuple[Hit, ...] = ()
    inherited: list[Hit] = []
    if statement.kind == "bullet" and statement.lead_in:
        fill = grounder.hits(statement.lead_in)
        inherited = [h for h in fill if h.usable and is_context(statement.lead_in, h)]
    elif first and first[0] in _PRONOUNS and statement.follows:
        fill = grounder.hits(statement.follows)
    reading = read_statement(statement.text, usable, [h for h in fill if h.usable], inherited)
    return hits, reading


def _load_claims(reader: GraphReader, readings: list[tuple[tuple[Hit, ...], Reading]]) -> None:
    """Read the claims that could bear on any proposition: between their terms (or terms up to
    ``_SEARCH_LEVELS`` levels above them), and the lesion sites of their conditions."""
    propositions = [p for _, reading in readings for p in reading.propositions]
    terms = {
        t for p in propositions for part in (p.subject, p.object, *p.context) for t in part.iris
    }
    reader.climb(terms)
    pairs = [
        (a, b)
        for p in propositions
        for x in p.subject.iris
        for y in p.object.iris
        for a in reader.near(x, _SEARCH_LEVELS)
        for b in reader.near(y, _SEARCH_LEVELS)
    ]
    found = reader.claims_between(pairs)
    lesions = {t for p in propositions if p.relation == "lesion_in" for t in p.subject.iris}
    found += reader.claims_of("lesion_sites", lesions)
    reader.load(found)
    reader.climb(t for claim in reader.claims.values() for t in claim.terms())


def _labels(participants: Sequence[Participant] | Sequence[Hit]) -> str:
    names = [p.label if isinstance(p, Participant) else p.terms[0].label for p in participants]
    return ", ".join(dict.fromkeys(names))


def _verdict(
    hits: tuple[Hit, ...], reading: Reading, checks: tuple[Check, ...]
) -> tuple[str, str, Certainty | None]:
    usable = list({h.iris(): h for h in hits if h.usable}.values())
    if not checks:
        if not usable:
            why = "no term of the graph was found"
            if any(h.status != "ok" for h in hits):
                why += " that may be used (see the flags)"
        elif len(usable) == 1:
            why = f"only one term of the graph was found ({_labels(usable)})"
        else:
            why = f"no relation the graph can check links {_labels(usable)}"
        return "not_checkable", why, None
    parts = [f"{c.proposition.describe()}: {c.verdict} ({c.why})" for c in checks]
    for verdict in ("contradicted", "conflicting"):
        chosen = [c for c in checks if c.verdict == verdict]
        if chosen:
            return verdict, "; ".join(parts), _best(chosen, strongest=True)
    unchecked = ", ".join(f"'{u}'" for u in reading.unchecked)
    if all(c.verdict == "supported" for c in checks) and not unchecked:
        return "supported", "; ".join(parts), _best(list(checks), strongest=False)
    if unchecked:
        parts.append(f"not checked: {unchecked} (no term the graph could check it against)")
    return "unsupported", "; ".join(parts), None


def _best(checks: list[Check], *, strongest: bool) -> Certainty | None:
    """A contradiction is as sure as its surest claim; support as sure as its weakest part."""
    graded = [c for c in (check.certainty() for check in checks) if c is not None]
    if not graded:
        return None
    return (max if strongest else min)(graded, key=Certainty.rank)

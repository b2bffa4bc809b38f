"""Write a review for people (text) and for programs (JSON, schema ``neurokg-review/1``).

Consumes: a ``Review`` (review.py). Produces: text or JSON. Decides nothing.
Policy: the text report lists the statements in order, each with its verdict, why (claim by
claim, with certainty and excerpt), flags and citations; then the references, a summary and the
receipt. Not-checkable statements take two lines. The JSON holds every field of the review; its
``schema`` names the version, changed only with a documented, incompatible change.
"""

from __future__ import annotations

import json
import textwrap
from typing import Final

from .citations import ReferenceReview
from .review import Review, StatementReview
from .verdicts import Check, ClaimUse

__all__ = ["render_json", "render_text"]

_WIDTH: Final = 100
_EXCERPT: Final = 200
_WORDS: Final = {
    "supported": "SUPPORTED",
    "contradicted": "CONTRADICTED",
    "conflicting": "CONFLICTING",
    "unsupported": "UNSUPPORTED",
    "not_checkable": "NOT CHECKABLE",
}


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def render_json(review: Review) -> str:
    return json.dumps(review.as_dict(), indent=2, ensure_ascii=False) + "\n"


def _wrap(text: str, indent: str, first: str | None = None) -> list[str]:
    return textwrap.wrap(
        text,
        width=_WIDTH,
        initial_indent=first if first is not None else indent,
        subsequent_indent=indent,
        break_on_hyphens=False,
    ) or [first or indent]


def _cut(text: str, size: int = _EXCERPT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 3].rstrip() + "..."


def _claim_lines(use: ClaimUse, indent: str) -> list[str]:
    view = use.claim.view
    head = f"{view.id}: {view.statement()}"
    if use.route not in ("direct", "nearest"):
        head += f" ({use.route})"
    lines = _wrap(f"{head}; certainty {use.certainty.explain()}", indent + "  ", indent)
    if use.note:
        lines += _wrap(f"note: {use.note}", indent + "  ")
    for source in view.sources[:2]:
        ids = " ".join(
            i for i in (f"PMID:{source.pmid}" if source.pmid else "", source.doi or "") if i
        )
        where = f"{source.key}{', ' + ids if ids else ''}"
        if source.standing not in (None, "current"):
            where += f", {str(source.standing).upper()}"
        lines += _wrap(f'"{_cut(source.excerpt)}" ({where})', indent + "    ", indent + "  ")
    return lines


def _check_lines(check: Check) -> list[str]:
    lines = _wrap(f"- {check.proposition.describe()}: {_WORDS[check.verdict]}", "      ", "    ")
    deciding = [u for u in check.claims if u.role in ("supports", "contradicts")]
    nearest = [u for u in check.claims if u.role == "nearest"]
    for use in deciding:
        lines += _claim_lines(use, "      ")
    if check.verdict == "unsupported":
        lines += _wrap(check.why, "        ", "      ")
        for use in nearest:
            lines += _wrap(
                f"nearest: {use.claim.id}: {use.claim.view.statement()}"
                + (f" ({use.note})" if use.note else ""),
                "          ",
                "        ",
            )
    elif check.verdict == "conflicting":
        lines += _wrap(check.why, "        ", "      ")
    return lines


def _statement_lines(review: StatementReview) -> list[str]:
    s = review.statement
    marks = f" [{', '.join(str(m) for m in s.markers)}]" if s.markers else ""
    lines = _wrap(f"{s.index}. {_WORDS[review.verdict]}  {s.text}{marks}", "    ", "")
    if review.verdict == "not_checkable":
        lines += _wrap(f"why: {review.why}", "      ", "    ")
    else:
        if s.heading:
            lines += _wrap(f"under: {s.heading}", "      ", "    ")
        terms = "; ".join(
            dict.fromkeys(
                f"{h.text} = {h.terms[0].label} ({', '.join(t.id for t in h.terms)})"
                for h in review.hits
                if h.usable
            )
        )
        if terms:
            lines += _wrap(f"terms: {terms}", "      ", "    ")
        for check in review.checks:
            lines += _check_lines(check)
        if review.reading.unchecked:
            unchecked = ", ".join(f"'{u}'" for u in review.reading.unchecked)
            lines += _wrap(
                f"not checked: {unchecked} (no term the graph could check it against)",
                "      ",
                "    ",
            )
        ignored: dict[str, list[str]] = {}
        for use in review.claims():
            if use.role == "not_counted":
                ignored.setdefault(use.note or "", []).append(use.claim.id)
        for why, ids in ignored.items():
            lines += _wrap(f"not counted ({why}): {', '.join(ids)}", "      ", "    ")
    for flag in review.flags:
        lines += _wrap(f"FLAG {flag.code}: {flag.message}", "      ", "    ")
    for citation in review.citations:
        where = f"reference {citation.reference}" if citation.reference else "no reference"
        if citation.source:
            where += f" = {citation.source}" + (" (supports it)" if citation.supports else "")
        problems = "; ".join(f"{p.code}: {p.message}" for p in citation.problems) or "ok"
        lines += _wrap(f"citation [{citation.marker}] -> {where}: {problems}", "      ", "    ")
    return lines


def _reference_lines(reference: ReferenceReview) -> list[str]:
    r = reference.reference
    head = f"{r.number}. {r.short()}" + (f" ({r.year})" if r.year else "")
    if reference.source:
        head += f" = {reference.source.key} (matched by {reference.matched_by})"
    cited = ", ".join(str(i) for i in reference.cited_by) or "none"
    lines = _wrap(f"{head}; cited by statements: {cited}", "      ", "  ")
    for problem in reference.problems:
        lines += _wrap(f"{problem.code}: {problem.message}", "      ", "    ")
    return lines


def render_text(review: Review) -> str:
    summary = review.summary()
    lines = [
        f"neurokg review of {review.name} ({review.fmt}; "
        f"{_count(summary['statements'], 'statement')}, "
        f"{_count(summary['markers'], 'citation marker')}, "
        f"{_count(summary['references'], 'reference')})",
    ]
    if review.question:
        lines.append(f"Question: {review.question}")
    lines += [
        "Verdicts rest only on approved claims with a source that is not an AI-written answer.",
        "",
    ]
    for statement in review.statements:
        lines += _statement_lines(statement)
    lines += ["", "References"]
    for reference in review.references:
        lines += _reference_lines(reference)
    if not review.references:
        lines.append("  (no reference list found)")
    counts = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in summary["verdicts"].items())
    problems = ", ".join(f"{k} {v}" for k, v in summary["citation_problems"].items()) or "none"
    flags = ", ".join(f"{k} {v}" for k, v in summary["flags"].items()) or "none"
    receipt = review.receipt
    lines += [
        "",
        "Summary",
        f"  statements: {summary['statements']} ({counts})",
        f"  citations: {summary['markers']} markers; problems: {problems}",
        f"  references: {summary['references']}, {summary['references_in_graph']} of them "
        "sources of the graph",
        f"  flags: {flags}",
        f"Receipt: neurokg {receipt['neurokg_version']}; graph {receipt['graph_version']} "
        f"(sha256:{receipt['graph_sha256']}); answer sha256:{review.sha256}",
        f"  queries: {', '.join(receipt['queries'])}",
    ]
    return "\n".join(lines) + "\n"

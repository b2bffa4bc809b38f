"""Text a clinician can read: the answer, each line's evidence and citations.

Consumes: an ``Answer`` (ask.py). Produces: plain text. Decides nothing.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable
from typing import Final

from .ask import Answer, ClaimView, SourceView

__all__ = ["BRIEF_LINES", "render_answer", "render_brief"]

#: The most lines ``render_brief`` writes.
BRIEF_LINES = 15

_STATUS = {
    "approved": "approved",
    "under_review": "under review",
    "submitted": "submitted",
    "rejected": "REJECTED",
    "deprecated": "deprecated",
}


_QUESTION = {"kind_of": "a kind of", "part_of": "a part of"}


_WIDTH: Final = 100
#: What textwrap would change in a line that fits: tabs, line breaks, trailing whitespace.
_RESHAPED: Final = re.compile(r"[\t\n\r\x0b\x0c]|\s$")


def _wrap(text: str, indent: str) -> str:
    if text and len(indent) + len(text) <= _WIDTH and not _RESHAPED.search(text):
        return indent + text  # what textwrap.fill gives for a line that fits, without its work
    return textwrap.fill(text, width=_WIDTH, initial_indent=indent, subsequent_indent=indent)


def _source_lines(source: SourceView, indent: str) -> list[str]:
    cited = f" (cited as {source.cited_as})" if source.cited_as else ""
    lines = [_wrap(f"- {source.citation()}{cited}", indent)]
    mark = '"' if source.excerpt_kind == "quote" else "summary: "
    end = '"' if source.excerpt_kind == "quote" else ""
    lines.append(_wrap(f"{mark}{source.excerpt}{end} [{source.evidence}]", indent + "  "))
    return lines


def _claim_lines(claim: ClaimView, indent: str = "  ") -> list[str]:
    details = [
        f"{_STATUS.get(claim.status, claim.status)}",
        f"certainty {claim.certainty.word}",
    ]
    if claim.route != "direct":
        details.append(claim.route)
    lines = [_wrap(f"* {claim.statement()}  [{'; '.join(details)}]  ({claim.id})", indent)]
    facts = []
    if claim.frequency:
        facts.append(f"{claim.frequency[0]} of {claim.frequency[1]}")
    facts.extend(f"{k.replace('_', ' ')}: {v}" for k, v in sorted(claim.qualifiers.items()))
    if facts:
        lines.append(_wrap("; ".join(facts), indent + "  "))
    if not claim.ai_only:
        lines.append(_wrap(f"certainty {claim.certainty.explain()}", indent + "  "))
    for source in claim.sources:
        lines.extend(_source_lines(source, indent + "  "))
    if claim.note:
        lines.append(_wrap(f"curator's note: {claim.note}", indent + "  "))
    return lines


def _section(title: str, claims: Iterable[ClaimView]) -> list[str]:
    body = [line for claim in claims for line in _claim_lines(claim)]
    return ["", title, *body] if body else []


def render_answer(answer: Answer) -> str:
    """Render ``answer`` as text."""
    a, b = answer.subject, answer.object
    how = _QUESTION.get(answer.relation, "associated with")
    certainty = f" (certainty: {answer.certainty.word})" if answer.certainty else ""
    lines = [
        f"Question: is {a.label} ({a.id}) {how} {b.label} ({b.id})?",
        f"Answer: {answer.headline}{certainty}",
        _wrap(answer.summary, "  "),
        *(_wrap(f"Note: {caution}", "  ") for caution in answer.cautions),
    ]
    literature = [c for c in answer.claims if not c.ai_only]
    ai_only = [c for c in answer.claims if c.ai_only]
    lines += _section("Evidence from the curated literature:", literature)
    sites = [s for s in answer.lesion_sites if not s["ai_only"]]
    if sites:
        lines += ["", "Lesion sites reported (rolled up the part-of hierarchy):"]
        for site in sites:
            neg = "NO consistent lesion in " if site["polarity"] == "negative" else ""
            where = f" in {site['context']}" if site["context"] else " (any cause)"
            freq = (
                f", {site['frequency'][0]} of {site['frequency'][1]}" if site["frequency"] else ""
            )
            regions = f"; part of {', '.join(site['regions'])}" if site["regions"] else ""
            lines.append(
                _wrap(
                    f"* {site['condition']}{where}: {neg}{site['site']['label']} "
                    f"({site['site']['id']})"
                    f"{regions}  [{_STATUS.get(site['status'], site['status'])}{freq}; "
                    f"{', '.join(site['sources'])}]  ({site['claim']})",
                    "  ",
                )
            )
    lines += _section("Treatments reported:", [c for c in answer.treatments if not c.ai_only])
    if answer.shared:
        lines += ["", "Connections (shared features or lesion sites; not an association alone):"]
        lines += [
            f"  * {s['shared']['label']} ({s['claim_a']}; {s['claim_b']})" for s in answer.shared
        ]
    lines += _section(
        "Other claims naming both (a treatment's target, a finding's context, a condition to "
        "tell apart; they decide nothing):",
        answer.naming_both,
    )
    if answer.conflicts:
        lines += ["", "Conflicts a curator has reconciled or must reconcile:"]
        lines += [
            _wrap(
                f"* {c['statement']}: {c['positive_claim']} ({c['positive_status']}) says yes, "
                f"{c['negative_claim']} ({c['negative_status']}) says no",
                "  ",
            )
            for c in answer.conflicts
        ]
    ai_all = [*ai_only, *(c for c in answer.treatments if c.ai_only)]
    ai_sites = [s for s in answer.lesion_sites if s["ai_only"]]
    if ai_all or ai_sites:
        lines += [
            "",
            "NOT curated facts: statements whose only source is an AI-written answer "
            "(shown for review; they never decide the answer):",
        ]
        lines += [line for claim in ai_all for line in _claim_lines(claim)]
        lines += [
            _wrap(
                f"* {s['condition']} has lesions in {s['site']['label']} "
                f"[{_STATUS.get(s['status'], s['status'])}]  ({s['claim']})",
                "  ",
            )
            for s in ai_sites
        ]
    r = answer.receipt
    lines += [
        "",
        f"Receipt: neurokg {r['neurokg_version']}, graph {r['graph_version']}, "
        f"ontology {r['ontology_version']}, sha256 {r['graph_sha256']}",
        *(
            _wrap(
                f"read {_read(g['what'], g['version'])}: sha256 {g['sha256']} ({g['release']})",
                "  ",
            )
            for g in r.get("graphs", [])
            if g["what"] != "curated release"
        ),
        _wrap(f"queries: {', '.join(r['queries'])}", "  "),
    ]
    return "\n".join(lines)


def render_brief(answer: Answer) -> str:
    """At most ``BRIEF_LINES`` lines: question, answer and certainty, summary, counts, the top
    citations of the deciding claims, and the graph's hash."""
    a, b = answer.subject, answer.object
    how = _QUESTION.get(answer.relation, "associated with")
    certainty = f" (certainty: {answer.certainty.word})" if answer.certainty else ""
    deciding = [  # a "not a kind of" claim is said beside the answer; it decides nothing
        c for c in answer.claims if c.decides and (c.polarity == "positive" or c.denies_association)
    ]
    sources = {s.key: s for c in deciding for s in c.sources if s.kind != "ai_answer"}
    ai_only = sum(1 for c in answer.claims if c.ai_only)
    summary = textwrap.wrap(answer.summary, width=98, initial_indent="  ", subsequent_indent="  ")
    head = [
        f"Question: is {a.label} ({a.id}) {how} {b.label} ({b.id})?",
        f"Answer: {answer.headline}{certainty}",
        *summary[:6],
        f"Counts: {len(deciding)} deciding claim(s), {len(sources)} source(s); "
        f"{ai_only} AI-only claim(s) not counted",
    ]
    room = BRIEF_LINES - len(head) - 2
    cited = ["  " + _short_citation(s) for s in list(sources.values())[:room]]
    tail = [f"Receipt: graph sha256 {answer.receipt.get('graph_sha256')}"]
    return "\n".join([*head, *(["Top citations:", *cited] if cited else []), *tail])


def _read(what: str, version: str) -> str:
    """An imported file and its release, the release said once (a module's title names it)."""
    return what if what.endswith(version) else f"{what} {version}"


def _short_citation(source: SourceView) -> str:
    """One line: identifiers first (they are what a reader looks up), then the title."""
    ids = " ".join(
        i for i in (f"PMID:{source.pmid}" if source.pmid else "", source.doi or "") if i
    ) or (source.url or source.key)
    where = ", ".join(p for p in (source.journal, source.year) if p)
    text = f"- {ids}: {source.title}" + (f" ({where})" if where else "")
    if source.standing not in (None, "current"):
        text = f"- [{str(source.standing).upper()}] {text[2:]}"
    return textwrap.shorten(text, width=96, placeholder=" ...")

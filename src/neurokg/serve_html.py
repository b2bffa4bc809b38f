"""The HTML of claim and term pages (serve_pages.py reads the graph; this writes the page).

Consumes: a ``ClaimView`` (views.py: the same statement, status, certainty and sources ``ask`` and
``review`` show) with its conflicts and history, or a term's names, parents and claims.
A claim's page says what it counts for first: an approved claim that decides answers gets the
headline word ``ask`` would give at its certainty (wording.py: ``PROBABLY`` at moderate); any
other claim is said to decide no answer, with the reason (its status, or an AI-only source).
Produces: a UTF-8 HTML document.
Policy: every text from the graph is escaped (labels, excerpts and titles may hold markup); links
go only to this server's pages or to ``http(s)`` addresses, PubMed and doi.org, never to another
scheme; nothing runs script.
"""

from __future__ import annotations

import html
import urllib.parse
from dataclasses import dataclass, field, replace
from typing import Final

from .answer import ClaimView, SourceView
from .namespaces import ENTITY_PREFIXES, compact
from .resolve import TermRef
from .wording import headline

__all__ = ["ClaimPage", "TermPage", "claim_html", "term_html"]

_STYLE: Final = """body{font-family:sans-serif;margin:1.5em 2em;max-width:60em}
dt{font-weight:bold;margin-top:.4em}blockquote{border-left:3px solid #999;margin:.4em 0;
padding:.2em .8em;background:#f6f6f6}.muted{color:#555}table{border-collapse:collapse}
td,th{border:1px solid #bbb;padding:2px 6px;text-align:left}.flag{color:#a00}"""


@dataclass(frozen=True)
class ClaimPage:
    view: ClaimView
    curator: str
    date: str
    #: (other claim id, its status IRI's local name) for each claim saying the opposite
    conflicts: list[tuple[str, str]] = field(default_factory=list)
    #: (when, what, who, who's ORCID IRI or "") for each recorded change, oldest first
    history: list[tuple[str, str, str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class TermPage:
    ref: TermRef
    names: list[tuple[str, str]]
    parents: list[tuple[str, TermRef]]
    claims: list[ClaimView]
    more: int = 0


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _term_href(iri: str) -> str:
    curie = compact(iri)
    prefix = curie.split(":", 1)[0]
    if curie != iri and prefix in ENTITY_PREFIXES:
        return "/term/" + urllib.parse.quote(curie, safe=":")
    return iri if iri.startswith(("http://", "https://")) else ""


def _term_link(ref: TermRef) -> str:
    href = _term_href(ref.iri)
    label = f"{_e(ref.label)} <span class='muted'>({_e(ref.id)})</span>"
    return f"<a href='{_e(href)}'>{label}</a>" if href else label


def _claim_link(claim_id: str) -> str:
    return f"<a href='/claim/{_e(urllib.parse.quote(claim_id))}'>{_e(claim_id)}</a>"


def _document(title: str, body: str, alternates: bool) -> bytes:
    links = (
        "<link rel='alternate' type='text/turtle' href='?format=turtle'>"
        "<link rel='alternate' type='application/ld+json' href='?format=jsonld'>"
        if alternates
        else ""
    )
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>{_e(title)}</title>{links}<style>{_STYLE}</style></head><body>"
        f"<p class='muted'><a href='/'>neurokg SPARQL</a></p>{body}"
        "<p class='muted'>Also as <a href='?format=turtle'>Turtle</a> and "
        "<a href='?format=jsonld'>JSON-LD</a> (or ask with an Accept header).</p>"
        "</body></html>\n"
    ).encode()


def _orcid(iri: str) -> str:
    if not iri.startswith("https://orcid.org/"):
        return ""
    return f" <a href='{_e(iri)}'>ORCID {_e(iri.removeprefix('https://orcid.org/'))}</a>"


def _source(source: SourceView) -> str:
    ids = []
    if source.pmid:
        pmid = urllib.parse.quote(source.pmid)
        ids.append(
            f"<a href='https://pubmed.ncbi.nlm.nih.gov/{_e(pmid)}/'>PMID:{_e(source.pmid)}</a>"
        )
    if source.doi:
        doi = urllib.parse.quote(source.doi, safe="/:;()")
        ids.append(f"<a href='https://doi.org/{_e(doi)}'>doi:{_e(source.doi)}</a>")
    if source.url and source.url.startswith(("http://", "https://")):
        ids.append(f"<a href='{_e(source.url)}'>{_e(source.url)}</a>")
    cited = ". ".join(
        _e(p) for p in (source.authors, source.title, source.journal, source.year) if p
    )
    flag = (
        f"<strong class='flag'>{_e(source.standing.upper())}</strong> "
        if source.standing not in (None, "current")
        else ""
    )
    return (
        f"<li><p>{flag}{cited}. {' '.join(ids)}</p>"
        f"<p class='muted'>{_e(source.kind.replace('_', ' '))}; evidence {_e(source.evidence)}"
        f"{'; cited as ' + _e(source.cited_as) if source.cited_as else ''}</p>"
        f"<blockquote>{_e(source.excerpt)}</blockquote>"
        f"<p class='muted'>{_e(source.excerpt_kind)} excerpt</p></li>"
    )


def _predicate_label(view: ClaimView) -> str:
    """The words ``ask`` uses for the claim's predicate (its sources are not read for it)."""
    return str(replace(view, sources=()).as_dict()["predicate_label"])


def _standing(view: ClaimView) -> str:
    """What the claim counts for, in words no stronger than its certainty (wording.py)."""
    if view.decides and view.polarity == "negative" and not view.denies_association:
        return (  # "not a kind of": ask says it beside its answer, never "no" with it
            f"<p class='standing'><strong>Decides no association answer</strong>: an approved "
            f"claim of {_e(view.certainty.word)} certainty that denies only its own relation; "
            "<code>ask</code> shows it beside the answer, not as 'no link'.</p>"
        )
    if view.decides:
        answer = "yes" if view.polarity == "positive" else "no"
        word = headline(answer, "association", view.certainty)
        return (
            f"<p class='standing'><strong>{_e(word)}</strong>: an approved claim of "
            f"{_e(view.certainty.word)} certainty; <code>ask</code> answers with it.</p>"
        )
    why = [f"its status is {view.status.replace('_', ' ')}"] if view.status != "approved" else []
    why += ["its only source is an AI-written answer"] if view.ai_only and view.sources else []
    why += [] if view.sources else ["it has no recorded support"]
    return f"<p class='standing'><strong>Decides no answer</strong>: {_e('; '.join(why))}.</p>"


def claim_html(page: ClaimPage) -> bytes:
    view = page.view
    certainty = view.certainty
    rows = [
        ("Subject", _term_link(view.subject)),
        ("Predicate", f"{_e(_predicate_label(view))} ({_e(view.predicate)})"),
        ("Object", _term_link(view.object) if view.object else _e(view.object_text or "")),
        ("Status", _e(view.status)),
        ("Polarity", _e(view.polarity)),
        (
            "Certainty",
            f"<strong>{_e(certainty.word)}</strong>; starts "
            f"{_e(certainty.as_dict()['start_level'])} ({_e(certainty.start)})",
        ),
    ]
    if certainty.reasons:
        reasons = "".join(f"<li>{_e(r)}</li>" for r in certainty.reasons)
        rows.append(("Rated down for", f"<ul>{reasons}</ul>"))
    rows += [(k.replace("_", " ").capitalize(), _e(v)) for k, v in view.qualifiers.items()]
    if view.frequency:
        rows.append(("Frequency", f"{view.frequency[0]} of {view.frequency[1]}"))
    if view.note:
        rows.append(("Note", _e(view.note)))
    rows.append(("Curated", f"by {_e(page.curator)} on {_e(page.date)}"))
    facts = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    sources = "".join(_source(s) for s in view.sources) or "<li>None recorded.</li>"
    conflicts = "".join(
        f"<li>{_claim_link(other)} ({_e(status)}) says the opposite.</li>"
        for other, status in page.conflicts
    )
    body = (
        f"<h1>Claim: {_e(view.statement())}</h1><p class='muted'>{_e(view.id)}</p>"
        f"{_standing(view)}"
        f"<dl>{facts}</dl><h2>Supports ({len(view.sources)})</h2><ol>{sources}</ol>"
        f"<h2>Conflicts</h2><ul>{conflicts or '<li>None recorded.</li>'}</ul>"
    )
    if page.history:
        lines = "".join(
            f"<tr><td>{_e(when)}</td><td>{_e(what)}</td><td>{_e(who)}{_orcid(orcid)}</td></tr>"
            for when, what, who, orcid in page.history
        )
        body += (
            f"<h2>History</h2><table><tr><th>When</th><th>What</th><th>Who</th></tr>{lines}</table>"
        )
    return _document(f"Claim: {view.statement()} ({view.id})", body, alternates=True)


def term_html(page: TermPage) -> bytes:
    ref = page.ref
    names = "".join(
        f"<li>{_e(name)} <span class='muted'>({_e(m)})</span></li>" for name, m in page.names
    )
    parents = "".join(f"<li>{_e(rel)} {_term_link(p)}</li>" for rel, p in page.parents)
    claims = "".join(
        f"<li>{_claim_link(c.id)}: {_e(c.statement())} <span class='muted'>({_e(c.status)}, "
        f"{_e(c.polarity)})</span></li>"
        for c in page.claims
    )
    more = (
        f"<p>And {page.more} more claims (query them at <a href='/'>/</a>).</p>"
        if page.more
        else ""
    )
    iri = _e(ref.iri)
    body = (
        f"<h1>{_e(ref.label)}</h1><p class='muted'>{_e(ref.id)} &middot; "
        f"<a href='{iri}'>{iri}</a></p>"
        f"<h2>Names</h2><ul>{names or '<li>None recorded.</li>'}</ul>"
        f"<h2>Parents</h2><ul>{parents or '<li>None recorded.</li>'}</ul>"
        f"<h2>Claims ({len(page.claims) + page.more})</h2><ul>{claims or '<li>None.</li>'}</ul>"
        f"{more if page.more else ''}"
    )
    return _document(f"{ref.label} ({ref.id})", body, alternates=True)

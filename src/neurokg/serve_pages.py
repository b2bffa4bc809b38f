"""Claim and term IRIs dereference on ``serve``: ``/claim/<id>`` and ``/term/<CURIE>``.

Consumes: the private Oxigraph server's query URL (serve.py starts it), a claim id or a term's
CURIE (``MONDO:0005301``; a bare id is an ``NKGT:`` term), and the client's ``Accept`` header (or
a ``format`` parameter: ``html``, ``turtle``, ``jsonld``, ``ntriples``).
Produces: an HTML page (serve_html.py), or the resource's triples (its own, and those of the blank
nodes and derivations it points to) as Turtle, JSON-LD or N-Triples.
Policy: a claim is read and graded by ``ask.claim_view_of`` (what ``ask`` and ``review`` show:
views.claim_view, evidence.py); its curator, conflicts, history and a term's names, parents and
claims come from the named queries (``claim_summary``, ``conflicts_about``, ``names_of``,
``term_parents``) and two small queries here. Nothing is graded here.
The claim's review history is shown as the graph records it (``nkg:statusChange`` entries, oldest
first, or PROV qualified generation/revision/invalidation, or change notes).
"""

from __future__ import annotations

import re
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Final

from rdflib import Graph, URIRef

from .ask import claim_view_of
from .errors import EndpointError
from .namespaces import CLAIM, NKGT, PREFIX_MAP, bind_prefixes, compact, expand
from .query import RemoteEngine, Row, bind_values, run_for
from .resolve import NameLookup
from .serve_html import ClaimPage, TermPage, claim_html, term_html
from .views import claim_view, local

__all__ = ["RDF_FORMATS", "BadFormat", "NotFound", "Pages", "page_format"]

#: format name -> (rdflib serializer, media type)
RDF_FORMATS: Final = {
    "turtle": ("turtle", "text/turtle; charset=utf-8"),
    "jsonld": ("json-ld", "application/ld+json"),
    "ntriples": ("nt", "application/n-triples"),
}
_MEDIA: Final = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/ld+json": "jsonld",
    "application/n-triples": "ntriples",
}

_DESCRIBE: Final = """PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX nkg: <https://w3id.org/neurokg/>
CONSTRUCT { ?s ?p ?o } WHERE {
  ?root (prov:qualifiedDerivation|nkg:statusChange|prov:qualifiedGeneration
         |prov:qualifiedRevision|prov:qualifiedInvalidation)? ?s .
  ?s ?p ?o .
}"""

_HISTORY: Final = """PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX nkg: <https://w3id.org/neurokg/>
SELECT DISTINCT ?event ?index ?when ?status ?what ?who ?orcid WHERE {
  { ?claim nkg:statusChange ?event }
  UNION { ?claim prov:qualifiedGeneration|prov:qualifiedRevision|prov:qualifiedInvalidation ?event }
  UNION { ?claim skos:changeNote|skos:historyNote ?what }
  OPTIONAL { ?event nkg:changeIndex ?index }
  OPTIONAL { ?event dcterms:date|prov:atTime ?when }
  OPTIONAL { ?event nkg:toStatus ?status }
  OPTIONAL { ?event rdfs:comment ?what }
  OPTIONAL { ?event nkg:changedBy|prov:wasAssociatedWith ?who }
  OPTIONAL { ?event nkg:changedByOrcid ?orcid }
}
ORDER BY ?index ?when"""

_CLAIMS_ABOUT: Final = """PREFIX nkg: <https://w3id.org/neurokg/>
SELECT DISTINCT ?claim WHERE { { ?claim nkg:subject ?term } UNION { ?claim nkg:object ?term } }
ORDER BY ?claim"""

#: What a claim id or a CURIE's local part may hold (every curated id does): no character that
#: would need escaping in an IRI, so a malformed path is a 404, never a query the engine refuses.
_LOCAL_ID: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]*")
_PREFIX: Final = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")

#: Claims listed on a term page (the rest are counted).
MAX_TERM_CLAIMS: Final = 200


class NotFound(Exception):
    """No claim or term has this id in the served graph."""


class BadFormat(Exception):
    """The ``format`` parameter names no format."""


def page_format(accept: str, param: str | None) -> str | None:
    """``html``, ``turtle``, ``jsonld`` or ``ntriples`` from the ``format`` parameter or the
    ``Accept`` header (HTML when nothing matches); None for an unknown ``format``."""
    if param is not None:
        return param if param in ("html", *RDF_FORMATS) else None
    ranked = []
    for position, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        weight = 1.0
        for value in params:
            if value.startswith("q="):
                try:
                    weight = float(value[2:])
                except ValueError:
                    weight = 0.0
        if weight > 0 and media.lower() in _MEDIA:
            ranked.append((-weight, position, _MEDIA[media.lower()]))
    return min(ranked)[2] if ranked else "html"


def claim_iri(claim_id: str) -> URIRef | None:
    """The IRI of a claim id (``claim:x`` or ``x``), or None when it cannot be one."""
    text = claim_id.removeprefix("claim:")
    return URIRef(CLAIM[text]) if _LOCAL_ID.fullmatch(text) else None


def term_iri(text: str) -> URIRef | None:
    """The IRI of a term's CURIE (``MONDO:0005301``) or of a bare ``NKGT`` id, or None."""
    prefix, colon, local_id = text.rpartition(":")
    if not _LOCAL_ID.fullmatch(local_id) or (colon and not _PREFIX.fullmatch(prefix)):
        return None
    return expand(text) if colon else URIRef(NKGT[text])


@dataclass
class Pages:
    """Reads claims and terms from the private Oxigraph server and renders them."""

    upstream: str
    timeout_s: float = 10.0

    def _engine(self) -> RemoteEngine:
        return RemoteEngine(self.upstream, timeout=self.timeout_s)

    def triples(self, iri: URIRef) -> Graph:
        """The resource's triples, and those of its supports (``prov:qualifiedDerivation``) and
        qualified PROV generation, revision and invalidation."""
        body = urllib.parse.urlencode({"query": bind_values(_DESCRIBE, {"root": iri})}).encode()
        request = urllib.request.Request(  # noqa: S310 - the private loopback Oxigraph server
            self.upstream, data=body, headers={"Accept": "application/n-triples"}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s + 1) as response:  # noqa: S310
                data = response.read()
        except OSError as err:
            raise EndpointError(f"the SPARQL engine did not answer: {err}") from err
        graph = bind_prefixes(Graph())
        graph.parse(data=data.decode("utf-8"), format="nt")
        return graph

    def respond(self, path: str, params: list[tuple[str, str]], accept: str) -> tuple[str, bytes]:
        """``/claim/<id>`` or ``/term/<CURIE>``: (content type, body). Raises ``NotFound``, or
        ``BadFormat``."""
        kind, _, name = path.removeprefix("/").partition("/")
        name = urllib.parse.unquote(name)
        iri = claim_iri(name) if kind == "claim" else term_iri(name)
        if iri is None:
            raise NotFound(f"No {kind} is called {name!r}.")
        formats = [v for k, v in params if k == "format"]
        fmt = page_format(accept, formats[0] if formats else None)
        if fmt is None:
            raise BadFormat("format is one of html, turtle, jsonld, ntriples")
        if fmt != "html":
            return self.rdf(iri, fmt)
        page = self.claim(iri) if kind == "claim" else self.term(iri)
        return "text/html; charset=utf-8", page

    def rdf(self, iri: URIRef, fmt: str) -> tuple[str, bytes]:
        graph = self.triples(iri)
        if len(graph) == 0:
            raise NotFound(f"This graph says nothing about {iri}.")
        serializer, media = RDF_FORMATS[fmt]
        if fmt == "jsonld":  # compact, with the project's prefixes as its inline context
            context = dict(PREFIX_MAP)
            return media, graph.serialize(format=serializer, context=context, encoding="utf-8")
        return media, graph.serialize(format=serializer, encoding="utf-8")

    def claim(self, iri: URIRef) -> bytes:
        engine = self._engine()
        summary = engine.named("claim_summary", claim=iri)
        if not summary:
            raise NotFound(f"This graph has no claim {local(iri)!r}.")
        row = summary[0]
        view = claim_view_of(engine, str(iri))  # what ask shows of the claim
        names = NameLookup(engine)
        names.prefetch([row["curator"]])
        opposed = [
            r
            for r in engine.named("conflicts_about", term=row["subject"])
            if iri in (r.get("positive_claim"), r.get("negative_claim"))
        ]
        other = "negative" if view.polarity == "positive" else "positive"
        history = engine.select(_HISTORY, {"claim": iri})
        names.prefetch(r.get("who") for r in history)
        page = ClaimPage(
            view=view,
            curator=names.label(str(row["curator"])),
            date=str(row["date"]),
            conflicts=[(local(c[f"{other}_claim"]), local(c[f"{other}_status"])) for c in opposed],
            history=[
                (
                    str(r.get("when", "")),
                    ": ".join(t for t in (local(r.get("status", "")), str(r.get("what", ""))) if t),
                    names.label(str(r["who"]))
                    if isinstance(r.get("who"), URIRef)
                    else str(r.get("who", "")),
                    str(r.get("orcid", "")),
                )
                for r in history
            ],
        )
        return claim_html(page)

    def term(self, iri: URIRef) -> bytes:
        engine = self._engine()
        names = NameLookup(engine)
        names.prefetch([iri])
        name_rows = engine.named("names_of", term=iri)
        claims = [r["claim"] for r in engine.select(_CLAIMS_ABOUT, {"term": iri})]
        parents = engine.named("term_parents", term=iri)
        if not (name_rows or claims or parents):
            raise NotFound(f"This graph has no term {compact(str(iri))!r}.")
        shown = [c for c in claims[:MAX_TERM_CLAIMS] if isinstance(c, URIRef)]
        summaries: list[Row] = run_for(engine, "claim_summary", "claim", shown) if shown else []
        names.prefetch(v for r in summaries for v in r.values())
        names.prefetch(r.get("parent") for r in parents)
        views = sorted(
            (claim_view(r, [], names.label, names.ref) for r in summaries),
            key=lambda v: v.id,
        )
        page = TermPage(
            ref=names.ref(str(iri), "term"),
            names=[(str(r["name"]), str(r["match"])) for r in name_rows],
            parents=[
                (compact_relation(r["relation"]), names.ref(str(r["parent"]), "parent"))
                for r in parents
            ],
            claims=views,
            more=len(claims) - len(shown),
        )
        return term_html(page)


def compact_relation(node: object) -> str:
    """``is a`` or ``part of`` for a ``term_parents`` relation (its IRI or word)."""
    text = str(node)
    return "part of" if "BFO_0000050" in text or text.endswith("part_of") else "is a"

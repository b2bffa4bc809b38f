"""Parse one curated record at a time: a YAML mapping -> a typed record, or a ``SourceError``
that names the file, the line, the record and the problem.

Consumes: the mappings ``records.read_yaml`` returns. Produces: the models of curation.py.
Policy: every field is checked for what a graph could not be built without (types, closed
vocabularies, identifier syntax, text that makes valid RDF, names free of invisible characters
and mixed scripts); references between records are load.py's job.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from .curation import (
    CLAIM_PREDICATES,
    POLARITIES,
    SOURCE_KINDS,
    STATUSES,
    TERM_KINDS,
    TEXT_PREDICATES,
    Abbreviation,
    Claim,
    Curator,
    Edge,
    Qualifiers,
    Source,
    Support,
    Term,
)
from .errors import ProvenanceError
from .evidence import DESIGNS
from .records import KEY_RE, LINE, Record, name_problem

__all__ = ["parse_claim", "parse_curator", "parse_source", "parse_term"]

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_FREQUENCY_RE = re.compile(r"^(\d+)/(\d+)$")
_PMID_RE = re.compile(r"^[1-9]\d{0,8}$")
_DOI_RE = re.compile(r"^10\.\d{4,9}/[^\s<>\"{}|^`\\]+$")
#: Where a source may be read: the web, a DOI or an identifiers.org resolver (no javascript:,
#: file:, data: ...).
_URL_RE = re.compile(r"^https?://[^\s<>\"{}|^`\\]+$")


def _edges(rec: Record, key: str) -> tuple[Edge, ...]:
    edges = []
    for raw in rec.items(key):
        if not isinstance(raw, dict) or "id" not in raw or "source" not in raw:
            rec.fail(f"each {key!r} edge needs 'id' and 'source' (where the edge was read)")
        target = str(raw["id"])
        rec.entity(key, target)
        status = str(raw.get("status", "verified"))
        if status not in ("verified", "textbook", "decision"):
            rec.fail(
                f"{key!r} edge to {target}: status {status!r}; use verified, textbook or decision"
            )
        edges.append(Edge(target, str(raw["source"]), status))
    return tuple(edges)


_TERM_FIELDS = (
    "id",
    "kind",
    "label",
    "synonyms",
    "abbreviations",
    "xrefs",
    "definition",
    "is_a",
    "part_of",
    "note",
    "read_in",
)


def parse_term(path: Path, raw: Any, index: int) -> Term:
    rec = Record(path, raw, "term", index, _TERM_FIELDS)
    term_id = rec.entity("id")
    assert term_id is not None
    read_in = rec.texts("read_in")
    if not read_in:
        rec.fail(
            "missing 'read_in': name the source where this identifier and label were read",
            ProvenanceError,
        )
    abbreviations = []
    for item in rec.items("abbreviations"):
        if not isinstance(item, dict) or not item.get("text") or not item.get("context"):
            rec.fail("each abbreviation needs 'text' and 'context' (where the abbreviation holds)")
        abbreviations.append(Abbreviation(str(item["text"]), str(item["context"])))
        rec.check_text("abbreviations", abbreviations[-1].context)
    for name in (
        rec.req("label"),
        *rec.texts("synonyms"),
        *(a.text for a in abbreviations),
    ):
        problem = name_problem(name)
        if problem:
            rec.fail(f"name {name!r} {problem}")
    for xref in rec.texts("xrefs"):
        if ":" not in xref:
            rec.fail(f"xref {xref!r} is not PREFIX:ID")
    return Term(
        id=term_id,
        kind=rec.choice("kind", TERM_KINDS),
        label=rec.req("label"),
        origin=rec.origin,
        read_in=read_in,
        synonyms=rec.texts("synonyms"),
        abbreviations=tuple(abbreviations),
        xrefs=rec.texts("xrefs"),
        definition=rec.text("definition"),
        is_a=_edges(rec, "is_a"),
        part_of=_edges(rec, "part_of"),
        note=rec.text("note"),
    )


_SOURCE_FIELDS = (
    "key",
    "kind",
    "title",
    "authors",
    "journal",
    "year",
    "date",
    "pmid",
    "doi",
    "pmcid",
    "volume",
    "issue",
    "pages",
    "url",
    "version",
    "publisher",
    "note",
    "cites",
    "publication_type",
)


def parse_source(path: Path, raw: Any, index: int) -> Source:
    rec = Record(path, raw, "source", index, _SOURCE_FIELDS)
    kind = rec.choice("kind", SOURCE_KINDS)
    pmid, doi, url = rec.text("pmid"), rec.text("doi"), rec.text("url")
    if pmid is not None and not _PMID_RE.match(pmid):
        rec.fail(f"pmid {pmid!r} is not a PubMed identifier (digits only, no 'PMID:' prefix)")
    if doi is not None and not _DOI_RE.match(doi):
        rec.fail(f"doi {doi!r} is not a DOI (10.NNNN/...; no 'https://doi.org/' prefix)")
    if kind not in ("reference", "ai_answer") and pmid is None and doi is None:
        rec.fail("a publication needs a 'pmid' or a 'doi' that you have read", ProvenanceError)
    if url is not None and not _URL_RE.match(url):
        rec.fail(f"url {url!r} is not an http(s) address (doi.org and identifiers.org are)")
    key = rec.req("key")
    if not KEY_RE.match(key):
        rec.fail(f"key {key!r}: use letters, digits, '_', '.' or '-' (it becomes part of an IRI)")
    if kind in ("reference", "ai_answer") and url is None:
        rec.fail(f"a source of kind {kind!r} needs the 'url' where it was read", ProvenanceError)
    year = rec.raw.get("year")
    if year is not None and (not isinstance(year, int) or not 1800 <= year <= 2100):
        rec.fail(f"year {year!r} is not a four-digit year")
    when = rec.raw.get("date")
    if when is not None and not isinstance(when, date):
        rec.fail(f"date {when!r} is not an ISO date (YYYY-MM-DD)")
    publication_type = rec.mapping("publication_type")
    if publication_type and not (publication_type.get("value") and publication_type.get("read_in")):
        rec.fail("'publication_type' needs 'value' (as read) and 'read_in' (where it was read)")
    return Source(
        key=key,
        kind=kind,
        title=rec.req("title"),
        origin=rec.origin,
        authors=rec.texts("authors"),
        journal=rec.text("journal"),
        year=year,
        date=when,
        pmid=pmid,
        doi=doi,
        pmcid=rec.text("pmcid"),
        volume=rec.text("volume"),
        issue=rec.text("issue"),
        pages=rec.text("pages"),
        url=url,
        version=rec.text("version"),
        publisher=rec.text("publisher"),
        note=rec.text("note"),
        cites=rec.texts("cites"),
        publication_type=str(publication_type["value"]) if publication_type else None,
        publication_type_read_in=str(publication_type["read_in"]) if publication_type else None,
    )


def parse_curator(path: Path, raw: Any, index: int) -> Curator:
    rec = Record(path, raw, "curator", index, ("id", "name", "note"))
    curator_id = rec.req("id")
    if not KEY_RE.match(curator_id):
        rec.fail(
            f"id {curator_id!r}: use letters, digits, '_', '.' or '-' (it becomes part of an IRI)"
        )
    return Curator(curator_id, rec.req("name"), rec.origin, rec.text("note"))


_CLAIM_FIELDS = (
    "id",
    "subject",
    "predicate",
    "object",
    "object_text",
    "polarity",
    "status",
    "qualifiers",
    "support",
    "curator",
    "date",
    "note",
)
_QUALIFIERS = (
    "context",
    "lesion_site",
    "target",
    "lesion_type",
    "population",
    "frequency",
    "laterality",
    "outcome",
    "onset",
)


def _qualifiers(rec: Record) -> Qualifiers:
    raw = {k: v for k, v in rec.mapping("qualifiers").items() if k != LINE}
    unknown = sorted(set(raw) - set(_QUALIFIERS))
    if unknown:
        rec.fail(f"unknown qualifier(s) {', '.join(unknown)}; allowed: {', '.join(_QUALIFIERS)}")
    values = {k: str(v).strip() for k, v in raw.items()}
    for key in ("context", "lesion_site", "target"):
        if key in values:
            rec.entity(f"qualifiers.{key}", values[key])
    frequency = None
    if "frequency" in values:
        match = _FREQUENCY_RE.match(values["frequency"])
        if not match or int(match[2]) == 0 or int(match[1]) > int(match[2]):
            rec.fail(f"frequency {values['frequency']!r} must be 'N/M' with 0 <= N <= M, M > 0")
        assert match is not None
        frequency = (int(match[1]), int(match[2]))
    texts = {k: values.get(k) for k in _QUALIFIERS if k != "frequency"}
    return Qualifiers(**texts, frequency=frequency)


_SUPPORT_FIELDS = ("source", "evidence", "quote", "summary", "cited_as", "design", "indirect")


def _design(rec: Record, item: Mapping[str, Any]) -> str | None:
    """``design``: what the study behind this statement did (a review: what it reviewed)."""
    design = item.get("design")
    if design is not None and design not in DESIGNS:
        rec.fail(f"support design {design!r}; use one of: {', '.join(DESIGNS)}")
    return str(design) if design is not None else None


def _support(rec: Record, defaults: Mapping[str, Any]) -> tuple[Support, ...]:
    items = rec.items("support")
    if not items:
        rec.fail("no 'support': every claim needs at least one source", ProvenanceError)
    supports = []
    for item in items:
        if not isinstance(item, dict) or not item.get("source"):
            rec.fail("each 'support' item needs a 'source' key from sources.yaml", ProvenanceError)
        extra = sorted(set(item) - {*_SUPPORT_FIELDS, LINE})
        if extra:
            rec.fail(f"unknown support field(s) {', '.join(extra)}")
        evidence = str(item.get("evidence") or defaults.get("support_evidence") or "")
        if not evidence:
            rec.fail(
                f"support from {item['source']!r} has no 'evidence' (an ECO class)", ProvenanceError
            )
        rec.check_curie("support.evidence", evidence, ("ECO",))
        quote, summary = item.get("quote"), item.get("summary")
        if (quote is None) == (summary is None):
            rec.fail(
                f"support from {item['source']!r} needs exactly one of 'quote' (verbatim) "
                "or 'summary' (the curator's words)",
                ProvenanceError,
            )
        supports.append(
            Support(
                source=str(item["source"]),
                evidence=evidence,
                text=str(quote or summary).strip(),
                verbatim=quote is not None,
                cited_as=str(item["cited_as"]) if item.get("cited_as") else None,
                design=_design(rec, item),
                indirect=str(item["indirect"]).strip() if item.get("indirect") else None,
                line=int(item.get(LINE, 0)),
            )
        )
    return tuple(supports)


def parse_claim(path: Path, raw: Any, index: int, defaults: Mapping[str, Any]) -> Claim:
    rec = Record(path, raw, "claim", index, _CLAIM_FIELDS)
    claim_id = rec.req("id")
    if not _ID_RE.match(claim_id):
        rec.fail("claim id must be lower-case words joined by '-' (it becomes part of an IRI)")
    predicate = rec.choice("predicate", CLAIM_PREDICATES)
    subject = rec.entity("subject")
    if predicate in TEXT_PREDICATES:
        obj, obj_text = None, rec.text("object_text", required=True)
        if "object" in rec.raw:
            rec.fail(f"predicate {predicate} takes 'object_text', not 'object'")
    else:
        obj, obj_text = rec.entity("object"), None
        if "object_text" in rec.raw:
            rec.fail(f"predicate {predicate} takes an 'object' term, not 'object_text'")
    curator = rec.text("curator") or defaults.get("curator")
    when = rec.raw.get("date", defaults.get("date"))
    if not curator:
        rec.fail("no 'curator' (set it on the claim or in the file's 'defaults')", ProvenanceError)
    if not isinstance(when, date):
        rec.fail("no curation 'date' (YYYY-MM-DD, on the claim or in 'defaults')", ProvenanceError)
    assert subject is not None and isinstance(when, date)
    return Claim(
        id=claim_id,
        subject=subject,
        predicate=predicate,
        status=rec.choice("status", STATUSES),
        polarity=rec.choice("polarity", POLARITIES, "positive"),
        support=_support(rec, defaults),
        curator=str(curator),
        date=when,
        origin=rec.origin,
        object=obj,
        object_text=obj_text,
        qualifiers=_qualifiers(rec),
        note=rec.text("note"),
    )

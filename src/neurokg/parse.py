"""Parse one curated record at a time: a YAML mapping -> a typed record, or a ``SourceError``
that names the file, the line, the record and the problem.

Consumes: the mappings ``records.read_yaml`` returns. Produces: the models of curation.py.
Policy: each record is first checked against its schema model (``schema.models``: field names,
types, closed vocabularies, required fields, identifier patterns), all its problems at once
(``LoadErrors``). What the schema cannot say is checked here: known prefixes, text that makes
valid RDF, names free of invisible characters and mixed scripts, and rules between fields;
references between records are load.py's job, status transitions curate/history.py's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from .curation import (
    TERM_QUALIFIERS,
    TEXT_PREDICATES,
    Abbreviation,
    Change,
    Claim,
    Curator,
    Edge,
    Qualifiers,
    Source,
    Standing,
    Support,
    Term,
)
from .errors import LoadErrors, ProvenanceError
from .records import LINE, Record, name_problem
from .schema import MODELS, record_errors

__all__ = ["checked", "parse_claim", "parse_curator", "parse_source", "parse_term"]

_FREQUENCY_RE = re.compile(r"^(\d+)/(\d+)$")


def checked(path: Path, raw: Any, key: str, index: int) -> Record:
    """``raw`` as a ``Record`` once it fits the schema model of ``key`` (every problem raised)."""
    model, what = MODELS[key]
    problems = record_errors(str(path), raw, model, what, index)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise LoadErrors(problems)
    return Record(path, raw, what, index)


def _edges(rec: Record, key: str) -> tuple[Edge, ...]:
    edges = []
    for raw in rec.items(key):
        target = str(raw["id"])
        rec.entity(key, target)
        edges.append(Edge(target, str(raw["source"]), str(raw.get("status", "verified"))))
    return tuple(edges)


def parse_term(path: Path, raw: Any, index: int) -> Term:
    rec = checked(path, raw, "terms", index)
    term_id = rec.entity("id")
    assert term_id is not None
    read_in = rec.texts("read_in")
    abbreviations = []
    for item in rec.items("abbreviations"):
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
        kind=rec.req("kind"),
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


def _standing(rec: Record) -> Standing | None:
    raw = rec.mapping("standing")
    if not raw:
        return None
    status = str(raw["status"])
    by = str(raw["by"]).strip() if raw.get("by") is not None else None
    if (status == "superseded") != (by is not None):
        rec.fail(
            "standing: 'by' names the superseding source, and only a 'superseded' standing has one"
        )
    for key in ("read_in", "note"):
        if raw.get(key) is not None:
            rec.check_text(f"standing.{key}", str(raw[key]))
    note = str(raw["note"]).strip() if raw.get("note") is not None else None
    return Standing(status, str(raw["read_in"]).strip(), by, raw.get("date"), note)


def parse_source(path: Path, raw: Any, index: int) -> Source:
    rec = checked(path, raw, "sources", index)
    kind = rec.req("kind")
    pmid, doi, url = rec.text("pmid"), rec.text("doi"), rec.text("url")
    if kind not in ("reference", "ai_answer") and pmid is None and doi is None:
        rec.fail("a publication needs a 'pmid' or a 'doi' that you have read", ProvenanceError)
    key = rec.req("key")
    if kind in ("reference", "ai_answer") and url is None:
        rec.fail(f"a source of kind {kind!r} needs the 'url' where it was read", ProvenanceError)
    year, when = rec.raw.get("year"), rec.raw.get("date")
    publication_type = rec.mapping("publication_type")
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
        standing=_standing(rec),
    )


def parse_curator(path: Path, raw: Any, index: int) -> Curator:
    rec = checked(path, raw, "curators", index)
    curator_id = rec.req("id")
    return Curator(curator_id, rec.req("name"), rec.origin, rec.text("note"))


_QUALIFIERS = (
    "context",
    "lesion_site",
    "target",
    "distinguished_from",
    "lesion_type",
    "population",
    "frequency",
    "laterality",
    "outcome",
    "onset",
)


def _qualifiers(rec: Record) -> Qualifiers:
    raw = {k: v for k, v in rec.mapping("qualifiers").items() if k != LINE and v is not None}
    values = {k: str(v).strip() for k, v in raw.items()}
    for key in TERM_QUALIFIERS:
        if key in values:
            rec.entity(f"qualifiers.{key}", values[key])
    frequency = None
    if "frequency" in values:
        match = _FREQUENCY_RE.match(values["frequency"])  # the schema checked the form
        if not match or int(match[2]) == 0 or int(match[1]) > int(match[2]):
            rec.fail(f"frequency {values['frequency']!r} must be 'N/M' with 0 <= N <= M, M > 0")
        assert match is not None
        frequency = (int(match[1]), int(match[2]))
    texts = {k: values.get(k) for k in _QUALIFIERS if k != "frequency"}
    return Qualifiers(**texts, frequency=frequency)


def _support(rec: Record, defaults: Mapping[str, Any]) -> tuple[Support, ...]:
    items = rec.items("support")
    if not items:
        rec.fail("no 'support': every claim needs at least one source", ProvenanceError)
    supports = []
    for item in items:
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
                design=str(item["design"]) if item.get("design") is not None else None,
                indirect=str(item["indirect"]).strip() if item.get("indirect") else None,
                line=int(item.get(LINE, 0)),
            )
        )
    return tuple(supports)


def _history(rec: Record) -> tuple[Change, ...]:
    """The history entries as read; curate/history.py checks the transitions."""
    changes = []
    for item in rec.items("history"):
        for key in ("by", "why"):
            if item.get(key) is not None:
                rec.check_text(f"history.{key}", str(item[key]))
        changes.append(
            Change(
                status=str(item["status"]),
                date=item["date"],
                why=str(item["why"]).strip(),
                by=str(item["by"]).strip() if item.get("by") is not None else None,
                orcid=str(item["orcid"]) if item.get("orcid") is not None else None,
                line=int(item.get(LINE, 0)),
            )
        )
    return tuple(changes)


def parse_claim(path: Path, raw: Any, index: int, defaults: Mapping[str, Any]) -> Claim:
    rec = checked(path, raw, "claims", index)
    claim_id = rec.req("id")
    predicate = rec.req("predicate")
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
        status=rec.req("status"),
        polarity=rec.text("polarity") or "positive",
        support=_support(rec, defaults),
        curator=str(curator),
        date=when,
        origin=rec.origin,
        object=obj,
        object_text=obj_text,
        qualifiers=_qualifiers(rec),
        note=rec.text("note"),
        history=_history(rec),
    )

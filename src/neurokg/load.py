"""Load the curated files: YAML records -> typed, frozen records, each with its origin.

Consumes: the ``ontology/`` folder (``terms/*.yaml``, ``sources.yaml``, ``claims/*.yaml``,
``lookalikes.yaml``, ``evidence.yaml``) or single files a user names, and the schema
(``neurokg.ttl``).
Produces: a ``Curation`` (terms, sources, curators, claims, obsolete and look-alike identifiers,
term-choice conventions, the ECO classes a support may use).
Policy: a file that cannot be used stops the load with a ``SourceError`` naming the file, the line,
the record and the fix. Nothing is written. Checks here are the ones a graph could not even be built
without (syntax, fields, prefixes, provenance, references between records, obsolete and look-alike
identifiers, ECO codes that fit their source); everything that can be said about a built graph is
left to SHACL (``validate.py``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from rdflib import Graph

from .errors import ProvenanceError, SourceError
from .evidence import DESIGNS, EvidenceClass, evidence_problem, parse_evidence_class
from .lexicon import (
    Convention,
    LookAlike,
    Obsolete,
    parse_convention,
    parse_look_alike,
    parse_obsolete,
)
from .records import KEY_RE, LINE, Origin, Record, name_problem, read_yaml

_R = TypeVar("_R")

__all__ = [
    "CLAIM_PREDICATES",
    "SOURCE_KINDS",
    "Abbreviation",
    "Claim",
    "Curation",
    "Curator",
    "Edge",
    "Origin",
    "Qualifiers",
    "Source",
    "Support",
    "Term",
    "curated_files",
    "load_curation",
    "load_schema",
]

TERM_KINDS = ("disease", "clinical_feature", "anatomical_site", "drug", "procedure")
SOURCE_KINDS = (
    "narrative_review",
    "letter",
    "case_report",
    "case_series",
    "cohort_study",
    "controlled_trial",
    "systematic_review",
    "guideline",
    "reference",
    "ai_answer",
)
STATUSES = ("submitted", "under_review", "approved", "rejected", "deprecated")
POLARITIES = ("positive", "negative")
#: The documented claim predicates (README 'Claim predicates').
CLAIM_PREDICATES = (
    "RO:0002610",  # correlated with
    "RO:0003302",  # causes or contributes to condition
    "RO:0004029",  # disease has feature
    "RO:0004026",  # disease has location (lesion site)
    "RO:0002302",  # is treated by substance
    "nkg:treatedByProcedure",
    "rdfs:subClassOf",
    "nkg:hasManagementAdvice",
)
_TOP_LEVEL = (
    "terms",
    "sources",
    "curators",
    "claims",
    "obsolete",
    "look_alikes",
    "conventions",
    "evidence_classes",
    "defaults",
)
TEXT_PREDICATES = frozenset({"nkg:hasManagementAdvice"})
_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_FREQUENCY_RE = re.compile(r"^(\d+)/(\d+)$")
_PMID_RE = re.compile(r"^[1-9]\d{0,8}$")
_DOI_RE = re.compile(r"^10\.\d{4,9}/[^\s<>\"{}|^`\\]+$")
#: Where a source may be read: the web, a DOI or an identifiers.org resolver (no javascript:,
#: file:, data: ...).
_URL_RE = re.compile(r"^https?://[^\s<>\"{}|^`\\]+$")


@dataclass(frozen=True)
class Abbreviation:
    text: str
    context: str


@dataclass(frozen=True)
class Edge:
    """An ``is_a`` or ``part_of`` edge of a term, with the source that asserts it."""

    target: str
    source: str
    status: str = "verified"


@dataclass(frozen=True)
class Term:
    id: str
    kind: str
    label: str
    origin: Origin
    read_in: tuple[str, ...]
    synonyms: tuple[str, ...] = ()
    abbreviations: tuple[Abbreviation, ...] = ()
    xrefs: tuple[str, ...] = ()
    definition: str | None = None
    is_a: tuple[Edge, ...] = ()
    part_of: tuple[Edge, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class Source:
    key: str
    kind: str
    title: str
    origin: Origin
    authors: tuple[str, ...] = ()
    journal: str | None = None
    year: int | None = None
    date: date | None = None
    pmid: str | None = None
    doi: str | None = None
    pmcid: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    url: str | None = None
    version: str | None = None
    publisher: str | None = None
    note: str | None = None
    cites: tuple[str, ...] = ()
    publication_type: str | None = None
    publication_type_read_in: str | None = None


@dataclass(frozen=True)
class Curator:
    id: str
    name: str
    origin: Origin
    note: str | None = None


@dataclass(frozen=True)
class Support:
    """One source behind a claim: the evidence class and what the source says."""

    source: str
    evidence: str
    text: str
    verbatim: bool
    cited_as: str | None = None
    design: str | None = None
    indirect: str | None = None
    line: int = 0


@dataclass(frozen=True)
class Qualifiers:
    context: str | None = None
    lesion_site: str | None = None
    target: str | None = None
    lesion_type: str | None = None
    population: str | None = None
    frequency: tuple[int, int] | None = None
    laterality: str | None = None
    outcome: str | None = None
    onset: str | None = None


@dataclass(frozen=True)
class Claim:
    id: str
    subject: str
    predicate: str
    status: str
    polarity: str
    support: tuple[Support, ...]
    curator: str
    date: date
    origin: Origin
    object: str | None = None
    object_text: str | None = None
    qualifiers: Qualifiers = field(default_factory=Qualifiers)
    note: str | None = None


@dataclass(frozen=True)
class Curation:
    """Everything a curator edits, loaded and cross-checked."""

    terms: tuple[Term, ...]
    sources: tuple[Source, ...]
    curators: tuple[Curator, ...]
    claims: tuple[Claim, ...]
    obsolete: tuple[Obsolete, ...]
    look_alikes: tuple[LookAlike, ...]
    conventions: tuple[Convention, ...]
    evidence_classes: tuple[EvidenceClass, ...]
    files: tuple[str, ...]


# ---------------------------------------------------------------------------- record parsers
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


def _term(path: Path, raw: Any, index: int) -> Term:
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


def _source(path: Path, raw: Any, index: int) -> Source:
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


def _curator(path: Path, raw: Any, index: int) -> Curator:
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


def _claim(path: Path, raw: Any, index: int, defaults: Mapping[str, Any]) -> Claim:
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


# ---------------------------------------------------------------------------- the whole curation
def curated_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into the YAML files they hold (sorted), keeping files as given.

    A folder that cannot be read, or that holds no YAML file at all, is an error: skipping it
    would release a graph without the records it holds.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(_yaml_below(path))
            if not found:
                raise SourceError(path, None, "the folder holds no curated YAML file (*.yaml)")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise SourceError(path, None, "no such file or folder")
    return files


def _yaml_below(folder: Path) -> Iterator[Path]:
    def unreadable(err: OSError) -> None:
        raise SourceError(err.filename or folder, None, f"cannot read the folder: {err.strerror}")

    for root, _dirs, names in os.walk(folder, onerror=unreadable):
        for name in names:
            path = Path(root) / name
            if name.endswith(".yaml") and path.is_file():
                yield path


def _parse_all(
    path: Path, data: dict[str, Any], key: str, parse: Callable[[Path, Any, int], _R]
) -> list[_R]:
    items = data.get(key) or []
    if not isinstance(items, list):
        raise SourceError(path, data.get(LINE), f"'{key}' must be a list")
    return [parse(path, raw, i) for i, raw in enumerate(items)]


def load_curation(paths: Iterable[Path]) -> Curation:
    """Read every curated YAML file under ``paths`` and cross-check the records."""
    terms: list[Term] = []
    sources: list[Source] = []
    curators: list[Curator] = []
    claims: list[Claim] = []
    obsolete: list[Obsolete] = []
    look_alikes: list[LookAlike] = []
    conventions: list[Convention] = []
    evidence_classes: list[EvidenceClass] = []
    files = curated_files(paths)
    for path in files:
        data = read_yaml(path)
        known = {*_TOP_LEVEL, LINE}
        unknown = sorted(set(data) - known)
        if unknown:
            raise SourceError(
                path,
                1,
                f"unknown top-level key(s) {', '.join(unknown)}; "
                f"expected: {', '.join(sorted(known - {LINE}))}",
            )
        defaults = data.get("defaults") or {}
        if not isinstance(defaults, dict):
            raise SourceError(path, data.get(LINE), "'defaults' must be a mapping")
        terms.extend(_parse_all(path, data, "terms", _term))
        sources.extend(_parse_all(path, data, "sources", _source))
        curators.extend(_parse_all(path, data, "curators", _curator))
        obsolete.extend(_parse_all(path, data, "obsolete", parse_obsolete))
        look_alikes.extend(_parse_all(path, data, "look_alikes", parse_look_alike))
        conventions.extend(_parse_all(path, data, "conventions", parse_convention))
        evidence_classes.extend(_parse_all(path, data, "evidence_classes", parse_evidence_class))
        items = data.get("claims") or []
        if not isinstance(items, list):
            raise SourceError(path, data.get(LINE), "'claims' must be a list")
        claims.extend(_claim(path, raw, i, defaults) for i, raw in enumerate(items))
    curation = Curation(
        tuple(terms),
        tuple(sources),
        tuple(curators),
        tuple(claims),
        tuple(obsolete),
        tuple(look_alikes),
        tuple(conventions),
        tuple(evidence_classes),
        tuple(str(f) for f in files),
    )
    _cross_check(curation)
    return curation


def _unique(records: Iterable[Any], key: str, what: str) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for record in records:
        value = getattr(record, key)
        if value in seen:
            raise SourceError(
                record.origin.path,
                record.origin.line,
                f"duplicate {what} {value!r}, first defined at {seen[value].origin}",
                value,
            )
        seen[value] = record
    return seen


def _cross_check(curation: Curation) -> None:
    """Check references between records: ids unique, sources and curators exist, no refused id."""
    terms = _unique(curation.terms, "id", "term id")
    sources = _unique(curation.sources, "key", "source key")
    curators = _unique(curation.curators, "id", "curator id")
    _unique(curation.claims, "id", "claim id")
    refusals = _refusals(curation)
    evidence = _unique(curation.evidence_classes, "id", "evidence class")
    if curation.claims and not evidence:
        first = curation.claims[0].origin
        raise ProvenanceError(
            first.path,
            None,
            "no ECO evidence classes are loaded, so no support's evidence can be checked: "
            "include the 'evidence_classes' file (ontology/evidence.yaml) with the claims",
        )

    def refuse(origin: Origin, record: str, curie: str | None) -> None:
        if curie is not None and curie in refusals:
            raise SourceError(origin.path, origin.line, refusals[curie], record)

    for term in curation.terms:
        for curie in (term.id, *(e.target for e in (*term.is_a, *term.part_of))):
            refuse(term.origin, term.id, curie)
        for key in term.read_in:
            if key not in sources:
                raise ProvenanceError(
                    term.origin.path,
                    term.origin.line,
                    f"read_in names unknown source {key!r}",
                    term.id,
                )
    for source in curation.sources:
        for key in source.cites:
            if key not in sources:
                raise SourceError(
                    source.origin.path,
                    source.origin.line,
                    f"cites unknown source {key!r}",
                    source.key,
                )
    for claim in curation.claims:
        q = claim.qualifiers
        for used in (claim.subject, claim.object, q.context, q.lesion_site, q.target):
            refuse(claim.origin, claim.id, used)
            if used is not None and used not in terms:
                raise SourceError(
                    claim.origin.path,
                    claim.origin.line,
                    f"{used} is not a term of the graph; add it to terms/ (with where its "
                    "label was read) or correct the identifier",
                    claim.id,
                )
        for support in claim.support:
            if support.source not in sources:
                raise ProvenanceError(
                    claim.origin.path,
                    claim.origin.line,
                    f"cites unknown source {support.source!r}; add it to "
                    "sources.yaml or fix the key",
                    claim.id,
                )
            kind = sources[support.source].kind
            problem = evidence_problem(support.evidence, kind, evidence)
            if problem:
                raise ProvenanceError(
                    claim.origin.path,
                    support.line or claim.origin.line,
                    f"support from {support.source!r}: {problem}",
                    claim.id,
                )
        if claim.curator not in curators:
            raise ProvenanceError(
                claim.origin.path,
                claim.origin.line,
                f"unknown curator {claim.curator!r}; add it under 'curators'",
                claim.id,
            )


def _refusals(curation: Curation) -> dict[str, str]:
    """Identifier -> why a curated record may not use it (obsolete, or a look-alike)."""
    obsolete = _unique(curation.obsolete, "id", "obsolete identifier")
    look_alikes = _unique(curation.look_alikes, "key", "look-alike")
    reasons = {}
    for curie, entry in obsolete.items():
        reasons[curie] = f"{curie} ({entry.label}) is obsolete" + (
            f"; its release replaces it by {entry.replaced_by}"
            if entry.replaced_by
            else "; its release names no replacement"
            + (f" (consider: {', '.join(entry.consider)})" if entry.consider else "")
        )
    for curie, entry in look_alikes.items():
        reasons[curie] = (
            f"{curie} ({entry.label}) is a look-alike: {entry.is_}, not {entry.not_}. "
            "If you mean that concept, curate it as a term of its own"
        )
    return reasons


def load_schema(path: Path) -> Graph:
    """Parse the OWL schema (Turtle); a syntax error names the file."""
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as err:  # rdflib raises many parser-specific types
        raise SourceError(path, None, f"cannot parse the schema as Turtle: {err}") from err
    return graph

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
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from rdflib import Graph

from .curation import (
    CLAIM_PREDICATES,
    SOURCE_KINDS,
    TEXT_PREDICATES,
    Abbreviation,
    Claim,
    Curation,
    Curator,
    Edge,
    Qualifiers,
    Source,
    Support,
    Term,
)
from .errors import ProvenanceError, SourceError
from .evidence import EvidenceClass, evidence_problem, parse_evidence_class
from .lexicon import (
    Convention,
    LookAlike,
    Obsolete,
    parse_convention,
    parse_look_alike,
    parse_obsolete,
)
from .parse import parse_claim, parse_curator, parse_source, parse_term
from .records import LINE, Origin, read_yaml

_R = TypeVar("_R")

__all__ = [
    "CLAIM_PREDICATES",
    "SOURCE_KINDS",
    "TEXT_PREDICATES",
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
        terms.extend(_parse_all(path, data, "terms", parse_term))
        sources.extend(_parse_all(path, data, "sources", parse_source))
        curators.extend(_parse_all(path, data, "curators", parse_curator))
        obsolete.extend(_parse_all(path, data, "obsolete", parse_obsolete))
        look_alikes.extend(_parse_all(path, data, "look_alikes", parse_look_alike))
        conventions.extend(_parse_all(path, data, "conventions", parse_convention))
        evidence_classes.extend(_parse_all(path, data, "evidence_classes", parse_evidence_class))
        items = data.get("claims") or []
        if not isinstance(items, list):
            raise SourceError(path, data.get(LINE), "'claims' must be a list")
        claims.extend(parse_claim(path, raw, i, defaults) for i, raw in enumerate(items))
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

"""Load the curated files: YAML records -> typed, frozen records, each with its origin.

Consumes: the ``ontology/`` folder (``terms/*.yaml``, ``sources.yaml``, ``claims/*.yaml``,
``lookalikes.yaml``, ``evidence.yaml``) or single files a user names, and the schema
(``neurokg.ttl``).
Produces: a ``Curation`` (terms, sources, curators, claims, obsolete and look-alike identifiers,
term-choice conventions, the ECO classes a support may use).
Policy: every problem of every file is found in one pass: a single problem raises its
``SourceError`` (naming the file, the line, the record and the fix), several raise ``LoadErrors``
listing them all. Record structure comes from the schema (``schema.models``, via parse.py);
a reference to a record that itself failed is not reported again. Nothing is written. Checks
here are the ones a graph could not even be built without (syntax, fields, prefixes, provenance,
references between records, obsolete and look-alike identifiers, ECO codes that fit their
source, a claim's history: curate/history.py); everything that can be said about a built graph is
left to SHACL (``validate.py``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from rdflib import Graph

from .curate.history import history_problems
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
from .errors import LoadErrors, ProvenanceError, SourceError
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
from .schema import record_errors
from .schema.models import Defaults

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


class _Load:
    """The records read so far, every problem found, and the names of records that failed."""

    def __init__(self) -> None:
        self.problems: list[SourceError] = []
        self.failed: set[str] = set()

    def add(self, error: SourceError) -> None:
        if isinstance(error, LoadErrors):
            self.problems.extend(error.errors)
        else:
            self.problems.append(error)
        if error.record:
            self.failed.add(error.record)

    def parse_all(
        self, path: Path, data: dict[str, Any], key: str, parse: Callable[[Path, Any, int], _R]
    ) -> list[_R]:
        items = data.get(key) or []
        if not isinstance(items, list):
            self.add(SourceError(path, data.get(LINE), f"'{key}' must be a list"))
            return []
        parsed = []
        for i, raw in enumerate(items):
            try:
                parsed.append(parse(path, raw, i))
            except SourceError as err:
                self.add(err)
        return parsed

    def raise_if_any(self) -> None:
        problems = sorted(self.problems, key=lambda e: (e.path, e.line or 0))
        if len(problems) == 1:
            raise problems[0]
        if problems:
            raise LoadErrors(problems)


def _file_data(path: Path, load: _Load) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The file's mapping and its defaults, or None when it cannot be read."""
    try:
        data = read_yaml(path)
    except SourceError as err:
        load.add(err)
        return None
    known = {*_TOP_LEVEL, LINE}
    unknown = sorted(set(data) - known)
    if unknown:
        load.add(SourceError(
            path, 1, f"unknown top-level key(s) {', '.join(unknown)}; "
            f"expected: {', '.join(sorted(known - {LINE}))}",
        ))  # fmt: skip
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict):
        load.add(SourceError(path, data.get(LINE), "'defaults' must be a mapping"))
        return data, {}
    for problem in record_errors(str(path), defaults, Defaults, "defaults", 0):
        load.add(problem)
    return data, defaults


def _parse_claim(path: Path, raw: Any, index: int, *, defaults: dict[str, Any]) -> Claim:
    return parse_claim(path, raw, index, defaults)


def load_curation(paths: Iterable[Path]) -> Curation:
    """Read every curated YAML file under ``paths`` and cross-check the records.

    Every problem is found before anything is raised: one problem raises its ``SourceError``,
    several a ``LoadErrors`` holding them all.
    """
    terms: list[Term] = []
    sources: list[Source] = []
    curators: list[Curator] = []
    claims: list[Claim] = []
    obsolete: list[Obsolete] = []
    look_alikes: list[LookAlike] = []
    conventions: list[Convention] = []
    evidence_classes: list[EvidenceClass] = []
    files = curated_files(paths)
    load = _Load()
    for path in files:
        read = _file_data(path, load)
        if read is None:
            continue
        data, defaults = read
        terms.extend(load.parse_all(path, data, "terms", parse_term))
        sources.extend(load.parse_all(path, data, "sources", parse_source))
        curators.extend(load.parse_all(path, data, "curators", parse_curator))
        obsolete.extend(load.parse_all(path, data, "obsolete", parse_obsolete))
        look_alikes.extend(load.parse_all(path, data, "look_alikes", parse_look_alike))
        conventions.extend(load.parse_all(path, data, "conventions", parse_convention))
        evidence_classes.extend(
            load.parse_all(path, data, "evidence_classes", parse_evidence_class)
        )
        claims.extend(
            load.parse_all(path, data, "claims", partial(_parse_claim, defaults=defaults))
        )
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
    for problem in _cross_check(curation, load.failed):
        load.add(problem)
    for claim in curation.claims:
        for problem in history_problems(claim):
            load.add(problem)
    load.raise_if_any()
    return curation


def _unique(
    records: Iterable[Any], key: str, what: str, problems: list[SourceError]
) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for record in records:
        value = getattr(record, key)
        if value in seen:
            problems.append(SourceError(
                record.origin.path,
                record.origin.line,
                f"duplicate {what} {value!r}, first defined at {seen[value].origin}",
                value,
            ))  # fmt: skip
            continue
        seen[value] = record
    return seen


def _cross_check(curation: Curation, failed: set[str]) -> list[SourceError]:
    """Check references between records: ids unique, sources and curators exist, no refused id.

    A reference to a record in ``failed`` (one that could not be read) is not a problem of its
    own: its record's problem has been reported.
    """
    problems: list[SourceError] = []
    terms = _unique(curation.terms, "id", "term id", problems)
    sources = _unique(curation.sources, "key", "source key", problems)
    curators = _unique(curation.curators, "id", "curator id", problems)
    _unique(curation.claims, "id", "claim id", problems)
    refusals = _refusals(curation, problems)
    evidence = _unique(curation.evidence_classes, "id", "evidence class", problems)
    if curation.claims and not evidence and not any("ECO" in name for name in failed):
        first = curation.claims[0].origin
        problems.append(ProvenanceError(
            first.path,
            None,
            "no ECO evidence classes are loaded, so no support's evidence can be checked: "
            "include the 'evidence_classes' file (ontology/evidence.yaml) with the claims",
        ))  # fmt: skip

    def known(table: dict[str, Any], key: str) -> bool:
        return key in table or key in failed

    def refuse(origin: Origin, record: str, curie: str | None) -> bool:
        """Report a refused identifier; True when ``curie`` is one."""
        if curie is not None and curie in refusals:
            problems.append(SourceError(origin.path, origin.line, refusals[curie], record))
            return True
        return False

    for term in curation.terms:
        for curie in (term.id, *(e.target for e in (*term.is_a, *term.part_of))):
            refuse(term.origin, term.id, curie)
        for key in term.read_in:
            if not known(sources, key):
                problems.append(ProvenanceError(
                    term.origin.path, term.origin.line,
                    f"read_in names unknown source {key!r}", term.id,
                ))  # fmt: skip
    for source in curation.sources:
        superseded_by = source.standing.by if source.standing else None
        for key in (*source.cites, *([superseded_by] if superseded_by else [])):
            if not known(sources, key):
                what = "cites" if key in source.cites else "standing: superseded by"
                problems.append(SourceError(
                    source.origin.path, source.origin.line,
                    f"{what} unknown source {key!r}", source.key,
                ))  # fmt: skip
    for claim in curation.claims:
        problems.extend(_claim_problems(claim, terms, sources, curators, evidence, known, refuse))
    return problems


def _claim_problems(
    claim: Claim,
    terms: dict[str, Any],
    sources: dict[str, Any],
    curators: dict[str, Any],
    evidence: dict[str, Any],
    known: Callable[[dict[str, Any], str], bool],
    refuse: Callable[[Origin, str, str | None], bool],
) -> Iterator[SourceError]:
    where = (claim.origin.path, claim.origin.line)
    for used in (claim.subject, claim.object, *claim.qualifiers.terms()):
        if refuse(claim.origin, claim.id, used):
            continue
        if used is not None and not known(terms, used):
            yield SourceError(
                *where,
                f"{used} is not a term of the graph; add it to terms/ (with where its "
                "label was read) or correct the identifier",
                claim.id,
            )
    for support in claim.support:
        if support.source not in sources:
            if not known(sources, support.source):
                yield ProvenanceError(
                    *where,
                    f"cites unknown source {support.source!r}; add it to "
                    "sources.yaml or fix the key",
                    claim.id,
                )
            continue
        problem = evidence_problem(support.evidence, sources[support.source].kind, evidence)
        if problem and evidence:
            yield ProvenanceError(
                claim.origin.path,
                support.line or claim.origin.line,
                f"support from {support.source!r}: {problem}",
                claim.id,
            )
    if not known(curators, claim.curator):
        yield ProvenanceError(
            *where, f"unknown curator {claim.curator!r}; add it under 'curators'", claim.id
        )


def _refusals(curation: Curation, problems: list[SourceError]) -> dict[str, str]:
    """Identifier -> why a curated record may not use it (obsolete, or a look-alike)."""
    obsolete = _unique(curation.obsolete, "id", "obsolete identifier", problems)
    look_alikes = _unique(curation.look_alikes, "key", "look-alike", problems)
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

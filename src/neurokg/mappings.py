"""Mappings across vocabularies (SSSOM): DOID, MeSH, Orphanet, OMIM and UMLS identifiers to MONDO.

Consumes: ``ontology/mappings/neurokg.sssom.tsv`` (the rows of Mondo's mapping sets for the MONDO
classes the curated files name, made by scripts/make_mappings.py; SSSOM TSV with its
YAML metadata block in ``#`` lines).
Produces: a ``MappingIndex``; ``rewrite(text)`` -> a ``Rewrite`` (the MONDO identifier to ask
about and the mapping row used, to be shown with the answer) or None when ``text`` is not an
identifier of a mapped vocabulary.
Policy: only ``skos:exactMatch`` rewrites an identifier. Broad, narrow, close and related matches
are shown (an ``UnknownNameError`` listing them), never used. Two exact matches to different MONDO
classes are an ``AmbiguousNameError``. The MONDO class reached is then resolved like any typed
identifier, so a look-alike or an obsolete class is still refused (Orphanet:90186 is Meige
*disease*, exactly MONDO:0007920, which neurokg refuses as a look-alike of Meige syndrome).
Prefixes are read from the file's ``curie_map`` (curies), with the spellings sources use
(``MESH``/``mesh``, ``ORPHA``/``Orphanet``, ``MIM``/``OMIM``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final

import curies
import yaml

from .errors import AmbiguousNameError, SourceError, UnknownNameError

__all__ = [
    "EXACT",
    "MAPPING_FILE",
    "Mapping",
    "MappingIndex",
    "Rewrite",
    "default_mappings",
    "read_mappings",
]

MAPPING_FILE: Final = Path("mappings") / "neurokg.sssom.tsv"
EXACT: Final = "skos:exactMatch"
_REQUIRED: Final = ("subject_id", "predicate_id", "object_id", "mapping_justification")
#: Other spellings of the prefixes of the mapping file, as literature and other graphs write them.
_SYNONYMS: Final = {
    "mesh": ["MESH", "MeSH", "MSH"],
    "Orphanet": ["ORPHA", "ORPHANET", "ORDO", "orphanet"],
    "OMIM": ["MIM", "omim"],
    "UMLS": ["umls", "UMLS_CUI"],
    "DOID": ["doid"],
    "MONDO": ["mondo"],
}


@dataclass(frozen=True)
class Mapping:
    """One SSSOM row: subject (MONDO) predicate object, with its justification and source."""

    subject_id: str
    subject_label: str
    predicate_id: str
    object_id: str
    object_label: str
    justification: str
    mapping_source: str
    line: int

    def describe(self) -> str:
        label = f" ({self.object_label})" if self.object_label else ""
        return (
            f"{self.object_id}{label} {self.predicate_id} {self.subject_id} "
            f"({self.subject_label}); justification {self.justification}; mapping set "
            f"{self.mapping_source} (neurokg.sssom.tsv line {self.line})"
        )


@dataclass(frozen=True)
class Rewrite:
    """An identifier rewritten through an exact mapping: what was typed, what is asked, and why."""

    typed: str
    target: str
    mapping: Mapping
    set_version: str

    def note(self) -> str:
        used = self.mapping.describe()
        return f"{self.typed} was read as {self.target} through the SSSOM mapping {used}"


class MappingIndex:
    """The rows of one SSSOM file, found by their object identifier."""

    def __init__(self, rows: list[Mapping], converter: curies.Converter, set_version: str):
        self.rows = rows
        self.converter = converter
        self.set_version = set_version
        self._by_object: dict[str, list[Mapping]] = {}
        for row in rows:
            self._by_object.setdefault(self.standard(row.object_id) or row.object_id, []).append(
                row
            )

    def standard(self, text: str) -> str | None:
        """``text`` as the file spells it (``MESH:D009103`` -> ``mesh:D009103``), or None."""
        prefix, sep, local = text.strip().partition(":")
        if not sep or not local:
            return None
        try:
            return self.converter.standardize_curie(f"{prefix}:{local}")
        except (ValueError, curies.api.StandardizationError):
            return None

    def for_object(self, text: str) -> list[Mapping]:
        key = self.standard(text)
        return list(self._by_object.get(key, [])) if key is not None else []

    def rewrite(self, text: str) -> Rewrite | None:
        """The MONDO class ``text`` exactly maps to; None when ``text`` is no mapped identifier.

        Raises ``UnknownNameError`` naming the inexact matches when only those exist, and
        ``AmbiguousNameError`` when exact matches name different MONDO classes.
        """
        rows = self.for_object(text)
        if not rows or text.strip().upper().startswith("MONDO:"):
            return None
        exact = [r for r in rows if r.predicate_id == EXACT]
        subjects = sorted({r.subject_id for r in exact})
        if len(subjects) > 1:
            raise AmbiguousNameError(text, [r.describe() for r in exact])
        if not exact:
            raise UnknownNameError(
                text,
                [
                    f"{r.describe()}: not used (only skos:exactMatch rewrites an identifier)"
                    for r in rows
                ],
            )
        return Rewrite(text.strip(), subjects[0], exact[0], self.set_version)


def _metadata(lines: list[str], path: Path) -> dict[str, object]:
    try:
        meta = yaml.safe_load("\n".join(line[1:] for line in lines)) or {}
    except yaml.YAMLError as err:
        raise SourceError(path, 1, f"SSSOM metadata block is not YAML: {err}") from err
    if not isinstance(meta, dict):
        raise SourceError(path, 1, "SSSOM metadata block is not a mapping")
    return meta


def read_mappings(path: Path) -> MappingIndex:
    """Read an SSSOM TSV file; a row missing a required column is a ``SourceError``."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise SourceError(path, None, f"cannot read the mappings: {err}") from err
    lines = text.splitlines()
    head = [line for line in lines if line.startswith("#")]
    meta = _metadata(head, path)
    curie_map = meta.get("curie_map") or {}
    if not isinstance(curie_map, dict):
        raise SourceError(path, 1, "curie_map is not a mapping of prefix to IRI")
    converter = curies.Converter(
        [
            curies.Record(prefix=p, uri_prefix=str(u), prefix_synonyms=_SYNONYMS.get(p, []))
            for p, u in curie_map.items()
        ]
    )
    start = len(head)
    reader = csv.DictReader(lines[start:], delimiter="\t")
    rows: list[Mapping] = []
    for offset, record in enumerate(reader, start=start + 2):
        missing = [c for c in _REQUIRED if not (record.get(c) or "").strip()]
        if missing:
            raise SourceError(path, offset, f"mapping row lacks {', '.join(missing)}")
        rows.append(
            Mapping(
                record["subject_id"],
                record.get("subject_label") or "",
                record["predicate_id"],
                record["object_id"],
                record.get("object_label") or "",
                record["mapping_justification"],
                record.get("mapping_source") or str(meta.get("mapping_set_version", "")),
                offset,
            )
        )
    return MappingIndex(rows, converter, str(meta.get("mapping_set_version", "")))


@lru_cache(maxsize=4)
def default_mappings(ontology: Path | None = None) -> MappingIndex | None:
    """The mappings of the curated folder ``ontology`` (default: the packaged one), or None."""
    from .resources import data_dir

    folder = Path(str(data_dir("ontology", ontology)))
    path = folder / MAPPING_FILE
    return read_mappings(path) if path.is_file() else None

"""Write a release: its files into a folder that replaces the old release whole.

Consumes: a ``KnowledgeGraph`` (build/), a selection (approved claims only, or every claim with
its status), a release date, the formats to write, an optional knowledge-source identifier for
the KGX tables and an optional ``Access`` (void.py).
Produces: the release folder: the files of ``EXPORT_FORMATS`` (formats.py, jsonld.py), the KGX
tables (kgx.py), ``void.ttl`` (void.py) and ``SHA256SUMS``, which lists every file for
``sha256sum -c``; a ``Release`` saying what was written.
Policy: the release is written whole into a hidden folder beside ``dest`` and swapped in with one
rename (atomic.py), so a reader, or ``sha256sum -c SHA256SUMS``, sees the old release or the new
one, never a mix; a failed or killed export leaves the old release and no temporary file in it.
The destination must be a new folder (its parent must exist) or hold only a previous release's
files: anything else is an ``ExportError``, and so is a destination that is not a folder.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Final

import pyoxigraph as ox
from rdflib import URIRef

from ..atomic import StagedFolder
from ..build import KnowledgeGraph
from ..errors import ExportError
from ..kgx import DEFAULT_KNOWLEDGE_SOURCE, KGX_FILES, kgx_tables
from ..namespaces import GRAPH_IRIS, META_GRAPH, NKG
from .formats import (
    CHECKSUM_FILE,
    CONTEXT_FILE,
    EXPORT_FORMATS,
    METADATA_FILE,
    Quad,
    canonical_quads,
    ox_triples,
    serialize,
    union_triples,
)
from .jsonld import context_document
from .selection import default_release_date, select_content
from .void import DCAT, FOAF, SPDX, VOID, Access, describe_access, metadata_graph, sorted_triples

__all__ = [
    "RELEASE_FILES",
    "Release",
    "check_release_destination",
    "export_choices",
    "export_release",
    "release_folder",
    "write_release",
]

#: Names a release folder may hold (from ``export`` or ``export --store``), besides the
#: ``.<name>.<random>`` temporary files older versions could leave.
RELEASE_FILES: Final = frozenset(
    {"neurokg.ttl", "neurokg.nt", "neurokg.jsonld", "neurokg.trig", "neurokg.nq"}
    | {"context.jsonld", "void.ttl", "SHA256SUMS"}
    | set(KGX_FILES)
)


def check_release_destination(dest: Path) -> Path:
    """The absolute folder a release to ``dest`` replaces; ``ExportError`` if it cannot be one:
    a file, a folder under a missing parent or a non-folder, a folder holding other files."""
    return _check_destination(dest, RELEASE_FILES)


def _check_destination(dest: Path, names: Collection[str]) -> Path:
    """The absolute release folder for ``dest``, or an ``ExportError`` saying what is wrong."""
    folder = Path(os.path.abspath(dest))
    if folder.is_symlink() and folder.is_dir():
        folder = folder.resolve()
    parent = folder.parent
    if not parent.is_dir():
        what = "is not a folder" if parent.exists() else "does not exist"
        raise ExportError(f"cannot write the release {dest}: {parent} {what}")
    if os.path.lexists(folder) and not folder.is_dir():
        raise ExportError(f"cannot write the release {dest}: it is a file, not a folder")
    if folder.is_dir():
        try:
            entries = sorted(p.name for p in folder.iterdir())
        except OSError as err:
            raise ExportError(f"cannot read the release folder {dest}: {err.strerror}") from err
        leftovers = re.compile(r"^\.(" + "|".join(map(re.escape, sorted(names))) + r")\.\w+$")
        foreign = [n for n in entries if n not in names and not leftovers.match(n)]
        if foreign:
            listed = ", ".join(foreign[:5]) + (", ..." if len(foreign) > 5 else "")
            raise ExportError(
                f"{dest} holds files that are not part of a neurokg release ({listed}); "
                "choose a new or empty folder (the whole folder is replaced)"
            )
    return folder


@contextmanager
def release_folder(dest: Path) -> Iterator[Path]:
    """A hidden folder beside ``dest`` to write a release into; on success it replaces ``dest``
    whole (see the module policy). Raises ``ExportError``."""
    folder = _check_destination(dest, RELEASE_FILES)
    try:
        with StagedFolder(folder) as staging:
            yield staging
    except OSError as err:
        raise ExportError(f"cannot write the release {dest}: {err.strerror or err}") from err


def write_release(dest: Path, files: Mapping[str, bytes]) -> Path:
    """Write ``files`` (name -> bytes) as the release folder ``dest``, all or nothing."""
    with release_folder(dest) as staging:
        for name, data in files.items():
            (staging / name).write_bytes(data)
    return dest


@dataclass(frozen=True)
class Release:
    """What an export wrote: the folder, each file's SHA-256, and triple counts per graph."""

    folder: Path
    iri: URIRef
    checksums: dict[str, str]
    counts: dict[str, int]


def export_release(
    kg: KnowledgeGraph,
    dest: Path,
    *,
    all_claims: bool = False,
    release_date: date | None = None,
    formats: Sequence[str] | None = None,
    knowledge_source: str | None = None,
    access: Access | None = None,
) -> Release:
    """Write the release of ``kg`` into the folder ``dest`` and return what was written."""
    unknown = sorted(set(formats or ()) - {*EXPORT_FORMATS, "kgx"})
    if unknown:
        raise ExportError(f"unknown export format(s) {unknown}; choose from {export_choices()}")
    chosen = list(formats) if formats else export_choices()
    _check_destination(dest, RELEASE_FILES)  # before the work; checked again when writing
    when = release_date or default_release_date(kg)
    selected = select_content(kg, all_claims=all_claims)
    quads = canonical_quads(selected.dataset)
    files: dict[str, bytes] = {}
    for name in chosen:
        if name == "kgx":
            files.update(kgx_tables(selected, knowledge_source or DEFAULT_KNOWLEDGE_SOURCE))
            continue
        fmt = EXPORT_FORMATS[name]
        files[fmt.filename] = fmt.write(quads)
        if name == "jsonld":
            files[CONTEXT_FILE] = context_document().encode("utf-8")
    checksums = {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())}
    counts = _graph_counts(quads)
    release_iri = NKG[f"release/{kg.version}/{'all-claims' if all_claims else 'approved'}"]
    metadata = metadata_graph(selected, release_iri, when, counts, checksums)
    describe_access(metadata, release_iri, access or Access(), checksums)
    prefixes = {
        "void": str(VOID),
        "dcat": str(DCAT),
        "spdx": str(SPDX),
        "foaf": str(FOAF),
        "release": f"{release_iri}/",
    }
    files[METADATA_FILE] = serialize(
        ox_triples(sorted_triples(metadata)), ox.RdfFormat.TURTLE, prefixes
    )
    checksums[METADATA_FILE] = hashlib.sha256(files[METADATA_FILE]).hexdigest()
    sums = "".join(f"{digest}  {name}\n" for name, digest in sorted(checksums.items()))
    files[CHECKSUM_FILE] = sums.encode("utf-8")
    write_release(dest, dict(sorted(files.items())))
    return Release(dest, release_iri, checksums, counts)


def export_choices() -> list[str]:
    """Every format name ``export_release`` accepts, in writing order."""
    return [*EXPORT_FORMATS, "kgx"]


def _graph_counts(quads: Sequence[Quad]) -> dict[str, int]:
    names = {iri: name for name, iri in GRAPH_IRIS.items()} | {META_GRAPH: "meta"}
    counts = dict.fromkeys(names.values(), 0)
    for *_, g in quads:
        counts[names[g]] += 1
    counts["union"] = len(union_triples(quads))
    return counts

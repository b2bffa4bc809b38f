"""Read ontology release files for scripts/make_imports.py: OBO (fastobo, with a lenient
line-by-line fallback for pre-1.4 files such as uberon_edit.obo of 2010), Mondo's release reports
and the Disease Ontology's HumanDO.tsv, each as a ``Source``: parents, labels, obsolete classes
and, for OBO, the frames to copy.
"""

from __future__ import annotations

import contextlib
import csv
import os
import re
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import fastobo

__all__ = ["Source", "read_doid", "read_mondo", "read_obo"]


@dataclass
class Source:
    """A release read as id -> parents, id -> label, plus (for OBO) the frames to copy."""

    parents: dict[str, list[str]]
    labels: dict[str, str]
    obsolete: dict[str, str | None]  # id -> replaced by
    frames: dict[str, Any]
    header: Any = None
    typedefs: dict[str, Any] | None = None
    dropped: int = 0  # lines of a pre-1.4 OBO file that fastobo refused (see _lenient)


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    sys.stderr.flush()
    saved = os.dup(2)
    with open(os.devnull, "w", encoding="utf-8") as null:
        os.dup2(null.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def _parses(text: str) -> bool:
    try:
        with _quiet_stderr():  # fastobo's Rust panics print a backtrace on fd 2
            fastobo.loads(text)
    except (SyntaxError, ValueError):
        return False
    except BaseException as err:  # fastobo panics (pyo3 PanicException) on some old clauses
        if isinstance(err, KeyboardInterrupt):
            raise
        return False
    return True


def _lenient(path: Path) -> tuple[Any, int]:
    """Parse an OBO file older than OBO 1.4 (uberon_edit.obo of 2010): line by line within each
    stanza, keeping the lines fastobo reads (a synonym without a scope is left out); returns the
    document and how many lines were left out."""
    text = path.read_text(encoding="utf-8")
    blocks = re.split(r"\n(?=\[(?:Term|Typedef)\]\n)", text)
    kept: list[str] = []
    dropped = 0
    for block in blocks[1:]:
        lines = [line for line in block.rstrip("\n").split("\n") if line.strip()]
        if len(lines) < 2 or not lines[1].startswith("id: "):
            dropped += len(lines)
            continue
        good = lines[:2]
        for line in lines[2:]:
            if _parses("\n".join([*lines[:2], line]) + "\n"):
                good.append(line)
            else:
                dropped += 1
        kept.append("\n".join(good))
    return fastobo.loads("format-version: 1.2\n\n" + "\n\n".join(kept) + "\n"), dropped


def read_obo(path: Path) -> Source:
    dropped = 0
    try:
        doc: Any = fastobo.load(str(path))
    except SyntaxError:
        doc, dropped = _lenient(path)
    src = Source(defaultdict(list), {}, {}, {}, doc.header, {}, dropped)
    for frame in doc:
        kind = type(frame).__name__
        fid = str(frame.id)
        if kind == "TypedefFrame":
            assert src.typedefs is not None
            src.typedefs[fid] = frame
            for clause in frame:
                if type(clause).__name__ == "IsAClause":
                    src.parents[fid].append(str(clause.typedef))
                elif type(clause).__name__ == "NameClause":
                    src.labels[fid] = str(clause.name)
            src.frames[fid] = frame
            continue
        if kind != "TermFrame":
            continue
        src.frames[fid] = frame
        replaced: str | None = None
        obsolete = False
        for clause in frame:
            ck = type(clause).__name__
            if ck == "NameClause":
                src.labels[fid] = str(clause.name)
            elif ck == "IsAClause":
                src.parents[fid].append(str(clause.term))
            elif ck == "RelationshipClause" and str(clause.typedef) in ("part_of", "BFO:0000050"):
                src.parents[fid].append(str(clause.term))
            elif ck == "IsObsoleteClause":
                obsolete = bool(clause.obsolete)
            elif ck == "ReplacedByClause":
                replaced = str(clause.term)
        if obsolete:
            src.obsolete[fid] = replaced
    return src


def read_mondo(stats: Path, edges: Path, obsoletes: Path) -> Source:
    src = Source(defaultdict(list), {}, {}, {})
    with stats.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            cls = row["cls"]
            if cls.startswith("MONDO:"):
                src.labels[cls] = row["cls_label"].strip('"')
    with edges.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["relation"] == "rdfs:subClassOf" and row["subject"].startswith("MONDO:"):
                if row["object"] not in src.parents[row["subject"]]:
                    src.parents[row["subject"]].append(row["object"])
    with obsoletes.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["cls"].startswith("MONDO:"):
                src.obsolete[row["cls"]] = row.get("replCls") or None
    for cls, label in src.labels.items():
        if label.startswith("obsolete ") and cls not in src.obsolete:
            src.obsolete[cls] = None
    return src


def read_doid(table: Path) -> Source:
    src = Source(defaultdict(list), {}, {}, {})
    rows: list[tuple[str, str, str]] = []
    with table.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            rows.append(
                (row["id"].strip('"'), row["label"].strip('"'), row["subClassOf"].strip('"'))
            )
    by_label: dict[str, list[str]] = defaultdict(list)
    for did, label, _parent in rows:
        src.labels[did] = label
        by_label[label].append(did)
    for did, _label, parent in rows:
        targets = by_label.get(parent, [])
        if len(targets) == 1 and targets[0] not in src.parents[did]:
            src.parents[did].append(targets[0])
    return src

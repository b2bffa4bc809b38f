"""Where the data folders live: the only module that knows.

Consumes: an optional folder the user names.
Produces: the ``ontology/``, ``shapes/`` or ``queries/`` folder to read: the packaged copy inside
an installed wheel (``neurokg/_data/``) or the top-level folder of a source checkout.
Reads package text only; never writes. A query name is a name (``QUERY_NAME_RE``), never a path.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .errors import UnknownQueryError

if TYPE_CHECKING:  # importlib.resources costs 0.01 s to import: annotations only
    from importlib.resources.abc import Traversable

__all__ = [
    "QUERY_NAME_RE",
    "DataKind",
    "data_dir",
    "is_packaged_query",
    "list_queries",
    "query_text",
]

DataKind = Literal["ontology", "shapes", "queries"]
#: What a named query's name may be (the stem of a ``queries/*.rq`` file): snake_case.
QUERY_NAME_RE = re.compile(r"[a-z][a-z0-9_]*")


def _checkout_root() -> Path:
    return Path(__file__).resolve().parents[2]


def data_dir(kind: DataKind, override: Path | None = None) -> Traversable:
    """Return the folder of ``kind``: ``override`` if given, else the packaged or checkout copy."""
    if override is not None:
        return override
    return _default_dir(kind)


@cache
def _default_dir(kind: DataKind) -> Path:
    packaged = Path(__file__).parent / "_data" / kind  # what files("neurokg") gives, installed
    if packaged.is_dir():
        return packaged
    return _checkout_root() / kind


def list_queries(queries: Traversable | None = None) -> list[str]:
    """Return the names of the named queries, sorted."""
    folder = queries if queries is not None else data_dir("queries")
    stems = (p.name.removesuffix(".rq") for p in folder.iterdir() if p.name.endswith(".rq"))
    return sorted(stem for stem in stems if QUERY_NAME_RE.fullmatch(stem))


def query_text(name: str, queries: Traversable | None = None) -> str:
    """Return the SPARQL text of the named query ``name`` (the packaged ones read once)."""
    if queries is None:
        return _packaged_query_text(name)
    return _read_query(name, queries)


@cache
def _packaged_query_text(name: str) -> str:
    text = _read_query(name, data_dir("queries"))
    _read_so_far.add(text)
    return text


#: The packaged query texts read so far in this process.
_read_so_far: set[str] = set()


def _read_query(name: str, folder: Traversable) -> str:
    if not QUERY_NAME_RE.fullmatch(name):  # a name, never a path: no "../", "/", "\\", "."
        raise UnknownQueryError(name, available=list_queries(folder))
    path = folder / f"{name}.rq"
    if not path.is_file():
        raise UnknownQueryError(name, available=list_queries(folder))
    return path.read_text(encoding="utf-8")


@cache
def _packaged_texts() -> frozenset[str]:
    folder = data_dir("queries")
    return frozenset(_packaged_query_text(name) for name in list_queries(folder))


def is_packaged_query(text: str) -> bool:
    """Whether ``text`` is, character for character, one of the packaged named queries (those read
    so far are compared first, so a command that runs a few of them does not read them all)."""
    return text in _read_so_far or text in _packaged_texts()

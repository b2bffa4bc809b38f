"""Stores: the built dataset in Oxigraph (in memory or on disk) and the engine that queries it.

Consumes: a built rdflib ``Dataset`` (build/) or N-Quads/TriG files, and an optional folder.
Produces: a ``pyoxigraph.Store`` (persistent when a folder is given) and ``OxigraphEngine``, which
answers the same named queries as ``query.LocalEngine`` with the same rows, 100-1000x faster on
selective joins (PERFORMANCE.md): rows of rdflib terms (``select``: ``store_terms.py``, where
literals typed ``xsd:string`` come back as plain rdflib literals, so rows compare equal across
engines), or plain rows (``select_plain``: ``plain.py``), for which this module imports no rdflib.
Policy: the default graph of a query is the union of the named graphs, as in the rdflib dataset.
Never hand an Oxigraph-backed graph to pyshacl (PERFORMANCE.md warning 10).
Folders: ``open_store(path, read_only=True)`` opens only an existing store and writes nothing
(it works while a writer holds the store: ``neurokg import`` never writes into the live folder,
it swaps a new one in); ``open_store(path)`` opens for writing and creates the store in a missing
or empty folder, never in a folder that holds other files. A store held by another writer is a
``SourceError`` naming the store and the holder's process id, and saying what to do.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import struct
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import pyoxigraph as ox

from . import resources
from .errors import NeurokgError, SourceError
from .plain import Iri, PlainRow
from .prefixes import GRAPH_BASE, PREFIX_MAP
from .query import Row, Value, _check_bindings, bind_values, check_local_query

if TYPE_CHECKING:  # rdflib (0.2 s) only where rdflib terms are made: store_terms.py
    from importlib.resources.abc import Traversable

    from rdflib import Dataset

_R = TypeVar("_R")
_V = TypeVar("_V")

#: The graph describing a release (namespaces.META_GRAPH), not part of its content.
_META_GRAPH = f"{GRAPH_BASE}meta"

__all__ = [
    "OxigraphEngine",
    "check_store_folder",
    "converted_rows",
    "dump_content",
    "is_store",
    "load_into_store",
    "lock_store",
    "open_store",
    "plain_solution_rows",
]


def is_store(path: Path) -> bool:
    """Whether the folder ``path`` holds an Oxigraph (RocksDB) store."""
    return (path / "CURRENT").is_file() and (path / "IDENTITY").is_file()


def _lock_holder(lock_file: Path) -> int | None:
    """The process id holding the POSIX lock on ``lock_file`` (Linux ``F_GETLK``), if known."""
    try:
        fd = os.open(lock_file, os.O_RDONLY)
    except OSError:
        return None
    try:
        query = struct.pack("hhqqi4x", fcntl.F_WRLCK, os.SEEK_SET, 0, 0, 0)
        kind, _, _, _, pid = struct.unpack("hhqqi4x", fcntl.fcntl(fd, fcntl.F_GETLK, query))
    except (OSError, struct.error):
        return None
    finally:
        os.close(fd)
    return pid if kind != fcntl.F_UNLCK and pid > 0 else None


def _locked(path: Path) -> SourceError:
    pid = _lock_holder(path / "LOCK")
    holder = f"process {pid}" if pid else "another process"
    return SourceError(
        path,
        None,
        f"the store is locked: {holder} is writing to it (a neurokg import, or a command that "
        "opened it for writing). Wait for it to finish, or stop it"
        + (f" (kill {pid})" if pid else "")
        + "; read-only commands (neurokg stats --store, export --store) can read it meanwhile",
    )


def _open_error(path: Path, err: OSError) -> SourceError:
    text = str(err)
    if "lock" in text.lower() and ("unavailable" in text or "No locks" in text):
        return _locked(path)
    return SourceError(path, None, f"cannot open the Oxigraph store: {text}")


def check_store_folder(path: Path, *, read_only: bool) -> None:
    """Refuse (``SourceError``) a path that is a file, or a folder that holds other things than a
    store; for reading, also a missing folder or one without a store. Writes nothing."""
    if path.exists() and not path.is_dir():
        raise SourceError(path, None, "is a file, not a store folder")
    if read_only and not path.exists():
        raise SourceError(
            path, None, "no store here; fill one with 'neurokg import FILE --store DIR'"
        )
    if path.is_dir() and not is_store(path) and (read_only or any(path.iterdir())):
        raise SourceError(
            path,
            None,
            "not a neurokg store (no Oxigraph database in it); nothing was written. Give the "
            "folder a store was imported into, or a new or empty folder to create one",
        )


def open_store(path: Path | None = None, *, read_only: bool = False) -> ox.Store:
    """A new in-memory store, or the on-disk store at ``path`` (see the module's policy)."""
    if path is None:
        return ox.Store()
    try:
        check_store_folder(path, read_only=read_only)
        if read_only:
            return ox.Store.read_only(str(path))
        path.mkdir(parents=True, exist_ok=True)
        return ox.Store(str(path))
    except OSError as err:
        raise _open_error(path, err) from err


@contextlib.contextmanager
def lock_store(path: Path) -> Iterator[None]:
    """Hold the store's write lock (the one Oxigraph takes) without opening it for writing.

    Other writers then fail as they would on an open store; readers are not blocked. Do not
    open the store for writing in this process meanwhile: closing it would drop the lock.
    """
    try:
        fd = os.open(path / "LOCK", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as err:
        raise _open_error(path, err) from err
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as err:
            raise _locked(path) from err
        yield
    finally:
        os.close(fd)


def load_into_store(dataset: Dataset, store: ox.Store) -> ox.Store:
    """Replace each named graph of ``dataset`` in ``store`` (bulk-loaded from N-Quads)."""
    from rdflib import URIRef

    for context in dataset.graphs():
        name = context.identifier
        if not isinstance(name, URIRef):
            continue
        graph_name = ox.NamedNode(str(name))
        if store.contains_named_graph(graph_name):
            store.remove_graph(graph_name)
        data = context.serialize(format="nt", encoding="utf-8")
        store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=graph_name)
    return store


def dump_content(store: ox.Store) -> bytes:
    """Every graph of ``store`` but ``meta`` as N-Triples, written by Oxigraph (a triple held by
    two graphs appears twice, which RDF reads as one)."""
    meta = ox.NamedNode(_META_GRAPH)
    graphs: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [ox.DefaultGraph()]
    graphs += [g for g in store.named_graphs() if g != meta]
    return b"".join(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g) or b"" for g in graphs)


@dataclass(frozen=True)
class OxigraphEngine:
    """Answers SPARQL on a pyoxigraph ``Store``, the union of its named graphs as default graph."""

    store: ox.Store
    queries: Traversable | None = None
    allow_service: bool = False  # SERVICE and FROM a graph not held: see query.check_local_query

    def _held_graphs(self) -> set[str]:
        return {g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode)}

    def select(self, text: str, bindings: Mapping[str, Value]) -> list[Row]:
        from .store_terms import solution_rows

        return self._solve(self._bound(text, bindings), solution_rows)

    def select_plain(self, text: str, bindings: Mapping[str, Value]) -> list[PlainRow]:
        """``select`` as plain rows (``plain.py``): no rdflib term is made, nor rdflib imported."""
        return self._solve(self._bound(text, bindings), plain_solution_rows)

    def _bound(self, text: str, bindings: Mapping[str, Value]) -> str:
        _check_bindings(bindings)
        if not self.allow_service:
            check_local_query(text, self._held_graphs)
        return bind_values(text, bindings)

    def _solve(self, text: str, rows: Callable[[ox.QuerySolutions], list[_R]]) -> list[_R]:
        # Not inlined in select: the parser's garbage (cyclic tracebacks) keeps select's frame
        # alive, and pyoxigraph refuses to free its results in the thread that collects it.
        try:
            solutions = self.store.query(
                text,
                use_default_graph_as_union=True,
                prefixes=dict(PREFIX_MAP),
            )
            if not isinstance(solutions, ox.QuerySolutions):
                raise NeurokgError("only SELECT queries return rows")
            return rows(solutions)
        except SyntaxError as err:
            raise NeurokgError(f"the query does not parse: {err}") from err
        except OSError as err:  # a SERVICE that failed (allow_service), or the store on disk
            raise NeurokgError(f"the query failed: {err}") from err

    def named(self, name: str, **bindings: Value) -> list[Row]:
        return self.select(resources.query_text(name, self.queries), bindings)


def converted_rows(
    solutions: ox.QuerySolutions, convert: Callable[[object], _V]
) -> list[dict[str, _V]]:
    """pyoxigraph solutions as rows of ``convert``ed terms (unbound variables left out).

    A term met twice is converted once: rows repeat their IRIs and literals, and making rdflib
    terms (a Literal parses its lexical form) was a third of an answer's time.
    """
    names = [v.value for v in solutions.variables]
    seen: dict[object, _V] = {}
    rows: list[dict[str, _V]] = []
    for solution in solutions:
        row: dict[str, _V] = {}
        # a solution's values come in the order of its variables; reading them in turn is five
        # times faster than looking each up by name
        for name, value in zip(names, solution, strict=True):
            if value is not None:
                term = seen.get(value)
                if term is None:
                    term = seen[value] = convert(value)
                row[name] = term
        rows.append(row)
    return rows


def _plain_term(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return Iri(term.value)
    assert isinstance(term, ox.Literal | ox.BlankNode)  # what a solution holds besides IRIs
    return term.value


def plain_solution_rows(solutions: ox.QuerySolutions) -> list[PlainRow]:
    """pyoxigraph solutions as plain rows (unbound variables left out): an IRI as ``Iri``, any
    other term as its value (a literal's lexical form, a blank node's label)."""
    return converted_rows(solutions, _plain_term)

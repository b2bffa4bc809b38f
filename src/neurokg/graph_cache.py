"""A cache of the built curated graph, so a command does not rebuild it from YAML every time.

Consumes: the curated folder, and a function that builds its dataset. Produces: an Oxigraph store
holding the built graph: the on-disk store ``store-<key>/`` in the cache folder, opened read-only,
when the key matches; else the graph is built, loaded into a new store beside it and renamed into
place (a reader never sees a half-written store), and that store is opened.
Opening the store read-only takes about 0.02 s, where re-loading the 5 MB of N-Quads the cache
held before took 0.13 s: a question's start-up. Questions never write (a write is refused).
Policy: the key is the SHA-256 of neurokg's version, its own source files and every file of the
curated folder (path and bytes), so any change to the data or the code builds afresh; loading
errors are raised exactly as without a cache (a changed file is never read from it). The folder
is ``$NEUROKG_CACHE_DIR`` (empty: no cache), else ``$XDG_CACHE_HOME/neurokg`` or
``~/.cache/neurokg``; the newest two builds are kept, older ones for an hour. A cache that cannot
be written or opened is skipped silently (the graph is then built into memory).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Final

import pyoxigraph as ox
from rdflib import Dataset

from . import __version__
from .store import is_store, load_into_store, open_store

__all__ = ["CACHE_ENV", "cache_folder", "cache_key", "cached_store"]

CACHE_ENV: Final = "NEUROKG_CACHE_DIR"
_CODE: Final = Path(__file__).parent


def cache_folder() -> Path | None:
    """Where built graphs are cached, or None when caching is off."""
    if CACHE_ENV in os.environ:
        chosen = os.environ[CACHE_ENV]
        return Path(chosen) if chosen else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "neurokg"


def cache_key(folder: Path) -> str:
    """SHA-256 of the code and the curated files that a build of ``folder`` depends on."""
    digest = hashlib.sha256(__version__.encode())
    for root, label in ((_CODE, "code"), (folder, "data")):
        for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix != ".pyc"):
            digest.update(f"{label}/{path.relative_to(root).as_posix()}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def cached_store(folder: Path, build: Callable[[], Dataset]) -> ox.Store:
    """The built graph of ``folder`` in a read-only store, from the cache when it holds it, else
    in a new in-memory store (no cache folder, or one that cannot be written)."""
    cache = cache_folder()
    if cache is None:
        return load_into_store(build(), open_store())
    cached = cache / f"store-{cache_key(folder)}"
    if is_store(cached):
        try:
            return ox.Store.read_only(str(cached))
        except (OSError, RuntimeError):  # RocksDB reports a damaged store as RuntimeError
            shutil.rmtree(cached, ignore_errors=True)  # build afresh
    dataset = build()
    with contextlib.suppress(OSError):
        _keep(cached, dataset)
        return ox.Store.read_only(str(cached))
    return load_into_store(dataset, open_store())


def _keep(path: Path, dataset: Dataset) -> None:
    """Load ``dataset`` into a new store at ``path`` (built aside, then renamed into place)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
    try:
        store = load_into_store(dataset, ox.Store(str(partial)))
        store.flush()
        del store  # closes it: RocksDB writes its last files
        try:
            partial.rename(path)
        except OSError:
            if not is_store(path):  # another process renamed its own build first: keep that
                raise
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    _prune(path.parent, keep=path)


#: Older builds are removed once they are this old (seconds) and not among the newest two: a
#: process may still read one it opened (RocksDB opens its table files as it needs them).
_STALE_AFTER: Final = 3600.0


def _prune(folder: Path, keep: Path) -> None:
    import time

    stores = sorted(
        (p for p in folder.glob("store-*") if p != keep),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in stores[1:]:
        if time.time() - old.stat().st_mtime > _STALE_AFTER:
            shutil.rmtree(old, ignore_errors=True)
    for nquads in folder.glob("graph-*.nq"):  # the N-Quads cache of earlier versions
        nquads.unlink(missing_ok=True)

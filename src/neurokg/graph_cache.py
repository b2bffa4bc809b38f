"""A cache of the built curated graph, so a command does not rebuild it from YAML every time.

Consumes: the curated folder, and a function that builds its dataset. Produces: an in-memory
Oxigraph store holding the built graph: read from ``graph-<key>.nq`` in the cache folder when the
key matches, else built, loaded and written there (atomically) for next time.
An on-disk store opened read-only was tried instead (0.02 s to open, against 0.13 s to re-load
the N-Quads), but an answer's 16 queries then took 0.45 s instead of 0.13 s: in memory it stays.
Policy: the key is the SHA-256 of neurokg's version, its own source files and every file of the
curated folder (path and bytes), so any change to the data or the code builds afresh; loading
errors are raised exactly as without a cache (a changed file is never read from it). The folder
is ``$NEUROKG_CACHE_DIR`` (empty: no cache), else ``$XDG_CACHE_HOME/neurokg`` or
``~/.cache/neurokg``; one build is kept. A cache that cannot be written is skipped silently.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Final

import pyoxigraph as ox

from . import __version__
from .errors import NeurokgError
from .store import load_into_store, open_store

if TYPE_CHECKING:
    from rdflib import Dataset

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
        for relative in _files(root):
            digest.update(f"{label}/{relative}\0".encode())
            digest.update((root / relative).read_bytes())
    return digest.hexdigest()


def _files(root: Path) -> list[str]:
    """The files below ``root`` as sorted relative POSIX paths, bytecode left out; read with
    ``os.scandir``, whose entries know their type (``rglob`` and ``is_file`` cost a stat each:
    half of the key's time)."""
    found: list[str] = []
    folders = [""]
    while folders:
        prefix = folders.pop()
        with os.scandir(root / prefix) as entries:
            for entry in entries:
                relative = f"{prefix}{entry.name}"
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        folders.append(f"{relative}/")
                elif entry.is_file() and not entry.name.endswith(".pyc"):
                    found.append(relative)
    return sorted(found)


def cached_store(
    folder: Path,
    build: Callable[[], Dataset],
    step: Callable[[str], AbstractContextManager[object]] = lambda _: nullcontext(),
) -> ox.Store:
    """The built graph of ``folder`` in a new in-memory store, from the cache when it holds it.

    ``step(message)`` wraps the reading of the cache or the build, saying which it is.
    """
    cache = cache_folder()
    key = cache_key(folder) if cache is not None else ""
    cached = cache / f"graph-{key}.nq" if cache is not None else None
    if cached is not None and cached.is_file():
        store = ox.Store()
        try:
            with step("reading the built graph from the cache"):
                # lenient: Oxigraph wrote the file, so its IRIs need no second check
                store.load(path=str(cached), format=ox.RdfFormat.N_QUADS, lenient=True)
            return store
        except (OSError, SyntaxError, ValueError):
            pass  # a damaged cache file: build afresh and overwrite it
    with step("building the graph"):
        store = load_into_store(build(), open_store())
    if cached is not None:
        _keep(cached, store)
    return store


def _keep(path: Path, store: ox.Store) -> None:
    from .atomic import write_atomically  # only when a build is written (ctypes: 3 ms)

    data = store.dump(format=ox.RdfFormat.N_QUADS)
    with contextlib.suppress(NeurokgError, OSError):
        write_atomically(path, data if isinstance(data, bytes) else b"")
        for other in path.parent.glob("graph-*.nq"):
            if other != path:
                other.unlink(missing_ok=True)

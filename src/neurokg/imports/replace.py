"""Crash-safe imports into an on-disk store: a new store is built beside it and swapped in.

Consumes: a store folder, import jobs (reader.py), optionally the curated dataset to refresh.
Produces: the folder holding the new store, with every job's graph replaced, or, on any error
(a parse error, a refused shrink, a full disk) or a kill at any moment, the old store untouched.
Policy: the writer holds the store's lock (``store.lock_store``) and opens the live store only
read-only, so readers keep working during an import and the live folder is never written. The
new store is built under a hidden name beside the folder (atomic.py) in one of two ways,
whichever touches fewer triples: *fresh*, an empty store into which the untouched graphs are
copied (Oxigraph dump + bulk load, ~30 µs a triple); or *checkpoint*, a hard-linked copy of the
live store (instant) in which the replaced graphs are removed first (~30 µs a triple, in batches
above a million triples so memory stays bounded). The new graphs are then bulk-loaded, checked
by the shrink guard (graphs.py), linked to the curated terms, and the folder is swapped in with
one rename (``renameat2`` exchange on Linux). So re-importing every file costs what the first
import did, and re-importing a small file beside a large one costs about its own size twice.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Final

import pyoxigraph as ox
from rdflib import Dataset, URIRef

from ..atomic import StagedFolder, clean_stale, scratch_path
from ..errors import SourceError
from ..store import check_store_folder, is_store, load_into_store, lock_store, open_store
from .graphs import check_replacement, graph_size, link_terms
from .guards import DEFAULT_LIMITS, ImportLimits
from .ntriples import ImportReport
from .reader import ImportJob, write_import

__all__ = ["StoreImport"]

#: Graphs larger than this are removed from a checkpoint in batches of this size.
_REMOVE_BATCH: Final = 1_000_000
_DELETE_BATCH: Final = (
    "DELETE { GRAPH $g { ?s ?p ?o } } WHERE { { SELECT ?s ?p ?o WHERE { GRAPH $g { ?s ?p ?o } } "
    f"LIMIT {_REMOVE_BATCH} }} }}"
)


class StoreImport:
    """Replace graphs of the on-disk store ``folder`` as one unit: every graph, or none.

    Use as a context manager: ``load_curated()`` (when ``curated`` is given), ``import_job()``
    for each job, then ``commit()``; leaving the block without ``commit`` discards the work.
    """

    def __init__(
        self,
        folder: Path,
        jobs: Sequence[ImportJob],
        *,
        curated: Dataset | None = None,
        limits: ImportLimits = DEFAULT_LIMITS,
        allow_shrink: bool = False,
    ):
        self.folder = Path(os.path.abspath(folder))
        if self.folder.is_symlink():  # swap the folder the link points to, keep the link
            self.folder = self.folder.resolve()
        self.jobs, self.curated = list(jobs), curated
        self.limits, self.allow_shrink = limits, allow_shrink
        self.reports: list[ImportReport] = []
        self.mode = "new"
        self._locks = contextlib.ExitStack()
        self._old: ox.Store | None = None
        self._new: ox.Store | None = None
        self._staged: StagedFolder | None = None
        self._old_sizes: dict[str, int] = {}
        self._to_copy: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = []
        self._to_remove: set[str] = set()

    # ---------------------------------------------------------------- opening
    def __enter__(self) -> StoreImport:
        try:
            self._open()
        except OSError as err:
            self._close()
            raise SourceError(self.folder, None, f"cannot prepare the new store: {err}") from err
        except BaseException:
            self._close()
            raise
        return self

    def _replaced(self) -> set[str]:
        names = {job.graph for job in self.jobs}
        if self.curated is not None:
            names |= {
                str(c.identifier) for c in self.curated.graphs() if isinstance(c.identifier, URIRef)
            }
        return names

    def _open(self) -> None:
        folder = self.folder
        clean_stale(folder)  # first: a swap cut between its two renames is finished here
        check_store_folder(folder, read_only=False)
        if folder.is_dir() and is_store(folder):
            self._locks.enter_context(lock_store(folder))
            self._old = open_store(folder, read_only=True)
        self._staged = StagedFolder(folder, create=False)
        if self._old is None:
            self._new = ox.Store(str(self._staged.path))
            return
        replaced = self._replaced()
        self._old_sizes = {g: graph_size(self._old, g) for g in replaced}
        budget = sum(self._old_sizes.values())
        kept: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [
            g for g in self._old.named_graphs() if g.value not in replaced
        ]
        if next(iter(self._old.quads_for_pattern(None, None, None, ox.DefaultGraph())), None):
            kept.append(ox.DefaultGraph())
        kept_size = 0
        for g in kept:
            if kept_size > budget:
                break
            if isinstance(g, ox.NamedNode):
                kept_size += graph_size(self._old, g.value, limit=budget + 1 - kept_size)
            else:
                kept_size += budget + 1  # a default or blank-named graph: keep it by checkpoint
        if kept_size > budget:
            self.mode = "checkpoint"
            self._old.backup(str(self._staged.path))
            self._new = ox.Store(str(self._staged.path))
            self._to_remove = {g for g, n in self._old_sizes.items() if n}
        else:
            self.mode = "fresh"
            self._new = ox.Store(str(self._staged.path))
            self._to_copy = kept

    # ---------------------------------------------------------------- filling
    def _store(self) -> ox.Store:
        if self._new is None:
            raise RuntimeError("StoreImport is used outside its 'with' block")
        return self._new

    def _clear(self, graph: str) -> None:
        """In a checkpoint, remove the old content of ``graph`` before writing it anew."""
        if graph not in self._to_remove:
            return
        store, node = self._store(), ox.NamedNode(graph)
        if self._old_sizes[graph] <= _REMOVE_BATCH:
            store.remove_graph(node)
        else:
            update = _DELETE_BATCH.replace("$g", str(node))
            while graph_size(store, graph, limit=1):
                store.update(update)
        self._to_remove.discard(graph)

    def load_curated(self) -> None:
        """Write the curated dataset's named graphs into the new store (replacing the old)."""
        if self.curated is None:
            return
        with self._writing():
            for context in self.curated.graphs():
                if isinstance(context.identifier, URIRef):
                    self._clear(str(context.identifier))
            load_into_store(self.curated, self._store())

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """Report a failing write to the new store (a full disk) as a ``SourceError``."""
        try:
            yield
        except OSError as err:
            raise SourceError(self.folder, None, f"cannot write the new store: {err}") from err

    def import_job(self, job: ImportJob) -> ImportReport:
        """Parse ``job`` into the new store; refuse it (``SourceError``) per the shrink guard.

        In a checkpoint the old graph must go before the new one is written, so the file is
        parsed to N-Triples beside the store and checked first: a refused file costs no removal.
        """
        with self._writing():
            report = self._import(job)
        self.reports.append(report)
        return report

    def _import(self, job: ImportJob) -> ImportReport:
        store, graph = self._store(), ox.NamedNode(job.graph)
        old = self._old_sizes.get(job.graph, 0)
        if job.graph in self._to_remove:
            scratch = scratch_path(self.folder, suffix=".nt")
            try:
                with scratch.open("wb") as handle:

                    def to_file(data: bytes) -> None:
                        handle.write(data)

                    report = write_import(job, to_file, self.limits)
                check_replacement(report, old, report.triples, self.allow_shrink)
                self._clear(job.graph)
                store.bulk_load(path=str(scratch), format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
            finally:
                scratch.unlink(missing_ok=True)
        else:

            def sink(data: bytes) -> None:
                store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)

            report = write_import(job, sink, self.limits)
            check_replacement(report, old, report.triples, self.allow_shrink)
        return report

    # ---------------------------------------------------------------- finishing
    def _copy_kept(self) -> None:
        old, new = self._old, self._store()
        if old is None or not self._to_copy:
            return
        scratch = scratch_path(self.folder, suffix=".nt")
        try:
            for graph in self._to_copy:
                old.dump(output=str(scratch), format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
                new.bulk_load(
                    path=str(scratch), format=ox.RdfFormat.N_TRIPLES, to_graph=graph, lenient=True
                )
        finally:
            with contextlib.suppress(FileNotFoundError):
                scratch.unlink()

    def commit(self) -> list[ImportReport]:
        """Copy what stays, link terms, and swap the new store in; return the reports."""
        done = {report.graph for report in self.reports}
        missing = [job.path.name for job in self.jobs if job.graph not in done]
        if missing or self._staged is None:
            raise SourceError(self.folder, None, f"not imported yet: {', '.join(missing)}")
        try:
            self._copy_kept()
            for report in self.reports:
                report.links = link_terms(self._store(), ox.NamedNode(report.graph))
            self._store().flush()
            self._release_stores()
            if self.mode == "new" and _occupied(self.folder):
                raise SourceError(self.folder, None, "another import created this store meanwhile")
            self._staged.commit()
        except OSError as err:
            raise SourceError(self.folder, None, f"cannot write the new store: {err}") from err
        self._staged = None
        return self.reports

    def _release_stores(self) -> None:
        self._old = self._new = None
        gc.collect()  # Oxigraph closes a store when its last reference goes

    def _close(self) -> None:
        self._release_stores()
        if self._staged is not None:
            self._staged.abort()
            self._staged = None
        self._locks.close()

    def __exit__(self, *_: object) -> None:
        self._close()


def _occupied(folder: Path) -> bool:
    return folder.is_dir() and any(folder.iterdir())

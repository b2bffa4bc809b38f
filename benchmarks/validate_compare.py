"""Full validation of a synthetic store: the shapes as SPARQL (the default) against pyshacl-turbo,
in the same process, with the result sets compared (issue 15, ADR 0010).

    .venv/bin/python benchmarks/validate_compare.py 100000 [--work DIR] [--no-turbo]

Builds (once) an on-disk store of the curated graph plus ``generate.generate(N)`` in
``--work`` (default: a temporary folder), then times ``validate_store`` with each engine and
prints seconds, results and peak memory. Not a test: figures go to benchmarks/results/.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate

from neurokg.api import build_from
from neurokg.store import load_into_store
from neurokg.validate_store import validate_store


def _store(work: Path, size: int) -> ox.Store:
    folder = work / f"store-{size}"
    work.mkdir(parents=True, exist_ok=True)
    fresh = not folder.exists()
    store = ox.Store(str(folder))
    if fresh:
        load_into_store(build_from(None).dataset, store)
        store.bulk_load(generate(size).encode("utf-8"), format=ox.RdfFormat.N_QUADS)
        store.flush()
    return store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", type=int)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--no-turbo", action="store_true")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="neurokg-bench-"))
    store = _store(work, args.size)
    found = {}
    for engine in ("sparql",) if args.no_turbo else ("sparql", "turbo"):
        start = time.perf_counter()
        report = validate_store(store, shacl_engine=engine)
        seconds = time.perf_counter() - start
        found[engine] = {(r.check, r.record, r.path, r.severity) for r in report.results}
        print(f"{engine}: {seconds:.1f} s, {len(report.results)} results, laps {report.timings}")
    if len(found) == 2:
        print("same results:", found["sparql"] == found["turbo"])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the process: {peak:.0f} MiB")


if __name__ == "__main__":
    main()

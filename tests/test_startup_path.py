"""What a question costs besides its answer: the chain pre-check and the imports left out.

Speed is measured in benchmarks/startup.py; these tests check the behaviour that makes it fast:
a chain that cannot exist is ruled out in one query, a chain that exists is still found whole,
and asking by name imports neither the SSSOM mappings' libraries nor rdflib (plain.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from neurokg.graph_cache import CACHE_ENV
from neurokg.hierarchy import find_chain
from neurokg.namespaces import OBO
from neurokg.query import Row, Value
from neurokg.store import OxigraphEngine

BLEPHAROSPASM = str(OBO["HP_0000643"])
DYSTONIA = str(OBO["HP_0001332"])
MULTIPLE_SCLEROSIS = str(OBO["MONDO_0005301"])


def test_no_chain_costs_one_query_and_a_chain_is_still_found(ox_engine: OxigraphEngine) -> None:
    assert find_chain(ox_engine, BLEPHAROSPASM, MULTIPLE_SCLEROSIS) == (None, 1)
    chain, queries = find_chain(ox_engine, BLEPHAROSPASM, DYSTONIA)
    assert chain is not None and queries > 1
    assert chain.edges[0].child == BLEPHAROSPASM and chain.edges[-1].parent == DYSTONIA
    assert chain.relation == "kind_of"


class _Walked:
    """The same engine seen as an endpoint would be: find_chain walks it level by level."""

    def __init__(self, engine: OxigraphEngine):
        self._engine = engine
        self.queries = engine.queries

    def select(self, text: str, bindings: Mapping[str, Value]) -> list[Row]:
        return self._engine.select(text, bindings)

    def named(self, name: str, **bindings: Value) -> list[Row]:
        return self._engine.named(name, **bindings)


def test_the_pre_check_never_changes_the_chain(ox_engine: OxigraphEngine) -> None:
    walked = _Walked(ox_engine)
    terms = [BLEPHAROSPASM, DYSTONIA, MULTIPLE_SCLEROSIS, str(OBO["UBERON_0001897"])]
    terms += [str(OBO["UBERON_0000955"]), str(OBO["MONDO_0019772"]), str(OBO["HP_0001336"])]
    found = 0
    for start in terms:
        for goal in terms:
            if start != goal:
                fast, _ = find_chain(ox_engine, start, goal)
                slow, _ = find_chain(walked, start, goal)
                assert fast == slow, (start, goal)
                found += fast is not None
    assert found >= 2  # some pairs do have a chain (blepharospasm up to dystonia, thalamus up)


def test_asking_by_name_leaves_the_heavy_imports_out(tmp_path: Path) -> None:
    """With the graph cache warm (the first run builds it, which reads YAML), asking by name
    imports none of these: not even rdflib, since rows stay plain strings (plain.py)."""
    code = (
        "import sys, neurokg\n"
        "neurokg.open(timeout=0).ask('blepharospasm', 'MS')\n"  # here, where sys.modules tells
        "neurokg.open().ask('blepharospasm', 'MS')\n"  # a forked child, as the CLI
        "print(sorted(m for m in ('curies', 'pydantic', 'rdflib', 'multiprocessing', "
        "'yaml') if m in sys.modules))\n"
    )
    env = {**os.environ, CACHE_ENV: str(tmp_path)}
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        ).stdout.strip()
        for _ in range(2)
    ]
    assert runs[0] != "[]"  # the first run built the graph: the check can see these imports
    assert runs[1] == "[]", runs[1]

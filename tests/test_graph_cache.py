"""graph_cache.py: the built graph is read back from the cache only when neither the curated
files nor the code changed, and gives the same answers as a fresh build."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Dataset

from neurokg.cli import main
from neurokg.cli_common import build_from
from neurokg.graph_cache import CACHE_ENV, cache_key, cached_store
from neurokg.resources import data_dir

ONTOLOGY = Path(str(data_dir("ontology")))


def _quads(store: ox.Store) -> int:
    return sum(1 for _ in store.quads_for_pattern(None, None, None, None))


def test_a_second_run_reads_the_cache_and_holds_the_same_graph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    builds: list[int] = []

    def build() -> Dataset:
        builds.append(1)
        return build_from(None).dataset

    first = cached_store(ONTOLOGY, build)
    second = cached_store(ONTOLOGY, build)
    assert builds == [1]
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [f"store-{cache_key(ONTOLOGY)}"]
    assert _quads(first) == _quads(second) > 1000
    with pytest.raises(RuntimeError, match="read-write"):  # questions never write to the cache
        second.update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")


def test_older_builds_go_and_recent_ones_stay(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An N-Quads cache of an earlier version goes; of other stores the newest stays (a process
    may still read it), older ones go once they are an hour old."""
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    (tmp_path / "graph-old.nq").write_text("", encoding="utf-8")
    ages = {"store-recent": 60, "store-recent2": 120, "store-old": 7200, "store-older": 9000}
    for name, age in ages.items():
        (tmp_path / name).mkdir()
        when = time.time() - age
        os.utime(tmp_path / name, (when, when))
    cached_store(ONTOLOGY, lambda: build_from(None).dataset)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"store-{cache_key(ONTOLOGY)}", "store-recent", "store-recent2"]
    )


def test_cached_and_fresh_answers_are_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["-q", "ask", "blepharospasm", "MS", "--format", "json"]
    monkeypatch.setenv(CACHE_ENV, "")  # no cache
    fresh = CliRunner().invoke(main, args)
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    warm = CliRunner().invoke(main, args)  # builds and writes the cache
    cached = CliRunner().invoke(main, args)  # reads it
    assert fresh.exit_code == warm.exit_code == cached.exit_code == 0
    assert json.loads(fresh.output) == json.loads(warm.output) == json.loads(cached.output)


def test_a_changed_curated_file_is_built_afresh_and_its_errors_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    folder = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY, folder)
    before = cache_key(folder)
    args = ["-q", "ask", "MS", "BPPV", "--ontology", str(folder)]
    assert CliRunner().invoke(main, args).exit_code == 0
    claims = folder / "claims" / "ms_movement_disorders.yaml"
    claims.write_text(claims.read_text(encoding="utf-8") + "\nclaims:\n", encoding="utf-8")
    assert cache_key(folder) != before
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and "given twice" in result.output  # not served from the cache


def test_a_damaged_cache_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    damaged = tmp_path / f"store-{cache_key(ONTOLOGY)}"
    damaged.mkdir()
    for name in ("CURRENT", "IDENTITY"):
        (damaged / name).write_text("not a store <<<", encoding="utf-8")
    store = cached_store(ONTOLOGY, lambda: build_from(None).dataset)
    assert _quads(store) > 1000


def test_an_empty_setting_turns_the_cache_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cached_store(ONTOLOGY, lambda: build_from(None).dataset)
    assert list(tmp_path.iterdir()) == []

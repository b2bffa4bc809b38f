"""graph_cache.py: the built graph is read back from the cache only when neither the curated
files nor the code changed, and gives the same answers as a fresh build."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
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

    said: list[str] = []

    @contextmanager
    def step(message: str) -> Iterator[None]:
        said.append(message)
        yield

    first = cached_store(ONTOLOGY, build, step)
    second = cached_store(ONTOLOGY, build, step)
    assert builds == [1]
    assert said == ["building the graph", "reading the built graph from the cache"]
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [f"graph-{cache_key(ONTOLOGY)}.nq"]
    assert _quads(first) == _quads(second) > 1000


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


def test_a_damaged_cache_file_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    (tmp_path / f"graph-{cache_key(ONTOLOGY)}.nq").write_text("not n-quads <<<", encoding="utf-8")
    store = cached_store(ONTOLOGY, lambda: build_from(None).dataset)
    assert _quads(store) > 1000


def test_an_empty_setting_turns_the_cache_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cached_store(ONTOLOGY, lambda: build_from(None).dataset)
    assert list(tmp_path.iterdir()) == []

"""Shared fixtures: the curated graph built once per session, engines over it, a CLI runner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from neurokg.build import KnowledgeGraph
from neurokg.cli_common import build_from
from neurokg.load import Curation, load_curation
from neurokg.query import LocalEngine
from neurokg.resources import data_dir
from neurokg.store import OxigraphEngine, load_into_store, open_store

DATA = Path(__file__).parent / "data"
GOLDEN = Path(__file__).parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="Rewrite tests/golden/ from the current code."
    )


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def ontology_dir() -> Path:
    return Path(str(data_dir("ontology")))


@pytest.fixture(scope="session")
def curation(ontology_dir: Path) -> Curation:
    return load_curation([ontology_dir])


@pytest.fixture(scope="session")
def kg() -> KnowledgeGraph:
    return build_from(None)


@pytest.fixture(scope="session")
def local_engine(kg: KnowledgeGraph) -> LocalEngine:
    return LocalEngine(kg.dataset)


@pytest.fixture(scope="session")
def ox_engine(kg: KnowledgeGraph) -> OxigraphEngine:
    return OxigraphEngine(load_into_store(kg.dataset, open_store()))


@pytest.fixture
def runner() -> Iterator[CliRunner]:
    yield CliRunner()


@pytest.fixture
def mini_dir(tmp_path: Path, ontology_dir: Path) -> Path:
    """A writable copy of tests/data/mini/ with the real schema beside it."""
    target = tmp_path / "mini"
    target.mkdir()
    for path in (DATA / "mini").glob("*.yaml"):
        (target / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (target / "neurokg.ttl").write_text(
        (ontology_dir / "neurokg.ttl").read_text(encoding="utf-8"), encoding="utf-8"
    )
    return target

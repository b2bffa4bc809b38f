"""The neurokg command: exit codes, output streams, the founding question end to end."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset

from neurokg import __version__
from neurokg.build import KnowledgeGraph
from neurokg.cli import main
from neurokg.namespaces import GRAPH_IRIS

BAD = Path(__file__).parent / "data" / "bad"


def test_founding_question_end_to_end(runner: CliRunner) -> None:
    result = runner.invoke(main, ["ask", "blepharospasm", "multiple sclerosis"])
    assert result.exit_code == 0, result.output
    assert "Answer: REPORTED, VERY UNCERTAIN (certainty: very low)" in result.stdout
    assert len(set(re.findall(r"PMID:(\d+)", result.stdout))) >= 2
    assert "NOT curated facts" in result.stdout
    assert re.search(r"(building the graph|reading the built graph from the cache)", result.stderr)


def test_quiet_silences_progress(runner: CliRunner) -> None:
    result = runner.invoke(main, ["-q", "ask", "blepharospasm", "MS"])
    assert result.exit_code == 0
    assert result.stderr == ""


@pytest.mark.parametrize(
    "args",
    [
        ["ask", "blepharospasm", "MS", "-q"],
        ["ask", "-q", "blepharospasm", "MS"],
        ["query", "release_info", "--quiet"],
    ],
)
def test_quiet_counts_after_the_subcommand_too(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.stderr == "" and result.stdout


def test_ask_json(runner: CliRunner) -> None:
    result = runner.invoke(main, ["-q", "ask", "MS", "Meige syndrome", "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["answer"] == "unknown"
    assert data["object"]["id"] == "MONDO:0019772"


def test_ambiguous_name_exits_2_with_candidates_on_stderr(runner: CliRunner) -> None:
    result = runner.invoke(main, ["-q", "ask", "focal dystonia", "MS"])
    assert result.exit_code == 2
    assert "HP:0004373" in result.stderr and "MONDO:0000477" in result.stderr
    assert result.stdout == ""


def test_unknown_name_exits_2(runner: CliRunner) -> None:
    result = runner.invoke(main, ["-q", "ask", "Meige disease", "MS"])
    assert result.exit_code == 2
    assert "a hereditary lymphedema" in result.stderr
    assert "not blepharospasm-oromandibular dystonia syndrome (MONDO:0019772)" in result.stderr


def test_build_writes_a_trig_dataset_that_parses_back(
    runner: CliRunner, tmp_path: Path, kg: KnowledgeGraph
) -> None:
    out = tmp_path / "neurokg.trig"
    result = runner.invoke(main, ["-q", "build", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"content_sha256\t{kg.content_hash()}" in result.stdout
    dataset = Dataset()
    dataset.parse(out, format="trig")
    for graph_iri in GRAPH_IRIS.values():
        assert len(dataset.graph(graph_iri)) == len(kg.dataset.graph(graph_iri))


def test_bad_input_to_build_exits_2_names_the_file_and_writes_nothing(
    runner: CliRunner, tmp_path: Path, mini_dir: Path
) -> None:
    shutil.copy(BAD / "bad_claim_without_source.yaml", mini_dir / "extra.yaml")
    out = tmp_path / "release.trig"
    out.write_text("previous release\n", encoding="utf-8")
    result = runner.invoke(main, ["build", "--ontology", str(mini_dir), "-o", str(out)])
    assert result.exit_code == 2
    assert "extra.yaml:4" in result.stderr and "no-source" in result.stderr
    assert out.read_text(encoding="utf-8") == "previous release\n"


def test_ask_on_a_built_trig(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "neurokg.trig"
    assert runner.invoke(main, ["-q", "build", "-o", str(out)]).exit_code == 0
    result = runner.invoke(main, ["-q", "ask", "--graph", str(out), "blepharospasm", "MS"])
    assert result.exit_code == 0
    assert "Answer: REPORTED, VERY UNCERTAIN (certainty: very low)" in result.stdout


def test_version_names_code_ontology_and_data(runner: CliRunner, kg: KnowledgeGraph) -> None:
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert f"neurokg {__version__}" in result.stdout
    assert "ontology 0.1.0" in result.stdout
    assert kg.content_hash()[:16] in result.stdout
    # each import module's release, read from its header (HPO asks that its version be shown)
    assert "  hp-import: hp/releases/2025-01-16\n" in result.stdout
    assert "  mondo-import: mondo/releases/2026-08-04\n" in result.stdout


def test_help_teaches_with_examples_and_exit_codes(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--help"])
    assert "Examples:" in result.stdout and "Exit codes" in result.stdout
    ask_help = runner.invoke(main, ["ask", "--help"]).stdout
    assert 'neurokg ask blepharospasm "multiple sclerosis"' in ask_help


def test_the_receipt_names_each_import_release_once(runner: CliRunner) -> None:
    result = runner.invoke(main, ["-q", "ask", "thalamus", "diencephalon"])
    assert result.exit_code == 0, result.output
    assert "read hp_import.obo release 2025-01-16: sha256" in result.stdout
    assert "2025-01-16 2025-01-16" not in result.stdout

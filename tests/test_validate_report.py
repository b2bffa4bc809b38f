"""One-pass reports (issue 14): every load error at once, findings grouped by check and message,
--fail-on, the ROBOT-style TSV, and shapes scoped to curated records."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from neurokg.cli import main
from neurokg.validate_report import DETAIL_LIMIT, Result, ValidationReport
from neurokg.validate_shacl import CURATED_RECORDS, SCOPE, load_shapes, scoped_shapes

FIVE = Path(__file__).parent / "data" / "five_faults"


@pytest.fixture
def five_faults(mini_dir: Path) -> Path:
    for path in FIVE.glob("*.yaml"):
        shutil.copy(path, mini_dir / path.name)
    return mini_dir


def _validate(folder: Path, *extra: str) -> tuple[int, str]:
    args = ["-q", "validate", "--ontology", str(folder), "--no-reason", *extra]
    result = CliRunner().invoke(main, args, env={"NEUROKG_CACHE_DIR": ""})
    return result.exit_code, result.output


FAULTS = [
    ("broken.yaml", 3, "not valid YAML"),
    ("faults.yaml", 6, "pmid 'PMID:123' is not a PubMed identifier"),
    ("faults.yaml", 11, "unknown field(s) suport"),
    ("faults.yaml", 20, "cites unknown source 'nobody2099'"),
    ("faults.yaml", 36, "the change to approved on 2026-11-25 names no one"),
    ("faults.yaml", 36, "cannot go from submitted to approved"),
]


def test_five_faults_in_one_text_run(five_faults: Path) -> None:
    code, text = _validate(five_faults)
    assert code == 2
    assert "cannot be loaded (7 problems)" in text
    for name, line, message in FAULTS:
        block = text.split(name, 1)[1]
        assert any(f"line {line}:" in row and message in row for row in block.splitlines()), (
            name,
            line,
            message,
        )


def test_five_faults_in_one_json_run(five_faults: Path) -> None:
    code, out = _validate(five_faults, "--format", "json")
    assert code == 2
    data = json.loads(out)
    assert data["summary"] == {"conforms": False, "loaded": False, "load_errors": 7}
    found = {(Path(e["file"]).name, e["line"], e["message"]) for e in data["load_errors"]}
    for name, line, message in FAULTS:
        assert any(f == name and n == line and message in m for f, n, m in found), message


def test_load_errors_as_tsv(five_faults: Path) -> None:
    code, out = _validate(five_faults, "--format", "tsv")
    rows = list(csv.reader(io.StringIO(out), delimiter="\t"))
    assert code == 2 and rows[0][:5] == ["Level", "Rule Name", "Subject", "Property", "Value"]
    assert len(rows) == 8 and {r[0] for r in rows[1:]} == {"ERROR"}


def _report(results: list[Result]) -> ValidationReport:
    return ValidationReport(
        conforms=not any(r.severity == "violation" for r in results),
        results=tuple(results),
        report_graph=Graph(),
        pending=(),
        reasoner=None,
        shapes=1,
        shape_files=("x_shape.ttl",),
        triples=0,
    )


def _kindless(n: int) -> list[Result]:
    return [
        Result(
            "violation",
            "TermKindShape",
            f"HP:{i:07d}",
            f"HP:{i:07d} is declared a class but has no term kind.",
        )
        for i in range(1, n + 1)
    ]


def test_repeated_findings_are_one_group_with_count_and_first_records() -> None:
    report = _report(
        [*_kindless(1097), Result("warning", "qc:unused-source", "source:x", "Unused.")]
    )
    groups = report.groups()
    assert [(g.check, len(g.results)) for g in groups] == [
        ("TermKindShape", 1097),
        ("qc:unused-source", 1),
    ]
    assert groups[0].pattern == "{record} is declared a class but has no term kind."
    text = report.text()
    assert len(text.splitlines()) < 40  # not 4,423 lines
    assert "1,097  TermKindShape: {record} is declared a class but has no term kind." in text
    assert "first: HP:0000001, HP:0000002, HP:0000003 and 1,094 more" in text
    assert "source:x" in text.split("Findings by check")[1]  # a small group keeps its details
    assert "are listed above only" in text
    assert len(report.text(verbose=True).splitlines()) > 1097
    data = report.as_dict()
    assert data["groups"][0]["count"] == 1097 and len(data["results"]) == 1098


def test_small_groups_are_listed_in_detail() -> None:
    report = _report(_kindless(DETAIL_LIMIT))
    assert "are listed above only" not in report.text()
    assert report.text().count("is declared a class") == DETAIL_LIMIT + 1  # summary + each


def test_fail_on() -> None:
    warning_only = _report([Result("warning", "qc:x", "r", "m")])
    assert not warning_only.fails("violation") and warning_only.fails("warning")
    assert _report(_kindless(1)).fails("violation")


def test_tsv_has_robot_columns_and_one_row_per_result() -> None:
    report = _report([*_kindless(2), Result("info", "qc:d", "r", "m\nmore", value="v", path="p")])
    rows = list(csv.reader(io.StringIO(report.as_tsv()), delimiter="\t"))
    assert rows[0] == [
        "Level", "Rule Name", "Subject", "Property", "Value", "Message", "Fix", "File", "Line",
    ]  # fmt: skip
    assert [r[0] for r in rows[1:]] == ["ERROR", "ERROR", "INFO"]
    assert rows[3][:6] == ["INFO", "qc:d", "r", "p", "v", "m more"]


_UNUSED = """\
  - key: test_unused
    kind: reference
    title: A test reference, not a real resource
    url: https://example.org/neurokg-test
"""


def test_fail_on_warning_exits_3_on_a_warning(mini_dir: Path) -> None:
    with (mini_dir / "sources.yaml").open("a", encoding="utf-8") as handle:
        handle.write(_UNUSED)  # an unused source: a warning, not a violation
    code, text = _validate(mini_dir)
    assert code == 0, text
    assert "qc:unused-source" in text
    code, _ = _validate(mini_dir, "--fail-on", "warning")
    assert code == 3


def test_curated_record_shapes_are_scoped() -> None:
    shapes, _ = load_shapes()
    scoped = set(shapes.subjects(SCOPE, CURATED_RECORDS))
    names = {str(s).rsplit("/", 1)[-1] for s in scoped}
    assert {"TermKindShape", "PublicationYearShape"} <= names
    kept = scoped_shapes(shapes)
    assert not set(kept.subjects(SCOPE, CURATED_RECORDS))
    assert len(kept) < len(shapes)
    assert all((s, None, None) not in kept for s in scoped)


IMPORT = Path(__file__).parent / "data" / "import"


@pytest.mark.slow
def test_validate_store_after_an_hpo_import_reports_no_curated_record_rules(
    tmp_path: Path,
) -> None:
    """hp.obo and phenotype.hpoa extracts imported: the curated-record shapes (a term's kind, a
    publication's year and kind) do not fire on them; what remains is grouped."""
    store = tmp_path / "store"
    files = [str(IMPORT / "hp_fixture.obo"), str(IMPORT / "phenotype_fixture.hpoa")]
    env = {"NEUROKG_CACHE_DIR": ""}
    imported = CliRunner().invoke(main, ["-q", "import", *files, "--store", str(store)], env=env)
    assert imported.exit_code == 0, imported.output
    args = ["-q", "validate", "--store", str(store), "--format", "json"]
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code in (0, 3), result.output
    data = json.loads(result.output)
    checks = {r["check"] for r in data["results"]}
    assert not checks & {"TermKindShape", "PublicationYearShape", "SourceKindShape"}
    assert sum(g["count"] for g in data["groups"]) == len(data["results"])

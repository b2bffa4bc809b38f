"""The curators' workflow (issue 14): review history, status changes written in place, the queue,
the migration of existing files, and the schema files generated from the record models."""

from __future__ import annotations

import difflib
import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
import yaml
from click.testing import CliRunner

from neurokg import errors
from neurokg.cli import main
from neurokg.curate.edit import change_status
from neurokg.curate.history import orcid_problem
from neurokg.load import load_curation
from neurokg.schema import SCHEMA_FILE, fields_markdown, json_schema_text

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "data" / "mini"
SUBMITTED = "founding-blepharospasm-midbrain"


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    return folder


def _changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(True), after.splitlines(True), n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_approve_changes_only_the_status_and_history_lines(mini: Path) -> None:
    path = mini / "claims.yaml"
    before = path.read_bytes()
    change_status(
        [mini], SUBMITTED, "under_review", by="A Curator", why="checking", when=date(2026, 11, 30)
    )
    change_status(
        [mini], SUBMITTED, "approved", by="Jane Doe", why="excerpt checked", when=date(2026, 12, 1)
    )
    after = path.read_bytes()
    changed = _changed_lines(before.decode(), after.decode())
    assert changed == [
        "-    status: submitted\n",
        "+    status: approved\n",
        '+      - {status: under_review, date: 2026-11-30, by: A Curator, why: "checking"}\n',
        '+      - {status: approved, date: 2026-12-01, by: Jane Doe, why: "excerpt checked"}\n',
    ]
    # byte level: every other byte of the file is as it was
    kept = before.replace(b"    status: submitted\n", b"    status: approved\n")
    assert after.replace(changed[2][1:].encode() + changed[3][1:].encode(), b"") == kept
    claim = next(c for c in load_curation([mini]).claims if c.id == SUBMITTED)
    assert [c.status for c in claim.history] == ["submitted", "under_review", "approved"]
    assert claim.history[-1].by == "Jane Doe"


def test_an_illegal_change_is_refused_and_the_file_untouched(mini: Path) -> None:
    before = (mini / "claims.yaml").read_bytes()
    with pytest.raises(errors.SourceError, match="cannot go from submitted to approved"):
        change_status([mini], SUBMITTED, "approved", by="Jane Doe", why="x")
    with pytest.raises(errors.NeurokgError, match="--by is empty"):
        change_status([mini], SUBMITTED, "under_review", by=" ", why="x")
    with pytest.raises(errors.NeurokgError, match="check digit"):
        change_status(
            [mini], SUBMITTED, "under_review", by="J", why="x", orcid="0000-0002-1825-0098"
        )
    assert (mini / "claims.yaml").read_bytes() == before


def test_orcid_check_digit() -> None:
    assert orcid_problem("0000-0002-1825-0097") is None  # ORCID's documented example iD
    assert orcid_problem("0000-0002-1694-233X") is None
    assert orcid_problem("0000-0002-1694-2339") is not None


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_illegal_transition_in_the_file_fails_with_file_and_line(mini: Path) -> None:
    path = mini / "claims.yaml"
    _edit(
        path,
        '    status: submitted\n    history:\n      - {status: submitted, date: 2026-11-24, by: test-curator, why: "recorded at founding curation; no earlier history was kept"}\n',  # noqa: E501
        '    status: approved\n    history:\n      - {status: submitted, date: 2026-11-24, by: test-curator, why: "recorded at founding curation; no earlier history was kept"}\n      - {status: approved, date: 2026-11-25, by: Jane Doe, why: skipped review}\n',  # noqa: E501
    )
    with pytest.raises(errors.SourceError) as caught:
        load_curation([mini])
    line = (
        path.read_text()
        .splitlines()
        .index("      - {status: approved, date: 2026-11-25, by: Jane Doe, why: skipped review}")
    )
    assert caught.value.line == line + 1 and caught.value.path == str(path)
    assert "cannot go from submitted to approved" in str(caught.value)


def test_an_approval_without_an_approver_fails_with_file_and_line(mini: Path) -> None:
    path = mini / "claims.yaml"
    _edit(path, 'by: test-curator, why: "recorded', 'why: "recorded')
    with pytest.raises(errors.ProvenanceError) as caught:
        load_curation([mini])
    assert caught.value.path == str(path) and caught.value.line == 12
    assert "names no one" in str(caught.value)


def test_status_must_match_the_last_history_entry(mini: Path) -> None:
    _edit(mini / "claims.yaml", "    status: submitted\n", "    status: under_review\n")
    with pytest.raises(errors.SourceError, match="last history entry says submitted"):
        load_curation([mini])


def test_queue_lists_waiting_claims_oldest_first(mini: Path) -> None:
    result = CliRunner().invoke(
        main, ["-q", "curate", "queue", "--ontology", str(mini), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["claim"] for r in rows] == [SUBMITTED]
    assert rows[0]["since"] == "2026-11-24" and rows[0]["line"] == 18


def test_cli_refuses_an_illegal_change_with_exit_2(mini: Path) -> None:
    args = ["curate", "deprecate", SUBMITTED, "--ontology", str(mini), "--by", "J", "--why", "x"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert "cannot go from submitted to deprecated" in result.output


def test_a_shared_history_is_copied_before_an_append(mini: Path) -> None:
    path = mini / "claims.yaml"
    text = path.read_text()
    text = text.replace(
        "    status: approved\n    history:\n", "    status: submitted\n    history: &h\n", 1
    )
    first_entry = text.split("history: &h\n")[1].split("\n")[0]
    text = text.replace(first_entry, first_entry.replace("approved", "submitted"), 1)
    second = text.split(f"id: {SUBMITTED}")[1]
    history_block = "    history:\n" + second.split("    history:\n")[1].split("    support:")[0]
    text = text.replace(history_block, "    history: *h\n")
    path.write_text(text)
    change_status(
        [mini], SUBMITTED, "under_review", by="Jane Doe", why="checking", when=date(2026, 12, 1)
    )
    curation = load_curation([mini])
    first, other = curation.claims
    assert [c.status for c in first.history] == ["submitted"]
    assert [c.status for c in other.history] == ["submitted", "under_review"]


# ------------------------------------------------------------------------------ migration
def test_migration_adds_histories_once_and_keeps_everything_else(tmp_path: Path) -> None:
    root = tmp_path / "checkout"
    shutil.copytree(ROOT / "ontology", root / "ontology")
    target = root / "ontology" / "claims" / "ms_movement_disorders.yaml"
    # the file as it was before the migration: no header, no history
    lines = target.read_text().splitlines(True)
    bare = [line for line in lines[1:] if not line.startswith(("    history:", "      - {status:"))]
    target.write_text("".join(bare))
    script = [sys.executable, str(ROOT / "scripts" / "migrate_history.py"), "--root", str(root)]
    first = subprocess.run([*script, str(target)], capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stderr
    assert target.read_text().splitlines(True) == lines  # the committed migration, byte for byte
    again = subprocess.run([*script, "--check", str(target)], capture_output=True, check=False)
    assert again.returncode == 0, again.stdout  # idempotent: nothing left to do


# --------------------------------------------------------------------------- JSON Schema
def _json_ready(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_ready(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _messages(error: jsonschema.ValidationError) -> list[str]:
    """The messages of an error and of the errors under it (anyOf branches)."""
    return [error.message, *(m for e in error.context or () for m in _messages(e))]


def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads((ROOT / SCHEMA_FILE).read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


CURATED = sorted((ROOT / "ontology").rglob("*.yaml"))


@pytest.mark.parametrize("path", CURATED, ids=[p.name for p in CURATED])
def test_the_json_schema_validates_every_curated_file(path: Path) -> None:
    data = _json_ready(yaml.safe_load(path.read_text(encoding="utf-8")))
    problems = [e.message for e in _validator().iter_errors(data)]
    assert problems == []
    assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")
    header = path.read_text(encoding="utf-8").splitlines()[0].split("=", 1)[1]
    assert (path.parent / header).resolve() == (ROOT / SCHEMA_FILE).resolve()


def test_the_json_schema_rejects_a_misspelled_field() -> None:
    data = _json_ready(yaml.safe_load((MINI / "claims.yaml").read_text(encoding="utf-8")))
    data["claims"][0]["suport"] = data["claims"][0].pop("support")
    messages = [m for e in _validator().iter_errors(data) for m in _messages(e)]
    assert any("'suport' was unexpected" in m for m in messages)
    assert any("'support' is a required property" in m for m in messages)


def test_the_committed_schema_files_are_up_to_date() -> None:
    assert (ROOT / SCHEMA_FILE).read_text(encoding="utf-8") == json_schema_text()
    assert (ROOT / "docs" / "fields.md").read_text(encoding="utf-8") == fields_markdown()


# ------------------------------------------------------------------------- source standing
_RETRACTED_SOURCE = """\
  - key: test_retracted
    kind: cohort_study
    title: A test record, not a real publication
    year: 2026
    doi: 10.5555/neurokg-test-retracted
    note: 10.5555 is Crossref's prefix for test DOIs.
    standing: {status: retracted, read_in: "https://example.org/retraction-notice"}
"""


def _retracted_only(mini_dir: Path) -> Path:
    with (mini_dir / "sources.yaml").open("a", encoding="utf-8") as handle:
        handle.write(_RETRACTED_SOURCE)
    _edit(mini_dir / "claims.yaml", "- source: mult_scler_2008", "- source: test_retracted")
    return mini_dir


def test_a_retracted_only_approved_claim_fails_validation(mini_dir: Path) -> None:
    folder = _retracted_only(mini_dir)
    args = ["-q", "validate", "--ontology", str(folder), "--no-reason", "--format", "json"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 3, result.output
    found = [
        r for r in json.loads(result.output)["results"] if r["check"] == "RetractedSupportShape"
    ]
    assert [(r["record"], Path(r["file"]).name, r["line"]) for r in found] == [
        ("claim:ms-blepharospasm-cohort-2008", "claims.yaml", 6)
    ]


def test_a_retracted_source_beside_a_standing_one_is_not_a_violation(mini_dir: Path) -> None:
    folder = _retracted_only(mini_dir)
    _edit(
        folder / "claims.yaml",
        "      - source: test_retracted\n",
        "      - {source: mult_scler_2008, evidence: ECO:0000180, summary: two of 733}\n"
        "      - source: test_retracted\n",
    )
    result = CliRunner().invoke(
        main, ["-q", "validate", "--ontology", str(folder), "--no-reason", "--format", "json"]
    )
    checks = {r["check"] for r in json.loads(result.output)["results"]}
    assert "RetractedSupportShape" not in checks


def test_superseded_needs_the_superseding_source(mini_dir: Path) -> None:
    bad = _RETRACTED_SOURCE.replace("status: retracted", "status: superseded")
    with (mini_dir / "sources.yaml").open("a", encoding="utf-8") as handle:
        handle.write(bad)
    with pytest.raises(errors.SourceError, match="'by' names the superseding source"):
        load_curation([mini_dir])


def test_ask_shows_the_standing_next_to_the_citation(mini_dir: Path) -> None:
    folder = _retracted_only(mini_dir)
    args = ["-q", "ask", "--ontology", str(folder), "MONDO:0005301", "HP:0000643"]
    result = CliRunner().invoke(main, args, env={"NEUROKG_CACHE_DIR": ""})
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if "neurokg-test-retracted" in x)
    assert line.rstrip().endswith("[RETRACTED]")


def test_build_refusal_names_file_and_line(mini_dir: Path, tmp_path: Path) -> None:
    folder = _retracted_only(mini_dir)
    out = tmp_path / "release.trig"
    args = ["build", "--ontology", str(folder), "--no-reason", "-o", str(out)]
    result = CliRunner().invoke(main, args, env={"NEUROKG_CACHE_DIR": ""})
    assert result.exit_code == 3 and not out.exists()
    assert "(no curated record)" not in result.output
    assert "claims.yaml" in result.output
    assert "claim:ms-blepharospasm-cohort-2008 (line 6)" in result.output


def test_diff_shows_who_changed_what(mini_dir: Path, tmp_path: Path) -> None:
    from neurokg.cli_common import load_and_build
    from neurokg.diff import diff_releases, read_release, render_markdown

    def release(name: str) -> Path:
        path = tmp_path / f"{name}.trig"
        path.write_bytes(
            load_and_build(mini_dir)[1].dataset.serialize(format="trig", encoding="utf-8")
        )
        return path

    old = release("old")
    change_status(
        [mini_dir], SUBMITTED, "under_review", by="Jane Doe", orcid="0000-0002-1825-0097",
        why="checking the excerpt against the abstract", when=date(2026, 12, 1),
    )  # fmt: skip
    diff = diff_releases(read_release(old), read_release(release("new")))
    (change,) = diff.changed
    assert change.fields() == {"status": ("submitted", "under_review")}
    assert [(s.status, s.by, s.orcid) for s in change.recorded()] == [
        ("under_review", "Jane Doe", "0000-0002-1825-0097")
    ]
    text = render_markdown(diff)
    assert (
        "  - recorded: 2026-12-01: under_review by Jane Doe (ORCID 0000-0002-1825-0097): "
        "checking the excerpt against the abstract"
    ) in text

"""An unexpected exception is reported as a bug at the CLI's edge (issue 16, hardening).

https://github.com/neurokg/neurokg/issues/16 — a crash printed a bare traceback. The CLI now says
it is a bug (exit 1), names the exception, and writes the traceback to a ``neurokg-crash-*.log``
file in the system temp folder; user errors (exit 2) never take that path and write no log.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import neurokg.cli_query
from neurokg.cli import main


@pytest.fixture
def temp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The system temp folder, for this test only."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def test_a_bug_exits_1_with_its_traceback_in_a_log(
    runner: CliRunner, temp_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> list[str]:
        raise RuntimeError("boom-4711")

    monkeypatch.setattr(neurokg.cli_query, "list_queries", broken)
    result = runner.invoke(main, ["queries"])
    assert result.exit_code == 1
    assert "internal error (a bug): RuntimeError: boom-4711" in result.stderr
    assert "Traceback" not in result.stderr
    logs = list(temp_dir.glob("neurokg-crash-*.log"))
    assert len(logs) == 1 and str(logs[0]) in result.stderr
    text = logs[0].read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and "boom-4711" in text
    assert "in broken" in text


@pytest.mark.parametrize(
    "args",
    [
        ["query", "no_such_query"],  # a NeurokgError
        ["query", "lesion_sites", "--format", "yaml"],  # a click usage error
        ["query", "../../etc/passwd"],
    ],
)
def test_user_errors_are_not_bugs(runner: CliRunner, temp_dir: Path, args: list[str]) -> None:
    result = runner.invoke(main, args)
    assert result.exit_code == 2, result.output
    assert "internal error" not in result.stderr
    assert not list(temp_dir.glob("neurokg-crash-*.log"))

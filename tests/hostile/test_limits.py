"""Limits (issue 16): a runaway local query is stopped at its time limit, a huge result is refused
at the row cap, each with exit 2 and a message naming the flag; the answer itself is unchanged."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from neurokg.cli import main
from neurokg.errors import NeurokgError
from neurokg.limits import QueryLimitError, run_limited, within_time

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }\n"


@pytest.mark.parametrize("backend", ["oxigraph", "memory"])
def test_a_runaway_query_is_stopped_at_the_limit(tmp_path: Path, backend: str) -> None:
    query = tmp_path / "cartesian.rq"
    query.write_text(CARTESIAN, encoding="utf-8")
    started = time.monotonic()
    result = CliRunner().invoke(
        main,
        ["-q", "query", "--file", str(query), "--timeout", "1", "--backend", backend],
    )
    elapsed = time.monotonic() - started
    assert result.exit_code == 2, result.output
    assert "ran longer than 1 s and was stopped" in result.output and "--timeout" in result.output
    assert elapsed < 30  # the build takes a few seconds; the query itself is cut at 1 s


def test_a_result_over_the_row_cap_is_refused() -> None:
    result = CliRunner().invoke(main, ["-q", "query", "term_names", "--max-rows", "5"])
    assert result.exit_code == 2
    assert "more than the 5 allowed" in result.output and "--max-rows" in result.output


def test_within_the_limits_the_rows_are_the_same() -> None:
    runner = CliRunner()
    limited = runner.invoke(main, ["-q", "query", "term_names", "--format", "csv"])
    unlimited = runner.invoke(
        main, ["-q", "query", "term_names", "--format", "csv", "--timeout", "0"]
    )
    assert limited.exit_code == 0 and limited.output == unlimited.output


def test_ask_runs_under_the_limit_and_answers_the_same() -> None:
    runner = CliRunner()
    args = ["-q", "ask", "blepharospasm", "MS", "--format", "json"]
    assert runner.invoke(main, args).output == runner.invoke(main, [*args, "--timeout", "0"]).output


def test_limits_library() -> None:
    assert run_limited(lambda: [1, 2, 3], seconds=5, max_rows=3) == [1, 2, 3]
    with pytest.raises(QueryLimitError, match="3 rows, more than the 2 allowed"):
        run_limited(lambda: [1, 2, 3], seconds=5, max_rows=2)
    with pytest.raises(QueryLimitError, match=r"longer than 0\.2 s"):
        within_time(lambda: time.sleep(5), 0.2)

    def refused() -> None:
        raise NeurokgError("no such term")

    with pytest.raises(NeurokgError, match="no such term"):
        within_time(refused, 5)

"""A named query's name is a name, not a path (issue 16, hardening).

https://github.com/neurokg/neurokg/issues/16 — ``neurokg query ../../tmp/evil`` ran any ``.rq``
file on disk as if it were a packaged query. Names are now ``[a-z][a-z0-9_]*`` (every packaged
query's stem is), and anything else is an unknown query (exit 2); own files go through ``--file``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from neurokg.cli import main
from neurokg.errors import UnknownQueryError
from neurokg.resources import QUERY_NAME_RE, data_dir, list_queries, query_text


def test_every_packaged_query_has_a_valid_name() -> None:
    folder = data_dir("queries")
    names = [p.name.removesuffix(".rq") for p in folder.iterdir() if p.name.endswith(".rq")]
    assert names and all(QUERY_NAME_RE.fullmatch(name) for name in names)
    assert list_queries() == sorted(names)


@pytest.mark.parametrize("form", ["relative", "absolute", "dotted", "upper"])
def test_a_path_is_not_a_query_name(runner: CliRunner, tmp_path: Path, form: str) -> None:
    evil = tmp_path / "evil.rq"
    evil.write_text("SELECT ?leaked WHERE { BIND('leaked' AS ?leaked) }", encoding="utf-8")
    queries = Path(str(data_dir("queries")))
    names = {
        "relative": os.path.relpath(evil.with_suffix(""), queries),
        "absolute": str(evil.with_suffix("")),
        "dotted": "lesion_sites.rq",
        "upper": "LESION_SITES",
    }
    name = names[form]
    with pytest.raises(UnknownQueryError):
        query_text(name)
    result = runner.invoke(main, ["-q", "query", name, "--format", "tsv"])
    assert result.exit_code == 2, result.output
    assert f"no named query {name!r}" in result.stderr
    assert "leaked" not in result.stdout
    shown = runner.invoke(main, ["-q", "queries", name, "--sparql"])
    assert shown.exit_code == 2 and "leaked" not in shown.stdout

"""KGX export through the kgx package (issue 13): ``kgx validate`` finds 0 errors and a ``kgx
transform`` TSV -> JSON Lines keeps every node, edge, publication, claim id and negation. Offline:
bmt and kgx read the Biolink schema and prefix map the biolink-model package ships
(kgx_offline.py), and name look-ups for anything but the loopback fail."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kgx_offline import no_network, use_offline_biolink
from neurokg.cli_common import build_from
from neurokg.export import export_release
from neurokg.kgx import CONTEXT_FILE


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("kgx") / "release"
    export_release(build_from(None), dest, formats=["kgx"])
    return dest


@pytest.fixture(scope="module")
def kgx_cli(release: Path) -> Iterator[Any]:
    with no_network():
        use_offline_biolink([release / CONTEXT_FILE])
        from kgx.cli import cli_utils

        yield cli_utils


def _tsv(path: Path) -> list[dict[str, str]]:
    header, *lines = path.read_text(encoding="utf-8").splitlines()
    columns = header.split("\t")
    return [dict(zip(columns, line.split("\t"), strict=True)) for line in lines]


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _values(value: object) -> set[str]:
    if value is None:
        return set()
    return {str(v) for v in value} if isinstance(value, list) else {str(value)}


def _inputs(release: Path) -> list[str]:
    return [str(release / "nodes.tsv"), str(release / "edges.tsv")]


def test_kgx_validate_reports_no_error(kgx_cli: Any, release: Path, tmp_path: Path) -> None:
    with no_network():
        errors = kgx_cli.validate(_inputs(release), "tsv", None, str(tmp_path / "report.json"))
    assert errors == {}


def test_kgx_validate_would_flag_an_undeclared_prefix(kgx_cli: Any, tmp_path: Path) -> None:
    """The check is live: the same validator refuses a prefix no context declares."""
    (tmp_path / "nodes.tsv").write_text("id\tcategory\nNOPE:1\tbiolink:Disease\n")
    (tmp_path / "edges.tsv").write_text("id\tsubject\tpredicate\tobject\n")
    with no_network():
        inputs = [str(tmp_path / "nodes.tsv"), str(tmp_path / "edges.tsv")]
        errors = kgx_cli.validate(inputs, "tsv", None, str(tmp_path / "report.json"))
    assert "NOPE:1" in json.dumps(errors)


def test_kgx_transform_keeps_every_edge_publication_and_claim(
    kgx_cli: Any, release: Path, tmp_path: Path
) -> None:
    with no_network():
        kgx_cli.transform(
            _inputs(release),
            input_format="tsv",
            output=str(tmp_path / "out"),
            output_format="jsonl",
        )
    nodes, edges = _tsv(release / "nodes.tsv"), _tsv(release / "edges.tsv")
    out_nodes = _jsonl(tmp_path / "out_nodes.jsonl")
    out_edges = {e["id"]: e for e in _jsonl(tmp_path / "out_edges.jsonl")}
    assert len(out_nodes) == len(nodes) and {n["id"] for n in out_nodes} == {n["id"] for n in nodes}
    assert len(out_edges) == len(edges) and set(out_edges) == {e["id"] for e in edges}
    publications = claims = 0
    for edge in edges:
        read = out_edges[edge["id"]]
        assert (read["subject"], read["predicate"], read["object"]) == (
            edge["subject"],
            edge["predicate"],
            edge["object"],
        )
        assert _values(read.get("publications")) == set(edge["publications"].split("|")) - {""}
        assert _values(read.get("nkg_claims")) == set(edge["nkg_claims"].split("|")) - {""}
        assert bool(read.get("negated", False)) == (edge["negated"] == "True")
        assert read["primary_knowledge_source"] == edge["primary_knowledge_source"]
        publications += len(_values(read.get("publications")))
        claims += len(_values(read.get("nkg_claims")))
    assert publications == sum(len(set(e["publications"].split("|")) - {""}) for e in edges)
    assert claims > len([e for e in edges if e["nkg_claims"]])  # some edges carry several claims

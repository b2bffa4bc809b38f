"""Hostile curated input (issue 16): every case exits 2 naming file, line or record and the
problem; nothing is dropped silently, nothing is written, and no traceback reaches the user."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from neurokg.cli import main
from neurokg.errors import SourceError
from neurokg.load import load_curation
from neurokg.resources import data_dir

ONTOLOGY = Path(str(data_dir("ontology")))
FIRST_CLAIMS = "claims/ms_movement_disorders.yaml"


@pytest.fixture
def ontology(tmp_path: Path) -> Path:
    """A writable copy of the curated folder."""
    target = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY, target)
    return target


def _build(ontology: Path, tmp_path: Path) -> tuple[Result, Path]:
    out = tmp_path / "out.trig"
    result = CliRunner().invoke(main, ["-q", "build", "--ontology", str(ontology), "-o", str(out)])
    return result, out


def _refused(result: Result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    for word in words:
        assert word in result.output, result.output


def _edit(ontology: Path, name: str, change: Callable[[str], str]) -> None:
    path = ontology / name
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "change", "words"),
    [
        # a second top-level 'claims:' replaced the first (49 of 75 claims released)
        (FIRST_CLAIMS, lambda t: t + "\nclaims:\n  - id: x\n", ["key 'claims' is given twice"]),
        # a duplicated key inside one record kept the last value
        (
            FIRST_CLAIMS,
            lambda t: t.replace(
                "    status: approved\n", "    status: approved\n    status: x\n", 1
            ),
            ["key 'status' is given twice"],
        ),
        # a claim about a term the graph does not hold landed in the direct layer
        (
            FIRST_CLAIMS,
            lambda t: t.replace("object: HP:0000643", "object: HP:0000001", 1),
            ["HP:0000001 is not a term of the graph"],
        ),
        (FIRST_CLAIMS, lambda t: t.replace("defaults:", "defaults: [1]\nx:", 1), ["defaults"]),
        (FIRST_CLAIMS, lambda t: t.replace("date: 2026-11-24", "date: 2026-13-45", 1), ["YAML"]),
        (FIRST_CLAIMS, lambda t: t.replace("claims:", "claims:\x00", 1), ["not valid YAML"]),
        (FIRST_CLAIMS, lambda t: t.replace("claims:", "claims: " + "[" * 200, 1), ["nested"]),
        (
            "sources.yaml",
            lambda t: t.replace("doi: 10.5334/tohm.671", 'doi: "10.5334/tohm>671"', 1),
            ["is not a DOI"],
        ),
        (
            "sources.yaml",
            lambda t: t.replace("key: ghosh2022", 'key: "ghosh 2022>"', 1),
            ["becomes part of an IRI"],
        ),
        (
            "sources.yaml",
            lambda t: t.replace(
                "url: https://github.com/evidenceontology/evidenceontology",
                "url: javascript:alert(1)",
                1,
            ),
            ["is not an http(s) address"],
        ),
        (
            FIRST_CLAIMS,
            lambda t: t.replace("subject: MONDO:0005301", 'subject: "MONDO:0005301>"', 1),
            ["is not a CURIE"],
        ),
        (
            "terms/conditions.yaml",
            lambda t: t.replace("label: multiple sclerosis", "label: multiple sclerоsis", 1),
            ["mixes CYRILLIC and LATIN letters"],
        ),
        (
            "terms/conditions.yaml",
            lambda t: t.replace("label: multiple sclerosis", "label: multiple\u200bsclerosis", 1),
            ["invisible character"],
        ),
        (
            "terms/conditions.yaml",
            lambda t: t.replace("label: multiple sclerosis", 'label: "multiple \\ud800"', 1),
            ["lone surrogate"],
        ),
    ],
)
def test_bad_curated_input_exits_2_and_writes_nothing(
    ontology: Path,
    tmp_path: Path,
    name: str,
    change: Callable[[str], str],
    words: list[str],
) -> None:
    _edit(ontology, name, change)
    result, out = _build(ontology, tmp_path)
    _refused(result, *words)
    assert not out.exists()


def test_an_alias_bomb_is_refused_quickly(ontology: Path, tmp_path: Path) -> None:
    bomb = "bomb: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"b{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 10)
    )
    (ontology / "claims" / "bomb.yaml").write_text(bomb, encoding="utf-8")
    result, out = _build(ontology, tmp_path)
    _refused(result, "aliases expand past")
    assert not out.exists()


def test_a_folder_without_curated_files_is_an_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    (empty / "claims").mkdir(parents=True)
    with pytest.raises(SourceError, match="holds no curated YAML file"):
        load_curation([empty])


def test_an_unreadable_folder_is_an_error_not_a_skip(
    ontology: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # chmod is no test as root (CI runs as root): make the folder's listing fail instead
    claims = str(ontology / "claims")
    real = os.scandir

    def scandir(path: str) -> Any:
        if os.fspath(path) == claims:
            raise PermissionError(13, "Permission denied", claims)
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    with pytest.raises(SourceError, match="cannot read the folder: Permission denied"):
        load_curation([ontology])


def test_a_large_curated_file_is_refused_before_it_is_parsed(
    ontology: Path, tmp_path: Path
) -> None:
    with (ontology / "claims" / "huge.yaml").open("w", encoding="utf-8") as handle:
        handle.write("claims:\n")
        handle.write("# padding\n" * 1_000_000)
    result, _ = _build(ontology, tmp_path)
    _refused(result, "a curated file may have at most")


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"@prefix foaf: <http://xmlns.com/foaf/0.1/> . <http://a> a foaf:Person .",
    ],
)
def test_validate_refuses_a_file_that_is_not_a_release(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.ttl"
    path.write_bytes(content)
    result = CliRunner().invoke(main, ["-q", "validate", str(path)])
    _refused(result, "not a neurokg release")


def test_a_file_of_nul_bytes_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "zeros.trig"
    path.write_bytes(b"\x00" * 200_000)
    _refused(CliRunner().invoke(main, ["-q", "validate", str(path)]), "holds NUL bytes")
    _refused(CliRunner().invoke(main, ["-q", "diff", str(path), str(path)]), "cannot read")


def test_diff_survives_a_literal_where_a_derivation_belongs(tmp_path: Path) -> None:
    good = tmp_path / "good.trig"
    built = CliRunner().invoke(main, ["-q", "build", "-o", str(good)])
    assert built.exit_code == 0, built.output
    text = good.read_text(encoding="utf-8")
    support = "<https://w3id.org/neurokg/claim/ms-blepharospasm-cohort-2008/support/1>"
    assert f"prov:qualifiedDerivation {support}" in text
    bad = tmp_path / "bad.trig"
    bad.write_text(
        text.replace(f"prov:qualifiedDerivation {support}", 'prov:qualifiedDerivation "x"')
    )
    result = CliRunner().invoke(main, ["-q", "diff", str(good), str(bad)])
    assert result.exit_code == 0, result.output
    assert (
        "ms-blepharospasm-cohort-2008" in result.output
        and "sources: mult_scler_2008 → none" in (result.output)
    )

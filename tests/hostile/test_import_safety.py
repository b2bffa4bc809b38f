"""A re-import never leaves a store without its graph (issue 16, hardening: data loss).

https://github.com/neurokg/neurokg/issues/16 — an empty ``hp.obo`` re-imported over a store
holding it exited 0 and left 7 triples where there were 200,215; an empty ``phenotype.hpoa``
did the same; a truncated file exited 2 with the old graph already gone; ``kill -9`` during a
re-import left the store without the graph. A re-import now builds the new store beside the old
one and swaps it in once every file is parsed and checked (imports/replace.py); a result with no
terms or claims, or fewer than half the triples it replaces, is refused unless --allow-shrink.
Input guards: a regular, non-empty file, bounded lines and literals, no XML entity bombs.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from neurokg.cli import main
from neurokg.imports import ImportLimits, StoreImport, count_graphs, plan_imports
from neurokg.store import open_store

FIXTURES = Path(__file__).parent.parent / "data" / "import"
OBO_FILE = FIXTURES / "hp_fixture.obo"
HPOA_FILE = FIXTURES / "phenotype_fixture.hpoa"
HP_GRAPH = "https://w3id.org/neurokg/graph/import/hp"
HPOA_GRAPH = "https://w3id.org/neurokg/graph/import/hpoa"


def _counts(store: Path) -> dict[str, int]:
    return count_graphs(open_store(store, read_only=True))


def _siblings(store: Path) -> list[str]:
    return sorted(p.name for p in store.parent.iterdir() if p.name.startswith(f".{store.name}."))


def _import(runner: CliRunner, store: Path, *args: str) -> Result:
    return runner.invoke(main, ["-q", "import", "--no-curated", "--store", str(store), *args])


def _refused(result: Result) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the HP and HPOA fixtures as imports ``hp`` and ``hpoa``."""
    store = tmp_path_factory.mktemp("filled") / "store"
    runner = CliRunner()
    for path, name in ((OBO_FILE, "hp"), (HPOA_FILE, "hpoa")):
        result = _import(runner, store, str(path), "--name", name)
        assert result.exit_code == 0, result.output
    return store


@pytest.fixture
def store(filled: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "kg-store"
    shutil.copytree(filled, copy)
    (copy / "LOCK").unlink(missing_ok=True)
    return copy


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


# ---------------------------------------------------------------- refused re-imports


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("hp", ""),
        ("hp", "format-version: 1.2\ndata-version: hp/releases/2099-01-01\n"),
        ("hpoa", ""),
        ("hpoa", "#version: 2099-01-01\n"),
    ],
    ids=["empty-obo", "header-only-obo", "empty-hpoa", "header-only-hpoa"],
)
def test_an_empty_reimport_is_refused_and_keeps_the_graph(
    runner: CliRunner, store: Path, tmp_path: Path, name: str, text: str
) -> None:
    before = _counts(store)
    empty = tmp_path / ("hp.obo" if name == "hp" else "phenotype.hpoa")
    empty.write_text(text, encoding="utf-8")
    result = _import(runner, store, str(empty), "--name", name)
    _refused(result)
    assert (
        "empty" in result.output or "no terms read" in result.output or "no claims" in result.output
    )
    assert _counts(store) == before
    assert _siblings(store) == []


def test_a_truncated_reimport_is_refused_and_keeps_the_graph(
    runner: CliRunner, store: Path, tmp_path: Path
) -> None:
    before = _counts(store)
    obo = OBO_FILE.read_bytes()
    cut_mid_frame = tmp_path / "mid.obo"
    cut_mid_frame.write_bytes(obo[: len(obo) // 3] + b"\n[Term]\nid: HP:00")
    cut_at_frame = tmp_path / "frame.obo"
    cut_at_frame.write_bytes(obo[: obo.index(b"[Term]", len(obo) // 4)])
    rows = HPOA_FILE.read_text(encoding="utf-8").splitlines(keepends=True)
    cut_mid_row = tmp_path / "row.hpoa"
    cut_mid_row.write_text("".join(rows[:20]) + rows[20][:30], encoding="utf-8")
    cut_at_row = tmp_path / "rows.hpoa"
    cut_at_row.write_text("".join(rows[:15]), encoding="utf-8")
    for path, name in [
        (cut_mid_frame, "hp"),
        (cut_at_frame, "hp"),
        (cut_mid_row, "hpoa"),
        (cut_at_row, "hpoa"),
    ]:
        result = _import(runner, store, str(path), "--name", name)
        _refused(result)
        assert _counts(store) == before, path.name
    assert "less than half" in result.output and "--allow-shrink" in result.output


def test_allow_shrink_lets_a_smaller_file_replace_the_graph(
    runner: CliRunner, store: Path, tmp_path: Path
) -> None:
    before = _counts(store)
    rows = HPOA_FILE.read_text(encoding="utf-8").splitlines(keepends=True)
    small = tmp_path / "small.hpoa"
    small.write_text("".join(rows[:15]), encoding="utf-8")
    result = _import(runner, store, str(small), "--name", "hpoa", "--allow-shrink")
    assert result.exit_code == 0, result.output
    after = _counts(store)
    assert 0 < after[HPOA_GRAPH] < before[HPOA_GRAPH] / 2
    assert after[HP_GRAPH] == before[HP_GRAPH]


def test_a_failing_second_file_leaves_the_first_unimported_too(
    runner: CliRunner, store: Path, tmp_path: Path
) -> None:
    """One command is one unit: a bad second file keeps the store exactly as it was."""
    before = _counts(store)
    bad = tmp_path / "bad.hpoa"
    bad.write_text(HPOA_FILE.read_text(encoding="utf-8") + "OMIM:1\tx\n", encoding="utf-8")
    result = runner.invoke(main, ["-q", "import", str(OBO_FILE), str(bad), "--store", str(store)])
    _refused(result)
    assert _counts(store) == before


# ---------------------------------------------------------------- swaps that succeed


@pytest.mark.parametrize(
    ("files", "curated", "mode"),
    [
        ([(OBO_FILE, "hp"), (HPOA_FILE, "hpoa")], False, "fresh"),
        ([(OBO_FILE, "hp")], False, "checkpoint"),
        ([(HPOA_FILE, "hpoa")], True, "fresh"),
    ],
    ids=["both", "small-beside-large", "large-with-curated"],
)
def test_a_reimport_of_the_same_files_gives_the_same_store_in_either_mode(
    store: Path, files: list[tuple[Path, str]], curated: bool, mode: str
) -> None:
    from neurokg.cli_common import build_from

    before = _counts(store)
    jobs = [plan_imports([path], None, name)[0] for path, name in files]
    dataset = build_from(None).dataset if curated else None
    with StoreImport(store, jobs, curated=dataset) as target:
        target.load_curated()
        for job in jobs:
            target.import_job(job)
        assert target.mode == mode
        target.commit()
    after = _counts(store)
    if curated:  # the curated graphs join; links to curated terms may join the imports
        assert "https://w3id.org/neurokg/graph/terms" in after
        assert after[HP_GRAPH] == before[HP_GRAPH] and after[HPOA_GRAPH] >= before[HPOA_GRAPH]
    else:
        assert after == before
    assert _siblings(store) == []


def test_stale_staging_of_a_killed_run_is_removed_and_a_cut_swap_is_finished(
    runner: CliRunner, store: Path, tmp_path: Path
) -> None:
    before = _counts(store)
    pid = _dead_pid()
    stale = store.parent / f".{store.name}.neurokg-staging-{pid}-0a1b2c"
    stale.mkdir()
    (stale / "CURRENT").write_text("x", encoding="utf-8")
    (store.parent / f".{store.name}.neurokg-staging-{pid}-0a1b2d.nt").write_text("x")
    result = _import(runner, store, str(OBO_FILE), "--name", "hp")
    assert result.exit_code == 0, result.output
    assert _siblings(store) == []
    # A kill between the two renames of the fallback swap: no store, a complete 'ready' one.
    ready = store.parent / f".{store.name}.neurokg-ready-{pid}-0a1b2e"
    store.rename(ready)
    result = _import(runner, store, str(OBO_FILE), "--name", "hp")
    assert result.exit_code == 0, result.output
    assert _counts(store) == before and _siblings(store) == []


# ---------------------------------------------------------------- kill -9


def _big_hpoa(path: Path, rows: int) -> Path:
    """An HPOA file of ``rows`` distinct phenotype rows (fixture rows under new disease ids)."""
    lines = HPOA_FILE.read_text(encoding="utf-8").splitlines()
    header = [line for line in lines if line.startswith(("#", "database_id"))]
    body = [line.split("\t") for line in lines if line[:1] not in ("#", "d")]
    body = [fields for fields in body if fields[10] == "P"]
    out = list(header)
    for index in range(rows):
        fields = list(body[index % len(body)])
        fields[0] = f"OMIM:{900000 + index // len(body)}"
        out.append("\t".join(fields))
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def big_hpoa(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _big_hpoa(tmp_path_factory.mktemp("big") / "phenotype.hpoa", 12_000)


@pytest.mark.parametrize("moment", [0.3, 0.9, 1.5, 2.2, "staging", "ready"])
def test_a_reimport_killed_at_any_moment_leaves_the_old_graph_or_the_new(
    store: Path, big_hpoa: Path, moment: float | str
) -> None:
    old = _counts(store)
    command = [sys.executable, "-m", "neurokg", "-q", "import", "--no-curated", str(big_hpoa)]
    child = subprocess.Popen(
        [*command, "--name", "hpoa", "--store", str(store)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + (moment if isinstance(moment, float) else 60)
    while time.monotonic() < deadline and child.poll() is None:
        if isinstance(moment, str) and any(f"neurokg-{moment}-" in s for s in _siblings(store)):
            break
        time.sleep(0.005)
    child.send_signal(signal.SIGKILL)
    child.wait()
    after = _counts(store)
    assert after[HP_GRAPH] == old[HP_GRAPH]
    assert after[HPOA_GRAPH] == old[HPOA_GRAPH] or after[HPOA_GRAPH] > 20 * old[HPOA_GRAPH]
    # The next import finishes or cleans up what the killed one left.
    runner = CliRunner()
    result = _import(runner, store, str(HPOA_FILE), "--name", "hpoa", "--allow-shrink")
    assert result.exit_code == 0, result.output
    assert _counts(store) == old and _siblings(store) == []


# ---------------------------------------------------------------- input guards


def test_devices_folders_fifos_and_empty_files_are_refused(
    runner: CliRunner, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    fifo = tmp_path / "pipe.obo"
    os.mkfifo(fifo)
    empty = tmp_path / "empty.obo"
    empty.touch()
    folder = tmp_path / "folder.obo"
    folder.mkdir()
    for path in ("/dev/zero", str(fifo), str(empty), str(folder)):
        result = _import(runner, store, path, "--format", "obo")
        _refused(result)
    assert not store.exists()
    assert _siblings(store) == []


def test_line_and_literal_limits_are_enforced_with_their_option_named(
    runner: CliRunner, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    result = _import(runner, store, str(OBO_FILE), "--max-line-length", "200")
    _refused(result)
    assert "--max-line-length" in result.output and "hp_fixture.obo:" in result.output
    result = _import(runner, store, str(OBO_FILE), "--max-literal-length", "40")
    _refused(result)
    assert "--max-literal-length" in result.output
    result = _import(runner, store, str(HPOA_FILE), "--max-literal-length", "100")
    _refused(result)
    zeros = tmp_path / "zeros.obo"
    zeros.write_bytes(b"\0" * (3 << 20))
    _refused(_import(runner, store, str(zeros)))
    assert not store.exists()
    assert _import(runner, store, str(OBO_FILE)).exit_code == 0


_PROLOGUE = '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n{}\n]>\n'
_BODY = (
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    'xmlns:owl="http://www.w3.org/2002/07/owl#" xmlns:rdfs="&rdfs;">\n'
    '<owl:Class rdf:about="&obo;HP_0000643"><rdfs:label>{}</rdfs:label></owl:Class>\n</rdf:RDF>\n'
)
_ABBREVIATIONS = (
    '<!ENTITY obo "http://purl.obolibrary.org/obo/">\n'
    '<!ENTITY rdfs "http://www.w3.org/2000/01/rdf-schema#">'
)


def test_rdfxml_entity_bombs_are_refused_and_plain_abbreviations_accepted(
    runner: CliRunner, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    plain = tmp_path / "plain.owl"
    plain.write_text(_PROLOGUE.format(_ABBREVIATIONS) + _BODY.format("Blepharospasm"))
    result = _import(runner, store, str(plain))
    assert result.exit_code == 0, result.output
    laughs = "\n".join(
        [_ABBREVIATIONS, '<!ENTITY l0 "ha">']
        + [f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)]
    )
    wide = "\n".join([_ABBREVIATIONS, f'<!ENTITY w "{"x" * 5000}">'])
    external = "\n".join([_ABBREVIATIONS, '<!ENTITY e SYSTEM "file:///etc/passwd">'])
    parameter = "\n".join([_ABBREVIATIONS, '<!ENTITY % p "x">'])
    for name, subset, label in [
        ("laughs", laughs, "&l9;"),
        ("wide", wide, "&w;" * 2000),
        ("external", external, "&e;"),
        ("parameter", parameter, "x"),
    ]:
        bomb = tmp_path / f"{name}.owl"
        bomb.write_text(_PROLOGUE.format(subset) + _BODY.format(label))
        started = time.monotonic()
        result = _import(runner, store, str(bomb))
        _refused(result)
        assert "refused" in result.output, name
        assert time.monotonic() - started < 5
    assert len(_counts(store)) == 1


def test_the_limits_object_applies_to_the_library_too(tmp_path: Path) -> None:
    from neurokg.errors import SourceError
    from neurokg.imports import import_into_store

    memory = open_store()
    with pytest.raises(SourceError, match="--max-literal-length"):
        import_into_store(memory, OBO_FILE, name="hp", limits=ImportLimits(max_literal=40))
    assert list(memory.named_graphs()) == []
    import_into_store(memory, OBO_FILE, name="hp")
    before = count_graphs(memory)
    empty = tmp_path / "empty.obo"
    empty.write_text("format-version: 1.2\n", encoding="utf-8")
    with pytest.raises(SourceError, match="no terms read"):
        import_into_store(memory, empty, name="hp")
    assert count_graphs(memory) == before
    assert not any("staging" in g.value for g in memory.named_graphs())


def test_a_full_disk_while_building_exits_2_and_keeps_the_store(
    runner: CliRunner, store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import neurokg.imports.replace

    def full_disk(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(neurokg.imports.replace, "load_into_store", full_disk)
    before = _counts(store)
    result = runner.invoke(
        main, ["-q", "import", str(OBO_FILE), "--name", "hp", "--store", str(store)]
    )
    _refused(result)
    assert "No space left on device" in result.output
    assert _counts(store) == before and _siblings(store) == []


def test_a_store_reached_through_a_symlink_is_swapped_where_it_lives(
    runner: CliRunner, store: Path, tmp_path: Path
) -> None:
    link = tmp_path / "link"
    link.symlink_to(store)
    before = _counts(store)
    result = _import(runner, link, str(OBO_FILE), "--name", "hp")
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and link.resolve() == store.resolve()
    assert _counts(link) == before and _siblings(store) == [] and _siblings(link) == []

"""Read commands never create a store; a locked store says who holds it (issue 16, hardening).

https://github.com/neurokg/neurokg/issues/16 — ``stats --store`` on a folder that is not a store
wrote RocksDB files into it, and a second process on a store being written got a bare "IO error:
While lock file: .../LOCK: Resource temporarily unavailable". Reads now open stores read-only
(``open_store(path, read_only=True)``), which creates nothing and works while a writer holds the
lock; the lock error names the store and the writer's process and says what to do.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from neurokg.cli import main
from neurokg.errors import SourceError
from neurokg.imports import StoreImport, plan_imports
from neurokg.store import open_store

FIXTURES = Path(__file__).parent.parent / "data" / "import"
HPOA_FILE = FIXTURES / "phenotype_fixture.hpoa"
_HOLD = (
    "import pyoxigraph as ox, sys, time\n"
    "store = ox.Store(sys.argv[1])\n"
    "print('ready', flush=True)\n"
    "time.sleep(60)\n"
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("kg") / "store"
    result = CliRunner().invoke(
        main, ["-q", "import", "--no-curated", str(HPOA_FILE), "--store", str(path)]
    )
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def writer(store: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the store open for writing (as a running import would)."""
    child = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(store)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    yield child
    child.kill()
    child.wait()


def _contents(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize("planted", [False, True], ids=["empty", "with-a-file"])
def test_read_commands_on_a_folder_that_is_not_a_store_exit_2_and_write_nothing(
    runner: CliRunner, tmp_path: Path, planted: bool
) -> None:
    folder = tmp_path / "not-a-store"
    folder.mkdir()
    if planted:
        (folder / "notes.txt").write_text("mine", encoding="utf-8")
    before = _contents(folder)
    for args in (
        ["stats", "--store", str(folder)],
        ["export", "--store", str(folder), "-o", str(tmp_path / "out")],
        ["ask", "blepharospasm", "MS", "--store", str(folder)],
        ["query", "release_info", "--store", str(folder)],
        ["validate", "--store", str(folder)],
    ):
        result = runner.invoke(main, ["-q", *args])
        assert result.exit_code == 2, result.output
        assert "not a neurokg store" in result.output and "Traceback" not in result.output
        assert _contents(folder) == before
    assert not (tmp_path / "out").exists()


def test_opening_for_reading_never_creates_and_for_writing_never_fills_a_foreign_folder(
    tmp_path: Path,
) -> None:
    missing = tmp_path / "missing"
    with pytest.raises(SourceError, match="no store here"):
        open_store(missing, read_only=True)
    assert not missing.exists()
    foreign = tmp_path / "photos"
    foreign.mkdir()
    (foreign / "cat.jpg").write_bytes(b"\xff\xd8")
    with pytest.raises(SourceError, match="not a neurokg store"):
        open_store(foreign)
    assert _contents(foreign) == ["cat.jpg"]
    a_file = tmp_path / "a-file"
    a_file.write_text("x", encoding="utf-8")
    with pytest.raises(SourceError, match="is a file"):
        open_store(a_file, read_only=True)
    result = CliRunner().invoke(main, ["import", str(HPOA_FILE), "--store", str(foreign)])
    assert result.exit_code == 2 and "not a neurokg store" in result.output
    assert _contents(foreign) == ["cat.jpg"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "photos"]


def test_a_locked_store_names_the_store_and_its_writer_and_says_what_to_do(
    runner: CliRunner, store: Path, writer: subprocess.Popen[str]
) -> None:
    result = runner.invoke(
        main, ["-q", "import", "--no-curated", str(HPOA_FILE), "--store", str(store)]
    )
    assert result.exit_code == 2, result.output
    message = result.output
    assert str(store) in message and "locked" in message and f"process {writer.pid}" in message
    assert "Wait for it to finish, or stop it" in message and "IO error" not in message
    with pytest.raises(SourceError, match=f"process {writer.pid}"):
        open_store(store)


def test_readers_open_a_read_only_view_while_a_writer_holds_the_store(
    runner: CliRunner, store: Path, writer: subprocess.Popen[str], tmp_path: Path
) -> None:
    result = runner.invoke(main, ["stats", "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert "graph/import/phenotype-fixture\t1368" in result.output
    exported = runner.invoke(
        main, ["-q", "export", "--store", str(store), "-o", str(tmp_path / "r")]
    )
    assert exported.exit_code == 0, exported.output


def test_during_an_import_readers_see_the_old_store_and_other_writers_are_refused(
    runner: CliRunner, store: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "store"
    shutil.copytree(store, copy)
    small = tmp_path / "phenotype.hpoa"
    lines = HPOA_FILE.read_text(encoding="utf-8").splitlines(keepends=True)
    small.write_text("".join(lines[:20]), encoding="utf-8")
    jobs = plan_imports([small], None, "phenotype-fixture")
    with StoreImport(copy, jobs, allow_shrink=True) as target:
        target.import_job(jobs[0])
        during = runner.invoke(main, ["stats", "--store", str(copy)])
        assert during.exit_code == 0 and "phenotype-fixture\t1368" in during.output
        command = ["-m", "neurokg", "-q", "import", "--no-curated", str(small)]
        other = subprocess.run(
            [sys.executable, *command, "--store", str(copy)],
            capture_output=True,
            text=True,
        )
        assert other.returncode == 2 and f"process {os.getpid()}" in other.stderr
        target.commit()
    after = runner.invoke(main, ["stats", "--store", str(copy)])
    assert "phenotype-fixture\t1368" not in after.output

"""A release folder is replaced whole, and bad destinations are refused (issue 16, hardening).

https://github.com/neurokg/neurokg/issues/16 — ``kill -9`` during ``export -o DIR`` over an
existing release left a mix of old and new files (``sha256sum -c SHA256SUMS`` failed on 2-5 of
them) and a temporary file; ``export -o file/sub``, ``-o /dev/null/x`` and ``-o /proc/self/x``
ended in tracebacks. A release is now written into a hidden folder beside DIR and swapped in
with one rename (atomic.py); bad destinations exit 2 with a one-line message.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import neurokg.atomic
from neurokg.atomic import StagedFolder, clean_stale, write_atomically
from neurokg.cli import main
from neurokg.errors import ExportError

FIXTURES = Path(__file__).parent.parent / "data" / "import"
HPOA_FILE = FIXTURES / "phenotype_fixture.hpoa"


def _whole(folder: Path) -> str:
    """The SHA256SUMS text of ``folder`` after checking that it lists exactly its files."""
    sums = (folder / "SHA256SUMS").read_text(encoding="utf-8")
    listed = {}
    for line in sums.splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    assert sorted(p.name for p in folder.iterdir()) == sorted([*listed, "SHA256SUMS"])
    for name, digest in listed.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
    return sums


def _siblings(dest: Path) -> list[str]:
    return sorted(p.name for p in dest.parent.iterdir() if p.name.startswith(f".{dest.name}."))


def _refused(result: Result) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output


def _hpoa(path: Path, rows: int) -> Path:
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
def stores(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two stores of different content: the HPOA fixture, and 3,000 annotation rows."""
    root = tmp_path_factory.mktemp("stores")
    runner = CliRunner()
    small, big = root / "small", root / "big"
    for store, path in ((small, HPOA_FILE), (big, _hpoa(root / "phenotype.hpoa", 3_000))):
        result = runner.invoke(
            main, ["-q", "import", "--no-curated", str(path), "--store", str(store)]
        )
        assert result.exit_code == 0, result.output
    return small, big


def _export_store(runner: CliRunner, store: Path, dest: Path, *args: str) -> Result:
    return runner.invoke(main, ["-q", "export", "--store", str(store), "-o", str(dest), *args])


@pytest.fixture(scope="module")
def new_release(stores: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> str:
    """The SHA256SUMS of the complete export of the big store."""
    dest = tmp_path_factory.mktemp("expected") / "release"
    assert _export_store(CliRunner(), stores[1], dest).exit_code == 0
    return _whole(dest)


@pytest.mark.parametrize("moment", [0.5, 1.2, 1.8, 2.4, 3.0])
def test_an_export_killed_at_any_moment_leaves_a_whole_release(
    stores: tuple[Path, Path], new_release: str, tmp_path: Path, moment: float
) -> None:
    small, big = stores
    dest = tmp_path / "release"
    runner = CliRunner()
    assert _export_store(runner, small, dest).exit_code == 0
    old = _whole(dest)
    child = subprocess.Popen(
        [sys.executable, "-m", "neurokg", "-q", "export", "--store", str(big), "-o", str(dest)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(moment)
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert _whole(dest) in (old, new_release)
    assert _export_store(runner, small, dest).exit_code == 0
    assert _whole(dest) == old and _siblings(dest) == []


def test_an_export_that_fails_midway_keeps_the_old_release_and_no_temp_file(
    runner: CliRunner, stores: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small, big = stores
    dest = tmp_path / "release"
    assert _export_store(runner, small, dest).exit_code == 0
    old = _whole(dest)
    written: list[Path] = []
    real = Path.write_bytes

    def full_disk(self: Path, data: bytes) -> int:
        written.append(self)
        if len(written) == 3:
            raise OSError(28, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", full_disk)
    result = _export_store(runner, big, dest)
    _refused(result)
    assert "No space left on device" in result.output
    assert _whole(dest) == old and _siblings(dest) == []


def test_a_smaller_export_replaces_the_whole_release(runner: CliRunner, tmp_path: Path) -> None:
    dest = tmp_path / "release"
    assert runner.invoke(main, ["-q", "export", "-o", str(dest)]).exit_code == 0
    assert len(list(dest.iterdir())) > 5
    result = runner.invoke(main, ["-q", "export", "-o", str(dest), "--format", "ntriples"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in dest.iterdir()) == ["SHA256SUMS", "neurokg.nt", "void.ttl"]
    _whole(dest)


def _bad_destinations(tmp_path: Path) -> list[Path]:
    a_file = tmp_path / "a-file"
    a_file.write_text("keep me", encoding="utf-8")
    return [
        a_file,
        a_file / "sub",
        Path("/dev/null/x"),
        Path("/proc/self/x"),
        tmp_path / "missing" / "release",
    ]


def test_bad_export_destinations_exit_2_without_a_traceback(
    runner: CliRunner, stores: tuple[Path, Path], tmp_path: Path
) -> None:
    small, _ = stores
    for dest in _bad_destinations(tmp_path):
        for args in (
            ["export", "-o", str(dest)],
            ["export", "--store", str(small), "-o", str(dest)],
        ):
            result = runner.invoke(main, ["-q", *args])
            _refused(result)
            assert "rror" in result.output and str(dest) in result.output, result.output
    assert (tmp_path / "a-file").read_text(encoding="utf-8") == "keep me"
    assert not (tmp_path / "missing").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_a_folder_holding_other_files_is_not_replaced(runner: CliRunner, tmp_path: Path) -> None:
    dest = tmp_path / "mine"
    dest.mkdir()
    (dest / "notes.md").write_text("mine", encoding="utf-8")
    result = runner.invoke(main, ["-q", "export", "-o", str(dest)])
    _refused(result)
    assert "notes.md" in result.output
    assert [p.name for p in dest.iterdir()] == ["notes.md"] and _siblings(dest) == []


def test_bad_build_destinations_exit_2_without_a_traceback(
    runner: CliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(main, ["-q", "build", "--no-reason", "-o", "/dev/null/x.trig"])
    _refused(result)
    a_file = tmp_path / "a-file"
    a_file.write_text("keep me", encoding="utf-8")
    for dest in (a_file / "neurokg.trig", Path("/proc/self/x.trig")):
        with pytest.raises(ExportError, match="cannot write"):
            write_atomically(dest, b"data")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_write_atomically_refuses_a_non_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(ExportError, match="not a regular file"):
        write_atomically(fifo, b"data")
    assert fifo.is_fifo() and [p.name for p in tmp_path.iterdir()] == ["pipe"]


def test_write_atomically_leaves_no_temp_file_when_it_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(ExportError, match="No space left"):
        write_atomically(tmp_path / "neurokg.trig", b"data")
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- the swap protocol


def _folder(path: Path, text: str) -> Path:
    path.mkdir()
    (path / "file").write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_a_staged_folder_replaces_the_destination_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool
) -> None:
    if not exchange:
        monkeypatch.setattr(neurokg.atomic, "_exchange", lambda *_: False)
    dest = _folder(tmp_path / "dest", "old")
    with StagedFolder(dest) as staging:
        (staging / "file").write_text("new", encoding="utf-8")
        assert (dest / "file").read_text(encoding="utf-8") == "old"
    assert (dest / "file").read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dest"]
    with pytest.raises(KeyError), StagedFolder(dest) as staging:
        (staging / "file").write_text("newer", encoding="utf-8")
        raise KeyError("interrupted")
    assert (dest / "file").read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dest"]


def test_what_a_killed_swap_leaves_is_resolved_by_the_next_run(tmp_path: Path) -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    dead = child.pid
    dest = tmp_path / "dest"
    # Killed while writing: a partial staging folder and a scratch file; the old release stays.
    _folder(dest, "old")
    _folder(tmp_path / f".dest.neurokg-staging-{dead}-0a", "partial")
    (tmp_path / f".dest.neurokg-staging-{dead}-0b.nt").write_text("x", encoding="utf-8")
    # Killed after an exchange: 'ready' holds the old folder. After the first of two renames:
    # an 'old' folder aside.
    _folder(tmp_path / f".dest.neurokg-ready-{dead}-0c", "older")
    _folder(tmp_path / f".dest.neurokg-old-{dead}-0d", "older")
    # A live run's staging folder is left alone.
    live = _folder(tmp_path / f".dest.neurokg-staging-{os.getppid()}-0e", "live")
    assert len(clean_stale(dest)) == 4
    assert (dest / "file").read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == [live.name, "dest"]
    shutil.rmtree(live)
    # Killed between the two renames of the fallback: no destination, a complete 'ready'.
    shutil.rmtree(dest)
    _folder(tmp_path / f".dest.neurokg-ready-{dead}-0f", "new")
    clean_stale(dest)
    assert (dest / "file").read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dest"]


def test_a_release_reached_through_a_symlink_is_swapped_where_it_lives(
    runner: CliRunner, stores: tuple[Path, Path], tmp_path: Path
) -> None:
    small, big = stores
    real, link = tmp_path / "real", tmp_path / "link"
    assert _export_store(runner, small, real).exit_code == 0
    link.symlink_to(real)
    assert _export_store(runner, big, link).exit_code == 0
    assert link.is_symlink() and _whole(real) == _whole(link)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]


def test_release_files_are_readable_by_others(tmp_path: Path) -> None:
    """issue 13: release files were written 0600, so a web server could not serve them."""
    import os
    import stat

    from neurokg.atomic import write_atomically

    mask = os.umask(0o022)
    try:
        path = write_atomically(tmp_path / "x.ttl", b"<a> <b> <c> .\n")
    finally:
        os.umask(mask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644

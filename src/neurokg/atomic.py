"""Atomic replacement of files and folders: readers see the old version or the new one, whole.

Consumes: a destination path and the bytes or the folder that should replace it.
Produces: the file (``write_atomically``) or folder (``StagedFolder``) in place.
Policy: a file is written to a temporary file beside it and renamed over it. A folder is built
under a hidden name beside it, ``.<name>.neurokg-staging-<pid>-<token>``, renamed to
``...-ready-...`` once complete, then swapped in: on Linux with ``renameat2(RENAME_EXCHANGE)``,
one atomic step; elsewhere (or on a file system without it) with two renames, the old folder
aside then the new one in, so for that instant the destination does not exist. A run that is
killed leaves only hidden siblings; the next run over the same destination removes those of
dead processes, and first finishes a swap cut between its two renames (a complete ``ready``
folder and no destination). No temporary file is left behind by a run that fails.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import secrets
import shutil
import stat
import sys
import tempfile
from pathlib import Path
from typing import Final

from .errors import ExportError

__all__ = ["StagedFolder", "clean_stale", "scratch_path", "write_atomically"]

_AT_FDCWD: Final = -100
_RENAME_EXCHANGE: Final = 2


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomically(path: Path, data: bytes) -> Path:
    """Write ``data`` to the file ``path`` through a temporary file and a rename."""
    tmp: str | None = None
    try:
        if os.path.lexists(path) and not stat.S_ISREG(path.stat().st_mode):
            raise ExportError(f"cannot write {path}: it exists and is not a regular file")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        # mkstemp makes the file 0600; a release is for others to read (a web server, a
        # colleague): the mode a plain open() would give, 0666 less the umask
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        tmp = None
    except OSError as err:
        raise ExportError(f"cannot write {path}: {err.strerror or err}") from err
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return path


def _pattern(dest: Path) -> re.Pattern[str]:
    return re.compile(
        rf"^\.{re.escape(dest.name)}\.neurokg-(staging|ready|old)-(\d+)-[0-9a-f]+(?:\..*)?$"
    )


def scratch_path(dest: Path, kind: str = "staging", suffix: str = "") -> Path:
    """A new hidden path beside ``dest`` that ``clean_stale`` recognises (not created)."""
    token = secrets.token_hex(6)
    return dest.parent / f".{dest.name}.neurokg-{kind}-{os.getpid()}-{token}{suffix}"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # not this run's: a run cleans up before it creates its own
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def clean_stale(dest: Path) -> list[Path]:
    """Finish a swap cut between its renames, then remove what dead runs left beside ``dest``."""
    if not dest.parent.is_dir():
        return []
    pattern, found = _pattern(dest), []
    for entry in sorted(dest.parent.iterdir()):
        match = pattern.match(entry.name)
        if match is None or _alive(int(match[2])):
            continue
        if match[1] == "ready" and not os.path.lexists(dest):
            with contextlib.suppress(OSError):
                os.rename(entry, dest)  # it was complete: finish the swap
            continue  # never remove a complete folder while the destination is missing
        _remove(entry)
        found.append(entry)
    return found


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2``); False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = (
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    )
    renameat2.restype = ctypes.c_int
    a, b = os.fsencode(first), os.fsencode(second)
    if renameat2(_AT_FDCWD, a, _AT_FDCWD, b, _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(first), None, str(second))


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _swap_in(ready: Path, dest: Path) -> None:
    """Make the folder ``ready`` the folder ``dest``; remove what ``dest`` held."""
    if not os.path.lexists(dest):
        os.rename(ready, dest)
    elif _exchange(ready, dest):
        _remove(ready)  # now the old folder
    else:
        old = scratch_path(dest, "old")
        os.rename(dest, old)
        try:
            os.rename(ready, dest)
        except OSError:
            os.rename(old, dest)
            raise
        _remove(old)
    _fsync_folder(dest.parent)


class StagedFolder:
    """A new folder beside ``dest`` to fill; ``commit`` makes it ``dest``, ``abort`` removes it.

    As a context manager it commits when the block ends normally and aborts on an exception.
    ``create=False`` reserves the path without making it (for a tool that must create it).
    Raises ``OSError``.
    """

    def __init__(self, dest: Path, *, create: bool = True):
        self.dest = dest
        clean_stale(dest)
        self.path = scratch_path(dest)
        self._ready = self.path.with_name(
            self.path.name.replace(".neurokg-staging-", ".neurokg-ready-", 1)
        )
        if create:
            self.path.mkdir()

    def commit(self) -> None:
        """Sync what the folder holds, then swap it in for ``dest`` (see the module policy)."""
        try:
            for path in self.path.iterdir():
                if path.is_file():
                    with open(path, "rb") as handle:
                        os.fsync(handle.fileno())
            _fsync_folder(self.path)
            os.rename(self.path, self._ready)
            _swap_in(self._ready, self.dest)
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        """Remove the folder (and a ready copy not swapped in); ``dest`` stays as it was."""
        _remove(self.path)
        _remove(self._ready)

    def __enter__(self) -> Path:
        return self.path

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is None:
            self.commit()
        else:
            self.abort()

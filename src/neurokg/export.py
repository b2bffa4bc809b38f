"""Write the built dataset to files.

Consumes: a ``KnowledgeGraph``. Produces: files; each written atomically (a temporary file in the
same folder, then renamed), so an interrupted export never leaves a half-written file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import ExportError

__all__ = ["write_atomically"]


def write_atomically(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError as err:
        raise ExportError(f"cannot write {path}: {err}") from err
    return path

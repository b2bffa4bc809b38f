"""Input guards of an import: what a file must be before any parser sees it.

Consumes: the path of an import file and its ``ImportLimits``.
Produces: a ``CheckedFile`` (size, SHA-256, limits) after one pass over the bytes.
Policy: refuse with a ``SourceError`` (exit 2), never by running out of memory. The file must be
a regular, non-empty file (not a folder, device such as ``/dev/zero``, FIFO or socket); no line
may be longer than ``max_line`` bytes (a file without newlines is not OBO, HPOA or N-Triples);
literals longer than ``max_literal`` characters are refused where they are read. RDF/XML may
declare entities only as plain-text abbreviations (``<!ENTITY obo "http://...">``, which
Protégé writes): external, parameter and nested entities are refused, and so is a file whose
entity references would expand to more than four times its size plus 1 MiB (an "entity bomb").
"""

from __future__ import annotations

import hashlib
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from ..errors import SourceError

__all__ = ["DEFAULT_LIMITS", "CheckedFile", "ImportLimits", "check_input"]

_BLOCK: Final = 1 << 20
_XML_HEAD: Final = 1 << 20
_ENTITY: Final = b"<!ENTITY"
_DECLARATION_RE: Final = re.compile(
    rb"<!ENTITY\s+(?P<pe>%\s+)?(?P<name>[^\s%&;<>\"']+)\s+"
    rb"(?:(?P<external>SYSTEM|PUBLIC)\b|\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)')\s*>"
)


@dataclass(frozen=True)
class ImportLimits:
    """Largest line (bytes) and literal (characters) an import accepts."""

    max_line: int = 1 << 20
    max_literal: int = 1 << 16

    def check_literal(self, path: Path | str, value: str, where: str) -> None:
        if len(value) > self.max_literal:
            raise SourceError(
                path,
                None,
                f"{where}: a text of {len(value):,} characters is longer than the limit of "
                f"{self.max_literal:,} (--max-literal-length)",
            )


DEFAULT_LIMITS: Final = ImportLimits()


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed the guards: its path, size in bytes, SHA-256 and the limits to apply."""

    path: Path
    size: int
    sha256: str
    limits: ImportLimits = DEFAULT_LIMITS


def check_input(
    path: Path, limits: ImportLimits = DEFAULT_LIMITS, *, xml: bool = False
) -> CheckedFile:
    """Check that ``path`` is a regular, non-empty file within ``limits``; hash it on the way."""
    try:
        info = path.stat()
    except OSError as err:
        raise SourceError(path, None, f"cannot read the file: {err.strerror}") from err
    if stat.S_ISDIR(info.st_mode):
        raise SourceError(path, None, "is a folder; give the file to import")
    if not stat.S_ISREG(info.st_mode):
        raise SourceError(path, None, "is not a regular file (a device, FIFO or socket)")
    if info.st_size == 0:
        raise SourceError(path, None, "is empty (0 bytes): nothing to import")
    digest = hashlib.sha256()
    entities, tail = 0, b""
    for block in _scan_lines(path, limits.max_line):
        digest.update(block)
        entities += (tail + block).count(_ENTITY)  # tail: a declaration cut by the block edge
        tail = block[1 - len(_ENTITY) :]
    checked = CheckedFile(path, info.st_size, digest.hexdigest(), limits)
    if xml:
        _check_entities(checked, entities)
    return checked


def _scan_lines(path: Path, max_line: int) -> Iterator[bytes]:
    """Yield the file's blocks, refusing the first line longer than ``max_line`` bytes."""
    current, lines_before = 0, 0
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(_BLOCK), b""):
                parts = block.split(b"\n")
                lengths = [current + len(parts[0]), *map(len, parts[1:])]
                if max(lengths) > max_line:
                    index = next(i for i, n in enumerate(lengths) if n > max_line)
                    raise SourceError(
                        path,
                        lines_before + index + 1,
                        f"line longer than {max_line:,} bytes (--max-line-length): "
                        "not a text file of this format?",
                    )
                lines_before += len(parts) - 1
                current = lengths[-1]
                yield block
    except OSError as err:
        raise SourceError(path, None, f"cannot read the file: {err.strerror}") from err


def _check_entities(checked: CheckedFile, counted: int) -> None:
    """Refuse XML entity declarations that could expand beyond the bound (see the policy)."""
    path = checked.path
    with path.open("rb") as handle:
        head = handle.read(_XML_HEAD)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:4096]:
        raise SourceError(path, None, "RDF/XML must be UTF-8 (this looks like UTF-16)")
    if b"<!ENTITY" not in head and counted == 0:
        return
    declarations = list(_DECLARATION_RE.finditer(head))
    if len(declarations) != head.count(_ENTITY) or head.count(_ENTITY) < counted:
        raise SourceError(path, None, _refusal("an entity declaration this reader cannot check"))
    values: dict[bytes, bytes] = {}
    for match in declarations:
        name = match["name"]
        value = match["dq"] if match["dq"] is not None else match["sq"]
        if match["pe"] or match["external"] or value is None:
            kind = "a parameter" if match["pe"] else "an external"
            raise SourceError(
                path, None, _refusal(f"{kind} entity {name.decode(errors='replace')}")
            )
        if any(c in value for c in (b"&", b"%", b"<")):
            raise SourceError(
                path, None, _refusal(f"entity {name.decode(errors='replace')} refers to others")
            )
        values[name] = value
    expansion = _expansion(path, values)
    if expansion > 4 * checked.size + (1 << 20):
        raise SourceError(path, None, _refusal(f"entities would expand to {expansion:,} bytes"))


def _refusal(what: str) -> str:
    return (
        f"refused: {what} (XML entity expansion is limited to plain-text abbreviations; "
        "convert the file to Turtle or N-Triples, e.g. with 'robot convert')"
    )


def _expansion(path: Path, values: dict[bytes, bytes]) -> int:
    """Bytes the references ``&name;`` to ``values`` expand to, over the whole file."""
    refs = {b"&" + name + b";": len(value) for name, value in values.items()}
    carry = max(map(len, refs), default=1) - 1
    total, tail = 0, b""
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(_BLOCK), b""):
            window = tail + block
            total += sum(window.count(ref) * size for ref, size in refs.items())
            tail = window[-carry:] if carry else b""
            total -= sum(tail.count(ref) * size for ref, size in refs.items())
    return total + sum(tail.count(ref) * size for ref, size in refs.items())

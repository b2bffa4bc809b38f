"""Round-trip editing of one curated YAML file (ruamel.yaml): comments, key order, quoting, flow
style and indentation are kept; only what an edit changes is written differently.

Consumes: a curated file's path. Produces: ``YamlFile`` (the round-trip document, with
``find_claim`` and ``save``).
Policy: the indentation is read from the file; before any edit the file is dumped unchanged and
compared with its bytes, and a file ruamel.yaml would not give back byte for byte is refused
(``SourceError``), so an edit never reformats what it did not touch. Writes are atomic
(``atomic.write_atomically``). The file is never rewritten as text.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.util import load_yaml_guess_indent

from ..atomic import write_atomically
from ..errors import SourceError

__all__ = ["YamlFile"]


def _keep_anchors(node: Any, seen: set[int]) -> None:
    """Mark every anchor to be written even where no alias uses it (ruamel drops those)."""
    if id(node) in seen:
        return
    seen.add(id(node))
    anchor = getattr(node, "anchor", None)
    if anchor is not None and getattr(anchor, "value", None):
        node.yaml_set_anchor(anchor.value, always_dump=True)
    if isinstance(node, dict):
        for value in node.values():
            _keep_anchors(value, seen)
    elif isinstance(node, list):
        for value in node:
            _keep_anchors(value, seen)


def _yaml(mapping: int, sequence: int, offset: int) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long line
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


class YamlFile:
    """One curated file, loaded for a round-trip edit."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self.text = path.read_text(encoding="utf-8")
            _, indent, block_offset = load_yaml_guess_indent(self.text)
        except (OSError, UnicodeDecodeError) as err:
            raise SourceError(path, None, f"cannot read the file: {err}") from err
        except YAMLError as err:
            raise SourceError(path, None, f"not valid YAML: {err}") from err
        offset = block_offset or 0
        self.yaml = _yaml(2, max(indent or 2, offset + 2), offset)
        self.data: Any = self._load()
        if self.dump() != self.text:
            self.yaml = _yaml(2, 4, 2)  # the project's layout, if the guess was wrong
            self.data = self._load()
            if self.dump() != self.text:
                raise SourceError(
                    path, None, "ruamel.yaml would reformat this file on saving (its indentation "
                    "is mixed); edit it by hand or re-indent it consistently first"
                )  # fmt: skip

    def _load(self) -> Any:
        data = self.yaml.load(self.text)
        _keep_anchors(data, set())
        return data

    def dump(self) -> str:
        out = io.StringIO()
        self.yaml.dump(self.data, out)
        return out.getvalue()

    def claims(self) -> list[CommentedMap]:
        claims = self.data.get("claims") if isinstance(self.data, CommentedMap) else None
        return list(claims) if isinstance(claims, CommentedSeq) else []

    def find_claim(self, claim_id: str) -> CommentedMap | None:
        return next((c for c in self.claims() if str(c.get("id")) == claim_id), None)

    def line_of(self, node: CommentedMap) -> int:
        return int(node.lc.line) + 1

    def save(self) -> None:
        write_atomically(self.path, self.dump().encode("utf-8"))

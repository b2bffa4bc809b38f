"""Curated YAML with line numbers, and a reader of one record's fields that names file and line.

Consumes: a YAML file. Produces: plain mappings in which every mapping carries its line under
``LINE``, and ``Record``, which reads typed fields and raises ``SourceError`` naming the file, the
line and the record. Shared by the loaders of curated records (load.py, lexicon.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from .errors import SourceError
from .namespaces import CONVERTER, ENTITY_PREFIXES

__all__ = [
    "KEY_RE",
    "LINE",
    "Origin",
    "Record",
    "iri_problem",
    "name_problem",
    "read_yaml",
    "text_problem",
]


@dataclass(frozen=True)
class Origin:
    """Where a record was read: file and line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


# ------------------------------------------------------------------ YAML with line numbers
LINE = "__line__"


#: Limits on what one curated file may hold (a YAML alias bomb or a deep nest is refused).
MAX_DEPTH = 64
MAX_ALIASES = 2_000
MAX_EXPANDED_NODES = 2_000_000


class _LineLoader(yaml.SafeLoader):
    """A safe loader that records the line of every mapping under the key ``__line__``.

    It also refuses what a curated file never needs: a key given twice in one mapping (the later
    value would silently replace the earlier), nesting deeper than ``MAX_DEPTH``, and more than
    ``MAX_ALIASES`` alias uses, or a document that aliases expand past ``MAX_EXPANDED_NODES``
    nodes (an alias bomb: a few lines that would expand to billions of items).
    """

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise yaml.composer.ComposerError(
                    None, None, f"more than {MAX_ALIASES} alias uses (*name)", mark
                )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise yaml.composer.ComposerError(
                    None, None, f"nested deeper than {MAX_DEPTH} levels", mark
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def get_single_node(self) -> Any:
        node = super().get_single_node()
        if node is not None and _expanded_size(node, {}) > MAX_EXPANDED_NODES:
            raise yaml.composer.ComposerError(
                None, None, f"aliases expand past {MAX_EXPANDED_NODES} nodes", node.start_mark
            )
        return node


def _expanded_size(node: yaml.Node, sizes: dict[int, int]) -> int:
    """How many nodes ``node`` holds once every alias is expanded (memoised by node)."""
    known = sizes.get(id(node))
    if known is not None:
        return known
    sizes[id(node)] = 1  # a recursive alias counts once
    size = 1
    if isinstance(node, yaml.SequenceNode):
        size += sum(_expanded_size(child, sizes) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        size += sum(_expanded_size(k, sizes) + _expanded_size(v, sizes) for k, v in node.value)
    sizes[id(node)] = size = min(size, MAX_EXPANDED_NODES + 1)
    return size


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if key is not None and key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"key {key!r} is given twice in one mapping (first at line {seen[key]}); "
                "the second would silently replace the first",
                key_node.start_mark,
            )
        if key is not None:
            seen[key] = key_node.start_mark.line + 1
    mapping: dict[str, Any] = loader.construct_mapping(node, deep=True)  # type: ignore[assignment]
    mapping[LINE] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


#: The largest curated file read (a curated file is a few hundred KiB; 50 MB took minutes).
MAX_FILE_BYTES = 8 * 1024 * 1024


def read_yaml(path: Path) -> dict[str, Any]:
    """Read one curated YAML file: a mapping whose mappings carry their line under ``LINE``."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SourceError(
                path, None, f"the file has {size:,} bytes; a curated file may have at most "
                f"{MAX_FILE_BYTES:,} (split it into several files)"
            )  # fmt: skip
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506
    except yaml.MarkedYAMLError as err:
        line = err.problem_mark.line + 1 if err.problem_mark else None
        raise SourceError(path, line, f"not valid YAML: {err.problem}") from err
    except yaml.YAMLError as err:  # a control character or NUL byte (the reader's own error)
        raise SourceError(path, None, f"not valid YAML: {err}") from err
    except (ValueError, OverflowError) as err:  # an impossible date such as 2026-13-45
        raise SourceError(path, None, f"not valid YAML: {err}") from err
    except RecursionError as err:
        raise SourceError(path, None, "not valid YAML: nested too deeply") from err
    except (OSError, UnicodeDecodeError) as err:
        raise SourceError(path, None, f"cannot read the file: {err}") from err
    if not isinstance(data, dict):
        raise SourceError(
            path, 1, "expected a mapping with 'terms', 'sources', 'claims', 'look_alikes' ..."
        )
    return data


# ---------------------------------------------------------------------------- text checks
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Characters a name may not hold: bidi controls, zero-width characters and other invisible
#: format characters (Unicode category Cf), which make two names look alike.
_INVISIBLE = re.compile(r"[\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e"
                        r"\u2060-\u2064\u2066-\u206f\ufeff]")  # fmt: skip
_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")
#: What an IRI may not hold (SPARQL's IRIREF), so no identifier can break a written IRI.
_NOT_IN_IRI = re.compile(r'[<>"{}|^`\\\x00-\x20]')
#: A key that becomes part of an IRI (source keys, curator ids).
KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be curated text (a lone surrogate, a control character), or None."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "holds a lone surrogate (not valid Unicode text)"
    if _CONTROL.search(text):
        return "holds a control character"
    return None


def iri_problem(text: str) -> str | None:
    """Why ``text`` cannot be written as an IRI (a space, a quote, ``<>{}|^`\\``), or None."""
    bad = _NOT_IN_IRI.search(text)
    return f"holds {bad.group()!r}, which an IRI may not hold" if bad else None


def name_problem(text: str) -> str | None:
    """Why ``text`` cannot be a name (label, synonym, abbreviation), or None: invisible
    characters, or a word mixing Latin with Cyrillic or Greek letters (a homoglyph)."""
    if _INVISIBLE.search(text):
        return "holds an invisible character (bidi control, zero-width or format character)"
    for word in re.findall(r"\w+", text):
        scripts = {
            script
            for char in word
            if char.isalpha()
            for script in _SCRIPTS
            if unicodedata.name(char, "").startswith(script)
        }
        if len(scripts) > 1:
            return f"the word {word!r} mixes {' and '.join(sorted(scripts))} letters (a look-alike)"
    return None


# ---------------------------------------------------------------------------- field readers
class Record:
    """Reads the fields of one YAML mapping, raising errors that name file, line and record.

    ``allowed`` names the fields a record may have, for records no schema model checks (the
    curated records of schema/models.py are checked there first, and pass None).
    """

    def __init__(
        self, path: Path, raw: Any, what: str, index: int, allowed: Iterable[str] | None = None
    ):
        if not isinstance(raw, dict):
            raise SourceError(path, None, f"{what} #{index + 1} is not a mapping")
        self.path = path
        self.raw: dict[str, Any] = raw
        self.line: int = raw.get(LINE, 0)
        self.name = str(raw.get("id") or raw.get("key") or f"{what} #{index + 1}")
        unknown = sorted(set(raw) - set(allowed) - {LINE}) if allowed is not None else []
        if allowed is not None and unknown:
            self.fail(
                f"unknown field(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}"
            )

    @property
    def origin(self) -> Origin:
        return Origin(str(self.path), self.line)

    def fail(self, reason: str, error: type[SourceError] = SourceError) -> None:
        raise error(self.path, self.line, reason, self.name)

    def text(self, key: str, *, required: bool = False) -> str | None:
        value = self.raw.get(key)
        if value is None:
            if required:
                self.fail(f"missing required field {key!r}")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float | date):
            self.fail(f"field {key!r} must be text, got {type(value).__name__}")
        text = str(value).strip()
        if required and not text:
            self.fail(f"field {key!r} is empty")
        self.check_text(key, text)
        return text or None

    def check_text(self, key: str, text: str) -> None:
        """Text that could not be written as RDF or read safely is refused here, by name."""
        problem = text_problem(text)
        if problem:
            self.fail(f"field {key!r}: {problem}")

    def req(self, key: str) -> str:
        value = self.text(key, required=True)
        assert value is not None
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.raw.get(key)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(
            isinstance(v, str | int) and not isinstance(v, bool) for v in value
        ):
            self.fail(f"field {key!r} must be a list of text")
        texts = tuple(str(v).strip() for v in value)
        for text in texts:
            self.check_text(key, text)
        return texts

    def choice(self, key: str, options: Sequence[str], default: str | None = None) -> str:
        value = self.text(key) or default
        if value not in options:
            self.fail(f"field {key!r} is {value!r}; use one of: {', '.join(options)}")
        assert value is not None
        return value

    def entity(self, key: str, value: str | None = None, *, required: bool = True) -> str | None:
        """Read a CURIE naming a term: a prefix of the prefix map that may name terms."""
        curie = value if value is not None else self.text(key, required=required)
        if curie is None:
            return None
        self.check_curie(key, curie, ENTITY_PREFIXES)
        return curie

    def check_curie(self, key: str, curie: str, prefixes: Iterable[str] | None = None) -> None:
        prefix, sep, local = curie.partition(":")
        if not sep or not local or _NOT_IN_IRI.search(curie):
            self.fail(
                f"field {key!r}: {curie!r} is not a CURIE (PREFIX:LOCAL_ID, with no space, "
                "quote or any of <>{}|^`\\)"
            )
        if CONVERTER.expand(curie) is None:
            self.fail(
                f"field {key!r}: unknown prefix {prefix!r} in {curie!r}; known: "
                + ", ".join(sorted(CONVERTER.prefix_map))
            )
        if prefixes is not None and prefix not in prefixes:
            self.fail(
                f"field {key!r}: prefix {prefix!r} is not allowed here; "
                f"use one of: {', '.join(sorted(prefixes))}"
            )

    def mapping(self, key: str) -> dict[str, Any]:
        value = self.raw.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail(f"field {key!r} must be a mapping")
        return dict(value)

    def items(self, key: str) -> list[Any]:
        value = self.raw.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(f"field {key!r} must be a list")
        return list(value)

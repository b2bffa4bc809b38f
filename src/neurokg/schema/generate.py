"""Generate, from the record models, the JSON Schema editors use and the field reference page.

Consumes: ``models.CuratedFile``. Produces: the JSON Schema text (committed as
``schema/neurokg-curation.schema.json``), the Markdown field reference (``docs/fields.md``) and
the header line each curated file carries so that the VS Code YAML extension finds the schema.
Policy: deterministic output (sorted keys where order is not the model's), so a test can compare
the committed files with what the models give.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .models import CURIE_PATTERN, CuratedFile

__all__ = ["SCHEMA_FILE", "SCHEMA_HEADER", "fields_markdown", "header_for", "json_schema_text"]

#: Where the generated JSON Schema is committed, relative to the checkout.
SCHEMA_FILE = "schema/neurokg-curation.schema.json"
#: The start of the header line naming the schema (the VS Code YAML extension reads it).
SCHEMA_HEADER = "# yaml-language-server: $schema="


def json_schema() -> dict[str, Any]:
    schema = CuratedFile.model_json_schema(by_alias=True)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def json_schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def header_for(curated: Path, root: Path) -> str:
    """The header line for ``curated`` (a file below ``root``, the checkout)."""
    relative = os.path.relpath(root / SCHEMA_FILE, curated.parent)
    return SCHEMA_HEADER + Path(relative).as_posix()


def _type(prop: dict[str, Any]) -> str:
    if "$ref" in prop:
        name = prop["$ref"].rsplit("/", 1)[-1]
        return f"[{name}](#{name.lower()})"
    if "enum" in prop:
        return "one of: " + ", ".join(f"`{v}`" for v in prop["enum"])
    if "const" in prop:
        return f"`{prop['const']}`"
    if "anyOf" in prop:
        kinds = [_type(p) for p in prop["anyOf"] if p.get("type") != "null"]
        return " or ".join(kinds)
    kind = prop.get("type", "any")
    if kind == "array":
        return f"list of {_type(prop.get('items', {}))}"
    text = " or ".join(kind) if isinstance(kind, list) else str(kind)
    if prop.get("format") == "date":
        text = "date (YYYY-MM-DD)"
    if prop.get("pattern") == CURIE_PATTERN:
        text = "CURIE (PREFIX:ID)"
    elif "pattern" in prop:
        text += f" matching `{prop['pattern']}`"
    return text


def _rows(definition: dict[str, Any]) -> Iterator[str]:
    required = set(definition.get("required", ()))
    for name, prop in definition.get("properties", {}).items():
        inner = next((p for p in prop.get("anyOf", ()) if p.get("type") != "null"), prop)
        merged = {**inner, **{k: v for k, v in prop.items() if k != "anyOf"}}
        kind = _type(prop if "anyOf" in prop else merged)
        default = prop.get("default")
        need = "yes" if name in required else "no"
        need += f" (default `{default}`)" if default is not None else ""
        text = str(prop.get("description", "")).replace("|", "\\|")
        kind = kind.replace("|", "\\|")
        yield f"| `{name}` | {kind} | {need} | {text} |"


def fields_markdown() -> str:
    """The field reference: one table per record kind."""
    schema = json_schema()
    lines = [
        "# Curated YAML: field reference",
        "",
        "Generated from `src/neurokg/schema/models.py` by `neurokg curate schema`; do not edit by",
        f"hand. Editors: every curated file starts with `{SCHEMA_HEADER}...` naming",
        f"`{SCHEMA_FILE}`, so the VS Code YAML extension completes and checks these fields.",
        "",
        "## A curated file",
        "",
        str(schema.get("description", "")),
        "",
        "| field | type | required | description |",
        "|---|---|---|---|",
        *_rows(schema),
    ]
    for name, definition in schema.get("$defs", {}).items():
        lines += [
            "",
            f"## {name}",
            "",
            str(definition.get("description", "")),
            "",
            "| field | type | required | description |",
            "|---|---|---|---|",
            *_rows(definition),
        ]
    return "\n".join(lines) + "\n"

"""One definition of the curated YAML records (pydantic): the loader's structural checks, the
editors' JSON Schema (``schema/neurokg-curation.schema.json``) and the field reference
(``docs/fields.md``) all come from ``models``."""

from __future__ import annotations

from .check import record_errors, strip_lines
from .generate import SCHEMA_FILE, SCHEMA_HEADER, fields_markdown, json_schema_text
from .models import MODELS, CuratedFile

__all__ = [
    "MODELS",
    "SCHEMA_FILE",
    "SCHEMA_HEADER",
    "CuratedFile",
    "fields_markdown",
    "json_schema_text",
    "record_errors",
    "strip_lines",
]

"""Write query rows as a readable table or in the SPARQL 1.1 results formats (JSON, CSV, TSV).

Consumes: rows (variable name -> rdflib term; an unbound variable is simply absent), the column
order, and for the table an optional mapping IRI -> label.
Produces: text. ``json`` is the SPARQL 1.1 Query Results JSON Format, ``csv`` and ``tsv`` the
SPARQL 1.1 Query Results CSV and TSV Formats (CSV: IRIs and literals as plain strings, CRLF line
ends, RFC 4180 quoting; TSV: terms in Turtle syntax, ``?``-prefixed header). ``table`` is for
people: IRIs as CURIEs (``namespaces.compact``) with the term's label beside them, literals as text,
long cells cut at ``max_width`` characters (``…``); use the other formats for complete values.
Policy: pure functions over their arguments; xsd:string literals are written as simple literals.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from pyparsing import ParseBaseException
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.term import Node

from .errors import NeurokgError
from .namespaces import compact

__all__ = ["FORMATS", "format_rows", "query_columns", "row_columns"]

Rows = Sequence[Mapping[str, Node]]


def _datatype(term: Literal) -> str | None:
    if term.datatype is None or term.datatype == XSD.string:
        return None
    return str(term.datatype)


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif (datatype := _datatype(term)) is not None:
            out["datatype"] = datatype
        return out
    raise NeurokgError(f"cannot write {term!r} as a SPARQL result term")


def _json(rows: Rows, columns: Sequence[str], **_: Any) -> str:
    document = {
        "head": {"vars": list(columns)},
        "results": {
            "bindings": [
                {name: _json_term(row[name]) for name in columns if name in row} for row in rows
            ]
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _csv_value(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _csv(rows: Rows, columns: Sequence[str], **_: Any) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_value(row.get(name)) for name in columns])
    return buffer.getvalue()


_TSV_ESCAPES: Final = str.maketrans(
    {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
)


def _tsv_value(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        text = f'"{str(term).translate(_TSV_ESCAPES)}"'
        if term.language:
            return f"{text}@{term.language}"
        datatype = _datatype(term)
        return f"{text}^^<{datatype}>" if datatype else text
    raise NeurokgError(f"cannot write {term!r} as a SPARQL result term")


def _tsv(rows: Rows, columns: Sequence[str], **_: Any) -> str:
    lines = ["\t".join(f"?{name}" for name in columns)]
    lines.extend("\t".join(_tsv_value(row.get(name)) for name in columns) for row in rows)
    return "\n".join(lines) + "\n"


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    if width and len(text) > width:
        return text[: max(width - 1, 1)] + "…"
    return text


def _cell(term: Node | None, labels: Mapping[str, str], max_width: int) -> str:
    """One table cell; an identifier is never cut, only the label beside it or a literal."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        curie = compact(str(term))
        label = labels.get(str(term))
        if not label or label == curie:
            return curie
        room = max_width - len(curie) - 3 if max_width else 0
        return f"{curie} ({_cut(label, max(room, 8) if max_width else 0)})"
    if isinstance(term, BNode):
        return f"_:{term}"
    return _cut(str(term), max_width)


def _table(
    rows: Rows,
    columns: Sequence[str],
    *,
    labels: Mapping[str, str] | None = None,
    max_width: int = 60,
) -> str:
    cells = [[_cell(row.get(name), labels or {}, max_width) for name in columns] for row in rows]
    widths = [max([len(name), *(len(line[i]) for line in cells)]) for i, name in enumerate(columns)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

    out = [line(columns), line(["-" * w for w in widths]), *(line(c) for c in cells)]
    out.append(f"({len(rows)} row{'' if len(rows) == 1 else 's'})")
    return "\n".join(out) + "\n"


#: Output format name -> writer; the CLI's ``--format`` choices come from here.
FORMATS: Final[dict[str, Callable[..., str]]] = {
    "table": _table,
    "json": _json,
    "csv": _csv,
    "tsv": _tsv,
}


def format_rows(
    rows: Rows,
    columns: Sequence[str],
    fmt: str,
    labels: Mapping[str, str] | None = None,
    max_width: int = 60,
) -> str:
    """Write ``rows`` in the format ``fmt`` (a key of ``FORMATS``), columns in ``columns`` order.

    ``labels`` (IRI -> label) and ``max_width`` (0: never cut) are used by the table only.
    """
    writer = FORMATS.get(fmt)
    if writer is None:
        raise NeurokgError(f"unknown output format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    if fmt == "table":
        return _table(rows, columns, labels=labels, max_width=max_width)
    return writer(rows, columns)


def query_columns(text: str) -> list[str] | None:
    """The variables a SELECT query projects, in order; None for ``SELECT *`` or unparsable text.

    Raises ``NeurokgError`` for a query that parses but is not a SELECT (ASK, CONSTRUCT,
    DESCRIBE): only SELECT queries return rows. Text rdflib cannot parse (an endpoint's own
    extensions) is left for the engine to judge.
    """
    try:
        parsed = parseQuery(text)
    except ParseBaseException:
        return None
    body = parsed[1]
    if body.name != "SelectQuery":
        kind = body.name.removesuffix("Query").upper()
        raise NeurokgError(f"only SELECT queries return rows; this is a {kind} query")
    if "projection" not in body:
        return None
    return [str(item["var"] if "var" in item else item["evar"]) for item in body["projection"]]


def row_columns(rows: Rows) -> list[str]:
    """Every variable bound in ``rows``, in order of first appearance (for ``SELECT *``)."""
    seen: dict[str, None] = {}
    for row in rows:
        for name in row:
            seen.setdefault(name, None)
    return list(seen)

"""How ``serve`` writes query results: SPARQL 1.1 JSON, XML, CSV and TSV, chosen by ``Accept``.

Consumes: SELECT results as SPARQL JSON bindings (what the Oxigraph server answers the proxy).
Produces: the same rows as SPARQL 1.1 Query Results XML, CSV or TSV text, and the format an
``Accept`` header asks for (JSON when nothing matches); the CORS headers of read answers.
Policy: pure functions of their arguments; the proxy (serve.py) caps rows before calling them.
"""

from __future__ import annotations

import csv
import io
from typing import Final
from xml.sax.saxutils import escape, quoteattr

__all__ = ["CORS", "MEDIA", "PREFLIGHT", "RESULT_FORMATS", "negotiate", "render"]

#: media type -> result format name, for SELECT and ASK results.
RESULT_FORMATS: Final = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
#: Read requests any web page may make (CORS, no credentials): the answers are public.
CORS: Final = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "X-Neurokg-Row-Limit, X-Neurokg-Time-Limit-S, "
    "X-Neurokg-Rows, X-Neurokg-Truncated",
}
PREFLIGHT: Final = {
    **CORS,
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept",
    "Access-Control-Max-Age": "86400",
}
MEDIA: Final = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
}


def _term_tsv(value: dict[str, str]) -> str:
    text = value["value"]
    if value["type"] == "uri":
        return f"<{text}>"
    if value["type"] == "bnode":
        return f"_:{text}"
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    ).replace("\t", "\\t")
    if "xml:lang" in value:
        return f'"{escaped}"@{value["xml:lang"]}'
    if "datatype" in value:
        return f'"{escaped}"^^<{value["datatype"]}>'
    return f'"{escaped}"'


def _xml_term(value: dict[str, str]) -> str:
    text = escape(value["value"])
    if value["type"] == "uri":
        return f"<uri>{text}</uri>"
    if value["type"] == "bnode":
        return f"<bnode>{text}</bnode>"
    if "xml:lang" in value:
        return f"<literal xml:lang={quoteattr(value['xml:lang'])}>{text}</literal>"
    if "datatype" in value:
        return f"<literal datatype={quoteattr(value['datatype'])}>{text}</literal>"
    return f"<literal>{text}</literal>"


def render(fmt: str, variables: list[str], rows: list[dict[str, dict[str, str]]]) -> str:
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(variables)
        for row in rows:
            writer.writerow(
                [
                    ("_:" if row[v]["type"] == "bnode" else "") + row[v]["value"]
                    if v in row
                    else ""
                    for v in variables
                ]
            )
        return out.getvalue()
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines += ["\t".join(_term_tsv(r[v]) if v in r else "" for v in variables) for r in rows]
        return "\n".join(lines) + "\n"
    head = "".join(f"<variable name={quoteattr(v)}/>" for v in variables)
    body = "".join(
        "<result>"
        + "".join(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>" for v, t in r.items())
        + "</result>"
        for r in rows
    )
    return (
        '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
        f"<head>{head}</head><results>{body}</results></sparql>\n"
    )


def negotiate(accept: str) -> str:
    """The result format to answer with, from an Accept header (JSON when nothing matches)."""
    ranked = []
    for position, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        weight = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    weight = float(param[2:])
                except ValueError:
                    weight = 0.0
        ranked.append((-weight, position, media.lower()))
    for _weight, _position, media in sorted(ranked):
        if media in RESULT_FORMATS:
            return RESULT_FORMATS[media]
    return "json"

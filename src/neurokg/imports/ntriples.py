"""The N-Triples side of an import: the report, graph names, IRIs and literals, the line writer.

Consumes: values read from an import file (labels, CURIEs, IRIs) and a sink for N-Triples bytes.
Produces: N-Triples lines handed to the sink in chunks cut between records, the release node of
an import, and the ``ImportReport`` of what was written.
Policy: text is copied as written (only N-Triples escapes); an IRI that N-Triples cannot hold is
a ``SourceError`` naming the file and line; CURIE prefixes come from the one prefix map
(``namespaces.CONVERTER``), with the OBO PURL convention for unknown OBO prefixes.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from ..errors import SourceError
from ..namespaces import CONVERTER, GRAPH, NKG, OBO, SOURCE
from .guards import CheckedFile

__all__ = [
    "IMPORT_CONVERTER",
    "IMPORT_PREFIXES",
    "ImportReport",
    "Writer",
    "expand",
    "expand_known",
    "import_graph_iri",
    "literal",
    "release_node",
    "uri",
]

#: Prefixes an import needs: all live in ``namespaces.PREFIX_MAP`` now, so one converter serves.
IMPORT_PREFIXES: Final[dict[str, str]] = {}
IMPORT_CONVERTER: Final = CONVERTER
_NAME_RE: Final = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_IRI_RE: Final = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|^`\\]+$")
_ESCAPES: Final = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_CHUNK: Final = 100_000  # list items (a triple or a block of triples) per chunk


def import_graph_iri(name: str) -> URIRef:
    """The named graph of the import ``name``: ``https://w3id.org/neurokg/graph/import/<name>``."""
    if not _NAME_RE.match(name):
        raise SourceError(name, None, "an import name is lower-case words joined by '-'")
    return GRAPH[f"import/{name}"]


@dataclass
class ImportReport:
    """What one import wrote: where, from which release, and how much."""

    name: str
    graph: str
    path: str
    fmt: str
    version: str
    triples: int = 0
    terms: int = 0
    obsolete: int = 0
    claims: int = 0
    negative: int = 0
    diseases: int = 0
    links: int = 0
    skipped: dict[str, int] = field(default_factory=dict)


def literal(text: str, datatype: str | None = None) -> str:
    """``text`` as an N-Triples literal, typed ``datatype`` when given."""
    quoted = f'"{text.translate(_ESCAPES)}"'
    return f"{quoted}^^<{datatype}>" if datatype else quoted


def uri(node: URIRef) -> str:
    """A known-good IRI (from namespaces) in N-Triples form."""
    return f"<{node}>"


class Writer:
    """Collects N-Triples lines and hands them to ``sink`` in chunks cut between records."""

    def __init__(self, sink: Callable[[bytes], None], source: CheckedFile):
        self.sink, self.source, self.path = sink, source, source.path
        self.lines: list[str] = []
        self.count = 0
        self.bnode = f"b{uuid.uuid4().hex[:12]}n"
        self.bnodes = 0

    def iri(self, value: str, line: int | None = None) -> str:
        if not _IRI_RE.match(value):
            raise SourceError(self.path, line, f"{value!r} does not make a valid IRI")
        return f"<{value}>"

    def new_bnode(self) -> str:
        self.bnodes += 1
        return f"_:{self.bnode}{self.bnodes}"

    def add(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} {p} {o} .\n")

    def end_record(self) -> None:
        if len(self.lines) >= _CHUNK:
            self.flush()

    def flush(self) -> None:
        if self.lines:
            data = "".join(self.lines).encode("utf-8")
            self.count += data.count(b"\n")
            self.sink(data)
            self.lines = []


_URI_PREFIXES: Final = {
    name: record.uri_prefix
    for record in IMPORT_CONVERTER.records
    for name in (record.prefix, *record.prefix_synonyms)
}


def expand_known(curie: str) -> str | None:
    """IRI of a CURIE whose prefix the import converter knows (synonyms included), else None."""
    prefix, sep, local = curie.partition(":")
    uri_prefix = _URI_PREFIXES.get(prefix) if sep and local else None
    return f"{uri_prefix}{local}" if uri_prefix is not None else None


def expand(curie: str) -> str | None:
    """IRI of a CURIE: the import converter, else the OBO PURL convention (``PREFIX_LOCAL``)."""
    iri = expand_known(curie)
    if iri is not None:
        return iri
    prefix, sep, local = curie.partition(":")
    if sep and prefix.isidentifier() and local:
        return f"{OBO}{prefix}_{local}"
    return None


def release_node(
    w: Writer, key: str, title: str, version: str, extra: Iterable[tuple[URIRef, str]]
) -> str:
    """The release node: the reference resource the import was read from."""
    node = uri(SOURCE[key])
    for p, o in [
        (RDF.type, uri(NKG.ReferenceResource)),
        (DCTERMS.title, literal(title)),
        (DCTERMS.identifier, literal(key)),
        (NKG.trustLevel, literal("3", str(XSD.integer))),
        (NKG.version, literal(version)),
        (NKG.contentHash, literal(w.source.sha256)),
        (DCTERMS.source, literal(Path(w.path).name)),
        *extra,
    ]:
        w.add(node, uri(p), o)
    return node

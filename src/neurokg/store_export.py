"""Export an on-disk store (curated graphs joined with imports): every format written in Rust.

Consumes: a ``pyoxigraph.Store`` and a folder.
Produces: ``neurokg.nt``, ``neurokg.ttl`` and ``neurokg.jsonld`` (the union of the graphs but
``meta``), ``neurokg.nq`` (every graph, meta included), and ``SHA256SUMS``.
Policy: no triple passes through Python: N-Triples and N-Quads are Oxigraph dumps, Turtle and
JSON-LD the serialisation of a ``CONSTRUCT`` over the union (a triple held by two graphs is
written once there, and may appear twice in N-Triples, which RDF reads as one). Unlike
export.py's curated releases these files are not canonicalised (blank-node labels come from the
store), so two stores with the same content may give different bytes; use ``neurokg export`` on
the curated graph for byte-identical releases. The release is written whole beside ``folder`` and
swapped in with one rename, as export.py does (``release_folder``): never a mix of old and new.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import pyoxigraph as ox

from .errors import ExportError
from .export import release_folder
from .namespaces import META_GRAPH, PREFIX_MAP
from .store import dump_content

__all__ = ["STORE_FORMATS", "export_store"]

_UNION = f"""
CONSTRUCT {{ ?s ?p ?o }} WHERE {{
  {{ ?s ?p ?o }} UNION {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{META_GRAPH}>) }}
}}
"""

#: format name -> (file name, Oxigraph format)
STORE_FORMATS: Final[dict[str, tuple[str, ox.RdfFormat]]] = {
    "ntriples": ("neurokg.nt", ox.RdfFormat.N_TRIPLES),
    "turtle": ("neurokg.ttl", ox.RdfFormat.TURTLE),
    "jsonld": ("neurokg.jsonld", ox.RdfFormat.JSON_LD),
    "nquads": ("neurokg.nq", ox.RdfFormat.N_QUADS),
}


def _bytes(store: ox.Store, fmt: ox.RdfFormat) -> bytes:
    if fmt == ox.RdfFormat.N_QUADS:
        return store.dump(format=fmt) or b""
    if fmt == ox.RdfFormat.N_TRIPLES:
        return dump_content(store)
    triples = store.query(_UNION)
    assert isinstance(triples, ox.QueryTriples)
    if fmt == ox.RdfFormat.TURTLE:  # with the project's prefixes: 36 MB instead of 88 at 1M
        return ox.serialize(triples, format=fmt, prefixes=dict(PREFIX_MAP)) or b""
    return triples.serialize(format=fmt) or b""


def export_store(
    store: ox.Store, folder: Path, formats: Sequence[str] | None = None
) -> dict[str, str]:
    """Write ``formats`` (default: all of ``STORE_FORMATS``) into ``folder``; name -> SHA-256."""
    unknown = sorted(set(formats or ()) - set(STORE_FORMATS))
    if unknown:
        raise ExportError(f"unknown store export format(s): {', '.join(unknown)}")
    checksums: dict[str, str] = {}
    with release_folder(folder) as staging:
        for name in formats or list(STORE_FORMATS):
            file_name, fmt = STORE_FORMATS[name]
            data = _bytes(store, fmt)
            (staging / file_name).write_bytes(data)
            checksums[file_name] = hashlib.sha256(data).hexdigest()
        sums = "".join(f"{digest}  {name}\n" for name, digest in sorted(checksums.items()))
        (staging / "SHA256SUMS").write_bytes(sums.encode("utf-8"))
    return checksums

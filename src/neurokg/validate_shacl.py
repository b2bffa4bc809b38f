"""The shapes and the SHACL engines of validation: reading and checking the shapes, running
pyshacl or pyshacl-turbo, and the shapes scoped to what they were written for.

Consumes: a shapes folder (``shapes/*_shape.ttl``, packaged or named by the caller) and a data
graph (or N-Triples text). Produces: the shapes graph, SHACL-for-SHACL problems, and the SHACL
report graph of a run.
Policy: the packaged shapes are read once per process; a folder the caller names is checked
against SHACL-for-SHACL first. Shapes say which content they were written for with
``nkgsh:scope``: ``nkgsh:CuratedRecords`` shapes check the curated YAML's records (a term's kind,
a publication's year ...) and are not run on imported ontology content (``scoped_shapes``);
shapes without a scope apply to everything. A new engine is added here (issue 15).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any, cast

import pyshacl
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from .errors import SourceError
from .namespaces import compact
from .resources import data_dir

__all__ = [
    "CURATED_RECORDS",
    "SCOPE",
    "SHACL_ENGINES",
    "check_shapes",
    "checked_shapes",
    "count_shapes",
    "load_shapes",
    "run_shacl",
    "scoped_shapes",
    "split_shapes",
]

#: ``nkgsh:scope``: what a shape was written for.
SCOPE = URIRef("https://w3id.org/neurokg/shapes/scope")
#: The scope of shapes that check curated records only (not imported ontology content).
CURATED_RECORDS = URIRef("https://w3id.org/neurokg/shapes/CuratedRecords")


def load_shapes(shapes_dir: Path | None = None) -> tuple[Graph, tuple[str, ...]]:
    """Read every ``*_shape.ttl`` in ``shapes_dir`` (default: the packaged shapes)."""
    folder = data_dir("shapes", shapes_dir)
    paths = sorted((p for p in folder.iterdir() if p.name.endswith("_shape.ttl")), key=str)
    if not paths:
        raise SourceError(str(folder), None, "no *_shape.ttl files: not a shapes folder")
    shapes = Graph()
    for path in paths:
        try:
            shapes.parse(data=path.read_text(encoding="utf-8"), format="turtle")
        except Exception as err:  # rdflib's parsers raise many types
            raise SourceError(str(path), None, f"cannot parse the shapes as Turtle: {err}") from err
    return shapes, tuple(p.name for p in paths)


def checked_shapes(shapes_dir: Path | None = None) -> tuple[Graph, tuple[str, ...]]:
    """``load_shapes``, and for a folder the caller names, SHACL-for-SHACL (``SourceError``).

    The packaged shapes are checked by the test-suite instead, and read once per process.
    """
    if shapes_dir is None:
        return _packaged_shapes()
    shapes, files = load_shapes(shapes_dir)
    problems = check_shapes(shapes)
    if problems:
        where = str(data_dir("shapes", shapes_dir))
        raise SourceError(where, None, "the shapes fail SHACL-for-SHACL: " + "; ".join(problems))
    return shapes, files


@cache
def _packaged_shapes() -> tuple[Graph, tuple[str, ...]]:
    return load_shapes(None)


def check_shapes(shapes: Graph) -> list[str]:
    """Validate ``shapes`` against SHACL-for-SHACL; return the problems (empty when sound)."""
    meta = Graph().parse(
        data=(files("pyshacl") / "assets" / "shacl-shacl.ttl").read_text(encoding="utf-8"),
        format="turtle",
    )
    conforms, report, _ = pyshacl.validate(shapes, shacl_graph=meta, inference="none")
    if conforms:
        return []
    return sorted(
        f"{compact(str(report.value(r, SH.focusNode)))}: {report.value(r, SH.resultMessage)}"
        for r in report.subjects(RDF.type, SH.ValidationResult)
    )


def count_shapes(shapes: Graph) -> int:
    return len(set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(SH.path, None)))


# ---------------------------------------------------------------------------- SHACL engines
#: The SHACL engines: pyshacl (the reference) and pyshacl-turbo (Rust, pySHACL's API).
SHACL_ENGINES = ("pyshacl", "turbo", "sparql")


#: id(shapes graph) -> (that graph, kept alive so the id stays its own; turbo's program)
_COMPILED: dict[int, tuple[Graph, Any]] = {}


def _compiled(shapes: Graph) -> Any:
    """Turbo's program for ``shapes``, compiled once per shapes graph (the packaged shapes are
    one graph per process: ``checked_shapes``). Its reports' blank nodes are those of ``shapes``."""
    if id(shapes) not in _COMPILED:
        import pyshacl_turbo

        if len(_COMPILED) >= 8:  # callers that load their own shapes on every call
            _COMPILED.clear()
        program = pyshacl_turbo.compile_shapes(shapes)  # type: ignore[no-untyped-call]
        _COMPILED[id(shapes)] = (shapes, program)
    return _COMPILED[id(shapes)][1]


def run_shacl(
    data: Graph | str,
    shapes: Graph,
    *,
    engine: str = "pyshacl",
    focus_nodes: Sequence[Node] | None = None,
) -> Graph:
    """Validate ``data`` (a graph, or N-Triples text) against ``shapes``; the report graph.

    No inference (the schema is in the data); warnings and infos do not fail conformance. Turbo
    compiles each shapes graph once per process.
    """
    focus = cast(Any, list(focus_nodes)) if focus_nodes is not None else None
    if engine == "pyshacl":
        if isinstance(data, str):
            data = Graph().parse(data=data, format="nt")
        _, report, _ = pyshacl.validate(
            data,
            shacl_graph=shapes,
            inference="none",
            allow_warnings=True,
            allow_infos=True,
            focus_nodes=focus,
        )
        return report  # type: ignore[no-any-return]
    if engine == "sparql" and focus_nodes is None:
        return _run_sparql(data, shapes)
    if engine not in ("turbo", "sparql"):
        raise ValueError(f"unknown SHACL engine {engine!r}; use one of {', '.join(SHACL_ENGINES)}")
    # focus nodes: the SPARQL engine validates whole graphs only, turbo stands in
    from pyshacl_turbo.rdf import Input

    source = Input(data, "nt", None, {}, {}, preserve_ids=True) if isinstance(data, str) else data
    _, report, _ = _compiled(shapes).validate(
        source, allow_warnings=True, allow_infos=True, focus_nodes=focus
    )
    return report  # type: ignore[no-any-return]


def _run_sparql(data: Graph | str, shapes: Graph) -> Graph:
    """The shapes as SPARQL on an in-memory Oxigraph store holding ``data`` (shacl_sparql)."""
    import pyoxigraph as ox

    from .shacl_sparql import run_checks
    from .store_terms import to_oxigraph_term

    store = ox.Store()
    if isinstance(data, str):
        store.bulk_load(data.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    else:  # term by term, so blank nodes keep their ids for the report's context
        store.extend(
            ox.Quad(to_oxigraph_term(s), to_oxigraph_term(p), to_oxigraph_term(o))  # type: ignore[arg-type]
            for s, p, o in data
        )
    return run_checks(store, shapes).report


def _partition(shapes: Graph, curated: bool) -> Graph:
    """The shapes scoped to curated records (``curated``), or all the others; each with the
    blank nodes (property shapes, lists) it holds, and the prefix declarations of SPARQL."""
    scoped = set(shapes.subjects(SCOPE, CURATED_RECORDS))
    named = {s for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)}
    chosen = scoped if curated else named - scoped
    dropped = (named - chosen) if curated else scoped
    owned: set[Node] = set()
    stack: list[Node] = list(dropped)
    while stack:
        for obj in shapes.objects(stack.pop(), None):
            if isinstance(obj, BNode) and obj not in owned:
                owned.add(obj)
                stack.append(obj)
    part = Graph()
    for prefix, namespace in shapes.namespaces():
        part.bind(prefix, namespace)
    for s, p, o in shapes:
        if s not in dropped and s not in owned:
            part.add((s, p, o))
    return part


#: id(shapes graph) -> (that graph, kept alive; its curated-record shapes; all the others)
_SPLIT: dict[int, tuple[Graph, Graph, Graph]] = {}


def split_shapes(shapes: Graph) -> tuple[Graph, Graph]:
    """(the shapes scoped to curated records, the shapes for everything): computed once per
    shapes graph, so that turbo compiles each part once."""
    if id(shapes) not in _SPLIT:
        if len(_SPLIT) >= 8:
            _SPLIT.clear()
        _SPLIT[id(shapes)] = (shapes, _partition(shapes, True), _partition(shapes, False))
    _, curated, others = _SPLIT[id(shapes)]
    return curated, others


def scoped_shapes(shapes: Graph) -> Graph:
    """``shapes`` without those scoped to curated records: the shapes for imported content."""
    return split_shapes(shapes)[1]

"""Run compiled checks on an Oxigraph store and write pySHACL's report vocabulary.

Consumes: ``Check`` records (compile.py) and a ``pyoxigraph.Store`` (with the graphs to read).
Produces: an rdflib report graph (``sh:ValidationReport`` with one ``sh:ValidationResult`` per
violating focus node and value), the shape validate.py's ``shacl_results`` reads from pySHACL.
Policy: the store is only read; the checks run one after the other (pyoxigraph evaluates a
query while Python iterates its solutions, holding the GIL: two threads measured no faster).
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from ..store_terms import solution_rows
from .compile import Check, compile_shapes

__all__ = ["Outcome", "run_checks"]

Graphs = Sequence[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None


@dataclass
class Outcome:
    """The report graph, whether it conforms, and the seconds each check took."""

    report: Graph
    conforms: bool
    timings: dict[str, float] = field(default_factory=dict)


#: id(shapes graph) -> (that graph, kept alive so the id stays its own; its checks)
_COMPILED: dict[int, tuple[Graph, tuple[Check, ...]]] = {}


def _compiled(shapes: Graph) -> tuple[Check, ...]:
    if id(shapes) not in _COMPILED:
        if len(_COMPILED) >= 8:  # as validate_shacl's caches: a few shapes graphs per process
            _COMPILED.clear()
        _COMPILED[id(shapes)] = (shapes, tuple(compile_shapes(shapes)))
    return _COMPILED[id(shapes)][1]


def _messages(shapes: Graph, check: Check) -> list[str]:
    owner = check.constraint if check.constraint is not None else check.shape
    found = [str(m) for m in shapes.objects(owner, SH.message)]
    if not found and check.constraint is not None:
        found = [str(m) for m in shapes.objects(check.shape, SH.message)]
    return found or [str(check.component).removeprefix(str(SH))]


def _fill(template: str, row: dict[str, Node]) -> str:
    """pySHACL's message templates: ``{$this}``, ``{?name}`` become the bound values."""

    def value(match: re.Match[str]) -> str:
        bound = row.get(match.group(2))
        return str(bound) if bound is not None else match.group(0)

    return re.sub(r"\{([$?])(\w+)\}", value, template)


def _select(
    store: ox.Store, query: str, graphs: Graphs, union: bool = False
) -> list[dict[str, Node]]:
    if union:  # every graph: much faster than naming many (PERFORMANCE of focus.py, ADR 0010)
        solutions = store.query(query, use_default_graph_as_union=True)
    else:
        solutions = store.query(query, default_graph=list(graphs) if graphs else None)
    assert isinstance(solutions, ox.QuerySolutions)
    return solution_rows(solutions)


def _run(
    store: ox.Store, check: Check, graphs: Graphs, union: bool
) -> tuple[list[dict[str, Node]], float]:
    start = time.perf_counter()
    if check.members and not check.query:
        breaking: set[Node] | None = None
        for queries in check.members:
            broken = {row["this"] for q in queries for row in _select(store, q, graphs, union)}
            breaking = broken if breaking is None else breaking & broken
        rows = [{"this": node, "value": node} for node in sorted(breaking or (), key=str)]
    else:
        rows = _select(store, check.query, graphs, union)
    return rows, time.perf_counter() - start


def _add_result(report: Graph, shapes: Graph, check: Check, row: dict[str, Node]) -> bool:
    result = BNode()
    report.add((result, RDF.type, SH.ValidationResult))
    report.add((result, SH.focusNode, row["this"]))
    report.add((result, SH.sourceShape, check.shape))
    report.add((result, SH.sourceConstraintComponent, check.component))
    report.add((result, SH.resultSeverity, check.severity))
    path = row.get("path", check.path) if check.constraint is not None else check.path
    if path is not None:
        report.add((result, SH.resultPath, path))
    value = row.get("value")
    if value is not None:
        report.add((result, SH.value, value))
    if check.constraint is not None:
        report.add((result, SH.sourceConstraint, check.constraint))
    for message in _messages(shapes, check):
        report.add((result, SH.resultMessage, Literal(_fill(message, row))))
    return check.severity == SH.Violation


def run_checks(
    store: ox.Store, shapes: Graph, *, graphs: Graphs = None, union: bool = False
) -> Outcome:
    """Validate the graphs ``graphs`` of ``store`` (its default graph when None; every graph
    with ``union``) against ``shapes``.

    The store is only read.
    """
    checks = _compiled(shapes)
    report = Graph()
    root = BNode()
    report.add((root, RDF.type, SH.ValidationReport))
    conforms = True
    timings: dict[str, float] = {}
    for i, check in enumerate(checks):
        rows, seconds = _run(store, check, graphs, union)
        timings[f"{i}:{check.shape}:{check.component.removeprefix(str(SH))}"] = seconds
        for row in rows:
            if "this" in row and _add_result(report, shapes, check, row):
                conforms = False
    for result in report.subjects(RDF.type, SH.ValidationResult):
        report.add((root, SH.result, result))
    report.add((root, SH.conforms, Literal(conforms)))
    return Outcome(report, conforms, timings)

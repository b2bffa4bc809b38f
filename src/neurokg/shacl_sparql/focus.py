"""Validate given focus nodes only, on a store as it is (ADR 0010: one edited claim).

Consumes: a ``pyoxigraph.Store`` (read as it is: nothing copied) and the focus nodes.
Produces: an ``Outcome`` as ``run_checks`` gives, holding the results about those focus nodes only:
the full validation's results restricted to them (tests/test_shacl_sparql.py).
Policy: which shapes target which focus node is looked up in Python with the store's index
(``quads_for_pattern``: 1-15 us a look-up, where the same test as SPARQL ``EXISTS`` cost
15-50 ms at 100k triples); the checks of those shapes then run in their form written for focus
nodes bound first (``Check.bound``: ``VALUES ?this`` opens the query, NOT EXISTS instead of
MINUS, the standard ``sh:select`` instead of ``nkgsh:setSelect``; the set-wise forms with VALUES
took seconds), ``BATCH`` checks to a UNION query (parsing and planning is about a third of a
bound check's cost).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from ..store import solution_rows, to_oxigraph_term
from .compile import FOCUS_SLOT, Check, Target
from .run import Graphs, Outcome, _add_result, _compiled, _select

__all__ = ["FocusNode", "run_focus"]

FocusNode = ox.NamedNode | ox.BlankNode | ox.Literal
_TYPE = ox.NamedNode(str(RDF.type))
_SUB = ox.NamedNode(str(RDFS.subClassOf))
_PREFIX = re.compile(r"^\s*PREFIX\s+([\w.-]*):\s*<([^>]*)>", re.IGNORECASE)


@dataclass(frozen=True)
class _Scope:
    """Where the checks read: every graph (``union``), the graphs named, or the default graph."""

    store: ox.Store
    graphs: Graphs
    union: bool

    def names(self) -> list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph | None]:
        if self.union:
            return [None]
        return list(self.graphs) if self.graphs else [ox.DefaultGraph()]

    def has(self, s: FocusNode | None, p: ox.NamedNode, o: object) -> bool:
        def found(g: object) -> bool:
            return next(iter(self.store.quads_for_pattern(s, p, o, g)), None) is not None  # type: ignore[arg-type]

        names = self.names()
        if len(names) > 1 and not found(None):  # most look-ups find nothing: one, not one a graph
            return False
        return any(found(g) for g in names)

    def objects(self, s: object, p: ox.NamedNode) -> set[object]:
        names = self.names()
        if len(names) > 1 and not self.has(s, p, None):  # type: ignore[arg-type]
            return set()
        return {q.object for g in names for q in self.store.quads_for_pattern(s, p, None, g)}  # type: ignore[arg-type]

    def select(self, text: str) -> list[dict[str, Node]]:
        return _select(self.store, text, self.graphs, self.union)


def _classes(scope: _Scope, node: FocusNode) -> set[object]:
    """The node's types and all their superclasses (``rdf:type/rdfs:subClassOf*``)."""
    found = scope.objects(node, _TYPE)
    frontier = set(found)
    while frontier:
        frontier = {s for c in frontier for s in scope.objects(c, _SUB)} - found
        found |= frontier
    return found


def _targets(
    scope: _Scope, targets: Iterable[Target], nodes: Sequence[FocusNode], blank: str | None
) -> dict[Target, list[FocusNode]]:
    """Per target, the focus nodes it selects."""
    classes: dict[FocusNode, set[object]] = {}
    found: dict[Target, list[FocusNode]] = {}
    for target in targets:
        term = to_oxigraph_term(target.term)
        if target.kind == "select":
            found[target] = _selected(scope, target, nodes, blank)
        elif target.kind == "class":
            for n in nodes:
                if n not in classes:
                    classes[n] = set() if isinstance(n, ox.Literal) else _classes(scope, n)
            found[target] = [n for n in nodes if term in classes[n]]
        elif target.kind == "subjects":
            found[target] = [
                n
                for n in nodes
                if not isinstance(n, ox.Literal) and scope.has(n, term, None)  # type: ignore[arg-type]
            ]
        elif target.kind == "objects":
            found[target] = [n for n in nodes if scope.has(None, term, n)]  # type: ignore[arg-type]
        else:  # a target node: whether or not the store mentions it
            found[target] = [n for n in nodes if n == term]
    return found


def _selected(
    scope: _Scope, target: Target, nodes: Sequence[FocusNode], blank: str | None
) -> list[FocusNode]:
    rows = scope.select(
        f"SELECT DISTINCT ?this WHERE {{ {_values(nodes, blank)} {target.pattern} }}"
    )
    return [to_oxigraph_term(r["this"]) for r in rows]


def _values(nodes: Sequence[FocusNode], blank: str | None) -> str:
    """A pattern binding ``?this`` to ``nodes``: VALUES for IRIs and literals, and for blank
    nodes (a query cannot name one) the caller's pattern that finds them."""
    named = "VALUES ?this { " + " ".join(str(n) for n in dict.fromkeys(nodes)) + " }"
    if blank is None or not any(isinstance(n, ox.BlankNode) for n in nodes):
        return named
    iris = " ".join(str(n) for n in dict.fromkeys(nodes) if not isinstance(n, ox.BlankNode))
    return f"{{ VALUES ?this {{ {iris} }} }} UNION {{ {blank} }}"


def _slot(check: Check, nodes: list[FocusNode], blank: str | None) -> str:
    if not any(isinstance(n, ox.BlankNode) for n in nodes):
        return _values(nodes, None)
    union = " UNION ".join("{ " + t.pattern + " }" for t in check.targets)
    return f"{_values(nodes, blank)} FILTER EXISTS {{ {union} }}"


def _split(query: str) -> tuple[dict[str, str], str] | None:
    """A query's PREFIX declarations and the rest (None when it has other prologue lines)."""
    prefixes: dict[str, str] = {}
    rest = query
    while True:
        match = _PREFIX.match(rest)
        if match is None:
            break
        prefixes[match.group(1)] = match.group(2)
        rest = rest[match.end() :]
    if re.match(r"\s*BASE\b", rest, re.IGNORECASE):
        return None
    return prefixes, rest


#: How many checks one UNION query runs: each query costs 0.1-0.3 ms before it reads anything,
#: and a UNION of many more was slower than separate queries (100k triples, 96 checks: 1 a
#: query 39-66 ms, 8 a query 25-30 ms, all in one 72-110 ms; a loaded machine).
BATCH = 8


def _batched(scope: _Scope, queries: list[str]) -> list[list[dict[str, Node]]]:
    """Each query's rows, ``BATCH`` queries at a time as one UNION query."""
    return [
        rows
        for at in range(0, len(queries), BATCH)
        for rows in _union(scope, queries[at : at + BATCH])
    ]


def _union(scope: _Scope, queries: list[str]) -> list[list[dict[str, Node]]]:
    """Each query's rows, from one UNION query of them all (or one by one when their
    prologues disagree)."""
    declared: dict[str, str] = {}
    branches: list[str] = []
    for i, query in enumerate(queries):
        split = _split(query)
        if split is None or any(declared.get(k, v) != v for k, v in split[0].items()):
            return [scope.select(q) for q in queries]
        declared.update(split[0])
        branches.append(f"{{ {{ {split[1]} }} BIND({i} AS ?_query) }}")
    if not branches:
        return []
    head = "".join(f"PREFIX {k}: <{v}>\n" for k, v in declared.items())
    text = f"{head}SELECT * WHERE {{ {' UNION '.join(branches)} }}"
    found: list[list[dict[str, Node]]] = [[] for _ in queries]
    solutions = scope.store.query(
        text,
        **(
            {"use_default_graph_as_union": True}
            if scope.union
            else {"default_graph": list(scope.graphs) if scope.graphs else None}
        ),
    )
    assert isinstance(solutions, ox.QuerySolutions)
    for row in solution_rows(solutions):
        found[int(row.pop("_query"))].append(row)  # type: ignore[call-overload]
    return found


def run_focus(
    store: ox.Store,
    shapes: Graph,
    nodes: Sequence[FocusNode],
    *,
    graphs: Graphs = None,
    union: bool = False,
    blank: str | None = None,
) -> Outcome:
    """Validate the focus nodes ``nodes`` against ``shapes``, reading ``graphs`` of ``store``
    (its default graph when None; every graph with ``union``). Blank nodes among ``nodes`` need
    ``blank``, a pattern binding ``?this`` to them. The store is only read."""
    checks = _compiled(shapes)
    scope = _Scope(store, graphs, union)
    targeted = _targets(scope, dict.fromkeys(t for c in checks for t in c.targets), nodes, blank)
    queries: list[str] = []
    plan: list[tuple[Check, list[int]]] = []  # each check run, and its queries' places
    for check in checks:
        chosen = list(dict.fromkeys(n for t in check.targets for n in targeted[t]))
        if not chosen:
            continue
        slot = _slot(check, chosen, blank)
        texts = [q for member in check.bound_members for q in member] or [check.bound]
        plan.append((check, list(range(len(queries), len(queries) + len(texts)))))
        queries.extend(q.replace(FOCUS_SLOT, slot) for q in texts)
    rows = _batched(scope, queries)
    report = Graph()
    root = BNode()
    report.add((root, RDF.type, SH.ValidationReport))
    conforms = True
    for check, places in plan:
        for row in _check_rows(check, [rows[i] for i in places]):
            if "this" in row and _add_result(report, shapes, check, row):
                conforms = False
    for result in report.subjects(RDF.type, SH.ValidationResult):
        report.add((root, SH.result, result))
    report.add((root, SH.conforms, Literal(conforms)))
    return Outcome(report, conforms)


def _check_rows(check: Check, found: list[list[dict[str, Node]]]) -> list[dict[str, Node]]:
    """A check's rows: its query's, or for an sh:or of shapes the nodes breaking every member."""
    if not check.bound_members:
        return found[0]
    breaking: set[Node] | None = None
    at = 0
    for member in check.bound_members:
        broken = {row["this"] for rows in found[at : at + len(member)] for row in rows}
        at += len(member)
        breaking = broken if breaking is None else breaking & broken
    return [{"this": node, "value": node} for node in sorted(breaking or (), key=str)]

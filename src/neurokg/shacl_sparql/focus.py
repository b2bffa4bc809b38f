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
bound check's cost). Each focus node's quads are read once (``node_quads``), and a check is not
asked about a node that cannot break it: one whose number of values of the check's property lies
outside ``Check.counts`` (a node with one value cannot break sh:maxCount 1, nor one without
values a datatype; 90 checks of one synthetic edit became 47). The answers of a check that reads
nothing but the IRI it tests (``Check.pure``: an IRI pattern) are kept from edit to edit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from ..store_terms import solution_rows, to_oxigraph_term
from .compile import FOCUS_SLOT, Check, Target
from .run import Graphs, Outcome, _add_result, _compiled, _select

__all__ = ["FocusNode", "Quads", "node_quads", "run_focus"]

FocusNode = ox.NamedNode | ox.BlankNode | ox.Literal
_TYPE = ox.NamedNode(str(RDF.type))
_SUB = ox.NamedNode(str(RDFS.subClassOf))
_PREFIX = re.compile(r"^\s*PREFIX\s+([\w.-]*):\s*<([^>]*)>", re.IGNORECASE)


#: Each node's quads in every graph, read once for all the checks of an edit (``run_focus``'s
#: ``quads``): the store's index gives them in 0.1-0.2 ms a node on RocksDB, where asking for
#: each (node, property) pair a target or a count needs cost 4-8 ms an edit.
Quads = dict[FocusNode, list[ox.Quad]]


def node_quads(store: ox.Store, quads: Quads, node: FocusNode) -> list[ox.Quad]:
    """The quads whose subject is ``node``, in every graph (read once into ``quads``)."""
    found = quads.get(node)
    if found is None:
        found = (
            [] if isinstance(node, ox.Literal) else list(store.quads_for_pattern(node, None, None))
        )
        quads[node] = found
    return found


@dataclass(frozen=True)
class _Scope:
    """Where the checks read: every graph (``union``), the graphs named, or the default graph."""

    store: ox.Store
    graphs: Graphs
    union: bool
    quads: Quads = field(default_factory=dict)
    supers: dict[object, set[object]] = field(default_factory=dict)
    values: dict[FocusNode, dict[ox.NamedNode, set[object]]] = field(default_factory=dict)

    def names(self) -> list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph | None]:
        if self.union:
            return [None]
        return list(self.graphs) if self.graphs else [ox.DefaultGraph()]

    def out(self, node: FocusNode) -> dict[ox.NamedNode, set[object]]:
        """The node's values per property, in the graphs read."""
        values = self.values.get(node)
        if values is None:
            names = None if self.union else set(self.names())
            values = self.values[node] = {}
            for q in node_quads(self.store, self.quads, node):
                if names is None or q.graph_name in names:
                    values.setdefault(q.predicate, set()).add(q.object)
        return values

    def may_break(self, check: Check, node: FocusNode) -> bool:
        """Can ``node`` break ``check``, by its number of values of the check's path
        (``Check.counts``)?"""
        if check.counts is None:
            return True
        low, high = check.counts
        count = len(self.out(node).get(ox.NamedNode(str(check.path)), ()))
        return low <= count and (high is None or count <= high)

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

    def superclasses(self, c: object) -> set[object]:
        if c not in self.supers:
            self.supers[c] = self.objects(c, _SUB)
        return self.supers[c]

    def select(self, text: str) -> list[dict[str, Node]]:
        return _select(self.store, text, self.graphs, self.union)


def _classes(scope: _Scope, node: FocusNode) -> set[object]:
    """The node's types and all their superclasses (``rdf:type/rdfs:subClassOf*``)."""
    found = set(scope.out(node).get(_TYPE, ()))
    frontier = set(found)
    while frontier:
        frontier = {s for c in frontier for s in scope.superclasses(c)} - found
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
            found[target] = [n for n in nodes if term in scope.out(n)]
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


@lru_cache(maxsize=4096)  # the compiled query texts of a few shapes graphs
def _split(query: str) -> tuple[dict[str, str], str] | None:
    """A query's PREFIX declarations and the rest (None when it has other prologue lines); read
    once per compiled query text (before its focus nodes are put in)."""
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


#: A compiled query text (``Check.bound``) and what replaces its ``FOCUS_SLOT``.
_Filled = tuple[str, str]


def _batched(scope: _Scope, queries: list[_Filled]) -> list[list[dict[str, Node]]]:
    """Each query's rows, ``BATCH`` queries at a time as one UNION query."""
    return [
        rows
        for at in range(0, len(queries), BATCH)
        for rows in _union(scope, queries[at : at + BATCH])
    ]


def _union(scope: _Scope, queries: list[_Filled]) -> list[list[dict[str, Node]]]:
    """Each query's rows, from one UNION query of them all (or one by one when their
    prologues disagree)."""
    declared: dict[str, str] = {}
    branches: list[str] = []
    for i, (query, slot) in enumerate(queries):
        split = _split(query)
        if split is None or any(declared.get(k, v) != v for k, v in split[0].items()):
            return [scope.select(q.replace(FOCUS_SLOT, s)) for q, s in queries]
        declared.update(split[0])
        branches.append(f"{{ {{ {split[1].replace(FOCUS_SLOT, slot)} }} BIND({i} AS ?_query) }}")
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


#: (a pure check's bound query, an IRI) -> the rows that check gives about that IRI: the same in
#: every store (``Check.pure``: nothing but the IRI is read), so kept for the next edit naming
#: the same terms. Keyed by the query text, so another shapes graph never meets another's rows.
_PURE: dict[tuple[str, FocusNode], list[dict[str, Node]]] = {}
_PURE_MAX = 50_000


class _Planned(NamedTuple):
    """A check to report on: its queries' places in the batch, the rows known without asking
    (``_PURE``), and the nodes asked about whose rows ``_PURE`` is to keep."""

    check: Check
    places: list[int]
    known: list[dict[str, Node]]
    asked: list[FocusNode]


def _remember(check: Check, asked: list[FocusNode], rows: list[dict[str, Node]]) -> None:
    if len(_PURE) >= _PURE_MAX:
        _PURE.clear()
    for node in asked:
        if isinstance(node, ox.NamedNode):  # blank nodes are the store's own, literals re-typed
            this = URIRef(node.value)
            _PURE[(check.bound, node)] = [dict(r) for r in rows if r.get("this") == this]


#: id(compiled checks) -> (those checks, kept alive; their targets; each check's targets' places)
_PLACES: dict[int, tuple[tuple[Check, ...], list[Target], list[tuple[int, ...]]]] = {}


def _target_places(checks: tuple[Check, ...]) -> tuple[list[Target], list[tuple[int, ...]]]:
    """The distinct targets of ``checks`` and, per check, the places of its targets among them
    (once per shapes graph: looking targets up by value cost about 1 ms an edit)."""
    if id(checks) not in _PLACES:
        if len(_PLACES) >= 8:
            _PLACES.clear()
        targets = list(dict.fromkeys(t for c in checks for t in c.targets))
        where = {t: i for i, t in enumerate(targets)}
        _PLACES[id(checks)] = (
            checks,
            targets,
            [tuple(where[t] for t in c.targets) for c in checks],
        )
    return _PLACES[id(checks)][1:]


def run_focus(
    store: ox.Store,
    shapes: Graph,
    nodes: Sequence[FocusNode],
    *,
    graphs: Graphs = None,
    union: bool = False,
    blank: str | None = None,
    quads: Quads | None = None,
) -> Outcome:
    """Validate the focus nodes ``nodes`` against ``shapes``, reading ``graphs`` of ``store``
    (its default graph when None; every graph with ``union``). Blank nodes among ``nodes`` need
    ``blank``, a pattern binding ``?this`` to them. ``quads`` (``node_quads``) may hold the
    focus nodes' quads already read from ``store``. The store is only read."""
    checks = _compiled(shapes)
    scope = _Scope(store, graphs, union, {} if quads is None else quads)
    targets, places_of = _target_places(checks)
    selected = _targets(scope, targets, nodes, blank)
    targeted = [selected[t] for t in targets]
    queries: list[_Filled] = []
    plan: list[_Planned] = []
    selects: dict[tuple[int, ...], list[FocusNode]] = {}  # the property shapes of a shape share
    for i, check in enumerate(checks):
        where = places_of[i]
        if where not in selects:
            selects[where] = list(dict.fromkeys(n for t in where for n in targeted[t]))
        chosen = [n for n in selects[where] if scope.may_break(check, n)]
        known: list[dict[str, Node]] = []
        if check.pure:  # what an IRI gives is known from an earlier edit, whatever the store
            known = [
                dict(r)
                for n in chosen
                if (check.bound, n) in _PURE
                for r in _PURE[(check.bound, n)]
            ]
            chosen = [n for n in chosen if (check.bound, n) not in _PURE]
        if not chosen:
            if known:
                plan.append(_Planned(check, [], known, []))
            continue
        slot = _slot(check, chosen, blank)
        texts = [q for member in check.bound_members for q in member] or [check.bound]
        places = list(range(len(queries), len(queries) + len(texts)))
        plan.append(_Planned(check, places, known, chosen if check.pure else []))
        queries.extend((q, slot) for q in texts)
    rows = _batched(scope, queries)
    report = Graph()
    root = BNode()
    report.add((root, RDF.type, SH.ValidationReport))
    conforms = True
    for check, places, known, asked in plan:
        found = _check_rows(check, [rows[i] for i in places]) if places else []
        _remember(check, asked, found)
        for row in found + known:
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

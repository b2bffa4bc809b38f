"""The queries of one targeted shape: its node-level constraints, its property shapes and its
SPARQL constraints (see compile.py for the policy).

Consumes: a ``_Compiler`` and a shape's focus sub-select. Produces: ``Check`` records.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from .compile import (
    VALUE_TESTS,
    Check,
    Unsupported,
    _list,
    _severity,
    _shacl,
    iter_props,
    params,
    prefixes,
)
from .compile import sparql_term as term

if TYPE_CHECKING:
    from .compile import _Compiler

#: An alternative sh:select written for evaluation over all focus nodes at once.
SET_SELECT = URIRef("https://w3id.org/neurokg/shapes/setSelect")
_HANDLED_PROPERTY = {
    SH.minCount, SH.maxCount, SH.hasValue, SH.lessThanOrEquals, SH.lessThan,
    SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.sparql,
    SH.qualifiedValueShapesDisjoint, *VALUE_TESTS,
}  # fmt: skip
_ANNOTATIONS = {
    SH.path, SH.message, SH.severity, SH.name, SH.description, SH.order, SH.group, SH.flags,
    SH.deactivated, SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf,
    SH.target, SH.property, SH.declare, SH.defaultValue,
}  # fmt: skip


#: The ``Check.counts`` of a check reading ``?this path ?value``: it needs a value.
_SOME: tuple[int, int | None] = (1, None)


def _without(compiler: _Compiler) -> str:
    """How a check subtracts the nodes that conform: MINUS computes them once for every focus
    node (set-wise); for focus nodes bound first, NOT EXISTS looks each one up (at 100k triples,
    25 ms against 1.5 ms for a few focus nodes)."""
    return "FILTER NOT EXISTS" if compiler.bound else "MINUS"


def component(key: URIRef) -> URIRef:
    """The constraint component of parameter ``key`` (sh:minCount: MinCountConstraintComponent)."""
    local = str(key).removeprefix(str(SH))
    return SH[local[0].upper() + local[1:] + "ConstraintComponent"]


def _unknown(compiler: _Compiler, node: Node, handled: set[URIRef]) -> None:
    for key in set(compiler.shapes.predicates(node, None)):
        if _shacl(key) and key not in handled and key not in _ANNOTATIONS:
            raise Unsupported(f"shape {node!r} uses {key}, which is not compiled")


def node_checks(compiler: _Compiler, shape: Node, focus: str) -> Iterator[Check]:
    s = compiler.shapes
    severity = _severity(s, shape)
    _unknown(
        compiler, shape, {*VALUE_TESTS, SH.hasValue, SH.sparql, SH.closed, SH.ignoredProperties}
    )
    if s.value(shape, SH.closed) == Literal(True):
        raise Unsupported("sh:closed is not compiled")
    for key, obj in params(s, shape):
        if key == SH["or"] and any(_structured(s, m) for m in _list(s, obj)):
            members = tuple(
                tuple(c.query for c in _member_checks(compiler, m, focus)) for m in _list(s, obj)
            )
            query = "" if compiler.bound else _intersection(members)
            yield Check(query, shape, component(key), severity, None, members=members)
        elif key == SH["class"]:
            query = (
                f"SELECT ?this (?this AS ?value) WHERE {{ {focus} "
                f"{_without(compiler)} {{ ?this <{RDF.type}>/<{RDFS.subClassOf}>* {term(obj)} }} }}"
            )
            yield Check(query, shape, component(key), severity, None)
        elif key in VALUE_TESTS:
            test = compiler.value_test(shape, key, obj, "?this")
            query = f"SELECT ?this (?this AS ?value) WHERE {{ {focus} FILTER(!({test})) }}"
            pure = "EXISTS" not in test.upper()  # a FILTER reads the store through EXISTS only
            yield Check(query, shape, component(key), severity, None, pure=pure)
        elif key == SH.hasValue:
            query = f"SELECT ?this WHERE {{ {focus} FILTER(!sameTerm(?this, {term(obj)})) }}"
            yield Check(query, shape, SH.HasValueConstraintComponent, severity, None)
    for constraint in s.objects(shape, SH.sparql):
        yield _sparql_check(compiler, shape, constraint, focus, None, severity)
    for prop in iter_props(s, shape):
        yield from property_checks(compiler, prop, focus)


def _intersection(members: tuple[tuple[str, ...], ...]) -> str:
    """The focus nodes breaking every member as one query: each member's breakers a sub-select
    (the union of its queries), joined in the store; "" when a member has no query or a query
    has a prologue (then run.py intersects the members' rows in Python: at 1M triples, 4.3 s for
    ClaimShape's sh:or, whose members each select most claims)."""
    if not members or any(
        not queries or any(re.match(r"\s*(PREFIX|BASE)\b", q, re.IGNORECASE) for q in queries)
        for queries in members
    ):
        return ""
    groups = (
        "{ SELECT DISTINCT ?this WHERE { "
        + " UNION ".join("{ " + q + " }" for q in queries)
        + " } }"
        for queries in members
    )
    return f"SELECT DISTINCT ?this (?this AS ?value) WHERE {{ {' '.join(groups)} }}"


def _structured(shapes: Graph, member: Node) -> bool:
    """Does an sh:or member look at property values (then its set form is faster)?"""
    return (
        shapes.value(member, SH.path) is not None or shapes.value(member, SH.property) is not None
    )


def _member_checks(compiler: _Compiler, member: Node, focus: str) -> Iterator[Check]:
    if compiler.shapes.value(member, SH.path) is not None:
        return property_checks(compiler, member, focus)
    return node_checks(compiler, member, focus)


def property_checks(compiler: _Compiler, prop: Node, focus: str) -> Iterator[Check]:
    s = compiler.shapes
    path_node = s.value(prop, SH.path)
    if path_node is None:
        raise Unsupported(f"property shape {prop!r} has no sh:path")
    path = compiler.path(path_node)
    severity = _severity(s, prop)
    _unknown(compiler, prop, _HANDLED_PROPERTY)

    simple = isinstance(path_node, URIRef)

    def check(query: str, key: URIRef, counts: tuple[int, int | None] | None = None) -> Check:
        return Check(
            query, prop, component(key), severity, path_node, counts=counts if simple else None
        )

    for key, obj in params(s, prop):
        if key in (SH.minCount, SH.maxCount):
            count = _count_query(focus, path, key, int(obj), compiler.bound)  # type: ignore[call-overload]
            bounds = (0, int(obj) - 1) if key == SH.minCount else (int(obj) + 1, None)  # type: ignore[call-overload]
            yield check(count, key, bounds)
        elif key == SH["class"]:  # set-wise: every instance of the class once, then subtracted
            yield check(
                f"SELECT DISTINCT ?this ?value WHERE {{ {focus} ?this {path} ?value "
                f"{_without(compiler)} {{ ?value <{RDF.type}>/<{RDFS.subClassOf}>* {term(obj)} }}"
                " }",
                key,
                _SOME,
            )
        elif key in VALUE_TESTS:
            test = compiler.value_test(prop, key, obj, "?value")
            yield check(
                f"SELECT DISTINCT ?this ?value WHERE {{ {focus} ?this {path} ?value "
                f"FILTER(!({test})) }}",
                key,
                _SOME,
            )
        elif key == SH.hasValue:
            yield check(
                f"SELECT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {path} ?value "
                f"FILTER(sameTerm(?value, {term(obj)})) }} }}",
                key,
            )
        elif key in (SH.lessThanOrEquals, SH.lessThan):
            op = "<=" if key == SH.lessThanOrEquals else "<"
            yield check(
                f"SELECT DISTINCT ?this ?value WHERE {{ {focus} ?this {path} ?value . "
                f"?this {term(obj)} ?_other FILTER(!COALESCE(?value {op} ?_other, false)) }}",
                key,
                _SOME,
            )
    yield from _qualified(compiler, prop, focus, path, check)
    for constraint in s.objects(prop, SH.sparql):
        yield _sparql_check(compiler, prop, constraint, focus, path, severity)


def _count_query(focus: str, path: str, key: URIRef, bound: int, per_node: bool = False) -> str:
    """The focus nodes with fewer (sh:minCount) or more (sh:maxCount) values than ``bound``.

    The common bounds as set operations, which the store runs in one pass: at least one value
    is a MINUS of the nodes that have one; at most one a self-join for a second, distinct value
    (at 1M triples, 0.9 s and 0.4 s where OPTIONAL with GROUP BY took 1.4 s and 1.9 s).
    For focus nodes bound first (``per_node``), NOT EXISTS looks up each node instead.
    """
    if key == SH.minCount and bound == 1:
        without = "FILTER NOT EXISTS" if per_node else "MINUS"
        return f"SELECT ?this WHERE {{ {focus} {without} {{ ?this {path} ?value }} }}"
    if key == SH.maxCount and bound == 0:
        return f"SELECT DISTINCT ?this WHERE {{ {focus} ?this {path} ?value }}"
    if key == SH.maxCount and bound == 1:
        return (
            f"SELECT DISTINCT ?this WHERE {{ {focus} ?this {path} ?value . ?this {path} ?other "
            f"FILTER(!sameTerm(?value, ?other)) }}"
        )
    if key == SH.minCount:
        return (
            f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ ?this {path} ?value }} }} "
            f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {bound})"
        )
    return (
        f"SELECT ?this WHERE {{ {focus} ?this {path} ?value }} "
        f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {bound})"
    )


def _qualified(
    compiler: _Compiler, prop: Node, focus: str, path: str, check: object
) -> Iterator[Check]:
    s = compiler.shapes
    qualified = s.value(prop, SH.qualifiedValueShape)
    if qualified is None:
        return
    if s.value(prop, SH.qualifiedValueShapesDisjoint) == Literal(True):
        raise Unsupported("sh:qualifiedValueShapesDisjoint is not compiled")
    test = compiler.conforms(qualified, "?value")
    make = check  # a closure of property_checks
    for key, op, join in (
        (SH.qualifiedMinCount, "<", "OPTIONAL"),
        (SH.qualifiedMaxCount, ">", ""),
    ):
        bound = s.value(prop, key)
        if bound is None:
            continue
        query = (
            f"SELECT ?this WHERE {{ {focus} {join} {{ ?this {path} ?value FILTER({test}) }} }} "
            f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) {op} {int(bound)})"  # type: ignore[call-overload]
        )
        # more than n qualified values needs more than n values; fewer than n, any number
        counts = (int(bound) + 1, None) if key == SH.qualifiedMaxCount else None  # type: ignore[call-overload]
        yield make(query, key, counts)  # type: ignore[operator]


def _sparql_check(
    compiler: _Compiler,
    shape: Node,
    constraint: Node,
    focus: str,
    path: str | None,
    severity: URIRef,
) -> Check:
    s = compiler.shapes
    # a set-wise form of the same constraint, where the shapes give one (ADR 0010); for focus
    # nodes bound first, the standard form, written for a pre-bound $this
    set_select = None if compiler.bound else s.value(constraint, SET_SELECT)
    select = set_select or s.value(constraint, SH.select)
    if select is None:
        raise Unsupported(f"SPARQL constraint {constraint!r} has no sh:select")
    text = str(select)
    if re.search(r"\$(currentShape|shapesGraph)\b", text):
        raise Unsupported("$currentShape and $shapesGraph are not compiled")
    if path is not None:
        text = re.sub(r"\$PATH\b", path, text)
    inner = text.replace("$this", "?this")
    # the focus nodes open the WHERE group, so ?this is bound wherever the query reads $this
    # (pySHACL pre-binds it; a sub-select joined afterwards would see it unbound in FILTERs)
    opening = re.search(r"\bWHERE\s*\{", inner, flags=re.IGNORECASE) or re.search(r"\{", inner)
    if opening is None:
        raise Unsupported(f"SPARQL constraint {constraint!r} has no WHERE group")
    at = opening.end()
    query = f"{prefixes(s, constraint)}\n{inner[:at]} {focus} {inner[at:]}"
    path_node = s.value(shape, SH.path) if path is not None else None
    return Check(query, shape, SH.SPARQLConstraintComponent, severity, path_node, constraint)

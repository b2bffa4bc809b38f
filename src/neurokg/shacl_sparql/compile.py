"""Compile SHACL shapes into SPARQL SELECT queries, one per constraint, run set-wise on a store.

Consumes: an rdflib shapes graph (the packaged shapes/ folder, or any other).
Produces: ``Check`` records (one SPARQL SELECT each) that ``run.py`` executes on an Oxigraph store.
Policy: a check returns every violating (focus node, value) pair of its constraint at once, so
the store does the joins in Rust instead of Python visiting each focus node (ADR 0010). What
is compiled is exactly what the shapes use: targets (class, subjects-of, objects-of, node,
SPARQL targets), property paths, and the components listed in ``VALUE_TESTS`` and
``_COUNTED``. A shape using anything else raises ``Unsupported``: it is never skipped in
silence, and the parity tests (tests/test_shacl_sparql.py) hold the results equal to pySHACL's.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

__all__ = ["FOCUS_SLOT", "Check", "Target", "Unsupported", "compile_shapes"]

#: Where a bound query (``Check.bound``) takes its focus nodes: replaced by a ``VALUES ?this``
#: clause (or another pattern binding ``?this``) before it runs (focus.py).
FOCUS_SLOT = "%FOCUS%"


class Unsupported(ValueError):
    """A shape uses a SHACL feature this compiler does not translate."""


@dataclass(frozen=True)
class Target:
    """One target of a shape: its kind (class, subjects, objects, node, select), the class,
    property, node or target node it names, and the pattern binding ``?this`` to it."""

    kind: str
    term: Node
    pattern: str


@dataclass(frozen=True)
class Check:
    """One constraint as a query selecting ``?this`` (and ``?value``, ``?path`` when known)."""

    query: str
    shape: Node  # the sh:sourceShape (node or property shape)
    component: URIRef  # the sh:sourceConstraintComponent
    severity: URIRef
    path: Node | None  # the property shape's sh:path, in the shapes graph
    constraint: Node | None = None  # the sh:sparql node of a SPARQL constraint
    #: sh:or over shapes with property constraints, as sets: per member, the queries selecting
    #: the focus nodes that break it; a focus node breaks the sh:or when it breaks every member
    members: tuple[tuple[str, ...], ...] = ()
    #: the same constraint for given focus nodes (``FOCUS_SLOT`` stands for their ``VALUES``),
    #: written for nodes bound first (NOT EXISTS, not MINUS; sh:select, not nkgsh:setSelect)
    bound: str = ""
    bound_members: tuple[tuple[str, ...], ...] = ()
    #: the shape's targets, to find which focus nodes it targets (focus.py)
    targets: tuple[Target, ...] = ()
    #: for a property shape whose path is one IRI: the check reports a focus node only when
    #: its number of distinct values of that property lies within these bounds (the upper one
    #: None: unbounded), so a node outside them is not asked about (focus.py); None: any count
    counts: tuple[int, int | None] | None = None
    #: the check tests the focus node's own term only (a FILTER reading nothing in the store:
    #: no EXISTS), so its answer about an IRI holds in every store (focus.py keeps it)
    pure: bool = False


#: Value-node components translated to a SPARQL boolean test (``_value_test``).
VALUE_TESTS = (
    SH["class"],
    SH.datatype,
    SH.nodeKind,
    SH.pattern,
    SH["in"],
    SH.minLength,
    SH.maxLength,
    SH.minInclusive,
    SH.maxInclusive,
    SH.minExclusive,
    SH.maxExclusive,
    SH["not"],
    SH["or"],
    SH["and"],
    SH.xone,
    SH.node,
)
_COUNTED = (SH.minCount, SH.maxCount, SH.hasValue, SH.lessThanOrEquals, SH.lessThan)
_IGNORED = {
    RDF.type, RDFS.comment, RDFS.label, SH.message, SH.severity, SH.name, SH.description,
    SH.order, SH.group, SH.path, SH.property, SH.sparql, SH.targetClass, SH.targetNode,
    SH.targetSubjectsOf, SH.targetObjectsOf, SH.target, SH.flags, SH.deactivated,
    SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.declare,
    SH.qualifiedValueShapesDisjoint, *VALUE_TESTS, *_COUNTED,
}  # fmt: skip
#: Parameters compiled at the top level only (a nested shape using one is refused).
_NOT_NESTED = (SH.sparql, SH.qualifiedValueShape)
_NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.BlankNode: "isBlank({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "(isIRI({v}) || isBlank({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}
#: xsd datatypes whose lexical form SPARQL can check with a cast (SHACL: ill-typed fails).
_CASTABLE = {XSD.date, XSD.dateTime, XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.boolean}
_COMPARISONS = {
    SH.minInclusive: ">=",
    SH.maxInclusive: "<=",
    SH.minExclusive: ">",
    SH.maxExclusive: "<",
}


def sparql_term(node: Node) -> str:
    """``node`` in SPARQL syntax (blank nodes are refused: a query cannot name one)."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return str(node.n3())
    raise Unsupported(f"a blank node cannot be named in a query: {node!r}")


def _shacl(key: Node) -> bool:
    """Is ``key`` in the SHACL namespace (other predicates, like nkgsh:fix, are annotations)?"""
    return str(key).startswith(str(SH))


def params(shapes: Graph, node: Node) -> list[tuple[URIRef, Node]]:
    """The (parameter, value) pairs of a shape, in a stable order."""
    return sorted((k, v) for k, v in shapes.predicate_objects(node) if isinstance(k, URIRef))


def _list(shapes: Graph, head: Node) -> list[Node]:
    return list(Collection(shapes, head))


class _Compiler:
    def __init__(self, shapes: Graph, *, bound: bool = False) -> None:
        self.shapes = shapes
        self.bound = bound  # write the queries for focus nodes bound first (Check.bound)
        self._names = itertools.count()

    def var(self) -> str:
        return f"?_v{next(self._names)}"

    # ------------------------------------------------------------------ paths
    def path(self, node: Node) -> str:
        s = self.shapes
        if isinstance(node, URIRef):
            return f"<{node}>"
        if (node, RDF.first, None) in s:
            return "(" + "/".join(self.path(p) for p in _list(s, node)) + ")"
        for key, fmt in (
            (SH.inversePath, "^({})"),
            (SH.zeroOrMorePath, "({})*"),
            (SH.oneOrMorePath, "({})+"),
            (SH.zeroOrOnePath, "({})?"),
        ):
            inner = s.value(node, key)
            if inner is not None:
                return fmt.format(self.path(inner))
        alternatives = s.value(node, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(self.path(p) for p in _list(s, alternatives)) + ")"
        raise Unsupported(f"unknown path {node!r}")

    # ------------------------------------------------------------------ value tests
    def value_test(self, shape: Node, key: URIRef, obj: Node, v: str) -> str:
        """A SPARQL expression true when value ``v`` satisfies constraint ``key obj``."""
        s = self.shapes
        if key == SH["class"]:
            return f"EXISTS {{ {v} <{RDF.type}>/<{RDFS.subClassOf}>* {sparql_term(obj)} }}"
        if key == SH.nodeKind:
            return _NODE_KINDS[obj].format(v=v)  # type: ignore[index]
        if key == SH.datatype:
            test = f"(isLiteral({v}) && sameTerm(datatype({v}), {sparql_term(obj)}))"
            if obj in _CASTABLE:  # a cast of an ill-typed lexical form is an error: false
                cast = f"<{obj}>(str({v}))"
                test = f"({test} && COALESCE(sameTerm({cast}, {cast}), false))"
            return test
        if key == SH.pattern:
            flags = s.value(shape, SH.flags)
            extra = f", {Literal(str(flags)).n3()}" if flags is not None else ""
            return f"(!isBlank({v}) && REGEX(str({v}), {Literal(str(obj)).n3()}{extra}))"
        if key == SH["in"]:
            members = [f"sameTerm({v}, {sparql_term(m)})" for m in _list(s, obj)]
            return "(" + (" || ".join(members) or "false") + ")"
        if key in (SH.minLength, SH.maxLength):
            op = ">=" if key == SH.minLength else "<="
            return f"(!isBlank({v}) && STRLEN(str({v})) {op} {int(obj)})"  # type: ignore[call-overload]
        if key in _COMPARISONS:
            return f"COALESCE({v} {_COMPARISONS[key]} {sparql_term(obj)}, false)"
        if key == SH["not"]:
            return f"!({self.conforms(obj, v)})"
        if key in (SH["or"], SH["and"]):
            parts = [self.conforms(member, v) for member in _list(s, obj)]
            joiner = " || " if key == SH["or"] else " && "
            return "(" + (joiner.join(parts) or ("false" if key == SH["or"] else "true")) + ")"
        if key == SH.xone:
            parts = [f"IF({self.conforms(m, v)}, 1, 0)" for m in _list(s, obj)]
            return "((" + (" + ".join(parts) or "0") + ") = 1)"
        if key == SH.node:
            return self.conforms(obj, v)
        raise Unsupported(f"component {key} is not compiled")

    def conforms(self, shape: Node, v: str) -> str:
        """A SPARQL expression true when ``v`` conforms to ``shape`` (nested shapes)."""
        s = self.shapes
        if s.value(shape, SH.path) is not None:  # a property shape as a member of sh:or etc.
            return self._property_conforms(shape, v)
        parts: list[str] = []
        for key, obj in params(s, shape):
            if key in VALUE_TESTS:
                parts.append(self.value_test(shape, key, obj, v))
            elif key == SH.hasValue:
                parts.append(f"sameTerm({v}, {sparql_term(obj)})")
            elif key == SH.property:
                parts.append(self._property_conforms(obj, v))
            elif _shacl(key) and (
                key not in _IGNORED or key in (SH.sparql, SH.qualifiedValueShape)
            ):
                raise Unsupported(f"nested shape {shape!r} uses {key}")
        return "(" + (" && ".join(parts) or "true") + ")"

    def _property_conforms(self, prop: Node, v: str) -> str:
        s = self.shapes
        path = self.path(s.value(prop, SH.path))  # type: ignore[arg-type]
        parts: list[str] = []
        for key, obj in params(s, prop):
            x = self.var()
            if key == SH.minCount:
                if int(obj) > 1:  # type: ignore[call-overload]
                    raise Unsupported("nested sh:minCount above 1")
                if int(obj) == 1:  # type: ignore[call-overload]
                    parts.append(f"EXISTS {{ {v} {path} {x} }}")
            elif key == SH.maxCount:
                if int(obj) == 0:  # type: ignore[call-overload]
                    parts.append(f"NOT EXISTS {{ {v} {path} {x} }}")
                elif int(obj) == 1:  # type: ignore[call-overload]
                    y = self.var()
                    parts.append(
                        f"NOT EXISTS {{ {v} {path} {x} . {v} {path} {y} "
                        f"FILTER(!sameTerm({x}, {y})) }}"
                    )
                else:
                    raise Unsupported("nested sh:maxCount above 1")
            elif key == SH.hasValue:
                parts.append(
                    f"EXISTS {{ {v} {path} {x} FILTER(sameTerm({x}, {sparql_term(obj)})) }}"
                )
            elif key in VALUE_TESTS:
                test = self.value_test(prop, key, obj, x)
                parts.append(f"NOT EXISTS {{ {v} {path} {x} FILTER(!({test})) }}")
            elif _shacl(key) and (key not in _IGNORED or key in (*_NOT_NESTED, *_COUNTED)):
                raise Unsupported(f"nested property shape {prop!r} uses {key}")
        return "(" + (" && ".join(parts) or "true") + ")"

    # ------------------------------------------------------------------ targets
    def targets(self, shape: Node) -> str | None:
        """The shape's focus nodes as a sub-select of ``?this``, or None without targets."""
        branches = self.target_branches(shape)
        if not branches:
            return None
        union = " UNION ".join("{ " + b + " }" for b in branches)
        # a sub-select the engine runs once per check and hash-joins (a graph of precomputed
        # focus nodes, read with GRAPH, was slower: 0.3 s where this takes 0.14 s at 100k)
        return f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}"

    def target_branches(self, shape: Node) -> list[str]:
        """The shape's targets, each a group pattern binding ``?this``."""
        return [t.pattern for t in self.target_list(shape)]

    def target_list(self, shape: Node) -> list[Target]:
        """The shape's targets (``Target``)."""
        s = self.shapes
        found: list[Target] = []
        classes = list(s.objects(shape, SH.targetClass))
        if (shape, RDF.type, RDFS.Class) in s:
            classes.append(shape)
        for c in classes:
            pattern = f"?this <{RDF.type}>/<{RDFS.subClassOf}>* {sparql_term(c)} ."
            found.append(Target("class", c, pattern))
        for p in s.objects(shape, SH.targetSubjectsOf):
            found.append(Target("subjects", p, f"?this {sparql_term(p)} [] ."))
        for p in s.objects(shape, SH.targetObjectsOf):
            found.append(Target("objects", p, f"[] {sparql_term(p)} ?this ."))
        for n in s.objects(shape, SH.targetNode):
            found.append(Target("node", n, f"BIND({sparql_term(n)} AS ?this)"))
        for target in s.objects(shape, SH.target):
            select = s.value(target, SH.select)
            if select is None:
                raise Unsupported(f"target {target!r} is not a SPARQL target")
            found.append(Target("select", target, "{ " + _body(str(select)) + " }"))
        return found


def _body(select: str) -> str:
    """A SELECT query's text without its prologue, to nest as a sub-select."""
    return re.sub(r"^\s*((PREFIX|BASE)\s+[^\n]*\n\s*)*", "", select, flags=re.IGNORECASE)


def prefixes(shapes: Graph, constraint: Node) -> str:
    """The PREFIX lines a SPARQL constraint declares through ``sh:prefixes``."""
    lines = []
    for owner in shapes.objects(constraint, SH.prefixes):
        for decl in shapes.objects(owner, SH.declare):
            prefix, namespace = shapes.value(decl, SH.prefix), shapes.value(decl, SH.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(set(lines)))


def _severity(shapes: Graph, shape: Node) -> URIRef:
    found = shapes.value(shape, SH.severity)
    return found if isinstance(found, URIRef) else SH.Violation


def _active(shapes: Graph, shape: Node) -> bool:
    return shapes.value(shape, SH.deactivated) != Literal(True)


def compile_shapes(shapes: Graph) -> list[Check]:
    """Every constraint of every targeted shape of ``shapes`` as a ``Check``, each in its
    set-wise form (``query``) and its form for given focus nodes (``bound``)."""
    from .checks import node_checks

    compiler, bound = _Compiler(shapes), _Compiler(shapes, bound=True)
    found: list[Check] = []
    shape_nodes = set(shapes.subjects(RDF.type, SH.NodeShape)) | {
        s
        for key in (
            SH.targetClass,
            SH.targetSubjectsOf,
            SH.targetObjectsOf,
            SH.targetNode,
            SH.target,
        )
        for s in shapes.subjects(key, None)
    }
    for shape in sorted(shape_nodes, key=str):
        focus = compiler.targets(shape)
        if focus is None or not _active(shapes, shape):
            continue
        branches = tuple(compiler.target_list(shape))
        pairs = itertools.zip_longest(
            node_checks(compiler, shape, focus), node_checks(bound, shape, FOCUS_SLOT)
        )
        for whole, one in pairs:
            assert whole is not None and one is not None
            assert (whole.shape, whole.component) == (one.shape, one.component)
            found.append(
                replace(whole, bound=one.query, bound_members=one.members, targets=branches)
            )
    return found


def iter_props(shapes: Graph, shape: Node) -> Iterator[Node]:
    """The active property shapes of ``shape``."""
    return (p for p in shapes.objects(shape, SH.property) if _active(shapes, p))

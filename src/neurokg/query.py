"""Run SPARQL: named queries (``queries/*.rq``) or a researcher's own, locally or on an endpoint.

Consumes: a graph (an rdflib ``Graph`` or ``Dataset``, memory or Oxigraph store) or the URL of a
SPARQL 1.1 endpoint, a query, and parameter bindings as RDF terms.
Produces: rows, each a mapping from variable name to an rdflib term; or plain rows (``plain.py``:
strings) through ``plain_select``, ``plain_named`` and ``plain_run_for``, which on an Oxigraph
store build no rdflib term at all.
Policy: parameters are never pasted into query text. Locally they are bound with rdflib's
``initBindings``; for Oxigraph and endpoints, ``bind_values`` writes them with ``Term.n3()``
(plain values: ``plain.sparql_text``) into ``VALUES`` blocks (the query's, and each subquery's
that projects them: ADR 0007); each term is checked first (``check_term``: IRIs, datatype IRIs
and language tags), so none can end its block.
Local engines refuse a query that would fetch from elsewhere (``SERVICE``, ``FROM`` a graph they
do not hold: ``outgoing.py``) unless made with ``allow_service``; endpoints decide for themselves.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Protocol, Union

from . import resources
from .errors import EndpointError, NeurokgError
from .plain import Iri, PlainRow, Text, is_plain, plain_row, sparql_text
from .prefixes import PREFIX_MAP

if TYPE_CHECKING:  # rdflib (0.2 s) is imported where an rdflib term is made or read
    from importlib.resources.abc import Traversable

    from rdflib import Graph
    from rdflib.plugins.sparql.sparql import Query
    from rdflib.term import Identifier, Node

__all__ = [
    "BAD_IRI_RE",
    "LANG_TAG_RE",
    "BoundQuery",
    "Engine",
    "LocalEngine",
    "QueryDoc",
    "RemoteEngine",
    "Row",
    "bind_rows",
    "bind_values",
    "check_local_query",
    "check_term",
    "describe_query",
    "describe_text",
    "plain_named",
    "plain_run_for",
    "plain_select",
    "run_for",
    "run_query",
]

Row = dict[str, "Node"]
#: A parameter value: an rdflib IRI or literal, or a plain one (``plain.Iri`` or ``plain.Text``).
Value = Union["Node", Iri, Text]

_PREFIXES = {k: v for k, v in PREFIX_MAP.items()}


class Engine(Protocol):
    """Something that answers SPARQL SELECT queries: the local graph or a remote endpoint."""

    @property
    def queries(self) -> Traversable | None:
        """The folder of named queries (None: the packaged ``queries/``)."""

    def select(self, text: str, bindings: Mapping[str, Value]) -> list[Row]:
        """Run ``text`` with ``bindings`` and return its rows."""

    def named(self, name: str, **bindings: Value) -> list[Row]:
        """Run the named query ``name`` with ``bindings``."""


@cache
def _prepared(text: str) -> Query:
    from rdflib.plugins.sparql import prepareQuery  # 0.1 s to import: only when rdflib runs SPARQL

    return prepareQuery(text, initNs=_PREFIXES)


#: Characters SPARQL's IRIREF forbids (and controls and spaces).
BAD_IRI_RE = re.compile(r'[<>"{}|^`\\\x00-\x20]')
#: A language tag as SPARQL's LANGTAG and BCP 47 write it (use with ``fullmatch``).
LANG_TAG_RE = re.compile(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*")
_VARIABLE_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def check_term(name: str, value: Value) -> None:
    """Raise unless ``value`` is an IRI or literal whose ``n3()`` is exactly one SPARQL term.

    ``n3()`` escapes a literal's lexical form, but writes IRIs, datatype IRIs and language tags
    as they are: each is checked here, so no part of a parameter can close the term it is in.
    A plain value is an ``Iri`` (checked here) or a ``Text`` (escaped by pyoxigraph).
    """
    if is_plain(value):
        if isinstance(value, Iri) and BAD_IRI_RE.search(value):
            raise NeurokgError(f"parameter {name!r}: {str(value)!r} is not a valid IRI")
        return
    from rdflib import Literal, URIRef

    if not isinstance(value, URIRef | Literal):
        raise NeurokgError(f"parameter {name!r} must be an IRI or a literal, got {value!r}")
    if isinstance(value, URIRef) and BAD_IRI_RE.search(value):
        raise NeurokgError(f"parameter {name!r}: {str(value)!r} is not a valid IRI")
    if isinstance(value, Literal):
        if value.datatype is not None and BAD_IRI_RE.search(value.datatype):
            raise NeurokgError(
                f"parameter {name!r}: the datatype {str(value.datatype)!r} is not a valid IRI"
            )
        if value.language is not None and not LANG_TAG_RE.fullmatch(value.language):
            raise NeurokgError(
                f"parameter {name!r}: {value.language!r} is not a language tag (e.g. en, pt-BR)"
            )


def _check_bindings(bindings: Mapping[str, Value]) -> None:
    for name, value in bindings.items():
        if not _VARIABLE_RE.fullmatch(name):
            raise NeurokgError(f"{name!r} is not a SPARQL variable name")
        check_term(name, value)


class BoundQuery(str):
    """Query text with values written into ``VALUES`` blocks by ``bind_rows``.

    ``template`` is the text before binding: the values are checked terms (``check_term``), so
    the outgoing parts of the bound text are those of the template, which engines check (and
    cache) instead of parsing every bound text again.
    """

    template: str


def check_local_query(text: str, held_graphs: Callable[[], Collection[str]]) -> None:
    """Refuse ``text`` if running it here would send a request or read a file (``outgoing``).

    Every local engine calls this on every query, unless it was made with ``allow_service``.
    The packaged named queries are not parsed again in every process: a test checks that none
    of them has an outgoing part (``tests/test_queries.py``), and their text is compared here.
    """
    template = text.template if isinstance(text, BoundQuery) else text
    if resources.is_packaged_query(template):
        return
    from .outgoing import refuse_outgoing  # rdflib's SPARQL parser: imported when needed

    refuse_outgoing(
        template, held_graphs, hint="to let a local query send requests, pass --allow-service"
    )


@dataclass(frozen=True)
class LocalEngine:
    """Queries an rdflib graph in this process (memory or Oxigraph store).

    Queries that would fetch from elsewhere (``SERVICE``, ``FROM`` a graph the dataset does not
    hold) are refused unless ``allow_service``.
    """

    graph: Graph
    queries: Traversable | None = None
    allow_service: bool = False

    def _held_graphs(self) -> set[str]:
        from rdflib import Dataset

        if not isinstance(self.graph, Dataset):  # rdflib reads FROM only on datasets
            return set()
        return {str(g.identifier) for g in self.graph.graphs() if len(g)}

    def select(self, text: str, bindings: Mapping[str, Value]) -> list[Row]:
        from rdflib import Literal, URIRef, Variable
        from rdflib.term import Identifier

        _check_bindings(bindings)
        if not self.allow_service:
            check_local_query(text, self._held_graphs)
        try:
            prepared = _prepared(text)
        except Exception as err:  # pyparsing raises its own ParseException subclasses
            raise NeurokgError(f"the query does not parse: {err}") from err
        init: dict[str, Identifier] = {}
        for key, value in bindings.items():
            if is_plain(value):
                value = URIRef(value) if isinstance(value, Iri) else Literal(value)
            assert isinstance(value, Identifier)  # _check_bindings accepted it
            init[Variable(key)] = value
        try:
            result = self.graph.query(prepared, initBindings=init)
            names = [str(v) for v in (result.vars or [])]
            return [_row(names, row) for row in result]
        except OSError as err:  # a SERVICE or FROM that failed (allow_service: urllib's errors)
            raise NeurokgError(f"the query failed: {err}") from err
        except Exception as err:  # rdflib's SERVICE raises bare Exception on an HTTP error
            if not self.allow_service:
                raise
            raise NeurokgError(f"the query failed: {err}") from err

    def named(self, name: str, **bindings: Value) -> list[Row]:
        return self.select(resources.query_text(name, self.queries), bindings)


def _row(names: list[str], row: object) -> Row:
    values: tuple[Node | None, ...] = tuple(row) if isinstance(row, tuple) else (None,)
    return {n: v for n, v in zip(names, values, strict=False) if v is not None}


def bind_values(text: str, bindings: Mapping[str, Value]) -> str:
    """Bind ``bindings`` in ``text`` with ``VALUES`` blocks of terms escaped by ``n3()``.

    One block opens the first ``WHERE`` group, so engines join it first; a query without one
    gets it as a trailing ``VALUES`` clause. Each subquery that projects a bound variable (plain
    ``?name``, not ``AS ?name``) gets the same binding at the start of its own ``WHERE`` group:
    a subquery is evaluated on its own, so without it a path such as ``?member
    rdfs:subClassOf* ?condition`` would be computed for every condition and filtered afterwards.
    That is equivalent, as the outer join keeps only the bound value anyway. Only IRIs and
    literals are accepted, so no value can change the query's structure.
    """
    _check_bindings(bindings)
    if not bindings:
        return text
    return bind_rows(text, list(bindings), [list(bindings.values())])


def bind_rows(text: str, names: Sequence[str], rows: Sequence[Sequence[Value]]) -> BoundQuery:
    """Like ``bind_values``, with several rows of values: the query runs once for all of them.

    Used to ask a named query about many terms or claims in one call (``run_for``).
    """
    for row in rows:
        _check_bindings(dict(zip(names, row, strict=True)))
    columns = {name: sorted({row[i] for row in rows}, key=str) for i, name in enumerate(names)}
    template, text = text, _bind_subqueries(text, columns)
    header = " ".join(f"?{name}" for name in names)
    body = " ".join("(" + " ".join(_text(value) for value in row) + ")" for row in rows)
    block = f"VALUES ({header}) {{ {body} }}"
    match = _WHERE_RE.search(code_only(text))  # never a WHERE in a comment or a string
    if match is None:
        bound = BoundQuery(f"{text.rstrip()}\n{block}\n")
    else:
        bound = BoundQuery(f"{text[: match.end()]}\n  {block}{text[match.end() :]}")
    bound.template = template.template if isinstance(template, BoundQuery) else template
    return bound


def _text(value: Value) -> str:
    """A checked parameter (``check_term``) as SPARQL text."""
    return sparql_text(value) if is_plain(value) else value.n3()


def _bind_subqueries(text: str, columns: Mapping[str, Sequence[Value]]) -> str:
    """Open each subquery's WHERE group that projects a bound variable with its VALUES block;
    subqueries are found in the query's code only (``code_only``), never in a comment."""
    out, last = [], 0
    for match in _SUBQUERY_RE.finditer(code_only(text)):
        projected = [
            name
            for name in sorted(columns)
            if re.search(rf"(?<!\bAS )\?{re.escape(name)}\b", match["projection"], re.IGNORECASE)
        ]
        if not projected:
            continue
        blocks = " ".join(
            f"VALUES ?{name} {{ {' '.join(_text(v) for v in columns[name])} }}"
            for name in projected
        )
        out += [text[last : match.end()], f" {blocks}"]
        last = match.end()
    return "".join([*out, text[last:]])


def run_for(engine: Engine, name: str, variable: str, values: Sequence[Value]) -> list[Row]:
    """Run the named query ``name`` once for every value of its parameter ``variable``."""
    text = _bound_for(engine, name, variable, values)
    return engine.select(text, {}) if text else []


def _bound_for(engine: Engine, name: str, variable: str, values: Sequence[Value]) -> str:
    """The named query ``name`` bound to every one of ``values`` ("" when there are none)."""
    if not values:
        return ""
    rows = [[value] for value in dict.fromkeys(values)]
    return bind_rows(resources.query_text(name, engine.queries), [variable], rows)


def plain_select(engine: Engine, text: str, bindings: Mapping[str, Value]) -> list[PlainRow]:
    """``engine.select`` as plain rows; an Oxigraph store's are made without rdflib terms."""
    from .store import OxigraphEngine  # store imports this module

    if isinstance(engine, OxigraphEngine):
        return engine.select_plain(text, bindings)
    return [plain_row(row) for row in engine.select(text, bindings)]


def plain_named(engine: Engine, name: str, **bindings: Value) -> list[PlainRow]:
    """``engine.named`` as plain rows (``plain_select``)."""
    return plain_select(engine, resources.query_text(name, engine.queries), bindings)


def plain_run_for(
    engine: Engine, name: str, variable: str, values: Sequence[Value]
) -> list[PlainRow]:
    """``run_for`` as plain rows (``plain_select``)."""
    text = _bound_for(engine, name, variable, values)
    return plain_select(engine, text, {}) if text else []


_WHERE_RE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_SUBQUERY_RE = re.compile(
    r"\{\s*SELECT\b(?P<projection>[^{}]*?)\bWHERE\s*\{", re.IGNORECASE | re.DOTALL
)
#: SPARQL's long strings, strings, IRIs and comments (its STRING_LITERAL_LONG*, STRING_LITERAL*,
#: IRIREF and COMMENT terminals), in the order a lexer tries them at one position.
_NOT_CODE_RE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n\r]*",
    re.DOTALL,
)


def code_only(text: str) -> str:
    """``text`` with every comment, string and IRI blanked, character for character: positions
    found in it are positions in ``text``, and no keyword is found inside a comment or string."""
    return _NOT_CODE_RE.sub(lambda m: " " * len(m[0]), text)


def _term(binding: Mapping[str, str]) -> Identifier:
    from rdflib import BNode, Literal, URIRef

    kind = binding["type"]
    if kind == "uri":
        return URIRef(binding["value"])
    if kind == "bnode":
        return BNode(binding["value"])
    datatype = binding.get("datatype")
    return Literal(
        binding["value"],
        lang=binding.get("xml:lang"),
        datatype=URIRef(datatype) if datatype else None,
    )


@dataclass(frozen=True)
class RemoteEngine:
    """Queries a SPARQL 1.1 endpoint through SPARQLWrapper (JSON results)."""

    endpoint: str
    timeout: float = 30.0
    queries: Traversable | None = None
    default_graphs: Sequence[str] = field(default_factory=tuple)

    def select(self, text: str, bindings: Mapping[str, Value]) -> list[Row]:
        from SPARQLWrapper import JSON, POST, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        client = SPARQLWrapper(self.endpoint)
        client.setQuery(bind_values(text, bindings))
        client.setMethod(POST)
        client.setReturnFormat(JSON)
        client.setTimeout(int(self.timeout))
        for graph in self.default_graphs:
            client.addDefaultGraph(graph)
        try:
            payload = client.queryAndConvert()
        except (SPARQLWrapperException, OSError) as err:  # urllib's errors are OSErrors
            raise EndpointError(f"SPARQL endpoint {self.endpoint} failed: {err}") from err
        except json.JSONDecodeError as err:
            raise EndpointError(f"SPARQL endpoint {self.endpoint} did not answer JSON") from err
        if not isinstance(payload, dict) or "results" not in payload:
            raise EndpointError(f"SPARQL endpoint {self.endpoint} answered no SELECT results")
        return [{k: _term(v) for k, v in row.items()} for row in payload["results"]["bindings"]]

    def named(self, name: str, **bindings: Value) -> list[Row]:
        return self.select(resources.query_text(name, self.queries), bindings)


def run_query(graph: Graph, name: str, **bindings: Value) -> list[Row]:
    """Run the named query ``name`` on ``graph`` with ``bindings`` (STYLE.md's entry point)."""
    return LocalEngine(graph).named(name, **bindings)


@dataclass(frozen=True)
class QueryDoc:
    """What a named query's header comment says: its question, parameters and columns."""

    name: str
    question: str
    params: list[str]
    columns: list[str]


_PARAM_RE = re.compile(r"\?(\w+)")


def describe_query(name: str, queries: Traversable | None = None) -> QueryDoc:
    """Read the header comment of the named query ``name``."""
    return describe_text(name, resources.query_text(name, queries))


def describe_text(name: str, text: str) -> QueryDoc:
    """Read the header comment of the query ``text`` (a named query's, or a file's)."""
    question: list[str] = []
    params: list[str] = []
    columns: list[str] = []
    current: list[str] = question
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line.lstrip("#").strip()
        if body.startswith("params:"):
            params = [p for p in _PARAM_RE.findall(body)]
            current = params
            continue
        if body.startswith("columns:"):
            columns = _column_names(body.removeprefix("columns:"))
            current = columns
            continue
        if current is question:
            question.append(body)
        elif current is columns:
            columns.extend(_column_names(body))
        else:
            params.extend(_PARAM_RE.findall(body))
    return QueryDoc(name, " ".join(question), params, columns)


def _column_names(text: str) -> list[str]:
    """``a, b (x | y), c`` -> ``[a, b, c]``: a column's note in parentheses is not its name."""
    return [c.split()[0] for c in text.split(",") if c.strip()]

"""Every SPARQL query form on every engine: SELECT rows, an ASK boolean, CONSTRUCT/DESCRIBE triples.

Consumes: an engine (``query.LocalEngine``, ``store.OxigraphEngine``, ``query.RemoteEngine``), a
query text and bindings (variable -> rdflib term).
Produces: a ``QueryResult``: the form, and the rows, the boolean or the triples; ``format`` writes
it (rows: ``results.FORMATS``; a boolean: ``yes``/``no`` in a table, the SPARQL 1.1 JSON boolean,
``true``/``false`` in CSV and TSV; triples: Turtle in a table, N-Triples, or JSON-LD for ``json``).
Policy: values are bound by a SPARQL parser, never written into the text: rdflib's
``initBindings`` (memory graphs) and Oxigraph's ``substitutions`` (SEP-0007); only an endpoint
gets ``VALUES`` blocks (``query.bind_values``). A variable to bind must be one of the query's, as
rdflib's parser reads it (a ``?name`` in a comment or a string is not one). The outgoing-request
check (``query.check_local_query``) runs first for local engines.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from rdflib import Graph, Variable
from rdflib.term import Identifier, Node

from .errors import EndpointError, NeurokgError
from .namespaces import PREFIX_MAP, bind_prefixes
from .query import Engine, LocalEngine, RemoteEngine, Row, bind_values, check_local_query

__all__ = ["FORMS", "GRAPH_FORMATS", "QueryResult", "check_variables", "query_form", "run_any"]

FORMS: Final = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
#: Output format name -> rdflib serializer, for CONSTRUCT and DESCRIBE results.
GRAPH_FORMATS: Final = {"table": "turtle", "turtle": "turtle", "nt": "nt", "json": "json-ld"}

Triple = tuple[Node, Node, Node]


def _parse(text: str) -> Any:
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        return parseQuery(text)
    except (ParseBaseException, ValueError) as err:
        raise NeurokgError(f"the query does not parse: {err}") from err


def query_form(text: str) -> str:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``, as rdflib's SPARQL parser reads it."""
    return str(_parse(text)[1].name).removesuffix("Query").upper()


def _variables(node: object, found: set[str]) -> set[str]:
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, Variable):
            found.add(str(item))
        elif isinstance(item, CompValue):
            stack.extend(dict.values(item))
        elif isinstance(item, list | tuple):
            stack.extend(item)
        elif hasattr(item, "values") and hasattr(item, "__iter__"):  # ParseResults
            stack.extend(item)
    return found


def check_variables(text: str, names: Sequence[str] | Mapping[str, object]) -> None:
    """Raise unless each of ``names`` is a variable of the query ``text`` (comments and strings
    do not count: the parse tree is read, not the text)."""
    if not names:
        return
    held = _variables(_parse(text), set())
    for name in names:
        if name not in held:
            raise NeurokgError(f"the query has no variable ?{name} to bind")


@dataclass(frozen=True)
class QueryResult:
    """What a query returned: rows (SELECT), a boolean (ASK) or triples (CONSTRUCT, DESCRIBE).

    ``params`` says how each parameter's text was read (``params.Param``); ``labels`` maps the
    IRIs of the rows to their labels (terms and relations), read on first use.
    """

    form: str
    rows: list[Row] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[Triple] = field(default_factory=list)
    params: Mapping[str, Any] = field(default_factory=dict)
    _names: Any = field(default=None, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.triples) if self.form in ("CONSTRUCT", "DESCRIBE") else len(self.rows)

    def check_size(self, max_rows: int) -> None:
        """Raise ``QueryLimitError`` when there are more rows (or triples) than ``max_rows``."""
        from .limits import _capped

        _capped(list(range(len(self))), max_rows)

    def with_params(self, params: Mapping[str, Any], names: Any) -> QueryResult:
        return dataclasses.replace(self, params=dict(params), _names=names)

    def labels(self) -> dict[str, str]:
        """IRI -> label of every term and relation in the rows (for tables)."""
        return self._names.labels(self.rows) if self._names is not None and self.rows else {}

    def graph(self) -> Graph:
        """The triples of a CONSTRUCT or DESCRIBE, as an rdflib graph with the project prefixes."""
        graph = bind_prefixes(Graph())
        for triple in self.triples:
            graph.add(triple)
        return graph

    def format(self, fmt: str = "table", max_width: int = 60) -> str:
        """The result as text: ``table``, ``json``, ``csv``, ``tsv`` (rows and booleans);
        ``table``/``turtle``, ``nt`` or ``json`` (JSON-LD) for triples."""
        if self.form == "ASK":
            return _boolean(bool(self.boolean), fmt)
        if self.form in ("CONSTRUCT", "DESCRIBE"):
            if fmt not in GRAPH_FORMATS:
                raise NeurokgError(
                    f"a {self.form} query returns triples: use --format " + ", ".join(GRAPH_FORMATS)
                )
            text = self.graph().serialize(format=GRAPH_FORMATS[fmt])
            return text if text.endswith("\n") else text + "\n"
        from .results import format_rows, row_columns

        labels = self.labels() if fmt == "table" else None
        return format_rows(
            self.rows, self.columns or row_columns(self.rows), fmt, labels, max_width
        )


def _boolean(value: bool, fmt: str) -> str:
    if fmt == "json":
        return '{\n  "head": {},\n  "boolean": ' + ("true" if value else "false") + "\n}\n"
    if fmt == "table":
        return ("yes" if value else "no") + "\n"
    if fmt in ("csv", "tsv"):
        return ("true" if value else "false") + "\n"
    raise NeurokgError("an ASK query returns yes or no: use --format table, json, csv or tsv")


def run_any(
    engine: Engine, text: str, bindings: Mapping[str, Node], *, name: str | None = None
) -> QueryResult:
    """Run ``text`` (the named query ``name``, when given) of any form on ``engine``."""
    from .results import query_columns

    if name is not None:
        return QueryResult("SELECT", engine.named(name, **bindings), query_columns(text) or [])
    form = query_form(text) if isinstance(engine, RemoteEngine) else _local_form(text)
    if form == "SELECT":
        return QueryResult("SELECT", engine.select(text, bindings), query_columns(text) or [])
    if isinstance(engine, RemoteEngine):
        return _remote(engine, text, bindings, form)
    if isinstance(engine, LocalEngine):
        return _rdflib(engine, text, bindings)
    return _oxigraph(engine, text, bindings)


def _local_form(text: str) -> str:
    try:
        return query_form(text)
    except NeurokgError:
        return "SELECT"  # an engine's own syntax: the engine judges it


def _check_local(engine: Any, text: str) -> None:
    if not engine.allow_service:
        check_local_query(text, engine._held_graphs)


def _rdflib(engine: LocalEngine, text: str, bindings: Mapping[str, Node]) -> QueryResult:
    from .query import _check_bindings, _prepared

    _check_bindings(bindings)
    _check_local(engine, text)
    init: dict[str, Identifier] = {}
    for key, value in bindings.items():
        assert isinstance(value, Identifier)
        init[Variable(key)] = value
    result = engine.graph.query(_prepared(text), initBindings=init)
    if result.type == "ASK":
        return QueryResult("ASK", boolean=bool(result.askAnswer))
    triples: list[Triple] = []
    for found in result:
        assert isinstance(found, tuple)  # a CONSTRUCT or DESCRIBE result is triples
        s, p, o = found
        triples.append((s, p, o))
    return QueryResult(str(result.type), triples=triples)


def _oxigraph(engine: Any, text: str, bindings: Mapping[str, Node]) -> QueryResult:
    import pyoxigraph as ox

    from .query import _check_bindings
    from .store_terms import to_oxigraph_term, to_rdflib_term

    _check_bindings(bindings)
    _check_local(engine, text)
    substitutions = {ox.Variable(k): to_oxigraph_term(v) for k, v in bindings.items()}
    try:
        answer = engine.store.query(
            text,
            use_default_graph_as_union=True,
            prefixes=dict(PREFIX_MAP),
            substitutions=substitutions,
        )
    except SyntaxError as err:
        raise NeurokgError(f"the query does not parse: {err}") from err
    except OSError as err:
        raise NeurokgError(f"the query failed: {err}") from err
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult("ASK", boolean=bool(answer))
    if isinstance(answer, ox.QueryTriples):
        triples: list[Triple] = [
            (to_rdflib_term(t.subject), to_rdflib_term(t.predicate), to_rdflib_term(t.object))
            for t in answer
        ]
        return QueryResult(_local_form(text), triples=triples)
    raise NeurokgError("unexpected result from Oxigraph")  # SELECT went to engine.select


def _remote(
    engine: RemoteEngine, text: str, bindings: Mapping[str, Node], form: str
) -> QueryResult:
    from urllib.error import URLError

    from SPARQLWrapper import JSON, N3, POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    client = SPARQLWrapper(engine.endpoint)
    client.setQuery(bind_values(text, bindings))
    client.setMethod(POST)
    client.setReturnFormat(JSON if form == "ASK" else N3)
    client.setTimeout(int(engine.timeout))
    for graph in engine.default_graphs:
        client.addDefaultGraph(graph)
    try:
        payload = client.queryAndConvert()
    except (URLError, SPARQLWrapperException, TimeoutError, OSError, ValueError) as err:
        raise EndpointError(f"SPARQL endpoint {engine.endpoint} failed: {err}") from err
    if form == "ASK":
        if not isinstance(payload, dict) or "boolean" not in payload:
            raise EndpointError(f"SPARQL endpoint {engine.endpoint} answered no ASK result")
        return QueryResult("ASK", boolean=bool(payload["boolean"]))
    if isinstance(payload, Graph):
        answered = payload
    elif isinstance(payload, str | bytes):
        answered = Graph().parse(data=payload, format="turtle")
    else:
        raise EndpointError(f"SPARQL endpoint {engine.endpoint} answered no RDF for {form}")
    triples: list[Triple] = list(answered.triples((None, None, None)))
    return QueryResult(form, triples=triples)

"""Stores: the built dataset in Oxigraph (in memory or on disk) and the engine that queries it.

Consumes: a built rdflib ``Dataset`` (build.py) or N-Quads/TriG files, and an optional folder.
Produces: a ``pyoxigraph.Store`` (persistent when a folder is given) and ``OxigraphEngine``, which
answers the same named queries as ``query.LocalEngine`` with the same rows, 100-1000x faster on
selective joins (PERFORMANCE.md).
Policy: the default graph of a query is the union of the named graphs, as in the rdflib dataset.
Literals typed ``xsd:string`` come back as plain rdflib literals, so rows compare equal across
engines. Never hand an Oxigraph-backed graph to pyshacl (PERFORMANCE.md warning 10).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources.abc import Traversable
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier, Node

from . import resources
from .errors import NeurokgError, SourceError
from .namespaces import META_GRAPH, PREFIX_MAP
from .query import Row, _check_bindings, bind_values, check_local_query

__all__ = [
    "OxigraphEngine",
    "dump_content",
    "load_into_store",
    "open_store",
    "to_oxigraph_term",
    "to_rdflib_term",
]


@lru_cache(maxsize=1 << 16)
def _uri(value: str) -> URIRef:
    return URIRef(value)  # rdflib checks every new IRI: a few µs, paid once per distinct IRI


def to_rdflib_term(term: object) -> Identifier:
    """Convert a pyoxigraph term to the equal rdflib term."""
    if isinstance(term, ox.NamedNode):
        return _uri(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == str(XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=_uri(datatype))
    raise NeurokgError(f"unsupported term from Oxigraph: {term!r}")


def to_oxigraph_term(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert an rdflib IRI, blank node or literal to pyoxigraph."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise NeurokgError(f"cannot bind {term!r} as a query parameter")


def open_store(path: Path | None = None) -> ox.Store:
    """Open (or create) an on-disk store at ``path``, or a new in-memory store."""
    if path is None:
        return ox.Store()
    try:
        path.mkdir(parents=True, exist_ok=True)
        return ox.Store(str(path))
    except OSError as err:
        raise SourceError(path, None, f"cannot open the Oxigraph store: {err}") from err


def load_into_store(dataset: Dataset, store: ox.Store) -> ox.Store:
    """Replace each named graph of ``dataset`` in ``store`` (bulk-loaded from N-Quads)."""
    for context in dataset.graphs():
        name = context.identifier
        if not isinstance(name, URIRef):
            continue
        graph_name = ox.NamedNode(str(name))
        if store.contains_named_graph(graph_name):
            store.remove_graph(graph_name)
        data = context.serialize(format="nt", encoding="utf-8")
        store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=graph_name)
    return store


def dump_content(store: ox.Store) -> bytes:
    """Every graph of ``store`` but ``meta`` as N-Triples, written by Oxigraph (a triple held by
    two graphs appears twice, which RDF reads as one)."""
    meta = ox.NamedNode(str(META_GRAPH))
    graphs: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [ox.DefaultGraph()]
    graphs += [g for g in store.named_graphs() if g != meta]
    return b"".join(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g) or b"" for g in graphs)


def _rows(solutions: ox.QuerySolutions) -> list[Row]:
    names = [v.value for v in solutions.variables]
    rows: list[Row] = []
    for solution in solutions:
        row: Row = {}
        for name in names:
            value = solution[name]
            if value is not None:
                row[name] = to_rdflib_term(value)
        rows.append(row)
    return rows


@dataclass(frozen=True)
class OxigraphEngine:
    """Answers SPARQL on a pyoxigraph ``Store``, the union of its named graphs as default graph."""

    store: ox.Store
    queries: Traversable | None = None
    allow_service: bool = False  # SERVICE and FROM a graph not held: see query.check_local_query

    def _held_graphs(self) -> set[str]:
        return {g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode)}

    def select(self, text: str, bindings: Mapping[str, Node]) -> list[Row]:
        _check_bindings(bindings)
        if not self.allow_service:
            check_local_query(text, self._held_graphs)
        return self._solve(bind_values(text, bindings))

    def _solve(self, text: str) -> list[Row]:
        # Not inlined in select: the parser's garbage (cyclic tracebacks) keeps select's frame
        # alive, and pyoxigraph refuses to free its results in the thread that collects it.
        try:
            solutions = self.store.query(
                text,
                use_default_graph_as_union=True,
                prefixes=dict(PREFIX_MAP),
            )
            if not isinstance(solutions, ox.QuerySolutions):
                raise NeurokgError("only SELECT queries return rows")
            return _rows(solutions)
        except SyntaxError as err:
            raise NeurokgError(f"the query does not parse: {err}") from err
        except OSError as err:  # a SERVICE that failed (allow_service), or the store on disk
            raise NeurokgError(f"the query failed: {err}") from err

    def named(self, name: str, **bindings: Node) -> list[Row]:
        return self.select(resources.query_text(name, self.queries), bindings)

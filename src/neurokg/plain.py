"""Plain rows: query results as Python strings, for the commands that only read and print them.

Consumes: rows of rdflib terms (``query.Row``: an rdflib graph, an endpoint) or of pyoxigraph
terms (``store.OxigraphEngine.select_plain``), and parameter values.
Produces: ``PlainRow``s, each a mapping from variable name to the term's text: an IRI as an
``Iri`` (a ``str`` that says it is an IRI), a literal as its lexical form, a blank node as its
label, which is what ``str()`` of the rdflib term gives. A parameter is an ``Iri`` or a ``Text``
(a string literal), written into a query as SPARQL by pyoxigraph (``sparql_text``); a bare ``str``
is neither, and is refused, since it could be meant as either.
Policy: ``ask``, claim pages and name look-up read nothing of a term but its text and whether it
is an IRI, so on an Oxigraph store they never build an rdflib term and never import rdflib (0.2 s,
two thirds of the start-up budget: issue 13). ``plain_value`` accepts both kinds of row, so code
that reads plain rows may be given rdflib rows too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pyoxigraph as ox

if TYPE_CHECKING:
    from rdflib.term import Node
    from typing_extensions import TypeIs  # the annotation only: not a dependency at run time

__all__ = ["Iri", "PlainRow", "Text", "is_plain", "plain_row", "plain_value", "sparql_text"]


class Iri(str):
    """An IRI in a plain row or parameter: its ``str`` is the IRI itself."""

    __slots__ = ()


class Text(str):
    """A string literal as a query parameter (``xsd:string``)."""

    __slots__ = ()


PlainRow = dict[str, str]


def plain_value(value: object) -> str:
    """``value`` (a plain value, an rdflib term or a pyoxigraph term) as a plain value."""
    if isinstance(value, Iri) or type(value) is str:
        return value
    if isinstance(value, ox.NamedNode):
        return Iri(value.value)
    if isinstance(value, ox.Literal | ox.BlankNode):
        return value.value
    from rdflib import URIRef  # only an rdflib term gets here: rdflib is imported already

    return Iri(value) if isinstance(value, URIRef) else str(value)


def plain_row(row: Mapping[str, object]) -> PlainRow:
    """``row`` (plain, rdflib or pyoxigraph terms) with plain values."""
    return {name: plain_value(value) for name, value in row.items()}


def sparql_text(value: Iri | Text) -> str:
    """A plain parameter as a SPARQL term: an ``Iri`` as ``<...>``, a ``Text`` as a string
    literal, escaped by pyoxigraph; ``ValueError`` for an IRI that is not one."""
    if isinstance(value, Iri):
        return str(ox.NamedNode(value))
    return str(ox.Literal(value))


def is_plain(value: Node | Iri | Text) -> TypeIs[Iri | Text]:
    """Whether ``value`` is a plain parameter (``Iri`` or ``Text``), not an rdflib term."""
    return isinstance(value, Iri | Text)

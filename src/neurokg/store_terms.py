"""Oxigraph terms <-> rdflib terms, and Oxigraph solutions as rows of rdflib terms.

Consumes: pyoxigraph terms and solutions, or rdflib terms. Produces: the equal term of the other
library; ``query.Row``s.
Policy: literals typed ``xsd:string`` come back as plain rdflib literals, so rows compare equal
across engines. Apart from ``store.py`` so that reading a store as plain rows (``plain.py``)
never imports rdflib.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Final

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier, Node

from .errors import NeurokgError
from .query import Row
from .store import converted_rows

__all__ = ["solution_rows", "to_oxigraph_term", "to_rdflib_term"]

_XSD_STRING: Final = "http://www.w3.org/2001/XMLSchema#string"


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
        if datatype == _XSD_STRING:
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


def solution_rows(solutions: ox.QuerySolutions) -> list[Row]:
    """pyoxigraph solutions as rows of rdflib terms (unbound variables left out)."""
    return converted_rows(solutions, to_rdflib_term)

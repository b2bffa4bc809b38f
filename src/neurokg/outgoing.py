"""Outgoing requests a SPARQL text would make an engine send: ``SERVICE``, ``FROM``, ``LOAD``.

Consumes: the text of a SPARQL query (or update), as a user or a client wrote it.
Produces: the ``Outgoing`` parts of it (``SERVICE <iri>``, ``FROM <iri>``, ``FROM NAMED <iri>``,
``LOAD <iri>``, ``USING <iri>``), found by parsing the text with rdflib's SPARQL parser and walking
the parse tree (never by searching the text: a word in a string or a comment is not a clause);
``refuse_outgoing`` turns them into a ``NeurokgError``.
Policy: both engines send an HTTP request for ``SERVICE`` (Oxigraph and rdflib alike), and rdflib
fetches (or reads from disk) any ``FROM``/``FROM NAMED`` graph the dataset does not hold; a local
query must do neither unless asked (``neurokg query --allow-service``), and ``serve`` must never
be made to (server-side request forgery). A text that cannot be checked is refused as well:
  - a text that cannot hold any of those clauses (its letters never spell ``service``, ``from``,
    ``load`` or ``using``, in any case, escapes expanded) is not parsed: cheap and certain;
  - engines differ on ``\\uXXXX`` escapes (rdflib expands them before parsing, as SPARQL 1.1
    §19.2 says; Oxigraph only inside strings and IRIs), so a text that holds one is read both
    ways and refused if either reading has an outgoing part;
  - a text rdflib cannot parse (an Oxigraph-only syntax) is refused, since it cannot be checked.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from functools import lru_cache

from .errors import NeurokgError

__all__ = ["Outgoing", "find_outgoing", "refuse_outgoing"]

#: A text with an outgoing clause spells one of these; one that spells none is not parsed, so
#: rdflib's SPARQL parser (0.5 s to import) is imported only for a text that might hold one.
_KEYWORDS = ("service", "from", "load", "using")

#: Parse-tree node name -> the clause it is, and the field that names its target.
_NODES = {
    "ServiceGraphPattern": ("SERVICE", "term"),
    "Load": ("LOAD", "iri"),
}
_DATASET_NODES = {"DatasetClause": "FROM", "UsingClause": "USING"}


def _parse_errors() -> tuple[type[BaseException], ...]:
    """What rdflib's parser raises on a text it cannot read (its parse actions raise ValueError)."""
    from pyparsing import ParseBaseException

    return (ParseBaseException, ValueError, RecursionError)


@dataclass(frozen=True)
class Outgoing:
    """One part of a query that would make the engine fetch something: clause and target."""

    clause: str
    target: str

    @property
    def reads_a_graph(self) -> bool:
        """``FROM``, ``FROM NAMED``, ``USING``: harmless when the store holds that graph."""
        return self.clause.startswith(("FROM", "USING"))

    def __str__(self) -> str:
        return f"{self.clause} {self.target}"


def _target(value: object) -> str:
    text = getattr(value, "n3", None)
    return str(text()) if callable(text) else str(value)


def _walk(tree: object) -> Iterator[Outgoing]:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            fields = dict.items(node)
            if node.name in _NODES:
                clause, field = _NODES[node.name]
                silent = " SILENT" if dict.get(node, "silent") else ""
                yield Outgoing(clause + silent, _target(dict.get(node, field)))
            elif node.name in _DATASET_NODES:
                named = dict.get(node, "named")
                clause = _DATASET_NODES[node.name] + (" NAMED" if named is not None else "")
                yield Outgoing(
                    clause, _target(named if named is not None else dict.get(node, "default"))
                )
            stack.extend(value for _, value in fields)
        elif isinstance(node, ParseResults):
            stack.extend(node)
            stack.extend(node.values())  # type: ignore[no-untyped-call]  # named results too
        elif isinstance(node, list | tuple):
            stack.extend(node)


def _parse(text: str) -> object:
    """The parse tree of ``text`` as a query, else as an update (escapes already handled)."""
    from rdflib.plugins.sparql.parser import Query, UpdateUnit

    errors = _parse_errors()
    try:
        return Query.parse_string(text, parse_all=True)
    except errors as as_query:
        try:
            return UpdateUnit.parse_string(text, parse_all=True)
        except errors:
            raise as_query from None


def _readings(text: str) -> list[str]:
    """``text`` as rdflib reads it (escapes expanded first), and as Oxigraph does when they
    differ (an escape is one character inside a token); a text without escapes reads alike."""
    if "\\u" not in text.casefold():  # \uXXXX and \UXXXXXXXX: nothing to expand
        return [text]
    from rdflib.plugins.sparql.parser import expandUnicodeEscapes, expandUnicodeEscapes_re

    try:
        expanded = expandUnicodeEscapes(text)
    except ValueError as err:
        raise NeurokgError(f"the query does not parse: {err}") from err
    if expanded == text:
        return [expanded]
    return [expanded, expandUnicodeEscapes_re.sub("x", text)]


@lru_cache(maxsize=512)
def find_outgoing(text: str, max_parsed: int | None = None) -> tuple[Outgoing, ...]:
    """The outgoing parts of the SPARQL ``text``, in no particular order (see module policy).

    Raises ``NeurokgError`` when the text might hold one but does not parse, or is longer than
    ``max_parsed`` characters (rdflib parses about 50,000 characters a second).
    """
    readings = _readings(text)
    if not any(word in reading.casefold() for reading in readings for word in _KEYWORDS):
        return ()
    if max_parsed is not None and len(text) > max_parsed:
        raise NeurokgError(
            f"the query is too long to be checked for SERVICE, FROM or LOAD ({len(text)} "
            f"characters; the limit for a query that holds those words is {max_parsed})"
        )
    found: dict[Outgoing, None] = {}
    failure: BaseException | None = None
    for reading in readings:
        try:
            found.update(dict.fromkeys(_walk(_parse(reading))))
        except _parse_errors() as err:
            failure = err
    if failure is not None and not found:
        raise NeurokgError(
            "the query cannot be checked for SERVICE, FROM or LOAD (which would make the "
            f"engine fetch from elsewhere): rdflib's SPARQL parser says {failure}"
            + ("; write characters instead of \\u escapes" if len(readings) > 1 else "")
        ) from failure
    return tuple(found)


def refuse_outgoing(
    text: str,
    held_graphs: Callable[[], Collection[str]] | None = None,
    *,
    hint: str = "",
) -> None:
    """Raise ``NeurokgError`` if ``text`` would make the engine send a request or read a file.

    ``held_graphs`` gives the IRIs of the graphs the store holds: ``FROM`` and ``FROM NAMED``
    may name those (the engine reads them from the store). ``hint`` ends the message (what to
    do to allow it).
    """
    outgoing = find_outgoing(text)
    if not outgoing:
        return
    held = set(held_graphs()) if held_graphs is not None else set()
    refused = [
        part for part in outgoing if not (part.reads_a_graph and part.target.strip("<>") in held)
    ]
    if not refused:
        return
    listed = ", ".join(sorted(map(str, refused)))
    reads = any(part.reads_a_graph for part in refused)
    why = "; FROM may only name a graph of the store" if reads else ""
    raise NeurokgError(
        f"the query would make the engine fetch from elsewhere ({listed}): refused{why}"
        + (f"; {hint}" if hint else "")
    )

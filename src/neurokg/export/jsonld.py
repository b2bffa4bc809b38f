"""The JSON-LD file of a release: a compact document with the packaged context inlined.

Consumes: sorted triples (the union of the content graphs, formats.py).
Produces: ``jsonld_document`` (a dict: ``@context`` and a ``@graph`` of one node per subject),
``jsonld_bytes`` (its text, written as ``neurokg.jsonld``) and ``context_document`` (the text of
``ontology/context.jsonld``, also written beside it as ``context.jsonld``).
Policy: properties and values use the context's short keys where it has one, CURIEs elsewhere;
an IRI whose CURIE's local part is not plain is written whole, so every JSON-LD reader expands
it the same way. Nodes and keys are sorted, so the same triples give the same bytes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import cache
from typing import Final

from rdflib import BNode, Literal
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from .. import resources
from ..namespaces import compact

__all__ = [
    "context_document",
    "jsonld_bytes",
    "jsonld_document",
]


@cache
def context_document() -> str:
    """The text of the packaged JSON-LD context (``ontology/context.jsonld``)."""
    path = resources.data_dir("ontology") / "context.jsonld"
    return path.read_text(encoding="utf-8")


@cache
def _context_terms() -> tuple[dict[str, str], dict[str, str]]:
    """Short keys of the context: (IRI-valued property -> key, literal-valued property -> key)."""
    context = json.loads(context_document())["@context"]
    iri_keys: dict[str, str] = {}
    literal_keys: dict[str, str] = {}
    for key, value in context.items():
        if key.startswith("@") or not isinstance(value, dict) or value.get("@prefix"):
            continue
        iri = str(_expand_context_iri(value["@id"], context))
        (iri_keys if value.get("@type") == "@id" else literal_keys)[iri] = key
    return iri_keys, literal_keys


def _expand_context_iri(value: str, context: dict[str, object]) -> str:
    prefix, _, local = value.partition(":")
    definition = context.get(prefix)
    if isinstance(definition, dict) and isinstance(definition.get("@id"), str):
        return f"{definition['@id']}{local}"
    if isinstance(definition, str):
        return f"{definition}{local}"
    return value


_SAFE_LOCAL: Final = re.compile(r"^[A-Za-z0-9_.\-]*$")


def _node_ref(term: Node) -> str:
    """A blank node label, a CURIE, or the full IRI when the CURIE's local part is not plain.

    (rdflib's JSON-LD reader leaves ``doi:`` CURIEs with a slash in the local part
    unexpanded; full IRIs read the same everywhere.)
    """
    if isinstance(term, BNode):
        return f"_:{term}"
    curie = compact(str(term))
    _prefix, _, local = curie.partition(":")
    return curie if curie != str(term) and _SAFE_LOCAL.match(local) else str(term)


def _literal_value(term: Literal) -> object:
    if term.language:
        return {"@value": str(term), "@language": term.language}
    if term.datatype is not None and term.datatype != XSD.string:
        return {"@value": str(term), "@type": compact(str(term.datatype))}
    return str(term)


def _property_entry(predicate: Node, value: Node) -> tuple[str, object]:
    iri_keys, literal_keys = _context_terms()
    if isinstance(value, Literal):
        key = literal_keys.get(str(predicate))
        if key is not None:
            return key, _literal_value(value)
        literal = _literal_value(value)
        return compact(str(predicate)), literal if isinstance(literal, dict) else {
            "@value": literal
        }
    key = iri_keys.get(str(predicate))
    if key is not None:
        return key, _node_ref(value)
    return compact(str(predicate)), {"@id": _node_ref(value)}


def jsonld_document(triples: Sequence[tuple[Node, Node, Node]]) -> dict[str, object]:
    """A compact JSON-LD document of ``triples`` (sorted), with the context inlined."""
    nodes: dict[str, dict[str, list[object]]] = {}
    for s, p, o in triples:
        node = nodes.setdefault(_node_ref(s), {})
        if p == RDF.type and not isinstance(o, Literal):
            node.setdefault("type", []).append(_node_ref(o))
            continue
        key, value = _property_entry(p, o)
        node.setdefault(key, []).append(value)
    graph = []
    for ref in sorted(nodes):
        entry: dict[str, object] = {"id": ref}
        for key in sorted(nodes[ref], key=lambda k: (k != "type", k)):
            values = nodes[ref][key]
            entry[key] = values[0] if len(values) == 1 else values
        graph.append(entry)
    context = json.loads(context_document())["@context"]
    return {"@context": context, "@graph": graph}


def jsonld_bytes(triples: Sequence[tuple[Node, Node, Node]]) -> bytes:
    text = json.dumps(jsonld_document(triples), indent=1, ensure_ascii=False)
    return (text + "\n").encode("utf-8")

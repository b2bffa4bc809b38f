"""Namespaces as rdflib terms, over the one prefix map used in files, queries, exports and output.

The prefix map, ``compact`` and the base IRIs live in ``prefixes.py``, which imports no rdflib;
this module makes rdflib ``Namespace``s of them for the code that builds and reads rdflib graphs.
neurokg's own namespace holds only what the reference ontologies lack.
``CONVERTER`` (a ``curies.Converter``) is built on first use: importing curies (and pydantic)
costs about 0.1 s, more than a whole ``neurokg ask`` may spend. ``compact`` and ``expand`` answer
from the prefix map directly (longest IRI prefix wins, prefix synonyms accepted), which a test
checks against the converter for every prefix.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any, Final

from rdflib import Graph, Namespace, URIRef

from . import prefixes
from .prefixes import ENTITY_PREFIXES, PREFIX_MAP, PREFIX_SYNONYMS, compact, expand_iri

__all__ = [
    "AGENT",
    "BIBO",
    "CLAIM",
    "CLAIM_TERM_SLOTS",
    "CONVERTER",
    "ENTITY_PREFIXES",
    "GRAPH",
    "GRAPH_IRIS",
    "HAS_EVIDENCE",
    "META_GRAPH",
    "NKG",
    "NKGT",
    "OBO",
    "OBOINOWL",
    "PART_OF",
    "PREFIX_MAP",
    "PREFIX_SYNONYMS",
    "PRISM",
    "RELEASE",
    "REPLACED_BY",
    "RO",
    "SOURCE",
    "bind_prefixes",
    "compact",
    "expand",
]

NKG: Final = Namespace(prefixes.NKG_BASE)
NKGT: Final = Namespace(prefixes.NKGT_BASE)
CLAIM: Final = Namespace(prefixes.CLAIM_BASE)
SOURCE: Final = Namespace(prefixes.SOURCE_BASE)
AGENT: Final = Namespace(prefixes.AGENT_BASE)
GRAPH: Final = Namespace(prefixes.GRAPH_BASE)
OBO: Final = Namespace(prefixes.OBO_BASE)
RO: Final = Namespace(prefixes.RO_BASE)
OBOINOWL: Final = Namespace(prefixes.OBOINOWL_BASE)
BIBO: Final = Namespace(prefixes.BIBO_BASE)
PRISM: Final = Namespace(prefixes.PRISM_BASE)

#: The slots of a claim that name a term: subject, object and the term-valued qualifiers (the
#: RDF side of ``curation.TERM_QUALIFIERS``).
CLAIM_TERM_SLOTS: Final = (
    NKG.subject,
    NKG.object,
    NKG.context,
    NKG.lesionSite,
    NKG.target,
    NKG.distinguishedFrom,
)

#: Relations used in code: BFO part of, and RO has evidence (claim or support -> ECO class).
PART_OF: Final = URIRef(prefixes.PART_OF_IRI)
HAS_EVIDENCE: Final = RO["0002558"]
#: IAO 'term replaced by': the replacement an ontology release gives for an obsolete class.
REPLACED_BY: Final = OBO["IAO_0100001"]

#: The named graphs of a built dataset's content, in the order they are written.
GRAPH_IRIS: Final = {
    name: GRAPH[name] for name in ("schema", "terms", "sources", "claims", "direct")
}
#: The graph describing the release itself (versions, content hash); not part of the hash.
META_GRAPH: Final = GRAPH["meta"]
RELEASE: Final = NKG["release"]

if TYPE_CHECKING:
    import curies

    CONVERTER: curies.Converter


@cache
def _converter() -> curies.Converter:
    import curies

    return curies.Converter(
        [
            curies.Record(prefix=p, uri_prefix=u, prefix_synonyms=PREFIX_SYNONYMS.get(p, []))
            for p, u in PREFIX_MAP.items()
        ]
    )


class _LazyConverter:
    """Stands for the converter until it is first used, so importing this module stays cheap."""

    def __getattr__(self, name: str) -> Any:
        return getattr(_converter(), name)


if not TYPE_CHECKING:
    CONVERTER = _LazyConverter()


def expand(curie: str) -> URIRef | None:
    """Return the IRI of ``curie``, or None when its prefix is not in the prefix map."""
    iri = expand_iri(curie)
    return URIRef(iri) if iri is not None else None


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project's prefixes on ``graph`` (for readable serialisations) and return it."""
    for prefix, iri in PREFIX_MAP.items():
        graph.bind(prefix, Namespace(iri), override=True, replace=True)
    return graph

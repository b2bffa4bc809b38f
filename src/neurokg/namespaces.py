"""Namespaces and the one prefix map used in files, queries, exports and CLI output.

Prefixes follow the OBO / bioregistry conventions (``MONDO``, ``HP``, ``UBERON`` ... as OBO PURLs).
neurokg's own namespace holds only what the reference ontologies lack.
``CONVERTER`` (a ``curies.Converter``) is built on first use: importing curies (and pydantic)
costs about 0.1 s, more than a whole ``neurokg ask`` may spend. ``compact`` and ``expand`` answer
from the prefix map directly (longest IRI prefix wins, prefix synonyms accepted), which a test
checks against the converter for every prefix.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any, Final

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

__all__ = [
    "AGENT",
    "BIBO",
    "CLAIM",
    "CLAIM_TERM_SLOTS",
    "CONVERTER",
    "GRAPH",
    "GRAPH_IRIS",
    "HAS_EVIDENCE",
    "META_GRAPH",
    "NKG",
    "NKGT",
    "OBO",
    "OBOINOWL",
    "PART_OF",
    "PRISM",
    "RELEASE",
    "REPLACED_BY",
    "RO",
    "SOURCE",
    "bind_prefixes",
    "compact",
    "expand",
]

NKG: Final = Namespace("https://w3id.org/neurokg/")
NKGT: Final = Namespace("https://w3id.org/neurokg/term/")
CLAIM: Final = Namespace("https://w3id.org/neurokg/claim/")
SOURCE: Final = Namespace("https://w3id.org/neurokg/source/")
AGENT: Final = Namespace("https://w3id.org/neurokg/agent/")
GRAPH: Final = Namespace("https://w3id.org/neurokg/graph/")
OBO: Final = Namespace("http://purl.obolibrary.org/obo/")
RO: Final = Namespace("http://purl.obolibrary.org/obo/RO_")
OBOINOWL: Final = Namespace("http://www.geneontology.org/formats/oboInOwl#")
BIBO: Final = Namespace("http://purl.org/ontology/bibo/")
PRISM: Final = Namespace("http://prismstandard.org/namespaces/basic/2.0/")

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
PART_OF: Final = OBO["BFO_0000050"]
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

_OBO_PREFIXES: Final = ("MONDO", "HP", "UBERON", "MAXO", "ECO", "RO", "BFO", "DOID", "GO", "IAO")

#: CURIE prefix -> IRI prefix. The only prefix map of the project.
PREFIX_MAP: Final[dict[str, str]] = {
    **{prefix: f"{OBO}{prefix}_" for prefix in _OBO_PREFIXES},
    "drugbank": "https://go.drugbank.com/drugs/",
    "ORPHA": "http://www.orpha.net/ORDO/Orphanet_",
    "OMIM": "https://omim.org/entry/",
    "DECIPHER": "https://www.deciphergenomics.org/syndrome/",
    "NKGT": str(NKGT),
    "nkg": str(NKG),
    "PMID": "https://pubmed.ncbi.nlm.nih.gov/",
    "doi": "https://doi.org/",
    "rdfs": str(RDFS),
    "rdf": str(RDF),
    "owl": str(OWL),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "xsd": str(XSD),
    "oboInOwl": str(OBOINOWL),
    "bibo": str(BIBO),
    "prism": str(PRISM),
    "claim": str(CLAIM),
    "source": str(SOURCE),
    "agent": str(AGENT),
    "graph": str(GRAPH),
}

#: Other spellings of a prefix found in sources (curated xrefs write ``Orphanet:``).
PREFIX_SYNONYMS: Final[dict[str, list[str]]] = {
    "ORPHA": ["Orphanet", "ORDO", "ORPHANET"],
    "OMIM": ["MIM"],
}

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


#: CURIE prefix (and each synonym) -> IRI prefix; IRI prefixes, longest first.
_EXPANSIONS: Final = {
    **{syn: PREFIX_MAP[p] for p, syns in PREFIX_SYNONYMS.items() for syn in syns},
    **PREFIX_MAP,
}
_BY_LENGTH: Final = sorted(PREFIX_MAP.items(), key=lambda item: -len(item[1]))

#: Prefixes a curated term, claim or qualifier may use for an entity.
ENTITY_PREFIXES: Final = frozenset({"MONDO", "HP", "UBERON", "MAXO", "drugbank", "NKGT"})


def expand(curie: str) -> URIRef | None:
    """Return the IRI of ``curie``, or None when its prefix is not in the prefix map."""
    prefix, sep, local = curie.partition(":")
    namespace = _EXPANSIONS.get(prefix) if sep else None
    return URIRef(namespace + local) if namespace is not None else None


@lru_cache(maxsize=1 << 16)
def compact(iri: str) -> str:
    """Return the CURIE of ``iri`` when a prefix covers it, else the IRI itself."""
    text = str(iri)
    for prefix, namespace in _BY_LENGTH:
        if text.startswith(namespace):
            return f"{prefix}:{text[len(namespace) :]}"
    return text


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project's prefixes on ``graph`` (for readable serialisations) and return it."""
    for prefix, iri in PREFIX_MAP.items():
        graph.bind(prefix, Namespace(iri), override=True, replace=True)
    return graph

"""The one prefix map of the project, and CURIE <-> IRI, without rdflib.

Consumes: nothing. Produces: the base IRIs of neurokg's namespaces and of the ontologies it
uses, as strings; ``PREFIX_MAP``; ``compact`` and ``expand_iri``.
Policy: prefixes follow the OBO / bioregistry conventions (``MONDO``, ``HP``, ``UBERON`` ... as OBO
PURLs). ``namespaces.py`` builds rdflib's ``Namespace``s from these strings; this module imports
no rdflib, so ``ask`` can compact and expand identifiers without it (``plain.py``). ``compact`` and
``expand_iri`` answer from the prefix map directly (longest IRI prefix wins, prefix synonyms
accepted), which a test checks against a ``curies.Converter`` for every prefix.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Final

__all__ = [
    "AGENT_BASE",
    "BIBO_BASE",
    "CLAIM_BASE",
    "ENTITY_PREFIXES",
    "GRAPH_BASE",
    "NKGT_BASE",
    "NKG_BASE",
    "OBOINOWL_BASE",
    "OBO_BASE",
    "PART_OF_IRI",
    "PREFIX_MAP",
    "PREFIX_SYNONYMS",
    "PRISM_BASE",
    "RO_BASE",
    "SOURCE_BASE",
    "compact",
    "expand_iri",
]

NKG_BASE: Final = "https://w3id.org/neurokg/"
NKGT_BASE: Final = f"{NKG_BASE}term/"
CLAIM_BASE: Final = f"{NKG_BASE}claim/"
SOURCE_BASE: Final = f"{NKG_BASE}source/"
AGENT_BASE: Final = f"{NKG_BASE}agent/"
GRAPH_BASE: Final = f"{NKG_BASE}graph/"
OBO_BASE: Final = "http://purl.obolibrary.org/obo/"
RO_BASE: Final = f"{OBO_BASE}RO_"
OBOINOWL_BASE: Final = "http://www.geneontology.org/formats/oboInOwl#"
BIBO_BASE: Final = "http://purl.org/ontology/bibo/"
PRISM_BASE: Final = "http://prismstandard.org/namespaces/basic/2.0/"

#: BFO part of: the relation of a part-of chain.
PART_OF_IRI: Final = f"{OBO_BASE}BFO_0000050"

_OBO_PREFIXES: Final = ("MONDO", "HP", "UBERON", "MAXO", "ECO", "RO", "BFO", "DOID", "GO", "IAO")

#: CURIE prefix -> IRI prefix. The only prefix map of the project.
PREFIX_MAP: Final[dict[str, str]] = {
    **{prefix: f"{OBO_BASE}{prefix}_" for prefix in _OBO_PREFIXES},
    "drugbank": "https://go.drugbank.com/drugs/",
    "ORPHA": "http://www.orpha.net/ORDO/Orphanet_",
    "OMIM": "https://omim.org/entry/",
    "DECIPHER": "https://www.deciphergenomics.org/syndrome/",
    "NKGT": NKGT_BASE,
    "nkg": NKG_BASE,
    "PMID": "https://pubmed.ncbi.nlm.nih.gov/",
    "doi": "https://doi.org/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "oboInOwl": OBOINOWL_BASE,
    "bibo": BIBO_BASE,
    "prism": PRISM_BASE,
    "claim": CLAIM_BASE,
    "source": SOURCE_BASE,
    "agent": AGENT_BASE,
    "graph": GRAPH_BASE,
}

#: Other spellings of a prefix found in sources (curated xrefs write ``Orphanet:``).
PREFIX_SYNONYMS: Final[dict[str, list[str]]] = {
    "ORPHA": ["Orphanet", "ORDO", "ORPHANET"],
    "OMIM": ["MIM"],
}

#: CURIE prefix (and each synonym) -> IRI prefix; IRI prefixes, longest first.
_EXPANSIONS: Final = {
    **{syn: PREFIX_MAP[p] for p, syns in PREFIX_SYNONYMS.items() for syn in syns},
    **PREFIX_MAP,
}
_BY_LENGTH: Final = sorted(PREFIX_MAP.items(), key=lambda item: -len(item[1]))

#: Prefixes a curated term, claim or qualifier may use for an entity.
ENTITY_PREFIXES: Final = frozenset({"MONDO", "HP", "UBERON", "MAXO", "drugbank", "NKGT"})


def expand_iri(curie: str) -> str | None:
    """Return the IRI of ``curie`` as a string, or None when its prefix is not in the map."""
    prefix, sep, local = curie.partition(":")
    namespace = _EXPANSIONS.get(prefix) if sep else None
    return namespace + local if namespace is not None else None


@lru_cache(maxsize=1 << 16)
def compact(iri: str) -> str:
    """Return the CURIE of ``iri`` when a prefix covers it, else the IRI itself."""
    text = str(iri)
    for prefix, namespace in _BY_LENGTH:
        if text.startswith(namespace):
            return f"{prefix}:{text[len(namespace) :]}"
    return text

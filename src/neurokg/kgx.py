"""KGX node and edge tables (TSV) in the Biolink Model convention, for graph tools.

Consumes: a selected ``KnowledgeGraph`` (export.select_content): its terms, sources and claims.
Produces: ``nodes.tsv`` (id, category, name, description, synonym, xref) and ``edges.tsv`` (id,
subject, predicate, object, original_predicate, negated, knowledge_level, agent_type,
primary_knowledge_source, publications, has_evidence, plus two neurokg columns: nkg_status, the
claim's curation status or the hierarchy edge's status, and nkg_sources, the neurokg source keys or
the note on where a hierarchy edge was read). Multiple values are joined with ``|``.
Policy: categories and predicates are mapped from neurokg's to Biolink Model 4.4.6 names (checked
against the ``biolink-model`` package's schema: see ``BIOLINK_CATEGORIES``/``BIOLINK_PREDICATES``).
One edge per claim with an object term (text-valued claims have no edge) and one per hierarchy
edge (is_a, part_of) of the terms graph. Negative claims are edges with ``negated`` True. neurokg
has no registered infores identifier, so ``primary_knowledge_source`` holds the project's IRI
unless the caller gives one. Rows are sorted, so equal graphs give equal bytes.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Final

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from .build import KIND_CLASSES, SOURCE_CLASSES, KnowledgeGraph
from .namespaces import BIBO, NKG, OBOINOWL, PART_OF, RO, compact

__all__ = [
    "BIOLINK_CATEGORIES",
    "BIOLINK_PREDICATES",
    "DEFAULT_KNOWLEDGE_SOURCE",
    "EDGE_COLUMNS",
    "NODE_COLUMNS",
    "kgx_tables",
]

#: neurokg term class -> Biolink category.
BIOLINK_CATEGORIES: Final[dict[URIRef, str]] = {
    KIND_CLASSES["disease"]: "biolink:Disease",
    KIND_CLASSES["clinical_feature"]: "biolink:PhenotypicFeature",
    KIND_CLASSES["anatomical_site"]: "biolink:AnatomicalEntity",
    KIND_CLASSES["drug"]: "biolink:Drug",
    KIND_CLASSES["procedure"]: "biolink:Procedure",
}
#: neurokg claim or hierarchy predicate -> Biolink predicate. Exact Biolink mappings: RO:0002610,
#: RO:0004026, BFO:0000050, rdfs:subClassOf. Biolink lists RO:0004029 and RO:0002302 as narrow
#: mappings of has_phenotype and treated_by; RO:0003302 (causes or contributes to condition) is
#: mapped to contributes_to, the parent of biolink:causes; nkg:treatedByProcedure has
#: skos:closeMatch biolink:treated_by in the schema.
BIOLINK_PREDICATES: Final[dict[URIRef, str]] = {
    RO["0002610"]: "biolink:correlated_with",
    RO["0003302"]: "biolink:contributes_to",
    RO["0004029"]: "biolink:has_phenotype",
    RO["0004026"]: "biolink:disease_has_location",
    RO["0002302"]: "biolink:treated_by",
    NKG.treatedByProcedure: "biolink:treated_by",
    RDFS.subClassOf: "biolink:subclass_of",
    PART_OF: "biolink:part_of",
}
FALLBACK_CATEGORY: Final = "biolink:NamedThing"
DEFAULT_KNOWLEDGE_SOURCE: Final = str(NKG)
#: Biolink prefixes differ from neurokg's for DrugBank only (Biolink: ``DRUGBANK``).
_BIOLINK_PREFIXES: Final = {"drugbank": "DRUGBANK"}
_SOURCE_KINDS: Final = {iri: kind for kind, iri in SOURCE_CLASSES.items()}
NODE_COLUMNS: Final = ("id", "category", "name", "description", "synonym", "xref")
EDGE_COLUMNS: Final = (
    "id",
    "subject",
    "predicate",
    "object",
    "original_predicate",
    "negated",
    "knowledge_level",
    "agent_type",
    "primary_knowledge_source",
    "publications",
    "has_evidence",
    "nkg_status",
    "nkg_sources",
)
_HAS_EVIDENCE: Final = RO["0002558"]


def _curie(term: Node) -> str:
    curie = compact(str(term))
    prefix, sep, local = curie.partition(":")
    if sep and prefix in _BIOLINK_PREFIXES:
        return f"{_BIOLINK_PREFIXES[prefix]}:{local}"
    return curie


def _cell(values: Iterable[str]) -> str:
    cleaned = sorted({" ".join(v.split()) for v in values if v})
    return "|".join(v.replace("|", "/") for v in cleaned)


def _table(columns: Sequence[str], rows: Iterable[dict[str, str]]) -> bytes:
    lines = ["\t".join(columns)]
    body = sorted("\t".join(row.get(c, "") for c in columns) for row in rows)
    return ("\n".join(lines + body) + "\n").encode("utf-8")


def _nodes(kg: KnowledgeGraph) -> list[dict[str, str]]:
    terms = kg.graph("terms")
    rows: dict[Node, dict[str, str]] = {}
    for cls, category in BIOLINK_CATEGORIES.items():
        for node in terms.subjects(RDF.type, cls):
            rows[node] = {
                "id": _curie(node),
                "category": category,
                "name": _cell(str(o) for o in terms.objects(node, RDFS.label)),
                "description": _cell(str(o) for o in terms.objects(node, SKOS.definition)),
                "synonym": _cell(str(o) for o in terms.objects(node, OBOINOWL.hasExactSynonym)),
                "xref": _cell(str(o) for o in terms.objects(node, OBOINOWL.hasDbXref)),
            }
    return list(rows.values())


def _claim_edges(kg: KnowledgeGraph, knowledge_source: str) -> list[dict[str, str]]:
    claims, sources = kg.graph("claims"), kg.graph("sources")
    rows = []
    for claim in claims.subjects(RDF.type, NKG.Claim):
        obj = claims.value(claim, NKG.object)
        predicate = claims.value(claim, NKG.predicate)
        subject = claims.value(claim, NKG.subject)
        if obj is None or subject is None or not isinstance(predicate, URIRef):
            continue
        if predicate not in BIOLINK_PREDICATES:
            continue
        cited = sorted(set(claims.objects(claim, PROV.wasDerivedFrom)), key=str)
        kinds = {
            _SOURCE_KINDS.get(URIRef(str(k))) for s in cited for k in sources.objects(s, RDF.type)
        }
        publications = [
            f"PMID:{pmid}" if pmid is not None else f"doi:{doi}" if doi is not None else ""
            for s in cited
            for pmid, doi in [(sources.value(s, BIBO.pmid), sources.value(s, BIBO.doi))]
        ]
        status = claims.value(claim, NKG.curationStatus)
        rows.append(
            {
                "id": str(claim),
                "subject": _curie(subject),
                "predicate": BIOLINK_PREDICATES[URIRef(str(predicate))],
                "object": _curie(obj),
                "original_predicate": _curie(predicate),
                "negated": "True" if claims.value(claim, NKG.polarity) == NKG.Negative else "False",
                "knowledge_level": "knowledge_assertion",
                "agent_type": "automated_agent" if kinds == {"ai_answer"} else "manual_agent",
                "primary_knowledge_source": knowledge_source,
                "publications": _cell(publications),
                "has_evidence": _cell(_curie(e) for e in claims.objects(claim, _HAS_EVIDENCE)),
                "nkg_status": str(status).rsplit("/", 1)[-1].lower() if status else "",
                "nkg_sources": _cell(str(sources.value(s, DCTERMS.identifier) or s) for s in cited),
            }
        )
    return rows


def _hierarchy_edges(kg: KnowledgeGraph, knowledge_source: str) -> list[dict[str, str]]:
    terms = kg.graph("terms")
    rows = []
    for axiom in terms.subjects(RDF.type, OWL.Axiom):
        source, predicate = (
            terms.value(axiom, OWL.annotatedSource),
            terms.value(axiom, OWL.annotatedProperty),
        )
        target = terms.value(axiom, OWL.annotatedTarget)
        if predicate not in (RDFS.subClassOf, PART_OF) or not isinstance(target, URIRef):
            continue
        if not isinstance(source, URIRef) or not isinstance(predicate, URIRef):
            continue
        key = f"{source} {predicate} {target}"
        rows.append(
            {
                "id": uuid.uuid5(uuid.NAMESPACE_URL, key).urn,
                "subject": _curie(source),
                "predicate": BIOLINK_PREDICATES[URIRef(str(predicate))],
                "object": _curie(target),
                "original_predicate": _curie(predicate),
                "negated": "False",
                "knowledge_level": "knowledge_assertion",
                "agent_type": "manual_agent",
                "primary_knowledge_source": knowledge_source,
                "nkg_status": _cell(str(o) for o in terms.objects(axiom, NKG.edgeStatus)),
                "nkg_sources": _cell(
                    str(o) for o in terms.objects(axiom, DCTERMS.source) if isinstance(o, Literal)
                ),
            }
        )
    return rows


def kgx_tables(
    kg: KnowledgeGraph, knowledge_source: str = DEFAULT_KNOWLEDGE_SOURCE
) -> dict[str, bytes]:
    """Return ``{"nodes.tsv": ..., "edges.tsv": ...}`` for the selected ``kg``."""
    edges = _claim_edges(kg, knowledge_source) + _hierarchy_edges(kg, knowledge_source)
    ends = {node for row in edges for node in (row["subject"], row["object"])}
    node_rows = _nodes(kg)
    known = {row["id"] for row in node_rows}
    missing = sorted(ends - known)
    node_rows += [{"id": curie, "category": FALLBACK_CATEGORY} for curie in missing]
    return {
        "nodes.tsv": _table(NODE_COLUMNS, node_rows),
        "edges.tsv": _table(EDGE_COLUMNS, edges),
    }

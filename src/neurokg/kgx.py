"""KGX node and edge tables (TSV) in the Biolink Model convention, for graph tools.

Consumes: a selected ``KnowledgeGraph`` (export.select_content): its terms, sources and claims.
Produces: ``nodes.tsv`` (id, category, name, description, synonym, xref), ``edges.tsv`` (id,
subject, predicate, object, original_predicate, negated, knowledge_level, agent_type,
primary_knowledge_source, publications, has_evidence, and three neurokg columns: nkg_claims, the
claim IRIs behind the edge; nkg_status, their curation status or the hierarchy edge's status;
nkg_sources, the neurokg source keys or the note on where a hierarchy edge was read) and
``kgx_context.jsonld``, a JSON-LD context declaring the prefix neurokg mints (``NKGT``), which the
Biolink context lacks. Multiple values are joined with ``|``, KGX's list delimiter.
Policy (docs/kgx.md): categories and predicates are Biolink Model 4.4.6 names, checked against the
``biolink-model`` package's schema, domain and range included. One edge per subject, predicate,
object and polarity: claims that say the same thing, and a hierarchy edge that a claim restates,
become one edge carrying every publication, evidence code and claim id behind them (kgx keys its
graph on subject, predicate and object, so separate rows would be merged and lose all but one).
``negated`` is written only when true (kgx reads any non-empty text, even "False", as true).
``primary_knowledge_source`` is the infores id ``infores:neurokg`` unless the caller gives one;
edges that only AI-written answers support say ``agent_type: automated_agent`` and
``knowledge_level: not_provided``. Rows are sorted, so equal graphs give equal bytes.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from .build import KIND_CLASSES, SOURCE_CLASSES, KnowledgeGraph
from .errors import ExportError
from .namespaces import BIBO, HAS_EVIDENCE, NKG, OBOINOWL, PART_OF, PREFIX_MAP, RO, compact

__all__ = [
    "BIOLINK_CATEGORIES",
    "BIOLINK_PREDICATES",
    "CONTEXT_FILE",
    "DEFAULT_KNOWLEDGE_SOURCE",
    "EDGE_COLUMNS",
    "KGX_FILES",
    "NODE_COLUMNS",
    "kgx_tables",
]

#: neurokg term class -> Biolink category (MAXO is among biolink:Procedure's id prefixes).
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
#: mapped to contributes_to, the parent of biolink:causes. treated_by's range is "chemical or drug
#: or treatment", which biolink:Procedure is outside of (Biolink maps MAxO's root under Procedure
#: and models a Treatment as *having* procedures), so a condition treated by a procedure is
#: biolink:related_to, with nkg:treatedByProcedure kept as the edge's original_predicate.
BIOLINK_PREDICATES: Final[dict[URIRef, str]] = {
    RO["0002610"]: "biolink:correlated_with",
    RO["0003302"]: "biolink:contributes_to",
    RO["0004029"]: "biolink:has_phenotype",
    RO["0004026"]: "biolink:disease_has_location",
    RO["0002302"]: "biolink:treated_by",
    NKG.treatedByProcedure: "biolink:related_to",
    RDFS.subClassOf: "biolink:subclass_of",
    PART_OF: "biolink:part_of",
}
FALLBACK_CATEGORY: Final = "biolink:NamedThing"
#: neurokg's infores id (not yet in the Information Resource Registry: docs/kgx.md).
DEFAULT_KNOWLEDGE_SOURCE: Final = "infores:neurokg"
_INFORES: Final = re.compile(r"infores:[a-z0-9][a-z0-9._-]*")
CONTEXT_FILE: Final = "kgx_context.jsonld"
#: The files ``kgx_tables`` writes, with their media types.
KGX_FILES: Final = {
    "nodes.tsv": "text/tab-separated-values",
    "edges.tsv": "text/tab-separated-values",
    CONTEXT_FILE: "application/ld+json",
}
#: Prefixes neurokg mints, declared in ``kgx_context.jsonld`` (Biolink's context lacks them).
OWN_PREFIXES: Final = ("NKGT",)
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
    "nkg_claims",
    "nkg_status",
    "nkg_sources",
)

EdgeKey = tuple[str, str, str, bool]


@dataclass
class _Edge:
    """What the claims and hierarchy edges behind one (subject, predicate, object, polarity)
    say, gathered before they become a row."""

    original_predicates: set[str] = field(default_factory=set)
    publications: set[str] = field(default_factory=set)
    evidence: set[str] = field(default_factory=set)
    claims: set[str] = field(default_factory=set)
    statuses: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    #: True while every statement behind the edge rests on AI-written answers only.
    ai_only: bool = True


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


def _publication(kg: KnowledgeGraph, source: Node) -> str:
    sources = kg.graph("sources")
    pmid, doi = sources.value(source, BIBO.pmid), sources.value(source, BIBO.doi)
    return f"PMID:{pmid}" if pmid is not None else f"doi:{doi}" if doi is not None else ""


def _add_claims(kg: KnowledgeGraph, edges: dict[EdgeKey, _Edge]) -> None:
    claims, sources = kg.graph("claims"), kg.graph("sources")
    for claim in claims.subjects(RDF.type, NKG.Claim):
        subject, obj = claims.value(claim, NKG.subject), claims.value(claim, NKG.object)
        predicate = claims.value(claim, NKG.predicate)
        if subject is None or obj is None or not isinstance(predicate, URIRef):
            continue  # text-valued claims have no edge
        if predicate not in BIOLINK_PREDICATES:
            continue
        negated = claims.value(claim, NKG.polarity) == NKG.Negative
        key = (_curie(subject), BIOLINK_PREDICATES[predicate], _curie(obj), negated)
        edge = edges.setdefault(key, _Edge())
        cited = set(claims.objects(claim, PROV.wasDerivedFrom))
        kinds = {
            _SOURCE_KINDS.get(URIRef(str(k))) for s in cited for k in sources.objects(s, RDF.type)
        }
        edge.ai_only &= kinds == {"ai_answer"}
        edge.original_predicates.add(_curie(predicate))
        edge.publications.update(_publication(kg, s) for s in cited)
        edge.evidence.update(_curie(e) for e in claims.objects(claim, HAS_EVIDENCE))
        edge.claims.add(str(claim))
        status = claims.value(claim, NKG.curationStatus)
        edge.statuses.add(str(status).rsplit("/", 1)[-1].lower() if status else "")
        edge.sources.update(str(sources.value(s, DCTERMS.identifier) or s) for s in cited)


def _add_hierarchy(kg: KnowledgeGraph, edges: dict[EdgeKey, _Edge]) -> None:
    terms = kg.graph("terms")
    for axiom in terms.subjects(RDF.type, OWL.Axiom):
        source = terms.value(axiom, OWL.annotatedSource)
        predicate = terms.value(axiom, OWL.annotatedProperty)
        target = terms.value(axiom, OWL.annotatedTarget)
        if not isinstance(predicate, URIRef) or predicate not in (RDFS.subClassOf, PART_OF):
            continue
        if not isinstance(source, URIRef) or not isinstance(target, URIRef):
            continue
        biolink = BIOLINK_PREDICATES[predicate]
        edge = edges.setdefault((_curie(source), biolink, _curie(target), False), _Edge())
        edge.ai_only = False
        edge.original_predicates.add(_curie(predicate))
        edge.statuses.update(str(o) for o in terms.objects(axiom, NKG.edgeStatus))
        edge.sources.update(
            str(o) for o in terms.objects(axiom, DCTERMS.source) if isinstance(o, Literal)
        )


def _edge_row(key: EdgeKey, edge: _Edge, knowledge_source: str) -> dict[str, str]:
    subject, predicate, obj, negated = key
    ident = uuid.uuid5(uuid.NAMESPACE_URL, f"{NKG}kgx/{subject} {predicate} {obj} {negated}")
    return {
        "id": ident.urn,
        "subject": subject,
        "predicate": predicate,
        "object": obj,
        "original_predicate": _cell(edge.original_predicates),
        "negated": "True" if negated else "",
        "knowledge_level": "not_provided" if edge.ai_only else "knowledge_assertion",
        "agent_type": "automated_agent" if edge.ai_only else "manual_agent",
        "primary_knowledge_source": knowledge_source,
        "publications": _cell(edge.publications),
        "has_evidence": _cell(edge.evidence),
        "nkg_claims": _cell(edge.claims),
        "nkg_status": _cell(edge.statuses),
        "nkg_sources": _cell(edge.sources),
    }


def kgx_context() -> bytes:
    """The JSON-LD context of the prefixes neurokg mints (``OWN_PREFIXES``)."""
    context = {prefix: {"@id": PREFIX_MAP[prefix], "@prefix": True} for prefix in OWN_PREFIXES}
    return (json.dumps({"@context": context}, indent=1, sort_keys=True) + "\n").encode("utf-8")


def kgx_tables(
    kg: KnowledgeGraph, knowledge_source: str = DEFAULT_KNOWLEDGE_SOURCE
) -> dict[str, bytes]:
    """Return ``KGX_FILES`` (name -> bytes) for the selected ``kg``; ``ExportError`` when
    ``knowledge_source`` is not an infores id."""
    if not _INFORES.fullmatch(knowledge_source):
        raise ExportError(
            f"the KGX knowledge source {knowledge_source!r} is not an infores id "
            "(infores:<name>, e.g. infores:neurokg)"
        )
    grouped: dict[EdgeKey, _Edge] = {}
    _add_claims(kg, grouped)
    _add_hierarchy(kg, grouped)
    edges = [_edge_row(key, edge, knowledge_source) for key, edge in grouped.items()]
    ends = {node for row in edges for node in (row["subject"], row["object"])}
    node_rows = _nodes(kg)
    known = {row["id"] for row in node_rows}
    node_rows += [{"id": curie, "category": FALLBACK_CATEGORY} for curie in sorted(ends - known)]
    return {
        "nodes.tsv": _table(NODE_COLUMNS, node_rows),
        "edges.tsv": _table(EDGE_COLUMNS, edges),
        CONTEXT_FILE: kgx_context(),
    }

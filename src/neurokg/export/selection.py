"""What a release holds: the approved claims (the default) or every claim with its status.

Consumes: a ``KnowledgeGraph`` (build/) and the choice ``all_claims``.
Produces: ``select_content``, a new ``KnowledgeGraph`` with the release content and a fresh meta
graph (version, ontology versions, content hash, claim count, what was selected);
``default_release_date``, the latest curation date of any claim.
Policy: approved: schema, terms and direct layer whole; the approved claims with their
derivations; the sources they cite, the sources terms cite, every reference resource; the
curators of those claims. ``all_claims``: every graph whole. Nothing reads the clock: a graph
with no dated claim gets ``FALLBACK_DATE``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Final

from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, XSD
from rdflib.term import Node

from ..build import KnowledgeGraph
from ..namespaces import GRAPH_IRIS, META_GRAPH, NKG, PREFIX_MAP, RELEASE

__all__ = [
    "FALLBACK_DATE",
    "default_release_date",
    "select_content",
]

#: Used when the graph has no dated claim: a fixed value, never today's clock.
FALLBACK_DATE: Final = date(1970, 1, 1)


def _approved_claims(claims: Graph) -> set[Node]:
    return set(claims.subjects(NKG.curationStatus, NKG.Approved))


def select_content(kg: KnowledgeGraph, *, all_claims: bool = False) -> KnowledgeGraph:
    """Return a new ``KnowledgeGraph`` with the release content and a fresh meta graph.

    Approved (the default): schema, terms and direct layer whole; the approved claims with their
    derivations; the sources they cite, the sources terms cite, every reference resource; the
    curators of those claims. ``all_claims``: every graph whole, claims keep their status.
    """
    dataset = Dataset(default_union=True)
    for prefix, namespace in PREFIX_MAP.items():
        dataset.bind(prefix, Namespace(namespace), override=True, replace=True)
    claims = kg.graph("claims")
    kept_claims = set(claims.subjects(RDF.type, NKG.Claim)) if all_claims else None
    if kept_claims is None:
        kept_claims = _approved_claims(claims)
    keep_claim_triple = _claim_filter(claims, kept_claims)
    keep_source = _source_filter(kg, claims, kept_claims, all_claims)
    for name, graph_iri in GRAPH_IRIS.items():
        target = dataset.graph(graph_iri)
        for s, p, o in kg.graph(name):
            if name == "claims" and not keep_claim_triple(s):
                continue
            if name == "sources" and not keep_source(s):
                continue
            target.add((s, p, o))
    selected = KnowledgeGraph(dataset, kg.version)
    _describe_selection(kg, selected, len(kept_claims), all_claims)
    return selected


def _claim_filter(claims: Graph, kept: set[Node]) -> Callable[[Node], bool]:
    derivations = {d for c in kept for d in claims.objects(c, PROV.qualifiedDerivation)}
    nodes = kept | derivations
    return nodes.__contains__


def _source_filter(
    kg: KnowledgeGraph, claims: Graph, kept: set[Node], all_claims: bool
) -> Callable[[Node], bool]:
    if all_claims:
        return lambda _node: True
    sources = kg.graph("sources")
    wanted: set[Node] = {o for c in kept for o in claims.objects(c, PROV.wasDerivedFrom)}
    wanted |= {o for c in kept for o in claims.objects(c, PROV.wasAttributedTo)}
    wanted |= {o for o in kg.graph("terms").objects(None, DCTERMS.source) if isinstance(o, URIRef)}
    wanted |= set(sources.subjects(RDF.type, NKG.ReferenceResource))
    return wanted.__contains__


def _describe_selection(
    kg: KnowledgeGraph, selected: KnowledgeGraph, claim_count: int, all_claims: bool
) -> None:
    meta = selected.dataset.graph(META_GRAPH)
    original = kg.dataset.graph(META_GRAPH)
    what = "every claim, with its curation status" if all_claims else "approved claims only"
    meta.add((RELEASE, RDF.type, NKG.Release))
    meta.add((RELEASE, OWL.versionInfo, Literal(kg.version)))
    for version in original.objects(RELEASE, NKG.ontologyVersion):
        meta.add((RELEASE, NKG.ontologyVersion, version))
    meta.add((RELEASE, NKG.contentHash, Literal(selected.content_hash())))
    meta.add((RELEASE, NKG.claimCount, Literal(claim_count)))
    meta.add((RELEASE, DCTERMS.description, Literal(f"neurokg release: {what}")))


def default_release_date(kg: KnowledgeGraph) -> date:
    """The latest curation date of any claim in ``kg``, else ``FALLBACK_DATE``."""
    dates = [
        o.toPython()
        for o in kg.graph("claims").objects(None, DCTERMS.date)
        if isinstance(o, Literal) and o.datatype == XSD.date
    ]
    valid = [d for d in dates if isinstance(d, date)]
    return max(valid) if valid else FALLBACK_DATE

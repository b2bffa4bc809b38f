"""Build the dataset of named graphs from the schema and the curated records.

Consumes: the schema ``Graph``, a ``Curation`` (load.py) and the folder of the import modules.
Produces: a new ``KnowledgeGraph`` with the graphs ``schema``, ``terms`` (terms.py), ``sources``
and ``claims`` (claims.py), ``direct``, one per import module, and ``meta`` (versions, content
hash, claim count).
Policy: never mutates its inputs. The direct layer holds the plain triple of each *approved,
positive* claim whose object is a term, and nothing else. Import modules are not part of the
content hash.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph, Literal
from rdflib.namespace import OWL, PROV, RDF, RDFS

from ..load import TEXT_PREDICATES, Claim, Curation
from ..namespaces import AGENT, GRAPH_IRIS, META_GRAPH, NKG, RELEASE, bind_prefixes
from .claims import add_claim, add_source
from .model import KnowledgeGraph, add_all, iri
from .terms import add_lexicon, add_term

__all__ = [
    "build_graph",
]


def _is_direct(claim: Claim) -> bool:
    return (
        claim.status == "approved"
        and claim.polarity == "positive"
        and claim.predicate not in TEXT_PREDICATES
        and claim.object is not None
    )


def _curated_folder(curation: Curation) -> Path | None:
    """The folder holding ``terms/`` (and ``imports/``) of the curated files, if one does."""
    for name in curation.files:
        path = Path(name)
        if path.parent.name == "terms":
            return path.parent.parent
    return None


def build_graph(
    curation: Curation, schema: Graph, version: str, ontology: Path | None = None
) -> KnowledgeGraph:
    """Return a new dataset built from ``schema`` and ``curation``; inputs are left untouched.

    Each import module of ``ontology/imports`` (``ontology``: the curated folder, by default the
    folder of the curated files) is loaded into its own graph ``graph:import/<name>``
    (imports/modules.py); the modules are not part of the content hash.
    """
    dataset = bind_prefixes(Dataset(default_union=True))
    assert isinstance(dataset, Dataset)
    ontology = ontology or _curated_folder(curation)
    if ontology is not None:
        from ..imports.modules import module_graphs

        for module in module_graphs(ontology):
            target = dataset.graph(module.identifier)
            for triple in module:
                target.add(triple)
    schema_graph = dataset.graph(GRAPH_IRIS["schema"])
    for triple in schema:
        schema_graph.add(triple)
    terms = dataset.graph(GRAPH_IRIS["terms"])
    for term in curation.terms:
        add_term(terms, term)
    sources = dataset.graph(GRAPH_IRIS["sources"])
    for source in curation.sources:
        add_source(sources, source)
    for curator in curation.curators:
        agent = AGENT[curator.id]
        add_all(
            sources, [(agent, RDF.type, PROV.Agent), (agent, RDFS.label, Literal(curator.name))]
        )
    add_lexicon(terms, curation)
    claims = dataset.graph(GRAPH_IRIS["claims"])
    direct = dataset.graph(GRAPH_IRIS["direct"])
    for claim in curation.claims:
        add_claim(claims, claim)
        if _is_direct(claim):
            assert claim.object is not None
            direct.add((iri(claim.subject), iri(claim.predicate), iri(claim.object)))
    built = KnowledgeGraph(dataset, version)
    _add_release(built, schema, len(curation.claims))
    return built


def _add_release(built: KnowledgeGraph, schema: Graph, claim_count: int) -> None:
    """Describe the release in the meta graph: versions and the hash of the content graphs."""
    ontology_version = next(schema.objects(None, OWL.versionInfo), Literal("unknown"))
    meta = built.dataset.graph(META_GRAPH)
    add_all(
        meta,
        [
            (RELEASE, RDF.type, NKG.Release),
            (RELEASE, OWL.versionInfo, Literal(built.version)),
            (RELEASE, NKG.ontologyVersion, Literal(str(ontology_version))),
            (RELEASE, NKG.contentHash, Literal(built.content_hash())),
            (RELEASE, NKG.claimCount, Literal(claim_count)),
        ],
    )

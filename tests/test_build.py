"""build/: named graphs, the direct layer, provenance on every claim, and golden output."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, RDF

from neurokg import __version__
from neurokg.build import KnowledgeGraph, build_graph, claim_iri, iri
from neurokg.load import Curation, load_curation, load_schema
from neurokg.namespaces import GRAPH_IRIS, NKG, bind_prefixes

GOLDEN = Path(__file__).parent / "golden"


def test_every_named_graph_is_filled(kg: KnowledgeGraph) -> None:
    for name in GRAPH_IRIS:
        assert len(kg.graph(name)) > 0, name


def test_direct_layer_is_exactly_the_approved_positive_claims(
    kg: KnowledgeGraph, curation: Curation
) -> None:
    expected = {
        (iri(c.subject), iri(c.predicate), iri(c.object))
        for c in curation.claims
        if c.status == "approved" and c.polarity == "positive" and c.object is not None
    }
    assert set(kg.graph("direct")) == expected
    rejected = next(c for c in curation.claims if c.status == "rejected")
    assert rejected.object is not None
    assert (iri(rejected.subject), iri(rejected.predicate), iri(rejected.object)) not in set(
        kg.graph("direct")
    )


def test_every_claim_carries_source_evidence_excerpt_status_and_curator(
    kg: KnowledgeGraph, curation: Curation
) -> None:
    claims = kg.graph("claims")
    for claim in curation.claims:
        node = claim_iri(claim.id)
        assert (node, RDF.type, NKG.Claim) in claims
        assert set(claims.objects(node, PROV.wasDerivedFrom)), claim.id
        assert claims.value(node, NKG.curationStatus) is not None
        assert claims.value(node, PROV.wasAttributedTo) is not None
        for derivation in claims.objects(node, PROV.qualifiedDerivation):
            assert claims.value(derivation, NKG.excerpt) is not None
            assert claims.value(derivation, URIRef(str(iri("RO:0002558")))) is not None


def test_build_is_deterministic_and_leaves_its_inputs_alone(ontology_dir: Path) -> None:
    curation = load_curation([ontology_dir])
    schema = load_schema(ontology_dir / "neurokg.ttl")
    before = len(schema)
    first = build_graph(curation, schema, __version__)
    second = build_graph(curation, schema, __version__)
    assert len(schema) == before
    assert first.content_hash() == second.content_hash()
    assert first.dataset is not second.dataset


def test_content_hash_changes_when_a_claim_changes(mini_dir: Path) -> None:
    schema = load_schema(mini_dir / "neurokg.ttl")
    before = build_graph(load_curation([mini_dir]), schema, "test").content_hash()
    claims = mini_dir / "claims.yaml"
    claims.write_text(
        claims.read_text(encoding="utf-8").replace("status: submitted", "status: under_review"),
        encoding="utf-8",
    )
    after = build_graph(load_curation([mini_dir]), schema, "test").content_hash()
    assert before != after


def test_mini_build_matches_the_golden_dataset(mini_dir: Path, update_golden: bool) -> None:
    built = build_graph(load_curation([mini_dir]), load_schema(mini_dir / "neurokg.ttl"), "golden")
    golden_path = GOLDEN / "mini.trig"
    content = bind_prefixes(Dataset())
    assert isinstance(content, Dataset)
    for name, graph_iri in GRAPH_IRIS.items():
        if name == "schema":
            continue
        target = content.graph(graph_iri)
        for triple in built.dataset.graph(graph_iri):
            target.add(triple)
    if update_golden:
        golden_path.write_bytes(content.serialize(format="trig", encoding="utf-8"))
    golden = Dataset()
    golden.parse(golden_path, format="trig")
    for name, graph_iri in GRAPH_IRIS.items():
        if name == "schema":
            continue
        expected = Graph()
        for triple in golden.graph(graph_iri):
            expected.add(triple)
        actual = Graph()
        for triple in built.dataset.graph(graph_iri):
            actual.add(triple)
        assert isomorphic(actual, expected), f"graph {name} differs from tests/golden/mini.trig"

"""The SHACL shapes: each named shape fires on its bad fixture and stays quiet on its good one.

Fixtures: tests/data/shapes/ (README.md there). Shapes: the packaged shapes/ folder.
"""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from neurokg.build import KnowledgeGraph
from neurokg.load import load_schema
from neurokg.namespaces import GRAPH_IRIS, NKG, RO
from neurokg.resources import data_dir
from neurokg.validate import ValidationReport, check_shapes, load_shapes, validate_graph

FIXTURES = Path(__file__).parent / "data" / "shapes"
SHAPES_NS = "https://w3id.org/neurokg/shapes/"
DIRECT_PREDICATES = {
    RO["0002610"],
    RO["0003302"],
    RO["0004029"],
    RO["0004026"],
    RO["0002302"],
    NKG.treatedByProcedure,
}
FIXTURE_SHAPES = sorted(p.name.split(".")[0] for p in FIXTURES.glob("*.good.ttl"))


def fixture_graph(*paths: Path) -> KnowledgeGraph:
    """Schema + Turtle files; claim-relation triples go to the direct graph (README.md)."""
    dataset = Dataset(default_union=True)
    schema = dataset.graph(GRAPH_IRIS["schema"])
    for triple in load_schema(Path(str(data_dir("ontology"))) / "neurokg.ttl"):
        schema.add(triple)
    direct, claims = dataset.graph(GRAPH_IRIS["direct"]), dataset.graph(GRAPH_IRIS["claims"])
    for path in paths:
        for triple in Graph().parse(path, format="turtle"):
            (direct if triple[1] in DIRECT_PREDICATES else claims).add(triple)
    return KnowledgeGraph(dataset, "test")


def shacl_findings(report: ValidationReport) -> list[str]:
    """The SHACL results only (quality checks are tested in test_validate.py)."""
    return [
        f"{r.check}: {r.record}: {r.message} ({r.value})"
        for r in report.results
        if not r.check.startswith(("qc:", "owl:"))
    ]


def named_shapes() -> set[str]:
    shapes, _ = load_shapes()
    return {
        str(s).removeprefix(SHAPES_NS)
        for s in shapes.subjects(RDF.type, SH.NodeShape)
        if isinstance(s, URIRef)
    }


def test_every_named_shape_has_a_good_and_a_bad_fixture() -> None:
    bad = sorted(p.name.split(".")[0] for p in FIXTURES.glob("*.bad.ttl"))
    assert sorted(named_shapes()) == FIXTURE_SHAPES == bad


def test_base_fixture_conforms() -> None:
    report = validate_graph(fixture_graph(FIXTURES / "base.ttl"), reason=False)
    assert shacl_findings(report) == []
    assert report.conforms


@pytest.mark.parametrize("shape", FIXTURE_SHAPES)
def test_shape_stays_quiet_on_good_fixture(shape: str) -> None:
    kg = fixture_graph(FIXTURES / "base.ttl", FIXTURES / f"{shape}.good.ttl")
    report = validate_graph(kg, reason=False)
    assert shacl_findings(report) == []


@pytest.mark.parametrize("shape", FIXTURE_SHAPES)
def test_shape_fires_on_bad_fixture(shape: str) -> None:
    kg = fixture_graph(FIXTURES / "base.ttl", FIXTURES / f"{shape}.bad.ttl")
    report = validate_graph(kg, reason=False)
    fired = {r.check for r in report.results if r.severity == "violation"}
    assert shape in fired, shacl_findings(report)
    assert not report.conforms
    mine = [r for r in report.results if r.check == shape]
    assert all(r.message and r.fix for r in mine)


def test_shapes_pass_shacl_for_shacl() -> None:
    shapes, _ = load_shapes()
    assert check_shapes(shapes) == []
    conforms, _, _ = pyshacl.validate(Graph(), shacl_graph=shapes, meta_shacl=True)
    assert conforms


def test_check_shapes_reports_a_malformed_shape() -> None:
    shapes, _ = load_shapes()
    broken = Graph()
    broken += shapes
    prop = next(shapes.objects(URIRef(SHAPES_NS + "ClaimShape"), SH.property))
    broken.add((prop, SH.minCount, Literal("one")))
    assert check_shapes(broken) != []


def test_every_shape_and_sparql_constraint_says_what_it_protects() -> None:
    shapes, _ = load_shapes()
    nodes: list[Node] = [
        s for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)
    ]
    nodes += list(shapes.objects(None, SH.sparql))
    missing = [str(n) for n in nodes if shapes.value(n, RDFS.comment) is None]
    assert nodes and missing == []


def test_shape_files_follow_the_naming_rule() -> None:
    folder = Path(str(data_dir("shapes")))
    names = sorted(p.name for p in folder.iterdir() if p.suffix == ".ttl")
    assert names and all(name.endswith("_shape.ttl") for name in names)
    _, loaded = load_shapes()
    assert list(loaded) == names


def test_distinguished_from_names_a_condition() -> None:
    kg = fixture_graph(FIXTURES / "base.ttl", FIXTURES / "ClaimShape.bad.ttl")
    report = validate_graph(kg, reason=False)
    messages = {r.message for r in report.results if r.check == "ClaimShape"}
    assert "What a claim tells its subject apart from is a condition." in messages

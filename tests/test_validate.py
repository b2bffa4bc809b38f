"""validate.py, reason.py and the ``validate`` command over the curated graph and small variants."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click
import owlready2
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH
from rdflib.term import Node

from neurokg.build import KnowledgeGraph
from neurokg.cli_common import EXIT_NONCONFORMANT, EXIT_OK, EXIT_USAGE, Group, Settings, build_from
from neurokg.cli_validate import validate
from neurokg.load import Curation, Origin, load_curation
from neurokg.namespaces import GRAPH_IRIS, NKG, OBO, SOURCE, compact
from neurokg.reason import reason_terms
from neurokg.validate import ValidationReport, origins_from_curation, validate_graph
from test_shapes import fixture_graph

FIXTURES = Path(__file__).parent / "data" / "shapes"

AI_ONLY_CLAIM = """\
claims:
  - id: approved-on-the-founding-answer
    subject: MONDO:0005301
    predicate: RO:0004029
    object: HP:0000643
    status: approved
    curator: neurokg-founding-curation
    date: 2026-11-24
    history:
      - {status: approved, date: 2026-11-24, by: A Curator, why: "a test of the gate"}
    support:
      - source: founding_answer
        evidence: ECO:0000034
        quote: "blepharospasm can be associated with multiple sclerosis (MS)"
"""


@pytest.fixture(scope="module")
def curated_report(kg: KnowledgeGraph, curation: Curation) -> ValidationReport:
    return validate_graph(kg, origins=origins_from_curation(curation))


@pytest.fixture
def ai_only_dir(tmp_path: Path, ontology_dir: Path) -> Path:
    """A copy of the curated files plus a claim approved on the founding answer alone."""
    target = tmp_path / "ontology"
    shutil.copytree(ontology_dir, target)
    (target / "claims" / "extra.yaml").write_text(AI_ONLY_CLAIM, encoding="utf-8")
    return target


def _cli() -> click.Group:
    @click.group(cls=Group)
    @click.pass_context
    def main(ctx: click.Context) -> None:
        ctx.obj = Settings(quiet=True)

    main.add_command(validate)
    return main


# ------------------------------------------------------------------------- the curated graph
@pytest.mark.slow
def test_curated_graph_conforms(curated_report: ValidationReport) -> None:
    violations = [r for r in curated_report.results if r.severity == "violation"]
    assert violations == []
    assert curated_report.conforms
    assert (None, SH.conforms, Literal(True)) in curated_report.report_graph


@pytest.mark.slow
def test_hermit_finds_schema_and_terms_consistent(curated_report: ValidationReport) -> None:
    assert curated_report.reasoner is not None
    assert curated_report.reasoner.status == "consistent"


def test_validation_does_not_change_the_graph(kg: KnowledgeGraph) -> None:
    before = kg.content_hash()
    quads = len(list(kg.dataset.quads((None, None, None, None))))
    validate_graph(kg, reason=False)
    assert kg.content_hash() == before
    assert len(list(kg.dataset.quads((None, None, None, None)))) == quads


def test_pending_claims_are_the_submitted_and_under_review_ones(
    curated_report: ValidationReport, curation: Curation
) -> None:
    expected = sorted(
        f"claim:{c.id}" for c in curation.claims if c.status in ("submitted", "under_review")
    )
    assert expected and sorted(p.claim for p in curated_report.pending) == expected
    first = curated_report.pending[0]
    assert first.origin is not None and first.origin.path.endswith(".yaml")


def test_summary_json_and_text(curated_report: ValidationReport) -> None:
    data = json.loads(curated_report.as_json())
    summary = data["summary"]
    assert summary["conforms"] is True
    assert summary["shapes"] > 30 and len(summary["shape_files"]) == 6
    assert summary["triples"] > 3000
    assert set(summary["seconds"]) >= {"shacl", "quality", "reasoner"}
    assert len(data["pending"]) == len(curated_report.pending)
    text = curated_report.text()
    assert text.startswith("neurokg validate: the graph conforms")
    assert f"Pending review: {len(curated_report.pending)} claims" in text


def test_curated_unused_sources_are_warned(curated_report: ValidationReport) -> None:
    unused = [r for r in curated_report.results if r.check == "qc:unused-source"]
    assert all(r.severity == "warning" and r.record.startswith("source:") for r in unused)
    assert all(r.origin is not None and r.origin.path.endswith("sources.yaml") for r in unused)


# --------------------------------------------------------------------- the AI-written answer
def test_claim_on_the_founding_answer_alone_cannot_be_approved(ai_only_dir: Path) -> None:
    kg = build_from(ai_only_dir)
    report = validate_graph(
        kg, origins=origins_from_curation(load_curation([ai_only_dir])), reason=False
    )
    assert not report.conforms
    hits = [r for r in report.results if r.check == "ApprovedClaimSourceShape"]
    assert [r.record for r in hits] == ["claim:approved-on-the-founding-answer"]
    assert hits[0].origin is not None
    assert hits[0].origin.path.endswith("extra.yaml") and hits[0].origin.line == 2
    assert "AI-written" in hits[0].message and hits[0].fix
    text = report.text()
    assert "DOES NOT CONFORM" in text and "extra.yaml" in text


# ---------------------------------------------------------------------------- quality checks
def _base_plus(*triples: tuple[Node, Node, Node]) -> KnowledgeGraph:
    kg = fixture_graph(FIXTURES / "base.ttl")
    terms = kg.dataset.graph(GRAPH_IRIS["terms"])
    for triple in triples:
        terms.add(triple)
    return kg


def test_qc_duplicate_label_within_a_kind() -> None:
    dystonia = OBO["HP_0001332"]
    kg = _base_plus(
        (dystonia, RDF.type, OWL.Class),
        (dystonia, RDF.type, NKG.ClinicalFeature),
        (dystonia, RDFS.label, Literal("BLEPHAROSPASM")),
        (dystonia, DCTERMS.source, SOURCE["HPO"]),
    )
    report = validate_graph(kg, reason=False)
    dupes = [r for r in report.results if r.check == "qc:duplicate-label"]
    assert len(dupes) == 1 and dupes[0].severity == "warning"
    assert {dupes[0].record, dupes[0].message.split()[3]} == {"HP:0000643", "HP:0001332"}
    assert report.conforms  # a warning, not a violation


def test_qc_same_label_in_different_kinds_is_not_a_duplicate() -> None:
    report = validate_graph(_base_plus(), reason=False)
    assert [r for r in report.results if r.check == "qc:duplicate-label"] == []


def test_qc_undescribed_iri_unused_source_definition_and_parent() -> None:
    kg = _base_plus((OBO["UBERON_0001897"], NKG.abbreviationContext, OBO["UBERON_0001890"]))
    report = validate_graph(kg, reason=False)
    checks = {(r.check, r.severity, r.record) for r in report.results}
    assert ("qc:undescribed", "warning", "UBERON:0001897") in checks
    assert ("qc:unused-source", "warning", "source:founding_answer") in checks
    assert ("qc:definition", "info", "HP:0000643") in checks
    assert ("qc:hierarchy", "info", "HP:0000643") in checks
    assert ("qc:hierarchy", "info", "UBERON:0001897") not in checks  # it has a part_of parent
    assert report.conforms  # quality checks never make a graph non-conformant


def test_qc_a_claim_off_the_convention_is_a_warning_not_a_refusal() -> None:
    dorsal, thalamus = OBO["UBERON_0004703"], OBO["UBERON_0001897"]
    kg = _base_plus(
        (dorsal, NKG.conventionUse, thalamus),
        (dorsal, RDFS.label, Literal("dorsal thalamus")),
    )
    claim = URIRef("https://w3id.org/neurokg/claim/blepharospasm-lesion-dorsal-thalamus")
    kg.dataset.graph(GRAPH_IRIS["claims"]).add((claim, NKG.object, dorsal))
    report = validate_graph(kg, reason=False)
    found = [r for r in report.results if r.check == "qc:convention"]
    assert [(r.severity, r.record) for r in found] == [("warning", compact(str(claim)))]
    assert "for this concept the graph's claims use UBERON:0001897" in found[0].message
    assert not any(r.check == "RefusedIdentifierShape" for r in report.results)


def test_origins_mapping_names_file_and_line() -> None:
    kg = fixture_graph(FIXTURES / "base.ttl", FIXTURES / "CitedSourceShape.bad.ttl")
    origin = Origin("claims/x.yaml", 7)
    report = validate_graph(
        kg, origins={"https://w3id.org/neurokg/claim/ms-has-blepharospasm": origin}, reason=False
    )
    hits = [r for r in report.results if r.check == "CitedSourceShape"]
    assert hits and all(r.origin == origin for r in hits)
    assert {r.value for r in hits} == {"source:ghosh2021"}
    assert str(SOURCE) not in report.text()  # IRIs are written as CURIEs


def test_direct_triple_result_names_the_triple_and_report_graph_describes_it() -> None:
    kg = fixture_graph(FIXTURES / "base.ttl", FIXTURES / "DirectTripleShape.bad.ttl")
    report = validate_graph(kg, reason=False)
    hits = [r for r in report.results if r.check == "DirectTripleShape"]
    assert [r.record for r in hits] == ["direct: MONDO:0005301 RO:0004029 HP:0000643"]
    assert (None, NKG.directSubject, OBO["MONDO_0005301"]) in report.report_graph
    assert (None, NKG.directSubject, None) not in kg.dataset  # only in the copy


# ------------------------------------------------------------------------------ OWL reasoning
@pytest.mark.slow
def test_hermit_finds_two_disjoint_kinds_inconsistent(kg: KnowledgeGraph) -> None:
    terms = Graph()
    terms += kg.graph("terms")
    terms.add((OBO["MAXO_0000943"], RDF.type, NKG.Drug))  # a procedure typed as a drug too
    verdict = reason_terms(kg.graph("schema"), terms)
    assert verdict.status == "inconsistent" and not verdict.ok


@pytest.mark.slow
def test_hermit_names_an_unsatisfiable_class(kg: KnowledgeGraph) -> None:
    terms = Graph()
    terms += kg.graph("terms")
    terms.add((NKG.DrugProcedure, RDF.type, OWL.Class))
    terms.add((NKG.DrugProcedure, RDFS.subClassOf, NKG.Drug))
    terms.add((NKG.DrugProcedure, RDFS.subClassOf, NKG.Procedure))
    verdict = reason_terms(kg.graph("schema"), terms)
    assert verdict.status == "unsatisfiable"
    assert verdict.unsatisfiable == (str(NKG.DrugProcedure),)


def test_missing_java_is_a_warning_and_shacl_goes_on(
    kg: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(owlready2, "JAVA_EXE", "/nonexistent/java")
    report = validate_graph(kg)
    assert report.reasoner is not None and report.reasoner.status == "unavailable"
    warnings = [r for r in report.results if r.check == "owl:reasoner"]
    assert warnings and warnings[0].severity == "warning" and "Java" in warnings[0].message
    assert report.conforms
    assert "Java not found" in report.text()


# ------------------------------------------------------------------------------------- CLI
def test_cli_exit_0_when_the_curated_graph_conforms(runner: CliRunner) -> None:
    result = runner.invoke(_cli(), ["validate", "--no-reason"])
    assert result.exit_code == EXIT_OK, result.output
    assert "the graph conforms" in result.output


def test_cli_exit_3_when_a_claim_is_approved_on_ai_alone(
    runner: CliRunner, ai_only_dir: Path
) -> None:
    result = runner.invoke(
        _cli(), ["validate", "--no-reason", "--ontology", str(ai_only_dir), "--format", "json"]
    )
    assert result.exit_code == EXIT_NONCONFORMANT
    data = json.loads(result.output)
    assert data["summary"]["conforms"] is False
    hit = next(r for r in data["results"] if r["check"] == "ApprovedClaimSourceShape")
    assert hit["file"].endswith("extra.yaml") and hit["line"] == 2


def test_cli_files_and_turtle_report(runner: CliRunner, tmp_path: Path) -> None:
    kg = fixture_graph(FIXTURES / "base.ttl", FIXTURES / "PartOfCycleShape.bad.ttl")
    trig = tmp_path / "bad.trig"
    trig.write_text(kg.dataset.serialize(format="trig"), encoding="utf-8")
    result = runner.invoke(_cli(), ["validate", "--no-reason", "--format", "turtle", str(trig)])
    assert result.exit_code == EXIT_NONCONFORMANT
    report = Graph().parse(data=result.output, format="turtle")
    assert (None, SH.conforms, Literal(False)) in report
    assert len(list(report.subjects(RDF.type, SH.ValidationResult))) >= 2


def test_cli_exit_2_on_unusable_input(runner: CliRunner, tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("this is not turtle .", encoding="utf-8")
    result = runner.invoke(_cli(), ["validate", "--no-reason", str(broken)])
    assert result.exit_code == EXIT_USAGE and "cannot parse" in result.output
    missing = runner.invoke(_cli(), ["validate", str(tmp_path / "missing.trig")])
    assert missing.exit_code == EXIT_USAGE
    empty = tmp_path / "no-shapes"
    empty.mkdir()
    result = runner.invoke(_cli(), ["validate", "--no-reason", "--shapes", str(empty)])
    assert result.exit_code == EXIT_USAGE and "not a shapes folder" in result.output


def test_cli_exit_2_on_shapes_that_fail_shacl_for_shacl(runner: CliRunner, tmp_path: Path) -> None:
    shapes = tmp_path / "shapes"
    shapes.mkdir()
    (shapes / "bad_shape.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<urn:x:S> a sh:NodeShape ; sh:targetClass <urn:x:C> ;\n"
        '  sh:property [ sh:path <urn:x:p> ; sh:minCount "one" ] .\n',
        encoding="utf-8",
    )
    result = runner.invoke(_cli(), ["validate", "--no-reason", "--shapes", str(shapes)])
    assert result.exit_code == EXIT_USAGE and "SHACL-for-SHACL" in result.output


def test_a_malformed_identifier_is_traced_to_the_record_that_uses_it() -> None:
    kg = fixture_graph(FIXTURES / "base.ttl", FIXTURES / "MondoIdentifierShape.bad.ttl")
    origin = Origin("claims/typo.yaml", 3)
    report = validate_graph(
        kg, origins={"https://w3id.org/neurokg/claim/ms-typo": origin}, reason=False
    )
    hits = [r for r in report.results if r.check == "MondoIdentifierShape"]
    assert [(r.record, r.origin) for r in hits] == [("MONDO:005301", origin)]

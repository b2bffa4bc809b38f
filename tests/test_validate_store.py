"""Validation at scale agrees with pyshacl: turbo on the store, and one edited claim.

Every shape fixture (tests/data/shapes/, good and bad) and a synthetic sample with faults are
validated by pyshacl (the reference) and by the fast paths; the result sets must be equal.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import PROV

from neurokg.build import KnowledgeGraph
from neurokg.namespaces import NKG, compact
from neurokg.store import load_into_store, open_store
from neurokg.validate import Result, ValidationReport, validate_graph
from neurokg.validate_store import neighbourhood, validate_claims, validate_store
from test_shapes import FIXTURE_SHAPES, FIXTURES, fixture_graph

Key = tuple[str, str, str, str | None, str | None, str]


def shacl_keys(report: ValidationReport) -> set[Key]:
    """SHACL results (not the quality checks) as comparable tuples."""
    return {_key(r) for r in report.results if not r.check.startswith(("qc:", "owl:"))}


def _key(r: Result) -> Key:
    return (r.check, r.record, r.message, r.value, r.path, r.severity)


def _cases() -> list[tuple[str, str]]:
    return [(shape, kind) for shape in FIXTURE_SHAPES for kind in ("good", "bad")]


def _fixture(shape: str, kind: str) -> KnowledgeGraph:
    return fixture_graph(FIXTURES / "base.ttl", FIXTURES / f"{shape}.{kind}.ttl")


@pytest.mark.parametrize(("shape", "kind"), _cases())
def test_turbo_and_the_store_path_give_pyshacls_results(shape: str, kind: str) -> None:
    kg = _fixture(shape, kind)
    reference = shacl_keys(validate_graph(kg, reason=False, shacl_engine="pyshacl"))
    assert shacl_keys(validate_graph(kg, reason=False, shacl_engine="turbo")) == reference
    store = load_into_store(kg.dataset, open_store())
    assert shacl_keys(validate_store(store)) == reference
    if kind == "bad":
        assert any(check == shape for check, *_ in reference)  # the fixture is not vacuous


@pytest.mark.parametrize("shape", FIXTURE_SHAPES)
def test_one_edited_claim_gets_the_full_validations_results_about_it(shape: str) -> None:
    """For every claim of the bad fixture: the incremental results are exactly the full
    validation's results about the claims the edit touches (same statement, supports, direct
    triple); and together the claims' runs find every claim-level result of the full run."""
    kg = _fixture(shape, "bad")
    store = load_into_store(kg.dataset, open_store())
    full = validate_graph(kg, reason=False)
    claims = sorted(c for c in kg.dataset.subjects(NKG.subject, None) if isinstance(c, URIRef))
    found: set[Key] = set()
    for claim in claims:
        near = neighbourhood(store, [claim])
        markers = near.markers
        assert claim in near.claims and set(near.claims) <= set(near.focus)
        records = {compact(str(n)) for n in near.focus if isinstance(n, URIRef)}
        records |= {
            "direct: " + " ".join(compact(str(markers.value(m, p))) for p in _DIRECT)
            for m in markers.subjects(NKG.directSubject, None)
        }
        expected = {k for k in shacl_keys(full) if k[1] in records}
        got = shacl_keys(validate_claims(store, [claim], shacl_engine="turbo"))
        assert got == expected, claim
        found |= got
    claim_records = {compact(str(c)) for c in claims}
    assert {k for k in shacl_keys(full) if k[1] in claim_records} <= found


_DIRECT = (NKG.directSubject, NKG.directPredicate, NKG.directObject)


@pytest.mark.parametrize("engine", ["sparql", "turbo"])
def test_an_edit_that_breaks_a_claim_is_found_by_validating_that_claim_alone(
    kg: KnowledgeGraph, engine: str
) -> None:
    """Approve a founding-answer claim whose only source is the AI-written answer."""
    store = load_into_store(kg.dataset, open_store())
    claim = URIRef("https://w3id.org/neurokg/claim/founding-ms-blepharospasm-association")
    before = validate_claims(store, [claim], shacl_engine=engine)
    assert before.conforms
    assert [(p.claim, p.status) for p in before.pending] == [
        ("claim:founding-ms-blepharospasm-association", "under_review")
    ]
    graph = ox.NamedNode("https://w3id.org/neurokg/graph/claims")
    status = ox.NamedNode(str(NKG.curationStatus))
    for quad in list(store.quads_for_pattern(ox.NamedNode(str(claim)), status, None)):
        store.remove(quad)
    store.add(ox.Quad(ox.NamedNode(str(claim)), status, ox.NamedNode(str(NKG.Approved)), graph))
    report = validate_claims(store, [claim], shacl_engine=engine)
    assert not report.conforms
    assert {r.check for r in report.results} == {"ApprovedClaimSourceShape"}
    assert {r.record for r in report.results} == {"claim:founding-ms-blepharospasm-association"}
    assert report.pending == ()  # approved now


def test_a_synthetic_sample_with_faults_gets_the_same_results_from_both_engines() -> None:
    """A few hundred claims, one in five broken in a different way, pyshacl vs turbo."""
    kg = fixture_graph(FIXTURES / "base.ttl")
    claims = kg.dataset.graph(URIRef("https://w3id.org/neurokg/graph/claims"))
    base = URIRef("https://w3id.org/neurokg/claim/ms-blepharospasm")
    template = list(claims.triples((base, None, None)))
    assert template, "base.ttl has the claim the sample copies"
    for number in range(300):
        copy = URIRef(f"https://w3id.org/neurokg/claim/sample-{number}")
        for _, p, o in template:
            if number % 5 == 1 and p == NKG.curationStatus:
                o = Literal("approved")  # not one of the status individuals
            if number % 5 == 2 and p == PROV.wasDerivedFrom:
                continue  # no source
            if number % 5 == 3 and p == NKG.subject:
                o = URIRef("http://purl.obolibrary.org/obo/MONDO_123")  # malformed id
            claims.add((copy, p, o))
        if number % 5 == 4:
            claims.add((copy, NKG.frequencyNumerator, Literal(3)))  # no denominator
    reference = shacl_keys(validate_graph(kg, reason=False, shacl_engine="pyshacl"))
    assert len(reference) >= 4 * 60
    assert shacl_keys(validate_graph(kg, reason=False, shacl_engine="turbo")) == reference
    store = load_into_store(kg.dataset, open_store())
    assert shacl_keys(validate_store(store)) == reference

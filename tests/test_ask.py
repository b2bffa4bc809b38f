"""ask.py: the founding question end to end, AI-only claims kept apart, and engine agreement."""

from __future__ import annotations

from pathlib import Path

import pytest

from neurokg.ask import ask
from neurokg.build import KnowledgeGraph, build_graph
from neurokg.load import Curation, load_curation, load_schema
from neurokg.query import LocalEngine
from neurokg.store import OxigraphEngine, load_into_store, open_store


def test_founding_question_is_answered_from_the_literature(
    ox_engine: OxigraphEngine, curation: Curation
) -> None:
    answer = ask(ox_engine, "blepharospasm", "multiple sclerosis")
    assert (answer.subject.id, answer.object.id, answer.answer) == (
        "HP:0000643",
        "MONDO:0005301",
        "yes",
    )
    deciding = [c for c in answer.claims if c.decides]
    assert [c.id for c in deciding] == ["ms-blepharospasm-cohort-2008"]
    assert deciding[0].frequency == (2, 733)
    assert deciding[0].certainty.word == "very low"
    assert deciding[0].certainty.start.startswith("case report")
    assert answer.headline == "REPORTED, VERY UNCERTAIN"
    assert "2 of 733" in answer.summary and "causal is not established" in answer.summary
    sources = {s.key for c in deciding for s in c.sources}
    assert sources == {"mult_scler_2008"}
    founding = {c.id for c in curation.claims if c.id.startswith("founding-")}
    ai_only = {c.id for c in answer.claims if c.ai_only}
    assert ai_only and ai_only <= founding
    assert all(not c.decides for c in answer.claims if c.ai_only)


def test_founding_answer_reports_lesions_treatments_and_the_conflicts(
    ox_engine: OxigraphEngine,
) -> None:
    answer = ask(ox_engine, "blepharospasm", "MS")
    sites = {s["claim"]: s for s in answer.lesion_sites}
    midbrain = sites["blepharospasm-lesion-midbrain-2013"]
    assert {"brainstem", "rostral brainstem"} <= set(midbrain["regions"])
    # issue 13: only lesions of the two terms asked about, not paroxysmal dyskinesia or
    # blepharoclonus in multiple sclerosis
    assert "ms-paroxysmal-dyskinesia-lesion-midbrain-tegmentum" not in sites
    assert {s["condition"] for s in answer.lesion_sites} <= {"Blepharospasm", "multiple sclerosis"}
    assert {s["context"] for s in answer.lesion_sites} <= {None, "multiple sclerosis"}
    treatments = {c.id for c in answer.treatments}
    assert "blepharospasm-botulinum-toxin-a" in treatments
    conflicts = {(c["positive_claim"], c["negative_claim"]) for c in answer.conflicts}
    assert (
        "founding-canalith-repositioning-for-blepharospasm",
        "blepharospasm-not-canalith-repositioning",
    ) in conflicts
    pmids = {s.pmid for c in (*answer.claims, *answer.treatments) for s in c.sources if s.pmid}
    assert len(pmids) >= 2


def test_receipt_lets_anyone_audit_the_answer(
    ox_engine: OxigraphEngine, kg: KnowledgeGraph
) -> None:
    receipt = ask(ox_engine, "blepharospasm", "MS", version="9.9.9").receipt
    assert receipt["graph_sha256"] == kg.content_hash()
    assert receipt["neurokg_version"] == "9.9.9"
    assert {"terms_named", "names_of", "associations_between", "claim_evidence"} <= set(
        receipt["queries"]
    )


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("blepharospasm", "MS", "yes"),
        ("Meige syndrome", "HP:0012048", "yes"),
        # "not a kind of" alone says nothing of co-occurrence: not known, never "no link"
        ("HP:0000643", "HP:0007166", "unknown"),  # blepharospasm is not a paroxysmal dyskinesia
        ("hemifacial spasm", "dystonia", "unknown"),
        ("eyelid apraxia", "blepharospasm", "yes"),  # not a kind of, yet co-occur
        ("HP:0012452", "brainstem", "no"),  # restless legs: no consistent brainstem lesion
        ("MS", "Meige syndrome", "unknown"),
        ("MS", "BPPV", "unknown"),
        ("relapsing-remitting multiple sclerosis", "blepharospasm", "unknown"),
    ],
)
def test_answers_follow_approved_literature_claims(
    ox_engine: OxigraphEngine, first: str, second: str, expected: str
) -> None:
    assert ask(ox_engine, first, second).answer == expected


def test_subtype_claims_count_for_the_parent(ox_engine: OxigraphEngine) -> None:
    answer = ask(ox_engine, "multiple sclerosis", "blepharospasm")
    routes = {c.id: c.route for c in answer.claims}
    assert routes["founding-rrms-blepharospasm-association"].startswith("through subtype")
    assert routes["ms-blepharospasm-cohort-2008"] == "direct"


def test_memory_and_oxigraph_engines_give_the_same_answer(
    local_engine: LocalEngine, ox_engine: OxigraphEngine
) -> None:
    assert (
        ask(local_engine, "blepharospasm", "MS").as_dict()
        == ask(ox_engine, "blepharospasm", "MS").as_dict()
    )


def test_an_approved_claim_backed_only_by_an_ai_answer_never_makes_yes(mini_dir: Path) -> None:
    claims = mini_dir / "claims.yaml"
    text = claims.read_text(encoding="utf-8")
    # drop the literature claim; approve the AI-only one
    text = text.split("  - id: founding-blepharospasm-midbrain")[1]
    claims.write_text(
        "defaults:\n  curator: test-curator\n  date: 2026-11-24\nclaims:\n"
        "  - id: founding-blepharospasm-midbrain" + text.replace("submitted", "approved"),
        encoding="utf-8",
    )
    built = build_graph(load_curation([mini_dir]), load_schema(mini_dir / "neurokg.ttl"), "t")
    engine = OxigraphEngine(load_into_store(built.dataset, open_store()))
    answer = ask(engine, "blepharospasm", "midbrain")
    assert [c.id for c in answer.claims] == ["founding-blepharospasm-midbrain"]
    assert answer.claims[0].status == "approved" and answer.claims[0].ai_only
    assert answer.answer == "unknown"


def test_json_has_the_documented_fields(ox_engine: OxigraphEngine) -> None:
    data = ask(ox_engine, "blepharospasm", "MS").as_dict()
    assert {"subject", "object", "answer", "claims", "receipt"} <= set(data)
    assert set(data["subject"]) >= {"id", "label"}
    claim = data["claims"][0]
    fields = {"id", "predicate", "status", "polarity", "evidence", "certainty", "sources"}
    assert fields <= set(claim)
    assert {"certainty", "headline", "relation", "chain"} <= set(data)
    assert {"id", "kind", "pmid", "doi", "title", "year"} <= set(claim["sources"][0])


def test_the_summary_words_a_claim_about_the_terms_asked_not_a_subtype(
    ox_engine: OxigraphEngine,
) -> None:
    """Dystonic disorder and Dystonia: the summary cites their own definition claim, not the
    definition of benign essential blepharospasm that is reached through a subtype."""
    answer = ask(ox_engine, "MONDO:0003441", "HP:0001332")
    assert answer.answer == "yes"
    assert answer.summary.startswith("By definition, dystonic disorder includes Dystonia")


def test_claims_naming_both_in_another_role_are_listed_and_decide_nothing(
    ox_engine: OxigraphEngine,
) -> None:
    """Orbicularis oculi and blepharospasm: no claim links them as subject and object, but a
    botulinum toxin claim for blepharospasm names the muscle as its target. The answer stays
    unknown and lists that claim apart, with the reason it is there."""
    answer = ask(ox_engine, "orbicularis oculi", "blepharospasm")
    assert answer.answer == "unknown" and answer.certainty is None
    naming = {c.id: c for c in answer.naming_both}
    claim = naming["blepharospasm-botulinum-toxin-a-orbicularis-oculi-1989"]
    assert claim.qualifiers["target"] == "orbicularis oculi muscle"
    assert "1 other claim(s) name both, in another role (a treatment's target):" in answer.summary
    assert not any(c.ai_only for c in answer.naming_both)
    assert answer.as_dict()["naming_both"][0]["id"] == claim.id
    # a claim with both as subject and object is an association claim, never listed here
    founding = ask(ox_engine, "blepharospasm", "MS")
    assert not {c.id for c in founding.naming_both} & {c.id for c in founding.claims}


def test_a_differential_diagnosis_is_listed_and_is_not_an_association(
    ox_engine: OxigraphEngine,
) -> None:
    """Blepharospasm and hemifacial spasm: the approved advice to tell them apart names hemifacial
    spasm as what blepharospasm is distinguished from. It is shown, and the answer stays unknown:
    telling two conditions apart says nothing about whether they occur together."""
    answer = ask(ox_engine, "blepharospasm", "hemifacial spasm")
    assert answer.answer == "unknown" and answer.certainty is None
    naming = {c.id: c for c in answer.naming_both}
    claim = naming["blepharospasm-hemifacial-spasm-diagnosis-first"]
    assert claim.qualifiers["distinguished_from"] == "Hemifacial spasm"
    assert "in another role (a condition to tell apart):" in answer.summary

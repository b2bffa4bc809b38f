"""wording.py: each count is said with its own claim's population and source, and a negative
claim negates exactly its own predicate (never "no link" for "not a kind of")."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from neurokg.answer import ClaimView, SourceView
from neurokg.evidence import Certainty
from neurokg.resolve import TermRef
from neurokg.wording import cite, summary

VERY_LOW = Certainty.starting(0, "case series")
BLEPHAROSPASM = TermRef(
    "HP:0000643",
    "http://purl.obolibrary.org/obo/HP_0000643",
    "Blepharospasm",
    "ClinicalFeature",
    "label",
)
THALAMUS = TermRef(
    "UBERON:0001897",
    "http://purl.obolibrary.org/obo/UBERON_0001897",
    "dorsal plus ventral thalamus",
    "AnatomicalSite",
    "synonym",
)
HFS = TermRef(
    "HP:0010828",
    "http://purl.obolibrary.org/obo/HP_0010828",
    "Hemifacial spasm",
    "ClinicalFeature",
    "label",
)
DYSTONIA = TermRef(
    "HP:0001332",
    "http://purl.obolibrary.org/obo/HP_0001332",
    "Dystonia",
    "ClinicalFeature",
    "label",
)
# the two sources and counts of the 'blepharospasm - thalamus' question (ontology/claims/lit_*.yaml)
KHOOSHNOODI = SourceView(
    "khooshnoodi2013",
    "case_series",
    "Secondary blepharospasm associated with structural lesions of the brain",
    "ECO:0000180",
    "...",
    "quote",
    authors="Khooshnoodi MA, Factor SA, Jinnah HA",
    year="2013",
)
LEE = SourceView(
    "lee_marsden1994",
    "narrative_review",
    "Movement disorders following lesions of the thalamus or subthalamic region",
    "ECO:0006016",
    "...",
    "quote",
    authors="Lee MS, Marsden CD",
    year="1994",
)
KHOO_POPULATION = (
    "cases of blepharospasm with a focal brain lesion (18 at one centre, 30 published)"
)
LEE_POPULATION = "published cases of dystonia with a focal thalamic or subthalamic lesion"


def _lesion_claim(
    claim_id: str, source: SourceView, frequency: tuple[int, int], population: str | None
) -> ClaimView:
    return ClaimView(
        claim_id,
        BLEPHAROSPASM,
        "RO:0004026",
        THALAMUS,
        "approved",
        "positive",
        (source,),
        VERY_LOW,
        qualifiers={"population": population} if population else {},
        frequency=frequency,
    )


def _counts_said(text: str) -> dict[str, tuple[str, str]]:
    """'N of M' -> (the population after it, the citation in brackets after that)."""
    return {
        m["count"]: (m["population"], m["cite"])
        for m in re.finditer(
            r"(?P<count>\d+ of \d+) (?P<population>[^\[]+?) \[(?P<cite>[^\]]+)\]", text
        )
    }


@pytest.mark.parametrize("order", [1, -1])
def test_each_count_is_said_with_its_own_population_and_source(order: int) -> None:
    claims = [
        _lesion_claim("thalamus-2013", KHOOSHNOODI, (12, 48), KHOO_POPULATION),
        _lesion_claim("thalamus-1994", LEE, (2, 19), LEE_POPULATION),
    ][::order]
    text = summary("yes", claims, VERY_LOW, BLEPHAROSPASM, THALAMUS)
    assert _counts_said(text) == {
        "2 of 19": (LEE_POPULATION, "Lee and Marsden 1994"),
        "12 of 48": (KHOO_POPULATION, "Khooshnoodi et al. 2013"),
    }
    assert "2 of 19 cases of blepharospasm" not in text  # the mixed summary of the bug
    # lesion counts are said as lesions, and never as the cause
    assert text.startswith("Lesions in ") and "such lesions cause" in text
    assert "is not established" in text and "Co-occurrence" not in text


def test_a_count_without_a_population_never_borrows_another_claims() -> None:
    claims = [
        _lesion_claim("thalamus-2013", KHOOSHNOODI, (12, 48), KHOO_POPULATION),
        _lesion_claim("thalamus-1994", LEE, (2, 19), None),
    ]
    said = _counts_said(summary("yes", claims, VERY_LOW, BLEPHAROSPASM, THALAMUS))
    assert said["2 of 19"] == ("patients", "Lee and Marsden 1994")
    assert said["12 of 48"] == (KHOO_POPULATION, "Khooshnoodi et al. 2013")


def test_more_counts_than_the_summary_holds_are_left_to_the_claims() -> None:
    claims = [_lesion_claim(f"c{n}", LEE, (n, 20), f"population {n}") for n in (1, 2, 3, 4)]
    text = summary("yes", claims, VERY_LOW, BLEPHAROSPASM, THALAMUS)
    assert _counts_said(text) == {
        "1 of 20": ("population 1", "Lee and Marsden 1994"),
        "2 of 20": ("population 2", "Lee and Marsden 1994"),
    }
    assert "and 2 more count(s) in the claims below" in text


def _not_a_kind_of(certainty: Certainty = VERY_LOW) -> ClaimView:
    hpo = SourceView(
        "HPO", "reference", "Human Phenotype Ontology", "ECO:0007636", "...", "summary"
    )
    return ClaimView(
        "hemifacial-spasm-not-dystonia",
        HFS,
        "rdfs:subClassOf",
        DYSTONIA,
        "approved",
        "negative",
        (hpo,),
        certainty,
    )


def test_a_not_a_kind_of_claim_alone_is_not_no_link() -> None:
    text = summary("unknown", [], None, HFS, DYSTONIA, aside=[_not_a_kind_of()])
    assert "no link" not in text and "not associated" not in text
    assert "Not known whether Hemifacial spasm and Dystonia are associated" in text
    assert "says only that Hemifacial spasm is not a kind of Dystonia" in text
    assert "not that the two occur together" in text
    assert "very low certainty" in text


@pytest.mark.parametrize(
    ("level", "words"),
    [
        (
            0,
            "A report says that Hemifacial spasm is not a kind of Dystonia, but the evidence is "
            "very uncertain",
        ),
        (1, "Hemifacial spasm may not be a kind of Dystonia"),
        (2, "Hemifacial spasm is probably not a kind of Dystonia"),
        (3, "Hemifacial spasm is not a kind of Dystonia"),
    ],
)
def test_a_negative_claim_negates_its_own_predicate_at_its_certainty(
    level: int, words: str
) -> None:
    certainty = Certainty.starting(level, "test")
    text = summary("no", [_not_a_kind_of(certainty)], certainty, HFS, DYSTONIA)
    assert text.startswith(words + " (1 approved claim(s)")
    assert "link" not in text and "associated" not in text


def test_a_negative_lesion_claim_is_worded_as_lesions_not_as_no_link() -> None:
    claim = ClaimView(
        "no-lesion",
        HFS,
        "RO:0004026",
        THALAMUS,
        "approved",
        "negative",
        (LEE,),
        Certainty.starting(1, "cohort"),
    )
    text = summary("no", [claim], claim.certainty, HFS, THALAMUS)
    assert text.startswith("Hemifacial spasm may have no consistent lesions in dorsal plus")
    assert "no link" not in text


def test_not_correlated_keeps_the_association_words() -> None:
    claim = ClaimView(
        "not-correlated", HFS, "RO:0002610", DYSTONIA, "approved", "negative", (LEE,), VERY_LOW
    )
    assert summary("no", [claim], VERY_LOW, HFS, DYSTONIA).startswith(
        "A report found no link between Hemifacial spasm and Dystonia"
    )


def test_denies_association_only_for_association_predicates() -> None:
    assert not _not_a_kind_of().denies_association
    lesion = _lesion_claim("x", LEE, (1, 2), None)
    assert not lesion.denies_association  # positive
    assert replace(lesion, polarity="negative").denies_association
    for predicate in ("RO:0003302", "RO:0004029", "rdfs:subClassOf"):
        assert not replace(lesion, polarity="negative", predicate=predicate).denies_association


@pytest.mark.parametrize(
    ("authors", "journal", "cited"),
    [
        ("Lee MS, Marsden CD", None, "Lee and Marsden 1994"),
        ("Khooshnoodi MA, Factor SA, Jinnah HA.", None, "Khooshnoodi et al. 1994"),
        ("Defazio G, et al.", None, "Defazio et al. 1994"),
        ("Jacome DE", None, "Jacome 1994"),
        (None, "Multiple Sclerosis", "Multiple Sclerosis 1994"),
        ("Human Phenotype Ontology", None, "key"),
    ],
)
def test_short_citations(authors: str | None, journal: str | None, cited: str) -> None:
    source = SourceView(
        "key",
        "case_series",
        "t",
        "ECO:0000180",
        "",
        "quote",
        authors=authors,
        journal=journal,
        year="1994",
    )
    assert cite(source) == cited


@pytest.mark.parametrize(
    "population, said",
    [
        (
            "215 consecutive patients referred to one clinic",
            "consecutive patients referred to one clinic",
        ),
        ("1,113 patients with parkinsonism", "patients with parkinsonism"),
        (
            "35 with blepharospasm among 1113 with parkinsonism",
            "(population: 35 with blepharospasm among 1113 with parkinsonism)",
        ),
        (None, "patients"),
    ],
)
def test_a_count_is_never_run_into_a_number_of_the_population(
    population: str | None, said: str
) -> None:
    """ "133 of 215 215 consecutive patients" was said when the population gave its own count."""
    denominator = 1113 if population and "1,113" in population else 215
    claim = _lesion_claim("hfs-2011", LEE, (133, denominator), population)
    text = summary("yes", [claim], VERY_LOW, BLEPHAROSPASM, THALAMUS)
    assert _counts_said(text) == {f"133 of {denominator}": (said, "Lee and Marsden 1994")}


def test_an_unknown_answer_says_no_claim_states_an_association() -> None:
    """ "links" read as if no claim named the two at all, beside "3 other claims name both"."""
    text = summary("unknown", [], None, BLEPHAROSPASM, THALAMUS)
    assert text.startswith("Not known: no approved claim from the literature states an association")

"""Issue 10: look-alikes explained (never redirected), certainty that never overstates, ECO codes
checked against ECO, and kind-of / part-of answers with their chain."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from neurokg.ask import ask
from neurokg.build import build_graph
from neurokg.cli import main
from neurokg.errors import (
    LookAlikeError,
    ObsoleteIdentifierError,
    ProvenanceError,
    SourceError,
    UnknownNameError,
)
from neurokg.evidence import SupportFacts, certainty_of_claim, certainty_of_support
from neurokg.load import load_curation, load_schema
from neurokg.namespaces import OBO
from neurokg.render import render_brief
from neurokg.store import OxigraphEngine, load_into_store, open_store

MEIGE_SYNDROME = "blepharospasm-oromandibular dystonia syndrome (MONDO:0019772)"


# ------------------------------------------------------------------ look-alikes and obsolete ids
@pytest.mark.parametrize(
    ("typed", "what"),
    [
        ("Meige disease", "hereditary lymphedema"),
        ("ORPHA:90186", "hereditary lymphedema"),
        ("Orphanet:90186", "hereditary lymphedema"),
        ("MONDO:0007920", "lymphatic malformation 5"),
        ("Meigs syndrome", "D008539"),
        ("MONDO:0017799", "D008539"),
    ],
)
def test_a_look_alike_is_explained_never_redirected(
    ox_engine: OxigraphEngine, typed: str, what: str
) -> None:
    with pytest.raises(LookAlikeError) as err:
        ask(ox_engine, typed, "blepharospasm")
    message = str(err.value)
    assert what in message
    assert f"not {MEIGE_SYNDROME}" in message
    assert "use " not in message.replace("use the", "")  # no "use instead" advice


def test_the_real_meige_syndrome_is_not_refused_and_says_what_it_is_not(
    ox_engine: OxigraphEngine,
) -> None:
    for typed in ("Meige syndrome", "MONDO:0019772"):
        answer = ask(ox_engine, typed, "HP:0012048")
        assert answer.subject.id == "MONDO:0019772"
        cautions = " ".join(answer.cautions)
        for other in ("Meige disease (ORPHA:90186)", "Meigs syndrome (MONDO:0017799)"):
            assert f"{MEIGE_SYNDROME} is not {other}" in cautions
        assert "hereditary lymphedema" in cautions


def test_cautions_are_printed_under_the_answer(runner: CliRunner) -> None:
    result = runner.invoke(main, ["-q", "ask", "Meige syndrome", "blepharospasm"])
    assert result.exit_code == 0, result.output
    assert "Note: blepharospasm-oromandibular dystonia syndrome (MONDO:0019772) is not Meige" in (
        result.output.replace("\n  ", " ")
    )


def test_the_susceptibility_record_is_a_look_alike_of_the_disease(
    ox_engine: OxigraphEngine,
) -> None:
    with pytest.raises(LookAlikeError, match=r"OMIM:606798.*not benign essential blepharospasm"):
        ask(ox_engine, "MONDO:0100532", "blepharospasm")


def test_an_obsolete_identifier_names_only_its_releases_replacement(
    ox_engine: OxigraphEngine,
) -> None:
    with pytest.raises(ObsoleteIdentifierError) as err:
        ask(ox_engine, "MONDO:0002825", "blepharospasm")
    assert f"its release replaces it by {MEIGE_SYNDROME}" in str(err.value)


def test_suggestions_show_identifiers_and_keep_look_alikes_apart(
    ox_engine: OxigraphEngine,
) -> None:
    with pytest.raises(UnknownNameError) as err:
        ask(ox_engine, "Meige syndrom", "blepharospasm")
    message = str(err.value)
    assert MEIGE_SYNDROME in message
    assert "[not Meigs syndrome (MONDO:0017799)]" in message
    assert "Meigs syndrome (MONDO:0017799): a look-alike, not " + MEIGE_SYNDROME in message


def test_the_possessive_eponym_is_meige_syndrome_and_meigs_stays_a_look_alike(
    ox_engine: OxigraphEngine,
) -> None:
    """ "Meige's syndrome" (in the titles of tolosa1988 and others) is a synonym; "Meigs'
    syndrome", one letter away, is never read as it."""
    answer = ask(ox_engine, "Meige's syndrome", "blepharospasm")
    assert answer.subject.id == "MONDO:0019772" and answer.answer == "yes"
    with pytest.raises(UnknownNameError) as err:
        ask(ox_engine, "Meigs' syndrome", "blepharospasm")
    assert "Meigs syndrome (MONDO:0017799): a look-alike, not " + MEIGE_SYNDROME in str(err.value)


def test_cli_says_what_meige_disease_is_and_exits_2(runner: CliRunner) -> None:
    result = runner.invoke(main, ["-q", "ask", "Meige disease", "blepharospasm"])
    assert result.exit_code == 2
    assert "hereditary lymphedema" in result.output and "MONDO:0019772" in result.output


def test_a_convention_is_not_a_refusal(kg: object, ox_engine: OxigraphEngine) -> None:
    rows = ox_engine.select("SELECT ?x WHERE { ?x <https://w3id.org/neurokg/refusedAs> ?r }", {})
    refused = {str(r["x"]) for r in rows}
    for alternative in ("UBERON_0004703", "UBERON_0010225", "UBERON_0006514"):
        assert not any(r.endswith(alternative) for r in refused)


def test_a_curated_claim_using_a_look_alike_is_refused_at_load(mini_dir: Path) -> None:
    claims = mini_dir / "claims.yaml"
    text = claims.read_text(encoding="utf-8")
    claims.write_text(text.replace("subject: MONDO:0005301", "subject: MONDO:0017799", 1))
    (mini_dir / "lookalikes.yaml").write_text(
        "look_alikes:\n  - id: MONDO:0017799\n    label: Meigs syndrome\n"
        "    is: a different disease\n    not: MONDO:0005301\n    read_in: [HPO]\n",
        encoding="utf-8",
    )
    with pytest.raises(SourceError) as err:
        load_curation([mini_dir])
    assert "MONDO:0017799 (Meigs syndrome) is a look-alike: a different disease" in str(err.value)
    record_line = text.splitlines().index("  - id: ms-blepharospasm-cohort-2008") + 1
    assert err.value.path.endswith("claims.yaml") and err.value.line == record_line


# ------------------------------------------------------------------ certainty
def _support(kind: str, evidence: str = "ECO:0000180", **kw: str) -> SupportFacts:
    return SupportFacts(kind, evidence, **kw)


@pytest.mark.parametrize(
    ("support", "level", "start"),
    [
        (_support("controlled_trial"), "high", "controlled trial"),
        (_support("cohort_study"), "low", "observational (cohort) study"),
        (_support("case_series"), "very low", "case series"),
        (_support("case_report"), "very low", "case report"),
        (_support("narrative_review", "ECO:0006016"), "very low", "expert opinion"),
        (_support("letter", "ECO:0000033"), "very low", "expert opinion (letter)"),
        (_support("systematic_review", "ECO:0006016"), "very low", "systematic review; the"),
        (
            _support("systematic_review", "ECO:0006016", design="controlled_trial"),
            "high",
            "systematic review of controlled trial evidence",
        ),
        (
            _support("guideline", "ECO:0006016", design="case_series"),
            "very low",
            "guideline of case series",
        ),
        (_support("cohort_study", "ECO:0007645"), "very low", "curator's inference"),
        (_support("cohort_study", "ECO:0000034"), "very low", "author statement without"),
        (_support("ai_answer", "ECO:0000034"), "very low", "AI-written answer"),
        (_support("reference", "ECO:0000311"), "low", "assertion of a curated reference"),
    ],
)
def test_where_a_support_starts(support: SupportFacts, level: str, start: str) -> None:
    certainty = certainty_of_support(support)
    assert certainty.word == level
    assert certainty.start.startswith(start)


def test_a_definition_is_certain_whatever_the_kind_of_source() -> None:
    defined = _support("case_series", "ECO:0006016", design="definition")
    assert certainty_of_support(defined).word == "high"


def test_meige_syndrome_has_blepharospasm_by_definition(ox_engine: OxigraphEngine) -> None:
    answer = ask(ox_engine, "Meige syndrome", "blepharospasm")
    assert answer.headline == "YES" and answer.certainty is not None
    assert answer.summary.startswith(
        "By definition, blepharospasm-oromandibular dystonia syndrome includes Blepharospasm"
    )


def test_a_study_counts_at_most_as_its_own_design() -> None:
    # a case report cannot be promoted to a trial by naming a design
    assert certainty_of_support(_support("case_report", design="controlled_trial")).word == (
        "very low"
    )


def test_imprecision_rates_down_few_events() -> None:
    trial = [_support("controlled_trial")]
    assert certainty_of_claim(trial, frequency=(40, 100)).word == "high"
    few = certainty_of_claim(trial, frequency=(2, 733))
    assert few.word == "moderate"
    assert few.reasons == ("imprecision (only 2 of 733 patients)",)


def test_indirectness_and_inconsistency_each_rate_down_once() -> None:
    indirect = _support("controlled_trial", indirect="about all movement disorders")
    assert certainty_of_support(indirect).word == "moderate"
    both = certainty_of_claim([indirect], opposed_by=["other-claim"])
    assert both.word == "low"
    assert both.reasons[-1] == "inconsistency (approved claim other-claim says the opposite)"


def test_never_below_very_low_and_reasons_are_kept() -> None:
    graded = certainty_of_claim([_support("case_report")], frequency=(1, 7), opposed_by=["x"])
    assert graded.word == "very low" and len(graded.reasons) == 2
    assert graded.explain().startswith("very low: starts very low (case report)")


def test_the_best_support_decides() -> None:
    graded = certainty_of_claim([_support("case_report"), _support("cohort_study")])
    assert graded.word == "low"


def test_a_review_remark_no_longer_makes_high(ox_engine: OxigraphEngine) -> None:
    answer = ask(ox_engine, "multiple sclerosis", "hemifacial spasm")
    assert answer.certainty is not None and answer.certainty.word == "very low"
    assert answer.headline == "REPORTED, VERY UNCERTAIN"


def test_a_trial_based_review_with_an_enriched_population_is_moderate(
    ox_engine: OxigraphEngine,
) -> None:
    answer = ask(ox_engine, "blepharospasm", "drugbank:DB00083")
    assert answer.certainty is not None and answer.certainty.word == "moderate"
    assert answer.certainty.start == "systematic review of controlled trial evidence"
    assert answer.certainty.reasons[0].startswith("indirectness (two of the three trials")
    assert answer.headline == "PROBABLY"
    assert answer.summary.startswith("Botulinum toxin type A probably treats Blepharospasm")
    assert "Co-occurrence" not in answer.summary  # a response count is not a co-occurrence


def test_a_lesion_count_is_worded_as_lesions_not_as_co_occurrence(
    ox_engine: OxigraphEngine,
) -> None:
    answer = ask(ox_engine, "blepharospasm", "rostral brainstem")
    assert answer.headline == "REPORTED, VERY UNCERTAIN"
    assert answer.summary.startswith("Lesions in rostral brainstem reported in 2 of 19 ")
    assert "whether such lesions cause Blepharospasm is not established" in answer.summary
    assert "Co-occurrence" not in answer.summary


def test_counts_reached_through_subtypes_say_what_they_counted(
    ox_engine: OxigraphEngine,
) -> None:
    """MS and dystonia: the 2008 cohort counted hemidystonia (1 of 733) and blepharospasm (2 of
    733), both subtypes of dystonia. Each count names its subtype; neither reads as a count of
    dystonia itself."""
    answer = ask(ox_engine, "multiple sclerosis", "dystonia")
    assert answer.summary.startswith("Co-occurrence reported: Hemidystonia in 1 of 733 ")
    assert " and Blepharospasm in 2 of 733 " in answer.summary
    # a count about exactly the two terms asked keeps the plain wording
    direct = ask(ox_engine, "blepharospasm", "multiple sclerosis")
    assert direct.summary.startswith("Co-occurrence reported in 2 of 733 ")


def test_founding_answer_leads_with_certainty_and_the_count(runner: CliRunner) -> None:
    result = runner.invoke(main, ["-q", "ask", "blepharospasm", "multiple sclerosis"])
    assert result.exit_code == 0, result.output
    head = "\n".join(result.output.splitlines()[:6])
    assert "Answer: REPORTED, VERY UNCERTAIN (certainty: very low)" in head
    assert "2 of 733" in head and "imprecision" in head
    assert "cohort study" not in result.output and "grade 4" not in result.output


# ------------------------------------------------------------------ each claim in its own words
# Two real claims on blepharospasm and the thalamus (ontology/claims/lit_blepharospasm.yaml,
# lit_ms_lesions.yaml) whose counts and populations differ, and the real 'not a kind of' claim
# hemifacial spasm - dystonia (dystonia_and_treatments.yaml), beside the mini fixture.
_OWN_WORDS = """\
defaults: {curator: test-curator, date: 2026-12-01}
terms:
  - {id: UBERON:0001897, kind: anatomical_site, label: dorsal plus ventral thalamus, read_in: [HPO]}
  - {id: HP:0010828, kind: clinical_feature, label: Hemifacial spasm, read_in: [HPO]}
  - {id: HP:0001332, kind: clinical_feature, label: Dystonia, read_in: [HPO]}
sources:
  - key: khooshnoodi2013
    kind: case_series
    title: Secondary blepharospasm associated with structural lesions of the brain
    authors: [Khooshnoodi MA, Factor SA, Jinnah HA]
    journal: Journal of the Neurological Sciences
    year: 2013
    doi: 10.1016/j.jns.2013.05.022
  - key: lee_marsden1994
    kind: narrative_review
    title: Movement disorders following lesions of the thalamus or subthalamic region
    authors: [Lee MS, Marsden CD]
    journal: Movement Disorders
    year: 1994
    doi: 10.1002/mds.870090502
claims:
  - id: blepharospasm-lesion-thalamus-2013
    subject: HP:0000643
    predicate: RO:0004026
    object: UBERON:0001897
    status: approved
    history: &approved
      - {status: approved, date: 2026-12-01, by: test-curator, why: "read in the source"}
    qualifiers: {frequency: 12/48, population: "POP_2013"}
    support:
      - source: khooshnoodi2013
        evidence: ECO:0000180
        quote: "Among all 48 cases, lesions were found in multiple regions including the \
thalamus (n = 12), lower brainstem (n = 11), basal ganglia (n = 9), cerebellum (n = 9), midbrain \
(n = 7), and cortex (n = 1)."
  - id: blepharospasm-lesion-thalamus-lee-marsden-1994
    subject: HP:0000643
    predicate: RO:0004026
    object: UBERON:0001897
    status: approved
    history: *approved
    qualifiers: {frequency: 2/19, population: "POP_1994"}
    support:
      - source: lee_marsden1994
        evidence: ECO:0006016
        quote: "Regarding the 19 patients with dystonia, the two with bilateral blepharospasm had \
thalamic and upper brainstem lesions"
  - id: hemifacial-spasm-not-dystonia
    subject: HP:0010828
    predicate: rdfs:subClassOf
    object: HP:0001332
    polarity: negative
    status: approved
    history: *approved
    support:
      - source: HPO
        evidence: ECO:0007636
        summary: "HP:0010828 'Hemifacial spasm' is_a HP:0003739 'Myoclonic spasms' is_a \
HP:0001336 'Myoclonus'; it is not under HP:0001332 'Dystonia'."
"""
_POP_2013 = "cases of blepharospasm with a focal brain lesion (18 at one centre, 30 published)"
_POP_1994 = "published cases of dystonia with a focal thalamic or subthalamic lesion"


def _own_words_engine(mini_dir: Path, pop_1994: str | None = _POP_1994) -> OxigraphEngine:
    text = _OWN_WORDS.replace("POP_2013", _POP_2013)
    if pop_1994 is None:  # the 1994 claim gives no population
        text = text.replace(', population: "POP_1994"', "")
    text = text.replace("POP_1994", pop_1994 or "")
    (mini_dir / "own_words.yaml").write_text(text, encoding="utf-8")
    built = build_graph(load_curation([mini_dir]), load_schema(mini_dir / "neurokg.ttl"), "t")
    return OxigraphEngine(load_into_store(built.dataset, open_store()))


def test_each_count_is_shown_with_its_own_claims_population_and_source(mini_dir: Path) -> None:
    answer = ask(_own_words_engine(mini_dir), "blepharospasm", "UBERON:0001897")
    text = answer.summary
    assert answer.answer == "yes" and "such lesions cause Blepharospasm is not established" in text
    assert f"2 of 19 {_POP_1994} [Lee and Marsden 1994]" in text
    assert f"12 of 48 {_POP_2013} [Khooshnoodi et al. 2013]" in text
    assert f"2 of 19 {_POP_2013}" not in text and f"12 of 48 {_POP_1994}" not in text


def test_a_count_whose_claim_gives_no_population_borrows_none(mini_dir: Path) -> None:
    engine = _own_words_engine(mini_dir, pop_1994=None)
    text = ask(engine, "blepharospasm", "UBERON:0001897").summary
    assert "2 of 19 patients [Lee and Marsden 1994]" in text
    assert f"12 of 48 {_POP_2013} [Khooshnoodi et al. 2013]" in text


def test_not_a_kind_of_alone_is_not_no_link_and_decides_nothing(mini_dir: Path) -> None:
    answer = ask(_own_words_engine(mini_dir), "HP:0010828", "HP:0001332")
    assert (answer.answer, answer.headline, answer.certainty) == ("unknown", "NOT KNOWN", None)
    assert "no link" not in answer.summary and "not associated" not in answer.summary
    assert "says only that Hemifacial spasm is not a kind of Dystonia" in answer.summary
    assert "not that the two occur together" in answer.summary
    (claim,) = answer.claims
    assert claim.statement() == "Hemifacial spasm is NOT a kind of Dystonia"
    assert "Counts: 0 deciding claim(s)" in render_brief(answer)


# ------------------------------------------------------------------ ECO codes
def _with_evidence(mini_dir: Path, old: str, new: str) -> None:
    claims = mini_dir / "claims.yaml"
    text = claims.read_text(encoding="utf-8")
    assert old in text
    claims.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("new", "message"),
    [
        # a real ECO class ('direct assay evidence', ECO 2024-07-19) that evidence.yaml does not
        # list stands for any unknown or made-up code: both take the same path
        ("evidence: ECO:0000002", "ECO:0000002 is not an ECO class neurokg knows"),
        ("evidence: ECO:0000218", "is an assertion method"),
    ],
)
def test_bad_evidence_codes_are_rejected_naming_file_and_line(
    mini_dir: Path, new: str, message: str
) -> None:
    text = (mini_dir / "claims.yaml").read_text(encoding="utf-8")
    old = next(line.strip() for line in text.splitlines() if "evidence: ECO:" in line)
    _with_evidence(mini_dir, old, new)
    with pytest.raises(ProvenanceError) as err:
        load_curation([mini_dir])
    assert message in str(err.value)
    assert err.value.path.endswith("claims.yaml") and err.value.line


def test_an_ai_answer_cannot_carry_clinical_study_evidence(mini_dir: Path) -> None:
    _with_evidence(
        mini_dir,
        "source: founding_answer\n        evidence: ECO:0000034",
        "source: founding_answer\n        evidence: ECO:0000180",
    )
    with pytest.raises(ProvenanceError, match="does not fit an AI-written answer"):
        load_curation([mini_dir])


def test_curated_evidence_is_all_current_eco_evidence(curation: object) -> None:
    from neurokg.load import Curation

    assert isinstance(curation, Curation)
    used = {s.evidence for c in curation.claims for s in c.support}
    assert "ECO:0000218" not in used
    known = {e.id for e in curation.evidence_classes}
    assert used <= known


# ------------------------------------------------------------------ kind of and part of
@pytest.mark.parametrize(
    ("first", "second", "relation", "edges"),
    [
        ("relapsing-remitting multiple sclerosis", "multiple sclerosis", "kind_of", 1),
        ("RRMS", "MS", "kind_of", 1),
        ("thalamus", "diencephalon", "part_of", 1),
        ("diencephalon", "thalamus", "part_of", 1),  # asked the other way round
        ("cerebellar peduncle", "cerebellum", "part_of", 2),  # a kind of a part, from imports
        ("blepharospasm", "HP:0004373", "kind_of", 1),  # an approved claim
    ],
)
def test_kind_of_and_part_of_answers_with_the_chain(
    ox_engine: OxigraphEngine, first: str, second: str, relation: str, edges: int
) -> None:
    answer = ask(ox_engine, first, second)
    assert answer.answer == "yes" and answer.relation == relation
    assert answer.chain is not None and len(answer.chain.edges) == edges
    assert all(e.sources for e in answer.chain.edges)


def test_a_chain_names_each_edges_source(ox_engine: OxigraphEngine) -> None:
    chain = ask(ox_engine, "lateral globus pallidus", "basal ganglion").chain
    assert chain is not None
    steps = [(e.relation, e.sources[0]) for e in chain.edges]
    assert steps == [
        ("part_of", "curated: UB2010"),
        ("part_of", "curated: UB2021 efo-slim (source NIFSTD)"),
    ]
    # an import module holding the same edge is named after the curated source (ontology/imports)
    assert all(s.startswith("source:import-") for e in chain.edges for s in e.sources[1:])
    # a chain read from the import modules alone names the release of each edge
    imported = ask(ox_engine, "cerebellar peduncle", "cerebellum").chain
    assert imported is not None
    assert [(e.relation, e.child, e.parent) for e in imported.edges] == [
        ("is_a", str(OBO["UBERON_0002474"]), str(OBO["UBERON_0002317"])),
        ("part_of", str(OBO["UBERON_0002317"]), str(OBO["UBERON_0002037"])),
    ]
    assert all(
        e.sources == ("source:import-uberon-2010-import release uberon_edit.obo of 2010-12-31",)
        for e in imported.edges
    )


def test_unrelated_terms_have_no_chain(ox_engine: OxigraphEngine) -> None:
    answer = ask(ox_engine, "thalamus", "pons")
    assert answer.chain is None and answer.relation == "association"


# ------------------------------------------------------------------ on a store with imports
IMPORTS = Path(__file__).parent / "data" / "import"


@pytest.fixture(scope="module")
def imported_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("store") / "store"
    files = [IMPORTS / "doid_fixture.obo", IMPORTS / "phenotype_fixture.hpoa"]
    result = CliRunner().invoke(main, ["-q", "import", *map(str, files), "--store", str(store)])
    assert result.exit_code == 0, result.output
    return store


def test_kind_of_over_an_imported_ontology(imported_store: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["-q", "ask", "DOID:2378", "DOID:2377", "--store", str(imported_store), "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["answer"], data["relation"]) == ("yes", "kind_of")
    (edge,) = data["chain"]["edges"]
    assert (edge["child"], edge["parent"]) == ("DOID:2378", "DOID:2377")
    # the imported fixture names the edge; the committed DOID import module may name it too
    assert "source:import-doid-fixture release test-fixture" in edge["sources"]
    assert all(s.startswith("source:import-doid-") for s in edge["sources"])
    assert not any("SSSOM" in c for c in data["cautions"])  # the store's own DOID term, unmapped
    # the receipt identifies every imported file the answer may read, by its SHA-256
    digest = hashlib.sha256((IMPORTS / "doid_fixture.obo").read_bytes()).hexdigest()
    assert digest in {g["sha256"] for g in data["receipt"]["graphs"]}


def test_an_imported_class_is_named_by_its_label(imported_store: Path) -> None:
    # "multiple sclerosis" names both MONDO:0005301 and DOID:2377 now: never a guess
    ambiguous = CliRunner().invoke(
        main, ["-q", "ask", "multiple sclerosis", "DOID:3213", "--store", str(imported_store)]
    )
    assert ambiguous.exit_code == 2 and "DOID:2377" in ambiguous.output
    chain = CliRunner().invoke(
        main, ["-q", "ask", "DOID:2378", "demyelinating disease", "--store", str(imported_store)]
    )
    assert chain.exit_code == 2 and "MONDO:0002562" in chain.output  # also ambiguous


def test_hpo_annotations_of_meige_disease_are_left_alone_but_named_as_a_look_alike(
    imported_store: Path,
) -> None:
    result = CliRunner().invoke(
        main, ["-q", "ask", "Meige disease", "blepharospasm", "--store", str(imported_store)]
    )
    assert result.exit_code == 2
    assert "hereditary lymphedema" in result.output


@pytest.mark.parametrize("eco", ["ECO:0000205", "ECO:0007647", "ECO:0007645", "ECO:0007636"])
def test_every_curator_inference_class_is_very_low(eco: str) -> None:
    assert certainty_of_support(_support("controlled_trial", eco)).start == "curator's inference"


@pytest.mark.parametrize(
    ("first", "second"),
    [("blepharospasm", "MS"), ("blepharospasm", "drugbank:DB00083"), ("thalamus", "diencephalon")],
)
def test_brief_answers_fit_in_15_lines_and_keep_the_certainty(first: str, second: str) -> None:
    result = CliRunner().invoke(main, ["-q", "ask", first, second, "--brief"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert 3 <= len(lines) <= 15
    assert lines[1].startswith("Answer: ") and lines[-1].startswith("Receipt: graph sha256 ")
    if first == "blepharospasm" and second == "MS":
        assert "(certainty: very low)" in lines[1] and "2 of 733" in result.output
        assert "PMID:18768580" in result.output

"""SSSOM mappings: exact matches rewrite a DOID/MeSH/Orphanet identifier to MONDO, and say so;
inexact matches are shown, never used; look-alikes reached through a mapping are still refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from neurokg.ask import ask
from neurokg.errors import AmbiguousNameError, LookAlikeError, SourceError, UnknownNameError
from neurokg.mappings import EXACT, MAPPING_FILE, MappingIndex, read_mappings
from neurokg.store import OxigraphEngine

DATA = Path(__file__).parent / "data" / "mappings"


@pytest.fixture(scope="module")
def committed(ontology_dir: Path) -> MappingIndex:
    return read_mappings(ontology_dir / MAPPING_FILE)


def test_committed_file_holds_only_rows_of_mondo_sets_with_justification(
    committed: MappingIndex,
) -> None:
    assert committed.set_version == "mondo/releases/2026-08-04"
    assert committed.rows
    for row in committed.rows:
        assert row.subject_id.startswith("MONDO:")
        assert row.justification.startswith("semapv:")
        assert "/mondo/releases/2026-08-04/mappings/" in row.mapping_source


@pytest.mark.parametrize("typed", ["DOID:2377", "MESH:D009103", "mesh:D009103", "UMLS:C0026769"])
def test_exact_match_rewrites_to_multiple_sclerosis(committed: MappingIndex, typed: str) -> None:
    rewrite = committed.rewrite(typed)
    assert rewrite is not None
    assert rewrite.target == "MONDO:0005301"
    assert rewrite.mapping.predicate_id == EXACT
    note = rewrite.note()
    assert typed in note and "semapv:ManualMappingCuration" in note and "2026-08-04" in note


def test_meige_disease_maps_to_the_lymphedema_never_to_meige_syndrome(
    committed: MappingIndex,
) -> None:
    for typed in ("Orphanet:90186", "ORPHA:90186"):
        rewrite = committed.rewrite(typed)
        assert rewrite is not None and rewrite.target == "MONDO:0007920"
    syndrome = committed.rewrite("Orphanet:93964")
    assert syndrome is not None and syndrome.target == "MONDO:0019772"


def test_mondo_ids_and_names_are_not_rewritten(committed: MappingIndex) -> None:
    assert committed.rewrite("MONDO:0005301") is None
    assert committed.rewrite("blepharospasm") is None
    assert committed.rewrite("DOID:0000000") is None


def test_inexact_matches_are_shown_never_used() -> None:
    index = read_mappings(DATA / "inexact.sssom.tsv")
    for typed, predicate in (("MESH:D000001", "broadMatch"), ("mesh:D000003", "closeMatch")):
        with pytest.raises(UnknownNameError) as err:
            index.rewrite(typed)
        assert predicate in str(err.value) and "not used" in str(err.value)
    with pytest.raises(AmbiguousNameError):
        index.rewrite("mesh:D000002")


def test_a_row_without_object_is_refused_with_its_line() -> None:
    with pytest.raises(SourceError) as err:
        read_mappings(DATA / "bad.sssom.tsv")
    assert "line 5" in str(err.value) or ":5" in str(err.value)
    assert "object_id" in str(err.value)


def test_ask_from_doid_and_mesh_answers_about_mondo_and_names_the_mapping(
    ox_engine: OxigraphEngine,
) -> None:
    for typed, set_name in (("DOID:2377", "exactmatch_doid"), ("MESH:D009103", "exactmatch_mesh")):
        answer = ask(ox_engine, typed, "blepharospasm")
        assert {answer.subject.id, answer.object.id} >= {"MONDO:0005301"}
        notes = " ".join(answer.cautions)
        assert typed in notes and "skos:exactMatch" in notes and set_name in notes


def test_ask_from_orphanet_meige_disease_is_refused_as_a_look_alike(
    ox_engine: OxigraphEngine,
) -> None:
    with pytest.raises(LookAlikeError) as err:
        ask(ox_engine, "Orphanet:90186", "blepharospasm")
    message = str(err.value)
    assert "MONDO:0007920" in message and "not blepharospasm-oromandibular" in message

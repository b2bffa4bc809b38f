"""load.py: the curated files load, and every kind of bad input stops with file, line and record."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from neurokg import errors
from neurokg.load import SOURCE_KINDS, Curation, load_curation

BAD = Path(__file__).parent / "data" / "bad"
EXPECTED = yaml.safe_load((BAD / "expected.yaml").read_text(encoding="utf-8"))


def test_curated_data_meets_the_issue_minimums(curation: Curation) -> None:
    publications = [s for s in curation.sources if s.kind not in ("reference", "ai_answer")]
    assert len(publications) >= 10
    assert all(s.pmid or s.doi for s in publications)
    assert len(curation.claims) >= 40
    assert all(c.support for c in curation.claims)
    assert {s.kind for s in curation.sources} <= set(SOURCE_KINDS)


def test_founding_answer_is_an_ai_source_and_none_of_its_claims_is_approved(
    curation: Curation,
) -> None:
    (founding,) = [s for s in curation.sources if s.key == "founding_answer"]
    assert founding.kind == "ai_answer"
    founding_claims = [
        c for c in curation.claims if {s.source for s in c.support} == {"founding_answer"}
    ]
    assert len(founding_claims) >= 20
    assert all(c.status != "approved" for c in founding_claims)
    assert all(s.evidence == "ECO:0000034" for c in founding_claims for s in c.support)


def test_every_founding_statement_with_a_wrong_fact_has_a_conflicting_literature_claim(
    curation: Curation,
) -> None:
    rejected = [c for c in curation.claims if c.status == "rejected"]
    assert rejected, "the founding answer's wrong statements are recorded as rejected claims"
    for claim in rejected:
        opposite = [
            c
            for c in curation.claims
            if (c.subject, c.predicate, c.object) == (claim.subject, claim.predicate, claim.object)
            and c.polarity != claim.polarity
            and c.status == "approved"
        ]
        assert opposite, f"{claim.id} is rejected but no approved claim says the opposite"


def test_records_remember_where_they_were_read(curation: Curation) -> None:
    claim = next(c for c in curation.claims if c.id == "ms-blepharospasm-cohort-2008")
    path = Path(claim.origin.path)
    assert path.name == "ms_movement_disorders.yaml"
    line = path.read_text(encoding="utf-8").splitlines()[claim.origin.line - 1]
    assert "ms-blepharospasm-cohort-2008" in line


@pytest.mark.parametrize("fixture", sorted(EXPECTED))
def test_bad_input_is_refused_with_file_line_and_record(fixture: str, mini_dir: Path) -> None:
    expected = EXPECTED[fixture]
    shutil.copy(BAD / fixture, mini_dir / fixture)
    with pytest.raises(errors.SourceError) as caught:
        load_curation([mini_dir])
    err = caught.value
    assert type(err).__name__ == expected["error"]
    assert expected["message"] in str(err)
    assert Path(err.path).name in (fixture, "claims.yaml")
    assert err.line == expected["line"]
    assert str(err).startswith(f"{err.path}:{err.line}:")


def test_the_mini_fixture_itself_loads(mini_dir: Path) -> None:
    curation = load_curation([mini_dir])
    assert [c.id for c in curation.claims] == [
        "ms-blepharospasm-cohort-2008",
        "founding-blepharospasm-midbrain",
    ]
    assert curation.claims[0].qualifiers.frequency == (2, 733)


def test_a_missing_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(errors.SourceError, match="no such file"):
        load_curation([tmp_path / "nope"])

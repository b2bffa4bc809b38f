"""neurokg stats: the counts agree with the curated records they come from."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from click.testing import CliRunner

from neurokg.cli import main
from neurokg.evidence import LEVELS
from neurokg.load import Curation
from neurokg.stats import Stats, collect_stats, stats_text
from neurokg.store import OxigraphEngine


@pytest.fixture(scope="module")
def counted(ox_engine: OxigraphEngine) -> Stats:
    return collect_stats(ox_engine)


def test_claims_by_status_match_the_curated_claims(counted: Stats, curation: Curation) -> None:
    assert counted.claims == len(curation.claims)
    assert counted.by_status == dict(sorted(Counter(c.status for c in curation.claims).items()))
    for status, levels in counted.by_certainty.items():
        assert sum(levels.values()) == counted.by_status[status]
        assert set(levels) <= set(LEVELS)


def test_source_kinds_count_each_claim_once_per_kind(counted: Stats, curation: Curation) -> None:
    kinds = {s.key: s.kind for s in curation.sources}
    expected: Counter[str] = Counter()
    for claim in curation.claims:
        for kind in {kinds[s.source] for s in claim.support}:
            expected[kind] += 1
    assert counted.by_source_kind == dict(sorted(expected.items()))


def test_publications_are_the_sources_with_pmid_or_doi(counted: Stats, curation: Curation) -> None:
    with_ids = {s.key for s in curation.sources if s.pmid or s.doi}
    assert {p["source"] for p in counted.publications} == with_ids
    uses = Counter(
        s.source for c in curation.claims for s in {x.source: x for x in c.support}.values()
    )
    for pub in counted.publications:
        assert pub["claims"] == uses[pub["source"]]


def test_terms_with_no_claim_are_named_by_no_claim(counted: Stats, curation: Curation) -> None:
    named: set[str] = set()
    for claim in curation.claims:
        q = claim.qualifiers
        named.update(
            t for t in (claim.subject, claim.object, q.context, q.lesion_site, q.target) if t
        )
    expected = sorted(t.id for t in curation.terms if t.id not in named)
    assert sorted(t["id"] for t in counted.unused_terms) == expected


def test_a_term_above_a_claimed_term_is_not_unused(counted: Stats, curation: Curation) -> None:
    """A term no claim names but that the curated is-a/part-of edges put above a claimed term
    (a whole or a parent: the roll-ups read it) carries that term; the others are unused."""
    parents = {t.id: {e.target for e in (*t.is_a, *t.part_of)} for t in curation.terms}

    def above(term: str) -> set[str]:
        found: set[str] = set()
        frontier = parents.get(term, set())
        while frontier - found:
            found |= frontier
            frontier = {p for t in frontier for p in parents.get(t, set())}
        return found

    named: set[str] = set()
    for c in curation.claims:
        q = c.qualifiers
        named.update(t for t in (c.subject, c.object, q.context, q.lesion_site, q.target) if t)
    held_up = {t for n in named for t in above(n)}
    for term in counted.unused_terms:
        assert ("above" in term) == (term["id"] in held_up), term
        if "above" in term:
            assert term["above"] in named and term["id"] in above(term["above"])
    assert counted.as_dict()["unused_terms"] == [
        t for t in counted.unused_terms if "above" not in t
    ]


def test_imports_are_listed_with_their_release(counted: Stats) -> None:
    versions = {i["graph"]: i["version"] for i in counted.imports}
    assert versions["import/hp-import"] == "hp/releases/2025-01-16"
    assert versions["import/mondo-import"] == "mondo/releases/2026-08-04"
    assert "import/eco-import" in versions
    assert not any(p["source"].startswith("import-") for p in counted.publications)
    text = stats_text(counted)
    assert "hp/releases/2025-01-16" in text and "Terms with no claim:" in text


def test_cli_stats_json(runner: CliRunner) -> None:
    result = runner.invoke(main, ["-q", "stats", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["claims"] == sum(data["claims_by_status"].values())
    assert data["publications"] == len(data["claims_per_publication"])

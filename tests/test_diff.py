"""Release diffs (issue #5): claims added, removed, changed in status, polarity, sources or
certainty."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Literal
from rdflib.namespace import PROV

from neurokg.cli_common import Group, Settings, build_from
from neurokg.cli_export import diff
from neurokg.diff import claim_states, diff_releases, read_release, render_markdown
from neurokg.export import export_release
from neurokg.namespaces import CLAIM, GRAPH_IRIS, NKG, OBO, RO, SOURCE

HAS_EVIDENCE = RO["0002558"]
ECO_USED_IN_DATA = OBO["ECO_0006016"]  # an evidence class the curated claims already use


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    kg = build_from(None)
    approved, everything = tmp_path_factory.mktemp("a"), tmp_path_factory.mktemp("b")
    export_release(kg, approved, formats=["trig", "nquads"])
    export_release(kg, everything, all_claims=True, formats=["trig"])
    edited = Dataset()
    edited.parse(everything / "neurokg.trig", format="trig")
    claims = edited.graph(GRAPH_IRIS["claims"])
    # promote an under-review claim, flip a polarity, drop a claim, cite a systematic review
    promoted = CLAIM["founding-ms-blepharospasm-association"]
    claims.set((promoted, NKG.curationStatus, NKG.Approved))
    flipped = CLAIM["blepharospasm-botulinum-toxin-a-series-1988"]
    claims.set((flipped, NKG.polarity, NKG.Negative))
    dropped = CLAIM["blepharoclonus-no-consistent-brainstem-lesion"]
    for triple in list(claims.triples((dropped, None, None))):
        claims.remove(triple)
    support = next(claims.objects(promoted, PROV.qualifiedDerivation))
    claims.set((support, PROV.entity, SOURCE.mehanna2013))
    claims.set((promoted, PROV.wasDerivedFrom, SOURCE.mehanna2013))
    evidence = next(o for o in claims.objects(promoted, HAS_EVIDENCE))
    claims.remove((promoted, HAS_EVIDENCE, evidence))
    for node in (promoted, support):
        claims.set((node, HAS_EVIDENCE, ECO_USED_IN_DATA))
    # the review's statement rests on controlled trials (what grading reads: README 'Certainty')
    claims.set((support, NKG.studyDesign, Literal("controlled_trial")))
    path = tmp_path_factory.mktemp("c") / "edited.trig"
    path.write_bytes(edited.serialize(format="trig", encoding="utf-8"))
    return {
        "approved": approved / "neurokg.trig",
        "approved_nq": approved / "neurokg.nq",
        "all": everything / "neurokg.trig",
        "edited": path,
    }


def test_same_release_has_no_changes(releases: dict[str, Path]) -> None:
    result = diff_releases(
        read_release(releases["approved"]), read_release(releases["approved_nq"])
    )
    assert not result.added and not result.removed and not result.changed
    # every claim of the release (the count grows with the curated data)
    assert result.unchanged == len(claim_states(read_release(releases["approved"]))) > 0


def test_pending_claims_show_as_added(releases: dict[str, Path]) -> None:
    result = diff_releases(read_release(releases["approved"]), read_release(releases["all"]))
    assert not result.removed and not result.changed
    assert {c.status for c in result.added} == {
        "under_review",
        "submitted",
        "rejected",
        "deprecated",
    }


def test_status_polarity_sources_and_certainty_changes(releases: dict[str, Path]) -> None:
    result = diff_releases(read_release(releases["all"]), read_release(releases["edited"]))
    changed = {c.after.id: c.fields() for c in result.changed}
    promoted = changed["founding-ms-blepharospasm-association"]
    assert promoted["status"] == ("under_review", "approved")
    assert promoted["sources"] == (["founding_answer"], ["mehanna2013"])
    # an AI answer's statement -> a systematic review of controlled trials
    assert promoted["certainty"] == ("very low", "high")
    assert changed["blepharospasm-botulinum-toxin-a-series-1988"] == {
        "polarity": ("positive", "negative")
    }
    assert [c.id for c in result.removed] == ["blepharoclonus-no-consistent-brainstem-lesion"]
    text = render_markdown(result)
    assert "## Changed (2)" in text and "status: under_review → approved" in text


def test_term_filter_follows_subclasses(releases: dict[str, Path]) -> None:
    old, new = read_release(releases["approved"]), read_release(releases["all"])
    result = diff_releases(old, new, terms=["HP:0000643", "multiple sclerosis"], match="all")
    assert result.added
    for state in result.added:
        assert "HP:0000643" in {state.subject, state.obj} or state.terms
    ids = {c.id for c in result.added}
    assert "founding-ms-blepharospasm-association" in ids
    assert "founding-rrms-blepharospasm-association" in ids  # RRMS is a subclass of MS
    only_ms = diff_releases(old, new, terms=["MONDO:0005301"])
    assert ids <= {c.id for c in only_ms.added}


def _cli() -> click.Group:
    @click.group(cls=Group)
    @click.pass_context
    def cli(ctx: click.Context) -> None:
        ctx.obj = Settings(quiet=True)

    cli.add_command(diff)
    return cli


def test_cli_diff_json(releases: dict[str, Path]) -> None:
    args = ["diff", str(releases["all"]), str(releases["edited"]), "--format", "json"]
    result = CliRunner().invoke(_cli(), [*args, "--term", "HP:0000643"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["summary"]["removed"] == 0  # the dropped claim is about blepharoclonus
    assert payload["summary"]["changed"] == 2 and payload["terms"][0]["id"] == "HP:0000643"
    assert payload["changed"][0]["changes"]


def test_cli_diff_unknown_term_and_bad_file(releases: dict[str, Path], tmp_path: Path) -> None:
    args = ["diff", str(releases["all"]), str(releases["edited"]), "--term", "HP:0000001"]
    assert CliRunner().invoke(_cli(), args).exit_code == 2
    bad = tmp_path / "bad.trig"
    bad.write_text("this is not TriG", encoding="utf-8")
    assert CliRunner().invoke(_cli(), ["diff", str(bad), str(releases["all"])]).exit_code == 2

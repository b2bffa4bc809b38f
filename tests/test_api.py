"""The Python API (api.py): neurokg.open and its verbs, and docs/api.md run as doctests (issue 13).

https://github.com/neurokg/neurokg/issues/13 (a documented Python API; names accepted wherever
the CLI accepts them; ask --pairs; ASK/CONSTRUCT/DESCRIBE; bare claim ids; relation labels).
"""

from __future__ import annotations

import doctest
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import neurokg
from neurokg import api
from neurokg.cli import LAZY_COMMANDS, LAZY_HELP, main
from neurokg.errors import NeurokgError, SourceError, UnknownNameError
from neurokg.outgoing import find_outgoing
from neurokg.pairs import Pair, PairError, read_pairs
from neurokg.query import bind_values, code_only
from neurokg.resources import list_queries, query_text

ROOT = Path(__file__).resolve().parents[1]
FOUNDING = "ms-blepharospasm-cohort-2008"


@pytest.fixture(scope="module")
def kg() -> api.Neurokg:
    return neurokg.open()


def test_docs_api_page_runs_as_doctests() -> None:
    result = doctest.testfile(
        str(ROOT / "docs" / "api.md"),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        raise_on_error=False,
        verbose=False,
    )
    assert result.attempted > 20
    assert result.failed == 0


def test_open_is_exported_and_typed() -> None:
    assert "open" in neurokg.__all__
    assert neurokg.open is api.open
    assert neurokg.Neurokg is api.Neurokg


def test_open_refuses_two_sources_and_a_missing_path(tmp_path: Path) -> None:
    with pytest.raises(NeurokgError, match="one of path, store or endpoint"):
        neurokg.open(tmp_path, store=tmp_path)
    with pytest.raises(SourceError, match="no such file"):
        neurokg.open(tmp_path / "missing.trig")


def test_ask_takes_the_names_the_cli_takes(kg: api.Neurokg) -> None:
    by_name = kg.ask("blepharospasm", "multiple sclerosis")
    by_curie = kg.ask("HP:0000643", "MONDO:0005301")
    assert by_name.as_dict()["claims"] == by_curie.as_dict()["claims"]
    assert by_name.answer == by_curie.answer == "yes"
    with pytest.raises(UnknownNameError):
        kg.ask("blepharospasm", "no such condition at all")


def test_ask_many_yields_errors_in_place(kg: api.Neurokg) -> None:
    results = list(kg.ask_many([("MS", "blepharospasm"), ("MS", "zzzz-nothing"), ("MS", "MS")]))
    assert [type(r).__name__ for r in results[:2]] == ["Answer", "UnknownNameError"]
    assert len(results) == 3


def test_claim_by_bare_id_curie_and_iri(kg: api.Neurokg) -> None:
    bare = kg.claim(FOUNDING)
    assert kg.claim(f"claim:{FOUNDING}") == bare
    assert kg.claim(f"https://w3id.org/neurokg/claim/{FOUNDING}") == bare
    assert bare.frequency == (2, 733)
    with pytest.raises(NeurokgError, match="no claim"):
        kg.claim("ms-blepharospasm-cohort-1908")
    with pytest.raises(NeurokgError, match="no claim"):
        kg.claim("Not A Claim Id")


def test_query_reads_a_bare_claim_id_as_the_claim(kg: api.Neurokg) -> None:
    result = kg.query("claim_evidence", claim=FOUNDING)
    assert result.rows, "a bare claim id must find the claim, not bind a literal"
    assert result.params["claim"].read_as.startswith("claim id")
    assert all(str(r["claim"]).endswith(FOUNDING) for r in result.rows)


def test_table_labels_relations(kg: api.Neurokg) -> None:
    table = kg.query("claim_summary", claim=FOUNDING).format("table", max_width=0)
    assert "RO:0002610 (correlated with)" in table


def test_run_ask_construct_describe(kg: api.Neurokg) -> None:
    prefix = "PREFIX nkg: <https://w3id.org/neurokg/> "
    yes = kg.run(prefix + "ASK { ?c nkg:subject ?s }", s="multiple sclerosis")
    no = kg.run(prefix + "ASK { ?c nkg:subject ?s }", s='"not an IRI"')
    assert (yes.boolean, no.boolean) == (True, False)
    assert json.loads(yes.format("json")) == {"head": {}, "boolean": True}
    built = kg.run(prefix + "CONSTRUCT { ?c nkg:subject ?s } WHERE { ?c nkg:subject ?s }", s="MS")
    assert built.form == "CONSTRUCT" and len(built) > 0
    assert "MONDO_0005301" in built.format("nt")
    described = kg.run("DESCRIBE ?c", c=f"claim:{FOUNDING}")
    assert described.form == "DESCRIBE" and len(described) > 5
    with pytest.raises(NeurokgError, match="returns triples"):
        built.format("csv")


def test_run_refuses_a_variable_only_in_a_comment(kg: api.Neurokg) -> None:
    text = "# ?site is not a variable here\nSELECT ?c WHERE { ?c a ?kind }"
    with pytest.raises(NeurokgError, match=r"no variable \?site"):
        kg.run(text, site="thalamus")


def test_bind_values_never_binds_inside_comments_or_strings() -> None:
    from rdflib import URIRef

    text = (
        "# SELECT ?x WHERE { ?x ?p ?condition }\n"
        'SELECT ?a WHERE { ?a <http://e/p> "WHERE { x" .  # WHERE {\n'
        "  { SELECT ?condition ?c WHERE { ?c <http://e/q> ?condition } LIMIT 9 } }"
    )
    bound = bind_values(text, {"condition": URIRef("http://e/C")})
    assert bound.splitlines()[0] == "# SELECT ?x WHERE { ?x ?p ?condition }"
    assert '"WHERE { x"' in bound and "# WHERE {\n" in bound
    assert bound.count("VALUES") == 2
    assert "WHERE { VALUES ?condition { <http://e/C> } ?c" in bound
    assert len(code_only(text)) == len(text)


def test_packaged_queries_send_no_requests() -> None:
    """check_local_query trusts the packaged named queries without parsing them each run."""
    for name in list_queries():
        assert find_outgoing(query_text(name)) == (), name


def test_read_pairs_tsv_csv_and_errors() -> None:
    text = (
        "first\tsecond\n"
        "blepharospasm\tmultiple sclerosis\n"
        "\n# a comment\n"
        '"Parkinson disease, juvenile",blepharospasm\n'
        "only-one\n"
        "a\tb\tc\n"
    )
    assert list(read_pairs(text)) == [
        Pair(2, "blepharospasm", "multiple sclerosis"),
        Pair(5, "Parkinson disease, juvenile", "blepharospasm"),
        PairError(
            6, "expected two terms separated by a tab or a comma, found 1 field(s) in 'only-one'"
        ),
        PairError(
            7, "expected two terms separated by a tab or a comma, found 3 field(s) in 'a\\tb\\tc'"
        ),
    ]


def test_cli_ask_pairs_answers_each_line_and_names_bad_lines(tmp_path: Path) -> None:
    pairs = tmp_path / "q.tsv"
    pairs.write_text("blepharospasm\tMS\nthalamus,diencephalon\nMS\tzzzz-nothing\n", "utf-8")
    result = CliRunner().invoke(main, ["ask", "--pairs", str(pairs), "--format", "json", "-q"])
    assert result.exit_code == 2
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["line"] for r in records] == [1, 2, 3]
    assert records[0]["answer"]["answer"] == "yes"
    assert records[1]["answer"]["relation"] == "part_of"
    assert "error" in records[2]
    assert f"{pairs}:3:" in result.stderr


def test_cli_ask_pairs_from_stdin_brief() -> None:
    result = CliRunner().invoke(
        main, ["-q", "ask", "--pairs", "-", "--brief"], input="MS,blepharospasm\n"
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("== <stdin>:1: MS / blepharospasm")


def test_cli_ask_needs_two_terms_or_pairs() -> None:
    assert CliRunner().invoke(main, ["ask", "blepharospasm"]).exit_code == 2


def test_help_lists_lazy_commands_with_their_own_help() -> None:
    """--help does not import the lazy commands; the lines it shows are theirs."""
    import click

    ctx = click.Context(main)
    for name in LAZY_COMMANDS:
        if name not in LAZY_HELP:
            continue
        command = main.get_command(ctx, name)
        assert command is not None
        assert command.get_short_help_str(1000) == LAZY_HELP[name], name


def test_query_file_ask_and_construct(tmp_path: Path) -> None:
    ask_file = tmp_path / "ask.rq"
    ask_file.write_text("PREFIX nkg: <https://w3id.org/neurokg/>\nASK { ?c nkg:subject ?s }\n")
    runner = CliRunner()
    result = runner.invoke(main, ["-q", "query", "--file", str(ask_file), "-p", "s=MS"])
    assert (result.exit_code, result.stdout) == (0, "yes\n")
    construct = tmp_path / "c.rq"
    construct.write_text(
        "PREFIX nkg: <https://w3id.org/neurokg/>\n"
        "CONSTRUCT { ?c nkg:subject ?s } WHERE { ?c nkg:subject ?s }\n"
    )
    result = runner.invoke(
        main, ["-q", "query", "--file", str(construct), "-p", "s=MS", "--format", "nt"]
    )
    assert result.exit_code == 0
    assert "<http://purl.obolibrary.org/obo/MONDO_0005301> ." in result.stdout
    result = runner.invoke(main, ["-q", "query", "--file", str(construct), "--format", "csv"])
    assert result.exit_code == 2 and "returns triples" in result.stderr


def test_validate_and_export(kg: api.Neurokg, tmp_path: Path) -> None:
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import DCAT, DCTERMS, FOAF, VOID

    from neurokg.export import Access

    report = kg.validate(reason=False)
    assert isinstance(report.conforms, bool)
    base, endpoint = "https://example.org/neurokg/", "https://example.org/sparql"
    release = kg.export(
        "turtle", tmp_path / "release", access=Access("Example Lab", base, endpoint)
    )
    assert (tmp_path / "release" / "neurokg.ttl").is_file()
    assert "neurokg.ttl" in release.checksums  # type: ignore[union-attr]
    void = Graph().parse(tmp_path / "release" / "void.ttl")
    dataset = URIRef(release.iri)  # type: ignore[union-attr]
    assert (dataset, VOID.dataDump, URIRef(base + "neurokg.ttl")) in void
    assert (dataset, VOID.sparqlEndpoint, URIRef(endpoint)) in void
    assert set(void.objects(None, DCAT.downloadURL)) == {
        URIRef(base + name)
        for name in release.checksums  # type: ignore[union-attr]
        if name != "void.ttl"  # the description cannot hold its own checksum
    }
    publisher = void.value(dataset, DCTERMS.publisher)
    assert void.value(publisher, FOAF.name) == Literal("Example Lab")
    assert (None, DCAT.endpointURL, URIRef(endpoint)) in void


def test_export_format_all_and_bad_url(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["-q", "export", "-o", str(tmp_path / "r"), "--format", "all"])
    assert result.exit_code == 0, result.output
    assert {"neurokg.ttl", "neurokg.nq", "nodes.tsv", "void.ttl"} <= {
        p.name for p in (tmp_path / "r").iterdir()
    }
    bad = ["-q", "export", "-o", str(tmp_path / "s"), "--base-url", "ftp://x"]
    result = runner.invoke(main, bad)
    assert result.exit_code == 2 and "not an http(s) URL" in result.stderr


def test_oxigraph_server_is_a_runtime_dependency() -> None:
    """A plain pip install can run `neurokg serve` (the binary comes with the oxigraph package)."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert any(d.split(">")[0].strip() == "oxigraph" for d in project["dependencies"])

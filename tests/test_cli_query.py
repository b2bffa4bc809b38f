"""cli_query.py: ``neurokg query`` and ``neurokg queries``, on memory, Oxigraph and a live endpoint.

Expected rows come from the curated claims (ontology/claims/*.yaml). Exit codes: 0 success, 2 for
any usage or input error (the command group maps ``NeurokgError``).
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from neurokg.build import KnowledgeGraph
from neurokg.cli_common import Group, Settings
from neurokg.cli_query import queries, query
from neurokg.curation import Curation
from neurokg.resources import list_queries

MS = "MONDO:0005301"
MEIGE = "MONDO:0019772"


def _below(curation: Curation, top: str) -> set[str]:
    """``top`` and every curated term whose is_a chain reaches it."""
    parents = {t.id: {e.target for e in t.is_a} for t in curation.terms}
    found, changed = {top}, True
    while changed:
        more = {t for t, ups in parents.items() if ups & found} - found
        changed, found = bool(more), found | more
    return found


@pytest.fixture(scope="module")
def ms_lesion_claims(curation: Curation) -> set[str]:
    """lesion_sites for MS, read from the YAML: lesion claims (any status) whose subject or
    context is MS or a subtype."""
    ms = _below(curation, MS)
    return {
        c.id
        for c in curation.claims
        if c.predicate == "RO:0004026" and (c.subject in ms or c.qualifiers.context in ms)
    }


@pytest.fixture(scope="module")
def meige_components(curation: Curation) -> set[str]:
    """syndrome_components for Meige syndrome: its 'has feature' claims, any status."""
    return {c.id for c in curation.claims if c.subject == MEIGE and c.predicate == "RO:0004029"}


def _cli(quiet: bool = True) -> click.Group:
    @click.group(cls=Group)
    @click.pass_context
    def cli(ctx: click.Context) -> None:
        ctx.obj = Settings(quiet=quiet)

    cli.add_command(query)
    cli.add_command(queries)
    return cli


def _run(runner: CliRunner, *args: str, quiet: bool = True) -> Result:
    return runner.invoke(_cli(quiet), list(args), catch_exceptions=False)


def _claims(result: Result, column: str = "claim") -> set[str]:
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return {b[column]["value"].rsplit("/", 1)[-1] for b in document["results"]["bindings"]}


def test_queries_lists_every_named_query_with_its_usage(runner: CliRunner) -> None:
    result = _run(runner, "queries")
    assert result.exit_code == 0
    for name in list_queries():
        assert f"\n{name}\n" in f"\n{result.stdout}"
    assert "usage:   neurokg query lesion_sites --param condition=VALUE" in result.stdout
    assert "columns: claim, feature, kind, status, polarity" in result.stdout


def test_queries_shows_one_query_with_its_sparql(runner: CliRunner) -> None:
    result = _run(runner, "queries", "syndrome_components", "--sparql")
    assert result.exit_code == 0
    assert result.stdout.startswith("syndrome_components\n")
    assert "nkg:predicate RO:0004029" in result.stdout
    assert "lesion_sites" not in result.stdout


@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
@pytest.mark.parametrize(
    "value",
    [
        "multiple sclerosis",
        "MS",
        "MONDO:0005301",
        "http://purl.obolibrary.org/obo/MONDO_0005301",
        "<http://purl.obolibrary.org/obo/MONDO_0005301>",
    ],
)
def test_query_by_label_abbreviation_curie_or_iri(
    runner: CliRunner, backend: str, value: str, ms_lesion_claims: set[str]
) -> None:
    result = _run(
        runner, "query", "lesion_sites", "-p", f"condition={value}", "--format", "json",
        "--backend", backend,
    )  # fmt: skip
    assert _claims(result) == ms_lesion_claims
    assert "ms-paroxysmal-dyskinesia-lesion-thalamus" in ms_lesion_claims  # the oracle reads data


def test_table_puts_labels_beside_identifiers(
    runner: CliRunner, meige_components: set[str]
) -> None:
    result = _run(runner, "query", "syndrome_components", "--param", "syndrome=Meige syndrome")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["claim", "feature", "kind", "status", "polarity"]
    assert "HP:0012048 (Oromandibular dystonia)" in result.stdout
    assert "claim:meige-has-oromandibular-dystonia" in result.stdout
    assert lines[-1] == f"({len(meige_components)} rows)"


def test_tsv_and_csv_output(runner: CliRunner, meige_components: set[str]) -> None:
    tsv = _run(runner, "query", "syndrome_components", "-p", "syndrome=MONDO:0019772", "--format",
               "tsv")  # fmt: skip
    assert tsv.exit_code == 0
    assert tsv.stdout.splitlines()[0] == "?claim\t?feature\t?kind\t?status\t?polarity"
    assert "<https://w3id.org/neurokg/claim/meige-has-blepharospasm>\t" in tsv.stdout
    csv = _run(runner, "query", "syndrome_components", "-p", "syndrome=MONDO:0019772", "--format",
               "csv")  # fmt: skip
    raw = csv.stdout_bytes.decode("utf-8")  # Result.stdout turns CRLF into LF
    assert raw.startswith("claim,feature,kind,status,polarity\r\n")
    assert len(raw.split("\r\n")) == 1 + len(meige_components) + 1  # header, rows, final empty


def test_two_parameters(runner: CliRunner) -> None:
    result = _run(runner, "query", "associations_between", "-p", "a=MS", "-p", "b=blepharospasm",
                  "--format", "json")  # fmt: skip
    claims = _claims(result)
    assert "ms-blepharospasm-cohort-2008" in claims
    assert "founding-rrms-blepharospasm-association" in claims  # through the subtype RRMS


def test_query_without_parameters(runner: CliRunner) -> None:
    result = _run(runner, "query", "conflicting_claims", "--format", "json")
    assert _claims(result, "negative_claim") == {
        "blepharospasm-not-paroxysmal-dyskinesia",
        "blepharospasm-not-canalith-repositioning",
    }


# ---------------------------------------------------------------- values and errors


@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
@pytest.mark.parametrize(
    "value", ["} ; DROP ALL ;", '"} ; DROP ALL ;"', "'{ ?s ?p ?o }'", 'x" } ; DROP ALL ; #']
)
def test_hostile_value_is_a_literal_that_matches_nothing(
    runner: CliRunner, backend: str, value: str, ms_lesion_claims: set[str]
) -> None:
    result = _run(runner, "query", "lesion_sites", "-p", f"condition={value}",
                  "--backend", backend)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "(0 rows)"
    after = _run(runner, "query", "lesion_sites", "-p", "condition=MS", "--format", "json",
                 "--backend", backend)  # fmt: skip
    assert _claims(after) == ms_lesion_claims


def test_hostile_iri_is_an_input_error(runner: CliRunner) -> None:
    result = _run(runner, "query", "lesion_sites", "-p", "condition=<http://a>}DROP{<b>")
    assert result.exit_code == 2
    assert "not a valid IRI" in result.stderr


def test_quoted_value_is_a_literal_even_when_it_names_a_term(runner: CliRunner) -> None:
    result = _run(runner, "query", "lesion_sites", "-p", 'condition="multiple sclerosis"')
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "(0 rows)"


def test_unknown_name_is_a_literal_with_a_note(runner: CliRunner) -> None:
    result = _run(runner, "query", "lesion_sites", "-p", "condition=multple sclerosis", quiet=False)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "(0 rows)"
    assert "bound as the literal" in result.stderr and "multiple sclerosis" in result.stderr


def test_ambiguous_name_exits_2_with_candidates(runner: CliRunner) -> None:
    result = _run(runner, "query", "treatments", "-p", "condition=oromandibular dystonia")
    assert result.exit_code == 2
    assert "HP:0012048" in result.stderr and "MONDO:0019771" in result.stderr


@pytest.mark.parametrize("value", ["MONDO:0002825", "Meige disease", "MONDO:0004058"])
def test_refused_or_unknown_term_identifier_exits_2(runner: CliRunner, value: str) -> None:
    result = _run(runner, "query", "treatments", "-p", f"condition={value}")
    assert result.exit_code == 2
    assert value in result.stderr
    # MONDO:0004058 'pancreatic cholera' is a real Mondo class (reports/class-stats.tsv of
    # monarch-initiative/mondo@fad2512) that no curated file and no import module holds
    if value != "MONDO:0004058":
        assert "MONDO:0019772" in result.stderr  # what to use instead


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "no_such_query"], "no named query 'no_such_query'"),
        (["query", "lesion_sites", "-p", "disease=MS"], "has no parameter 'disease'"),
        (["query", "lesion_sites"], "needs parameter(s) condition"),
        (["query", "associations_between", "-p", "a=MS"], "needs parameter(s) b"),
        (["query", "conflicting_claims", "-p", "a=MS"], "its parameters: none"),
        (["query", "lesion_sites", "-p", "condition"], "write NAME=VALUE"),
        (["query", "lesion_sites", "-p", "a=MS", "-p", "a=MS"], "given twice"),
        (["query"], "give a query NAME or --file FILE"),
    ],
)
def test_usage_errors_exit_2(runner: CliRunner, args: list[str], message: str) -> None:
    result = _run(runner, *args)
    assert result.exit_code == 2
    assert message in result.stderr


# ---------------------------------------------------------------- a researcher's own query

OWN_QUERY = """# Conditions whose claims a source supports.
# params: ?source  IRI of a source
# columns: claim, subject
PREFIX nkg: <https://w3id.org/neurokg/>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT DISTINCT ?claim ?subject WHERE {
  ?claim prov:wasDerivedFrom ?source ; nkg:subject ?subject .
}
"""


@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
def test_own_query_file(
    runner: CliRunner, tmp_path: Path, backend: str, curation: Curation
) -> None:
    path = tmp_path / "mine.rq"
    path.write_text(OWN_QUERY, encoding="utf-8")
    result = _run(runner, "query", "--file", str(path), "-p", "source=source:grandas1988",
                  "--format", "json", "--backend", backend)  # fmt: skip
    grandas = {c.id for c in curation.claims if "grandas1988" in {s.source for s in c.support}}
    assert "blepharospasm-botulinum-toxin-a-series-1988" in grandas
    assert _claims(result) == grandas
    undeclared = _run(runner, "query", "--file", str(path), "-p", "site=brainstem")
    assert undeclared.exit_code == 2 and "has no parameter 'site'" in undeclared.stderr
    both = _run(runner, "query", "lesion_sites", "--file", str(path))
    assert both.exit_code == 2


def test_own_query_without_header_checks_its_variables(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "mine.sparql"
    path.write_text(OWN_QUERY.split("PREFIX", 1)[1].join(["PREFIX", ""]), encoding="utf-8")
    ok = _run(runner, "query", "--file", str(path), "-p", "source=source:pandey2017", "--format",
              "csv")  # fmt: skip
    assert ok.exit_code == 0
    assert "https://w3id.org/neurokg/claim/meige-has-blepharospasm," in ok.stdout
    bad = _run(runner, "query", "--file", str(path), "-p", "nothing=1")
    assert bad.exit_code == 2 and "no variable ?nothing" in bad.stderr


@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
@pytest.mark.parametrize(
    ("text", "message"),
    [
        # ASK, CONSTRUCT and DESCRIBE run since issue 13 (tests/test_api.py)
        ("DROP ALL", "does not parse"),
        ("SELECT ?s WHERE { ?s ?p }", "does not parse"),
    ],
)
def test_own_query_that_is_not_a_select_exits_2(
    runner: CliRunner, tmp_path: Path, backend: str, text: str, message: str, kg: KnowledgeGraph
) -> None:
    path = tmp_path / "bad.rq"
    path.write_text(text, encoding="utf-8")
    result = _run(runner, "query", "--file", str(path), "--backend", backend)
    assert result.exit_code == 2
    assert message in result.stderr


# ---------------------------------------------------------------- a live SPARQL 1.1 endpoint


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def endpoint(kg: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``oxigraph serve`` over the built dataset, the union of named graphs as default graph."""
    binary = shutil.which("oxigraph") or str(Path(__file__).parents[1] / ".venv/bin/oxigraph")
    if not Path(binary).exists():
        pytest.skip("the oxigraph server binary is not installed (pip install oxigraph)")
    folder = tmp_path_factory.mktemp("endpoint")
    dump = folder / "neurokg.nq"
    dump.write_bytes(kg.dataset.serialize(format="nquads", encoding="utf-8"))
    store = folder / "store"
    subprocess.run([binary, "load", "--location", str(store), "--file", str(dump)], check=True)
    port = _free_port()
    server = subprocess.Popen(
        [binary, "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{port}",
         "--union-default-graph"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/query"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "param"),
    [
        ("lesion_sites", "condition=multiple sclerosis"),
        ("syndrome_components", "syndrome=MONDO:0019772"),
        ("claims_by_source", "source=source:grandas1988"),
        ("associations_between", None),
    ],
)
def test_endpoint_answers_like_the_local_graph(
    runner: CliRunner, endpoint: str, name: str, param: str | None
) -> None:
    params = ["-p", param] if param else ["-p", "a=MS", "-p", "b=Blepharospasm"]
    remote = _run(runner, "query", name, *params, "--format", "tsv", "--endpoint", endpoint)
    local = _run(runner, "query", name, *params, "--format", "tsv", "--backend", "oxigraph")
    assert remote.exit_code == 0, remote.stderr
    assert remote.stdout.splitlines()[1:], "no rows: the comparison would prove nothing"
    assert sorted(remote.stdout.splitlines()) == sorted(local.stdout.splitlines())


@pytest.mark.slow
def test_endpoint_hostile_value_matches_nothing(
    runner: CliRunner, endpoint: str, ms_lesion_claims: set[str]
) -> None:
    result = _run(runner, "query", "lesion_sites", "-p", 'condition="} ; DROP ALL ;"',
                  "--format", "json", "--endpoint", endpoint)  # fmt: skip
    assert _claims(result) == set()
    again = _run(runner, "query", "lesion_sites", "-p", "condition=MS", "--format", "json",
                 "--endpoint", endpoint)  # fmt: skip
    assert _claims(again) == ms_lesion_claims

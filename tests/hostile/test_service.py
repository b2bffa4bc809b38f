"""A local query sends no request unless asked: SERVICE, FROM and LOAD (issue 16, hardening).

https://github.com/neurokg/neurokg/issues/16 — ``neurokg query --file q.rq`` with ``SERVICE <url>``
made both engines send an HTTP request, ``FROM <url>`` made rdflib fetch the URL, and ``SERVICE
<file:///etc/passwd>`` ended in a traceback. Local engines now parse each query and refuse those
parts (exit 2) unless ``--allow-service``; each refusal is proven by a listener that saw nothing,
and the allowed case by one that saw the request.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from listener import Listener
from rdflib import URIRef

from neurokg.cli import main
from neurokg.errors import NeurokgError
from neurokg.namespaces import GRAPH_IRIS
from neurokg.outgoing import Outgoing, find_outgoing
from neurokg.query import LocalEngine, bind_rows, run_for
from neurokg.store import OxigraphEngine

BACKENDS = ["oxigraph", "memory"]
REFUSED = {
    "SERVICE": "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SERVICE SILENT": "SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ SERVICE SILENT <{url}> {{ }} }} }}",
    "FROM": "SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",
    "FROM NAMED": "SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    # rdflib expands \u escapes before parsing, Oxigraph only inside strings: both readings count
    "escaped quote": 'SELECT * {{ BIND("\\u0022" AS ?a) SERVICE <{url}> {{}} '
    'BIND("\\u0022" AS ?b) }}',
    "escaped keyword": "SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    "subquery": "SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
}


def _run(runner: CliRunner, path: Path, text: str, *args: str) -> Result:
    path.write_text(text, encoding="utf-8")
    return runner.invoke(main, ["-q", "query", "--file", str(path), "--format", "tsv", *args])


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", sorted(REFUSED))
def test_outgoing_query_is_refused_and_sends_nothing(
    runner: CliRunner, tmp_path: Path, backend: str, case: str
) -> None:
    with Listener() as ear:
        text = REFUSED[case].format(url=ear.url)
        result = _run(runner, tmp_path / "q.rq", text, "--backend", backend)
        assert result.exit_code == 2, result.output
        assert "refused" in result.stderr and "--allow-service" in result.stderr
        assert ear.url in result.stderr
        assert result.stdout == ""
        assert ear.quiet()


@pytest.mark.parametrize("backend", BACKENDS)
def test_file_service_is_refused_without_a_traceback(
    runner: CliRunner, tmp_path: Path, backend: str
) -> None:
    text = "SELECT * WHERE { SERVICE <file:///etc/passwd> { ?s ?p ?o } }"
    result = _run(runner, tmp_path / "q.rq", text, "--backend", backend)
    assert result.exit_code == 2, result.output
    assert "SERVICE <file:///etc/passwd>" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("backend", BACKENDS)
def test_load_is_refused(runner: CliRunner, tmp_path: Path, backend: str) -> None:
    with Listener() as ear:
        result = _run(runner, tmp_path / "q.rq", f"LOAD <{ear.url}>", "--backend", backend)
        assert result.exit_code == 2, result.output
        assert f"LOAD <{ear.url}>" in result.stderr
        assert ear.quiet()


@pytest.mark.parametrize("backend", BACKENDS)
def test_words_in_strings_and_comments_are_not_clauses(
    runner: CliRunner, tmp_path: Path, backend: str
) -> None:
    text = (
        "# SERVICE <http://127.0.0.1:9/> { } FROM <http://127.0.0.1:9/> LOAD\n"
        'SELECT ?s WHERE { ?s ?p "SERVICE <http://127.0.0.1:9/> { ?a ?b ?c }" }\n'
    )
    result = _run(runner, tmp_path / "q.rq", text, "--backend", backend)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["?s"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_from_a_graph_of_the_store_is_allowed(
    runner: CliRunner, tmp_path: Path, backend: str
) -> None:
    text = f"SELECT (COUNT(*) AS ?n) FROM <{GRAPH_IRIS['direct']}> WHERE {{ ?s ?p ?o }}"
    result = _run(runner, tmp_path / "q.rq", text, "--backend", backend)
    assert result.exit_code == 0, result.output
    assert int(result.stdout.splitlines()[1].split('"')[1]) > 0


@pytest.mark.parametrize("backend", BACKENDS)
def test_allow_service_does_send_the_request(
    runner: CliRunner, tmp_path: Path, backend: str
) -> None:
    """The listener sees a SERVICE request when allowed: so the refusals above prove something."""
    with Listener() as ear:
        text = REFUSED["SERVICE"].format(url=ear.url)
        result = _run(runner, tmp_path / "q.rq", text, "--backend", backend, "--allow-service")
        assert not ear.quiet(settle=0)
        assert b"/sparql" in ear.received[0]
    assert result.exit_code == 2, result.output  # the listener answers nothing: a clean error
    assert "the query failed" in result.stderr


def test_allow_service_is_for_local_queries(runner: CliRunner, tmp_path: Path) -> None:
    with Listener() as ear:
        result = _run(
            runner, tmp_path / "q.rq", "SELECT * {}", "--endpoint", ear.url, "--allow-service"
        )
        assert result.exit_code == 2
        assert "--allow-service is for local queries" in result.stderr
        assert ear.quiet()


def test_every_local_query_passes_the_guard(
    local_engine: LocalEngine, ox_engine: OxigraphEngine
) -> None:
    """The guard is in the engines' ``select``, which named queries and ``run_for`` go through."""
    template = "SELECT ?s WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
    bound = bind_rows(template, ["s"], [[URIRef("http://example.org/a")]])
    for engine in (local_engine, ox_engine):
        with pytest.raises(NeurokgError, match="SERVICE"):
            engine.select(template, {})
        with pytest.raises(NeurokgError, match="SERVICE"):
            engine.select(bound, {})
        assert run_for(engine, "claim_summary", "claim", [URIRef("urn:x")]) == []


def test_find_outgoing_reads_the_parse_tree() -> None:
    text = (
        "SELECT * FROM <http://a/> FROM NAMED <http://b/> WHERE {"
        ' ?s ?p "SERVICE <http://no/>" FILTER EXISTS { SERVICE SILENT ?where { } } }'
    )
    assert set(find_outgoing(text)) == {
        Outgoing("FROM", "<http://a/>"),
        Outgoing("FROM NAMED", "<http://b/>"),
        Outgoing("SERVICE SILENT", "?where"),
    }
    assert find_outgoing("SELECT * WHERE { ?s <http://x/wasDerivedFrom> ?o }") == ()
    update = "LOAD SILENT <http://c/> ; INSERT { ?s ?p ?o } USING <http://d/> WHERE { ?s ?p ?o }"
    assert set(find_outgoing(update)) == {
        Outgoing("LOAD SILENT", "<http://c/>"),
        Outgoing("USING", "<http://d/>"),
    }

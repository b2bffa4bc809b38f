"""publish/ without servers: batching, credentials, the HTTP requests it sends, the CLI.

The contract against real servers is in test_servers.py (marker ``servers``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, ClassVar

import pytest
from click.testing import CliRunner
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF

from neurokg.build import KnowledgeGraph
from neurokg.cli_common import Group, Settings
from neurokg.cli_publish import publish
from neurokg.errors import EndpointError, NeurokgError
from neurokg.publish import (
    ENV_PASSWORD,
    ENV_USER,
    PUBLISHED_GRAPHS,
    Auth,
    auth_from_env,
    batch_triples,
    publish_graph,
)

EX = "https://example.org/"


def _graph_with_axioms(n: int) -> Graph:
    graph = Graph()
    for i in range(n):
        axiom = BNode()
        graph.add((URIRef(f"{EX}s{i}"), URIRef(f"{EX}p"), Literal(i)))
        graph.add((axiom, RDF.type, OWL.Axiom))
        graph.add((axiom, OWL.annotatedSource, URIRef(f"{EX}s{i}")))
        graph.add((axiom, URIRef(f"{EX}note"), Literal(f"axiom {i}")))
    return graph


def test_batches_cover_the_graph_and_keep_blank_node_groups_whole() -> None:
    graph = _graph_with_axioms(50)
    batches = list(batch_triples(graph, 10, 7))
    triples = [t for _, batch in batches for t in batch]
    assert sorted(triples) == sorted(graph)
    for has_blank, batch in batches:
        assert len(batch) <= (6 if has_blank else 10)  # groups of 3 packed under 7
        for node in {t for triple in batch for t in triple if isinstance(t, BNode)}:
            assert len(list(graph.triples((node, None, None)))) == sum(
                1 for triple in batch if triple[0] == node
            )
        assert has_blank == any(isinstance(t, BNode) for triple in batch for t in triple)


def test_blank_node_chains_are_one_group(kg: KnowledgeGraph) -> None:
    """build/'s OWL restrictions link blank nodes to blank nodes: none may be split."""
    terms = kg.graph("terms")
    for _, batch in batch_triples(terms, 1):
        nodes = {t for triple in batch for t in triple if isinstance(t, BNode)}
        mentioned = {t for t in terms if nodes & {t[0], t[2]}}
        assert mentioned <= set(batch)


def test_batch_size_must_be_positive() -> None:
    with pytest.raises(NeurokgError, match="at least 1"):
        list(batch_triples(Graph(), 0))


def test_credentials_come_from_the_environment_and_never_print() -> None:
    auth = auth_from_env("digest", {ENV_USER: "curator", ENV_PASSWORD: "s3cret-value"})
    assert auth == Auth("digest", "curator", "s3cret-value")
    assert "s3cret-value" not in repr(auth)
    with pytest.raises(NeurokgError, match=ENV_PASSWORD) as info:
        auth_from_env("basic", {ENV_USER: "curator"})
    assert "curator" not in str(info.value)


class _Recorder(BaseHTTPRequestHandler):
    """Answers every POST: 204 for updates, a COUNT as JSON for queries; records requests."""

    requests: ClassVar[list[tuple[str, dict[str, str], bytes]]] = []
    status: ClassVar[int] = 204

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.requests.append((self.path, dict(self.headers), body))
        if self.status != 204:
            self.send_response(self.status)
            self.end_headers()
            self.wfile.write(b"refused\n")
            return
        if body.startswith(b"query="):
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            self.wfile.write(b'{"head":{"vars":["n"]},"results":{"bindings":[]}}')
            return
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        """Silence http.server's stderr log."""


@pytest.fixture
def recorder() -> Iterator[str]:
    _Recorder.requests = []
    _Recorder.status = 204
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join(timeout=5)


def test_basic_auth_is_sent_and_a_refusal_does_not_echo_it(
    recorder: str, kg: KnowledgeGraph
) -> None:
    _Recorder.status = 403
    with pytest.raises(EndpointError, match="HTTP 403") as info:
        publish_graph(
            kg,
            query_endpoint=f"{recorder}/query",
            update_endpoint=f"{recorder}/update",
            auth=Auth("basic", "curator", "pw-4-test"),
        )
    assert "pw-4-test" not in str(info.value)
    headers = _Recorder.requests[0][1]
    assert headers["Authorization"].startswith("Basic ")
    # the staging graph is dropped after the failure
    assert b"DROP+SILENT+GRAPH" in _Recorder.requests[-1][2]


def test_a_short_upload_is_caught_before_the_swap(recorder: str, kg: KnowledgeGraph) -> None:
    """The server claims success but holds nothing: the count check stops before any MOVE."""
    with pytest.raises(EndpointError, match="holds 0 triples"):
        publish_graph(kg, query_endpoint=f"{recorder}/query", update_endpoint=f"{recorder}/update")
    bodies = b"".join(body for _, _, body in _Recorder.requests)
    assert b"MOVE" not in bodies


def test_endpoint_must_be_http(kg: KnowledgeGraph) -> None:
    with pytest.raises(NeurokgError, match="not an http"):
        publish_graph(kg, query_endpoint="file:///etc/passwd", update_endpoint="file:///x")


def test_published_graphs_are_the_dataset_graphs_meta_last(kg: KnowledgeGraph) -> None:
    names = [name for name, _ in PUBLISHED_GRAPHS]
    assert names[-1] == "meta"
    named = {c.identifier for c in kg.dataset.graphs() if len(c)}
    assert named == {iri for _, iri in PUBLISHED_GRAPHS if len(kg.dataset.graph(iri))}


def _cli() -> Group:
    return Group(name="neurokg", commands={"publish": publish})


def test_cli_auth_without_environment_exits_2(runner: CliRunner) -> None:
    result = runner.invoke(
        _cli(),
        ["publish", "--endpoint", "http://127.0.0.1:9/sparql", "--auth", "digest"],
        obj=Settings(quiet=True),
        env={ENV_USER: "", ENV_PASSWORD: ""},
    )
    assert result.exit_code == 2
    assert ENV_PASSWORD in result.output


def test_cli_unreachable_endpoint_exits_2(runner: CliRunner) -> None:
    result = runner.invoke(
        _cli(), ["publish", "--endpoint", "http://127.0.0.1:9/sparql"], obj=Settings(quiet=True)
    )
    assert result.exit_code == 2
    assert "cannot be reached" in result.output

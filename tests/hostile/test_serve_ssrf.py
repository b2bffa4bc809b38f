"""serve: no server-side request forgery, and bounded requests (issue 16, hardening).

https://github.com/neurokg/neurokg/issues/16 — a client's ``SERVICE <http://127.0.0.1:PORT/...>``
made the Oxigraph server behind ``neurokg serve`` send a request to that address. The proxy now
parses every query and refuses SERVICE and LOAD with 400 (GET, POST form, POST
``application/sparql-query``, and the HTML page); a listener proves nothing was sent, and the
control test proves Oxigraph alone would have sent it. ``Content-Length: abc`` was a traceback
and a closed connection: now 400; bodies are capped (413) and a stalled body is cut off (408).
"""

from __future__ import annotations

import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from listener import Listener

from neurokg.build import KnowledgeGraph
from neurokg.serve import Endpoint, Limits, start_endpoint
from servers import OxigraphServer

pytestmark = pytest.mark.slow

QUERIES = {
    "SERVICE": "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SERVICE SILENT": "SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ SERVICE SILENT <{url}> {{ }} }} }}",
    "escaped quote": 'SELECT * {{ BIND("\\u0022" AS ?a) SERVICE <{url}> {{}} '
    'BIND("\\u0022" AS ?b) }}',
    "prefixed name": "PREFIX x: <{url}> SELECT * WHERE {{ SERVICE x: {{ ?s ?p ?o }} }}",
    "comment then CR": "SELECT * WHERE {{ # a comment\rSERVICE <{url}> {{ }} }}",
    "LOAD as a query": "LOAD <{url}>",
}
BODY_LIMIT = 4096
POST = "POST /query HTTP/1.1\nHost: x\nContent-Type: application/sparql-query\n"


@pytest.fixture(scope="module")
def endpoint(kg: KnowledgeGraph) -> Iterator[Endpoint]:
    limits = Limits(timeout_s=5, max_body_bytes=BODY_LIMIT, read_timeout_s=1)
    with start_endpoint(kg.dataset, port=0, limits=limits) as running:
        yield running


def _send(endpoint: Endpoint, method: str, query: str) -> tuple[int, str]:
    if method == "GET":
        request = urllib.request.Request(
            f"{endpoint.url}?{urllib.parse.urlencode({'query': query})}"
        )
    elif method == "POST form":
        body = urllib.parse.urlencode({"query": query}).encode()
        request = urllib.request.Request(endpoint.url, data=body, method="POST")
    else:
        headers = {"Content-Type": "application/sparql-query"}
        request = urllib.request.Request(endpoint.url, query.encode(), headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


@pytest.mark.parametrize("method", ["GET", "POST form", "POST sparql-query"])
@pytest.mark.parametrize("case", sorted(QUERIES))
def test_outgoing_query_is_refused_and_nothing_is_sent(
    endpoint: Endpoint, method: str, case: str
) -> None:
    with Listener() as ear:
        status, body = _send(endpoint, method, QUERIES[case].format(url=ear.url))
        assert status == 400, body
        assert "SERVICE" in body
        assert ear.quiet()


def test_the_page_refuses_it_too(endpoint: Endpoint) -> None:
    with Listener() as ear:
        query = QUERIES["SERVICE"].format(url=ear.url)
        url = f"{endpoint.base_url}/?{urllib.parse.urlencode({'query': query})}"
        with urllib.request.urlopen(url, timeout=30) as response:
            page = response.read().decode()
        assert "Query refused: SERVICE is not allowed" in page
        assert ear.quiet()


@pytest.mark.parametrize("clause", ["FROM", "FROM NAMED"])
def test_from_reads_the_store_and_sends_nothing(endpoint: Endpoint, clause: str) -> None:
    with Listener() as ear:
        status, body = _send(endpoint, "GET", f"SELECT * {clause} <{ear.url}> WHERE {{ }}")
        assert status == 200, body
        assert ear.quiet()


def test_a_string_that_says_service_is_a_string(endpoint: Endpoint) -> None:
    status, body = _send(
        endpoint, "GET", 'SELECT ?x WHERE { BIND("SERVICE <http://a/> {}" AS ?x) }'
    )
    assert status == 200, body
    assert "SERVICE <http://a/> {}" in body


def test_oxigraph_alone_would_send_the_request(tmp_path: Path) -> None:
    """Control: the same query sent to an Oxigraph server with no proxy reaches the listener."""
    server = OxigraphServer(tmp_path).start()
    try:
        with Listener() as ear:
            query = urllib.parse.urlencode({"query": QUERIES["SERVICE SILENT"].format(url=ear.url)})
            with urllib.request.urlopen(f"{server.query_url}?{query}", timeout=30) as response:
                response.read()
            assert not ear.quiet(settle=0.5)
    finally:
        server.stop()


def _raw(endpoint: Endpoint, head: str, body: bytes = b"", wait: float = 10) -> str:
    """Send a hand-written request; return the status code of the answer."""
    host, port = urllib.parse.urlsplit(endpoint.url).netloc.split(":")
    with socket.create_connection((host, int(port)), timeout=wait) as connection:
        connection.sendall(head.replace("\n", "\r\n").encode() + b"\r\n" + body)
        answer = connection.recv(4096).decode("latin-1")
    return answer.split(" ", 2)[1]


@pytest.mark.parametrize("length", ["abc", "-5", "1e3", " 12x"])
def test_bad_content_length_is_400(endpoint: Endpoint, length: str) -> None:
    assert _raw(endpoint, f"{POST}Content-Length: {length}\n") == "400"


def test_body_above_the_limit_is_413(endpoint: Endpoint) -> None:
    head = f"POST /query HTTP/1.1\nHost: x\nContent-Length: {BODY_LIMIT + 1}\n"
    assert _raw(endpoint, head) == "413"
    status, body = _send(endpoint, "POST sparql-query", "ASK {}" + " " * BODY_LIMIT)
    assert status == 413 and f"at most {BODY_LIMIT} bytes" in body


def test_chunked_body_is_411(endpoint: Endpoint) -> None:
    head = "POST /query HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n"
    assert _raw(endpoint, head, b"6\r\nASK {}\r\n0\r\n\r\n") == "411"


def test_a_stalled_body_is_cut_off(endpoint: Endpoint) -> None:
    assert _raw(endpoint, f"{POST}Content-Length: 100\n", b"ASK {", wait=10) == "408"


def test_the_endpoint_still_answers(endpoint: Endpoint) -> None:
    status, body = _send(endpoint, "POST sparql-query", "ASK { ?s ?p ?o }")
    assert status == 200 and "true" in body

"""serve under load (issue 16): many clients at once get answers or a documented 503 "busy",
slow and idle clients do not hold the server, odd Accept headers and paths never break it,
and it prints no traceback. Bounded in count and time, loopback only."""

from __future__ import annotations

import socket
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator

import pytest

from neurokg.cli_common import build_from
from neurokg.serve import Endpoint, Limits, start_endpoint

pytestmark = pytest.mark.slow

QUERY = "SELECT ?c WHERE { ?c a <https://w3id.org/neurokg/Claim> } LIMIT 5"
CLIENTS, PER_CLIENT = 200, 5


@pytest.fixture(scope="module")
def endpoint() -> Iterator[Endpoint]:
    limits = Limits(timeout_s=5, max_concurrent=4, queue_wait_s=2.0, read_timeout_s=2.0)
    with start_endpoint(build_from(None).dataset, port=0, limits=limits) as running:
        yield running


def _get(url: str, accept: str = "application/sparql-results+json") -> tuple[int, float]:
    started = time.monotonic()
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            status = int(response.status)
    except urllib.error.HTTPError as err:
        status = err.code
    return status, time.monotonic() - started


def test_a_burst_of_clients_gets_answers_or_busy(
    endpoint: Endpoint, capfd: pytest.CaptureFixture[str]
) -> None:
    url = f"{endpoint.url}?{urllib.parse.urlencode({'query': QUERY})}"
    results: list[tuple[int, float]] = []
    lock = threading.Lock()

    def client() -> None:
        for _ in range(PER_CLIENT):
            try:
                found = _get(url)
            except OSError:
                found = (0, 0.0)  # a connection the server dropped: counted as an error
            with lock:
                results.append(found)

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    statuses = Counter(status for status, _ in results)
    latencies = sorted(seconds for status, seconds in results if status == 200)
    p95 = statistics.quantiles(latencies, n=20)[-1] if len(latencies) > 1 else 0.0
    total = CLIENTS * PER_CLIENT
    with capfd.disabled():  # the figure, for the closing note and the README
        print(f"\n{total} requests from {CLIENTS} clients: {dict(statuses)}, p95 {p95:.2f} s")
    assert sum(statuses.values()) == CLIENTS * PER_CLIENT
    assert set(statuses) <= {200, 503}, statuses  # nothing but answers and documented "busy"
    assert statuses[200] > 0
    # still answering afterwards, and not one traceback on the console
    assert _get(url)[0] == 200
    assert "Traceback" not in capfd.readouterr().err


def test_slow_and_idle_clients_do_not_hold_the_server(
    endpoint: Endpoint, capfd: pytest.CaptureFixture[str]
) -> None:
    host, port = "127.0.0.1", int(endpoint.url.split(":")[2].split("/")[0])
    lorises = []
    for _ in range(5):
        sock = socket.create_connection((host, port), timeout=10)
        sock.sendall(b"GET /query?query=x HTTP/1.1\r\nHost: x\r\n")  # never finished
        lorises.append(sock)
    idle = socket.create_connection((host, port), timeout=10)  # sends nothing at all
    try:
        url = f"{endpoint.url}?{urllib.parse.urlencode({'query': QUERY})}"
        assert _get(url)[0] == 200  # answered while they hang
        time.sleep(3)  # past the read timeout (2 s): the server hung up on them
        for sock in [*lorises, idle]:
            answer = sock.recv(65536)  # a 408 for the half-sent request, or a plain hang-up
            assert answer == b"" or (answer.startswith(b"HTTP/1.") and sock.recv(65536) == b"")
    finally:
        for sock in [*lorises, idle]:
            sock.close()
    assert "Traceback" not in capfd.readouterr().err


@pytest.mark.parametrize(
    "accept", ["", "*/*", "garbage", "text/html;q=abc", "application/json;;;", "ä/ö", "*/" * 500]
)
def test_odd_accept_headers_never_break_it(endpoint: Endpoint, accept: str) -> None:
    url = f"{endpoint.url}?{urllib.parse.urlencode({'query': QUERY})}"
    status, _ = _get(url, accept.encode("latin-1", "replace").decode("latin-1"))
    assert status in (200, 406)


@pytest.mark.parametrize("path", ["/../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/query/../../x"])
def test_path_traversal_finds_nothing(endpoint: Endpoint, path: str) -> None:
    status, _ = _get(endpoint.url.rsplit("/", 1)[0] + path)
    assert status in (400, 404)


def test_client_faults_are_one_line_each_in_the_error_log(endpoint: Endpoint) -> None:
    log = endpoint.folder / "serve-errors.log"
    text = log.read_text(encoding="utf-8") if log.exists() else ""
    assert "Traceback" not in text
    assert all(": " in line for line in text.splitlines())


def test_a_runaway_query_is_cut_near_the_limit_and_the_engine_restarted() -> None:
    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    with start_endpoint(build_from(None).dataset, port=0, limits=Limits(timeout_s=2)) as ep:
        before = ep._engine.process.pid
        status, seconds = _get(f"{ep.url}?{urllib.parse.urlencode({'query': endless})}")
        assert status == 503
        assert seconds < 2 + 1 + 5  # the limit, the grace second, slack (it was 16-24 s at 10 s)
        assert ep._engine.process.pid != before  # the runaway evaluation itself was stopped
        assert _get(f"{ep.url}?{urllib.parse.urlencode({'query': QUERY})}")[0] == 200

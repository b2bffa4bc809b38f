"""serve for people and programs (issue 13): the YASGUI page with the named queries as examples,
claim and term pages by content negotiation (hostile labels escaped), CORS for reads, HTTP/1.1,
and SIGTERM taking the Oxigraph child and the temporary store with it."""

from __future__ import annotations

import datetime
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from neurokg.cli_common import build_from
from neurokg.namespaces import BIBO, CLAIM, NKG, NKGT, OBO, SOURCE
from neurokg.resolve import TermRef
from neurokg.resources import list_queries
from neurokg.serve import Endpoint, Limits, start_endpoint
from neurokg.serve_html import ClaimPage, claim_html
from neurokg.serve_pages import page_format
from neurokg.serve_yasgui import START_QUERY, examples
from neurokg.views import claim_view

pytestmark = pytest.mark.slow

CLAIM_ID = "blepharospasm-botulinum-toxin-a"
HOSTILE = "<script>alert('label')</script> & <img src=x onerror=alert(1)>"
HOSTILE_CLAIM = CLAIM["hostile-claim"]
HOSTILE_TERM = NKGT["hostile-term"]
EXCERPT = NKG["excerpt"]


def _with_hostile_claim(dataset: Dataset) -> Dataset:
    """A copy of CLAIM_ID about a term whose label, support excerpt and source are markup."""
    original = CLAIM[CLAIM_ID]
    extra = dataset.graph(URIRef("urn:test:hostile"))
    renamed = {original: HOSTILE_CLAIM, OBO["HP_0000643"]: HOSTILE_TERM}
    for s, p, o, _ in list(dataset.quads((None, None, None, None))):
        if s == original or str(s).startswith(f"{original}/"):
            new_s = URIRef(str(s).replace(str(original), str(HOSTILE_CLAIM)))
            new_o = renamed.get(o, o) if isinstance(o, URIRef) else o
            if isinstance(o, URIRef) and str(o).startswith(f"{original}/"):
                new_o = URIRef(str(o).replace(str(original), str(HOSTILE_CLAIM)))
            if p == EXCERPT:
                new_o = Literal(HOSTILE)
            if str(o) == str(SOURCE["hallett2008"]):
                new_o = SOURCE["hostile"]
            extra.add((new_s, p, new_o))
    for _, p, o, _ in list(dataset.quads((SOURCE["hallett2008"], None, None, None))):
        if p not in (BIBO.pmid, BIBO.doi):
            extra.add((SOURCE["hostile"], p, Literal(HOSTILE) if isinstance(o, Literal) else o))
    extra.add((SOURCE["hostile"], RDFS.seeAlso, URIRef("javascript:alert(1)")))
    event = URIRef(f"{HOSTILE_CLAIM}/history/2")
    extra.add((HOSTILE_CLAIM, NKG["statusChange"], event))
    extra.add((event, NKG["changeIndex"], Literal(2)))
    extra.add((event, NKG["toStatus"], NKG["Deprecated"]))
    extra.add((event, DCTERMS.date, Literal(datetime.date(2026, 11, 30))))
    extra.add((event, RDFS.comment, Literal(f"deprecated: {HOSTILE}")))
    extra.add((event, NKG["changedBy"], Literal(HOSTILE)))
    extra.add((event, NKG["changedByOrcid"], URIRef("javascript:alert(2)")))
    extra.add((SOURCE["hostile"], NKG["standing"], NKG["Retracted"]))
    extra.add((HOSTILE_TERM, RDFS.label, Literal(HOSTILE)))
    extra.add((HOSTILE_TERM, RDF.type, NKG["ClinicalFeature"]))
    return dataset


@pytest.fixture(scope="module")
def endpoint() -> Iterator[Endpoint]:
    dataset = _with_hostile_claim(build_from(None).dataset)
    with start_endpoint(dataset, port=0, limits=Limits(max_rows=20)) as ep:
        yield ep


def _get(url: str, accept: str = "text/html") -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def test_the_page_is_yasgui_with_every_named_query_as_an_example(endpoint: Endpoint) -> None:
    status, headers, body = _get(endpoint.base_url + "/")
    page = body.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert '<script src="/yasgui.min.js">' in page and 'endpoint: origin + "/query"' in page
    names = [e["name"] for e in examples()]
    assert names == ["claims with labels", *list_queries()]
    assert all(f'"name": "{name}"' in page for name in names)
    assert '"claim": "https://w3id.org/neurokg/claim/"' in page  # the prefixes, for the table
    assert "PREFIX claim: <https://w3id.org/neurokg/claim/>" in START_QUERY
    assert "</script>" not in page.split("<script>\n", 1)[1].rsplit("</script>", 1)[0]
    assert "<textarea" in page  # the form, for browsers without JavaScript


def test_yasgui_files_come_from_the_oxigraph_server(endpoint: Endpoint) -> None:
    for path, kind in [("/yasgui.min.js", "javascript"), ("/yasgui.min.css", "css")]:
        status, headers, body = _get(endpoint.base_url + path)
        assert status == 200 and kind in headers["Content-Type"], path
        assert len(body) > 10_000 and b"yasgui" in body.lower(), path


def test_the_start_query_answers_with_labels(endpoint: Endpoint) -> None:
    url = f"{endpoint.url}?{urllib.parse.urlencode({'query': START_QUERY})}"
    status, headers, body = _get(url, "application/sparql-results+json")
    rows = json.loads(body)["results"]["bindings"]
    assert status == 200 and len(rows) == 20 and headers["X-Neurokg-Truncated"] == "true"
    assert all("subject_label" in row for row in rows)


def test_a_claim_page_shows_statement_certainty_and_supports(endpoint: Endpoint) -> None:
    status, headers, body = _get(f"{endpoint.base_url}/claim/{CLAIM_ID}")
    page = body.decode()
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert "<h1>Claim: Blepharospasm is treated by Botulinum toxin type A</h1>" in page
    assert "<strong>PROBABLY</strong>: an approved claim of moderate certainty" in page
    assert "<dd>approved</dd>" in page and "<strong>moderate</strong>" in page
    assert "<strong>moderate</strong>; starts high (systematic review" in page
    assert "<dt>Rated down for</dt><dd><ul><li>indirectness (two of the three" in page
    assert page.count("<blockquote>") == 3 and "PMID:18852443" in page
    assert "href='https://pubmed.ncbi.nlm.nih.gov/18852443/'" in page
    assert "href='/term/HP:0000643'" in page and headers["Vary"] == "Accept"


def test_a_claim_page_names_the_claims_that_say_the_opposite(endpoint: Endpoint) -> None:
    _, _, body = _get(
        f"{endpoint.base_url}/claim/founding-canalith-repositioning-for-blepharospasm"
    )
    page = body.decode()
    assert "href='/claim/blepharospasm-not-canalith-repositioning'" in page
    assert "(Approved) says the opposite" in page
    assert "<strong>Decides no answer</strong>: its status is rejected; its only source is " in page


def test_a_not_a_kind_of_claim_page_does_not_say_no(endpoint: Endpoint) -> None:
    _, _, body = _get(f"{endpoint.base_url}/claim/hemifacial-spasm-not-dystonia")
    page = body.decode()
    assert "<strong>Decides no association answer</strong>: an approved claim of very low" in page
    assert "NOT FOUND" not in page and "Hemifacial spasm is NOT a kind of Dystonia" in page


def test_a_claim_page_shows_its_review_history(endpoint: Endpoint) -> None:
    _, _, body = _get(f"{endpoint.base_url}/claim/{CLAIM_ID}")
    page = body.decode()
    assert "<h2>History</h2>" in page
    assert (
        "<tr><td>2026-11-24</td><td>Approved: recorded at founding curation; no earlier history "
        "was kept</td><td>neurokg-founding-curation</td></tr>"
    ) in page
    _, _, body = _get(f"{endpoint.base_url}/claim/hostile-claim")
    page = body.decode()
    assert page.index("<td>2026-11-24</td>") < page.index("<td>2026-11-30</td><td>Deprecated: ")


def test_without_history_there_is_no_history_section() -> None:
    view = claim_view(
        {
            "claim": CLAIM["x"],
            "subject": OBO["HP_0000643"],
            "predicate": OBO["RO_0002302"],
            "status": NKG["Submitted"],
            "polarity": NKG["Positive"],
        },
        [],
        str,
        lambda iri, how: TermRef(iri, iri, iri, "term", how),
    )
    page = claim_html(ClaimPage(view=view, curator="c", date="2026-12-01")).decode()
    assert "History" not in page and "Decides no answer</strong>: its status is submitted" in page


def test_a_retracted_source_is_flagged(endpoint: Endpoint) -> None:
    _, _, body = _get(f"{endpoint.base_url}/claim/hostile-claim")
    assert "<strong class='flag'>RETRACTED</strong>" in body.decode()
    _, _, body = _get(f"{endpoint.base_url}/claim/{CLAIM_ID}")
    assert "class='flag'" not in body.decode()


def test_hostile_labels_and_excerpts_are_escaped(endpoint: Endpoint) -> None:
    for path in ("/claim/hostile-claim", "/term/NKGT:hostile-term"):
        status, _, body = _get(endpoint.base_url + path)
        page = body.decode()
        assert status == 200, path
        assert "<script>" not in page and "<img" not in page, path
        assert "&lt;script&gt;alert(&#x27;label&#x27;)&lt;/script&gt; &amp; &lt;img" in page, path
        assert "javascript:" not in page, path


@pytest.mark.parametrize(
    ("accept", "kind", "fmt"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/n-triples", "application/n-triples", "nt"),
    ],
)
def test_claim_and_term_rdf_by_content_negotiation(
    endpoint: Endpoint, accept: str, kind: str, fmt: str
) -> None:
    status, headers, body = _get(f"{endpoint.base_url}/claim/{CLAIM_ID}", accept)
    assert status == 200 and headers["Content-Type"].startswith(kind)
    graph = Graph().parse(data=body.decode(), format=fmt)
    claim = CLAIM[CLAIM_ID]
    assert (claim, NKG["subject"], OBO["HP_0000643"]) in graph
    supports = set(graph.objects(claim, URIRef("http://www.w3.org/ns/prov#qualifiedDerivation")))
    assert len(supports) == 3 and all(set(graph.objects(s, EXCERPT)) for s in supports)
    history = set(graph.objects(claim, NKG["statusChange"]))
    assert len(history) == 1 and (history.pop(), NKG["toStatus"], NKG["Approved"]) in graph
    expected = {claim, *supports, *graph.objects(claim, NKG["statusChange"])}
    assert {s for s in graph.subjects() if isinstance(s, URIRef)} == expected
    if fmt == "json-ld":
        assert json.loads(body)["@context"]["claim"] == str(CLAIM)  # compact, offline context
    status, _, body = _get(f"{endpoint.base_url}/term/HP:0000643", accept)
    term = Graph().parse(data=body.decode(), format=fmt)
    assert (OBO["HP_0000643"], RDFS.label, Literal("Blepharospasm")) in term


def test_a_term_page_lists_names_parents_and_claims(endpoint: Endpoint) -> None:
    _, _, body = _get(f"{endpoint.base_url}/term/HP:0000643")
    page = body.decode()
    assert "<h1>Blepharospasm</h1>" in page and "Eyelid spasm" in page
    assert "is a <a href='/term/HP:0004373'>" in page
    assert f"href='/claim/{CLAIM_ID}'" in page


@pytest.mark.parametrize(
    "path",
    [
        "/claim/no-such-claim",
        "/term/MONDO:0004058",  # real (pancreatic cholera), but in no module: not held
        "/term/nope:1",
        "/claim/a%3Eb",
        "/claim/",
        "/claim/%00",
        "/term/MONDO:a%25b",
        "/term/MONDO:%7F",
        "/claim/..%2F..%2Fetc",
        "/term/:",
    ],
)
def test_unknown_claims_and_terms_are_404(endpoint: Endpoint, path: str) -> None:
    status, _, _ = _get(endpoint.base_url + path)
    assert status == 404


def test_an_unknown_format_is_400(endpoint: Endpoint) -> None:
    status, _, body = _get(f"{endpoint.base_url}/claim/{CLAIM_ID}?format=rdfxml")
    assert status == 400 and b"turtle" in body


def test_format_negotiation() -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert page_format(browser, None) == "html"
    assert page_format("*/*", None) == "html"
    assert page_format("text/turtle;q=0.5, application/ld+json", None) == "jsonld"
    assert page_format("text/html;q=0, text/turtle", None) == "turtle"
    assert page_format("", "jsonld") == "jsonld"
    assert page_format("text/turtle", "xml") is None


def test_reads_carry_cors_headers_without_credentials(endpoint: Endpoint) -> None:
    url = f"{endpoint.url}?{urllib.parse.urlencode({'query': 'ASK {}'})}"
    for target in (url, f"{endpoint.base_url}/claim/{CLAIM_ID}", endpoint.base_url + "/"):
        _, headers, _ = _get(target)
        assert headers["Access-Control-Allow-Origin"] == "*", target
        assert "Access-Control-Allow-Credentials" not in headers, target
        assert "X-Neurokg-Truncated" in headers["Access-Control-Expose-Headers"]
    request = urllib.request.Request(
        endpoint.url,
        method="OPTIONS",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 204
        assert response.headers["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert response.headers["Access-Control-Allow-Credentials"] is None


def test_http_1_1_keeps_the_connection_and_head_sends_no_body(endpoint: Endpoint) -> None:
    host, port = endpoint.base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request("GET", f"/claim/{CLAIM_ID}", headers={"Accept": "text/turtle"})
        first = connection.getresponse()
        assert first.version == 11 and first.status == 200
        first.read()
        sock = connection.sock
        connection.request("HEAD", f"/claim/{CLAIM_ID}")
        head = connection.getresponse()
        assert head.status == 200 and int(head.headers["Content-Length"]) > 1000
        assert head.read() == b""
        connection.request("GET", "/query?query=ASK%7B%7D")
        assert connection.getresponse().read().startswith(b"{")
        assert connection.sock is sock  # the same connection served all three
    finally:
        connection.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _answers(url: str) -> bool:
    try:
        return _get(url)[0] == 200
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_sigterm_removes_the_temporary_store(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    server = subprocess.Popen(
        [sys.executable, "-m", "neurokg", "-q", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not _answers(f"http://127.0.0.1:{port}/"):
            time.sleep(0.3)
        stores = list(tmp_path.glob("neurokg-serve-*"))
        assert len(stores) == 1 and (stores[0] / "store").is_dir()
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
        assert not stores[0].exists()
        assert b"Traceback" not in (server.stderr.read() if server.stderr else b"")
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()

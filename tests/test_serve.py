"""The read-only SPARQL endpoint (issue #5): same rows as the embedded engine, updates refused,
long queries stopped, rows capped, results negotiated. Every server started here is stopped."""

from __future__ import annotations

import csv
import io
import json
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
from rdflib import Literal
from rdflib.term import Node

from neurokg.cli_common import build_from
from neurokg.errors import EndpointError
from neurokg.namespaces import CLAIM, OBO, SOURCE
from neurokg.query import RemoteEngine, Row, describe_query
from neurokg.resources import list_queries
from neurokg.serve import Endpoint, Limits, start_endpoint
from neurokg.store import OxigraphEngine, load_into_store, open_store

pytestmark = pytest.mark.slow

#: Values for the parameters the named queries declare (terms and claims of the curated data).
MS, BLEPHAROSPASM = OBO["MONDO_0005301"], OBO["HP_0000643"]
PARAMS: dict[str, Node] = {
    "a": MS,
    "b": BLEPHAROSPASM,
    "condition": BLEPHAROSPASM,
    "term": BLEPHAROSPASM,
    "claim": CLAIM["blepharospasm-botulinum-toxin-a"],
    "source": SOURCE["mult_scler_2008"],
    "site": OBO["UBERON_0002298"],  # brainstem
    "syndrome": OBO["MONDO_0019772"],  # blepharospasm-oromandibular dystonia (Meige) syndrome
}
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def kg_engine() -> Iterator[tuple[Endpoint, OxigraphEngine]]:
    kg = build_from(None)
    local = OxigraphEngine(load_into_store(kg.dataset, open_store()))
    with start_endpoint(kg.dataset, port=0, limits=Limits(timeout_s=1, max_rows=100_000)) as ep:
        yield ep, local


@pytest.fixture(scope="module")
def capped() -> Iterator[Endpoint]:
    with start_endpoint(build_from(None).dataset, port=0, limits=Limits(max_rows=5)) as ep:
        yield ep


def _canonical(rows: list[Row]) -> list[list[tuple[str, str]]]:
    return sorted(sorted((k, v.n3()) for k, v in row.items()) for row in rows)


def test_named_queries_give_the_embedded_rows(kg_engine: tuple[Endpoint, OxigraphEngine]) -> None:
    endpoint, local = kg_engine
    remote = RemoteEngine(endpoint.url)
    checked = []
    for name in list_queries():
        params = describe_query(name).params
        if not set(params) <= set(PARAMS):
            continue
        bindings = {p: PARAMS[p] for p in params}
        expected = local.named(name, **bindings)
        assert _canonical(remote.named(name, **bindings)) == _canonical(expected), name
        checked.append((name, len(expected)))
    assert len(checked) >= 10 and any(count > 0 for _, count in checked), checked


def test_update_is_refused(kg_engine: tuple[Endpoint, OxigraphEngine]) -> None:
    endpoint, _ = kg_engine
    remote = RemoteEngine(endpoint.url)
    with pytest.raises(EndpointError, match=r"403.*[Rr]ead-only"):
        remote.select("INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }", {})
    request = urllib.request.Request(
        endpoint.base_url + "/update",
        data=b"DELETE WHERE { ?s ?p ?o }",
        headers={"Content-Type": "application/sparql-update"},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request)
    assert refused.value.code == 403
    assert remote.select("SELECT ?p WHERE { <urn:x:a> ?p ?o }", {}) == []  # nothing written
    count = remote.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", {})[0]["n"]
    assert isinstance(count, Literal) and count.toPython() > 0


def test_long_query_is_stopped_with_a_clear_error(
    kg_engine: tuple[Endpoint, OxigraphEngine],
) -> None:
    endpoint, _ = kg_engine
    start = time.perf_counter()
    with pytest.raises(EndpointError, match=r"503.*time limit of 1 s"):
        RemoteEngine(endpoint.url, timeout=30).select(HEAVY, {})
    assert time.perf_counter() - start < 10


def _get(endpoint: Endpoint, query: str, accept: str) -> tuple[str, dict[str, str], str]:
    url = endpoint.url + "?" + urllib.parse.urlencode({"query": query})
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": accept})) as r:
        return r.headers.get_content_type(), dict(r.headers), r.read().decode("utf-8")


QUERY = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }"


def test_row_cap_is_applied_and_reported(capped: Endpoint) -> None:
    kind, headers, body = _get(capped, QUERY, "application/sparql-results+json")
    payload = json.loads(body)
    assert kind == "application/sparql-results+json"
    assert len(payload["results"]["bindings"]) == 5
    assert payload["neurokg"] == {"max_rows": 5, "timeout_s": 10, "rows": 5, "truncated": True}
    assert headers["X-Neurokg-Truncated"] == "true" and headers["X-Neurokg-Row-Limit"] == "5"
    assert len(RemoteEngine(capped.url).select(QUERY, {})) == 5


def test_results_by_content_negotiation(capped: Endpoint) -> None:
    kind, _, body = _get(capped, QUERY, "text/csv")
    assert kind == "text/csv"
    assert next(csv.reader(io.StringIO(body))) == ["s", "label"]
    kind, _, body = _get(capped, QUERY, "text/tab-separated-values")
    assert kind == "text/tab-separated-values" and body.splitlines()[0] == "?s\t?label"
    assert all(line.split("\t")[0].startswith("<") for line in body.splitlines()[1:])
    kind, _, body = _get(capped, QUERY, "application/sparql-results+xml, */*;q=0.1")
    ns = "{http://www.w3.org/2005/sparql-results#}"
    assert len(ET.fromstring(body).findall(f"{ns}results/{ns}result")) == 5
    kind, _, body = _get(capped, "ASK { ?s ?p ?o }", "application/sparql-results+json")
    assert json.loads(body)["boolean"] is True
    kind, _, body = _get(capped, "CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples")
    assert kind == "application/n-triples" and len(body.splitlines()) == 5


def test_html_page(capped: Endpoint) -> None:
    with urllib.request.urlopen(capped.base_url + "/") as page:
        assert "<textarea" in page.read().decode()
    url = capped.base_url + "/?" + urllib.parse.urlencode({"query": QUERY})
    with urllib.request.urlopen(url) as page:
        text = page.read().decode()
    assert "<table>" in text and "cut at the limit of 5" in text


def test_stop_frees_the_port() -> None:
    endpoint = start_endpoint(build_from(None).dataset, port=0)
    url = endpoint.url
    endpoint.stop()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2)

"""Contract tests: the named queries give the same rows on the embedded store and on real servers.

Issue #4. Servers (tests/servers.py) run on 127.0.0.1 for the session and are stopped afterwards:
``oxigraph serve`` (PyPI ``oxigraph``) and Virtuoso 7 (Debian ``virtuoso-opensource``, installed by
``scripts/virtuoso.sh install``; skipped with the reason when it is not installed). Select them
with ``pytest -m servers``. Rows are compared as sets of tuples of rdflib terms, with no
normalisation (none has been needed), and row counts are compared too so duplicates show.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rdflib import XSD, Literal, URIRef
from rdflib.term import Node

from neurokg.build import KnowledgeGraph
from neurokg.cli_common import Group, Settings
from neurokg.cli_publish import publish
from neurokg.errors import EndpointError
from neurokg.namespaces import NKG
from neurokg.publish import (
    ENV_PASSWORD,
    ENV_USER,
    PUBLISHED_GRAPH_IRIS,
    PUBLISHED_GRAPHS,
    STAGING_PREFIX,
    Auth,
    clean_staging,
    publish_graph,
)
from neurokg.publish.client import _Client
from neurokg.query import RemoteEngine, Row, describe_query
from neurokg.store import OxigraphEngine
from servers import OxigraphServer, VirtuosoServer, free_port, virtuoso_missing

pytestmark = [pytest.mark.servers]

Server = OxigraphServer | VirtuosoServer


@pytest.fixture(scope="session")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    reason = virtuoso_missing()
    if reason is not None:
        pytest.skip(reason)
    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso")).start()
    yield server
    server.stop()


def _auth(server: Server) -> Auth | None:
    if isinstance(server, VirtuosoServer):
        return Auth("digest", server.user, server.password)
    return None


@pytest.fixture(scope="session", params=["oxigraph", "virtuoso"])
def published(request: pytest.FixtureRequest, kg: KnowledgeGraph) -> Server:
    """A server holding the built dataset, published through SPARQL Update."""
    server: Server = request.getfixturevalue(request.param)
    publish_graph(
        kg,
        query_endpoint=server.query_url,
        update_endpoint=server.update_url,
        auth=_auth(server),
    )
    return server


def _remote(server: Server) -> RemoteEngine:
    return RemoteEngine(server.query_url, default_graphs=PUBLISHED_GRAPH_IRIS)


def _graph_counts(server: Server) -> dict[str, int]:
    """Triples per graph, all graphs (no FROM: with FROM but no FROM NAMED, GRAPH ?g is empty)."""
    rows = RemoteEngine(server.query_url).select(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", {}
    )
    return {str(row["g"]): int(str(row["n"])) for row in rows}


def _staging_graphs(server: Server) -> list[str]:
    return [g for g in _graph_counts(server) if g.startswith(STAGING_PREFIX)]


# -- the named queries -------------------------------------------------------------------------

_TRANSITIVE = (
    "Virtuoso 7.2.5 loses rows when a transitive path (rdfs:subClassOf*, rdfs:subClassOf+, "
    "BFO:0000050*) is joined to selective patterns; see test_virtuoso_transitive_path_reproducer"
)
#: Named queries Virtuoso 7.2.5 (Debian 12) answers wrongly. strict: a fix makes the test fail.
#: Empty since the queries avoid the bug (docs/decisions/0005): each transitive path runs alone in
#: a LIMITed subquery, and the kind checks spell out the schema's classes (guarded below).
#: Found on 2026-12-01, when the import modules were published with the curated graphs (17,000
#: triples more); Oxigraph's server gives the local rows for all of them. Each is a Virtuoso 7.2.5
#: result, not a neurokg one, and it comes and goes from run to run (a strict xfail passed once in
#: CI). So instead of an xfail, the comparison for these queries allows exactly the known defect
#: and checks everything else:
#:
#: - ``duplicates``: one row returned twice (term_parents: a parent of HP:0000643; treatments:
#:   a Meige syndrome row). The distinct rows must be equal; only the count may be higher.
#: - ``unbound``: the column named is left unbound on a row that has it locally (term_names:
#:   look_alike_of on one refused row of 3,042). Rows must be equal once that column is set
#:   aside, and every row that does carry it must be a local row.
VIRTUOSO_TOLERATED: dict[str, tuple[str, str]] = {
    "term_parents": ("duplicates", ""),
    "treatments": ("duplicates", ""),
    "term_names": ("unbound", "look_alike_of"),
}


def _cases(engine: OxigraphEngine, name: str) -> list[dict[str, Node]]:
    """Parameter values for query ``name``, all taken from the data (never invented)."""

    def column(text: str) -> list[Node]:
        values = {row["x"] for row in engine.select(text, {})}
        return list(sorted(v for v in values if isinstance(v, URIRef)))

    conditions = column(
        "SELECT ?x WHERE { ?c a nkg:Claim . { ?c nkg:subject ?x } UNION { ?c nkg:context ?x } }"
    )
    keys = sorted(str(r["x"]) for r in engine.select("SELECT ?x { ?t nkg:lookupKey ?x }", {}))
    values: dict[str, list[Node]] = {
        "key": [Literal(k) for k in keys[:: max(1, len(keys) // 25)]],
        "claim": column("SELECT ?x WHERE { ?x a nkg:Claim }"),
        "condition": conditions,
        "syndrome": conditions,
        "term": conditions,
        "site": column("SELECT ?x WHERE { ?c a nkg:Claim ; nkg:object ?x }"),
        "source": column("SELECT ?x WHERE { ?c prov:wasDerivedFrom ?x }"),
        "property": column("SELECT ?x WHERE { ?c nkg:predicate ?x }"),
    }
    params = describe_query(name).params
    if not params:
        return [{}]
    if params == ["a", "b"]:
        pairs = engine.select(
            "SELECT DISTINCT ?a ?b WHERE { ?c nkg:subject ?a ; nkg:object ?b }", {}
        )
        some = conditions[:4]  # associations_between takes seconds per pair on the embedded store
        return [{"a": r["a"], "b": r["b"]} for r in pairs[:12]] + [
            {"a": a, "b": b} for a in some for b in some if a != b
        ]
    if len(params) == 1 and params[0] in values:
        return [{params[0]: value} for value in values[params[0]]]
    pytest.fail(f"{name}: no test values for parameters {params}; extend _cases")


#: Oxigraph (embedded and server) stores integer subtypes as xsd:integer: the built
#: "4"^^xsd:nonNegativeInteger comes back "4"^^xsd:integer, while Virtuoso keeps the subtype.
#: This is the one normalisation the comparison applies.
_INTEGER_SUBTYPES = frozenset(
    XSD[name]
    for name in (
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "long",
        "int",
        "short",
        "byte",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
)


def _normal(term: Node) -> Node:
    if isinstance(term, Literal) and term.datatype in _INTEGER_SUBTYPES:
        return Literal(str(term), datatype=XSD.integer)
    return term


def _key(rows: list[Row]) -> tuple[set[tuple[tuple[str, Node], ...]], int]:
    return {tuple(sorted((k, _normal(v)) for k, v in row.items())) for row in rows}, len(rows)


_Key = tuple[set[tuple[tuple[str, Node], ...]], int]


def _within(tolerated: tuple[str, str], expected: _Key, found: _Key) -> bool:
    """True when ``found`` differs from ``expected`` only by the known Virtuoso defect."""
    kind, column = tolerated
    if kind == "duplicates":
        return found[0] == expected[0] and found[1] >= expected[1]
    without = {tuple(kv for kv in row if kv[0] != column) for row in expected[0]}
    found_without = {tuple(kv for kv in row if kv[0] != column) for row in found[0]}
    carrying = {row for row in found[0] if any(k == column for k, _ in row)}
    return without == found_without and carrying <= expected[0] and found[1] == expected[1]


NAMED_QUERIES = sorted(p.stem for p in (Path(__file__).parents[1] / "queries").glob("*.rq"))


@pytest.mark.parametrize("name", NAMED_QUERIES)
def test_named_query_same_rows(name: str, published: Server, ox_engine: OxigraphEngine) -> None:
    tolerated = VIRTUOSO_TOLERATED.get(name) if isinstance(published, VirtuosoServer) else None
    remote = _remote(published)
    differences: list[str] = []
    cases = _cases(ox_engine, name)
    for bindings in cases:
        expected = _key(ox_engine.named(name, **bindings))
        found = _key(remote.named(name, **bindings))
        if found == expected or (tolerated and _within(tolerated, expected, found)):
            continue
        missing = expected[0] - found[0]
        extra = found[0] - expected[0]
        differences.append(
            f"{bindings}: {expected[1]} rows expected, {found[1]} found; "
            f"missing {sorted(missing)[:1]}, extra {sorted(extra)[:1]}"
        )
    assert not differences, f"{len(differences)} of {len(cases)} cases differ: {differences[:3]}"


_SPELLED_OUT = re.compile(r"rdfs:subClassOf\+ (nkg:\w+), spelled out")
_KIND_LIST = re.compile(r"FILTER\(\?\w+ IN \(([^)]*)\)\)|VALUES \?\w+ \{([^}]*)\}")


def test_kind_lists_match_the_schema(ox_engine: OxigraphEngine) -> None:
    """A query spelling out ``?kind rdfs:subClassOf+ nkg:X`` lists exactly the schema's classes.

    The lists stand in for the path because Virtuoso 7.2.5 loses rows when it is joined; this
    fails when ontology/neurokg.ttl gains, loses or moves a subclass of nkg:Term or nkg:Source.
    """
    checked = 0
    for name in NAMED_QUERIES:
        text = (Path(__file__).parents[1] / "queries" / f"{name}.rq").read_text(encoding="utf-8")
        for match in _KIND_LIST.finditer(text):
            roots = _SPELLED_OUT.findall(text, 0, match.start())
            if not roots:
                continue
            root = roots[-1]
            items = match[1].split(",") if match[1] is not None else match[2].split()
            listed = {item.strip().removeprefix("nkg:") for item in items}
            schema = {
                str(row["x"]).removeprefix(str(NKG))
                for row in ox_engine.select(f"SELECT ?x WHERE {{ ?x rdfs:subClassOf+ {root} }}", {})
            }
            assert listed == schema, f"{name}: the list for {root} differs from the schema"
            checked += 1
    # associations, claim_evidence, sources_by_kind, syndrome_components, term_names (3)
    assert checked >= 7


def test_queries_have_rows_to_compare(ox_engine: OxigraphEngine) -> None:
    """Guard against a vacuous contract: most cases of every named query return rows."""
    for name in NAMED_QUERIES:
        cases = _cases(ox_engine, name)
        with_rows = sum(1 for bindings in cases if ox_engine.named(name, **bindings))
        assert with_rows, f"{name}: no case returns rows"


def test_virtuoso_transitive_path_reproducer(
    virtuoso: VirtuosoServer, kg: KnowledgeGraph, ox_engine: OxigraphEngine
) -> None:
    """The smallest query found that shows the bug the named queries avoid (1 row, not 7).

    Without the FILTER both engines give the same 23 rows; with it Virtuoso keeps one row per
    distinct ?subject. ``IN`` or ``VALUES ?predicate`` instead of FILTER: the same.
    """
    publish_graph(
        kg,
        query_endpoint=virtuoso.query_url,
        update_endpoint=virtuoso.update_url,
        auth=_auth(virtuoso),
    )
    text = (
        "PREFIX nkg: <https://w3id.org/neurokg/>\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?claim WHERE { ?claim nkg:subject ?subject ; nkg:predicate ?predicate .\n"
        "  FILTER(?predicate IN (<http://purl.obolibrary.org/obo/RO_0002302>,"
        " nkg:treatedByProcedure))\n"
        "  ?subject rdfs:subClassOf* <http://purl.obolibrary.org/obo/HP_0000643> }"
    )
    expected, found = ox_engine.select(text, {}), _remote(virtuoso).select(text, {})
    assert len(expected) > 1
    if _key(found) != _key(expected):
        pytest.xfail(f"{_TRANSITIVE}: {len(found)} rows instead of {len(expected)}")


# -- publishing --------------------------------------------------------------------------------


def test_publish_leaves_exact_graphs_and_no_staging(published: Server, kg: KnowledgeGraph) -> None:
    report = publish_graph(  # a second publish replaces, it does not add
        kg,
        query_endpoint=published.query_url,
        update_endpoint=published.update_url,
        auth=_auth(published),
        batch_size=97,
    )
    counts = _graph_counts(published)
    for name, iri in PUBLISHED_GRAPHS:
        assert counts.get(str(iri), 0) == len(kg.dataset.graph(iri)), name
    assert _staging_graphs(published) == []
    assert report.triples == sum(len(kg.dataset.graph(iri)) for _, iri in PUBLISHED_GRAPHS)


def test_publish_through_graph_store(published: Server, kg: KnowledgeGraph) -> None:
    report = publish_graph(
        kg,
        query_endpoint=published.query_url,
        update_endpoint=published.update_url,
        gsp_endpoint=published.store_url,
        auth=_auth(published),
        batch_size=300,
    )
    assert report.method == "graph-store"
    counts = _graph_counts(published)
    for name, iri in PUBLISHED_GRAPHS:
        assert counts.get(str(iri), 0) == len(kg.dataset.graph(iri)), name
    assert _staging_graphs(published) == []


def test_default_graphs_scope_to_neurokg_and_act_as_union(
    published: Server, ox_engine: OxigraphEngine
) -> None:
    """FROM the neurokg graphs: their union, and nothing else the server holds."""
    client = _Client(published.query_url, published.update_url, None, _auth(published), 30.0)
    client.update(
        "INSERT DATA { GRAPH <urn:uuid:2f0f6f0e-0000-4000-8000-000000000001> "
        "{ <urn:uuid:2f0f6f0e-0000-4000-8000-000000000002> a "
        "<https://w3id.org/neurokg/Claim> } }"
    )
    try:
        text = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
        assert _remote(published).select(text, {}) == ox_engine.select(text, {})
    finally:
        client.update("DROP SILENT GRAPH <urn:uuid:2f0f6f0e-0000-4000-8000-000000000001>")


def test_failed_publish_keeps_previous_version(
    published: Server, kg: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _graph_counts(published)
    calls = {"n": 0}
    real_count = _Client.count

    def failing_count(self: _Client, graph: str) -> int:
        calls["n"] += 1
        if calls["n"] == 3:  # after two graphs are staged
            raise EndpointError("injected failure")
        return real_count(self, graph)

    monkeypatch.setattr(_Client, "count", failing_count)
    with pytest.raises(EndpointError, match="injected"):
        publish_graph(
            kg,
            query_endpoint=published.query_url,
            update_endpoint=published.update_url,
            auth=_auth(published),
        )
    monkeypatch.undo()
    assert _graph_counts(published) == before
    assert _staging_graphs(published) == []


def test_a_server_lost_before_clean_up_leaves_named_staging_graphs_that_can_be_dropped(
    published: Server, kg: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    """issue 16: the staging graphs a failed publish cannot drop are named in the error, and
    ``clean_staging`` (``neurokg publish --clean-staging``) removes them later."""
    before = _graph_counts(published)
    real_count, real_update = _Client.count, _Client.update
    calls = {"n": 0}

    def failing_count(self: _Client, graph: str) -> int:
        calls["n"] += 1
        if calls["n"] == 2:  # the second graph staged, then the server "goes away"
            raise EndpointError("injected failure")
        return real_count(self, graph)

    def lost_update(self: _Client, text: str) -> None:
        if text.startswith("DROP SILENT GRAPH"):
            raise EndpointError("server gone")
        real_update(self, text)

    monkeypatch.setattr(_Client, "count", failing_count)
    monkeypatch.setattr(_Client, "update", lost_update)
    with pytest.raises(EndpointError) as err:
        publish_graph(
            kg,
            query_endpoint=published.query_url,
            update_endpoint=published.update_url,
            auth=_auth(published),
        )
    monkeypatch.undo()
    left = _staging_graphs(published)
    assert len(left) == 2
    message = str(err.value)
    assert all(g in message for g in left) and "--clean-staging" in message
    assert {g: n for g, n in _graph_counts(published).items() if g not in left} == before
    dropped = clean_staging(
        query_endpoint=published.query_url,
        update_endpoint=published.update_url,
        auth=_auth(published),
    )
    assert sorted(dropped) == sorted(left) and _staging_graphs(published) == []
    assert _graph_counts(published) == before


def test_refused_upload_keeps_previous_version(published: Server, kg: KnowledgeGraph) -> None:
    before = _graph_counts(published)
    # Not a wrong path on the server: Oxigraph takes any unknown path as a graph IRI (direct
    # graph identification) and would store the batch there.
    with pytest.raises(EndpointError, match="cannot be reached"):
        publish_graph(
            kg,
            query_endpoint=published.query_url,
            update_endpoint=published.update_url,
            gsp_endpoint=f"http://127.0.0.1:{free_port()}/store",
            auth=_auth(published),
        )
    assert _graph_counts(published) == before


# -- what each server makes atomic (the facts docs/decisions/0005 relies on) -----------------

_G = "<urn:uuid:7a1c2e44-0000-4000-8000-00000000000a>"
_FAILING = f"CLEAR GRAPH {_G} ; DROP GRAPH <urn:uuid:7a1c2e44-0000-4000-8000-00000000000b>"


def _atomicity_probe(server: Server) -> int:
    """Run a request whose second operation fails; return the first one's graph size after."""
    client = _Client(server.query_url, server.update_url, None, _auth(server), 30.0)
    client.update(f'INSERT DATA {{ GRAPH {_G} {{ <urn:x:s> <urn:x:p> "1", "2" }} }}')
    with pytest.raises(EndpointError):
        client.update(_FAILING)  # DROP of a graph that never existed fails on both servers
    try:
        return client.count(_G.strip("<>"))
    finally:
        client.update(f"DROP SILENT GRAPH {_G}")


def test_oxigraph_rolls_back_a_failed_request(oxigraph: OxigraphServer) -> None:
    assert _atomicity_probe(oxigraph) == 2


def test_virtuoso_keeps_earlier_operations_of_a_failed_request(virtuoso: VirtuosoServer) -> None:
    assert _atomicity_probe(virtuoso) == 0  # the CLEAR stayed done: no request-level rollback


# -- credentials -------------------------------------------------------------------------------


def test_virtuoso_refuses_a_wrong_password_without_echoing_it(
    virtuoso: VirtuosoServer, kg: KnowledgeGraph
) -> None:
    wrong = "not-the-password-1234"
    with pytest.raises(EndpointError, match="HTTP 401") as info:
        publish_graph(
            kg,
            query_endpoint=virtuoso.query_url,
            update_endpoint=virtuoso.update_url,
            auth=Auth("digest", virtuoso.user, wrong),
        )
    assert wrong not in str(info.value)
    assert wrong not in repr(Auth("digest", virtuoso.user, wrong))


def test_cli_publish_to_virtuoso_reads_credentials_from_environment(
    virtuoso: VirtuosoServer, kg: KnowledgeGraph
) -> None:
    group = Group(name="neurokg", commands={"publish": publish})
    env = {ENV_USER: virtuoso.user, ENV_PASSWORD: virtuoso.password}
    args: list[Any] = [
        "publish",
        "--endpoint",
        virtuoso.query_url,
        "--update-endpoint",
        virtuoso.update_url,
        "--gsp-endpoint",
        virtuoso.store_url,
        "--auth",
        "digest",
    ]
    result = CliRunner().invoke(group, args, obj=Settings(), env=env)
    assert result.exit_code == 0, result.output
    assert virtuoso.password not in result.output
    assert f"claims\t{len(kg.graph('claims'))}\t" in result.output


def test_virtuoso_tolerance_allows_only_the_known_defect() -> None:
    """The tolerance for Virtuoso's known defects refuses any other difference."""
    a, b = URIRef("urn:a"), URIRef("urn:b")
    row = (("x", a), ("y", b))
    expected: _Key = ({row}, 1)
    assert _within(("duplicates", ""), expected, ({row}, 2))
    assert not _within(("duplicates", ""), expected, ({(("x", a), ("y", a))}, 2))
    assert not _within(("duplicates", ""), ({row, (("x", b),)}, 2), ({row}, 2))
    assert _within(("unbound", "y"), expected, ({(("x", a),)}, 1))
    assert not _within(("unbound", "y"), expected, ({(("x", a), ("y", a))}, 1))
    assert not _within(("unbound", "y"), expected, ({(("x", b),)}, 1))
    assert not _within(("unbound", "y"), expected, ({(("x", a),)}, 2))

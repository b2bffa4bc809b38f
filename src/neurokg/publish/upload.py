"""Publish the built dataset to a SPARQL 1.1 server: each graph staged, then all swapped in.

Consumes: a ``KnowledgeGraph`` (build/) and the endpoints and credentials of a ``_Client``
(client.py).
Produces: on the server, each graph of ``PUBLISHED_GRAPHS`` replaced by the built one; a
``PublishReport`` (triples and requests per graph, seconds); ``clean_staging`` drops the
staging graphs a killed run left.
Policy (docs/decisions/0005-remote-servers.md): each graph is first written into its own staging
graph (``STAGING_PREFIX``) in batches of at most ``batch_size`` triples (SPARQL Update
``INSERT DATA``, or ``INSERT ... WHERE {}`` for triples with blank nodes; or Graph Store
``POST`` when a GSP URL is given); triples that share a blank node always travel in the same
batch (``batch_triples``), because a blank node label is scoped to one request. Each staging
graph's triple count is checked against the built graph. Only then does one request swap them
in, ``MOVE <staging> TO <graph>`` per graph. A failure before the swap drops the staging graphs
and leaves the published version untouched.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from ..build import KnowledgeGraph
from ..errors import EndpointError, NeurokgError
from ..namespaces import GRAPH, GRAPH_IRIS, META_GRAPH
from ..resources import data_dir
from .client import STAGING_PREFIX, Auth, _Client, _redact

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_GSP_BATCH_SIZE",
    "PUBLISHED_GRAPHS",
    "PUBLISHED_GRAPH_IRIS",
    "TEMPLATE_BATCH_SIZE",
    "PublishReport",
    "PublishedGraph",
    "Triple",
    "batch_triples",
    "clean_staging",
    "publish_graph",
]

#: Triples per SPARQL Update request. Virtuoso 7.2 refuses an ``INSERT DATA`` of 1,497 triples
#: ("generated SQL text has exceeded 10000 lines of code"; 1,000 passed), so stay well below.
DEFAULT_BATCH_SIZE: Final = 500
#: Triples per Graph Store ``POST`` (parsed as a document, no such limit).
DEFAULT_GSP_BATCH_SIZE: Final = 10_000
#: Largest ``INSERT {...} WHERE {}`` template (the triples with blank nodes) sent as SPARQL Update:
#: Virtuoso 7.2 compiles templates to SQL and refuses one of 327 triples ("generated SQL text
#: has exceeded 10000 lines"); 250 passed, 200 leaves a margin.
TEMPLATE_BATCH_SIZE: Final = 200


def _module_graphs() -> tuple[tuple[str, URIRef], ...]:
    """The graphs of the packaged import modules (``graph:import/<name>``), which build loads
    and ``ask``'s hierarchy and the lesion roll-ups read: a server holding the release answers
    as the local graph does."""
    from ..imports.modules import module_name, module_paths

    folder = Path(str(data_dir("ontology")))
    names = [module_name(path) for path in module_paths(folder)]
    return tuple((name, URIRef(f"{GRAPH}import/{name}")) for name in names)


#: The graphs ``publish_graph`` writes, in order; the release description (meta) last.
PUBLISHED_GRAPHS: Final[tuple[tuple[str, URIRef], ...]] = (
    *GRAPH_IRIS.items(),
    *_module_graphs(),
    ("meta", META_GRAPH),
)
#: Their IRIs: what a ``RemoteEngine`` should send as ``default_graphs`` (Virtuoso's default graph
#: is the union of every graph it holds, its own system graphs included).
PUBLISHED_GRAPH_IRIS: Final[tuple[str, ...]] = tuple(str(iri) for _, iri in PUBLISHED_GRAPHS)


Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class PublishedGraph:
    """One graph as published: its name, IRI, triple count and the requests that carried it."""

    name: str
    iri: str
    triples: int
    batches: int


@dataclass(frozen=True)
class PublishReport:
    """What ``publish_graph`` did."""

    update_endpoint: str
    method: Literal["sparql-update", "graph-store"]
    graphs: tuple[PublishedGraph, ...]
    seconds: float

    @property
    def triples(self) -> int:
        """Triples published over all graphs."""
        return sum(graph.triples for graph in self.graphs)


def batch_triples(
    graph: Graph, batch_size: int, blank_batch_size: int | None = None
) -> Iterator[tuple[bool, list[Triple]]]:
    """Split ``graph`` into batches; yield ``(has_blank_nodes, triples)`` for each.

    Triples linked through a shared blank node form one group that is never split, because a
    blank node label means the same node only within one request. Groups are packed into batches
    of at most ``blank_batch_size`` triples (default ``batch_size``), all other triples into
    batches of at most ``batch_size``. A group larger than its limit (build/ makes none: its
    groups are a few triples each) is sent alone as one oversized batch.
    """
    blank_size = batch_size if blank_batch_size is None else blank_batch_size
    if min(batch_size, blank_size) < 1:
        raise NeurokgError(f"batch sizes must be at least 1, got {batch_size}, {blank_size}")
    parent: dict[BNode, BNode] = {}

    def find(node: BNode) -> BNode:
        root = parent.setdefault(node, node)
        while root != parent[root]:
            root = parent[root]
        parent[node] = root
        return root

    plain: list[Triple] = []
    linked: list[Triple] = []
    for triple in graph:
        nodes = [t for t in (triple[0], triple[2]) if isinstance(t, BNode)]
        if not nodes:
            plain.append(triple)
            continue
        linked.append(triple)
        first = find(nodes[0])
        for other in nodes[1:]:
            parent[find(other)] = first
    groups: dict[BNode, list[Triple]] = {}
    for triple in linked:
        node = triple[0] if isinstance(triple[0], BNode) else triple[2]
        assert isinstance(node, BNode)  # every linked triple has one
        groups.setdefault(find(node), []).append(triple)
    yield from ((True, batch) for batch in _pack(groups.values(), blank_size))
    yield from ((False, batch) for batch in _pack(([t] for t in plain), batch_size))


def _pack(groups: Iterable[list[Triple]], size: int) -> Iterator[list[Triple]]:
    batch: list[Triple] = []
    for group in groups:
        if batch and len(batch) + len(group) > size:
            yield batch
            batch = []
        batch.extend(group)
    if batch:
        yield batch


def _ntriples(triples: list[Triple]) -> str:
    """N-Triples text of ``triples``: also valid inside a SPARQL Update template and Turtle."""
    chunk = Graph()
    for triple in triples:
        chunk.add(triple)
    return chunk.serialize(format="nt", encoding="utf-8").decode("utf-8")


def _stage(client: _Client, graph: Graph, staging: str, batch_size: int) -> int:
    """Write ``graph`` into the graph ``staging``; return the number of requests."""
    target = URIRef(staging).n3()
    gsp = client.gsp_endpoint is not None
    requests = 0
    blank_size = batch_size if gsp else min(batch_size, TEMPLATE_BATCH_SIZE)
    for has_blank_nodes, batch in batch_triples(graph, batch_size, blank_size):
        text = _ntriples(batch)
        if gsp:
            client.post_triples(staging, text)
        elif has_blank_nodes:  # Virtuoso 7 refuses blank nodes in INSERT DATA
            client.update(f"INSERT {{ GRAPH {target} {{\n{text}}} }} WHERE {{}}")
        else:
            client.update(f"INSERT DATA {{ GRAPH {target} {{\n{text}}} }}")
        requests += 1
    found = client.count(staging)
    if found != len(graph):
        raise EndpointError(
            f"staging graph {staging} holds {found} triples after upload, expected {len(graph)}"
        )
    return requests


def _drop(client: _Client, graphs: list[str], err: BaseException) -> None:
    """Drop staging graphs after a failure. When that fails too (the server is down), an
    ``EndpointError`` names the graphs left behind and how to remove them."""
    if not graphs:
        return
    try:
        client.update(" ;\n".join(f"DROP SILENT GRAPH {URIRef(g).n3()}" for g in graphs))
    except EndpointError as cleanup:
        left = (
            f"the staging graphs {', '.join(graphs)} are left on the server (dropping them "
            f"failed: {cleanup}); the published graphs are unchanged. Remove them with "
            "'neurokg publish --clean-staging' and the same endpoints"
        )
        if isinstance(err, EndpointError):
            raise EndpointError(f"{err}; {left}") from err
        err.add_note(left)


def clean_staging(
    *,
    query_endpoint: str,
    update_endpoint: str,
    auth: Auth | None = None,
    timeout: float = 60.0,
) -> list[str]:
    """Drop every neurokg staging graph on the server (left by a killed publish); return them.

    Run it when no other publish is under way: a running publish's staging graphs look the same.
    """
    client = _Client(query_endpoint, update_endpoint, None, auth, timeout)
    graphs = client.staging_graphs()
    if graphs:
        client.update(" ;\n".join(f"DROP SILENT GRAPH {URIRef(g).n3()}" for g in graphs))
    return graphs


def publish_graph(
    kg: KnowledgeGraph,
    *,
    query_endpoint: str,
    update_endpoint: str,
    gsp_endpoint: str | None = None,
    auth: Auth | None = None,
    batch_size: int | None = None,
    timeout: float = 60.0,
    on_graph: Callable[[PublishedGraph], None] | None = None,
) -> PublishReport:
    """Replace every neurokg graph on the server with the built one (see the module policy).

    ``batch_size`` defaults to ``DEFAULT_BATCH_SIZE`` for SPARQL Update and to
    ``DEFAULT_GSP_BATCH_SIZE`` with a Graph Store URL. ``on_graph`` is called after each graph
    is staged (for progress display). Raises
    ``EndpointError`` when a request fails; the published graphs are then unchanged unless the
    failure happened in the final swap (see docs/decisions/0005-remote-servers.md).
    """
    start = time.perf_counter()
    if batch_size is None:
        batch_size = DEFAULT_BATCH_SIZE if gsp_endpoint is None else DEFAULT_GSP_BATCH_SIZE
    client = _Client(query_endpoint, update_endpoint, gsp_endpoint, auth, timeout)
    staged: list[tuple[URIRef, str | None]] = []
    created: list[str] = []
    done: list[PublishedGraph] = []
    try:
        for name, iri in PUBLISHED_GRAPHS:
            graph = kg.dataset.graph(iri)
            staging = f"{STAGING_PREFIX}{uuid.uuid4()}" if len(graph) else None
            requests = 0
            if staging is not None:
                created.append(staging)
                requests = _stage(client, graph, staging, batch_size)
            staged.append((iri, staging))
            done.append(PublishedGraph(name, str(iri), len(graph), requests))
            if on_graph is not None:
                on_graph(done[-1])
        client.update(_swap(staged))
    except BaseException as err:  # clean up, then re-raise whatever it was (even Ctrl-C)
        _drop(client, created, err)
        raise
    method: Literal["sparql-update", "graph-store"] = (
        "graph-store" if gsp_endpoint is not None else "sparql-update"
    )
    return PublishReport(_redact(update_endpoint), method, tuple(done), time.perf_counter() - start)


def _swap(staged: list[tuple[URIRef, str | None]]) -> str:
    """One update: each staging graph moved onto its target; an empty graph just dropped."""
    operations = [
        f"MOVE {URIRef(staging).n3()} TO {iri.n3()}"
        if staging is not None
        else f"DROP SILENT GRAPH {iri.n3()}"
        for iri, staging in staged
    ]
    return " ;\n".join(operations)

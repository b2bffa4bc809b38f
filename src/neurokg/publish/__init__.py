"""Publish the built dataset to a SPARQL 1.1 server, one named graph at a time.

Consumes: a ``KnowledgeGraph`` (build/); the server's query and update URLs, optionally its
Graph Store Protocol URL; optional credentials (``Auth``, HTTP Basic or Digest).
Produces: on the server, each graph of ``PUBLISHED_GRAPHS`` replaced by the built one; a
``PublishReport`` (triples and requests per graph, seconds).
Policy (docs/decisions/0005-remote-servers.md): each graph is first written into its own staging
graph ``https://w3id.org/neurokg/graph/staging/<random>`` (``STAGING_PREFIX``) in batches of at
most ``batch_size`` triples (SPARQL Update
``INSERT DATA``, or ``INSERT ... WHERE {}`` for triples with blank nodes; or Graph Store
``POST`` when a GSP URL is given); triples that share a
blank node always travel in the same batch, because a blank node label is scoped to one request.
Each staging graph's triple count is checked against the built graph. Only then does one request
swap them in, ``MOVE <staging> TO <graph>`` per graph. A failure before the swap drops the staging
graphs and leaves the published version untouched. On Oxigraph the swap request is one
transaction (the whole release changes at once); on Virtuoso each ``MOVE`` is atomic, but an
error does not undo the earlier operations of the same request. Credentials are sent only
through the HTTP authentication handlers and never appear in messages, reports or ``repr``. No
redirect is followed (any 3xx answer is an ``EndpointError`` naming its target): credentials go
only to the URLs given.

Modules: client (HTTP requests, credentials, no redirects), upload (batches, staging graphs,
the swap, ``publish_graph``).
"""

from __future__ import annotations

from .client import ENV_PASSWORD, ENV_USER, STAGING_PREFIX, Auth, auth_from_env
from .upload import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_GSP_BATCH_SIZE,
    PUBLISHED_GRAPH_IRIS,
    PUBLISHED_GRAPHS,
    TEMPLATE_BATCH_SIZE,
    PublishedGraph,
    PublishReport,
    batch_triples,
    clean_staging,
    publish_graph,
)

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_GSP_BATCH_SIZE",
    "ENV_PASSWORD",
    "ENV_USER",
    "PUBLISHED_GRAPHS",
    "PUBLISHED_GRAPH_IRIS",
    "STAGING_PREFIX",
    "TEMPLATE_BATCH_SIZE",
    "Auth",
    "PublishReport",
    "PublishedGraph",
    "auth_from_env",
    "batch_triples",
    "clean_staging",
    "publish_graph",
]

"""The ``neurokg publish`` command: load the built dataset into a SPARQL 1.1 server.

Consumes: the curated data (``--ontology`` or the packaged copy), endpoint URLs, and credentials
from ``NEUROKG_ENDPOINT_USER`` / ``NEUROKG_ENDPOINT_PASSWORD`` when ``--auth`` is given.
Produces: the published graphs on the server; one line per graph on stdout (name, triples,
requests), progress on stderr. Exit code 2 when the server refuses or cannot be reached.
Policy: credentials are read from the environment only (never from options, which end up in
shell history and process lists), are never echoed, and go only to the URLs given (publish follows
no redirect). See docs/decisions/0005-remote-servers.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, cast

import click

from .cli_common import Settings, build_from, ontology_option
from .publish import ENV_PASSWORD, ENV_USER, PublishedGraph, auth_from_env, publish_graph
from .publish import clean_staging as drop_staging

__all__ = ["publish"]


@click.command()
@click.option("--endpoint", metavar="URL", required=True, help="SPARQL query endpoint.")
@click.option(
    "--update-endpoint", metavar="URL", help="SPARQL Update endpoint [default: --endpoint]."
)
@click.option(
    "--gsp-endpoint",
    metavar="URL",
    help="Graph Store Protocol endpoint: upload with POST instead of SPARQL Update.",
)
@click.option(
    "--auth",
    type=click.Choice(["basic", "digest"]),
    help=f"HTTP authentication, credentials from ${ENV_USER} and ${ENV_PASSWORD}.",
)
@click.option("--batch-size", type=click.IntRange(min=1), help="Triples per request.")
@click.option("--timeout", type=float, default=60.0, show_default=True, help="Seconds per request.")
@click.option(
    "--clean-staging",
    is_flag=True,
    help="Only drop the staging graphs a killed publish left on the server (run it when no "
    "other publish is under way), and list them.",
)
@ontology_option
@click.pass_obj
def publish(
    settings: Settings,
    endpoint: str,
    update_endpoint: str | None,
    gsp_endpoint: str | None,
    auth: str | None,
    batch_size: int | None,
    timeout: float,
    clean_staging: bool,
    ontology: Path | None,
) -> None:
    """Replace the neurokg graphs on a SPARQL 1.1 server with the built ones.

    \b
    Each graph is staged in a temporary graph, checked, then moved in place; a failure
    leaves the published version as it was. If the server dies before the staging graphs
    can be dropped, the error names them; --clean-staging removes them later. Redirects are
    not followed (exit 2): give the server's final URLs, so credentials go only where you
    send them.
    Examples:
      neurokg publish --endpoint http://127.0.0.1:7878/query \\
          --update-endpoint http://127.0.0.1:7878/update
      NEUROKG_ENDPOINT_USER=neurokg NEUROKG_ENDPOINT_PASSWORD=... \\
        neurokg publish --endpoint http://127.0.0.1:8890/sparql \\
          --update-endpoint http://127.0.0.1:8890/sparql-auth --auth digest \\
          --gsp-endpoint http://127.0.0.1:8890/sparql-graph-crud-auth
      neurokg publish --clean-staging --endpoint http://127.0.0.1:7878/query \\
          --update-endpoint http://127.0.0.1:7878/update
    """
    credentials = None if auth is None else auth_from_env(cast(Literal["basic", "digest"], auth))
    if clean_staging:
        dropped = drop_staging(
            query_endpoint=endpoint,
            update_endpoint=update_endpoint or endpoint,
            auth=credentials,
            timeout=timeout,
        )
        for staging in dropped:
            click.echo(staging)
        settings.progress(f"dropped {len(dropped)} staging graph(s)")
        return
    with settings.step("building the graph"):
        kg = build_from(ontology)

    def staged(graph: PublishedGraph) -> None:
        settings.progress(
            f"staged {graph.name}: {graph.triples} triples in {graph.batches} requests"
        )

    with settings.step("publishing"):
        report = publish_graph(
            kg,
            query_endpoint=endpoint,
            update_endpoint=update_endpoint or endpoint,
            gsp_endpoint=gsp_endpoint,
            auth=credentials,
            batch_size=batch_size,
            timeout=timeout,
            on_graph=staged,
        )
    for graph in report.graphs:
        click.echo(f"{graph.name}\t{graph.triples}\t{graph.batches}")
    settings.progress(f"published {report.triples} triples to {report.update_endpoint}")

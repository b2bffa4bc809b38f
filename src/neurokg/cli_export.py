"""The ``export``, ``diff`` and ``serve`` commands (registered on ``neurokg.cli.main``).

Consumes: command-line options; the curated data (``--ontology``) or a built release (``--graph``).
Produces: a release folder (export; written beside and swapped in whole, export.py), a Markdown or
JSON report on stdout (diff), a running read-only SPARQL endpoint until Ctrl-C (serve). Progress
goes to stderr; errors map to exit code 2 through ``cli_common.Group``; ``export --store`` opens
the store read-only.
"""

from __future__ import annotations

import json
import signal
import time
from datetime import datetime
from pathlib import Path

import click

from .cli_common import Settings, build_from, dataset_from, ontology_option
from .diff import diff_releases, read_release, render_markdown
from .export import Access, check_release_destination, export_choices, export_release
from .serve import Limits, start_endpoint
from .store import open_store
from .store_export import STORE_FORMATS, export_store

__all__ = ["diff", "export", "serve"]


def _author() -> str | None:
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        found = metadata("neurokg")
    except PackageNotFoundError:
        return None
    return (found["Author"] or None) if "Author" in found else None


@click.command()
@ontology_option
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Release folder to write: new (its parent must exist) or a previous release, replaced "
    "whole in one rename.",
)
@click.option("--all-claims", is_flag=True, help="Every claim with its status (for curators).")
@click.option(
    "--date",
    "release_date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Release date (default: the latest curation date in the graph).",
)
@click.option(
    "--format",
    "formats",
    type=click.Choice(sorted({*export_choices(), *STORE_FORMATS, "all"})),
    multiple=True,
    help="Write only these formats (repeatable; default and 'all': every format).",
)
@click.option(
    "--base-url",
    metavar="URL",
    help="Where the release's files will be served: each file's download URL in void.ttl.",
)
@click.option(
    "--sparql-endpoint",
    metavar="URL",
    help="The SPARQL endpoint that serves this release, for void.ttl (void:sparqlEndpoint).",
)
@click.option(
    "--publisher",
    metavar="NAME|URL",
    help="Who publishes the release, for void.ttl (default: the package's author).",
)
@click.option(
    "--knowledge-source",
    metavar="CURIE",
    help="primary_knowledge_source (an infores id) for the KGX edges (default: infores:neurokg).",
)
@click.option(
    "--store",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Export this on-disk store (curated graphs and imports) instead: N-Triples, Turtle, "
    "JSON-LD, N-Quads, written by Oxigraph (not canonicalised).",
)
@click.pass_obj
def export(
    settings: Settings,
    ontology: Path | None,
    output: Path,
    all_claims: bool,
    release_date: datetime | None,
    formats: tuple[str, ...],
    knowledge_source: str | None,
    store: Path | None,
    base_url: str | None,
    sparql_endpoint: str | None,
    publisher: str | None,
) -> None:
    """Write a release: Turtle, N-Triples, JSON-LD, TriG, N-Quads, KGX TSV, VoID/DCAT, SHA256SUMS.

    \b
    Examples:
      neurokg export -o release/
      neurokg export -o curators/ --all-claims --date 2026-12-01
      neurokg export -o kgx/ --format kgx
      neurokg export -o release/ --format all --base-url https://example.org/neurokg/0.1.0/
      neurokg export --store hpo-store -o hpo-release/ --format ntriples
    """
    check_release_destination(output)  # before any work: checked again when writing
    formats = () if "all" in formats else formats
    if store is not None:
        with settings.step("writing the store's files"):
            sums = export_store(open_store(store, read_only=True), output, list(formats) or None)
        for name, digest in sorted(sums.items()):
            click.echo(f"{digest}  {output / name}")
        return
    with settings.step("building the graph"):
        kg = build_from(ontology)
    when = release_date.date() if release_date is not None else None
    with settings.step("writing the release"):
        release = export_release(
            kg,
            output,
            all_claims=all_claims,
            release_date=when,
            formats=list(formats) or None,
            knowledge_source=knowledge_source,
            access=Access(publisher or _author(), base_url, sparql_endpoint),
        )
    for name, digest in sorted(release.checksums.items()):
        click.echo(f"{digest}  {output / name}")


@click.command()
@click.argument("old", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--term",
    "terms",
    multiple=True,
    metavar="CURIE",
    help="Only claims about this term or its subclasses (repeatable; a name works too).",
)
@click.option(
    "--match",
    type=click.Choice(["any", "all"]),
    default="any",
    show_default=True,
    help="With several --term: claims about any of them, or about all of them.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    show_default=True,
)
@click.pass_obj
def diff(
    settings: Settings, old: Path, new: Path, terms: tuple[str, ...], match: str, fmt: str
) -> None:
    """Compare two releases (TriG or N-Quads) claim by claim.

    \b
    Examples:
      neurokg diff old/neurokg.trig new/neurokg.trig
      neurokg diff old/neurokg.nq new/neurokg.nq --term HP:0000643 --term MONDO:0005301
      neurokg diff old.trig new.trig --format json
    """
    with settings.step("reading the releases"):
        before, after = read_release(old), read_release(new)
    result = diff_releases(
        before,
        after,
        terms=terms,
        match="all" if match == "all" else "any",
        names=(str(old), str(new)),
    )
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(render_markdown(result), nl=False)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@click.command()
@ontology_option
@click.option(
    "--graph",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Serve a built dataset or release (TriG or N-Quads) instead of building one.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=7878, show_default=True, help="Port (0: any free one).")
@click.option(
    "--time-limit", type=int, default=10, show_default=True, help="Seconds a query may run."
)
@click.option(
    "--max-rows", type=int, default=10_000, show_default=True, help="Rows a query may return."
)
@click.option(
    "--oxigraph",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The oxigraph server binary (default: beside this Python, or on PATH).",
)
@click.pass_obj
def serve(
    settings: Settings,
    ontology: Path | None,
    graph: Path | None,
    host: str,
    port: int,
    time_limit: int,
    max_rows: int,
    oxigraph: Path | None,
) -> None:
    """Serve the graph as a read-only SPARQL 1.1 endpoint until Ctrl-C.

    \b
    Examples:
      neurokg serve                      # http://127.0.0.1:7878/ (page), /query (protocol)
      neurokg serve --port 8080 --time-limit 30 --max-rows 50000
      neurokg ask blepharospasm MS --endpoint http://127.0.0.1:7878/query
    """
    with settings.step("building the graph"):
        dataset = dataset_from(ontology, graph)
    limits = Limits(timeout_s=time_limit, max_rows=max_rows)
    # SIGTERM (a service manager, kill) stops the server as Ctrl-C does: the Oxigraph child and
    # its temporary store go with it
    signal.signal(signal.SIGTERM, _interrupt)
    with start_endpoint(dataset, host=host, port=port, limits=limits, oxigraph=oxigraph) as ep:
        settings.progress(f"serving {ep.base_url}/ (page) and {ep.url}; Ctrl-C stops")
        try:
            while True:
                time.sleep(1)
        except KeyboardInterrupt:
            settings.progress("stopping")

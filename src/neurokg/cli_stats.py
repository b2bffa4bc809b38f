"""The ``stats`` command: what the curated graph, a built dataset, a store or an endpoint holds.

Consumes: the engine options (``--store``, ``--graph``, ``--endpoint``, ``--ontology``).
Produces: stats.py's counts on stdout, as text or JSON. Exit codes: 0 printed; 2 bad input (a
curated file that does not load, a store that cannot be opened, an endpoint that fails).
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from .cli_common import Settings, engine_options, make_engine

__all__ = ["stats"]


@click.command("stats")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@engine_options
@click.pass_obj
def stats(
    settings: Settings,
    fmt: str,
    ontology: Path | None,
    graph: Path | None,
    store: Path | None,
    endpoint: str | None,
    backend: str,
    timeout: float,
) -> None:
    """Count claims (by status, by certainty, by source kind), publications and the claims of
    each, terms no claim names, imports with their versions, and triples per graph.

    Default: the curated graph (built, or read from the graph cache). Certainty is the grade
    `neurokg ask` gives each claim. Exit codes: 0 printed; 2 bad input.

    \b
    Examples:
      neurokg stats
      neurokg stats --format json
      neurokg stats --store ./kg-store
      neurokg stats --graph neurokg.trig
    """
    from .stats import collect_stats, stats_text

    engine = make_engine(settings, ontology, graph, store, endpoint, backend, timeout)
    with settings.step("counting"):
        counted = collect_stats(engine)
    if fmt == "json":
        click.echo(json.dumps(counted.as_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(stats_text(counted), nl=False)

"""The ``import`` and ``stats`` commands: external ontologies and annotations into a store.

Consumes: OBO, OWL or HPOA files and an on-disk Oxigraph store folder (``--store``).
Produces: one named graph per file, ``graph:import/<name>``, in the store (replaced on re-import),
beside the curated graphs (refreshed from the curated files unless ``--no-curated``), so that
``neurokg ask --store DIR`` and ``neurokg query --store DIR`` answer over both; ``stats`` prints
the triples of each named graph.
Policy: progress goes to stderr, counts to stdout; input problems exit with code 2.
"""

from __future__ import annotations

from pathlib import Path

import click

from .cli_common import Settings, build_from, dataset_from, ontology_option
from .importer import count_graphs, import_into_store
from .store import load_into_store, open_store

__all__ = ["import_", "stats"]


@click.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--store",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="On-disk Oxigraph store folder (created if missing, kept between runs).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["obo", "owl", "hpoa"]),
    help="Format of every FILE (default: from the suffix).",
)
@click.option("--name", help="Import name, for a single FILE (default: from the file name).")
@click.option(
    "--curated/--no-curated",
    default=True,
    show_default=True,
    help="Also (re)load the curated graphs into the store.",
)
@ontology_option
@click.pass_obj
def import_(
    settings: Settings,
    files: tuple[Path, ...],
    store: Path,
    fmt: str | None,
    name: str | None,
    curated: bool,
    ontology: Path | None,
) -> None:
    """Import ontologies (OBO, OWL) and HPO annotations (HPOA) into a store.

    \b
    Examples:
      neurokg import hp.obo phenotype.hpoa --store ./kg-store
      neurokg import mondo.owl --name mondo --store ./kg-store
      neurokg ask blepharospasm "multiple sclerosis" --store ./kg-store
    """
    if name is not None and len(files) > 1:
        raise click.UsageError("--name needs exactly one FILE")
    oxstore = open_store(store)
    if curated:
        with settings.step("loading the curated graphs"):
            load_into_store(build_from(ontology).dataset, oxstore)
    for path in files:
        with settings.step(f"importing {path.name}"):
            report = import_into_store(oxstore, path, fmt=fmt, name=name)
        click.echo(
            f"{report.graph}\tversion {report.version}\t{report.triples} triples\t"
            f"{report.terms} terms ({report.obsolete} obsolete)\t{report.claims} claims "
            f"({report.negative} negative)\t{report.links} cross-reference links"
        )
        for reason, count in sorted(report.skipped.items()):
            settings.progress(f"{path.name}: skipped {count} rows ({reason})")
    oxstore.flush()


@click.command()
@click.option(
    "--store",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Count the graphs of this on-disk Oxigraph store.",
)
@click.option(
    "--graph",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Count the graphs of a built dataset (TriG or N-Quads).",
)
@ontology_option
@click.pass_obj
def stats(
    settings: Settings, store: Path | None, graph: Path | None, ontology: Path | None
) -> None:
    """Print the number of triples in each named graph (default: of a fresh build).

    \b
    Examples:
      neurokg stats --store ./kg-store
      neurokg stats --graph neurokg.trig
    """
    if store is not None:
        counts = count_graphs(open_store(store))
    else:
        with settings.step("reading the graph"):
            dataset = dataset_from(ontology, graph)
        counts = {str(c.identifier): len(c) for c in dataset.contexts() if len(c)}
    for iri, count in sorted(counts.items()):
        click.echo(f"{iri}\t{count}")
    click.echo(f"total\t{sum(counts.values())}")

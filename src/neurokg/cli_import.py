"""The ``import`` and ``stats`` commands: external ontologies and annotations into a store.

Consumes: OBO, OWL or HPOA files and an on-disk Oxigraph store folder (``--store``).
Produces: one named graph per file, ``graph:import/<name>``, in the store (replaced on re-import),
beside the curated graphs (refreshed from the curated files unless ``--no-curated``), so that
``neurokg ask --store DIR`` and ``neurokg query --store DIR`` answer over both; ``stats`` prints
the triples of each named graph.
Policy: one ``import`` is one unit: every file is parsed and checked, then the new store is
swapped in (imports/replace.py); any error leaves the store as it was. Progress goes to stderr,
counts to stdout (after the swap); input problems exit with code 2. ``stats`` opens the store
read-only and never creates one.
"""

from __future__ import annotations

from pathlib import Path

import click

from .cli_common import Settings, build_from, dataset_from, ontology_option
from .imports import DEFAULT_LIMITS, ImportLimits, StoreImport, count_graphs, plan_imports
from .store import open_store

__all__ = ["import_", "stats"]


@click.command(name="import")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
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
@click.option(
    "--allow-shrink",
    is_flag=True,
    help="Let a file replace a graph although it yields no terms or claims, or fewer than half "
    "the graph's triples (refused by default: a truncated or wrong file).",
)
@click.option(
    "--max-line-length",
    type=click.IntRange(min=1),
    default=DEFAULT_LIMITS.max_line,
    show_default=True,
    help="Refuse a file with a longer line (bytes).",
)
@click.option(
    "--max-literal-length",
    type=click.IntRange(min=1),
    default=DEFAULT_LIMITS.max_literal,
    show_default=True,
    help="Refuse a label, synonym, definition or HPOA row longer than this (characters).",
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
    allow_shrink: bool,
    max_line_length: int,
    max_literal_length: int,
    ontology: Path | None,
) -> None:
    """Import ontologies (OBO, OWL) and HPO annotations (HPOA) into a store.

    The new store is built beside the old one and swapped in once every FILE is parsed and
    checked: an error or a kill leaves the store as it was. A file that yields no terms or
    claims, or fewer than half the triples of the graph it replaces, is refused (exit 2)
    unless --allow-shrink.

    \b
    Examples:
      neurokg import hp.obo phenotype.hpoa --store ./kg-store
      neurokg import mondo.owl --name mondo --store ./kg-store
      neurokg ask blepharospasm "multiple sclerosis" --store ./kg-store
    """
    if name is not None and len(files) > 1:
        raise click.UsageError("--name needs exactly one FILE")
    jobs = plan_imports(files, fmt, name)
    dataset = build_from(ontology).dataset if curated else None
    limits = ImportLimits(max_line=max_line_length, max_literal=max_literal_length)
    with StoreImport(
        store, jobs, curated=dataset, limits=limits, allow_shrink=allow_shrink
    ) as target:
        if dataset is not None:
            with settings.step("loading the curated graphs"):
                target.load_curated()
        for job in jobs:
            with settings.step(f"importing {job.path.name}"):
                target.import_job(job)
        with settings.step(f"swapping in the new store ({target.mode})"):
            reports = target.commit()
    for report in reports:
        click.echo(
            f"{report.graph}\tversion {report.version}\t{report.triples} triples\t"
            f"{report.terms} terms ({report.obsolete} obsolete)\t{report.claims} claims "
            f"({report.negative} negative)\t{report.links} cross-reference links"
        )
        for reason, count in sorted(report.skipped.items()):
            settings.progress(f"{Path(report.path).name}: skipped {count} rows ({reason})")


@click.command()
@click.option(
    "--store",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Count the graphs of this on-disk Oxigraph store (read-only; never creates one).",
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
        counts = count_graphs(open_store(store, read_only=True))
    else:
        with settings.step("reading the graph"):
            dataset = dataset_from(ontology, graph)
        counts = {str(c.identifier): len(c) for c in dataset.contexts() if len(c)}
    for iri, count in sorted(counts.items()):
        click.echo(f"{iri}\t{count}")
    click.echo(f"total\t{sum(counts.values())}")

"""The ``neurokg validate`` command: the curators' gate over a built graph.

Consumes: the curated files (``--ontology``, default the packaged ones), or FILES of a built graph
(TriG or N-Quads with the named graphs; Turtle or N-Triples as one graph, to which the schema of
``--ontology`` is added so that shapes see the class hierarchy).
Produces: the validation report on stdout as text, JSON, or the SHACL report graph in Turtle.
Exit codes: 0 the graph conforms; 3 it does not (the report is written first); 2 unusable input
(a file that cannot be parsed, a shapes folder that is not one), mapped by ``cli_common.Group``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from . import __version__
from .build import KnowledgeGraph
from .cli_common import EXIT_NONCONFORMANT, Settings, load_and_build, ontology_option, read_dataset
from .load import Origin, load_schema
from .namespaces import GRAPH_IRIS
from .resources import data_dir
from .validate import ValidationReport, origins_from_curation, validate_graph

__all__ = ["FORMATS", "validate"]

#: Output formats: name -> how to write the report.
FORMATS: dict[str, Callable[[ValidationReport], str]] = {
    "text": lambda report: report.text(),
    "json": lambda report: report.as_json() + "\n",
    "turtle": lambda report: report.report_graph.serialize(format="turtle"),
}


def _read_files(files: tuple[Path, ...], ontology: Path | None) -> KnowledgeGraph:
    dataset = read_dataset(*files)
    schema = dataset.graph(GRAPH_IRIS["schema"])
    if len(schema) == 0:
        folder = Path(str(data_dir("ontology", ontology)))
        for triple in load_schema(folder / "neurokg.ttl"):
            schema.add(triple)
    return KnowledgeGraph(dataset, __version__)


def _curated(ontology: Path | None) -> tuple[KnowledgeGraph, dict[str, Origin]]:
    curation, kg = load_and_build(ontology)
    return kg, origins_from_curation(curation)


@click.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@ontology_option
@click.option(
    "--shapes",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of *_shape.ttl files (default: the packaged shapes/), checked by SHACL-SHACL.",
)
@click.option(
    "--format", "fmt", type=click.Choice(list(FORMATS)), default="text", show_default=True
)
@click.option("--no-reason", is_flag=True, help="Skip OWL reasoning (HermiT, needs Java).")
@click.pass_obj
def validate(
    settings: Settings | None,
    files: tuple[Path, ...],
    ontology: Path | None,
    shapes: Path | None,
    fmt: str,
    no_reason: bool,
) -> None:
    """Check the graph against the SHACL shapes, OWL reasoning and quality checks.

    \b
    Without FILES, builds the graph from the curated files and names each record's file and line.
    Exit codes: 0 conforms; 3 does not conform; 2 unusable input.
    Examples:
      neurokg validate
      neurokg validate --format json --no-reason
      neurokg validate neurokg.trig --format turtle > report.ttl
    """
    settings = settings if settings is not None else Settings()
    with settings.step("building the graph" if not files else "reading the graph"):
        kg, origins = _curated(ontology) if not files else (_read_files(files, ontology), {})
    with settings.step("validating"):
        report: ValidationReport = validate_graph(kg, shapes, origins=origins, reason=not no_reason)
    click.echo(FORMATS[fmt](report), nl=False)
    if not report.conforms:
        click.get_current_context().exit(EXIT_NONCONFORMANT)

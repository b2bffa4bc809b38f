"""The ``neurokg validate`` command: the curators' gate over a built graph.

Consumes: the curated files (``--ontology``, default the packaged ones), or FILES of a built graph
(TriG or N-Quads with the named graphs; Turtle or N-Triples as one graph, to which the schema of
``--ontology`` is added so that shapes see the class hierarchy), or an on-disk store (``--store``,
SHACL only, the shapes as SPARQL by default: validate_store.py); ``--claim`` validates only what
editing those claims touches.
Produces: the validation report on stdout as text (findings grouped by check and message, with
counts and first records), JSON, a TSV in the manner of ROBOT's ``report``, or the SHACL report
graph in Turtle. Curated files that cannot be loaded give every load error at once, in the same
format (text, JSON or TSV).
Exit codes: 0 the graph conforms (no finding at ``--fail-on`` or worse); 3 it does not (the report
is written first); 2 unusable input (curated files that cannot be loaded: all their errors are
reported; a file that cannot be parsed, a shapes folder that is not one).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click
import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import RDF

from . import __version__
from .build import KnowledgeGraph, claim_iri
from .cli_common import EXIT_NONCONFORMANT, Settings, load_and_build, ontology_option, read_dataset
from .errors import NeurokgError, SourceError
from .load import Origin, load_schema
from .namespaces import GRAPH_IRIS, NKG, compact
from .resolve import identifier_iri
from .resources import data_dir
from .store import load_into_store, open_store
from .validate import SHACL_ENGINES, ValidationReport, origins_from_curation, validate_graph
from .validate_report import FAIL_ON, load_error_report
from .validate_store import validate_claims, validate_store

_TYPE = ox.NamedNode(str(RDF.type))
_CLAIM = ox.NamedNode(str(NKG.Claim))

__all__ = ["FORMATS", "validate"]

#: Output formats: name -> how to write the report.
FORMATS: dict[str, Callable[[ValidationReport], str]] = {
    "text": lambda report: report.text(),
    "json": lambda report: report.as_json() + "\n",
    "tsv": lambda report: report.as_tsv(),
    "turtle": lambda report: report.report_graph.serialize(format="turtle"),
}
EXIT_INPUT = 2


def _read_files(files: tuple[Path, ...], ontology: Path | None) -> KnowledgeGraph:
    dataset = read_dataset(*files)
    if not any(True for _ in dataset.subjects(RDF.type, NKG.Claim)) and not any(
        True for _ in dataset.subjects(RDF.type, NKG.Release)
    ):
        # an empty file, or any other RDF, would "conform" to shapes that target nothing in it
        raise SourceError(
            ", ".join(map(str, files)),
            None,
            "not a neurokg release: no release description (nkg:Release) and no claim "
            "(nkg:Claim); validate a file written by 'neurokg build -o' or 'neurokg export'",
        )
    schema = dataset.graph(GRAPH_IRIS["schema"])
    if len(schema) == 0:
        folder = Path(str(data_dir("ontology", ontology)))
        for triple in load_schema(folder / "neurokg.ttl"):
            schema.add(triple)
    return KnowledgeGraph(dataset, __version__)


def _curated(ontology: Path | None, fmt: str = "text") -> tuple[KnowledgeGraph, dict[str, Origin]]:
    """The built graph and its records' origins; curated files that cannot be loaded give their
    every error in ``fmt`` on stdout, and exit 2."""
    try:
        curation, kg = load_and_build(ontology)
    except SourceError as err:
        click.echo(load_error_report(err, fmt if fmt in ("json", "tsv") else "text"), nl=False)
        click.get_current_context().exit(EXIT_INPUT)
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
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    default="violation",
    show_default=True,
    help="Exit 3 when a finding this severe (or worse) is found.",
)
@click.option("--verbose", is_flag=True, help="Text: list every result, info and large groups too.")
@click.option(
    "--store",
    type=click.Path(file_okay=False, path_type=Path),
    help="Validate this on-disk store (curated graphs and imports): SHACL only, no HermiT or QC.",
)
@click.option(
    "--claim",
    "claims",
    multiple=True,
    metavar="ID",
    help="Validate only what editing this claim touches (repeatable; an id, CURIE or IRI).",
)
@click.option(
    "--shacl-engine",
    type=click.Choice(SHACL_ENGINES),
    default=None,
    help="pyshacl (the reference; default for the curated graph), turbo (pyshacl-turbo) or "
    "sparql (the shapes as SPARQL on Oxigraph; default for --store and --claim). All three give "
    "the same results (tests/test_shacl_sparql.py).",
)
@click.pass_obj
def validate(
    settings: Settings | None,
    files: tuple[Path, ...],
    ontology: Path | None,
    shapes: Path | None,
    fmt: str,
    no_reason: bool,
    fail_on: str,
    verbose: bool,
    store: Path | None,
    claims: tuple[str, ...],
    shacl_engine: str | None,
) -> None:
    """Check the graph against the SHACL shapes, OWL reasoning and quality checks.

    \b
    Without FILES, builds the graph from the curated files and names each record's file and line.
    With --store, checks every graph of an on-disk store (e.g. after `neurokg import`) with the
    shapes only. With --claim, checks only the claims named, the claims making the same
    statement, their supports and direct triple: the curator's loop after one edit.
    Findings are grouped by check and message, with counts and the first records; a TSV
    (--format tsv) has ROBOT report's columns (Level, Rule Name, Subject, Property, Value) and
    the message, fix, file and line. Curated files that cannot be loaded: every error at once.
    Exit codes: 0 conforms; 3 a finding at --fail-on or worse; 2 unusable input.
    Examples:
      neurokg validate
      neurokg validate --format json --no-reason
      neurokg validate --fail-on warning --format tsv > report.tsv
      neurokg validate neurokg.trig --format turtle > report.ttl
      neurokg validate --store hpo-store
      neurokg validate --claim ms-blepharospasm-cohort-2008
      neurokg validate --store hpo-store --claim claim:ms-blepharospasm-cohort-2008
    """
    settings = settings if settings is not None else Settings()
    if store is not None and files:
        raise click.UsageError("give either FILES or --store, not both")
    if store is not None or claims:
        report = _validate_fast(settings, files, ontology, shapes, store, claims, shacl_engine)
        _finish(report, fmt, fail_on, verbose)
        return
    with settings.step("building the graph" if not files else "reading the graph"):
        kg, origins = _curated(ontology, fmt) if not files else (_read_files(files, ontology), {})
    with settings.step("validating"):
        report = validate_graph(
            kg,
            shapes,
            origins=origins,
            reason=not no_reason,
            shacl_engine=shacl_engine or "pyshacl",
        )
    _finish(report, fmt, fail_on, verbose)


def _finish(report: ValidationReport, fmt: str, fail_on: str, verbose: bool) -> None:
    """Write the report; exit 3 when it has a finding at ``fail_on`` or worse."""
    text = report.text(verbose=True) if fmt == "text" and verbose else FORMATS[fmt](report)
    click.echo(text, nl=False)
    if report.fails(fail_on):
        click.get_current_context().exit(EXIT_NONCONFORMANT)


def _claim_iri(text: str) -> URIRef:
    iri = identifier_iri(text) if ":" in text else str(claim_iri(text))
    if not iri:
        raise NeurokgError(f"--claim {text!r} is not a claim id, CURIE or IRI")
    return URIRef(iri)


def _validate_fast(
    settings: Settings,
    files: tuple[Path, ...],
    ontology: Path | None,
    shapes: Path | None,
    store_dir: Path | None,
    claims: tuple[str, ...],
    engine: str | None,
) -> ValidationReport:
    """--store and/or --claim: the store (or the built graph, loaded into a memory store)."""
    if store_dir is not None and not store_dir.is_dir():
        raise NeurokgError(f"--store {store_dir}: no such store folder")
    with settings.step("opening the store" if store_dir else "building the graph"):
        if store_dir is not None:
            store = open_store(store_dir, read_only=True)
        else:
            kg = _read_files(files, ontology) if files else _curated(ontology)[0]
            store = load_into_store(kg.dataset, open_store())
    iris = [_claim_iri(c) for c in claims]
    for claim, text in zip(iris, claims, strict=True):
        if not any(store.quads_for_pattern(ox.NamedNode(str(claim)), _TYPE, _CLAIM)):
            raise NeurokgError(f"--claim {text!r}: no claim {compact(str(claim))} in the graph")
    with settings.step(f"validating {len(iris)} claim(s)" if iris else "validating the store"):
        if iris:
            return validate_claims(store, iris, shapes, shacl_engine=engine or "sparql")
        return validate_store(store, shapes, shacl_engine=engine or "sparql")

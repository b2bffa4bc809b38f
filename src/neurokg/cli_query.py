"""The ``neurokg query`` and ``neurokg queries`` commands: named SPARQL queries and your own.

Consumes: a query name (``queries/*.rq``) or a SPARQL file, ``--param NAME=VALUE`` pairs, and the
engine options of ``cli_common`` (built graph in memory or Oxigraph, a store, or an endpoint).
Produces: the rows on stdout (or ``-o FILE``) as a table or in a SPARQL 1.1 results format (an
ASK's yes or no; a CONSTRUCT's or DESCRIBE's triples as Turtle, N-Triples or JSON-LD); notes on
how a value was read go to stderr (``-q`` silences them). The work is ``api.Neurokg``'s.
Policy: values are read by ``params.read_value`` and bound as RDF terms, never pasted into the
query. A local query sends no request (``SERVICE``, ``FROM`` a graph the store does not hold)
unless ``--allow-service``. Errors are ``NeurokgError``s, which the command group maps to exit 2.
"""

from __future__ import annotations

import dataclasses
import textwrap
from pathlib import Path

import click

from .api import Neurokg
from .cli_common import Settings, engine_options, make_engine, write_output
from .errors import NeurokgError, SourceError
from .limits import DEFAULT_MAX_ROWS
from .params import check_param_names, parse_assignments
from .query import Engine, LocalEngine, describe_query, describe_text
from .query_forms import GRAPH_FORMATS, check_variables
from .resources import list_queries, query_text
from .results import FORMATS
from .store import OxigraphEngine

__all__ = ["queries", "query"]

_VALUE_RULE = """\b
How a VALUE is read (first match wins):
  "text", 'text', "text"@en, "5"^^xsd:integer   a literal (quote to force one)
  <IRI>, https://...                            an IRI
  MONDO:0005301, claim:ID, source:KEY           a CURIE; a term CURIE must name a term
  a label, synonym or abbreviation              that term (an ambiguous name is an error)
  a claim id (ms-blepharospasm-cohort-2008)     that claim
  anything else                                 a plain literal (a note says so on stderr)"""


def _read_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise SourceError(path, None, f"cannot read the query: {err}") from err


def _check_file_params(path: Path, text: str, given: list[str]) -> None:
    declared = describe_text(path.stem, text).params if path.suffix == ".rq" else []
    if declared:
        check_param_names(path.name, declared, given)
        return
    try:
        check_variables(text, given)  # the parse tree's variables: not a ?name in a comment
    except NeurokgError as err:
        raise NeurokgError(f"{path.name}: {err}") from err


def _allowing_service(engine: Engine, endpoint: str | None) -> Engine:
    if endpoint is not None or not isinstance(engine, LocalEngine | OxigraphEngine):
        raise click.UsageError(
            "--allow-service is for local queries (an --endpoint decides itself)"
        )
    return dataclasses.replace(engine, allow_service=True)


@click.command("query", epilog=_VALUE_RULE)
@click.argument("name", required=False)
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="Bind ?NAME.")
@click.option(
    "--file",
    "query_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Run your own query from this file instead of a named one: SELECT (rows), ASK (yes or "
    "no), CONSTRUCT or DESCRIBE (triples).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice([*FORMATS, *(f for f in GRAPH_FORMATS if f not in FORMATS)]),
    default="table",
    show_default=True,
    help="Rows and ASK: table, json, csv, tsv. CONSTRUCT and DESCRIBE: table or turtle "
    "(Turtle), nt (N-Triples), json (JSON-LD).",
)
@click.option(
    "--max-width",
    type=click.IntRange(min=0),
    default=60,
    show_default=True,
    help="Table only: cut longer cells (0: never).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the rows to this file (atomically) instead of stdout.",
)
@click.option(
    "--allow-service",
    is_flag=True,
    help="Let a local query send requests: SERVICE, and FROM or FROM NAMED a graph the store "
    "does not hold (rdflib fetches it). Refused by default, with exit code 2.",
)
@click.option(
    "--max-rows",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_ROWS,
    show_default=True,
    help="Refuse (exit 2) a result with more rows than this; add a LIMIT to see a part.",
)
@engine_options
@click.pass_obj
def query(
    settings: Settings,
    name: str | None,
    params: tuple[str, ...],
    query_file: Path | None,
    fmt: str,
    max_width: int,
    output: Path | None,
    allow_service: bool,
    max_rows: int,
    ontology: Path | None,
    graph: Path | None,
    store: Path | None,
    endpoint: str | None,
    backend: str,
    timeout: float,
) -> None:
    """Run the named query NAME (see 'neurokg queries') or --file FILE, and print its rows.

    \b
    Examples:
      neurokg query lesion_sites --param condition="multiple sclerosis"
      neurokg query associations_between -p a=MS -p b=blepharospasm --format json
      neurokg query claim_evidence -p claim=claim:ms-blepharospasm-cohort-2008
      neurokg query conditions_with_lesions_in -p site=brainstem --format tsv
      neurokg query --file my.rq -p condition=MONDO:0005301 --endpoint http://127.0.0.1:7878/query
      neurokg query --file construct.rq -p condition=MS --format nt
    """
    if (name is None) == (query_file is None):
        raise click.UsageError("give a query NAME or --file FILE (one of them)")
    assignments = parse_assignments(params)
    if name is not None:  # checked before the graph is built
        check_param_names(name, describe_query(name).params, list(assignments))
    else:
        assert query_file is not None
        text = _read_file(query_file)
        _check_file_params(query_file, text, list(assignments))
    engine = make_engine(settings, ontology, graph, store, endpoint, backend, timeout)
    if allow_service:
        engine = _allowing_service(engine, endpoint)
    kg = Neurokg(engine, ontology, graph, store, endpoint, timeout)
    if name is not None:
        result = kg.query(name, max_rows=max_rows, **assignments)
    else:
        result = kg.run(text, max_rows=max_rows, **assignments)
    for param in result.params.values():
        if param.note:
            settings.progress(f"--param {param.name}: {param.note}")
    write_output(settings, result.format(fmt, max_width), output, "the rows")


@click.command("queries")
@click.argument("names", nargs=-1)
@click.option("--sparql", is_flag=True, help="Print each query's SPARQL text too.")
def queries(names: tuple[str, ...], sparql: bool) -> None:
    """List the named queries: the question each answers, its parameters and its columns.

    \b
    Examples:
      neurokg queries
      neurokg queries lesion_sites --sparql
    """
    for name in names or list_queries():
        doc = describe_query(name)
        usage = " ".join(f"--param {p}=VALUE" for p in doc.params)
        click.echo(name)
        click.echo(textwrap.fill(doc.question, 98, initial_indent="  ", subsequent_indent="  "))
        click.echo(f"  usage:   neurokg query {name} {usage}".rstrip())
        click.echo(
            textwrap.fill(
                ", ".join(doc.columns),
                98,
                initial_indent="  columns: ",
                subsequent_indent="           ",
            )
        )
        if sparql:
            click.echo(textwrap.indent(query_text(name).rstrip(), "    "))
        click.echo()

"""The ``neurokg`` command: a thin shell over the Python API; the only place stages are chained.

Data goes to stdout, progress and errors to stderr (``-q`` silences progress).
Exit codes: 0 success (and, for validate, the graph conforms); 1 crash (an unexpected exception:
a bug, reported in two lines with its traceback written to a ``neurokg-crash-*.log`` file in the
system temp folder); 2 usage or input error (unknown or ambiguous name, bad file, unreachable
endpoint), with a one-line message on stderr; 3 the graph does not conform (validate, build).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from .cli_common import (
    EXIT_NONCONFORMANT,
    EXIT_OK,
    EXIT_USAGE,
    Group,
    Settings,
    engine_options,
    make_engine,
    ontology_option,
)

if TYPE_CHECKING:
    from .answer import Answer
    from .api import Neurokg

__all__ = ["main"]


def _version() -> str:
    from . import __version__

    return __version__


def _version_message() -> str:
    from .api import build_from
    from .imports.modules import module_versions
    from .namespaces import META_GRAPH, RELEASE
    from .resources import data_dir

    __version__ = _version()
    kg = build_from(None)
    ontology = Path(str(data_dir("ontology")))
    meta = kg.dataset.graph(META_GRAPH)
    info = {
        str(p).rsplit("/", 1)[-1].rsplit("#", 1)[-1]: str(o)
        for p, o in meta.predicate_objects(RELEASE)
    }
    imports = "".join(f"\n  {name}: {release}" for name, release in module_versions(ontology))
    return (
        f"neurokg {__version__} (ontology {info.get('ontologyVersion', '?')}, "
        f"data sha256:{info.get('contentHash', '?')[:16]}, {info.get('claimCount', '?')} claims)\n"
        f"imported ontology releases:{imports or ' none'}"
    )


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(_version_message())
        ctx.exit(EXIT_OK)


EXIT_CRASH = 1


def _crash_log(err: Exception) -> str:
    """Write the traceback of ``err`` to a new file in the temp folder; return where it went."""
    import os
    import tempfile
    import traceback

    fd, path = tempfile.mkstemp(prefix="neurokg-crash-", suffix=".log", text=True)
    with os.fdopen(fd, "w", encoding="utf-8") as log:
        log.write(f"neurokg {_version()}, Python {sys.version.split()[0]}\n")
        log.write(f"command: {' '.join(sys.argv)}\n\n")
        log.write("".join(traceback.format_exception(err)))
    return path


class _Main(Group):
    """The CLI's edge: an exception no command expects is a bug, reported as one (exit 1).

    User errors never get here: they are ``NeurokgError``s (``Group``) or click's own.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """``-q`` / ``--quiet`` count wherever they stand, also after the subcommand."""
        end = args.index("--") if "--" in args else len(args)
        quiet = [a for a in args[:end] if a in ("-q", "--quiet")]
        if quiet:
            # the long form: click tries a short option as a long one first, and the
            # NoSuchOption it builds on the way imports difflib (5 ms)
            args = [
                "--quiet",
                *(a for a in args[:end] if a not in ("-q", "--quiet")),
                *args[end:],
            ]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:
            raise  # the reader went away (| head): click exits quietly
        except Exception as err:  # a bug: keep the traceback in a file, say where
            import traceback

            try:
                where = f"the traceback is in {_crash_log(err)}"
            except OSError:
                where = "the traceback follows\n" + "".join(traceback.format_exception(err))
            click.echo(f"neurokg: internal error (a bug): {type(err).__name__}: {err}", err=True)
            click.echo(f"neurokg: {where}; please report it with the command you ran", err=True)
            ctx.exit(EXIT_CRASH)


#: Commands imported only when run (or listed by --help): "name" -> "module:attribute".
LAZY_COMMANDS = {
    "validate": ".cli_validate:validate",
    "query": ".cli_query:query",
    "queries": ".cli_query:queries",
    "export": ".cli_export:export",
    "diff": ".cli_export:diff",
    "serve": ".cli_export:serve",
    "publish": ".cli_publish:publish",
    "import": ".cli_import:import_",
    "stats": ".cli_stats:stats",
    "review": ".cli_review:review",
    "curate": ".cli_curate:curate",
}


#: The line ``neurokg --help`` shows for each lazy command (listing them imports nothing).
LAZY_HELP = {
    "validate": "Check the graph against the SHACL shapes, OWL reasoning and quality checks.",
    "query": "Run the named query NAME (see 'neurokg queries') or --file FILE, and print its rows.",
    "queries": "List the named queries: the question each answers, its parameters and its columns.",
    "export": "Write a release: Turtle, N-Triples, JSON-LD, TriG, N-Quads, KGX TSV, VoID/DCAT, "
    "SHA256SUMS.",
    "diff": "Compare two releases (TriG or N-Quads) claim by claim.",
    "serve": "Serve the graph as a read-only SPARQL 1.1 endpoint until Ctrl-C.",
    "publish": "Replace the neurokg graphs on a SPARQL 1.1 server with the built ones.",
    "import": "Import ontologies (OBO, OWL) and HPO annotations (HPOA) into a store.",
    "stats": "Count claims (by status, by certainty, by source kind), publications and the claims "
    "of each, terms no claim names, imports with their versions, and triples per graph.",
    "review": "Check an AI-written ANSWER (a file, or - for stdin; text, Markdown or HTML) "
    "against the graph, statement by statement and citation by citation: offline, no language "
    "model.",
}


@click.group(
    cls=_Main,
    lazy=LAZY_COMMANDS,
    lazy_help=LAZY_HELP,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show the neurokg, ontology, data and imported ontology release versions and exit.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress messages on stderr.")
@click.pass_context
def main(ctx: click.Context, quiet: bool) -> None:
    """Build, validate, query and export the neurokg knowledge graph.

    \b
    Examples:
      neurokg ask blepharospasm "multiple sclerosis"      # the founding question
      neurokg ask MONDO:0019772 HP:0000643 --format json  # by identifier, as JSON
      neurokg build -o neurokg.trig                       # the dataset of named graphs
      neurokg query lesion_sites --param condition=HP:0007166
      neurokg validate                                    # the curators' gate

    \b
    Exit codes: 0 success; 1 crash (a bug: please report it with its log file);
    2 usage or input error (bad file, unknown or ambiguous name, endpoint down);
    3 the graph does not conform to the shapes.
    """
    ctx.obj = Settings(quiet=quiet)


@main.command()
@ontology_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the dataset here as TriG (atomically), after it passes validation.",
)
@click.option(
    "--force", is_flag=True, help="Write the dataset even when it does not conform (exit 3 still)."
)
@click.option("--no-reason", is_flag=True, help="Skip OWL reasoning in the release check.")
@click.pass_obj
def build(
    settings: Settings, ontology: Path | None, output: Path | None, force: bool, no_reason: bool
) -> None:
    """Build the dataset of named graphs from the curated files and print its counts.

    \b
    The direct layer holds the plain triple of each approved, positive claim only.
    With -o the graph is validated first (SHACL, OWL reasoning); a graph that does not
    conform is not written (exit 3) unless --force is given.
    Examples:
      neurokg build
      neurokg build -o release/neurokg.trig
      neurokg build --ontology ./my-ontology -o /tmp/neurokg.trig --force
    """
    from .api import load_and_build as _load_and_build
    from .namespaces import GRAPH_IRIS

    with settings.step("building the graph"):
        curation, kg = _load_and_build(ontology)
    counts = {name: len(kg.dataset.graph(iri)) for name, iri in GRAPH_IRIS.items()}
    for name, count in counts.items():
        click.echo(f"{name}\t{count}")
    click.echo(f"content_sha256\t{kg.content_hash()}")
    if output is None:
        return
    with settings.step("validating before writing"):
        from .validate import origins_from_curation, validate_graph

        # the curated records' files and lines, so that a refusal says where to fix it
        origins = origins_from_curation(curation)
        report = validate_graph(kg, reason=not no_reason, origins=origins)
    if not report.conforms:
        click.echo(report.text(), err=True)
        if not force:
            settings.progress(f"not written: the graph does not conform ({output} untouched)")
            raise SystemExit(EXIT_NONCONFORMANT)
    from .atomic import write_atomically

    write_atomically(output, kg.dataset.serialize(format="trig", encoding="utf-8"))
    settings.progress(f"wrote {output}")
    if not report.conforms:
        raise SystemExit(EXIT_NONCONFORMANT)


@main.command()
@click.argument("first", required=False)
@click.argument("second", required=False)
@click.option(
    "--pairs",
    "pairs_file",
    type=click.File("r", encoding="utf-8"),
    metavar="FILE",
    help="Answer every pair of terms in FILE (- for stdin): one pair a line, separated by a "
    "tab or a comma; one answer per pair, in order.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--brief",
    is_flag=True,
    help="Text in at most 15 lines: the answer, its certainty, counts and the top citations.",
)
@engine_options
@click.pass_obj
def ask(
    settings: Settings,
    first: str | None,
    second: str | None,
    pairs_file: TextIO | None,
    fmt: str,
    brief: bool,
    ontology: Path | None,
    graph: Path | None,
    store: Path | None,
    endpoint: str | None,
    backend: str,
    timeout: float,
) -> None:
    """How are FIRST and SECOND related? A kind of, part of, or associated: yes / no / not known,
    with the certainty of the evidence and the sources behind every line.

    FIRST and SECOND are names, synonyms, abbreviations, CURIEs or IRIs. An ambiguous name
    exits with code 2 and lists the candidates: give a CURIE instead. An obsolete or look-alike
    identifier exits with code 2 and says what it is (and what it is not).

    With --pairs FILE, every pair is answered in one process (the graph is opened once). Each
    answer is headed by its line (text), or is one JSON object a line (json: "line",
    "question", and "answer" or "error"). A line that cannot be answered is reported on
    stderr with its line number, the others are still answered, and the exit code is 2.

    \b
    Examples:
      neurokg ask blepharospasm "multiple sclerosis"
      neurokg ask "Meige syndrome" HP:0012048 --format json
      neurokg ask MS BPPV
      neurokg ask thalamus diencephalon
      neurokg ask blepharospasm MS --brief
      neurokg ask --pairs questions.tsv --brief
      printf 'blepharospasm\tMS\nthalamus,diencephalon\n' | neurokg ask --pairs - --format json
      neurokg ask DOID:2378 DOID:2377 --store ./kg-store
      neurokg ask blepharospasm MS --endpoint http://127.0.0.1:7878/query
    """
    from .api import Neurokg

    if (pairs_file is None) == (first is None or second is None) or (
        pairs_file is not None and first is not None
    ):
        raise click.UsageError("give FIRST and SECOND, or --pairs FILE (not both)")
    engine = make_engine(settings, ontology, graph, store, endpoint, backend, timeout)
    # ask reads and prints only: the console script may end with a quick exit, which frees the
    # graph with the process instead of object by object (13 ms)
    _QUICK_EXIT.append(engine)
    kg = Neurokg(engine, ontology, graph, store, endpoint, timeout)
    if pairs_file is None:
        assert first is not None and second is not None
        click.echo(_answer_text(kg.ask(first, second), fmt, brief))
        return
    if not _ask_pairs(kg, pairs_file, fmt, brief):
        raise SystemExit(EXIT_USAGE)


def _answer_text(answer: Answer, fmt: str, brief: bool) -> str:
    import json

    from .render import render_answer, render_brief

    if fmt == "json":
        return json.dumps(answer.as_dict(), indent=2, ensure_ascii=False)
    return render_brief(answer) if brief else render_answer(answer)


def _ask_pairs(kg: Neurokg, source: TextIO, fmt: str, brief: bool) -> bool:
    """Answer each pair of ``source`` in order; False when a line could not be answered."""
    import json

    from .errors import NeurokgError
    from .pairs import PairError, read_pairs

    name = "<stdin>" if source.name in ("<stdin>", "-") else source.name
    failed = False
    for item in read_pairs(source.read()):
        record: dict[str, Any] = {"line": item.line}
        try:
            if isinstance(item, PairError):
                raise NeurokgError(item.problem)
            record["question"] = [item.first, item.second]
            answer = kg.ask(item.first, item.second)
        except NeurokgError as err:
            failed = True
            click.echo(f"neurokg: error: {name}:{item.line}: {err}", err=True)
            if fmt == "json":
                click.echo(json.dumps({**record, "error": str(err)}, ensure_ascii=False))
            continue
        if fmt == "json":
            click.echo(json.dumps({**record, "answer": answer.as_dict()}, ensure_ascii=False))
        else:
            click.echo(f"== {name}:{item.line}: {' / '.join(record['question'])}")
            click.echo(_answer_text(answer, fmt, brief))
            click.echo()
    return not failed


#: Filled by a command whose work leaves nothing to clean up at exit (``ask``, with its graph,
#: kept alive to the end): the console script then flushes the output and ends with
#: ``os._exit``, skipping the interpreter's teardown (freeing the graph and every module: 0.05 s,
#: a tenth of an answer; issue 13). ``CliRunner`` and the Python API never go through ``run``.
_QUICK_EXIT: list[object] = []


def run() -> None:
    """The ``neurokg`` console script and ``python -m neurokg``."""
    try:
        main(prog_name="neurokg")
    except SystemExit as done:
        if not _QUICK_EXIT or not isinstance(done.code, int | None):
            raise
        code = done.code or 0
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except OSError:  # the reader went away (| head): nothing more can be written
            code = code or 1
        os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run())  # type: ignore[func-returns-value]

"""The ``neurokg review`` command: check an AI-written answer against the graph.

Consumes: an answer (a file or ``-`` for stdin; text, Markdown or HTML) and the graph
(``--ontology``, ``--graph``, ``--store`` or ``--endpoint``, as for ``ask``).
Produces: the review on stdout (or ``-o``) as text or JSON (schema ``neurokg-review/1``); with
``--emit-claims FILE``, the answer's statements as submitted claims (YAML) for curators.
Exit codes: 0 reviewed; 2 bad input (unreadable or non-UTF-8 file, NUL bytes, over 8 MiB, bad
options), mapped by ``cli_common.Group``; 4 a ``--fail-on`` condition was met (the report and
the emitted claims are written first).
"""

from __future__ import annotations

import re
import sys
from datetime import date, datetime
from pathlib import Path

import click

from . import __version__
from .cli_common import Settings, engine_options, make_engine, write_output
from .errors import SourceError
from .limits import within_time
from .namespaces import GRAPH_IRIS
from .review import Review, emit_claims, render_json, render_text, review_answer

__all__ = ["EXIT_FAIL_ON", "review"]

EXIT_FAIL_ON = 4
MAX_ANSWER_BYTES = 8 * 1024 * 1024
_FAIL_ON = ("contradicted", "unsupported", "citation")


#: The terms with a curated record (the others come from import modules).
_CURATED_TERMS = f"""
SELECT DISTINCT ?term WHERE {{ GRAPH <{GRAPH_IRIS["terms"]}> {{ ?term a ?kind }} }}
"""


def _read(answer: Path) -> tuple[str, str]:
    """The answer's text and the name the report gives it."""
    name = "stdin" if str(answer) == "-" else answer.name
    try:
        if str(answer) == "-":
            raw = sys.stdin.buffer.read(MAX_ANSWER_BYTES + 1)
        else:
            with answer.open("rb") as handle:
                raw = handle.read(MAX_ANSWER_BYTES + 1)
    except OSError as err:
        raise SourceError(answer, None, f"cannot read the answer: {err.strerror or err}") from err
    if len(raw) > MAX_ANSWER_BYTES:
        raise SourceError(answer, None, "the answer is larger than 8 MiB")
    if b"\x00" in raw:
        raise SourceError(answer, None, "holds NUL bytes: not a text, Markdown or HTML answer")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise SourceError(
            answer, None, f"not UTF-8 text ({err.reason} at byte {err.start})"
        ) from err
    return text, name


def _failed(review: Review, conditions: tuple[str, ...]) -> list[str]:
    verdicts = review.counts()
    found = []
    if "contradicted" in conditions and verdicts["contradicted"] + verdicts["conflicting"]:
        found.append("contradicted")
    if "unsupported" in conditions and (
        verdicts["unsupported"] + verdicts["contradicted"] + verdicts["conflicting"]
    ):
        found.append("unsupported")
    if "citation" in conditions and review.citation_problems():
        found.append("citation")
    return found


@click.command()
@click.argument("answer", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the review here (atomically) instead of stdout.",
)
@click.option(
    "--emit-claims",
    "emit",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the statements as submitted claims (YAML) for curators.",
)
@click.option(
    "--source-key",
    help="Source key of the answer in the emitted claims (default: ai_answer_<file name>).",
)
@click.option(
    "--source-url",
    help="Where the answer was read: the emitted file then holds its source record.",
)
@click.option("--curator", help="Curator id of the emitted claims (one the graph knows).")
@click.option(
    "--date",
    "when",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Curation date of the emitted claims (default: today).",
)
@click.option(
    "--site",
    "sites",
    multiple=True,
    help="A name of the answer's own site or publisher (repeatable): references to it are "
    "self-citations.",
)
@click.option(
    "--fail-on",
    "fail_on",
    multiple=True,
    type=click.Choice(_FAIL_ON),
    help="Exit 4 if a statement is contradicted (or conflicting); if one is not supported "
    "(unsupported, contradicted or conflicting); or on any citation problem. Repeatable.",
)
@engine_options
@click.pass_obj
def review(
    settings: Settings,
    answer: Path,
    fmt: str,
    output: Path | None,
    emit: Path | None,
    source_key: str | None,
    source_url: str | None,
    curator: str | None,
    when: datetime | None,
    sites: tuple[str, ...],
    fail_on: tuple[str, ...],
    ontology: Path | None,
    graph: Path | None,
    store: Path | None,
    endpoint: str | None,
    backend: str,
    timeout: float,
) -> None:
    """Check an AI-written ANSWER (a file, or - for stdin; text, Markdown or HTML) against the
    graph, statement by statement and citation by citation: offline, no language model.

    Each statement is supported, contradicted, conflicting, unsupported or not checkable, from
    approved claims with a source that is not an AI-written answer only, with the claims,
    certainty and excerpts behind it. Citations are checked: a marker with no reference, a
    reference never cited, the answer's own site or another AI answer, a reference not among the
    graph's sources (with its identifiers), a mismatch, shifted numbering. Look-alike terms and
    abbreviations the answer never defines are flagged.

    \b
    Examples:
      neurokg review answer.txt
      neurokg review answer.md --format json -o review.json
      curl -s URL | neurokg review - --site "Dr.Oracle"
      neurokg review answer.html --emit-claims claims.yaml --source-key founding_answer
      neurokg review answer.txt --fail-on contradicted --fail-on citation -q

    \b
    Exit codes: 0 reviewed; 1 crash (a bug); 2 bad input (unreadable, not UTF-8, NUL bytes,
    over 8 MiB; unknown option; endpoint down); 4 a --fail-on condition was met (the review
    is written first).
    """
    text, name = _read(answer)
    engine = make_engine(settings, ontology, graph, store, endpoint, backend, timeout)

    def run() -> Review:
        return review_answer(engine, text, name=name, sites=sites, version=__version__)

    with settings.step("reviewing the answer"):
        result = within_time(run, timeout if endpoint is None else 0)
    report = render_json(result) if fmt == "json" else render_text(result)
    write_output(settings, report, output, "the review")
    if emit is not None:
        key = source_key or "ai_answer_" + (re.sub(r"[^A-Za-z0-9]+", "_", Path(name).stem) or "in")
        when_ = when.date() if when else date.today()
        curated = engine.select(_CURATED_TERMS, {})
        claims = emit_claims(
            result,
            curated_terms=frozenset(str(row["term"]) for row in curated),
            source_key=key,
            when=when_,
            source_url=source_url,
            curator=curator,
            version=__version__,
        )
        write_output(settings, claims, emit, "the statements as submitted claims")
    failed = _failed(result, fail_on)
    if failed:
        settings.progress(f"--fail-on met: {', '.join(failed)}")
        raise SystemExit(EXIT_FAIL_ON)

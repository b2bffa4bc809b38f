"""The ``neurokg curate`` commands: the review queue, status changes recorded in the YAML, and the
schema files generated from the record models.

Consumes: the curated folder (``--ontology``, default the packaged ``ontology/``: in a checkout,
the files curators edit). Produces: the queue on stdout (text or JSON); edited claim files
(approve, reject, deprecate, review); the JSON Schema and field reference (schema).
Exit codes: 0 done; 2 unusable input or a change the workflow forbids (an illegal transition,
no --by or --why, an unknown claim), with a one-line message; 3 ``schema --check`` found the
committed files out of date.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from .cli_common import EXIT_NONCONFORMANT, Settings, ontology_option, write_output
from .errors import NeurokgError
from .resources import data_dir

__all__ = ["curate"]


def _folder(ontology: Path | None, *, edit: bool = False) -> Path:
    folder = Path(str(data_dir("ontology", ontology)))
    if edit and ontology is None and "_data" in folder.parts:
        # an installed wheel's copy: never written into (a checkout's ontology/ is used as is)
        raise NeurokgError(
            f"{folder} is the installed package's copy; name your curated folder with --ontology"
        )
    return folder


@click.group()
def curate() -> None:
    """Review claims: the queue, and status changes recorded with who, when and why.

    \b
    Examples:
      neurokg curate queue
      neurokg curate review founding-ms-blepharospasm-association --by "A Curator" --why "checking"
      neurokg curate approve my-claim --by "Jane Doe" --orcid 0000-0002-1825-0097 \\
          --why "excerpt checked against the abstract"
      neurokg curate deprecate old-claim --by "Jane Doe" --why "superseded by new-claim"
      neurokg curate schema --check
    Exit codes: 0 done; 2 unusable input or a change the workflow forbids; 3 schema --check
    found the committed schema files out of date.
    """


@curate.command()
@ontology_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_obj
def queue(settings: Settings | None, ontology: Path | None, fmt: str) -> None:
    """List the claims waiting for review (submitted, under review), oldest first.

    \b
    Examples:
      neurokg curate queue
      neurokg curate queue --format json
    """
    from .curate.queue import render_queue, review_queue
    from .load import load_curation

    settings = settings or Settings()
    with settings.step("loading the curated files"):
        items = review_queue(load_curation([_folder(ontology)]))
    if fmt == "json":
        import json  # not for --help, which imports this group

        click.echo(json.dumps([i.as_dict() for i in items], indent=2, ensure_ascii=False))
    else:
        click.echo(render_queue(items), nl=False)


def _change_command(name: str, status: str, summary: str) -> click.Command:
    @click.command(name=name, help=summary)
    @click.argument("claim_id", metavar="ID")
    @click.option("--by", required=True, metavar="NAME", help="Who makes the change (a name).")
    @click.option("--why", required=True, metavar="TEXT", help="Why (kept in the history).")
    @click.option("--orcid", metavar="ID", help="The ORCID of --by, only if they gave it.")
    @click.option(
        "--date", "when", type=click.DateTime(["%Y-%m-%d"]), help="Date (default: today, UTC)."
    )
    @ontology_option
    @click.pass_obj
    def command(
        settings: Settings | None,
        claim_id: str,
        by: str,
        why: str,
        orcid: str | None,
        when: object,
        ontology: Path | None,
    ) -> None:
        from .curate.edit import change_status

        settings = settings or Settings()
        day = when.date() if hasattr(when, "date") else None
        assert day is None or isinstance(day, date)
        done = change_status(
            [_folder(ontology, edit=True)], claim_id, status, by=by, why=why, orcid=orcid, when=day
        )
        click.echo(
            f"{done.claim}: {done.before} -> {done.after} by {done.by} on {done.date} "
            f"({done.path}:{done.line})"
        )
        settings.progress(f"check it: neurokg validate --claim {done.claim}")

    return command


for _name, _status, _summary in (
    ("review", "under_review", "Put a submitted (or rejected) claim under review."),
    ("approve", "approved", "Approve a claim under review (names the approver)."),
    ("reject", "rejected", "Reject a submitted claim or one under review."),
    ("deprecate", "deprecated", "Deprecate an approved claim (it leaves the direct layer)."),
):
    curate.add_command(_change_command(_name, _status, _summary))


@curate.command()
@click.option("--check", is_flag=True, help="Write nothing; exit 3 if the files are out of date.")
@click.option(
    "--root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=Path(),
    show_default=True,
    help="The checkout holding schema/ and docs/.",
)
@click.pass_obj
def schema(settings: Settings | None, check: bool, root: Path) -> None:
    """Write the JSON Schema and the field reference generated from the record models.

    \b
    Writes schema/neurokg-curation.schema.json and docs/fields.md below --root.
    Examples:
      neurokg curate schema
      neurokg curate schema --check
    """
    from .schema import SCHEMA_FILE, fields_markdown, json_schema_text

    settings = settings or Settings()
    wanted = {
        root / SCHEMA_FILE: json_schema_text(),
        root / "docs" / "fields.md": fields_markdown(),
    }
    stale = [p for p, text in wanted.items() if not p.is_file() or p.read_text("utf-8") != text]
    if check:
        for path in stale:
            click.echo(f"out of date: {path} (run: neurokg curate schema)")
        if stale:
            click.get_current_context().exit(EXIT_NONCONFORMANT)
        return
    for path in stale:
        write_output(settings, wanted[path], path, "the generated file")

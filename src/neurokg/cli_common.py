"""Shared plumbing of the ``neurokg`` commands: settings, error mapping, options, engines.

Exit codes: 0 success (and, for validate, the graph conforms); 1 crash (an unexpected exception,
with its traceback); 2 usage or input error (unknown or ambiguous name, bad file, unreachable
endpoint), with a one-line message on stderr; 3 the graph does not conform (validate, build).
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .errors import AmbiguousNameError, NeurokgError, UnknownNameError
from .limits import DEFAULT_TIME_LIMIT

if TYPE_CHECKING:  # the stages are imported when a command runs: --help imports none of them
    from .api import RDF_FORMATS, build_from, dataset_from, load_and_build, read_dataset
    from .query import Engine

#: Names the API holds (api.py), still importable from here for the commands and tests.
_FROM_API = ("RDF_FORMATS", "build_from", "dataset_from", "load_and_build", "read_dataset")


def __getattr__(name: str) -> Any:
    if name in _FROM_API:
        return getattr(importlib.import_module(".api", __package__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


EXIT_OK = 0
EXIT_USAGE = 2
EXIT_NONCONFORMANT = 3

__all__ = [
    "EXIT_NONCONFORMANT",
    "EXIT_OK",
    "EXIT_USAGE",
    "RDF_FORMATS",
    "Group",
    "Settings",
    "build_from",
    "dataset_from",
    "engine_options",
    "load_and_build",
    "make_engine",
    "ontology_option",
    "read_dataset",
]


@dataclass
class Settings:
    quiet: bool = False

    def progress(self, message: str) -> None:
        if not self.quiet:
            click.echo(f"neurokg: {message}", err=True)

    @contextmanager
    def step(self, message: str) -> Iterator[None]:
        start = time.perf_counter()
        self.progress(f"{message} ...")
        yield
        self.progress(f"{message}: done in {time.perf_counter() - start:.2f} s")


class Group(click.Group):
    """Maps each ``NeurokgError`` to exit code 2 with a one-line message; nothing else is caught.

    Commands named in ``lazy`` ("name" -> "module:attribute") are imported only when run, so
    ``neurokg ask`` does not pay for importing pySHACL, the exporters or review; ``--help``
    lists them with their line of ``lazy_help`` without importing them.
    """

    def __init__(
        self,
        *args: Any,
        lazy: Mapping[str, str] | None = None,
        lazy_help: Mapping[str, str] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})
        self.lazy_help = dict(lazy_help or {})

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """click's listing, with the ``lazy_help`` line of a command not imported yet."""
        found: list[tuple[str, str | click.Command]] = []
        for name in self.list_commands(ctx):
            if name in self.lazy_help and name not in self.commands:
                found.append((name, self.lazy_help[name]))
            elif (command := self.get_command(ctx, name)) is not None and not command.hidden:
                found.append((name, command))
        if not found:
            return
        limit = formatter.width - 6 - max(len(name) for name, _ in found)
        rows = [
            (
                name,
                (
                    click.Command(name, help=what) if isinstance(what, str) else what
                ).get_short_help_str(limit),
            )
            for name, what in found
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy and cmd_name not in self.commands:
            module, attribute = self.lazy[cmd_name].split(":")
            command = getattr(importlib.import_module(module, __package__), attribute)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AmbiguousNameError as err:
            click.echo(f"neurokg: error: {err.name!r} is ambiguous; candidates:", err=True)
            for candidate in err.candidates:
                click.echo(f"  {candidate}", err=True)
            ctx.exit(EXIT_USAGE)
        except UnknownNameError as err:
            click.echo(f"neurokg: error: {err}", err=True)
            ctx.exit(EXIT_USAGE)
        except NeurokgError as err:
            click.echo(f"neurokg: error: {err}", err=True)
            ctx.exit(EXIT_USAGE)


def ontology_option(func: Any) -> Any:
    return click.option(
        "--ontology",
        "ontology",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        help="Folder of curated data and schema (default: the packaged ontology/).",
    )(func)


def make_engine(
    settings: Settings,
    ontology: Path | None,
    graph: Path | None,
    store: Path | None,
    endpoint: str | None,
    backend: str,
    timeout: float,
) -> Engine:
    """The engine for the command's options (``api.open_engine``), with progress on stderr."""
    from .api import open_engine

    return open_engine(
        ontology, graph, store, endpoint, backend=backend, timeout=timeout, step=settings.step
    )


def engine_options(func: Any) -> Any:
    for option in reversed(
        [
            click.option(
                "--graph",
                type=click.Path(exists=True, dir_okay=False, path_type=Path),
                help="Query a built dataset (TriG or N-Quads) instead of building one.",
            ),
            click.option(
                "--store",
                type=click.Path(file_okay=False, path_type=Path),
                help="On-disk Oxigraph store folder (filled from --graph, or used as is).",
            ),
            click.option("--endpoint", metavar="URL", help="Query a SPARQL 1.1 endpoint instead."),
            click.option(
                "--backend",
                type=click.Choice(["oxigraph", "memory"]),
                default="oxigraph",
                show_default=True,
                help="Engine for the in-process graph.",
            ),
            click.option(
                "--timeout",
                type=float,
                default=DEFAULT_TIME_LIMIT,
                show_default=True,
                help="Seconds a query may run: a local one is stopped (exit 2), an endpoint is "
                "waited for that long (0: no limit for local queries).",
            ),
        ]
    ):
        func = option(func)
    return ontology_option(func)


def write_output(settings: Settings, text: str, path: Path | None, what: str) -> None:
    """``text`` to stdout, or atomically to the file ``path`` (with a note on stderr)."""
    if path is None:
        click.echo(text, nl=False)
        return
    from .atomic import write_atomically

    write_atomically(path, text.encode("utf-8"))
    settings.progress(f"wrote {what} to {path}")

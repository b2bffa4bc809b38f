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
from typing import Any

import click
from rdflib import Dataset

from . import __version__
from .atomic import write_atomically
from .build import KnowledgeGraph, build_graph
from .errors import AmbiguousNameError, NeurokgError, SourceError, UnknownNameError
from .graph_cache import cached_store
from .limits import DEFAULT_TIME_LIMIT
from .load import Curation, load_curation, load_schema
from .namespaces import bind_prefixes
from .publish import PUBLISHED_GRAPH_IRIS
from .query import Engine, LocalEngine, RemoteEngine
from .resources import data_dir
from .store import OxigraphEngine, load_into_store, open_store

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

    Commands named in ``lazy`` ("name" -> "module:attribute") are imported only when run or
    listed, so ``neurokg ask`` does not pay for importing pySHACL, the exporters or review.
    """

    def __init__(self, *args: Any, lazy: Mapping[str, str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

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


def load_and_build(ontology: Path | None) -> tuple[Curation, KnowledgeGraph]:
    """Load the curated data in ``ontology`` (or the packaged copy) and build the dataset."""
    folder = Path(str(data_dir("ontology", ontology)))
    curation = load_curation([folder])
    schema = load_schema(folder / "neurokg.ttl")
    return curation, build_graph(curation, schema, __version__)


def build_from(ontology: Path | None) -> KnowledgeGraph:
    """Build the dataset from the curated data in ``ontology`` (or the packaged copy)."""
    return load_and_build(ontology)[1]


def dataset_from(ontology: Path | None, graph: Path | None) -> Dataset:
    """The dataset in the file ``graph`` when given, else a fresh build of ``ontology``."""
    return read_dataset(graph) if graph is not None else build_from(ontology).dataset


def make_engine(
    settings: Settings,
    ontology: Path | None,
    graph: Path | None,
    store: Path | None,
    endpoint: str | None,
    backend: str,
    timeout: float,
) -> Engine:
    if endpoint is not None:
        return RemoteEngine(endpoint, timeout=timeout, default_graphs=PUBLISHED_GRAPH_IRIS)
    if store is not None and graph is None:
        return OxigraphEngine(open_store(store, read_only=True))  # questions never write
    if backend != "memory" and graph is None and store is None:
        # the curated graph, from the cache when neither the data nor the code changed
        folder = Path(str(data_dir("ontology", ontology)))
        with settings.step("building the graph"):
            return OxigraphEngine(cached_store(folder, lambda: build_from(ontology).dataset))
    with settings.step("building the graph"):
        dataset = dataset_from(ontology, graph)
    if backend == "memory":
        return LocalEngine(dataset)
    return OxigraphEngine(load_into_store(dataset, open_store(store)))


#: RDF formats by file suffix, for files of a built graph.
RDF_FORMATS = {".trig": "trig", ".nq": "nquads", ".ttl": "turtle", ".nt": "nt"}


def _check_text_file(path: Path) -> None:
    """A built-graph file is text: a device, a folder or a file of NUL bytes is refused before
    a parser spends minutes on it."""
    try:
        if not path.is_file():
            raise SourceError(path, None, "not a regular file")
        with path.open("rb") as handle:
            head = handle.read(1 << 16)
    except OSError as err:
        raise SourceError(path, None, f"cannot read the file: {err.strerror or err}") from err
    if b"\x00" in head:
        raise SourceError(path, None, "holds NUL bytes: not an RDF text file")


def read_dataset(*paths: Path) -> Dataset:
    """Parse built-graph files (TriG, N-Quads; Turtle, N-Triples) into one dataset."""
    dataset = bind_prefixes(Dataset(default_union=True))
    assert isinstance(dataset, Dataset)
    for path in paths:
        fmt = RDF_FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise SourceError(path, None, f"unknown suffix; use one of {', '.join(RDF_FORMATS)}")
        _check_text_file(path)
        try:
            dataset.parse(path, format=fmt)
        except Exception as err:  # rdflib's parsers raise bare Exception too
            raise SourceError(path, None, f"cannot parse as {fmt}: {err}") from err
    return dataset


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
    write_atomically(path, text.encode("utf-8"))
    settings.progress(f"wrote {what} to {path}")

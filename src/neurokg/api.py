"""The Python API: open the graph once, then ask, query, look up claims, validate and export.

Consumes: where the graph is (``open``): the packaged curated data (the default, built once and
cached: graph_cache.py), a folder of curated data, a built dataset file (TriG, N-Quads, Turtle,
N-Triples), an on-disk Oxigraph store, or a SPARQL endpoint.
Produces: a ``Neurokg`` whose methods return the typed values the CLI prints: ``Answer`` (ask.py),
``QueryResult`` (rows, a boolean or triples, with how each parameter was read), ``ClaimView``,
``ValidationReport`` and ``Release``.
Policy: names are accepted wherever the CLI accepts them (a label, synonym, abbreviation, CURIE,
IRI or bare claim id), read by ``params.read_value`` and bound as RDF terms. The library never
prints and never exits; errors are ``NeurokgError`` subclasses. The CLI is a shell over this
module: it parses options, calls these functions and writes what they return.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .errors import NeurokgError, SourceError
from .limits import DEFAULT_MAX_ROWS, DEFAULT_TIME_LIMIT, run_limited, within_time

if TYPE_CHECKING:
    from rdflib import Dataset

    from .answer import Answer, ClaimView
    from .build import KnowledgeGraph
    from .export import Access, Release
    from .load import Curation
    from .query import Engine
    from .query_forms import QueryResult
    from .validate import ValidationReport

__all__ = [
    "RDF_FORMATS",
    "Neurokg",
    "build_from",
    "dataset_from",
    "load_and_build",
    "open",
    "open_engine",
    "read_dataset",
]

#: RDF formats by file suffix, for files of a built graph.
RDF_FORMATS = {".trig": "trig", ".nq": "nquads", ".ttl": "turtle", ".nt": "nt"}

Step = Callable[[str], AbstractContextManager[object]]


def _quiet_step(_message: str) -> AbstractContextManager[object]:
    return nullcontext()


def load_and_build(ontology: Path | None) -> tuple[Curation, KnowledgeGraph]:
    """Load the curated data in ``ontology`` (or the packaged copy) and build the dataset."""
    from .build import build_graph
    from .load import load_curation, load_schema
    from .resources import data_dir

    folder = Path(str(data_dir("ontology", ontology)))
    curation = load_curation([folder])
    schema = load_schema(folder / "neurokg.ttl")
    return curation, build_graph(curation, schema, __version__)


def build_from(ontology: Path | None) -> KnowledgeGraph:
    """Build the dataset from the curated data in ``ontology`` (or the packaged copy)."""
    return load_and_build(ontology)[1]


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
    from rdflib import Dataset

    from .namespaces import bind_prefixes

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


def dataset_from(ontology: Path | None, graph: Path | None) -> Dataset:
    """The dataset in the file ``graph`` when given, else a fresh build of ``ontology``."""
    return read_dataset(graph) if graph is not None else build_from(ontology).dataset


def open_engine(
    ontology: Path | None = None,
    graph: Path | None = None,
    store: Path | None = None,
    endpoint: str | None = None,
    *,
    backend: str = "oxigraph",
    timeout: float = DEFAULT_TIME_LIMIT,
    step: Step = _quiet_step,
) -> Engine:
    """The engine that answers queries for the given source (see ``open``).

    ``step(message)`` wraps the work of building or reading a graph (the CLI reports it).
    """
    from .query import LocalEngine, RemoteEngine
    from .store import OxigraphEngine, load_into_store, open_store

    if endpoint is not None:
        from .publish import PUBLISHED_GRAPH_IRIS

        return RemoteEngine(endpoint, timeout=timeout, default_graphs=PUBLISHED_GRAPH_IRIS)
    if store is not None and graph is None:
        return OxigraphEngine(open_store(store, read_only=True))  # questions never write
    if backend != "memory" and graph is None and store is None:
        from .graph_cache import cached_store
        from .resources import data_dir

        # the curated graph, from the cache when neither the data nor the code changed
        folder = Path(str(data_dir("ontology", ontology)))
        return OxigraphEngine(cached_store(folder, lambda: build_from(ontology).dataset, step))
    with step("building the graph"):
        dataset = dataset_from(ontology, graph)
    if backend == "memory":
        return LocalEngine(dataset)
    return OxigraphEngine(load_into_store(dataset, open_store(store)))


@dataclass
class Neurokg:
    """An open graph: ask questions, run named queries, read claims, validate and export.

    Made by ``neurokg.open``. ``timeout`` (seconds, 0: none) stops a local question or query
    that runs too long (``QueryLimitError``); an endpoint keeps its own limit.
    """

    engine: Engine
    ontology: Path | None = None
    graph: Path | None = None
    store: Path | None = None
    endpoint: str | None = None
    timeout: float = DEFAULT_TIME_LIMIT
    _names: Any = field(default=None, repr=False)

    @property
    def _local_seconds(self) -> float:
        return self.timeout if self.endpoint is None else 0

    def _term_names(self) -> Any:
        from .params import TermNames

        if self._names is None:
            self._names = TermNames.of(self.engine)
        return self._names

    def ask(self, first: str, second: str) -> Answer:
        """How are ``first`` and ``second`` related (kind of, part of, associated)?"""
        from .ask import ask

        engine = self.engine
        return within_time(
            lambda: ask(engine, first, second, version=__version__), self._local_seconds
        )

    def ask_many(self, pairs: Iterable[tuple[str, str]]) -> Iterator[Answer | NeurokgError]:
        """``ask`` each pair in turn; a pair that cannot be answered yields its error instead
        (an unknown or ambiguous name), so one bad line does not stop the others."""
        for first, second in pairs:
            try:
                yield self.ask(first, second)
            except NeurokgError as err:
                yield err

    def query(
        self, name: str, /, *, max_rows: int = DEFAULT_MAX_ROWS, **params: str
    ) -> QueryResult:
        """Run the named query ``name`` (``neurokg queries`` lists them) with ``params``, each a
        name, CURIE, IRI, claim id or quoted literal as ``--param`` takes it."""
        from .params import check_param_names
        from .query import describe_query
        from .resources import query_text

        check_param_names(name, describe_query(name, self.engine.queries).params, list(params))
        return self._run(query_text(name, self.engine.queries), params, max_rows, name=name)

    def run(self, text: str, /, *, max_rows: int = DEFAULT_MAX_ROWS, **params: str) -> QueryResult:
        """Run your own SPARQL ``text`` (SELECT, ASK, CONSTRUCT or DESCRIBE) with ``params``,
        each read as ``query`` reads them; every parameter must be a variable of the query."""
        from .query_forms import check_variables

        check_variables(text, params)
        return self._run(text, params, max_rows)

    def _run(
        self, text: str, params: Mapping[str, str], max_rows: int, name: str | None = None
    ) -> QueryResult:
        from .params import resolve_params
        from .query_forms import run_any

        names = self._term_names()
        bound = resolve_params(params, names)
        values = {p.name: p.value for p in bound.values()}
        engine = self.engine
        outcome = run_limited(
            lambda: [run_any(engine, text, values, name=name)],
            seconds=self._local_seconds,
            max_rows=1,
        )[0]
        outcome.check_size(max_rows)
        return outcome.with_params(bound, names)

    def claim(self, claim_id: str) -> ClaimView:
        """The claim ``claim_id`` (bare id, ``claim:`` CURIE or IRI) with its sources and
        certainty; ``NeurokgError`` when the graph holds no such claim."""
        from .ask import claim_view_of

        return claim_view_of(self.engine, claim_id)

    def validate(self, *, reason: bool = True, shapes: Path | None = None) -> ValidationReport:
        """Check the graph against the shapes (and, for curated data, OWL reasoning and the
        quality checks); the report says whether it conforms. Never changes the graph."""
        if self.endpoint is not None:
            raise NeurokgError("an endpoint cannot be validated here; export it and validate")
        if self.store is not None and self.graph is None:
            from .store import open_store
            from .validate_store import validate_store

            return validate_store(open_store(self.store, read_only=True), shapes)
        from .validate import origins_from_curation, validate_graph

        if self.graph is not None:
            from .build import KnowledgeGraph

            kg = KnowledgeGraph(read_dataset(self.graph), __version__)
            return validate_graph(kg, shapes, reason=reason)
        curation, kg = load_and_build(self.ontology)
        return validate_graph(kg, shapes, origins=origins_from_curation(curation), reason=reason)

    def export(
        self, fmt: str | Iterable[str], path: str | Path, *, access: Access | None = None
    ) -> Release | dict[str, str]:
        """Write a release of the curated graph into the folder ``path``: one format name
        (``turtle``, ``ntriples``, ``jsonld``, ``trig``, ``nquads``, ``kgx`` ...), several, or
        ``"all"``. Returns the ``Release`` (files and their SHA-256); for a store, the files'
        SHA-256 by name. ``access`` (``export.Access``) adds the publisher, download URLs and
        SPARQL endpoint to ``void.ttl``."""
        formats = [fmt] if isinstance(fmt, str) else builtins.list(fmt)
        chosen = None if "all" in formats else formats
        folder = Path(path)
        if self.endpoint is not None:
            raise NeurokgError("an endpoint cannot be exported here; use its own dump")
        if self.store is not None and self.graph is None:
            from .store import open_store
            from .store_export import export_store

            return export_store(open_store(self.store, read_only=True), folder, chosen)
        from .build import KnowledgeGraph
        from .export import check_release_destination, export_release

        check_release_destination(folder)
        kg = (
            KnowledgeGraph(read_dataset(self.graph), __version__)
            if self.graph is not None
            else build_from(self.ontology)
        )
        return export_release(kg, folder, formats=chosen, access=access)


def open(  # neurokg.open, as io.open and tarfile.open
    path: str | Path | None = None,
    *,
    store: str | Path | None = None,
    endpoint: str | None = None,
    backend: str = "oxigraph",
    timeout: float = DEFAULT_TIME_LIMIT,
) -> Neurokg:
    """Open the graph once for many questions.

    ``path`` is a folder of curated data (default: the packaged data, built once and cached) or
    a built dataset file (``.trig``, ``.nq``, ``.ttl``, ``.nt``); ``store`` an on-disk Oxigraph
    store (opened read-only); ``endpoint`` the URL of a SPARQL 1.1 endpoint. ``backend`` is
    ``oxigraph`` (fast) or ``memory`` (rdflib) for a graph built here.
    """
    if sum(x is not None for x in (path, store, endpoint)) > 1:
        raise NeurokgError("give one of path, store or endpoint")
    where = Path(path) if path is not None else None
    if where is not None and not where.exists():
        raise SourceError(where, None, "no such file or folder")
    ontology = where if where is not None and where.is_dir() else None
    graph = where if where is not None and not where.is_dir() else None
    store_path = Path(store) if store is not None else None
    engine = open_engine(ontology, graph, store_path, endpoint, backend=backend, timeout=timeout)
    return Neurokg(engine, ontology, graph, store_path, endpoint, timeout)


def __getattr__(name: str) -> Any:
    if name == "QueryResult":  # query_forms.py imports rdflib's SPARQL parser when it runs
        from .query_forms import QueryResult

        return QueryResult
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""neurokg: a knowledge graph of neurological conditions, lesion sites, treatments and sources."""

from importlib.metadata import PackageNotFoundError, version

from .ask import Answer, ask
from .build import KnowledgeGraph, build_graph
from .errors import (
    AmbiguousNameError,
    EndpointError,
    ExportError,
    NeurokgError,
    ProvenanceError,
    SourceError,
    UnknownNameError,
    UnknownQueryError,
)
from .load import Curation, load_curation, load_schema
from .query import LocalEngine, RemoteEngine, run_query
from .store import OxigraphEngine, load_into_store, open_store

try:
    __version__ = version("neurokg")
except PackageNotFoundError:  # a source tree that was not installed
    __version__ = "0.0.0+unknown"

__all__ = [
    "AmbiguousNameError",
    "Answer",
    "Curation",
    "EndpointError",
    "ExportError",
    "KnowledgeGraph",
    "LocalEngine",
    "NeurokgError",
    "OxigraphEngine",
    "ProvenanceError",
    "RemoteEngine",
    "SourceError",
    "UnknownNameError",
    "UnknownQueryError",
    "__version__",
    "ask",
    "build_graph",
    "load_curation",
    "load_into_store",
    "load_schema",
    "open_store",
    "run_query",
]

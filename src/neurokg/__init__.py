"""neurokg: a knowledge graph of neurological conditions, lesion sites, treatments and sources.

The public API is re-exported here and imported on first use (PEP 562), so that ``neurokg ask``
does not pay for importing every stage, nor ``neurokg --help`` for reading the version.
Start with ``kg = neurokg.open()``, then ``kg.ask``, ``kg.query``, ``kg.claim``, ``kg.validate``
and ``kg.export`` (docs/api.md).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .api import Neurokg, open
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
    from .query_forms import QueryResult
    from .review import Review, review_answer
    from .store import OxigraphEngine, load_into_store, open_store


#: The one place the version is written: pyproject.toml reads it from here (hatch's version
#: source), so reading it costs nothing (importlib.metadata took 0.05-0.09 s of every command).
__version__ = "0.1.0"


_WHERE = {
    "Neurokg": ".api",
    "QueryResult": ".query_forms",
    "open": ".api",
    "Answer": ".ask",
    "ask": ".ask",
    "KnowledgeGraph": ".build",
    "build_graph": ".build",
    "AmbiguousNameError": ".errors",
    "EndpointError": ".errors",
    "ExportError": ".errors",
    "NeurokgError": ".errors",
    "ProvenanceError": ".errors",
    "SourceError": ".errors",
    "UnknownNameError": ".errors",
    "UnknownQueryError": ".errors",
    "Curation": ".load",
    "load_curation": ".load",
    "load_schema": ".load",
    "LocalEngine": ".query",
    "RemoteEngine": ".query",
    "run_query": ".query",
    "Review": ".review",
    "review_answer": ".review",
    "OxigraphEngine": ".store",
    "load_into_store": ".store",
    "open_store": ".store",
}

__all__ = [
    "AmbiguousNameError",
    "Answer",
    "Curation",
    "EndpointError",
    "ExportError",
    "KnowledgeGraph",
    "LocalEngine",
    "Neurokg",
    "NeurokgError",
    "OxigraphEngine",
    "ProvenanceError",
    "QueryResult",
    "RemoteEngine",
    "Review",
    "SourceError",
    "UnknownNameError",
    "UnknownQueryError",
    "__version__",
    "ask",
    "build_graph",
    "load_curation",
    "load_into_store",
    "load_schema",
    "open",
    "open_store",
    "review_answer",
    "run_query",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(importlib.import_module(_WHERE[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""The public import API, where callers have always imported it from (``neurokg.importer``).

The code lives in the ``neurokg.imports`` package (one module per concern: guards, ontology,
hpoa, reader, graphs, replace); this module re-exports its public names unchanged.
"""

from __future__ import annotations

from .imports import (
    DEFAULT_LIMITS,
    EVIDENCE_CODES,
    IMPORT_CONVERTER,
    IMPORT_PREFIXES,
    KIND_ROOTS,
    SHRINK_LIMIT,
    ImportJob,
    ImportLimits,
    ImportReport,
    StoreImport,
    check_input,
    count_graphs,
    import_graph_iri,
    import_hpoa,
    import_into_store,
    import_obo,
    import_owl,
    link_terms,
    plan_imports,
)

__all__ = [
    "DEFAULT_LIMITS",
    "EVIDENCE_CODES",
    "IMPORT_CONVERTER",
    "IMPORT_PREFIXES",
    "KIND_ROOTS",
    "SHRINK_LIMIT",
    "ImportJob",
    "ImportLimits",
    "ImportReport",
    "StoreImport",
    "check_input",
    "count_graphs",
    "import_graph_iri",
    "import_hpoa",
    "import_into_store",
    "import_obo",
    "import_owl",
    "link_terms",
    "plan_imports",
]

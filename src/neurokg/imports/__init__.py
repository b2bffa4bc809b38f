"""Import external knowledge: whole ontologies (OBO, OWL) and HPO disease annotations (HPOA).

Consumes: an OBO file (parsed by ``fastobo``), an OWL file (RDF/XML, Turtle, N-Triples; parsed by
pyoxigraph) or an HPO annotation file (``phenotype.hpoa``); a ``pyoxigraph.Store`` or a store
folder.
Produces: one named graph per import, ``graph:import/<name>``, holding the terms or claims in the
vocabulary the curated graph uses (ontology.py, hpoa.py) and a release node, the
``nkg:ReferenceResource`` the graph was read from, with its version, file name and SHA-256.
``import_obo``/``import_owl``/``import_hpoa`` return an rdflib ``Graph`` (small files, tests);
``import_into_store`` replaces one graph of a store in place (graphs.py); ``StoreImport``
replaces graphs of an on-disk store as one unit, crash-safe (replace.py).
Policy: content is not altered (the HPO licence asks for that). Every file passes the input
guards first (guards.py: a regular non-empty file, bounded lines and literals, no XML entity
bombs). A re-import never leaves a store without the graph: the old graph stays until the new
one is complete and has passed the shrink guard (no terms or claims, or fewer than half the
old triples, is refused unless ``allow_shrink``). Imported terms link to curated ones by
identifier (same IRI) and by cross-reference (``skos:closeMatch``, in the import graph), never by
label.

Modules: guards (input checks), ntriples (writer, report, IRIs), ontology (OBO, OWL), hpoa,
reader (formats, names, jobs), graphs (in-store replacement, links, counts), replace (on-disk).
"""

from __future__ import annotations

from .graphs import SHRINK_LIMIT, count_graphs, import_into_store, link_terms
from .guards import DEFAULT_LIMITS, ImportLimits, check_input
from .hpoa import EVIDENCE_CODES
from .ntriples import IMPORT_CONVERTER, IMPORT_PREFIXES, ImportReport, import_graph_iri
from .ontology import KIND_ROOTS
from .reader import ImportJob, import_hpoa, import_obo, import_owl, plan_imports
from .replace import StoreImport

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

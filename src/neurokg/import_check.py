"""Curated terms against the import modules: label, obsolete status and parents must agree.

Consumes: a built dataset (the ``terms`` graph and the import graphs ``graph:import/*``) and the
origins (file, line) of curated records.
Produces: ``ImportFinding`` values, one per disagreement, and ``import_results`` -> validate
``Result`` values (violations), so ``neurokg validate`` fails naming the curated file and line.
Policy: a curated term is checked against the import graph that holds it as a class (every
module of one vocabulary holds a class at most once). It must be there when a module of its
vocabulary exists; its label must equal the release's label character for character (labels drift
between releases: the curated file follows the release); it must not be obsolete there; every
``is_a``/``part_of`` edge the curated file marks ``verified`` (read in a release) must follow from
the module's is-a and part-of edges (the parent is an ancestor). Edges marked ``textbook`` or
``decision`` say they are not an ontology's axiom and are not checked; an edge whose source is
the Disease Ontology ("DO: ... carried over by MONDO exact matches") is checked in the DOID module
between the two terms' DOID cross-references, nor are the edges of a
class the module holds without any parent (Mondo's reachable files give the hierarchy of its rare
subset and its ancestors only). Identifiers of vocabularies
without a module (NKGT, drugbank) are not checked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS
from rdflib.term import Node

from .namespaces import GRAPH, GRAPH_IRIS, NKG, OBOINOWL, PART_OF, compact, expand

if TYPE_CHECKING:
    from .records import Origin
    from .validate import Result

__all__ = ["CHECK", "ImportFinding", "check_terms", "import_results"]

CHECK: Final = "ImportModuleCheck"
_IMPORTS: Final = str(GRAPH) + "import/"
_FIX: Final = (
    "make the curated term say what its import module says (the module is the release), or "
    "refresh the module: python scripts/make_imports.py (docs/DEVELOPING.md 'Import modules')"
)


@dataclass(frozen=True)
class ImportFinding:
    """One disagreement between a curated term and its import module."""

    term: str
    problem: str  # missing | label | obsolete | parent
    message: str


def _prefix(iri: str) -> str:
    return compact(iri).split(":", 1)[0]


def _module_graphs(dataset: Dataset) -> list[URIRef]:
    return sorted(
        g.identifier
        for g in dataset.graphs()
        if isinstance(g.identifier, URIRef) and str(g.identifier).startswith(_IMPORTS)
    )


def _edges(dataset: Dataset, graphs: Iterable[URIRef]) -> dict[str, set[str]]:
    up: dict[str, set[str]] = defaultdict(set)
    for name in graphs:
        graph = dataset.graph(name)
        for p in (RDFS.subClassOf, PART_OF):
            for s, o in graph.subject_objects(p):
                if isinstance(s, URIRef) and isinstance(o, URIRef):
                    up[str(s)].add(str(o))
    return up


def _ancestors(term: str, up: Mapping[str, set[str]]) -> set[str]:
    seen: set[str] = set()
    stack = list(up.get(term, ()))
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(up.get(node, ()))
    return seen


def _verified_edges(terms: Graph, node: URIRef) -> list[tuple[str, str, str, str]]:
    """(relation, parent, status, source) of each annotated edge of a curated term."""
    found: list[tuple[str, str, str, str]] = []
    for axiom in terms.subjects(OWL.annotatedSource, node):
        prop = terms.value(axiom, OWL.annotatedProperty)
        target = terms.value(axiom, OWL.annotatedTarget)
        status = terms.value(axiom, NKG.edgeStatus)
        source = terms.value(axiom, DCTERMS.source)
        if prop in (RDFS.subClassOf, PART_OF) and isinstance(target, URIRef):
            relation = "is_a" if prop == RDFS.subClassOf else "part_of"
            found.append(
                (relation, str(target), str(status) if status else "verified", str(source or ""))
            )
    return found


def _doids(terms: Graph, node: URIRef) -> set[str]:
    found = set()
    for xref in terms.objects(node, OBOINOWL.hasDbXref):
        iri = expand(str(xref))
        if str(xref).startswith("DOID:") and iri is not None:
            found.add(str(iri))
    return found


def _follows_in_do(terms: Graph, child: URIRef, parent: URIRef, up: Mapping[str, set[str]]) -> bool:
    """Whether a DOID cross-reference of ``child`` is below one of ``parent`` in the DO module."""
    targets = _doids(terms, parent)
    return any(targets & _ancestors(doid, up) for doid in _doids(terms, child))


@dataclass(frozen=True)
class _Modules:
    """The import graphs of a dataset: which holds each class, their prefixes and edges."""

    dataset: Dataset
    holder: dict[str, URIRef]
    prefixes: set[str]
    up: dict[str, set[str]]

    @classmethod
    def of(cls, dataset: Dataset) -> _Modules:
        graphs = _module_graphs(dataset)
        holder: dict[str, URIRef] = {}
        for name in graphs:
            for node in dataset.graph(name).subjects(RDF.type, OWL.Class):
                if isinstance(node, URIRef):
                    holder.setdefault(str(node), name)
        return cls(dataset, holder, {_prefix(c) for c in holder}, _edges(dataset, graphs))


def _check_term(terms: Graph, modules: _Modules, term: str) -> list[tuple[str, str]]:
    """(problem, message) of each disagreement of the curated ``term`` with its module."""
    curie, node = compact(term), URIRef(term)
    module = modules.holder.get(term)
    if module is None:
        return [("missing", f"{curie} is in no import module of its vocabulary ({_prefix(term)})")]
    mgraph = modules.dataset.graph(module)
    where = f"{module.removeprefix(_IMPORTS)} ({_version(modules.dataset, module)})"
    found: list[tuple[str, str]] = []
    ours = sorted(str(o) for o in terms.objects(node, RDFS.label))
    theirs = sorted(str(o) for o in mgraph.objects(node, RDFS.label))
    if theirs and ours != theirs:
        found.append(("label", f"{curie} label {ours[0]!r} is not the label in {where}: "
                      f"{theirs[0]!r}"))  # fmt: skip
    if any(str(o).lower() == "true" for o in mgraph.objects(node, OWL.deprecated)):
        found.append(("obsolete", f"{curie} is obsolete in {where}"))
    ancestors = _ancestors(term, modules.up)
    if not ancestors:  # the release files read hold no edges of this class (module header)
        return found
    for relation, parent, status, source in _verified_edges(terms, node):
        if status != "verified" or _prefix(parent) not in modules.prefixes:
            continue
        edge = f"{curie} {relation} {compact(parent)}"
        if source.startswith("DO:"):  # read in the Disease Ontology: checked there
            if not _follows_in_do(terms, node, URIRef(parent), modules.up):
                why = "does not follow from the DOID module between their DOID cross-references"
                found.append(("parent", f"{edge} (read in DO) {why}"))
        elif parent not in ancestors:
            found.append(("parent", f"{edge} (marked verified) does not follow from the is-a "
                          f"and part-of edges of {where}"))  # fmt: skip
    return found


def check_terms(dataset: Dataset) -> list[ImportFinding]:
    """Every disagreement between the curated terms and the import modules of ``dataset``."""
    modules = _Modules.of(dataset)
    if not modules.holder:
        return []
    terms = dataset.graph(GRAPH_IRIS["terms"])
    curated = sorted({str(s) for s in terms.subjects(RDF.type, OWL.Class) if isinstance(s, URIRef)})
    return [
        ImportFinding(compact(term), problem, message)
        for term in curated
        if _prefix(term) in modules.prefixes
        for problem, message in _check_term(terms, modules, term)
    ]


def _version(dataset: Dataset, module: URIRef) -> str:
    graph = dataset.graph(module)
    for release in graph.subjects(RDF.type, NKG.ReferenceResource):
        value: Node | None = graph.value(release, OWL.versionInfo) or graph.value(
            release, NKG.version
        )
        if value is not None:
            return str(value)
    return "unknown release"


def import_results(dataset: Dataset, origins: Mapping[str, Origin]) -> list[Result]:
    """The findings of ``check_terms`` as validate results (violations), with file and line."""
    from .validate import Result

    results = []
    for finding in check_terms(dataset):
        iri = expand(finding.term)
        results.append(
            Result(
                "violation",
                CHECK,
                finding.term,
                finding.message,
                _FIX,
                finding.problem,
                None,
                origins.get(str(iri)) if iri is not None else None,
            )
        )
    return results

"""The curators' gate: SHACL shapes, OWL reasoning and quality checks over a built graph.

Consumes: a ``KnowledgeGraph`` (build/); the shapes folder (``shapes/*_shape.ttl``, packaged or
named by the caller); optionally a mapping from IRI to the ``Origin`` (YAML file and line) of the
curated record it came from (``origins_from_curation``).
Produces: a ``ValidationReport`` (validate_report.py): conformance; results (severity, check,
record, origin, message, offending value, fix); the SHACL report graph; the claims pending review;
what was checked and how long it took; as text, JSON, TSV or the report graph. The shapes and the
SHACL engines are validate_shacl.py's, the quality checks validate_quality.py's.
Policy: validation never changes the graph it checks. The union of the content graphs (not
``meta``) is copied into one in-memory rdflib ``Graph`` (never an Oxigraph-backed one). In that
copy only, each triple of the direct graph is described as ``[] nkg:directSubject s;
nkg:directPredicate p; nkg:directObject o`` so that a SHACL-SPARQL constraint can tell direct
triples apart. No RDFS inference: the schema is in the copy and ``sh:class``/``sh:targetClass``
follow ``rdfs:subClassOf`` there. The shapes are checked against SHACL-for-SHACL first; shapes that
cannot be read or fail it raise ``SourceError``. Non-conformance is a result, not an exception.
SHACL violations and OWL inconsistency or unsatisfiable classes make a graph non-conformant;
quality checks (warnings, info) and a missing Java runtime (a warning) do not.
"""

from __future__ import annotations

import re
import textwrap
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, SH, SKOS
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result as QueryResult
from rdflib.term import Node

from .build import KnowledgeGraph, claim_iri, iri
from .build import source_iri as _source_iri
from .import_check import import_results
from .load import Curation, Origin
from .namespaces import (
    AGENT,
    GRAPH,
    META_GRAPH,
    NKG,
    bind_prefixes,
    compact,
    expand,
)
from .reason import ReasonerVerdict, reason_terms
from .validate_quality import owner_of as _owner
from .validate_quality import qc_result, quality_results, show
from .validate_report import (
    SEVERITIES,
    PendingClaim,
    Result,
    ValidationReport,
    result_order,
)
from .validate_shacl import (
    SHACL_ENGINES,
    check_shapes,
    checked_shapes,
    count_shapes,
    load_shapes,
    run_shacl,
)

__all__ = [
    "SEVERITIES",
    "SHACL_ENGINES",
    "PendingClaim",
    "Result",
    "ValidationReport",
    "assemble_report",
    "check_shapes",
    "checked_shapes",
    "describe_direct",
    "load_shapes",
    "origins_from_curation",
    "pending_claim",
    "result_order",
    "run_shacl",
    "shacl_results",
    "validate_graph",
]

_SEVERITY: dict[Node | None, str] = {
    SH.Violation: "violation",
    SH.Warning: "warning",
    SH.Info: "info",
}
_FIX = URIRef("https://w3id.org/neurokg/shapes/fix")
_PENDING: dict[Node, str] = {NKG.Submitted: "submitted", NKG.UnderReview: "under_review"}


# ------------------------------------------------------------------------------- data graph
class _DataGraph(Graph):
    """An in-memory graph that prepares each distinct SPARQL text once.

    pyshacl sends the same SHACL-SPARQL text once per focus node; rdflib would parse it every
    time (about 10x the cost of the whole validation). Prepared queries are immutable.
    """

    def __init__(self) -> None:
        super().__init__()
        self._prepared: dict[str, Query] = {}

    def query(self, query_object: Any, *args: Any, **kwargs: Any) -> QueryResult:
        if isinstance(query_object, str):
            prepared = self._prepared.get(query_object)
            if prepared is None:
                prepared = self._prepared[query_object] = prepareQuery(query_object)
            query_object = prepared
        return super().query(query_object, *args, **kwargs)


#: The graphs of import modules (``graph:import/<name>``).
IMPORT_GRAPHS = str(GRAPH) + "import/"


def _data_graph(kg: KnowledgeGraph) -> _DataGraph:
    """Copy every triple of the dataset but the meta graph and the import graphs (only the
    definitions they give curated terms); describe the direct triples."""
    data = _DataGraph()
    bind_prefixes(data)
    curated = set(kg.graph("terms").subjects())
    for s, p, o, graph in kg.dataset.quads((None, None, None, None)):
        name = _identifier(graph) if graph is not None else None
        # import modules are reference data, checked against the curated terms by import_check;
        # a definition a module gives a curated term is the term's definition (qc:definition)
        if str(name).startswith(IMPORT_GRAPHS):
            if p == SKOS.definition and s in curated:
                data.add((s, p, o))
        elif name is None or name != META_GRAPH:
            data.add((s, p, o))
    data += describe_direct(kg.graph("direct"))
    return data


def describe_direct(triples: Iterable[tuple[Node, Node, Node]]) -> Graph:
    """Each direct triple as ``[] nkg:directSubject s ; nkg:directPredicate p ;
    nkg:directObject o``: what the direct-layer shapes read (never part of a release)."""
    described = Graph()
    for s, p, o in triples:
        marker = BNode()
        described.add((marker, NKG.directSubject, s))
        described.add((marker, NKG.directPredicate, p))
        described.add((marker, NKG.directObject, o))
    return described


def _identifier(graph: Any) -> Node:
    return graph.identifier if isinstance(graph, Graph) else graph


# --------------------------------------------------------------------------- SHACL results
_IRI_RE = re.compile(r"<?(https?://[^\s<>\"]+)>?")


def _readable(message: str) -> str:
    """Write the IRIs of a message as CURIEs where the prefix map covers them."""
    return _IRI_RE.sub(lambda m: compact(m.group(1)), message)


def _named_shape(shapes: Graph, node: Node) -> Node:
    """Walk up from a blank property shape (or list cell) to the named shape holding it."""
    seen: set[Node] = set()
    while isinstance(node, BNode) and node not in seen:
        seen.add(node)
        node = next(shapes.subjects(None, node), node)
    return node


def _fix(shapes: Graph, *nodes: Node | None) -> str:
    for node in nodes:
        if node is not None:
            fix = shapes.value(node, _FIX)
            if fix is not None:
                return str(fix)
    return ""


def shacl_results(
    report: Graph, shapes: Graph, data: Graph, origins: Mapping[str, Origin]
) -> list[Result]:
    results = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(node, SH.focusNode)
        shape = report.value(node, SH.sourceShape)
        constraint = report.value(node, SH.sourceConstraint)
        named = _named_shape(shapes, shape) if shape is not None else None
        value, path = report.value(node, SH.value), report.value(node, SH.resultPath)
        owner, record = _owner(data, focus) if focus is not None else (None, "?")
        messages = sorted(str(m) for m in report.objects(node, SH.resultMessage))
        results.append(
            Result(
                severity=_SEVERITY.get(report.value(node, SH.resultSeverity), "violation"),
                check=str(named).rsplit("/", 1)[-1] if named is not None else "shacl",
                record=record,
                message=_readable("; ".join(messages)),
                fix=_fix(shapes, constraint, shape, named),
                value=show(value) if value is not None else None,
                path=show(path) if isinstance(path, URIRef) else None,
                origin=_origin(data, owner, origins),
            )
        )
    return results


def _origin(data: Graph, owner: Node | None, origins: Mapping[str, Origin]) -> Origin | None:
    """The origin of ``owner``, else of the first curated record that uses it (a bad IRI)."""
    if owner is None:
        return None
    if str(owner) in origins:
        return origins[str(owner)]
    users = (_owner(data, s)[0] for s in data.subjects(None, owner))
    return next((origins[str(u)] for u in users if u is not None and str(u) in origins), None)


def report_graph_of(report: Graph, data: Graph) -> Graph:
    """The pyshacl report, with the direct-triple descriptions its focus nodes refer to."""
    graph = bind_prefixes(Graph())
    graph += report
    for focus in set(report.objects(None, SH.focusNode)):
        if isinstance(focus, BNode):
            graph += data.triples((focus, None, None))
    return graph


# ---------------------------------------------------------------------------- the whole gate
def _reasoner_results(verdict: ReasonerVerdict, origins: Mapping[str, Origin]) -> list[Result]:
    if verdict.status == "inconsistent":
        return [Result("violation", "owl:consistency", "schema + terms",
                       f"The ontology is inconsistent: {verdict.detail}.",
                       "Look for a term with two kinds, or an edge joining disjoint kinds; "
                       "an explanation in Protégé (HermiT) names the axioms.")]  # fmt: skip
    if verdict.status in ("unavailable", "failed"):
        return [
            Result(
                "warning",
                "owl:reasoner",
                "schema + terms",
                verdict.detail,
                "Install Java 17+ (or fix the axiom HermiT names) and run again.",
            )
        ]
    return [
        qc_result("violation", "owl:satisfiability", URIRef(cls),
            "The class is unsatisfiable (equivalent to owl:Nothing).",
            "Check its is_a and part_of parents: it inherits from disjoint kinds.", origins)
        for cls in verdict.unsatisfiable
    ]  # fmt: skip


def pending_claim(
    claim: Node, status: Node, statement: Iterable[Node | None], origin: Origin | None = None
) -> PendingClaim | None:
    """The ``PendingClaim`` of a claim whose status awaits review, else None."""
    name = _PENDING.get(status)
    if name is None:
        return None
    text = " ".join(show(n) for n in statement if n is not None)
    text = textwrap.shorten(text, 100, placeholder='..."')
    return PendingClaim(compact(str(claim)), name, text, origin)


def _pending(data: Graph, origins: Mapping[str, Origin]) -> tuple[PendingClaim, ...]:
    pending = []
    for status in _PENDING:
        for claim in data.subjects(NKG.curationStatus, status):
            parts = [data.value(claim, NKG.subject), data.value(claim, NKG.predicate)]
            obj = data.value(claim, NKG.object) or data.value(claim, NKG.objectText)
            found = pending_claim(claim, status, (*parts, obj), origins.get(str(claim)))
            if found is not None:
                pending.append(found)
    return tuple(
        sorted(pending, key=lambda p: (p.origin.path, p.origin.line) if p.origin else ("~", 0))
    )


def origins_from_curation(curation: Curation) -> dict[str, Origin]:
    """Map the IRI of every curated record to the file and line it was read from."""
    origins: dict[str, Origin] = {}
    for term in curation.terms:
        origins[str(iri(term.id))] = term.origin
    for source in curation.sources:
        origins[str(_source_iri(source.key))] = source.origin
    for curator in curation.curators:
        origins[str(AGENT[curator.id])] = curator.origin
    for claim in curation.claims:
        origins[str(claim_iri(claim.id))] = claim.origin
    keyed: list[tuple[str, Origin]] = [(o.id, o.origin) for o in curation.obsolete]
    keyed += [(alike.key, alike.origin) for alike in curation.look_alikes]
    for curie, origin in keyed:
        expanded = expand(curie)
        if expanded is not None:
            origins[str(expanded)] = origin
    return origins


def validate_graph(
    kg: KnowledgeGraph,
    shapes_dir: Path | None = None,
    *,
    origins: Mapping[str, Origin] | None = None,
    reason: bool = True,
    shacl_engine: str = "pyshacl",
) -> ValidationReport:
    """Check ``kg`` against the shapes, HermiT and the quality checks; ``kg`` is not changed.

    ``shacl_engine`` is ``pyshacl`` (the reference) or ``turbo`` (pyshacl-turbo, the same
    results: tests/test_validate_store.py compares the two on every shape fixture).

    Shapes named by ``shapes_dir`` are first checked against SHACL-for-SHACL (the packaged shapes
    are checked by the test-suite, which saves 0.7 s per run).
    """
    origins = origins or {}
    clock = _Clock()
    shapes, shape_files = checked_shapes(shapes_dir)
    clock.lap("shapes")
    data = _data_graph(kg)
    clock.lap("copy")
    report = run_shacl(data, shapes, engine=shacl_engine)
    results = shacl_results(report, shapes, data, origins)
    clock.lap("shacl")
    results.extend(quality_results(data, origins))
    results.extend(import_results(kg.dataset, origins))  # curated terms vs import modules
    pending = _pending(data, origins)
    clock.lap("quality")
    verdict = None
    if reason:
        verdict = reason_terms(kg.graph("schema"), kg.graph("terms"))
        results.extend(_reasoner_results(verdict, origins))
        clock.lap("reasoner")
    return assemble_report(
        results,
        report_graph_of(report, data),
        shapes,
        shape_files,
        pending=pending,
        reasoner=verdict,
        triples=len(data),
        timings=clock.laps,
    )


def assemble_report(
    results: Sequence[Result],
    report_graph: Graph,
    shapes: Graph,
    shape_files: tuple[str, ...],
    *,
    pending: tuple[PendingClaim, ...],
    reasoner: ReasonerVerdict | None,
    triples: int,
    timings: dict[str, float],
) -> ValidationReport:
    """The ``ValidationReport``: conformant when no result is a violation; results in order."""
    return ValidationReport(
        conforms=not any(r.severity == "violation" for r in results),
        results=tuple(sorted(results, key=result_order)),
        report_graph=report_graph,
        pending=pending,
        reasoner=reasoner,
        shapes=count_shapes(shapes),
        shape_files=shape_files,
        triples=triples,
        timings=timings,
    )


class _Clock:
    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = now - self._last
        self._last = now

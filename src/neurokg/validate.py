"""The curators' gate: SHACL shapes, OWL reasoning and quality checks over a built graph.

Consumes: a ``KnowledgeGraph`` (build.py); the shapes folder (``shapes/*_shape.ttl``, packaged or
named by the caller); optionally a mapping from IRI to the ``Origin`` (YAML file and line) of the
curated record it came from (``origins_from_curation``).
Produces: a ``ValidationReport``: conformance; results (severity, check, record, origin, message,
offending value, fix); the SHACL report graph; the claims pending review; what was checked and
how long it took; as text, JSON or the report graph.
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

import json
import os
import re
import textwrap
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any, cast

import pyshacl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result as QueryResult
from rdflib.term import Node

from .build import KIND_CLASSES, SOURCE_CLASSES, KnowledgeGraph, claim_iri, iri
from .build import source_iri as _source_iri
from .errors import SourceError
from .load import Curation, Origin
from .namespaces import (
    AGENT,
    ENTITY_PREFIXES,
    META_GRAPH,
    NKG,
    PART_OF,
    PREFIX_MAP,
    SOURCE,
    bind_prefixes,
    compact,
    expand,
)
from .reason import ReasonerVerdict, reason_terms
from .resources import data_dir

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
    "run_shacl",
    "validate_graph",
]

SEVERITIES = ("violation", "warning", "info")
_SEVERITY: dict[Node | None, str] = {
    SH.Violation: "violation",
    SH.Warning: "warning",
    SH.Info: "info",
}
_FIX = URIRef("https://w3id.org/neurokg/shapes/fix")
_PLURAL = {"violation": "violations", "warning": "warnings", "info": "info"}
_PENDING: dict[Node, str] = {NKG.Submitted: "submitted", NKG.UnderReview: "under_review"}
_CURATED_NAMESPACES = (
    *(PREFIX_MAP[prefix] for prefix in sorted(ENTITY_PREFIXES)),
    str(SOURCE),
    str(AGENT),
)


@dataclass(frozen=True)
class Result:
    """One finding: what is wrong with which record, where it was curated, and how to fix it."""

    severity: str
    check: str
    record: str
    message: str
    fix: str = ""
    value: str | None = None
    path: str | None = None
    origin: Origin | None = None

    def as_dict(self) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items() if k != "origin"}
        data["file"] = self.origin.path if self.origin else None
        data["line"] = self.origin.line if self.origin else None
        return data


@dataclass(frozen=True)
class PendingClaim:
    """A claim waiting for review (status submitted or under_review)."""

    claim: str
    status: str
    statement: str
    origin: Origin | None = None


@dataclass(frozen=True)
class ValidationReport:
    """Everything validation found; ``conforms`` is False on any violation."""

    conforms: bool
    results: tuple[Result, ...]
    report_graph: Graph
    pending: tuple[PendingClaim, ...]
    reasoner: ReasonerVerdict | None
    shapes: int
    shape_files: tuple[str, ...]
    triples: int
    timings: Mapping[str, float] = field(default_factory=dict)

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)

    def summary(self) -> dict[str, Any]:
        return {
            "conforms": self.conforms,
            "triples": self.triples,
            "shapes": self.shapes,
            "shape_files": list(self.shape_files),
            "results": {s: self.count(s) for s in SEVERITIES},
            "reasoner": self.reasoner.describe() if self.reasoner else "not run",
            "pending_review": len(self.pending),
            "seconds": {k: round(v, 3) for k, v in self.timings.items()},
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "summary": self.summary(),
            "results": [r.as_dict() for r in self.results],
            "pending": [
                {
                    "claim": p.claim,
                    "status": p.status,
                    "statement": p.statement,
                    "file": p.origin.path if p.origin else None,
                    "line": p.origin.line if p.origin else None,
                }
                for p in self.pending
            ],
        }

    def as_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False)

    def text(self, *, verbose: bool = False) -> str:
        """For people: results grouped by file and record; info folded by check unless verbose."""
        return "\n".join(_text_lines(self, verbose)) + "\n"


# ------------------------------------------------------------------------------------ shapes
def load_shapes(shapes_dir: Path | None = None) -> tuple[Graph, tuple[str, ...]]:
    """Read every ``*_shape.ttl`` in ``shapes_dir`` (default: the packaged shapes)."""
    folder = data_dir("shapes", shapes_dir)
    paths = sorted((p for p in folder.iterdir() if p.name.endswith("_shape.ttl")), key=str)
    if not paths:
        raise SourceError(str(folder), None, "no *_shape.ttl files: not a shapes folder")
    shapes = Graph()
    for path in paths:
        try:
            shapes.parse(data=path.read_text(encoding="utf-8"), format="turtle")
        except Exception as err:  # rdflib's parsers raise many types
            raise SourceError(str(path), None, f"cannot parse the shapes as Turtle: {err}") from err
    return shapes, tuple(p.name for p in paths)


def checked_shapes(shapes_dir: Path | None = None) -> tuple[Graph, tuple[str, ...]]:
    """``load_shapes``, and for a folder the caller names, SHACL-for-SHACL (``SourceError``).

    The packaged shapes are checked by the test-suite instead, and read once per process.
    """
    if shapes_dir is None:
        return _packaged_shapes()
    shapes, files = load_shapes(shapes_dir)
    problems = check_shapes(shapes)
    if problems:
        where = str(data_dir("shapes", shapes_dir))
        raise SourceError(where, None, "the shapes fail SHACL-for-SHACL: " + "; ".join(problems))
    return shapes, files


@cache
def _packaged_shapes() -> tuple[Graph, tuple[str, ...]]:
    return load_shapes(None)


def check_shapes(shapes: Graph) -> list[str]:
    """Validate ``shapes`` against SHACL-for-SHACL; return the problems (empty when sound)."""
    meta = Graph().parse(
        data=(files("pyshacl") / "assets" / "shacl-shacl.ttl").read_text(encoding="utf-8"),
        format="turtle",
    )
    conforms, report, _ = pyshacl.validate(shapes, shacl_graph=meta, inference="none")
    if conforms:
        return []
    return sorted(
        f"{compact(str(report.value(r, SH.focusNode)))}: {report.value(r, SH.resultMessage)}"
        for r in report.subjects(RDF.type, SH.ValidationResult)
    )


def count_shapes(shapes: Graph) -> int:
    return len(set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(SH.path, None)))


# ---------------------------------------------------------------------------- SHACL engines
#: The SHACL engines: pyshacl (the reference) and pyshacl-turbo (Rust, pySHACL's API).
SHACL_ENGINES = ("pyshacl", "turbo")


#: id(shapes graph) -> (that graph, kept alive so the id stays its own; turbo's program)
_COMPILED: dict[int, tuple[Graph, Any]] = {}


def _compiled(shapes: Graph) -> Any:
    """Turbo's program for ``shapes``, compiled once per shapes graph (the packaged shapes are
    one graph per process: ``checked_shapes``). Its reports' blank nodes are those of ``shapes``."""
    if id(shapes) not in _COMPILED:
        import pyshacl_turbo

        if len(_COMPILED) >= 8:  # callers that load their own shapes on every call
            _COMPILED.clear()
        program = pyshacl_turbo.compile_shapes(shapes)  # type: ignore[no-untyped-call]
        _COMPILED[id(shapes)] = (shapes, program)
    return _COMPILED[id(shapes)][1]


def run_shacl(
    data: Graph | str,
    shapes: Graph,
    *,
    engine: str = "pyshacl",
    focus_nodes: Sequence[Node] | None = None,
) -> Graph:
    """Validate ``data`` (a graph, or N-Triples text) against ``shapes``; the report graph.

    No inference (the schema is in the data); warnings and infos do not fail conformance. Turbo
    compiles each shapes graph once per process.
    """
    focus = cast(Any, list(focus_nodes)) if focus_nodes is not None else None
    if engine == "pyshacl":
        if isinstance(data, str):
            data = Graph().parse(data=data, format="nt")
        _, report, _ = pyshacl.validate(
            data,
            shacl_graph=shapes,
            inference="none",
            allow_warnings=True,
            allow_infos=True,
            focus_nodes=focus,
        )
        return report  # type: ignore[no-any-return]
    if engine != "turbo":
        raise ValueError(f"unknown SHACL engine {engine!r}; use one of {', '.join(SHACL_ENGINES)}")
    from pyshacl_turbo.rdf import Input

    source = Input(data, "nt", None, {}, {}, preserve_ids=True) if isinstance(data, str) else data
    _, report, _ = _compiled(shapes).validate(
        source, allow_warnings=True, allow_infos=True, focus_nodes=focus
    )
    return report  # type: ignore[no-any-return]


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


def _data_graph(kg: KnowledgeGraph) -> _DataGraph:
    """Copy every triple of the dataset but the meta graph; describe the direct triples."""
    data = _DataGraph()
    bind_prefixes(data)
    for s, p, o, graph in kg.dataset.quads((None, None, None, None)):
        if graph is None or _identifier(graph) != META_GRAPH:
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
def _show(node: Node) -> str:
    return compact(str(node)) if isinstance(node, URIRef) else f'"{node}"'


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


def _owner(data: Graph, focus: Node) -> tuple[Node | None, str]:
    """The curated record a focus node belongs to, and how to name it."""
    if isinstance(focus, URIRef):
        text = str(focus)
        owner = URIRef(text.split("/support/")[0]) if "/support/" in text else focus
        return owner, compact(owner)
    subject = data.value(focus, NKG.directSubject)
    if subject is not None:
        triple = (
            subject,
            data.value(focus, NKG.directPredicate),
            data.value(focus, NKG.directObject),
        )
        return None, "direct: " + " ".join(_show(n) for n in triple if n is not None)
    source = data.value(focus, OWL.annotatedSource)
    if source is not None:
        return source, compact(str(source))
    return None, str(focus)


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
                value=_show(value) if value is not None else None,
                path=_show(path) if isinstance(path, URIRef) else None,
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


# --------------------------------------------------------------------------- quality checks
def _qc(
    severity: str, check: str, node: Node, message: str, fix: str, origins: Mapping[str, Origin]
) -> Result:
    return Result(severity, check, compact(str(node)), message, fix, origin=origins.get(str(node)))


def _terms(data: Graph) -> dict[Node, Node]:
    return {t: kind for kind in KIND_CLASSES.values() for t in data.subjects(RDF.type, kind)}


def _quality(data: Graph, origins: Mapping[str, Origin]) -> list[Result]:
    terms = _terms(data)
    results: list[Result] = []
    labels: dict[tuple[Node, str], list[Node]] = defaultdict(list)
    for term, kind in sorted(terms.items()):
        label = data.value(term, RDFS.label)
        if label is not None:
            labels[(kind, str(label).strip().casefold())].append(term)
        if data.value(term, SKOS.definition) is None:
            results.append(
                _qc(
                    "info",
                    "qc:definition",
                    term,
                    "The term has no definition.",
                    "Add a 'definition' read in the owning ontology.",
                    origins,
                )
            )
        parents = [o for o in data.objects(term, RDFS.subClassOf) if isinstance(o, URIRef)]
        if not parents and data.value(term, PART_OF) is None:
            results.append(
                _qc(
                    "info",
                    "qc:hierarchy",
                    term,
                    "The term has no is_a or part_of parent.",
                    "Add an 'is_a' or 'part_of' edge with its source, if the ontology has one.",
                    origins,
                )
            )
    for (_, _), same in labels.items():
        for term in same[1:]:
            others = ", ".join(compact(str(t)) for t in same if t != term)
            results.append(
                _qc(
                    "warning",
                    "qc:duplicate-label",
                    term,
                    f"Same label as {others} (same kind, ignoring case).",
                    "Check that the two identifiers are not the same concept; "
                    "if they differ, make the labels tell them apart.",
                    origins,
                )
            )
    results.extend(_undescribed(data, origins))
    results.extend(_unused_sources(data, origins))
    results.extend(_off_convention(data, origins))
    return results


_CLAIM_SLOTS = (NKG.subject, NKG.object, NKG.context, NKG.lesionSite, NKG.target)


def _off_convention(data: Graph, origins: Mapping[str, Origin]) -> Iterator[Result]:
    """Claims using a real class where a convention (lookalikes.yaml) names another: a warning."""
    for alternative, used in sorted(data.subject_objects(NKG.conventionUse)):
        for slot in _CLAIM_SLOTS:
            for claim in sorted(data.subjects(slot, alternative), key=str):
                yield _qc(
                    "warning",
                    "qc:convention",
                    claim,
                    f"{compact(str(alternative))} ({data.value(alternative, RDFS.label)}) is a "
                    f"real class, but for this concept the graph's claims use "
                    f"{compact(str(used))} ({data.value(used, RDFS.label)}).",
                    f"Keep it if the source means {compact(str(alternative))} itself; otherwise "
                    f"use {compact(str(used))}, so the claim is found with the others.",
                    origins,
                )


def _undescribed(data: Graph, origins: Mapping[str, Origin]) -> Iterator[Result]:
    seen: set[Node] = set()
    for s, p, o in sorted(data):
        if not isinstance(o, URIRef) or o in seen or not str(o).startswith(_CURATED_NAMESPACES):
            continue
        if data.value(o, RDF.type) is None and data.value(o, NKG.refusedAs) is None:
            seen.add(o)
            owner, record = _owner(data, s)
            yield Result(
                "warning", "qc:undescribed", record,
                f"{compact(str(o))} is used ({compact(str(p))}) but never described.",
                "Add a record for it (a term in terms/, a source in sources.yaml, a curator), "
                "or correct the identifier.",
                value=compact(str(o)), path=compact(str(p)),
                origin=origins.get(str(owner)) if owner is not None else None,
            )  # fmt: skip


def _unused_sources(data: Graph, origins: Mapping[str, Origin]) -> Iterator[Result]:
    used = {o for p in (PROV.wasDerivedFrom, PROV.entity, DCTERMS.source, NKG.cites)
            for o in data.objects(None, p)}  # fmt: skip
    keys = {str(o) for o in data.objects(None, DCTERMS.source) if isinstance(o, Literal)}
    for kind in SOURCE_CLASSES.values():
        for source in sorted(data.subjects(RDF.type, kind), key=str):
            if source not in used and str(data.value(source, DCTERMS.identifier)) not in keys:
                yield _qc(
                    "warning",
                    "qc:unused-source",
                    source,
                    "No claim, term or edge cites this source.",
                    "Cite it from the record that used it, or remove it.",
                    origins,
                )


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
        _qc("violation", "owl:satisfiability", URIRef(cls),
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
    text = " ".join(_show(n) for n in statement if n is not None)
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
    results.extend(_quality(data, origins))
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


def result_order(result: Result) -> tuple[str, int, str, int, str, str]:
    origin = result.origin
    return (
        origin.path if origin else "~",
        origin.line if origin else 0,
        result.record,
        SEVERITIES.index(result.severity),
        result.check,
        result.value or "",
    )


# ---------------------------------------------------------------------------------- text
def _display(path: str) -> str:
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def _text_lines(report: ValidationReport, verbose: bool) -> Iterator[str]:
    verdict = "conforms" if report.conforms else "DOES NOT CONFORM"
    counts = ", ".join(
        f"{n} {s if n == 1 else _PLURAL[s]}" for s in SEVERITIES for n in [report.count(s)]
    )
    reasoner = report.reasoner.describe() if report.reasoner else "not run"
    yield f"neurokg validate: the graph {verdict} ({counts})"
    yield (
        f"Checked {report.triples} triples against {report.shapes} shapes in "
        f"{len(report.shape_files)} files; OWL reasoning (HermiT): {reasoner}"
    )
    yield "Timings: " + ", ".join(f"{k} {v:.2f} s" for k, v in report.timings.items())
    shown = [r for r in report.results if verbose or r.severity != "info"]
    groups: dict[str, dict[tuple[int, str], list[Result]]] = defaultdict(lambda: defaultdict(list))
    for result in shown:
        where = _display(result.origin.path) if result.origin else "(no curated record)"
        groups[where][(result.origin.line if result.origin else 0, result.record)].append(result)
    for where, records in groups.items():
        yield f"\n{where}"
        for (line, record), results in records.items():
            yield f"  {record}" + (f" (line {line})" if line else "")
            for r in results:
                yield f"    {r.severity.upper():<9} {r.message}"
                details = [f"value: {r.value}"] if r.value else []
                details += [f"path: {r.path}"] if r.path else []
                yield "              " + "  ".join([*details, f"check: {r.check}"])
                if r.fix:
                    yield f"              fix: {r.fix}"
    if not verbose:
        yield from _info_summary([r for r in report.results if r.severity == "info"])
    yield f"\nPending review: {len(report.pending)} claims"
    for p in report.pending:
        where = f"  ({_display(p.origin.path)}:{p.origin.line})" if p.origin else ""
        yield f"  {p.claim}  [{p.status}]  {p.statement}{where}"


def _info_summary(infos: list[Result]) -> Iterator[str]:
    by_check: dict[str, list[Result]] = defaultdict(list)
    for result in infos:
        by_check[result.check].append(result)
    for check, results in sorted(by_check.items()):
        yield f"\nINFO {check} ({len(results)}): {results[0].message} {results[0].fix}"
        records = ", ".join(r.record for r in results)
        yield from textwrap.wrap(records, 98, initial_indent="  ", subsequent_indent="  ")

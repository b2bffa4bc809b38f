"""Import graphs inside one store: sizes, the shrink guard, in-place replacement, links.

Consumes: a ``pyoxigraph.Store`` (in memory, or on disk opened by the caller) and import jobs.
Produces: the graph ``graph:import/<name>`` replaced as a whole, ``skos:closeMatch`` links
between curated and imported terms, and triple counts per graph.
Policy: ``import_into_store`` parses the whole file into a staging graph
(``graph:staging/import/<name>/<token>``) and swaps it in with one SPARQL ``MOVE``, one
transaction: a parse error, or a result the shrink guard refuses, leaves the old graph; staging
graphs a killed run left are removed by the next import of that name. ``MOVE`` copies triple by
triple, which is fast in memory and slow on disk for large graphs (tens of µs per triple and
about 1 KiB of memory each): for on-disk stores ``neurokg import`` uses replace.py instead.
The shrink guard refuses a file that yields no terms or claims, or fewer than half the triples
of the graph it would replace, unless ``allow_shrink``.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Final

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import OWL, RDF, SKOS

from ..errors import SourceError
from ..namespaces import GRAPH, GRAPH_IRIS, OBOINOWL
from .guards import DEFAULT_LIMITS, ImportLimits
from .ntriples import ImportReport, expand_known
from .reader import plan_imports, write_import

__all__ = [
    "SHRINK_LIMIT",
    "check_replacement",
    "count_graphs",
    "graph_size",
    "import_into_store",
    "link_terms",
]

#: A re-import may shrink a graph to this fraction of its triples without --allow-shrink.
SHRINK_LIMIT: Final = 0.5
_COUNT: Final = (
    "SELECT (COUNT(*) AS ?n) WHERE { { SELECT * WHERE { GRAPH $g { ?s ?p ?o } } $limit } }"
)
_MOVE: Final = "MOVE GRAPH $staging TO GRAPH $g"


def _fill(template: str, **terms: str) -> str:
    """``template`` with ``$name`` replaced by IRIs written by Oxigraph (``<...>``, escaped)."""
    for key, value in sorted(terms.items(), key=lambda item: -len(item[0])):
        template = template.replace(f"${key}", value)
    return template


def graph_size(store: ox.Store, graph: str, limit: int | None = None) -> int:
    """Triples in the named graph ``graph`` (counting stops at ``limit`` when given)."""
    cap = f"LIMIT {int(limit)}" if limit is not None else ""
    rows = store.query(_fill(_COUNT, g=str(ox.NamedNode(graph)), limit=cap))
    assert isinstance(rows, ox.QuerySolutions)
    return sum(int(row["n"].value) for row in rows)


def check_replacement(report: ImportReport, old: int, new: int, allow_shrink: bool) -> None:
    """Refuse (``SourceError``) an import that reads nothing, or shrinks its graph below half.

    ``new`` is the number of triples written (``report.triples``): a duplicate line counts twice,
    which HPO's files have a few of in a million; counting the stored graph would cost a scan.
    """
    if allow_shrink:
        return
    kept = f"; {report.graph} keeps its {old:,} triples" if old else ""
    if report.terms + report.claims == 0:
        what = "claims" if report.fmt == "hpoa" else "terms"
        raise SourceError(
            report.path,
            None,
            f"no {what} read: is this the right file?{kept} (--allow-shrink imports it anyway)",
        )
    if old and new < old * SHRINK_LIMIT:
        raise SourceError(
            report.path,
            None,
            f"would replace the {old:,} triples of {report.graph} with {new:,} (less than half): "
            "a truncated or wrong file? The store is unchanged; give --allow-shrink to replace "
            "it anyway",
        )


def _staging_prefix(name: str) -> str:
    return f"{GRAPH}staging/import/{name}/"


def import_into_store(
    store: ox.Store,
    path: Path,
    *,
    fmt: str | None = None,
    name: str | None = None,
    limits: ImportLimits = DEFAULT_LIMITS,
    allow_shrink: bool = False,
) -> ImportReport:
    """Replace the graph ``graph:import/<name>`` of ``store`` with ``path``, then link terms.

    N-Triples go to the store in bulk chunks; no rdflib objects are made, so the full HPO
    annotation file imports in bounded memory. See the module policy for the swap.
    """
    job = plan_imports([path], fmt, name)[0]
    graph = ox.NamedNode(job.graph)
    for stale in list(store.named_graphs()):
        if isinstance(stale, ox.NamedNode) and stale.value.startswith(_staging_prefix(job.name)):
            store.remove_graph(stale)
    old = graph_size(store, job.graph) if store.contains_named_graph(graph) else 0
    target = ox.NamedNode(_staging_prefix(job.name) + secrets.token_hex(6)) if old else graph

    def sink(data: bytes) -> None:
        store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=target)

    try:
        report = write_import(job, sink, limits)
        check_replacement(report, old, report.triples, allow_shrink)
        if old:
            store.update(_fill(_MOVE, staging=str(target), g=str(graph)))
    except BaseException:
        if store.contains_named_graph(target):
            store.remove_graph(target)
        raise
    report.links = link_terms(store, graph)
    return report


def _subjects_objects(
    store: ox.Store, predicate: URIRef, obj: URIRef | None, graph: ox.NamedNode
) -> list[tuple[str, str]]:
    o = ox.NamedNode(str(obj)) if obj is not None else None
    return [
        (q.subject.value, q.object.value)
        for q in store.quads_for_pattern(None, ox.NamedNode(str(predicate)), o, graph)
        if isinstance(q.subject, ox.NamedNode) and not isinstance(q.object, ox.Triple)
    ]


def link_terms(store: ox.Store, graph: ox.NamedNode) -> int:
    """Link curated terms and the terms of import ``graph`` that a cross-reference joins.

    A curated term whose ``oboInOwl:hasDbXref`` names an imported term (``Orphanet:93958`` ->
    ``ORPHA:93958``), or an imported term whose cross-reference names a curated term, gets
    ``curated skos:closeMatch imported`` in ``graph``. Labels are never compared. Returns the
    number of links.
    """
    curated_graph = ox.NamedNode(str(GRAPH_IRIS["terms"]))
    curated = {t for t, _ in _subjects_objects(store, RDF.type, OWL.Class, curated_graph)}
    imported = {t for t, _ in _subjects_objects(store, RDF.type, OWL.Class, graph)}
    pairs: set[tuple[str, str]] = set()
    for term, xref in _subjects_objects(store, OBOINOWL.hasDbXref, None, curated_graph):
        target = expand_known(xref.strip())
        if target is not None and str(target) in imported and str(target) != term:
            pairs.add((term, str(target)))
    for term, xref in _subjects_objects(store, OBOINOWL.hasDbXref, None, graph):
        target = expand_known(xref.strip())
        if target is not None and str(target) in curated and str(target) != term:
            pairs.add((str(target), term))
    close = ox.NamedNode(str(SKOS.closeMatch))
    store.extend(ox.Quad(ox.NamedNode(a), close, ox.NamedNode(b), graph) for a, b in sorted(pairs))
    return len(pairs)


def count_graphs(store: ox.Store) -> dict[str, int]:
    """Number of triples in each named graph of ``store``."""
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    assert isinstance(rows, ox.QuerySolutions)
    return {str(row["g"].value): int(row["n"].value) for row in rows}

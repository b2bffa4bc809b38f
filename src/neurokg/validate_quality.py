"""The quality checks of the curated gate, and how a focus node is named as a curated record.

Consumes: the validation copy of a graph (validate.py) and the origins of curated records.
Produces: ``Result`` values (qc:definition, qc:hierarchy, qc:duplicate-label, qc:undescribed,
qc:unused-source, qc:convention); ``owner_of`` (the record a SHACL focus node belongs to).
Policy: warnings and info only: a quality finding never makes a graph non-conformant.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from .build import KIND_CLASSES, SOURCE_CLASSES
from .namespaces import (
    AGENT,
    CLAIM_TERM_SLOTS,
    ENTITY_PREFIXES,
    NKG,
    PART_OF,
    PREFIX_MAP,
    SOURCE,
    compact,
)
from .records import Origin
from .validate_report import Result

__all__ = ["owner_of", "qc_result", "quality_results", "show"]

_CURATED_NAMESPACES = (
    *(PREFIX_MAP[prefix] for prefix in sorted(ENTITY_PREFIXES)),
    str(SOURCE),
    str(AGENT),
)


def show(node: Node) -> str:
    return compact(str(node)) if isinstance(node, URIRef) else f'"{node}"'


def owner_of(data: Graph, focus: Node) -> tuple[Node | None, str]:
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
        return None, "direct: " + " ".join(show(n) for n in triple if n is not None)
    source = data.value(focus, OWL.annotatedSource)
    if source is not None:
        return source, compact(str(source))
    return None, str(focus)


def qc_result(
    severity: str, check: str, node: Node, message: str, fix: str, origins: Mapping[str, Origin]
) -> Result:
    return Result(severity, check, compact(str(node)), message, fix, origin=origins.get(str(node)))


def _terms(data: Graph) -> dict[Node, Node]:
    return {t: kind for kind in KIND_CLASSES.values() for t in data.subjects(RDF.type, kind)}


def quality_results(data: Graph, origins: Mapping[str, Origin]) -> list[Result]:
    """The quality checks (labels, definitions, hierarchy, undescribed IRIs, unused sources,
    conventions) over the validation copy ``data``."""
    terms = _terms(data)
    results: list[Result] = []
    labels: dict[tuple[Node, str], list[Node]] = defaultdict(list)
    for term, kind in sorted(terms.items()):
        label = data.value(term, RDFS.label)
        if label is not None:
            labels[(kind, str(label).strip().casefold())].append(term)
        if data.value(term, SKOS.definition) is None:
            results.append(
                qc_result(
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
                qc_result(
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
                qc_result(
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


def _off_convention(data: Graph, origins: Mapping[str, Origin]) -> Iterator[Result]:
    """Claims using a real class where a convention (lookalikes.yaml) names another: a warning."""
    for alternative, used in sorted(data.subject_objects(NKG.conventionUse)):
        for slot in CLAIM_TERM_SLOTS:
            for claim in sorted(data.subjects(slot, alternative), key=str):
                yield qc_result(
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
            owner, record = owner_of(data, s)
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
                yield qc_result(
                    "warning",
                    "qc:unused-source",
                    source,
                    "No claim, term or edge cites this source.",
                    "Cite it from the record that used it, or remove it.",
                    origins,
                )

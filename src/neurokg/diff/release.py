"""What a release file states: its claims (``ClaimState``) with their review history, its terms.

Consumes: a release file (TriG or N-Quads, as ``neurokg export`` writes them).
Produces: ``read_release`` (an in-memory Oxigraph store); ``claim_states`` (every claim by IRI:
subject, predicate, object, status, polarity, sources, certainty by
``evidence.certainty_of_claim`` over its supports and counts, the terms it names, its review
history ``nkg:statusChange``: who, ORCID when given, when, why); ``resolve_terms`` (names, CURIEs
or IRIs to (IRI, label)), ``descendants`` (a term and its subclasses) and ``term_labels``.
Policy: a file that is not .trig or .nq, or does not parse, is a ``SourceError`` naming it; a
literal where a node belongs is skipped (the shapes report it), never a crash; names resolve in
the first release given (the new one), then in the next.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from ..build import SOURCE_CLASSES
from ..errors import SourceError, UnknownNameError
from ..evidence import Certainty, SupportFacts, certainty_of_claim
from ..namespaces import CLAIM_TERM_SLOTS, NKG, RO, compact
from ..resolve import NameIndex
from ..store import OxigraphEngine

__all__ = [
    "ClaimState",
    "HistoryStep",
    "claim_states",
    "descendants",
    "read_release",
    "resolve_terms",
    "term_labels",
]

_KINDS: Final = {str(iri): kind for kind, iri in SOURCE_CLASSES.items()}
_FORMATS: Final = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS}


def _nn(iri: URIRef) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


def _value(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    return str(term) if isinstance(term, ox.Triple) else term.value


def _snake(iri: str) -> str:
    local = iri.rsplit("/", 1)[-1]
    return re.sub(r"(?<!^)(?=[A-Z])", "_", local).lower()


def read_release(path: Path) -> ox.Store:
    """Load a TriG (``.trig``) or N-Quads (``.nq``) release into a new in-memory store."""
    fmt = _FORMATS.get(path.suffix)
    if fmt is None:
        raise SourceError(path, None, "a release to compare must be .trig or .nq (neurokg export)")
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=fmt)
    except (SyntaxError, OSError, ValueError) as err:
        raise SourceError(path, None, f"cannot read as {fmt.name}: {err}") from err
    return store


@dataclass(frozen=True)
class HistoryStep:
    """One entry of a claim's review history, as a release states it."""

    index: int
    status: str
    date: str
    by: str | None
    orcid: str | None
    why: str

    def describe(self) -> str:
        who = self.by or "(no one named)"
        who += f" (ORCID {self.orcid})" if self.orcid else ""
        return f"{self.date}: {self.status} by {who}: {self.why}"


@dataclass(frozen=True)
class ClaimState:
    """One claim as a release states it."""

    id: str
    iri: str
    subject: str
    predicate: str
    obj: str
    status: str
    polarity: str
    sources: tuple[str, ...]
    certainty: Certainty
    terms: frozenset[str] = field(compare=False)
    history: tuple[HistoryStep, ...] = field(default=(), compare=False)

    def compared(self) -> dict[str, object]:
        return {
            "status": self.status,
            "polarity": self.polarity,
            "sources": list(self.sources),
            "certainty": self.certainty.word,
        }

    def as_dict(self) -> dict[str, object]:
        return {
            "claim": self.id,
            "iri": self.iri,
            "subject": self.subject,
            "predicate": self.predicate,
            "object": self.obj,
            "status": self.status,
            "polarity": self.polarity,
            "sources": list(self.sources),
            "certainty": self.certainty.as_dict(),
            "history": [dict(h.__dict__) for h in self.history],
        }


def _objects(store: ox.Store, subject: ox.NamedNode, predicate: URIRef) -> list[str]:
    quads = store.quads_for_pattern(subject, _nn(predicate), None, None)
    return sorted({_value(q.object) for q in quads})


def _nodes(store: ox.Store, subject: Any, predicate: URIRef) -> list[Any]:
    """The node objects only (IRIs, blank nodes): a literal where a node belongs is skipped (the
    shapes report it), never a crash."""
    quads = store.quads_for_pattern(subject, _nn(predicate), None, None)
    nodes = {q.object for q in quads if isinstance(q.object, ox.NamedNode | ox.BlankNode)}
    return sorted(nodes, key=str)


def _first(store: ox.Store, subject: ox.NamedNode, predicate: URIRef) -> str:
    values = _objects(store, subject, predicate)
    return values[0] if values else ""


def _claim_state(store: ox.Store, claim: ox.NamedNode) -> ClaimState:
    supports: list[SupportFacts] = []
    keys: set[str] = set()
    for node in _nodes(store, claim, PROV.qualifiedDerivation):
        for source_node in _nodes(store, node, PROV.entity):
            source = str(source_node.value)
            keys.add(_first(store, source_node, DCTERMS.identifier) or compact(source))
            kinds = [_KINDS[k] for k in _objects(store, source_node, RDF.type) if k in _KINDS]
            design = _first(store, node, NKG.studyDesign) or None
            indirect = _first(store, node, NKG.indirectness) or None
            for evidence in _objects(store, node, RO["0002558"]):
                supports.extend(
                    SupportFacts(kind, compact(evidence), design, indirect) for kind in kinds
                )
    terms = frozenset(v for slot in CLAIM_TERM_SLOTS for v in _objects(store, claim, slot))
    obj = _first(store, claim, NKG.object)
    return ClaimState(
        id=_first(store, claim, DCTERMS.identifier) or claim.value.rsplit("/", 1)[-1],
        iri=claim.value,
        subject=compact(_first(store, claim, NKG.subject)),
        predicate=compact(_first(store, claim, NKG.predicate)),
        obj=compact(obj) if obj else _first(store, claim, NKG.objectText),
        status=_snake(_first(store, claim, NKG.curationStatus)),
        polarity=_snake(_first(store, claim, NKG.polarity)),
        sources=tuple(sorted(keys)),
        certainty=certainty_of_claim(supports, frequency=_frequency(store, claim)),
        terms=terms,
        history=_history(store, claim),
    )


def _history(store: ox.Store, claim: ox.NamedNode) -> tuple[HistoryStep, ...]:
    steps = []
    for node in _nodes(store, claim, NKG.statusChange):
        index = _first(store, node, NKG.changeIndex)
        orcid = _first(store, node, NKG.changedByOrcid)
        steps.append(
            HistoryStep(
                index=int(index) if index.isdigit() else 0,
                status=_snake(_first(store, node, NKG.toStatus)),
                date=_first(store, node, DCTERMS.date),
                by=_first(store, node, NKG.changedBy) or None,
                orcid=orcid.rsplit("/", 1)[-1] if orcid else None,
                why=_first(store, node, RDFS.comment),
            )
        )
    return tuple(sorted(steps, key=lambda h: h.index))


def _frequency(store: ox.Store, claim: ox.NamedNode) -> tuple[int, int] | None:
    n = _first(store, claim, NKG.frequencyNumerator)
    d = _first(store, claim, NKG.frequencyDenominator)
    return (int(n), int(d)) if n.isdigit() and d.isdigit() else None


def claim_states(store: ox.Store) -> dict[str, ClaimState]:
    """Every claim of a release, by IRI."""
    claims = {
        q.subject.value
        for q in store.quads_for_pattern(None, _nn(RDF.type), _nn(NKG.Claim), None)
        if isinstance(q.subject, ox.NamedNode)
    }
    return {iri: _claim_state(store, ox.NamedNode(iri)) for iri in sorted(claims)}


def descendants(stores: Sequence[ox.Store], term: str) -> set[str]:
    found, todo = {term}, [term]
    while todo:
        current = ox.NamedNode(todo.pop())
        for store in stores:
            for quad in store.quads_for_pattern(None, _nn(RDFS.subClassOf), current, None):
                child = quad.subject
                if isinstance(child, ox.NamedNode) and child.value not in found:
                    found.add(child.value)
                    todo.append(child.value)
    return found


def resolve_terms(stores: Sequence[ox.Store], names: Iterable[str]) -> list[tuple[str, str]]:
    """Resolve names or CURIEs to (IRI, label), trying the new release first, then the old."""
    indexes = [NameIndex(OxigraphEngine(store).named("term_names")) for store in stores]
    resolved = []
    for name in names:
        first_error: UnknownNameError | None = None
        for index in indexes:
            try:
                ref = index.resolve(name)
            except UnknownNameError as err:
                first_error = first_error or err
                continue
            resolved.append((ref.iri, ref.label))
            break
        else:
            assert first_error is not None
            raise first_error
    return resolved


def term_labels(stores: Sequence[ox.Store]) -> dict[str, str]:
    labels: dict[str, str] = {}
    for store in reversed(stores):  # the first store (the new release) wins
        for quad in store.quads_for_pattern(None, _nn(RDFS.label), None, None):
            labels[compact(_value(quad.subject))] = _value(quad.object)
    return labels

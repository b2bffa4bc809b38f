"""Compare two releases claim by claim: what a curator must review since the last release.

Consumes: two release files (TriG or N-Quads, as ``neurokg export`` writes them) and optionally
terms (CURIEs, IRIs or names) to restrict the comparison to.
Produces: a ``ReleaseDiff``: claims added, removed, and changed in status, polarity, sources or
certainty (``evidence.certainty_of_claim`` over each claim's supports and counts), with who made
each status change recorded since the old release (the claims' review history,
``nkg:statusChange``: who, ORCID when given, when, why), as
Markdown for curators (``render_markdown``) or a JSON-ready dict for apps (``ReleaseDiff.as_dict``).
Policy: claims are matched by their stable IRI (``https://w3id.org/neurokg/claim/<id>``). A term
filter keeps the claims whose subject, object, context, target or lesion site is one of the terms
or a subclass of one (``rdfs:subClassOf*`` in either release), as the named queries do. Output
order is by claim id, so equal inputs give equal text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from .build import SOURCE_CLASSES
from .errors import NeurokgError, SourceError, UnknownNameError
from .evidence import Certainty, SupportFacts, certainty_of_claim
from .namespaces import NKG, RO, compact
from .resolve import NameIndex
from .store import OxigraphEngine

__all__ = [
    "ClaimChange",
    "ClaimState",
    "HistoryStep",
    "ReleaseDiff",
    "claim_states",
    "diff_releases",
    "read_release",
    "render_markdown",
    "resolve_terms",
]

Match = Literal["any", "all"]
_KINDS: Final = {str(iri): kind for kind, iri in SOURCE_CLASSES.items()}
_TERM_SLOTS: Final = (NKG.subject, NKG.object, NKG.context, NKG.target, NKG.lesionSite)
_FORMATS: Final = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS}
_COMPARED: Final = ("status", "polarity", "sources", "certainty")


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
    terms = frozenset(v for slot in _TERM_SLOTS for v in _objects(store, claim, slot))
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


def _descendants(stores: Sequence[ox.Store], term: str) -> set[str]:
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


@dataclass(frozen=True)
class ClaimChange:
    """A claim whose status, polarity, sources or grade differ between two releases."""

    before: ClaimState
    after: ClaimState

    def fields(self) -> dict[str, tuple[object, object]]:
        old, new = self.before.compared(), self.after.compared()
        return {name: (old[name], new[name]) for name in _COMPARED if old[name] != new[name]}

    def recorded(self) -> tuple[HistoryStep, ...]:
        """The status changes recorded since the old release: who changed what, when, why."""
        return self.after.history[len(self.before.history) :]

    def as_dict(self) -> dict[str, object]:
        changes = {k: {"old": o, "new": n} for k, (o, n) in self.fields().items()}
        return {
            "claim": self.after.id,
            "iri": self.after.iri,
            "changes": changes,
            "recorded": [dict(h.__dict__) for h in self.recorded()],
            "before": self.before.as_dict(),
            "after": self.after.as_dict(),
        }


@dataclass(frozen=True)
class ReleaseDiff:
    """What changed between two releases, claim by claim."""

    old: str
    new: str
    terms: list[tuple[str, str]]
    added: list[ClaimState]
    removed: list[ClaimState]
    changed: list[ClaimChange]
    unchanged: int
    labels: dict[str, str]

    def as_dict(self) -> dict[str, object]:
        return {
            "old": self.old,
            "new": self.new,
            "terms": [{"id": compact(iri), "label": label} for iri, label in self.terms],
            "summary": {
                "added": len(self.added),
                "removed": len(self.removed),
                "changed": len(self.changed),
                "unchanged": self.unchanged,
            },
            "added": [c.as_dict() for c in self.added],
            "removed": [c.as_dict() for c in self.removed],
            "changed": [c.as_dict() for c in self.changed],
        }


def _labels(stores: Sequence[ox.Store]) -> dict[str, str]:
    labels: dict[str, str] = {}
    for store in reversed(stores):  # the first store (the new release) wins
        for quad in store.quads_for_pattern(None, _nn(RDFS.label), None, None):
            labels[compact(_value(quad.subject))] = _value(quad.object)
    return labels


def diff_releases(
    old: ox.Store,
    new: ox.Store,
    *,
    terms: Sequence[str] = (),
    match: Match = "any",
    names: tuple[str, str] = ("old", "new"),
) -> ReleaseDiff:
    """Compare ``old`` and ``new``, keeping only claims about ``terms`` when any are given."""
    if match not in ("any", "all"):
        raise NeurokgError(f"match must be 'any' or 'all', not {match!r}")
    resolved = resolve_terms([new, old], terms)
    wanted = [_descendants([new, old], iri) for iri, _ in resolved]
    before, after = claim_states(old), claim_states(new)

    def keep(state: ClaimState) -> bool:
        hits = [bool(state.terms & group) for group in wanted]
        return not wanted or (any(hits) if match == "any" else all(hits))

    before = {k: v for k, v in before.items() if keep(v)}
    after = {k: v for k, v in after.items() if keep(v)}
    changes = [
        ClaimChange(before[k], after[k])
        for k in sorted(before.keys() & after.keys())
        if before[k].compared() != after[k].compared()
    ]
    common = len(before.keys() & after.keys())
    return ReleaseDiff(
        old=names[0],
        new=names[1],
        terms=resolved,
        added=[after[k] for k in sorted(after.keys() - before.keys())],
        removed=[before[k] for k in sorted(before.keys() - after.keys())],
        changed=changes,
        unchanged=common - len(changes),
        labels=_labels([new, old]),
    )


def _statement(diff: ReleaseDiff, state: ClaimState) -> str:
    def named(curie: str) -> str:
        label = diff.labels.get(curie)
        return f"{label} ({curie})" if label else curie

    predicate = diff.labels.get(state.predicate, state.predicate)
    return f"{named(state.subject)} *{predicate}* {named(state.obj)}"


def _summary(state: ClaimState) -> str:
    sources = ", ".join(state.sources) or "none"
    return f"{state.status}, {state.polarity}; certainty {state.certainty.word}; sources: {sources}"


def _show(value: object) -> str:
    return ", ".join(str(v) for v in value) or "none" if isinstance(value, list) else str(value)


def render_markdown(diff: ReleaseDiff) -> str:
    """The diff as Markdown for curators."""
    lines = [f"# neurokg: changes from `{diff.old}` to `{diff.new}`", ""]
    if diff.terms:
        named = ", ".join(f"{label} ({compact(iri)})" for iri, label in diff.terms)
        lines += [f"Claims about: {named} (and their subclasses).", ""]
    lines += [
        f"{len(diff.added)} added, {len(diff.removed)} removed, {len(diff.changed)} changed, "
        f"{diff.unchanged} unchanged.",
        "",
    ]
    for title, states in (("Added", diff.added), ("Removed", diff.removed)):
        if states:
            lines += [f"## {title} ({len(states)})", ""]
            for state in states:
                lines.append(f"- `{state.id}`: {_statement(diff, state)} — {_summary(state)}")
                if title == "Added" and state.history:
                    lines.append(f"  - recorded: {state.history[-1].describe()}")
            lines.append("")
    if diff.changed:
        lines += [f"## Changed ({len(diff.changed)})", ""]
        for change in diff.changed:
            lines.append(f"- `{change.after.id}`: {_statement(diff, change.after)}")
            for name, (old, new) in change.fields().items():
                lines.append(f"  - {name}: {_show(old)} → {_show(new)}")
            for step in change.recorded():
                lines.append(f"  - recorded: {step.describe()}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"

"""Read from the graph what a review needs, in a few batched named queries.

Consumes: an ``Engine`` (the curated graph, a ``--store`` or an ``--endpoint``).
Produces: the lexicon (``term_names``, read once); the is-a and part-of parents of every term the
review meets (``term_parents``, one query per level); the claims linking the answer's terms
(``associations_between`` for every pair at once, ``lesion_sites`` with its part-of roll-up,
``treatments``), each read as a ``ClaimView`` with its sources and certainty (``claim_summary``,
``claim_evidence``); the sources with their identifiers (``source_identifiers``) and the claims of
the cited ones (``claims_by_source``); and a receipt (``release_info``, ``release_graphs``).
Policy: reads only; every parameter is bound as an RDF term (``bind_rows``), never pasted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from rdflib import URIRef
from rdflib.term import Node

from .. import resources
from ..answer import ClaimView
from ..namespaces import PART_OF
from ..query import Engine, Row, bind_rows, run_for
from ..views import KIND_NAMES, claim_view, local, receipt
from .grounding import Lexicon

__all__ = ["GraphClaim", "GraphReader", "GraphSource"]

_BATCH: Final = 200
_MAX_LEVELS: Final = 40


@dataclass(frozen=True)
class GraphClaim:
    """A claim as the review weighs it: its view (sources, certainty) and its terms' IRIs."""

    view: ClaimView
    subject: str
    object: str | None
    context: str | None

    @property
    def id(self) -> str:
        return self.view.id

    def terms(self) -> tuple[str, ...]:
        return tuple(t for t in (self.subject, self.object, self.context) if t)


@dataclass(frozen=True)
class GraphSource:
    iri: str
    key: str
    kind: str
    title: str
    year: str | None
    pmid: str | None
    doi: str | None
    urls: tuple[str, ...]
    publisher: str | None


class GraphReader:
    """Runs the review's named queries and keeps what they returned (and their names)."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.used: list[str] = []
        self.lexicon = Lexicon.from_rows(self._run("term_names"))
        self.parents: dict[str, set[tuple[str, str]]] = {}
        self.claims: dict[str, GraphClaim] = {}
        self._closures: dict[tuple[str, bool], frozenset[str]] = {}

    def _note(self, name: str) -> None:
        if name not in self.used:
            self.used.append(name)

    def _run(self, name: str) -> list[Row]:
        self._note(name)
        return self.engine.named(name)

    def _run_for(self, name: str, variable: str, values: Iterable[str]) -> list[Row]:
        wanted = sorted(set(values))
        if not wanted:
            return []
        self._note(name)
        rows: list[Row] = []
        for start in range(0, len(wanted), _BATCH):
            chunk: list[Node] = [URIRef(v) for v in wanted[start : start + _BATCH]]
            rows.extend(run_for(self.engine, name, variable, chunk))
        return rows

    # ------------------------------------------------------------------------ hierarchy
    def climb(self, terms: Iterable[str]) -> None:
        """Read the is-a and part-of parents of ``terms`` and of their ancestors, level by level."""
        frontier = sorted({t for t in terms if t not in self.parents})
        for _ in range(_MAX_LEVELS):
            if not frontier:
                break
            for term in frontier:
                self.parents[term] = set()
            for row in self._run_for("term_parents", "term", frontier):
                relation = "part_of" if row["relation"] == PART_OF else "is_a"
                self.parents[str(row["term"])].add((relation, str(row["parent"])))
            frontier = sorted(
                {p for t in frontier for _, p in self.parents[t] if p not in self.parents}
            )
        self._closures.clear()

    def ancestors(self, term: str, *, parts: bool) -> frozenset[str]:
        """Everything ``term`` is a kind of (and, with ``parts``, part of), itself excluded."""
        key = (term, parts)
        if key not in self._closures:
            seen: set[str] = set()
            stack = [term]
            while stack:
                for relation, parent in self.parents.get(stack.pop(), ()):
                    if (parts or relation == "is_a") and parent not in seen:
                        seen.add(parent)
                        stack.append(parent)
            seen.discard(term)
            self._closures[key] = frozenset(seen)
        return self._closures[key]

    def near(self, term: str, levels: int) -> set[str]:
        """``term`` and its parents up to ``levels`` levels (is-a and part-of)."""
        found, frontier = {term}, {term}
        for _ in range(levels):
            frontier = {p for t in frontier for _, p in self.parents.get(t, ())} - found
            found |= frontier
        return found

    # ------------------------------------------------------------------------ claims
    def claims_between(self, pairs: Iterable[tuple[str, str]]) -> list[str]:
        """Claims linking each pair, either way, directly or through subtypes."""
        wanted = sorted({tuple(sorted(p)) for p in pairs if p[0] != p[1]})
        if not wanted:
            return []
        self._note("associations_between")
        text = resources.query_text("associations_between", self.engine.queries)
        found: list[str] = []
        for start in range(0, len(wanted), _BATCH):
            rows: list[Sequence[Node]] = [
                (URIRef(a), URIRef(b)) for a, b in wanted[start : start + _BATCH]
            ]
            found += [
                str(r["claim"]) for r in self.engine.select(bind_rows(text, ["a", "b"], rows), {})
            ]
        return found

    def claims_of(self, name: str, conditions: Iterable[str]) -> list[str]:
        """The claims ``lesion_sites`` or ``treatments`` finds for ``conditions``."""
        return [str(r["claim"]) for r in self._run_for(name, "condition", conditions)]

    def load(self, claim_iris: Iterable[str]) -> None:
        """Read every claim not read yet, with its sources, certainty and terms' names."""
        wanted = sorted({c for c in claim_iris if c not in self.claims})
        if not wanted:
            return
        summaries = {str(r["claim"]): r for r in self._run_for("claim_summary", "claim", wanted)}
        evidence: dict[str, list[Row]] = {}
        for row in self._run_for("claim_evidence", "claim", wanted):
            evidence.setdefault(str(row["claim"]), []).append(row)
        for claim in wanted:
            if claim in summaries:
                self.claims[claim] = self._claim(summaries[claim], evidence.get(claim, []))

    def _claim(self, row: Row, evidence: list[Row]) -> GraphClaim:
        view = claim_view(row, evidence, self.lexicon.label, self.lexicon.ref)
        return GraphClaim(
            view,
            str(row["subject"]),
            str(row["object"]) if "object" in row else None,
            str(row["context"]) if "context" in row else None,
        )

    # ------------------------------------------------------------------------ sources
    def sources(self) -> list[GraphSource]:
        """Every source of the graph with its identifiers (one per source, urls gathered)."""
        rows: dict[str, list[Row]] = {}
        for row in self._run("source_identifiers"):
            rows.setdefault(str(row["source"]), []).append(row)
        found = []
        for iri, group in sorted(rows.items()):
            first = group[0]

            def opt(key: str, row: Row = first) -> str | None:
                return str(row[key]) if key in row else None

            found.append(
                GraphSource(
                    iri=iri,
                    key=str(first["key"]),
                    kind=KIND_NAMES.get(local(first["kind"]), "reference"),
                    title=str(first["title"]),
                    year=opt("year"),
                    pmid=opt("pmid"),
                    doi=opt("doi"),
                    urls=tuple(sorted({str(r["url"]) for r in group if "url" in r})),
                    publisher=opt("publisher"),
                )
            )
        return found

    def claims_by_source(self, source_iris: Iterable[str]) -> dict[str, list[Row]]:
        """The claims each source supports (all statuses), by source IRI."""
        found: dict[str, list[Row]] = {}
        for iri in sorted(set(source_iris)):
            self._note("claims_by_source")
            found[iri] = self.engine.named("claims_by_source", source=URIRef(iri))
        return found

    def receipt(self, version: str) -> dict[str, Any]:
        release, graphs = self._run("release_info"), self._run("release_graphs")
        return receipt(release, graphs, version, self.used)

"""Kind-of and part-of: the chain of is-a and part-of edges from one term up to another.

Consumes: an ``Engine`` (curated graph, a store with imported ontologies, or an endpoint) and two
term IRIs. Produces: the shortest ``Chain`` of edges from the first up to the second, each edge
with the graph it was read in and its source (a curated edge's annotation, an imported release, or
the approved claim behind a direct triple), or None.
Policy: only edges the graph holds are followed, upward, one query per level (``term_parents``
with every term of the level as a value), at most ``MAX_DEPTH`` levels and ``MAX_TERMS`` terms.
A chain of is-a edges only says "is a kind of"; a chain with at least one part-of edge says "is
part of" (a part of a part is a part; a kind of a part is a part: a cerebellar peduncle is a kind
of white matter of cerebellum, which is part of the cerebellum). A kind-of chain is preferred to a
part-of chain.
On a local graph (Oxigraph or rdflib) one property-path query first asks whether ``goal`` is
reachable at all, so the common answer, no chain, costs one query instead of one per level up to
the ontology's root. An endpoint is walked level by level: Virtuoso 7.2.5 loses rows on paths.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from .plain import Iri, PlainRow
from .prefixes import PART_OF_IRI, compact
from .query import Engine, LocalEngine, plain_run_for, plain_select
from .store import OxigraphEngine

__all__ = ["MAX_DEPTH", "MAX_TERMS", "Chain", "Edge", "find_chain"]

MAX_DEPTH: Final = 40
MAX_TERMS: Final = 20_000


@dataclass(frozen=True)
class Edge:
    child: str
    relation: str  # "is_a" | "part_of"
    parent: str
    sources: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "child": compact(self.child),
            "relation": self.relation,
            "parent": compact(self.parent),
            "sources": list(self.sources),
        }


@dataclass(frozen=True)
class Chain:
    edges: tuple[Edge, ...]

    @property
    def relation(self) -> str:
        """``kind_of`` when every edge is is-a, else ``part_of``."""
        return "kind_of" if all(e.relation == "is_a" for e in self.edges) else "part_of"

    def as_dict(self) -> dict[str, Any]:
        return {"relation": self.relation, "edges": [e.as_dict() for e in self.edges]}


def _sources(row: PlainRow) -> list[str]:
    """Where the edge of ``row`` was read: curated annotation, imported release, approved claim."""
    found = []
    if "source" in row:
        found.append(f"curated: {row['source']}")
    if "release" in row:
        found.append(f"{compact(str(row['release']))} release {row.get('version', '')}".strip())
    if "claim" in row:
        found.append(f"approved claim {str(row['claim']).rsplit('/', 1)[-1]}")
    return found


def _edges(rows: list[PlainRow]) -> dict[tuple[str, str, str], Edge]:
    """(child, relation, parent) -> the edge, with every source that states it."""
    sources: dict[tuple[str, str, str], dict[str, None]] = {}
    for row in rows:
        relation = "part_of" if row["relation"] == PART_OF_IRI else "is_a"
        key = (str(row["term"]), relation, str(row["parent"]))
        sources.setdefault(key, {}).update(dict.fromkeys(_sources(row)))
    return {k: Edge(*k, tuple(found)) for k, found in sources.items()}


_REACHES: Final = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX obo: <http://purl.obolibrary.org/obo/>
SELECT ?goal WHERE { ?start (rdfs:subClassOf|obo:BFO_0000050)+ ?goal } LIMIT 1"""


def _unreachable(engine: Engine, start: str, goal: str) -> bool:
    """True when a local graph holds no is-a / part-of path from ``start`` up to ``goal``.

    The path also crosses blank nodes, so it may find a path the walk does not (then the walk
    runs and decides); it never misses one the walk would find.
    """
    if not isinstance(engine, OxigraphEngine | LocalEngine):
        return False
    return not plain_select(engine, _REACHES, {"start": Iri(start), "goal": Iri(goal)})


def find_chain(engine: Engine, start: str, goal: str) -> tuple[Chain | None, int]:
    """The shortest is-a / part-of chain from ``start`` up to ``goal`` (a kind-of chain first),
    and how many queries it took."""
    if _unreachable(engine, start, goal):
        return None, 1
    # breadth first over (term, has a part-of edge) states: the first kind-of arrival wins
    came_from: dict[tuple[str, bool], tuple[tuple[str, bool], Edge] | None] = {(start, False): None}
    frontier = [(start, False)]
    found: tuple[str, bool] | None = None
    queries = 0
    for _ in range(MAX_DEPTH):
        if not frontier or len(came_from) > MAX_TERMS:
            break
        terms = sorted({t for t, _ in frontier})
        queries += 1
        edges = _edges(plain_run_for(engine, "term_parents", "term", [Iri(t) for t in terms]))
        by_child: dict[str, list[Edge]] = {}
        for edge in edges.values():
            by_child.setdefault(edge.child, []).append(edge)
        next_frontier = []
        for state in frontier:
            for edge in by_child.get(state[0], []):
                new = (edge.parent, state[1] or edge.relation == "part_of")
                if new not in came_from:
                    came_from[new] = (state, edge)
                    next_frontier.append(new)
        if (goal, False) in came_from:
            found = (goal, False)
            break
        if found is None and (goal, True) in came_from:
            found = (goal, True)  # keep looking one more level for a kind-of chain
        elif found is not None:
            break
        frontier = next_frontier
    if found is None:
        return None, queries
    chain: list[Edge] = []
    step = came_from[found]
    while step is not None:
        previous, edge = step
        chain.append(edge)
        step = came_from[previous]
    return Chain(tuple(reversed(chain))), queries

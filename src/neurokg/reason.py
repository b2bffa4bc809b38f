"""OWL reasoning over the schema and the terms with owlready2 and HermiT.

Consumes: the ``schema`` and ``terms`` graphs of a built knowledge graph (rdflib ``Graph``s); the
claims are left out (they are records about statements, not OWL axioms).
Produces: a ``ReasonerVerdict``: consistent, inconsistent, unsatisfiable (naming the classes),
unavailable (no Java) or failed (HermiT stopped with an error, whose message is kept).
Policy: the graphs are copied into N-Triples by rdflib (owlready2 does not read Turtle) and loaded
into a private ``owlready2.World()`` that is dropped on return: never ``default_world``. Nothing
is written to the inputs; the library never prints (HermiT runs with ``debug=0``).
Disjointness in the schema (``owl:AllDisjointClasses`` over the term kinds) applies to the punned
term individuals too, so a term typed with two disjoint kinds makes the ontology inconsistent.
"""

from __future__ import annotations

import io
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import owlready2
from rdflib import Graph
from rdflib.namespace import OWL

__all__ = ["ReasonerStatus", "ReasonerVerdict", "java_available", "reason_terms"]

ReasonerStatus = Literal["consistent", "inconsistent", "unsatisfiable", "unavailable", "failed"]
_ONTOLOGY_IRI = "https://w3id.org/neurokg/ontology"


@dataclass(frozen=True)
class ReasonerVerdict:
    """What HermiT said about schema + terms."""

    status: ReasonerStatus
    unsatisfiable: tuple[str, ...] = ()
    detail: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when the ontology is consistent and every class satisfiable."""
        return self.status == "consistent"

    def describe(self) -> str:
        """One line for people: the verdict and its detail."""
        if self.status == "unsatisfiable":
            return f"unsatisfiable classes: {', '.join(self.unsatisfiable)}"
        return f"{self.status}: {self.detail}" if self.detail else self.status


def java_available() -> bool:
    """True when the Java executable owlready2 will call is on the PATH (or an existing file)."""
    return shutil.which(str(owlready2.JAVA_EXE)) is not None


def _ntriples(graphs: Iterable[Graph]) -> bytes:
    merged = Graph()
    for graph in graphs:
        for triple in graph:
            merged.add(triple)
    return merged.serialize(format="nt", encoding="utf-8")


def reason_terms(schema: Graph, terms: Graph) -> ReasonerVerdict:
    """Run HermiT over ``schema`` + ``terms`` in a private World and return its verdict."""
    start = time.perf_counter()
    if not java_available():
        return ReasonerVerdict(
            "unavailable",
            detail=f"Java not found ({owlready2.JAVA_EXE!r}); OWL reasoning was skipped. "
            "Install a Java runtime (17 or later) to check consistency.",
        )
    world = owlready2.World()
    try:
        ontology = world.get_ontology(_ONTOLOGY_IRI)
        ontology.load(fileobj=io.BytesIO(_ntriples([schema, terms])), format="ntriples")
        try:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            return ReasonerVerdict(
                "inconsistent",
                detail="the schema and terms have no model (e.g. a term typed with two disjoint "
                "kinds, or an individual in a class and its complement)",
                seconds=time.perf_counter() - start,
            )
        except owlready2.OwlReadyJavaError as err:
            return ReasonerVerdict(
                "failed", detail=f"HermiT stopped: {err}", seconds=time.perf_counter() - start
            )
        nothing = str(OWL.Nothing)
        unsatisfiable = tuple(
            sorted(str(c.iri) for c in world.inconsistent_classes() if str(c.iri) != nothing)
        )
    finally:
        world.close()
    elapsed = time.perf_counter() - start
    if unsatisfiable:
        return ReasonerVerdict("unsatisfiable", unsatisfiable, seconds=elapsed)
    return ReasonerVerdict("consistent", seconds=elapsed)

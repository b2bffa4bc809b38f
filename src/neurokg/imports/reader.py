"""What an import file becomes: its format, its import name, and the N-Triples it writes.

Consumes: paths of OBO, OWL or HPOA files, an optional format and name, ``ImportLimits``.
Produces: ``ImportJob`` plans (checked before any store is touched), the N-Triples of a job handed
to a sink with its ``ImportReport``, and rdflib graphs for small files (``import_obo`` ...).
Policy: the format comes from ``--format`` or the suffix; the name from ``--name`` or the file
name (``phenotype.hpoa`` -> ``hpoa``); two files of one command may not share a name. Every file
passes the guards (guards.py) before a parser reads it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pyoxigraph as ox
from rdflib import Graph

from ..errors import SourceError
from ..store_terms import to_rdflib_term
from .guards import DEFAULT_LIMITS, ImportLimits, check_input
from .hpoa import write_hpoa
from .ntriples import ImportReport, Writer, import_graph_iri
from .ontology import OWL_FORMATS, read_ontology, write_ontology

__all__ = [
    "FORMATS",
    "ImportJob",
    "import_hpoa",
    "import_obo",
    "import_owl",
    "plan_imports",
    "write_import",
]

FORMATS: Final = ("obo", "owl", "hpoa")


@dataclass(frozen=True)
class ImportJob:
    """One file to import: its path, format and import name (graph ``graph:import/<name>``)."""

    path: Path
    fmt: str
    name: str

    @property
    def graph(self) -> str:
        return str(import_graph_iri(self.name))


def _format_of(path: Path, fmt: str | None) -> str:
    if fmt is not None:
        if fmt not in FORMATS:
            raise SourceError(path, None, f"unknown import format {fmt!r}; use {FORMATS}")
        return fmt
    suffix = path.suffix.lower()
    if suffix == ".obo":
        return "obo"
    if suffix == ".hpoa":
        return "hpoa"
    if suffix in (".owl", ".rdf", ".ttl", ".nt", ".xml"):
        return "owl"
    raise SourceError(path, None, "cannot tell the format from the suffix; give --format")


def _default_name(path: Path, fmt: str) -> str:
    stem = re.sub(r"[^a-z0-9]+", "-", path.name.lower().split(".")[0]).strip("-")
    return "hpoa" if fmt == "hpoa" and stem == "phenotype" else stem or fmt


def plan_imports(
    files: Sequence[Path], fmt: str | None = None, name: str | None = None
) -> list[ImportJob]:
    """The jobs for ``files``: format and name of each, checked before anything is read."""
    if name is not None and len(files) != 1:
        raise SourceError(name, None, "an import name (--name) needs exactly one file")
    jobs = []
    for path in files:
        kind = _format_of(path, fmt)
        job = ImportJob(path, kind, name or _default_name(path, kind))
        import_graph_iri(job.name)  # a bad name is refused here
        jobs.append(job)
    names = [job.name for job in jobs]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise SourceError(
            jobs[0].path, None, f"two files would fill the import {twice[0]!r}; give --name"
        )
    return jobs


def write_import(
    job: ImportJob, sink: Callable[[bytes], None], limits: ImportLimits = DEFAULT_LIMITS
) -> ImportReport:
    """Check and parse ``job.path``; hand its N-Triples to ``sink``; return what was written."""
    xml = job.fmt == "owl" and job.path.suffix.lower() not in OWL_FORMATS
    source = check_input(job.path, limits, xml=xml)
    report = ImportReport(job.name, job.graph, str(job.path), job.fmt, "unknown")
    w = Writer(sink, source)
    if job.fmt == "hpoa":
        write_hpoa(w, job.name, report)
    else:
        onto = read_ontology(source, job.fmt)
        report.version = onto.version
        write_ontology(w, onto, job.name, report)
    w.flush()
    report.triples = w.count
    return report


def _to_graph(path: Path, fmt: str, name: str | None) -> Graph:
    job = plan_imports([path], fmt, name)[0]
    graph = Graph(identifier=import_graph_iri(job.name))

    def sink(data: bytes) -> None:
        for triple in ox.parse(data, format=ox.RdfFormat.N_TRIPLES):
            graph.add(
                (to_rdflib_term(triple.subject), to_rdflib_term(triple.predicate),
                 to_rdflib_term(triple.object))
            )  # fmt: skip

    write_import(job, sink)
    return graph


def import_obo(path: Path, *, name: str | None = None) -> Graph:
    """Read an OBO ontology into a new graph named ``graph:import/<name>``."""
    return _to_graph(path, "obo", name)


def import_owl(path: Path, *, name: str | None = None) -> Graph:
    """Read an OWL ontology (RDF/XML, Turtle or N-Triples) into a new graph."""
    return _to_graph(path, "owl", name)


def import_hpoa(path: Path, *, name: str | None = None) -> Graph:
    """Read an HPO annotation file (phenotype.hpoa) into a new graph of claims."""
    return _to_graph(path, "hpoa", name)

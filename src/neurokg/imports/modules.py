"""The committed import modules (``ontology/imports/*.obo``): what they hold and their graphs.

Consumes: the OBO modules scripts/make_imports.py wrote (a slice of one ontology release each:
the classes the curated files use, their ancestors and some neurology branches; the header names
release, source, licence and refresh recipe in ``remark:`` lines).
Produces: ``read_modules`` -> ``Module`` values (header facts and each class's label, obsolete
status, parents, definition, synonyms, with the line its frame starts on), for the import check
(import_check.py) and ``neurokg stats``; ``module_graphs`` -> one rdflib graph per module, named
``graph:import/<name>`` as ``neurokg import`` names it, for ``build``.
Policy: the graphs are written by the same OBO reader as ``neurokg import`` (ontology.py), kinds
and look-up keys included for the vocabularies curated terms are named in (MONDO, HP, UBERON,
MAXO), so ``ask`` names and labels imported classes as it does in a store with imports; DOID, ECO
and RO classes get no kind (DOID:529 'blepharospasm' must not become a second answer to a name
MONDO and HP already hold: DOID reaches ``ask`` only through the SSSOM mappings); validate leaves
import graphs out of the SHACL data graph (shapes describe curated records) and checks curated
terms against them instead (import_check.py). A module that does not
parse is a ``SourceError``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDFS

from ..errors import SourceError
from ..namespaces import ENTITY_PREFIXES, SOURCE
from ..store_terms import to_rdflib_term
from .guards import check_input
from .ntriples import ImportReport, Writer, import_graph_iri
from .ontology import read_ontology, write_ontology

__all__ = [
    "MODULE_FOLDER",
    "Module",
    "ModuleTerm",
    "module_graphs",
    "module_name",
    "module_paths",
    "module_versions",
    "read_modules",
]

#: Where the modules live inside the curated folder.
MODULE_FOLDER: Final = "imports"
_REMARK: Final = re.compile(r"^remark: (release|source|licence|url|refresh): (.*)$")


@dataclass(frozen=True)
class ModuleTerm:
    """One class of a module as its release states it."""

    id: str
    line: int
    label: str | None
    obsolete: bool
    is_a: tuple[str, ...]
    part_of: tuple[str, ...]
    replaced_by: tuple[str, ...] = ()


@dataclass
class Module:
    """One import module: its name, file, header facts and classes by CURIE."""

    name: str
    path: Path
    version: str
    release: str = ""
    source: str = ""
    licence: str = ""
    refresh: str = ""
    url: str = ""
    terms: dict[str, ModuleTerm] = field(default_factory=dict)

    @property
    def graph(self) -> URIRef:
        return import_graph_iri(module_name(self.path))


def _module(path: Path, version: str, facts: dict[str, str]) -> Module:
    return Module(
        path.stem.removesuffix("_import"),
        path,
        version,
        release=facts.get("release", ""),
        source=facts.get("source", ""),
        licence=facts.get("licence", ""),
        refresh=facts.get("refresh", ""),
        url=facts.get("url", ""),
    )


def module_name(path: Path) -> str:
    """The import name of a module file, as ``neurokg import`` names it: ``hp_import.obo`` ->
    ``hp-import`` (graph ``graph:import/hp-import``, release ``source:import-hp-import``), so a
    full release imported as ``hp`` never replaces a module, nor a module a full release."""
    return re.sub(r"[^a-z0-9]+", "-", path.name.lower().split(".")[0]).strip("-")


def module_paths(ontology: Path) -> list[Path]:
    """The module files of the curated folder ``ontology``, by name."""
    folder = ontology / MODULE_FOLDER
    return sorted(folder.glob("*_import.obo")) if folder.is_dir() else []


def _frame_lines(text: str) -> dict[str, int]:
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("id: "):
            lines.setdefault(line[4:].strip(), number)
    return lines


def _header_version(text: str) -> str:
    for line in text.splitlines():
        if line.startswith("[") or line.startswith("id: "):
            break
        if line.startswith("data-version: "):
            return line.split(": ", 1)[1]
    return "unknown"


def module_versions(ontology: Path) -> list[tuple[str, str]]:
    """Each module's import name and release (its ``data-version``), read from the header alone:
    what ``--version`` names without parsing a module."""
    versions = []
    for path in module_paths(ontology):
        with path.open(encoding="utf-8") as handle:
            head = "".join(line for _, line in zip(range(40), handle, strict=False))
        versions.append((module_name(path), _header_version(head)))
    return versions


def _read_module(path: Path) -> Module:
    import fastobo

    text = path.read_text(encoding="utf-8")
    try:
        doc: Any = fastobo.loads(text)
    except (SyntaxError, ValueError) as err:
        raise SourceError(path, None, f"import module does not parse as OBO: {err}") from err
    facts: dict[str, str] = {}
    version = _header_version(text)
    for line in text.splitlines():
        if line.startswith("[") or line.startswith("id: "):
            break
        match = _REMARK.match(line)
        if match:
            facts[match.group(1)] = match.group(2)
    module = _module(path, version, facts)
    starts = _frame_lines(text)
    for frame in doc:
        if type(frame).__name__ != "TermFrame":
            continue
        fid = str(frame.id)
        label, obsolete = None, False
        is_a: list[str] = []
        part_of: list[str] = []
        replaced: list[str] = []
        for clause in frame:
            kind = type(clause).__name__
            if kind == "NameClause":
                label = str(clause.name)
            elif kind == "IsAClause":
                is_a.append(str(clause.term))
            elif kind == "RelationshipClause" and str(clause.typedef) in ("part_of", "BFO:0000050"):
                part_of.append(str(clause.term))
            elif kind == "IsObsoleteClause":
                obsolete = bool(clause.obsolete)
            elif kind == "ReplacedByClause":
                replaced.append(str(clause.term))
        module.terms[fid] = ModuleTerm(
            fid, starts.get(fid, 0), label, obsolete, tuple(is_a), tuple(part_of), tuple(replaced)
        )
    return module


def read_modules(ontology: Path) -> list[Module]:
    """Every module of ``ontology/imports``, read (``SourceError`` for one that does not parse)."""
    return [_read_module(path) for path in module_paths(ontology)]


def _module_graph(path: Path) -> Graph:
    name = module_name(path)
    graph = Graph(identifier=import_graph_iri(name))
    source = check_input(path)
    onto = read_ontology(source, "obo")
    header = _read_header(path)
    onto.url = header.url or None  # where the release file is read (rdfs:seeAlso)
    if onto.prefix not in ENTITY_PREFIXES:
        onto.prefix = ""  # DOID, ECO, RO: reference only, no kind (DOID:529 is not a 2nd name)
    report = ImportReport(name, str(graph.identifier), str(path), "obo", onto.version)

    def sink(data: bytes) -> None:
        for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES):
            graph.add(
                (to_rdflib_term(t.subject), to_rdflib_term(t.predicate), to_rdflib_term(t.object))
            )

    writer = Writer(sink, source)
    write_ontology(writer, onto, name, report)
    writer.flush()
    release = SOURCE[f"import-{name}"]
    module = header
    for predicate, value in (
        (OWL.versionInfo, module.release),
        (DCTERMS.description, f"source: {module.source}" if module.source else ""),
        (DCTERMS.license, module.licence),
        (RDFS.comment, f"refresh: {module.refresh}" if module.refresh else ""),
    ):
        if value:
            graph.add((release, predicate, Literal(value)))
    return graph


def _read_header(path: Path) -> Module:
    facts: dict[str, str] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("["):
                break
            match = _REMARK.match(line.rstrip("\n"))
            if match:
                facts[match.group(1)] = match.group(2)
    return _module(path, "", facts)


def module_graphs(ontology: Path) -> list[Graph]:
    """One graph per module of ``ontology/imports``, named ``graph:import/<name>``."""
    return [_module_graph(path) for path in module_paths(ontology)]

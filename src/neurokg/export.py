"""Releases: the built dataset in standard RDF formats, KGX tables and release metadata.

Consumes: a ``KnowledgeGraph`` (build.py), a selection (approved claims only, or every claim with
its status), a release date and an optional knowledge-source identifier for the KGX tables.
Produces: files in a release folder (``EXPORT_FORMATS``): ``neurokg.ttl``, ``neurokg.nt`` and
``neurokg.jsonld`` (+ ``context.jsonld``) hold the union of the content graphs; ``neurokg.trig`` and
``neurokg.nq`` keep the named graphs (schema, terms, sources, claims, direct, meta); ``KGX_FILES``
follow KGX / Biolink (kgx.py, docs/kgx.md); ``void.ttl`` describes the release (VoID + DCAT:
version, date, licence, triple counts per graph, imported ontology versions, SHA-256 of each file;
with ``Access``: publisher, each file's download URL, the SPARQL endpoint);
``SHA256SUMS`` lists every file for ``sha256sum -c``.
Policy: the same input gives byte-identical files: quads are sorted, blank nodes get labels from
their canonical form (``rdflib.compare.to_canonical_graph``), nothing reads the clock. The
release is written whole into a hidden folder beside ``dest`` and swapped in with one rename
(atomic.py), so a reader, or ``sha256sum -c SHA256SUMS``, sees the old release or the new one,
never a mix; a failed or killed export leaves the old release and no temporary file in it. The
destination must be a new folder (its parent must exist) or hold only a previous release's
files: anything else is an ``ExportError``, and so is a destination that is not a folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Final

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, XSD
from rdflib.term import Node

from . import resources
from .atomic import StagedFolder, write_atomically
from .build import KnowledgeGraph
from .errors import ExportError
from .kgx import DEFAULT_KNOWLEDGE_SOURCE, KGX_FILES, kgx_tables
from .namespaces import GRAPH_IRIS, META_GRAPH, NKG, PREFIX_MAP, RELEASE, compact
from .store import to_oxigraph_term

__all__ = [
    "EXPORT_FORMATS",
    "Access",
    "ExportFormat",
    "Release",
    "canonical_quads",
    "check_release_destination",
    "default_release_date",
    "export_release",
    "jsonld_document",
    "release_folder",
    "select_content",
    "write_atomically",
    "write_release",
]

Quad = tuple[Node, Node, Node, URIRef]
VOID: Final = Namespace("http://rdfs.org/ns/void#")
DCAT: Final = Namespace("http://www.w3.org/ns/dcat#")
SPDX: Final = Namespace("http://spdx.org/rdf/terms#")
FOAF: Final = Namespace("http://xmlns.com/foaf/0.1/")
LICENCE: Final = URIRef("https://creativecommons.org/licenses/by/4.0/")
#: Used when the graph has no dated claim: a fixed value, never today's clock.
FALLBACK_DATE: Final = date(1970, 1, 1)
_IANA: Final = "https://www.iana.org/assignments/media-types/"


#: Names a release folder may hold (from ``export`` or ``export --store``), besides the
#: ``.<name>.<random>`` temporary files older versions could leave.
RELEASE_FILES: Final = frozenset(
    {"neurokg.ttl", "neurokg.nt", "neurokg.jsonld", "neurokg.trig", "neurokg.nq"}
    | {"context.jsonld", "void.ttl", "SHA256SUMS"}
    | set(KGX_FILES)
)


def check_release_destination(dest: Path) -> Path:
    """The absolute folder a release to ``dest`` replaces; ``ExportError`` if it cannot be one:
    a file, a folder under a missing parent or a non-folder, a folder holding other files."""
    return _check_destination(dest, RELEASE_FILES)


def _check_destination(dest: Path, names: Collection[str]) -> Path:
    """The absolute release folder for ``dest``, or an ``ExportError`` saying what is wrong."""
    folder = Path(os.path.abspath(dest))
    if folder.is_symlink() and folder.is_dir():
        folder = folder.resolve()
    parent = folder.parent
    if not parent.is_dir():
        what = "is not a folder" if parent.exists() else "does not exist"
        raise ExportError(f"cannot write the release {dest}: {parent} {what}")
    if os.path.lexists(folder) and not folder.is_dir():
        raise ExportError(f"cannot write the release {dest}: it is a file, not a folder")
    if folder.is_dir():
        try:
            entries = sorted(p.name for p in folder.iterdir())
        except OSError as err:
            raise ExportError(f"cannot read the release folder {dest}: {err.strerror}") from err
        leftovers = re.compile(r"^\.(" + "|".join(map(re.escape, sorted(names))) + r")\.\w+$")
        foreign = [n for n in entries if n not in names and not leftovers.match(n)]
        if foreign:
            listed = ", ".join(foreign[:5]) + (", ..." if len(foreign) > 5 else "")
            raise ExportError(
                f"{dest} holds files that are not part of a neurokg release ({listed}); "
                "choose a new or empty folder (the whole folder is replaced)"
            )
    return folder


@contextmanager
def release_folder(dest: Path) -> Iterator[Path]:
    """A hidden folder beside ``dest`` to write a release into; on success it replaces ``dest``
    whole (see the module policy). Raises ``ExportError``."""
    folder = _check_destination(dest, RELEASE_FILES)
    try:
        with StagedFolder(folder) as staging:
            yield staging
    except OSError as err:
        raise ExportError(f"cannot write the release {dest}: {err.strerror or err}") from err


def write_release(dest: Path, files: Mapping[str, bytes]) -> Path:
    """Write ``files`` (name -> bytes) as the release folder ``dest``, all or nothing."""
    with release_folder(dest) as staging:
        for name, data in files.items():
            (staging / name).write_bytes(data)
    return dest


# ---------------------------------------------------------------- selection


def _approved_claims(claims: Graph) -> set[Node]:
    return set(claims.subjects(NKG.curationStatus, NKG.Approved))


def select_content(kg: KnowledgeGraph, *, all_claims: bool = False) -> KnowledgeGraph:
    """Return a new ``KnowledgeGraph`` with the release content and a fresh meta graph.

    Approved (the default): schema, terms and direct layer whole; the approved claims with their
    derivations; the sources they cite, the sources terms cite, every reference resource; the
    curators of those claims. ``all_claims``: every graph whole, claims keep their status.
    """
    dataset = Dataset(default_union=True)
    for prefix, namespace in PREFIX_MAP.items():
        dataset.bind(prefix, Namespace(namespace), override=True, replace=True)
    claims = kg.graph("claims")
    kept_claims = set(claims.subjects(RDF.type, NKG.Claim)) if all_claims else None
    if kept_claims is None:
        kept_claims = _approved_claims(claims)
    keep_claim_triple = _claim_filter(claims, kept_claims)
    keep_source = _source_filter(kg, claims, kept_claims, all_claims)
    for name, graph_iri in GRAPH_IRIS.items():
        target = dataset.graph(graph_iri)
        for s, p, o in kg.graph(name):
            if name == "claims" and not keep_claim_triple(s):
                continue
            if name == "sources" and not keep_source(s):
                continue
            target.add((s, p, o))
    selected = KnowledgeGraph(dataset, kg.version)
    _describe_selection(kg, selected, len(kept_claims), all_claims)
    return selected


def _claim_filter(claims: Graph, kept: set[Node]) -> Callable[[Node], bool]:
    derivations = {d for c in kept for d in claims.objects(c, PROV.qualifiedDerivation)}
    nodes = kept | derivations
    return nodes.__contains__


def _source_filter(
    kg: KnowledgeGraph, claims: Graph, kept: set[Node], all_claims: bool
) -> Callable[[Node], bool]:
    if all_claims:
        return lambda _node: True
    sources = kg.graph("sources")
    wanted: set[Node] = {o for c in kept for o in claims.objects(c, PROV.wasDerivedFrom)}
    wanted |= {o for c in kept for o in claims.objects(c, PROV.wasAttributedTo)}
    wanted |= {o for o in kg.graph("terms").objects(None, DCTERMS.source) if isinstance(o, URIRef)}
    wanted |= set(sources.subjects(RDF.type, NKG.ReferenceResource))
    return wanted.__contains__


def _describe_selection(
    kg: KnowledgeGraph, selected: KnowledgeGraph, claim_count: int, all_claims: bool
) -> None:
    meta = selected.dataset.graph(META_GRAPH)
    original = kg.dataset.graph(META_GRAPH)
    what = "every claim, with its curation status" if all_claims else "approved claims only"
    meta.add((RELEASE, RDF.type, NKG.Release))
    meta.add((RELEASE, OWL.versionInfo, Literal(kg.version)))
    for version in original.objects(RELEASE, NKG.ontologyVersion):
        meta.add((RELEASE, NKG.ontologyVersion, version))
    meta.add((RELEASE, NKG.contentHash, Literal(selected.content_hash())))
    meta.add((RELEASE, NKG.claimCount, Literal(claim_count)))
    meta.add((RELEASE, DCTERMS.description, Literal(f"neurokg release: {what}")))


def default_release_date(kg: KnowledgeGraph) -> date:
    """The latest curation date of any claim in ``kg``, else ``FALLBACK_DATE``."""
    dates = [
        o.toPython()
        for o in kg.graph("claims").objects(None, DCTERMS.date)
        if isinstance(o, Literal) and o.datatype == XSD.date
    ]
    valid = [d for d in dates if isinstance(d, date)]
    return max(valid) if valid else FALLBACK_DATE


# ---------------------------------------------------------------- canonical quads


def _graph_order(dataset: Dataset) -> list[URIRef]:
    names = [*GRAPH_IRIS.values(), META_GRAPH]
    return [name for name in names if len(dataset.graph(name)) > 0]


def canonical_quads(dataset: Dataset) -> list[Quad]:
    """Every quad of the named graphs, blank nodes relabelled ``b1``, ``b2`` ... stably, sorted.

    Labels come from each graph's canonical form, so equal graphs give equal labels whatever the
    labels they were built with; numbering runs over all graphs, so graphs never share a node.
    """
    quads: list[Quad] = []
    counter = 0
    for graph_iri in _graph_order(dataset):
        canonical = to_canonical_graph(dataset.graph(graph_iri))
        labels = sorted({str(t) for triple in canonical for t in triple if isinstance(t, BNode)})
        mapping: dict[str, BNode] = {}
        for label in labels:
            counter += 1
            mapping[label] = BNode(f"b{counter}")

        def relabel(term: Node, mapping: dict[str, BNode] = mapping) -> Node:
            return mapping[str(term)] if isinstance(term, BNode) else term

        quads.extend((relabel(s), p, relabel(o), graph_iri) for s, p, o in canonical)
    return sorted(quads, key=_quad_key)


def _quad_key(quad: Quad) -> tuple[str, str, str, str]:
    s, p, o, g = quad
    return (g.n3(), s.n3(), p.n3(), o.n3())


def _union_triples(quads: Iterable[Quad]) -> list[tuple[Node, Node, Node]]:
    content = set(GRAPH_IRIS.values())
    triples = {(s, p, o) for s, p, o, g in quads if g in content}
    return sorted(triples, key=lambda t: (t[0].n3(), t[1].n3(), t[2].n3()))


def _ox_resource(term: Node) -> ox.NamedNode | ox.BlankNode:
    converted = to_oxigraph_term(term)
    if isinstance(converted, ox.Literal):
        raise ExportError(f"a literal cannot be a subject or predicate: {term!r}")
    return converted


def _ox_triple(s: Node, p: Node, o: Node) -> ox.Triple:
    return ox.Triple(_ox_resource(s), ox.NamedNode(str(p)), to_oxigraph_term(o))


def _ox_quads(quads: Iterable[Quad]) -> list[ox.Quad]:
    result = []
    for s, p, o, g in quads:
        t = _ox_triple(s, p, o)
        result.append(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g)))
    return result


def _ox_triples(triples: Iterable[tuple[Node, Node, Node]]) -> list[ox.Triple]:
    return [_ox_triple(s, p, o) for s, p, o in triples]


def _serialize(
    items: Sequence[ox.Quad] | Sequence[ox.Triple],
    fmt: ox.RdfFormat,
    extra_prefixes: dict[str, str] | None = None,
) -> bytes:
    prefixes = None
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
        prefixes = dict(PREFIX_MAP) | (extra_prefixes or {})
    data = ox.serialize(items, format=fmt, prefixes=prefixes)
    assert isinstance(data, bytes)
    return data


# ---------------------------------------------------------------- JSON-LD


@cache
def context_document() -> str:
    """The text of the packaged JSON-LD context (``ontology/context.jsonld``)."""
    path = resources.data_dir("ontology") / "context.jsonld"
    return path.read_text(encoding="utf-8")


@cache
def _context_terms() -> tuple[dict[str, str], dict[str, str]]:
    """Short keys of the context: (IRI-valued property -> key, literal-valued property -> key)."""
    context = json.loads(context_document())["@context"]
    iri_keys: dict[str, str] = {}
    literal_keys: dict[str, str] = {}
    for key, value in context.items():
        if key.startswith("@") or not isinstance(value, dict) or value.get("@prefix"):
            continue
        iri = str(_expand_context_iri(value["@id"], context))
        (iri_keys if value.get("@type") == "@id" else literal_keys)[iri] = key
    return iri_keys, literal_keys


def _expand_context_iri(value: str, context: dict[str, object]) -> str:
    prefix, _, local = value.partition(":")
    definition = context.get(prefix)
    if isinstance(definition, dict) and isinstance(definition.get("@id"), str):
        return f"{definition['@id']}{local}"
    if isinstance(definition, str):
        return f"{definition}{local}"
    return value


_SAFE_LOCAL: Final = re.compile(r"^[A-Za-z0-9_.\-]*$")


def _node_ref(term: Node) -> str:
    """A blank node label, a CURIE, or the full IRI when the CURIE's local part is not plain.

    (rdflib's JSON-LD reader leaves ``doi:`` CURIEs with a slash in the local part
    unexpanded; full IRIs read the same everywhere.)
    """
    if isinstance(term, BNode):
        return f"_:{term}"
    curie = compact(str(term))
    _prefix, _, local = curie.partition(":")
    return curie if curie != str(term) and _SAFE_LOCAL.match(local) else str(term)


def _literal_value(term: Literal) -> object:
    if term.language:
        return {"@value": str(term), "@language": term.language}
    if term.datatype is not None and term.datatype != XSD.string:
        return {"@value": str(term), "@type": compact(str(term.datatype))}
    return str(term)


def _property_entry(predicate: Node, value: Node) -> tuple[str, object]:
    iri_keys, literal_keys = _context_terms()
    if isinstance(value, Literal):
        key = literal_keys.get(str(predicate))
        if key is not None:
            return key, _literal_value(value)
        literal = _literal_value(value)
        return compact(str(predicate)), literal if isinstance(literal, dict) else {
            "@value": literal
        }
    key = iri_keys.get(str(predicate))
    if key is not None:
        return key, _node_ref(value)
    return compact(str(predicate)), {"@id": _node_ref(value)}


def jsonld_document(triples: Sequence[tuple[Node, Node, Node]]) -> dict[str, object]:
    """A compact JSON-LD document of ``triples`` (sorted), with the context inlined."""
    nodes: dict[str, dict[str, list[object]]] = {}
    for s, p, o in triples:
        node = nodes.setdefault(_node_ref(s), {})
        if p == RDF.type and not isinstance(o, Literal):
            node.setdefault("type", []).append(_node_ref(o))
            continue
        key, value = _property_entry(p, o)
        node.setdefault(key, []).append(value)
    graph = []
    for ref in sorted(nodes):
        entry: dict[str, object] = {"id": ref}
        for key in sorted(nodes[ref], key=lambda k: (k != "type", k)):
            values = nodes[ref][key]
            entry[key] = values[0] if len(values) == 1 else values
        graph.append(entry)
    context = json.loads(context_document())["@context"]
    return {"@context": context, "@graph": graph}


def _jsonld_bytes(triples: Sequence[tuple[Node, Node, Node]]) -> bytes:
    text = json.dumps(jsonld_document(triples), indent=1, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


# ---------------------------------------------------------------- formats and the release


@dataclass(frozen=True)
class ExportFormat:
    """One file of a release: its name, media type and how to write it from sorted quads."""

    filename: str
    media_type: str
    write: Callable[[list[Quad]], bytes]


EXPORT_FORMATS: Final[dict[str, ExportFormat]] = {
    "turtle": ExportFormat(
        "neurokg.ttl",
        "text/turtle",
        lambda q: _serialize(_ox_triples(_union_triples(q)), ox.RdfFormat.TURTLE),
    ),
    "ntriples": ExportFormat(
        "neurokg.nt",
        "application/n-triples",
        lambda q: _serialize(_ox_triples(_union_triples(q)), ox.RdfFormat.N_TRIPLES),
    ),
    "jsonld": ExportFormat(
        "neurokg.jsonld", "application/ld+json", lambda q: _jsonld_bytes(_union_triples(q))
    ),
    "trig": ExportFormat(
        "neurokg.trig", "application/trig", lambda q: _serialize(_ox_quads(q), ox.RdfFormat.TRIG)
    ),
    "nquads": ExportFormat(
        "neurokg.nq",
        "application/n-quads",
        lambda q: _serialize(_ox_quads(q), ox.RdfFormat.N_QUADS),
    ),
}
METADATA_FILE: Final = "void.ttl"
CHECKSUM_FILE: Final = "SHA256SUMS"
CONTEXT_FILE: Final = "context.jsonld"


@dataclass(frozen=True)
class Release:
    """What an export wrote: the folder, each file's SHA-256, and triple counts per graph."""

    folder: Path
    iri: URIRef
    checksums: dict[str, str]
    counts: dict[str, int]


@dataclass(frozen=True)
class Access:
    """Where a release is published, for its VoID/DCAT description: who publishes it, the URL
    its files are served from (each file's ``dcat:downloadURL``, ``void:dataDump``) and the
    SPARQL endpoint that serves it (``void:sparqlEndpoint``, a ``dcat:DataService``). Each is
    written only when known: nothing here is guessed."""

    publisher: str | None = None
    base_url: str | None = None
    endpoint: str | None = None


def export_release(
    kg: KnowledgeGraph,
    dest: Path,
    *,
    all_claims: bool = False,
    release_date: date | None = None,
    formats: Sequence[str] | None = None,
    knowledge_source: str | None = None,
    access: Access | None = None,
) -> Release:
    """Write the release of ``kg`` into the folder ``dest`` and return what was written."""
    unknown = sorted(set(formats or ()) - {*EXPORT_FORMATS, "kgx"})
    if unknown:
        raise ExportError(f"unknown export format(s) {unknown}; choose from {export_choices()}")
    chosen = list(formats) if formats else export_choices()
    _check_destination(dest, RELEASE_FILES)  # before the work; checked again when writing
    when = release_date or default_release_date(kg)
    selected = select_content(kg, all_claims=all_claims)
    quads = canonical_quads(selected.dataset)
    files: dict[str, bytes] = {}
    for name in chosen:
        if name == "kgx":
            files.update(kgx_tables(selected, knowledge_source or DEFAULT_KNOWLEDGE_SOURCE))
            continue
        fmt = EXPORT_FORMATS[name]
        files[fmt.filename] = fmt.write(quads)
        if name == "jsonld":
            files[CONTEXT_FILE] = context_document().encode("utf-8")
    checksums = {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())}
    counts = _graph_counts(quads)
    release_iri = NKG[f"release/{kg.version}/{'all-claims' if all_claims else 'approved'}"]
    metadata = _metadata_graph(selected, release_iri, when, counts, checksums)
    _describe_access(metadata, release_iri, access or Access(), checksums)
    prefixes = {
        "void": str(VOID),
        "dcat": str(DCAT),
        "spdx": str(SPDX),
        "foaf": str(FOAF),
        "release": f"{release_iri}/",
    }
    files[METADATA_FILE] = _serialize(
        _ox_triples(_sorted_triples(metadata)), ox.RdfFormat.TURTLE, prefixes
    )
    checksums[METADATA_FILE] = hashlib.sha256(files[METADATA_FILE]).hexdigest()
    sums = "".join(f"{digest}  {name}\n" for name, digest in sorted(checksums.items()))
    files[CHECKSUM_FILE] = sums.encode("utf-8")
    write_release(dest, dict(sorted(files.items())))
    return Release(dest, release_iri, checksums, counts)


def export_choices() -> list[str]:
    """Every format name ``export_release`` accepts, in writing order."""
    return [*EXPORT_FORMATS, "kgx"]


def _graph_counts(quads: Sequence[Quad]) -> dict[str, int]:
    names = {iri: name for name, iri in GRAPH_IRIS.items()} | {META_GRAPH: "meta"}
    counts = dict.fromkeys(names.values(), 0)
    for *_, g in quads:
        counts[names[g]] += 1
    counts["union"] = len(_union_triples(quads))
    return counts


#: Files that are dumps of the whole release (``void:dataDump``).
_DUMPS: Final = ("neurokg.nt", "neurokg.ttl", "neurokg.nq", "neurokg.trig", "neurokg.jsonld")


def _url(text: str, what: str) -> URIRef:
    if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", text):
        raise ExportError(f"{what} {text!r} is not an http(s) URL")
    return URIRef(text)


def _describe_access(
    meta: Graph, release: URIRef, access: Access, checksums: Mapping[str, str]
) -> None:
    """Publisher, download URLs and endpoint of the release, those ``access`` knows."""
    if access.publisher:
        agent = URIRef(f"{release}#publisher")
        meta.add((release, DCTERMS.publisher, agent))
        meta.add((agent, RDF.type, FOAF.Agent))
        if access.publisher.startswith(("http://", "https://")):
            meta.add((agent, FOAF.homepage, _url(access.publisher, "--publisher")))
        else:
            meta.add((agent, FOAF.name, Literal(access.publisher)))
    if access.base_url:
        base = str(_url(access.base_url, "--base-url")).rstrip("/") + "/"
        meta.add((release, DCAT.landingPage, URIRef(base)))
        for filename in checksums:
            dist = URIRef(f"{release}/{filename}")
            meta.add((dist, DCAT.downloadURL, URIRef(base + filename)))
            meta.add((dist, DCAT.accessURL, URIRef(base)))
            if filename in _DUMPS:
                meta.add((release, VOID.dataDump, URIRef(base + filename)))
    if access.endpoint:
        endpoint = _url(access.endpoint, "--endpoint")
        service = URIRef(f"{release}#sparql")
        meta.add((release, VOID.sparqlEndpoint, endpoint))
        meta.add((service, RDF.type, DCAT.DataService))
        meta.add((service, DCAT.endpointURL, endpoint))
        meta.add((service, DCAT.servesDataset, release))
        meta.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))


def _sorted_triples(graph: Graph) -> list[tuple[Node, Node, Node]]:
    return sorted(graph, key=lambda t: (t[0].n3(), t[1].n3(), t[2].n3()))


def _metadata_graph(
    selected: KnowledgeGraph,
    release: URIRef,
    when: date,
    counts: dict[str, int],
    checksums: dict[str, str],
) -> Graph:
    """VoID and DCAT description of the release (no blank nodes, so no relabelling needed)."""
    meta = Graph()
    version = Literal(selected.version)
    for p, o in [
        (RDF.type, VOID.Dataset),
        (RDF.type, DCAT.Dataset),
        (DCTERMS.title, Literal("neurokg")),
        (
            DCTERMS.description,
            next(selected.dataset.graph(META_GRAPH).objects(RELEASE, DCTERMS.description)),
        ),
        (DCTERMS.license, LICENCE),
        (DCTERMS.issued, Literal(when.isoformat(), datatype=XSD.date)),
        (DCAT.version, version),
        (OWL.versionInfo, version),
        (VOID.triples, Literal(counts["union"])),
    ]:
        meta.add((release, p, o))
    names = {name: iri for name, iri in GRAPH_IRIS.items()} | {"meta": META_GRAPH}
    for name, graph_iri in names.items():
        meta.add((release, VOID.subset, graph_iri))
        meta.add((graph_iri, RDF.type, VOID.Dataset))
        meta.add((graph_iri, DCTERMS.title, Literal(name)))
        meta.add((graph_iri, VOID.triples, Literal(counts[name])))
    sources = selected.graph("sources")
    for resource in sorted(sources.subjects(RDF.type, NKG.ReferenceResource), key=str):
        meta.add((release, PROV.wasDerivedFrom, resource))
        meta.add((resource, RDF.type, NKG.ReferenceResource))
        for p in (DCTERMS.title, NKG.version, RDFS.seeAlso):
            for o in sources.objects(resource, p):
                meta.add((resource, p, o))
    media = {fmt.filename: fmt.media_type for fmt in EXPORT_FORMATS.values()}
    media |= {CONTEXT_FILE: "application/ld+json"} | KGX_FILES
    for filename, digest in checksums.items():
        dist = URIRef(f"{release}/{filename}")
        checksum = URIRef(f"{dist}#sha256")
        for s, p, o in [
            (release, DCAT.distribution, dist),
            (dist, RDF.type, DCAT.Distribution),
            (dist, DCTERMS.identifier, Literal(filename)),
            (dist, DCAT.mediaType, URIRef(_IANA + media[filename])),
            (dist, SPDX.checksum, checksum),
            (checksum, RDF.type, SPDX.Checksum),
            (checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256),
            (checksum, SPDX.checksumValue, Literal(digest, datatype=XSD.hexBinary)),
        ]:
            meta.add((s, p, o))
    return meta

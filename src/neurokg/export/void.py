"""The VoID and DCAT description of a release (``void.ttl``).

Consumes: the selected ``KnowledgeGraph``, the release IRI and date, triple counts per graph,
each file's SHA-256 and an ``Access`` (where the release is published, if known).
Produces: an rdflib ``Graph``: the release as a ``void:Dataset`` and ``dcat:Dataset`` (version,
date, licence, triple counts per graph, the imported ontology versions it was derived from),
each file as a ``dcat:Distribution`` with its media type and SHA-256 (``spdx:Checksum``); with
``Access``: publisher, each file's download URL and the SPARQL endpoint.
Policy: no blank nodes (every node is named after the release IRI), so the file needs no
relabelling; nothing reads the clock; what ``Access`` does not know is left out, never guessed,
and a URL that is not http(s) is an ``ExportError``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Final

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, XSD
from rdflib.term import Node

from ..build import KnowledgeGraph
from ..errors import ExportError
from ..kgx import KGX_FILES
from ..namespaces import GRAPH_IRIS, META_GRAPH, NKG, RELEASE
from .formats import CONTEXT_FILE, EXPORT_FORMATS

__all__ = [
    "DCAT",
    "FOAF",
    "LICENCE",
    "SPDX",
    "VOID",
    "Access",
    "describe_access",
    "metadata_graph",
    "sorted_triples",
]

VOID: Final = Namespace("http://rdfs.org/ns/void#")
DCAT: Final = Namespace("http://www.w3.org/ns/dcat#")
SPDX: Final = Namespace("http://spdx.org/rdf/terms#")
FOAF: Final = Namespace("http://xmlns.com/foaf/0.1/")
LICENCE: Final = URIRef("https://creativecommons.org/licenses/by/4.0/")
_IANA: Final = "https://www.iana.org/assignments/media-types/"


@dataclass(frozen=True)
class Access:
    """Where a release is published, for its VoID/DCAT description: who publishes it, the URL
    its files are served from (each file's ``dcat:downloadURL``, ``void:dataDump``) and the
    SPARQL endpoint that serves it (``void:sparqlEndpoint``, a ``dcat:DataService``). Each is
    written only when known: nothing here is guessed."""

    publisher: str | None = None
    base_url: str | None = None
    endpoint: str | None = None


#: Files that are dumps of the whole release (``void:dataDump``).
_DUMPS: Final = ("neurokg.nt", "neurokg.ttl", "neurokg.nq", "neurokg.trig", "neurokg.jsonld")


def _url(text: str, what: str) -> URIRef:
    if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", text):
        raise ExportError(f"{what} {text!r} is not an http(s) URL")
    return URIRef(text)


def describe_access(
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


def sorted_triples(graph: Graph) -> list[tuple[Node, Node, Node]]:
    return sorted(graph, key=lambda t: (t[0].n3(), t[1].n3(), t[2].n3()))


def metadata_graph(
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

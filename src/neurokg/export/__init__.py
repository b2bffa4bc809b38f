"""Releases: the built dataset in standard RDF formats, KGX tables and release metadata.

Consumes: a ``KnowledgeGraph`` (build/), a selection (approved claims only, or every claim with
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

Modules: selection (what a release holds), formats (canonical quads, the RDF files), jsonld (the
JSON-LD file and its context), void (the VoID/DCAT description, ``Access``), release (the
folder, ``export_release``).
"""

from __future__ import annotations

from ..atomic import write_atomically
from .formats import EXPORT_FORMATS, ExportFormat, canonical_quads
from .jsonld import jsonld_document
from .release import (
    Release,
    check_release_destination,
    export_choices,
    export_release,
    release_folder,
    write_release,
)
from .selection import default_release_date, select_content
from .void import LICENCE, VOID, Access

__all__ = [
    "EXPORT_FORMATS",
    "LICENCE",
    "VOID",
    "Access",
    "ExportFormat",
    "Release",
    "canonical_quads",
    "check_release_destination",
    "default_release_date",
    "export_choices",
    "export_release",
    "jsonld_document",
    "release_folder",
    "select_content",
    "write_atomically",
    "write_release",
]

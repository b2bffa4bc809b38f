"""Ontology imports: OBO (fastobo) and OWL (RDF/XML, Turtle, N-Triples; pyoxigraph) as terms.

Consumes: a ``CheckedFile`` (guards.py) holding an OBO or OWL ontology.
Produces: N-Triples of its classes through a ``Writer``: ``rdfs:label``, synonyms by scope
(``oboInOwl:has*Synonym``; type ``abbreviation`` becomes ``nkg:abbreviation`` with its axiom),
``oboInOwl:hasDbXref``, ``skos:definition``, ``rdfs:subClassOf``, ``BFO:0000050`` plus its
existential restriction, ``owl:deprecated``, ``IAO:0100001`` replaced by, ``oboInOwl:consider``,
the release node, and the ``nkg:lookupKey`` of each name the resolver reads.
Policy: text is copied as written; a text longer than the literal limit is refused. Terms get a
neurokg kind only below the root ``KIND_ROOTS`` names for their prefix (HP below HP:0000118 is a
clinical feature); obsolete terms keep their label and get no kind, so names never resolve to
them. OWL files are read as Turtle (``.ttl``), N-Triples (``.nt``) or else RDF/XML.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from ..errors import SourceError
from ..namespaces import NKG, OBO, OBOINOWL, PART_OF, PREFIX_MAP, REPLACED_BY
from ..resolve import lookup_key
from .guards import CheckedFile
from .ntriples import ImportReport, Writer, expand, literal, release_node, uri

__all__ = ["KIND_ROOTS", "OWL_FORMATS", "Ontology", "Term", "read_ontology", "write_ontology"]

#: Ontology prefix -> (neurokg kind class, root below which terms get that kind; None: all).
KIND_ROOTS: Final[dict[str, tuple[URIRef, str | None]]] = {
    "HP": (NKG.ClinicalFeature, "HP:0000118"),
    "MONDO": (NKG.Disease, "MONDO:0000001"),
    "UBERON": (NKG.AnatomicalSite, None),
    # the Human Disease Ontology classifies diseases only: every live class is one, so an
    # imported DOID class can be named in `ask` (DOID:2378 is a kind of DOID:2377)
    "DOID": (NKG.Disease, None),
    # MAxO 'medical action': "a clinically prescribed procedure, therapy, intervention, or
    # recommendation" (MAXO:0000001): the curated MAxO terms are procedures
    "MAXO": (NKG.Procedure, "MAXO:0000001"),
}
#: File suffix -> RDF format of an OWL import; any other suffix is read as RDF/XML.
OWL_FORMATS: Final = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES}
DEFINITION: Final = OBO["IAO_0000115"]
_SCOPES: Final = {
    "EXACT": OBOINOWL.hasExactSynonym,
    "RELATED": OBOINOWL.hasRelatedSynonym,
    "BROAD": OBOINOWL.hasBroadSynonym,
    "NARROW": OBOINOWL.hasNarrowSynonym,
}


@dataclass
class Term:
    """A class of an ontology, as read: names, links and status, before it is written."""

    iri: str
    label: str | None = None
    synonyms: list[tuple[str, str, str | None]] = field(default_factory=list)
    xrefs: list[str] = field(default_factory=list)
    definition: str | None = None
    is_a: list[str] = field(default_factory=list)
    part_of: list[str] = field(default_factory=list)
    obsolete: bool = False
    replaced_by: list[str] = field(default_factory=list)
    consider: list[str] = field(default_factory=list)


@dataclass
class Ontology:
    """An ontology release, as read: its prefix, version, title, terms, URL and licence."""

    prefix: str
    version: str
    title: str
    terms: list[Term]
    url: str | None = None
    license: str | None = None


def read_ontology(source: CheckedFile, fmt: str) -> Ontology:
    """Read the OBO (``fmt`` "obo") or OWL ontology in ``source``; refuse over-long texts."""
    onto = _read_obo(source.path) if fmt == "obo" else _read_owl(source.path)
    check = source.limits.check_literal
    for term in onto.terms:
        where = f"term {term.iri}"
        for text in (term.label or "", term.definition or "", *term.xrefs):
            check(source.path, text, where)
        for text, _scope, _type in term.synonyms:
            check(source.path, text, where)
    return onto


def _read_obo(path: Path) -> Ontology:
    import fastobo

    try:
        doc: Any = fastobo.load(str(path))
    except (SyntaxError, ValueError, OSError) as err:
        raise SourceError(path, None, f"cannot parse as OBO: {err}") from err
    version, license_ = "unknown", None
    for clause in doc.header:
        tag = clause.raw_tag()
        if tag == "data-version":
            version = str(clause.version)
        elif tag == "property_value" and "license" in clause.raw_value():
            license_ = clause.raw_value().split()[-1]
    terms = [_obo_term(path, frame) for frame in doc if type(frame).__name__ == "TermFrame"]
    prefix = Counter(t.iri.removeprefix(str(OBO)).split("_")[0] for t in terms).most_common(1)
    url = f"{OBO}{version}/{path.name}" if "/releases/" in version else None
    short = version.rsplit("/", 1)[-1]
    return Ontology(prefix[0][0] if prefix else "", short, path.name, terms, url, license_)


def _obo_term(path: Path, frame: Any) -> Term:
    term_iri = expand(str(frame.id))
    if term_iri is None:
        raise SourceError(path, None, f"term id {frame.id} is not a CURIE", str(frame.id))
    term = Term(term_iri)
    for clause in frame:
        kind = type(clause).__name__
        if kind == "NameClause":
            term.label = str(clause.name)
        elif kind == "SynonymClause":
            syn = clause.synonym
            stype = str(syn.type) if syn.type is not None else None
            term.synonyms.append((str(syn.desc), str(syn.scope), stype))
        elif kind == "XrefClause":
            term.xrefs.append(str(clause.xref.id))
        elif kind == "DefClause":
            term.definition = str(clause.definition)
        elif kind == "IsObsoleteClause":
            term.obsolete = bool(clause.obsolete)
        elif kind in ("IsAClause", "ReplacedByClause", "ConsiderClause"):
            target = expand(str(clause.term))
            if target is not None:
                {"IsAClause": term.is_a, "ReplacedByClause": term.replaced_by,
                 "ConsiderClause": term.consider}[kind].append(target)  # fmt: skip
        elif kind == "RelationshipClause" and str(clause.typedef) in ("part_of", "BFO:0000050"):
            target = expand(str(clause.term))
            if target is not None:
                term.part_of.append(target)
    return term


_OWL_TERMS: Final = """
SELECT ?c ?p ?o WHERE {
  ?c a owl:Class . FILTER(isIRI(?c))
  { ?c ?p ?o . FILTER(?p IN (rdfs:label, oboInOwl:hasExactSynonym, oboInOwl:hasRelatedSynonym,
      oboInOwl:hasBroadSynonym, oboInOwl:hasNarrowSynonym, oboInOwl:hasDbXref, owl:deprecated,
      obo:IAO_0000115, obo:IAO_0100001, oboInOwl:consider)) }
  UNION { ?c rdfs:subClassOf ?o . FILTER(isIRI(?o)) BIND(rdfs:subClassOf AS ?p) }
  UNION { ?c rdfs:subClassOf [ owl:onProperty obo:BFO_0000050 ; owl:someValuesFrom ?o ] .
          FILTER(isIRI(?o)) BIND(obo:BFO_0000050 AS ?p) }
}"""
_OWL_META: Final = """
SELECT ?p ?o WHERE { ?ont a owl:Ontology ; ?p ?o .
  FILTER(?p IN (owl:versionIRI, owl:versionInfo, dcterms:license, dcterms:title)) }"""


def _read_owl(path: Path) -> Ontology:
    fmt = OWL_FORMATS.get(path.suffix.lower(), ox.RdfFormat.RDF_XML)
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=fmt)
    except (SyntaxError, ValueError, OSError) as err:
        raise SourceError(path, None, f"cannot parse as {fmt.name}: {err}") from err
    prefixes = {**PREFIX_MAP, "obo": str(OBO), "dcterms": str(DCTERMS)}
    meta: dict[str, str] = {}
    for row in store.query(_OWL_META, prefixes=prefixes):  # type: ignore[union-attr]
        meta[row["p"].value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]] = row["o"].value
    terms: dict[str, Term] = {}
    for row in store.query(_OWL_TERMS, prefixes=prefixes):  # type: ignore[union-attr]
        term = terms.setdefault(row["c"].value, Term(row["c"].value))
        _owl_value(term, row["p"].value, row["o"].value)
    version = meta.get("versionInfo") or meta.get("versionIRI", "unknown")
    prefix = Counter(i.removeprefix(str(OBO)).split("_")[0] for i in terms).most_common(1)
    return Ontology(
        prefix[0][0] if prefix else "",
        version.rstrip("/").rsplit("/", 2)[-2] if version.startswith("http") else version,
        meta.get("title", path.name),
        list(terms.values()),
        meta.get("versionIRI"),
        meta.get("license"),
    )


def _owl_value(term: Term, p: str, o: str) -> None:
    scopes = {str(v): k for k, v in _SCOPES.items()}
    if p == str(RDFS.label):
        term.label = o
    elif p in scopes:
        term.synonyms.append((o, scopes[p], None))
    elif p == str(OBOINOWL.hasDbXref):
        term.xrefs.append(o)
    elif p == str(DEFINITION):
        term.definition = o
    elif p == str(OWL.deprecated):
        term.obsolete = o in ("true", "1")
    else:
        lists = {str(REPLACED_BY): term.replaced_by, str(OBOINOWL.consider): term.consider,
                 str(RDFS.subClassOf): term.is_a, str(PART_OF): term.part_of}  # fmt: skip
        lists[p].append(o)


def _kinds(onto: Ontology) -> dict[str, URIRef]:
    """Which terms get a neurokg kind: those below the prefix's root (KIND_ROOTS), not obsolete."""
    if onto.prefix not in KIND_ROOTS:
        return {}
    kind, root = KIND_ROOTS[onto.prefix]
    live = {t.iri for t in onto.terms if not t.obsolete}
    if root is None:
        return dict.fromkeys(live, kind)
    children: dict[str, list[str]] = defaultdict(list)
    for term in onto.terms:
        for parent in term.is_a:
            children[parent].append(term.iri)
    seen, stack = set(), [expand(root) or root]
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(children[node])
    return {t: kind for t in seen & live}


def write_ontology(w: Writer, onto: Ontology, name: str, report: ImportReport) -> None:
    extra = [(RDFS.seeAlso, w.iri(onto.url))] if onto.url else []
    if onto.license:
        extra.append((DCTERMS.license, literal(onto.license)))
    release = release_node(w, f"import-{name}", f"{onto.title} release {onto.version}",
                       onto.version, extra)  # fmt: skip
    kinds = _kinds(onto)
    label, source, sub = uri(RDFS.label), uri(DCTERMS.source), uri(RDFS.subClassOf)
    for t in onto.terms:
        node = w.iri(t.iri)
        w.add(node, uri(RDF.type), uri(OWL.Class))
        w.add(node, source, release)
        names: list[str] = []  # the names term_names reads, for their look-up keys
        if t.iri in kinds:
            w.add(node, uri(RDF.type), uri(kinds[t.iri]))
        if t.label is not None:
            w.add(node, label, literal(t.label))
            names.append(t.label)
        for text, scope, stype in t.synonyms:
            if stype == "abbreviation":
                _abbreviation(w, node, text, onto.prefix)
                names.append(text)
            else:
                predicate = _SCOPES.get(scope, OBOINOWL.hasRelatedSynonym)
                w.add(node, uri(predicate), literal(text))
                if predicate == OBOINOWL.hasExactSynonym:
                    names.append(text)
        if t.iri in kinds:
            for key in dict.fromkeys(lookup_key(n) for n in names):
                w.add(node, uri(NKG.lookupKey), literal(key))
        for xref in t.xrefs:
            w.add(node, uri(OBOINOWL.hasDbXref), literal(xref))
        if t.definition:
            w.add(node, uri(SKOS.definition), literal(t.definition))
        for parent in t.is_a:
            w.add(node, sub, w.iri(parent))
        for whole in t.part_of:
            w.add(node, uri(PART_OF), w.iri(whole))
            restriction = w.new_bnode()
            w.add(node, sub, restriction)
            w.add(restriction, uri(RDF.type), uri(OWL.Restriction))
            w.add(restriction, uri(OWL.onProperty), uri(PART_OF))
            w.add(restriction, uri(OWL.someValuesFrom), w.iri(whole))
        if t.obsolete:
            report.obsolete += 1
            w.add(node, uri(OWL.deprecated), literal("true", str(XSD.boolean)))
        for other in t.replaced_by:
            w.add(node, uri(REPLACED_BY), w.iri(other))
        for other in t.consider:
            w.add(node, uri(OBOINOWL.consider), w.iri(other))
        w.end_record()
    report.terms = len(onto.terms)


def _abbreviation(w: Writer, node: str, text: str, prefix: str) -> None:
    w.add(node, uri(NKG.abbreviation), literal(text))
    axiom = w.new_bnode()
    for p, o in [
        (RDF.type, uri(OWL.Axiom)),
        (OWL.annotatedSource, node),
        (OWL.annotatedProperty, uri(NKG.abbreviation)),
        (OWL.annotatedTarget, literal(text)),
        (NKG.abbreviationContext, literal(f"{prefix} synonym of type abbreviation")),
    ]:
        w.add(axiom, uri(p), o)

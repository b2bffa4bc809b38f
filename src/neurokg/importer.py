"""Import external knowledge: whole ontologies (OBO, OWL) and HPO disease annotations (HPOA).

Consumes: an OBO file (parsed by ``fastobo``), an OWL file (RDF/XML, Turtle, N-Triples; parsed by
pyoxigraph) or an HPO annotation file (``phenotype.hpoa``); optionally a ``pyoxigraph.Store``.
Produces: one named graph per import, ``graph:import/<name>``, holding the terms or claims in the
vocabulary the curated graph uses (``rdfs:label``, ``oboInOwl:hasExactSynonym``,
``oboInOwl:hasDbXref``, ``rdfs:subClassOf``, ``BFO:0000050`` plus its existential restriction,
``owl:deprecated``, ``IAO:0100001`` replaced by; claims as in build.py) and a release node, the
``nkg:ReferenceResource`` the graph was read from, with its version, file name and SHA-256.
``import_obo``/``import_owl``/``import_hpoa`` return an rdflib ``Graph`` (small files, tests);
``import_into_store`` streams N-Triples into a store without building rdflib objects.
Policy: content is not altered (the HPO licence asks for that): labels, synonyms and cross-
references are copied as written; a synonym whose OBO type is ``abbreviation`` becomes an
``nkg:abbreviation`` so that the name resolver ranks it as one; each name the resolver reads gets
its ``nkg:lookupKey`` (resolve.lookup_key), so a typed name is found by index. Terms are typed with
a neurokg kind only below a documented root (HP below HP:0000118 'Phenotypic abnormality' is a
clinical feature); obsolete terms keep their label and get no kind, so names never resolve to them.
HPOA rows of aspect P become claims ``disease RO:0004029 HP-term``, status approved (curated by
HPO, not by neurokg: the HPO release is the ``nkg:ReferenceResource`` of support 1, the row's
references support 2..n), polarity from ``qualifier`` (NOT -> negative), evidence IEA/PCS/TAS
mapped to ECO (``EVIDENCE_CODES``); qualifiers: an n/m frequency as
``nkg:frequencyNumerator``/``Denominator``, a percentage as ``nkg:frequencyPercent``, an HP
frequency term as ``nkg:frequencyTerm``, the onset (an HP term) as ``nkg:onset`` text, the sex as
``nkg:population``; the whole row, verbatim, is the excerpt of support 1. Rows of other aspects
(inheritance, clinical course, modifiers, history) are counted and skipped. Claim IRIs hash the
row's key fields, so a re-import gives the same IRIs. Imported terms link to curated ones by
identifier (same IRI) and by cross-reference (``skos:closeMatch``, in the import graph), never by
label.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from .errors import SourceError
from .namespaces import (
    AGENT,
    BIBO,
    CLAIM,
    CONVERTER,
    GRAPH,
    GRAPH_IRIS,
    HAS_EVIDENCE,
    NKG,
    OBO,
    OBOINOWL,
    PART_OF,
    PREFIX_MAP,
    RO,
    SOURCE,
)
from .resolve import lookup_key
from .store import to_rdflib_term

__all__ = [
    "EVIDENCE_CODES",
    "IMPORT_CONVERTER",
    "IMPORT_PREFIXES",
    "KIND_ROOTS",
    "ImportReport",
    "count_graphs",
    "import_graph_iri",
    "import_hpoa",
    "import_into_store",
    "import_obo",
    "import_owl",
    "link_terms",
]

#: Prefixes an import needs: all live in ``namespaces.PREFIX_MAP`` now, so one converter serves.
IMPORT_PREFIXES: Final[dict[str, str]] = {}
IMPORT_CONVERTER: Final = CONVERTER
#: HPOA evidence code -> ECO class (verified: see docs in benchmarks/README.md 'ECO mapping').
EVIDENCE_CODES: Final = {
    "IEA": "ECO:0000501",  # evidence used in automatic assertion
    "PCS": "ECO:0006017",  # author statement from published clinical study, manual assertion
    "TAS": "ECO:0000304",  # author statement supported by traceable reference, manual assertion
}
#: Ontology prefix -> (neurokg kind class, root below which terms get that kind; None: all).
KIND_ROOTS: Final[dict[str, tuple[URIRef, str | None]]] = {
    "HP": (NKG.ClinicalFeature, "HP:0000118"),
    "MONDO": (NKG.Disease, "MONDO:0000001"),
    "UBERON": (NKG.AnatomicalSite, None),
}
REPLACED_BY: Final = OBO["IAO_0100001"]
DEFINITION: Final = OBO["IAO_0000115"]
HAS_FEATURE: Final = RO["0004029"]
_SCOPES: Final = {
    "EXACT": OBOINOWL.hasExactSynonym,
    "RELATED": OBOINOWL.hasRelatedSynonym,
    "BROAD": OBOINOWL.hasBroadSynonym,
    "NARROW": OBOINOWL.hasNarrowSynonym,
}
_HPOA_COLUMNS: Final = (
    "database_id disease_name qualifier hpo_id reference evidence onset frequency sex modifier "
    "aspect biocuration"
).split()
_KEY_COLUMNS: Final = tuple(c for c in _HPOA_COLUMNS if c not in ("disease_name", "biocuration"))
_NAME_RE: Final = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_IRI_RE: Final = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|^`\\]+$")
_CURATOR_RE: Final = re.compile(r"^([^\[]+)(?:\[(\d{4}-\d{2}-\d{2})\])?$")
_FRACTION_RE: Final = re.compile(r"^(\d+)/(\d+)$")
_PERCENT_RE: Final = re.compile(r"^(\d+(?:\.\d+)?)%$")
_ESCAPES: Final = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_CHUNK: Final = 100_000  # list items (a triple or a block of triples) per chunk


def import_graph_iri(name: str) -> URIRef:
    """The named graph of the import ``name``: ``https://w3id.org/neurokg/graph/import/<name>``."""
    if not _NAME_RE.match(name):
        raise SourceError(name, None, "an import name is lower-case words joined by '-'")
    return GRAPH[f"import/{name}"]


@dataclass
class ImportReport:
    """What one import wrote: where, from which release, and how much."""

    name: str
    graph: str
    path: str
    fmt: str
    version: str
    triples: int = 0
    terms: int = 0
    obsolete: int = 0
    claims: int = 0
    negative: int = 0
    diseases: int = 0
    links: int = 0
    skipped: dict[str, int] = field(default_factory=dict)


# ------------------------------------------------------------------------- N-Triples writer
def _lit(text: str, datatype: str | None = None) -> str:
    quoted = f'"{text.translate(_ESCAPES)}"'
    return f"{quoted}^^<{datatype}>" if datatype else quoted


class _Writer:
    """Collects N-Triples lines and hands them to ``sink`` in chunks cut between records."""

    def __init__(self, sink: Callable[[bytes], None], path: Path):
        self.sink, self.path = sink, path
        self.lines: list[str] = []
        self.count = 0
        self.bnode = f"b{uuid.uuid4().hex[:12]}n"
        self.bnodes = 0

    def iri(self, value: str, line: int | None = None) -> str:
        if not _IRI_RE.match(value):
            raise SourceError(self.path, line, f"{value!r} does not make a valid IRI")
        return f"<{value}>"

    def new_bnode(self) -> str:
        self.bnodes += 1
        return f"_:{self.bnode}{self.bnodes}"

    def add(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} {p} {o} .\n")

    def end_record(self) -> None:
        if len(self.lines) >= _CHUNK:
            self.flush()

    def flush(self) -> None:
        if self.lines:
            data = "".join(self.lines).encode("utf-8")
            self.count += data.count(b"\n")
            self.sink(data)
            self.lines = []


def _u(node: URIRef) -> str:
    return f"<{node}>"


_URI_PREFIXES: Final = {
    name: record.uri_prefix
    for record in IMPORT_CONVERTER.records
    for name in (record.prefix, *record.prefix_synonyms)
}


def _expand_known(curie: str) -> str | None:
    """IRI of a CURIE whose prefix the import converter knows (synonyms included), else None."""
    prefix, sep, local = curie.partition(":")
    uri_prefix = _URI_PREFIXES.get(prefix) if sep and local else None
    return f"{uri_prefix}{local}" if uri_prefix is not None else None


def _expand(curie: str) -> str | None:
    """IRI of a CURIE: the import converter, else the OBO PURL convention (``PREFIX_LOCAL``)."""
    iri = _expand_known(curie)
    if iri is not None:
        return iri
    prefix, sep, local = curie.partition(":")
    if sep and prefix.isidentifier() and local:
        return f"{OBO}{prefix}_{local}"
    return None


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _release(
    w: _Writer, key: str, title: str, version: str, extra: Iterable[tuple[URIRef, str]]
) -> str:
    """The release node: the reference resource the import was read from."""
    node = _u(SOURCE[key])
    for p, o in [
        (RDF.type, _u(NKG.ReferenceResource)),
        (DCTERMS.title, _lit(title)),
        (DCTERMS.identifier, _lit(key)),
        (NKG.trustLevel, _lit("3", str(XSD.integer))),
        (NKG.version, _lit(version)),
        (NKG.contentHash, _lit(_file_sha256(w.path))),
        (DCTERMS.source, _lit(w.path.name)),
        *extra,
    ]:
        w.add(node, _u(p), o)
    return node


# ----------------------------------------------------------------------------- ontology terms
@dataclass
class _Term:
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
class _Ontology:
    prefix: str
    version: str
    title: str
    terms: list[_Term]
    url: str | None = None
    license: str | None = None


def _read_obo(path: Path) -> _Ontology:
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
    return _Ontology(prefix[0][0] if prefix else "", short, path.name, terms, url, license_)


def _obo_term(path: Path, frame: Any) -> _Term:
    term_iri = _expand(str(frame.id))
    if term_iri is None:
        raise SourceError(path, None, f"term id {frame.id} is not a CURIE", str(frame.id))
    term = _Term(term_iri)
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
            target = _expand(str(clause.term))
            if target is not None:
                {"IsAClause": term.is_a, "ReplacedByClause": term.replaced_by,
                 "ConsiderClause": term.consider}[kind].append(target)  # fmt: skip
        elif kind == "RelationshipClause" and str(clause.typedef) in ("part_of", "BFO:0000050"):
            target = _expand(str(clause.term))
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


def _read_owl(path: Path) -> _Ontology:
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".")) or ox.RdfFormat.RDF_XML
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=fmt)
    except (SyntaxError, ValueError, OSError) as err:
        raise SourceError(path, None, f"cannot parse as {fmt.name}: {err}") from err
    prefixes = {**PREFIX_MAP, "obo": str(OBO), "dcterms": str(DCTERMS)}
    meta: dict[str, str] = {}
    for row in store.query(_OWL_META, prefixes=prefixes):  # type: ignore[union-attr]
        meta[row["p"].value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]] = row["o"].value
    terms: dict[str, _Term] = {}
    for row in store.query(_OWL_TERMS, prefixes=prefixes):  # type: ignore[union-attr]
        term = terms.setdefault(row["c"].value, _Term(row["c"].value))
        _owl_value(term, row["p"].value, row["o"].value)
    version = meta.get("versionInfo") or meta.get("versionIRI", "unknown")
    prefix = Counter(i.removeprefix(str(OBO)).split("_")[0] for i in terms).most_common(1)
    return _Ontology(
        prefix[0][0] if prefix else "",
        version.rstrip("/").rsplit("/", 2)[-2] if version.startswith("http") else version,
        meta.get("title", path.name),
        list(terms.values()),
        meta.get("versionIRI"),
        meta.get("license"),
    )


def _owl_value(term: _Term, p: str, o: str) -> None:
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


def _kinds(onto: _Ontology) -> dict[str, URIRef]:
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
    seen, stack = set(), [_expand(root) or root]
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(children[node])
    return {t: kind for t in seen & live}


def _write_ontology(w: _Writer, onto: _Ontology, name: str, report: ImportReport) -> None:
    extra = [(RDFS.seeAlso, w.iri(onto.url))] if onto.url else []
    if onto.license:
        extra.append((DCTERMS.license, _lit(onto.license)))
    release = _release(w, f"import-{name}", f"{onto.title} release {onto.version}",
                       onto.version, extra)  # fmt: skip
    kinds = _kinds(onto)
    label, source, sub = _u(RDFS.label), _u(DCTERMS.source), _u(RDFS.subClassOf)
    for t in onto.terms:
        node = w.iri(t.iri)
        w.add(node, _u(RDF.type), _u(OWL.Class))
        w.add(node, source, release)
        names: list[str] = []  # the names term_names reads, for their look-up keys
        if t.iri in kinds:
            w.add(node, _u(RDF.type), _u(kinds[t.iri]))
        if t.label is not None:
            w.add(node, label, _lit(t.label))
            names.append(t.label)
        for text, scope, stype in t.synonyms:
            if stype == "abbreviation":
                _abbreviation(w, node, text, onto.prefix)
                names.append(text)
            else:
                predicate = _SCOPES.get(scope, OBOINOWL.hasRelatedSynonym)
                w.add(node, _u(predicate), _lit(text))
                if predicate == OBOINOWL.hasExactSynonym:
                    names.append(text)
        if t.iri in kinds:
            for key in dict.fromkeys(lookup_key(n) for n in names):
                w.add(node, _u(NKG.lookupKey), _lit(key))
        for xref in t.xrefs:
            w.add(node, _u(OBOINOWL.hasDbXref), _lit(xref))
        if t.definition:
            w.add(node, _u(SKOS.definition), _lit(t.definition))
        for parent in t.is_a:
            w.add(node, sub, w.iri(parent))
        for whole in t.part_of:
            w.add(node, _u(PART_OF), w.iri(whole))
            restriction = w.new_bnode()
            w.add(node, sub, restriction)
            w.add(restriction, _u(RDF.type), _u(OWL.Restriction))
            w.add(restriction, _u(OWL.onProperty), _u(PART_OF))
            w.add(restriction, _u(OWL.someValuesFrom), w.iri(whole))
        if t.obsolete:
            report.obsolete += 1
            w.add(node, _u(OWL.deprecated), _lit("true", str(XSD.boolean)))
        for other in t.replaced_by:
            w.add(node, _u(REPLACED_BY), w.iri(other))
        for other in t.consider:
            w.add(node, _u(OBOINOWL.consider), w.iri(other))
        w.end_record()
    report.terms = len(onto.terms)


def _abbreviation(w: _Writer, node: str, text: str, prefix: str) -> None:
    w.add(node, _u(NKG.abbreviation), _lit(text))
    axiom = w.new_bnode()
    for p, o in [
        (RDF.type, _u(OWL.Axiom)),
        (OWL.annotatedSource, node),
        (OWL.annotatedProperty, _u(NKG.abbreviation)),
        (OWL.annotatedTarget, _lit(text)),
        (NKG.abbreviationContext, _lit(f"{prefix} synonym of type abbreviation")),
    ]:
        w.add(axiom, _u(p), o)


# ------------------------------------------------------------------------------------- HPOA
def _hpoa_rows(path: Path) -> Iterator[tuple[int, dict[str, str] | str]]:
    """Yield (line, header text) for '#' lines, then (line, row) for each annotation."""
    try:
        with path.open(encoding="utf-8") as handle:
            for number, raw in enumerate(handle, start=1):
                line = raw.rstrip("\n")
                if line.startswith("#"):
                    yield number, line
                elif line.startswith("database_id"):
                    if line.split("\t") != list(_HPOA_COLUMNS):
                        raise SourceError(path, number, "unexpected HPOA columns: " + line)
                elif line:
                    fields = line.split("\t")
                    if len(fields) != len(_HPOA_COLUMNS):
                        raise SourceError(
                            path, number, f"{len(fields)} columns, expected {len(_HPOA_COLUMNS)}"
                        )
                    yield number, dict(zip(_HPOA_COLUMNS, fields, strict=True))
    except (OSError, UnicodeDecodeError) as err:
        raise SourceError(path, None, f"cannot read the file: {err}") from err


_C: Final = {
    key: f"<{iri}>"
    for key, iri in {
        "type": RDF.type, "Claim": NKG.Claim, "identifier": DCTERMS.identifier,
        "subject": NKG.subject, "predicate": NKG.predicate, "object": NKG.object,
        "hasFeature": HAS_FEATURE, "polarity": NKG.polarity, "Negative": NKG.Negative,
        "Positive": NKG.Positive, "status": NKG.curationStatus, "Approved": NKG.Approved,
        "attributedTo": PROV.wasAttributedTo, "date": DCTERMS.date, "evidence": HAS_EVIDENCE,
        "derivedFrom": PROV.wasDerivedFrom, "qualifiedDerivation": PROV.qualifiedDerivation,
        "Derivation": PROV.Derivation, "entity": PROV.entity, "excerpt": NKG.excerpt,
        "excerptKind": NKG.excerptKind,
    }.items()
}  # fmt: skip
_ECO_IRIS: Final = {code: f"<{OBO}{eco.replace(':', '_')}>" for code, eco in EVIDENCE_CODES.items()}
#: The excerpt of supports 2..n: the row is HPO's statement; the reference is what HPO cites.
_CITED: Final = _lit("cited by the HPO annotation of support 1 (its reference column)")


class _Hpoa:
    """Writes HPOA rows as claims, one release node, diseases, sources and curators."""

    def __init__(self, w: _Writer, name: str, report: ImportReport):
        self.w, self.name, self.report = w, name, report
        self.release = _u(SOURCE[f"import-{name}"])
        self.meta: dict[str, str] = {}
        self.diseases: dict[str, str] = {}
        self.sources: dict[str, str] = {}
        self.agents: dict[str, str] = {}
        self.iris: dict[str, str] = {}
        self.seen: set[str] = set()
        self.skipped: Counter[str] = Counter()

    def header(self, line: str) -> None:
        key, _, value = line.lstrip("#").partition(":")
        self.meta[key.strip()] = value.strip()

    def row(self, number: int, row: dict[str, str]) -> None:
        if row["aspect"] != "P":
            self.skipped[f"aspect {row['aspect']}"] += 1
            return
        key = "\t".join(row[c] for c in _KEY_COLUMNS)
        claim_id = f"hpoa-{hashlib.sha256(key.encode()).hexdigest()[:20]}"
        if claim_id in self.seen:
            self.skipped["duplicate row"] += 1
            return
        self.seen.add(claim_id)
        w, claim_iri = self.w, f"{CLAIM}{claim_id}"
        node = f"<{claim_iri}>"
        disease = self._iri(row["database_id"], number)
        self.diseases.setdefault(disease, row["disease_name"])
        negative = row["qualifier"] == "NOT"
        agent, when = self._agent(row["biocuration"], number)
        eco = _ECO_IRIS.get(row["evidence"])
        if eco is None:
            raise SourceError(w.path, number, f"unknown evidence code {row['evidence']!r}")
        feature = self._iri(row["hpo_id"], number)
        date = _lit(when or self.meta.get("version", ""), str(XSD.date))
        lines = w.lines
        lines.append(
            f"{node} {_C['type']} {_C['Claim']} .\n"
            f'{node} {_C["identifier"]} "{claim_id}" .\n'
            f"{node} {_C['subject']} {disease} .\n"
            f"{node} {_C['predicate']} {_C['hasFeature']} .\n"
            f"{node} {_C['object']} {feature} .\n"
            f"{node} {_C['polarity']} {_C['Negative' if negative else 'Positive']} .\n"
            f"{node} {_C['status']} {_C['Approved']} .\n"
            f"{node} {_C['attributedTo']} {agent} .\n"
            f"{node} {_C['date']} {date} .\n"
            f"{node} {_C['evidence']} {eco} .\n"
        )
        self._qualifiers(node, row, number)
        text = _lit("\t".join(row[c] for c in _HPOA_COLUMNS))
        refs = [r.strip() for r in row["reference"].split(";") if r.strip()]
        supports = [(self.release, text, '"quote"')]
        supports += [(self._source(r, number), _CITED, '"summary"') for r in refs]
        for index, (source, excerpt, kind) in enumerate(supports, start=1):
            d = f"<{claim_iri}/support/{index}>"
            lines.append(
                f"{node} {_C['derivedFrom']} {source} .\n"
                f"{node} {_C['qualifiedDerivation']} {d} .\n"
                f"{d} {_C['type']} {_C['Derivation']} .\n"
                f"{d} {_C['entity']} {source} .\n"
                f"{d} {_C['evidence']} {eco} .\n"
                f"{d} {_C['excerpt']} {excerpt} .\n"
                f"{d} {_C['excerptKind']} {kind} .\n"
            )
        if not negative:
            lines.append(f"{disease} {_C['hasFeature']} {feature} .\n")
        self.report.claims += 1
        self.report.negative += negative
        w.end_record()

    def _iri(self, curie: str, number: int) -> str:
        cached = self.iris.get(curie)
        if cached is None:
            iri = _expand_known(curie)
            if iri is None:
                raise SourceError(self.w.path, number, f"unknown prefix in {curie!r}")
            cached = self.iris[curie] = self.w.iri(iri, number)
        return cached

    def _agent(self, biocuration: str, number: int) -> tuple[str, str | None]:
        match = _CURATOR_RE.match(biocuration.split(";")[0].strip())
        if match is None:
            raise SourceError(self.w.path, number, f"unreadable biocuration {biocuration!r}")
        curator, when = match.group(1), match.group(2)
        agent = self.agents.get(curator)
        if agent is None:
            slug = re.sub(r"[^A-Za-z0-9]+", "-", curator).strip("-").lower()
            agent = self.agents[curator] = _u(AGENT[f"hpo-{slug}"])
        return agent, when

    def _qualifiers(self, node: str, row: dict[str, str], number: int) -> None:
        w, freq = self.w, row["frequency"]
        fraction, percent = _FRACTION_RE.match(freq), _PERCENT_RE.match(freq)
        if fraction and int(fraction[1]) <= int(fraction[2]) and int(fraction[2]) > 0:
            w.add(node, _u(NKG.frequencyNumerator), _lit(fraction[1], str(XSD.nonNegativeInteger)))
            w.add(node, _u(NKG.frequencyDenominator), _lit(fraction[2], str(XSD.positiveInteger)))
        elif percent:
            w.add(node, _u(NKG.frequencyPercent), _lit(percent[1], str(XSD.decimal)))
        elif freq.startswith("HP:"):
            w.add(node, _u(NKG.frequencyTerm), self._iri(freq, number))
        elif freq:
            self.skipped["unreadable frequency (kept in the excerpt)"] += 1
        if row["onset"]:
            w.add(node, _u(NKG.onset), _lit(row["onset"]))
        if row["sex"]:
            w.add(node, _u(NKG.population), _lit(f"sex: {row['sex']}"))

    def _source(self, curie: str, number: int) -> str:
        node = self.sources.get(curie)
        if node is None:
            prefix, _, local = curie.partition(":")
            node = self.sources[curie] = self.w.iri(f"{SOURCE}{prefix.lower()}-{local}", number)
        return node

    def finish(self) -> None:
        w, version = self.w, self.meta.get("version", "unknown")
        url = self.meta.get("hpo-version")
        _release(w, f"import-{self.name}", f"HPO annotations ({w.path.name}) release {version}",
                 version, [(RDFS.seeAlso, w.iri(url))] if url else [])  # fmt: skip
        w.add(self.release, _u(NKG.claimCount), _lit(str(self.report.claims), str(XSD.integer)))
        for disease, label in self.diseases.items():
            for p, o in [(RDF.type, _u(OWL.Class)), (RDF.type, _u(NKG.Disease)),
                         (RDFS.label, _lit(label)), (NKG.lookupKey, _lit(lookup_key(label))),
                         (DCTERMS.source, self.release)]:  # fmt: skip
                w.add(disease, _u(p), o)
        for curie in sorted(self.sources):
            self._write_source(curie)
        for curator, agent in self.agents.items():
            w.add(agent, _u(RDF.type), _u(PROV.Agent))
            w.add(agent, _u(RDFS.label), _lit(curator))
        self.report.diseases = len(self.diseases)
        self.report.version = version
        self.report.skipped = dict(self.skipped)

    def _write_source(self, curie: str) -> None:
        w = self.w
        prefix, _, local = curie.partition(":")
        node = _u(SOURCE[f"{prefix.lower()}-{local}"])
        is_pmid = prefix == "PMID"
        kind = NKG.Publication if is_pmid else NKG.ReferenceResource
        target = _expand_known(curie)
        for p, o in [
            (RDF.type, _u(kind)),
            (DCTERMS.title, _lit(curie)),
            (DCTERMS.identifier, _lit(curie)),
            (NKG.trustLevel, _lit("2" if is_pmid else "3", str(XSD.integer))),
        ]:
            w.add(node, _u(p), o)
        if is_pmid:
            w.add(node, _u(BIBO.pmid), _lit(local))
        if target is not None:
            w.add(node, _u(RDFS.seeAlso), w.iri(str(target)))


# ------------------------------------------------------------------------------- entry points
_FORMATS: Final = ("obo", "owl", "hpoa")


def _format_of(path: Path, fmt: str | None) -> str:
    if fmt is not None:
        if fmt not in _FORMATS:
            raise SourceError(path, None, f"unknown import format {fmt!r}; use {_FORMATS}")
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


def _write(path: Path, fmt: str, name: str, sink: Callable[[bytes], None]) -> ImportReport:
    """Parse ``path`` and hand its N-Triples to ``sink``; return what was written."""
    report = ImportReport(name, str(import_graph_iri(name)), str(path), fmt, "unknown")
    w = _Writer(sink, path)
    if fmt == "hpoa":
        hpoa = _Hpoa(w, name, report)
        for number, item in _hpoa_rows(path):
            if isinstance(item, str):
                hpoa.header(item)
            else:
                hpoa.row(number, item)
        hpoa.finish()
    else:
        onto = _read_obo(path) if fmt == "obo" else _read_owl(path)
        report.version = onto.version
        _write_ontology(w, onto, name, report)
    w.flush()
    report.triples = w.count
    return report


def _to_graph(path: Path, fmt: str, name: str | None) -> Graph:
    graph = Graph(identifier=import_graph_iri(name or _default_name(path, fmt)))

    def sink(data: bytes) -> None:
        for triple in ox.parse(data, format=ox.RdfFormat.N_TRIPLES):
            graph.add(
                (to_rdflib_term(triple.subject), to_rdflib_term(triple.predicate),
                 to_rdflib_term(triple.object))
            )  # fmt: skip

    _write(path, fmt, graph.identifier.removeprefix(str(GRAPH["import/"])), sink)
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


def import_into_store(
    store: ox.Store, path: Path, *, fmt: str | None = None, name: str | None = None
) -> ImportReport:
    """Replace the graph ``graph:import/<name>`` of ``store`` with ``path``, then link terms.

    N-Triples go to the store in bulk chunks; no rdflib objects are made, so the full HPO
    annotation file imports in bounded memory.
    """
    fmt = _format_of(path, fmt)
    name = name or _default_name(path, fmt)
    graph = ox.NamedNode(str(import_graph_iri(name)))
    if store.contains_named_graph(graph):
        store.remove_graph(graph)

    def sink(data: bytes) -> None:
        store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)

    report = _write(path, fmt, name, sink)
    report.links = link_terms(store, graph)
    return report


def _subjects_objects(
    store: ox.Store, predicate: URIRef, obj: URIRef | None, graph: ox.NamedNode
) -> list[tuple[str, str]]:
    o = ox.NamedNode(str(obj)) if obj is not None else None
    return [
        (q.subject.value, q.object.value)
        for q in store.quads_for_pattern(None, ox.NamedNode(str(predicate)), o, graph)
        if isinstance(q.subject, ox.NamedNode) and not isinstance(q.object, ox.Triple)
    ]


def link_terms(store: ox.Store, graph: ox.NamedNode) -> int:
    """Link curated terms and the terms of import ``graph`` that a cross-reference joins.

    A curated term whose ``oboInOwl:hasDbXref`` names an imported term (``Orphanet:93958`` ->
    ``ORPHA:93958``), or an imported term whose cross-reference names a curated term, gets
    ``curated skos:closeMatch imported`` in ``graph``. Labels are never compared. Returns the
    number of links.
    """
    curated_graph = ox.NamedNode(str(GRAPH_IRIS["terms"]))
    curated = {t for t, _ in _subjects_objects(store, RDF.type, OWL.Class, curated_graph)}
    imported = {t for t, _ in _subjects_objects(store, RDF.type, OWL.Class, graph)}
    pairs: set[tuple[str, str]] = set()
    for term, xref in _subjects_objects(store, OBOINOWL.hasDbXref, None, curated_graph):
        target = _expand_known(xref.strip())
        if target is not None and str(target) in imported and str(target) != term:
            pairs.add((term, str(target)))
    for term, xref in _subjects_objects(store, OBOINOWL.hasDbXref, None, graph):
        target = _expand_known(xref.strip())
        if target is not None and str(target) in curated and str(target) != term:
            pairs.add((str(target), term))
    close = ox.NamedNode(str(SKOS.closeMatch))
    store.extend(ox.Quad(ox.NamedNode(a), close, ox.NamedNode(b), graph) for a, b in sorted(pairs))
    return len(pairs)


def count_graphs(store: ox.Store) -> dict[str, int]:
    """Number of triples in each named graph of ``store``."""
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    assert isinstance(rows, ox.QuerySolutions)
    return {str(row["g"].value): int(row["n"].value) for row in rows}

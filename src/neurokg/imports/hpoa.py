"""HPO annotation imports (``phenotype.hpoa``): one claim per phenotype row.

Consumes: a ``CheckedFile`` (guards.py) holding an HPOA file and a ``Writer``.
Produces: N-Triples of the claims, the release node, diseases, sources and curators.
Policy: rows of aspect P become claims ``disease RO:0004029 HP-term``, status approved (curated by
HPO, not by neurokg: the HPO release is the ``nkg:ReferenceResource`` of support 1, the row's
references support 2..n), polarity from ``qualifier`` (NOT -> negative), evidence IEA/PCS/TAS
mapped to ECO (``EVIDENCE_CODES``); qualifiers: an n/m frequency as
``nkg:frequencyNumerator``/``Denominator``, a percentage as ``nkg:frequencyPercent``, an HP
frequency term as ``nkg:frequencyTerm``, the onset (an HP term) as ``nkg:onset`` text, the sex as
``nkg:population``; the whole row, verbatim, is the excerpt of support 1 (so a row longer than
the literal limit is refused). Rows of other aspects (inheritance, clinical course, modifiers,
history) are counted and skipped. Claim IRIs hash the row's key fields, so a re-import gives the
same IRIs.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterator
from typing import Final

from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, XSD

from ..errors import SourceError
from ..namespaces import AGENT, BIBO, CLAIM, HAS_EVIDENCE, NKG, OBO, RO, SOURCE
from ..resolve import lookup_key
from .guards import CheckedFile
from .ntriples import ImportReport, Writer, expand_known, literal, release_node, uri

__all__ = ["EVIDENCE_CODES", "write_hpoa"]

#: HPOA evidence code -> ECO class (verified: see docs in benchmarks/README.md 'ECO mapping').
EVIDENCE_CODES: Final = {
    "IEA": "ECO:0000501",  # evidence used in automatic assertion
    "PCS": "ECO:0006017",  # author statement from published clinical study, manual assertion
    "TAS": "ECO:0000304",  # author statement supported by traceable reference, manual assertion
}
HAS_FEATURE: Final = RO["0004029"]
_HPOA_COLUMNS: Final = (
    "database_id disease_name qualifier hpo_id reference evidence onset frequency sex modifier "
    "aspect biocuration"
).split()
_KEY_COLUMNS: Final = tuple(c for c in _HPOA_COLUMNS if c not in ("disease_name", "biocuration"))
_CURATOR_RE: Final = re.compile(r"^([^\[]+)(?:\[(\d{4}-\d{2}-\d{2})\])?$")
_FRACTION_RE: Final = re.compile(r"^(\d+)/(\d+)$")
_PERCENT_RE: Final = re.compile(r"^(\d+(?:\.\d+)?)%$")


def write_hpoa(w: Writer, name: str, report: ImportReport) -> None:
    """Write the claims of the HPOA file ``w.source`` through ``w``, counting them in ``report``."""
    hpoa = _Hpoa(w, name, report)
    for number, item in _hpoa_rows(w.source):
        if isinstance(item, str):
            hpoa.header(item)
        else:
            hpoa.row(number, item)
    hpoa.finish()


def _hpoa_rows(source: CheckedFile) -> Iterator[tuple[int, dict[str, str] | str]]:
    """Yield (line, header text) for '#' lines, then (line, row) for each annotation."""
    path, limits = source.path, source.limits
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
                    limits.check_literal(path, line, f"line {number}")
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
_CITED: Final = literal("cited by the HPO annotation of support 1 (its reference column)")


class _Hpoa:
    """Writes HPOA rows as claims, one release node, diseases, sources and curators."""

    def __init__(self, w: Writer, name: str, report: ImportReport):
        self.w, self.name, self.report = w, name, report
        self.release = uri(SOURCE[f"import-{name}"])
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
        date = literal(when or self.meta.get("version", ""), str(XSD.date))
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
        text = literal("\t".join(row[c] for c in _HPOA_COLUMNS))
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
            iri = expand_known(curie)
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
            agent = self.agents[curator] = uri(AGENT[f"hpo-{slug}"])
        return agent, when

    def _qualifiers(self, node: str, row: dict[str, str], number: int) -> None:
        w, freq = self.w, row["frequency"]
        fraction, percent = _FRACTION_RE.match(freq), _PERCENT_RE.match(freq)
        if fraction and int(fraction[1]) <= int(fraction[2]) and int(fraction[2]) > 0:
            w.add(
                node, uri(NKG.frequencyNumerator), literal(fraction[1], str(XSD.nonNegativeInteger))
            )
            w.add(
                node, uri(NKG.frequencyDenominator), literal(fraction[2], str(XSD.positiveInteger))
            )
        elif percent:
            w.add(node, uri(NKG.frequencyPercent), literal(percent[1], str(XSD.decimal)))
        elif freq.startswith("HP:"):
            w.add(node, uri(NKG.frequencyTerm), self._iri(freq, number))
        elif freq:
            self.skipped["unreadable frequency (kept in the excerpt)"] += 1
        if row["onset"]:
            w.add(node, uri(NKG.onset), literal(row["onset"]))
        if row["sex"]:
            w.add(node, uri(NKG.population), literal(f"sex: {row['sex']}"))

    def _source(self, curie: str, number: int) -> str:
        node = self.sources.get(curie)
        if node is None:
            prefix, _, local = curie.partition(":")
            node = self.sources[curie] = self.w.iri(f"{SOURCE}{prefix.lower()}-{local}", number)
        return node

    def finish(self) -> None:
        w, version = self.w, self.meta.get("version", "unknown")
        url = self.meta.get("hpo-version")
        release_node(w, f"import-{self.name}", f"HPO annotations ({w.path.name}) release {version}",
                 version, [(RDFS.seeAlso, w.iri(url))] if url else [])  # fmt: skip
        w.add(self.release, uri(NKG.claimCount), literal(str(self.report.claims), str(XSD.integer)))
        for disease, label in self.diseases.items():
            for p, o in [(RDF.type, uri(OWL.Class)), (RDF.type, uri(NKG.Disease)),
                         (RDFS.label, literal(label)), (NKG.lookupKey, literal(lookup_key(label))),
                         (DCTERMS.source, self.release)]:  # fmt: skip
                w.add(disease, uri(p), o)
        for curie in sorted(self.sources):
            self._write_source(curie)
        for curator, agent in self.agents.items():
            w.add(agent, uri(RDF.type), uri(PROV.Agent))
            w.add(agent, uri(RDFS.label), literal(curator))
        self.report.diseases = len(self.diseases)
        self.report.version = version
        self.report.skipped = dict(self.skipped)

    def _write_source(self, curie: str) -> None:
        w = self.w
        prefix, _, local = curie.partition(":")
        node = uri(SOURCE[f"{prefix.lower()}-{local}"])
        is_pmid = prefix == "PMID"
        kind = NKG.Publication if is_pmid else NKG.ReferenceResource
        target = expand_known(curie)
        for p, o in [
            (RDF.type, uri(kind)),
            (DCTERMS.title, literal(curie)),
            (DCTERMS.identifier, literal(curie)),
            (NKG.trustLevel, literal("2" if is_pmid else "3", str(XSD.integer))),
        ]:
            w.add(node, uri(p), o)
        if is_pmid:
            w.add(node, uri(BIBO.pmid), literal(local))
        if target is not None:
            w.add(node, uri(RDFS.seeAlso), w.iri(str(target)))

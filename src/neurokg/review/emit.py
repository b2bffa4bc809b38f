"""Write an answer's statements as submitted claims, for curators (``review --emit-claims``).

Consumes: a ``Review``. Produces: YAML in the curated claims format (ontology/claims/*.yaml) that
``load_curation`` reads beside the curated folder and ``validate`` accepts.
Policy: every claim is ``submitted`` (an AI-written answer is never enough); its one support is
the answer (a source of kind ``ai_answer``) with evidence ECO:0000034 'author statement without
traceable support', the statement's own words as the quote and its citation marker as
``cited_as``. A statement gives one claim per proposition (relation to predicate: association
RO:0002610, causes RO:0003302, treats RO:0002302 for a drug or nkg:treatedByProcedure, kind of
rdfs:subClassOf, lesion in RO:0004026, presenting symptom RO:0004029 with its onset); a negated
one is negative; its context and an "N of M" count become qualifiers. A term only an import
module holds gets a term record (label and kind as the graph gives them, read in the release the
module is cut from), so the file loads. A statement with terms but no proposition becomes
management advice (nkg:hasManagementAdvice, its words as the object); one without any term of
the graph cannot be a claim and is listed in the header. Each claim's note
gives the review's verdict. Strings are written as JSON strings (valid YAML), so the output is
the same byte for byte for the same review.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Final

from .cues import Participant, Proposition
from .review import Review, StatementReview

__all__ = ["DEFAULT_CURATOR", "emit_claims"]

DEFAULT_CURATOR: Final = "neurokg-review"
_PREDICATES: Final = {
    "association": "RO:0002610",
    "causes": "RO:0003302",
    "is_a": "rdfs:subClassOf",
    "lesion_in": "RO:0004026",
    "presenting": "RO:0004029",
}
_CONDITIONS: Final = frozenset({"Disease", "ClinicalFeature", "Condition"})
_USED: Final = re.compile(r"^    (?:subject|object): (\S+)$")
#: The reference source (ontology/sources.yaml) of the release each import module is cut from.
_RELEASES: Final = {"HP": "HPO", "MONDO": "MONDO_MAP", "MAXO": "MAXO", "UBERON": "UB2021"}
_KINDS: Final = {
    "Disease": "disease",
    "ClinicalFeature": "clinical_feature",
    "AnatomicalSite": "anatomical_site",
    "Drug": "drug",
    "Procedure": "procedure",
}
_SOURCE_NOTE: Final = "AI-written answer, reviewed with neurokg review; not a source of evidence."


def _q(text: str) -> str:
    return json.dumps(" ".join(text.split()), ensure_ascii=True)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "answer"


def _id(participant: Participant, like: str | None = None) -> str:
    terms = participant.hit.terms
    chosen = next((t for t in terms if like is not None and t.kind == like), terms[0])
    return chosen.id


def _fields(p: Proposition) -> tuple[list[str], list[str]]:
    """The subject, predicate, object and polarity lines of a proposition, and its qualifiers."""
    subject, obj = p.subject, p.object
    if p.relation == "association" and obj.hit.terms[0].kind == "Disease":
        subject, obj = obj, subject
    if p.relation == "treats":
        drug = obj.hit.terms[0].kind == "Drug"
        predicate = "RO:0002302" if drug else "nkg:treatedByProcedure"
    else:
        predicate = _PREDICATES[p.relation]
    like = subject.hit.terms[0].kind if p.relation == "is_a" else None
    lines = [
        f"    subject: {_id(subject)}",
        f"    predicate: {predicate}",
        f"    object: {_id(obj, like)}",
    ]
    if p.negated:
        lines.append("    polarity: negative")
    qualifiers = []
    conditions = [c for c in p.context if c.hit.terms[0].kind in _CONDITIONS]
    if conditions:
        qualifiers.append(f"context: {_id(conditions[0])}")
    counts = [n for n in p.numbers if n.numerator is not None and n.denominator]
    if len(counts) == 1:
        qualifiers.append(f"frequency: {counts[0].numerator}/{counts[0].denominator}")
    if p.relation == "presenting":
        qualifiers.append('onset: "may be the presenting symptom"')
    return lines, qualifiers


def _claim_lines(
    claim_id: str, review: StatementReview, p: Proposition | None, source_key: str
) -> list[str]:
    statement = review.statement
    if p is None:
        usable = [h for h in review.hits if h.usable]
        first = next((h for h in usable if h.terms[0].kind in _CONDITIONS), usable[0])
        fields = [
            f"    subject: {first.terms[0].id}",
            "    predicate: nkg:hasManagementAdvice",
            f"    object_text: {_q(statement.text)}",
        ]
        qualifiers: list[str] = []
    else:
        fields, qualifiers = _fields(p)
    lines = [f"  - id: {claim_id}", *fields, "    status: submitted"]
    if qualifiers:
        lines.append("    qualifiers: {" + ", ".join(qualifiers) + "}")
    lines += ["    support:", f"      - source: {source_key}"]
    if statement.cited_as():
        lines.append(f'        cited_as: "{statement.cited_as()}"')
    lines.append(f"        quote: {_q(statement.text)}")
    verdict = review.verdict.replace("_", " ")
    lines.append(f"    note: {_q(f'neurokg review: {verdict}. {review.why}')}")
    return lines


def _claims(review: Review, source_key: str) -> tuple[list[str], list[str]]:
    """The claim records, and the statements that could not be one (no term of the graph)."""
    slug = _slug(source_key)
    body: list[str] = []
    skipped: list[str] = []
    for item in review.statements:
        propositions = [p for p in item.reading.propositions if p.relation != "part_of"]
        index = item.statement.index
        if propositions:
            for number, proposition in enumerate(propositions, start=1):
                suffix = f"-{number}" if len(propositions) > 1 else ""
                body += _claim_lines(f"{slug}-s{index:02d}{suffix}", item, proposition, source_key)
        elif any(h.usable for h in item.hits):
            body += _claim_lines(f"{slug}-s{index:02d}", item, None, source_key)
        else:
            skipped.append(str(index))
    return body, skipped


def _imported_terms(review: Review, body: list[str], curated: frozenset[str]) -> list[str]:
    """Term records for the terms the claims use that only an import module holds, so the
    emitted file loads: label and kind as the graph gives them, read in that module."""
    used = {m.group(1) for line in body for m in [_USED.match(line)] if m}
    records: dict[str, list[str]] = {}
    for item in review.statements:
        for hit in item.hits:
            for term in hit.terms:
                read_in = _RELEASES.get(term.id.split(":")[0])
                if term.id in used and term.iri not in curated and read_in is not None:
                    records[term.id] = [
                        f"  - id: {term.id}",
                        f"    kind: {_KINDS.get(term.kind, term.kind)}",
                        f"    label: {_q(term.label)}",
                        f"    read_in: [{read_in}]",
                    ]
    return [line for key in sorted(records) for line in records[key]]


def emit_claims(
    review: Review,
    *,
    curated_terms: frozenset[str] | None = None,
    source_key: str,
    when: date,
    source_url: str | None = None,
    curator: str | None = None,
    version: str = "unknown",
) -> str:
    """The review's statements as submitted claims (YAML text)."""
    body, skipped = _claims(review, source_key)
    terms = _imported_terms(review, body, curated_terms) if curated_terms is not None else []
    entry = (
        f"      - {{status: submitted, date: {when.isoformat()}, by: {curator or DEFAULT_CURATOR}, "
        'why: "submitted by neurokg review --emit-claims from an AI-written answer"}'
    )
    body = [out for line in body for out in (
        [line, "    history:", entry] if line == "    status: submitted" else [line]
    )]  # fmt: skip
    lines = [
        f"# Claims submitted from an AI-written answer by `neurokg review --emit-claims` "
        f"(neurokg {version}).",
        f"# Answer: {review.name} (sha256 {review.sha256}).",
        "# Every claim is submitted: a curator checks each against the literature before it may",
        "# be approved; the answer itself is never enough (its supports carry ECO:0000034).",
        f"# Statements not written (no term of the graph): {', '.join(skipped) or 'none'}.",
    ]
    if source_url is None:
        lines.append(
            f"# The source '{source_key}' must exist (kind ai_answer, with the url where the "
            "answer was read)."
        )
    if curator is None:
        lines += [
            "curators:",
            f"  - id: {DEFAULT_CURATOR}",
            '    name: "neurokg review (claims submitted from an AI-written answer)"',
        ]
    if source_url is not None:
        lines += [
            "sources:",
            f"  - key: {source_key}",
            "    kind: ai_answer",
            f"    title: {_q(review.question or review.name)}",
            f"    url: {_q(source_url)}",
            f"    note: {_q(_SOURCE_NOTE)}",
        ]
    if terms:
        lines += ["terms:", *terms]
    lines += [
        "defaults:",
        f"  curator: {curator or DEFAULT_CURATOR}",
        f"  date: {when.isoformat()}",
        "  support_evidence: ECO:0000034",
        "claims:" if body else "claims: []",
        *body,
    ]
    return "\n".join(lines) + "\n"

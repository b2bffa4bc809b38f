"""Query rows -> the values answers are made of: one reading of ``claim_summary``,
``claim_evidence``, ``release_info`` and ``release_graphs`` rows, shared by ``ask`` and ``review``.

Consumes: rows of those named queries (plain rows or rdflib rows: ``plain.py``), and a way to name
terms (label and ``TermRef`` lookups).
Produces: ``SourceView``, ``ClaimView`` (with its certainty) and the receipt dictionary.
Decides nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from .answer import ClaimView, SourceView
from .evidence import certainty_of_claim
from .plain import Iri, plain_value
from .prefixes import compact
from .resolve import TermRef

#: A row of a named query: plain values or rdflib terms (each read through ``str``).
Row = Mapping[str, object]

__all__ = [
    "KIND_NAMES",
    "QUALIFIERS",
    "STATUS_NAMES",
    "claim_view",
    "local",
    "receipt",
    "source_view",
]

#: The schema's source classes -> source kinds (curation.SOURCE_KINDS).
KIND_NAMES: Final = {
    "NarrativeReview": "narrative_review",
    "Letter": "letter",
    "CaseReport": "case_report",
    "CaseSeries": "case_series",
    "CohortStudy": "cohort_study",
    "ControlledTrial": "controlled_trial",
    "SystematicReview": "systematic_review",
    "Guideline": "guideline",
    "ReferenceResource": "reference",
    "AIWrittenAnswer": "ai_answer",
}
#: The schema's curation statuses -> the words curated YAML uses.
STATUS_NAMES: Final = {
    "Submitted": "submitted",
    "UnderReview": "under_review",
    "Approved": "approved",
    "Rejected": "rejected",
    "Deprecated": "deprecated",
}
QUALIFIERS: Final[tuple[str, ...]] = (
    "context",
    "target",
    "distinguished_from",
    "lesion_type",
    "population",
    "laterality",
    "outcome",
    "onset",
)


def local(node: object) -> str:
    """The last segment of an IRI: a claim's id, a class's local name."""
    return str(node).rsplit("/", 1)[-1]


def source_view(row: Row) -> SourceView:
    """One ``claim_evidence`` row as a ``SourceView``."""

    def opt(key: str) -> str | None:
        return str(row[key]) if key in row else None

    return SourceView(
        key=str(row["key"]),
        kind=KIND_NAMES.get(local(row["kind"]), "reference"),
        title=str(row["title"]),
        evidence=compact(str(row["evidence"])),
        excerpt=str(row["excerpt"]),
        excerpt_kind=str(row["excerpt_kind"]),
        authors=opt("authors"),
        journal=opt("journal"),
        year=opt("year"),
        pmid=opt("pmid"),
        doi=opt("doi"),
        url=opt("url"),
        cited_as=opt("cited_as"),
        design=opt("design"),
        indirect=opt("indirect"),
        publication_type=opt("publication_type"),
        standing=local(row["standing"]).lower() if "standing" in row else None,
    )


def claim_view(
    row: Row,
    evidence: Sequence[Row],
    label: Callable[[str], str],
    ref: Callable[[str, str], TermRef],
) -> ClaimView:
    """A ``claim_summary`` row and its ``claim_evidence`` rows as a ``ClaimView``, graded."""
    sources = tuple(source_view(r) for r in evidence)
    qualifiers: dict[str, str] = {
        k: (label(str(row[k])) if isinstance(plain_value(row[k]), Iri) else str(row[k]))
        for k in QUALIFIERS
        if k in row
    }
    frequency = (
        (int(str(row["frequency_n"])), int(str(row["frequency_d"])))
        if "frequency_n" in row and "frequency_d" in row
        else None
    )
    status = compact(str(row["status"])).removeprefix("nkg:")
    return ClaimView(
        id=local(row["claim"]),
        subject=ref(str(row["subject"]), "claim"),
        predicate=compact(str(row["predicate"])),
        object=ref(str(row["object"]), "claim") if "object" in row else None,
        status=STATUS_NAMES.get(status, status),
        polarity=compact(str(row["polarity"])).removeprefix("nkg:").lower(),
        sources=sources,
        certainty=certainty_of_claim((s.facts() for s in sources), frequency=frequency),
        route="direct",
        qualifiers=qualifiers,
        frequency=frequency,
        note=str(row["note"]) if "note" in row else None,
        object_text=str(row["object_text"]) if "object_text" in row else None,
    )


def receipt(
    release: Sequence[Row], graphs: Sequence[Row], version: str, queries: Sequence[str]
) -> dict[str, Any]:
    """Versions, and what identifies every graph an answer may read (``release_info`` and
    ``release_graphs`` rows), with the named queries run."""
    first = release[0] if release else None
    return {
        "neurokg_version": version,
        "graph_version": str(first["version"]) if first else None,
        "ontology_version": str(first["ontology_version"]) if first else None,
        "graph_sha256": str(first["content_hash"]) if first else None,
        "graphs": [
            {
                "release": compact(str(r["release"])),
                "what": str(r["what"]),
                "version": str(r["version"]),
                "sha256": str(r["sha256"]),
            }
            for r in graphs
        ],
        "queries": list(queries),
    }

"""The curated YAML records, defined once as pydantic models: the single definition from which the
loader's structural checks (``schema.check``), the editors' JSON Schema and the field reference
(``schema.generate``) all come.

Consumes: nothing. Produces: one model per record kind and ``CuratedFile``, the whole file.
Policy: the models say what a field is called, what type and vocabulary it takes, whether it is
required, and the identifier patterns a JSON Schema can state (PMID, DOI, ORCID, claim ids, keys).
What needs the graph's own data (known prefixes, source keys that exist, ECO classes, allowed
status transitions) is checked by parse.py, load.py and curate/history.py after the schema passes.
Each field's ``description`` is the field reference; ``errorMessage`` (read by the VS Code YAML
extension) is also the loader's message when a pattern does not match.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict, WithJsonSchema

__all__ = [
    "CURIE_PATTERN",
    "HISTORY_STATUSES",
    "MODELS",
    "PATTERN_MESSAGES",
    "STANDINGS",
    "Abbreviation",
    "Alternative",
    "Claim",
    "Convention",
    "CuratedFile",
    "Curator",
    "Defaults",
    "Edge",
    "EvidenceClass",
    "HistoryEntry",
    "LookAlike",
    "Obsolete",
    "PublicationType",
    "Qualifiers",
    "Source",
    "Standing",
    "Support",
    "Term",
]

#: Plain text as YAML gives it: a string, or a number or date YAML read unquoted.
Text = Annotated[
    str | int | float | date,
    WithJsonSchema({"type": ["string", "number"]}),
]
Texts = Annotated[
    list[str | int],
    WithJsonSchema({"type": "array", "items": {"type": ["string", "integer"]}}),
]
CURIE_PATTERN = r"^[A-Za-z][A-Za-z0-9_.-]*:[^\s<>\"{}|^`\\]+$"
Curie = Annotated[str, Field(pattern=CURIE_PATTERN)]
Day = Annotated[date, Strict(), WithJsonSchema({"type": "string", "format": "date"})]
Year = Annotated[int, Strict(), Field(ge=1800, le=2100)]

TermKind = Literal["disease", "clinical_feature", "anatomical_site", "drug", "procedure"]
SourceKind = Literal[
    "narrative_review",
    "letter",
    "case_report",
    "case_series",
    "cohort_study",
    "controlled_trial",
    "systematic_review",
    "guideline",
    "reference",
    "ai_answer",
]
Status = Literal["submitted", "under_review", "approved", "rejected", "deprecated"]
Predicate = Literal[
    "RO:0002610",
    "RO:0003302",
    "RO:0004029",
    "RO:0004026",
    "RO:0002302",
    "nkg:treatedByProcedure",
    "rdfs:subClassOf",
    "nkg:hasManagementAdvice",
]
Design = Literal[
    "definition",
    "controlled_trial",
    "cohort_study",
    "case_series",
    "case_report",
    "narrative_review",
    "letter",
    "expert_opinion",
    "reference",
    "ai_answer",
]
StandingStatus = Literal["current", "retracted", "superseded", "corrected"]
HISTORY_STATUSES: tuple[str, ...] = Status.__args__  # type: ignore[attr-defined]
STANDINGS: tuple[str, ...] = StandingStatus.__args__  # type: ignore[attr-defined]

_KEY = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
_PMID = r"^[1-9]\d{0,8}$"
_DOI = r"^10\.\d{4,9}/[^\s<>\"{}|^`\\]+$"
_URL = r"^https?://[^\s<>\"{}|^`\\]+$"
_FREQUENCY = r"^\d+/\d+$"
_ORCID = r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$"
_CLAIM_ID = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
#: pattern -> the message when a value does not match ({field} and {value} are filled in).
PATTERN_MESSAGES: dict[str, str] = {
    CURIE_PATTERN: "field {field!r}: {value!r} is not a CURIE (PREFIX:LOCAL_ID, with no space, "
    "quote or any of <>{{}}|^`\\)",
    _KEY: "{field} {value!r}: use letters, digits, '_', '.' or '-' (it becomes part of an IRI)",
    _PMID: "pmid {value!r} is not a PubMed identifier (digits only, no 'PMID:' prefix)",
    _DOI: "doi {value!r} is not a DOI (10.NNNN/...; no 'https://doi.org/' prefix)",
    _URL: "url {value!r} is not an http(s) address (doi.org and identifiers.org are)",
    _FREQUENCY: "frequency {value!r} must be 'N/M' with 0 <= N <= M, M > 0",
    _ORCID: "orcid {value!r} is not an ORCID iD (0000-0000-0000-000X, without https://orcid.org/)",
    _CLAIM_ID: "claim id must be lower-case words joined by '-' (it becomes part of an IRI)",
}


def _pattern(pattern: str) -> dict[str, Any]:
    """A pattern, with its message for editors (VS Code YAML reads ``errorMessage``)."""
    message = PATTERN_MESSAGES[pattern].replace("{value!r} ", "").replace("{field!r}", "value")
    message = message.replace("{field} ", "").replace("{{}}", "{}")
    return {"pattern": pattern, "json_schema_extra": {"errorMessage": message}}


def _f(description: str, **kwargs: Any) -> Any:
    """A field with its reference text (the field reference and the editors' hover)."""
    return Field(description=description, **kwargs)


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ------------------------------------------------------------------------------------ terms
class Abbreviation(_Record):
    """An abbreviation and the context in which it holds."""

    text: Text = _f("The abbreviation as written (e.g. 'MS').")
    context: Text = _f("Where the abbreviation holds (e.g. 'neurology').")


class Edge(_Record):
    """An is_a or part_of edge, with where it was read."""

    id: Curie = _f("The parent term (a CURIE).")
    source: Text = _f(
        "Where the edge was read: a source key, or 'curator: ...' for a textbook edge."
    )
    status: Literal["verified", "textbook", "decision"] = _f(
        "verified: asserted in the named release; textbook: anatomically true, not read as an "
        "axiom; decision: a modelling decision explained in the term's note.",
        default="verified",
    )


class Term(_Record):
    """A condition, clinical feature, anatomical site, drug or procedure (terms/*.yaml)."""

    id: Curie = _f("The identifier of the ontology that owns the term (MONDO, HP, UBERON ...).")
    kind: TermKind = _f("What the term is.")
    label: Text = _f("The label, as the owning ontology's release gives it.")
    read_in: Texts = _f("Source keys where the identifier and label were read.", min_length=1)
    synonyms: Texts | None = _f("Other names, as read.", default=None)
    abbreviations: list[Abbreviation] | None = _f(
        "Abbreviations, each with its context.", default=None
    )
    xrefs: Texts | None = _f(
        "Cross-references (PREFIX:ID: DOID, MeSH, UMLS, ICD-10 ...).", default=None
    )
    definition: Text | None = _f("The definition, as read in the owning ontology.", default=None)
    is_a: list[Edge] | None = _f("Parent classes (rdfs:subClassOf).", default=None)
    part_of: list[Edge] | None = _f("Wholes this site is part of (BFO:0000050).", default=None)
    note: Text | None = _f("A curator's note.", default=None)


# ---------------------------------------------------------------------------------- sources
class PublicationType(_Record):
    """PubMed's publication type, as read."""

    value: Text = _f("The publication type as PubMed gives it.")
    read_in: Text = _f("The page it was read on.")


class Standing(_Record):
    """Whether a source still stands: current, retracted, superseded or corrected (erratum)."""

    status: StandingStatus = _f(
        "current: no notice found; retracted: withdrawn by its journal or authors; superseded: "
        "replaced by a later source (name it in 'by'); corrected: an erratum or correction was "
        "published (the source stands as corrected)."
    )
    read_in: Text = _f(
        "Where the standing was read: the retraction notice, erratum or PubMed record "
        "(an address or a source key)."
    )
    by: Text | None = _f("For 'superseded': the key of the source that replaces it.", default=None)
    date: Day | None = _f("When the notice was published or read (YYYY-MM-DD).", default=None)
    note: Text | None = _f("What the notice says, in brief.", default=None)


class Source(_Record):
    """A publication, reference resource or AI-written answer (sources.yaml)."""

    key: str = _f(
        "A short key that claims and terms cite (becomes part of an IRI).",
        **_pattern(_KEY),
    )
    kind: SourceKind = _f("What kind of source it is (README 'Certainty' says where each starts).")
    title: Text = _f("The title, as read.")
    authors: Texts | None = _f(
        "Authors as read ('Surname Initials'); only those read.", default=None
    )
    journal: Text | None = _f("The journal's name.", default=None)
    year: Year | None = _f("Year of publication.", default=None)
    date: Day | None = _f("Date of publication (YYYY-MM-DD).", default=None)
    pmid: str | None = _f(
        "PubMed identifier: digits only, quoted, no 'PMID:' prefix.",
        default=None,
        **_pattern(_PMID),
    )
    doi: str | None = _f(
        "DOI (10.NNNN/...), without 'https://doi.org/'.",
        default=None,
        **_pattern(_DOI),
    )
    pmcid: Text | None = _f("PubMed Central identifier (PMC...).", default=None)
    volume: Text | None = _f("Volume.", default=None)
    issue: Text | None = _f("Issue.", default=None)
    pages: Text | None = _f("Pages or article number.", default=None)
    url: str | None = _f(
        "Where the source was read (http or https; required for reference and ai_answer).",
        default=None,
        **_pattern(_URL),
    )
    version: Text | None = _f("Version or release of a reference resource.", default=None)
    publisher: Text | None = _f("Publisher or site.", default=None)
    note: Text | None = _f("A curator's note.", default=None)
    cites: Texts | None = _f("Keys of sources this source cites.", default=None)
    publication_type: PublicationType | None = _f(
        "PubMed's publication type and where it was read.", default=None
    )
    standing: Standing | None = _f(
        "Retraction, supersession or correction, with where it was read. Absent: none recorded.",
        default=None,
    )


class Curator(_Record):
    """A curator or curation team, named by claims."""

    id: str = _f("The curator's id.", **_pattern(_KEY))
    name: Text = _f("The curator's or team's name.")
    note: Text | None = _f("A note (e.g. why no ORCID is recorded).", default=None)


# ----------------------------------------------------------------------------------- claims
class Qualifiers(_Record):
    """What the literature adds to a statement."""

    context: Curie | None = _f("A term the statement holds in.", default=None)
    lesion_site: Curie | None = _f("Where the lesion sits (an anatomical site).", default=None)
    target: Curie | None = _f("What a treatment targets.", default=None)
    distinguished_from: Curie | None = _f(
        "A condition the statement tells the subject apart from (a differential diagnosis); "
        "never an association.",
        default=None,
    )
    lesion_type: Text | None = _f("Kind of lesion, as read.", default=None)
    population: Text | None = _f("The population studied.", default=None)
    frequency: str | None = _f(
        "N/M: N of M patients.",
        default=None,
        **_pattern(_FREQUENCY),
    )
    laterality: Text | None = _f("Side, as read.", default=None)
    outcome: Text | None = _f("Outcome, as read.", default=None)
    onset: Text | None = _f("Onset, as read.", default=None)


class Support(_Record):
    """One source behind a claim: its evidence class and what it says."""

    source: Text = _f("The key of a source in sources.yaml.")
    evidence: Curie | None = _f(
        "The ECO evidence class (default: the file's defaults.support_evidence).", default=None
    )
    quote: Text | None = _f("A verbatim quote of what was read (or give 'summary').", default=None)
    summary: Text | None = _f("The curator's words for what was read (or 'quote').", default=None)
    cited_as: Text | None = _f("The source's own citation marker (e.g. '[2]').", default=None)
    design: Design | None = _f("What the study behind this statement did.", default=None)
    indirect: Text | None = _f("Why the support is indirect (rates certainty down).", default=None)


class HistoryEntry(_Record):
    """One status change of a claim: who, when and why (append-only)."""

    status: Status = _f("The status the claim took.")
    date: Day = _f("When (YYYY-MM-DD).")
    by: Text | None = _f(
        "Who made the change: a person's name or a curator id. Required for approved, "
        "rejected and deprecated.",
        default=None,
    )
    orcid: str | None = _f(
        "The ORCID of 'by', only when they gave it (0000-0000-0000-000X).",
        default=None,
        **_pattern(_ORCID),
    )
    why: Text = _f("Why the status changed.")


class Claim(_Record):
    """One statement with its sources, status and history (claims/*.yaml)."""

    id: str = _f(
        "Stable id: lower-case words joined by '-'; never reused or renamed.",
        **_pattern(_CLAIM_ID),
    )
    subject: Curie = _f("The subject term.")
    predicate: Predicate = _f("The relation (README 'Claim predicates').")
    object: Curie | None = _f("The object term (not with nkg:hasManagementAdvice).", default=None)
    object_text: Text | None = _f(
        "The advice text (only with nkg:hasManagementAdvice).", default=None
    )
    polarity: Literal["positive", "negative"] = _f(
        "negative: the literature says it does not hold.", default="positive"
    )
    status: Status = _f("Curation status; the last 'history' entry's status.")
    qualifiers: Qualifiers | None = _f("Qualifiers read in the literature.", default=None)
    support: list[Support] = _f("The sources behind the claim (at least one).")
    curator: Text | None = _f("Curator id (default: the file's defaults.curator).", default=None)
    date: Day | None = _f("Curation date (default: the file's defaults.date).", default=None)
    note: Text | None = _f("A curator's note.", default=None)
    history: list[HistoryEntry] = _f(
        "Every status change, oldest first; append only (neurokg curate writes it).", min_length=1
    )


class Defaults(_Record):
    """Values the claims of one file share."""

    curator: Text | None = _f("Curator id for claims that name none.", default=None)
    date: Day | None = _f("Curation date for claims that give none.", default=None)
    support_evidence: Curie | None = _f("ECO class for supports that give none.", default=None)


# ------------------------------------------------------------------------- lexicon, evidence
class Obsolete(_Record):
    """An obsolete identifier, refused wherever a curated record names a term."""

    id: Curie = _f("The obsolete identifier.")
    label: Text = _f("Its label in its release.")
    replaced_by: Curie | None = _f(
        "What its release says replaces it (never a guess).", default=None
    )
    consider: Texts | None = _f("What its release says to consider.", default=None)
    note: Text | None = _f("A note.", default=None)
    read_in: Texts = _f("Where it was read.")


class LookAlike(_Record):
    """A different concept with a similar name, code or abbreviation."""

    id: Curie | None = _f("Its identifier, if it has one.", default=None)
    label: Text = _f("Its label, as read.")
    names: Texts | None = _f("Names under which it is mistaken.", default=None)
    is_: Text = Field(alias="is", description="What it is, as read.")
    not_: Curie = Field(alias="not", description="The graph's term it is not.")
    note: Text | None = _f("A note.", default=None)
    read_in: Texts = _f("Where it was read.")


class Alternative(_Record):
    """A real class that could be read as a convention's concept."""

    id: Curie = _f("The class.")
    label: Text = _f("Its label.")
    note: Text | None = _f("A note.", default=None)
    read_in: Texts | None = _f("Where it was read.", default=None)


class Convention(_Record):
    """Which class the graph's claims use for a concept."""

    concept: Text = _f("The concept, in words.")
    use: Curie = _f("The class claims use.")
    alternatives: list[Alternative] = _f("The other real classes.", min_length=1)
    note: Text | None = _f("Why.", default=None)


class EvidenceClass(_Record):
    """An ECO class a support may use, with its parents."""

    id: Curie = _f("The ECO class.")
    label: Text = _f("Its label in the ECO release.")
    is_a: Texts | None = _f("Its ECO parents.", default=None)
    read_in: Texts = _f("The ECO release it was read in.")


# ------------------------------------------------------------------------------- the file
class CuratedFile(_Record):
    """One curated YAML file: any of these lists, and the claims' defaults."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="neurokg curated file",
        json_schema_extra={"$id": "https://w3id.org/neurokg/schema/neurokg-curation.schema.json"},
    )

    terms: list[Term] | None = _f("Conditions, features, sites, drugs, procedures.", default=None)
    sources: list[Source] | None = _f("Publications, references, AI answers.", default=None)
    curators: list[Curator] | None = _f("Curators that claims name.", default=None)
    claims: list[Claim] | None = _f("Statements with sources and history.", default=None)
    obsolete: list[Obsolete] | None = _f("Obsolete identifiers (refused).", default=None)
    look_alikes: list[LookAlike] | None = _f("Look-alike concepts (refused).", default=None)
    conventions: list[Convention] | None = _f("Which class claims use.", default=None)
    evidence_classes: list[EvidenceClass] | None = _f("ECO classes supports use.", default=None)
    defaults: Defaults | None = _f("Values the file's claims share.", default=None)


#: The record kinds load.py checks one by one: top-level key -> (model, how a record is named).
MODELS: dict[str, tuple[type[BaseModel], str]] = {
    "terms": (Term, "term"),
    "sources": (Source, "source"),
    "curators": (Curator, "curator"),
    "claims": (Claim, "claim"),
    "obsolete": (Obsolete, "obsolete identifier"),
    "look_alikes": (LookAlike, "look-alike"),
    "conventions": (Convention, "convention"),
    "evidence_classes": (EvidenceClass, "evidence class"),
}

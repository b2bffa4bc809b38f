"""The words of an answer follow its certainty (README 'Certainty'): never stronger than the grade.

Consumes: the direction of an answer (yes / no / unknown), its relation, its certainty and the
claims that decide it. Produces: the headline word(s) and a one-paragraph summary. Decides nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from .evidence import Certainty

if TYPE_CHECKING:
    from .answer import ClaimView, SourceView
    from .resolve import TermRef

__all__ = ["cite", "headline", "roles_phrase", "summary"]

_YES: Final = ("REPORTED, VERY UNCERTAIN", "POSSIBLY", "PROBABLY", "YES")
_NO: Final = ("NOT FOUND, VERY UNCERTAIN", "POSSIBLY NOT", "PROBABLY NOT", "NO")
_LINKED: Final = (
    "A link between {a} and {b} has been reported, but the evidence is very uncertain",
    "{a} and {b} may be associated",
    "{a} and {b} are probably associated",
    "{a} and {b} are associated",
)
_UNLINKED: Final = (
    "A report found no link between {a} and {b}, but the evidence is very uncertain",
    "{a} and {b} may not be associated",
    "{a} and {b} are probably not associated",
    "{a} and {b} are not associated",
)
_TREATS: Final = (
    "{treatment} has been reported to treat {condition}, but the evidence is very uncertain",
    "{treatment} may treat {condition}",
    "{treatment} probably treats {condition}",
    "{treatment} treats {condition}",
)
_DOES_NOT_TREAT: Final = (
    "A report found that {treatment} does not treat {condition}, but the evidence is very "
    "uncertain",
    "{treatment} may not treat {condition}",
    "{treatment} probably does not treat {condition}",
    "{treatment} does not treat {condition}",
)
_TREATMENT_PREDICATES: Final = frozenset({"RO:0002302", "nkg:treatedByProcedure"})
_RELATIONS: Final = {"kind_of": "A KIND OF", "part_of": "PART OF"}
#: A negative claim negates exactly its own predicate, worded by certainty level (very low
#: first; level 0 is framed as "A report says that ..., but the evidence is very uncertain").
_NEGATED: Final[dict[str, tuple[str, str, str, str]]] = {
    "RO:0002610": (
        "is not correlated with",
        "may not be correlated with",
        "is probably not correlated with",
        "is not correlated with",
    ),
    "RO:0003302": (
        "does not cause or contribute to",
        "may not cause or contribute to",
        "probably does not cause or contribute to",
        "does not cause or contribute to",
    ),
    "RO:0004029": (
        "does not have the feature",
        "may not have the feature",
        "probably does not have the feature",
        "does not have the feature",
    ),
    "RO:0004026": (
        "has no consistent lesions in",
        "may have no consistent lesions in",
        "probably has no consistent lesions in",
        "has no consistent lesions in",
    ),
    "RO:0002302": (
        "is not treated by",
        "may not be treated by",
        "is probably not treated by",
        "is not treated by",
    ),
    "nkg:treatedByProcedure": (
        "is not treated by procedure",
        "may not be treated by procedure",
        "is probably not treated by procedure",
        "is not treated by procedure",
    ),
    "rdfs:subClassOf": (
        "is not a kind of",
        "may not be a kind of",
        "is probably not a kind of",
        "is not a kind of",
    ),
}
#: What a negative claim of a relation other than association rules out.
_RULES_OUT: Final = {
    "rdfs:subClassOf": "a subtype relation",
    "RO:0003302": "a causal role",
    "RO:0004029": "the feature as part of the condition",
}
#: At most this many counts in a summary; the rest are in the claims listed below it.
_MAX_COUNTS: Final = 2


#: A qualifier's role in a claim that names both terms asked about, by the local name of its
#: nkg: property, in words (named query ``claims_naming_both``; subject and object are the other
#: side and are not said).
_ROLES: Final = {
    "target": "a treatment's target",
    "context": "the condition a finding was made in",
    "lesionSite": "a lesion site",
    "distinguishedFrom": "a condition to tell apart",
}


def roles_phrase(roles: set[str]) -> str:
    """The roles (local names) of the claims naming both terms, in words, in a fixed order:
    only those found."""
    return ", ".join(words for name, words in _ROLES.items() if name in roles) or "a qualifier"


def headline(answer: str, relation: str, certainty: Certainty | None) -> str:
    """``YES: PART OF``, ``PROBABLY``, ``REPORTED, VERY UNCERTAIN``, ``NOT KNOWN`` ..."""
    if relation in _RELATIONS and answer == "yes":
        return f"YES: {_RELATIONS[relation]}"
    if answer == "unknown" or certainty is None:
        return "NOT KNOWN"
    words = _YES if answer == "yes" else _NO
    return words[certainty.level]


def summary(
    answer: str,
    deciding: Sequence[ClaimView],
    certainty: Certainty | None,
    a: TermRef,
    b: TermRef,
    aside: Sequence[ClaimView] = (),
) -> str:
    """One paragraph: what was found, in words no stronger than ``certainty``.

    ``aside``: approved negative claims of another relation than an association ("not a kind
    of"): said in their own words, never as "no link", and they decide nothing.
    """
    after = _aside(aside)
    if answer == "unknown" or certainty is None or not deciding:
        if after:
            return (
                f"Not known whether {a.label} and {b.label} are associated: no approved claim "
                f"from the literature reports an association or its absence.{after}"
            )
        return (
            f"Not known: no approved claim from the literature states an association between "
            f"{a.label} and {b.label}."
        )
    n_sources = len({s.key for c in deciding for s in c.sources if s.kind != "ai_answer"})
    treatments = [c for c in deciding if c.predicate in _TREATMENT_PREDICATES and c.object]
    counted = [
        c
        for c in deciding
        if c.frequency and c.polarity == "positive" and c.predicate not in _TREATMENT_PREDICATES
    ]
    defined = [
        c
        for c in deciding
        if c.object
        and c.polarity == "positive"
        and any(s.design == "definition" for s in c.sources)
    ]
    if answer == "yes" and defined and certainty.level == 3:
        claim = defined[0]
        assert claim.object is not None
        text = f"By definition, {claim.subject.label} includes {claim.object.label}"
    elif treatments and len(treatments) == len(deciding):
        claim, phrases = treatments[0], _TREATS if answer == "yes" else _DOES_NOT_TREAT
        assert claim.object is not None
        text = phrases[certainty.level].format(
            treatment=claim.object.label, condition=claim.subject.label
        )
    elif answer == "yes" and counted and certainty.level <= 1:
        text = _reported(counted, {a.id, b.id})
    elif answer == "no" and any(c.predicate != "RO:0002610" for c in deciding):
        text = _denied(deciding, certainty)
    else:
        phrases = _LINKED if answer == "yes" else _UNLINKED
        text = phrases[certainty.level].format(a=a.label, b=b.label)
    return (
        f"{text} ({len(deciding)} approved claim(s) from {n_sources} source(s)). "
        f"Certainty {certainty.explain()}.{after}"
    )


def _reported(counted: Sequence[ClaimView], asked: set[str]) -> str:
    """A count said as what it counts: lesions of a site are not a co-occurrence of two
    conditions, and finding a lesion there in a few cases does not make it the cause. A count
    reached through a subtype names the subtype it counted ("Hemidystonia in 1 of 733"), so two
    counts of one cohort are not read as two counts of the term asked about."""
    if all(c.predicate == "RO:0004026" and c.object for c in counted):
        sites = " or ".join(dict.fromkeys(c.object.label for c in counted if c.object))
        conditions = " or ".join(dict.fromkeys(c.subject.label for c in counted))
        return (
            f"Lesions in {sites} reported in {_counts(counted)}; whether such lesions cause "
            f"{conditions} is not established"
        )
    if any(c.subject.id not in asked or (c.object and c.object.id not in asked) for c in counted):
        named = {c.id: _counted_term(c, asked) for c in counted}
        return (
            f"Co-occurrence reported: {_counts(counted, named)}; whether the association is "
            "causal is not established"
        )
    return (
        f"Co-occurrence reported in {_counts(counted)}; whether the association is causal is "
        "not established"
    )


def _counted_term(claim: ClaimView, asked: set[str]) -> str:
    """What a count counts: the claim's term that is not one of the two asked about (a
    subtype), else its object."""
    terms = [t for t in (claim.object, claim.subject) if t is not None]
    return next((t.label for t in terms if t.id not in asked), terms[0].label)


def _counts(counted: Sequence[ClaimView], named: dict[str, str] | None = None) -> str:
    """Each claim's "N of M" with its own population and citation, lowest proportion first;
    with ``named`` (claim id -> the term counted), each count says what it counted."""
    counts = sorted(
        (c.count for c in counted if c.count is not None),
        key=lambda k: (k.numerator / k.denominator if k.denominator else 0.0, k.claim),
    )
    said = list(
        dict.fromkeys(
            f"{named[k.claim] + ' in ' if named else ''}{k.numerator} of {k.denominator} "
            f"{_without_count(k.population, k.denominator)} "
            f"[{'; '.join(dict.fromkeys(cite(s) for s in k.sources)) or k.claim}]"
            for k in counts
        )
    )
    text = (" and " if named else " and in ").join(said[:_MAX_COUNTS])
    more = len(said) - _MAX_COUNTS
    return text + (f" (and {more} more count(s) in the claims below)" if more > 0 else "")


def _without_count(population: str | None, denominator: int) -> str:
    """The population's words after "N of M": "215 consecutive patients ..." loses its 215, and
    a population that starts with another number is put in brackets, never run into the count."""
    if not population:
        return "patients"
    rest = population.removeprefix(f"{denominator:,} ").removeprefix(f"{denominator} ").strip()
    if rest[:1].isdigit():
        return f"(population: {population})"
    return rest or "patients"


def _denied(claims: Sequence[ClaimView], certainty: Certainty) -> str:
    """Negative claims, each negating exactly its own predicate, at the lowest level of the
    question's certainty and the claims' own."""
    level = min(certainty.level, *(c.certainty.level for c in claims))
    said = list(dict.fromkeys(_negated(c, level) for c in claims))
    if level == 0:
        return f"A report says that {' and that '.join(said)}, but the evidence is very uncertain"
    return "; ".join(s[:1].upper() + s[1:] for s in said)


def _negated(claim: ClaimView, level: int) -> str:
    verbs = _NEGATED.get(claim.predicate)
    if verbs is None:  # a text predicate (management advice): the statement's own words
        return claim.statement()
    target = claim.object.label if claim.object else f'"{claim.object_text}"'
    return f"{claim.subject.label} {verbs[level]} {target}"


def _aside(claims: Sequence[ClaimView]) -> str:
    """Approved negative claims of another relation, in their own words and certainty."""
    said = list(
        dict.fromkeys(
            f" An approved claim of {c.certainty.word} certainty says only that "
            f"{_negated(c, 3)} ({c.id}): that rules out "
            f"{_RULES_OUT.get(c.predicate, 'that relation')}, not that the two occur together."
            for c in claims
        )
    )
    return "".join(said)


def cite(source: SourceView) -> str:
    """A short citation: "Lee and Marsden 1994", "Khooshnoodi et al. 2013"; when the authors are
    not recorded as "Surname Initials, ...", the journal and year, else the source's key."""
    names = [n.strip() for n in (source.authors or "").rstrip(". ").split(",") if n.strip()]
    et_al = any(n.startswith("et al") for n in names)
    surnames = [_surname(n) for n in names if not n.startswith("et al")]
    if not surnames or any(s is None for s in surnames):
        where = " ".join(p for p in (source.journal, source.year) if p)
        return where if source.journal else source.key
    if len(surnames) == 1 and not et_al:
        who = str(surnames[0])
    elif len(surnames) == 2 and not et_al:
        who = f"{surnames[0]} and {surnames[1]}"
    else:
        who = f"{surnames[0]} et al."
    return f"{who} {source.year}" if source.year else who


def _surname(name: str) -> str | None:
    """ "Lee MS" -> "Lee"; None when the name does not end in initials."""
    parts = name.split()
    initials = parts[-1] if len(parts) >= 2 else ""
    if initials.isalpha() and initials.isupper() and len(initials) <= 3:
        return " ".join(parts[:-1])
    return None

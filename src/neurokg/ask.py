"""Answer "is A associated with B?" from curated claims, with evidence, sources and a receipt.

Consumes: an ``Engine`` (local graph, a store with imports, or a SPARQL endpoint) and two names.
Produces: an ``Answer``: how the two are related (kind of, part of, association), ``yes`` / ``no`` /
``unknown``, the certainty and its reasons (evidence.py) and words that follow it (wording.py); the
claims behind it with their certainty and sources; the is-a / part-of chain with each edge's source
(hierarchy.py); lesion sites; treatments; what the two share; conflicts; and a receipt naming the
versions, the content hash of every graph the answer may read and the named queries it ran.
Policy: a chain of is-a / part-of edges in the graph (curated or imported) answers "kind of" or
"part of". Otherwise only approved claims with at least one source that is not an AI-written answer
decide: approved positive -> ``yes``; otherwise approved negative -> ``no``; otherwise ``unknown``.
A negative claim of another relation ("not a kind of", "does not cause") is said in its own words
beside the answer and never makes ``no``: the two may still occur together.
Claims whose only source is an AI-written answer are listed apart and never decide anything.
A shared feature or lesion site is reported as a connection, not as an association.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, Final

from .answer import Answer, ClaimView, SourceView
from .errors import LookAlikeError, NeurokgError, ObsoleteIdentifierError
from .evidence import Certainty
from .hierarchy import Chain, find_chain
from .plain import Iri, PlainRow
from .prefixes import ENTITY_PREFIXES, compact
from .query import Engine, plain_named, plain_run_for
from .resolve import NameLookup, TermRef, identifier_iri
from .views import STATUS_NAMES, claim_view, local, receipt
from .wording import headline, roles_phrase, summary

if TYPE_CHECKING:  # mappings imports curies and pydantic (0.2 s): only for mapped identifiers
    from .mappings import MappingIndex, Rewrite

#: The columns of ``claims_naming_both`` that say each term's role in the claim.
_ROLE_KEYS: Final = ("role_a", "role_b")

__all__ = ["Answer", "ClaimView", "SourceView", "ask", "claim_view_of"]


class _Asker:
    """Runs the named queries for one question and keeps the names of those it ran.

    Claims are read in batches (``load``: ``claim_summary`` and ``claim_evidence`` once for all
    the claims a step found, and the names of every term they mention in one ``names_of``), so a
    question costs a fixed number of queries however many claims answer it.
    """

    def __init__(self, engine: Engine):
        self.engine = engine
        self.names = NameLookup(engine)
        self._used: list[str] = []
        self._claims: dict[str, ClaimView] = {}

    @property
    def used(self) -> list[str]:
        return list(dict.fromkeys([*self.names.used, *self._used]))

    def _note(self, name: str) -> None:
        if name not in self._used:
            self._used.append(name)

    def run(self, name: str, **bindings: Iri) -> list[PlainRow]:
        self._note(name)
        return plain_named(self.engine, name, **bindings)

    def run_for(self, name: str, variable: str, values: list[Iri]) -> list[PlainRow]:
        self._note(name)
        return plain_run_for(self.engine, name, variable, values)

    def load(self, claim_iris: list[str]) -> None:
        """Read every claim of ``claim_iris`` not read yet, with its sources and term names."""
        wanted = [Iri(c) for c in dict.fromkeys(claim_iris) if c not in self._claims]
        if not wanted:
            return
        summaries = {str(r["claim"]): r for r in self.run_for("claim_summary", "claim", wanted)}
        evidence: dict[str, list[PlainRow]] = {}
        for r in self.run_for("claim_evidence", "claim", wanted):
            evidence.setdefault(str(r["claim"]), []).append(r)
        self.names.prefetch(v for row in summaries.values() for v in row.values())
        for claim in wanted:
            row = summaries[str(claim)]
            self._claims[str(claim)] = self._view(row, evidence.get(str(claim), []))

    def claim(self, claim_iri: str) -> ClaimView:
        self.load([claim_iri])
        return self._claims[claim_iri]

    def _view(self, row: PlainRow, evidence: list[PlainRow]) -> ClaimView:
        return claim_view(row, evidence, self.names.label, self.names.ref)


def claim_view_of(engine: Engine, claim_id: str) -> ClaimView:
    """The claim ``claim_id`` (a bare id, a ``claim:`` CURIE or its IRI) with its sources and
    certainty; ``NeurokgError`` when the graph holds no such claim."""
    asker = _Asker(engine)
    text = claim_id.strip()
    iri = asker.names.claim_iri(text) if ":" not in text else identifier_iri(text)
    if iri and asker.run_for("claim_summary", "claim", [Iri(iri)]):
        return asker.claim(iri)
    raise NeurokgError(
        f"no claim {claim_id!r} in the graph: give a claim id (ms-blepharospasm-cohort-2008), "
        "claim:ID or the claim's IRI"
    )


def _route(view: ClaimView, a: TermRef, b: TermRef) -> str:
    ends = {view.subject.iri, view.object.iri if view.object else ""}
    if ends == {a.iri, b.iri}:
        return "direct"
    other = [t.label for t in (view.subject, view.object) if t and t.iri not in (a.iri, b.iri)]
    return "through subtype " + ", ".join(other)


def _opposed(claim: ClaimView, conflicts: list[PlainRow]) -> list[str]:
    """Approved claims saying the opposite of ``claim`` (the same statement, other polarity)."""
    mine, other = (
        ("positive", "negative") if claim.polarity == "positive" else ("negative", "positive")
    )
    return [
        local(r[f"{other}_claim"])
        for r in conflicts
        if local(r[f"{mine}_claim"]) == claim.id and local(r[f"{other}_status"]) == "Approved"
    ]


def _question_certainty(
    chosen: list[ClaimView], conflicts: list[PlainRow], a: TermRef, b: TermRef
) -> Certainty | None:
    """The best deciding claim's certainty, rated down for inconsistency and indirectness."""
    graded = []
    for claim in chosen:
        certainty = claim.certainty
        opposed = _opposed(claim, conflicts)
        if opposed:
            certainty = certainty.down(
                f"inconsistency (approved claim {', '.join(sorted(opposed))} says the opposite)"
            )
        if claim.route != "direct":
            certainty = certainty.down(
                f"indirectness (the claim is about {claim.route.removeprefix('through ')}, "
                f"not exactly {a.label} and {b.label})"
            )
        graded.append(certainty)
    return max(graded, key=Certainty.rank) if graded else None


def _hierarchy(asker: _Asker, a: TermRef, b: TermRef) -> tuple[Chain | None, bool]:
    """An is-a / part-of chain from ``a`` up to ``b``, else from ``b`` up to ``a`` (swapped)."""
    asker._note("term_parents")
    chain, _ = find_chain(asker.engine, a.iri, b.iri)
    if chain is not None:
        return chain, False
    chain, _ = find_chain(asker.engine, b.iri, a.iri)
    return chain, chain is not None


def ask(
    engine: Engine,
    first: str,
    second: str,
    *,
    version: str = "unknown",
    mappings: MappingIndex | None = None,
) -> Answer:
    """Resolve ``first`` and ``second`` and answer how they are related: kind of, part of, or
    associated (with the certainty of the evidence).

    A DOID, MeSH, Orphanet, OMIM or UMLS identifier is read as the MONDO class it exactly maps
    to (``mappings``, default the packaged SSSOM file); the answer says which mapping it used.
    """
    asker = _Asker(engine)
    names = asker.names
    rewrites = [
        r if r is None or not _held(names, r.typed) else None
        for r in _rewrites([first, second], mappings)
    ]
    try:
        a, b = names.resolve_all(
            [r.target if r else t for r, t in zip(rewrites, (first, second), strict=True)]
        )
    except (LookAlikeError, ObsoleteIdentifierError) as err:
        for r in rewrites:  # a mapped identifier reached a refused class: say both steps
            if r is not None and err.name == r.target:
                raise type(err)(r.typed, f"{r.note()}; and {err}") from err
        raise
    a, b = (_mapped(t, r) for t, r in zip((a, b), rewrites, strict=True))
    mapping_notes = tuple(r.note() for r in rewrites if r is not None)
    if a.iri == b.iri:
        raise NeurokgError(
            f"{first!r} and {second!r} both name {a.id} ({a.label}): ask about two terms"
        )
    chain, swapped = _hierarchy(asker, a, b)
    if swapped:
        a, b = b, a
    rows = asker.run("associations_between", a=Iri(a.iri), b=Iri(b.iri))
    # both conditions in one run: _lesion_sites orders the sites by claim itself
    lesion_rows = asker.run_for("lesion_sites", "condition", [Iri(a.iri), Iri(b.iri)])
    # only lesions of the two terms asked about (alone, or one in the other): not blepharoclonus
    # in multiple sclerosis when the question is blepharospasm and multiple sclerosis
    asked = {a.iri, b.iri}
    lesion_rows = [
        r
        for r in lesion_rows
        if str(r["subject"]) in asked and str(r.get("context", a.iri)) in asked
    ]
    both = [Iri(a.iri), Iri(b.iri)]
    treated = asker.run_for("treatments", "condition", both)
    treatment_rows = [r for c in both for r in treated if r["condition"] == c]  # a's, then b's
    shared_rows = asker.run("shared_links", a=Iri(a.iri), b=Iri(b.iri))
    conflict_rows = _unique_rows(asker.run_for("conflicts_about", "term", both))
    naming_rows = asker.run("claims_naming_both", a=Iri(a.iri), b=Iri(b.iri))
    # every claim and every term name the answer shows, each in one batch
    asker.load([str(r["claim"]) for r in (*rows, *lesion_rows, *treatment_rows, *naming_rows)])
    names.prefetch(
        [
            *(
                r[k]
                for r in (*lesion_rows, *shared_rows, *conflict_rows)
                for k in ("site", "region", "shared", "subject", "object")
                if k in r
            ),
            *(Iri(t) for e in (chain.edges if chain else ()) for t in (e.child, e.parent)),
        ]
    )

    claims = [asker.claim(str(r["claim"])) for r in rows]
    claims = [ClaimView(**{**c.__dict__, "route": _route(c, a, b)}) for c in claims]
    deciding = [c for c in claims if c.decides]
    positive = [c for c in deciding if c.polarity == "positive"]
    negative = [c for c in deciding if c.denies_association]  # not "not a kind of"
    answer = "yes" if positive or chain else "no" if negative else "unknown"
    # claims about exactly the two terms first: the summary words the first that fits, and a
    # definition of a subtype must not stand for the terms asked about
    chosen = sorted(positive or negative, key=lambda c: c.route != "direct")
    routes = tuple(sorted({c.route for c in chosen}))
    relation = chain.relation if chain else "association"
    certainty = _question_certainty(chosen, conflict_rows, a, b)
    if chain is not None:
        text = _chain_summary(chain, names)
    else:
        aside = [c for c in deciding if c.polarity == "negative" and not c.denies_association]
        text = summary(answer, chosen, certainty, a, b, aside)

    lesion_sites = _lesion_sites(asker, lesion_rows)
    treatments = tuple(
        {c.id: c for c in (asker.claim(str(r["claim"])) for r in treatment_rows)}.values()
    )
    # a treatment of one term targeting the other is listed here too, though the list of all
    # treatments of each term shows it: there it is one of many, here it is the link asked about
    naming = {c.id: c for c in (asker.claim(str(r["claim"])) for r in naming_rows)}
    naming_both = tuple(c for c in naming.values() if not c.ai_only)
    if answer == "unknown" and naming_both:
        shown = {c.id for c in naming_both}
        roles = {local(r[k]) for r in naming_rows if local(r["claim"]) in shown for k in _ROLE_KEYS}
        text += (
            f" {len(naming_both)} other claim(s) name both, in another role "
            f"({roles_phrase(roles)}): listed apart, they decide nothing."
        )
    shared = tuple(
        {
            "shared": names.ref(str(r["shared"]), "claim").as_dict(),
            "claim_a": local(r["claim_a"]),
            "claim_b": local(r["claim_b"]),
        }
        for r in shared_rows
    )
    conflicts = tuple(
        {
            "statement": f"{names.label(str(r['subject']))} / {compact(str(r['predicate']))} / "
            f"{names.label(str(r['object']))}",
            "positive_claim": local(r["positive_claim"]),
            "positive_status": STATUS_NAMES.get(local(r["positive_status"]), ""),
            "negative_claim": local(r["negative_claim"]),
            "negative_status": STATUS_NAMES.get(local(r["negative_status"]), ""),
        }
        for r in conflict_rows
    )
    return Answer(
        a,
        b,
        answer,
        text,
        routes,
        tuple(claims),
        lesion_sites,
        treatments,
        shared,
        conflicts,
        _receipt(asker, version, [first, second]),
        relation=relation,
        certainty=None if chain else certainty,
        chain=chain,
        headline=headline(answer, relation, certainty),
        cautions=(*mapping_notes, *_cautions(asker, a, b)),
        naming_both=naming_both,
    )


def _rewrites(texts: list[str], mappings: MappingIndex | None) -> list[Rewrite | None]:
    """The exact SSSOM mapping of each text that is an identifier of a mapped vocabulary."""
    mapped = [t for t in texts if ":" in t and t.split(":")[0] not in ENTITY_PREFIXES]
    if not mapped:
        return [None for _ in texts]
    from .mappings import default_mappings

    index = mappings if mappings is not None else default_mappings()
    return [index.rewrite(t) if index is not None and t in mapped else None for t in texts]


def _held(names: NameLookup, identifier: str) -> bool:
    """Whether the graph holds ``identifier`` as a term itself (an imported DOID release, say):
    then it answers for that term, from that release, and no mapping rewrites it."""
    iri = identifier_iri(identifier)
    if not iri:
        return False
    names.prefetch([Iri(iri)])
    return iri in names.index().labels()


def _mapped(term: TermRef, rewrite: Rewrite | None) -> TermRef:
    if rewrite is None:
        return term
    used = rewrite.mapping
    return replace(term, matched_as=f"{used.predicate_id} of {used.object_id} (SSSOM)")


def _cautions(asker: _Asker, a: TermRef, b: TermRef) -> tuple[str, ...]:
    """For each asked term with look-alikes: which concepts it is not (the other direction of
    the look-alike refusal)."""
    rows = asker.run_for("look_alikes_of", "term", [Iri(a.iri), Iri(b.iri)])
    return tuple(
        f"{t.label} ({t.id}) is not {r['label']} ({compact(str(r['look_alike']))})"
        + (f", which is {r['note']}" if "note" in r else "")
        + "."
        for t in (a, b)
        for r in rows
        if str(r["term"]) == t.iri
    )


def _chain_summary(chain: Chain, names: NameLookup) -> str:
    words = {"is_a": "is a kind of", "part_of": "is part of"}
    steps = "; ".join(
        f"{names.label(e.child)} {words[e.relation]} {names.label(e.parent)} "
        f"({'; '.join(e.sources) or 'source not recorded'})"
        for e in chain.edges
    )
    if len(chain.edges) == 1:
        return f"{steps[0].upper()}{steps[1:]}."
    first, last = chain.edges[0].child, chain.edges[-1].parent
    verb = "is a kind of" if chain.relation == "kind_of" else "is part of"
    return f"{names.label(first)} {verb} {names.label(last)}, by the chain: {steps}."


def _receipt(asker: _Asker, version: str, question: list[str]) -> dict[str, Any]:
    """Versions, and the content hash of every graph the answer may have read."""
    release, graphs = asker.run("release_info"), asker.run("release_graphs")
    return {**receipt(release, graphs, version, asker.used), "question": question}


def _unique_rows(rows: list[PlainRow]) -> list[PlainRow]:
    seen: dict[tuple[str, str], PlainRow] = {}
    for row in rows:
        seen.setdefault((str(row["positive_claim"]), str(row["negative_claim"])), row)
    return [seen[k] for k in sorted(seen)]


def _site_certainty(claim: ClaimView) -> Certainty:
    """A lesion-site claim's certainty; a lesion of any cause is indirect for any one condition."""
    if claim.qualifiers.get("context"):
        return claim.certainty
    return claim.certainty.down("indirectness (lesions of any cause, not of one condition)")


def _lesion_sites(asker: _Asker, rows: list[PlainRow]) -> tuple[dict[str, Any], ...]:
    names = asker.names
    by_claim: dict[str, dict[str, Any]] = {}
    for row in rows:
        claim = asker.claim(str(row["claim"]))
        if claim.status == "deprecated":
            continue
        entry = by_claim.setdefault(
            claim.id,
            {
                "claim": claim.id,
                "condition": claim.subject.label,
                "site": names.ref(str(row["site"]), "claim").as_dict(),
                "regions": [],
                "status": claim.status,
                "polarity": claim.polarity,
                "context": claim.qualifiers.get("context"),
                "ai_only": claim.ai_only,
                "certainty": _site_certainty(claim).as_dict(),
                "frequency": list(claim.frequency) if claim.frequency else None,
                "sources": sorted({s.key for s in claim.sources}),
            },
        )
        region = names.label(str(row["region"]))
        if str(row["region"]) != str(row["site"]) and region not in entry["regions"]:
            entry["regions"].append(region)
    return tuple(sorted(by_claim.values(), key=lambda e: (e["ai_only"], e["claim"])))

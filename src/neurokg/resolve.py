"""Resolve a name a person types to one term: CURIE, IRI, label, synonym or abbreviation.

Consumes: the rows of the named query ``term_names`` (``NameIndex``: every name at once), or an
engine (``NameLookup``: ``terms_named`` finds the terms by ``nkg:lookupKey``, ``names_of`` reads
their names; a few index look-ups however large the graph, and the same answers).
Produces: a ``TermRef`` or an error: ``UnknownNameError`` (with close names) or
``AmbiguousNameError`` (with every candidate). Never guesses between equals.
Policy: an exact label beats an exact synonym, which beats an abbreviation; case is ignored except
that an abbreviation written in its own case beats one matched case-insensitively. An obsolete
identifier is an error naming the replacement its release gives (if any). A look-alike's identifier
or name is an error saying what it is and what it is not; it is never redirected. "Did you mean"
suggestions are ranked by rapidfuzz's WRatio over labels and exact synonyms, shown with their
identifiers, and a look-alike and the term it resembles are never offered without saying they
differ.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .errors import AmbiguousNameError, LookAlikeError, ObsoleteIdentifierError, UnknownNameError
from .plain import Iri, PlainRow, Text, plain_value
from .prefixes import CLAIM_BASE, compact, expand_iri
from .query import Engine, plain_named, plain_run_for

__all__ = ["CLAIM_ID_RE", "NameIndex", "NameLookup", "TermRef", "lookup_key"]

#: A claim's bare id: lower-case words and digits joined by '-' (as parse.py requires).
CLAIM_ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

_TIERS = ("label", "synonym", "abbreviation-exact-case", "abbreviation")


@dataclass(frozen=True)
class TermRef:
    id: str
    iri: str
    label: str
    kind: str
    matched_as: str
    caution: str | None = None

    def as_dict(self) -> dict[str, str]:
        found = {
            "id": self.id,
            "iri": self.iri,
            "label": self.label,
            "kind": self.kind,
            "matched_as": self.matched_as,
        }
        return {**found, "caution": self.caution} if self.caution else found


@dataclass(frozen=True)
class _Refused:
    label: str
    reason: str  # "obsolete" | "look-alike"
    replaced_by: str | None
    look_alike_of: str | None
    note: str | None


def lookup_key(text: str) -> str:
    """How a name is looked up (``nkg:lookupKey``): ’ as ', case folded, spaces collapsed."""
    return " ".join(text.replace("’", "'").casefold().split())


class NameIndex:
    """All the names of a graph's terms, for lookup."""

    def __init__(self, rows: Sequence[Mapping[str, object]]):
        self._labels: dict[str, str] = {}
        self._kinds: dict[str, str] = {}
        self._names: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self._refused: dict[str, _Refused] = {}
        for row in rows:
            term, name, match = str(row["term"]), str(row["name"]), str(row["match"])
            if match == "refused-synonym":
                self._names["refused"][lookup_key(name)].add(term)
                continue
            if match == "refused":
                self._names["refused"][lookup_key(name)].add(term)
                self._refused[term] = _Refused(
                    label=name,
                    reason=str(row.get("context", "")),
                    replaced_by=str(row["use_instead"]) if "use_instead" in row else None,
                    look_alike_of=str(row["look_alike_of"]) if "look_alike_of" in row else None,
                    note=str(row["note"]) if "note" in row else None,
                )
                continue
            self._kinds[term] = compact(str(row["kind"])).removeprefix("nkg:")
            if match == "label":
                self._labels[term] = name
            if match == "abbreviation":
                self._names["abbreviation-exact-case"][name].add(term)
            self._names[match][lookup_key(name)].add(term)

    def ref(self, term: str, matched_as: str) -> TermRef:
        return TermRef(
            compact(term),
            term,
            self._labels.get(term, compact(term)),
            self._kinds.get(term, "term"),
            matched_as,
        )

    def label(self, term: str) -> str:
        return self._labels.get(term, compact(term))

    def labels(self) -> dict[str, str]:
        """IRI -> label of every term, and of every refused identifier."""
        return {**{t: r.label for t, r in self._refused.items()}, **self._labels}

    def is_refused(self, iri: str) -> bool:
        return iri in self._refused

    def resolve(self, text: str) -> TermRef:
        """Return the one term ``text`` names, or raise with the candidates or close names."""
        text = text.strip()
        by_id = self._by_identifier(text)
        if by_id is not None:
            return by_id
        refused = sorted(self._names["refused"].get(lookup_key(text), ()))
        if refused:  # before the names of terms: an import may hold the look-alike as a term
            self._refuse(text, refused[0])
        for tier in _TIERS:
            key = text if tier == "abbreviation-exact-case" else lookup_key(text)
            found = sorted(self._names[tier].get(key, ()))
            if len(found) == 1:
                return self.ref(found[0], tier.removesuffix("-exact-case"))
            if len(found) > 1:
                raise AmbiguousNameError(
                    text,
                    [
                        f"{compact(t)} ({self.label(t)}, {self._kinds.get(t, 'term')}, matched as "
                        f"{tier.removesuffix('-exact-case')})"
                        for t in found
                    ],
                )
        raise UnknownNameError(text, self._close(text))

    def _by_identifier(self, text: str) -> TermRef | None:
        iri = identifier_iri(text)
        if not iri:
            return None
        if iri in self._refused:
            self._refuse(text, iri)
        if iri not in self._labels:
            raise UnknownNameError(text, ["no term of the graph has this identifier"])
        return self.ref(iri, "identifier")

    def _named(self, term: str | None) -> str:
        return f"{self.label(term)} ({compact(term)})" if term else "a current identifier"

    def _refuse(self, text: str, term: str) -> None:
        """Raise the error an obsolete or look-alike identifier deserves."""
        entry = self._refused[term]
        if entry.reason == "obsolete":
            raise ObsoleteIdentifierError(
                text,
                f"{compact(term)} ({entry.label}) is obsolete; "
                + (
                    f"its release replaces it by {self._named(entry.replaced_by)}"
                    if entry.replaced_by
                    else "its release names no replacement"
                ),
            )
        raise LookAlikeError(
            text,
            f"{entry.label} ({compact(term)}) is {entry.note or 'a different concept'}: it is "
            f"not {self._named(entry.look_alike_of)}. neurokg holds no term for it; ask about "
            f"{self._named(entry.look_alike_of)} only if that is what you mean",
        )

    def _close(self, text: str) -> list[str]:
        """Close names (labels and exact synonyms), best first, each with its identifier."""
        from rapidfuzz import fuzz, process, utils  # only for a name nothing has

        choices: dict[str, set[str]] = defaultdict(set)
        for tier in ("label", "synonym", "refused"):
            for key, terms in self._names[tier].items():
                choices[key] |= terms
        found = process.extract(
            lookup_key(text),
            list(choices),
            scorer=fuzz.WRatio,
            processor=utils.default_process,
            limit=5,
            score_cutoff=75,
        )
        shown = list(dict.fromkeys(t for key, _, _ in found for t in sorted(choices[key])))
        return [self._suggestion(t, shown) for t in shown[:5]]

    def _suggestion(self, term: str, shown: list[str]) -> str:
        entry = self._refused.get(term)
        if entry is None:
            alikes = [t for t in shown if (r := self._refused.get(t)) and r.look_alike_of == term]
            differs = "; ".join(f"not {self._refused[t].label} ({compact(t)})" for t in alikes)
            return f"{self.label(term)} ({compact(term)})" + (f" [{differs}]" if differs else "")
        if entry.reason == "obsolete":
            return f"{entry.label} ({compact(term)}): obsolete"
        return (
            f"{entry.label} ({compact(term)}): a look-alike, not {self._named(entry.look_alike_of)}"
        )


def identifier_iri(text: str) -> str:
    """The IRI ``text`` spells as a CURIE or a full IRI, or "" when it is a name."""
    iri = (expand_iri(text) or "") if ":" in text and " " not in text else ""
    if not iri and text.startswith(("http://", "https://")):
        iri = text
    return iri


class NameLookup:
    """``NameIndex``'s answers from a few queries instead of every name of the graph.

    A name is found by its look-up key (``terms_named``), then the names of the terms found are
    read (``names_of``) and ranked by a ``NameIndex`` of the rows read so far: every term that has
    the name is among them, so the answer is the one the full index gives. Only when nothing has
    the name (an error, or a store built before look-up keys) is ``term_names`` read, to suggest
    close names. ``used`` lists the named queries run, for receipts.
    """

    def __init__(self, engine: Engine):
        self.engine = engine
        self.used: list[str] = []
        self._rows: dict[str, list[PlainRow]] = {}
        self._index: NameIndex | None = None
        self._full: NameIndex | None = None
        self._keys: dict[str, list[str]] = {}

    def _note(self, name: str) -> None:
        if name not in self.used:
            self.used.append(name)

    def prefetch(self, terms: Iterable[object]) -> None:
        """Read the names of every IRI in ``terms`` (values of plain or rdflib rows) not read yet
        (and their replacements)."""
        wanted = [t for t in dict.fromkeys(map(plain_value, terms)) if isinstance(t, Iri)]
        while wanted := [t for t in wanted if str(t) not in self._rows]:
            self._note("names_of")
            self._index = None
            for term in wanted:
                self._rows[str(term)] = []
            rows = plain_run_for(self.engine, "names_of", "term", wanted)
            for row in rows:
                self._rows.setdefault(str(row["term"]), []).append(row)
            wanted = [
                u
                for r in rows
                for k in ("use_instead", "look_alike_of")
                if isinstance(u := r.get(k), Iri)
            ]

    def index(self) -> NameIndex:
        """A ``NameIndex`` of the names read so far."""
        if self._index is None:
            self._index = NameIndex([row for rows in self._rows.values() for row in rows])
        return self._index

    def resolve_keys(self, keys: Sequence[str]) -> None:
        """Find the terms having each look-up key (one query) and read their names."""
        wanted = [Text(k) for k in dict.fromkeys(keys) if k not in self._keys]
        if wanted:
            self._note("terms_named")
            for key in wanted:
                self._keys[str(key)] = []
            for row in plain_run_for(self.engine, "terms_named", "key", wanted):
                self._keys[str(row["key"])].append(row["term"])
        self.prefetch(term for k in keys for term in self._keys[k])

    def resolve(self, text: str) -> TermRef:
        """Return the one term ``text`` names, or raise as ``NameIndex.resolve`` does."""
        return self.resolve_all([text])[0]

    def resolve_all(self, texts: Sequence[str]) -> list[TermRef]:
        """``resolve`` each of ``texts`` in order; their terms are looked up in one query."""
        texts = [t.strip() for t in texts]
        keys = [lookup_key(t) for t in texts if not identifier_iri(t)]
        self.resolve_keys(keys)
        self.prefetch(Iri(iri) for t in texts if (iri := identifier_iri(t)))
        refs = []
        for text in texts:
            if not identifier_iri(text) and not self._keys[lookup_key(text)]:
                # nothing has the key: an unknown name (raises, with close names), or a
                # store built before look-up keys (the full index finds it)
                refs.append(self.full().resolve(text))
            else:
                refs.append(self.index().resolve(text))
        return refs

    def refuses_name(self, text: str) -> bool:
        """Whether ``text`` is the label of an identifier the graph refuses."""
        key = lookup_key(text)
        self.resolve_keys([key])
        return any(
            lookup_key(str(row["name"])) == key and str(row["match"]).startswith("refused")
            for term in self._keys[key]
            for row in self._rows.get(str(term), [])
        )

    def claim_iri(self, text: str) -> str | None:
        """The IRI of the claim whose bare id is ``text`` (``ms-blepharospasm-cohort-2008``),
        or None when ``text`` is not a claim id or the graph holds no such claim."""
        text = text.strip()
        if not CLAIM_ID_RE.fullmatch(text):
            return None
        iri = Iri(CLAIM_BASE + text)
        self._note("claim_summary")
        return str(iri) if plain_run_for(self.engine, "claim_summary", "claim", [iri]) else None

    def full(self) -> NameIndex:
        """The index of every name of the graph (``term_names``), read once."""
        if self._full is None:
            self._note("term_names")
            self._full = NameIndex(plain_named(self.engine, "term_names"))
        return self._full

    def ref(self, term: str, matched_as: str) -> TermRef:
        self.prefetch([Iri(term)])
        return self.index().ref(term, matched_as)

    def label(self, term: str) -> str:
        self.prefetch([Iri(term)])
        return self.index().label(term)

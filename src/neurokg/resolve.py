"""Resolve a name a person types to one term: CURIE, IRI, label, synonym or abbreviation.

Consumes: the rows of the named query ``term_names`` (so it works on any engine).
Produces: a ``TermRef`` or an error: ``UnknownNameError`` (with close names) or
``AmbiguousNameError`` (with every candidate). Never guesses between equals.
Policy: an exact label beats an exact synonym, which beats an abbreviation; case is ignored except
that an abbreviation written in its own case beats one matched case-insensitively. A refused
identifier or name (obsolete, look-alike) is an error that names what to use instead.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .errors import AmbiguousNameError, UnknownNameError
from .namespaces import compact, expand
from .query import Row

__all__ = ["NameIndex", "TermRef"]

_TIERS = ("label", "synonym", "abbreviation-exact-case", "abbreviation")


@dataclass(frozen=True)
class TermRef:
    id: str
    iri: str
    label: str
    kind: str
    matched_as: str

    def as_dict(self) -> dict[str, str]:
        return {
            "id": self.id,
            "iri": self.iri,
            "label": self.label,
            "kind": self.kind,
            "matched_as": self.matched_as,
        }


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").casefold().split())


class NameIndex:
    """All the names of a graph's terms, for lookup."""

    def __init__(self, rows: Sequence[Row]):
        self._labels: dict[str, str] = {}
        self._kinds: dict[str, str] = {}
        self._names: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self._refused: dict[str, tuple[str, str, str | None]] = {}
        for row in rows:
            term, name, match = str(row["term"]), str(row["name"]), str(row["match"])
            if match == "refused":
                use = str(row["use_instead"]) if "use_instead" in row else None
                self._refused[term] = (name, str(row.get("context", "")), use)
                self._names["refused"][_norm(name)].add(term)
                continue
            self._kinds[term] = compact(str(row["kind"])).removeprefix("nkg:")
            if match == "label":
                self._labels[term] = name
            if match == "abbreviation":
                self._names["abbreviation-exact-case"][name].add(term)
            self._names[match][_norm(name)].add(term)

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

    def resolve(self, text: str) -> TermRef:
        """Return the one term ``text`` names, or raise with the candidates or close names."""
        text = text.strip()
        by_id = self._by_identifier(text)
        if by_id is not None:
            return by_id
        for tier in _TIERS:
            key = text if tier == "abbreviation-exact-case" else _norm(text)
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
        refused = sorted(self._names["refused"].get(_norm(text), ()))
        if refused:
            raise UnknownNameError(text, [self._refusal(t) for t in refused])
        raise UnknownNameError(text, self._close(text))

    def _by_identifier(self, text: str) -> TermRef | None:
        iri = str(expand(text) or "") if ":" in text and " " not in text else ""
        if not iri and text.startswith(("http://", "https://")):
            iri = text
        if not iri:
            return None
        if iri in self._refused:
            raise UnknownNameError(text, [self._refusal(iri)])
        if iri not in self._labels:
            raise UnknownNameError(text, ["no term of the graph has this identifier"])
        return self.ref(iri, "identifier")

    def _refusal(self, term: str) -> str:
        label, reason, use = self._refused[term]
        instead = f"; use {compact(use)} ({self.label(use)})" if use else ""
        return f"{compact(term)} '{label}' is refused as {reason}{instead}"

    def _close(self, text: str) -> list[str]:
        names = {n for tier in ("label", "synonym") for n in self._names[tier]}
        close = difflib.get_close_matches(_norm(text), sorted(names), n=3, cutoff=0.7)
        partial = sorted(n for n in names if _norm(text) in n and n not in close)[:3]
        return close + partial

"""Find the graph's terms in an answer's words, with the graph's own lexicon, longest match first.

Consumes: the rows of the named query ``term_names`` (every label, exact synonym, abbreviation and
refused identifier of the graph, read once) and the answer (reading.py).
Produces: for each piece of text, its ``Hit``s: the words, the term(s) they name, how they were
matched, and why a hit may not be used (a look-alike, an obsolete identifier, an abbreviation the
answer never defines, a name shared by different concepts).
Policy (docs/decisions/0008-review.md): names are compared by their look-up key
(``resolve.lookup_key``, with hyphens read as spaces), at word boundaries, longest first; a plural
``s``/``es`` is allowed after a name, never after an abbreviation. A label beats a synonym, which
beats a variant (a name with a term's abbreviation in it: "relapsing-remitting MS"; an eponym's
possessive: "Meige's syndrome"), which beats an abbreviation. An abbreviation matches only in its
own case, and only counts when the answer defines it ("multiple sclerosis (MS)") or names the same
term in full somewhere; an abbreviation the answer defines ("Meige syndrome (MS)") means what the
answer says. A refused name or identifier (look-alike, obsolete) is flagged, never used. CURIEs
and IRIs in the text are read as identifiers. Nothing is guessed between different concepts.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from ..namespaces import compact, expand
from ..query import Row
from ..resolve import TermRef, lookup_key

__all__ = ["Grounder", "Hit", "Lexicon", "Refused", "match_key"]

_TIERS: Final = ("label", "synonym", "variant", "abbreviation")
_EPONYM_NOUNS: Final = frozenset(
    "syndrome disease palsy sign phenomenon maneuver manoeuvre".split()
)
_CURIE_RE: Final = re.compile(r"(?<![\w/:.])([A-Za-z][A-Za-z0-9]{1,15}:[A-Za-z0-9_]+)(?![\w:])")
_IRI_RE: Final = re.compile(r"https?://[^\s<>\"')\]]+")
_DEFINITION_RE: Final = re.compile(r"\s*\(\s*([A-Za-z][A-Za-z0-9-]{0,9}[A-Za-z0-9])\s*\)")


def match_key(name: str) -> str:
    """``lookup_key`` with hyphens and dashes read as spaces (so "MS-related" holds "MS")."""
    return " ".join(re.sub(r"[-‐–]", " ", lookup_key(name)).split())


def _normalise(text: str) -> tuple[str, list[int]]:
    """``match_key`` of ``text``, with the offset in ``text`` of every character of the result."""
    chars: list[str] = []
    offsets: list[int] = []
    space = True
    for index, char in enumerate(text):
        char = "'" if char == "’" else " " if char in "-‐–" else char
        if char.isspace():
            if not space:
                chars.append(" ")
                offsets.append(index)
            space = True
            continue
        for folded in char.casefold():
            chars.append(folded)
            offsets.append(index)
        space = False
    return "".join(chars), offsets


@dataclass(frozen=True)
class Refused:
    """An identifier the graph refuses: a look-alike (never redirected) or an obsolete one."""

    iri: str
    label: str
    reason: str  # "look-alike" | "obsolete"
    note: str | None
    look_alike_of: str | None
    use_instead: str | None


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    text: str
    terms: tuple[TermRef, ...]  # candidates; several only when they share one name
    matched_as: str  # label | synonym | variant | abbreviation | defined | identifier | refused
    refused: Refused | None = None
    status: str = "ok"  # ok | look_alike | obsolete | undefined_abbreviation | ambiguous
    message: str | None = None

    @property
    def usable(self) -> bool:
        return self.status == "ok" and bool(self.terms)

    def iris(self) -> frozenset[str]:
        return frozenset(t.iri for t in self.terms)


@dataclass
class _Entry:
    tier: str
    iri: str
    name: str
    context: str | None = None


@dataclass
class Lexicon:
    """Every name of the graph's terms, keyed by ``match_key``, for longest-match search."""

    labels: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    refused: dict[str, Refused] = field(default_factory=dict)
    names: dict[str, list[_Entry]] = field(default_factory=lambda: defaultdict(list))
    first: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, rows: Sequence[Row]) -> Lexicon:
        lexicon = cls()
        refused_names: list[tuple[str, str]] = []
        for row in rows:
            term, name, match = str(row["term"]), str(row["name"]), str(row["match"])
            context = str(row["context"]) if "context" in row else None
            if match.startswith("refused"):
                refused_names.append((term, name))
                if match == "refused":
                    lexicon.refused[term] = Refused(
                        term,
                        name,
                        context or "look-alike",
                        str(row["note"]) if "note" in row else None,
                        str(row["look_alike_of"]) if "look_alike_of" in row else None,
                        str(row["use_instead"]) if "use_instead" in row else None,
                    )
                continue
            lexicon.kinds[term] = compact(str(row["kind"])).removeprefix("nkg:")
            if match == "label":
                lexicon.labels[term] = name
            lexicon.names[match_key(name)].append(_Entry(match, term, name, context))
        for term, name in refused_names:
            lexicon.names[match_key(name)].append(_Entry("refused", term, name))
        lexicon._add_variants()
        first: dict[str, set[str]] = defaultdict(set)
        for key in lexicon.names:
            first[re.split(r"[^\w']", key, maxsplit=1)[0]].add(key)
        lexicon.first = {k: sorted(v, key=lambda s: (-len(s), s)) for k, v in first.items()}
        return lexicon

    def _add_variants(self) -> None:
        """Names with a term's abbreviation in place of its label; eponyms' possessives."""
        added: list[tuple[str, _Entry]] = []
        full = {k: v for k, v in self.names.items() if any(e.tier != "abbreviation" for e in v)}
        for key, entries in list(self.names.items()):
            for entry in entries:
                if entry.tier == "abbreviation" and entry.iri in self.labels:
                    label = match_key(self.labels[entry.iri])
                    for other, others in full.items():
                        if other != label and re.search(rf"(?<!\w){re.escape(label)}(?!\w)", other):
                            variant = other.replace(label, key)
                            added += [
                                (variant, _Entry("variant", o.iri, o.name))
                                for o in others
                                if o.tier in ("label", "synonym")
                            ]
                words = entry.name.split()
                if len(words) >= 2 and words[0][:1].isupper() and words[1] in _EPONYM_NOUNS:
                    tier = "refused" if entry.tier == "refused" else "variant"
                    if entry.tier != "abbreviation":
                        added.append(
                            (key.replace(" ", "'s ", 1), _Entry(tier, entry.iri, entry.name))
                        )
        for key, entry in added:
            if not any(e.iri == entry.iri for e in self.names.get(key, [])):
                self.names[key].append(entry)

    def ref(self, iri: str, matched_as: str) -> TermRef:
        if iri in self.refused and iri not in self.labels:
            return TermRef(compact(iri), iri, self.refused[iri].label, "term", matched_as)
        return TermRef(
            compact(iri),
            iri,
            self.labels.get(iri, compact(iri)),
            self.kinds.get(iri, "term"),
            matched_as,
        )

    def label(self, iri: str) -> str:
        return self.ref(iri, "").label

    def abbreviation_context(self, iri: str, name: str) -> str | None:
        return next((e.context for e in self.names.get(match_key(name), []) if e.iri == iri), None)

    # -------------------------------------------------------------------------- search
    def find(self, text: str, local: Mapping[str, tuple[str, ...]] | None = None) -> list[Hit]:
        """Every name, identifier and locally defined abbreviation in ``text``, longest first."""
        norm, offsets = _normalise(text)
        found: list[tuple[int, Hit]] = []
        index = 0
        while index < len(norm):
            if norm[index].isalnum() and (index == 0 or not norm[index - 1].isalnum()):
                hit, end = self._longest(text, norm, offsets, index)
                if hit is not None:
                    found.append((2, hit))
                    index = end
                    continue
            index += 1
        for surface, iris in sorted((local or {}).items()):
            for match in re.finditer(rf"(?<![A-Za-z0-9]){re.escape(surface)}(?![A-Za-z0-9])", text):
                terms = tuple(self.ref(i, "defined") for i in iris)
                found.append((1, Hit(match.start(), match.end(), match[0], terms, "defined")))
        found.extend((0, hit) for hit in self._identifiers(text))
        return _without_overlaps(found)

    def _longest(
        self, text: str, norm: str, offsets: list[int], index: int
    ) -> tuple[Hit | None, int]:
        stop = index
        while stop < len(norm) and (norm[stop].isalnum() or norm[stop] == "'"):
            stop += 1
        token = norm[index:stop]
        keys: set[str] = set()
        for stem in (token, token.removesuffix("'s"), token[:-1], token[:-2]):
            keys.update(self.first.get(stem, ()))
        for key in sorted(keys, key=lambda k: (-len(k), k)):
            if not norm.startswith(key, index):
                continue
            entries = self.names[key]
            end = self._boundary(norm, index + len(key), entries)
            if end is None:
                continue
            surface = text[offsets[index] : offsets[end - 1] + 1]
            hit = self._choose(entries, surface, offsets[index], offsets[end - 1] + 1)
            if hit is not None:
                return hit, end
        return None, index + 1

    @staticmethod
    def _boundary(norm: str, end: int, entries: list[_Entry]) -> int | None:
        if end >= len(norm) or not norm[end].isalnum():
            return end
        if not norm[end - 1].isalpha() or all(e.tier == "abbreviation" for e in entries):
            return None
        for suffix in ("s", "es"):
            stop = end + len(suffix)
            if norm.startswith(suffix, end) and (stop >= len(norm) or not norm[stop].isalnum()):
                return stop
        return None

    def _choose(self, entries: list[_Entry], surface: str, start: int, end: int) -> Hit | None:
        refused = sorted({e.iri for e in entries if e.tier == "refused"})
        if refused:
            return Hit(start, end, surface, (), "refused", self.refused.get(refused[0]))
        for tier in _TIERS:
            found = sorted(
                {
                    e.iri
                    for e in entries
                    if e.tier == tier and (tier != "abbreviation" or e.name == surface)
                }
            )
            if found:
                return Hit(start, end, surface, tuple(self.ref(i, tier) for i in found), tier)
        return None

    def _identifiers(self, text: str) -> Iterable[Hit]:
        for regex, group in ((_CURIE_RE, 1), (_IRI_RE, 0)):
            for match in regex.finditer(text):
                if match[group].startswith(("http:", "https:")) and regex is _CURIE_RE:
                    continue
                iri = str(expand(match[group]) or "") if regex is _CURIE_RE else match[0]
                if iri in self.refused:
                    yield Hit(
                        match.start(group),
                        match.end(group),
                        match[group],
                        (),
                        "refused",
                        self.refused[iri],
                    )
                elif iri in self.labels:
                    ref = self.ref(iri, "identifier")
                    yield Hit(
                        match.start(group), match.end(group), match[group], (ref,), "identifier"
                    )


def _without_overlaps(found: list[tuple[int, Hit]]) -> list[Hit]:
    """Longest first; at equal length an identifier, then an abbreviation the answer defines."""
    chosen: list[Hit] = []
    for _, hit in sorted(found, key=lambda p: (-(p[1].end - p[1].start), p[0], p[1].start)):
        if all(hit.end <= c.start or hit.start >= c.end for c in chosen):
            chosen.append(hit)
    return sorted(chosen, key=lambda h: h.start)


class Grounder:
    """The hits of every text of one answer, with the answer's own abbreviations and flags."""

    def __init__(self, lexicon: Lexicon, texts: Sequence[str], topic: Sequence[str]):
        self.lexicon = lexicon
        first = {text: lexicon.find(text) for text in dict.fromkeys(texts)}
        self.local = _definitions(first)
        self._hits = {text: lexicon.find(text, self.local) for text in first}
        self.confirmed = {
            iri
            for hits in self._hits.values()
            for hit in hits
            if hit.matched_as not in ("abbreviation", "refused")
            for iri in hit.iris()
        }
        self.topic: list[str] = []
        labels = [t.label for text in topic for h in self.hits(text) if h.usable for t in h.terms]
        self.topic = list(dict.fromkeys(labels))

    def hits(self, text: str | None) -> tuple[Hit, ...]:
        """The hits in ``text``, each with its status and, when it may not be used, why."""
        if not text:
            return ()
        if text not in self._hits:
            self._hits[text] = self.lexicon.find(text, self.local)
        return tuple(self._judged(hit) for hit in self._hits[text])

    def _judged(self, hit: Hit) -> Hit:
        lexicon = self.lexicon
        if hit.refused is not None:
            entry = hit.refused
            if entry.reason == "obsolete":
                replaced = (
                    f"its release replaces it by {lexicon.label(entry.use_instead)} "
                    f"({compact(entry.use_instead)})"
                    if entry.use_instead
                    else "its release names no replacement"
                )
                message = (
                    f"'{hit.text}' is {compact(entry.iri)} ({entry.label}), obsolete: {replaced}"
                )
                return _with(hit, "obsolete", message)
            what = entry.note or "a different concept"
            other = (
                f"{lexicon.label(entry.look_alike_of)} ({compact(entry.look_alike_of)})"
                if entry.look_alike_of
                else "the term it resembles"
            )
            message = (
                f"'{hit.text}' is a look-alike: {entry.label} ({compact(entry.iri)}) is {what}; "
                f"it is not {other}"
            )
            return _with(hit, "look_alike", message)
        if hit.matched_as == "abbreviation" and not hit.iris() <= self.confirmed:
            term = hit.terms[0]
            where = lexicon.abbreviation_context(term.iri, hit.text)
            about = ", ".join(self.topic) or "its topic"
            message = (
                f"'{hit.text}' is not defined in the answer and '{term.label}' never appears in "
                f"it: the graph reads {hit.text} as {term.label} ({term.id}"
                + (f", an abbreviation in {where}" if where else "")
                + f"), but in an answer about {about} it may stand for something else; "
                "not used for checking (write the name in full)"
            )
            return _with(hit, "undefined_abbreviation", message)
        if len({match_key(t.label) for t in hit.terms}) > 1:
            names = ", ".join(f"{t.label} ({t.id})" for t in hit.terms)
            message = f"'{hit.text}' names different terms: {names}; not used for checking"
            return _with(hit, "ambiguous", message)
        return hit


def _with(hit: Hit, status: str, message: str) -> Hit:
    return Hit(
        hit.start, hit.end, hit.text, hit.terms, hit.matched_as, hit.refused, status, message
    )


def _definitions(found: Mapping[str, list[Hit]]) -> dict[str, tuple[str, ...]]:
    """Abbreviations the answer defines: "multiple sclerosis (MS)", or "MS (multiple sclerosis)"."""
    local: dict[str, tuple[str, ...]] = {}
    for text, hits in found.items():
        for hit in hits:
            if not hit.terms or hit.refused is not None:
                continue
            after = _DEFINITION_RE.match(text, hit.end)
            if hit.matched_as != "abbreviation" and after:
                short = after[1]
                if sum(c.isupper() for c in short) >= 2 and match_key(short) != match_key(hit.text):
                    local.setdefault(short, tuple(sorted(hit.iris())))
            elif hit.matched_as == "abbreviation":
                inside = re.match(r"\s*\(([^()]+)\)", text[hit.end :])
                full = [
                    h
                    for h in hits
                    if inside
                    and h.start == hit.end + inside.start(1)
                    and h.end == hit.end + inside.end(1)
                    and h.matched_as in ("label", "synonym")
                ]
                if full:
                    local.setdefault(hit.text, tuple(sorted(full[0].iris())))
    return local

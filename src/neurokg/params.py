"""Query parameters: read the ``name=value`` pairs a person types and make each value an RDF term.

Consumes: ``name=value`` strings, the parameters a named query declares (its ``# params:`` line),
and the names of the terms of the same engine, looked up by key as needed (``TermNames``,
``resolve.NameLookup``).
Produces: ``Param`` records, each holding an rdflib ``URIRef`` or ``Literal`` and how the text was
read, ready to be bound by an engine (``initBindings`` or ``query.bind_values``), never pasted
into query text.
Policy (the reading rule, first match wins):
  1. ``"text"`` or ``'text'`` is a plain literal; ``"text"@en`` a language-tagged literal;
     ``"5"^^xsd:integer`` (or ``^^<IRI>``) a typed literal. Quoting is how to force a literal.
  2. ``<IRI>`` and ``http(s)://...`` are IRIs.
  3. A CURIE whose prefix is in the project's prefix map is expanded. An identifier in a term
     namespace (``MONDO``, ``HP``, ``UBERON``, ``MAXO``, ``drugbank``, ``NKGT``), as a CURIE or
     as an IRI, must name a term of the graph, and no form of a refused identifier is accepted
     (both are errors that say what to use); others (``claim:``, ``source:``, ``nkg:``, ``RO:``)
     are taken as they are.
  4. Anything else is looked up as a term's label, synonym or abbreviation (``NameIndex`` rules):
     one match is that term's IRI; several is ``AmbiguousNameError``; a refused name is
     ``UnknownNameError``; else a bare claim id of the graph (``ms-blepharospasm-cohort-2008``)
     is that claim's IRI; no match at all is a plain literal, and the ``Param`` says so (``note``).
Every parameter a named query declares is required; a name it does not declare is an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rdflib import Literal, URIRef

from .errors import NeurokgError, UnknownNameError
from .namespaces import ENTITY_PREFIXES, PREFIX_MAP, compact, expand
from .query import BAD_IRI_RE, LANG_TAG_RE, Engine, Row, run_for
from .resolve import NameLookup

__all__ = [
    "Param",
    "TermNames",
    "check_param_names",
    "parse_assignments",
    "read_value",
    "resolve_params",
]

_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_QUOTED_RE = re.compile(
    r"""^(?P<q>["'])(?P<text>.*)(?P=q)(?:@(?P<lang>[^\s"']+)|\^\^(?P<dt>\S+))?$""",
    re.DOTALL,
)
_CURIE_RE = re.compile(r"^(?P<prefix>[A-Za-z_][\w.-]*):(?P<local>\S*)$")


@dataclass(frozen=True)
class Param:
    """One parameter: the text typed, the RDF term bound, and how the text was read."""

    name: str
    text: str
    value: URIRef | Literal
    read_as: str
    note: str | None = None


class TermNames:
    """The names of the terms one engine holds, read as they are needed (``NameLookup``)."""

    def __init__(self, lookup: NameLookup):
        self._lookup = lookup

    @classmethod
    def of(cls, engine: Engine) -> TermNames:
        """Names of the terms ``engine`` holds, looked up by key (``terms_named``, ``names_of``)."""
        return cls(NameLookup(engine))

    @property
    def index(self) -> NameLookup:
        return self._lookup

    def labels(self, rows: Sequence[Row]) -> dict[str, str]:
        """IRI -> label of every term (and refused identifier) and of every relation (the
        schema's properties: ``relation_labels``) named in ``rows``."""
        iris = list(dict.fromkeys(v for row in rows for v in row.values() if isinstance(v, URIRef)))
        self._lookup.prefetch(iris)
        labels = self._lookup.index().labels()
        unnamed = [iri for iri in iris if str(iri) not in labels]
        for row in run_for(self._lookup.engine, "relation_labels", "property", unnamed):
            labels.setdefault(str(row["property"]), str(row["label"]))
        return labels

    def is_refused_iri(self, iri: str) -> bool:
        """Whether the graph refuses ``iri`` (an obsolete or look-alike identifier)."""
        self._lookup.prefetch([URIRef(iri)])
        return self._lookup.index().is_refused(iri)

    def is_refused_name(self, text: str) -> bool:
        """Whether ``text`` is the label of a refused identifier."""
        return self._lookup.refuses_name(text)


def parse_assignments(items: Iterable[str]) -> dict[str, str]:
    """Split each ``name=value`` (``?name=`` and ``$name=`` too); a name may be given once."""
    found: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not _NAME_RE.match(name):
            raise NeurokgError(
                f"bad parameter {item!r}: write NAME=VALUE, NAME a SPARQL variable name "
                "without '?' (e.g. --param condition=MONDO:0005301)"
            )
        if name in found:
            raise NeurokgError(f"parameter {name!r} is given twice")
        found[name] = value
    return found


def check_param_names(query: str, declared: Sequence[str], given: Iterable[str]) -> None:
    """Raise unless ``given`` holds exactly the parameters ``declared`` by the query ``query``."""
    given_set = set(given)
    unknown = sorted(given_set - set(declared))
    if unknown:
        has = ", ".join(declared) if declared else "none"
        raise NeurokgError(
            f"query {query!r} has no parameter {', '.join(map(repr, unknown))}; its parameters: "
            f"{has} (see 'neurokg queries {query}')"
        )
    missing = [name for name in declared if name not in given_set]
    if missing:
        example = " ".join(f"--param {name}=VALUE" for name in missing)
        raise NeurokgError(f"query {query!r} needs parameter(s) {', '.join(missing)}: {example}")


def _literal(match: re.Match[str]) -> Literal:
    text, lang, datatype = match["text"], match["lang"], match["dt"]
    if lang:
        if not LANG_TAG_RE.fullmatch(lang):
            raise NeurokgError(
                f"{lang!r} is not a language tag: write letters and digits in parts of 1 to 8 "
                'joined by "-" (e.g. "text"@en, "text"@pt-BR)'
            )
        return Literal(text, lang=lang)
    if datatype:
        if datatype.startswith("<") and datatype.endswith(">"):
            return Literal(text, datatype=_checked(datatype[1:-1], datatype, "the datatype "))
        expanded = expand(datatype)
        if expanded is None:
            raise NeurokgError(f"unknown datatype {datatype!r}: write ^^xsd:NAME or ^^<IRI>")
        return Literal(text, datatype=_checked(str(expanded), datatype, "the datatype "))
    return Literal(text)


def _checked(iri: str, raw: str, what: str = "") -> URIRef:
    if BAD_IRI_RE.search(iri):
        raise NeurokgError(
            f'{what}{raw!r} is not a valid IRI (it holds one of <>"{{}}|^`\\ or a space)'
        )
    return URIRef(iri)


def _as_iri(raw: str) -> tuple[URIRef | None, str]:
    if raw.startswith("<") and raw.endswith(">") and not any(c.isspace() for c in raw):
        return _checked(raw[1:-1], raw), "IRI"
    if raw.startswith(("http://", "https://")) and not any(c.isspace() for c in raw):
        return _checked(raw, raw), "IRI"
    if _CURIE_RE.match(raw) is not None:
        prefix, _, local = raw.partition(":")
        namespace = PREFIX_MAP.get(prefix)
        return (_checked(namespace + local, raw) if namespace else None), "CURIE"
    return None, ""


def _is_term_namespace(iri: URIRef) -> bool:
    prefix, sep, _ = compact(str(iri)).partition(":")
    return bool(sep) and prefix in ENTITY_PREFIXES


def read_value(name: str, text: str, names: TermNames) -> Param:
    """Read the value ``text`` of parameter ``name`` by the module's rule; see the docstring."""
    raw = text.strip()
    quoted = _QUOTED_RE.match(raw)
    if quoted is not None:
        return Param(name, text, _literal(quoted), "literal")
    iri, read_as = _as_iri(raw)
    if iri is not None:
        if _is_term_namespace(iri) or names.is_refused_iri(str(iri)):
            typed = str(iri) if raw.startswith("<") else raw
            ref = names.index.resolve(typed)  # raises for refused and unknown identifiers
            return Param(name, text, URIRef(ref.iri), f"term identifier ({ref.label})")
        return Param(name, text, iri, read_as)
    if not raw:
        return Param(name, text, Literal(""), "literal")
    try:
        ref = names.index.resolve(raw)
    except UnknownNameError as err:
        if names.is_refused_name(raw):
            raise
        claim = names.index.claim_iri(raw)
        if claim is not None:
            return Param(name, text, URIRef(claim), f"claim id ({compact(claim)})")
        close = f" (did you mean: {'; '.join(err.suggestions)}?)" if err.suggestions else ""
        note = f"{raw!r} names no term, so it is bound as the literal {Literal(raw).n3()}{close}"
        return Param(name, text, Literal(raw), "literal", note)
    return Param(name, text, URIRef(ref.iri), f"term {ref.matched_as} ({ref.id} {ref.label})")


def resolve_params(assignments: Mapping[str, str], names: TermNames) -> dict[str, Param]:
    """Read every value of ``assignments`` (parameter name -> text) with ``read_value``."""
    return {name: read_value(name, text, names) for name, text in assignments.items()}

"""resolve.py: names, synonyms, abbreviations and CURIEs, and the look-alikes of this domain.

Every case runs on both resolvers: ``NameIndex`` (all names read at once) and ``NameLookup``
(look-up keys and a few index queries, what ``ask`` uses on large graphs).
"""

from __future__ import annotations

import pytest

from neurokg.errors import AmbiguousNameError, UnknownNameError
from neurokg.namespaces import compact
from neurokg.query import Engine
from neurokg.resolve import NameIndex, NameLookup, lookup_key
from neurokg.store import OxigraphEngine


@pytest.fixture(params=["index", "lookup"])
def index(request: pytest.FixtureRequest, ox_engine: OxigraphEngine) -> NameIndex | NameLookup:
    if request.param == "index":
        return NameIndex(ox_engine.named("term_names"))
    return NameLookup(ox_engine)


def _outcome(resolver: NameIndex | NameLookup, text: str) -> object:
    try:
        return resolver.resolve(text)
    except (AmbiguousNameError, UnknownNameError) as err:
        return (type(err).__name__, str(err))


def assert_lookup_agrees_with_index(engine: Engine) -> int:
    """Every name of the graph (and each in upper case) resolves alike by both resolvers."""
    rows = engine.named("term_names")
    full = NameIndex(rows)
    names = sorted({str(r["name"]) for r in rows} | {compact(str(r["term"])) for r in rows})
    for name in names:
        for text in (name, name.upper()):
            assert _outcome(NameLookup(engine), text) == _outcome(full, text), text
    return len(names)


def test_lookup_agrees_with_the_full_index_on_every_name(ox_engine: OxigraphEngine) -> None:
    assert assert_lookup_agrees_with_index(ox_engine) > 100


def test_every_name_has_its_lookup_key(ox_engine: OxigraphEngine) -> None:
    rows = ox_engine.named("term_names")
    keys = {
        (str(r["term"]), str(r["key"]))
        for r in ox_engine.select("SELECT ?term ?key WHERE { ?term nkg:lookupKey ?key }", {})
    }
    wanted = {(str(r["term"]), lookup_key(str(r["name"]))) for r in rows}
    assert wanted == keys


def test_lookup_reads_a_few_names_not_every_name(ox_engine: OxigraphEngine) -> None:
    lookup = NameLookup(ox_engine)
    assert lookup.resolve("MS").id == "MONDO:0005301"
    assert lookup.used == ["terms_named", "names_of"]
    with pytest.raises(UnknownNameError):
        lookup.resolve("blepharospazm")
    assert lookup.used[-1] == "term_names"  # only an unknown name reads them all, to suggest


@pytest.mark.parametrize(
    ("name", "curie", "matched_as"),
    [
        # HP's label beats MONDO's former label kept as a synonym: the sign, not the disease
        ("blepharospasm", "HP:0000643", "label"),
        ("Blepharospasm", "HP:0000643", "label"),
        ("benign essential blepharospasm", "MONDO:0011728", "label"),
        ("MS", "MONDO:0005301", "abbreviation"),
        ("ms", "MONDO:0005301", "abbreviation"),
        ("RRMS", "MONDO:0005314", "abbreviation"),
        ("Meige syndrome", "MONDO:0019772", "synonym"),
        ("thalamus", "UBERON:0001897", "synonym"),
        ("lenticular nucleus", "UBERON:0002263", "synonym"),
        ("GPi", "UBERON:0002477", "abbreviation"),
        ("GPe", "UBERON:0002476", "abbreviation"),
        ("CRP", "NKGT:canalith_repositioning_procedure", "abbreviation"),
        ("blepharoclonus", "NKGT:blepharoclonus", "label"),
        ("cranial dystonia", "HP:0012048", "synonym"),
        ("HP:0000643", "HP:0000643", "identifier"),
        ("http://purl.obolibrary.org/obo/MONDO_0005301", "MONDO:0005301", "identifier"),
        ("  multiple   sclerosis ", "MONDO:0005301", "label"),
    ],
)
def test_names_resolve_to_the_right_term(
    index: NameIndex | NameLookup, name: str, curie: str, matched_as: str
) -> None:
    ref = index.resolve(name)
    assert (ref.id, ref.matched_as) == (curie, matched_as)


@pytest.mark.parametrize(
    ("name", "candidates"),
    [
        ("focal dystonia", {"HP:0004373", "MONDO:0000477"}),
        ("paroxysmal dyskinesia", {"HP:0007166", "MONDO:0015427"}),
        ("oromandibular dystonia", {"HP:0012048", "MONDO:0019771"}),
    ],
)
def test_a_name_two_terms_share_is_ambiguous_never_guessed(
    index: NameIndex | NameLookup, name: str, candidates: set[str]
) -> None:
    with pytest.raises(AmbiguousNameError) as caught:
        index.resolve(name)
    assert {c.split(" ", 1)[0] for c in caught.value.candidates} == candidates


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("Meige disease", "Meige disease (ORPHA:90186) is Orphanet's 'Meige disease', a hered"),
        ("MONDO:0002825", "obsolete; its release replaces it by blepharospasm-oromandibular"),
        ("Meige", "blepharospasm-oromandibular dystonia syndrome (MONDO:0019772)"),
        ("HP:0000001", "no term of the graph has this identifier"),
    ],
)
def test_unknown_and_refused_names_say_what_to_use(
    index: NameIndex | NameLookup, name: str, hint: str
) -> None:
    with pytest.raises(UnknownNameError) as caught:
        index.resolve(name)
    assert hint in str(caught.value)


def test_a_convention_alternative_is_not_refused(index: NameIndex | NameLookup) -> None:
    # UBERON:0006514 'pallidum' is a real class the graph does not hold: unknown, not refused
    with pytest.raises(UnknownNameError) as caught:
        index.resolve("UBERON:0006514")
    assert "no term of the graph has this identifier" in str(caught.value)


def test_blepharoclonus_and_blepharospasm_are_different_terms(
    index: NameIndex | NameLookup,
) -> None:
    assert index.resolve("blepharoclonus").id != index.resolve("blepharospasm").id

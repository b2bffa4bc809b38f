"""queries/*.rq: portable, documented, equal rows on rdflib and Oxigraph, the rows the YAML implies.

Expected rows are derived from the curated claims (ontology/claims/*.yaml, the ``curation``
fixture) or named from them; a parameter is only ever bound as an RDF term, never pasted in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef, namespace
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.term import Node

from neurokg.build import KnowledgeGraph, claim_iri, iri, source_iri
from neurokg.errors import NeurokgError
from neurokg.load import Curation
from neurokg.namespaces import NKG, compact
from neurokg.query import LocalEngine, Row, bind_values, describe_query, run_for
from neurokg.resources import list_queries, query_text
from neurokg.results import query_columns
from neurokg.store import OxigraphEngine
from obo_parents import PART_OF, module_parents

MS = "MONDO:0005301"
RRMS = "MONDO:0005314"
MEIGE = "MONDO:0019772"
BLEPHAROSPASM = "HP:0000643"
BRAINSTEM = "UBERON:0002298"
BASAL_GANGLION = "UBERON:0002420"
LESIONS_IN = "RO:0004026"
ASSOCIATION_PREDICATES = {"RO:0002610", "RO:0003302", "RO:0004029"}

#: One binding per named query; a new query without a case here fails test_every_query_has_a_case.
CASES: dict[str, dict[str, Node]] = {
    "associations": {"condition": iri(MS)},
    "associations_between": {"a": iri(MS), "b": iri(BLEPHAROSPASM)},
    "claim_evidence": {"claim": claim_iri("meige-dbs-meta-analysis")},
    "claim_summary": {"claim": claim_iri("ms-blepharospasm-cohort-2008")},
    "claims_by_source": {"source": source_iri("founding_answer")},
    "claims_naming_both": {"a": iri(MS), "b": iri("UBERON:0001897")},
    "claims_pending_review": {},
    "conditions_with_lesions_in": {"site": iri(BRAINSTEM)},
    "conflicting_claims": {},
    "conflicts_about": {"term": iri(BLEPHAROSPASM)},
    "lesion_sites": {"condition": iri(MS)},
    "release_info": {},
    "release_graphs": {},
    "relation_labels": {},
    "look_alikes_of": {"term": iri(MEIGE)},
    "term_parents": {"term": iri("UBERON:0002474")},
    "shared_links": {"a": iri(MS), "b": iri(MEIGE)},
    "sources_by_kind": {},
    "source_identifiers": {},
    "syndrome_components": {"syndrome": iri(MEIGE)},
    "names_of": {"term": iri(BLEPHAROSPASM)},
    "term_names": {},
    "terms_named": {"key": Literal("ms")},
    "treatments": {"condition": iri(BLEPHAROSPASM)},
}

_XSD_INTEGER = namespace.XSD.integer
_INTEGER_SUBTYPES = {
    namespace.XSD.nonNegativeInteger,
    namespace.XSD.positiveInteger,
    namespace.XSD.int,
    namespace.XSD.long,
}


def _same_value(term: Node | None) -> Node | None:
    """Oxigraph stores xsd:integer subtypes as xsd:integer; compare those by integer value."""
    if isinstance(term, Literal) and term.datatype in _INTEGER_SUBTYPES:
        return Literal(str(term), datatype=_XSD_INTEGER)
    return term


def _as_set(rows: Iterable[Row], columns: list[str]) -> set[tuple[Node | None, ...]]:
    return {tuple(_same_value(row.get(c)) for c in columns) for row in rows}


def _ids(rows: Iterable[Row], column: str = "claim") -> set[str]:
    return {compact(str(row[column])).split(":", 1)[1] for row in rows}


def test_every_query_has_a_case() -> None:
    assert sorted(CASES) == list_queries()


@pytest.mark.parametrize("name", list_queries())
def test_query_is_portable_sparql(name: str) -> None:
    """Declares every prefix it uses: parses in rdflib and Oxigraph with no prefixes supplied."""
    text = query_text(name)
    prepareQuery(text)  # no initNs
    ox.Store().query(text)  # no prefixes=
    assert "SERVICE" not in text.upper()


@pytest.mark.parametrize("name", list_queries())
def test_header_documents_params_and_columns(name: str) -> None:
    text = query_text(name)
    doc = describe_query(name)
    assert doc.question, name
    assert re.search(r"^# params:", text, re.MULTILINE)
    documented = [re.split(r"[\s(]", column, maxsplit=1)[0] for column in doc.columns]
    assert documented == query_columns(text)
    body = text.split("WHERE", 1)[1]
    for param in doc.params:
        assert f"?{param}" in body, f"{name}: ?{param} is documented but never used"


@pytest.mark.parametrize("name", sorted(CASES))
def test_local_and_oxigraph_return_the_same_rows(
    name: str, local_engine: LocalEngine, ox_engine: OxigraphEngine
) -> None:
    columns = query_columns(query_text(name))
    assert columns is not None
    local = local_engine.named(name, **CASES[name])
    oxigraph = ox_engine.named(name, **CASES[name])
    assert local, f"{name} returns no rows: the comparison would prove nothing"
    assert len(local) == len(oxigraph)
    assert _as_set(local, columns) == _as_set(oxigraph, columns)


@pytest.mark.parametrize("name", sorted(name for name, bindings in CASES.items() if bindings))
def test_bind_values_gives_the_rows_of_init_bindings(
    name: str, local_engine: LocalEngine, ox_engine: OxigraphEngine
) -> None:
    """The VALUES block that remote endpoints get answers like rdflib's initBindings, on both
    engines (rdflib evaluates it bottom-up: a query must not walk a path from two unbound ends)."""
    text, bindings = query_text(name), CASES[name]
    columns = query_columns(text)
    assert columns is not None
    expected = _as_set(local_engine.named(name, **bindings), columns)
    assert _as_set(local_engine.select(bind_values(text, bindings), {}), columns) == expected
    assert _as_set(ox_engine.select(bind_values(text, bindings), {}), columns) == expected


# ---------------------------------------------------------------- rows the curated data implies


def _in_ms(curie: str | None) -> bool:
    return curie in (MS, RRMS)


def test_lesion_sites_of_ms_are_the_claims_about_ms_or_in_its_context(
    curation: Curation, ox_engine: OxigraphEngine
) -> None:
    rows = ox_engine.named("lesion_sites", condition=iri(MS))
    expected = {
        c.id
        for c in curation.claims
        if c.predicate == LESIONS_IN and (_in_ms(c.subject) or _in_ms(c.qualifiers.context))
    }
    assert _ids(rows) == expected
    assert "ms-paroxysmal-dyskinesia-lesion-midbrain-tegmentum" in expected
    # regression: claims with no context were matched through an unbound ?context
    assert "blepharospasm-lesion-rostral-brainstem" not in _ids(rows)
    assert all(compact(str(r["context"])) == MS for r in rows)


def test_lesion_sites_roll_up_the_part_of_hierarchy(ox_engine: OxigraphEngine) -> None:
    rows = ox_engine.named("lesion_sites", condition=iri(MS))
    regions = {
        compact(str(r["region"]))
        for r in rows
        if r["claim"] == claim_iri("ms-paroxysmal-dyskinesia-lesion-midbrain-tegmentum")
    }
    # midbrain tegmentum -> midbrain -> rostral brainstem -> brainstem -> brain, and from the
    # Uberon import module: brain -> central nervous system -> nervous system -> organism
    assert regions == {
        "UBERON:0001943",
        "UBERON:0001891",
        "NKGT:rostral_brainstem",
        BRAINSTEM,
        "UBERON:0000955",
        "UBERON:0001017",
        "UBERON:0001016",
        "UBERON:0000468",
    }


def _parts_within(curation: Curation, ontology_dir: Path, top: str) -> set[str]:
    """``top`` and every term part of it (part_of*), from the curated terms' ``part_of`` and the
    import modules' ``relationship: BFO:0000050`` lines, read without the query code."""
    up: dict[str, set[str]] = {t.id: {e.target for e in t.part_of} for t in curation.terms}
    for term, parents in module_parents(ontology_dir / "imports", PART_OF).items():
        up.setdefault(term, set()).update(parents)
    found, changed = {top}, True
    while changed:
        more = {t for t, ups in up.items() if ups & found} - found
        changed, found = bool(more), found | more
    return found


def _lesions_in(curation: Curation, ontology_dir: Path, site: str) -> set[str]:
    parts = _parts_within(curation, ontology_dir, site)
    return {c.id for c in curation.claims if c.predicate == LESIONS_IN and c.object in parts}


def test_conditions_with_lesions_in_the_brainstem_or_its_parts(
    ox_engine: OxigraphEngine, curation: Curation, ontology_dir: Path
) -> None:
    rows = ox_engine.named("conditions_with_lesions_in", site=iri(BRAINSTEM))
    assert _ids(rows) == _lesions_in(curation, ontology_dir, BRAINSTEM)
    assert {
        "blepharoclonus-no-consistent-brainstem-lesion",
        "blepharoclonus-lesion-medulla-series-2001",
        "blepharospasm-lesion-rostral-brainstem",
        "ms-paroxysmal-dyskinesia-lesion-midbrain-tegmentum",  # tegmentum part of midbrain
    } <= _ids(rows)
    tegmentum = next(
        r
        for r in rows
        if r["claim"] == claim_iri("ms-paroxysmal-dyskinesia-lesion-midbrain-tegmentum")
    )
    assert compact(str(tegmentum["reported_site"])) == "UBERON:0001943"
    assert compact(str(tegmentum["condition"])) == "HP:0007166"
    assert compact(str(tegmentum["context"])) == MS
    deprecated = next(
        r for r in rows if r["claim"] == claim_iri("blepharoclonus-no-consistent-brainstem-lesion")
    )
    assert deprecated["polarity"] == NKG.Negative and deprecated["status"] == NKG.Deprecated


def test_conditions_with_lesions_in_the_basal_ganglia(
    ox_engine: OxigraphEngine, curation: Curation, ontology_dir: Path
) -> None:
    rows = ox_engine.named("conditions_with_lesions_in", site=iri(BASAL_GANGLION))
    assert _ids(rows) == _lesions_in(curation, ontology_dir, BASAL_GANGLION)
    # the globus pallidus and lentiform nucleus are parts; the internal capsule is not
    assert {
        "founding-ms-movement-disorder-lesion-lentiform",
        "founding-ms-movement-disorder-lesion-globus-pallidus",
    } <= _ids(rows)
    assert "founding-ms-movement-disorder-lesion-internal-capsule" not in _ids(rows)


def test_associations_of_blepharospasm(curation: Curation, ox_engine: OxigraphEngine) -> None:
    rows = ox_engine.named("associations", condition=iri(BLEPHAROSPASM))
    expected = {
        c.id
        for c in curation.claims
        if c.predicate in ASSOCIATION_PREDICATES and BLEPHAROSPASM in (c.subject, c.object)
    }
    assert _ids(rows) == expected
    assert {"ms-blepharospasm-cohort-2008", "meige-has-blepharospasm"} <= expected
    cohort = [r for r in rows if r["claim"] == claim_iri("ms-blepharospasm-cohort-2008")]
    assert len(cohort) == 1
    assert str(cohort[0]["role"]) == "object"
    assert cohort[0]["source"] == source_iri("mult_scler_2008")
    assert cohort[0]["source_kind"] == NKG.CaseReport  # PubMed: Case Reports
    assert compact(str(cohort[0]["evidence"])) == "ECO:0000180"
    assert int(cohort[0]["trust"]) == 2  # type: ignore[call-overload]


def test_associations_of_ms_include_its_subtype(ox_engine: OxigraphEngine) -> None:
    rows = ox_engine.named("associations", condition=iri(MS))
    ids = _ids(rows)
    assert "founding-rrms-blepharospasm-association" in ids  # about RRMS, a subtype of MS
    assert "ms-restless-legs" in ids
    # two sources behind ms-restless-legs: one row each
    sources = {r["source"] for r in rows if r["claim"] == claim_iri("ms-restless-legs")}
    assert sources == {source_iri("ghosh2022"), source_iri("mehanna2013")}
    assert "ms-paroxysmal-dyskinesia-lesion-thalamus" not in ids  # a lesion claim, not one of these


def test_syndrome_components_of_meige(ox_engine: OxigraphEngine, curation: Curation) -> None:
    rows = ox_engine.named("syndrome_components", syndrome=iri(MEIGE))
    found = {(r["claim"], compact(str(r["feature"])), r["status"]) for r in rows}
    status = {"approved": NKG.Approved, "under_review": NKG.UnderReview}
    assert found == {
        (claim_iri(c.id), c.object, status.get(c.status, NKG[c.status.title()]))
        for c in curation.claims
        if c.subject == MEIGE and c.predicate == "RO:0004029"
    }
    assert {
        (claim_iri("meige-has-blepharospasm"), BLEPHAROSPASM, NKG.Approved),
        (claim_iri("meige-has-oromandibular-dystonia"), "HP:0012048", NKG.Approved),
        (
            claim_iri("founding-blepharospasm-segmental-craniocervical"),
            BLEPHAROSPASM,
            NKG.UnderReview,
        ),
    } <= found


def test_claims_by_source(curation: Curation, ox_engine: OxigraphEngine) -> None:
    rows = ox_engine.named("claims_by_source", source=source_iri("grandas1988"))
    assert _ids(rows) == {
        c.id for c in curation.claims if any(s.source == "grandas1988" for s in c.support)
    }
    assert {
        "blepharospasm-botulinum-toxin-a-series-1988",
        "blepharospasm-facial-nerve-avulsion",
        "blepharospasm-anticholinergics",
    } <= _ids(rows)
    founding = ox_engine.named("claims_by_source", source=source_iri("founding_answer"))
    cited = {compact(str(r["claim"])): r.get("cited_as") for r in founding}
    assert cited["claim:founding-ms-blepharospasm-association"] == Literal("[1]")
    assert cited["claim:founding-dont-miss"] is None  # the answer gives no marker there


def test_claims_pending_review(curation: Curation, ox_engine: OxigraphEngine) -> None:
    rows = ox_engine.named("claims_pending_review")
    expected = {c.id for c in curation.claims if c.status in ("submitted", "under_review")}
    assert _ids(rows) == expected
    assert "ms-paroxysmal-dyskinesia-clonazepam" in expected
    assert "founding-blepharospasm-is-paroxysmal-dyskinesia" not in _ids(rows)  # rejected


def test_sources_ranked_by_kind(curation: Curation, ox_engine: OxigraphEngine) -> None:
    rows = ox_engine.named("sources_by_kind")
    assert [str(r["key"]) for r in rows].count("grandas1988") == 1
    keys = {str(r["key"]) for r in rows}
    imports = {k for k in keys if k.startswith("import-")}  # the import modules' releases
    assert keys - imports == {s.key for s in curation.sources}
    assert imports and all(k.endswith("-import") for k in imports)
    trust = [int(r["trust"]) for r in rows]  # type: ignore[call-overload]
    assert trust == sorted(trust, reverse=True)
    last = rows[-1]
    assert str(last["key"]) == "founding_answer" and int(last["trust"]) == 0  # type: ignore[call-overload]
    counts = {str(r["key"]): int(r["claims"]) for r in rows}  # type: ignore[call-overload]
    for key in ("founding_answer", "grandas1988", "pandey2017"):
        assert counts[key] == sum(any(s.source == key for s in c.support) for c in curation.claims)


# ---------------------------------------------------------------- parameters are values, not text

HOSTILE = [
    "} ; DROP ALL ;",
    '"} ; DROP ALL ; #',
    "'} } DROP ALL ; SELECT * WHERE { ?s ?p ?o",
    '"""\n} ;\nDROP ALL ;\n"""',
    "{ ?s ?p ?o }",
    "\\",
    "MONDO:0005301> } ; DROP ALL ; <x",
]


def _quads(kg: KnowledgeGraph) -> int:
    return sum(1 for _ in kg.dataset.quads((None, None, None, None)))


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_value_matches_nothing_on_local_engine(
    value: str, kg: KnowledgeGraph, local_engine: LocalEngine
) -> None:
    before = _quads(kg)
    assert local_engine.named("lesion_sites", condition=Literal(value)) == []
    assert local_engine.named("claims_by_source", source=Literal(value)) == []
    assert _quads(kg) == before


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_value_matches_nothing_on_oxigraph(value: str, ox_engine: OxigraphEngine) -> None:
    before = len(ox_engine.store)
    assert ox_engine.named("lesion_sites", condition=Literal(value)) == []
    assert ox_engine.named("associations_between", a=Literal(value), b=iri(MS)) == []
    assert len(ox_engine.store) == before


@pytest.mark.parametrize("value", HOSTILE)
def test_bind_values_writes_one_value_and_one_select(value: str, ox_engine: OxigraphEngine) -> None:
    text = bind_values(query_text("lesion_sites"), {"condition": Literal(value)})
    parsed = parseQuery(text)
    assert len(parsed) == 2 and parsed[1].name == "SelectQuery"  # prologue + one query, no update
    assert prepareQuery(text).algebra.name == "SelectQuery"
    before = len(ox_engine.store)
    assert ox_engine.select(text, {}) == []
    assert len(ox_engine.store) == before
    # the value is one escaped literal in each VALUES block (the query's and its subquery's):
    # swapping it for another leaves the same query text
    assert text.count(Literal(value).n3()) == text.count("VALUES ?condition") + 1 == 2
    plain = bind_values(query_text("lesion_sites"), {"condition": Literal("x")})
    assert text.replace(Literal(value).n3(), Literal("x").n3()) == plain


def test_bind_values_accepts_only_iris_and_literals() -> None:
    with pytest.raises(NeurokgError):
        bind_values(query_text("lesion_sites"), {"condition": "MONDO:0005301"})  # type: ignore[dict-item]
    with pytest.raises(NeurokgError):
        bind_values(query_text("lesion_sites"), {"condition": BNode()})


def test_an_iri_parameter_with_forbidden_characters_is_refused_not_sent() -> None:
    from neurokg.errors import NeurokgError
    from neurokg.query import bind_values

    with pytest.raises(NeurokgError, match="not a valid IRI"):
        bind_values("SELECT * WHERE { ?s ?p ?o }", {"s": URIRef("http://x/> } ; DROP ALL ; <y")})


@pytest.mark.parametrize("name", ["claim_summary", "claim_evidence", "lesion_sites", "names_of"])
def test_run_for_many_values_equals_one_run_per_value(
    name: str, ox_engine: OxigraphEngine, local_engine: LocalEngine
) -> None:
    """``run_for`` (one query, a VALUES row per value; ask's batches) returns exactly the rows
    of one run per value, on both engines."""
    (variable,) = describe_query(name).params
    values = {
        "claim": [
            claim_iri("ms-blepharospasm-cohort-2008"),
            claim_iri("meige-dbs-meta-analysis"),
            claim_iri("ms-blepharospasm-cohort-2008"),
        ],
        "condition": [iri(MS), iri(BLEPHAROSPASM), iri(MEIGE)],
        "term": [iri(MS), iri(BLEPHAROSPASM), iri("MONDO:0002825")],
    }[variable]
    columns = describe_query(name).columns
    for engine in (ox_engine, local_engine):
        one_by_one = [row for value in values for row in engine.named(name, **{variable: value})]
        together = run_for(engine, name, variable, values)
        assert one_by_one, name
        assert _as_set(together, columns) == _as_set(one_by_one, columns)

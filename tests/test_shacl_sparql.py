"""SHACL as SPARQL on the store (neurokg.shacl_sparql) gives pySHACL's results.

Parity is the set of (focus node, source shape, result path, severity) of every result, as the
issue defines it: on every shape fixture (base + each good and bad file), on hand-written shapes
covering the features the compiler translates, and on the synthetic benchmark graph.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from neurokg.build import KnowledgeGraph
from neurokg.namespaces import META_GRAPH, NKG
from neurokg.shacl_sparql import Unsupported, compile_shapes, run_checks
from neurokg.shacl_sparql.edit import _meta_apart, validate_edit
from neurokg.shacl_sparql.scratch import content_graphs, scratch_store
from neurokg.store import load_into_store
from neurokg.store_terms import to_oxigraph_term
from neurokg.validate import _data_graph, load_shapes, run_shacl
from neurokg.validate_shacl import checked_shapes, split_shapes
from neurokg.validate_store import validate_claims
from test_shapes import FIXTURE_SHAPES, FIXTURES, fixture_graph

Row = tuple[Node | None, Node | None, Node | None, Node | None]


def tuples(report: Graph) -> set[Row]:
    return {
        (
            report.value(r, SH.focusNode),
            report.value(r, SH.sourceShape),
            report.value(r, SH.resultPath),
            report.value(r, SH.resultSeverity),
        )
        for r in report.subjects(RDF.type, SH.ValidationResult)
    }


def to_store(graph: Graph) -> ox.Store:
    store = ox.Store()
    store.extend(
        ox.Quad(to_oxigraph_term(s), to_oxigraph_term(p), to_oxigraph_term(o))  # type: ignore[arg-type]
        for s, p, o in graph
    )
    return store


def both(data: Graph, shapes: Graph) -> tuple[set[Row], set[Row]]:
    reference = tuples(run_shacl(data, shapes, engine="pyshacl"))
    return reference, tuples(run_checks(to_store(data), shapes).report)


CASES = ["base"] + [f"{s}.{kind}" for s in FIXTURE_SHAPES for kind in ("good", "bad")]


@pytest.mark.parametrize("case", CASES)
def test_parity_with_pyshacl_on_shape_fixtures(case: str) -> None:
    files = [FIXTURES / "base.ttl"] + ([FIXTURES / f"{case}.ttl"] if case != "base" else [])
    data = _data_graph(fixture_graph(*files))
    reference, got = both(data, load_shapes()[0])
    assert got == reference
    if case.endswith(".bad"):
        assert got, "a bad fixture must be reported by both engines"


PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <http://example.org/> .
"""

FEATURES = (
    PREFIXES
    + """
ex:S a sh:NodeShape ; sh:targetClass ex:Thing ;
  sh:property [ sh:path ( ex:a ex:b ) ; sh:minCount 1 ; sh:datatype xsd:integer ] ;
  sh:property [ sh:path [ sh:inversePath ex:owns ] ; sh:maxCount 1 ] ;
  sh:property [ sh:path [ sh:alternativePath ( ex:x ex:y ) ] ; sh:minLength 3 ; sh:maxLength 5 ] ;
  sh:property [ sh:path ex:n ; sh:minInclusive 1 ; sh:maxExclusive 10 ; sh:lessThan ex:m ] ;
  sh:property [ sh:path ex:k ; sh:xone ( [ sh:nodeKind sh:IRI ] [ sh:pattern "^z" ] ) ] ;
  sh:property [ sh:path ex:q ; sh:qualifiedValueShape [ sh:class ex:Part ] ;
                sh:qualifiedMinCount 1 ; sh:qualifiedMaxCount 2 ] ;
  sh:property [ sh:path ex:d ; sh:datatype xsd:date ; sh:severity sh:Warning ] ;
  sh:and ( [ sh:nodeKind sh:IRI ] [ sh:not [ sh:hasValue ex:forbidden ] ] ) .
ex:T a sh:NodeShape ; sh:targetSubjectsOf ex:tagged ; sh:targetNode ex:lone ;
  sh:property [ sh:path [ sh:zeroOrMorePath ex:parent ] ;
                sh:in ( ex:root ex:mid ex:leaf ex:lone ) ] .
"""
)

DATA = (
    PREFIXES
    + """
ex:t1 a ex:Thing ; ex:a [ ex:b 3 ] ; ex:x "abcd" ; ex:n 5 ; ex:m 6 ; ex:k ex:iri ;
      ex:q ex:p1 ; ex:d "2020-01-02"^^xsd:date .
ex:p1 a ex:Part .
ex:t2 a ex:Thing ; ex:a [ ex:b "three" ] ; ex:y "ab" ; ex:n 12 ; ex:m 3 ; ex:k "zebra" ;
      ex:q ex:p1 , ex:p2 , ex:p3 ; ex:d "2020-13-45"^^xsd:date .
ex:p2 a ex:Part . ex:p3 a ex:Part .
ex:o1 ex:owns ex:t2 . ex:o2 ex:owns ex:t2 .
ex:t3 a ex:Thing ; ex:k "apple" ; ex:n "x" .
ex:forbidden a ex:Thing .
ex:leaf ex:tagged true ; ex:parent ex:mid . ex:mid ex:parent ex:root .
ex:root ex:parent ex:elsewhere .
"""
)


def test_parity_on_the_features_the_compiler_translates() -> None:
    shapes = Graph().parse(data=FEATURES, format="turtle")
    data = Graph().parse(data=DATA, format="turtle")
    reference, got = both(data, shapes)
    assert got == reference
    assert len(reference) >= 8  # the data breaks most constraints at least once


@pytest.mark.parametrize(
    "extra",
    ["sh:closed true", "sh:property [ sh:path ex:a ; sh:equals ex:b ]", "sh:uniqueLang true"],
)
def test_a_feature_not_compiled_is_refused_not_skipped(extra: str) -> None:
    shapes = Graph().parse(
        data=PREFIXES + f"ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; {extra} .",
        format="turtle",
    )
    with pytest.raises(Unsupported):
        compile_shapes(shapes)


def test_every_packaged_shape_compiles() -> None:
    checks = compile_shapes(load_shapes()[0])
    shapes = {c.shape for c in checks if isinstance(c.shape, URIRef)}
    assert len(checks) > 60
    assert URIRef("https://w3id.org/neurokg/shapes/DirectTripleShape") in shapes


def _synthetic(triples: int) -> Graph:
    sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
    from generate import generate  # type: ignore[import-not-found]

    from neurokg.api import build_from

    kg = build_from(None)
    kg.dataset.parse(data=generate(triples), format="nquads")
    return _data_graph(kg)


@pytest.mark.parametrize("triples", [2_000])
def test_parity_with_pyshacl_on_the_synthetic_graph(triples: int) -> None:
    data = _synthetic(triples)
    shapes = load_shapes()[0]
    reference, got = both(data, shapes)
    assert got == reference
    assert reference  # the generator leaves deliberate faults


def test_parity_with_pyshacl_turbo_on_the_100k_synthetic_graph() -> None:
    """At 100k the reference engine takes minutes; pyshacl-turbo (pySHACL's API, and itself
    held to pySHACL at 2k by the test above) stands in."""
    data = _synthetic(100_000)
    shapes = load_shapes()[0]
    reference = tuples(run_shacl(data.serialize(format="nt"), shapes, engine="turbo"))
    got = tuples(run_checks(to_store(data), shapes).report)
    assert got == reference
    assert reference
    assert pyshacl.__version__  # the reference is installed: the tests above ran it


# ---------------------------------------------------------------- one edited claim (focus.py)

Keyed = tuple[object, Node | None, Node | None, Node | None, Node | None, Node | None]


def _keyed(report: Graph, marker_key: Callable[[Node], object]) -> set[Keyed]:
    """Results with the focus node as a comparable key (a direct-layer description as its
    triple: blank node ids differ between stores)."""
    found = set()
    for r in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(r, SH.focusNode)
        assert focus is not None
        found.add(
            (
                marker_key(focus) if isinstance(focus, BNode) else focus,
                report.value(r, SH.sourceShape),
                report.value(r, SH.sourceConstraintComponent),
                report.value(r, SH.resultPath),
                report.value(r, SH.value),
                report.value(r, SH.resultSeverity),
            )
        )
    return found


def _full_run(store: ox.Store) -> set[Keyed]:
    """The full validation (validate_store's sparql path) of ``store``."""
    curated, others = split_shapes(checked_shapes()[0])
    with scratch_store(store) as copy:
        report = run_checks(copy, others, graphs=content_graphs(copy)).report
        report += run_checks(copy, curated, graphs=content_graphs(copy, curated_only=True)).report

        def key(node: Node) -> object:
            quads = copy.quads_for_pattern(ox.BlankNode(str(node)), None, None)
            return frozenset((q.predicate.value, str(q.object)) for q in quads)

        return _keyed(report, key)


def _marker_key(markers: Graph) -> Callable[[Node], object]:
    def key(node: Node) -> object:
        return frozenset((str(p), str(to_oxigraph_term(o))) for p, o in markers[node])

    return key


def _edit_cases() -> list[str]:
    return ["base"] + [f"{s}.bad" for s in FIXTURE_SHAPES]


@pytest.mark.parametrize("case", _edit_cases())
def test_one_edited_claim_gets_the_full_runs_results_about_its_focus_nodes(case: str) -> None:
    """For every claim of a fixture (the bad ones break each shape, claims included): the
    results of validating that claim's edit on the store as it is equal the full validation's
    results restricted to the edit's focus nodes; and the claims' runs together find every
    claim-level result of the full run."""
    files = [FIXTURES / "base.ttl"] + ([FIXTURES / f"{case}.ttl"] if case != "base" else [])
    kg = fixture_graph(*files)
    store = load_into_store(kg.dataset, ox.Store())
    full = _full_run(store)
    shapes = checked_shapes()[0]  # the same shapes graph: property shapes are blank nodes
    claims = sorted(c for c in kg.dataset.subjects(NKG.subject, None) if isinstance(c, URIRef))
    assert claims
    found: set[Keyed] = set()
    for claim in claims:
        edit = validate_edit(store, [claim], shapes)
        assert claim in edit.claims and set(edit.claims) <= set(edit.focus)
        key = _marker_key(edit.markers)
        focus = {key(n) if isinstance(n, BNode) else n for n in edit.focus}
        got = _keyed(edit.report, key)
        assert got == {k for k in full if k[0] in focus}, claim
        found |= got
    assert {k for k in full if k[0] in claims} <= found
    name = case.removesuffix(".bad")
    if name in _ABOUT_A_CLAIM:  # the fixture breaks a claim or its statement's direct triple
        assert any(k[1] == URIRef(f"https://w3id.org/neurokg/shapes/{name}") for k in found)
    if name == "ClaimShape":  # its property shapes are blank nodes: the broken claim
        assert any(k[0] == URIRef("https://w3id.org/neurokg/claim/bad-claim") for k in found)


#: Fixtures whose fault an edit of one of their claims must find (the direct triple's through
#: its description, a blank node validated apart: edit.py).
_ABOUT_A_CLAIM = {
    "ContradictionShape",
    "ApprovedClaimSourceShape",
    "CitedSourceShape",
    "DirectTripleShape",
}


def test_an_edit_that_breaks_a_claim_is_found_on_the_store_as_it_is(kg: KnowledgeGraph) -> None:
    """Approve a founding-answer claim whose only source is the AI-written answer: validating
    that claim alone with the sparql engine finds it, as the full run does."""
    store = load_into_store(kg.dataset, ox.Store())
    claim = URIRef("https://w3id.org/neurokg/claim/founding-ms-blepharospasm-association")
    assert validate_claims(store, [claim], shacl_engine="sparql").conforms
    graph = ox.NamedNode("https://w3id.org/neurokg/graph/claims")
    status = ox.NamedNode(str(NKG.curationStatus))
    for quad in list(store.quads_for_pattern(ox.NamedNode(str(claim)), status, None)):
        store.remove(quad)
    store.add(ox.Quad(ox.NamedNode(str(claim)), status, ox.NamedNode(str(NKG.Approved)), graph))
    report = validate_claims(store, [claim], shacl_engine="sparql")
    assert {(r.check, r.record) for r in report.results} == {
        ("ApprovedClaimSourceShape", "claim:founding-ms-blepharospasm-association")
    }
    turbo = validate_claims(store, [claim], shacl_engine="turbo")
    assert {(r.check, r.record, r.path) for r in turbo.results} == {
        (r.check, r.record, r.path) for r in report.results
    }


def test_an_edit_pointing_at_the_release_description_reads_no_meta() -> None:
    """The full run's copy leaves the meta graph out; the edit's run reads the union of all
    graphs only while nothing points at what meta describes, else every graph but meta."""
    kg = fixture_graph(FIXTURES / "base.ttl")
    store = load_into_store(kg.dataset, ox.Store())
    release = ox.NamedNode("https://w3id.org/neurokg/release/test")
    meta = ox.NamedNode(str(META_GRAPH))
    store.add(ox.Quad(release, ox.NamedNode(str(NKG.contentHash)), ox.Literal("x"), meta))
    assert _meta_apart(store)
    claim = URIRef("https://w3id.org/neurokg/claim/ms-blepharospasm")
    cites = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
    graph = ox.NamedNode("https://w3id.org/neurokg/graph/claims")
    store.add(ox.Quad(ox.NamedNode(str(claim)), cites, release, graph))
    assert not _meta_apart(store)
    full = _full_run(store)
    edit = validate_edit(store, [claim], checked_shapes()[0])
    key = _marker_key(edit.markers)
    focus = {key(n) if isinstance(n, BNode) else n for n in edit.focus}
    got = _keyed(edit.report, key)
    assert got == {k for k in full if k[0] in focus}
    assert any(k[4] == URIRef(release.value) for k in got)  # cited, and not a known source


def test_a_value_added_or_taken_away_after_a_clean_run_is_found() -> None:
    """What an edit leaves out by a node's number of values (``Check.counts``: a node with one
    value cannot break sh:maxCount 1) and the quads it reads once: validate a clean claim, then
    give it a second value of each property it has, and take away each of its values, in turn.
    Each time the edit's results equal the full run's about its focus nodes, so nothing read
    before the change is reused; and the counts found broken are among them."""
    kg = fixture_graph(FIXTURES / "base.ttl")
    store = load_into_store(kg.dataset, ox.Store())
    shapes = checked_shapes()[0]
    claim = URIRef("https://w3id.org/neurokg/claim/ms-blepharospasm")
    node = ox.NamedNode(str(claim))
    assert not tuples(validate_edit(store, [claim], shapes).report)
    other = ox.NamedNode("https://w3id.org/neurokg/term/another-value")
    components: set[Node | None] = set()
    for quad in list(store.quads_for_pattern(node, None, None)):
        if quad.predicate.value == str(RDF.type):
            continue
        second = ox.Quad(node, quad.predicate, other, quad.graph_name)
        for change, undo in ((store.add, store.remove), (store.remove, store.add)):
            changed = second if change == store.add else quad
            change(changed)
            edit = validate_edit(store, [claim], shapes)
            key = _marker_key(edit.markers)
            focus = {key(n) if isinstance(n, BNode) else n for n in edit.focus}
            got = _keyed(edit.report, key)
            assert got == {k for k in _full_run(store) if k[0] in focus}, (changed, got)
            components |= {k[2] for k in got if k[0] == claim}
            undo(changed)
    assert {SH.MinCountConstraintComponent, SH.MaxCountConstraintComponent} <= components
    assert not tuples(validate_edit(store, [claim], shapes).report)


def test_a_check_kept_across_edits_reads_nothing_in_the_store() -> None:
    """``Check.pure`` checks' answers about an IRI are kept from one edit to the next (focus.py):
    each packaged one gives the same rows on an empty store as on the fixture's, for every IRI
    of it; a check reading the store is never pure; and the answers kept are those of the query
    text, so a changed shape is asked again."""
    from neurokg.shacl_sparql.compile import FOCUS_SLOT
    from neurokg.shacl_sparql.focus import _values, run_focus

    store = load_into_store(fixture_graph(FIXTURES / "base.ttl").dataset, ox.Store())
    iris = sorted({q.subject for q in store if isinstance(q.subject, ox.NamedNode)}, key=str)
    pure = [c for c in compile_shapes(checked_shapes()[0]) if c.pure]
    assert pure and all("EXISTS" not in c.bound.upper() for c in pure)
    for check in pure:
        query = check.bound.replace(FOCUS_SLOT, _values(iris, None))
        rows = {str(r["this"]) for r in store.query(query, use_default_graph_as_union=True)}  # type: ignore[union-attr]
        assert rows == {str(r["this"]) for r in ox.Store().query(query)}, check.shape  # type: ignore[union-attr]
    node = "https://w3id.org/neurokg/term/a"
    shape = f"""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <https://w3id.org/neurokg/shapes/S> a sh:NodeShape ; sh:targetNode <{node}> ;
            sh:nodeKind sh:IRI ; sh:pattern "^https://w3id.org/neurokg/%s" ."""
    for pattern, breaks in (("term/", False), ("claim/", True), ("term/", False), ("x", True)):
        shapes = Graph().parse(data=shape % pattern, format="turtle")
        assert [c.pure for c in compile_shapes(shapes)] == [True, True]
        outcome = run_focus(ox.Store(), shapes, [ox.NamedNode(node)])
        assert outcome.conforms is not breaks, pattern
    kind = Graph().parse(
        data=shape.replace("sh:nodeKind sh:IRI", "sh:class <x:C>") % "", format="turtle"
    )
    assert [c.pure for c in compile_shapes(kind)] == [False, True]


@pytest.mark.parametrize("case", _edit_cases())
def test_an_edits_neighbours_read_by_index_are_those_the_query_selects(case: str) -> None:
    """``_neighbours`` (the store's index) finds what the ``_EDIT`` query selects, for every
    claim of every fixture: the claims making its statement, the nodes and the statements."""
    from neurokg.shacl_sparql.edit import _EDIT, _neighbours

    files = [FIXTURES / "base.ttl"] + ([FIXTURES / f"{case}.ttl"] if case != "base" else [])
    kg = fixture_graph(*files)
    store = load_into_store(kg.dataset, ox.Store())
    claims = sorted(c for c in kg.dataset.subjects(NKG.subject, None) if isinstance(c, URIRef))
    several = 0
    for claim in claims:
        rows = list(store.query(_EDIT % f"<{claim}>", use_default_graph_as_union=True))  # type: ignore[arg-type]
        touched, nodes, edges = _neighbours(store, {}, [ox.NamedNode(str(claim))])
        assert set(touched) == {r["claim"] for r in rows}, claim
        assert set(nodes) == {r["node"] for r in rows if not isinstance(r["node"], ox.Literal)}
        assert set(edges) == {
            ox.Triple(r["s"], r["p"], r["o"]) for r in rows if isinstance(r["o"], ox.NamedNode)
        }
        several += len(touched) > 1
    if case == "ContradictionShape.bad":  # two claims make the same statement
        assert several

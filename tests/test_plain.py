"""Plain rows (plain.py): the rdflib-free path that ``ask`` takes on an Oxigraph store.

Every named query gives, as plain rows, exactly the text of its rdflib rows, on both engines;
plain parameters bind like rdflib terms and cannot break out of their term; the answers are
those of the rdflib engine; and the console script ends quickly without losing output.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.term import Node

from neurokg.ask import ask
from neurokg.cli import main
from neurokg.errors import NeurokgError
from neurokg.graph_cache import CACHE_ENV
from neurokg.limits import QueryLimitError, within_time
from neurokg.plain import Iri, Text, plain_row, plain_value, sparql_text
from neurokg.query import LocalEngine, bind_values, plain_named, plain_run_for, plain_select
from neurokg.render import _wrap
from neurokg.resources import query_text
from neurokg.store import OxigraphEngine
from test_queries import CASES


def _plain_bindings(bindings: dict[str, Node]) -> dict[str, Iri | Text]:
    return {k: Iri(v) if isinstance(v, URIRef) else Text(v) for k, v in bindings.items()}


def _sorted(rows: list[dict[str, str]]) -> list[list[tuple[str, str, bool]]]:
    """Rows as comparable lists that keep each value's text and whether it is an IRI."""
    return sorted(sorted((k, str(v), isinstance(v, Iri)) for k, v in r.items()) for r in rows)


@pytest.mark.parametrize("name", sorted(CASES))
def test_plain_rows_are_the_text_of_the_rdflib_rows(
    name: str, local_engine: LocalEngine, ox_engine: OxigraphEngine
) -> None:
    rdflib_rows = [plain_row(r) for r in ox_engine.named(name, **CASES[name])]
    assert rdflib_rows, f"{name} returns no rows: the comparison would prove nothing"
    plain = _plain_bindings(CASES[name])
    assert _sorted(plain_named(ox_engine, name, **plain)) == _sorted(rdflib_rows)
    assert _sorted(plain_named(local_engine, name, **plain)) == _sorted(rdflib_rows)


def test_plain_values_keep_what_an_iri_is() -> None:
    assert plain_value(URIRef("http://example.org/a")) == Iri("http://example.org/a")
    assert isinstance(plain_value(URIRef("http://example.org/a")), Iri)
    assert type(plain_value(Literal("12"))) is str
    assert plain_value(Literal(3)) == "3"
    same = Iri("http://example.org/a")
    assert plain_value(same) is same
    assert plain_row({"a": URIRef("http://x.org/"), "b": "text"}) == {
        "a": "http://x.org/",
        "b": "text",
    }


@pytest.mark.parametrize(
    "text",
    ['a "quoted" name', "line\nbreak", "back\\slash } ) . UNION { ?s ?p ?o }", "'single'", "é"],
)
def test_a_text_parameter_is_one_literal_whatever_it_holds(
    text: str, ox_engine: OxigraphEngine
) -> None:
    """Bound, it comes back exactly as given, and matches no look-up key (none has these)."""
    assert plain_select(ox_engine, "SELECT ?x WHERE {}", {"x": Text(text)}) == [{"x": text}]
    assert plain_run_for(ox_engine, "terms_named", "key", [Text(text)]) == []
    assert sparql_text(Text(text)).startswith('"')


def test_a_bare_string_is_neither_an_iri_nor_a_literal() -> None:
    """A bare ``str`` could be meant as either, so it is refused rather than guessed."""
    with pytest.raises(NeurokgError, match="must be an IRI or a literal"):
        bind_values(query_text("lesion_sites"), {"condition": "MONDO:0005301"})  # type: ignore[dict-item]
    with pytest.raises(NeurokgError, match="not a valid IRI"):
        bind_values(query_text("lesion_sites"), {"condition": Iri("http://a/> } ?x")})


@pytest.mark.parametrize(
    ("first", "second"),
    [  # blepharospasm and MS: test_ask.py; each pair costs rdflib's engine 10-15 s
        ("Meige syndrome", "globus pallidus"),  # look-alikes, treatments and their qualifiers
        ("cerebellar peduncle", "cerebellum"),  # an is-a + part-of chain from the import modules
    ],
)
def test_answers_on_plain_rows_are_the_answers_on_rdflib(
    first: str, second: str, local_engine: LocalEngine, ox_engine: OxigraphEngine
) -> None:
    assert (
        ask(ox_engine, first, second, version="x").as_dict()
        == ask(local_engine, first, second, version="x").as_dict()
    )


@pytest.mark.parametrize(
    "text",
    [
        "short",
        "x" * 98,
        "x" * 99,
        "word " * 30,
        "trailing space ",
        "tab\there",
        "line\nbreak",
        "  leading",
        "",
        "   ",
        "non-breaking\xa0end\xa0",
    ],
)
@pytest.mark.parametrize("indent", ["", "  ", "    "])
def test_a_line_that_fits_is_wrapped_as_textwrap_wraps_it(text: str, indent: str) -> None:
    expected = textwrap.fill(text, width=100, initial_indent=indent, subsequent_indent=indent)
    assert _wrap(text, indent) == expected


def test_the_forked_child_answers_errors_and_large_values() -> None:
    assert within_time(lambda: list(range(100_000)), 10)[-1] == 99_999  # more than a pipe holds
    with pytest.raises(QueryLimitError, match=r"ended without an answer \(exit 3\)"):
        within_time(lambda: os._exit(3), 10)
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        within_time(lambda: 1 // 0, 10)


def _console(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "neurokg", "-q", *args],
        capture_output=True,
        text=True,
        env={**os.environ, CACHE_ENV: str(cache)},
        check=False,
    )


def test_the_console_script_prints_the_whole_answer_and_its_exit_code(tmp_path: Path) -> None:
    """``python -m neurokg`` ends ``ask`` with a quick exit: the output is all there, and an
    error still says what went wrong, with exit code 2."""
    expected = CliRunner().invoke(main, ["-q", "ask", "blepharospasm", "MS"])
    assert expected.exit_code == 0
    run = _console("ask", "blepharospasm", "MS", cache=tmp_path)
    assert run.returncode == 0 and run.stdout == expected.output
    bad = _console("ask", "blepharospasm", "no such thing", cache=tmp_path)
    assert bad.returncode == 2 and "no term is named 'no such thing'" in bad.stderr


def test_the_prefix_map_writes_the_w3c_namespaces_as_rdflib_does() -> None:
    """prefixes.py spells them out (it imports no rdflib); they must be rdflib's, letter for
    letter, and namespaces.py's rdflib terms must be the same strings."""
    from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

    from neurokg import namespaces, prefixes

    w3c = {"rdfs": RDFS, "rdf": RDF, "owl": OWL, "skos": SKOS, "prov": PROV}
    for prefix, namespace in {**w3c, "dcterms": DCTERMS, "xsd": XSD}.items():
        assert prefixes.PREFIX_MAP[prefix] == str(namespace), prefix
    assert str(namespaces.PART_OF) == prefixes.PART_OF_IRI == str(namespaces.OBO["BFO_0000050"])
    assert str(namespaces.CLAIM) == prefixes.CLAIM_BASE
    assert namespaces.PREFIX_MAP is prefixes.PREFIX_MAP

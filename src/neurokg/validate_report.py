"""The validation report: its findings, grouped, for people (text), machines (JSON) and
spreadsheets (a TSV in the manner of ROBOT's ``report``); and the report of load errors.

Consumes: ``Result`` and ``PendingClaim`` values (validate.py, validate_store.py) or the
``SourceError`` values of a load. Produces: ``ValidationReport`` and its renderings;
``load_error_report`` for curated files that could not be loaded.
Policy: findings are grouped by severity, check (the shape or quality check) and message with the
record's own name taken out, so 1,097 copies of one finding are one line with a count and the
first records. A group larger than ``DETAIL_LIMIT`` is shown only in that summary (every result
stays in JSON and TSV); ``--verbose`` text shows them all. Nothing here changes a graph.
"""

from __future__ import annotations

import csv
import io
import json
import os
import textwrap
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import LoadErrors, SourceError
from .records import Origin

if TYPE_CHECKING:
    from rdflib import Graph

    from .reason import ReasonerVerdict

__all__ = [
    "DETAIL_LIMIT",
    "FAIL_ON",
    "SEVERITIES",
    "Group",
    "PendingClaim",
    "Result",
    "ValidationReport",
    "load_error_report",
    "result_order",
]

SEVERITIES = ("violation", "warning", "info")
#: ``--fail-on``: the least severe finding that makes validation fail (exit 3).
FAIL_ON = ("violation", "warning")
#: Groups with more results than this are shown in text as their summary line only.
DETAIL_LIMIT = 10
#: How many records a group's summary names.
FIRST_RECORDS = 3
_PLURAL = {"violation": "violations", "warning": "warnings", "info": "info"}
_ROBOT_LEVEL = {"violation": "ERROR", "warning": "WARN", "info": "INFO"}
#: ROBOT ``report``'s columns, then what neurokg adds.
_TSV_HEAD = ("Level", "Rule Name", "Subject", "Property", "Value", "Message", "Fix", "File", "Line")


@dataclass(frozen=True)
class Result:
    """One finding: what is wrong with which record, where it was curated, and how to fix it."""

    severity: str
    check: str
    record: str
    message: str
    fix: str = ""
    value: str | None = None
    path: str | None = None
    origin: Origin | None = None

    def as_dict(self) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items() if k != "origin"}
        data["file"] = self.origin.path if self.origin else None
        data["line"] = self.origin.line if self.origin else None
        return data

    def pattern(self) -> str:
        """The message with the record's own name and value taken out (the grouping key)."""
        text = self.message
        for name, mark in ((self.record, "{record}"), (self.value, "{value}")):
            if name and len(name) > 2:
                text = text.replace(name, mark)
        return text


@dataclass(frozen=True)
class PendingClaim:
    """A claim waiting for review (status submitted or under_review)."""

    claim: str
    status: str
    statement: str
    origin: Origin | None = None


@dataclass(frozen=True)
class Group:
    """Results of one severity, check and message pattern."""

    severity: str
    check: str
    pattern: str
    results: tuple[Result, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "check": self.check,
            "message": self.pattern,
            "count": len(self.results),
            "fix": self.results[0].fix,
            "first": [
                {"record": r.record, "file": _path(r), "line": _line(r)}
                for r in self.results[:FIRST_RECORDS]
            ],
        }


def _path(result: Result) -> str | None:
    return result.origin.path if result.origin else None


def _line(result: Result) -> int | None:
    return result.origin.line if result.origin else None


def group_results(results: Sequence[Result]) -> list[Group]:
    """Results grouped by severity, check and message pattern; most severe, largest first."""
    groups: dict[tuple[str, str, str], list[Result]] = defaultdict(list)
    for result in results:
        groups[(result.severity, result.check, result.pattern())].append(result)
    return sorted(
        (Group(s, c, p, tuple(rs)) for (s, c, p), rs in groups.items()),
        key=lambda g: (SEVERITIES.index(g.severity), -len(g.results), g.check, g.pattern),
    )


@dataclass(frozen=True)
class ValidationReport:
    """Everything validation found; ``conforms`` is False on any violation."""

    conforms: bool
    results: tuple[Result, ...]
    report_graph: Graph
    pending: tuple[PendingClaim, ...]
    reasoner: ReasonerVerdict | None
    shapes: int
    shape_files: tuple[str, ...]
    triples: int
    timings: Mapping[str, float] = field(default_factory=dict)

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)

    def fails(self, fail_on: str = "violation") -> bool:
        """Whether a finding at ``fail_on`` (``FAIL_ON``) or more severe is present."""
        worst = SEVERITIES[: SEVERITIES.index(fail_on) + 1]
        return any(r.severity in worst for r in self.results)

    def groups(self) -> list[Group]:
        return group_results(self.results)

    def summary(self) -> dict[str, Any]:
        return {
            "conforms": self.conforms,
            "triples": self.triples,
            "shapes": self.shapes,
            "shape_files": list(self.shape_files),
            "results": {s: self.count(s) for s in SEVERITIES},
            "reasoner": self.reasoner.describe() if self.reasoner else "not run",
            "pending_review": len(self.pending),
            "seconds": {k: round(v, 3) for k, v in self.timings.items()},
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "summary": self.summary(),
            "groups": [g.as_dict() for g in self.groups()],
            "results": [r.as_dict() for r in self.results],
            "pending": [
                {
                    "claim": p.claim,
                    "status": p.status,
                    "statement": p.statement,
                    "file": p.origin.path if p.origin else None,
                    "line": p.origin.line if p.origin else None,
                }
                for p in self.pending
            ],
        }

    def as_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False)

    def as_tsv(self) -> str:
        """One row per result, ROBOT ``report`` columns first (Level, Rule Name, Subject,
        Property, Value), then the message, fix, file and line."""
        out = io.StringIO()
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(_TSV_HEAD)
        for r in self.results:
            row = [_ROBOT_LEVEL[r.severity], r.check, r.record, r.path or "", r.value or ""]
            writer.writerow([*row, _one_line(r.message), _one_line(r.fix), _path(r) or "",
                             _line(r) or ""])  # fmt: skip
        return out.getvalue()

    def text(self, *, verbose: bool = False) -> str:
        """For people: a summary by check, then details by file and record; info and large
        groups folded into the summary unless verbose."""
        return "\n".join(_text_lines(self, verbose)) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def result_order(result: Result) -> tuple[str, int, str, int, str, str]:
    origin = result.origin
    return (
        origin.path if origin else "~",
        origin.line if origin else 0,
        result.record,
        SEVERITIES.index(result.severity),
        result.check,
        result.value or "",
    )


# ---------------------------------------------------------------------------------- text
def _display(path: str) -> str:
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def _first(group: Group) -> str:
    named = []
    for r in group.results[:FIRST_RECORDS]:
        where = f" ({_display(r.origin.path)}:{r.origin.line})" if r.origin else ""
        named.append(r.record + where)
    more = len(group.results) - FIRST_RECORDS
    return ", ".join(named) + (f" and {more:,} more" if more > 0 else "")


def _group_lines(groups: list[Group]) -> Iterator[str]:
    shown = [g for g in groups if g.severity != "info"]
    if not shown:
        return
    yield "\nFindings by check (count, check, message; first records):"
    for group in shown:
        count = f"{len(group.results):>6,}"
        yield f"  {group.severity.upper():<9} {count}  {group.check}: {group.pattern}"
        yield from textwrap.wrap(
            _first(group), 96, initial_indent="            first: ", subsequent_indent=" " * 14
        )


def _text_lines(report: ValidationReport, verbose: bool) -> Iterator[str]:
    verdict = "conforms" if report.conforms else "DOES NOT CONFORM"
    counts = ", ".join(
        f"{n:,} {s if n == 1 else _PLURAL[s]}" for s in SEVERITIES for n in [report.count(s)]
    )
    reasoner = report.reasoner.describe() if report.reasoner else "not run"
    yield f"neurokg validate: the graph {verdict} ({counts})"
    yield (
        f"Checked {report.triples} triples against {report.shapes} shapes in "
        f"{len(report.shape_files)} files; OWL reasoning (HermiT): {reasoner}"
    )
    yield "Timings: " + ", ".join(f"{k} {v:.2f} s" for k, v in report.timings.items())
    groups = report.groups()
    yield from _group_lines(groups)
    large = [g for g in groups if g.severity != "info" and len(g.results) > DETAIL_LIMIT]
    folded = {id(r) for g in large for r in g.results}
    shown = [r for r in report.results if verbose or (r.severity != "info" and id(r) not in folded)]
    if folded and not verbose:
        yield (
            f"\n(groups of more than {DETAIL_LIMIT} results are listed above only; "
            "--verbose, --format json or --format tsv list every result)"
        )
    yield from _detail_lines(shown)
    if not verbose:
        yield from _info_summary([r for r in report.results if r.severity == "info"])
    yield f"\nPending review: {len(report.pending)} claims"
    for p in report.pending:
        where = f"  ({_display(p.origin.path)}:{p.origin.line})" if p.origin else ""
        yield f"  {p.claim}  [{p.status}]  {p.statement}{where}"


def _detail_lines(shown: list[Result]) -> Iterator[str]:
    groups: dict[str, dict[tuple[int, str], list[Result]]] = defaultdict(lambda: defaultdict(list))
    for result in shown:
        where = _display(result.origin.path) if result.origin else "(no curated record)"
        groups[where][(result.origin.line if result.origin else 0, result.record)].append(result)
    for where, records in groups.items():
        yield f"\n{where}"
        for (line, record), results in records.items():
            yield f"  {record}" + (f" (line {line})" if line else "")
            for r in results:
                yield f"    {r.severity.upper():<9} {r.message}"
                details = [f"value: {r.value}"] if r.value else []
                details += [f"path: {r.path}"] if r.path else []
                yield "              " + "  ".join([*details, f"check: {r.check}"])
                if r.fix:
                    yield f"              fix: {r.fix}"


def _info_summary(infos: list[Result]) -> Iterator[str]:
    by_check: dict[str, list[Result]] = defaultdict(list)
    for result in infos:
        by_check[result.check].append(result)
    for check, results in sorted(by_check.items()):
        yield f"\nINFO {check} ({len(results)}): {results[0].message} {results[0].fix}"
        records = ", ".join(r.record for r in results)
        yield from textwrap.wrap(records, 98, initial_indent="  ", subsequent_indent="  ")


# ----------------------------------------------------------------------------- load errors
def load_error_report(error: SourceError, fmt: str) -> str:
    """Every problem of a load that failed, as text, JSON or TSV (the same columns)."""
    problems = error.errors if isinstance(error, LoadErrors) else [error]
    rows = [
        {
            "error": type(p).__name__,
            "file": p.path,
            "line": p.line,
            "record": p.record,
            "message": p.reason,
        }
        for p in problems
    ]
    if fmt == "json":
        summary = {"conforms": False, "loaded": False, "load_errors": len(rows)}
        return json.dumps({"summary": summary, "load_errors": rows}, indent=2) + "\n"
    if fmt == "tsv":
        out = io.StringIO()
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(_TSV_HEAD)
        for row in rows:
            subject, message = row["record"] or "", _one_line(str(row["message"]))
            writer.writerow(["ERROR", f"load:{row['error']}", subject, "", "", message, "",
                             row["file"], row["line"] or ""])  # fmt: skip
        return out.getvalue()
    lines = [f"neurokg validate: the curated files cannot be loaded ({len(rows)} problems)"]
    by_file: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_file[_display(str(row["file"]))].append(row)
    for where, items in by_file.items():
        lines.append(f"\n{where}")
        for row in items:
            at = f"line {row['line']}" if row["line"] else "file"
            record = f" {row['record']}:" if row["record"] else ""
            lines.append(f"  {at}:{record} {row['message']}")
    return "\n".join(lines) + "\n"

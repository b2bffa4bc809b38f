"""The exceptions neurokg raises: one small tree, each naming what was wrong, where, and what to do.

Only the CLI turns them into exit codes (2 for every ``NeurokgError``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

__all__ = [
    "AmbiguousNameError",
    "EndpointError",
    "ExportError",
    "LoadErrors",
    "LookAlikeError",
    "NeurokgError",
    "ObsoleteIdentifierError",
    "ProvenanceError",
    "SourceError",
    "UnknownNameError",
    "UnknownQueryError",
]


class NeurokgError(Exception):
    """Base class of every error neurokg raises on purpose."""

    def __reduce__(self) -> tuple[object, ...]:
        # pickled whole (class, message and fields) without calling __init__ again, so an error
        # raised in the time limit's child process (limits.py) keeps its class and candidates
        return (_rebuilt, (type(self), self.args, dict(self.__dict__)))


def _rebuilt(cls: type[NeurokgError], args: tuple[object, ...], state: dict[str, object]) -> object:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class SourceError(NeurokgError):
    """A curated or imported file cannot be used: names the file, the line and the record."""

    def __init__(self, path: Path | str, line: int | None, reason: str, record: str | None = None):
        self.path = str(path)
        self.line = line
        self.record = record
        self.reason = reason
        where = self.path if line is None else f"{self.path}:{line}"
        what = f" record {record!r}:" if record else ""
        super().__init__(f"{where}:{what} {reason}")


class ProvenanceError(SourceError):
    """A record lacks the provenance neurokg requires (a source, an evidence class, a curator)."""


class LoadErrors(SourceError):
    """Several curated records cannot be used: every problem of one load, each a ``SourceError``.

    Its own path, line and record are the first problem's; its message lists them all.
    """

    def __init__(self, errors: Sequence[SourceError]):
        self.errors = list(errors)
        first = self.errors[0]
        SourceError.__init__(self, first.path, first.line, first.reason, first.record)
        lines = [f"{len(self.errors)} problems in the curated files:"]
        lines += [f"  {err}" for err in self.errors]
        self.args = ("\n".join(lines),)

    def __str__(self) -> str:
        return str(self.args[0])


class UnknownQueryError(NeurokgError):
    """A named query does not exist."""

    def __init__(self, name: str, available: Sequence[str]):
        self.name = name
        self.available = list(available)
        super().__init__(
            f"no named query {name!r}; available: {', '.join(self.available)} "
            "(run 'neurokg queries' to see what each answers)"
        )


class UnknownNameError(NeurokgError):
    """A name, synonym, abbreviation or CURIE matches no term of the graph."""

    def __init__(self, name: str, suggestions: Sequence[str] = ()):
        self.name = name
        self.suggestions = list(suggestions)
        hint = f"; did you mean: {'; '.join(self.suggestions)}" if self.suggestions else ""
        super().__init__(f"no term is named {name!r}{hint}")


class LookAlikeError(UnknownNameError):
    """A name or identifier of a look-alike: a different concept the graph does not hold."""

    def __init__(self, name: str, explanation: str):
        self.name = name
        self.suggestions = []
        self.explanation = explanation
        NeurokgError.__init__(self, f"{name!r}: {explanation}")


class ObsoleteIdentifierError(UnknownNameError):
    """An obsolete identifier: its replacement is only what its release gives."""

    def __init__(self, name: str, explanation: str):
        self.name = name
        self.suggestions = []
        self.explanation = explanation
        NeurokgError.__init__(self, f"{name!r}: {explanation}")


class AmbiguousNameError(NeurokgError):
    """A name matches several terms equally well; the caller must choose by CURIE."""

    def __init__(self, name: str, candidates: Sequence[str]):
        self.name = name
        self.candidates = list(candidates)
        super().__init__(
            f"{name!r} is ambiguous; give one of these identifiers instead: "
            + "; ".join(self.candidates)
        )


class ExportError(NeurokgError):
    """An export could not be written."""


class EndpointError(NeurokgError):
    """A remote SPARQL endpoint is down, refused the request, or answered with an error."""

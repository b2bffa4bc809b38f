"""Limits on work a user's query can cause: a time limit and a row cap, each a clear error.

Consumes: a function that computes rows (a local query), a time limit in seconds and a row cap.
Produces: the rows, or ``QueryLimitError`` (exit 2) naming the limit and the flag that sets it.
Policy: neither Oxigraph nor rdflib can stop a query once started, so a local query with a time
limit runs in a forked child process that is killed when the limit passes; the parent's memory
is never touched by the runaway query, and the graph is shared copy-on-write, not copied. Where
``fork`` is not available the query runs in process, without a time limit.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable
from typing import Final, TypeVar

from .errors import NeurokgError

__all__ = [
    "DEFAULT_MAX_ROWS",
    "DEFAULT_TIME_LIMIT",
    "QueryLimitError",
    "run_limited",
    "within_time",
]

#: Seconds a local query may run (``--timeout``), and rows it may return (``--max-rows``).
DEFAULT_TIME_LIMIT: Final = 60.0
DEFAULT_MAX_ROWS: Final = 1_000_000

_T = TypeVar("_T")


class QueryLimitError(NeurokgError):
    """A query ran past its time limit or returned more rows than allowed."""


def _outcome(compute: Callable[[], _T], check: Callable[[_T], None]) -> tuple[str, object]:
    """What the child sends back: ("ok", value), or the error, as a kind and a payload."""
    import pickle

    try:
        value = compute()
        check(value)
        return "ok", pickle.dumps(value)
    except QueryLimitError as err:
        return "limit", str(err)
    except NeurokgError as err:  # travels whole: the API's callers catch its class
        try:
            return "error", pickle.dumps(err)
        except (pickle.PicklingError, TypeError, AttributeError):
            return "error", pickle.dumps(NeurokgError(str(err)))
    except BaseException as err:
        return "crash", repr(err)


def _child(compute: Callable[[], _T], check: Callable[[_T], None], pipe: int) -> None:
    """Run in the forked child: compute, write the pickled outcome to ``pipe``, and end without
    running the parent's exit handlers or flushing its buffers (``os._exit``)."""
    import pickle

    try:
        message = pickle.dumps(_outcome(compute, check))
        with os.fdopen(pipe, "wb") as out:
            out.write(message)
    finally:
        os._exit(0)


def _no_check(value: object) -> None:
    del value


def within_time(
    compute: Callable[[], _T], seconds: float, check: Callable[[_T], None] = _no_check
) -> _T:
    """Run ``compute`` (then ``check`` on its value) for at most ``seconds``.

    The child is made with ``os.fork`` and answers through a pipe (what ``multiprocessing``'s
    fork context does, without its 0.04 s of imports and start-up: issue 13).
    """
    if not hasattr(os, "fork") or seconds <= 0:
        value = compute()
        check(value)
        return value
    import pickle
    import select

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_end)
        _child(compute, check, write_end)
    os.close(write_end)
    try:
        poller = select.poll()
        poller.register(read_end, select.POLLIN)
        if not poller.poll(seconds * 1000):
            raise QueryLimitError(
                f"the query ran longer than {seconds:g} s and was stopped; give it more time "
                "with --timeout SECONDS, or narrow it (a LIMIT, fewer unbound patterns)"
            )
        with os.fdopen(read_end, "rb", closefd=False) as pipe:
            message = pipe.read()
    finally:
        os.close(read_end)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)  # done or stopped: it is never left running
        _, status = os.waitpid(pid, 0)
    if not message:
        raise QueryLimitError(
            "the query process ended without an answer "
            f"(exit {os.waitstatus_to_exitcode(status)}); it may have run out of memory"
        )
    kind, payload = pickle.loads(message)  # noqa: S301  # our own child's outcome
    if kind == "limit":
        raise QueryLimitError(payload)
    if kind == "error":
        raise pickle.loads(payload)  # noqa: S301  # our own child's NeurokgError
    if kind == "crash":
        raise RuntimeError(f"the query process failed: {payload}")
    answer: _T = pickle.loads(payload)  # noqa: S301
    return answer


def run_limited(compute: Callable[[], list[_T]], *, seconds: float, max_rows: int) -> list[_T]:
    """Run ``compute`` for at most ``seconds`` and return at most ``max_rows`` rows."""

    def check(rows: list[_T]) -> None:
        _capped(rows, max_rows)

    return within_time(compute, seconds, check)


def _capped(rows: list[_T], max_rows: int) -> list[_T]:
    if len(rows) > max_rows:
        raise QueryLimitError(_too_many(len(rows), max_rows))
    return rows


def _too_many(count: int, max_rows: int) -> str:
    return (
        f"the query returned {count:,} rows, more than the {max_rows:,} allowed; add a LIMIT, "
        "or raise the cap with --max-rows N"
    )

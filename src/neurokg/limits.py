"""Limits on work a user's query can cause: a time limit and a row cap, each a clear error.

Consumes: a function that computes rows (a local query), a time limit in seconds and a row cap.
Produces: the rows, or ``QueryLimitError`` (exit 2) naming the limit and the flag that sets it.
Policy: neither Oxigraph nor rdflib can stop a query once started, so a local query with a time
limit runs in a forked child process that is killed when the limit passes; the parent's memory
is never touched by the runaway query, and the graph is shared copy-on-write, not copied. Where
``fork`` is not available the query runs in process, without a time limit.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from typing import TYPE_CHECKING, Final, TypeVar

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

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


def _child(compute: Callable[[], _T], check: Callable[[_T], None], conn: Connection) -> None:
    import pickle

    try:
        value = compute()
        check(value)
        conn.send(("ok", pickle.dumps(value)))
    except QueryLimitError as err:
        conn.send(("limit", str(err)))
    except NeurokgError as err:  # travels whole: the API's callers catch its class
        try:
            conn.send(("error", pickle.dumps(err)))
        except (pickle.PicklingError, TypeError, AttributeError):
            conn.send(("error", pickle.dumps(NeurokgError(str(err)))))
    except BaseException as err:
        conn.send(("crash", repr(err)))
    finally:
        conn.close()


def _no_check(value: object) -> None:
    del value


def within_time(
    compute: Callable[[], _T], seconds: float, check: Callable[[_T], None] = _no_check
) -> _T:
    """Run ``compute`` (then ``check`` on its value) for at most ``seconds``."""
    import multiprocessing  # imported when a query runs, not for --help
    import pickle

    if "fork" not in multiprocessing.get_all_start_methods() or seconds <= 0:
        value = compute()
        check(value)
        return value
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(compute, check, child), daemon=True)
    process.start()
    child.close()
    try:
        if not parent.poll(seconds):
            raise QueryLimitError(
                f"the query ran longer than {seconds:g} s and was stopped; give it more time "
                "with --timeout SECONDS, or narrow it (a LIMIT, fewer unbound patterns)"
            )
        kind, payload = parent.recv()
    except EOFError as err:
        raise QueryLimitError(
            f"the query process ended without an answer (exit {process.exitcode}); "
            "it may have run out of memory"
        ) from err
    finally:
        parent.close()
        if process.is_alive() and process.pid is not None:
            os.kill(process.pid, signal.SIGKILL)
        process.join()
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

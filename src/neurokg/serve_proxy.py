"""The HTTP side of ``serve``: the proxy in front of the private Oxigraph server, and its pages.

Consumes: requests from clients (SPARQL 1.1 Protocol GET, POST form, POST
``application/sparql-query``; the query page at ``/`` and YASGUI's files; ``/claim/<id>`` and
``/term/<CURIE>``), ``Limits``, and the URL of the private Oxigraph server (serve.py starts it).
Produces: an HTTP/1.1 handler class for ``ThreadingHTTPServer``: answers, or refusals with a
status and a one-line reason. GET and HEAD answers carry CORS headers (any origin, no
credentials) and OPTIONS answers a preflight for them (docs/decisions/0009-query-page.md).
Policy (docs/decisions/0004-serve.md): updates are refused (403); a query that would make Oxigraph
send a request (``SERVICE``, ``LOAD``: server-side request forgery) is refused (400) after parsing
it (``outgoing.py``), while ``FROM``/``FROM NAMED`` are allowed (Oxigraph reads them from its
store, never from the web). A body above ``Limits.max_body_bytes`` (1 MiB) is refused (413), a bad
``Content-Length`` too (400), and a client that sends nothing for ``Limits.read_timeout_s`` (10 s)
is cut off (with 408 if it stalls in its body). A query is stopped at the time limit (503), at
most ``max_rows`` rows are kept, and both limits are reported in ``X-Neurokg-*`` headers. Every
refusal closes the connection.
"""

from __future__ import annotations

import html
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Final

from .errors import NeurokgError
from .outgoing import find_outgoing
from .serve_formats import CORS, MEDIA, PREFLIGHT, negotiate, render
from .serve_pages import BadFormat, NotFound, Pages
from .serve_yasgui import ASSETS, form_page, html_table, yasgui_page

__all__ = [
    "MAX_BODY_BYTES",
    "MAX_CHECKED_CHARS",
    "READ_TIMEOUT_S",
    "Limits",
    "Proxy",
    "make_handler",
]

_UPSTREAM_ACCEPT: Final = "application/sparql-results+json, application/n-triples;q=0.9"
_FORWARDED: Final = ("default-graph-uri", "named-graph-uri")


#: Largest request body the proxy reads (413 above it): a query is text, and 1 MiB is plenty.
MAX_BODY_BYTES: Final = 1 << 20
#: Seconds a client may take to send each part of its request (or stay idle) before the proxy
#: hangs up, so slow or silent clients cannot hold its threads.
READ_TIMEOUT_S: Final = 10
#: Queries evaluated at once, and how long one waits for a turn before a 503 "busy": under a
#: burst of clients the endpoint answers fast or says "busy", instead of slowing everyone down.
MAX_CONCURRENT: Final = 8
QUEUE_WAIT_S: Final = 5.0
#: Longest query parsed to look for SERVICE (one that holds the word "service", "from", "load"
#: or "using"): rdflib parses about 50,000 characters a second.
MAX_CHECKED_CHARS: Final = 128 * 1024


@dataclass(frozen=True)
class Limits:
    """What one request may use: seconds of evaluation, rows returned, body bytes read, and
    seconds the client may take to send each part of its request (or stay idle)."""

    timeout_s: int = 10
    max_rows: int = 10_000
    max_body_bytes: int = MAX_BODY_BYTES
    read_timeout_s: float = READ_TIMEOUT_S
    #: queries evaluated at once (the machine has few cores; more only queue inside Oxigraph)
    max_concurrent: int = MAX_CONCURRENT
    #: seconds a query waits for a free slot before it is refused with 503 (retry later)
    queue_wait_s: float = QUEUE_WAIT_S


class _Refused(Exception):
    """An HTTP error the proxy answers with: status, one-line reason, body."""

    def __init__(self, status: int, reason: str, body: str | None = None):
        super().__init__(reason)
        self.status, self.reason, self.body = status, reason, body or reason


class Proxy:
    """Forwards queries to the private Oxigraph server and shapes its answers."""

    def __init__(self, upstream: str, limits: Limits, on_timeout: Callable[[], None] | None = None):
        self.upstream, self.limits, self.on_timeout = upstream, limits, on_timeout
        self._slots = threading.BoundedSemaphore(limits.max_concurrent)
        self.pages = Pages(upstream, limits.timeout_s)
        self._assets: dict[str, bytes] = {}

    @contextmanager
    def slot(self) -> Iterator[None]:
        """One of the ``max_concurrent`` turns at the engine, or 503 "busy" after a wait."""
        if not self._slots.acquire(timeout=self.limits.queue_wait_s):
            raise _Refused(
                503,
                "Busy: too many queries at once",
                f"{self.limits.max_concurrent} queries are running and none finished within "
                f"{self.limits.queue_wait_s:g} s. Retry in a moment.",
            )
        try:
            yield
        finally:
            self._slots.release()

    def asset(self, path: str) -> bytes:
        """A file of the Oxigraph server's query page (YASGUI), read once from it."""
        if path not in self._assets:
            url = self.upstream.rsplit("/", 1)[0] + path
            try:
                with urllib.request.urlopen(url, timeout=self.limits.timeout_s) as response:  # noqa: S310 - the private loopback Oxigraph server
                    self._assets[path] = response.read()
            except OSError as err:
                raise _Refused(502, "The SPARQL engine is not answering", str(err)) from err
        return self._assets[path]

    def headers(self, rows: int, truncated: bool) -> dict[str, str]:
        return {
            "X-Neurokg-Row-Limit": str(self.limits.max_rows),
            "X-Neurokg-Time-Limit-S": str(self.limits.timeout_s),
            "X-Neurokg-Rows": str(rows),
            "X-Neurokg-Truncated": "true" if truncated else "false",
        }

    def fetch(self, query: str, extra: list[tuple[str, str]]) -> tuple[str, bytes]:
        with self.slot():
            return self._fetch(query, extra)

    def _fetch(self, query: str, extra: list[tuple[str, str]]) -> tuple[str, bytes]:
        body = urllib.parse.urlencode([("query", query), *extra]).encode()
        request = urllib.request.Request(  # noqa: S310 - the private loopback Oxigraph server
            self.upstream,
            data=body,
            headers={"Accept": _UPSTREAM_ACCEPT},
            method="POST",
        )
        try:
            # one second of grace: the client hears 503 within a second of the limit
            with urllib.request.urlopen(request, timeout=self.limits.timeout_s + 1) as response:  # noqa: S310
                return response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as err:
            text = err.read().decode("utf-8", "replace").strip()
            raise _Refused(
                err.code, f"Query refused: {text.splitlines()[0] if text else err.reason}", text
            ) from err
        except TimeoutError as err:
            if self.on_timeout is not None:  # stop the runaway evaluation itself
                self.on_timeout()
            raise self.timed_out() from err
        except urllib.error.URLError as err:
            raise _Refused(502, "The SPARQL engine is not answering", str(err.reason)) from err

    def timed_out(self) -> _Refused:
        return _Refused(
            503,
            f"Query stopped at the time limit of {self.limits.timeout_s} s",
            f"The query ran longer than this endpoint's time limit of {self.limits.timeout_s} s "
            "and was stopped. Narrow it (bind a term, add LIMIT) or run it on a local copy.",
        )

    def check(self, query: str) -> None:
        """Refuse ``query`` if it would make the Oxigraph server send a request (SSRF).

        ``SERVICE`` (and ``LOAD``) are refused; ``FROM`` and ``FROM NAMED`` stay allowed, as
        Oxigraph reads them from its store and never fetches them.
        """
        try:
            outgoing = find_outgoing(query, MAX_CHECKED_CHARS)
        except NeurokgError as err:
            raise _Refused(
                400, "Query refused: it cannot be checked for SERVICE", str(err)
            ) from err
        refused = sorted(str(part) for part in outgoing if not part.reads_a_graph)
        if refused:
            raise _Refused(
                400,
                "Query refused: SERVICE is not allowed",
                f"This endpoint does not run queries that make it send requests: "
                f"{', '.join(refused)} refused. Federated queries (SERVICE) and LOAD are not "
                "allowed here; run them on a local copy of the graph.",
            )

    def answer(
        self, query: str, extra: list[tuple[str, str]], accept: str
    ) -> tuple[str, bytes, dict[str, str]]:
        """Check and run ``query``; return (content type, body, headers)."""
        self.check(query)
        content_type, data = self.fetch(query, extra)
        if content_type == "application/n-triples":
            lines = data.decode("utf-8").splitlines()
            if any(line and not line.endswith(".") for line in lines):
                raise self.timed_out()
            kept = lines[: self.limits.max_rows]
            text = "".join(f"{line}\n" for line in kept)
            return (
                "application/n-triples",
                text.encode(),
                self.headers(len(kept), len(lines) > len(kept)),
            )
        try:
            payload = json.loads(data)
        except json.JSONDecodeError as err:
            if b"cancelled" in data:
                raise self.timed_out() from err
            raise _Refused(502, "The SPARQL engine answered malformed results") from err
        fmt = negotiate(accept)
        if "boolean" in payload:
            if fmt == "xml":
                value = "true" if payload["boolean"] else "false"
                text = f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/><boolean>{value}</boolean></sparql>\n'
                return MEDIA["xml"], text.encode(), self.headers(1, False)
            return MEDIA["json"], json.dumps(payload).encode(), self.headers(1, False)
        variables = payload["head"].get("vars", [])
        rows = payload["results"]["bindings"]
        kept, truncated = rows[: self.limits.max_rows], len(rows) > self.limits.max_rows
        headers = self.headers(len(kept), truncated)
        if fmt == "json":
            limits = {"max_rows": self.limits.max_rows, "timeout_s": self.limits.timeout_s}
            result = {
                "head": payload["head"],
                "results": {"bindings": kept},
                "neurokg": {**limits, "rows": len(kept), "truncated": truncated},
            }
            return MEDIA["json"], json.dumps(result, ensure_ascii=False).encode(), headers
        return MEDIA[fmt], render(fmt, variables, kept).encode("utf-8"), headers


def _html_table(proxy: Proxy, query: str) -> str:
    try:
        kind, data, headers = proxy.answer(query, [], "application/sparql-results+json")
    except _Refused as refused:
        reason, body = html.escape(refused.reason), html.escape(refused.body)
        return f"<p><strong>{reason}</strong></p><pre>{body}</pre>"
    return html_table(kind, data, headers["X-Neurokg-Truncated"] == "true", proxy.limits.max_rows)


def _resource(
    proxy: Proxy, path: str, params: list[tuple[str, str]], accept: str
) -> tuple[str, bytes]:
    """``/claim/<id>`` or ``/term/<CURIE>`` as HTML, Turtle or JSON-LD (serve_pages.py)."""
    try:
        with proxy.slot():
            return proxy.pages.respond(path, params, accept)
    except NotFound as err:
        raise _Refused(404, "Not found", str(err)) from err
    except BadFormat as err:
        raise _Refused(400, "Unknown format", str(err)) from err
    except NeurokgError as err:
        raise _Refused(502, "The SPARQL engine is not answering", str(err)) from err


def make_handler(proxy: Proxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "neurokg"
        protocol_version = "HTTP/1.1"  # persistent connections; every answer has a length
        timeout = proxy.limits.read_timeout_s  # on every read and write of the client's socket

        def log_message(self, format: str, *args: object) -> None:
            return  # the library never prints; requests are not logged

        def _send(
            self,
            status: int,
            content_type: str,
            body: bytes,
            headers: dict[str, str],
            reason: str | None = None,
        ) -> None:
            self.send_response(status, reason)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if self.command in ("GET", "HEAD"):
                headers = {**CORS, **headers}
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _refuse(self, refused: _Refused) -> None:
            self.close_connection = True  # the body may be unread: never reuse the connection
            headers = {**proxy.headers(0, False), "Connection": "close"}
            # the status line is Latin-1 and one line; the reason may quote the client's query
            reason = refused.reason.encode("ascii", "replace").decode("ascii")
            self._send(
                refused.status,
                "text/plain; charset=utf-8",
                (refused.body + "\n").encode(),
                headers,
                " ".join(reason.split()),
            )

        def _body(self) -> str:
            if "Transfer-Encoding" in self.headers:
                raise _Refused(411, "Send the request body with a Content-Length")
            declared = (self.headers.get("Content-Length") or "0").strip()
            if not declared.isascii() or not declared.isdigit():
                raise _Refused(400, f"Bad Content-Length: {declared[:40]!r}")
            if int(declared) > proxy.limits.max_body_bytes:
                raise _Refused(
                    413,
                    "Request body too large",
                    f"The request body is {declared} bytes; this endpoint reads at most "
                    f"{proxy.limits.max_body_bytes} bytes.",
                )
            try:
                data = self.rfile.read(int(declared))
            except TimeoutError as err:
                wait = proxy.limits.read_timeout_s
                raise _Refused(408, f"Request body not received within {wait} s") from err
            if len(data) < int(declared):
                raise _Refused(400, "Request body shorter than its Content-Length")
            return data.decode("utf-8", "replace")

        def _params(self) -> list[tuple[str, str]]:
            url = urllib.parse.urlsplit(self.path)
            params = urllib.parse.parse_qsl(url.query, keep_blank_values=True)
            if self.command == "POST":
                body = self._body()
                kind = self.headers.get_content_type()
                if kind == "application/sparql-update":
                    params.append(("update", body))
                elif kind == "application/sparql-query":
                    params.append(("query", body))
                else:
                    params += urllib.parse.parse_qsl(body, keep_blank_values=True)
            elif self.headers.get("Content-Length", "0").strip() not in ("", "0"):
                self.close_connection = True  # an unread body: do not read it as a request
            return params

        def _dispatch(self) -> None:
            path = urllib.parse.urlsplit(self.path).path.rstrip("/") or "/"
            params = self._params()
            if path == "/update" or any(
                name in ("update", "using-graph-uri") for name, _ in params
            ):
                raise _Refused(
                    403,
                    "Read-only endpoint: SPARQL Update is refused",
                    "This endpoint is read-only: SPARQL Update requests are refused.",
                )
            queries = [value for name, value in params if name == "query"]
            accept = self.headers.get("Accept") or ""
            limits = proxy.limits
            if self.command != "POST" and path in ASSETS:
                self._send(200, ASSETS[path], proxy.asset(path), {"Cache-Control": "max-age=3600"})
                return
            if self.command != "POST" and path.startswith(("/claim/", "/term/")):
                content_type, body = _resource(proxy, path, params, accept)
                self._send(200, content_type, body, {"Vary": "Accept"})
                return
            if path == "/" and self.command != "POST":
                if queries:
                    table = _html_table(proxy, queries[0])
                    page = form_page(limits.timeout_s, limits.max_rows, queries[0], table)
                else:
                    page = yasgui_page(limits.timeout_s, limits.max_rows)
                self._send(200, "text/html; charset=utf-8", page, {})
                return
            if path not in ("/query", "/sparql"):
                raise _Refused(404, "Not found", "Send queries to /query; the HTML page is at /.")
            if len(queries) != 1:
                raise _Refused(400, "Give exactly one 'query' parameter")
            extra = [(k, v) for k, v in params if k in _FORWARDED]
            accept = accept or "application/sparql-results+json"
            content_type, body, headers = proxy.answer(queries[0], extra, accept)
            self._send(200, content_type, body, headers)

        def do_GET(self) -> None:
            try:
                self._dispatch()
            except _Refused as refused:
                self._refuse(refused)

        do_POST = do_HEAD = do_GET

        def do_OPTIONS(self) -> None:
            """A CORS preflight (or a plain OPTIONS): which reads other origins may make."""
            self.send_response(204)
            for name, value in {**PREFLIGHT, "Allow": "GET, HEAD, POST, OPTIONS"}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _not_allowed(self) -> None:
            self._refuse(_Refused(405, "Read-only endpoint: only GET and POST queries"))

        do_PUT = do_DELETE = do_PATCH = _not_allowed

    return Handler

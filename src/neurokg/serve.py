"""A read-only SPARQL 1.1 endpoint over the built graph: the Oxigraph server behind a small proxy.

Consumes: a built rdflib ``Dataset`` (build.py or a release file), ``Limits`` (a time limit per
query and a result-row cap), the address to listen on (127.0.0.1 by default) and the ``oxigraph``
binary (PyPI ``oxigraph``).
Produces: a running ``Endpoint``: ``/query`` answers SPARQL 1.1 Protocol queries (GET, POST form,
POST ``application/sparql-query``) with JSON, XML, CSV or TSV results (graph results as
N-Triples) by content negotiation, and ``/`` is an HTML page to type a query and see the rows.
Policy (docs/decisions/0004-serve.md): Oxigraph runs ``serve-read-only`` with
``--union-default-graph`` and ``--timeout-s`` on a private loopback port; the proxy refuses every
update (403), stops a query at the time limit with 503 (Oxigraph itself cuts off a cancelled
response mid-body, so the proxy buffers and checks it), keeps at most ``max_rows`` rows and reports
both limits in ``X-Neurokg-*`` headers and, for JSON, in a top-level ``neurokg`` member.
"""

from __future__ import annotations

import html
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Final

from rdflib import Dataset

from .errors import EndpointError
from .serve_formats import MEDIA, RESULT_FORMATS, negotiate, render

__all__ = ["RESULT_FORMATS", "Endpoint", "Limits", "find_oxigraph", "start_endpoint"]

_UPSTREAM_ACCEPT: Final = "application/sparql-results+json, application/n-triples;q=0.9"
_FORWARDED: Final = ("default-graph-uri", "named-graph-uri")
_EXAMPLE: Final = (
    "PREFIX nkg: <https://w3id.org/neurokg/>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "SELECT ?claim ?status WHERE { ?claim a nkg:Claim ; nkg:curationStatus ?status }\nLIMIT 20"
)


@dataclass(frozen=True)
class Limits:
    """What one query may use: seconds of evaluation and rows returned."""

    timeout_s: int = 10
    max_rows: int = 10_000


class _Refused(Exception):
    """An HTTP error the proxy answers with: status, one-line reason, body."""

    def __init__(self, status: int, reason: str, body: str | None = None):
        super().__init__(reason)
        self.status, self.reason, self.body = status, reason, body or reason


def find_oxigraph(explicit: Path | None = None) -> Path:
    """The ``oxigraph`` server binary: ``explicit``, beside this Python, or on PATH."""
    candidates = [explicit] if explicit else [Path(sys.executable).parent / "oxigraph"]
    found = shutil.which("oxigraph")
    candidates += [Path(found)] if found and not explicit else []
    for candidate in candidates:
        if candidate is not None and candidate.is_file():
            return candidate
    raise EndpointError(
        "no 'oxigraph' server binary found: install it with 'pip install oxigraph' "
        "or give its path with --oxigraph"
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class _Proxy:
    """Forwards queries to the private Oxigraph server and shapes its answers."""

    def __init__(self, upstream: str, limits: Limits):
        self.upstream, self.limits = upstream, limits

    def headers(self, rows: int, truncated: bool) -> dict[str, str]:
        return {
            "X-Neurokg-Row-Limit": str(self.limits.max_rows),
            "X-Neurokg-Time-Limit-S": str(self.limits.timeout_s),
            "X-Neurokg-Rows": str(rows),
            "X-Neurokg-Truncated": "true" if truncated else "false",
        }

    def fetch(self, query: str, extra: list[tuple[str, str]]) -> tuple[str, bytes]:
        body = urllib.parse.urlencode([("query", query), *extra]).encode()
        request = urllib.request.Request(  # noqa: S310 - the private loopback Oxigraph server
            self.upstream,
            data=body,
            headers={"Accept": _UPSTREAM_ACCEPT},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.limits.timeout_s + 5) as response:  # noqa: S310
                return response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as err:
            text = err.read().decode("utf-8", "replace").strip()
            raise _Refused(
                err.code, f"Query refused: {text.splitlines()[0] if text else err.reason}", text
            ) from err
        except TimeoutError as err:
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

    def answer(
        self, query: str, extra: list[tuple[str, str]], accept: str
    ) -> tuple[str, bytes, dict[str, str]]:
        """Run ``query``; return (content type, body, headers)."""
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


def _page(limits: Limits, query: str, table: str) -> bytes:
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>neurokg SPARQL</title>
<style>body{{font-family:sans-serif;margin:2em}}
textarea{{width:100%;height:12em;font-family:monospace}}table{{border-collapse:collapse}}
td,th{{border:1px solid #999;padding:2px 6px;font-size:90%}}</style></head>
<body><h1>neurokg SPARQL endpoint (read-only)</h1>
<p>Queries run over the union of the named graphs. Each query may run {limits.timeout_s} s and
return {limits.max_rows} rows. Programs: send SPARQL 1.1 Protocol requests to
<code>/query</code>.</p>
<form method="get" action="/"><textarea name="query">{html.escape(query)}</textarea>
<p><button type="submit">Run</button></p></form>{table}</body></html>
""".encode()


def _html_table(proxy: _Proxy, query: str) -> str:
    try:
        _type, data, headers = proxy.answer(query, [], "application/sparql-results+json")
    except _Refused as refused:
        reason, body = html.escape(refused.reason), html.escape(refused.body)
        return f"<p><strong>{reason}</strong></p><pre>{body}</pre>"
    if _type == "application/n-triples":
        return f"<pre>{html.escape(data.decode())}</pre>"
    payload = json.loads(data)
    if "boolean" in payload:
        return f"<p>{'true' if payload['boolean'] else 'false'}</p>"
    variables = payload["head"].get("vars", [])
    rows = payload["results"]["bindings"]
    note = f"<p>{len(rows)} rows"
    note += (
        f" (cut at the limit of {proxy.limits.max_rows})</p>"
        if headers["X-Neurokg-Truncated"] == "true"
        else "</p>"
    )
    head = "".join(f"<th>{html.escape(v)}</th>" for v in variables)
    body = "".join(
        "<tr>"
        + "".join(f"<td>{html.escape(r[v]['value']) if v in r else ''}</td>" for v in variables)
        + "</tr>"
        for r in rows
    )
    return f"{note}<table><tr>{head}</tr>{body}</table>"


def _handler(proxy: _Proxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "neurokg"

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
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def _refuse(self, refused: _Refused) -> None:
            headers = proxy.headers(0, False)
            self._send(
                refused.status,
                "text/plain; charset=utf-8",
                (refused.body + "\n").encode(),
                headers,
                refused.reason,
            )

        def _params(self) -> list[tuple[str, str]]:
            url = urllib.parse.urlsplit(self.path)
            params = urllib.parse.parse_qsl(url.query, keep_blank_values=True)
            if self.command == "POST":
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8", "replace")
                kind = self.headers.get_content_type()
                if kind == "application/sparql-update":
                    params.append(("update", body))
                elif kind == "application/sparql-query":
                    params.append(("query", body))
                else:
                    params += urllib.parse.parse_qsl(body, keep_blank_values=True)
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
            if path == "/" and self.command == "GET":
                query = queries[0] if queries else _EXAMPLE
                table = _html_table(proxy, query) if queries else ""
                self._send(200, "text/html; charset=utf-8", _page(proxy.limits, query, table), {})
                return
            if path not in ("/query", "/sparql"):
                raise _Refused(404, "Not found", "Send queries to /query; the HTML page is at /.")
            if len(queries) != 1:
                raise _Refused(400, "Give exactly one 'query' parameter")
            extra = [(k, v) for k, v in params if k in _FORWARDED]
            accept = self.headers.get("Accept") or "application/sparql-results+json"
            content_type, body, headers = proxy.answer(queries[0], extra, accept)
            self._send(200, content_type, body, headers)

        def do_GET(self) -> None:
            try:
                self._dispatch()
            except _Refused as refused:
                self._refuse(refused)

        do_POST = do_GET

        def _not_allowed(self) -> None:
            self._refuse(_Refused(405, "Read-only endpoint: only GET and POST queries"))

        do_PUT = do_DELETE = do_PATCH = _not_allowed

    return Handler


def _load(dataset: Dataset, folder: Path, oxigraph: Path) -> Path:
    """Bulk-load ``dataset`` into an Oxigraph store folder with ``oxigraph load``."""
    data = folder / "data.nq"
    data.write_bytes(dataset.serialize(format="nquads", encoding="utf-8"))
    store = folder / "store"
    done = subprocess.run(
        [str(oxigraph), "load", "--location", str(store), "--file", str(data)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise EndpointError(f"oxigraph load failed: {done.stderr.strip()}")
    return store


def _wait_for(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise EndpointError(f"the Oxigraph server stopped: {log.read_text(errors='replace')}")
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise EndpointError("the Oxigraph server did not start within 20 s")


class Endpoint:
    """A running endpoint: the Oxigraph process and the proxy thread. Use as a context manager."""

    def __init__(
        self,
        server: ThreadingHTTPServer,
        process: subprocess.Popen[bytes],
        workdir: Path,
        own: bool,
    ):
        self._server, self._process, self._workdir, self._own = server, process, workdir, own
        self._thread = threading.Thread(
            target=server.serve_forever, name="neurokg-serve", daemon=True
        )
        self._thread.start()
        host, port = server.server_address[:2]
        self.base_url = f"http://{host if isinstance(host, str) else host.decode()}:{port}"
        self.url = f"{self.base_url}/query"

    def stop(self) -> None:
        """Stop the proxy and the Oxigraph process; remove the store folder if it was temporary."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=10)
        if self._own:
            shutil.rmtree(self._workdir, ignore_errors=True)

    def __enter__(self) -> Endpoint:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def start_endpoint(
    dataset: Dataset,
    *,
    host: str = "127.0.0.1",
    port: int = 7878,
    limits: Limits | None = None,
    oxigraph: Path | None = None,
    workdir: Path | None = None,
) -> Endpoint:
    """Load ``dataset``, start Oxigraph read-only on a private port and the proxy on host:port.

    ``port=0`` picks a free port. ``workdir`` keeps the store folder; by default a temporary
    folder is used and removed by ``Endpoint.stop``.
    """
    limits = limits or Limits()
    if limits.timeout_s < 1 or limits.max_rows < 1:
        raise EndpointError("the time limit and the row cap must be at least 1")
    binary = find_oxigraph(oxigraph)
    own = workdir is None
    folder = Path(tempfile.mkdtemp(prefix="neurokg-serve-")) if workdir is None else workdir
    folder.mkdir(parents=True, exist_ok=True)
    store = _load(dataset, folder, binary)
    private = _free_port()
    log = folder / "oxigraph.log"
    command = [
        str(binary),
        "serve-read-only",
        "--location",
        str(store),
        "--bind",
        f"127.0.0.1:{private}",
        "--union-default-graph",
        "--timeout-s",
        str(limits.timeout_s),
    ]
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
    try:
        _wait_for(private, process, log)
        proxy = _Proxy(f"http://127.0.0.1:{private}/query", limits)
        server = ThreadingHTTPServer((host, port), _handler(proxy))
    except (OSError, EndpointError) as err:
        process.terminate()
        process.wait(timeout=10)
        if own:
            shutil.rmtree(folder, ignore_errors=True)
        if isinstance(err, EndpointError):
            raise
        raise EndpointError(f"cannot listen on {host}:{port}: {err}") from err
    server.daemon_threads = True
    return Endpoint(server, process, folder, own)

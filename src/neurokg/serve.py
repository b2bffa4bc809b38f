"""A read-only SPARQL 1.1 endpoint over the built graph: the Oxigraph server behind a small proxy.

Consumes: a built rdflib ``Dataset`` (build/ or a release file), ``Limits`` (a time limit per
query and a result-row cap), the address to listen on (127.0.0.1 by default) and the ``oxigraph``
binary (PyPI ``oxigraph``).
Produces: a running ``Endpoint``: ``/query`` answers SPARQL 1.1 Protocol queries (GET, POST form,
POST ``application/sparql-query``) with JSON, XML, CSV or TSV results (graph results as
N-Triples) by content negotiation; ``/`` is the Oxigraph server's own YASGUI page with the named
queries as examples (serve_yasgui.py, docs/decisions/0009-query-page.md); ``/claim/<id>`` and
``/term/<CURIE>`` are HTML pages, or Turtle and JSON-LD by content negotiation (serve_pages.py).
Read answers (GET, HEAD, OPTIONS) carry CORS headers without credentials; HTTP/1.1.
Policy (docs/decisions/0004-serve.md): Oxigraph runs ``serve-read-only`` with
``--union-default-graph`` and ``--timeout-s`` on a private loopback port; the proxy
(serve_proxy.py) refuses every update (403) and every query that would make Oxigraph send a
request (``SERVICE``, ``LOAD``: 400), reads at most ``Limits.max_body_bytes`` of a request body
(413) and waits ``Limits.read_timeout_s`` for a client, stops a query at the time limit with 503
(Oxigraph itself cuts off a cancelled response mid-body, so the proxy buffers and checks it),
keeps at most ``max_rows`` rows and reports both limits in ``X-Neurokg-*`` headers and, for
JSON, in a top-level ``neurokg`` member.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path
from types import TracebackType

from rdflib import Dataset

from .errors import EndpointError
from .serve_formats import RESULT_FORMATS
from .serve_proxy import MAX_BODY_BYTES, READ_TIMEOUT_S, Limits, Proxy, make_handler

__all__ = [
    "MAX_BODY_BYTES",
    "READ_TIMEOUT_S",
    "RESULT_FORMATS",
    "Endpoint",
    "Limits",
    "find_oxigraph",
    "start_endpoint",
]


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


class _Engine:
    """The private Oxigraph child. A runaway query (past the time limit, which Oxigraph only
    checks now and then) restarts it, so neither its time nor its memory can grow without bound;
    queries in flight at that moment get 502 and may be retried."""

    def __init__(self, command: list[str], port: int, log: Path):
        self.command, self.port, self.log = command, port, log
        self._lock = threading.Lock()
        self.process = self._start()
        self.restarts = 0

    def _start(self) -> subprocess.Popen[bytes]:
        with self.log.open("ab") as sink:
            process = subprocess.Popen(self.command, stdout=sink, stderr=subprocess.STDOUT)
        try:
            _wait_for(self.port, process, self.log)
        except BaseException:  # an error, or Ctrl-C / SIGTERM while it starts
            _end(process)
            raise
        return process

    def restart(self) -> None:
        with self._lock:
            _end(self.process)
            self.process = self._start()
            self.restarts += 1

    def stop(self) -> None:
        with self._lock:
            _end(self.process)


def _end(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


class _QuietServer(ThreadingHTTPServer):
    """A client that hangs up, times out or sends garbage is the client's fault: one line in
    ``serve-errors.log`` beside the store, never a traceback on the console."""

    error_log: Path | None = None

    def handle_error(self, request: object, client_address: object) -> None:
        kind, err, _ = sys.exc_info()
        if self.error_log is None or kind is None:
            return
        with self.error_log.open("a", encoding="utf-8") as log:
            log.write(f"{time.strftime('%Y-%m-%dT%H:%M:%S')} {client_address}: {kind.__name__}: ")
            log.write(f"{err}\n")


class Endpoint:
    """A running endpoint: the Oxigraph process and the proxy thread. Use as a context manager."""

    def __init__(self, server: ThreadingHTTPServer, engine: _Engine, workdir: Path, own: bool):
        self._server, self._engine, self._workdir, self._own = server, engine, workdir, own
        self._thread = threading.Thread(
            target=server.serve_forever, name="neurokg-serve", daemon=True
        )
        self._thread.start()
        host, port = server.server_address[:2]
        self.base_url = f"http://{host if isinstance(host, str) else host.decode()}:{port}"
        self.url = f"{self.base_url}/query"
        self.folder = workdir

    def stop(self) -> None:
        """Stop the proxy and the Oxigraph process; remove the store folder if it was temporary."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
        self._engine.stop()
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
    if min(limits.timeout_s, limits.max_rows, limits.max_body_bytes) < 1:
        raise EndpointError("the time limit, the row cap and the body limit must be at least 1")
    if limits.read_timeout_s <= 0:
        raise EndpointError("the read timeout must be more than 0 s")
    binary = find_oxigraph(oxigraph)
    own = workdir is None
    folder = Path(tempfile.mkdtemp(prefix="neurokg-serve-")) if workdir is None else workdir
    engine: _Engine | None = None
    try:
        # anything that stops the start (an error, Ctrl-C, SIGTERM) takes the child and the
        # temporary folder with it
        folder.mkdir(parents=True, exist_ok=True)
        store = _load(dataset, folder, binary)
        private = _free_port()
        engine = _Engine(_command(binary, store, private, limits), private, folder / "oxigraph.log")
        proxy = Proxy(f"http://127.0.0.1:{private}/query", limits, on_timeout=engine.restart)
        try:
            server = _QuietServer((host, port), make_handler(proxy))
        except OSError as err:
            raise EndpointError(f"cannot listen on {host}:{port}: {err}") from err
        server.error_log = folder / "serve-errors.log"
        server.daemon_threads = True
        return Endpoint(server, engine, folder, own)
    except BaseException:
        if engine is not None:
            engine.stop()
        if own:
            shutil.rmtree(folder, ignore_errors=True)
        raise


def _command(binary: Path, store: Path, port: int, limits: Limits) -> list[str]:
    """The Oxigraph server, read-only, on a private loopback port, with the time limit."""
    return [
        str(binary),
        "serve-read-only",
        "--location",
        str(store),
        "--bind",
        f"127.0.0.1:{port}",
        "--union-default-graph",
        "--timeout-s",
        str(limits.timeout_s),
    ]

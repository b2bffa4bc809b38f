"""Real SPARQL servers for the contract tests: start on 127.0.0.1, wait (bounded), stop.

Consumes: the ``oxigraph`` executable next to the test interpreter (PyPI ``oxigraph``), and
``virtuoso-t`` / ``isql-vt`` from the Debian package ``virtuoso-opensource``
(``scripts/virtuoso.sh install``). Produces: running servers with their endpoint URLs.
Policy: each server gets a fresh folder, free loopback ports and, for Virtuoso, its own
``virtuoso.ini`` and a random DBA password; nothing uses the system service or default ports.
Every wait is bounded; ``stop()`` terminates the process group and waits (then kills).
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

START_TIMEOUT = 60.0
STOP_TIMEOUT = 30.0
#: Virtuoso's default (10,000) silently truncates results; far above anything neurokg returns.
RESULT_SET_MAX_ROWS = 1_000_000


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_http(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}: {_tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.25)
    raise RuntimeError(f"server not answering {url} after {timeout:.0f} s: {_tail(log)}")


def _tail(log: Path) -> str:
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    return " | ".join(text.strip().splitlines()[-5:])


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=STOP_TIMEOUT)


def _ask_url(endpoint: str) -> str:
    return f"{endpoint}?{urllib.parse.urlencode({'query': 'ASK {}'})}"


@dataclass
class OxigraphServer:
    """``oxigraph serve`` on a loopback port, data in ``folder``."""

    folder: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def query_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/query"

    @property
    def update_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/update"

    @property
    def store_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/store"

    def start(self) -> OxigraphServer:
        exe = Path(sys.executable).with_name("oxigraph")
        binary = str(exe) if exe.exists() else shutil.which("oxigraph")
        if binary is None:
            raise RuntimeError("the oxigraph executable is not installed (pip install oxigraph)")
        log = self.folder / "oxigraph.log"
        data = self.folder / "data"
        command = [binary, "serve", "--location", str(data), "--bind", f"127.0.0.1:{self.port}"]
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            _wait_http(_ask_url(self.query_url), self.process, log, START_TIMEOUT)
        except RuntimeError:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)


def virtuoso_missing() -> str | None:
    """Why Virtuoso cannot run here, or None when its binaries are installed."""
    missing = [name for name in ("virtuoso-t", "isql-vt") if shutil.which(name) is None]
    if missing:
        return f"{', '.join(missing)} not installed: run scripts/virtuoso.sh install (as root)"
    return None


_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 8
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = {d}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {d}
MaxClientConnections = 8
ServerThreads = 8
Charset = UTF-8
EnabledDavVSP = 0

[SPARQL]
; the default 10000 cuts result sets without warning
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 60
; the default 400 s makes the optimiser refuse claim_summary (11 OPTIONALs) on an estimate
MaxQueryCostEstimationTime = 0
"""


@dataclass
class VirtuosoServer:
    """``virtuoso-t`` with its own ini, database and passwords in ``folder``, on loopback ports.

    ``user`` / ``password`` is an ordinary account with the ``SPARQL_UPDATE`` role and write
    permission on every graph; it authenticates with HTTP Digest on ``/sparql-auth`` and
    ``/sparql-graph-crud-auth``. The DBA password is random and never leaves this object.
    """

    folder: Path
    http_port: int = field(default_factory=free_port)
    sql_port: int = field(default_factory=free_port)
    user: str = "neurokg"
    password: str = field(default_factory=lambda: secrets.token_hex(16), repr=False)
    _dba_password: str = field(default_factory=lambda: secrets.token_hex(16), repr=False)
    process: subprocess.Popen[bytes] | None = None

    @property
    def query_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    @property
    def update_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql-auth"

    @property
    def store_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql-graph-crud-auth"

    def start(self) -> VirtuosoServer:
        reason = virtuoso_missing()
        if reason is not None:
            raise RuntimeError(reason)
        ini = self.folder / "virtuoso.ini"
        ini.write_text(
            _INI.format(
                d=self.folder,
                sql_port=self.sql_port,
                http_port=self.http_port,
                max_rows=RESULT_SET_MAX_ROWS,
            ),
            encoding="utf-8",
        )
        command = ["virtuoso-t", "+foreground", "+configfile", str(ini)]
        with (self.folder / "stdout.log").open("wb") as out:
            self.process = subprocess.Popen(
                command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            _wait_http(
                _ask_url(self.query_url), self.process, self.folder / "virtuoso.log", START_TIMEOUT
            )
            self._set_up_accounts()
        except RuntimeError:
            self.stop()
            raise
        return self

    def _set_up_accounts(self) -> None:
        """New DBA password, the update user and its permissions; fed on stdin, not argv."""
        script = (
            f"SET PASSWORD dba {self._dba_password};\n"
            f"DB.DBA.USER_CREATE ('{self.user}', '{self.password}');\n"
            f'GRANT SPARQL_UPDATE TO "{self.user}";\n'
            f"DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('{self.user}', 7);\n"
            "checkpoint;\n"
        )
        # A fresh database has the documented default DBA password "dba"; it is changed first.
        result = subprocess.run(
            ["isql-vt", f"127.0.0.1:{self.sql_port}", "dba", "dba"],
            input=script.encode(),
            capture_output=True,
            timeout=START_TIMEOUT,
            check=False,
        )
        output = result.stdout.decode("utf-8", "replace")
        if result.returncode != 0 or "Error" in output:
            lines = [line for line in output.splitlines() if "Error" in line]
            raise RuntimeError(f"isql-vt set-up failed ({result.returncode}): {lines[:3]}")

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)

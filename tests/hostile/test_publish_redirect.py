"""publish never follows a redirect, so credentials reach only the URLs given (issue 16, hardening).

https://github.com/neurokg/neurokg/issues/16 — ``publish --auth basic`` resent ``Authorization:
Basic ...`` to whatever origin a 302 named (urllib keeps the header on a redirect). Any 3xx answer
is now an input error (exit 2) naming the redirect target; the target receives nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from click.testing import CliRunner
from listener import Listener

from neurokg.build import KnowledgeGraph
from neurokg.cli import main
from neurokg.errors import EndpointError
from neurokg.publish import ENV_PASSWORD, ENV_USER, Auth, publish_graph

PASSWORD = "pw-never-shown-4711"


@contextmanager
def _redirecting(code: int, target: str) -> Iterator[str]:
    """A server on 127.0.0.1 that answers every request with ``code`` to ``target``."""

    class Redirect(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            self.send_response(code)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_POST

        def log_message(self, *args: Any) -> None:
            """Silence http.server's stderr log."""

    server = HTTPServer(("127.0.0.1", 0), Redirect)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_cli_refuses_a_redirect_to_another_origin(runner: CliRunner) -> None:
    with Listener() as other, _redirecting(302, f"{other.url}?from=redirect") as first:
        result = runner.invoke(
            main,
            ["-q", "publish", "--endpoint", f"{first}/query",
             "--update-endpoint", f"{first}/update", "--auth", "basic"],
            env={ENV_USER: "curator", ENV_PASSWORD: PASSWORD},
        )  # fmt: skip
        assert result.exit_code == 2, result.output
        assert f"{first}/update answered HTTP 302, a redirect to {other.url}" in result.stderr
        assert "follows no redirect" in result.stderr
        assert PASSWORD not in result.output
        assert other.quiet()  # no request at all, so no Authorization header either


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("scheme", ["basic", "digest"])
def test_no_redirect_is_followed(kg: KnowledgeGraph, code: int, scheme: str) -> None:
    with Listener() as other, _redirecting(code, other.url) as first:
        with pytest.raises(EndpointError, match=f"HTTP {code}, a redirect to") as info:
            publish_graph(
                kg,
                query_endpoint=f"{first}/query",
                update_endpoint=f"{first}/update",
                auth=Auth(scheme, "curator", PASSWORD),  # type: ignore[arg-type]
                timeout=5,
            )
        assert PASSWORD not in str(info.value)
        assert other.quiet()


def test_credentials_in_the_target_are_not_echoed(kg: KnowledgeGraph) -> None:
    with Listener() as other:
        target = f"http://user:{PASSWORD}@127.0.0.1:{other.port}/sparql"
        with _redirecting(302, target) as first:
            with pytest.raises(EndpointError, match="a redirect to") as info:
                publish_graph(kg, query_endpoint=f"{first}/q", update_endpoint=f"{first}/u")
        assert PASSWORD not in str(info.value)
        assert other.quiet()

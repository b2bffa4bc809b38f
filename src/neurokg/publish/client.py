"""The HTTP requests publishing sends, and the credentials they carry.

Consumes: the server's query and update URLs, optionally its Graph Store Protocol URL; optional
credentials (``Auth``, HTTP Basic or Digest; ``auth_from_env`` reads them from
``NEUROKG_ENDPOINT_USER`` / ``NEUROKG_ENDPOINT_PASSWORD``).
Produces: ``_Client``: SPARQL Update requests, Graph Store ``POST`` requests, triple counts of a
graph, and the staging graphs (``STAGING_PREFIX``) a killed run left on the server.
Policy: only http(s) URLs. Credentials are sent only through the HTTP authentication handlers
(Basic up front, Digest when challenged) and never appear in messages, reports or ``repr``
(URLs are shown without their user part). No redirect is followed (any 3xx answer is an
``EndpointError`` naming its target): credentials go only to the URLs given. An error answer,
or a server that cannot be reached, is an ``EndpointError``.
"""

from __future__ import annotations

import base64
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.client import HTTPMessage
from typing import IO, Final, Literal

from rdflib import URIRef

from ..errors import EndpointError, NeurokgError
from ..namespaces import GRAPH

__all__ = [
    "ENV_PASSWORD",
    "ENV_USER",
    "STAGING_PREFIX",
    "Auth",
    "AuthScheme",
    "auth_from_env",
]

#: Staging graphs are named below this prefix, so a clean-up can find those a killed run left.
STAGING_PREFIX: Final = f"{GRAPH}staging/"
ENV_USER: Final = "NEUROKG_ENDPOINT_USER"
ENV_PASSWORD: Final = "NEUROKG_ENDPOINT_PASSWORD"  # noqa: S105 (a variable name)


AuthScheme = Literal["basic", "digest"]


@dataclass(frozen=True)
class Auth:
    """HTTP credentials for the update and Graph Store endpoints; the password never prints."""

    scheme: AuthScheme
    user: str
    password: str = field(repr=False)


def auth_from_env(scheme: AuthScheme, environ: Mapping[str, str] | None = None) -> Auth:
    """Read the user and password from ``NEUROKG_ENDPOINT_USER`` / ``NEUROKG_ENDPOINT_PASSWORD``."""
    env = os.environ if environ is None else environ
    missing = [name for name in (ENV_USER, ENV_PASSWORD) if not env.get(name)]
    if missing:
        raise NeurokgError(
            f"--auth {scheme} needs the environment variable(s) {', '.join(missing)}"
        )
    return Auth(scheme, env[ENV_USER], env[ENV_PASSWORD])


def _redact(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc=parts.hostname or ""))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Follows no redirect: urllib would resend the Authorization header to whatever origin the
    ``Location`` names, and turn a POST into a GET that drops the update. ``_send`` reports it."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        return None


def _redirect_error(url: str, err: urllib.error.HTTPError) -> EndpointError:
    target = urllib.parse.urljoin(url, err.headers.get("Location", ""))
    return EndpointError(
        f"{_redact(url)} answered HTTP {err.code}, a redirect to {_redact(target)}: publish "
        "follows no redirect (it would send the credentials there, or drop the update); "
        "give the endpoint's final URL instead"
    )


@dataclass
class _Client:
    """The few HTTP requests publishing needs, with authentication handled by urllib."""

    query_endpoint: str
    update_endpoint: str
    gsp_endpoint: str | None
    auth: Auth | None
    timeout: float
    _opener: urllib.request.OpenerDirector = field(init=False, repr=False)

    def __post_init__(self) -> None:
        for url in (self.query_endpoint, self.update_endpoint, self.gsp_endpoint):
            if url is not None and urllib.parse.urlsplit(url).scheme not in ("http", "https"):
                raise NeurokgError(f"endpoint {_redact(url)} is not an http(s) URL")
        handlers: list[urllib.request.BaseHandler] = []
        if self.auth is not None and self.auth.scheme == "digest":
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in (self.query_endpoint, self.update_endpoint, self.gsp_endpoint):
                if url is not None:
                    passwords.add_password(None, url, self.auth.user, self.auth.password)
            handlers.append(urllib.request.HTTPDigestAuthHandler(passwords))
        self._opener = urllib.request.build_opener(*handlers, _NoRedirect())

    def _send(self, url: str, body: bytes, content_type: str, accept: str) -> bytes:
        headers = {"Content-Type": content_type, "Accept": accept}
        if self.auth is not None and self.auth.scheme == "basic":  # sent up front: no challenge
            token = f"{self.auth.user}:{self.auth.password}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(token).decode("ascii")
        # S310: every URL was checked to be http(s) in __post_init__
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                payload: bytes = response.read()
                return payload
        except urllib.error.HTTPError as err:
            if 300 <= err.code < 400:
                err.close()
                raise _redirect_error(url, err) from err
            detail = err.read(400).decode("utf-8", "replace").strip().splitlines()
            reason = detail[0] if detail else err.reason
            raise EndpointError(f"{_redact(url)} answered HTTP {err.code}: {reason}") from err
        except (urllib.error.URLError, TimeoutError, OSError) as err:
            raise EndpointError(f"{_redact(url)} cannot be reached: {err}") from err

    def update(self, text: str) -> None:
        form = urllib.parse.urlencode({"update": text}).encode("ascii")
        self._send(self.update_endpoint, form, "application/x-www-form-urlencoded", "*/*")

    def post_triples(self, graph: str, ntriples: str) -> None:
        assert self.gsp_endpoint is not None
        sep = "&" if "?" in self.gsp_endpoint else "?"
        url = f"{self.gsp_endpoint}{sep}{urllib.parse.urlencode({'graph': graph})}"
        # N-Triples sent as Turtle (a superset): older servers do not know application/n-triples.
        self._send(url, ntriples.encode("utf-8"), "text/turtle; charset=utf-8", "*/*")

    def staging_graphs(self) -> list[str]:
        """The staging graphs holding triples on the server (``STAGING_PREFIX``)."""
        text = (
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
            f'FILTER(STRSTARTS(STR(?g), "{STAGING_PREFIX}")) }}'
        )
        body = self._send(
            self.query_endpoint,
            urllib.parse.urlencode({"query": text}).encode(),
            "application/x-www-form-urlencoded",
            "application/sparql-results+json",
        )
        try:
            rows = json.loads(body)["results"]["bindings"]
            return sorted(str(row["g"]["value"]) for row in rows)
        except (ValueError, KeyError, TypeError) as err:
            where = _redact(self.query_endpoint)
            raise EndpointError(f"{where} did not answer the staging query as SPARQL JSON") from err

    def count(self, graph: str) -> int:
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {URIRef(graph).n3()} {{ ?s ?p ?o }} }}"
        form = urllib.parse.urlencode({"query": query}).encode("ascii")
        accept = "application/sparql-results+json"
        raw = self._send(self.query_endpoint, form, "application/x-www-form-urlencoded", accept)
        try:
            bindings = json.loads(raw)["results"]["bindings"]
            return int(bindings[0]["n"]["value"]) if bindings else 0
        except (ValueError, KeyError, IndexError, TypeError) as err:
            where = _redact(self.query_endpoint)
            raise EndpointError(f"{where} did not answer a COUNT as SPARQL JSON") from err

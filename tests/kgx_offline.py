"""Run kgx (validate, transform) offline, on the Biolink schema the biolink-model package ships.

kgx and the Biolink Model Toolkit (bmt) fetch the Biolink schema, its predicate map and the
Biolink JSON-LD context from the network, the schema already when ``kgx`` is imported. Here, before
kgx is imported:
- bmt's ``Toolkit`` defaults to the packaged ``biolink_model.yaml`` (its predicate map, used only to
  read mappings to external vocabularies, is left empty);
- kgx's JSON-LD contexts are the packaged Biolink prefix map plus the contexts a release brings
  (``kgx_context.jsonld``: the prefixes neurokg mints).
So a run needs no network; ``no_network`` makes any attempt fail instead of waiting.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any

__all__ = ["biolink_schema", "biolink_toolkit", "no_network", "use_offline_biolink"]


def biolink_schema() -> str:
    """The path of the Biolink Model schema the ``biolink-model`` package ships."""
    return str(files("biolink_model") / "schema" / "biolink_model.yaml")


def _biolink_prefixes() -> dict[str, Any]:
    path = files("biolink_model") / "prefixmaps" / "biolink-model-prefix-map.json"
    prefixes: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return prefixes


def biolink_toolkit() -> Any:
    """A bmt ``Toolkit`` over the packaged schema."""
    from bmt import Toolkit

    return Toolkit(biolink_schema(), predicate_map={"predicate mappings": []})


def use_offline_biolink(contexts: Sequence[Path] = ()) -> None:
    """Point bmt and kgx at packaged files (see the module docstring); call before using kgx."""
    import bmt.toolkit

    bmt.toolkit.Toolkit.__init__.__defaults__ = (biolink_schema(), {"predicate mappings": []})
    import kgx.config

    context = _biolink_prefixes()
    for path in contexts:
        own = json.loads(path.read_text(encoding="utf-8"))["@context"]
        context.update({k: v for k, v in own.items() if k not in context})
    for name in ("biolink", "monarch_context", "obo_context"):
        kgx.config.jsonld_context_map[name] = context


@contextmanager
def no_network() -> Iterator[None]:
    """Refuse name look-ups for anything but the loopback, so a network call fails at once."""
    real = socket.getaddrinfo

    def local_only(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in ("localhost", "127.0.0.1", "::1", None):
            raise OSError(f"no network in the KGX tests (asked for {host!r})")
        return real(host, *args, **kwargs)

    socket.getaddrinfo = local_only
    try:
        yield
    finally:
        socket.getaddrinfo = real

"""SHACL validation as SPARQL on the Oxigraph store (ADR 0010): compile.py turns shapes into
queries, checks.py writes one shape's queries, run.py runs them and writes the report."""

from .compile import Check, Unsupported, compile_shapes
from .run import Outcome, run_checks

__all__ = [
    "Check",
    "Outcome",
    "Unsupported",
    "compile_shapes",
    "run_checks",
]

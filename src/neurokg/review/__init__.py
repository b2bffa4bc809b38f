"""Review an AI-written answer against the graph (issue 11; DESIGN.md section 9).

``review_answer(engine, text) -> Review``; ``render_text`` and ``render_json`` write it;
``emit_claims`` writes its statements as submitted claims. Offline and deterministic.
"""

from .emit import emit_claims
from .report import render_json, render_text
from .review import SCHEMA, VERDICTS, Review, StatementReview, review_answer

__all__ = [
    "SCHEMA",
    "VERDICTS",
    "Review",
    "StatementReview",
    "emit_claims",
    "render_json",
    "render_text",
    "review_answer",
]

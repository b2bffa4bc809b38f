"""The curators' workflow: review history (``history``), the review queue and status changes
written into the curated YAML in place (``edit``)."""

from __future__ import annotations

__all__: list[str] = []

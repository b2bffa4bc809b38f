"""Compare two releases claim by claim: what a curator must review since the last release.

Consumes: two release files (TriG or N-Quads, as ``neurokg export`` writes them) and optionally
terms (CURIEs, IRIs or names) to restrict the comparison to.
Produces: a ``ReleaseDiff``: claims added, removed, and changed in status, polarity, sources or
certainty (``evidence.certainty_of_claim`` over each claim's supports and counts), with who made
each status change recorded since the old release (the claims' review history,
``nkg:statusChange``: who, ORCID when given, when, why), as
Markdown for curators (``render_markdown``) or a JSON-ready dict for apps (``ReleaseDiff.as_dict``).
Policy: claims are matched by their stable IRI (``https://w3id.org/neurokg/claim/<id>``). A term
filter keeps the claims whose subject, object, context, target or lesion site is one of the terms
or a subclass of one (``rdfs:subClassOf*`` in either release), as the named queries do. Output
order is by claim id, so equal inputs give equal text.

Modules: release (a release's claims and terms), compare (``diff_releases``,
``render_markdown``).
"""

from __future__ import annotations

from .compare import ClaimChange, ReleaseDiff, diff_releases, render_markdown
from .release import ClaimState, HistoryStep, claim_states, read_release, resolve_terms

__all__ = [
    "ClaimChange",
    "ClaimState",
    "HistoryStep",
    "ReleaseDiff",
    "claim_states",
    "diff_releases",
    "read_release",
    "render_markdown",
    "resolve_terms",
]

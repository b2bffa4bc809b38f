"""The pages of ``serve`` for people: the YASGUI query editor and the plain form without JavaScript.

Consumes: ``Limits`` (to say them on the page), the named queries (``queries/*.rq``, as examples)
and the project's prefix map (namespaces.py).
Produces: the HTML of ``/`` (YASGUI, which the Oxigraph server ships as ``/yasgui.min.js`` and
``/yasgui.min.css``; the proxy relays those two files and the logo from the private Oxigraph
server, so the page works offline) and of ``/?query=...`` (the form with a table, for browsers
without JavaScript).
Policy (docs/decisions/0009-query-page.md): the editor sends its queries to ``/query``, so the
proxy's refusals, row cap and time limit apply to them as to any client; IRIs of claims and terms
in results link to this server's ``/claim/`` and ``/term/`` pages; YASGUI's autocompleters that
ask web services (prefix.cc, LOV) are off, and nothing is kept in the browser's storage.
"""

from __future__ import annotations

import html
import json
from typing import Any, Final

from .namespaces import CLAIM, ENTITY_PREFIXES, NKGT, PREFIX_MAP
from .query import describe_query
from .resources import list_queries, query_text

__all__ = [
    "ASSETS",
    "LOCAL_LINKS",
    "START_QUERY",
    "examples",
    "form_page",
    "html_table",
    "yasgui_page",
]

#: Files of the Oxigraph server's own page that the proxy relays (path -> content type).
ASSETS: Final = {
    "/yasgui.min.js": "application/javascript; charset=utf-8",
    "/yasgui.min.css": "text/css; charset=utf-8",
    "/logo.svg": "image/svg+xml",
}

#: IRI prefix -> the local path that dereferences it (claim and term pages).
LOCAL_LINKS: Final = {
    str(CLAIM): "/claim/",
    **{PREFIX_MAP[p]: f"/term/{p}:" for p in sorted(ENTITY_PREFIXES) if p != "NKGT"},
    str(NKGT): "/term/NKGT:",
}

_DECLARED: Final = ("nkg", "claim", "NKGT", "rdfs", "skos", "prov", "dcterms", "RO")

#: The first example: every claim with the labels of its two terms.
START_QUERY: Final = (
    "".join(f"PREFIX {p}: <{PREFIX_MAP[p]}>\n" for p in _DECLARED)
    + """# Claims with the labels of their terms. Pick a named query under "Examples" for more.
SELECT ?claim ?subject ?subject_label ?predicate ?object ?object_label ?status WHERE {
  ?claim a nkg:Claim ; nkg:subject ?subject ; nkg:predicate ?predicate ;
         nkg:curationStatus ?status .
  OPTIONAL { ?subject rdfs:label ?subject_label }
  OPTIONAL { ?claim nkg:object ?object . OPTIONAL { ?object rdfs:label ?object_label } }
}
ORDER BY ?claim
LIMIT 100
"""
)


def examples() -> list[dict[str, str]]:
    """The start query and every named query, as ``{"name", "question", "query"}``.

    A named query's parameters are left unbound (the query then runs for every value, up to the
    row cap); a comment line says how to bind one.
    """
    found = [{"name": "claims with labels", "question": "Claims with labels", "query": START_QUERY}]
    for name in list_queries():
        doc = describe_query(name)
        text = query_text(name)
        if doc.params:
            names = " ".join(f"?{p}" for p in doc.params)
            text = (
                f"# Parameters {names} are unbound here, so every value is asked about; to ask "
                f"about one, add at the end:\n#   VALUES ?{doc.params[0]} {{ <IRI> }}\n{text}"
            )
        found.append({"name": name, "question": doc.question, "query": text})
    return found


def _script_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element (no ``</script>``, no HTML comment)."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


_SCRIPT: Final = """
const origin = window.location.origin;
// no autocompleter that asks a web service (prefix.cc, LOV): the page works offline
Yasgui.Yasqe.defaults.autocompleters = ["variables"];
const yasgui = new Yasgui(document.getElementById("yasgui"), {
  requestConfig: { endpoint: origin + "/query", method: "POST" },
  copyEndpointOnNewTab: false,
  persistenceId: null,
  endpointCatalogueOptions: { getData: () => [{ endpoint: origin + "/query" }], keys: [] },
  yasqe: { value: EXAMPLES[0].query, autocompleters: ["variables"], persistenceId: null },
  yasr: { prefixes: PREFIXES, persistenceId: null },
});
const tab = yasgui.getTab();
tab.setQuery(EXAMPLES[0].query);
const choice = document.getElementById("examples");
EXAMPLES.forEach((example, index) => {
  const option = document.createElement("option");
  option.value = String(index);
  option.textContent = example.name + (index ? ": " + example.question : "");
  choice.appendChild(option);
});
choice.addEventListener("change", () => {
  yasgui.getTab().setQuery(EXAMPLES[Number(choice.value)].query);
});
// the proxy's row cap: say when an answer was cut (its JSON has a "neurokg" member)
const watched = new WeakSet();
function watch(tab) {
  const yasqe = tab && tab.getYasqe();
  if (!yasqe || watched.has(yasqe)) return;
  watched.add(yasqe);
  yasqe.on("queryResponse", (_yasqe, response) => {
    const info = response && response.neurokg;
    document.getElementById("limits").textContent = info && info.truncated
      ? "Cut at this endpoint's row cap: only the first " + info.max_rows + " rows are shown."
      : "";
  });
}
watch(tab);
yasgui.on("tabSelect", (_yasgui, id) => setTimeout(() => watch(yasgui.getTab(id)), 0));
// claim and term IRIs open this server's pages, in this window
function localise(root) {
  root.querySelectorAll("a.iri").forEach((a) => {
    for (const [prefix, path] of Object.entries(LOCAL_LINKS)) {
      if (a.href.startsWith(prefix)) {
        a.href = origin + path + a.href.slice(prefix.length);
        a.target = "_self";
        a.classList.add("local");
      }
    }
  });
}
new MutationObserver(() => localise(document.getElementById("yasgui")))
  .observe(document.getElementById("yasgui"), { childList: true, subtree: true });
"""


def _longest_first(prefixes: dict[str, str]) -> dict[str, str]:
    """YASR shortens an IRI with the first prefix that matches: ``claim:x``, not ``nkg:claim/x``."""
    return dict(sorted(prefixes.items(), key=lambda item: (-len(item[1]), item[0])))


def yasgui_page(timeout_s: int, max_rows: int) -> bytes:
    """The page at ``/``: YASGUI on ``/query``, with the examples and the prefixes."""
    data = (
        f"const EXAMPLES = {_script_json(examples())};\n"
        f"const PREFIXES = {_script_json(_longest_first(PREFIX_MAP))};\n"
        f"const LOCAL_LINKS = {_script_json(LOCAL_LINKS)};\n"
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>neurokg SPARQL</title>
<link href="/yasgui.min.css" rel="stylesheet" type="text/css">
<link rel="icon" type="image/svg+xml" href="/logo.svg">
<style>body{{font-family:sans-serif;margin:1em 2em}} header p{{margin:.3em 0}}
#examples{{max-width:100%}} #limits{{color:#a00;font-weight:bold;margin:.3em 0}}</style></head>
<body><header><h1>neurokg SPARQL endpoint (read-only)</h1>
<p>Queries run over the union of the named graphs. Each query may run {timeout_s} s and return
{max_rows} rows. Programs: send SPARQL 1.1 Protocol requests to <code>/query</code>. Claims are
at <code>/claim/&lt;id&gt;</code>, terms at <code>/term/&lt;CURIE&gt;</code> (HTML, Turtle or
JSON-LD).</p>
<p><label for="examples">Examples:</label> <select id="examples"></select></p></header>
<noscript>{_form(None)}</noscript>
<p id="limits" role="status"></p>
<div id="yasgui"></div>
<script src="/yasgui.min.js"></script>
<script>
{data}{_SCRIPT}</script>
</body></html>
""".encode()


def _form(query: str | None) -> str:
    text = html.escape(query if query is not None else START_QUERY)
    return (
        f'<form method="get" action="/"><textarea name="query">{text}</textarea>'
        '<p><button type="submit">Run</button></p></form>'
    )


def form_page(timeout_s: int, max_rows: int, query: str, table: str) -> bytes:
    """The page at ``/?query=...``: the query in a form and its rows as a table (no JavaScript)."""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>neurokg SPARQL</title>
<style>body{{font-family:sans-serif;margin:2em}}
textarea{{width:100%;height:12em;font-family:monospace}}table{{border-collapse:collapse}}
td,th{{border:1px solid #999;padding:2px 6px;font-size:90%}}</style></head>
<body><h1>neurokg SPARQL endpoint (read-only)</h1>
<p>Queries run over the union of the named graphs. Each query may run {timeout_s} s and
return {max_rows} rows. Programs: send SPARQL 1.1 Protocol requests to
<code>/query</code>. <a href="/">The query editor</a>.</p>
{_form(query)}{table}</body></html>
""".encode()


def html_table(kind: str, data: bytes, truncated: bool, max_rows: int) -> str:
    """An answer of the proxy (SPARQL JSON, or N-Triples) as an escaped HTML table."""
    if kind == "application/n-triples":
        return f"<pre>{html.escape(data.decode())}</pre>"
    payload = json.loads(data)
    if "boolean" in payload:
        return f"<p>{'true' if payload['boolean'] else 'false'}</p>"
    variables = payload["head"].get("vars", [])
    rows = payload["results"]["bindings"]
    note = f"<p>{len(rows)} rows" + (
        f" (cut at the limit of {max_rows})</p>" if truncated else "</p>"
    )
    head = "".join(f"<th>{html.escape(v)}</th>" for v in variables)
    body = "".join(
        "<tr>"
        + "".join(f"<td>{html.escape(r[v]['value']) if v in r else ''}</td>" for v in variables)
        + "</tr>"
        for r in rows
    )
    return f"{note}<table><tr>{head}</tr>{body}</table>"

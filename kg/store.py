"""A real triple store: push a graph through the SPARQL 1.1 Graph Store HTTP Protocol, query an endpoint.

Works with any SPARQL 1.1 store: Oxigraph server (``/store`` and ``/query``), Apache Jena
Fuseki (``/DATASET/data`` and ``/DATASET/sparql``), GraphDB
(``/repositories/REPO/rdf-graphs/service`` and ``/repositories/REPO``)...

Credentials come from the environment only, never from the command line or the URL:
``KG_ENDPOINT_TOKEN`` (sent as ``Authorization: Bearer``), or ``KG_ENDPOINT_USER`` and
``KG_ENDPOINT_PASSWORD`` (HTTP Basic).
"""

from __future__ import annotations

import base64
import dataclasses
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import QueryError, StoreError
from kg.query import OxTerm, Query, Result, read_triples, to_rdflib
from kg.results import from_json
from kg.vocab import PREFIXES

TOKEN_ENV = "KG_ENDPOINT_TOKEN"
USER_ENV = "KG_ENDPOINT_USER"
PASSWORD_ENV = "KG_ENDPOINT_PASSWORD"
DEFAULT_TIMEOUT = 60.0
USER_AGENT = "kg (knowledge-graph builder)"


def _check_url(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise StoreError(f"{url}: an endpoint is an http:// or https:// URL")
    if parts.username or parts.password:
        raise StoreError(
            f"credentials in the endpoint URL are refused; set {TOKEN_ENV}, or {USER_ENV} and {PASSWORD_ENV}"
        )
    return url


def _auth_header(env: Mapping[str, str] | None = None) -> dict[str, str]:
    env = os.environ if env is None else env
    if env.get(TOKEN_ENV):
        return {"Authorization": f"Bearer {env[TOKEN_ENV]}"}
    if env.get(USER_ENV):
        pair = f"{env[USER_ENV]}:{env.get(PASSWORD_ENV, '')}".encode()
        return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}
    return {}


def _with_params(url: str, params: Mapping[str, str]) -> str:
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True) + list(params.items())
    encoded = "&".join(
        urllib.parse.quote(k, safe="") + ("=" + urllib.parse.quote(v, safe="") if v != "" else "") for k, v in query
    )
    return urllib.parse.urlunsplit(parts._replace(query=encoded))


def _request(method: str, url: str, data: bytes | None, headers: Mapping[str, str], timeout: float) -> tuple[int, bytes]:
    request = urllib.request.Request(
        url, data=data, method=method, headers={"User-Agent": USER_AGENT, **headers, **_auth_header()}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only, checked
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        body = exc.read().decode("utf-8", "replace").strip().splitlines()
        detail = f": {body[0][:300]}" if body else ""
        hint = " (set the credentials in the environment)" if exc.code in {401, 403} else ""
        raise StoreError(f"{method} {url} -> HTTP {exc.code} {exc.reason}{detail}{hint}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise StoreError(f"{method} {url}: cannot reach the endpoint ({reason})") from None


@dataclass(frozen=True, slots=True)
class PushReport:
    triples: int
    graph: str | None
    replaced: bool
    status: int


def push(
    path: Path, endpoint: str, graph: str | None = None, replace: bool = False, timeout: float = DEFAULT_TIMEOUT
) -> PushReport:
    """Load a graph file into a store's Graph Store endpoint: PUT replaces the graph, POST adds to it.

    Args:
        endpoint: the Graph Store Protocol URL (Oxigraph: ``http://host:7878/store``).
        graph: the named graph IRI to write; ``None`` writes the default graph.
    """
    _check_url(endpoint)
    if graph is not None:
        try:
            ox.NamedNode(graph)
        except ValueError:
            raise StoreError(f"--graph {graph!r} is not an absolute IRI") from None
    triples = read_triples(path)
    # Turtle: the one syntax the Graph Store Protocol requires every store to accept.
    body = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    url = _with_params(endpoint, {"graph": graph} if graph else {"default": ""})
    status, _ = _request(
        "PUT" if replace else "POST", url, body, {"Content-Type": "text/turtle; charset=utf-8"}, timeout
    )
    return PushReport(triples=len(triples), graph=graph, replaced=replace, status=status)


def _term_n3(term: OxTerm) -> str:
    # pyoxigraph writes validated N-Triples syntax: escaped literals, checked IRIs.
    return str(term)


def remote_text(query: Query, bindings: Mapping[str, OxTerm] | None = None) -> str:
    """The query as sent to an endpoint: shipped prefixes declared, parameters in a trailing VALUES."""
    prologue = "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in PREFIXES.items())
    text = prologue + query.text
    if bindings:
        names = list(bindings)
        variables = " ".join(f"?{name}" for name in names)
        values = " ".join(_term_n3(bindings[name]) for name in names)
        text += f"\nVALUES ({variables}) {{ ({values}) }}\n"
    return text


class RemoteEndpoint:
    """A SPARQL 1.1 query endpoint, run through the SPARQL protocol (POST, form-encoded)."""

    name = "remote"

    def __init__(self, url: str, graph: str | None = None, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.url = _check_url(url)
        self.graph = graph
        self.timeout = timeout

    def run(self, query: Query, bindings: Mapping[str, OxTerm] | None = None, limit: int | None = None) -> Result:
        if bindings and query.trailing_values:
            raise QueryError("--param with --endpoint needs a query that does not end with its own VALUES block")
        form = [("query", remote_text(query, bindings))]
        if self.graph:
            form.append(("default-graph-uri", self.graph))
        accept = "application/n-triples" if query.is_graph else "application/sparql-results+json"
        status, body = _request(
            "POST", self.url, urllib.parse.urlencode(form).encode("ascii"),
            {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}, self.timeout,
        )
        if query.is_graph:
            try:
                triples = tuple(
                    (to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object))
                    for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
                )
            except SyntaxError as exc:
                raise StoreError(f"{self.url}: the endpoint did not answer N-Triples ({exc})") from None
            return _limited(Result(query.form, triples=triples), limit)  # type: ignore[arg-type]
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            raise StoreError(f"{self.url}: the endpoint did not answer SPARQL JSON results") from None
        return _limited(from_json(data, query.form), limit)


def _limited(result: Result, limit: int | None) -> Result:
    """The first ``limit`` rows or triples of a result, marked truncated if there were more."""
    if limit is None or (len(result.rows) <= limit and len(result.triples) <= limit):
        return result
    return dataclasses.replace(result, rows=result.rows[:limit], triples=result.triples[:limit], truncated=True)

"""A remote SPARQL endpoint: push a graph through the SPARQL 1.1 Graph Store HTTP Protocol, query an endpoint.

Works with any SPARQL 1.1 store: Oxigraph server (``/store`` and ``/query``), Apache Jena
Fuseki (``/DATASET/data`` and ``/DATASET/sparql``), GraphDB
(``/repositories/REPO/rdf-graphs/service`` and ``/repositories/REPO``)...

Credentials are given as :class:`Credentials` (the CLI reads them from the environment only,
never from the command line or the URL: ``KG_ENDPOINT_TOKEN``, sent as ``Authorization: Bearer``,
or ``KG_ENDPOINT_USER`` and ``KG_ENDPOINT_PASSWORD``, HTTP Basic). Redirects are never followed,
so credentials only ever go to the URL given, and a push only counts as done on that URL's own
success answer.
Answers are read as a stream, up to a byte limit and the row limit: a huge answer is refused,
not held in memory.
"""

from __future__ import annotations

import base64
import http.client
import io
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

import pyoxigraph as ox

from kg.engines import Result, select_star, take
from kg.errors import QueryError, StoreError, one_line
from kg.query_check import Query
from kg.rdf import Term, read_graph
from kg.vocab import PREFIXES
from kg.worker import size_text

TOKEN_ENV = "KG_ENDPOINT_TOKEN"
USER_ENV = "KG_ENDPOINT_USER"
PASSWORD_ENV = "KG_ENDPOINT_PASSWORD"
DEFAULT_TIMEOUT = 60.0
MAX_ANSWER = 256 * 2**20  # bytes of an endpoint's answer read at most
USER_AGENT = "kg (knowledge-graph builder)"
# What a Graph Store answers when it has stored the graph (SPARQL 1.1 Graph Store Protocol, 5.3-5.5):
# 200 OK or 204 No Content, and 201 Created for a PUT that made a new graph.
STORED = {200, 201, 204}


def _check_url(url: str) -> str:
    if not url or any(c.isspace() or not c.isprintable() for c in url):
        raise StoreError(f"{one_line(url)!r}: an endpoint URL has no spaces or control characters (encode them: %20)")
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 -- raises on a port that is not a number
    except ValueError as exc:
        raise StoreError(f"{url}: not a valid URL ({exc})") from None
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise StoreError(f"{url}: an endpoint is an http:// or https:// URL")
    if parts.username or parts.password:
        raise StoreError(
            f"credentials in the endpoint URL are refused; set {TOKEN_ENV}, or {USER_ENV} and {PASSWORD_ENV}"
        )
    try:
        ox.NamedNode(url)
    except ValueError as exc:
        raise StoreError(f"{url}: not a valid URL ({exc})") from None
    return url


@dataclass(frozen=True, slots=True)
class Credentials:
    """What an endpoint is told about who asks: a bearer token, or a user and password (HTTP Basic)."""

    token: str | None = None
    user: str | None = None
    password: str = ""

    @classmethod
    def from_environment(cls, env: Mapping[str, str]) -> Credentials:
        """The credentials ``env`` names (``TOKEN_ENV``, or ``USER_ENV`` and ``PASSWORD_ENV``).

        The CLI passes ``os.environ``; the library never reads the environment itself.
        """
        return cls(env.get(TOKEN_ENV) or None, env.get(USER_ENV) or None, env.get(PASSWORD_ENV, ""))

    def header(self) -> dict[str, str]:
        if self.token:
            return {"Authorization": f"Bearer {self.token}"}
        if self.user:
            pair = f"{self.user}:{self.password}".encode()
            return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}
        return {}


NO_CREDENTIALS = Credentials()


def _with_params(url: str, params: Mapping[str, str]) -> str:
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True) + list(params.items())
    encoded = "&".join(
        urllib.parse.quote(k, safe="") + ("=" + urllib.parse.quote(v, safe="") if v != "" else "") for k, v in query
    )
    return urllib.parse.urlunsplit(parts._replace(query=encoded))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Refuses every redirect: urllib would send the credentials on to the new URL, and turn a POST into a GET."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # urllib then raises the 3xx answer as an HTTPError


_OPENER = urllib.request.build_opener(_NoRedirect)


# Statuses a server gives a request meant for its other kind of endpoint (a push to the query URL, a query
# to the Graph Store URL): the error then says which URL each command takes.
_WRONG_KIND = frozenset({400, 404, 405, 406, 415})
_QUERY_NAMES = ("query", "sparql")  # the last path segment of a query endpoint (Oxigraph, Fuseki)
_STORE_NAMES = ("store", "data", "service", "update")  # ... of a Graph Store (Oxigraph, Fuseki, GraphDB), or updates
QUERY, PUSH = "query", "push"


def _kind_hint(purpose: str, url: str) -> str:
    """What ``purpose`` (QUERY or PUSH) needs, when ``url`` answered as if it were the other kind of endpoint.

    >>> _kind_hint(PUSH, "http://h:7878/query?default")
    '; http://h:7878/query is the query endpoint, and kg push needs the Graph Store endpoint, e.g. http://h:7878/store'
    """
    parts = urllib.parse.urlsplit(url)
    base, _, last = parts.path.rstrip("/").rpartition("/")
    bare = urllib.parse.urlunsplit(parts._replace(query="", fragment=""))
    if purpose == PUSH:
        if last in _QUERY_NAMES:
            example = urllib.parse.urlunsplit(parts._replace(path=f"{base}/store", query="", fragment=""))
            return f"; {bare} is the query endpoint, and kg push needs the Graph Store endpoint, e.g. {example}"
        return ("; kg push needs a Graph Store endpoint (Oxigraph …/store, Fuseki …/DATASET/data, "
                "GraphDB …/repositories/REPO/rdf-graphs/service)")
    if last in _STORE_NAMES:
        example = urllib.parse.urlunsplit(parts._replace(path=f"{base}/query", query="", fragment=""))
        return (f"; {bare} is the Graph Store (or update) endpoint, and kg query needs the query endpoint, "
                f"e.g. {example}")
    return ("; kg query needs a SPARQL query endpoint (Oxigraph …/query, Fuseki …/DATASET/sparql, "
            "GraphDB …/repositories/REPO)")


@contextmanager
def _open(method: str, url: str, data: bytes | None, headers: Mapping[str, str], timeout: float,
          credentials: Credentials, purpose: str) -> Iterator[Any]:
    """The answer of one request to ``url`` itself (a 2xx; redirects are errors), to be read as a stream.

    ``purpose`` (QUERY or PUSH) says which kind of endpoint the request is for, for the error when it is not.
    """
    request = urllib.request.Request(
        url, data=data, method=method, headers={"User-Agent": USER_AGENT, **headers, **credentials.header()}
    )
    try:
        response = _OPENER.open(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        with exc:
            try:
                body = exc.read(4096).decode("utf-8", "replace").strip().splitlines()
            except (OSError, http.client.HTTPException):
                body = []
        if 300 <= exc.code < 400:
            location = one_line(exc.headers.get("Location") or "elsewhere")[:300]
            raise StoreError(
                f"{method} {url} -> HTTP {exc.code}, redirected to {location}: not followed (credentials stay "
                "with the URL given); give the final URL"
            ) from None
        detail = f": {one_line(body[0])[:300]}" if body else ""
        hint = " (set the credentials in the environment)" if exc.code in {401, 403} else ""
        if exc.code in _WRONG_KIND:
            hint = _kind_hint(purpose, url)
        raise StoreError(f"{method} {url} -> HTTP {exc.code} {one_line(str(exc.reason))}{detail}{hint}") from None
    except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", exc)
        raise StoreError(f"{method} {url}: cannot reach the endpoint ({one_line(str(reason))})") from None
    with response:
        yield response


class _Capped(io.RawIOBase):
    """An answer's body, read as a stream that stops with a clear error past ``limit`` bytes."""

    def __init__(self, response: Any, limit: int, url: str) -> None:
        self.response, self.limit, self.url, self.read_so_far = response, limit, url, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            count = self.response.readinto(buffer)
        except (OSError, http.client.HTTPException) as exc:
            raise StoreError(
                f"{self.url}: the answer was cut off ({one_line(str(exc)) or type(exc).__name__})"
            ) from None
        self.read_so_far += count
        if self.read_so_far > self.limit:
            raise StoreError(
                f"{self.url}: the answer is larger than {size_text(self.limit)}; "
                "ask for fewer rows (LIMIT in the query)"
            )
        return int(count)


@dataclass(frozen=True, slots=True)
class PushReport:
    triples: int
    graph: str | None
    replaced: bool
    status: int


def push(
    path: Path, endpoint: str, graph: str | None = None, replace: bool = False, timeout: float = DEFAULT_TIMEOUT,
    credentials: Credentials = NO_CREDENTIALS,
) -> PushReport:
    """Load a graph file or store directory into a Graph Store endpoint: PUT replaces the graph, POST adds to it.

    Args:
        endpoint: the Graph Store Protocol URL (Oxigraph: ``http://host:7878/store``).
        graph: the named graph IRI to write; ``None`` writes the default graph.

    Raises:
        StoreError: the store did not answer 200, 201 or 204 itself (a redirect, another status).
    """
    _check_url(endpoint)
    if graph is not None:
        try:
            ox.NamedNode(graph)
        except ValueError:
            raise StoreError(f"--graph {graph!r} is not an absolute IRI") from None
    triples = read_graph(path)
    # Turtle: the one syntax the Graph Store Protocol requires every store to accept.
    body = ox.serialize([ox.Triple(s, p, o) for s, p, o in triples],  # type: ignore[arg-type]  # no literal subject
                        format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    url = _with_params(endpoint, {"graph": graph} if graph else {"default": ""})
    method = "PUT" if replace else "POST"
    with _open(method, url, body, {"Content-Type": "text/turtle; charset=utf-8"}, timeout, credentials,
               PUSH) as response:
        status = int(response.status)
    if status not in STORED:
        raise StoreError(
            f"{method} {url} -> HTTP {status}: not a Graph Store success (200, 201 or 204); "
            "nothing is known to be stored"
        )
    return PushReport(triples=len(triples), graph=graph, replaced=replace, status=status)


def _term_n3(term: Term) -> str:
    # pyoxigraph writes validated N-Triples syntax: escaped literals, checked IRIs.
    return str(term)


def remote_text(query: Query, bindings: Mapping[str, Term] | None = None) -> str:
    """The query as sent to an endpoint: shipped prefixes declared, parameters in a trailing VALUES."""
    prologue = "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in PREFIXES.items())
    text = prologue + query.text
    if bindings:
        names = list(bindings)
        variables = " ".join(f"?{name}" for name in names)
        values = " ".join(_term_n3(bindings[name]) for name in names)
        text += f"\nVALUES ({variables}) {{ ({values}) }}\n"
    return text


def _term(term: Any, url: str) -> Term:
    if not isinstance(term, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        raise StoreError(f"{url}: the endpoint answered a term kg does not read (an RDF-star triple?)")
    return term


class RemoteEndpoint:
    """A SPARQL 1.1 query endpoint, run through the SPARQL protocol (POST, form-encoded)."""

    name = "remote"
    network = True  # kg.worker leaves its worker the network

    def __init__(self, url: str, graph: str | None = None, timeout: float = DEFAULT_TIMEOUT,
                 max_bytes: int = MAX_ANSWER, credentials: Credentials = NO_CREDENTIALS) -> None:
        self.url = _check_url(url)
        if graph is not None:
            try:
                ox.NamedNode(graph)
            except ValueError:
                raise StoreError(f"--graph {graph!r} is not an absolute IRI") from None
        self.graph = graph
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.credentials = credentials

    def run(self, query: Query, bindings: Mapping[str, Term] | None = None, limit: int | None = None) -> Result:
        if bindings and query.trailing_values:
            raise QueryError("--param with --endpoint needs a query that does not end with its own VALUES block")
        form = [("query", remote_text(query, bindings))]
        if self.graph:
            form.append(("default-graph-uri", self.graph))
        accept = "application/n-triples" if query.is_graph else "application/sparql-results+json"
        with _open(
            "POST", self.url, urllib.parse.urlencode(form).encode("ascii"),
            {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}, self.timeout, self.credentials,
            QUERY,
        ) as response:
            media = response.headers.get("Content-Type") or ""
            body = cast(IO[bytes], _Capped(response, self.max_bytes, self.url))  # read as a binary stream
            try:
                return self._read(query, media, body, limit)
            except SyntaxError as exc:
                kind = "RDF" if query.is_graph else "SPARQL results"
                raise StoreError(
                    f"{self.url}: the endpoint did not answer {kind} ({one_line(str(exc).splitlines()[0])[:200]})"
                ) from None

    def _read(self, query: Query, media: str, body: IO[bytes], limit: int | None) -> Result:
        # Read as the answer says it is written; what is read is checked (IRIs, language tags, datatypes).
        if query.is_graph:
            syntax = ox.RdfFormat.from_media_type(media) or ox.RdfFormat.N_TRIPLES
            triples, more = take(ox.parse(body, format=syntax), limit)
            return Result(query.form, triples=tuple(
                (_term(t.subject, self.url), _term(t.predicate, self.url), _term(t.object, self.url))
                for t in triples
            ), truncated=more)
        answer = ox.parse_query_results(body, format=ox.QueryResultsFormat.from_media_type(media)
                                        or ox.QueryResultsFormat.JSON)
        if isinstance(answer, ox.QueryBoolean) != (query.form == "ASK"):
            raise StoreError(f"{self.url}: the endpoint answered {'rows' if query.form == 'ASK' else 'a boolean'} "
                             f"to a {query.form} query")
        if isinstance(answer, ox.QueryBoolean):
            return Result(query.form, boolean=bool(answer))
        variables = tuple(v.value for v in answer.variables)
        solutions, more = take(answer, limit)
        rows = (tuple(None if solution[v] is None else _term(solution[v], self.url) for v in variables)
                for solution in solutions)
        variables, ordered = select_star(query, variables, rows)
        return Result(query.form, variables=variables, rows=ordered, truncated=more)

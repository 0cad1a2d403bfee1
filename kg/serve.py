"""``kg serve``: a local analyst workbench over one built graph, and a read-only SPARQL endpoint.

One process on 127.0.0.1 (the standard library's ``ThreadingHTTPServer``) serves:

- ``/``: the workbench, a SPARQL editor and result table (YASGUI, vendored in ``kg/static``)
  with the shipped queries in a menu; actor cells open the network view focused on the actor;
- ``/view?focus=IRI-or-name&hops=N``: that view (``kg.viz.graph_html``), with its evidence panel;
- ``/sparql``: the SPARQL 1.1 Protocol (``kg.serve_sparql``), answering only what ``kg query`` would;
- ``/api/queries`` and ``/api/actors``: the shipped queries and the actors, as JSON for the page.

The graph is read once, at start. The pages load nothing but this server's own files, and
their Content-Security-Policy lets them connect nowhere else. Only GET and POST are answered,
a request's size is bounded, a static file is looked up by its exact path among the packaged
ones (no listing, no path to walk), and unless remote access is allowed a request must name a
loopback host (a page of another site reaching 127.0.0.1 by DNS rebinding is refused).
"""

from __future__ import annotations

import functools
import ipaddress
import json
import multiprocessing
import socket
import sys
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.engines import Result, load
from kg.errors import KGError, one_line
from kg.network import project
from kg.query import run, shipped_queries
from kg.rdf import read_graph
from kg.serve_sparql import Answer, ProtocolError, answer, read_request
from kg.viz import graph_html
from kg.viz_select import ActorNotFound
from kg.vocab import PREFIXES
from kg.worker import DEFAULT_LIMIT, DEFAULT_MAX_MEMORY, DEFAULT_TIMEOUT

if TYPE_CHECKING:  # importlib.resources.abc is Python 3.11+
    from importlib.resources.abc import Traversable

DEFAULT_PORT = 7879
MAX_BODY = 2**20  # bytes of a POST body (a query file is at most as long: kg.query.MAX_QUERY_FILE)
MAX_HOPS = 5
REQUEST_TIMEOUT = 60.0  # seconds a client may take to send its request
_LOOPBACK_NAMES = {"localhost", "localhost.", "ip6-localhost"}
_MEDIA = {".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".txt": "text/plain"}
_SECURITY = (
    ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer"), ("Cache-Control", "no-store"),
    ("Cross-Origin-Resource-Policy", "same-origin"), ("X-Frame-Options", "SAMEORIGIN"),
)
# The workbench runs only its own scripts and connects only to this server.
WORKBENCH_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; frame-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# The view is one page with its scripts in-line; it needs nothing from anywhere, not even from here.
VIEW_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; "
    "font-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
)
TEXT_POLICY = "default-src 'none'; frame-ancestors 'none'"


class ServeError(KGError):
    """The workbench cannot start: a bind address it must not use, or a port it cannot listen on."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address) is this machine's loopback: 127.0.0.0/8, ::1, localhost."""
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, allow_remote: bool) -> None:
    """Refuse a bind address other than loopback unless remote access is asked for explicitly.

    Raises:
        ServeError: ``host`` is not a loopback address and ``allow_remote`` is false.
    """
    if not is_loopback(host) and not allow_remote:
        raise ServeError(
            f"--host {host} would let other machines query the graph: add --allow-remote to mean it"
        )


@dataclass(frozen=True, slots=True)
class Limits:
    """How a query of the endpoint is bounded, as ``kg query``'s are (None: unbounded)."""

    timeout: float | None = DEFAULT_TIMEOUT
    rows: int | None = DEFAULT_LIMIT
    max_memory: int | None = DEFAULT_MAX_MEMORY
    concurrent: int = 2  # queries running at once (each a worker process)


def _static_files(root: Traversable, prefix: str = "/static/") -> Iterator[tuple[str, bytes]]:
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.is_dir():
            yield from _static_files(entry, f"{prefix}{entry.name}/")
        elif not entry.name.startswith("."):
            yield prefix + entry.name, entry.read_bytes()


class Workbench:
    """A graph read once, and every answer the workbench gives about it (no HTTP here: see :func:`make_server`)."""

    def __init__(self, path: Path, limits: Limits | None = None) -> None:
        """Read the graph file or store at ``path`` (raises GraphError if it cannot be read)."""
        self.path = path
        self.limits = limits or Limits()
        self.triples = read_graph(path)
        self.engine = load(path)
        actors = project(self.triples).actors
        self.actors = {iri: actor.label for iri, actor in sorted(actors.items()) if actor.cls}
        self.static = dict(_static_files(files("kg") / "static"))
        self._slots = threading.BoundedSemaphore(self.limits.concurrent)
        self._page = functools.lru_cache(maxsize=32)(self._render)

    def _run(self, text: str, params: dict[str, str]) -> Result:
        with self._slots:
            return run(self.engine, text, params, limit=self.limits.rows, timeout=self.limits.timeout,
                       max_memory=self.limits.max_memory)

    def sparql(self, method: str, url_query: str, content_type: str | None, body: bytes, accept: str | None) -> Answer:
        """The endpoint's answer to a SPARQL 1.1 Protocol request (raises ProtocolError)."""
        return answer(self._run, read_request(method, url_query, content_type, body), accept)

    def _render(self, focus: str | None, hops: int) -> bytes:
        # An IRI of an actor is shown by its label, which the view looks actors up by.
        name = self.actors.get(focus, focus) if focus else None
        return graph_html(self.triples, focus=name, hops=hops,
                          title=None if name else f"kg network: {self.path.name}").encode("utf-8")

    def view(self, url_query: str) -> Answer:
        """The network page, whole or around ``focus`` (an actor's IRI or name) within ``hops`` edges."""
        try:
            fields = dict(urllib.parse.parse_qsl(url_query, max_num_fields=10))
        except ValueError:
            raise ProtocolError(400, "too many parameters: /view takes focus and hops") from None
        focus = fields.get("focus", "").strip() or None
        try:
            hops = int(fields.get("hops", "1"))
        except ValueError:
            hops = -1
        if not 0 <= hops <= MAX_HOPS:
            raise ProtocolError(400, f"hops={fields.get('hops')!r}: expected a whole number from 0 to {MAX_HOPS}")
        try:
            page = self._page(focus, hops)
        except ActorNotFound as exc:
            raise ProtocolError(404, str(exc)) from None
        return Answer(200, "text/html; charset=utf-8", page, (("Content-Security-Policy", VIEW_POLICY),))

    def queries(self) -> Answer:
        """The shipped queries (name, description, text, parameters) and the prefixes they may use, as JSON."""
        data = {
            "graph": self.path.name, "triples": len(self.triples), "actors": len(self.actors),
            "prefixes": PREFIXES,
            "queries": [
                {"name": q.name, "description": q.description, "text": q.text,
                 "params": [{"name": p.name, "help": p.help, "required": p.required} for p in q.params]}
                for q in shipped_queries()
            ],
        }
        return _json(data)

    def actor_index(self) -> Answer:
        """The actors the view draws, IRI -> label, as JSON: the result table links them to the view."""
        return _json(self.actors)

    def static_file(self, path: str) -> Answer:
        """A packaged file of ``kg/static`` by its exact path (``/`` is the workbench page)."""
        data = self.static.get("/static/workbench.html" if path == "/" else path)
        if data is None:
            raise ProtocolError(404, f"{path}: no such page")
        suffix = Path(path).suffix if path != "/" else ".html"
        media = _MEDIA.get(suffix, "application/octet-stream")
        return Answer(200, media + "; charset=utf-8", data, (("Content-Security-Policy", WORKBENCH_POLICY),))


def _json(data: Any) -> Answer:
    return Answer(200, "application/json", json.dumps(data, ensure_ascii=False).encode("utf-8"))


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away mid-answer is no error; anything else is one log line, not a traceback."""
        error = sys.exc_info()[1]
        if self.log is not None and not isinstance(error, (ConnectionError, TimeoutError)):
            self.log(one_line(f"{client_address[0]}: {type(error).__name__}: {error}"))

    def __init__(self, address: tuple[str, int], workbench: Workbench, allow_remote: bool,
                 log: Callable[[str], None] | None) -> None:
        self.workbench = workbench
        self.allow_remote = allow_remote
        self.log = log
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    timeout = REQUEST_TIMEOUT

    def version_string(self) -> str:
        return "kg-serve"

    def do_GET(self) -> None:
        self._dispatch(b"")

    def do_POST(self) -> None:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self._reply(ProtocolError(411, "send the body with a Content-Length, not chunked"))
            return
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self._reply(ProtocolError(411, "a POST needs a Content-Length"))
            return
        if not 0 <= length <= MAX_BODY:
            self._reply(ProtocolError(413, f"the request body is over {MAX_BODY // 2**20} MiB"))
            return
        self._dispatch(self.rfile.read(length))

    def _not_allowed(self) -> None:
        self._reply(ProtocolError(405, f"{self.command} is not answered here: only GET and POST"),
                    (("Allow", "GET, POST"),))

    do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = do_TRACE = do_CONNECT = _not_allowed

    def _refusal(self) -> ProtocolError | None:
        """Why the request must not be answered here: a foreign Host (DNS rebinding) or Origin."""
        host = self.headers.get("Host", "")
        name = urllib.parse.urlsplit(f"//{host}").hostname or ""
        if not self.server.allow_remote and not is_loopback(name):
            return ProtocolError(403, f"Host {host!r} is not this machine: kg serve answers loopback names only")
        origin = self.headers.get("Origin")
        if origin is not None and urllib.parse.urlsplit(origin).netloc != host:
            return ProtocolError(403, f"a page of {origin!r} may not query this server")
        return None

    def _dispatch(self, body: bytes) -> None:
        workbench = self.server.workbench
        parts = urllib.parse.urlsplit(self.path)
        try:
            refusal = self._refusal()
            if refusal is not None:
                raise refusal
            if parts.path == "/sparql":
                reply = workbench.sparql(self.command, parts.query, self.headers.get("Content-Type"), body,
                                         self.headers.get("Accept"))
            elif self.command != "GET":
                raise ProtocolError(405, f"{parts.path}: only GET here (POST queries to /sparql)")
            elif parts.path == "/view":
                reply = workbench.view(parts.query)
            elif parts.path == "/api/queries":
                reply = workbench.queries()
            elif parts.path == "/api/actors":
                reply = workbench.actor_index()
            elif parts.path == "/favicon.ico":
                reply = Answer(204, "text/plain", b"")
            else:
                reply = workbench.static_file(parts.path)
        except ProtocolError as exc:
            self._reply(exc, (("Allow", "GET, POST"),) if exc.status == 405 else ())
            return
        except KGError as exc:  # the view of a graph kg cannot draw, say
            self._reply(ProtocolError(500, str(exc)))
            return
        except Exception as exc:  # noqa: BLE001 -- a server answers every request, in one line
            self._reply(ProtocolError(500, f"internal error: {type(exc).__name__}: {str(exc)[:200]}"))
            return
        self._send(reply)

    def _reply(self, error: ProtocolError, headers: tuple[tuple[str, str], ...] = ()) -> None:
        self._send(Answer(error.status, "text/plain; charset=utf-8", f"{error}\n".encode(), headers))

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own errors (a malformed request line, headers too long) as one line of text."""
        self.close_connection = True
        self._reply(ProtocolError(code, message or self.responses.get(code, ("error",))[0]))

    def _send(self, reply: Answer) -> None:
        self.send_response(reply.status)
        headers = dict(_SECURITY)
        headers.setdefault("Content-Security-Policy", TEXT_POLICY)
        headers.update(reply.headers)
        headers["Content-Type"] = reply.media_type
        headers["Content-Length"] = str(len(reply.body))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if self.server.log is not None:
            line = getattr(self, "requestline", "")
            self.server.log(one_line(f"{self.address_string()} {line[:300]} {code}"))

    def log_message(self, format: str, *args: Any) -> None:
        pass  # errors are answered to the client, and requests logged by log_request


def close(server: ThreadingHTTPServer) -> None:
    """Stop listening, and kill the query workers still running: no request is waiting for them any more.

    A worker busy in an engine's native code would not see a polite signal until its query
    ends, and the process waits for its children before it exits.
    """
    server.server_close()
    for child in multiprocessing.active_children():
        child.kill()


def make_server(workbench: Workbench, host: str = "127.0.0.1", port: int = DEFAULT_PORT, *,
                allow_remote: bool = False, log: Callable[[str], None] | None = None) -> ThreadingHTTPServer:
    """A server for ``workbench`` listening on ``host:port`` (port 0: any free port; see ``server_address``).

    Raises:
        ServeError: a non-loopback ``host`` without ``allow_remote``, or an address it cannot listen on.
    """
    check_bind(host, allow_remote)
    try:
        return _Server((host, port), workbench, allow_remote, log)
    except OSError as exc:
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None

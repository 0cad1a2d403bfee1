"""A real HTTP server on 127.0.0.1 (a thread, port 0) for network tests: it records every request it gets.

Standing for "the network", any request it records is a leak; standing for an endpoint, it answers
what the test scripts (an answer, a redirect, an endless stream).
"""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

ONE_ROW = json.dumps({"head": {"vars": ["x"]},
                      "results": {"bindings": [{"x": {"type": "literal", "value": "remote"}}]}}).encode()


@dataclass
class Hit:
    method: str
    path: str
    headers: dict[str, str]


@dataclass
class Listener:
    """The server's address and what it saw; ``answer`` decides what it sends back."""

    url: str = ""
    hits: list[Hit] = field(default_factory=list)
    answer: Callable[[http.server.BaseHTTPRequestHandler], None] | None = None


def json_answer(body: bytes = ONE_ROW, status: int = 200,
                media: str = "application/sparql-results+json") -> Callable[[http.server.BaseHTTPRequestHandler], None]:
    def send(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", media)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return send


@contextmanager
def listening() -> Iterator[Listener]:
    """A recording server on a loopback port, shut down afterwards."""
    state = Listener()

    class Handler(http.server.BaseHTTPRequestHandler):
        def _handle(self) -> None:
            if self.command in {"POST", "PUT"}:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
            state.hits.append(Hit(self.command, self.path, dict(self.headers.items())))
            (state.answer or json_answer())(self)

        do_GET = do_POST = do_PUT = do_HEAD = _handle  # noqa: N815 -- http.server's naming

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_port}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()

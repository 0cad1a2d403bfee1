"""kg push and kg query --endpoint against a real Oxigraph server started on a loopback port."""

from __future__ import annotations

import base64
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.endpoint import (
    PASSWORD_ENV,
    TOKEN_ENV,
    USER_ENV,
    Credentials,
    RemoteEndpoint,
    push,
    remote_text,
)
from kg.engines import load
from kg.errors import QueryError, StoreError
from kg.query import run, shipped_queries
from kg.query_check import prepare
from kg.rdf import read_graph
from kg.results import from_json

from .listener import json_answer, listening
from .sample_graph import write_sample

runner = CliRunner()
# Actors by name: resolved the same way locally and through an endpoint.
PARAMS = {"actor-profile": {"actor": "Sudani"}, "actor-interactions": {"actor": "kge:mohammed-shia-al-sudani"},
          "evidence": {"predicate": "kg:attacked", "subject": "Islamic Resistance"}}
NAMED = "https://w3id.org/kg-news/graph/test"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _oxigraph() -> str:
    found = shutil.which("oxigraph") or shutil.which("oxigraph", path=str(Path(sys.executable).parent))
    if not found:
        pytest.fail("the oxigraph server is missing: pip install -e '.[test]'")
    return found


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An Oxigraph server on 127.0.0.1, with its own store directory; always terminated."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [_oxigraph(), "serve", "--location", str(tmp_path_factory.mktemp("oxigraph")), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                pytest.fail(f"oxigraph serve exited: {process.stderr.read().decode(errors='replace') if process.stderr else ''}")
            try:
                with urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("oxigraph serve did not answer within 30 s")
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sample(tmp_path_factory.mktemp("sample"))


def _same_everywhere(graph: Path, remote: RemoteEndpoint) -> None:
    engines = [load(graph, "oxigraph"), load(graph, "rdflib"), remote]
    for shipped in shipped_queries():
        results = [run(engine, shipped.text, PARAMS.get(shipped.name, {}), shipped) for engine in engines]
        assert results[0] == results[1] == results[2], shipped.name


def test_push_then_every_shipped_query_matches_local(server: str, sample: Path) -> None:
    report = push(sample, f"{server}/store", replace=True)
    assert report.triples == len(read_graph(sample)) and report.graph is None
    _same_everywhere(sample, RemoteEndpoint(f"{server}/query"))


def test_named_graph_push_and_other_query_forms(server: str, sample: Path) -> None:
    push(sample, f"{server}/store", graph=NAMED, replace=True)
    remote, local = RemoteEndpoint(f"{server}/query", graph=NAMED), load(sample, "oxigraph")
    _same_everywhere(sample, remote)
    for text in ["ASK { kge:baghdad kg:locatedIn kge:iraq }", "ASK { kge:iraq kg:locatedIn kge:baghdad }"]:
        assert run(remote, text) == run(local, text)
    construct = "CONSTRUCT { ?s kg:hit ?o } WHERE { ?s kg:attacked ?o }"
    assert set(run(remote, construct).triples) == set(run(local, construct).triples)
    assert set(run(remote, "DESCRIBE kge:iraq").triples) == set(run(local, "DESCRIBE kge:iraq").triples)


def test_post_adds_and_put_replaces(server: str, sample: Path, tmp_path: Path) -> None:
    graph = "https://w3id.org/kg-news/graph/merge"
    extra = tmp_path / "extra.nt"
    extra.write_text('<https://w3id.org/kg-news/id/entity/x> <http://www.w3.org/2000/01/rdf-schema#label> "X" .\n')
    remote = RemoteEndpoint(f"{server}/query", graph=graph)
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    push(sample, f"{server}/store", graph=graph, replace=True)
    push(sample, f"{server}/store", graph=graph)  # the same triples again: a set, nothing doubles
    push(extra, f"{server}/store", graph=graph)
    counted = run(remote, count).rows[0][0]
    assert counted is not None and int(counted.value) == len(read_graph(sample)) + 1
    push(extra, f"{server}/store", graph=graph, replace=True)
    counted = run(remote, count).rows[0][0]
    assert counted is not None and int(counted.value) == 1


def test_cli_push_and_remote_query(server: str, sample: Path) -> None:
    pushed = runner.invoke(app, ["push", str(sample), "--endpoint", f"{server}/store", "--replace"])
    assert pushed.exit_code == 0, pushed.output
    assert f"{len(read_graph(sample))} triples replaced the default graph" in pushed.output
    for name in ["attacks", "roles", "actors-by-type"]:
        local = runner.invoke(app, ["query", str(sample), name, "-f", "csv"])
        remote = runner.invoke(app, ["query", "--endpoint", f"{server}/query", name, "-f", "csv"])
        assert remote.exit_code == 0, remote.output
        assert remote.stdout == local.stdout
    table = runner.invoke(app, ["query", "--endpoint", f"{server}/query", "actor-profile",
                                "-p", "actor=kge:antony-blinken"])
    assert table.exit_code == 0 and "consulted" in table.output
    refused = runner.invoke(app, ["query", "--endpoint", f"{server}/query", "CLEAR ALL"])
    assert refused.exit_code == 1 and "refused" in refused.output
    # nothing was cleared
    assert runner.invoke(app, ["query", "--endpoint", f"{server}/query", "ASK { ?s ?p ?o }"]).stdout.strip() == "yes"


def test_parameters_travel_as_a_values_block_of_escaped_terms() -> None:
    from kg.query import bind_params

    query = prepare("SELECT ?s ?label WHERE { ?s rdfs:label ?label }")
    text = remote_text(query, bind_params(query, {"label": 'Iraq" } ?s ?p ?o { "'}))
    assert text.rstrip().endswith('VALUES (?label) { ("Iraq\\" } ?s ?p ?o { \\"") }')
    assert text.startswith("PREFIX kg: <https://w3id.org/kg-news/ontology#>")


def test_unreachable_endpoint_is_a_one_line_error(sample: Path) -> None:
    closed = f"http://127.0.0.1:{_free_port()}"
    with pytest.raises(StoreError, match="cannot reach"):
        push(sample, f"{closed}/store")
    result = runner.invoke(app, ["query", "--endpoint", f"{closed}/query", "attacks"])
    assert result.exit_code == 1 and "cannot reach" in result.output and "Traceback" not in result.output


def test_credentials_in_the_url_are_refused(sample: Path) -> None:
    with pytest.raises(StoreError, match="credentials in the endpoint URL"):
        push(sample, "http://user:secret@127.0.0.1:9/store")
    with pytest.raises(StoreError, match="http"):
        RemoteEndpoint("file:///etc/passwd")


class _Recorder(BaseHTTPRequestHandler):
    seen: list[tuple[str, str | None, str]] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        length = int(self.headers.get("Content-Length", 0))
        self.rfile.read(length)
        self.seen.append((self.command, self.headers.get("Authorization"), self.path))
        self.send_response(401 if self.headers.get("Authorization") is None else 204)
        self.end_headers()

    do_PUT = do_POST

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[str]:
    _Recorder.seen = []
    httpd = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_credentials_come_from_the_environment(recorder: str, sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (TOKEN_ENV, USER_ENV, PASSWORD_ENV):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(StoreError, match="401.*environment"):
        push(sample, f"{recorder}/store")
    pushed = runner.invoke(app, ["push", str(sample), "--endpoint", f"{recorder}/store"])
    assert pushed.exit_code == 1 and "401" in pushed.output
    monkeypatch.setenv(USER_ENV, "ana")
    monkeypatch.setenv(PASSWORD_ENV, "s3cret")
    result = runner.invoke(app, ["push", str(sample), "--endpoint", f"{recorder}/store", "--graph", NAMED, "--replace"])
    assert result.exit_code == 0, result.output
    assert "s3cret" not in result.output
    method, auth, path = _Recorder.seen[-1]
    assert method == "PUT" and auth == "Basic " + base64.b64encode(b"ana:s3cret").decode()
    assert path == "/store?graph=https%3A%2F%2Fw3id.org%2Fkg-news%2Fgraph%2Ftest"
    monkeypatch.setenv(TOKEN_ENV, "tok")
    assert runner.invoke(app, ["push", str(sample), "--endpoint", f"{recorder}/store"]).exit_code == 0
    assert _Recorder.seen[-1][:2] == ("POST", "Bearer tok") and _Recorder.seen[-1][2] == "/store?default"
    help_text = runner.invoke(app, ["push", "--help"]).output
    assert TOKEN_ENV in help_text and "--password" not in help_text


def test_the_library_takes_credentials_as_given_and_never_reads_the_environment(
    recorder: str, sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TOKEN_ENV, "from-the-environment")
    with pytest.raises(StoreError, match="401"):
        push(sample, f"{recorder}/store")
    assert _Recorder.seen[-1][1] is None
    push(sample, f"{recorder}/store", credentials=Credentials(user="ana", password="s3cret"))
    assert _Recorder.seen[-1][1] == "Basic " + base64.b64encode(b"ana:s3cret").decode()
    assert Credentials.from_environment({TOKEN_ENV: "tok", USER_ENV: "ana"}).header() == {"Authorization": "Bearer tok"}
    assert Credentials.from_environment({}).header() == {}


@pytest.mark.model
def test_seed_graph_same_rows_locally_and_in_the_store(server: str, seed_graph_file: Path) -> None:
    graph = "https://w3id.org/kg-news/graph/seeds"
    push(seed_graph_file, f"{server}/store", graph=graph, replace=True)
    _same_everywhere(seed_graph_file, RemoteEndpoint(f"{server}/query", graph=graph))


# ---------------------------------------------------------------- redirects, statuses, answers: against loopback servers


def _redirect_to(target: str) -> Callable[[BaseHTTPRequestHandler], None]:
    def send(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(302)
        handler.send_header("Location", f"{target}{handler.path}")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return send


def test_credentials_never_follow_a_redirect(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TOKEN_ENV, "secret-token")
    with listening() as store, listening() as elsewhere:
        store.answer = _redirect_to(elsewhere.url)
        pushed = runner.invoke(app, ["push", str(sample), "--endpoint", f"{store.url}/store"])
        assert pushed.exit_code == 1 and "redirected to" in pushed.output and "triples added" not in pushed.output
        queried = runner.invoke(app, ["query", "--endpoint", f"{store.url}/query", "attacks"])
        assert queried.exit_code == 1 and "redirected to" in queried.output
        assert elsewhere.hits == []
        assert [hit.headers.get("Authorization") for hit in store.hits] == ["Bearer secret-token"] * 2


def test_push_succeeds_only_on_a_graph_store_success(sample: Path) -> None:
    with listening() as store:
        for status, ok in ((200, True), (201, True), (204, True), (202, False), (203, False), (206, False)):
            store.answer = json_answer(b"", status=status, media="text/plain")
            result = runner.invoke(app, ["push", str(sample), "--endpoint", f"{store.url}/store"])
            assert (result.exit_code == 0) == ok, (status, result.output)
            if not ok:
                assert f"HTTP {status}: not a Graph Store success" in result.output


def _endless_rows(written: list[int], total: int) -> Callable[[BaseHTTPRequestHandler], None]:
    """An answer of ``total`` bytes of rows, without a length; records how much the client took."""

    def send(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/sparql-results+json")
        handler.end_headers()
        row = json.dumps({"x": {"type": "literal", "value": "v" * 1000}}).encode() + b","
        chunk = b'{"head":{"vars":["x"]},"results":{"bindings":[' + row * 1000
        written.append(0)
        try:
            while written[-1] < total:
                handler.wfile.write(chunk)
                written[-1] += len(chunk)
                chunk = row * 1000
            handler.wfile.write(b'{"x":{"type":"literal","value":"end"}}]}}')
        except OSError:
            pass
        handler.close_connection = True

    return send


def test_endpoint_answers_are_read_as_a_bounded_stream() -> None:
    written: list[int] = []
    with listening() as endpoint:
        endpoint.answer = _endless_rows(written, 100 * 2**20)
        result = runner.invoke(app, ["query", "--endpoint", f"{endpoint.url}/query",
                                     "SELECT ?x WHERE { ?x ?p ?o }", "-f", "csv", "--limit", "5"])
        assert result.exit_code == 0, result.output
        assert len(result.stdout.splitlines()) == 6 and "truncated" in result.stderr
        assert written[-1] < 50 * 2**20  # the rest was never read
        endpoint.answer = json_answer(json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": [
            {"x": {"type": "literal", "value": "v" * (8 * 2**20)}}]}}).encode())
        with pytest.raises(StoreError, match="larger than 1 MiB"):
            RemoteEndpoint(f"{endpoint.url}/query", max_bytes=2**20).run(prepare("SELECT ?x WHERE { ?x ?p ?o }"))
        triples = "".join(f"<urn:s{i}> <urn:p> <urn:o> .\n" for i in range(50)).encode()
        endpoint.answer = json_answer(triples, media="application/n-triples")
        graph = RemoteEndpoint(f"{endpoint.url}/query").run(prepare("CONSTRUCT WHERE { ?s ?p ?o }"), limit=7)
        assert len(graph.triples) == 7 and graph.truncated


@pytest.mark.parametrize("term", [
    {"type": "literal", "value": "x", "xml:lang": "not a tag!"},
    {"type": "uri", "value": "not an iri"},
    {"type": "bnode", "value": "a b"},
    {"type": "literal", "value": "x", "datatype": "bad datatype"},
    {"type": "typo", "value": "x"},
])
def test_endpoint_terms_are_checked(term: dict[str, str]) -> None:
    with listening() as endpoint:
        endpoint.answer = json_answer(json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": [{"x": term}]}}).encode())
        for fmt in ("table", "tsv", "json"):
            result = runner.invoke(app, ["query", "--endpoint", f"{endpoint.url}/query", "SELECT ?x WHERE { ?x ?p ?o }",
                                         "-f", fmt])
            assert result.exit_code == 1 and "did not answer SPARQL results" in result.output, result.output
            assert result.output.count("\n") == 1 and "Traceback" not in result.output
    with pytest.raises(QueryError, match="malformed SPARQL JSON results"):
        from_json({"head": {"vars": ["x"]}, "results": {"bindings": [{"x": term}]}}, "SELECT")


@pytest.mark.parametrize("url", ["http://127.0.0.1:1/sp arql", "http://[::1", "http://127.0.0.1:abc/store",
                                 "http://127.0.0.1:99999/store", "http://exa\x1bmple.org/store", "http://"])
def test_bad_endpoint_urls_are_one_line_errors(sample: Path, url: str) -> None:
    for args in (["query", "--endpoint", url, "attacks"], ["push", str(sample), "--endpoint", url]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1 and result.output.startswith("error:"), (args, result.output)
        assert result.output.count("\n") == 1 and "\x1b" not in result.output


def test_an_endpoint_of_the_other_kind_says_which_url_each_command_takes(server: str, sample: Path) -> None:
    pushed = runner.invoke(app, ["push", str(sample), "--endpoint", f"{server}/query"])
    assert pushed.exit_code == 1
    (line,) = pushed.output.splitlines()
    assert "HTTP 415" in line and line.endswith(
        f"{server}/query is the query endpoint, and kg push needs the Graph Store endpoint, e.g. {server}/store")
    queried = runner.invoke(app, ["query", "--endpoint", f"{server}/store", "attacks"])
    assert queried.exit_code == 1
    (line,) = queried.output.splitlines()
    assert "HTTP 415" in line and line.endswith(
        f"{server}/store is the Graph Store (or update) endpoint, and kg query needs the query endpoint, "
        f"e.g. {server}/query")
    for command in (["push", str(sample), "--endpoint", f"{server}/"], ["query", "--endpoint", f"{server}/", "attacks"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 1 and "needs a" in result.output and "Oxigraph …/" in result.output, result.output

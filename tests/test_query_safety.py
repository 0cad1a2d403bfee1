"""kg query only reads: it never changes a graph, never reaches the network from a local graph
(SERVICE, FROM, LOAD, remote JSON-LD contexts), and its time and result size are bounded."""

from __future__ import annotations

import csv
import hashlib
import http.server
import io
import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.engines import load
from kg.errors import QueryRefused, QueryTimeout
from kg.export import export_files
from kg.outputs import write_store
from kg.query import execute, run
from kg.query_check import allow_services, prepare
from kg.rdf import read_graph

from .sample_graph import write_sample

runner = CliRunner()
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib.*")
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


class _Recorder(http.server.BaseHTTPRequestHandler):
    """Answers every request with one SPARQL JSON row, and records it."""

    hits: list[str] = []

    def _answer(self) -> None:
        type(self).hits.append(f"{self.command} {self.path}")
        body = json.dumps({"head": {"vars": ["x"]},
                           "results": {"bindings": [{"x": {"type": "literal", "value": "remote"}}]}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 -- http.server's naming
        self._answer()

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._answer()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def remote() -> Iterator[str]:
    """A loopback HTTP server standing for the network: any request to it is a leak."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def hits(remote: str) -> list[str]:
    _Recorder.hits.clear()
    return _Recorder.hits


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("graphs")
    sample = write_sample(folder)
    triples = read_graph(sample)
    trig = folder / "graph.trig"
    trig.write_bytes(export_files(triples, "trig")["graph.trig"])
    store = folder / "store"
    write_store(store, triples)
    return {"ttl": sample, "trig": trig, "store": store}


def _fingerprint(path: Path) -> dict[str, tuple[str, int]]:
    """Content digest and modification time of a file, or of every file under a folder."""
    paths = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    return {str(p): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in paths}


def test_queries_of_every_kind_leave_the_graph_untouched(files: dict[str, Path], remote: str) -> None:
    attempts = [
        "SELECT * WHERE { ?s ?p ?o }", "ASK { ?s ?p ?o }", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "DESCRIBE kge:iraq", "INSERT DATA { kge:x kg:attacked kge:y }", "DELETE WHERE { ?s ?p ?o }",
        "CLEAR ALL", "DROP DEFAULT", f"LOAD <{remote}/x.ttl>", "CREATE GRAPH <urn:x>",
    ]
    for name, path in files.items():
        before = _fingerprint(path)
        for engine in ("oxigraph", "rdflib"):
            for query in attempts:
                runner.invoke(app, ["query", str(path), query, "--engine", engine, "-f", "csv"])
        assert _fingerprint(path) == before, name


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_local_graph_never_reaches_the_network(files: dict[str, Path], remote: str, hits: list[str],
                                                 engine: str, tmp_path: Path) -> None:
    refused = {
        f"SELECT * WHERE {{ SERVICE <{remote}/sparql> {{ ?s ?p ?o }} }}": "SERVICE",
        f"SELECT * WHERE {{ SERVICE SILENT <{remote}/sparql> {{ ?s ?p ?o }} }}": "SERVICE",
        "SELECT * WHERE { SERVICE ?where { ?s ?p ?o } VALUES ?where { <" + remote + "/sparql> } }": "SERVICE",
        f"SELECT * FROM <{remote}/g.ttl> WHERE {{ ?s ?p ?o }}": "FROM",
        f"SELECT * FROM NAMED <{remote}/g.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}": "FROM",
        f"LOAD <{remote}/g.ttl>": "updates",
        f"LOAD SILENT <{remote}/g.ttl> INTO GRAPH <urn:g>": "updates",
    }
    for query, word in refused.items():
        result = runner.invoke(app, ["query", str(files["ttl"]), query, "--engine", engine])
        assert result.exit_code == 1 and word in result.output and "Traceback" not in result.output, query
    # A JSON-LD graph whose context is remote: pyoxigraph parses it for both engines, and fetches nothing.
    jsonld = tmp_path / "remote-context.jsonld"
    jsonld.write_text(json.dumps({"@context": f"{remote}/context.jsonld", "@id": "urn:a", "p": "v"}))
    for args in (["query", str(jsonld), "ASK { ?s ?p ?o }", "--engine", engine], ["viz", str(jsonld), "-o", str(tmp_path / "v.html")]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1 and "remote context" in result.output, result.output
    # A view's CONSTRUCT query is checked like kg query's.
    for query in (f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{remote}/sparql> {{ ?s ?p ?o }} }}",
                  f"CONSTRUCT {{ ?s ?p ?o }} FROM <{remote}/g.ttl> WHERE {{ ?s ?p ?o }}"):
        result = runner.invoke(app, ["viz", str(files["ttl"]), "-o", str(tmp_path / "v.html"), "--query", query])
        assert result.exit_code == 1 and "refused" in result.output, result.output
    assert hits == []


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_service_runs_only_under_an_allowed_prefix(files: dict[str, Path], remote: str, hits: list[str], engine: str) -> None:
    query = f"SELECT ?x WHERE {{ SERVICE <{remote}/sparql> {{ ?x ?p ?o }} }}"
    allowed = runner.invoke(app, ["query", str(files["ttl"]), query, "--engine", engine, "-f", "csv",
                                  "--allow-service", f"{remote}/sparql"])
    assert allowed.exit_code == 0, allowed.output
    assert allowed.stdout.split() == ["x", "remote"] and len(hits) == 1
    for prefix in (f"{remote}/spar", "http://127.0.0.1:1/sparql", f"{remote}/sparql/other"):
        result = runner.invoke(app, ["query", str(files["ttl"]), query, "--engine", engine, "--allow-service", prefix])
        assert result.exit_code == 1 and "SERVICE" in result.output, prefix
    assert len(hits) == 1


def test_allow_services_matches_whole_path_segments() -> None:
    policy = allow_services(["https://query.example.org/sparql"])
    assert policy is not None and allow_services([]) is None
    assert policy("https://query.example.org/sparql") and policy("<https://query.example.org/sparql/x>")
    for other in ("https://query.example.org/sparql-admin", "https://query.example.org.evil/sparql", "http://x/"):
        assert not policy(other)
    with pytest.raises(QueryRefused):
        prepare("SELECT * WHERE { SERVICE <https://evil.example/sparql> { ?s ?p ?o } }", policy)


# Queries that take 1-3 s on the sample (their worker process is killed at the timeout).
BUSY = {
    "oxigraph": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . VALUES ?x { 1 2 3 } }",
    "rdflib": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . VALUES ?x { 1 2 3 } }",
}


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_slow_query_stops_at_its_timeout(files: dict[str, Path], engine: str) -> None:
    started = time.perf_counter()
    with pytest.raises(QueryTimeout, match="more than 0.3 s"):
        run(load(files["ttl"], engine), BUSY[engine], timeout=0.3)
    assert time.perf_counter() - started < 1


def test_cli_timeout_exits_at_once(files: dict[str, Path]) -> None:
    """For real, in a process: the CLI reports the timeout and exits though the engine is still busy."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "kg", "query", str(files["ttl"]), SLOW, "--timeout", "0.5"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "more than 0.5 s" in done.stderr and "Traceback" not in done.stderr
    assert time.perf_counter() - started < 20


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_results_are_limited_and_truncation_is_reported(files: dict[str, Path], engine: str) -> None:
    total = len(read_graph(files["ttl"]))
    engine_ = load(files["ttl"], engine)
    capped = execute(engine_, prepare("SELECT * WHERE { ?s ?p ?o }"), limit=5)
    assert len(capped.rows) == 5 and capped.truncated
    whole = execute(engine_, prepare("SELECT * WHERE { ?s ?p ?o }"), limit=total)
    assert len(whole.rows) == total and not whole.truncated
    graph = execute(engine_, prepare("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"), limit=7)
    assert len(graph.triples) == 7 and graph.truncated
    result = runner.invoke(app, ["query", str(files["ttl"]), "SELECT * WHERE { ?s ?p ?o }", "--engine", engine,
                                 "-f", "csv", "--limit", "3"])
    assert result.exit_code == 0 and len(list(csv.reader(io.StringIO(result.stdout)))) == 4
    assert "truncated: the first 3 rows only" in result.stderr
    unlimited = runner.invoke(app, ["query", str(files["ttl"]), "SELECT * WHERE { ?s ?p ?o }", "--engine", engine,
                                    "-f", "csv", "--limit", "0"])
    assert len(list(csv.reader(io.StringIO(unlimited.stdout)))) == total + 1 and "truncated" not in unlimited.stderr


def test_cli_defaults_are_the_library_defaults() -> None:
    import inspect

    from kg import cli, query
    from kg.worker import parse_size

    for command, limit in ((cli.query_command, query.DEFAULT_PAGE), (cli.viz, query.DEFAULT_LIMIT)):
        parameters = inspect.signature(command).parameters
        assert parameters["timeout"].default == query.DEFAULT_TIMEOUT
        assert parameters["limit"].default == limit
        assert parse_size(parameters["max_memory"].default) == query.DEFAULT_MAX_MEMORY

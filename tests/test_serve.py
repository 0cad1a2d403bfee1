"""``kg serve``: the workbench and its SPARQL 1.1 endpoint, run as a real process on 127.0.0.1.

The server runs on the seed graph with hostile text planted in an actor's name, a headline,
article texts and evidence sentences; a plain HTTP client (urllib, http.client) and headless
Chromium (Playwright, every request that does not go to the server refused and recorded) talk to it.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from typer.testing import CliRunner

from kg.cli import app
from kg.engines import Result, load
from kg.errors import QueryRefused
from kg.network import project
from kg.query import run
from kg.rdf import read_graph
from kg.serve import check_bind, is_loopback
from kg.serve_sparql import ProtocolError, answer, negotiate, read_request, to_xml
from kg.vocab import KG, PROV, SCHEMA

from .conftest import ROOT

XSS = ('<script>window.__xss=1</script>', '<img src=x onerror="window.__xss=1">', 'javascript:window.__xss=1')
HOSTILE_LABEL = "Zed " + XSS[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PEOPLE = "SELECT ?actor ?label WHERE { ?actor a kg:Person ; rdfs:label ?label } ORDER BY ?actor"


# ---------------------------------------------------------------- the server


@dataclass
class Served:
    url: str  # http://127.0.0.1:PORT/
    graph: Path
    actor: str  # the IRI of the actor whose name is hostile
    process: subprocess.Popen[bytes]

    @property
    def port(self) -> int:
        return int(urllib.parse.urlsplit(self.url).port or 0)


def plant(source: Path, target: Path) -> str:
    """The seed graph with payloads in the best-linked person's name, headlines, texts and evidence; its IRI."""
    network = project(read_graph(source))
    degree: dict[str, int] = {}
    for s, _, o in network.edges:
        degree[s] = degree.get(s, 0) + 1
        degree[o] = degree.get(o, 0) + 1
    people = [iri for iri, actor in network.actors.items() if actor.cls == "Person" and iri in degree]
    actor = max(people, key=lambda iri: (degree[iri], iri))
    graph = Graph().parse(source)
    graph.set((URIRef(actor), RDFS.label, Literal(HOSTILE_LABEL)))
    for article in graph.subjects(RDF.type, SCHEMA.NewsArticle):
        graph.set((article, SCHEMA.headline, Literal(XSS[1] + " headline")))
        graph.set((article, SCHEMA.text, Literal(str(graph.value(article, SCHEMA.text)) + " ".join(XSS))))
    for statement in graph.subjects(RDF.type, KG.Statement):
        if graph.value(statement, PROV.wasDerivedFrom) is not None:
            graph.set((statement, KG.evidenceText, Literal(" ".join(XSS) + " " + str(graph.value(statement, KG.evidenceText)))))
    graph.serialize(target, format="turtle")
    return actor


def start(graph: Path, *args: str, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """``kg serve GRAPH --port 0 ARGS`` as a process, and the URL it prints once it listens."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", str(graph), "--port", "0", *args],
        stdout=subprocess.PIPE, stderr=log.open("wb"), env=env, cwd=ROOT,
    )
    assert process.stdout is not None
    line = process.stdout.readline().decode("utf-8")
    found = re.search(r"http://\S+/", line)
    if not found:
        process.kill()
        raise AssertionError(f"kg serve did not start: {line!r} {log.read_text()!r}")
    return process, found.group(0)


def _children(pid: int) -> set[int]:
    """The processes ``pid`` started (Linux's /proc; none elsewhere)."""
    try:
        return {int(child) for task in Path(f"/proc/{pid}/task").iterdir()
                for child in (task / "children").read_text().split()}
    except OSError:
        return set()


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (OSError, IndexError):
        return False


def stop(process: subprocess.Popen[bytes], within: float = 20) -> int:
    """SIGTERM, and the exit code; a server still running after ``within`` seconds is killed, and fails the test."""
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=within)
    except subprocess.TimeoutExpired:
        for pid in _children(process.pid):
            os.kill(pid, signal.SIGKILL)
        process.kill()
        process.wait()
        raise AssertionError(f"kg serve still ran {within} s after SIGTERM") from None


@pytest.fixture(scope="module")
def served(seed_graph_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("serve")
    graph = folder / "hostile.ttl"
    actor = plant(seed_graph_file, graph)
    process, url = start(graph, "--timeout", "3", "--limit", "100", log=folder / "serve.log")
    yield Served(url, graph, actor, process)
    assert stop(process) == 0


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def request(served: Served, method: str, path: str, body: bytes | None = None,
            headers: dict[str, str] | None = None) -> Reply:
    """A raw request (any method, path and Host), as http.client sends it."""
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    finally:
        connection.close()


def urlopen(req: urllib.request.Request | str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def rows(document: dict[str, Any]) -> list[dict[str, str]]:
    return [{name: term["value"] for name, term in binding.items()} for binding in document["results"]["bindings"]]


def one_line_error(body: bytes) -> str:
    text = body.decode("utf-8")
    assert text.endswith("\n") and text.count("\n") == 1 and "Traceback" not in text, text
    return text


# ---------------------------------------------------------------- the endpoint, over HTTP


@pytest.mark.model
def test_a_select_over_get_and_post_answers_sparql_json_as_kg_query_does(served: Served) -> None:
    expected = run(load(served.graph), PEOPLE)
    want = [{"actor": r[0].value, "label": r[1].value} for r in expected.rows if r[0] and r[1]]
    assert len(want) > 5 and {"actor": served.actor, "label": HOSTILE_LABEL} in want

    status, headers, body = urlopen(served.url + "sparql?" + urllib.parse.urlencode({"query": PEOPLE}))
    assert status == 200 and headers["content-type"] == "application/sparql-results+json"
    assert rows(json.loads(body)) == want
    form = urllib.request.Request(served.url + "sparql", data=urllib.parse.urlencode({"query": PEOPLE}).encode(),
                                  headers={"Accept": "application/sparql-results+json"})
    status, _, body = urlopen(form)
    assert status == 200 and rows(json.loads(body)) == want
    direct = urllib.request.Request(served.url + "sparql", data=PEOPLE.encode("utf-8"),
                                    headers={"Content-Type": "application/sparql-query"})
    status, _, body = urlopen(direct)
    assert status == 200 and rows(json.loads(body)) == want


@pytest.mark.model
def test_kg_query_endpoint_gets_the_rows_of_a_local_query(served: Served) -> None:
    from kg.endpoint import RemoteEndpoint
    from kg.query import resolve_query

    text, shipped = resolve_query("attacks")
    local = run(load(served.graph), text, shipped=shipped)
    remote = run(RemoteEndpoint(served.url + "sparql"), text, shipped=shipped)
    assert remote.rows == local.rows and len(local.rows) > 1


@pytest.mark.model
def test_results_in_every_protocol_format(served: Served) -> None:
    query = urllib.parse.urlencode({"query": PEOPLE})
    xml = request(served, "GET", "/sparql?" + query, headers={"Accept": "application/sparql-results+xml"})
    assert xml.status == 200 and xml.headers["content-type"] == "application/sparql-results+xml"
    ns = "{http://www.w3.org/2005/sparql-results#}"
    labels = [e.text for e in ET.fromstring(xml.body).iter(f"{ns}literal")]
    assert HOSTILE_LABEL in labels  # escaped in the XML, the same text once parsed
    assert b"<img" not in xml.body and b"&lt;img" in xml.body
    csv = request(served, "GET", "/sparql?" + query, headers={"Accept": "text/csv"})
    assert csv.headers["content-type"] == "text/csv; charset=utf-8" and csv.text.startswith("actor,label\r\n")
    tsv = request(served, "GET", "/sparql?" + query, headers={"Accept": "text/tab-separated-values"})
    assert tsv.text.startswith("?actor\t?label\n") and f"<{served.actor}>" in tsv.text
    ask = request(served, "GET", "/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s a kg:Person }"}))
    assert json.loads(ask.body) == {"head": {}, "boolean": True}

    construct = urllib.parse.urlencode({"query": "CONSTRUCT { ?s a kg:Person } WHERE { ?s a kg:Person }"})
    turtle = request(served, "GET", "/sparql?" + construct, headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"] == "text/turtle; charset=utf-8"
    triples = [q.triple for q in ox.parse(turtle.body, format=ox.RdfFormat.TURTLE)]
    assert ox.Triple(ox.NamedNode(served.actor), ox.NamedNode(str(RDF.type)), ox.NamedNode(str(KG.Person))) in triples
    ntriples = request(served, "GET", "/sparql?" + construct, headers={"Accept": "application/n-triples"})
    assert [q.triple for q in ox.parse(ntriples.body, format=ox.RdfFormat.N_TRIPLES)] == triples
    refused = request(served, "GET", "/sparql?" + construct, headers={"Accept": "application/sparql-results+json"})
    assert refused.status == 406 and "text/turtle" in one_line_error(refused.body)

    # Past --limit (100 here) the rows are cut, and a header says so.
    many = request(served, "GET", "/sparql?" + urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p ?o }"}))
    assert len(json.loads(many.body)["results"]["bindings"]) == 100 and "first 100 rows" in many.headers["kg-truncated"]


@pytest.mark.model
def test_bindings_are_parameters_parsed_as_terms(served: Served) -> None:
    query = "SELECT ?actor ?label WHERE { ?actor rdfs:label ?label }"
    reply = request(served, "GET", "/sparql?" + urllib.parse.urlencode({"query": query, "$actor": f"<{served.actor}>"}))
    assert rows(json.loads(reply.body)) == [{"actor": served.actor, "label": HOSTILE_LABEL}]
    unknown = request(served, "GET", "/sparql?" + urllib.parse.urlencode({"query": query, "$nobody": "kge:x"}))
    assert unknown.status == 400 and "?nobody" in one_line_error(unknown.body)


@pytest.mark.model
def test_updates_service_and_load_are_refused_in_one_line_and_change_nothing(served: Served) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = rows(json.loads(request(served, "GET", "/sparql?" + urllib.parse.urlencode({"query": count})).body))
    insert = "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }"
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    attempts = [
        request(served, "POST", "/sparql", urllib.parse.urlencode({"update": insert}).encode(), form),
        request(served, "POST", "/sparql", insert.encode(), {"Content-Type": "application/sparql-update"}),
        request(served, "POST", "/sparql", urllib.parse.urlencode({"query": insert}).encode(), form),
        request(served, "GET", "/sparql?" + urllib.parse.urlencode({"update": "CLEAR ALL"})),
        request(served, "GET", "/sparql?" + urllib.parse.urlencode({"query": "LOAD <http://127.0.0.1:9/x.ttl>"})),
        request(served, "GET", "/sparql?" + urllib.parse.urlencode(
            {"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"})),
    ]
    for reply in attempts:
        assert reply.status == 403, reply
        assert "refused" in one_line_error(reply.body)
    assert "SERVICE <http://127.0.0.1:9/sparql> refused" in attempts[-1].text
    after = rows(json.loads(request(served, "GET", "/sparql?" + urllib.parse.urlencode({"query": count})).body))
    assert after == before


@pytest.mark.model
def test_bad_requests_get_a_4xx_and_one_line(served: Served) -> None:
    cases: list[tuple[Reply, int, str]] = [
        (request(served, "GET", "/sparql"), 400, "expected one query parameter"),
        (request(served, "GET", "/sparql?query=SELECT%20%3Fs%20WHERE%20%7B"), 400, "SPARQL syntax error at line 1"),
        (request(served, "GET", "/sparql?query=%ff"), 400, "not UTF-8"),
        (request(served, "GET", "/sparql?query=ASK%7B%7D&query=ASK%7B%7D"), 400, "more than one query"),
        (request(served, "GET", "/sparql?" + urllib.parse.urlencode(
            {"query": "ASK {}", "default-graph-uri": "urn:x"})), 400, "the endpoint serves one graph"),
        (request(served, "POST", "/sparql", b"query=ASK%7B%7D", {"Content-Type": "text/plain"}), 415, "Content-Type"),
        (request(served, "POST", "/sparql", b"", {"Content-Type": "application/sparql-query",
                                                  "Content-Length": str(2**20 + 1)}), 413, "over 1 MiB"),
        (request(served, "POST", "/sparql", b"", {"Content-Type": "application/sparql-query",
                                                  "Transfer-Encoding": "chunked"}), 411, "Content-Length"),
        (request(served, "PUT", "/sparql", b"", {}), 405, "only GET and POST"),
        (request(served, "DELETE", "/", None), 405, "only GET and POST"),
        (request(served, "POST", "/view", b"", {"Content-Type": "text/plain"}), 405, "only GET here"),
        (request(served, "GET", "/view?hops=99"), 400, "hops"),
        (request(served, "GET", "/view?focus=" + urllib.parse.quote(XSS[0])), 404, "no actor named"),
        # Static files are looked up by exact path: no listing, nothing outside kg/static.
        (request(served, "GET", "/static/"), 404, "no such page"),
        (request(served, "GET", "/static/yasgui/"), 404, "no such page"),
        (request(served, "GET", "/static/../serve.py"), 404, "no such page"),
        (request(served, "GET", "/static/%2e%2e/serve.py"), 404, "no such page"),
        (request(served, "GET", "/static/..%2f..%2fpyproject.toml"), 404, "no such page"),
        (request(served, "GET", "//etc/passwd"), 404, "no such page"),
        # A page of another site reaching 127.0.0.1 (DNS rebinding, a form post) is refused.
        (request(served, "GET", "/", headers={"Host": "attacker.example"}), 403, "not this machine"),
        (request(served, "POST", "/sparql", b"query=ASK%7B%7D", {
            "Content-Type": "application/x-www-form-urlencoded", "Origin": "http://attacker.example"}), 403, "may not"),
    ]
    for reply, status, message in cases:
        assert (reply.status, message in one_line_error(reply.body)) == (status, True), (reply, status, message)
        assert reply.headers["content-type"] == "text/plain; charset=utf-8"
    # What http.server itself refuses is one line too.
    for raw, status in [
        (b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(150)) + b"\r\n", 431),
        (b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n", 414),
        (b"BREW / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 501),
    ]:
        with socket.create_connection(("127.0.0.1", served.port), timeout=30) as connection:
            connection.sendall(raw)
            answer_bytes = b"".join(iter(lambda: connection.recv(65536), b""))
        head, _, body = answer_bytes.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.0 %d " % status) and one_line_error(body)
    # The one line quotes what the client sent, escaped: no second line, no control character.
    crafted = request(served, "GET", "/view?focus=" + urllib.parse.quote("x\n\x1b[31mred"))
    assert crafted.status == 404 and "\\n\\x1b[31mred" in one_line_error(crafted.body)


@pytest.mark.model
def test_a_query_past_its_time_is_stopped(served: Served) -> None:
    forever = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    started = time.monotonic()
    reply = request(served, "GET", "/sparql?" + urllib.parse.urlencode({"query": forever}))
    assert reply.status == 503 and "more than 3 s" in one_line_error(reply.body)
    assert time.monotonic() - started < 20


@pytest.mark.model
def test_pages_and_their_security_headers(served: Served) -> None:
    home = request(served, "GET", "/")
    assert home.status == 200 and home.headers["content-type"] == "text/html; charset=utf-8"
    policy = home.headers["content-security-policy"]
    assert "connect-src 'self'" in policy and "script-src 'self';" in policy
    assert home.headers["x-content-type-options"] == "nosniff"
    for source in re.findall(r'(?:src|href)="([^"]+)"', home.text):
        assert source.startswith(("/", "data:")), source  # the page loads this server's files only
    script = request(served, "GET", "/static/yasgui/yasgui.min.js")
    assert script.status == 200 and script.headers["content-type"] == "text/javascript; charset=utf-8"
    assert request(served, "GET", "/static/yasgui/LICENSE.txt").text.count("MIT") >= 2

    view = request(served, "GET", "/view?focus=" + urllib.parse.quote(served.actor))
    assert view.status == 200 and "connect-src" not in view.headers["content-security-policy"]
    assert "default-src 'none'" in view.headers["content-security-policy"]
    assert b"<img src=x" not in view.body and b"<script>window.__xss" not in view.body
    actors = json.loads(request(served, "GET", "/api/actors").body)
    assert actors[served.actor] == HOSTILE_LABEL
    queries = json.loads(request(served, "GET", "/api/queries").body)
    assert {q["name"] for q in queries["queries"]} >= {"actors-by-type", "attacks", "actor-profile"}


# ---------------------------------------------------------------- the command


def test_a_bind_address_beyond_loopback_needs_allow_remote(tmp_path: Path) -> None:
    graph = tmp_path / "g.ttl"
    graph.write_text("<urn:x:a> <urn:x:b> <urn:x:c> .\n")
    result = CliRunner().invoke(app, ["serve", str(graph), "--host", "0.0.0.0", "--port", "0"])
    assert result.exit_code == 2
    assert "--allow-remote" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost") and is_loopback("127.3.0.1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.2") and not is_loopback("example.org")
    check_bind("0.0.0.0", allow_remote=True)

    process, url = start(graph, "--host", "0.0.0.0", "--allow-remote", log=tmp_path / "log")
    try:
        port = urllib.parse.urlsplit(url).port
        status, _, body = urlopen(f"http://127.0.0.1:{port}/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D")
        assert status == 200 and json.loads(body)["boolean"] is True
    finally:
        assert stop(process) == 0
    assert "warning:" in (tmp_path / "log").read_text() and "anyone who can connect" in (tmp_path / "log").read_text()


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads the process tree from /proc")
def test_stopping_the_server_stops_the_queries_it_runs(tmp_path: Path) -> None:
    graph = tmp_path / "g.ttl"
    graph.write_text("".join(f"<urn:x:{i}> <urn:x:p> <urn:x:{i + 1}> .\n" for i in range(300)))
    process, url = start(graph, "--timeout", "600", log=tmp_path / "log")
    forever = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    outcome: list[object] = []

    def ask() -> None:
        try:
            outcome.append(urlopen(url + "sparql?" + urllib.parse.urlencode({"query": forever}))[0])
        except Exception as exc:  # noqa: BLE001 -- the server went away mid-answer, or without one
            outcome.append(exc)

    asking = threading.Thread(target=ask, daemon=True)
    asking.start()
    deadline = time.monotonic() + 20
    while not _children(process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    workers = _children(process.pid)
    assert workers, "the query never started"
    assert stop(process, within=10) == 0
    assert not any(_alive(pid) for pid in workers)
    asking.join(timeout=10)
    assert len(outcome) == 1 and outcome[0] != 200  # an error answer, or the connection closed


def test_serve_has_help_and_a_bad_graph_or_a_busy_port_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0 and "--allow-remote" in result.output and "/sparql" in result.output
    bad = tmp_path / "bad.ttl"
    bad.write_text("<urn:x:a> <urn:x:b> .\n")
    result = CliRunner().invoke(app, ["serve", str(bad), "--port", "0"])
    assert result.exit_code == 1 and "bad.ttl:1" in result.output and len(result.output.strip().splitlines()) == 1
    graph = tmp_path / "g.ttl"
    graph.write_text("<urn:x:a> <urn:x:b> <urn:x:c> .\n")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", str(graph), "--port", str(port)])
    assert result.exit_code == 1 and f"cannot listen on 127.0.0.1:{port}" in result.output
    assert len(result.output.strip().splitlines()) == 1


# ---------------------------------------------------------------- the protocol, without a server


def _result(result: Result) -> Any:
    return lambda text, params: result


def test_requests_are_read_as_the_protocol_says() -> None:
    assert read_request("GET", "query=ASK%7B%7D&%24actor=kge%3Airaq", None, b"").params == (("actor", "kge:iraq"),)
    assert read_request("POST", "", "application/sparql-query; charset=UTF-8", b"ASK {}").query == "ASK {}"
    assert read_request("POST", "", "application/x-www-form-urlencoded", b"query=ASK+%7B%7D").query == "ASK {}"
    for args, status in [
        (("POST", "", "application/sparql-query; charset=latin-1", b"ASK {}"), 415),
        (("POST", "", "application/sparql-query", b"\xff"), 400),
        (("POST", "query=ASK%7B%7D", "application/sparql-query", b"ASK {}"), 400),
        (("GET", "query=ASK%7B%7D&%24a=1&%24a=2", None, b""), 400),
        (("GET", "query=ASK%7B%7D&%24no%20name=1", None, b""), 400),
        (("GET", "&".join(f"x{i}=1" for i in range(200)), None, b""), 400),
        (("GET", "update=CLEAR%20ALL", None, b""), 403),
    ]:
        with pytest.raises(ProtocolError) as caught:
            read_request(*args)
        assert caught.value.status == status, args


def test_content_negotiation_follows_quality_then_specificity() -> None:
    offered = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv"]
    assert negotiate(None, offered) == offered[0]
    assert negotiate("*/*", offered) == offered[0]
    assert negotiate("text/*", offered) == "text/csv"
    assert negotiate("text/csv;q=0.5, application/sparql-results+xml", offered) == offered[1]
    assert negotiate("application/sparql-results+xml;q=0.9, */*;q=0.1", offered) == offered[1]
    assert negotiate("text/csv;q=0, */*", offered) == offered[0]
    assert negotiate("text/csv;q=0", offered) is None
    assert negotiate("image/png", offered) is None


def test_doctests() -> None:
    import doctest

    import kg.serve_sparql

    failures, tried = doctest.testmod(kg.serve_sparql)
    assert failures == 0 and tried > 0


def test_xml_results_escape_values_and_refuse_what_xml_cannot_carry() -> None:
    term = ox.Literal('<b a="1">&' + XSS[0], language="en")
    text = to_xml(Result("SELECT", variables=("x", "y"), rows=((term, None),)))
    literal = ET.fromstring(text).find(".//{http://www.w3.org/2005/sparql-results#}literal")
    assert literal is not None and literal.text == term.value
    assert literal.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    with pytest.raises(ProtocolError) as caught:
        to_xml(Result("SELECT", variables=("x",), rows=((ox.Literal("bell \x07"),),)))
    assert caught.value.status == 406
    reply = answer(_result(Result("SELECT", variables=("x",), rows=((ox.Literal("a"),),))), read_request(
        "GET", "query=SELECT%20%3Fx%20%7B%7D", None, b""), "text/csv")
    assert reply.body == b"x\r\na\r\n" and reply.media_type == "text/csv; charset=utf-8"

    def refuse(text: str, params: dict[str, str]) -> Result:
        raise QueryRefused("SERVICE refused")

    with pytest.raises(ProtocolError) as caught:
        answer(refuse, read_request("GET", "query=x", None, b""), None)
    assert caught.value.status == 403


# ---------------------------------------------------------------- the workbench in a browser


def _required(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run the browser tests)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        _required("chromium is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _required("the playwright package is not installed")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
        )
        yield launched
        launched.close()


@pytest.mark.model
def test_the_workbench_runs_a_shipped_query_and_opens_the_view_around_an_actor(
    served: Served, browser: Any, tmp_path: Path
) -> None:
    page = browser.new_page(viewport={"width": 1500, "height": 950})
    errors: list[str] = []
    elsewhere: list[str] = []
    requested: list[str] = []

    def route(handle: Any) -> None:
        url = handle.request.url
        if url.startswith(served.url):
            handle.continue_()
        else:  # nothing may leave for another host: refused, and recorded
            elsewhere.append(url)
            handle.abort()

    page.route("**/*", route)
    page.on("request", lambda r: requested.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(served.url)
    page.wait_for_function("() => window.kgReady === true", timeout=30_000)
    assert page.locator("#kg-queries button").count() >= 10

    # A shipped query from the menu: loaded into the editor and run against /sparql.
    page.click("#kg-queries button[data-query='actors-by-type']")
    page.wait_for_function("() => window.kgDrawn === true", timeout=30_000)
    assert "SELECT ?top ?class ?actor ?label ?articles" in page.evaluate("() => kgYasqe.getValue()")
    assert page.locator("#kg-yasr tbody tr").count() >= 10
    table = page.inner_text("#kg-yasr table")
    assert HOSTILE_LABEL in table  # the name shows as text
    link = page.locator(f"#kg-yasr a.kg-actor[data-iri='{served.actor}']").first
    assert link.get_attribute("href") == "/view?focus=" + urllib.parse.quote(served.actor, safe="")

    # Following the actor opens the view around it, with the actor selected in the evidence panel.
    link.click()
    view = page.frame(name="kg-view")
    assert view is not None
    page.wait_for_function("() => { const w = document.getElementById('kg-view').contentWindow;"
                           " return w.kgSettled === true && w.document.getElementById('kg-details').innerText"
                           ".indexOf('Links') >= 0; }", timeout=60_000)
    assert HOSTILE_LABEL in view.evaluate("() => document.title")
    assert view.evaluate(f"() => kgNodes.get({served.actor!r}).name") == HOSTILE_LABEL
    assert view.evaluate("() => kgNodes.length") > 1
    assert view.evaluate("() => kgNetwork.getSelectedNodes()") == [served.actor]
    assert view.inner_text("#kg-details").startswith(HOSTILE_LABEL)

    # A shipped query with a parameter: its value is sent as a binding ($actor), not pasted into the text.
    page.click("#kg-queries button[data-query='actor-profile']")
    page.fill("#kg-param-fields input[name='actor']", f"<{served.actor}>")
    page.click("#kg-params button[type='submit']")
    page.wait_for_function("() => window.kgDrawn === true", timeout=30_000)
    assert "?actor" in page.evaluate("() => kgYasqe.getValue()") and served.actor not in page.evaluate(
        "() => kgYasqe.getValue()")
    profile = page.inner_text("#kg-yasr table")
    assert "name" in profile and HOSTILE_LABEL in profile and "relation to" in profile

    # Hostile headlines, from another shipped query, are text too.
    page.click("#kg-queries button[data-query='articles']")
    page.wait_for_function("() => window.kgDrawn === true", timeout=30_000)
    assert XSS[1] + " headline" in page.inner_text("#kg-yasr table")
    page.wait_for_timeout(500)
    shot = Path(os.environ.get("KG_SCREENSHOT_DIR") or tmp_path) / "workbench.png"
    page.screenshot(path=str(shot))
    print(f"screenshot: {shot}")

    for context in (page, view):
        assert context.evaluate("() => typeof window.__xss") == "undefined"
    assert page.evaluate("() => document.querySelectorAll('#kg-yasr img, #kg-yasr script, #kg-yasr iframe').length") == 0
    assert errors == [] and elsewhere == []
    assert all(url.startswith(served.url) for url in requested), requested

    # A refusal reaches the analyst as the endpoint's one line (and the browser logs the 403).
    page.evaluate("() => kgYasqe.setValue('SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }')")
    page.evaluate("() => kgYasqe.query().catch(() => {})")
    page.wait_for_function("() => window.kgDrawn === true", timeout=30_000)
    assert "SERVICE <http://127.0.0.1:9/sparql> refused" in page.inner_text("#kg-yasr")
    assert errors == ["Failed to load resource: the server responded with a status of 403 (Forbidden)"]
    assert elsewhere == []
    page.close()

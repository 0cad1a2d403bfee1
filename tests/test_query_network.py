"""A local graph never reaches the network, whatever the query text makes the checker or the engine read.

Each test uses a real HTTP server on 127.0.0.1 that stands for the network: any request it records is a
leak. The queries hide SERVICE from a checker that parses differently from the engine (``\\u`` escapes,
which rdflib expands everywhere and Oxigraph only inside strings; comments; strings in strings), call
SERVICE through a variable or SILENTly, or name functions and graphs by remote IRIs.
"""

from __future__ import annotations

import platform
import socket
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg import worker
from kg.cli import app
from kg.errors import QueryError, QueryRefused
from kg.query_check import allow_services, prepare
from kg.vocab import PREFIXES

from .listener import Listener, listening
from .sample_graph import write_sample

runner = CliRunner()
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib.*")
ENGINES = ["oxigraph", "rdflib"]
SECCOMP = platform.system() == "Linux" and platform.machine().lower() in {"x86_64", "aarch64", "arm64"}


def hidden(url: str) -> dict[str, str]:
    """Queries that would call ``url`` (each on its own path) if anything read them as calling it."""
    # For rdflib, '\u0027' is ''' (a long string running to the ''' in the comment); for Oxigraph it is
    # the string "'", followed by a SERVICE call and a comment.
    return {
        "escape": f"SELECT * WHERE {{ BIND('\\u0027' AS ?a) SERVICE <{url}/escape> {{ ?s ?p ?o }} #''' AS ?b)\n}}",
        "escape-silent": f"SELECT * WHERE {{ BIND('\\u0027' AS ?a) SERVICE SILENT <{url}/silent> {{ ?s ?p ?o }} #''' AS ?b)\n}}",
        "escape-variable": (f"SELECT * WHERE {{ BIND('\\u0027' AS ?a) VALUES ?where {{ <{url}/variable> }} "
                            f"SERVICE ?where {{ ?s ?p ?o }} #''' AS ?b)\n}}"),
        "escape-double": f'SELECT * WHERE {{ BIND("\\u0022" AS ?a) SERVICE <{url}/double> {{ ?s ?p ?o }} #""" AS ?b)\n}}',
        "escape-capital": f"SELECT * WHERE {{ BIND('\\U00000027' AS ?a) SERVICE <{url}/capital> {{ ?s ?p ?o }} #''' AS ?b)\n}}",
        "escaped-keyword": f"SELECT * WHERE {{ \\u0053ERVICE <{url}/keyword> {{ ?s ?p ?o }} }}",
        "escaped-iri": f"SELECT * WHERE {{ SERVICE <{url}/iri\\u002Fx> {{ ?s ?p ?o }} }}",
        "comment": f"# SERVICE <{url}/comment> {{ ?s ?p ?o }}\nSELECT * WHERE {{ ?s ?p ?o }}",
        "comment-carriage-return": f"SELECT * WHERE {{ # a comment to rdflib\rSERVICE <{url}/return> {{ ?s ?p ?o }}\n}}",
        "comment-escape": f"SELECT * WHERE {{ ?s ?p ?o # \\u000A SERVICE <{url}/newline> {{ ?s ?p ?o }}\n}}",
        "nested-strings": (f"SELECT * WHERE {{ BIND(\"\"\" '''\\u0022 \"\"\" AS ?a) SERVICE <{url}/nested> {{ ?s ?p ?o }} "
                           f"BIND(''' \"\"\" ''' AS ?b) }}"),
        "string": f'SELECT * WHERE {{ ?s ?p ?o FILTER(?o != "SERVICE <{url}/string> {{ ?s ?p ?o }}") }}',
        "silent": f"SELECT * WHERE {{ SERVICE SILENT <{url}/plain-silent> {{ ?s ?p ?o }} }}",
        "variable": f"SELECT * WHERE {{ VALUES ?where {{ <{url}/plain-variable> }} SERVICE ?where {{ ?s ?p ?o }} }}",
        "function": f"SELECT * WHERE {{ ?s ?p ?o BIND(<{url}/function>(?o) AS ?x) }}",
        "function-filter": f"SELECT * WHERE {{ ?s ?p ?o FILTER(<{url}/filter>(?o)) }}",
        "graph": f"SELECT * WHERE {{ GRAPH <{url}/graph> {{ ?s ?p ?o }} }}",
        "graph-iri": f'SELECT * WHERE {{ BIND(IRI("{url}/bound") AS ?g) GRAPH ?g {{ ?s ?p ?o }} }}',
        "describe": f"DESCRIBE <{url}/describe>",
        "exists": f"ASK {{ FILTER EXISTS {{ SERVICE <{url}/exists> {{ ?s ?p ?o }} }} }}",
        "subquery": f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}/sub> {{ ?s ?p ?o }} }} }} }}",
    }


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sample(tmp_path_factory.mktemp("sample"))


@pytest.fixture
def network() -> Iterator[Listener]:
    with listening() as listener:
        yield listener


@pytest.mark.parametrize("engine", ENGINES)
def test_no_query_text_reaches_the_network_from_a_local_graph(sample: Path, network: Listener, engine: str) -> None:
    for name, query in hidden(network.url).items():
        result = runner.invoke(app, ["query", str(sample), query, "--engine", engine, "-f", "csv"])
        assert "Traceback" not in result.output and not isinstance(result.exception, AssertionError), name
        assert network.hits == [], name
    # Both engines run the text the check read, escapes expanded first as SPARQL says: the "SERVICE" is data.
    escape = runner.invoke(app, ["query", str(sample), hidden(network.url)["escape"], "--engine", engine, "-f", "csv"])
    assert escape.exit_code == 0 and f"SERVICE <{network.url}/escape>" in escape.stdout


def test_the_engine_runs_what_the_check_read(network: Listener) -> None:
    """Without any sandbox: every query the check lets through calls nothing when Oxigraph runs its text."""
    for name, query in hidden(network.url).items():
        try:
            checked = prepare(query)
        except QueryError:
            continue
        try:
            list(ox.Store().query(checked.text, prefixes=PREFIXES))
        except (OSError, RuntimeError, SyntaxError):
            pass
        assert network.hits == [], name


def test_a_view_query_never_reaches_the_network(sample: Path, network: Listener, tmp_path: Path) -> None:
    for name, query in hidden(network.url).items():
        construct = query.replace("SELECT *", "CONSTRUCT { ?s ?p ?o }", 1)
        result = runner.invoke(app, ["viz", str(sample), "-o", str(tmp_path / "v.html"), "--query", construct])
        assert "Traceback" not in result.output, name
        assert network.hits == [], name


@pytest.mark.skipif(not SECCOMP, reason="the seccomp filter is for Linux on x86-64 and arm64")
def test_a_worker_cannot_open_a_network_socket_even_for_an_unchecked_query(network: Listener) -> None:
    port = int(network.url.rsplit(":", 1)[1])

    def attempts(phase: worker.Phase) -> list[str]:
        seen = []
        try:
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
            seen.append("connected")
        except OSError as exc:
            seen.append(type(exc).__name__)
        try:  # the engine itself, asked directly, with no check in front of it
            list(ox.Store().query(f"SELECT * WHERE {{ SERVICE <{network.url}/raw> {{ ?s ?p ?o }} }}"))
            seen.append("called")
        except OSError as exc:
            seen.append(type(exc).__name__)
        left, right = socket.socketpair()  # local pipes still work
        left.close(), right.close()
        return seen

    assert worker.run(attempts, timeout=10, max_memory=None) == ["PermissionError", "PermissionError"]
    assert network.hits == []


def test_rdflib_calls_no_endpoint_but_the_one_checked(sample: Path) -> None:
    """rdflib reads a SERVICE's URL again from the first ``SERVICE <...> {`` anywhere in the text, strings included."""
    with listening() as allowed, listening() as other:
        query = (f'SELECT ?x WHERE {{ BIND("SERVICE <{other.url}/string> {{ ?x ?p ?o }}" AS ?decoy) '
                 f"SERVICE <{allowed.url}/sparql> {{ ?x ?p ?o }} }}")
        answers = {
            engine: runner.invoke(app, ["query", str(sample), query, "--engine", engine, "-f", "csv",
                                        "--allow-service", f"{allowed.url}/sparql"])
            for engine in ENGINES
        }
        assert other.hits == []
        assert answers["oxigraph"].exit_code == 0 and len(allowed.hits) == 1
        assert answers["rdflib"].exit_code == 1 and "refused" in answers["rdflib"].output
        # With the network open for an allowed SERVICE, a call that only Oxigraph reads is refused.
        hidden_call = (f"SELECT ?x WHERE {{ SERVICE <{allowed.url}/sparql> {{ ?x ?p ?o }} # comment\r"
                       f"SERVICE <{other.url}/return> {{ ?x ?p ?o }}\n}}")
        result = runner.invoke(app, ["query", str(sample), hidden_call, "--allow-service", f"{allowed.url}/sparql"])
        assert result.exit_code == 1 and "do not read the same SERVICE calls" in result.output
        assert other.hits == [] and len(allowed.hits) == 1


def test_allow_service_compares_normalised_endpoints() -> None:
    policy = allow_services(["http://Example.org/sparql"])
    assert policy is not None
    for allowed in ("http://example.org/sparql", "HTTP://EXAMPLE.ORG:80/sparql", "http://example.org/sparql/x",
                    "http://example.org/sparql/./x", "http://example.org/other/../sparql", "http://example.org./sparql",
                    "http://example.org/sparql?query=x"):
        assert policy(allowed), allowed
    for refused in ("http://example.org/sparql/../admin", "http://example.org/sparql/%2e%2e/admin",
                    "http://example.org/sparql%2Fx", "http://example.org/sparql-admin", "https://example.org/sparql",
                    "http://example.org:8080/sparql", "http://user@example.org/sparql", "http://example.org.evil/sparql",
                    "http://example.org/sparql\\..\\admin", "ftp://example.org/sparql", "sparql", ""):
        assert not policy(refused), refused
    with pytest.raises(QueryRefused, match="SERVICE"):
        prepare("SELECT * WHERE { SERVICE <http://example.org/sparql/../admin> { ?s ?p ?o } }", policy)


def test_allow_service_expands_prefixed_names(sample: Path) -> None:
    with listening() as endpoint:
        prefix = f"{endpoint.url}/sparql"
        query = f"PREFIX ep: <{endpoint.url}/> SELECT ?x WHERE {{ SERVICE ep:sparql {{ ?x ?p ?o }} }}"
        assert prepare(query, allow_services([prefix])).services == (prefix,)
        result = runner.invoke(app, ["query", str(sample), query, "-f", "csv", "--allow-service", prefix])
        assert result.exit_code == 0, result.output
        assert result.stdout.split() == ["x", "remote"] and len(endpoint.hits) == 1
        dotted = f"SELECT ?x WHERE {{ SERVICE <{endpoint.url}/sparql/../admin> {{ ?x ?p ?o }} }}"
        refused = runner.invoke(app, ["query", str(sample), dotted, "--allow-service", prefix])
        assert refused.exit_code == 1 and "refused" in refused.output
        relative = f"BASE <{endpoint.url}/> SELECT ?x WHERE {{ SERVICE <sparql> {{ ?x ?p ?o }} }}"
        assert runner.invoke(app, ["query", str(sample), relative, "--allow-service", prefix]).exit_code == 1
        assert len(endpoint.hits) == 1

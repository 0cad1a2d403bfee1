"""kg query: shipped queries, both engines, safe parameters, refusals, result formats, the CLI."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path
from typing import get_args

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.query import Result as RdflibResult
from typer.testing import CliRunner

from kg import cli, cli_options
from kg.engines import ENGINES, load
from kg.errors import GraphError, QueryError, QueryRefused, QuerySyntaxError
from kg.export import EXPORT_FORMATS, FORMAT_ALIASES
from kg.nlp import MODEL_ENV
from kg.query import parse_term, resolve_query, run, shipped_queries
from kg.query_check import prepare
from kg.rdflib_bridge import to_rdflib
from kg.results import (
    RESULT_FORMATS,
    from_json,
    graph_bytes,
    render,
    table_rows,
    to_csv,
    to_json,
    to_tsv,
)
from kg.vocab import CLASS_TOP, PREFIXES

from .sample_graph import write_sample

runner = CliRunner()
KGE = PREFIXES["kge"]
# Parameters for the shipped queries that need (or are best shown with) one.
PARAMS = {
    "actor-profile": {"actor": "kge:mohammed-shia-al-sudani"},
    "actor-interactions": {"actor": "kge:mohammed-shia-al-sudani"},
    "evidence": {"subject": "kge:islamic-resistance-in-iraq", "predicate": "kg:attacked"},
}
NAMES = {
    "actor-profile", "actors-by-type", "articles", "attacks", "claims", "evidence", "meetings",
    "most-mentioned", "roles", "timeline",
    # the README's queries (tests/test_readme.py checks each README block is one of these files)
    "publications", "corrections", "who-attacked-whom", "who-met-whom", "actor-interactions", "attack-counts",
}


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sample(tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="module")
def engines(sample: Path) -> dict[str, object]:
    return {name: load(sample, name) for name in ENGINES}


def test_shipped_queries_have_a_description_and_parse() -> None:
    queries = shipped_queries()
    assert {q.name for q in queries} == NAMES
    for query in queries:
        assert query.text.startswith("# ") and len(query.description) > 20, query.name
        assert prepare(query.text).form == "SELECT"
        for param in query.params:
            assert param.name in prepare(query.text).variables


def test_actors_by_type_mirrors_the_class_tree() -> None:
    text = resolve_query("actors-by-type")[0]
    pairs = dict(re.findall(r"\(kg:(\w+) kg:(\w+)\)", text))
    assert pairs == CLASS_TOP


def test_cli_choices_match_the_library() -> None:
    assert get_args(cli_options.QueryFormat) == RESULT_FORMATS
    assert get_args(cli_options.QueryEngine) == ENGINES
    assert get_args(cli_options.ExportFormat) == (*EXPORT_FORMATS, *FORMAT_ALIASES)
    assert cli_options.MODEL_ENV == MODEL_ENV


@pytest.mark.parametrize("name", sorted(NAMES))
def test_every_shipped_query_gives_the_same_rows_on_both_engines(engines: dict, name: str) -> None:
    text, shipped = resolve_query(name)
    results = [run(engine, text, PARAMS.get(name, {}), shipped) for engine in engines.values()]
    assert results[0] == results[1]


def test_shipped_queries_answer_on_the_sample(engines: dict) -> None:
    engine = engines["oxigraph"]

    def rows(name: str) -> list[tuple[str, ...]]:
        text, shipped = resolve_query(name)
        return table_rows(run(engine, text, PARAMS.get(name, {}), shipped))[1]

    assert ("Islamic Resistance in Iraq", "United States", "2", "2024-01-05", "2024-01-05") in rows("attacks")
    assert ("Mohammed Shia al-Sudani", "leader of", "Iraq", "prime minister", "1") in rows("roles")
    by_type = rows("actors-by-type")
    assert ("kg:Person", "kg:Person", "kge:antony-blinken", "Antony Blinken", "1") in by_type
    assert len(by_type) == 6
    profile = rows("actor-profile")
    assert ("kge:mohammed-shia-al-sudani", "relation from", "consulted", "Antony Blinken", "1") in profile
    # a name has no count (it used to show 0)
    assert ("kge:mohammed-shia-al-sudani", "also called", "", "Sudani", "") in profile
    evidence = rows("evidence")
    assert len(evidence) == 2 and {r[3] for r in evidence} == {"2024-01-05", ""}
    assert [r[0] for r in rows("articles")] == ["", "2024-01-05"]


def test_parameters_are_bound_as_terms_never_pasted(engines: dict) -> None:
    text = "SELECT ?s ?label WHERE { ?s rdfs:label ?label }"
    for engine in engines.values():
        hit = run(engine, text, {"label": "Iraq"})
        assert [row[0] for row in hit.rows] == [ox.NamedNode(KGE + "iraq")]
        # A value that would change the query if pasted is just an odd literal.
        sneaky = run(engine, text, {"label": 'Iraq" } ?s ?p ?o { "'})
        assert sneaky.rows == ()
        assert run(engine, text, {"s": "kge:iraq"}).rows == ((ox.NamedNode(KGE + "iraq"), ox.Literal("Iraq")),)


def test_parse_term() -> None:
    assert str(parse_term("kge:iraq")) == f"<{KGE}iraq>"
    assert str(parse_term("<https://example.org/x>")) == "<https://example.org/x>"
    assert str(parse_term("https://example.org/x")) == "<https://example.org/x>"
    assert str(parse_term("al-Sudani")) == '"al-Sudani"'
    assert str(parse_term("2024-01-04")) == '"2024-01-04"'
    assert str(parse_term('"2024-01-04"^^xsd:date')) == '"2024-01-04"^^<http://www.w3.org/2001/XMLSchema#date>'
    assert str(parse_term("42")) == '"42"^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert str(parse_term('"Irak"@fr')) == '"Irak"@fr'
    with pytest.raises(QueryError, match="unknown prefix"):
        parse_term("nope:thing")
    with pytest.raises(QueryError):
        parse_term('"x" . <urn:a> <urn:b> <urn:c>')
    with pytest.raises(QueryError):
        parse_term("<not an iri>")


def test_parameter_errors(engines: dict) -> None:
    text, shipped = resolve_query("actor-profile")
    with pytest.raises(QueryError, match="needs --param actor"):
        run(engines["oxigraph"], text, {}, shipped)
    with pytest.raises(QueryError, match=r"no variable \?nope"):
        run(engines["oxigraph"], "SELECT ?s WHERE { ?s ?p ?o }", {"nope": "x"})
    with pytest.raises(QueryError, match=r"add \?o to the SELECT"):
        run(engines["oxigraph"], "SELECT ?s WHERE { ?s ?p ?o }", {"o": "kge:iraq"})


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "PREFIX ex: <http://example.org/>\nDELETE { ?s ?p ?o } INSERT { ?s ex:q ?o } WHERE { ?s ?p ?o }",
        "LOAD <http://example.org/data.ttl>",
        "CLEAR ALL",
        "DROP GRAPH <urn:g>",
        "CREATE GRAPH <urn:g>",
    ],
)
def test_updates_are_refused(update: str) -> None:
    with pytest.raises(QueryRefused, match="updates"):
        prepare(update)


def test_syntax_errors_name_line_and_column() -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        prepare("SELECT ?s\nWHERE {\n  ?s ?p\n}")
    assert caught.value.line == 4 and caught.value.column is not None
    assert "line 4, column" in str(caught.value)
    with pytest.raises(QuerySyntaxError, match="unknown prefix"):
        prepare("SELECT * WHERE { ?s nope:p ?o }")


def test_service_is_refused_unless_the_hook_allows_it(engines: dict) -> None:
    text = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    with pytest.raises(QueryRefused, match="SERVICE"):
        prepare(text)
    assert prepare(text, allow_service=lambda iri: iri.startswith("http://127.0.0.1")).form == "SELECT"
    with pytest.raises(QueryRefused):
        prepare(text, allow_service=lambda iri: False)


def test_from_clauses_are_refused_on_local_graphs(engines: dict) -> None:
    query = prepare("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }")
    for engine in engines.values():
        with pytest.raises(QueryRefused, match="FROM"):
            engine.run(query)


def test_predeclared_prefixes_and_all_query_forms(engines: dict) -> None:
    for engine in engines.values():
        assert run(engine, "ASK { kge:baghdad kg:locatedIn kge:iraq }").boolean is True
        assert run(engine, "ASK { kge:iraq kg:locatedIn kge:baghdad }").boolean is False
        built = run(engine, "CONSTRUCT { ?s kg:hit ?o } WHERE { ?s kg:attacked ?o }")
        assert len(built.triples) == 1
        described = run(engine, "DESCRIBE kge:iraq")
        assert (ox.NamedNode(KGE + "iraq"), ox.NamedNode(PREFIXES["rdfs"] + "label"), ox.Literal("Iraq")) in set(described.triples)


def _rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> object:
    return None if term is None else to_rdflib(term)


def test_result_formats_are_standard(engines: dict) -> None:
    text, shipped = resolve_query("evidence")
    result = run(engines["oxigraph"], text, PARAMS["evidence"], shipped)
    # JSON: rdflib's own SPARQL results reader sees the same rows
    parsed = RdflibResult.parse(io.StringIO(to_json(result)), format="json")
    assert [tuple(row) for row in parsed] == [tuple(map(_rdflib, row)) for row in result.rows]
    assert from_json(json.loads(to_json(result)), "SELECT") == result
    rows = list(csv.reader(io.StringIO(to_csv(result))))
    assert rows[0] == list(result.variables) and len(rows) == 3
    tsv = to_tsv(result).splitlines()
    assert tsv[0].startswith("?subject\t?predicate") and f"<{KGE}islamic-resistance-in-iraq>" in tsv[1]
    ask = run(engines["oxigraph"], "ASK { ?s kg:attacked ?o }")
    assert json.loads(to_json(ask)) == {"head": {}, "boolean": True}
    built = run(engines["oxigraph"], "CONSTRUCT { ?s kg:attacked ?o } WHERE { ?s kg:attacked ?o }")
    assert len(Graph().parse(data=graph_bytes(built).decode(), format="turtle")) == 1
    assert render(built, "csv").startswith("subject,predicate,object")
    with pytest.raises(QueryError):
        render(result, "turtle")


def test_quad_files_query_like_their_triples(tmp_path: Path, sample: Path) -> None:
    from kg.export import export_files
    from kg.rdf import read_graph

    quads = tmp_path / "graph.nq"
    quads.write_bytes(export_files(read_graph(sample), "nquads")["graph.nq"])
    for name in ENGINES:
        engine = load(quads, name)
        count = run(engine, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0]
        assert count is not None and int(count.value) == len(read_graph(sample))
        graphs = run(engine, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s kg:attacked ?o } } ORDER BY ?g").rows
        assert [g[0].value for g in graphs if g[0] is not None] == [PREFIXES["kga"] + "a1", PREFIXES["kga"] + "a2"]


def test_unreadable_graphs_are_one_line_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("kge:x a .\n")
    odd = tmp_path / "graph.rdfx"
    odd.write_text("")
    for name in ENGINES:
        with pytest.raises(GraphError, match="bad.ttl:1: not a readable graph"):
            load(bad, name)
        with pytest.raises(GraphError, match="unknown graph format"):
            load(odd, name)
        with pytest.raises(GraphError, match="no such graph file"):
            load(tmp_path / "missing.ttl", name)


# ---------------------------------------------------------------- CLI


def test_cli_list_names_every_shipped_query() -> None:
    result = runner.invoke(cli.app, ["query", "--list"])
    assert result.exit_code == 0
    for name in NAMES:
        assert name in result.output


def test_cli_table_csv_json_and_engines_agree(sample: Path) -> None:
    table = runner.invoke(cli.app, ["query", str(sample), "attacks"])
    assert table.exit_code == 0, table.output
    assert "Islamic Resistance" in table.output and "1 row" in table.output
    for name in sorted(NAMES):
        args = ["query", str(sample), name, "-f", "csv"]
        for key, value in PARAMS.get(name, {}).items():
            args += ["-p", f"{key}={value}"]
        outputs = [runner.invoke(cli.app, args + ["--engine", engine]) for engine in ENGINES]
        assert outputs[0].exit_code == 0, outputs[0].output
        assert outputs[0].stdout == outputs[1].stdout
    answer = runner.invoke(cli.app, ["query", str(sample), "SELECT ?l WHERE { ?s rdfs:label ?l }", "-f", "json"])
    assert len(json.loads(answer.stdout)["results"]["bindings"]) == 6


def test_cli_query_from_a_file_and_ask(sample: Path, tmp_path: Path) -> None:
    rq = tmp_path / "q.rq"
    rq.write_text("ASK { kge:baghdad kg:locatedIn kge:iraq }")
    result = runner.invoke(cli.app, ["query", str(sample), f"@{rq}"])
    assert result.exit_code == 0 and result.stdout.strip() == "yes"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("INSERT DATA { kge:a kg:attacked kge:b }", "refused"),
        ("SELECT ?s WHERE {\n ?s kg:attacked \n}", "line 3, column"),
        ("no-such-query", "no shipped query"),
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
    ],
)
def test_cli_refusals_are_one_line_errors(sample: Path, query: str, message: str) -> None:
    result = runner.invoke(cli.app, ["query", str(sample), query])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_cli_needs_graph_and_query() -> None:
    result = runner.invoke(cli.app, ["query", "only-one-arg"])
    assert result.exit_code == 2
    assert "GRAPH and QUERY" in result.output


@pytest.mark.parametrize(("query", "message"), [
    ("SELECT * WHERE { FILTER(" + "(" * 300 + "1" + ")" * 300 + ") }", "nested too deeply"),
    ("SELECT * WHERE { FILTER(" + "(" * 20_000 + "1" + ")" * 20_000 + ") }", "nested too deeply"),
    ("", "empty"),
    ("   # only a comment\n", "empty"),
    ("PREFIX ex: <http://example.org/>", "empty"),
    ("SELECT * WHERE { ?s ?p \\uD800 }", "surrogate"),
    ("SELECT * WHERE { ?s ?p \"\\U00110000\" }", "code point"),
])
def test_odd_queries_are_one_line_errors(sample: Path, query: str, message: str) -> None:
    for engine in ENGINES:
        result = runner.invoke(cli.app, ["query", str(sample), query, "--engine", engine])
        assert result.exit_code == 1 and message in result.output, result.output
        assert result.output.count("\n") == 1 and "update" not in result.output


def test_select_star_columns_follow_the_query_on_both_engines(sample: Path) -> None:
    """rdflib's SELECT * columns came from a set: their order changed with the process's hash seed."""
    query = "SELECT * WHERE { ?s rdfs:label ?label . OPTIONAL { ?s kg:mentionedIn ?article } } ORDER BY ?label LIMIT 1"
    headers = set()
    for seed, engine in (("0", "oxigraph"), ("0", "rdflib"), ("1", "rdflib"), ("2", "rdflib")):
        done = subprocess.run([sys.executable, "-m", "kg", "query", str(sample), query, "--engine", engine, "-f", "csv"],
                              capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONHASHSEED": seed})
        headers.add(done.stdout.splitlines()[0])
    assert headers == {"s,label,article"}


def test_graph_text_never_drives_the_terminal(tmp_path: Path) -> None:
    hostile = "\x1b]0;pwned\x07\x1b[31mred\x1b[0m \u202eevil\x9b2J tab\there\nnewline"
    graph = tmp_path / "hostile.nt"
    label = ox.Triple(ox.NamedNode("urn:s"), ox.NamedNode(PREFIXES["rdfs"] + "label"), ox.Literal(hostile))
    graph.write_bytes(ox.serialize([label], format=ox.RdfFormat.N_TRIPLES))
    query = "SELECT ?l WHERE { ?s rdfs:label ?l }"
    table = runner.invoke(cli.app, ["query", str(graph), query])
    assert table.exit_code == 0, table.output
    assert not any(c in table.stdout for c in "\x1b\x07\x9b\u202e") and "\\x1b]0;pwned" in table.stdout
    # Piped, the data stays exact; on a terminal, it is escaped.
    piped = runner.invoke(cli.app, ["query", str(graph), query, "-f", "json"])
    assert json.loads(piped.stdout)["results"]["bindings"][0]["l"]["value"] == hostile
    for fmt in ("csv", "json", "table"):
        shown = _on_a_terminal(["query", str(graph), query, "-f", fmt])
        assert not any(c in shown for c in "\x07\x9b\u202e") and "pwned" in shown, fmt
        assert "\x1b]" not in shown and "\x1b[31" not in shown, fmt


def _on_a_terminal(args: list[str]) -> str:
    """What ``kg ARGS`` writes to a pseudo-terminal (colours off, so only the graph could send an escape)."""
    leader, follower = pty.openpty()
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb", "COLUMNS": "200"}
    process = subprocess.Popen([sys.executable, "-m", "kg", *args], stdout=follower, stderr=subprocess.DEVNULL, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=120)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


# ---------------------------------------------------------------- actor parameters by name (issue 15)


@pytest.mark.parametrize("name", ["Sudani", "sudani", "al-Soudani", "Mohammed Shia al-Sudani", "kge:mohammed-shia-al-sudani"])
def test_an_actor_parameter_takes_a_name_or_alias_as_kg_viz_focus_does(engines: dict, name: str) -> None:
    text, shipped = resolve_query("actor-profile")
    for engine in engines.values():
        rows = table_rows(run(engine, text, {"actor": name}, shipped))[1]
        assert rows and {row[0] for row in rows} == {"kge:mohammed-shia-al-sudani"}, name


def test_an_ambiguous_or_unknown_actor_name_is_one_line_naming_the_candidates(engines: dict) -> None:
    text, shipped = resolve_query("actor-profile")
    with pytest.raises(QueryError) as ambiguous:
        run(engines["oxigraph"], text, {"actor": "ira"}, shipped)
    assert str(ambiguous.value) == (
        "--param actor=ira: 2 actors fit that name: Iraq (kge:iraq); Islamic Resistance in Iraq "
        "(kge:islamic-resistance-in-iraq); give a longer name or the IRI")
    with pytest.raises(QueryError) as unknown:
        run(engines["oxigraph"], text, {"actor": "Sudanix"}, shipped)
    assert str(unknown.value).startswith(
        "--param actor=Sudanix: no actor of the graph is named so; near: Mohammed Shia al-Sudani "
        "(kge:mohammed-shia-al-sudani)")
    assert "\n" not in str(unknown.value)


def test_a_quoted_value_stays_a_string_and_other_parameters_are_not_names(engines: dict) -> None:
    text, shipped = resolve_query("actor-profile")
    assert run(engines["oxigraph"], text, {"actor": '"Sudani"'}, shipped).rows == ()
    # a parameter the query does not declare as an actor is bound as written
    labelled = run(engines["oxigraph"], "SELECT ?s ?label WHERE { ?s rdfs:label ?label }", {"label": "Iraq"})
    assert [row[0] for row in labelled.rows] == [ox.NamedNode(KGE + "iraq")]


def test_a_query_file_declares_its_actor_parameters_like_a_shipped_query(sample: Path, tmp_path: Path) -> None:
    rq = tmp_path / "names.rq"
    rq.write_text("# The names of an actor\n# param ?who (required, actor): the actor\n"
                  "SELECT ?who ?name WHERE { ?who skos:altLabel ?name }\n")
    found = runner.invoke(cli.app, ["query", str(sample), f"@{rq}", "-p", "who=Blinken", "-f", "csv"])
    assert found.exit_code == 0, found.output
    assert found.stdout.splitlines()[1:] == [f"{KGE}antony-blinken,Blinken"]
    missing = runner.invoke(cli.app, ["query", str(sample), f"@{rq}"])
    assert missing.exit_code == 1 and "needs --param who=... (the actor)" in missing.output


def test_actor_profile_gives_no_count_for_names_and_classes(engines: dict) -> None:
    text, shipped = resolve_query("actor-profile")
    for engine in engines.values():
        rows = table_rows(run(engine, text, {"actor": "Blinken"}, shipped))[1]
        counts = {row[1]: row[4] for row in rows}
        assert counts["name"] == counts["also called"] == counts["class"] == ""
        assert all(row[4] not in {"", "0"} for row in rows if row[1] in {"mentioned in", "relation to"})


def test_cli_binds_an_actor_parameter_by_name_or_says_why_not(sample: Path) -> None:
    found = runner.invoke(cli.app, ["query", str(sample), "actor-profile", "-p", "actor=Sudani", "-f", "csv"])
    assert found.exit_code == 0 and found.stdout.count(f"{KGE}mohammed-shia-al-sudani") > 3, found.output
    for name, words in (("ira", "2 actors fit that name"), ("Nobody", "no actor of the graph is named so")):
        refused = runner.invoke(cli.app, ["query", str(sample), "actor-profile", "-p", f"actor={name}"])
        assert refused.exit_code == 1 and words in refused.output and refused.output.count("\n") == 1


def test_doctests_of_the_cli_facing_modules() -> None:
    import doctest

    import kg.endpoint
    import kg.export
    import kg.nlp
    import kg.query

    for module in (kg.query, kg.endpoint, kg.export, kg.nlp):
        failures, tried = doctest.testmod(module)
        assert failures == 0 and tried > 0, module.__name__

"""kg viz and kg.viz.graph_html: the page of a graph, from a file, a store or a build's stream of triples."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rdflib import RDF, BNode, Graph, Literal
from typer.testing import CliRunner

from kg.cli import app
from kg.network import project
from kg.rdf import triple_key
from kg.rdflib_bridge import triples_of
from kg.viz import graph_html
from kg.viz_select import OPEN_LIMIT, OPEN_SHOWN, view_of
from kg.vocab import ENTITY, KG

from .viz_graph import edge, entity, local, view_graph


@pytest.fixture
def graph() -> Graph:
    return view_graph()


def test_a_stream_in_any_order_gives_the_page_of_the_sorted_graph(graph: Graph) -> None:
    statement = BNode()  # evidence read through a blank node, which is never an actor itself
    graph.add((statement, RDF.type, KG.Statement))
    graph.add((statement, RDF.subject, ENTITY["antony-blinken"]))
    graph.add((statement, RDF.predicate, KG.memberOf))
    graph.add((statement, RDF.object, ENTITY["united-states"]))
    graph.add((statement, KG.evidenceText, Literal("Blinken spoke for Washington.")))
    graph.add((BNode(), RDF.type, KG.Person))
    ordered = sorted(triples_of(graph), key=triple_key)  # as kg.rdf.read_graph gives a file
    view = view_of(project(ordered))
    assert view_of(project(ordered[::-1])) == view
    assert view_of(project(ordered + ordered[::-1])) == view  # a repeated triple counts once
    assert len(view.actors) == 6 and "Blinken spoke for Washington." in {
        e.sentence for link in view.links for e in link.evidence
    }
    assert graph_html(iter(ordered[::-1])) == graph_html(ordered)


def test_kg_viz_writes_the_page_and_reports_bad_input_in_one_line(graph: Graph, tmp_path: Path) -> None:
    source = tmp_path / "g.ttl"
    graph.serialize(source, format="turtle")
    runner = CliRunner()
    target = tmp_path / "view" / "g.html"
    result = runner.invoke(app, ["viz", str(source), "-o", str(target), "--focus", "al-Soudani", "--hops", "1"])
    assert result.exit_code == 0, result.output
    assert "3 actors, 2 edges" in result.output and target.is_file()
    page = target.read_text()
    assert "around Mohammed Shia al-Sudani" in page
    nodes = json.loads(re.search(r"var allNodes = (\[.*?\]);\n", page).group(1))  # type: ignore[union-attr]
    assert [local(n["id"]) for n in nodes if n.get("focus")] == ["mohammed-shia-al-sudani"]  # drawn highlighted
    query = tmp_path / "attacks.rq"
    query.write_text("CONSTRUCT { ?a kg:attacked ?b } WHERE { ?a kg:attacked ?b }")
    result = runner.invoke(app, ["viz", str(source), "-o", str(target), "--query", str(query)])
    assert result.exit_code == 0 and "2 actors, 1 edge" in result.output
    for args, message in [
        (["--focus", "Nobody Atall"], "no actor named"),
        (["--query", "SELECT * WHERE { ?s ?p ?o }"], "CONSTRUCT"),
    ]:
        result = runner.invoke(app, ["viz", str(source), "-o", str(target), *args])
        assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output
    result = runner.invoke(app, ["viz", str(tmp_path / "missing.ttl"), "-o", str(target)])
    assert result.exit_code == 1 and "missing.ttl" in result.output


def test_kg_viz_says_when_a_large_page_opens_on_the_most_central_actors(tmp_path: Path) -> None:
    graph = view_graph()
    hub = entity(graph, "hub", "Country", "Hub")
    for number in range(OPEN_LIMIT):
        spoke = entity(graph, f"spoke-{number}", "Person", f"Spoke {number}")
        edge(graph, f"t{number}", spoke, "memberOf", hub, "a1", f"Spoke {number} is of the hub.")
    source = tmp_path / "large.ttl"
    graph.serialize(source, format="turtle")
    result = CliRunner().invoke(app, ["viz", str(source), "-o", str(tmp_path / "large.html")])
    assert result.exit_code == 0, result.output
    assert f"(opens on the {OPEN_SHOWN:,} most central)" in result.output
    result = CliRunner().invoke(app, ["viz", str(source), "-o", str(tmp_path / "ego.html"), "--focus", "Sudani"])
    assert result.exit_code == 0 and "most central" not in result.output

"""The network view without a browser: projection, aggregation, ego and CONSTRUCT views, the page's text."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node
from typer.testing import CliRunner

from kg.cli import app
from kg.graph import new_graph, to_oxigraph
from kg.viz import (
    ActorNotFound,
    ViewQueryError,
    constructed,
    ego,
    find_actor,
    graph_html,
    network,
    project,
    render,
    select,
    view_graph,
)
from kg.vocab import ARTICLE, ENTITY, KG, PROV, SCHEMA, STATEMENT

XSS = ('<script>window.__xss=1</script>', '<img src=x onerror="window.__xss=1">', 'javascript:window.__xss=1')


def _entity(
    graph: Graph, slug: str, cls: str, label: str, *aliases: str, articles: tuple[str, ...] = ("a1",)
) -> URIRef:
    node = ENTITY[slug]
    graph.add((node, RDF.type, KG[cls]))
    graph.add((node, RDFS.label, Literal(label)))
    for alias in aliases:
        graph.add((node, SKOS.altLabel, Literal(alias)))
    for article in articles:
        graph.add((node, KG.mentionedIn, ARTICLE[article]))
    return node


def _article(graph: Graph, ident: str, headline: str, publisher: str | None, date: str | None) -> None:
    node = ARTICLE[ident]
    graph.add((node, RDF.type, SCHEMA.NewsArticle))
    graph.add((node, SCHEMA.headline, Literal(headline)))
    graph.add((node, SCHEMA.text, Literal(headline + "\n\nBody.")))
    if publisher:
        graph.add((node, SCHEMA.publisher, Literal(publisher)))
    if date:
        graph.add((node, SCHEMA.datePublished, Literal(date, datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))))


def _edge(
    graph: Graph, ident: str, s: URIRef, p: str, o: URIRef, article: str, sentence: str, **qualifiers: str
) -> None:
    graph.add((s, KG[p], o))
    node = STATEMENT[ident]
    graph.add((node, RDF.type, KG.Statement))
    graph.add((node, RDF.subject, s))
    graph.add((node, RDF.predicate, KG[p]))
    graph.add((node, RDF.object, o))
    graph.add((node, PROV.wasDerivedFrom, ARTICLE[article]))
    graph.add((node, KG.evidenceText, Literal(sentence)))
    for key, value in qualifiers.items():
        graph.add((node, KG[key], Literal(value)))


@pytest.fixture
def graph() -> Graph:
    g = new_graph()
    _article(g, "a1", "Blinken calls Sudani", "Rudaw", "2024-02-14")
    _article(g, "a2", "Talks in Baghdad", "Agence France-Presse", "2024-03-03")
    sudani = _entity(g, "mohammed-shia-al-sudani", "Person", "Mohammed Shia al-Sudani", "Mohamed Chia al-Soudani",
                     "Sudani", articles=("a1", "a2"))
    blinken = _entity(g, "antony-blinken", "Person", "Antony Blinken", "Blinken")
    iraq = _entity(g, "iraq", "Country", "Iraq")
    us = _entity(g, "united-states", "Country", "United States", "US", "Washington")
    irq = _entity(g, "islamic-resistance-in-iraq", "ArmedGroup", "Islamic Resistance in Iraq")
    _entity(g, "berlin", "Settlement", "Berlin")  # mentioned, no relation
    _edge(g, "s1", blinken, "consulted", sudani, "a1", "Blinken called Sudani.")
    _edge(g, "s2", sudani, "consulted", blinken, "a2", "Sudani received Blinken.")  # same symmetric edge
    _edge(g, "s3", sudani, "leaderOf", iraq, "a1", "Prime Minister Sudani.", role="Prime Minister")
    _edge(g, "s4", irq, "attacked", us, "a1", "The group struck US troops.", quantity="102 attacks")
    _edge(g, "s5", irq, "attacked", us, "a2", "The group claimed the attack.")
    _edge(g, "s6", blinken, "memberOf", us, "a2", "Blinken of the US.")
    # Not actors: a statement, an article, and event/claim-like nodes must not become nodes.
    g.add((URIRef("https://w3id.org/kg-news/id/event/e1"), RDF.type, KG.Event))
    g.add((URIRef("https://w3id.org/kg-news/id/event/e1"), RDFS.label, Literal("an attack")))
    return g


def _local(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def _stream(triples: Iterable[tuple[Node, Node, Node]]) -> list[ox.Triple]:
    """The triples as pyoxigraph terms, the way ``kg build`` streams them to the view."""
    return [ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in triples]


def test_actors_are_the_typed_entities_with_label_aliases_roles_and_article_counts(graph: Graph) -> None:
    view = project(graph)
    assert sorted(map(_local, view.actors)) == [
        "antony-blinken", "berlin", "iraq", "islamic-resistance-in-iraq", "mohammed-shia-al-sudani", "united-states",
    ]
    sudani = view.actors[str(ENTITY["mohammed-shia-al-sudani"])]
    assert sudani.label == "Mohammed Shia al-Sudani" and sudani.cls == "Person"
    assert sudani.aliases == ("Mohamed Chia al-Soudani", "Sudani")
    assert sudani.roles == ("Prime Minister, Iraq",)
    assert sudani.articles == 2


def test_parallel_evidence_is_one_edge_and_symmetric_directions_merge(graph: Graph) -> None:
    view = project(graph)
    edges = {(_local(link.source), link.predicate, _local(link.target)): link for link in view.links}
    assert sorted(edges) == [
        ("antony-blinken", "consulted", "mohammed-shia-al-sudani"),
        ("antony-blinken", "memberOf", "united-states"),
        ("islamic-resistance-in-iraq", "attacked", "united-states"),
        ("mohammed-shia-al-sudani", "leaderOf", "iraq"),
    ]
    consulted = edges["antony-blinken", "consulted", "mohammed-shia-al-sudani"]
    # newest first
    assert [e.sentence for e in consulted.evidence] == ["Sudani received Blinken.", "Blinken called Sudani."]
    attacked = edges["islamic-resistance-in-iraq", "attacked", "united-states"]
    first = attacked.evidence[1]
    assert (first.headline, first.publisher, first.date) == ("Blinken calls Sudani", "Rudaw", "2024-02-14")
    assert "quantity: 102 attacks" in first.qualifiers


def test_a_triple_stream_gives_the_view_of_the_graph_it_makes(graph: Graph) -> None:
    statement = BNode()  # evidence read through a blank node, which is never an actor itself
    graph.add((statement, RDF.type, KG.Statement))
    graph.add((statement, RDF.subject, ENTITY["antony-blinken"]))
    graph.add((statement, RDF.predicate, KG.memberOf))
    graph.add((statement, RDF.object, ENTITY["united-states"]))
    graph.add((statement, KG.evidenceText, Literal("Blinken spoke for Washington.")))
    graph.add((BNode(), RDF.type, KG.Person))
    triples = _stream(sorted(graph))
    view = project(graph)
    assert project(view_graph(triples)) == view
    assert project(view_graph(triples + triples[::-1])) == view  # a repeated triple counts once
    assert len(view.actors) == 6 and "Blinken spoke for Washington." in {
        e.sentence for link in view.links for e in link.evidence
    }
    assert graph_html(view_graph(triples)) == graph_html(graph)


def test_a_subject_with_several_values_reads_the_first_as_graph_value_does() -> None:
    g = new_graph()
    _entity(g, "a", "Person", "Alpha")
    b = _entity(g, "b", "Person", "Beta")
    g.add((b, RDFS.label, Literal("Alpha")))  # rdflib lists it first by predicate, after Alpha of a
    assert project(g).actors[str(b)].label == str(g.value(b, RDFS.label)) == "Beta"
    stream = _stream([(b, RDFS.label, Literal("Beta")), (b, RDF.type, KG.Person), (b, RDFS.label, Literal("Alpha"))])
    assert project(view_graph(stream)).actors[str(b)].label == "Beta"


def test_a_query_view_needs_the_graph_not_the_index(graph: Graph) -> None:
    with pytest.raises(TypeError):
        select(view_graph(_stream(graph)), query="CONSTRUCT { ?a kg:attacked ?b } WHERE { ?a kg:attacked ?b }")


def test_the_pyvis_network_styles_nodes_by_class_and_edges_by_predicate(graph: Graph) -> None:
    view = project(graph)
    net = network(view)
    nodes = {_local(n["id"]): n for n in net.nodes}
    edges = {(_local(e["from"]), e["predicate"]): e for e in net.edges}
    assert len(nodes) == 6 and len(edges) == 4 and net.node_ids == [n["id"] for n in net.nodes]
    assert nodes["antony-blinken"]["shape"] == "dot" and nodes["iraq"]["shape"] == "diamond"
    assert nodes["islamic-resistance-in-iraq"]["shape"] == "triangle"
    assert nodes["antony-blinken"]["size"] > nodes["iraq"]["size"] > nodes["berlin"]["size"]  # by centrality
    tooltip = nodes["mohammed-shia-al-sudani"]["title"]
    assert "Person" in tooltip and "Also: Mohamed Chia al-Soudani; Sudani" in tooltip
    assert "Roles: Prime Minister, Iraq" in tooltip and "Mentioned in 2 articles" in tooltip
    attack = edges["islamic-resistance-in-iraq", "attacked"]
    assert attack["label"] == "attacked ×2" and attack["arrows"]["to"]["enabled"]
    assert not edges["antony-blinken", "consulted"]["arrows"]["to"]["enabled"]  # symmetric
    assert "“The group struck US troops.”" in attack["title"]
    assert "Blinken calls Sudani · Rudaw · 2024-02-14" in attack["title"]
    assert attack["color"]["color"] != edges["antony-blinken", "consulted"]["color"]["color"]


def test_the_page_is_self_contained(graph: Graph) -> None:
    page = graph_html(graph)
    assert "<script>" in page and "vis.Network" in page
    # No resource is fetched from anywhere: no src/href/url()/@import to http(s), no <link>.
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.IGNORECASE)
    assert not re.search(r"""url\(\s*["']?\s*(?:https?:)?//""", page, re.IGNORECASE)
    assert not re.search(r"@import|<link\b|<iframe\b", page, re.IGNORECASE)
    assert "jsdelivr" not in page and "cdnjs" not in page and "bootstrap.min" not in page


def test_untrusted_text_never_reaches_the_page_as_markup(graph: Graph) -> None:
    sudani = ENTITY["mohammed-shia-al-sudani"]
    graph.set((sudani, RDFS.label, Literal("Sudani " + XSS[1])))
    graph.add((sudani, SKOS.altLabel, Literal(XSS[0])))
    graph.set((ARTICLE["a1"], SCHEMA.headline, Literal(XSS[1] + " headline")))
    graph.set((ARTICLE["a1"], SCHEMA.publisher, Literal(XSS[0])))
    graph.set((STATEMENT["s1"], KG.evidenceText, Literal(" ".join(XSS))))
    page = graph_html(graph, title="</title>" + XSS[0])
    for payload in XSS[:2]:
        assert payload not in page
    assert "window.__xss" in page  # there, but only as data
    # The only script elements are the two the page brings (vis-network's code and the page's own).
    assert len(re.findall(r"^<script\b", page, re.MULTILINE)) == 2
    assert "&lt;/title&gt;&lt;script&gt;" in page
    data = json.loads(re.search(r"new vis\.DataSet\((\[.*?\])\);\n", page).group(1))  # type: ignore[union-attr]
    assert any(node["label"] == "Sudani " + XSS[1] for node in data)


def test_ego_view_finds_an_actor_by_any_spelling_and_keeps_n_hops(graph: Graph) -> None:
    view = project(graph)
    for name in ["Mohammed Shia al-Sudani", "sudani", "Mohamed Chia al-Soudani", "al-Soudani", "Shia al-Sudani"]:
        assert find_actor(view, name).label == "Mohammed Shia al-Sudani"
    assert find_actor(view, "Washington").label == "United States"
    assert {_local(i) for i in ego(view, "Sudani", 0).actors} == {"mohammed-shia-al-sudani"}
    one = ego(view, "Sudani", 1)
    assert {_local(i) for i in one.actors} == {"mohammed-shia-al-sudani", "antony-blinken", "iraq"}
    assert len(one.links) == 2
    two = ego(view, "Sudani", 2)
    assert "united-states" in {_local(i) for i in two.actors} and "islamic-resistance-in-iraq" not in two.actors
    with pytest.raises(ActorNotFound):
        ego(view, "Nobody Atall", 1)


def test_construct_query_view_keeps_evidence_and_draws_derived_edges(graph: Graph) -> None:
    view = project(graph)
    attacks = constructed(graph, view, "CONSTRUCT { ?a kg:attacked ?b } WHERE { ?a kg:attacked ?b }")
    assert {_local(i) for i in attacks.actors} == {"islamic-resistance-in-iraq", "united-states"}
    assert [len(link.evidence) for link in attacks.links] == [2]
    derived = constructed(
        graph, view,
        "CONSTRUCT { ?a kg:affiliatedWith ?b } WHERE { ?a kg:consulted ?b }",
    )
    assert len(derived.links) == 1 and derived.links[0].evidence == ()
    assert "derived edge" in render(derived)
    with pytest.raises(ViewQueryError):
        constructed(graph, view, "SELECT ?s WHERE { ?s ?p ?o }")
    with pytest.raises(ViewQueryError):
        constructed(graph, view, "CONSTRUCT { nonsense")


def test_kg_viz_writes_the_page_and_reports_bad_input_in_one_line(graph: Graph, tmp_path: Path) -> None:
    source = tmp_path / "g.ttl"
    graph.serialize(source, format="turtle")
    runner = CliRunner()
    target = tmp_path / "view" / "g.html"
    result = runner.invoke(app, ["viz", str(source), "-o", str(target), "--focus", "al-Soudani", "--hops", "1"])
    assert result.exit_code == 0, result.output
    assert "3 actors, 2 edges" in result.output and target.is_file()
    assert "around Mohammed Shia al-Sudani" in target.read_text()
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

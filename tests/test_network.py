"""kg.network: the one actor-network projection read by the view, stats, the network exports and the evaluation."""

from __future__ import annotations

from datetime import date

import pytest
from rdflib import RDF, RDFS, Graph, Literal

from kg.network import project, to_networkx, undirected
from kg.rdf import triple_key
from kg.rdflib_bridge import triples_of
from kg.viz_select import view_of
from kg.vocab import ENTITY, KG, STATEMENT

from .viz_graph import entity, local, view_graph


@pytest.fixture
def graph() -> Graph:
    return view_graph()


def test_actors_are_the_typed_entities_and_every_end_of_an_edge(graph: Graph) -> None:
    graph.add((ENTITY["iraq"], KG.attacked, ENTITY["nowhere"]))  # an end the graph never types
    network = project(triples_of(graph))
    assert "nowhere" in map(local, network.actors) and network.actors[str(ENTITY["nowhere"])].cls == ""
    assert network.actors[str(ENTITY["nowhere"])].label == "nowhere"  # no label: the IRI's last segment
    assert "e1" not in map(local, network.actors)  # an event is never an actor
    sudani = network.actors[str(ENTITY["mohammed-shia-al-sudani"])]
    assert (sudani.label, sudani.cls, sudani.top, sudani.articles) == ("Mohammed Shia al-Sudani", "Person", "Person", 2)
    assert "nowhere" not in map(local, view_of(network).actors)  # the view draws typed actors only


def test_edges_are_kept_as_asserted_with_the_evidence_naming_each_exactly(graph: Graph) -> None:
    network = project(sorted(triples_of(graph), key=triple_key))  # evidence in the graph's order: s4, then s5
    edges = {(local(s), p, local(o)) for s, p, o in network.edges}
    assert ("antony-blinken", "consulted", "mohammed-shia-al-sudani") in edges
    assert ("mohammed-shia-al-sudani", "consulted", "antony-blinken") in edges  # both directions, as asserted
    evidence = {(local(s), p, local(o)): found for (s, p, o), found in network.evidence().items()}
    assert [e.sentence for e in evidence["islamic-resistance-in-iraq", "attacked", "united-states"]] == [
        "The group struck US troops.", "The group claimed the attack."]
    leads = evidence["mohammed-shia-al-sudani", "leaderOf", "iraq"]
    assert [e.qualifiers for e in leads] == [("role: Prime Minister",)]
    first = evidence["islamic-resistance-in-iraq", "attacked", "united-states"][0]
    assert (first.headline, first.publisher, first.date) == ("Blinken calls Sudani", "Rudaw", "2024-02-14")


def test_a_subject_with_several_labels_reads_the_least_whatever_the_order() -> None:
    g = Graph()
    b = entity(g, "b", "Person", "Beta")
    g.add((b, RDFS.label, Literal("Alpha")))
    triples = sorted(triples_of(g), key=triple_key)
    for ordered in (triples, triples[::-1]):
        assert project(ordered).actors[str(b)].label == "Alpha"


def test_networkx_keeps_every_edge_with_its_evidence_count_and_dates(graph: Graph) -> None:
    graph.add((ENTITY["iraq"], KG.attacked, ENTITY["iraq"]))  # a loop: in the export, never in the view
    graph.add((STATEMENT["s5"], KG.time, Literal(date(2024, 1, 20))))  # when the attack happened
    graph.add((STATEMENT["s4"], KG.time, Literal("2024-W03")))  # no day: no date
    network = to_networkx(project(triples_of(graph)))
    attacks = [d for s, o, d in network.edges(data=True) if d["predicate"] == "attacked" and s != o]
    # No kg:articleDate on the statements: their articles' publication dates (a1 2024-02-14, a2 2024-03-03).
    assert attacks == [{"predicate": "attacked", "label": "attacked", "evidence": 2, "symmetric": False,
                        "first": "2024-01-20", "last": "2024-03-03"}]
    assert network.has_edge(str(ENTITY["iraq"]), str(ENTITY["iraq"]))
    assert network.nodes[str(ENTITY["iraq"])] == {"label": "Iraq", "cls": "Country", "top": "Place", "articles": 1}
    simple = undirected(network)
    assert simple[str(ENTITY["antony-blinken"])][str(ENTITY["mohammed-shia-al-sudani"])]["weight"] == 2
    assert not simple.has_edge(str(ENTITY["iraq"]), str(ENTITY["iraq"]))


def test_a_statement_needs_its_type_and_an_edge_to_count(graph: Graph) -> None:
    untyped = ENTITY["statement-without-type"]
    for p, o in ((RDF.subject, ENTITY["iraq"]), (RDF.predicate, KG.attacked), (RDF.object, ENTITY["united-states"])):
        graph.add((untyped, p, o))
    network = project(triples_of(graph))
    assert all(s.source != str(ENTITY["iraq"]) or s.predicate != "attacked" for s in network.statements)

"""kg.viz_select: typed actors, merged symmetric links with their evidence, ego and CONSTRUCT views."""

from __future__ import annotations

import pytest
from rdflib import Graph

from kg.network import project
from kg.rdflib_bridge import triples_of
from kg.viz_select import (
    LABELLED,
    ActorNotFound,
    ViewQueryError,
    constructed,
    ego,
    find_actor,
    ranked,
    select,
    view_of,
)
from kg.vocab import ENTITY

from .viz_graph import local, synthetic_view, view_graph


@pytest.fixture
def graph() -> Graph:
    return view_graph()


def test_actors_are_the_typed_entities_with_label_aliases_roles_and_article_counts(graph: Graph) -> None:
    view = view_of(project(triples_of(graph)))
    assert sorted(map(local, view.actors)) == [
        "antony-blinken", "berlin", "iraq", "islamic-resistance-in-iraq", "mohammed-shia-al-sudani", "united-states",
    ]
    sudani = view.actors[str(ENTITY["mohammed-shia-al-sudani"])]
    assert sudani.label == "Mohammed Shia al-Sudani" and sudani.cls == "Person"
    assert sudani.aliases == ("Mohamed Chia al-Soudani", "Sudani")
    assert sudani.roles == ("Prime Minister, Iraq",)
    assert sudani.articles == 2


def test_parallel_evidence_is_one_edge_and_symmetric_directions_merge(graph: Graph) -> None:
    view = view_of(project(triples_of(graph)))
    edges = {(local(link.source), link.predicate, local(link.target)): link for link in view.links}
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


def test_a_query_view_reads_a_stream_of_triples_once_for_the_projection_and_once_for_the_query(graph: Graph) -> None:
    view = select(iter(triples_of(graph)), query="CONSTRUCT { ?a kg:attacked ?b } WHERE { ?a kg:attacked ?b }")
    assert {local(i) for i in view.actors} == {"islamic-resistance-in-iraq", "united-states"}
    assert [len(link.evidence) for link in view.links] == [2]


def test_ego_view_finds_an_actor_by_any_spelling_and_keeps_n_hops(graph: Graph) -> None:
    view = view_of(project(triples_of(graph)))
    for name in ["Mohammed Shia al-Sudani", "sudani", "Mohamed Chia al-Soudani", "al-Soudani", "Shia al-Sudani"]:
        assert find_actor(view, name).label == "Mohammed Shia al-Sudani"
    assert find_actor(view, "Washington").label == "United States"
    assert {local(i) for i in ego(view, "Sudani", 0).actors} == {"mohammed-shia-al-sudani"}
    one = ego(view, "Sudani", 1)
    assert {local(i) for i in one.actors} == {"mohammed-shia-al-sudani", "antony-blinken", "iraq"}
    assert len(one.links) == 2
    two = ego(view, "Sudani", 2)
    assert "united-states" in {local(i) for i in two.actors} and "islamic-resistance-in-iraq" not in two.actors
    with pytest.raises(ActorNotFound):
        ego(view, "Nobody Atall", 1)


def test_construct_query_view_keeps_evidence_and_draws_derived_edges(graph: Graph) -> None:
    view = view_of(project(triples_of(graph)))
    attacks = constructed(triples_of(graph), view, "CONSTRUCT { ?a kg:attacked ?b } WHERE { ?a kg:attacked ?b }")
    assert {local(i) for i in attacks.actors} == {"islamic-resistance-in-iraq", "united-states"}
    assert [len(link.evidence) for link in attacks.links] == [2]
    derived = constructed(
        triples_of(graph), view,
        "CONSTRUCT { ?a kg:affiliatedWith ?b } WHERE { ?a kg:consulted ?b }",
    )
    assert len(derived.links) == 1 and derived.links[0].evidence == ()
    with pytest.raises(ViewQueryError):
        constructed(triples_of(graph), view, "SELECT ?s WHERE { ?s ?p ?o }")
    with pytest.raises(ViewQueryError):
        constructed(triples_of(graph), view, "CONSTRUCT { nonsense")


def test_actors_rank_by_links_then_articles_then_label(graph: Graph) -> None:
    view = view_of(project(triples_of(graph)))
    order = [local(iri) for iri in ranked(view)]
    # Sudani, Blinken and the US have two neighbours each; Sudani is in two articles, the others in one.
    assert order[:3] == ["mohammed-shia-al-sudani", "antony-blinken", "united-states"]
    assert order[-1] == "berlin"  # no link
    big = synthetic_view(300)
    degree = {iri: len(others) for iri, others in big.neighbours().items()}
    top = ranked(big)[:LABELLED]
    assert min(degree[iri] for iri in top) >= max(degree[iri] for iri in ranked(big)[LABELLED:])

"""A small graph for the tests of the network view (kg.viz_select, kg.viz_style, kg.viz_render, kg.viz)."""

from __future__ import annotations

import random

import networkx as nx
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kg.network import Actor, Evidence
from kg.rdflib_bridge import new_graph
from kg.viz_select import Link, View
from kg.vocab import ARTICLE, CLASS_TOP, ENTITY, KG, PROV, RELATION_PREDICATES, SCHEMA, STATEMENT, SYMMETRIC_PREDICATES

XSS = ('<script>window.__xss=1</script>', '<img src=x onerror="window.__xss=1">', 'javascript:window.__xss=1')


def entity(
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


def article(graph: Graph, ident: str, headline: str, publisher: str | None, date: str | None) -> None:
    node = ARTICLE[ident]
    graph.add((node, RDF.type, SCHEMA.NewsArticle))
    graph.add((node, SCHEMA.headline, Literal(headline)))
    graph.add((node, SCHEMA.text, Literal(headline + "\n\nBody.")))
    if publisher:
        graph.add((node, SCHEMA.publisher, Literal(publisher)))
    if date:
        graph.add((node, SCHEMA.datePublished, Literal(date, datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))))


def edge(
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


def view_graph() -> Graph:
    """Six actors, six statements over four edges (one symmetric pair), and nodes that are no actors."""
    g = new_graph()
    article(g, "a1", "Blinken calls Sudani", "Rudaw", "2024-02-14")
    article(g, "a2", "Talks in Baghdad", "Agence France-Presse", "2024-03-03")
    sudani = entity(g, "mohammed-shia-al-sudani", "Person", "Mohammed Shia al-Sudani", "Mohamed Chia al-Soudani",
                    "Sudani", articles=("a1", "a2"))
    blinken = entity(g, "antony-blinken", "Person", "Antony Blinken", "Blinken")
    iraq = entity(g, "iraq", "Country", "Iraq")
    us = entity(g, "united-states", "Country", "United States", "US", "Washington")
    irq = entity(g, "islamic-resistance-in-iraq", "ArmedGroup", "Islamic Resistance in Iraq")
    entity(g, "berlin", "Settlement", "Berlin")  # mentioned, no relation
    edge(g, "s1", blinken, "consulted", sudani, "a1", "Blinken called Sudani.")
    edge(g, "s2", sudani, "consulted", blinken, "a2", "Sudani received Blinken.")  # same symmetric edge
    edge(g, "s3", sudani, "leaderOf", iraq, "a1", "Prime Minister Sudani.", role="Prime Minister")
    edge(g, "s4", irq, "attacked", us, "a1", "The group struck US troops.", quantity="102 attacks")
    edge(g, "s5", irq, "attacked", us, "a2", "The group claimed the attack.")
    edge(g, "s6", blinken, "memberOf", us, "a2", "Blinken of the US.")
    # Not actors: a statement, an article, and event/claim-like nodes must not become nodes.
    g.add((URIRef("https://w3id.org/kg-news/id/event/e1"), RDF.type, KG.Event))
    g.add((URIRef("https://w3id.org/kg-news/id/event/e1"), RDFS.label, Literal("an attack")))
    return g


def local(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def synthetic_view(n_actors: int, seed: int = 7) -> View:
    """A view of ``n_actors`` actors of every class, linked scale-free (about two links each) by the contract's
    predicates, each link with 1-3 pieces of dated evidence (some undated) and an article address.

    Built as a view directly: an RDF graph of 10,000 actors would take longer to build than the page.
    """
    rng = random.Random(seed)
    links = nx.barabasi_albert_graph(n_actors, 2, seed=seed)
    classes = sorted(CLASS_TOP)
    actors = {
        f"{ENTITY}actor-{node}": Actor(f"{ENTITY}actor-{node}", f"Actor {node}", rng.choice(classes),
                                       articles=1 + rng.randrange(20))
        for node in links
    }
    found = []
    for s, o in sorted(links.edges()):
        predicate = rng.choice(RELATION_PREDICATES)
        evidence = tuple(
            Evidence(f"Actor {s} and actor {o}, sentence {i}, officials said on the day in a long statement.",
                     headline=f"Headline {s}-{o}", publisher="Rudaw",
                     article_date=None if rng.random() < 0.1 else f"2024-{1 + rng.randrange(12):02d}-{1 + rng.randrange(28):02d}",
                     url=f"https://news.example/{s}-{o}-{i}")
            for i in range(rng.choice((1, 1, 2, 3)))
        )
        source, target = f"{ENTITY}actor-{s}", f"{ENTITY}actor-{o}"
        if predicate in SYMMETRIC_PREDICATES and target < source:
            source, target = target, source
        found.append(Link(source, predicate, target, evidence))
    return View(actors, tuple(found))

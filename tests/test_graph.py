from __future__ import annotations

import datetime as dt

import pyoxigraph
from rdflib import RDF, RDFS, Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import SKOS

from kg.graph import build_graph, iter_triples
from kg.model import Article, Entity, Extraction, Mention, Ref, Relation, Resolution
from kg.turtle import turtle_bytes
from kg.vocab import ARTICLE, ENTITY, KG, PROV, SCHEMA

TEXT = "Iraq and Hamas. Officials of Iraq met Hamas envoys on Monday."


def _sample() -> tuple[list[Extraction], Resolution]:
    article = Article(id="a1", origin="a.txt", title="Iraq and Hamas.", text=TEXT, date=dt.date(2024, 2, 14),
                      source="Rudaw", content_hash="0" * 64)
    iraq1, hamas1 = Mention("a1", 0, 4, "Iraq", "Country"), Mention("a1", 9, 14, "Hamas", "ArmedGroup")
    iraq2 = Mention("a1", 29, 33, "Iraq", "Country")
    hamas2 = Mention("a1", 38, 43, "Hamas", "ArmedGroup")
    sentence = (16, len(TEXT))
    rel = Relation("a1", Ref(29, 33), "consulted", Ref(38, 43), *sentence, "verb", 0.9, (("time", "2024-02-12"),))
    weaker = Relation("a1", Ref(29, 33), "consulted", Ref(38, 43), *sentence, "noun", 0.5)
    extraction = Extraction(article, (iraq1, hamas1, iraq2, hamas2), (rel, weaker))
    resolution = Resolution(
        entities=(Entity("hamas", "Hamas", "ArmedGroup"), Entity("iraq", "Iraq", "Country", ("Republic of Iraq",))),
        mention_entity={("a1", 0, 4): "iraq", ("a1", 29, 33): "iraq", ("a1", 9, 14): "hamas", ("a1", 38, 43): "hamas"},
    )
    return [extraction], resolution


def test_entities_articles_mentions_and_statements_follow_the_contract() -> None:
    graph = build_graph(*_sample())
    iraq = ENTITY["iraq"]
    assert (iraq, RDF.type, KG.Country) in graph
    assert list(graph.objects(iraq, RDFS.label)) == [Literal("Iraq")]
    assert (iraq, SKOS.altLabel, Literal("Republic of Iraq")) in graph
    assert (ARTICLE["a1"], RDF.type, SCHEMA.NewsArticle) in graph
    assert len(list(graph.subjects(RDF.type, KG.Mention))) == 4
    # The direct edge and exactly one statement: two rules, one sentence, one piece of evidence.
    assert (iraq, KG.consulted, ENTITY["hamas"]) in graph
    statements = list(graph.subjects(RDF.type, KG.Statement))
    assert len(statements) == 1
    st = statements[0]
    assert graph.value(st, KG.extractor) == Literal("verb")
    assert graph.value(st, PROV.wasDerivedFrom) == ARTICLE["a1"]
    start, end = int(graph.value(st, KG.start)), int(graph.value(st, KG.end))  # type: ignore[arg-type]
    assert TEXT[start:end] == str(graph.value(st, KG.evidenceText))
    assert str(graph.value(st, KG.articleDate)) == "2024-02-14"
    assert str(graph.value(st, KG.time)) == "2024-02-12"


def test_no_blank_nodes() -> None:
    graph = build_graph(*_sample())
    assert not any(term.__class__.__name__ == "BNode" for triple in graph for term in triple)


def test_turtle_is_stable_and_parses_with_two_parsers() -> None:
    first = turtle_bytes(iter_triples(*_sample()))
    second = turtle_bytes(iter_triples(*_sample()))
    assert first == second
    reparsed = Graph().parse(data=first.decode("utf-8"), format="turtle")
    assert isomorphic(reparsed, build_graph(*_sample()))
    assert len(list(pyoxigraph.parse(first, format=pyoxigraph.RdfFormat.TURTLE))) == len(reparsed)


def test_hostile_labels_round_trip() -> None:
    extractions, resolution = _sample()
    odd = 'Quote " back\\slash\nnewline <script>alert(1)</script> ‏RTL «x» \u200b'
    resolution = Resolution(entities=(*resolution.entities, Entity("odd", odd, "Person")),
                            mention_entity=resolution.mention_entity)
    data = turtle_bytes(iter_triples(extractions, resolution))
    reparsed = Graph().parse(data=data.decode("utf-8"), format="turtle")
    assert reparsed.value(ENTITY["odd"], RDFS.label) == Literal(odd)


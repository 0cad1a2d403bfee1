"""End to end on the five seed articles, with the real model."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from pyshacl import validate
from rdflib import RDF, Graph

from kg.evaluate import score
from kg.gold import load_gold
from kg.pipeline import BuildResult, build
from kg.turtle import turtle_bytes
from kg.vocab import KG, SCHEMA, ontology_dir

from .conftest import GOLD, SEEDS

pytestmark = pytest.mark.model


@pytest.fixture(scope="session")
def seed_build() -> BuildResult:
    return build([SEEDS])


@pytest.fixture(scope="session")
def seed_turtle(seed_build: BuildResult) -> bytes:
    return turtle_bytes(seed_build.triples())


def test_entity_scores_meet_the_bar(seed_build: BuildResult) -> None:
    report = score(seed_build.triples(), load_gold(GOLD))
    assert report.entities.f1 >= 0.95, report.entity_misses
    assert report.duplicates == ()
    assert report.over_merges == ()
    assert report.type_accuracy >= 0.95


def test_no_entity_comes_from_boilerplate(seed_build: BuildResult) -> None:
    labels = {e.label for e in seed_build.resolution.entities}
    for furniture in ["Canada", "Archive", "Rudaw moderates", "admin", "ELSIDE"]:
        assert not any(furniture in label for label in labels), furniture
    for extraction in seed_build.extractions:
        assert "Also read" not in extraction.article.text
        assert "community guidelines" not in extraction.article.text


def test_every_mention_is_a_verbatim_span_of_its_article(seed_build: BuildResult) -> None:
    for extraction in seed_build.extractions:
        for mention in extraction.mentions:
            assert extraction.article.text[mention.start : mention.end] == mention.text


def test_turtle_parses_with_two_parsers_and_conforms_to_the_shapes(seed_turtle: bytes) -> None:
    graph = Graph().parse(data=seed_turtle.decode("utf-8"), format="turtle")
    ox = list(pyoxigraph.parse(seed_turtle, format=pyoxigraph.RdfFormat.TURTLE))
    assert len(ox) == len(graph) > 1000
    shapes = Graph().parse(ontology_dir() / "shapes.ttl")
    ontology = Graph().parse(ontology_dir() / "kg.ttl")
    conforms, _, text = validate(graph, shacl_graph=shapes, ont_graph=ontology)
    assert conforms, text
    assert len(list(graph.subjects(RDF.type, SCHEMA.NewsArticle))) == 5
    assert len(list(graph.subjects(RDF.type, KG.Mention))) > 100


def test_two_builds_give_identical_bytes(seed_turtle: bytes) -> None:
    assert turtle_bytes(build([SEEDS]).triples()) == seed_turtle


def test_seed_copies_are_unchanged() -> None:
    shared = Path(__file__).resolve().parents[2] / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("shared/seeds not beside the checkout")
    for original in sorted(shared.iterdir()):
        assert (SEEDS / original.name).read_bytes() == original.read_bytes()


def test_every_contract_edge_has_a_statement_node(seed_build: BuildResult) -> None:
    from kg.vocab import RELATION_PREDICATES

    graph = seed_build.graph
    edges = 0
    for name in RELATION_PREDICATES:
        for s, o in graph.subject_objects(KG[name]):
            edges += 1
            statements = [
                st for st in graph.subjects(RDF.subject, s)
                if (st, RDF.predicate, KG[name]) in graph and (st, RDF.object, o) in graph
            ]
            assert statements, (s, name, o)
    assert edges > 30


def test_every_statement_evidence_is_its_article_text_sliced(seed_build: BuildResult) -> None:
    from kg.vocab import PROV

    graph = seed_build.graph
    texts = {str(article): str(text) for article, text in graph.subject_objects(SCHEMA.text)}
    statements = list(graph.subjects(RDF.type, KG.Statement))
    assert len(statements) > 30
    for st in statements:
        text = texts[str(graph.value(st, PROV.wasDerivedFrom))]
        start, end = int(str(graph.value(st, KG.start))), int(str(graph.value(st, KG.end)))
        assert text[start:end] == str(graph.value(st, KG.evidenceText)), st

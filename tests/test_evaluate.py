"""Scoring rules of kg.evaluate (graph contract, section 4), on hand-built graphs."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace
from rdflib.namespace import RDF, RDFS

from kg.evaluate import score
from kg.gold import Gold
from kg.rdflib_bridge import triples_of
from kg.vocab import ENTITY, KG, RELATION_PREDICATES, SCHEMA

from .gold_files import SEEDS, add_node, perfect_graph, two_articles


@pytest.fixture
def gold(tmp_path: Path) -> Gold:
    return two_articles(tmp_path)


EX = Namespace("https://example.org/onto#")


def test_matching_goes_through_normalisation(gold: Gold) -> None:
    g = perfect_graph()
    g.remove((ENTITY["iraq"], RDFS.label, None))
    g.add((ENTITY["iraq"], RDFS.label, Literal("the IRAQ.")))
    assert score(triples_of(g), gold).entities.tp == 4


# ---------------------------------------------------------------- entities


def test_perfect_graph_scores_one(gold: Gold) -> None:
    report = score(triples_of(perfect_graph()), gold)
    for scores in (report.entities, report.relations):
        assert (scores.precision, scores.recall, scores.f1) == (1.0, 1.0, 1.0)
    assert (report.entities.tp, report.relations.tp) == (4, 3)
    assert report.type_accuracy == 1.0
    assert not (report.duplicates or report.over_merges or report.type_errors or report.entity_misses
                or report.entity_false_positives or report.relation_misses or report.relation_false_positives)


def test_missing_entity_lowers_recall(gold: Gold) -> None:
    g = perfect_graph()
    g.remove((ENTITY["victoria-nuland"], None, None))
    report = score(triples_of(g), gold)
    assert (report.entities.tp, report.entities.fp, report.entities.fn) == (3, 0, 1)
    assert report.entities.recall == 0.75 and report.entities.precision == 1.0
    assert report.entity_misses == ("victoria-nuland",)


def test_extra_node_is_false_positive(gold: Gold) -> None:
    g = perfect_graph()
    add_node(g, "pro-iran-militias", KG.ArmedGroup, "pro-Iran militias")
    report = score(triples_of(g), gold)
    assert (report.entities.tp, report.entities.fp, report.entities.fn) == (4, 1, 0)
    assert report.entities.precision == 0.8
    assert report.entity_false_positives == ((str(ENTITY["pro-iran-militias"]), "pro-Iran militias"),)


def test_untyped_and_non_actor_nodes_are_not_predicted_entities(gold: Gold) -> None:
    g = perfect_graph()
    g.add((ENTITY["stray"], RDFS.label, Literal("Stray")))
    g.add((ENTITY["mention-1"], RDF.type, KG.Mention))
    g.add((ENTITY["mention-1"], RDFS.label, Literal("Something")))
    assert score(triples_of(g), gold).entities.fp == 0


def test_node_matching_only_optional_entity_is_ignored(gold: Gold) -> None:
    g = perfect_graph()
    add_node(g, "canada", KG.Country, "Canada")
    add_node(g, "canada-2", KG.Country, "Kanada", "Canada")  # even a duplicate of it
    report = score(triples_of(g), gold)
    assert (report.entities.tp, report.entities.fp, report.entities.fn) == (4, 0, 0)
    assert report.duplicates == ()


def test_two_nodes_for_one_entity_is_one_duplicate(gold: Gold) -> None:
    g = perfect_graph()
    # Sorts before the proper node and matches only by altLabel: the label match is absorbed.
    add_node(g, "a-nuland", KG.Person, "Toria", "Nuland")
    report = score(triples_of(g), gold)
    assert report.duplicates == ((str(ENTITY["a-nuland"]), "victoria-nuland"),)
    assert (report.entities.tp, report.entities.fp, report.entities.fn) == (4, 1, 0)
    assert report.entity_false_positives == ()


def test_duplicate_without_label_match_ties_break_by_iri(gold: Gold) -> None:
    g = perfect_graph()
    g.remove((ENTITY["victoria-nuland"], None, None))
    add_node(g, "b-nuland", KG.Person, "Toria", "Nuland")
    add_node(g, "a-nuland", KG.Person, "Vicky", "Ms. Nuland")
    report = score(triples_of(g), gold)
    assert report.duplicates == ((str(ENTITY["b-nuland"]), "victoria-nuland"),)


def test_over_merge_is_assigned_by_label(gold: Gold) -> None:
    g = perfect_graph()
    g.remove((ENTITY["mohammed-shia-al-sudani"], None, None))
    # One node for two people; its label names the second in file order.
    add_node(g, "sudani", KG.Person, "Mohammed Shia al-Sudani", "Nuland")
    g.remove((ENTITY["victoria-nuland"], None, None))
    report = score(triples_of(g), gold)
    assert [tuple(m) for m in report.over_merges] == [
        (str(ENTITY["sudani"]), ("mohammed-shia-al-sudani", "victoria-nuland"))]
    assert report.entity_misses == ("victoria-nuland",)
    assert (report.entities.tp, report.entities.fp, report.entities.fn) == (3, 0, 1)


def test_over_merge_without_label_match_goes_to_first_in_file_order(gold: Gold) -> None:
    g = perfect_graph()
    for slug in ("victoria-nuland", "mohammed-shia-al-sudani"):
        g.remove((ENTITY[slug], None, None))
    add_node(g, "both", KG.Person, "The Two", "Mohamed Chia al-Soudani", "Nuland")
    report = score(triples_of(g), gold)
    assert report.over_merges[0].gold_ids == ("victoria-nuland", "mohammed-shia-al-sudani")
    assert report.entity_misses == ("mohammed-shia-al-sudani",)


def test_subclass_typing_through_ontology_and_graph(gold: Gold) -> None:
    g = perfect_graph()
    # kg:ArmedGroup -> kg:Organization comes from ontology/kg.ttl (the default ontology).
    assert score(triples_of(g), gold).entities.tp == 4
    # A class of another vocabulary, placed under the tree by the graph itself.
    g.remove((ENTITY["islamic-resistance-in-iraq"], RDF.type, KG.ArmedGroup))
    g.add((ENTITY["islamic-resistance-in-iraq"], RDF.type, EX.Militia))
    g.add((EX.Militia, RDFS.subClassOf, EX.NonStateActor))
    g.add((EX.NonStateActor, RDFS.subClassOf, KG.ArmedGroup))
    report = score(triples_of(g), gold)
    assert report.entities.tp == 4 and report.type_accuracy == 1.0
    # Without the ontology only classes named like a top class are known: kg:Person still is,
    # kg:Country and kg:ArmedGroup are under nothing.
    assert score(triples_of(g), gold, ontology=[]).entity_misses == ("iraq", "islamic-resistance-in-iraq")


def test_schema_org_top_class_counts(gold: Gold) -> None:
    g = perfect_graph()
    g.set((ENTITY["victoria-nuland"], RDF.type, SCHEMA.Person))
    report = score(triples_of(g), gold)
    assert report.entities.tp == 4 and report.type_accuracy == 1.0


def test_type_error_is_counted(gold: Gold) -> None:
    g = perfect_graph()
    g.set((ENTITY["islamic-resistance-in-iraq"], RDF.type, KG.Region))
    report = score(triples_of(g), gold)
    assert report.entities.tp == 4
    assert report.type_accuracy == 0.75
    assert [tuple(t) for t in report.type_errors] == [
        (str(ENTITY["islamic-resistance-in-iraq"]), "islamic-resistance-in-iraq", "Organization", "Place")]


def test_node_under_two_top_classes_is_a_type_error(gold: Gold) -> None:
    g = perfect_graph()
    g.add((ENTITY["iraq"], RDF.type, KG.GovernmentBody))
    report = score(triples_of(g), gold)
    assert report.type_errors[0].predicted == "Organization|Place"


# ---------------------------------------------------------------- relations


def test_symmetric_relation_reversed_is_true_positive(gold: Gold) -> None:
    g = perfect_graph()
    g.remove((ENTITY["victoria-nuland"], KG.consulted, None))
    g.add((ENTITY["mohammed-shia-al-sudani"], KG.consulted, ENTITY["victoria-nuland"]))
    assert score(triples_of(g), gold).relations.f1 == 1.0


def test_directed_relation_reversed_is_fp_and_fn(gold: Gold) -> None:
    g = perfect_graph()
    g.remove((None, KG.leaderOf, None))
    g.add((ENTITY["iraq"], KG.leaderOf, ENTITY["mohammed-shia-al-sudani"]))
    report = score(triples_of(g), gold)
    assert (report.relations.tp, report.relations.fp, report.relations.fn) == (2, 1, 1)
    assert [tuple(m) for m in report.relation_misses] == [
        ("mohammed-shia-al-sudani", "leaderOf", "iraq", "mohammed-shia-al-sudani leaderOf iraq.")]
    assert [tuple(f) for f in report.relation_false_positives] == [("iraq", "leaderOf", "mohammed-shia-al-sudani")]


def test_relation_with_unknown_endpoint_is_false_positive(gold: Gold) -> None:
    g = perfect_graph()
    militias = add_node(g, "pro-iran-militias", KG.ArmedGroup, "pro-Iran militias")
    g.add((militias, KG.attacked, ENTITY["iraq"]))
    g.add((ENTITY["iraq"], KG.criticized, ENTITY["never-typed"]))
    report = score(triples_of(g), gold)
    assert (report.relations.tp, report.relations.fp, report.relations.fn) == (3, 2, 0)
    assert sorted(tuple(f) for f in report.relation_false_positives) == [
        ('"pro-Iran militias"', "attacked", "iraq"),
        ("iraq", "criticized", f"<{ENTITY['never-typed']}>"),
    ]


def test_optional_relation_is_ignored(gold: Gold) -> None:
    g = perfect_graph()
    canada = add_node(g, "canada", KG.Country, "Canada")
    g.add((canada, KG.consulted, ENTITY["iraq"]))  # optional, and reversed
    report = score(triples_of(g), gold)
    assert (report.relations.tp, report.relations.fp, report.relations.fn) == (3, 0, 0)


def test_duplicate_triples_collapse(gold: Gold) -> None:
    g = perfect_graph()
    # A duplicate node maps to the same gold id, so its edges collapse with the original's.
    other = add_node(g, "nuland-2", KG.Person, "Nuland")
    g.add((other, KG.consulted, ENTITY["mohammed-shia-al-sudani"]))
    g.add((ENTITY["mohammed-shia-al-sudani"], KG.consulted, ENTITY["victoria-nuland"]))
    # A false positive seen twice is one false positive.
    g.add((ENTITY["iraq"], KG.criticized, ENTITY["victoria-nuland"]))
    g.add((ENTITY["iraq"], KG.criticized, other))
    report = score(triples_of(g), gold)
    assert (report.relations.tp, report.relations.fp, report.relations.fn) == (3, 1, 0)


def test_only_contract_predicates_in_the_kg_namespace_count(gold: Gold) -> None:
    g = perfect_graph()
    g.add((ENTITY["iraq"], EX.attacked, ENTITY["victoria-nuland"]))
    g.add((ENTITY["iraq"], KG.mentionedIn, ENTITY["victoria-nuland"]))
    g.add((ENTITY["iraq"], KG.actorRelation, ENTITY["victoria-nuland"]))
    assert score(triples_of(g), gold).relations.fp == 0


def test_per_predicate_table_sums_to_totals(gold: Gold) -> None:
    g = perfect_graph()
    g.remove((None, KG.leaderOf, None))
    g.add((ENTITY["iraq"], KG.leaderOf, ENTITY["mohammed-shia-al-sudani"]))
    g.add((ENTITY["iraq"], KG.attacked, ENTITY["victoria-nuland"]))
    report = score(triples_of(g), gold)
    rows = report.by_predicate
    assert list(rows) == [p for p in RELATION_PREDICATES if p in rows]
    assert set(rows) == {"consulted", "attacked", "leaderOf"}
    for kind in ("tp", "fp", "fn"):
        assert sum(getattr(s, kind) for s in rows.values()) == getattr(report.relations, kind)
    assert (rows["leaderOf"].tp, rows["leaderOf"].fp, rows["leaderOf"].fn) == (0, 1, 1)


def test_scores_are_deterministic(gold: Gold) -> None:
    g = perfect_graph()
    add_node(g, "x", KG.Person, "Nuland")
    add_node(g, "y", KG.Person, "Victoria Nuland")
    g.add((ENTITY["x"], KG.criticized, ENTITY["zzz"]))
    g.add((ENTITY["y"], KG.criticized, ENTITY["zzz"]))
    first = score(triples_of(g), gold)
    shuffled = Graph()
    for triple in reversed(sorted(g)):
        shuffled.add(triple)
    assert score(triples_of(shuffled), gold) == first


# ---------------------------------------------------------------- the command


def test_kg_eval_reports_a_broken_graph_and_a_deep_gold_file_in_one_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from kg.cli import app

    broken = tmp_path / "graph.ttl"
    broken.write_text('@prefix kg: <http://x/> .\nkg:a kg:b "unterminated .\n')
    deep = tmp_path / "deep"
    deep.mkdir()
    (deep / "000.json").write_text("[" * 100_000 + "]" * 100_000)
    good = tmp_path / "good.ttl"
    perfect_graph().serialize(good, format="turtle")
    for graph, gold, shown in ((broken, SEEDS, f"{broken}:2: "), (good, deep, f"{deep / '000.json'}: ")):
        result = CliRunner().invoke(app, ["eval", str(graph), "--gold", str(gold)])
        assert result.exit_code == 1, result.output
        assert result.output.startswith("error: ") and shown in result.output
        assert result.output.count("\n") == 1 and "Traceback" not in result.output

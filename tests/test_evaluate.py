"""Scoring rules of kg.evaluate (graph contract, section 4), on hand-built graphs."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS, SKOS
from rich.console import Console

from kg.errors import GoldError, GraphError
from kg.evaluate import Gold, load_gold, load_graph, normalise, relation_key, render, score, summary_lines
from kg.vocab import ENTITY, KG, RELATION_PREDICATES, SCHEMA

SEEDS = Path(__file__).parent / "gold" / "seeds"
EX = Namespace("https://example.org/onto#")


# ---------------------------------------------------------------- helpers


def write_gold(
    directory: Path, name: str, entities: list[dict[str, Any]], relations: Sequence[dict[str, Any]] = ()
) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(json.dumps({"article": name.replace(".json", ".txt"), "entities": entities,
                                "relations": list(relations)}), encoding="utf-8")
    return path


def ent(ident: str, label: str, kind: str, *aliases: str, optional: bool = False) -> dict[str, Any]:
    record: dict[str, Any] = {"id": ident, "label": label, "type": kind, "aliases": [label, *aliases]}
    if optional:
        record["optional"] = True
    return record


def rel(s: str, p: str, o: str, optional: bool = False) -> dict[str, Any]:
    record: dict[str, Any] = {"s": s, "p": p, "o": o, "evidence": f"{s} {p} {o}."}
    if optional:
        record["optional"] = True
    return record


def add_node(graph: Graph, slug: str, cls: URIRef, label: str, *alt_labels: str) -> URIRef:
    node = ENTITY[slug]
    graph.add((node, RDF.type, cls))
    graph.add((node, RDFS.label, Literal(label, lang="en")))
    for alt in alt_labels:
        graph.add((node, SKOS.altLabel, Literal(alt)))
    return node


@pytest.fixture
def gold(tmp_path: Path) -> Gold:
    """Two articles: four required entities, one optional, three required relations."""
    write_gold(tmp_path / "gold", "000_a.json", [
        ent("victoria-nuland", "Victoria Nuland", "Person", "Nuland", "Ms. Nuland"),
        ent("mohammed-shia-al-sudani", "Mohammed Shia al-Sudani", "Person", "Mohamed Chia al-Soudani"),
        ent("iraq", "Iraq", "Place"),
        ent("canada", "Canada", "Place", optional=True),
    ], [
        rel("victoria-nuland", "consulted", "mohammed-shia-al-sudani"),
        rel("mohammed-shia-al-sudani", "leaderOf", "iraq"),
        rel("iraq", "consulted", "canada", optional=True),
    ])
    write_gold(tmp_path / "gold", "001_b.json", [
        ent("iraq", "Iraq", "Place", "Iraqi government"),
        ent("islamic-resistance-in-iraq", "Islamic Resistance in Iraq", "Organization"),
    ], [
        rel("islamic-resistance-in-iraq", "attacked", "iraq"),
    ])
    return load_gold(tmp_path / "gold")


def perfect_graph() -> Graph:
    """A graph that matches the ``gold`` fixture exactly (the optional parts left out)."""
    g = Graph()
    nuland = add_node(g, "victoria-nuland", KG.Person, "Victoria Nuland", "Nuland")
    sudani = add_node(g, "mohammed-shia-al-sudani", KG.Person, "Mohammed Shia al-Sudani",
                      "Mohamed Chia al-Soudani")
    iraq = add_node(g, "iraq", KG.Country, "Iraq")
    irI = add_node(g, "islamic-resistance-in-iraq", KG.ArmedGroup, "Islamic Resistance in Iraq")
    g.add((nuland, KG.consulted, sudani))
    g.add((sudani, KG.leaderOf, iraq))
    g.add((irI, KG.attacked, iraq))
    return g


# ---------------------------------------------------------------- normalisation


@pytest.mark.parametrize(("name", "expected"), [
    ("Mohamed Chia al-Soudani", "mohamed chia al soudani"),   # '-' to space, casefold
    ("Ḥashd al-Shaʿbī", "hashd al shaʿbi"),                    # combining marks dropped
    ("Café", "cafe"),
    ("Sudani’s", "sudani"),                                   # curly quote, then possessive
    ("Sudani's", "sudani"),
    ("Mohammed Shia’ al-Sudani", "mohammed shia al sudani"),  # a bare apostrophe is a space
    ("U.S.", "u s"),
    ("Ms. Nuland", "ms nuland"),
    ("hashd_al_shaabi", "hashd al shaabi"),
    ("“Islamic Resistance”, (Iraq)!", "islamic resistance iraq"),  # other punctuation removed
    ("The Islamic Resistance in Iraq", "islamic resistance in iraq"),
    ("  the   Hague ", "hague"),                              # white space collapsed
    ("Theodore", "theodore"),                                # only a whole leading word 'the'
    ("Iraq the Great", "iraq the great"),
    ("ＩＲＡＱ", "iraq"),                                    # NFKD folds compatibility forms
])
def test_normalise(name: str, expected: str) -> None:
    assert normalise(name) == expected


def test_matching_goes_through_normalisation(gold: Gold) -> None:
    g = perfect_graph()
    g.remove((ENTITY["iraq"], RDFS.label, None))
    g.add((ENTITY["iraq"], RDFS.label, Literal("the IRAQ.")))
    assert score(g, gold).entities.tp == 4


# ---------------------------------------------------------------- gold


def test_load_gold_merges_files(gold: Gold) -> None:
    ids = [e.id for e in gold.entities]
    assert ids == ["victoria-nuland", "mohammed-shia-al-sudani", "iraq", "canada", "islamic-resistance-in-iraq"]
    iraq = next(e for e in gold.entities if e.id == "iraq")
    assert iraq.aliases == ("Iraq", "Iraqi government")
    assert [e.id for e in gold.required_entities] == [i for i in ids if i != "canada"]
    assert len(gold.relations) == 4
    assert gold.files == ("000_a.json", "001_b.json")


def test_load_gold_required_anywhere_is_required(tmp_path: Path) -> None:
    write_gold(tmp_path, "a.json", [ent("iraq", "Iraq", "Place", optional=True), ent("iran", "Iran", "Place")],
               [rel("iran", "attacked", "iraq", optional=True)])
    write_gold(tmp_path, "b.json", [ent("iraq", "Republic of Iraq", "Organization"), ent("iran", "Iran", "Place")],
               [rel("iran", "attacked", "iraq"), rel("iraq", "consulted", "iran", optional=True)])
    gold = load_gold(tmp_path)
    iraq = gold.entities[0]
    assert (iraq.label, iraq.type, iraq.optional) == ("Iraq", "Place", False)  # label/type from the first file
    assert iraq.aliases == ("Iraq", "Republic of Iraq")
    assert gold.required_relations == {("iran", "attacked", "iraq")}
    assert gold.optional_relations == {relation_key("iraq", "consulted", "iran")}


def test_load_shipped_seed_gold() -> None:
    files = sorted(SEEDS.glob("*.json"))
    assert len(files) == 5
    data = [json.loads(f.read_text(encoding="utf-8")) for f in files]
    required_ids = {e["id"] for d in data for e in d["entities"] if not e.get("optional")}
    all_ids = {e["id"] for d in data for e in d["entities"]}
    required_relations = {relation_key(r["s"], r["p"], r["o"])
                          for d in data for r in d["relations"] if not r.get("optional")}

    gold = load_gold(SEEDS)
    assert {e.id for e in gold.entities} == all_ids
    assert {e.id for e in gold.required_entities} == required_ids
    assert gold.required_relations == required_relations
    assert len(gold.relations) == sum(len(d["relations"]) for d in data)
    assert gold.files == tuple(f.name for f in files)


@pytest.mark.parametrize(("content", "problem"), [
    ("{not json", "invalid JSON"),
    ("[]", "expected a JSON object"),
    ('{"relations": []}', "'entities'"),
    ('{"entities": [{"label": "Iraq", "type": "Place", "aliases": []}]}', "'id'"),
    ('{"entities": [{"id": "iraq", "label": "Iraq", "type": "Country", "aliases": []}]}', "type 'Country'"),
    ('{"entities": [{"id": "iraq", "label": "Iraq", "type": "Place", "aliases": "Iraq"}]}', "aliases"),
    ('{"entities": [{"id": "iraq", "label": "Iraq", "type": "Place", "aliases": [], "optional": "yes"}]}',
     "optional"),
    ('{"entities": [{"id": "iraq", "label": "Iraq", "type": "Place"}], '
     '"relations": [{"s": "iraq", "p": "metWith", "o": "iraq"}]}', "unknown predicate 'metWith'"),
    ('{"entities": [{"id": "iraq", "label": "Iraq", "type": "Place"}], '
     '"relations": [{"s": "iraq", "p": "attacked", "o": "iran"}]}', "unknown entity id 'iran'"),
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ('{"entities": [], "n": ' + "1" * 5000 + "}", "unreadable JSON: Exceeds the limit (4300 digits)"),
    ('{"entities": [{"id": "iraq", "label": "Ira\\ud800", "type": "Place"}]}', "lone surrogate ('\\ud800')"),
    ('{"article": 3, "entities": []}', "'article' must be a string"),
    ('{"entities": {"id": "iraq"}}', "'entities' must be a list, got dict"),
    ('{"entities": [{"id": 7, "label": "Iraq", "type": "Place"}]}', "'id' must be a str, got int"),
    ('{"entities": [{"id": "iraq", "type": "Place"}]}', "has no 'label'"),
    ('{"entities": [{"id": "iraq", "label": "Iraq", "type": "Place"}], "relations": [{"s": "iraq", "p": "attacked"}]}',
     "has no 'o'"),
    ('{"entities": [{"id": "iraq", "label": "Iraq", "type": "Place"}], '
     '"relations": [{"s": "iraq", "p": "attacked", "o": "iraq", "evidence": 1}]}', "'evidence' must be a string"),
])
def test_malformed_gold_raises_naming_the_file(tmp_path: Path, content: str, problem: str) -> None:
    write_gold(tmp_path, "000_ok.json", [ent("iraq", "Iraq", "Place")])
    (tmp_path / "001_bad.json").write_text(content, encoding="utf-8")
    with pytest.raises(GoldError, match="001_bad.json") as raised:
        load_gold(tmp_path)
    assert problem in str(raised.value)


def test_empty_gold_directory_raises(tmp_path: Path) -> None:
    with pytest.raises(GoldError, match="no"):
        load_gold(tmp_path)
    with pytest.raises(GoldError, match="not a directory"):
        load_gold(tmp_path / "missing")


# ---------------------------------------------------------------- entities


def test_perfect_graph_scores_one(gold: Gold) -> None:
    report = score(perfect_graph(), gold)
    for scores in (report.entities, report.relations):
        assert (scores.precision, scores.recall, scores.f1) == (1.0, 1.0, 1.0)
    assert (report.entities.tp, report.relations.tp) == (4, 3)
    assert report.type_accuracy == 1.0
    assert not (report.duplicates or report.over_merges or report.type_errors or report.entity_misses
                or report.entity_false_positives or report.relation_misses or report.relation_false_positives)


def test_missing_entity_lowers_recall(gold: Gold) -> None:
    g = perfect_graph()
    g.remove((ENTITY["victoria-nuland"], None, None))
    report = score(g, gold)
    assert (report.entities.tp, report.entities.fp, report.entities.fn) == (3, 0, 1)
    assert report.entities.recall == 0.75 and report.entities.precision == 1.0
    assert report.entity_misses == ("victoria-nuland",)


def test_extra_node_is_false_positive(gold: Gold) -> None:
    g = perfect_graph()
    add_node(g, "pro-iran-militias", KG.ArmedGroup, "pro-Iran militias")
    report = score(g, gold)
    assert (report.entities.tp, report.entities.fp, report.entities.fn) == (4, 1, 0)
    assert report.entities.precision == 0.8
    assert report.entity_false_positives == ((str(ENTITY["pro-iran-militias"]), "pro-Iran militias"),)


def test_untyped_and_non_actor_nodes_are_not_predicted_entities(gold: Gold) -> None:
    g = perfect_graph()
    g.add((ENTITY["stray"], RDFS.label, Literal("Stray")))
    g.add((ENTITY["mention-1"], RDF.type, KG.Mention))
    g.add((ENTITY["mention-1"], RDFS.label, Literal("Something")))
    assert score(g, gold).entities.fp == 0


def test_node_matching_only_optional_entity_is_ignored(gold: Gold) -> None:
    g = perfect_graph()
    add_node(g, "canada", KG.Country, "Canada")
    add_node(g, "canada-2", KG.Country, "Kanada", "Canada")  # even a duplicate of it
    report = score(g, gold)
    assert (report.entities.tp, report.entities.fp, report.entities.fn) == (4, 0, 0)
    assert report.duplicates == ()


def test_two_nodes_for_one_entity_is_one_duplicate(gold: Gold) -> None:
    g = perfect_graph()
    # Sorts before the proper node and matches only by altLabel: the label match is absorbed.
    add_node(g, "a-nuland", KG.Person, "Toria", "Nuland")
    report = score(g, gold)
    assert report.duplicates == ((str(ENTITY["a-nuland"]), "victoria-nuland"),)
    assert (report.entities.tp, report.entities.fp, report.entities.fn) == (4, 1, 0)
    assert report.entity_false_positives == ()


def test_duplicate_without_label_match_ties_break_by_iri(gold: Gold) -> None:
    g = perfect_graph()
    g.remove((ENTITY["victoria-nuland"], None, None))
    add_node(g, "b-nuland", KG.Person, "Toria", "Nuland")
    add_node(g, "a-nuland", KG.Person, "Vicky", "Ms. Nuland")
    report = score(g, gold)
    assert report.duplicates == ((str(ENTITY["b-nuland"]), "victoria-nuland"),)


def test_over_merge_is_assigned_by_label(gold: Gold) -> None:
    g = perfect_graph()
    g.remove((ENTITY["mohammed-shia-al-sudani"], None, None))
    # One node for two people; its label names the second in file order.
    add_node(g, "sudani", KG.Person, "Mohammed Shia al-Sudani", "Nuland")
    g.remove((ENTITY["victoria-nuland"], None, None))
    report = score(g, gold)
    assert [tuple(m) for m in report.over_merges] == [
        (str(ENTITY["sudani"]), ("mohammed-shia-al-sudani", "victoria-nuland"))]
    assert report.entity_misses == ("victoria-nuland",)
    assert (report.entities.tp, report.entities.fp, report.entities.fn) == (3, 0, 1)


def test_over_merge_without_label_match_goes_to_first_in_file_order(gold: Gold) -> None:
    g = perfect_graph()
    for slug in ("victoria-nuland", "mohammed-shia-al-sudani"):
        g.remove((ENTITY[slug], None, None))
    add_node(g, "both", KG.Person, "The Two", "Mohamed Chia al-Soudani", "Nuland")
    report = score(g, gold)
    assert report.over_merges[0].gold_ids == ("victoria-nuland", "mohammed-shia-al-sudani")
    assert report.entity_misses == ("mohammed-shia-al-sudani",)


def test_subclass_typing_through_ontology_and_graph(gold: Gold) -> None:
    g = perfect_graph()
    # kg:ArmedGroup -> kg:Organization comes from ontology/kg.ttl (the default ontology).
    assert score(g, gold).entities.tp == 4
    # A class of another vocabulary, placed under the tree by the graph itself.
    g.remove((ENTITY["islamic-resistance-in-iraq"], RDF.type, KG.ArmedGroup))
    g.add((ENTITY["islamic-resistance-in-iraq"], RDF.type, EX.Militia))
    g.add((EX.Militia, RDFS.subClassOf, EX.NonStateActor))
    g.add((EX.NonStateActor, RDFS.subClassOf, KG.ArmedGroup))
    report = score(g, gold)
    assert report.entities.tp == 4 and report.type_accuracy == 1.0
    # Without the ontology only classes named like a top class are known: kg:Person still is,
    # kg:Country and kg:ArmedGroup are under nothing.
    assert score(g, gold, ontology=Graph()).entity_misses == ("iraq", "islamic-resistance-in-iraq")


def test_schema_org_top_class_counts(gold: Gold) -> None:
    g = perfect_graph()
    g.set((ENTITY["victoria-nuland"], RDF.type, SCHEMA.Person))
    report = score(g, gold)
    assert report.entities.tp == 4 and report.type_accuracy == 1.0


def test_type_error_is_counted(gold: Gold) -> None:
    g = perfect_graph()
    g.set((ENTITY["islamic-resistance-in-iraq"], RDF.type, KG.Region))
    report = score(g, gold)
    assert report.entities.tp == 4
    assert report.type_accuracy == 0.75
    assert [tuple(t) for t in report.type_errors] == [
        (str(ENTITY["islamic-resistance-in-iraq"]), "islamic-resistance-in-iraq", "Organization", "Place")]


def test_node_under_two_top_classes_is_a_type_error(gold: Gold) -> None:
    g = perfect_graph()
    g.add((ENTITY["iraq"], RDF.type, KG.GovernmentBody))
    report = score(g, gold)
    assert report.type_errors[0].predicted == "Organization|Place"


# ---------------------------------------------------------------- relations


def test_symmetric_relation_reversed_is_true_positive(gold: Gold) -> None:
    g = perfect_graph()
    g.remove((ENTITY["victoria-nuland"], KG.consulted, None))
    g.add((ENTITY["mohammed-shia-al-sudani"], KG.consulted, ENTITY["victoria-nuland"]))
    assert score(g, gold).relations.f1 == 1.0


def test_directed_relation_reversed_is_fp_and_fn(gold: Gold) -> None:
    g = perfect_graph()
    g.remove((None, KG.leaderOf, None))
    g.add((ENTITY["iraq"], KG.leaderOf, ENTITY["mohammed-shia-al-sudani"]))
    report = score(g, gold)
    assert (report.relations.tp, report.relations.fp, report.relations.fn) == (2, 1, 1)
    assert [tuple(m) for m in report.relation_misses] == [
        ("mohammed-shia-al-sudani", "leaderOf", "iraq", "mohammed-shia-al-sudani leaderOf iraq.")]
    assert [tuple(f) for f in report.relation_false_positives] == [("iraq", "leaderOf", "mohammed-shia-al-sudani")]


def test_relation_with_unknown_endpoint_is_false_positive(gold: Gold) -> None:
    g = perfect_graph()
    militias = add_node(g, "pro-iran-militias", KG.ArmedGroup, "pro-Iran militias")
    g.add((militias, KG.attacked, ENTITY["iraq"]))
    g.add((ENTITY["iraq"], KG.criticized, ENTITY["never-typed"]))
    report = score(g, gold)
    assert (report.relations.tp, report.relations.fp, report.relations.fn) == (3, 2, 0)
    assert sorted(tuple(f) for f in report.relation_false_positives) == [
        ('"pro-Iran militias"', "attacked", "iraq"),
        ("iraq", "criticized", f"<{ENTITY['never-typed']}>"),
    ]


def test_optional_relation_is_ignored(gold: Gold) -> None:
    g = perfect_graph()
    canada = add_node(g, "canada", KG.Country, "Canada")
    g.add((canada, KG.consulted, ENTITY["iraq"]))  # optional, and reversed
    report = score(g, gold)
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
    report = score(g, gold)
    assert (report.relations.tp, report.relations.fp, report.relations.fn) == (3, 1, 0)


def test_only_contract_predicates_in_the_kg_namespace_count(gold: Gold) -> None:
    g = perfect_graph()
    g.add((ENTITY["iraq"], EX.attacked, ENTITY["victoria-nuland"]))
    g.add((ENTITY["iraq"], KG.mentionedIn, ENTITY["victoria-nuland"]))
    g.add((ENTITY["iraq"], KG.actorRelation, ENTITY["victoria-nuland"]))
    assert score(g, gold).relations.fp == 0


def test_per_predicate_table_sums_to_totals(gold: Gold) -> None:
    g = perfect_graph()
    g.remove((None, KG.leaderOf, None))
    g.add((ENTITY["iraq"], KG.leaderOf, ENTITY["mohammed-shia-al-sudani"]))
    g.add((ENTITY["iraq"], KG.attacked, ENTITY["victoria-nuland"]))
    report = score(g, gold)
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
    first = score(g, gold)
    shuffled = Graph()
    for triple in reversed(sorted(g)):
        shuffled.add(triple)
    assert score(shuffled, gold) == first


# ---------------------------------------------------------------- output


def test_summary_lines(gold: Gold) -> None:
    lines = summary_lines(score(perfect_graph(), gold))
    assert lines == [
        "entities  P=1.000 R=1.000 F1=1.000  duplicates=0 over-merges=0 type-accuracy=1.000",
        "relations P=1.000 R=1.000 F1=1.000",
    ]


def test_render_returns_tables_and_prints_nothing(gold: Gold, capsys: pytest.CaptureFixture[str]) -> None:
    g = perfect_graph()
    g.remove((None, KG.leaderOf, None))
    add_node(g, "odd", KG.Person, "[bold]odd[/bold] name")
    renderable = render(score(g, gold), verbose=True, by_predicate=True)
    assert capsys.readouterr().out == ""
    console = Console(record=True, width=200, file=io.StringIO())
    console.print(renderable)
    text = console.export_text()
    for expected in ("Evaluation", "Relations by predicate", "total", "Missed relations",
                     "Entity false positives", "[bold]odd[/bold] name"):
        assert expected in text
    quiet = Console(record=True, width=200, file=io.StringIO())
    quiet.print(render(score(g, gold), verbose=False, by_predicate=False))
    assert "Relations by predicate" not in quiet.export_text()


# ---------------------------------------------------------------- graph files


@pytest.mark.parametrize(("name", "content", "where"), [
    ("broken.ttl", '@prefix kg: <http://x/> .\nkg:a kg:b kg:c .\nkg:a kg:b "unterminated .\n', "broken.ttl:3: "),
    ("broken.nt", '<http://a> <http://b> <http://c> .\n<http://a> <http://b> .\n', "broken.nt:2: "),
    ("latin1.ttl", '<http://a> <http://b> "caf\xe9" .\n', "latin1.ttl:1: "),
])
def test_a_graph_file_that_does_not_parse_is_named_with_its_line(
    tmp_path: Path, name: str, content: str, where: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content.encode("latin-1"))
    with pytest.raises(GraphError) as raised:
        load_graph(path)
    assert str(raised.value).startswith(f"{path}:") and where in str(raised.value)
    assert "\n" not in str(raised.value)


def test_load_graph_reads_what_rdflib_reads_and_nesting_rdflib_cannot(tmp_path: Path) -> None:
    graph = perfect_graph()
    graph.add((ENTITY["iraq"], RDFS.comment, Literal("quoted \"text\"\nover lines", lang="fr")))
    graph.add((ENTITY["iraq"], EX["size"], Literal(3)))
    path = tmp_path / "graph.ttl"
    graph.serialize(path, format="turtle")
    assert isomorphic(load_graph(path), Graph().parse(path))
    deep = tmp_path / "deep.ttl"
    deep.write_text("@prefix : <http://x/> .\n:a :p " + "[ :p " * 100_000 + ":b" + " ]" * 100_000 + " .\n")
    assert len(load_graph(deep)) == 100_001


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

"""kg validate: SHACL against ontology/shapes.ttl; violations name the node and the shape."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from typer.testing import CliRunner

from kg.cli import app
from kg.rdflib_bridge import triples_of
from kg.validate import truth_violations, validate
from kg.vocab import KG, PREFIXES

from .sample_graph import SAMPLE_TTL, write_sample

runner = CliRunner()
KGE = PREFIXES["kge"]
KGS = PREFIXES["kgs"]
SHAPES = "https://w3id.org/kg-news/shapes#"
RDFS_LABEL = URIRef(PREFIXES["rdfs"] + "label")
RDF_TYPE = URIRef(PREFIXES["rdf"] + "type")


def _broken() -> Graph:
    """The sample with three planted faults: two labels, a class outside the tree, a statement without evidence."""
    graph = Graph().parse(data=SAMPLE_TTL, format="turtle")
    graph.add((URIRef(KGE + "iraq"), RDFS_LABEL, Literal("Republic of Iraq")))
    graph.remove((URIRef(KGE + "baghdad"), RDF_TYPE, None))
    graph.add((URIRef(KGE + "baghdad"), RDF_TYPE, URIRef(PREFIXES["schema"] + "City")))
    graph.remove((URIRef(KGS + "s3"), KG.evidenceText, None))
    return graph


def test_the_sample_conforms() -> None:
    report = validate(triples_of(Graph().parse(data=SAMPLE_TTL, format="turtle")))
    assert report.conforms and report.violations == ()


def test_violations_name_the_node_and_the_shape() -> None:
    report = validate(triples_of(_broken()))
    assert not report.conforms
    found = {(v.focus.value, v.shape.value) for v in report.violations}
    assert (KGE + "iraq", SHAPES + "EntityShape") in found
    assert (KGE + "baghdad", SHAPES + "EntityTypeShape") in found
    assert (KGS + "s3", SHAPES + "StatementShape") in found
    label = next(v for v in report.violations if v.focus.value == KGE + "iraq")
    assert label.path == ox.NamedNode(str(RDFS_LABEL)) and "exactly one" in label.message and label.constraint == "MaxCountConstraintComponent"
    assert report.focus_nodes == 3


def test_cli_validate_passes_and_fails(tmp_path: Path) -> None:
    good = write_sample(tmp_path)
    passed = runner.invoke(app, ["validate", str(good)])
    assert passed.exit_code == 0, passed.output
    assert "conforms" in passed.output
    bad = tmp_path / "broken.ttl"
    _broken().serialize(bad, format="turtle")
    failed = runner.invoke(app, ["validate", str(bad)])
    assert failed.exit_code == 1
    for name in ["kge:iraq", "kgsh:EntityShape", "kge:baghdad", "kgsh:EntityTypeShape", "kgs:s3",
                 "kgsh:StatementShape", "3 violation(s) on 3 node(s)"]:
        assert name in failed.output, name
    assert "Traceback" not in failed.output
    capped = runner.invoke(app, ["validate", str(bad), "--max", "1"])
    assert capped.exit_code == 1 and "2 not shown" in capped.output


@pytest.mark.model
def test_seed_graph_conforms(seed_graph_file: Path) -> None:
    result = runner.invoke(app, ["validate", str(seed_graph_file)])
    assert result.exit_code == 0, result.output


# --- truthfulness: a graph that never lies ------------------------------------------------------

KGA = PREFIXES["kga"]
KGM = PREFIXES["kgm"]
PROV_DERIVED = URIRef(PREFIXES["prov"] + "wasDerivedFrom")


def _checks(graph: Graph) -> set[tuple[str, str]]:
    """(focus, check) of every truthfulness violation."""
    return {(v.focus.value, v.shape.value.rsplit("#", 1)[1]) for v in truth_violations(triples_of(graph))
            if v.constraint == "Truthfulness"}


def _sample() -> Graph:
    return Graph().parse(data=SAMPLE_TTL, format="turtle")


def test_the_sample_tells_the_truth() -> None:
    assert truth_violations(triples_of(_sample())) == []


def test_an_edge_without_a_statement_is_reported() -> None:
    graph = _sample()
    graph.add((URIRef(KGE + "iraq"), KG.attacked, URIRef(KGE + "united-states")))
    assert _checks(graph) == {(KGE + "iraq", "EdgeEvidenceCheck")}


def test_a_statement_for_an_edge_the_graph_does_not_assert_is_reported() -> None:
    graph = _sample()
    graph.remove((URIRef(KGE + "baghdad"), KG.locatedIn, URIRef(KGE + "iraq")))
    assert _checks(graph) == {(KGS + "s5", "StatementEdgeCheck")}


@pytest.mark.parametrize(
    ("node", "prop", "value"),
    [
        (KGS + "s1", KG.evidenceText, "Antony Blinken met Mohammed Shia al-Sudani in Baghdad!"),  # one character off
        (KGS + "s1", KG.end, 75),  # the offset, not the quote
        (KGS + "s2", KG.start, 500),  # outside the article
        (KGM + "a1-68-75", KG.surfaceForm, "Bagdad"),  # a mention's surface form
    ],
)
def test_an_offset_that_does_not_match_its_article_is_reported(node: str, prop: URIRef, value: object) -> None:
    graph = _sample()
    graph.set((URIRef(node), prop, Literal(value)))
    assert _checks(graph) == {(node, "OffsetCheck")}


def test_an_entity_with_no_mention_is_reported() -> None:
    graph = _sample()
    graph.remove((URIRef(KGM + "a1-68-75"), None, None))  # Baghdad's only mention
    graph.add((URIRef(KGE + "iraq"), KG.mentionedIn, URIRef(KGA + "a2")))  # no mention of Iraq in a2
    assert _checks(graph) == {(KGE + "baghdad", "EntityMentionCheck"), (KGE + "iraq", "EntityMentionCheck")}


def test_a_statement_citing_an_article_absent_from_the_graph_is_reported() -> None:
    graph = _sample()
    graph.set((URIRef(KGS + "s3"), PROV_DERIVED, URIRef(KGA + "gone")))
    assert _checks(graph) == {(KGS + "s3", "CitedArticleCheck")}


def test_a_changed_article_text_breaks_its_hash_and_its_offsets() -> None:
    graph = _sample()
    text = str(graph.value(URIRef(KGA + "a2"), URIRef(PREFIXES["schema"] + "text")))
    graph.set((URIRef(KGA + "a2"), URIRef(PREFIXES["schema"] + "text"), Literal("Breaking: " + text)))
    found = _checks(graph)
    assert (KGA + "a2", "ContentHashCheck") in found and (KGS + "s3", "OffsetCheck") in found


def test_cli_validate_reports_truthfulness_like_shacl(tmp_path: Path) -> None:
    graph = _sample()
    graph.add((URIRef(KGE + "iraq"), KG.attacked, URIRef(KGE + "united-states")))
    graph.set((URIRef(KGS + "s1"), KG.evidenceText, Literal("Blinken never\nmet anyone.")))
    bad = tmp_path / "lies.ttl"
    graph.serialize(bad, format="turtle")
    failed = runner.invoke(app, ["validate", str(bad)])
    assert failed.exit_code == 1
    for text in ["kge:iraq  kgsh:EdgeEvidenceCheck  kg:attacked = kge:united-states", "kgs:s1  kgsh:OffsetCheck",
                 "[Truthfulness]", "Blinken never\\nmet anyone.", "2 violation(s) on 2 node(s)"]:
        assert text in failed.output, text
    assert runner.invoke(app, ["validate", str(bad), "--no-truth"]).exit_code == 0

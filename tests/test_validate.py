"""kg validate: SHACL against ontology/shapes.ttl; violations name the node and the shape."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from typer.testing import CliRunner

from kg.cli import app
from kg.validate import validate
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
    report = validate(Graph().parse(data=SAMPLE_TTL, format="turtle"))
    assert report.conforms and report.violations == ()


def test_violations_name_the_node_and_the_shape() -> None:
    report = validate(_broken())
    assert not report.conforms
    found = {(str(v.focus), str(v.shape)) for v in report.violations}
    assert (KGE + "iraq", SHAPES + "EntityShape") in found
    assert (KGE + "baghdad", SHAPES + "EntityTypeShape") in found
    assert (KGS + "s3", SHAPES + "StatementShape") in found
    label = next(v for v in report.violations if str(v.focus) == KGE + "iraq")
    assert label.path == RDFS_LABEL and "exactly one" in label.message and label.constraint == "MaxCountConstraintComponent"
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

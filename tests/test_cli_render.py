"""kg.cli_render: the evaluation's tables and lines, built without printing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from kg.cli_render import evaluation, evaluation_lines
from kg.evaluate import score
from kg.gold import Gold
from kg.rdflib_bridge import triples_of
from kg.vocab import KG

from .gold_files import add_node, perfect_graph, two_articles


@pytest.fixture
def gold(tmp_path: Path) -> Gold:
    return two_articles(tmp_path)


def test_evaluation_lines(gold: Gold) -> None:
    lines = evaluation_lines(score(triples_of(perfect_graph()), gold))
    assert lines == [
        "entities  P=1.000 R=1.000 F1=1.000  duplicates=0 over-merges=0 type-accuracy=1.000",
        "relations P=1.000 R=1.000 F1=1.000",
    ]


def test_render_returns_tables_and_prints_nothing(gold: Gold, capsys: pytest.CaptureFixture[str]) -> None:
    g = perfect_graph()
    g.remove((None, KG.leaderOf, None))
    add_node(g, "odd", KG.Person, "[bold]odd[/bold] name")
    renderable = evaluation(score(triples_of(g), gold), verbose=True, by_predicate=True)
    assert capsys.readouterr().out == ""
    console = Console(record=True, width=200, file=io.StringIO())
    console.print(renderable)
    text = console.export_text()
    for expected in ("Evaluation", "Relations by predicate", "total", "Missed relations",
                     "Entity false positives", "[bold]odd[/bold] name"):
        assert expected in text
    quiet = Console(record=True, width=200, file=io.StringIO())
    quiet.print(evaluation(score(triples_of(g), gold), verbose=False, by_predicate=False))
    assert "Relations by predicate" not in quiet.export_text()

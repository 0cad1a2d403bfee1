"""kg.cli_render: the evaluation's tables and lines, built without printing."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest
from rich.console import Console, Group

from kg.cli_render import MAX_FLOOR, Fitted, evaluation, evaluation_lines, result_table, shipped_table, stats_tables
from kg.engines import load
from kg.evaluate import score
from kg.gold import Gold, load_gold
from kg.query import run, shipped_queries
from kg.rdf import read_graph
from kg.rdflib_bridge import triples_of
from kg.results import table_rows
from kg.stats import compute
from kg.vocab import KG

from .conftest import GOLD as SEED_GOLD
from .gold_files import add_node, perfect_graph, two_articles
from .sample_graph import write_sample


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


# ---------------------------------------------------------------- readable at 80 columns as at 200 (issue 15)

WIDTHS = (80, 200)
ACTOR_PARAMS = {"actor-profile": {"actor": "Sudani"}, "actor-interactions": {"actor": "al-Sudani"},
                "evidence": {"subject": "Blinken"}}


def _shown(renderable: object, width: int) -> str:
    console = Console(width=width, file=io.StringIO(), color_system=None)  # as in a pipe: no terminal
    console.print(renderable)
    return console.file.getvalue()  # type: ignore[attr-defined]


def _assert_readable(text: str, width: int, cells: Iterable[str], header: Iterable[str] = ()) -> None:
    """No line wider than the screen, every column name whole, and every word of every cell whole
    (a cell wrapped letter by letter, or cut with an ellipsis, leaves pieces of words)."""
    lines = text.splitlines()
    assert max(map(len, lines)) <= width
    words = set(text.replace("│", " ").replace("┃", " ").split())
    for name in header:
        assert name in words or not name, (width, name)
    for cell in cells:
        for word in cell.split():
            if len(word) <= MAX_FLOOR:
                assert word in words, (width, word, cell)


@pytest.mark.model
@pytest.mark.parametrize("width", WIDTHS)
def test_every_shipped_query_reads_at_80_and_200_columns(seed_graph_file: Path, width: int) -> None:
    engine = load(seed_graph_file, "oxigraph")
    for shipped in shipped_queries():
        result = run(engine, shipped.text, ACTOR_PARAMS.get(shipped.name, {}), shipped)
        header, rows = table_rows(result)
        assert rows or shipped.name == "corrections", shipped.name  # the seeds are built without corrections
        text = _shown(result_table(result, "oxigraph"), width)
        filled = [name for i, name in enumerate(header) if any(row[i] for row in rows)]  # records omit empty cells
        _assert_readable(text, width, [cell for row in rows for cell in row], filled)
    listed = list(shipped_queries())
    _assert_readable(_shown(shipped_table(listed), width), width, [q.description for q in listed])


@pytest.mark.model
@pytest.mark.parametrize("width", WIDTHS)
def test_eval_and_stats_read_at_80_and_200_columns(seed_graph_file: Path, width: int) -> None:
    triples = read_graph(seed_graph_file)
    report = score(triples, load_gold(SEED_GOLD))
    text = _shown(evaluation(report, verbose=True, by_predicate=True), width)
    _assert_readable(text, width, ["entities relations type accuracy over-merges duplicates"],
                     ["entities", "relations", "predicate"])
    _assert_readable(text, width, [cell for miss in report.relation_misses for cell in miss])
    stats = compute(triples)
    shown = _shown(Group(*stats_tables(stats)), width)
    _assert_readable(shown, width, [c.label for c in stats.central] + [c.cls for c in stats.central]
                     + [", ".join(m) for m in stats.communities], ["actor", "class", "degree", "PageRank"])


def test_a_table_that_cannot_fit_becomes_records_and_one_that_can_stays_a_table() -> None:
    wide = Fitted(["a", "b", "c", "d", "e"], [["word " * 8 + "longestword"] * 5], caption="1 row")
    assert wide.widths(200) is not None and wide.widths(40) is None
    records = _shown(wide, 40)
    assert records.splitlines()[0] == "-- 1 --" and "1 row" in records
    assert [line.split()[0] for line in records.splitlines() if line and not line.startswith(" ")][1:6] == \
        ["a", "b", "c", "d", "e"]
    # a long column is cut to the level the others leave it; a short one keeps all it needs
    table = Fitted(["name", "sentence"], [["Iraq", "a long sentence " * 20]])
    assert table.widths(80) == [4, 80 - 7 - 4]


def test_pipes_get_the_same_fitted_tables_from_the_real_cli(tmp_path: Path) -> None:
    graph = write_sample(tmp_path)
    for width in WIDTHS:
        shown = subprocess.run(
            [sys.executable, "-m", "kg", "query", str(graph), "evidence"], capture_output=True, text=True, check=True,
            env={**os.environ, "COLUMNS": str(width), "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
        ).stdout
        _assert_readable(shown, width, ["Antony Blinken met Mohammed Shia al-Sudani in Baghdad."],
                         ["subject", "predicate", "object", "evidence"])

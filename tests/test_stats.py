"""kg stats: counts, centrality, communities, articles and dates."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.rdf import read_graph
from kg.stats import compute, pagerank
from kg.vocab import PREFIXES

from .sample_graph import write_sample

runner = CliRunner()
KGE = PREFIXES["kge"]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sample(tmp_path_factory.mktemp("sample"))


def test_counts_articles_and_dates(sample: Path) -> None:
    stats = compute(read_graph(sample))
    classes = dict(stats.classes)
    assert classes[PREFIXES["kg"] + "Statement"] == 5
    assert classes[PREFIXES["kg"] + "Person"] == 2
    assert dict(stats.predicates)[PREFIXES["kg"] + "attacked"] == 1
    assert (stats.actors, stats.relations, stats.articles, stats.publishers) == (6, 4, 2, 2)
    assert (stats.first_date, stats.last_date) == ("2024-01-05", "2024-01-05")
    assert stats.triples == len(read_graph(sample))


def test_central_actors_and_communities(sample: Path) -> None:
    stats = compute(read_graph(sample), top=3)
    assert len(stats.central) == 3
    iraq = next(c for c in compute(read_graph(sample), top=10).central if c.node == KGE + "iraq")
    assert iraq.degree == 2  # al-Sudani leads it, Baghdad is in it
    # Sudani lies on the only path between Blinken and Iraq
    sudani = next(c for c in compute(read_graph(sample), top=10).central if c.node == KGE + "mohammed-shia-al-sudani")
    assert sudani.betweenness > 0
    members = {label for community in stats.communities for label in community}
    assert {"Islamic Resistance in Iraq", "United States"} in [set(c) for c in stats.communities]
    assert "Iraq" in members


def test_pagerank_agrees_with_the_definition() -> None:
    cycle = nx.DiGraph([(1, 2), (2, 3), (3, 1)])
    assert all(abs(v - 1 / 3) < 1e-9 for v in pagerank(cycle).values())
    star = nx.DiGraph([(leaf, 0) for leaf in range(1, 5)])
    ranks = pagerank(star)
    assert abs(sum(ranks.values()) - 1) < 1e-9
    assert ranks[0] > ranks[1] == pytest.approx(ranks[4])
    assert ranks[0] == pytest.approx(0.5238095, abs=1e-6)  # networkx's value for this graph


def test_pagerank_matches_networkx_reference() -> None:
    reference = pytest.importorskip("networkx.algorithms.link_analysis.pagerank_alg")._pagerank_python
    graph = nx.gnp_random_graph(40, 0.08, seed=3, directed=True)
    for i, (u, v) in enumerate(graph.edges):
        graph[u][v]["weight"] = 1 + i % 3
    ours, theirs = pagerank(graph), reference(graph, tol=1e-12, max_iter=500)
    assert max(abs(ours[n] - theirs[n]) for n in graph) < 1e-6


def test_cli_stats(sample: Path) -> None:
    table = runner.invoke(app, ["stats", str(sample)])
    assert table.exit_code == 0, table.output
    for text in ["2 articles", "2024-01-05", "PageRank", "Mohammed Shia al-Sudani", "kg:Statement"]:
        assert text in table.output, text
    data = json.loads(runner.invoke(app, ["stats", str(sample), "--json", "--top", "2"]).stdout)
    assert data["articles"] == 2 and len(data["central"]) == 2


def test_stats_tables_never_pass_graph_text_to_the_terminal(sample: Path, tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.ttl"
    hostile.write_text(sample.read_text().replace(
        'rdfs:label "Antony Blinken"', 'rdfs:label "Antony \\u001B]0;pwned\\u0007\\u001B[2JBlinken\\u202E"'))
    result = runner.invoke(app, ["stats", str(hostile)])
    assert result.exit_code == 0, result.output
    assert "pwned" in result.output and not any(c in result.output for c in "\x1b\x07\u202e")
    as_json = runner.invoke(app, ["stats", str(hostile), "--json"])  # to a pipe: the data, exactly
    assert "Antony \x1b]0;pwned\x07\x1b[2JBlinken\u202e" in {c["label"] for c in json.loads(as_json.stdout)["central"]}

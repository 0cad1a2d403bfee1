"""The summary graph: counted right, written into the stores kg builds, computed for graph files, and seen by
no reader of the graph but the queries (graph.ttl, read_graph, exports and statistics never include it)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.engines import load
from kg.outputs import write_store
from kg.query_check import prepare
from kg.rdf import read_graph
from kg.summary import SUMMARY, SUMMARY_GRAPH, summarize, summarized, summary_quads
from kg.vocab import PREFIXES

from .sample_graph import write_sample

runner = CliRunner()
KG, KGE = PREFIXES["kg"], PREFIXES["kge"]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sample(tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="module")
def store(sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("store") / "store"
    write_store(path, read_graph(sample))
    return path


def _summary(path: Path) -> ox.Store:
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
    summarize(store)
    return store


def _one(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    answer = store.query("PREFIX sum: <" + SUMMARY + ">\n" + query, prefixes=PREFIXES)
    assert isinstance(answer, ox.QuerySolutions)
    return sorted(tuple("" if term is None else term.value for term in row) for row in answer)


def test_counts_on_the_sample(sample: Path) -> None:
    store = _summary(sample)
    assert summarized(store)
    named = _one(store, "SELECT ?a ?n WHERE { GRAPH sum: { ?a sum:namedIn ?n } }")
    assert (KGE + "mohammed-shia-al-sudani", "2") in named and (KGE + "antony-blinken", "1") in named
    mentions = _one(store, "SELECT ?a ?m ?n WHERE { GRAPH sum: { ?a sum:mentions ?m ; sum:mentionArticles ?n } }")
    assert (KGE + "united-states", "2", "2") in mentions and (KGE + "iraq", "1", "1") in mentions
    edges = _one(store, "SELECT ?s ?p ?o ?n ?first ?last WHERE { GRAPH sum: { ?e a sum:Edge ; sum:subject ?s ; "
                        "sum:predicate ?p ; sum:object ?o ; sum:statements ?n OPTIONAL { ?e sum:first ?first ; "
                        "sum:last ?last } } }")
    # two statements, one undated: the dates are the dated one's
    assert (KGE + "islamic-resistance-in-iraq", KG + "attacked", KGE + "united-states", "2", "2024-01-05",
            "2024-01-05") in edges
    assert len(edges) == 4  # every direct edge of the sample, each once
    roles = _one(store, "SELECT ?s ?role ?n WHERE { GRAPH sum: { ?r a sum:Role ; sum:subject ?s ; sum:statements ?n "
                        "OPTIONAL { ?r sum:role ?role } } }")
    assert roles == [(KGE + "mohammed-shia-al-sudani", "prime minister", "1")]
    # the listings' rows are ranked 0, 1, ...: here, the two articles
    ranks = _one(store, "SELECT ?rank WHERE { GRAPH sum: { ?row sum:articles ?rank } }")
    assert ranks == [("0",), ("1",)]


def test_summaries_are_replaced_not_added_to(sample: Path) -> None:
    store = _summary(sample)
    count = len(summary_quads(store))
    summarize(store)
    assert len(summary_quads(store)) == count


def test_a_store_kg_writes_holds_its_summaries_and_only_readers_of_queries_see_them(sample: Path, store: Path) -> None:
    opened = ox.Store.read_only(str(store))
    assert summarized(opened) and SUMMARY_GRAPH in set(opened.named_graphs())
    del opened
    # every other reader reads the graph itself: the same triples as the file, nothing of the summaries
    assert read_graph(store) == read_graph(sample)
    for command in (["export", str(store), "-f", "ntriples"], ["stats", str(store)]):
        from_store, from_file = (runner.invoke(app, [*command[:1], str(path), *command[2:]]) for path in (store, sample))
        assert from_store.exit_code == 0 and from_store.stdout == from_file.stdout, command
        assert SUMMARY not in from_store.stdout


def test_the_default_graph_of_a_query_is_the_graph_alone_on_both_engines(sample: Path, store: Path) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    expected = len(read_graph(sample))
    for engine in (load(sample, "oxigraph"), load(sample, "rdflib"), load(store)):
        assert engine.summarized  # type: ignore[union-attr]
        result = engine.run(prepare(count))
        assert result.rows[0][0] is not None and int(result.rows[0][0].value) == expected


def test_a_store_without_summaries_is_answered_by_the_plain_queries(sample: Path, tmp_path: Path) -> None:
    bare = ox.Store(str(tmp_path / "bare"))
    bare.bulk_load(path=str(sample), format=ox.RdfFormat.TURTLE)
    bare.flush()
    del bare
    engine = load(tmp_path / "bare")
    assert not engine.summarized  # type: ignore[union-attr]
    for path in (sample, tmp_path / "bare"):
        result = runner.invoke(app, ["query", str(path), "attacks", "-f", "csv"])
        assert result.exit_code == 0 and "Islamic Resistance in Iraq,United States,2" in result.stdout

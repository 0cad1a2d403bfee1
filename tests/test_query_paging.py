"""kg query pages: the shipped queries read the summary graph, give the rows the queries before it gave, and
page (--limit, --offset) through one total order, on both engines, on files, stores and stores without summaries."""

from __future__ import annotations

import random
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.engines import ENGINES, Result, load
from kg.outputs import write_store
from kg.query import DEFAULT_PAGE, resolve_query, run, shipped_queries, shipped_text
from kg.rdf import read_graph
from kg.summary import LISTINGS, SUMMARY

from .sample_graph import SAMPLE_TTL

runner = CliRunner()
PARAMS = {
    "actor-profile": {"actor": "kge:mohammed-shia-al-sudani"},
    "actor-interactions": {"actor": "kge:mohammed-shia-al-sudani"},
}
NO_ROWS = {"corrections"}  # the graph holds no correction
BEFORE = Path(__file__).parent / "queries_before"  # the shipped queries before the summary graph or a rewrite for speed


def _listings_ttl(seed: int = 7) -> str:
    """Events, meetings and claims enough for several pages, with ties in every sort key but the last."""
    rng = random.Random(seed)
    actors = ["antony-blinken", "mohammed-shia-al-sudani", "iraq", "united-states", "islamic-resistance-in-iraq"]
    lines = []
    for i in range(3, 17):  # articles with the same dates and headlines, and no date
        date = rng.choice(["", ' ; schema:datePublished "2024-01-05"^^xsd:date'])
        lines.append(f"kga:a{i} a schema:NewsArticle ; schema:headline \"{rng.choice(['Talks', 'Strikes'])}\" ; "
                     f"schema:publisher \"{rng.choice(['Rudaw', 'Reuters'])}\" ; kg:origin \"a{i}.txt\"{date} .")
        for copy in range(i % 3):  # other publications of the text: with and without outlet, URL, date
            parts = [f"kga:a{i} schema:publication kga:a{i}-{copy}",
                     f"kga:a{i}-{copy} a schema:PublicationEvent ; kg:origin \"wire-{copy}.jsonl:{i}\""]
            if copy:
                parts.append(f"kga:a{i}-{copy} schema:publisher \"Reuters\" ; "
                             f"schema:url \"https://example.org/{i}\"^^xsd:anyURI")
            if rng.random() < 0.5:
                parts.append(f"kga:a{i}-{copy} schema:datePublished \"2024-01-0{copy + 4}\"^^xsd:date")
            lines.append(" .\n".join(parts) + " .")
        if i % 2:  # an attack no event of the sentence reports
            a, b = rng.sample(actors, 2)
            when = ' ; kg:time "2024-01"' if i % 3 else ""
            lines.append(f"kgs:x{i:02d} a kg:Statement ; rdf:subject kge:{a} ; rdf:predicate kg:attacked ; "
                         f"rdf:object kge:{b} ; prov:wasDerivedFrom kga:a{i} ; kg:start 0 ; "
                         f"kg:evidenceText \"Attack {i}.\"{when} .")
    for i in range(40):
        article = rng.choice(["a1", "a2"])
        day = rng.choice(["", "2024-01-02", "2024-01-03", "2024-02"])  # undated, two days, a month
        cls, plover = rng.choice([("kg:Assault", "ASSAULT"), ("kg:Consult", "CONSULT"), ("kg:Threaten", "THREATEN")])
        a, b = rng.sample(actors, 2)
        parts = [f"kgev:e{i:02d} a kg:Event, {cls} ; kg:ploverType \"{plover}\" ; prov:wasDerivedFrom kga:{article}",
                 f"kg:evidenceText \"Sentence {i % 7}.\" ; kg:anchorText \"{rng.choice(['met', 'struck', 'warned'])}\"",
                 f"schema:name \"{rng.choice(['strike', 'talks', 'warning'])}\""]
        if i % 3 == 0:
            parts.append(f"kg:participant kge:{a}, kge:{b}")
        else:
            parts.append(f"kg:actor kge:{a} ; kg:target kge:{b}")
        if day:
            parts.append(f"kg:time \"{day}\"" + (" ; kg:timeText \"on that day\"" if i % 2 else ""))
        if article == "a1":
            parts.append("kg:articleDate \"2024-01-05\"^^xsd:date")
        if i % 4 == 0:
            parts.append(f"kg:place kge:{rng.choice(['baghdad', 'iraq'])}")
        if i % 5 == 0:
            parts.append(f"kg:fatalities {rng.randint(1, 3)}")
        if i % 3:  # a statement of the sentence, said of the two parties: attack, consulted or none
            parts.append(f"kg:start {i}")
            predicate = {"kg:Assault": "attacked", "kg:Consult": "consulted"}.get(cls)
            if predicate:
                when = f" ; kg:time \"{day}\"" if day and i % 4 else ""
                lines.append(f"kgs:t{i:02d} a kg:Statement ; rdf:subject kge:{a} ; rdf:predicate kg:{predicate} ; "
                             f"rdf:object kge:{b} ; prov:wasDerivedFrom kga:{article} ; kg:start {i} ; "
                             f"kg:evidenceText \"Sentence {i}.\"{when} .")
        lines.append(" ;\n    ".join(parts) + " .")
    for i in range(30):
        parts = [f"kgc:c{i:02d} a kg:Claim ; kg:measure \"{rng.choice(['attacks', 'troops'])}\" ; "
                 f"kg:value {rng.choice([10, 20, 20, 102])} ; prov:wasDerivedFrom kga:{rng.choice(['a1', 'a2'])}",
                 f"kg:anchorText \"figure {i % 4}\""]
        if i % 2:
            parts.append(f"kg:about kge:{rng.choice(actors)}")
        if i % 3:
            parts.append("kg:place kge:iraq" + (", kge:baghdad" if i % 6 == 1 else ""))
        if i % 4 == 1:
            parts.append("kg:approximation \"at least\" ; kg:reportedBy kge:united-states")
        lines.append(" ;\n    ".join(parts) + " .")
    prefixes = ("@prefix kgev: <https://w3id.org/kg-news/id/event/> .\n"
                "@prefix kgc: <https://w3id.org/kg-news/id/claim/> .\n")
    return prefixes + SAMPLE_TTL + "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def graphs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same graph as a Turtle file, a store kg wrote (with summaries) and a store without them."""
    folder = tmp_path_factory.mktemp("listings")
    ttl = folder / "graph.ttl"
    ttl.write_text(_listings_ttl(), encoding="utf-8")
    write_store(folder / "store", read_graph(ttl))
    bare = ox.Store(str(folder / "bare"))  # as a store of an earlier kg: no summary graph
    bare.bulk_load(path=str(ttl), format=ox.RdfFormat.TURTLE)
    bare.flush()
    del bare
    return {"file": ttl, "store": folder / "store", "bare": folder / "bare"}


@pytest.fixture(scope="module")
def engines(graphs: dict[str, Path]) -> dict[str, object]:
    found: dict[str, object] = {f"file-{name}": load(graphs["file"], name) for name in ENGINES}
    found.update(store=load(graphs["store"]), bare=load(graphs["bare"]))
    return found


def _rows(engine: object, name: str, **page: int) -> Result:
    text, shipped = resolve_query(name)
    return run(engine, text, PARAMS.get(name, {}), shipped, **page)  # type: ignore[arg-type]


def test_every_query_reading_the_summaries_has_a_plain_twin() -> None:
    for query in shipped_queries():
        assert (SUMMARY in query.text) == (query.plain is not None), query.name
        assert query.plain is None or SUMMARY not in query.plain, query.name
    assert set(LISTINGS) <= {query.name for query in shipped_queries() if query.plain}


def test_the_graph_has_pages_to_turn(engines: dict[str, object]) -> None:
    for name in LISTINGS:
        assert len(_rows(engines["store"], name).rows) > 10, name


@pytest.mark.parametrize("name", sorted(q.name for q in shipped_queries()))
def test_every_shipped_query_gives_the_same_rows_everywhere(engines: dict[str, object], name: str) -> None:
    results = {where: _rows(engine, name) for where, engine in engines.items()}
    first = results.pop("store")
    assert bool(first.rows) != (name in NO_ROWS) and all(result == first for result in results.values()), name


# The columns the queries before ordered their rows by (the rest were ties, now ordered too).
OLD_ORDER = {
    "actor-interactions": ("aspect", "relation", "other", "detail"),
    "actors-by-type": ("top", "class", "label", "actor"), "articles": ("date", "headline", "article"),
    "attacks": ("evidence", "attacker", "target"), "claims": ("measure", "about", "places", "value", "date", "publisher"),
    "meetings": ("date", "actor", "other"), "most-mentioned": ("mentions", "articles", "label"),
    "roles": ("group", "relation", "member", "role"), "timeline": ("date", "type", "what"),
}


@pytest.mark.parametrize("name", sorted(path.stem for path in BEFORE.glob("*.rq")))
def test_rows_equal_the_query_before_the_summaries(engines: dict[str, object], name: str) -> None:
    before = (BEFORE / f"{name}.rq").read_text(encoding="utf-8")
    for where, engine in engines.items():
        new, old = _rows(engine, name), run(engine, before, PARAMS.get(name, {}))  # type: ignore[arg-type]
        assert new.variables == old.variables and sorted(map(repr, new.rows)) == sorted(map(repr, old.rows)), where
        keys = [new.variables.index(column) for column in OLD_ORDER[name]]
        assert [[row[i] for i in keys] for row in new.rows] == [[row[i] for i in keys] for row in old.rows], where


@pytest.mark.parametrize("name", [*LISTINGS, "attacks", "actors-by-type"])
def test_pages_are_slices_of_one_total_order(engines: dict[str, object], name: str) -> None:
    for where, engine in engines.items():
        whole = _rows(engine, name).rows
        pages = [_rows(engine, name, offset=offset, limit=7) for offset in range(0, len(whole) + 7, 7)]
        assert [row for page in pages for row in page.rows] == list(whole), (name, where)
        assert [page.truncated for page in pages] == [offset + 7 < len(whole) for offset in range(0, len(whole) + 7, 7)]
        assert _rows(engine, name, offset=3).rows == whole[3:], (name, where)


@pytest.mark.parametrize("name", LISTINGS)
def test_a_ranked_listing_reads_only_its_page(engines: dict[str, object], name: str) -> None:
    _, shipped = resolve_query(name)
    assert shipped is not None and shipped.plain is not None
    text, skip = shipped_text(shipped, engines["store"], offset=20, limit=5)
    assert "FILTER(?rank >= 20 && ?rank < 26)" in text and skip == 0
    assert shipped_text(shipped, engines["bare"], offset=20, limit=5) == (shipped.plain, 20)
    assert shipped_text(shipped, object(), offset=20, limit=5) == (shipped.plain, 20)  # an endpoint


def test_cli_pages_and_says_where_the_next_page_starts(graphs: dict[str, Path]) -> None:
    for graph in (graphs["file"], graphs["store"]):
        whole = runner.invoke(app, ["query", str(graph), "timeline", "-f", "csv", "--limit", "0"])
        assert whole.exit_code == 0 and "truncated" not in whole.stderr
        lines = whole.stdout.splitlines()
        second = runner.invoke(app, ["query", str(graph), "timeline", "-f", "csv", "--limit", "10", "--offset", "10"])
        assert second.exit_code == 0, second.output
        assert second.stdout.splitlines() == [lines[0], *lines[11:21]]
        assert "rows 11 to 20 only" in second.stderr and "--offset 20 for the next page" in second.stderr
    help_text = runner.invoke(app, ["query", "--help"]).output
    assert "--offset" in help_text and f"default: {DEFAULT_PAGE}" in help_text


@pytest.mark.model
def test_seed_rows_of_every_summarised_query_equal_its_plain_twins(seed_graph_file: Path, tmp_path: Path) -> None:
    write_store(tmp_path / "store", read_graph(seed_graph_file))
    for engine in (load(seed_graph_file, "oxigraph"), load(seed_graph_file, "rdflib"), load(tmp_path / "store")):
        for query in shipped_queries():
            if query.plain is not None:
                new = _rows(engine, query.name)
                assert new.rows == run(engine, query.plain, PARAMS.get(query.name, {})).rows, query.name  # type: ignore[arg-type]
                assert new.rows or query.name in NO_ROWS, query.name


@pytest.mark.model
def test_seed_rows_equal_the_queries_before_the_summaries(seed_graph_file: Path, tmp_path: Path) -> None:
    write_store(tmp_path / "store", read_graph(seed_graph_file))
    for engine in (load(seed_graph_file, "oxigraph"), load(seed_graph_file, "rdflib"), load(tmp_path / "store")):
        for path in sorted(BEFORE.glob("*.rq")):
            new = _rows(engine, path.stem).rows
            old = run(engine, path.read_text(encoding="utf-8"), PARAMS.get(path.stem, {})).rows  # type: ignore[arg-type]
            assert new == old, path.stem

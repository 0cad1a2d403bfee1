"""kg export: every format re-read by an independent reader, every triple and edge kept, stable bytes."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import networkx as nx
import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from kg.cli import app
from kg.export import EXPORT_FORMATS, article_quads, export_files, network_looks
from kg.network import project, to_networkx
from kg.outputs import write_store
from kg.rdf import Triple, read_graph
from kg.rdflib_bridge import triples_of
from kg.turtle import turtle_bytes, write_turtle
from kg.viz_select import view_of
from kg.viz_style import OTHER_STYLE, looks
from kg.vocab import ARTICLE, ENTITY, KG, PREFIXES, RELATION_PREDICATES, SCHEMA, STATEMENT

from .sample_graph import write_sample
from .viz_graph import article, edge, view_graph

runner = CliRunner()
# rdflib's own parsers still call its deprecated ConjunctiveGraph API
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib.*")
RDF_FORMATS = {  # our format -> (rdflib parser, pyoxigraph format, named graphs?)
    "turtle": ("turtle", ox.RdfFormat.TURTLE, False),
    "ntriples": ("nt", ox.RdfFormat.N_TRIPLES, False),
    "nquads": ("nquads", ox.RdfFormat.N_QUADS, True),
    "trig": ("trig", ox.RdfFormat.TRIG, True),
    "jsonld": ("json-ld", ox.RdfFormat.JSON_LD, False),
}
KGA = PREFIXES["kga"]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sample(tmp_path_factory.mktemp("sample"))


def _rdflib_reread(data: bytes, parser: str) -> Graph:
    dataset = Dataset()
    dataset.parse(data=data, format=parser)
    merged = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        merged.add((s, p, o))
    return merged


def _oxigraph_reread(data: bytes, fmt: ox.RdfFormat) -> set[tuple[str, str, str]]:
    return {(str(q.subject), str(q.predicate), str(q.object)) for q in ox.parse(data, format=fmt)}


def _keys(triples: list[Triple]) -> set[tuple[str, str, str]]:
    return {(str(s), str(p), str(o)) for s, p, o in triples}


def _round_trips(path: Path) -> None:
    triples = read_graph(path)
    original = Graph().parse(path)
    for fmt, (parser, ox_format, _) in RDF_FORMATS.items():
        data = export_files(triples, fmt)
        assert len(data) == 1
        payload = next(iter(data.values()))
        assert isomorphic(_rdflib_reread(payload, parser), original), f"rdflib re-read of {fmt}"
        assert _oxigraph_reread(payload, ox_format) == _keys(triples), f"pyoxigraph re-read of {fmt}"


def test_rdf_formats_round_trip_every_triple(sample: Path) -> None:
    _round_trips(sample)


def test_quad_formats_have_one_named_graph_per_article(sample: Path) -> None:
    triples = read_graph(sample)
    quads = article_quads(triples)
    graphs = {str(q.graph_name) for q in quads}
    assert graphs == {"DEFAULT", f"<{KGA}a1>", f"<{KGA}a2>"}

    def graph_of(subject: str, predicate: str) -> set[str]:
        return {
            str(q.graph_name) for q in quads
            if q.subject.value.endswith(subject) and q.predicate.value.endswith(predicate)
        }

    assert graph_of("statement/s3", "evidenceText") == {f"<{KGA}a2>"}
    assert graph_of("mention/a1-22-36", "surfaceForm") == {f"<{KGA}a1>"}
    # an edge seen in two articles is in both graphs; entity descriptions stay in the default graph
    assert graph_of("islamic-resistance-in-iraq", "#attacked") == {f"<{KGA}a1>", f"<{KGA}a2>"}
    assert graph_of("entity/iraq", "label") == {"DEFAULT"}
    assert graph_of("article/a2", "headline") == {f"<{KGA}a2>"}
    trig = export_files(triples, "trig")["graph.trig"]
    dataset = Dataset()
    dataset.parse(data=trig, format="trig")
    assert {str(g.identifier) for g in dataset.graphs() if len(g)} >= {KGA + "a1", KGA + "a2"}


def test_jsonld_has_a_context() -> None:
    triples = sorted(set(triples_of(Graph().parse(data=_tiny(), format="turtle"))), key=str)
    document = json.loads(export_files(triples, "jsonld")["graph.jsonld"])
    assert document["@context"]["kge"] == PREFIXES["kge"]
    node = next(n for n in document["@graph"] if n["@id"] == "kge:iraq")
    assert node["@type"] == "kg:Country" and node["rdfs:label"] == "Iraq"


def _tiny() -> str:
    return (
        "@prefix kg: <https://w3id.org/kg-news/ontology#> . @prefix kge: <https://w3id.org/kg-news/id/entity/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        'kge:iraq a kg:Country ; rdfs:label "Iraq" .\n'
    )


def test_exports_are_deterministic(sample: Path, tmp_path: Path) -> None:
    triples = read_graph(sample)
    shuffled = tmp_path / "shuffled.nt"  # the same graph, triples in another order, another syntax
    shuffled.write_bytes(ox.serialize([ox.Triple(*t) for t in reversed(triples)], format=ox.RdfFormat.N_TRIPLES))
    for fmt in EXPORT_FORMATS:
        assert export_files(triples, fmt) == export_files(read_graph(shuffled), fmt), fmt
    # Turtle from a file equals the Turtle `kg build` writes for the same graph.
    assert export_files(triples, "turtle")["graph.ttl"] == turtle_bytes(triples_of(Graph().parse(sample)))


def _check_network(reread: nx.Graph, network: nx.MultiDiGraph) -> None:
    assert set(reread.nodes) == set(network.nodes)
    assert reread.number_of_edges() == network.number_of_edges()
    for node, data in network.nodes(data=True):
        assert reread.nodes[node]["label"] == data["label"]
    edges = {(s, o, d["predicate"], int(d["evidence"])) for s, o, d in reread.edges(data=True)}
    assert edges == {(s, o, d["predicate"], d["evidence"]) for s, o, d in network.edges(data=True)}


def test_graphml_and_gexf_are_read_back_by_networkx(sample: Path) -> None:
    triples = read_graph(sample)
    network = to_networkx(project(triples))
    assert network.number_of_nodes() == 6
    assert {d["predicate"] for _, _, d in network.edges(data=True)} <= set(RELATION_PREDICATES)
    graphml = nx.read_graphml(io.BytesIO(export_files(triples, "graphml")["actors.graphml"]))
    _check_network(graphml, network)
    node = graphml.nodes[PREFIXES["kge"] + "mohammed-shia-al-sudani"]
    assert (node["cls"], node["top"], node["articles"]) == ("Person", "Person", 2)
    gexf_bytes = export_files(triples, "gexf")["actors.gexf"]
    assert b'lastmodifieddate="2024-01-05"' in gexf_bytes  # the latest article date, not today's
    _check_network(nx.read_gexf(io.BytesIO(gexf_bytes)), network)
    attacked = [d for s, o, d in network.edges(data=True) if d["predicate"] == "attacked"]
    assert attacked == [{
        "predicate": "attacked", "label": "attacked", "evidence": 2, "symmetric": False,
        "first": "2024-01-05", "last": "2024-01-05",
    }]


def test_csv_nodes_and_edges(sample: Path) -> None:
    files = export_files(read_graph(sample), "csv")
    nodes = list(csv.DictReader(io.StringIO(files["nodes.csv"].decode())))
    edges = list(csv.DictReader(io.StringIO(files["edges.csv"].decode())))
    assert len(nodes) == 6 and {"id", "label", "class", "top", "articles"} == set(nodes[0])
    assert {(e["predicate"], e["evidence"], e["symmetric"]) for e in edges} == {
        ("consulted", "1", "true"), ("attacked", "2", "false"), ("leaderOf", "1", "false"), ("locatedIn", "1", "false"),
    }
    attack = next(e for e in edges if e["predicate"] == "attacked")
    assert (attack["source_label"], attack["target_label"]) == ("Islamic Resistance in Iraq", "United States")
    assert (attack["first"], attack["last"]) == ("2024-01-05", "2024-01-05")
    assert attack["sentence"] and attack["sentence"] in files["edges.csv"].decode()


def _dated_graph(tmp_path: Path) -> Path:
    """The view's test graph with article addresses, an event date and an edge whose evidence has no date."""
    graph = view_graph()
    graph.add((ARTICLE["a1"], SCHEMA.url, Literal("https://news.example/a1")))
    graph.add((ARTICLE["a2"], SCHEMA.url, Literal("javascript:window.__xss=1")))
    graph.add((STATEMENT["s5"], KG.time, Literal(date(2024, 1, 20))))
    article(graph, "a3", "Undated", None, None)
    edge(graph, "s7", ENTITY["iraq"], "cooperatedWith", ENTITY["united-states"], "a3", "Iraq and the US cooperated.")
    path = tmp_path / "dated.ttl"
    graph.serialize(path, format="turtle")
    return path


def test_gexf_carries_the_views_colours_sizes_positions_and_the_evidence_dates_as_spells(tmp_path: Path) -> None:
    triples = read_graph(_dated_graph(tmp_path))
    data = export_files(triples, "gexf")["actors.gexf"]
    root = ElementTree.fromstring(data)
    ns = {"g": "http://gexf.net/1.3", "viz": "http://gexf.net/1.3/viz"}
    assert root.get("version") == "1.3"
    graph = root.find("g:graph", ns)
    assert graph is not None and (graph.get("mode"), graph.get("timeformat")) == ("dynamic", "date")
    drawn = looks(view_of(project(triples)))
    nodes = graph.findall("g:nodes/g:node", ns)
    assert {n.get("id") for n in nodes} == set(drawn)
    for node in nodes:
        look = drawn[node.get("id", "")]
        colour, size, position = (node.find(f"viz:{tag}", ns) for tag in ("color", "size", "position"))
        assert colour is not None and size is not None and position is not None
        assert "#{:02x}{:02x}{:02x}".format(*(int(colour.get(c, "")) for c in "rgb")) == look.colour
        assert float(size.get("value", "")) == look.size
        assert (float(position.get("x", "")), -float(position.get("y", ""))) == (look.x, look.y)  # Gephi's y is up
    spells = {}
    for element in graph.findall("g:edges/g:edge", ns):
        spells[element.get("label")] = [(s.get("start"), s.get("end")) for s in element.findall("g:spells/g:spell", ns)]
    # Article dates (a1 2024-02-14, a2 2024-03-03) and the attack's own date; undated evidence: no spell.
    assert spells["attacked"] == [("2024-01-20", "2024-01-20"), ("2024-02-14", "2024-02-14"), ("2024-03-03", "2024-03-03")]
    assert spells["cooperatedWith"] == []
    reread = nx.read_gexf(io.BytesIO(data), version="1.3")
    node = reread.nodes[str(ENTITY["iraq"])]
    assert node["viz"]["size"] == drawn[str(ENTITY["iraq"])].size and "position" in node["viz"]
    attack = next(d for _, _, d in reread.edges(data=True) if d["predicate"] == "attacked")
    assert attack["spells"][0] == ("2024-01-20", "2024-01-20") and attack["first"] == "2024-01-20"
    csv_edges = list(csv.DictReader(io.StringIO(export_files(triples, "csv")["edges.csv"].decode())))
    urls = {e["predicate"]: e["url"] for e in csv_edges}
    assert urls["leaderOf"] == "https://news.example/a1" and urls["attacked"] == ""  # newest is a2's: javascript:


def test_cli_export(sample: Path, tmp_path: Path) -> None:
    to_stdout = runner.invoke(app, ["export", str(sample), "-f", "ntriples"])
    assert to_stdout.exit_code == 0, to_stdout.output
    assert len(Graph().parse(data=to_stdout.stdout_bytes, format="nt")) == len(read_graph(sample))
    target = tmp_path / "g.trig"
    to_file = runner.invoke(app, ["export", str(sample), "-f", "trig", "-o", str(target)])
    assert to_file.exit_code == 0 and target.read_bytes() == export_files(read_graph(sample), "trig")["graph.trig"]
    folder = tmp_path / "network"
    tables = runner.invoke(app, ["export", str(sample), "-f", "csv", "-o", str(folder)])
    assert tables.exit_code == 0 and (folder / "nodes.csv").is_file() and (folder / "edges.csv").is_file()
    no_dir = runner.invoke(app, ["export", str(sample), "-f", "csv"])
    assert no_dir.exit_code == 2 and "--output" in no_dir.output
    missing = runner.invoke(app, ["export", str(tmp_path / "nope.ttl")])
    assert missing.exit_code == 1 and "nope.ttl" in missing.output and "Traceback" not in missing.output


@pytest.mark.model
def test_seed_graph_round_trips_in_every_format(seed_graph_file: Path) -> None:
    _round_trips(seed_graph_file)
    triples = read_graph(seed_graph_file)
    network = to_networkx(project(triples))
    _check_network(nx.read_graphml(io.BytesIO(export_files(triples, "graphml")["actors.graphml"])), network)
    _check_network(nx.read_gexf(io.BytesIO(export_files(triples, "gexf")["actors.gexf"])), network)
    articles = {s for s, _, o in triples if o == ox.NamedNode(PREFIXES["schema"] + "NewsArticle")}
    graphs = {q.graph_name for q in article_quads(triples)} - {ox.DefaultGraph()}
    assert graphs == articles


def test_turtle_written_through_spilled_runs_equals_the_sorted_turtle(sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    triples = read_graph(sample)
    repeated = triples * 2  # repeats across runs are dropped
    monkeypatch.setattr("kg.turtle.RUN_LINES", 7)  # many runs, merged from their files
    count = write_turtle(tmp_path / "graph.ttl", repeated)
    assert count == len(triples)
    assert (tmp_path / "graph.ttl").read_bytes() == turtle_bytes(repeated)
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]  # no scratch file left


def test_store_loaded_in_chunks_holds_every_triple(sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    triples = read_graph(sample)
    monkeypatch.setattr("kg.store.STORE_CHUNK", 5)
    write_store(tmp_path / "store", iter(triples))
    store = ox.Store(str(tmp_path / "store"))
    graph = store.quads_for_pattern(None, None, None, ox.DefaultGraph())  # the summary graph beside it aside
    assert {(str(q.subject), str(q.predicate), str(q.object)) for q in graph} == _keys(triples)


def test_an_actor_the_view_leaves_out_is_grey_and_small_among_its_neighbours(tmp_path: Path) -> None:
    graph = view_graph()
    graph.add((ENTITY["iraq"], KG.attacked, ENTITY["nowhere"]))  # an end the graph never types: not in the view
    path = tmp_path / "untyped.ttl"
    graph.serialize(path, format="turtle")
    actors = project(read_graph(path))
    found = network_looks(actors)
    drawn = looks(view_of(actors))
    nowhere, iraq = found[str(ENTITY["nowhere"])], drawn[str(ENTITY["iraq"])]
    assert (nowhere.colour, nowhere.size, nowhere.x, nowhere.y) == (OTHER_STYLE[0], 9.0, iraq.x, iraq.y)
    assert {iri: look for iri, look in found.items() if iri in drawn} == drawn

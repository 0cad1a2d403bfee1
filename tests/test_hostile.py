"""Hostile strings planted in every field that reaches the HTML view and the exports come out as text.

Each payload is an entity's label and alias, an article's headline, text, publisher,
dateline, origin and URL, an evidence sentence, a statement's role, quantity, time and
extractor, and the page title. The page must carry them as data, shown as text (no new
element, attribute, script or request); every export must keep them exactly, in a file its
format's own reader accepts; CSV cells that a spreadsheet would run as formulas are defused.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
import pytest
from rdflib import Dataset, Literal
from typer.testing import CliRunner

from kg.cli import app
from kg.export import EXPORT_FORMATS, export_files
from kg.graph import iter_triples
from kg.model import Article, Entity, Extraction, Mention, Ref, Relation, Resolution
from kg.normalize import slug
from kg.rdf import Triple, read_graph
from kg.turtle import turtle_bytes
from kg.viz import graph_html

from .hostile import PAYLOADS
from .test_viz_browser import browser, open_page  # noqa: F401 -- the module's Chromium fixture

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib.*")
runner = CliRunner()
# Characters XML cannot hold become U+FFFD in GraphML and GEXF; nothing else changes.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _hostile_build() -> tuple[list[Extraction], Resolution]:
    """One article per payload, every text field of it and of its two actors and relation set to the payload."""
    extractions, entities, mention_entity = [], {}, {}
    for i, payload in enumerate(PAYLOADS):
        sentence = f"{payload} attacked {payload} again."
        text = f"{payload}\n\n{sentence}"
        digest = hashlib.sha256(text.encode()).hexdigest()
        article = Article(id=digest[:16], origin=f"{payload}.jsonl:{i}", title=payload, text=text,
                          date=dt.date(2024, 1, 1 + i), source=payload, url=payload, dateline=payload, content_hash=digest)
        start = len(payload) + 2
        spans = [(start, start + len(payload)), (start + len(payload) + 10, start + 2 * len(payload) + 10)]
        assert [text[s:e] for s, e in spans] == [payload, payload]
        ids = []
        for role, (s, e) in zip(("a", "b"), spans, strict=True):
            label = f"{payload} {role}{i}"
            entity = Entity(slug(label), label, "ArmedGroup", alt_labels=(payload,))
            entities[entity.id] = entity
            mention_entity[(article.id, s, e)] = entity.id
            ids.append(entity.id)
        relation = Relation(article.id, Ref(*spans[0]), "attacked", Ref(*spans[1]), start, len(text), payload, 0.9,
                            (("role", payload), ("quantity", payload), ("time_text", payload), ("time", payload)))
        mentions = tuple(Mention(article.id, s, e, payload, "ArmedGroup") for s, e in spans)
        extractions.append(Extraction(article, mentions, (relation,)))
    return extractions, Resolution(tuple(entities.values()), mention_entity)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Triple]]:
    extractions, resolution = _hostile_build()
    path = tmp_path_factory.mktemp("hostile") / "graph.ttl"
    path.write_bytes(turtle_bytes(iter_triples(extractions, resolution)))
    return path, read_graph(path)


def _literals(triples: Any) -> set[str]:
    return {t[2].value for t in triples if isinstance(t[2], ox.Literal)}  # triples, or quads parsed back


class _Elements(HTMLParser):
    """Every start tag of a page, with its attributes, and the text of its <title>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def _page(triples: list[Triple], title: str) -> str:
    return graph_html(triples, title=title)


def test_the_page_carries_every_payload_as_data_and_nothing_as_markup(hostile: tuple[Path, list[Triple]]) -> None:
    _, triples = hostile
    page = _page(triples, PAYLOADS[5])
    benign = _page([], "kg network")
    found, plain = _Elements(), _Elements()
    found.feed(page)
    plain.feed(benign)
    # The same elements as a page with no article text at all: nothing planted became markup.
    assert [tag for tag, _ in found.tags] == [tag for tag, _ in plain.tags]
    assert all(not name.startswith("on") for _, attrs in found.tags for name, _ in attrs)
    assert found.title == PAYLOADS[5]
    for raw in ("<script>window", "<img src=x", "<svg onload", "</textarea><script", "</title><script"):
        assert raw not in page, raw
    # The data the page draws holds each payload exactly, as strings.
    nodes = json.loads(re.search(r"var allNodes = (\[.*?\]);\n", page).group(1))  # type: ignore[union-attr]
    edges = json.loads(re.search(r"var allEdges = (\[.*?\]);\n", page).group(1))  # type: ignore[union-attr]
    names = {name for node in nodes for name in node["names"]}
    # An edge's tooltip is put together by the page from its evidence (kg.viz_render).
    evidence = [value for edge in edges for item in edge["evidence"] for value in item.values()]
    shown = "\n".join(v if isinstance(v, str) else "\n".join(v) for v in evidence) + "\n".join(
        node["title"] for node in nodes)
    for i, payload in enumerate(PAYLOADS):
        assert {f"{payload} a{i}", f"{payload} b{i}", payload} <= names, payload
        assert payload in shown, payload  # headline, publisher, sentence, role, quantity, time in the tooltips


def test_payloads_never_run_in_a_browser(hostile: tuple[Path, list[Triple]], browser: Any, tmp_path: Path) -> None:  # noqa: F811
    _, triples = hostile
    path = tmp_path / "hostile.html"
    path.write_text(_page(triples, PAYLOADS[1]), encoding="utf-8")
    opened = open_page(browser, path)
    page = opened.page
    assert page.evaluate("() => window.__xss") is None
    assert page.evaluate("() => document.querySelectorAll('script').length") == 2
    assert page.evaluate("() => document.querySelectorAll('img, svg, iframe, textarea').length") == 0
    # Search and click every actor: the details panel shows the names as text.
    for node_id in page.evaluate("() => kgNodes.getIds()")[:6]:
        page.evaluate(f"() => kgNetwork.selectNodes([{json.dumps(node_id)}])")
        page.fill("#kg-search", page.evaluate(f"() => kgNodes.get({json.dumps(node_id)}).name"))
        page.click("#kg-find")
    assert page.evaluate("() => window.__xss") is None
    assert opened.errors == [] and opened.requests == []


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "nquads", "trig", "jsonld"])
def test_rdf_exports_keep_every_payload_exactly(hostile: tuple[Path, list[Triple]], fmt: str) -> None:
    _, triples = hostile
    data = next(iter(export_files(triples, fmt).values()))
    ox_format = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS,
                 "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD}[fmt]
    assert _literals(ox.parse(data, format=ox_format)) == _literals(triples)
    if fmt == "jsonld":
        json.loads(data)  # valid JSON, whatever the strings
    else:
        dataset = Dataset()
        dataset.parse(data=data, format={"turtle": "turtle", "ntriples": "nt", "nquads": "nquads", "trig": "trig"}[fmt])
        assert {str(o) for _, _, o, _ in dataset.quads() if isinstance(o, Literal)} == _literals(triples)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_exports_escape_every_payload(hostile: tuple[Path, list[Triple]], fmt: str) -> None:
    _, triples = hostile
    data = next(iter(export_files(triples, fmt).values()))
    root = ET.fromstring(data)  # well-formed XML
    assert not any(el.tag.rsplit("}", 1)[-1] in {"script", "img", "svg"} for el in root.iter())
    network = nx.read_graphml(io.BytesIO(data)) if fmt == "graphml" else nx.read_gexf(io.BytesIO(data))
    labels = {d["label"] for _, d in network.nodes(data=True)}
    assert labels == {f"{_NOT_XML.sub(chr(0xFFFD), p)} {r}{i}" for i, p in enumerate(PAYLOADS) for r in "ab"}


def test_xml_exports_survive_characters_xml_cannot_hold(tmp_path: Path) -> None:
    turtle = tmp_path / "controls.ttl"
    turtle.write_text('<https://w3id.org/kg-news/id/entity/x> a <https://w3id.org/kg-news/ontology#Person> ;\n'
                      '  <http://www.w3.org/2000/01/rdf-schema#label> "bell\\u0007 nul\\u0000 \\uFFFE end" .\n')
    for fmt in ("graphml", "gexf"):
        data = next(iter(export_files(read_graph(turtle), fmt).values()))
        ET.fromstring(data)
        network = nx.read_graphml(io.BytesIO(data)) if fmt == "graphml" else nx.read_gexf(io.BytesIO(data))
        assert [d["label"] for _, d in network.nodes(data=True)] == ["bell\ufffd nul\ufffd \ufffd end"]


def test_csv_export_defuses_formulas_and_keeps_everything_else(hostile: tuple[Path, list[Triple]]) -> None:
    _, triples = hostile
    files = export_files(triples, "csv")
    nodes = list(csv.DictReader(io.StringIO(files["nodes.csv"].decode("utf-8"))))
    labels = {row["label"] for row in nodes}
    for i, payload in enumerate(PAYLOADS):
        for role in "ab":
            label = f"{payload} {role}{i}"
            assert ("'" + label if label[0] in "=+-@" else label) in labels, label
    for table in files.values():
        for row in csv.reader(io.StringIO(table.decode("utf-8"))):
            assert not any(cell[:1] in {"=", "+", "-", "@", "\t", "\r"} for cell in row), row


def test_the_cli_prints_hostile_text_as_text(hostile: tuple[Path, list[Triple]], tmp_path: Path) -> None:
    path, _ = hostile
    for args in (["stats", str(path)], ["query", str(path), "actors-by-type"], ["query", str(path), "evidence"],
                 ["viz", str(path), "-o", str(tmp_path / "v.html"), "--title", PAYLOADS[-1]],
                 ["export", str(path), "-f", "csv", "-o", str(tmp_path / "csv")]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, (args, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit)
    table = runner.invoke(app, ["query", str(path), "SELECT ?l WHERE { ?s rdfs:label ?l }"])
    assert "[/red] [bold]x[/bold]" in table.output  # rich markup in a label is printed, not applied


def test_every_export_format_is_covered() -> None:
    covered = {"turtle", "ntriples", "nquads", "trig", "jsonld", "graphml", "gexf", "csv"}
    assert set(EXPORT_FORMATS) == covered

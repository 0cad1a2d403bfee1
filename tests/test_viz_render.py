"""kg.viz_render: nodes styled by class, edges by predicate, plain-text tooltips, a self-contained page."""

from __future__ import annotations

import json
import re

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDFS, SKOS

from kg.network import project
from kg.rdflib_bridge import triples_of
from kg.viz import graph_html
from kg.viz_render import network
from kg.viz_select import view_of
from kg.vocab import ARTICLE, ENTITY, KG, SCHEMA, STATEMENT

from .viz_graph import XSS, local, view_graph


@pytest.fixture
def graph() -> Graph:
    return view_graph()


def test_the_pyvis_network_carries_positions_ranks_wording_and_whole_evidence(graph: Graph) -> None:
    long = "The group struck US troops at the base near the border, " + "officials said in a long statement, " * 12
    graph.set((STATEMENT["s4"], KG.evidenceText, Literal(long)))
    graph.add((ARTICLE["a1"], SCHEMA.url, Literal("https://news.example/a1")))
    graph.add((ARTICLE["a2"], SCHEMA.url, Literal("javascript:window.__xss=1")))
    view = view_of(project(triples_of(graph)))
    net = network(view, focus=str(ENTITY["mohammed-shia-al-sudani"]))
    nodes = {local(n["id"]): n for n in net.nodes}
    edges = {(local(e["from"]), e["predicate"]): e for e in net.edges}
    assert len(nodes) == 6 and len(edges) == 4 and net.node_ids == [n["id"] for n in net.nodes]
    assert nodes["antony-blinken"]["shape"] == "dot" and nodes["iraq"]["shape"] == "diamond"
    assert nodes["islamic-resistance-in-iraq"]["shape"] == "triangle"
    assert nodes["antony-blinken"]["size"] > nodes["iraq"]["size"] > nodes["berlin"]["size"]  # by centrality
    assert nodes["mohammed-shia-al-sudani"]["rank"] == 0 and nodes["berlin"]["rank"] == 5
    assert nodes["mohammed-shia-al-sudani"].get("focus") is True and "focus" not in nodes["iraq"]
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in nodes.values())
    assert net.options["physics"] == {"enabled": False}  # the page opens laid out
    tooltip = nodes["mohammed-shia-al-sudani"]["title"]
    assert "Person" in tooltip and "Also: Mohamed Chia al-Soudani; Sudani" in tooltip
    assert "Roles: Prime Minister, Iraq" in tooltip and "Mentioned in 2 articles" in tooltip
    attack = edges["islamic-resistance-in-iraq", "attacked"]
    assert (attack["out"], attack["in"]) == ("→ attacked United States ×2", "← attacked by Islamic Resistance in Iraq ×2")
    assert attack["count"] == 2 and attack["dates"] == ["2024-02-14", "2024-03-03"]
    first, second = attack["evidence"]  # newest first, each sentence whole
    assert second["sentence"] == " ".join(long.split()) and second["url"] == "https://news.example/a1"
    assert first["sentence"] == "The group claimed the attack." and "url" not in first  # javascript: is no link
    assert second["headline"] == "Blinken calls Sudani" and second["qualifiers"] == ["quantity: 102 attacks"]


def test_the_page_is_self_contained(graph: Graph) -> None:
    page = graph_html(triples_of(graph))
    assert "<script>" in page and "vis.Network" in page
    # No resource is fetched from anywhere: no src/href/url()/@import to http(s), no <link>.
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.IGNORECASE)
    assert not re.search(r"""url\(\s*["']?\s*(?:https?:)?//""", page, re.IGNORECASE)
    assert not re.search(r"@import|<link\b|<iframe\b", page, re.IGNORECASE)
    assert "jsdelivr" not in page and "cdnjs" not in page and "bootstrap.min" not in page


def test_untrusted_text_never_reaches_the_page_as_markup(graph: Graph) -> None:
    sudani = ENTITY["mohammed-shia-al-sudani"]
    graph.set((sudani, RDFS.label, Literal("Sudani " + XSS[1])))
    graph.add((sudani, SKOS.altLabel, Literal(XSS[0])))
    graph.set((ARTICLE["a1"], SCHEMA.headline, Literal(XSS[1] + " headline")))
    graph.set((ARTICLE["a1"], SCHEMA.publisher, Literal(XSS[0])))
    graph.set((STATEMENT["s1"], KG.evidenceText, Literal(" ".join(XSS))))
    page = graph_html(triples_of(graph), title="</title>" + XSS[0])
    for payload in XSS[:2]:
        assert payload not in page
    assert "window.__xss" in page  # there, but only as data
    # The only script elements are the two the page brings (vis-network's code and the page's own).
    assert len(re.findall(r"^<script\b", page, re.MULTILINE)) == 2
    assert "&lt;/title&gt;&lt;script&gt;" in page
    data = json.loads(re.search(r"var allNodes = (\[.*?\]);\n", page).group(1))  # type: ignore[union-attr]
    assert any(node["name"] == "Sudani " + XSS[1] for node in data)

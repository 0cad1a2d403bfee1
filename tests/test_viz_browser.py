"""The network page in a real browser: headless Chromium, network blocked, no console error.

Needs Debian's ``chromium`` (``.ci/run`` installs it) and the ``playwright``
Python package, driven with ``executable_path`` so no browser is downloaded.
Without chromium the tests skip, except in CI (``CI`` set), where they fail.
Screenshots go to ``$KG_SCREENSHOT_DIR`` if set, else to the test's tmp dir;
the path is printed (``pytest -s`` shows it).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from rdflib import RDF, RDFS, Graph, Literal
from rdflib.namespace import SKOS
from typer.testing import CliRunner

from kg.cli import app
from kg.outputs import write_atomic
from kg.rdflib_bridge import triples_of
from kg.viz import graph_html
from kg.viz_render import render
from kg.viz_select import LABELLED, OPEN_LIMIT, OPEN_SHOWN
from kg.viz_style import LARGE
from kg.vocab import (
    ARTICLE,
    CLASS_TOP,
    ENTITY,
    KG,
    PROV,
    RELATION_PREDICATES,
    SCHEMA,
    SYMMETRIC_PREDICATES,
)

from .conftest import SEEDS
from .viz_graph import synthetic_view, view_graph

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
]
XSS = ('<script>window.__xss=1</script>', '<img src=x onerror="window.__xss=1">', 'javascript:window.__xss=1')


def _required(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run the browser tests)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        _required("chromium is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _required("the playwright package is not installed")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=ARGS,
            viewport={"width": 1400, "height": 900}, offline=True,
        )
        yield context
        context.close()


@dataclass
class Page:
    page: Any
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return self.page.evaluate(
            """() => ({nodes: kgNodes.length, edges: kgEdges.length,
                       drawnNodes: kgNetwork.body.nodeIndices.length, drawnEdges: kgNetwork.body.edgeIndices.length})"""
        )

    def hover(self, canvas_js: str) -> str:
        """Move the mouse over the canvas point ``canvas_js`` evaluates to and return the tooltip text."""
        point = self.page.evaluate(f"() => kgNetwork.canvasToDOM({canvas_js})")
        box = self.page.locator("#kg-network").bounding_box()
        for dx in (0, 2):
            self.page.mouse.move(box["x"] + point["x"] + dx, box["y"] + point["y"] + dx)
            self.page.wait_for_timeout(200)
        self.page.wait_for_function("() => getComputedStyle(document.querySelector('div.vis-tooltip')).visibility "
                                    "=== 'visible'", timeout=5000)
        return self.page.evaluate("() => document.querySelector('div.vis-tooltip').innerText")


def open_page(context: Any, path: Path) -> Page:
    page = context.new_page()
    opened = Page(page)
    page_url = path.resolve().as_uri()

    def route(r: Any) -> None:
        if r.request.url == page_url:
            r.continue_()
        else:  # the page must need nothing else: record and refuse
            opened.requests.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: opened.errors.append(str(e)))
    page.on("requestfailed", lambda r: opened.requests.append(r.url) if r.url != page_url else None)
    page.goto(page_url)
    page.wait_for_function("() => window.kgSettled === true", timeout=60_000)
    return opened


def screenshot(opened: Page, tmp_path: Path, name: str) -> Path:
    folder = Path(os.environ.get("KG_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    opened.page.screenshot(path=str(target))
    print(f"screenshot: {target}")
    return target


def expected_counts(graph: Graph) -> tuple[int, int]:
    """Actors and aggregated edges, counted from the graph independently of kg.viz."""
    classes = {KG[name] for name in CLASS_TOP}
    actors = {s for s, c in graph.subject_objects(RDF.type) if c in classes}
    edges = set()
    for name in RELATION_PREDICATES:
        for s, o in graph.subject_objects(KG[name]):
            if s in actors and o in actors and s != o:
                edges.add((name, *sorted((str(s), str(o)))) if name in SYMMETRIC_PREDICATES else (name, str(s), str(o)))
    return len(actors), len(edges)


@pytest.mark.model
def test_the_seed_page_renders_every_node_and_edge_offline(browser: Any, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["build", str(SEEDS), "-o", str(tmp_path), "-q"])
    assert result.exit_code == 0, result.output
    html = tmp_path / "graph.html"
    assert html.is_file()
    graph = Graph().parse(tmp_path / "graph.ttl")
    n_actors, n_edges = expected_counts(graph)
    assert n_actors > 20 and n_edges > 20

    opened = open_page(browser, html)
    assert opened.counts() == {"nodes": n_actors, "edges": n_edges, "drawnNodes": n_actors, "drawnEdges": n_edges}
    page = opened.page
    # Every node is on the canvas after the layout stopped, and physics is off.
    assert page.evaluate("() => kgNetwork.physics.physicsEnabled") is False
    assert page.evaluate("() => Object.keys(kgNetwork.getPositions()).length") == n_actors
    # Legend: one filter row per class and predicate shown.
    assert page.locator("#kg-classes input").count() >= 5
    assert page.locator("#kg-predicates input").count() >= 5
    shot = screenshot(opened, tmp_path, "graph.png")
    assert shot.stat().st_size > 20_000

    # Tooltips: a node's has its type and article count; an edge's has its evidence and source.
    tooltip = opened.hover("kgNetwork.getPositions(['https://w3id.org/kg-news/id/entity/mohammed-shia-al-sudani'])"
                           "['https://w3id.org/kg-news/id/entity/mohammed-shia-al-sudani']")
    assert tooltip.startswith("Mohammed Shia al-Sudani\nPerson") and "Mentioned in" in tooltip

    # Filter by predicate: unticking "attacked" hides exactly the attack edges.
    attacks = page.evaluate("() => kgEdges.get({filter: e => e.predicate === 'attacked'}).length")
    assert attacks > 0
    page.locator("#kg-predicates input[data-predicate='attacked']").uncheck()
    assert page.evaluate("() => kgNetwork.body.edgeIndices.length") == n_edges - attacks
    page.locator("#kg-predicates input[data-predicate='attacked']").check()
    # Filter by class: unticking Person hides every person.
    people = page.evaluate("() => kgNodes.get({filter: n => n.cls === 'Person'}).length")
    page.locator("#kg-classes input[data-cls='Person']").uncheck()
    assert page.evaluate("() => kgNetwork.body.nodeIndices.length") == n_actors - people
    page.locator("#kg-classes input[data-cls='Person']").check()

    # Search: a transliterated alias finds and selects the actor.
    page.fill("#kg-search", "Soudani")
    page.press("#kg-search", "Enter")
    assert page.evaluate("() => kgNetwork.getSelectedNodes()") == [
        "https://w3id.org/kg-news/id/entity/mohammed-shia-al-sudani"
    ]
    assert "Mohammed Shia al-Sudani" in page.inner_text("#kg-details")
    page.wait_for_timeout(700)
    screenshot(opened, tmp_path, "graph-search.png")
    assert opened.errors == [] and opened.requests == []


def _plant(graph: Graph) -> tuple[str, str]:
    """Put the payloads into an entity's name and an article's headline, text and evidence sentences."""
    sudani = next(graph.subjects(RDFS.label, Literal("Mohammed Shia al-Sudani")))
    graph.set((sudani, RDFS.label, Literal("Sudani " + XSS[1])))
    graph.add((sudani, SKOS.altLabel, Literal(XSS[0] + " " + XSS[2])))
    for article in graph.subjects(RDF.type, SCHEMA.NewsArticle):
        graph.set((article, SCHEMA.headline, Literal(XSS[1] + " headline")))
        graph.set((article, SCHEMA.text, Literal(str(graph.value(article, SCHEMA.text)) + " ".join(XSS))))
    for statement in graph.subjects(RDF.type, KG.Statement):
        if graph.value(statement, PROV.wasDerivedFrom) is not None:
            sentence = " ".join(XSS) + " " + str(graph.value(statement, KG.evidenceText))
            graph.set((statement, KG.evidenceText, Literal(sentence)))
    return str(sudani), "Sudani " + XSS[1]


@pytest.mark.model
def test_payloads_in_article_text_and_entity_names_show_as_text_and_never_run(browser: Any, tmp_path: Path) -> None:
    from kg.pipeline import build

    article = tmp_path / "talks.html"
    # The publisher's name arrives through the real ingest path, markup and all.
    article.write_text(
        '<html><head><title>Blinken meets al-Sudani</title>'
        '<meta property="og:site_name" content="&lt;script&gt;window.__xss=1&lt;/script&gt; News">'
        '<meta property="article:published_time" content="2024-01-05"></head><body><article>'
        "<h1>Blinken meets al-Sudani</h1>"
        "<p>Iraqi Prime Minister Mohammed Shia al-Sudani met Antony Blinken in Baghdad on Friday, officials said.</p>"
        "<p>Antony Blinken urged Iraq to protect American troops stationed in the country, the statement said.</p>"
        "<p>The two leaders discussed the coalition and the security situation in the region for an hour.</p>"
        "</article></body></html>"
    )
    graph = build([article]).graph
    node_id, label = _plant(graph)
    page_path = tmp_path / "xss.html"
    write_atomic(page_path, graph_html(triples_of(graph), title=XSS[1]).encode("utf-8"))
    opened = open_page(browser, page_path)
    page = opened.page
    n_actors, n_edges = expected_counts(graph)
    assert opened.counts()["drawnNodes"] == n_actors and opened.counts()["drawnEdges"] == n_edges

    # The payloads are in the page's data, as text.
    assert page.evaluate(f"() => kgNodes.get({node_id!r}).name") == label
    titles = page.evaluate("() => kgEdges.get().map(e => e.title).join('\\n')")
    for payload in XSS:
        assert payload in titles
    assert "<script>window.__xss=1</script> News" in titles  # the publisher from the HTML page
    assert page.title() == XSS[1]

    # Hover the planted node and one of its edges; click it; search for it: still nothing runs.
    tooltip = opened.hover(f"kgNetwork.getPositions([{node_id!r}])[{node_id!r}]")
    assert tooltip.startswith(label) and XSS[0] in tooltip
    edge = page.evaluate(f"() => kgEdges.get({{filter: e => e.from === {node_id!r} || e.to === {node_id!r}}})[0]")
    middle = (
        f"((p) => ({{x: (p[{edge['from']!r}].x + p[{edge['to']!r}].x) / 2, "
        f"y: (p[{edge['from']!r}].y + p[{edge['to']!r}].y) / 2}}))"
        f"(kgNetwork.getPositions([{edge['from']!r}, {edge['to']!r}]))"
    )
    page.mouse.move(0, 0)
    page.wait_for_timeout(300)
    tooltip = opened.hover(middle)
    assert XSS[0] in tooltip and XSS[1] in tooltip and XSS[2] in tooltip
    screenshot(opened, tmp_path, "xss-tooltip.png")
    page.evaluate(f"() => kgFind({label!r})")
    details = page.inner_text("#kg-details")
    assert details.startswith(label) and XSS[0] in details
    page.wait_for_timeout(600)
    assert page.evaluate("() => typeof window.__xss") == "undefined"
    assert page.evaluate("() => document.querySelectorAll('img, iframe, a[href^=\"javascript\"]').length") == 0
    assert page.evaluate("() => document.scripts.length") == 2
    assert opened.errors == [] and opened.requests == []


def _shown(page: Any) -> dict[str, Any]:
    return page.evaluate("""() => ({
        nodes: kgNodes.get().map(n => ({id: n.id, degree: n.degree, rank: n.rank,
                                        opacity: kgNetwork.body.nodes[n.id].options.opacity})),
        edges: kgEdges.get().map(e => ({id: e.id, from: e.from, to: e.to, dates: e.dates,
                                        opacity: kgNetwork.body.edges[e.id].options.color.opacity})),
        drawn: kgNetwork.body.nodeIndices.length})""")


def _slide(page: Any, selector: str, value: int) -> None:
    page.locator(selector).evaluate(f"el => {{ el.value = '{value}'; el.dispatchEvent(new Event('input')); }}")


@pytest.mark.parametrize("n_actors", [300, 2000, 10_000])
def test_a_large_view_opens_settled_names_the_central_actors_and_every_control_works(
    browser: Any, tmp_path: Path, n_actors: int
) -> None:
    view = synthetic_view(n_actors)
    page_path = tmp_path / f"synthetic-{n_actors}.html"
    write_atomic(page_path, render(view, f"synthetic graph, {n_actors:,} actors").encode("utf-8"))
    started = time.perf_counter()
    opened = open_page(browser, page_path)
    opening = time.perf_counter() - started
    page = opened.page
    assert opening < 5 and page.evaluate("() => kgSettleMs") < 5000, opening  # no physics to wait for
    assert page.evaluate("() => kgNetwork.physics.physicsEnabled") is False
    shown = min(n_actors, OPEN_SHOWN) if n_actors > OPEN_LIMIT else n_actors
    assert _shown(page)["drawn"] == shown
    status = page.inner_text("#kg-status")
    assert ("most central" in status) == (n_actors > OPEN_LIMIT)
    # At overview zoom only the most central actors are named, and no two names overlap (checked by the page).
    page.wait_for_timeout(200)
    labelled = page.evaluate("() => kgLabelled.map(id => kgNodes.get(id).rank)")
    assert 5 <= len(labelled) <= LABELLED and max(labelled) < LABELLED
    screenshot(opened, tmp_path, f"shot-{n_actors}.png")

    if n_actors > OPEN_LIMIT:  # the control adds the next most central actors
        page.click("#kg-more")
        assert _shown(page)["drawn"] == min(n_actors, 2 * OPEN_SHOWN)
        assert page.evaluate("() => Math.max(...kgNodes.get().map(n => n.rank))") == min(n_actors, 2 * OPEN_SHOWN) - 1

    # Search finds an actor not shown yet (the last by rank), shows it, selects it and dims all but its neighbours.
    last = page.evaluate("() => kgAll.nodes.reduce((a, b) => a.rank > b.rank ? a : b)")
    assert page.evaluate(f"() => kgFind({last['name']!r})") == last["id"]
    assert page.evaluate("() => kgNetwork.getSelectedNodes()") == [last["id"]]
    neighbours = set(page.evaluate(f"() => kgNetwork.getConnectedNodes({last['id']!r})")) | {last["id"]}
    state = _shown(page)
    assert any(n["id"] == last["id"] for n in state["nodes"])
    assert all((n["opacity"] == 1) == (n["id"] in neighbours) for n in state["nodes"])
    assert all((e["opacity"] > 0.5) == (last["id"] in (e["from"], e["to"])) for e in state["edges"])
    if n_actors > LARGE:  # relation names on a large graph: the selected actor's edges only
        named = page.evaluate("() => kgEdges.get().filter(e => e.label).map(e => [e.from, e.to])")
        assert named and all(last["id"] in pair for pair in named)
    page.wait_for_timeout(700)
    page.mouse.click(*_empty_corner(page))  # a click on nothing ends the selection: nothing is dimmed
    assert all(n["opacity"] == 1 for n in _shown(page)["nodes"])

    # Minimum degree, then hiding the actors left without an edge.
    page.fill("#kg-min-degree", "4")
    state = _shown(page)
    assert state["nodes"] and all(n["degree"] >= 4 for n in state["nodes"])
    page.check("#kg-isolated")
    state = _shown(page)
    ends = {e["from"] for e in state["edges"]} | {e["to"] for e in state["edges"]}
    assert state["nodes"] and {n["id"] for n in state["nodes"]} == ends
    page.uncheck("#kg-isolated")
    page.fill("#kg-min-degree", "0")

    # The date slider keeps the edges with evidence in the range; undated ones only if asked for.
    dates = page.evaluate("() => Array.from(new Set(kgAll.edges.flatMap(e => e.dates))).sort()")
    low, high = len(dates) // 3, 2 * len(dates) // 3
    _slide(page, "#kg-date-from", low)
    _slide(page, "#kg-date-to", high)
    assert dates[low] in page.inner_text("#kg-dates-text") and dates[high] in page.inner_text("#kg-dates-text")
    state = _shown(page)
    undated = [e for e in state["edges"] if not e["dates"]]
    assert undated and all(not e["dates"] or any(dates[low] <= d <= dates[high] for d in e["dates"])
                           for e in state["edges"])
    page.uncheck("#kg-undated")
    state = _shown(page)
    assert state["edges"] and all(any(dates[low] <= d <= dates[high] for d in e["dates"]) for e in state["edges"])

    # Save as PNG: the canvas as it is now, as a downloaded file.
    with page.expect_download() as download:
        page.click("#kg-png")
    png = tmp_path / "saved.png"
    download.value.save_as(png)
    assert download.value.suggested_filename == "kg-network.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    assert opened.errors == [] and opened.requests == []


def _empty_corner(page: Any) -> tuple[float, float]:
    """A point of the canvas far from every node (a corner of the network's box)."""
    box = page.locator("#kg-network").bounding_box()
    return box["x"] + box["width"] - 3, box["y"] + box["height"] - 3


def test_an_ego_view_highlights_its_focus_reads_edges_from_either_end_and_links_the_sources(
    browser: Any, tmp_path: Path
) -> None:
    graph = view_graph()
    graph.add((ARTICLE["a1"], SCHEMA.url, Literal("https://news.example/a1?x=1&y=2")))
    graph.add((ARTICLE["a2"], SCHEMA.url, Literal(XSS[2])))  # javascript: must never become a link
    page_path = tmp_path / "ego.html"
    write_atomic(page_path, graph_html(triples_of(graph), focus="United States").encode("utf-8"))
    opened = open_page(browser, page_path)
    page = opened.page
    us, group = str(ENTITY["united-states"]), str(ENTITY["islamic-resistance-in-iraq"])
    assert page.evaluate(f"() => kgNetwork.body.nodes[{us!r}].options.borderWidth") == 5  # highlighted
    assert us in page.evaluate("() => kgLabelled")
    page.evaluate("() => kgFind('United States')")
    buttons = page.locator("#kg-details button").all_inner_texts()
    assert "← attacked by Islamic Resistance in Iraq ×2" in buttons and "← has member Antony Blinken" in buttons
    page.evaluate("() => kgFind('Islamic Resistance in Iraq')")
    assert page.locator("#kg-details button").all_inner_texts() == ["→ attacked United States ×2"]

    # A click on the edge lists its evidence: whole sentences, their source, and a safe link to the article.
    page.evaluate("() => { kgNetwork.unselectAll(); kgNetwork.fit(); }")
    page.wait_for_timeout(300)
    middle = page.evaluate(f"""() => {{ const p = kgNetwork.getPositions([{us!r}, {group!r}]);
        return kgNetwork.canvasToDOM({{x: (p[{us!r}].x + p[{group!r}].x) / 2, y: (p[{us!r}].y + p[{group!r}].y) / 2}}); }}""")
    box = page.locator("#kg-network").bounding_box()
    page.mouse.click(box["x"] + middle["x"], box["y"] + middle["y"])
    details = page.inner_text("#kg-details")
    assert details.startswith("Islamic Resistance in Iraq → attacked → United States")
    assert "“The group struck US troops.”" in details and "“The group claimed the attack.”" in details
    links = page.evaluate("""() => Array.from(document.querySelectorAll('#kg-details a'))
        .map(a => [a.getAttribute('href'), a.rel, a.target])""")
    assert links == [["https://news.example/a1?x=1&y=2", "noopener noreferrer", "_blank"]]
    assert page.evaluate("() => document.querySelectorAll('a[href^=\"javascript\"]').length") == 0
    assert opened.errors == [] and opened.requests == []

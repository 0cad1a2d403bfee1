"""How long the network page takes to open settled at 2,000 actors, in headless Chromium.

A synthetic graph shaped like ours (actors of every class, scale-free links with
the 14 contract predicates, 1-3 statement nodes of evidence per edge) is
written as a page by ``kg.viz`` (positions computed in Python by ``kg.layout``: no
physics runs in the page); Chromium opens it with the network blocked and the
script reads the time from navigation to the first drawing (``window.kgSettleMs``),
and the wall time from navigation. Past 1,500 actors the page opens on the 1,000
most central ones.

    python bench/viz_settle.py                 # 2,000 actors, 3 runs
    python bench/viz_settle.py --nodes 500 --runs 1 --screenshot out/bench.png
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import networkx as nx
from playwright.sync_api import sync_playwright
from rdflib import RDF, RDFS, Graph, Literal

from kg.network import project
from kg.outputs import write_atomic
from kg.rdflib_bridge import new_graph, triples_of
from kg.viz_render import render
from kg.viz_select import view_of
from kg.vocab import ARTICLE, CLASS_TOP, ENTITY, KG, PROV, RELATION_PREDICATES, SCHEMA, STATEMENT

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]


def synthetic(n_nodes: int, seed: int = 7) -> Graph:
    """A graph of ``n_nodes`` actors linked scale-free (about two edges per actor) with evidence."""
    rng = random.Random(seed)
    links = nx.barabasi_albert_graph(n_nodes, 2, seed=seed)
    classes = list(CLASS_TOP)
    graph = new_graph()
    for a in range(50):
        article = ARTICLE[f"a{a}"]
        graph.add((article, RDF.type, SCHEMA.NewsArticle))
        graph.add((article, SCHEMA.headline, Literal(f"Synthetic headline number {a}")))
        graph.add((article, SCHEMA.publisher, Literal(rng.choice(["Rudaw", "Agence France-Presse", "Reuters"]))))
    for node in links:
        iri = ENTITY[f"actor-{node}"]
        graph.add((iri, RDF.type, KG[rng.choice(classes)]))
        graph.add((iri, RDFS.label, Literal(f"Actor {node}")))
        graph.add((iri, KG.mentionedIn, ARTICLE[f"a{node % 50}"]))
    count = 0
    for s, o in links.edges():
        predicate = rng.choice(RELATION_PREDICATES)
        subject, obj = ENTITY[f"actor-{s}"], ENTITY[f"actor-{o}"]
        graph.add((subject, KG[predicate], obj))
        for _ in range(rng.choice((1, 1, 2, 3))):
            statement = STATEMENT[f"s{count}"]
            count += 1
            graph.add((statement, RDF.type, KG.Statement))
            graph.add((statement, RDF.subject, subject))
            graph.add((statement, RDF.predicate, KG[predicate]))
            graph.add((statement, RDF.object, obj))
            graph.add((statement, PROV.wasDerivedFrom, ARTICLE[f"a{rng.randrange(50)}"]))
            graph.add((statement, KG.evidenceText, Literal(f"Actor {s} did something to actor {o}, officials said.")))
    return graph


def run_once(browser: Any, page_path: Path, screenshot: Path | None) -> dict[str, float]:
    """Open the page once in a fresh context and time it."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, offline=True)
    page = context.new_page()
    errors: list[str] = []
    blocked: list[str] = []
    url = page_path.resolve().as_uri()

    def route(r: Any) -> None:
        if r.request.url == url:
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_function("() => window.kgSettled === true", timeout=600_000, polling=50)
    wall = time.perf_counter() - started
    settle = page.evaluate("() => window.kgSettleMs") / 1000
    counts = page.evaluate("() => [kgNetwork.body.nodeIndices.length, kgNetwork.body.edgeIndices.length]")
    # One frame, once still: what zooming or panning costs.
    redraw = page.evaluate(
        "() => { const t = performance.now(); for (let i = 0; i < 5; i++) kgNetwork.redraw(); "
        "return (performance.now() - t) / 5; }"
    )
    started = time.perf_counter()
    page.evaluate("() => kgFind('Actor 1234')")
    find = time.perf_counter() - started
    if screenshot:
        page.wait_for_timeout(300)
        page.screenshot(path=str(screenshot))
    context.close()
    return {
        "settle_s": settle,
        "wall_s": round(wall, 2),
        "redraw_ms": round(redraw, 1),
        "find_ms": round(find * 1000, 1),
        "drawn_nodes": counts[0],
        "drawn_edges": counts[1],
        "console_errors": len(errors),
        "blocked_requests": len(blocked),
    }


def measure(page_path: Path, runs: int, screenshot: Path | None) -> list[dict[str, float]]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        results = [run_once(browser, page_path, screenshot if run == 0 else None) for run in range(runs)]
        browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--screenshot", type=Path)
    args = parser.parse_args()
    graph = synthetic(args.nodes)
    started = time.perf_counter()
    view = view_of(project(triples_of(graph)))
    html = render(view, f"synthetic graph, {args.nodes} actors")
    render_s = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as folder:
        page_path = Path(folder) / "bench.html"
        write_atomic(page_path, html.encode("utf-8"))
        runs = measure(page_path, args.runs, args.screenshot)
    print(json.dumps({
        "actors": len(view.actors),
        "edges": len(view.links),
        "triples": len(graph),
        "page_mb": round(len(html.encode("utf-8")) / 1e6, 2),
        "python_render_s": round(render_s, 2),
        "median_settle_s": round(statistics.median(r["settle_s"] for r in runs), 2),
        "median_wall_s": round(statistics.median(r["wall_s"] for r in runs), 2),
        "runs": runs,
    }, indent=2))


if __name__ == "__main__":
    main()

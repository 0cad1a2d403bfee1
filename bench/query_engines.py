"""Time every shipped query on both local engines (oxigraph, rdflib).

    python bench/query_engines.py                      # out/graph.ttl (run `kg build` first)
    python bench/query_engines.py GRAPH --scale 50     # the graph copied 50 times, IRIs renamed
    python bench/query_engines.py --write bench/query_engines.md

For each engine: the time to load the file, then for each shipped query the median
of ``--repeat`` runs of ``engine.run`` (the query checked once beforehand, as `kg query`
does, and not counted). ``--scale N`` makes N disjoint copies of the graph (every IRI
under https://w3id.org/kg-news/id/ renamed per copy) to show how each engine grows.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from kg.engines import ENGINES, load
from kg.query import bind_params, shipped_queries
from kg.query_check import prepare
from kg.rdf import read_graph

ROOT = Path(__file__).resolve().parent.parent
ID_BASE = "https://w3id.org/kg-news/id/"
PARAMS = {"actor-profile": {"actor": "kge:mohammed-shia-al-sudani"},
          "actor-interactions": {"actor": "kge:mohammed-shia-al-sudani"}}


def _copy(term: ox.NamedNode | ox.BlankNode | ox.Literal, i: int) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if i and isinstance(term, ox.NamedNode) and term.value.startswith(ID_BASE):
        return ox.NamedNode(f"{term.value}-c{i}")
    return term


def scaled(path: Path, copies: int, folder: Path) -> Path:
    """``copies`` disjoint copies of the graph at ``path``, as N-Triples (copy 0 keeps its IRIs)."""
    triples = read_graph(path)
    out = [
        ox.Triple(_copy(s, i), p, _copy(o, i))  # type: ignore[arg-type]
        for i in range(copies) for s, p, o in triples
    ]
    target = folder / f"graph-x{copies}.nt"
    ox.serialize(out, str(target), format=ox.RdfFormat.N_TRIPLES)
    return target


def measure(path: Path, repeat: int) -> tuple[dict[str, float], dict[str, dict[str, float]], int]:
    """Load seconds per engine, query milliseconds per query and engine, and the triple count."""
    loads: dict[str, float] = {}
    times: dict[str, dict[str, float]] = {}
    prepared = {q.name: (prepare(q.text), q) for q in shipped_queries()}
    size = 0
    for engine_name in ENGINES:
        started = time.perf_counter()
        engine = load(path, engine_name)
        loads[engine_name] = time.perf_counter() - started
        size = len(engine)
        for name, (query, shipped) in prepared.items():
            bindings = bind_params(query, PARAMS.get(name, {}), shipped)
            runs = []
            for _ in range(repeat):
                started = time.perf_counter()
                engine.run(query, bindings)
                runs.append((time.perf_counter() - started) * 1000)
            times.setdefault(name, {})[engine_name] = statistics.median(runs)
    return loads, times, size


def table(title: str, loads: dict[str, float], times: dict[str, dict[str, float]], size: int) -> str:
    lines = [
        f"### {title}: {size:,} triples",
        "",
        "| query | oxigraph (ms) | rdflib (ms) | rdflib / oxigraph |",
        "|---|---:|---:|---:|",
    ]
    for name, by_engine in sorted(times.items()):
        ratio = by_engine["rdflib"] / by_engine["oxigraph"] if by_engine["oxigraph"] else float("nan")
        lines.append(f"| {name} | {by_engine['oxigraph']:.1f} | {by_engine['rdflib']:.1f} | {ratio:.0f}× |")
    total = {e: sum(t[e] for t in times.values()) for e in ENGINES}
    lines.append(f"| **all {len(times)}** | **{total['oxigraph']:.1f}** | **{total['rdflib']:.1f}** | "
                 f"**{total['rdflib'] / total['oxigraph']:.0f}×** |")
    lines.append(f"| *load the file (s)* | {loads['oxigraph']:.2f} | {loads['rdflib']:.2f} | |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("graph", nargs="?", type=Path, default=ROOT / "out" / "graph.ttl")
    parser.add_argument("--scale", type=int, nargs="*", default=[1], help="copies of the graph to time (1 = as is)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per query (median reported)")
    parser.add_argument("--write", type=Path, help="also write the tables (Markdown) to this file")
    args = parser.parse_args()
    sections = []
    with tempfile.TemporaryDirectory() as tmp:
        for copies in args.scale:
            path = args.graph if copies == 1 else scaled(args.graph, copies, Path(tmp))
            loads, times, size = measure(path, args.repeat)
            title = args.graph.name if copies == 1 else f"{args.graph.name} ×{copies}"
            sections.append(table(title, loads, times, size))
            print(sections[-1])
    if args.write:
        shown = args.graph.relative_to(ROOT) if args.graph.is_relative_to(ROOT) else args.graph
        header = (
            "# Shipped queries on both engines\n\n"
            f"`python bench/query_engines.py {shown}"
            f" --scale {' '.join(map(str, args.scale))} --repeat {args.repeat}` on {platform.machine()}, "
            f"Python {platform.python_version()}, pyoxigraph {ox.__version__ if hasattr(ox, '__version__') else ''}; "
            "median of the runs of `engine.run` per query (checking the query is not counted).\n\n"
        )
        args.write.write_text(header + "\n".join(sections), encoding="utf-8")


if __name__ == "__main__":
    main()

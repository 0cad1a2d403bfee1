"""kg.layout: positions computed once in Python, linked actors near each other, the same every time, quick at 10,000."""

from __future__ import annotations

import math
import time

import networkx as nx
import pytest

from kg.layout import EXACT_LIMIT, UNIT, layout


def _two_communities(size: int) -> tuple[list[str], list[tuple[str, str]]]:
    """Two dense groups of ``size`` nodes joined by one edge."""
    pairs = []
    for group in "ab":
        links = nx.barabasi_albert_graph(size, 3, seed=1)
        pairs += [(f"{group}{s}", f"{group}{o}") for s, o in links.edges()]
    pairs.append(("a0", "b0"))
    return [f"{g}{i}" for g in "ab" for i in range(size)], pairs


def _mean(points: list[tuple[float, float]]) -> tuple[float, float]:
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


@pytest.mark.parametrize("size", [20, EXACT_LIMIT * 2])  # repulsion computed exactly, and on the grid
def test_linked_actors_sit_together_and_groups_apart(size: int) -> None:
    nodes, pairs = _two_communities(size)
    where = layout(nodes, pairs)
    a = _mean([where[n] for n in nodes if n[0] == "a"])
    b = _mean([where[n] for n in nodes if n[0] == "b"])
    spread = sum(math.dist(where[n], a if n[0] == "a" else b) for n in nodes) / len(nodes)
    assert math.dist(a, b) > 1.5 * spread  # two groups, drawn as two


def test_the_same_graph_gets_the_same_positions_and_no_two_actors_share_a_spot() -> None:
    links = nx.barabasi_albert_graph(600, 2, seed=3)
    nodes, pairs = [str(n) for n in links], [(str(s), str(o)) for s, o in links.edges()]
    where = layout(nodes, pairs)
    assert layout(nodes, pairs) == where
    assert len(set(where.values())) == len(nodes)
    assert abs(_mean(list(where.values()))[0]) < UNIT and abs(_mean(list(where.values()))[1]) < UNIT  # centred


def test_edge_cases_loops_repeats_unknown_ends_and_lone_actors() -> None:
    assert layout([], []) == {}
    assert layout(["a"], [("a", "a")]) == {"a": (0.0, 0.0)}
    where = layout(["a", "b", "c"], [("a", "b"), ("b", "a"), ("a", "zz")])
    assert set(where) == {"a", "b", "c"} and where["a"] != where["b"]


def test_ten_thousand_actors_are_laid_out_in_seconds() -> None:
    links = nx.barabasi_albert_graph(10_000, 2, seed=7)
    started = time.perf_counter()
    where = layout([str(n) for n in links], [(str(s), str(o)) for s, o in links.edges()])
    assert len(where) == 10_000 and time.perf_counter() - started < 20  # ~1.5 s alone on a 2-core machine

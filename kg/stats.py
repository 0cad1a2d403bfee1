"""Figures about a graph: counts per class and predicate, central actors, communities, articles."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx  # type: ignore[import-untyped]

from kg.network import project, to_networkx, undirected
from kg.rdf import Triple
from kg.vocab import KG, PREFIXES

_TYPE = PREFIXES["rdf"] + "type"
_ARTICLE = PREFIXES["schema"] + "NewsArticle"
_PUBLISHED = PREFIXES["schema"] + "datePublished"
_PUBLISHER = PREFIXES["schema"] + "publisher"
_CORRECTION_KIND = str(KG._NS) + "correctionKind"
BETWEENNESS_SAMPLE = 500  # above this many actors, betweenness is estimated from a seeded sample


@dataclass(frozen=True, slots=True)
class Central:
    """One actor's centrality in the undirected actor network."""

    node: str
    label: str
    cls: str
    degree: int  # distinct actors it is related to
    pagerank: float
    betweenness: float


@dataclass(frozen=True, slots=True)
class Stats:
    triples: int
    classes: tuple[tuple[str, int], ...]  # class IRI, instances (most first)
    predicates: tuple[tuple[str, int], ...]  # predicate IRI, triples (most first)
    actors: int
    relations: int  # direct edges between actors
    central: tuple[Central, ...]
    communities: tuple[tuple[str, ...], ...]  # labels, largest community first (2 members or more)
    articles: int
    publishers: int
    first_date: str | None
    last_date: str | None
    corrections: tuple[tuple[str, int], ...] = ()  # kind of correction (merge, split...), corrections applied


def pagerank(graph: nx.DiGraph, alpha: float = 0.85, tol: float = 1.0e-10, max_iter: int = 500) -> dict[Any, float]:
    """PageRank by power iteration, as networkx defines it (weighted, dangling mass spread evenly).

    networkx's own ``pagerank`` needs scipy, which kg has no other use for.
    """
    nodes = list(graph)
    n = len(nodes)
    if n == 0:
        return {}
    out_weight = dict.fromkeys(nodes, 0.0)
    for u, _, weight in graph.edges(data="weight", default=1.0):
        out_weight[u] += weight
    rank = dict.fromkeys(nodes, 1.0 / n)
    for _ in range(max_iter):
        dangling = alpha * sum(rank[u] for u in nodes if out_weight[u] == 0) / n
        new = dict.fromkeys(nodes, (1.0 - alpha) / n + dangling)
        for u, v, weight in graph.edges(data="weight", default=1.0):
            new[v] += alpha * rank[u] * weight / out_weight[u]
        error = sum(abs(new[u] - rank[u]) for u in nodes)
        rank = new
        if error < n * tol:
            break
    return rank


def _directed(network: nx.MultiDiGraph) -> nx.DiGraph:
    # Symmetric relations point both ways; parallel relations add their evidence.
    directed = nx.DiGraph()
    directed.add_nodes_from(network)
    for s, o, data in network.edges(data=True):
        if s == o:
            continue
        weight = max(1, int(data.get("evidence", 1)))
        pairs = [(s, o), (o, s)] if data.get("symmetric") else [(s, o)]
        for a, b in pairs:
            if directed.has_edge(a, b):
                directed[a][b]["weight"] += weight
            else:
                directed.add_edge(a, b, weight=weight)
    return directed


def compute(triples: Sequence[Triple], top: int = 10) -> Stats:
    """The figures of a graph given as triples; ``top`` central actors."""
    classes: Counter[str] = Counter()
    predicates: Counter[str] = Counter()
    articles: set[str] = set()
    publishers: set[str] = set()
    dates: list[str] = []
    corrections: Counter[str] = Counter()
    for subject, predicate, value in triples:
        p, o = predicate.value, value.value
        predicates[p] += 1
        if p == _TYPE:
            classes[o] += 1
            if o == _ARTICLE:
                articles.add(subject.value)
        elif p == _PUBLISHED:
            dates.append(o)
        elif p == _PUBLISHER:
            publishers.add(o)
        elif p == _CORRECTION_KIND:
            corrections[o] += 1
    network = to_networkx(project(triples))
    simple = undirected(network)
    ranks = pagerank(_directed(network))
    if simple.number_of_nodes() > BETWEENNESS_SAMPLE:
        between = nx.betweenness_centrality(simple, k=BETWEENNESS_SAMPLE, seed=0)
    else:
        between = nx.betweenness_centrality(simple)
    central = sorted(
        (
            Central(node, data["label"], data["cls"], simple.degree(node), ranks.get(node, 0.0), between.get(node, 0.0))
            for node, data in simple.nodes(data=True)
        ),
        key=lambda c: (-c.pagerank, -c.degree, c.label, c.node),
    )
    related = simple.subgraph([n for n in simple if simple.degree(n) > 0])
    groups = nx.community.louvain_communities(related, weight="weight", seed=0) if related.number_of_edges() else []
    communities = sorted(
        (tuple(sorted(simple.nodes[n]["label"] for n in group)) for group in groups if len(group) > 1),
        key=lambda g: (-len(g), g),
    )

    def ranked(counter: Counter[str]) -> tuple[tuple[str, int], ...]:
        return tuple(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))

    return Stats(
        triples=len(triples),
        classes=ranked(classes),
        predicates=ranked(predicates),
        actors=sum(1 for _, d in network.nodes(data=True) if d["top"]),
        relations=network.number_of_edges(),
        central=tuple(central[:top]),
        communities=tuple(communities),
        articles=len(articles),
        publishers=len(publishers),
        first_date=min(dates) if dates else None,
        last_date=max(dates) if dates else None,
        corrections=tuple(sorted(corrections.items())),
    )

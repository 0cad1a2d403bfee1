"""The actor network: entity nodes and the contract's relation edges, projected with networkx.

Nodes are entity IRIs with ``label``, ``cls`` (class local name), ``top`` (Person,
Organization or Place) and ``articles`` (how many articles name them). Edges are the
direct triples whose predicate is one of the 14 contract relations, keyed by the
predicate's local name, with ``predicate``, ``evidence`` (statement nodes backing the
edge), ``symmetric``, and the ``first``/``last`` article dates of that evidence ("" when
undated).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx  # type: ignore[import-untyped]
import pyoxigraph as ox

from kg.vocab import CLASS_TOP, KG, RELATION_PREDICATES, SYMMETRIC_PREDICATES

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_TYPE = _RDF + "type"
_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_KG = str(KG._NS)
_RELATIONS = {_KG + name: name for name in RELATION_PREDICATES}
_CLASSES = {_KG + name: name for name in CLASS_TOP}
_STATEMENT_KEYS = {_RDF + "subject": "s", _RDF + "predicate": "p", _RDF + "object": "o", _KG + "articleDate": "date"}


@dataclass
class _Statement:
    s: str = ""
    p: str = ""
    o: str = ""
    date: str = ""


@dataclass
class _Scan:
    classes: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    articles: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    edges: set[tuple[str, str, str]] = field(default_factory=set)
    statements: dict[str, _Statement] = field(default_factory=lambda: defaultdict(_Statement))


def _value(term: Any) -> str:
    # pyoxigraph's stubs allow RDF-star triples as terms; a kg graph has none.
    return str(term.value)


def _scan(triples: Iterable[ox.Triple]) -> _Scan:
    scan = _Scan()
    mentioned_in = _KG + "mentionedIn"
    for triple in triples:
        s, p, o = triple.subject, _value(triple.predicate), triple.object
        if not isinstance(s, ox.NamedNode):
            continue
        if p == _TYPE and _value(o) in _CLASSES:
            # several classes on one node (a contract violation) -> keep the first by name
            current = scan.classes.get(s.value)
            name = _CLASSES[_value(o)]
            scan.classes[s.value] = min(current, name) if current else name
        elif p == _LABEL and isinstance(o, ox.Literal):
            current = scan.labels.get(s.value)
            scan.labels[s.value] = min(current, o.value) if current else o.value
        elif p in _RELATIONS and isinstance(o, ox.NamedNode):
            scan.edges.add((s.value, _RELATIONS[p], o.value))
        elif p == mentioned_in:
            scan.articles[s.value].add(_value(o))
        elif p in _STATEMENT_KEYS:
            key = _STATEMENT_KEYS[p]
            value = _value(o)
            setattr(scan.statements[s.value], key, _RELATIONS.get(value, value) if key == "p" else value)
    return scan


def actor_network(triples: Iterable[ox.Triple]) -> nx.MultiDiGraph:
    """The actor network of a graph's triples; nodes and edges added in sorted order."""
    scan = _scan(triples)
    evidence: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for statement in scan.statements.values():
        evidence[(statement.s, statement.p, statement.o)].append(statement.date)
    network = nx.MultiDiGraph()
    endpoints = {s for s, _, _ in scan.edges} | {o for _, _, o in scan.edges}
    for node in sorted(set(scan.classes) | endpoints):
        cls = scan.classes.get(node, "")
        network.add_node(
            node,
            label=scan.labels.get(node, node.rsplit("/", 1)[-1]),
            cls=cls,
            top=CLASS_TOP.get(cls, ""),
            articles=len(scan.articles.get(node, ())),
        )
    for s, p, o in sorted(scan.edges):
        dates = sorted(d for d in evidence.get((s, p, o), []) if d)
        network.add_edge(
            s, o, key=p,
            predicate=p,
            label=p,
            evidence=len(evidence.get((s, p, o), [])),
            symmetric=p in SYMMETRIC_PREDICATES,
            first=dates[0] if dates else "",
            last=dates[-1] if dates else "",
        )
    return network


def undirected(network: nx.MultiDiGraph) -> nx.Graph:
    """One undirected edge per related pair, ``weight`` = pieces of evidence (at least 1 per relation)."""
    simple = nx.Graph()
    simple.add_nodes_from(network.nodes(data=True))
    for s, o, data in network.edges(data=True):
        if s == o:
            continue
        weight = max(1, int(data.get("evidence", 1)))
        if simple.has_edge(s, o):
            simple[s][o]["weight"] += weight
        else:
            simple.add_edge(s, o, weight=weight)
    return simple

"""The actor network of a graph: actors, the contract's relation edges between them, and each edge's evidence.

One projection (:func:`project`) read by every consumer of the actor network: the view
(``kg.viz_select``), ``kg stats``, the GraphML, GEXF and CSV exports (through
:func:`to_networkx`) and the evaluation's predicted relations. It keeps what the graph
says, in plain strings (IRIs), and leaves each consumer its own choices: the view draws
typed actors and merges the two directions of a symmetric relation; the exports keep
every edge as asserted.

- **Actors**: every node typed with a class of the ontology under Person, Organization or
  Place, and every end of a relation edge (untyped ends have ``cls`` ""). ``label`` is the
  least ``rdfs:label`` (the contract allows one), else the IRI's last segment.
- **Edges**: the direct triples whose predicate is one of the 14 contract relations, between
  two IRIs, as (source, predicate local name, target), sorted.
- **Statements**: the ``kg:Statement`` nodes naming such a relation, with their evidence
  (sentence, article, dates, qualifiers), in the order of the graph given.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.rdf import BLANK, Term, Triple
from kg.vocab import (
    CLAIM,
    CLASS_TOP,
    EVENT,
    KG,
    MENTION,
    PREFIXES,
    RELATION_PREDICATES,
    SYMMETRIC_PREDICATES,
)

if TYPE_CHECKING:  # networkx is imported only where a network is built: `kg build` stays quick
    import networkx as nx  # type: ignore[import-untyped]

_KG = str(KG._NS)
_RDF, _RDFS, _SCHEMA = PREFIXES["rdf"], PREFIXES["rdfs"], PREFIXES["schema"]

# What the projection reads, by predicate: most of a large graph (mentions, events, claims,
# article texts) it never looks at.
_TYPE, _LABEL, _ALT_LABEL = _RDF + "type", _RDFS + "label", PREFIXES["skos"] + "altLabel"
_MENTIONED_IN = _KG + "mentionedIn"
_SUBJECT, _PREDICATE, _OBJECT = _RDF + "subject", _RDF + "predicate", _RDF + "object"
_STATEMENT_FIELDS = {  # statement property -> field of the statement's record
    _SUBJECT: "s", _PREDICATE: "p", _OBJECT: "o", PREFIXES["prov"] + "wasDerivedFrom": "article",
    _KG + "evidenceText": "sentence", _KG + "articleDate": "article_date", _KG + "role": "role",
    _KG + "quantity": "quantity", _KG + "time": "time", _KG + "timeText": "time_text",
}
_ARTICLE_FIELDS = {
    _SCHEMA + "headline": "headline", _SCHEMA + "publisher": "publisher", _SCHEMA + "datePublished": "published",
    _SCHEMA + "url": "url",
}
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}(?:$|T)")  # a full date, or the date of a date-time
_RELATIONS = {_KG + name: name for name in RELATION_PREDICATES}
_CLASSES = {_KG + name: name for name in CLASS_TOP}
_STATEMENT_CLASS = _KG + "Statement"
_SKIPPED_NODES = (str(MENTION), str(EVENT), str(CLAIM))  # never an actor, a statement or an article
# Predicate -> what the scan does with it, and the field or name it reads into. Keyed by node:
# hashing a node costs less than reading its text.
_READ: dict[Term, tuple[str, str]] = {
    ox.NamedNode(_TYPE): ("type", ""), ox.NamedNode(_LABEL): ("label", ""), ox.NamedNode(_ALT_LABEL): ("alt", ""),
    ox.NamedNode(_MENTIONED_IN): ("mentioned", ""),
    **{ox.NamedNode(p): ("relation", name) for p, name in _RELATIONS.items()},
    **{ox.NamedNode(p): ("statement", name) for p, name in _STATEMENT_FIELDS.items()},
    **{ox.NamedNode(p): ("article", name) for p, name in _ARTICLE_FIELDS.items()},
}


@dataclass(frozen=True, slots=True)
class Evidence:
    """One statement behind an edge: the sentence, the article it was read in, its dates and qualifiers."""

    sentence: str
    headline: str | None = None
    publisher: str | None = None
    published: str | None = None  # the article's schema:datePublished
    article_date: str | None = None  # the statement's kg:articleDate
    role: str | None = None
    quantity: str | None = None
    when: str | None = None  # kg:timeText, else kg:time
    url: str | None = None  # the article's schema:url, as the graph gives it (unchecked)
    time: str | None = None  # kg:time: when the event happened, an ISO date or part of one

    @property
    def date(self) -> str | None:
        """The date to show: the article's date as the statement gives it, else its publication date."""
        return self.article_date or self.published

    @property
    def days(self) -> tuple[str, ...]:
        """The full dates (``YYYY-MM-DD``) of this evidence: its article's and its event's, sorted, once each."""
        return tuple(sorted({d[:10] for d in (self.date, self.time) if d and _DAY.match(d)}))

    @property
    def qualifiers(self) -> tuple[str, ...]:
        """``role: …``, ``quantity: …``, ``when: …``, as far as the statement gives them."""
        return tuple(f"{name}: {value}" for name, value in
                     (("role", self.role), ("quantity", self.quantity), ("when", self.when)) if value)


@dataclass(frozen=True, slots=True)
class Actor:
    """An actor: its IRI, label, class local name ("" when untyped), other names, roles and articles naming it."""

    iri: str
    label: str
    cls: str
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()  # "Prime Minister, Iraq": filled by the view, from the statements' kg:role
    articles: int = 0

    @property
    def top(self) -> str:
        """Person, Organization or Place ("" when untyped)."""
        return CLASS_TOP.get(self.cls, "")


@dataclass(frozen=True, slots=True)
class Statement:
    """A statement node naming a relation edge (which the graph may fail to assert), with its evidence."""

    source: str
    predicate: str
    target: str
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class ActorNetwork:
    """Actors by IRI (sorted), relation edges as asserted (sorted), statements in the graph's order."""

    actors: Mapping[str, Actor]
    edges: tuple[tuple[str, str, str], ...]
    statements: tuple[Statement, ...]

    def dates(self) -> dict[tuple[str, str, str], tuple[str, ...]]:
        """Each edge's dates: the days of its evidence (article and event dates), sorted, once each."""
        return {edge: tuple(sorted({d for e in found for d in e.days})) for edge, found in self.evidence().items()}

    def evidence(self) -> dict[tuple[str, str, str], list[Evidence]]:
        """Each edge's evidence, in the graph's order: the statements naming exactly that edge."""
        found: dict[tuple[str, str, str], list[Evidence]] = {edge: [] for edge in self.edges}
        for statement in self.statements:
            key = (statement.source, statement.predicate, statement.target)
            if key in found:
                found[key].append(statement.evidence)
        return found


def _finest(classes: Iterable[str]) -> str:
    """The class to show of a node's classes: a finer one than a top class where there is one, first by name."""
    known = sorted(classes)
    finer = [c for c in known if CLASS_TOP[c] != c]
    return (finer or known)[0] if known else ""


def project(triples: Iterable[Triple]) -> ActorNetwork:
    """The actor network of a graph given as triples (a file's, or a build's stream; repeats count once).

    Where the graph gives several values of a one-valued property of a statement or an
    article (a contract violation), the first met is read.
    """
    classes: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, set[str]] = defaultdict(set)
    aliases: dict[str, set[str]] = defaultdict(set)
    mentioned: dict[str, set[str]] = defaultdict(set)
    edges: set[tuple[str, str, str]] = set()
    statements: dict[str, dict[str, str]] = defaultdict(dict)  # node -> field -> first value
    typed_statements: dict[str, None] = {}  # kg:Statement nodes, in the order first met
    articles: dict[str, dict[str, str]] = defaultdict(dict)
    read, named, literal = _READ.get, ox.NamedNode, ox.Literal
    for s, p, o in triples:
        found = read(p)
        if found is None or (subject := s.value).startswith(_SKIPPED_NODES):
            continue
        kind, name = found
        is_named = type(s) is named
        if kind == "statement":
            statements[subject if is_named else BLANK + subject].setdefault(name, o.value)
        elif kind == "type":
            if o.value == _STATEMENT_CLASS:
                typed_statements.setdefault(subject if is_named else BLANK + subject)
            elif is_named and o.value in _CLASSES:
                classes[subject].add(_CLASSES[o.value])
        elif not is_named:
            continue  # a blank node is never an actor nor an article
        elif kind == "relation":
            if type(o) is named:
                edges.add((subject, name, o.value))
        elif kind == "label":
            if type(o) is literal:
                labels[subject].add(o.value)
        elif kind == "alt":
            aliases[subject].add(o.value)
        elif kind == "mentioned":
            mentioned[subject].add(o.value)
        else:
            articles[subject].setdefault(name, o.value)
    nodes = set(classes) | {s for s, _, _ in edges} | {o for _, _, o in edges}
    actors = {}
    for iri in sorted(nodes):
        label = min(labels.get(iri, ()), default="") or iri.rsplit("/", 1)[-1]
        actors[iri] = Actor(iri, label, _finest(classes.get(iri, ())), tuple(sorted(aliases.get(iri, set()) - {label})),
                            articles=len(mentioned.get(iri, ())))
    return ActorNetwork(actors, tuple(sorted(edges)), tuple(_statements(typed_statements, statements, articles)))


def _statements(nodes: Iterable[str], fields: Mapping[str, Mapping[str, str]],
                articles: Mapping[str, Mapping[str, str]]) -> list[Statement]:
    found = []
    for node in nodes:
        record = fields.get(node, {})
        s, p, o = record.get("s"), _RELATIONS.get(record.get("p", "")), record.get("o")
        if s is None or p is None or o is None:
            continue
        article = articles.get(record.get("article", ""), {})
        found.append(Statement(s, p, o, Evidence(
            sentence=record.get("sentence", ""),
            headline=article.get("headline"),
            publisher=article.get("publisher"),
            published=article.get("published"),
            article_date=record.get("article_date"),
            role=record.get("role"),
            quantity=record.get("quantity"),
            when=record.get("time_text") or record.get("time"),
            url=article.get("url"),
            time=record.get("time"),
        )))
    return found


def to_networkx(network: ActorNetwork) -> nx.MultiDiGraph:
    """The network as networkx: every actor, every edge as asserted, keyed by predicate, nodes and edges sorted.

    Nodes carry ``label``, ``cls``, ``top`` and ``articles``; edges ``predicate``, ``label``,
    ``evidence`` (statements naming the edge), ``symmetric`` and the ``first`` and ``last``
    of its dates (``ActorNetwork.dates``; "" when undated).
    """
    import networkx as nx

    graph = nx.MultiDiGraph()
    for iri, actor in network.actors.items():
        graph.add_node(iri, label=actor.label, cls=actor.cls, top=actor.top, articles=actor.articles)
    evidence = network.evidence()
    for s, p, o in network.edges:
        dates = sorted({day for e in evidence[(s, p, o)] for day in e.days})
        graph.add_edge(
            s, o, key=p,
            predicate=p,
            label=p,
            evidence=len(evidence[(s, p, o)]),
            symmetric=p in SYMMETRIC_PREDICATES,
            first=dates[0] if dates else "",
            last=dates[-1] if dates else "",
        )
    return graph


def undirected(network: nx.MultiDiGraph) -> nx.Graph:
    """One undirected edge per related pair, ``weight`` = pieces of evidence (at least 1 per relation)."""
    import networkx as nx

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

"""A built graph -> an interactive network view: one offline HTML page (pyvis data, vis-network in-line).

The page loads nothing from the network: vis-network and its CSS are read from
the pyvis package and written into the page, and the page's own controls
(legend, filters, search, details panel) use no framework. Article text is
untrusted: it only reaches the page as JSON inside a script (``<``, ``>``,
``&`` and ``'`` escaped by Jinja's ``tojson``) and is displayed as text
(vis-network shows a string ``title`` with ``innerText``; the page's own code
uses ``textContent``), so nothing in an article can run.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict, deque
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
import pyvis
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup
from pyvis.network import Network
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

from kg.errors import KGError
from kg.graph import Triple
from kg.normalize import fold, name_key
from kg.vocab import (
    CLAIM,
    CLASS_TOP,
    EVENT,
    KG,
    MENTION,
    PROV,
    RELATION_PREDICATES,
    SCHEMA,
    SYMMETRIC_PREDICATES,
)
from kg.worker import DEFAULT_LIMIT, DEFAULT_MAX_MEMORY, DEFAULT_TIMEOUT

# Above this many actors the layout trades quality for time: no improvedLayout
# (vis clusters the graph first, slow past a few hundred nodes), straight edges
# and a cheaper solver.
LARGE = 300
# Evidence sentences in an edge's hover tooltip, and in the (scrollable) details panel on click.
MAX_EVIDENCE_TOOLTIP = 4
MAX_EVIDENCE_DETAILS = 40
MAX_SENTENCE = 280

# Class -> (colour, vis shape). Shape follows the top class family so the three
# families read apart at a glance; colour tells the finer class.
CLASS_STYLE: dict[str, tuple[str, str]] = {
    "Person": ("#d1495b", "dot"),
    "Organization": ("#4e79a7", "square"),
    "GovernmentBody": ("#2f6db3", "square"),
    "DiplomaticMission": ("#6fa8dc", "square"),
    "PoliticalParty": ("#c9a227", "square"),
    "MediaOutlet": ("#e68fac", "square"),
    "InternationalOrganization": ("#8e6c8a", "hexagon"),
    "MilitaryForce": ("#3d8b37", "triangle"),
    "MilitaryOperation": ("#7fb069", "triangle"),
    "ArmedGroup": ("#ed7d31", "triangle"),
    "Place": ("#5fa8a0", "diamond"),
    "Country": ("#1b998b", "diamond"),
    "Region": ("#7cc6bd", "diamond"),
    "Settlement": ("#a3b18a", "diamond"),
    "Facility": ("#8d8d8d", "star"),
    "MilitaryBase": ("#6b5b4b", "star"),
}
OTHER_STYLE = ("#9e9e9e", "dot")

PREDICATE_COLOURS: dict[str, str] = {
    "consulted": "#1f77b4",
    "requested": "#17a2b8",
    "criticized": "#c2185b",
    "rejected": "#8c564b",
    "threatened": "#f28e2b",
    "attacked": "#d62728",
    "cooperatedWith": "#2ca02c",
    "supported": "#7cb342",
    "memberOf": "#7f7f7f",
    "leaderOf": "#7b4fb5",
    "backedBy": "#e377c2",
    "affiliatedWith": "#b8a400",
    "locatedIn": "#a0a0a0",
    "deployedIn": "#5c6bc0",
}
PREDICATE_LABELS: dict[str, str] = {
    "cooperatedWith": "cooperated with",
    "memberOf": "member of",
    "leaderOf": "leader of",
    "backedBy": "backed by",
    "affiliatedWith": "affiliated with",
    "locatedIn": "located in",
    "deployedIn": "deployed in",
}
CLASS_LABELS: dict[str, str] = {
    "GovernmentBody": "Government body",
    "DiplomaticMission": "Diplomatic mission",
    "PoliticalParty": "Political party",
    "MediaOutlet": "Media outlet",
    "InternationalOrganization": "International organization",
    "MilitaryForce": "Military force",
    "MilitaryOperation": "Military operation",
    "ArmedGroup": "Armed group",
    "MilitaryBase": "Military base",
}
_KG_NS = str(KG._NS)


class ActorNotFound(KGError):
    """The actor named for an ego view is not in the graph."""


class ViewQueryError(KGError):
    """The query given for a view is not a SPARQL CONSTRUCT that runs on the graph."""


@dataclass(frozen=True, slots=True)
class Evidence:
    """One statement behind an edge: the sentence and where it was read."""

    sentence: str
    headline: str | None = None
    publisher: str | None = None
    date: str | None = None
    qualifiers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Actor:
    iri: str
    label: str
    cls: str
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    articles: int = 0


@dataclass(frozen=True, slots=True)
class Link:
    """A direct edge; for a symmetric predicate ``source`` < ``target``."""

    source: str
    predicate: str
    target: str
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class View:
    """What the page draws: actors by IRI and the aggregated edges between them."""

    actors: Mapping[str, Actor]
    links: tuple[Link, ...]

    def neighbours(self) -> dict[str, set[str]]:
        adjacent: dict[str, set[str]] = {iri: set() for iri in self.actors}
        for link in self.links:
            adjacent[link.source].add(link.target)
            adjacent[link.target].add(link.source)
        return adjacent


def label_of(predicate: str) -> str:
    return PREDICATE_LABELS.get(predicate, predicate)


def _link_key(source: str, predicate: str, target: str) -> tuple[str, str, str]:
    if predicate in SYMMETRIC_PREDICATES and target < source:
        source, target = target, source
    return source, predicate, target


def _local(text: str) -> str | None:
    return text[len(_KG_NS):] if text.startswith(_KG_NS) else None


def _actor_class(classes: Iterable[str]) -> str | None:
    known = sorted(c for c in classes if c in CLASS_TOP)
    finer = [c for c in known if CLASS_TOP[c] != c]
    return (finer or known)[0] if known else None


def _newest_first(items: Iterable[Evidence]) -> tuple[Evidence, ...]:
    """Evidence by date, newest first (ISO dates sort as text), undated last; ties by headline."""
    by_headline = sorted(items, key=lambda e: (e.headline or "", e.sentence))
    return tuple(sorted(by_headline, key=lambda e: e.date or "", reverse=True))


# What ``project`` reads of a built graph: classes, predicates it reads one value of (the first,
# as ``Graph.value`` gives it), and predicates it reads every value of. The rest (mentions, events,
# claims, article texts) is most of a large graph, so ``view_graph`` leaves it out.
_TYPE = str(RDF.type)
_ONE_VALUED = frozenset(
    str(p)
    for p in (
        RDFS.label, RDF.subject, RDF.predicate, RDF.object, PROV.wasDerivedFrom, KG.evidenceText, KG.role,
        KG.quantity, KG.time, KG.timeText, KG.articleDate, SCHEMA.headline, SCHEMA.publisher, SCHEMA.datePublished,
    )
)
_SET_VALUED = frozenset(str(p) for p in (SKOS.altLabel, KG.mentionedIn, *(KG[name] for name in RELATION_PREDICATES)))
_VIEW_PREDICATES = frozenset({_TYPE, *_ONE_VALUED, *_SET_VALUED})
_VIEW_SKIPPED_NODES = (str(MENTION), str(EVENT), str(CLAIM))
_STATEMENT, _LABEL, _ALT_LABEL, _MENTIONED_IN = str(KG.Statement), str(RDFS.label), str(SKOS.altLabel), str(KG.mentionedIn)
_SUBJECT, _PREDICATE, _OBJECT = str(RDF.subject), str(RDF.predicate), str(RDF.object)
_DERIVED_FROM, _EVIDENCE_TEXT, _ARTICLE_DATE = str(PROV.wasDerivedFrom), str(KG.evidenceText), str(KG.articleDate)
_ROLE, _QUANTITY, _TIME, _TIME_TEXT = str(KG.role), str(KG.quantity), str(KG.time), str(KG.timeText)
_HEADLINE, _PUBLISHER, _PUBLISHED = str(SCHEMA.headline), str(SCHEMA.publisher), str(SCHEMA.datePublished)
_BLANK = "_:"  # no IRI starts so (an IRI scheme begins with a letter)


@dataclass(frozen=True, slots=True)
class ViewIndex:
    """What the view reads of a graph, indexed once in plain dicts keyed by term text.

    A term's text is its IRI, its literal's lexical form, or ``_:`` and its blank
    node id. ``instances`` maps a class to its instances (``rdf:type`` read
    backwards), ``first`` a predicate to each subject's first object, ``sets`` a
    predicate to each subject's objects. All keep the order in which they were
    first seen and drop repeats, as an rdflib Graph does.
    """

    instances: Mapping[str, Mapping[str, None]]
    first: Mapping[str, Mapping[str, str]]
    sets: Mapping[str, Mapping[str, Mapping[str, None]]]

    @classmethod
    def of(cls, rows: Iterable[tuple[str, str, str]]) -> ViewIndex:
        """The index of (subject, predicate, object) term texts; predicates ``project`` does not read are dropped."""
        instances: defaultdict[str, dict[str, None]] = defaultdict(dict)
        first: dict[str, dict[str, str]] = {p: {} for p in _ONE_VALUED}
        sets: dict[str, defaultdict[str, dict[str, None]]] = {p: defaultdict(dict) for p in _SET_VALUED}
        for s, p, o in rows:
            if p in first:
                table = first[p]
                if s not in table:
                    table[s] = o
            elif p in sets:
                sets[p][s][o] = None
            elif p == _TYPE:
                instances[o][s] = None
        return cls(instances, first, sets)

    @classmethod
    def from_graph(cls, graph: Graph) -> ViewIndex:
        """The index of an rdflib Graph."""

        def rows() -> Iterator[tuple[str, str, str]]:
            for predicate in _VIEW_PREDICATES:
                node = URIRef(predicate)
                # Instances of a class come in the order ``Graph.subjects(RDF.type, cls)`` lists them.
                pairs = _first_values(graph, node) if predicate in _ONE_VALUED else graph.subject_objects(node)
                for s, o in pairs:
                    if not isinstance(s, Literal):  # not RDF, and never an actor
                        yield _rdflib_text(s), predicate, _rdflib_text(o)

        return cls.of(rows())

    def value(self, subject: str, predicate: str) -> str | None:
        """The first object of ``subject`` and a predicate read as one value, or None."""
        return self.first[predicate].get(subject)

    def objects(self, subject: str, predicate: str) -> Collection[str]:
        """The objects of ``subject`` and a predicate read as a set."""
        return self.sets[predicate].get(subject, {})


def _first_values(graph: Graph, predicate: URIRef) -> Iterator[tuple[Node, Node]]:
    """Each subject of ``predicate`` and the object ``Graph.value`` gives, which need not be the first listed."""
    first: dict[Node, Node | None] = {}
    for s, o in graph.subject_objects(predicate):
        first[s] = None if s in first else o  # None: several, ask the Graph which comes first
    for s, known in first.items():
        yield s, known if known is not None else next(graph.objects(s, predicate))


def _rdflib_text(term: Node) -> str:
    return _BLANK + str(term) if isinstance(term, BNode) else str(term)


def view_graph(triples: Iterable[Triple]) -> ViewIndex:
    """The part of a built graph (a stream of pyoxigraph triples) the view reads, indexed for ``project``."""
    predicates = {ox.NamedNode(p): p for p in _VIEW_PREDICATES}  # hashing a node costs less than reading its text
    blank = ox.BlankNode
    return ViewIndex.of(
        (
            _BLANK + s.value if type(s) is blank else s.value,
            predicate,
            _BLANK + o.value if type(o) is blank else o.value,
        )
        for s, p, o in triples
        if (predicate := predicates.get(p)) is not None and not s.value.startswith(_VIEW_SKIPPED_NODES)
    )


def project(graph: Graph | ViewIndex) -> View:
    """Read the actors, their edges (one per subject, predicate, object) and each edge's evidence."""
    index = graph if isinstance(graph, ViewIndex) else ViewIndex.from_graph(graph)
    value = index.value
    classes: dict[str, set[str]] = defaultdict(set)
    for cls, members in index.instances.items():
        local = _local(cls)
        if local in CLASS_TOP:
            for subject in members:
                if not subject.startswith(_BLANK):
                    classes[subject].add(local)
    articles: dict[str, tuple[str | None, str | None, str | None]] = {}

    def article(node: str) -> tuple[str | None, str | None, str | None]:
        if node not in articles:
            articles[node] = (value(node, _HEADLINE), value(node, _PUBLISHER), value(node, _PUBLISHED))
        return articles[node]

    labels = {iri: value(iri, _LABEL) or iri.rsplit("/", 1)[-1] for iri in classes}
    evidence: dict[tuple[str, str, str], list[Evidence]] = defaultdict(list)
    roles: dict[str, set[str]] = defaultdict(set)
    for statement in index.instances.get(_STATEMENT, ()):
        s, p, o = (value(statement, prop) for prop in (_SUBJECT, _PREDICATE, _OBJECT))
        predicate = _local(p) if p is not None else None
        if predicate not in RELATION_PREDICATES or s is None or o is None or s not in classes or o not in classes:
            continue
        source = value(statement, _DERIVED_FROM)
        headline, publisher, published = article(source) if source is not None else (None, None, None)
        role = value(statement, _ROLE)
        qualifiers = [
            f"{name}: {text}"
            for name, text in (
                ("role", role),
                ("quantity", value(statement, _QUANTITY)),
                ("when", value(statement, _TIME_TEXT) or value(statement, _TIME)),
            )
            if text
        ]
        evidence[_link_key(s, predicate, o)].append(
            Evidence(
                sentence=value(statement, _EVIDENCE_TEXT) or "",
                headline=headline,
                publisher=publisher,
                date=value(statement, _ARTICLE_DATE) or published,
                qualifiers=tuple(qualifiers),
            )
        )
        if role:
            roles[s].add(f"{role}, {labels[o]}")
    keys: set[tuple[str, str, str]] = set()
    for predicate in RELATION_PREDICATES:
        for s, objects in index.sets[_KG_NS + predicate].items():
            if s in classes:
                for o in objects:
                    if o in classes and s != o:
                        keys.add(_link_key(s, predicate, o))
    links = tuple(
        Link(s, p, o, _newest_first(evidence.get((s, p, o), ())))
        for s, p, o in sorted(keys)
    )
    actors = {
        iri: Actor(
            iri=iri,
            label=labels[iri],
            cls=_actor_class(found) or "Thing",
            aliases=tuple(sorted(set(index.objects(iri, _ALT_LABEL)) - {labels[iri]})),
            roles=tuple(sorted(roles.get(iri, ()))),
            articles=len(index.objects(iri, _MENTIONED_IN)),
        )
        for iri, found in sorted(classes.items())
    }
    return View(actors, links)


def find_actor(view: View, name: str) -> Actor:
    """The actor called ``name``: by label, then alias, then spelling-folded key, then part of a name.

    "al-Soudani" finds "Mohammed Shia al-Sudani": the transliteration-aware key
    of the query is a run of words in the key of the label.
    """
    wanted = fold(name.strip())
    if not wanted:
        raise ActorNotFound("no actor name given")
    key = f" {name_key(name)} "
    actors = sorted(view.actors.values(), key=lambda a: (a.label, a.iri))
    tests = (
        lambda a: fold(a.label) == wanted,
        lambda a: any(fold(alias) == wanted for alias in a.aliases),
        lambda a: any(f" {name_key(x)} " == key for x in (a.label, *a.aliases)),
        lambda a: any(key in f" {name_key(x)} " for x in (a.label, *a.aliases)),
        lambda a: any(wanted in fold(x) for x in (a.label, *a.aliases)),
    )
    for test in tests:
        found = [a for a in actors if test(a)]
        if found:
            return found[0]
    raise ActorNotFound(f"no actor named {name!r} in the graph")


def ego(view: View, name: str, hops: int = 1) -> View:
    """The actors within ``hops`` edges of the actor called ``name``, and the edges among them."""
    if hops < 0:
        raise KGError("--hops must be 0 or more")
    centre = find_actor(view, name).iri
    adjacent = view.neighbours()
    seen = {centre}
    frontier: deque[tuple[str, int]] = deque([(centre, 0)])
    while frontier:
        iri, depth = frontier.popleft()
        if depth == hops:
            continue
        for other in adjacent[iri] - seen:
            seen.add(other)
            frontier.append((other, depth + 1))
    return View(
        {iri: a for iri, a in view.actors.items() if iri in seen},
        tuple(link for link in view.links if link.source in seen and link.target in seen),
    )


def constructed(graph: Graph, view: View, query: str, *, limit: int | None = DEFAULT_LIMIT,
                timeout: float | None = DEFAULT_TIMEOUT, max_memory: int | None = DEFAULT_MAX_MEMORY) -> View:
    """The view of what a SPARQL CONSTRUCT returns: its actors, and its edges with their evidence.

    Labels, classes and evidence come from the whole graph, so a query only has
    to construct the triples to show (``?a kg:attacked ?b``); an edge the query
    derives that the graph does not assert is drawn without evidence. Like ``kg query``'s,
    the query is checked and run (rdflib) in a worker bounded in time, memory and triples:
    updates, SERVICE calls and FROM clauses are refused, and a view never reaches the network.
    A result cut at ``limit`` triples is refused: part of a graph would draw a wrong picture.
    """
    from kg.query import RdflibEngine, run

    try:
        result = run(RdflibEngine(graph), query, limit=limit, timeout=timeout, max_memory=max_memory)
    except KGError as exc:
        raise ViewQueryError(f"the query does not run: {exc}") from None
    if result.form != "CONSTRUCT":
        raise ViewQueryError(f"the query must be a SPARQL CONSTRUCT, not {result.form}")
    if result.truncated:
        raise ViewQueryError(
            f"the query constructs more than {limit:,} triples (--limit TRIPLES to draw more, 0 for no limit)"
        )
    shown: set[str] = set()
    keys: set[tuple[str, str, str]] = set()
    for s, p, o in result.triples:
        for term in (s, o):
            if str(term) in view.actors:
                shown.add(str(term))
        predicate = _local(str(p))
        if predicate in RELATION_PREDICATES and str(s) in view.actors and str(o) in view.actors and s != o:
            keys.add(_link_key(str(s), predicate, str(o)))
    known = {(link.source, link.predicate, link.target): link for link in view.links}
    return View(
        {iri: a for iri, a in view.actors.items() if iri in shown},
        tuple(known.get(key) or Link(*key) for key in sorted(keys)),
    )


def _short(text: str, limit: int = MAX_SENTENCE) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _class_label(cls: str) -> str:
    return CLASS_LABELS.get(cls, cls)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def actor_tooltip(actor: Actor, degree: int) -> str:
    """The plain-text tooltip of a node (shown as text, never parsed as HTML)."""
    lines = [actor.label, _class_label(actor.cls)]
    if actor.aliases:
        lines.append("Also: " + "; ".join(actor.aliases))
    if actor.roles:
        lines.append("Roles: " + "; ".join(actor.roles))
    lines.append(f"Mentioned in {_plural(actor.articles, 'article')} · {_plural(degree, 'link')}")
    return "\n".join(lines)


def link_tooltip(link: Link, view: View, limit: int = MAX_EVIDENCE_TOOLTIP) -> str:
    """The plain-text tooltip of an edge: its evidence sentences, each with title, outlet and date."""
    arrow = "—" if link.predicate in SYMMETRIC_PREDICATES else "→"
    source, target = view.actors[link.source].label, view.actors[link.target].label
    lines = [f"{source} {arrow} {label_of(link.predicate)} {arrow} {target}"]
    if not link.evidence:
        lines.append("No evidence sentence recorded (derived edge).")
    else:
        lines.append(_plural(len(link.evidence), "piece") + " of evidence")
    for item in link.evidence[:limit]:
        lines.append("")
        lines.append(f"“{_short(item.sentence)}”")
        headline = item.headline and _short(item.headline, 120)
        source_line = " · ".join(x for x in (headline, item.publisher, item.date) if x)
        if source_line:
            lines.append(f"   — {source_line}")
        if item.qualifiers:
            lines.append("   " + "; ".join(item.qualifiers))
    hidden = len(link.evidence) - limit
    if hidden > 0:
        lines.extend(["", f"… and {hidden} more (click the edge for the list)" if limit < MAX_EVIDENCE_DETAILS
                      else f"… and {hidden} more"])
    return "\n".join(lines)


def centrality(view: View) -> dict[str, float]:
    """Degree centrality over the undirected actor graph (0 for isolated actors)."""
    graph = nx.Graph()
    graph.add_nodes_from(view.actors)
    graph.add_edges_from((link.source, link.target) for link in view.links)
    return nx.degree_centrality(graph) if len(graph) > 1 else {iri: 0.0 for iri in view.actors}


def _options(n_nodes: int) -> dict[str, Any]:
    large = n_nodes > LARGE
    # vis-network costs ~45 ms an iteration at 2,000 actors on a 2-core machine (bench/viz_settle.py), about
    # linear in size; past ~100 iterations a large graph's picture hardly changes, so the budget shrinks with size.
    iterations = max(100, min(1000, 150_000 // max(n_nodes, 1)))
    solver: dict[str, Any]
    if large:
        solver = {
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "centralGravity": 0.008, "springLength": 90,
                                 "springConstant": 0.08, "damping": 0.6, "avoidOverlap": 0.2},
            "stabilization": {"enabled": True, "iterations": iterations, "updateInterval": 10, "fit": True},
            "minVelocity": 1.5,
        }
    else:
        solver = {
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -110, "centralGravity": 0.02, "springLength": 125,
                                 "springConstant": 0.06, "damping": 0.5, "avoidOverlap": 0.6},
            "stabilization": {"enabled": True, "iterations": iterations, "updateInterval": 25, "fit": True},
            "minVelocity": 0.75,
        }
    return {
        "autoResize": True,
        "layout": {"improvedLayout": not large, "randomSeed": 7},
        "physics": {"enabled": True, **solver},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": large, "hideEdgesOnZoom": large,
                        "multiselect": False, "navigationButtons": False, "keyboard": False},
        "nodes": {"borderWidth": 1.5, "borderWidthSelected": 3,
                  "font": {"size": 17, "face": "Liberation Sans, Arial, sans-serif", "color": "#1d2330",
                           "strokeWidth": 4, "strokeColor": "#ffffff"},
                  "scaling": {"label": {"enabled": False, "drawThreshold": 6}}},
        "edges": {"smooth": False if large else {"enabled": True, "type": "continuous", "roundness": 0.2},
                  "selectionWidth": 2, "hoverWidth": 1.5,
                  "font": {"size": 12, "face": "Liberation Sans, Arial, sans-serif", "align": "horizontal",
                           "strokeWidth": 4, "strokeColor": "#ffffff"},
                  "arrows": {"to": {"enabled": False, "scaleFactor": 0.6}}},
    }


def _darker(colour: str, factor: float = 0.72) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(int(c * factor) for c in (r, g, b)))


def network(view: View, title: str = "kg network") -> Network:
    """The pyvis network of a view, its node and edge lists filled directly (``add_edge`` is quadratic)."""
    net = Network(height="100%", width="100%", directed=True, heading=title, cdn_resources="in_line")
    centre = centrality(view)
    top = max(centre.values(), default=0.0) or 1.0
    degree: dict[str, int] = defaultdict(int)
    for link in view.links:
        degree[link.source] += 1
        degree[link.target] += 1
    for iri, actor in view.actors.items():
        colour, shape = CLASS_STYLE.get(actor.cls, OTHER_STYLE)
        node = {
            "id": iri,
            "label": actor.label,
            "title": actor_tooltip(actor, degree[iri]),
            "shape": shape,
            "size": round(9 + 25 * math.sqrt(centre.get(iri, 0.0) / top), 1),
            "color": {"background": colour, "border": _darker(colour),
                      "highlight": {"background": colour, "border": "#111111"},
                      "hover": {"background": colour, "border": "#111111"}},
            "cls": actor.cls,
            "names": [actor.label, *actor.aliases],
        }
        net.nodes.append(node)
        net.node_ids.append(iri)
        net.node_map[iri] = node
    parallel: dict[frozenset[str], int] = defaultdict(int)
    large = len(view.actors) > LARGE
    for number, link in enumerate(view.links):
        colour = PREDICATE_COLOURS.get(link.predicate, "#888888")
        count = len(link.evidence)
        edge: dict[str, Any] = {
            "id": f"e{number}",
            "from": link.source,
            "to": link.target,
            "label": label_of(link.predicate) + (f" ×{count}" if count > 1 else ""),
            "title": link_tooltip(link, view),
            "detail": link_tooltip(link, view, MAX_EVIDENCE_DETAILS) if count > MAX_EVIDENCE_TOOLTIP else None,
            "color": {"color": colour, "highlight": colour, "hover": colour, "opacity": 0.85},
            "font": {"color": _darker(colour, 0.8)},
            "width": round(1.2 + 1.4 * math.log2(max(count, 1)), 2),
            "arrows": {"to": {"enabled": link.predicate not in SYMMETRIC_PREDICATES}},
            "predicate": link.predicate,
            "count": count,
        }
        # Edges between the same two actors curve apart instead of drawing over each other.
        pair = frozenset((link.source, link.target))
        rank = parallel[pair]
        parallel[pair] += 1
        if rank and not large:
            edge["smooth"] = {"enabled": True, "type": "curvedCW" if rank % 2 else "curvedCCW",
                              "roundness": 0.22 * ((rank + 1) // 2)}
        net.edges.append(edge)
    net.options = _options(len(view.actors))  # type: ignore[assignment]
    return net


def legend(view: View) -> dict[str, list[dict[str, Any]]]:
    """Classes and predicates present in the view, with their colour, shape and count."""
    classes: dict[str, int] = defaultdict(int)
    for actor in view.actors.values():
        classes[actor.cls] += 1
    predicates: dict[str, int] = defaultdict(int)
    for link in view.links:
        predicates[link.predicate] += 1
    order = list(CLASS_STYLE)
    return {
        "classes": [
            {"cls": cls, "label": _class_label(cls), "count": n, "top": CLASS_TOP.get(cls, "Other"),
             "color": CLASS_STYLE.get(cls, OTHER_STYLE)[0], "shape": CLASS_STYLE.get(cls, OTHER_STYLE)[1]}
            for cls, n in sorted(classes.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else 99, kv[0]))
        ],
        "predicates": [
            {"predicate": p, "label": label_of(p), "count": predicates[p], "color": PREDICATE_COLOURS.get(p, "#888"),
             "directed": p not in SYMMETRIC_PREDICATES}
            for p in RELATION_PREDICATES
            if predicates.get(p)
        ],
    }


def _environment() -> Environment:
    pyvis_templates = Path(pyvis.__file__).parent / "templates"
    return Environment(
        loader=FileSystemLoader([str(files("kg") / "templates"), str(pyvis_templates)]),
        autoescape=True,
        keep_trailing_newline=True,
    )


def _asset(name: str) -> Markup:
    # vis-network 9.1.2 as shipped in pyvis; inlined so the page needs no network.
    path = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2" / name
    # The source-map comment is a reference to a file the page does not have.
    text = re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", path.read_text(encoding="utf-8"))
    closing = "</style" if name.endswith(".css") else "</script"
    if closing in text.lower():  # would end the element early; never true of the shipped files
        raise KGError(f"cannot inline {path}: it contains {closing}")
    return Markup(text)


def render(view: View, title: str = "kg network") -> str:
    """The HTML page of a view: self-contained, nothing loaded from the network."""
    net = network(view, title)
    nodes, edges, heading, _height, _width, options = net.get_network_data()
    template = _environment().get_template("network.html")
    return template.render(
        title=heading,
        nodes=nodes,
        edges=edges,
        options=Markup(options),  # json.dumps of _options(): no article text in it
        legend=legend(view),
        vis_js=_asset("vis-network.min.js"),
        vis_css=_asset("vis-network.css"),
    )


def select(
    graph: Graph | ViewIndex, *, focus: str | None = None, hops: int = 1, query: str | None = None,
    limit: int | None = DEFAULT_LIMIT, timeout: float | None = DEFAULT_TIMEOUT,
    max_memory: int | None = DEFAULT_MAX_MEMORY,
) -> View:
    """The view of a graph: whole, or narrowed to a CONSTRUCT query's result, then to an ego view.

    A query runs on an rdflib Graph, within ``limit``, ``timeout`` and ``max_memory`` (see
    ``constructed``); a ``ViewIndex`` (from ``view_graph``) holds too little to query.
    """
    view = project(graph)
    if query:
        if not isinstance(graph, Graph):
            raise TypeError("a CONSTRUCT view needs the rdflib Graph, not a ViewIndex")
        view = constructed(graph, view, query, limit=limit, timeout=timeout, max_memory=max_memory)
    if focus:
        view = ego(view, focus, hops)
    return view


def graph_html(
    graph: Graph | ViewIndex,
    *,
    focus: str | None = None,
    hops: int = 1,
    query: str | None = None,
    title: str | None = None,
) -> str:
    """The network page of a graph (see ``select`` for the narrowing options)."""
    view = select(graph, focus=focus, hops=hops, query=query)
    if title is None:
        title = "kg network"
        if focus:
            title += f" around {find_actor(view, focus).label} ({_plural(hops, 'hop')})"
    return render(view, title)


def summary(view: View) -> str:
    """One line for the CLI: how many actors and edges a view draws."""
    return f"{_plural(len(view.actors), 'actor')}, {_plural(len(view.links), 'edge')}"


__all__ = [
    "Actor",
    "ActorNotFound",
    "Evidence",
    "Link",
    "View",
    "ViewIndex",
    "ViewQueryError",
    "actor_tooltip",
    "centrality",
    "constructed",
    "ego",
    "find_actor",
    "graph_html",
    "legend",
    "link_tooltip",
    "network",
    "project",
    "render",
    "select",
    "summary",
    "view_graph",
]

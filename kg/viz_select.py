"""What a network view draws: the actor network narrowed to typed actors, a CONSTRUCT query's result, or an ego view.

A view is read from the actor network (``kg.network``): the typed actors, one link per
subject, predicate and object (the two directions of a symmetric relation are one link),
each with the evidence of every statement naming it, newest first.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from kg.errors import KGError
from kg.network import Actor, ActorNetwork, Evidence, project
from kg.normalize import names_matching
from kg.rdf import Triple
from kg.vocab import KG, RELATION_PREDICATES, SYMMETRIC_PREDICATES
from kg.worker import DEFAULT_LIMIT, DEFAULT_MAX_MEMORY, DEFAULT_TIMEOUT

_KG_NS = str(KG._NS)


class ActorNotFound(KGError):
    """The actor named for an ego view is not in the graph."""


class ViewQueryError(KGError):
    """The query given for a view is not a SPARQL CONSTRUCT that runs on the graph."""


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


def _link_key(source: str, predicate: str, target: str) -> tuple[str, str, str]:
    if predicate in SYMMETRIC_PREDICATES and target < source:
        source, target = target, source
    return source, predicate, target


def _newest_first(items: Iterable[Evidence]) -> tuple[Evidence, ...]:
    """Evidence by date, newest first (ISO dates sort as text), undated last; ties by headline."""
    by_headline = sorted(items, key=lambda e: (e.headline or "", e.sentence))
    return tuple(sorted(by_headline, key=lambda e: e.date or "", reverse=True))


def view_of(network: ActorNetwork) -> View:
    """The view of the whole network: typed actors with their roles, and their links with the evidence."""
    typed = {iri: actor for iri, actor in network.actors.items() if actor.cls}
    evidence: dict[tuple[str, str, str], list[Evidence]] = defaultdict(list)
    roles: dict[str, set[str]] = defaultdict(set)
    for statement in network.statements:
        s, o = statement.source, statement.target
        if s in typed and o in typed:
            evidence[_link_key(s, statement.predicate, o)].append(statement.evidence)
            if statement.evidence.role:
                roles[s].add(f"{statement.evidence.role}, {typed[o].label}")
    keys = {_link_key(s, p, o) for s, p, o in network.edges if s in typed and o in typed and s != o}
    links = tuple(Link(s, p, o, _newest_first(evidence.get((s, p, o), ()))) for s, p, o in sorted(keys))
    actors = {iri: replace(actor, roles=tuple(sorted(roles.get(iri, ())))) for iri, actor in typed.items()}
    return View(actors, links)


def find_actor(view: View, name: str) -> Actor:
    """The actor called ``name``: by label, then alias, then spelling-folded key, then part of a name.

    "al-Soudani" finds "Mohammed Shia al-Sudani": the transliteration-aware key
    of the query is a run of words in the key of the label.
    """
    if not name.strip():
        raise ActorNotFound("no actor name given")
    found = names_matching(name, view.actors.values())
    if not found:
        raise ActorNotFound(f"no actor named {name!r} in the graph")
    return found[0]


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


def constructed(triples: Iterable[Triple], view: View, query: str, *, limit: int | None = DEFAULT_LIMIT,
                timeout: float | None = DEFAULT_TIMEOUT, max_memory: int | None = DEFAULT_MAX_MEMORY) -> View:
    """The view of what a SPARQL CONSTRUCT on the graph ``triples`` returns: its actors, its edges and their evidence.

    Labels, classes and evidence come from the whole graph, so a query only has
    to construct the triples to show (``?a kg:attacked ?b``); an edge the query
    derives that the graph does not assert is drawn without evidence. Like ``kg query``'s,
    the query is checked and run (rdflib) in a worker bounded in time, memory and triples:
    updates, SERVICE calls and FROM clauses are refused, and a view never reaches the network.
    A result cut at ``limit`` triples is refused: part of a graph would draw a wrong picture.
    """
    from kg.engines import RdflibEngine
    from kg.query import run
    from kg.rdflib_bridge import rdflib_graph

    try:
        result = run(RdflibEngine(rdflib_graph(triples)), query, limit=limit, timeout=timeout, max_memory=max_memory)
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
            if term.value in view.actors:
                shown.add(term.value)
        predicate = p.value[len(_KG_NS):] if p.value.startswith(_KG_NS) else None
        if predicate in RELATION_PREDICATES and s.value in view.actors and o.value in view.actors and s != o:
            keys.add(_link_key(s.value, predicate, o.value))
    known = {(link.source, link.predicate, link.target): link for link in view.links}
    return View(
        {iri: a for iri, a in view.actors.items() if iri in shown},
        tuple(known.get(key) or Link(*key) for key in sorted(keys)),
    )


def select(
    triples: Iterable[Triple], *, focus: str | None = None, hops: int = 1, query: str | None = None,
    limit: int | None = DEFAULT_LIMIT, timeout: float | None = DEFAULT_TIMEOUT,
    max_memory: int | None = DEFAULT_MAX_MEMORY,
) -> View:
    """The view of a graph: whole, or narrowed to a CONSTRUCT query's result, then to an ego view.

    A query runs within ``limit``, ``timeout`` and ``max_memory`` (see ``constructed``).
    """
    graph = list(triples) if query else triples  # read twice: by the projection and by the query
    view = view_of(project(graph))
    if query:
        view = constructed(graph, view, query, limit=limit, timeout=timeout, max_memory=max_memory)
    if focus:
        view = ego(view, focus, hops)
    return view


# A view of more than OPEN_LIMIT actors opens on its OPEN_SHOWN most central ones (the page adds more on demand):
# vis-network stays interactive with a couple of thousand nodes on the canvas, not ten thousand.
OPEN_LIMIT = 1500
OPEN_SHOWN = 1000
# Actors named on the canvas at overview zoom: the most central ones; the others when zoomed in or hovered.
LABELLED = 40


def ranked(view: View) -> list[str]:
    """The actors, most central first: by links, then articles naming them, then label (and IRI, to break ties)."""
    degree = {iri: len(others) for iri, others in view.neighbours().items()}
    return sorted(view.actors, key=lambda iri: (-degree[iri], -view.actors[iri].articles, view.actors[iri].label, iri))


def summary(view: View) -> str:
    """One line for the CLI: how many actors and edges a view draws."""
    return f"{plural(len(view.actors), 'actor')}, {plural(len(view.links), 'edge')}"


def plural(n: int, word: str) -> str:
    """``1 actor``, ``2 actors``."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"

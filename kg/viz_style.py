"""How a network view looks: colours and shapes by class, colours by predicate, labels, tooltips, legend, layout.

Tooltips are plain text: vis-network shows a string ``title`` with ``innerText``, so
nothing in an article is ever read as markup. An edge's tooltip is put together by the page
from the evidence it lists in the details panel (the sentences are in the page once).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import networkx as nx  # type: ignore[import-untyped]

from kg.layout import layout
from kg.network import Actor
from kg.viz_select import View, plural
from kg.vocab import CLASS_TOP, RELATION_PREDICATES, SYMMETRIC_PREDICATES

# Above this many actors edges are drawn straight and hidden while the view moves: the page stays responsive.
LARGE = 300
# Evidence in the (scrollable) details panel of an edge, and in its tooltip, with sentences trimmed to MAX_SENTENCE.
MAX_EVIDENCE_DETAILS = 40
MAX_EVIDENCE_TOOLTIP = 4
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


# How an actor's panel lists an edge that points at it: "attacked by X", not "attacked X".
PASSIVE_LABELS: dict[str, str] = {
    "criticized": "criticized by",
    "rejected": "rejected by",
    "threatened": "threatened by",
    "attacked": "attacked by",
    "supported": "supported by",
    "consulted": "consulted by",
    "requested": "asked by",
    "leaderOf": "led by",
    "memberOf": "has member",
    "backedBy": "backs",
    "locatedIn": "location of",
}


def label_of(predicate: str) -> str:
    return PREDICATE_LABELS.get(predicate, predicate)


def phrase(predicate: str, other: str, outgoing: bool) -> str:
    """How an actor's panel reads one of its edges, ``other`` being the actor at the edge's other end.

    An edge from the actor reads "→ attacked Israel"; an edge to it reads
    "← attacked by Hamas" (or "← X deployed in" where no passive reads well);
    a symmetric edge "— consulted Blinken" either way.
    """
    if predicate in SYMMETRIC_PREDICATES:
        return f"— {label_of(predicate)} {other}"
    if outgoing:
        return f"→ {label_of(predicate)} {other}"
    if predicate in PASSIVE_LABELS:
        return f"← {PASSIVE_LABELS[predicate]} {other}"
    return f"← {other} {label_of(predicate)}"  # "← US forces deployed in"


# An absolute http(s) address with nothing that could end an attribute or hide in one: no space, no control
# character (U+007F and C1 included), no quote, bracket or backslash.
_LINKABLE = re.compile(r"https?://[^\s<>\"'`\\\x00-\x1f\x7f-\x9f]+", re.IGNORECASE)


def safe_url(url: str | None) -> str | None:
    """``url`` if it is an absolute http(s) address a link may point to; None otherwise (javascript:, data:, …)."""
    if not url or not _LINKABLE.fullmatch(url):
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return url if host else None


def _class_label(cls: str) -> str:
    return CLASS_LABELS.get(cls, cls)


def actor_tooltip(actor: Actor, degree: int) -> str:
    """The plain-text tooltip of a node (shown as text, never parsed as HTML)."""
    lines = [actor.label, _class_label(actor.cls)]
    if actor.aliases:
        lines.append("Also: " + "; ".join(actor.aliases))
    if actor.roles:
        lines.append("Roles: " + "; ".join(actor.roles))
    lines.append(f"Mentioned in {plural(actor.articles, 'article')} · {plural(degree, 'link')}")
    return "\n".join(lines)


def centrality(view: View) -> dict[str, float]:
    """Degree centrality over the undirected actor graph (0 for isolated actors)."""
    graph = nx.Graph()
    graph.add_nodes_from(view.actors)
    graph.add_edges_from((link.source, link.target) for link in view.links)
    return nx.degree_centrality(graph) if len(graph) > 1 else {iri: 0.0 for iri in view.actors}


@dataclass(frozen=True, slots=True)
class Look:
    """How an actor is drawn, in the page and in the GEXF export alike."""

    colour: str
    shape: str
    size: float
    x: float
    y: float


def size_of(centre: float, top: float) -> float:
    return round(9 + 25 * math.sqrt(centre / (top or 1.0)), 1)


def looks(view: View) -> dict[str, Look]:
    """Each actor's colour and shape (by class), size (by centrality) and position (``kg.layout``)."""
    centre = centrality(view)
    top = max(centre.values(), default=0.0)
    where = layout(list(view.actors), ((link.source, link.target) for link in view.links))
    found = {}
    for iri, actor in view.actors.items():
        colour, shape = CLASS_STYLE.get(actor.cls, OTHER_STYLE)
        found[iri] = Look(colour, shape, size_of(centre.get(iri, 0.0), top), *where[iri])
    return found


def layout_options(n_nodes: int) -> dict[str, Any]:
    """vis-network's options: positions come with the nodes (``looks``), so no physics runs in the browser."""
    large = n_nodes > LARGE
    return {
        "autoResize": True,
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "physics": {"enabled": False},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": large, "hideEdgesOnZoom": large,
                        "multiselect": False, "navigationButtons": False, "keyboard": False},
        # Actor names are drawn by the page itself (central ones first, never overlapping): no vis labels.
        "nodes": {"borderWidth": 1.5, "borderWidthSelected": 3},
        "edges": {"smooth": False if large else {"enabled": True, "type": "continuous", "roundness": 0.2},
                  "color": {"opacity": 0.85}, "selectionWidth": 2,
                  # Relation names only once zoomed in (on a large graph the page names only the selection's).
                  "scaling": {"label": {"drawThreshold": 9}}, "hoverWidth": 1.5,
                  "font": {"size": 12, "face": "Liberation Sans, Arial, sans-serif", "align": "horizontal",
                           "strokeWidth": 4, "strokeColor": "#ffffff"},
                  "arrows": {"to": {"enabled": False, "scaleFactor": 0.6}}},
    }


def darker(colour: str, factor: float = 0.72) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(int(c * factor) for c in (r, g, b)))


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
             "color": CLASS_STYLE.get(cls, OTHER_STYLE)[0], "border": darker(CLASS_STYLE.get(cls, OTHER_STYLE)[0]),
             "shape": CLASS_STYLE.get(cls, OTHER_STYLE)[1]}
            for cls, n in sorted(classes.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else 99, kv[0]))
        ],
        "predicates": [
            {"predicate": p, "label": label_of(p), "count": predicates[p], "color": PREDICATE_COLOURS.get(p, "#888888"),
             "font": darker(PREDICATE_COLOURS.get(p, "#888888"), 0.8), "directed": p not in SYMMETRIC_PREDICATES}
            for p in RELATION_PREDICATES
            if predicates.get(p)
        ],
    }

"""How a network view looks: colours and shapes by class, colours by predicate, labels, tooltips, legend, layout.

Tooltips are plain text: vis-network shows a string ``title`` with ``innerText``, so
nothing in an article is ever read as markup.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import networkx as nx  # type: ignore[import-untyped]

from kg.network import Actor
from kg.viz_select import Link, View, plural
from kg.vocab import CLASS_TOP, RELATION_PREDICATES, SYMMETRIC_PREDICATES

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


def label_of(predicate: str) -> str:
    return PREDICATE_LABELS.get(predicate, predicate)


def _short(text: str, limit: int = MAX_SENTENCE) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


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


def link_tooltip(link: Link, view: View, limit: int = MAX_EVIDENCE_TOOLTIP) -> str:
    """The plain-text tooltip of an edge: its evidence sentences, each with title, outlet and date."""
    arrow = "—" if link.predicate in SYMMETRIC_PREDICATES else "→"
    source, target = view.actors[link.source].label, view.actors[link.target].label
    lines = [f"{source} {arrow} {label_of(link.predicate)} {arrow} {target}"]
    if not link.evidence:
        lines.append("No evidence sentence recorded (derived edge).")
    else:
        lines.append(plural(len(link.evidence), "piece") + " of evidence")
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


def layout_options(n_nodes: int) -> dict[str, Any]:
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

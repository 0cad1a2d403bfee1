"""A network view -> one offline HTML page (pyvis data, vis-network in-line).

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
from collections import defaultdict
from importlib.resources import files
from pathlib import Path
from typing import Any

import pyvis  # type: ignore[import-untyped]
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup
from pyvis.network import Network  # type: ignore[import-untyped]

from kg.errors import KGError
from kg.viz_select import View
from kg.viz_style import (
    CLASS_STYLE,
    LARGE,
    MAX_EVIDENCE_DETAILS,
    MAX_EVIDENCE_TOOLTIP,
    OTHER_STYLE,
    PREDICATE_COLOURS,
    actor_tooltip,
    centrality,
    darker,
    label_of,
    layout_options,
    legend,
    link_tooltip,
)
from kg.vocab import SYMMETRIC_PREDICATES


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
            "color": {"background": colour, "border": darker(colour),
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
            "font": {"color": darker(colour, 0.8)},
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
    net.options = layout_options(len(view.actors))
    return net


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
        options=Markup(options),  # json.dumps of layout_options(): no article text in it
        legend=legend(view),
        vis_js=_asset("vis-network.min.js"),
        vis_css=_asset("vis-network.css"),
    )

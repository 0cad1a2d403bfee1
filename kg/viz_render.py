"""A network view -> one offline HTML page (pyvis data, vis-network in-line).

The page loads nothing from the network: vis-network and its CSS are read from
the pyvis package and written into the page, and the page's own controls
(legend, filters, search, details panel) use no framework. Article text is
untrusted: it only reaches the page as JSON inside a script (``<``, ``>``,
``&`` and ``'`` escaped by Jinja's ``tojson``) and is displayed as text
(vis-network shows a string ``title`` with ``innerText``; the page's own code
uses ``textContent``), so nothing in an article can run. An article's address becomes a
link only if it is http(s) (``kg.viz_style.safe_url``, checked again by the page).
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
from kg.viz_select import LABELLED, OPEN_LIMIT, OPEN_SHOWN, Link, View, ranked
from kg.viz_style import (
    LARGE,
    MAX_EVIDENCE_DETAILS,
    MAX_EVIDENCE_TOOLTIP,
    MAX_SENTENCE,
    actor_tooltip,
    layout_options,
    legend,
    looks,
    phrase,
    safe_url,
)


def _evidence(link: Link) -> list[dict[str, Any]]:
    """The evidence the details panel lists: whole sentences, their source, and a link to the article if safe."""
    found = []
    for item in link.evidence[:MAX_EVIDENCE_DETAILS]:
        fields = {"sentence": " ".join(item.sentence.split()), "headline": item.headline, "publisher": item.publisher,
                  "date": item.date, "url": safe_url(item.url), "qualifiers": list(item.qualifiers)}
        found.append({key: value for key, value in fields.items() if value})  # the page reads a missing key as none
    return found


def network(view: View, title: str = "kg network", focus: str | None = None) -> Network:
    """The pyvis network of a view, its node and edge lists filled directly (``add_edge`` is quadratic).

    Nodes come with their position (``kg.layout``) and their rank by centrality; ``focus``
    (an actor's IRI) is the centre of an ego view, drawn highlighted.
    """
    net = Network(height="100%", width="100%", directed=True, heading=title, cdn_resources="in_line")
    drawn = looks(view)
    rank = {iri: number for number, iri in enumerate(ranked(view))}
    degree: dict[str, int] = defaultdict(int)
    for link in view.links:
        degree[link.source] += 1
        degree[link.target] += 1
    for iri, actor in view.actors.items():
        look = drawn[iri]
        node = {
            "id": iri,
            "name": actor.label,  # drawn by the page, not by vis (see layout_options)
            "title": actor_tooltip(actor, degree[iri]),
            "shape": look.shape,
            "size": look.size,
            "x": look.x,
            "y": look.y,
            "cls": actor.cls,  # its colour is the legend's
            "names": [actor.label, *actor.aliases],
            "rank": rank[iri],
            "degree": degree[iri],
        }
        if iri == focus:
            node["focus"] = True
        net.nodes.append(node)
        net.node_ids.append(iri)
        net.node_map[iri] = node
    parallel: dict[frozenset[str], int] = defaultdict(int)
    large = len(view.actors) > LARGE
    # An edge's label, colour, arrow and tooltip are added by the page as it shows the edge (from the legend and
    # the evidence): a large view's page would otherwise hold every sentence twice.
    for number, link in enumerate(view.links):
        count = len(link.evidence)
        source, target = view.actors[link.source].label, view.actors[link.target].label
        times = f" ×{count}" if count > 1 else ""
        edge: dict[str, Any] = {
            "id": f"e{number}",
            "from": link.source,
            "to": link.target,
            "width": round(1.2 + 1.4 * math.log2(max(count, 1)), 2),
            "predicate": link.predicate,
            "count": count,
            "dates": sorted({day for item in link.evidence for day in item.days}),
            # How each end's panel lists the edge: from the source it points at the target, and back.
            "out": phrase(link.predicate, target, outgoing=True) + times,
            "in": phrase(link.predicate, source, outgoing=False) + times,
            "evidence": _evidence(link),
        }
        # Edges between the same two actors curve apart instead of drawing over each other.
        pair = frozenset((link.source, link.target))
        rank_of_pair = parallel[pair]
        parallel[pair] += 1
        if rank_of_pair and not large:
            edge["smooth"] = {"enabled": True, "type": "curvedCW" if rank_of_pair % 2 else "curvedCCW",
                              "roundness": 0.22 * ((rank_of_pair + 1) // 2)}
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


def render(view: View, title: str = "kg network", focus: str | None = None) -> str:
    """The HTML page of a view: self-contained, nothing loaded from the network; ``focus`` as for ``network``."""
    net = network(view, title, focus)
    nodes, edges, heading, _height, _width, options = net.get_network_data()
    template = _environment().get_template("network.html")
    return template.render(
        title=heading,
        nodes=nodes,
        edges=edges,
        options=Markup(options),  # json.dumps of layout_options(): no article text in it
        legend=legend(view),
        limits={"openLimit": OPEN_LIMIT, "openShown": OPEN_SHOWN, "labelled": LABELLED,
                "large": len(view.actors) > LARGE,
                "tooltipEvidence": MAX_EVIDENCE_TOOLTIP, "tooltipSentence": MAX_SENTENCE},
        vis_js=_asset("vis-network.min.js"),
        vis_css=_asset("vis-network.css"),
    )

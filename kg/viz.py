"""A built graph -> an interactive network view: one offline HTML page.

What is drawn is chosen by ``kg.viz_select`` (whole graph, a CONSTRUCT query's result,
an ego view), how it looks by ``kg.viz_style``, and the page is written by ``kg.viz_render``.
"""

from __future__ import annotations

from collections.abc import Iterable

from kg.rdf import Triple
from kg.viz_render import render
from kg.viz_select import find_actor, plural, select


def graph_html(
    triples: Iterable[Triple],
    *,
    focus: str | None = None,
    hops: int = 1,
    query: str | None = None,
    title: str | None = None,
) -> str:
    """The network page of a graph given as triples (see ``kg.viz_select.select`` for the narrowing options).

    ``kg build`` passes its stream of triples: the page is made without holding the graph.
    """
    view = select(triples, focus=focus, hops=hops, query=query)
    centre = find_actor(view, focus) if focus else None
    if title is None:
        title = "kg network"
        if centre:
            title += f" around {centre.label} ({plural(hops, 'hop')})"
    return render(view, title, centre.iri if centre else None)

"""kg.viz_style: the legend lists what the view holds; tooltips are plain text; edges read right from either end;
only http(s) addresses become links; each actor's look (colour, size, position) is computed once."""

from __future__ import annotations

import pytest

from kg.network import Actor, Evidence
from kg.viz_select import Link, View
from kg.viz_style import CLASS_STYLE, actor_tooltip, darker, legend, looks, phrase, safe_url

A, B = "https://w3id.org/kg-news/id/entity/a", "https://w3id.org/kg-news/id/entity/b"


def _view(evidence: int) -> View:
    actors = {A: Actor(A, "Alpha", "ArmedGroup", ("Al",), ("spokesman, Beta",), 3), B: Actor(B, "Beta", "Country")}
    items = tuple(
        Evidence(f"Sentence {i}. " + "word " * 100, f"Headline {i}", "Rudaw", article_date=f"2024-01-{i + 1:02d}")
        for i in range(evidence)
    )
    return View(actors, (Link(A, "attacked", B, items),))


def test_the_legend_lists_present_classes_and_predicates_with_their_style() -> None:
    found = legend(_view(1))
    assert [c["cls"] for c in found["classes"]] == ["ArmedGroup", "Country"]  # in CLASS_STYLE's order
    assert found["classes"][0]["color"] == CLASS_STYLE["ArmedGroup"][0] and found["classes"][0]["top"] == "Organization"
    assert found["classes"][0]["border"] == darker(CLASS_STYLE["ArmedGroup"][0])
    assert [(p["predicate"], p["count"], p["directed"]) for p in found["predicates"]] == [("attacked", 1, True)]


def test_node_tooltips_are_plain_text() -> None:
    node = actor_tooltip(_view(1).actors[A], degree=1)
    assert node.splitlines() == [
        "Alpha", "Armed group", "Also: Al", "Roles: spokesman, Beta", "Mentioned in 3 articles · 1 link",
    ]


def test_an_edge_reads_from_the_actor_whose_panel_lists_it() -> None:
    assert phrase("attacked", "Israel", outgoing=True) == "→ attacked Israel"
    assert phrase("attacked", "Hamas", outgoing=False) == "← attacked by Hamas"  # not "← attacked Hamas"
    assert phrase("leaderOf", "Sudani", outgoing=False) == "← led by Sudani"
    assert phrase("memberOf", "Blinken", outgoing=False) == "← has member Blinken"
    assert phrase("backedBy", "Iran", outgoing=False) == "← backs Iran"
    assert phrase("deployedIn", "US forces", outgoing=False) == "← US forces deployed in"
    assert phrase("consulted", "Blinken", outgoing=False) == phrase("consulted", "Blinken", outgoing=True) \
        == "— consulted Blinken"


@pytest.mark.parametrize("url", ["https://news.example/a?b=1&c=2#d", "http://news.example", "HTTPS://News.Example/x"])
def test_http_addresses_become_links(url: str) -> None:
    assert safe_url(url) == url


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox", "file:///etc/passwd", "//news.example/a", "news.example/a", "https://", "http:///path",
    'https://news.example/"onmouseover="alert(1)', "https://news.example/<script>", "https://a.example/\nb",
    "https://a.example/\x00", "https://a.example/\u2028x", "https://a.example/\x9bx", "", None,
])
def test_other_addresses_never_become_links(url: str | None) -> None:
    assert safe_url(url) is None


def test_looks_colour_by_class_size_by_centrality_and_place_every_actor() -> None:
    view = _view(1)
    drawn = looks(view)
    assert drawn[A].colour == CLASS_STYLE["ArmedGroup"][0] and drawn[B].shape == CLASS_STYLE["Country"][1]
    assert drawn[A].size == drawn[B].size == 34.0  # both as central as can be
    assert (drawn[A].x, drawn[A].y) != (drawn[B].x, drawn[B].y)
    assert looks(view) == drawn  # computed again, the same

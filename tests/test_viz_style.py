"""kg.viz_style: the legend lists what the view holds; tooltips are plain text, trimmed, with the evidence's source."""

from __future__ import annotations

from kg.network import Actor, Evidence
from kg.viz_select import Link, View
from kg.viz_style import CLASS_STYLE, MAX_EVIDENCE_TOOLTIP, actor_tooltip, legend, link_tooltip

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
    assert [(p["predicate"], p["count"], p["directed"]) for p in found["predicates"]] == [("attacked", 1, True)]


def test_tooltips_are_plain_text_and_trimmed() -> None:
    view = _view(MAX_EVIDENCE_TOOLTIP + 3)
    text = link_tooltip(view.links[0], view)
    assert text.startswith("Alpha → attacked → Beta\n7 pieces of evidence")
    assert text.count("“Sentence") == MAX_EVIDENCE_TOOLTIP and "… and 3 more (click the edge for the list)" in text
    assert "   — Headline 0 · Rudaw · 2024-01-01" in text and max(map(len, text.splitlines())) < 300
    node = actor_tooltip(view.actors[A], degree=1)
    assert node.splitlines() == [
        "Alpha", "Armed group", "Also: Al", "Roles: spokesman, Beta", "Mentioned in 3 articles · 1 link",
    ]

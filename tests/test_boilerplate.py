"""Boilerplate rules on small invented pages, and on every seed article."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.boilerplate import repeated_lines, strip_boilerplate
from kg.errors import InputError
from kg.ingest import iter_articles, normalize_text

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
GOLD = ROOT / "tests" / "gold" / "seeds"

TITLE = "Drone hits airport near Erbil"
BODY = "A drone struck the airport on Tuesday night, the Kurdistan Region's interior ministry said."
LAST = "No group has claimed the attack so far."


def page(*middle: str, tail: tuple[str, ...] = ()) -> list[str]:
    return [TITLE, BODY, *middle, LAST, *tail]


@pytest.mark.parametrize(
    "line",
    [
        "• Also read: Turkey shells villages in Duhok province",
        "Read more: Oil exports through Ceyhan remain halted",
        "See also: Who are the Kataib Hezbollah?",
        "RELATED: Sudani heads to Washington",
        "► Iraqi parliament fails again to elect a speaker",
        "• Basra protests over power cuts enter third week",
        "Tags: Iraq, Kurdistan Region, drones",
    ],
)
def test_link_lists_are_dropped(line: str) -> None:
    assert strip_boilerplate(page(line)) == page()


def test_bullet_that_is_a_sentence_stays() -> None:
    lines = page("• The ministry said two guards were wounded.")
    assert strip_boilerplate(lines) == lines


def test_comment_section_is_cut_from_its_heading_to_the_end() -> None:
    lines = page(tail=("Comments", "Great article!", "Leave a reply", "Name", "Required"))
    assert strip_boilerplate(lines) == page()


def test_comments_link_in_the_page_header_goes_alone() -> None:
    assert strip_boilerplate([TITLE, "3 Comments", BODY, LAST]) == page()


def test_comment_section_is_cut_from_a_moderation_notice() -> None:
    notice = "Example Post moderates all comments submitted on our website before they appear."
    lines = page(tail=(notice, "Comments that break the rules will be removed.", "Post a comment"))
    assert strip_boilerplate(lines) == page()


def test_news_about_comments_is_not_a_comment_section() -> None:
    lines = page(
        "The embassy declined to comment on the report.",
        "Meta removed the comment, saying it broke the platform's community guidelines.",
    )
    assert strip_boilerplate(lines) == lines


@pytest.mark.parametrize(
    "line",
    ["Open in full screen mode", "To watch on video", "Watch the video", "A+ A-", "Share", "Print",
     "Share on Facebook", "Advertisement", "Loading...", "Related Posts"],
)
def test_media_furniture_is_dropped(line: str) -> None:
    assert strip_boilerplate(page(line)) == page()


@pytest.mark.parametrize("line", ["By admin", "By editor", "Posted by admin", "By Webmaster | 2 min read"])
def test_cms_bylines_are_dropped(line: str) -> None:
    assert strip_boilerplate(page(line)) == page()


@pytest.mark.parametrize("line", ["source site-12", "source feed_news-7"])
def test_scraper_source_tags_are_dropped(line: str) -> None:
    assert strip_boilerplate(page(line)) == page()


def test_loading_teaser_and_its_cross_site_copy_are_dropped() -> None:
    lines = page(
        "LoadingOil prices climb after OPEC+ cut",
        "NEWSWIRE DAILY : Oil prices climb after OPEC+ cut",
        "Oil prices climb after OPEC+ cut",
    )
    assert strip_boilerplate(lines) == page()


def test_cross_site_teaser_alone_is_dropped() -> None:
    assert strip_boilerplate(page("GULF WIRE INFO : Kuwait names new cabinet")) == page()


def test_stray_html_tags_are_removed_from_lines() -> None:
    lines = [TITLE, "Two rockets landed near the base. /p>", "<p>Nobody was hurt, <b>officials</b> said.</p>", LAST]
    assert strip_boilerplate(lines) == [
        TITLE,
        "Two rockets landed near the base.",
        "Nobody was hurt, officials said.",
        LAST,
    ]


def test_tail_furniture_goes_but_a_short_final_sentence_stays() -> None:
    assert strip_boilerplate(page(tail=("Iraq news", "Middle East", "Newsletter"))) == page()
    lines = page(tail=("Talks will resume on Monday",))
    assert strip_boilerplate(lines) == lines


def test_truncated_copy_of_the_headline_is_dropped() -> None:
    lines = ["Drone hits airport near", "Drone hits “airport” near Erbil", BODY]
    assert strip_boilerplate(lines) == ["Drone hits “airport” near Erbil", BODY]


def test_lede_that_starts_with_the_headline_is_not_an_echo() -> None:
    lines = [TITLE, TITLE + ", officials said on Tuesday.", LAST]
    assert strip_boilerplate(lines) == lines


def test_label_repeated_within_an_article_is_dropped() -> None:
    lines = page("Enlarge photo", "The airport was closed for two hours.", "Enlarge photo")
    assert strip_boilerplate(lines) == page("The airport was closed for two hours.")


def test_captions_subheads_and_quotes_are_kept() -> None:
    lines = page(
        "Iraqi Kurdish President Nechirvan Barzani in Erbil, May 2, 2023. (File photo)",
        "“A new phase”",
        "“We will respond to any attack,” the commander said.",
        "Security forces at the airport gate",
        "The investigation continues.",
    )
    assert strip_boilerplate(lines) == lines


def test_repeated_lines_finds_site_furniture() -> None:
    pages = [
        [f"Headline {i}", "Follow Example News on Telegram", f"Story number {i} happened."] for i in range(3)
    ]
    assert repeated_lines(pages) == frozenset({"Follow Example News on Telegram"})
    assert repeated_lines(pages[:2]) == frozenset()
    assert repeated_lines(pages, min_articles=2) == frozenset({"Follow Example News on Telegram"})


def test_repeated_lines_counts_a_duplicated_article_once() -> None:
    same = ["Headline", "Subscribe now", "Body text."]
    assert repeated_lines([same, same, same]) == frozenset()


def test_repeated_lines_spares_long_background_sentences() -> None:
    background = "The United States has about 2,500 troops in Iraq and 900 in Syria as part of the coalition."
    pages = [[f"Headline {i}", background, "Share this"] for i in range(4)]
    assert repeated_lines(pages) == frozenset({"Share this"})


# --- the seed articles -------------------------------------------------------------------------

LEFTOVERS = [
    "Also read",
    "moderates all comments",
    "community guidelines",
    "Post a comment",
    "Required",
    "Open in full screen mode",
    "Loading",
    "unemployment rate",
    "ON INFO",
    "By admin",
    "Related Post",
    "To watch on video",
    "source site-39",
    "A+ A-",
    "/p>",
]


def _clean(path: Path) -> str:
    errors: list[InputError] = []
    articles = list(iter_articles([path], errors.append))
    assert errors == [] and len(articles) == 1
    return articles[0].text


def _squash(text: str) -> str:
    return " ".join(normalize_text(text).split())


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_has_no_boilerplate_left(seed: Path) -> None:
    text = _clean(seed)
    for leftover in LEFTOVERS:
        assert leftover not in text
    assert "\nComments\n" not in text


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_keeps_every_gold_evidence_sentence(seed: Path) -> None:
    gold = json.loads((GOLD / f"{seed.stem}.json").read_text(encoding="utf-8"))
    text = _squash(_clean(seed))
    missing = {r["evidence"] for r in gold["relations"] if _squash(r["evidence"]) not in text}
    assert not missing


def test_seed_lines_are_plain_paragraphs() -> None:
    for seed in SEEDS:
        text = _clean(seed)
        assert all(p and p == p.strip() for p in text.split("\n\n"))
        assert "\n\n\n" not in text and "\u00a0" not in text

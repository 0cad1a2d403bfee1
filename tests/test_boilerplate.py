"""Boilerplate rules on small invented pages, and on every seed article."""

from __future__ import annotations

import json
import random
import string
from collections import Counter
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


@pytest.mark.parametrize(
    "line", ["GULF WIRE INFO : Kuwait names new cabinet", "UN 2024: Iraq talks resume", "IRAQ, US: talks resume"]
)
def test_headline_with_a_colon_is_kept(line: str) -> None:
    """Alone, a capitalised prefix before a colon is a headline; only a copy of a "Loading" teaser goes."""
    lines = page(line)
    assert strip_boilerplate(lines) == lines
    assert strip_boilerplate([line, BODY, LAST]) == [line, BODY, LAST]
    assert strip_boilerplate([TITLE, BODY, line]) == [TITLE, BODY, line]


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


# --- issue 11: nothing dropped silently, the same decisions however files are given -------------

WIRE = "Kataib Hezbollah denied any role in the attack"


def _three_outlets(folder: Path) -> list[Path]:
    """Three outlets' stories sharing a wire sentence (no full stop) and one line of site furniture."""
    return [
        _write(folder / f"{outlet}.txt", f"{outlet} story {i}\n\nFollow us on Telegram\n\n{WIRE}\n\n"
               f"The drone struck the base near Erbil on day {i}, officials told {outlet}.")
        for i, outlet in enumerate(["Rudaw", "Kurdistan24", "Shafaq"])
    ]


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _texts(*paths: Path) -> tuple[list[str], Counter[str]]:
    dropped: Counter[str] = Counter()
    errors: list[InputError] = []
    articles = list(iter_articles(list(paths), errors.append, None, dropped))
    assert errors == []
    return sorted(a.text for a in articles), dropped


def test_a_wire_sentence_repeated_by_three_outlets_is_kept(tmp_path: Path) -> None:
    files = _three_outlets(tmp_path)
    texts, _ = _texts(tmp_path)
    assert all(WIRE in text for text in texts)
    for sentence in (WIRE + ".", "Iraqi officials said talks would resume", "The coalition has about 2,500 troops in Iraq.",
                     "Kataib Hezbollah claims drone attack on US base", "About 2,500 US troops remain in Iraq"):
        pages = [[f"Headline {i}", sentence, f"Story {i}."] for i in range(4)]
        assert repeated_lines(pages) == frozenset()
    assert files
    pages = [[f"Headline {i}", "Follow us on Telegram", "Subscribe to our newsletter", f"Story {i}."] for i in range(3)]
    assert repeated_lines(pages) == frozenset({"Follow us on Telegram", "Subscribe to our newsletter"})


def test_a_folder_and_a_list_of_its_files_give_the_same_articles(tmp_path: Path) -> None:
    files = _three_outlets(tmp_path)
    from_folder, dropped_folder = _texts(tmp_path)
    from_list, dropped_list = _texts(*files)
    one_by_one = [_texts(file) for file in files]
    assert from_folder == from_list
    assert dropped_folder == dropped_list == Counter({"site furniture": 3})
    assert all("Telegram" not in text for text in from_list)
    # Alone, a file has no site to share furniture with: what it keeps is a superset.
    assert all("Telegram" in texts[0] for texts, _ in one_by_one)


def test_what_is_dropped_is_counted_by_kind(tmp_path: Path) -> None:
    _three_outlets(tmp_path)
    _write(tmp_path / "page.txt", "Drone hits airport\n\nPublished: 4 January 2024\n\nShare\n\nAlso read: Oil prices rise\n\n"
           + BODY + "\n\nComments\n\nGreat article!\n\nIraq news")
    _, dropped = _texts(tmp_path)
    assert dropped == Counter({"site furniture": 3, "metadata line": 1, "page furniture": 1, "link list": 1,
                               "comment section": 3})


def test_a_giant_word_is_cut_into_parts_not_dropped(tmp_path: Path) -> None:
    from kg.ingest import MAX_ARTICLE_CHARS, InputNotice

    word = "".join(random.Random(0).choices(string.ascii_lowercase, k=250_000))  # no two parts alike
    path = _write(tmp_path / "token.txt", "Title here\n\n" + word + "\n")
    notices: list[InputNotice] = []
    errors: list[InputError] = []
    articles = list(iter_articles([path], errors.append, notices.append))
    assert errors == [] and len(articles) == 3
    assert "".join(a.text.removeprefix("Title here\n\n") for a in articles) == word
    assert all(len(a.text) <= MAX_ARTICLE_CHARS for a in articles)
    assert [str(n) for n in notices] == [
        f"{path}: 250,012 characters, 4 tokens: more than the model takes in one text (100,000 characters, "
        "25,000 tokens); split into 3 parts",
        f"{path}: 2 cuts inside a word: a run of text too long for one part had no space or sentence end to cut at",
    ]


def test_a_long_last_line_is_not_tail_furniture() -> None:
    lines = [TITLE, BODY, "x" * 500]
    assert strip_boilerplate(lines) == lines


def test_copyright_lines_are_page_furniture() -> None:
    dropped: Counter[str] = Counter()
    lines = page("© 2024 Example News. All rights reserved.", "Copyright holders sued the company on Monday.")
    assert strip_boilerplate(lines, dropped) == page("Copyright holders sued the company on Monday.")
    assert dropped == Counter({"page furniture": 1})


def test_a_comment_heading_repeated_thousands_of_times_is_no_crash() -> None:
    assert strip_boilerplate([TITLE, *["Comments"] * 5000, BODY]) == [TITLE, BODY]

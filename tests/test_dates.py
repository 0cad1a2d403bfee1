"""Article dates: page metadata first, then metadata lines, then the dateline; never a date made up.

Most tests read files without the model; the last builds a graph end to end (real model).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.ingest import InputNotice, extract_metadata, iter_articles
from kg.model import Article

BODY = "Iraqi officials met the envoy in Baghdad on Tuesday, the ministry said."


def read(path: Path) -> tuple[Article, list[str]]:
    errors: list[InputError] = []
    notices: list[InputNotice] = []
    (article,) = iter_articles([path], errors.append, notices.append)
    assert errors == []
    return article, [str(n) for n in notices]


def text_file(tmp_path: Path, *paragraphs: str) -> Path:
    path = tmp_path / "story.txt"
    path.write_text("\n\n".join(("Envoy visits Baghdad", *paragraphs)) + "\n", encoding="utf-8")
    return path


def jsonl_file(tmp_path: Path, text: str, date: str | None) -> Path:
    path = tmp_path / "stories.jsonl"
    record = {"title": "Envoy visits Baghdad", "text": text} | ({"date": date} if date is not None else {})
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------- datelines

@pytest.mark.parametrize(
    ("dateline", "place", "source", "written"),
    [
        ("DUBAI, Jan 15 (Reuters) -", "Dubai", "Reuters", "Jan 15"),
        ("Feb 7 (AP) —", None, "Associated Press", "Feb 7"),
        ("BAGHDAD, March 3, 2024 —", "Baghdad", None, "March 3, 2024"),
        ("BAGHDAD, Feb. 7 (Xinhua) --", "Baghdad", "Xinhua", "Feb. 7"),
        ("BEIRUT, 15 January (AFP) -", "Beirut", "Agence France-Presse", "15 January"),
        ("ERBIL, Kurdistan Region, Feb 14, 2024 (Rudaw) -", "Erbil", "Rudaw", "Feb 14, 2024"),
        ("Baghdad (AFP) -", "Baghdad", "Agence France-Presse", None),
    ],
)
def test_datelines_of_several_agencies(dateline: str, place: str | None, source: str | None, written: str | None) -> None:
    line = f"{dateline} {BODY}"
    metadata, kept = extract_metadata(["Title", line])
    assert (metadata.dateline, metadata.source, metadata.dateline_date, metadata.date) == (place, source, written, None)
    assert kept == ["Title", line]  # the dateline stays in the text


@pytest.mark.parametrize(
    "line",
    [
        "May 5 - the group said it would respond.",  # no agency: a date and a dash open many sentences
        "March 3 (local time) - Rockets hit the base.",  # not an outlet
        "Three rockets hit the base on Jan 4, 2024 - police said.",
    ],
)
def test_no_dateline_date_without_a_dateline(line: str) -> None:
    assert extract_metadata(["Title", line])[0].dateline_date is None


def test_a_dateline_with_its_year_dates_the_article(tmp_path: Path) -> None:
    article, notices = read(text_file(tmp_path, f"BAGHDAD, March 3, 2024 — {BODY}"))
    assert (article.date, article.partial_date, article.dateline, notices) == (dt.date(2024, 3, 3), None, "Baghdad", [])
    assert article.text.split("\n\n")[1].startswith("BAGHDAD, March 3, 2024 — ")


@pytest.mark.parametrize(
    ("dateline", "partial", "expected"),
    [
        ("DUBAI, Jan 15 (Reuters) -", "2024", dt.date(2024, 1, 15)),
        ("Feb 7 (AP) —", "2024-02", dt.date(2024, 2, 7)),
        ("BEIRUT, 15 January (AFP) -", "2023", dt.date(2023, 1, 15)),
    ],
)
def test_a_dateline_without_a_year_takes_the_year_of_the_partial_date(
    tmp_path: Path, dateline: str, partial: str, expected: dt.date
) -> None:
    article, notices = read(jsonl_file(tmp_path, f"{dateline} {BODY}", partial))
    assert (article.date, article.partial_date, notices) == (expected, None, [])


def test_a_dateline_without_a_year_and_nothing_else_leaves_the_article_undated(tmp_path: Path) -> None:
    path = text_file(tmp_path, f"DUBAI, Jan 15 (Reuters) - {BODY}")
    article, notices = read(path)
    assert (article.date, article.partial_date, article.published) == (None, None, None)
    assert notices == [(f"{path}: the dateline's date 'Jan 15' gives no year, and nothing else dates the article: "
                        "left undated")]


@pytest.mark.parametrize(
    ("text", "partial", "notice"),
    [
        (f"BAGHDAD, Feb 30, 2024 (AFP) - {BODY}", None, "dropped impossible date 'Feb 30, 2024' (the dateline)"),
        (f"BAGHDAD, Feb 29 (AFP) - {BODY}", "2023", "dropped impossible date 'Feb 29' (the dateline)"),
    ],
)
def test_an_impossible_dateline_date_is_dropped_with_a_notice(
    tmp_path: Path, text: str, partial: str | None, notice: str
) -> None:
    path = jsonl_file(tmp_path, text, partial)
    article, notices = read(path)
    assert (article.date, article.partial_date) == (None, partial)
    assert notices == [f"{path}:1: {notice}"]


# ---------------------------------------------------------------- which date comes first

def test_page_metadata_comes_before_the_dateline(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        '<html><head><meta property="article:published_time" content="2024-01-21T09:30:00+03:00">'
        "<title>Envoy visits Baghdad</title></head><body><article><h1>Envoy visits Baghdad</h1>"
        f"<p>BAGHDAD, Jan 19 (AFP) - {BODY}</p><p>The talks will go on, officials said.</p></article></body></html>",
        encoding="utf-8",
    )
    article, _ = read(page)
    assert article.date == dt.date(2024, 1, 21)


@pytest.mark.parametrize("date", ["2024-01-21", "21 January 2024"])
def test_a_records_date_comes_before_the_dateline(tmp_path: Path, date: str) -> None:
    article, _ = read(jsonl_file(tmp_path, f"BAGHDAD, Jan 19, 2024 (AFP) - {BODY}", date))
    assert article.date == dt.date(2024, 1, 21)


def test_a_metadata_line_comes_before_the_dateline(tmp_path: Path) -> None:
    article, notices = read(text_file(tmp_path, "14-02-2024", f"ERBIL, Feb 12 (Rudaw) - {BODY}"))
    assert (article.date, article.dateline, notices) == (dt.date(2024, 2, 14), "Erbil", [])


def test_a_dateline_outside_the_partial_date_leaves_the_partial_date(tmp_path: Path) -> None:
    # a wire story of January 31 published in February: the page's own month stays, no day is made up
    article, notices = read(jsonl_file(tmp_path, f"BAGHDAD, Jan 31 (AFP) - {BODY}", "2024-02"))
    assert (article.date, article.partial_date, notices) == (None, "2024-02", [])


# ---------------------------------------------------------------- labelled dates at the top

@pytest.mark.parametrize(
    ("line", "expected", "rest"),
    [
        ("date 2025-07-09 TEHRAN – Officials met the envoy on Tuesday.", dt.date(2025, 7, 9),
         "TEHRAN – Officials met the envoy on Tuesday."),
        ("Updated: Jan 4, 2024 10:30 AM Three rockets hit the base.", dt.date(2024, 1, 4), "Three rockets hit the base."),
        ("Publish Date : 06 August 2025 - 21:26", dt.date(2025, 8, 6), None),
    ],
)
def test_a_labelled_date_at_the_top_dates_the_article_and_leaves_the_text(
    tmp_path: Path, line: str, expected: dt.date, rest: str | None
) -> None:
    article, notices = read(text_file(tmp_path, line, BODY))
    assert (article.date, notices) == (expected, [])
    paragraphs = article.text.split("\n\n")
    assert paragraphs[1:] == ([rest] if rest else []) + [BODY]


def test_the_dateline_after_a_labelled_date_is_found(tmp_path: Path) -> None:
    article, _ = read(text_file(tmp_path, "date 2025-07-09 TEHRAN – Officials met the envoy on Tuesday."))
    assert (article.date, article.dateline) == (dt.date(2025, 7, 9), "Tehran")


@pytest.mark.parametrize(
    "line",
    [
        "Dated letters from 2024-02-10 show the plan.",  # a label word, but no date right after it
        "date 2024-02-31 TEHRAN – Officials met the envoy.",  # no such day
        "The talks of 2024-02-10 went on.",
    ],
)
def test_no_date_is_taken_from_other_lines(tmp_path: Path, line: str) -> None:
    article, _ = read(text_file(tmp_path, line))
    assert article.date is None and line in article.text


def test_an_article_stating_no_date_stays_undated(tmp_path: Path) -> None:
    article, notices = read(text_file(tmp_path, f"BAGHDAD — {BODY}", "Talks were held on January 4, 2024."))
    assert (article.date, article.partial_date, notices) == (None, None, [])


# ---------------------------------------------------------------- a dateline's date is no event's

@pytest.mark.parametrize(
    ("text", "date", "in_dateline"),
    [
        ("Talks\n\nERBIL, Jan 16 (Rudaw) - Officials met on Monday.", "Jan 16", True),
        ("Talks\n\nFeb 7 (AP) — Officials met on Monday.", "Feb 7", True),
        ("Talks\n\nBAGHDAD, March 3, 2024 -- Officials met on Monday.", "March 3, 2024", True),
        ("Talks\n\nERBIL, Jan 16 (Rudaw) - Officials met on Monday.", "Monday", False),
        ("Talks\n\nDamascus, Syria — On Monday, officials met.", "Monday", False),
        ("Talks\n\nOfficials said they met on Jan 4 - the first time in a year.", "Jan 4", False),
    ],
)
def test_a_datelines_date_is_told_apart(text: str, date: str, in_dateline: bool) -> None:
    import spacy

    from kg.extract.dates import _in_dateline

    doc = spacy.blank("en")(text)
    start = text.index(date)
    span = doc.char_span(start, start + len(date))
    assert span is not None and _in_dateline(span, doc.text) is in_dateline


# ---------------------------------------------------------------- end to end

@pytest.mark.model
def test_the_graph_carries_the_article_date_and_the_resolved_times(tmp_path: Path) -> None:
    from rdflib import Graph, Literal, Namespace, URIRef
    from rdflib.namespace import RDF, XSD
    from typer.testing import CliRunner

    from kg.cli import app

    kg = Namespace("https://w3id.org/kg-news/ontology#")
    schema = Namespace("https://schema.org/")
    prov = Namespace("http://www.w3.org/ns/prov#")
    source = tmp_path / "in"
    source.mkdir()
    # February 13, 2024 was a Tuesday: "on Tuesday" is that day, not the week before.
    (source / "a.txt").write_text(
        "Talks in Baghdad\n\nBAGHDAD, Feb 13, 2024 (Reuters) - Iraqi Prime Minister Mohammed Shia al-Sudani "
        "met US Secretary of State Antony Blinken in Baghdad on Tuesday.\n", encoding="utf-8")
    # No year in the dateline: the record's "2024" gives it (January 16, 2024, a Tuesday).
    (source / "b.jsonl").write_text(json.dumps({
        "title": "Talks in Erbil", "date": "2024",
        "text": "ERBIL, Jan 16 (Rudaw) - Kurdistan Region President Nechirvan Barzani met David Burger, "
                "the US charge d'affaires, in Erbil on Monday.",
    }) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["build", str(source), "-o", str(tmp_path / "out"), "-q", "--no-html"])
    assert result.exit_code == 0, result.output
    graph = Graph().parse(tmp_path / "out" / "graph.ttl")
    dates = {str(g.value(a, kg.origin)).rsplit("/", 1)[-1]: g.value(a, schema.datePublished)
             for g in [graph] for a in graph.subjects(RDF.type, schema.NewsArticle)}
    assert dates == {"a.txt": Literal("2024-02-13", datatype=XSD.date), "b.jsonl:1": Literal("2024-01-16", datatype=XSD.date)}
    meetings = {
        (str(graph.value(graph.value(e, prov.wasDerivedFrom), kg.origin)).rsplit("/", 1)[-1], graph.value(e, kg.time),
         str(graph.value(e, kg.timeText)))
        for e in graph.subjects(RDF.type, kg.Consult)
    }
    assert meetings == {("a.txt", Literal("2024-02-13", datatype=XSD.date), "on Tuesday"),
                        ("b.jsonl:1", Literal("2024-01-15", datatype=XSD.date), "on Monday")}
    statements = {(str(graph.value(s, kg.time)), str(graph.value(s, kg.timeText)), graph.value(s, kg.articleDate))
                  for s in graph.subjects(RDF.predicate, URIRef(kg.consulted))}
    assert statements == {("2024-02-13", "on Tuesday", Literal("2024-02-13", datatype=XSD.date)),
                          ("2024-01-15", "on Monday", Literal("2024-01-16", datatype=XSD.date))}

"""Reading files, folders and JSON Lines into cleaned articles; bad input reported, not fatal."""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.ingest import InputNotice, Metadata, extract_metadata, iter_articles, parse_date, read_date
from kg.model import Article, Publication

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

STORY = (
    "Rockets target US base in Syria\n\n"
    "Two rockets were fired at a base hosting US troops in eastern Syria on Monday, a US official said.\n\n"
    "There were no casualties, the official added.\n"
)

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Drone strikes US base in western Iraq | Example News</title>
  <meta property="og:title" content="Drone strikes US base in western Iraq">
  <meta property="og:site_name" content="Example News">
  <meta property="og:url" content="https://news.example.org/iraq/drone-strike">
  <meta property="article:published_time" content="2024-01-21T09:30:00+03:00">
  <script>window.dataLayer = ["tracking Baghdad pixel"];</script>
  <style>body { font-family: serif; }</style>
</head>
<body>
  <nav><ul><li><a href="/">Home</a></li><li><a href="/iraq">Iraq</a></li><li><a href="/world">World</a></li></ul></nav>
  <main><article>
    <h1>Drone strikes US base in western Iraq</h1>
    <p>BAGHDAD (AFP) - A drone struck the Ain al-Asad air base in western Iraq on Saturday, a US official said,
    the latest in a series of attacks on American forces in the region.</p>
    <p>The Islamic Resistance in Iraq, a loose alliance of Iran-backed armed groups, claimed the attack
    in a statement on Telegram.</p>
    <p>Iraq&#8217;s prime minister condemned the attack &amp; ordered an investigation.</p>
  </article></main>
  <aside><h3>Most read</h3><ul><li><a href="/a">Oil prices rise</a></li><li><a href="/b">Cup results</a></li></ul></aside>
  <footer><p>&copy; 2024 Example News. All rights reserved.</p><p>Contact us | Privacy policy</p></footer>
</body>
</html>
"""


def read(*paths: Path) -> tuple[list[Article], list[InputError]]:
    errors: list[InputError] = []
    articles = list(iter_articles(list(paths), errors.append))
    return articles, errors


def read_noting(*paths: Path) -> tuple[list[Article], list[InputError], list[str]]:
    """Articles, errors and notices (as the one-line strings the CLI prints)."""
    errors: list[InputError] = []
    notices: list[InputNotice] = []
    articles = list(iter_articles(list(paths), errors.append, notices.append))
    return articles, errors, [str(n) for n in notices]


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# --- plain text ---------------------------------------------------------------------------------


def test_plain_text_article(tmp_path: Path) -> None:
    path = write(tmp_path / "story.txt", STORY)
    (article,), errors = read(path)
    assert errors == []
    assert article.title == "Rockets target US base in Syria"
    assert article.text == STORY.strip()
    assert article.origin == str(path)
    digest = hashlib.sha256(article.text.encode("utf-8")).hexdigest()
    assert article.content_hash == digest and article.id == digest[:16]


def test_text_is_decoded_composed_and_trimmed(tmp_path: Path) -> None:
    raw = (
        "Rockets target base\r\n\r\n"
        "Groups allied to #x27;Iran and Syria&#039;s army \u00a0were blamed, Cafe\u0301 owners said.  \r\n"
    )
    (article,), _ = read(write(tmp_path / "story.txt", raw))
    assert article.text == "Rockets target base\n\nGroups allied to 'Iran and Syria's army were blamed, Café owners said."


def test_hard_wrapped_lines_are_joined(tmp_path: Path) -> None:
    raw = "Rockets target base\n\nTwo rockets were fired at a base\nhosting US troops on Monday.\nNobody was hurt.\n"
    (article,), _ = read(write(tmp_path / "story.txt", raw))
    assert article.text.split("\n\n") == [
        "Rockets target base",
        "Two rockets were fired at a base hosting US troops on Monday.",
        "Nobody was hurt.",
    ]


def test_markdown_heading_marker_is_not_part_of_the_title(tmp_path: Path) -> None:
    (article,), _ = read(write(tmp_path / "story.md", "# " + STORY))
    assert article.title == "Rockets target US base in Syria"


def test_explicitly_named_unknown_extension_is_read_as_text(tmp_path: Path) -> None:
    (article,), errors = read(write(tmp_path / "story.news", STORY))
    assert errors == [] and article.title == "Rockets target US base in Syria"


def test_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    (article,), errors = read(write(tmp_path / "bom.txt", codecs.BOM_UTF8 + STORY.encode("utf-8")))
    assert errors == [] and article.text == STORY.strip()


# --- HTML ---------------------------------------------------------------------------------------


def test_html_page(tmp_path: Path) -> None:
    path = write(tmp_path / "page.html", PAGE)
    (article,), errors = read(path)
    assert errors == []
    paragraphs = article.text.split("\n\n")
    assert paragraphs[0] == article.title == "Drone strikes US base in western Iraq"
    assert paragraphs[1].startswith("BAGHDAD (AFP) - A drone struck")
    assert paragraphs[-1] == "Iraq’s prime minister condemned the attack & ordered an investigation."
    for furniture in ("Home", "Most read", "Oil prices", "rights reserved", "Privacy", "tracking", "font-family"):
        assert furniture not in article.text
    assert article.date == dt.date(2024, 1, 21)
    assert article.source == "Example News"
    assert article.url == "https://news.example.org/iraq/drone-strike"
    assert article.dateline == "Baghdad"


def test_html_without_main_text_is_an_error(tmp_path: Path) -> None:
    empty = write(tmp_path / "empty.html", "<html><head><script>var a = 1;</script></head><body></body></html>")
    nav = write(tmp_path / "nav.htm", '<html><body><nav><a href="/">Home</a></nav></body></html>')
    articles, errors = read(empty, nav, write(tmp_path / "ok.txt", STORY))
    assert [a.title for a in articles] == ["Rockets target US base in Syria"]
    assert [e.path for e in errors] == [str(empty), str(nav)]
    assert all("expected an HTML page with article text" in str(e) for e in errors)


# --- JSON Lines ---------------------------------------------------------------------------------


def test_jsonl_records(tmp_path: Path) -> None:
    lines = [
        {"title": "Rockets target US base", "text": "Two rockets hit the base on Monday.", "date": "2024-01-08",
         "url": "https://example.org/1", "source": "AFP"},
        {"text": "Drone downed near Erbil\nA drone was shot down near Erbil airport.", "date": "January 9, 2024"},
        {"text": "Third story about Iraq.", "date": "sometime last week", "title": None},
    ]
    path = write(tmp_path / "batch.jsonl", "".join(json.dumps(line) + "\n" for line in lines))
    articles, errors = read(path)
    assert errors == []
    first, second, third = articles
    assert first.text == "Rockets target US base\n\nTwo rockets hit the base on Monday."
    assert (first.date, first.source, first.url) == (dt.date(2024, 1, 8), "Agence France-Presse", "https://example.org/1")
    assert first.origin == f"{path}:1" and second.origin == f"{path}:2"
    assert second.title == "Drone downed near Erbil" and second.date == dt.date(2024, 1, 9)
    assert third.title == "Third story about Iraq." and third.date is None


def test_jsonl_title_repeated_in_text_appears_once(tmp_path: Path) -> None:
    record = {"title": "Rockets target US base", "text": "Rockets target US base\n\nTwo rockets hit the base."}
    (article,), _ = read(write(tmp_path / "one.ndjson", json.dumps(record)))
    assert article.text == "Rockets target US base\n\nTwo rockets hit the base."


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "invalid JSON"),
        ("[1, 2]", "expected a JSON object, found an array"),
        ('"just a string"', "expected a JSON object, found a string"),
        ('{"title": "No body"}', 'expected a "text" field'),
        ('{"text": 42}', 'expected "text" to be a string, found a number'),
        ('{"text": "Body.", "title": ["a"]}', 'expected "title" to be a string, found an array'),
        ('{"text": "Body.", "date": 20240101}', 'expected "date" to be a string'),
        ('{"text": "Body.", "url": true}', 'expected "url" to be a string, found a boolean'),
        ('{"text": "Body.", "source": {}}', 'expected "source" to be a string, found an object'),
        ('{"text": "   "}', "found an empty string"),
    ],
)
def test_bad_jsonl_line_is_reported_with_its_number(tmp_path: Path, line: str, message: str) -> None:
    good = json.dumps({"text": "A good story.\n\nIt has a body."})
    path = write(tmp_path / "batch.jsonl", f"{good}\n\n{line}\n{json.dumps({'text': 'Another story.'})}\n")
    articles, errors = read(path)
    assert [a.origin for a in articles] == [f"{path}:1", f"{path}:4"]
    (error,) = errors
    assert (error.path, error.line) == (str(path), 3)
    assert str(error).startswith(f"{path}:3: ") and message in str(error)


# --- folders ------------------------------------------------------------------------------------


def test_folder_is_read_recursively_in_sorted_order(tmp_path: Path) -> None:
    write(tmp_path / "b.txt", "Second story\n\nIt happened in Basra.")
    write(tmp_path / "a" / "z.md", "First story\n\nIt happened in Mosul.")
    write(tmp_path / "c.htm", PAGE)
    write(tmp_path / "d.jsonl", json.dumps({"text": "Fourth story\n\nIt happened in Kirkuk."}))
    write(tmp_path / "notes.csv", "not,an,article")
    write(tmp_path / "image.png", b"\x89PNG\r\n\x1a\n\x00\x00")
    write(tmp_path / ".hidden.txt", "Hidden story\n\nIt should not be read.")
    write(tmp_path / ".git" / "x.txt", "Hidden folder\n\nIt should not be read.")
    articles, errors = read(tmp_path)
    assert errors == []
    assert [a.origin for a in articles] == [
        str(tmp_path / "a" / "z.md"),
        str(tmp_path / "b.txt"),
        str(tmp_path / "c.htm"),
        f"{tmp_path / 'd.jsonl'}:1",
    ]


def test_site_furniture_shared_by_three_articles_is_dropped(tmp_path: Path) -> None:
    for i in range(3):
        write(tmp_path / f"{i}.txt", f"Story {i}\n\nFollow Example News on Telegram\n\nSomething {i} happened.")
    articles, _ = read(tmp_path)
    assert [a.text for a in articles] == [f"Story {i}\n\nSomething {i} happened." for i in range(3)]


def test_lines_shared_by_two_articles_are_kept(tmp_path: Path) -> None:
    for i in range(2):
        write(tmp_path / f"{i}.txt", f"Story {i}\n\nFollow Example News on Telegram\n\nSomething {i} happened.")
    articles, _ = read(tmp_path)
    assert all("Telegram" in a.text for a in articles)


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "expected article text, found an empty file"),
        ("blank.txt", b"  \n\t\n", "found only white space"),
        ("nul.txt", b"Title\x00\x00\x01body", "found binary data (NUL bytes)"),
        ("controls.txt", bytes(range(1, 9)) * 40, "found binary data"),
        ("utf16-controls.txt", codecs.BOM_UTF16_LE + b"\x01\x00" * 200, "found binary data"),
        ("random.txt", bytes(range(128, 256)) * 4, "found bytes in no encoding kg can tell"),
        ("only-furniture.txt", b"Share\n\nPrint\n\nA+ A-", "found only boilerplate"),
    ],
)
def test_bad_file_is_reported_once_and_reading_goes_on(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    bad = write(tmp_path / name, content)
    good = write(tmp_path / "good.txt", STORY)
    articles, errors = read(bad, good)
    assert [a.origin for a in articles] == [str(good)]
    (error,) = errors
    assert error.path == str(bad) and str(error).startswith(str(bad))
    assert message in str(error)
    assert "\n" not in str(error)


def test_missing_path_is_reported(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.txt"
    articles, errors = read(missing, write(tmp_path / "good.txt", STORY))
    assert len(articles) == 1
    (error,) = errors
    assert error.path == str(missing) and "found nothing at this path" in str(error)


def test_bad_file_in_a_folder_is_reported_once(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", b"Title\x00\x00\x01body")
    write(tmp_path / "b.txt", STORY)
    write(tmp_path / "c.txt", "Another story\n\nIt happened in Najaf.")
    articles, errors = read(tmp_path)
    assert len(articles) == 2 and len(errors) == 1


def test_duplicate_articles_are_yielded_once(tmp_path: Path) -> None:
    first = write(tmp_path / "one.txt", STORY)
    second = write(tmp_path / "two.txt", STORY.replace("\n\n", "\n\n\n") + "\n\n")
    jsonl = write(tmp_path / "more.jsonl", json.dumps({"text": STORY}) + "\n" + json.dumps({"text": STORY}) + "\n")
    articles, errors = read(first, second, jsonl)
    assert errors == [] and [a.origin for a in articles] == [str(first)]


# --- metadata -----------------------------------------------------------------------------------


def test_seed_001_metadata() -> None:
    (article,), _ = read(SEEDS / "001_3b5866477332f4c0.txt")
    assert (article.date, article.source, article.dateline) == (dt.date(2024, 2, 14), "Rudaw", "Erbil")
    assert article.title == "President Barzani, US diplomat discuss attacks on coalition troops in Iraq"
    assert article.text.split("\n\n")[1].startswith("ERBIL, Kurdistan Region - ")
    assert "14-02-2024" not in article.text and "\nRudaw\n" not in article.text


def test_seed_003_metadata() -> None:
    (article,), _ = read(SEEDS / "003_effbd0a07ad3dc8b.txt")
    assert article.dateline == "Erbil" and article.date is None


def test_seed_004_metadata() -> None:
    (article,), _ = read(SEEDS / "004_707b419f3301c1a4.txt")
    assert (article.date, article.source) == (dt.date(2024, 3, 3), "Agence France-Presse")
    assert article.title == "Iraq wants an end to presence of the international coalition"
    assert "Agence France-Presse" not in article.text and "Mar 3rd" not in article.text


def test_seed_ids_are_stable_across_reads() -> None:
    first, _ = read(SEEDS)
    second, _ = read(SEEDS)
    assert len(first) == 5
    assert [(a.id, a.content_hash, a.text) for a in first] == [(a.id, a.content_hash, a.text) for a in second]


def test_extract_metadata_removes_top_lines_and_keeps_the_dateline() -> None:
    lines = [
        "Rockets hit Baghdad airport",
        "Published: January 4, 2024 10:32 AM",
        "By Jane Doe, AFP",
        "BAGHDAD, Jan 4 (AFP) - Three rockets hit the airport on January 3, 2024, police said.",
    ]
    metadata, kept = extract_metadata(lines)
    assert metadata == Metadata(date=dt.date(2024, 1, 4), source="Agence France-Presse", dateline="Baghdad")
    assert kept == [lines[0], lines[3]]


def test_extract_metadata_ignores_dates_inside_sentences() -> None:
    lines = ["Rockets hit Baghdad airport", "Three rockets hit the airport on January 3, 2024, police said."]
    assert extract_metadata(lines) == (Metadata(), lines)


def test_extract_metadata_reads_outlet_lines_and_bylines() -> None:
    metadata, kept = extract_metadata(["Title", "Shafaq News | 2024-05-01", "Body sentence."])
    assert (metadata.source, metadata.date, kept) == ("Shafaq News", dt.date(2024, 5, 1), ["Title", "Body sentence."])
    metadata, kept = extract_metadata(["Title", "By Reuters", "Body sentence."])
    assert metadata.source == "Reuters" and kept == ["Title", "Body sentence."]
    # A person's byline is metadata too, but names no outlet.
    metadata, kept = extract_metadata(["Title", "By Jane Doe", "Body sentence."])
    assert metadata.source is None and kept == ["Title", "Body sentence."]


@pytest.mark.parametrize(
    "line",
    ["ISIS - the group claimed the attack.", "Erbil, Kurdistan Region - talks went on.", "The minister said: no."],
)
def test_no_dateline_in_ordinary_sentences(line: str) -> None:
    assert extract_metadata(["Title", line])[0].dateline is None


@pytest.mark.parametrize(
    ("line", "place", "source"),
    [
        ("ERBIL, Kurdistan Region - The talks began.", "Erbil", None),
        ("Baghdad (AFP) - A rocket hit the embassy.", "Baghdad", "Agence France-Presse"),
        ("WASHINGTON, Jan 5 (Reuters) - The Pentagon said.", "Washington", "Reuters"),
        ("SAN FRANCISCO (AP) — A court ruled.", "San Francisco", "Associated Press"),
    ],
)
def test_datelines(line: str, place: str, source: str | None) -> None:
    metadata, kept = extract_metadata(["Title", line])
    assert (metadata.dateline, metadata.source, kept) == (place, source, ["Title", line])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14-02-2024", dt.date(2024, 2, 14)),
        ("05/03/2024", dt.date(2024, 3, 5)),
        ("02/14/2024", dt.date(2024, 2, 14)),
        ("Sun. Mar 3rd, 2024", dt.date(2024, 3, 3)),
        ("January 4, 2024", dt.date(2024, 1, 4)),
        ("4 January 2024", dt.date(2024, 1, 4)),
        ("Thursday, 4 Jan. 2024 - 14:05 GMT", dt.date(2024, 1, 4)),
        ("2024-01-04", dt.date(2024, 1, 4)),
        ("2024-01-04T09:30:00+03:00", dt.date(2024, 1, 4)),
        ("31-02-2024", None),
        ("January 2024", None),
        ("Three rockets hit on January 4, 2024", None),
    ],
)
def test_parse_date(text: str, expected: dt.date | None) -> None:
    assert parse_date(text) == expected


# --- encodings (issue 11, break 8) --------------------------------------------------------------

LATIN = "Talks in Erbil\n\nThe Kurdish Prime Minister said the café near the Citadel reopened.\n"
CURLY = "Talks in Erbil\n\nThe minister’s “frank” talks — with Iraq’s envoy — went on, officials said.\n"


@pytest.mark.parametrize(
    ("content", "text", "encoding"),
    [
        (LATIN.encode("latin-1"), LATIN, "windows-1252 (not UTF-8)"),
        (CURLY.encode("cp1252"), CURLY, "windows-1252 (not UTF-8)"),
        (STORY.encode("utf-16"), STORY, "UTF-16 (byte-order mark)"),
        (codecs.BOM_UTF16_BE + STORY.encode("utf-16-be"), STORY, "UTF-16 (byte-order mark)"),
        (STORY.encode("utf-32"), STORY, "UTF-32 (byte-order mark)"),
    ],
    ids=["latin-1", "windows-1252", "utf-16", "utf-16-be", "utf-32"],
)
def test_text_that_is_not_utf8_is_decoded_and_the_encoding_told(
    tmp_path: Path, content: bytes, text: str, encoding: str
) -> None:
    path = write(tmp_path / "story.txt", content)
    (article,), errors, notices = read_noting(path)
    assert errors == [] and article.text == text.strip()
    assert notices == [f"{path}: decoded as {encoding}"]


def test_utf8_needs_no_notice(tmp_path: Path) -> None:
    _, errors, notices = read_noting(write(tmp_path / "story.txt", LATIN))
    assert errors == [] and notices == []


def test_html_page_in_its_declared_charset(tmp_path: Path) -> None:
    page = PAGE.replace('<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">')
    page = page.replace("ordered an investigation.", "ordered an investigation into the attack on the base at العراق.")
    path = write(tmp_path / "page.html", page.replace("&#8217;", "'").encode("cp1256"))
    (article,), errors, notices = read_noting(path)
    assert errors == [] and article.text.endswith("the attack on the base at العراق.")
    assert notices == [f"{path}: decoded as windows-1256 (declared in the page)"]


def test_html_page_declaring_latin1_reads_windows_1252_quotes(tmp_path: Path) -> None:
    page = PAGE.replace('<meta charset="utf-8">', '<meta charset="iso-8859-1">').replace("&#8217;", "’")
    path = write(tmp_path / "page.htm", page.encode("cp1252"))
    (article,), errors, notices = read_noting(path)
    assert errors == [] and "Iraq’s prime minister" in article.text
    assert notices == [f"{path}: decoded as windows-1252 (declared in the page)"]


def test_jsonl_lines_that_are_not_utf8_are_decoded_and_told_once(tmp_path: Path) -> None:
    lines = [json.dumps({"text": f"Story {i}\n\nThe café in Erbil reopened on day {i}."}, ensure_ascii=False) for i in range(4)]
    raw = b"\n".join(line.encode("latin-1" if i % 2 else "utf-8") for i, line in enumerate(lines)) + b"\n"
    path = write(tmp_path / "batch.jsonl", raw)
    articles, errors, notices = read_noting(path)
    assert errors == [] and len(articles) == 4 and all("café" in a.text for a in articles)
    assert notices == [f"{path}: decoded as windows-1252 (not UTF-8): 2 lines, first line 2"]


def test_utf16_jsonl_with_a_byte_order_mark(tmp_path: Path) -> None:
    lines = "".join(json.dumps({"text": f"Story {i}\n\nIt happened in Basra."}) + "\n" for i in range(3))
    path = write(tmp_path / "batch.jsonl", lines.encode("utf-16"))
    articles, errors, notices = read_noting(path)
    assert errors == [] and [a.origin for a in articles] == [f"{path}:{i}" for i in (1, 2, 3)]
    assert notices == [f"{path}: decoded as UTF-16 (byte-order mark)"]


# --- dates (issue 11, break 12) -----------------------------------------------------------------


@pytest.mark.parametrize("stated", ["2023-02-29", "2024-02-31", "2024-13-45", "2024-02-31T10:00:00Z", "31/02/2024"])
@pytest.mark.parametrize("where", ["meta", "json-ld", "time"])
def test_impossible_page_date_is_dropped_with_a_notice(tmp_path: Path, stated: str, where: str) -> None:
    path = write(tmp_path / "page.html", _dated_page(stated, where))
    (article,), errors, notices = read_noting(path)
    assert errors == []
    assert article.date is None and article.partial_date is None
    assert notices == [f"{path}: dropped impossible date {stated!r} (the page's metadata)"]


@pytest.mark.parametrize(("stated", "partial"), [("2024-02", "2024-02"), ("2024", "2024"), ("February 2024", "2024-02")])
@pytest.mark.parametrize("where", ["meta", "json-ld", "time"])
def test_partial_page_date_keeps_its_precision(tmp_path: Path, stated: str, partial: str, where: str) -> None:
    (article,), errors, notices = read_noting(write(tmp_path / "page.html", _dated_page(stated, where)))
    assert errors == [] and notices == []
    assert article.date is None and article.partial_date == partial and article.published == partial


@pytest.mark.parametrize("where", ["meta", "json-ld", "time"])
def test_full_page_date_is_read(tmp_path: Path, where: str) -> None:
    (article,), _, notices = read_noting(write(tmp_path / "page.html", _dated_page("2024-02-14T22:30:00+03:00", where)))
    assert article.date == dt.date(2024, 2, 14) and article.partial_date is None and notices == []


def test_a_page_stating_no_date_gets_none(tmp_path: Path) -> None:
    (article,), _, notices = read_noting(write(tmp_path / "page.html", _dated_page("", "meta")))
    assert article.date is None and article.partial_date is None and notices == []


def _dated_page(stated: str, where: str) -> str:
    head = {
        "meta": f'<meta property="article:published_time" content="{stated}">',
        "json-ld": f'<script type="application/ld+json">{{"@type": "NewsArticle", "datePublished": "{stated}"}}</script>',
        "time": "",
    }[where]
    stamp = f'<p>Published <time datetime="{stated}" itemprop="datePublished">{stated}</time></p>' if where == "time" else ""
    page = PAGE.replace('<meta property="article:published_time" content="2024-01-21T09:30:00+03:00">', head)
    return page.replace("<article>", "<article>" + stamp)


@pytest.mark.parametrize(
    ("date", "full", "partial", "notice"),
    [
        ("2024-02-14", dt.date(2024, 2, 14), None, None),
        ("2024-02", None, "2024-02", None),
        ("2024", None, "2024", None),
        ("2024-02-31", None, None, "dropped impossible date '2024-02-31'"),
        ("2024-13", None, None, "dropped impossible date '2024-13'"),
        ("sometime last week", None, None, "dropped unreadable date 'sometime last week'"),
    ],
)
def test_jsonl_dates(tmp_path: Path, date: str, full: dt.date | None, partial: str | None, notice: str | None) -> None:
    path = write(tmp_path / "a.jsonl", json.dumps({"text": "Talks\n\nTalks resumed in Baghdad.", "date": date}) + "\n")
    (article,), errors, notices = read_noting(path)
    assert errors == [] and (article.date, article.partial_date) == (full, partial)
    assert notices == ([f"{path}:1: {notice}"] if notice else [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2024-02", "2024-02"), ("2024/02", "2024-02"), ("02/2024", "2024-02"), ("Feb. 2024", "2024-02"), ("2024", "2024"),
     ("2024-02-14", dt.date(2024, 2, 14)), ("Tuesday", None), ("", None)],
)
def test_read_date(text: str, expected: dt.date | str | None) -> None:
    assert read_date(text) == expected


@pytest.mark.parametrize("text", ["2024-02-30", "2023-02-29", "2024-13-01", "2024-13", "2024-00", "0000-00-00", "45/13/2024"])
def test_read_date_refuses_impossible_dates(text: str) -> None:
    from kg.ingest import ImpossibleDate

    with pytest.raises(ImpossibleDate):
        read_date(text)


# --- the same text from several outlets (issue 11, break 6) -------------------------------------


def test_syndicated_copies_become_one_article_with_every_publication(tmp_path: Path) -> None:
    wire = "Iraq asks coalition to leave\n\nIraq's prime minister asked the US-led coalition to leave, officials said."
    records = [
        {"text": wire, "source": "AFP", "date": "2024-01-05", "url": "https://afp.example/1"},
        {"text": "Another story\n\nTalks resumed in Baghdad on Monday.", "source": "Reuters"},
        {"text": wire, "source": "Al Jazeera", "date": "2024-01-06", "url": "https://aljazeera.example/2"},
        {"text": wire, "source": "The National", "date": "2024-02", "url": "https://thenational.example/3"},
    ]
    path = write(tmp_path / "wire.jsonl", "".join(json.dumps(r) + "\n" for r in records))
    articles, errors, notices = read_noting(path)
    assert errors == []
    first, other = articles
    assert (first.origin, first.source, first.date, first.url) == (
        f"{path}:1", "Agence France-Presse", dt.date(2024, 1, 5), "https://afp.example/1")
    assert first.publications == (
        Publication(f"{path}:3", "Al Jazeera", "https://aljazeera.example/2", dt.date(2024, 1, 6)),
        Publication(f"{path}:4", "The National", "https://thenational.example/3", None, "2024-02"),
    )
    assert other.publications == ()
    assert notices == [
        f"{path}:{n}: same text as {path}:1: merged into that article, this copy kept as another publication" for n in (3, 4)
    ]


def test_the_same_file_named_twice_is_read_once(tmp_path: Path) -> None:
    story = write(tmp_path / "in" / "story.txt", STORY)
    articles, errors, notices = read_noting(tmp_path / "in", story)
    assert errors == [] and len(articles) == 1 and articles[0].publications == ()
    assert notices == [f"{story}: same file as {story}: read once"]


# --- kg's own outputs inside an input folder (issue 11, break 5) --------------------------------


def _output_folder(folder: Path) -> None:
    """What a build writes into OUTPUT: graph files, a store, the cache, manifest and lock."""
    write(folder / "graph.ttl", "@prefix kg: <https://w3id.org/kg-news/ontology#> .\n")
    write(folder / "graph.html", "<!DOCTYPE html><html><head><title>kg network: in</title></head>"
          "<body><p>Nodes and edges of the network: Iraq, Iran, the United States.</p></body></html>")
    write(folder / "store" / ".kg-store.json", "{}")
    write(folder / "store" / "CURRENT", "MANIFEST-000005\n")
    write(folder / "store" / "LOG", "RocksDB log\n")
    write(folder / ".cache" / "extractions.sqlite", b"SQLite format 3\x00")
    write(folder / ".graph.ttl.4242.ab12cd34.tmp", "partial turtle")
    write(folder / ".kg-build.lock", "")
    write(folder / ".kg-build.json", json.dumps({"format": 1, "outputs": ["graph.html", "graph.ttl", "store"]}))


def test_outputs_stores_and_caches_in_an_input_folder_are_not_read(tmp_path: Path) -> None:
    story = write(tmp_path / "story.txt", STORY)
    _output_folder(tmp_path / "out")
    write(tmp_path / "elsewhere" / "mystore" / ".kg-store.json", "{}")
    write(tmp_path / "elsewhere" / "mystore" / "IDENTITY", "1234\n")
    articles, errors, notices = read_noting(tmp_path)
    assert errors == [] and [a.origin for a in articles] == [str(story)]
    # told once, by kind: nothing of the output folder or the store is counted as hidden or of another type
    assert notices == [
        f"{tmp_path}: not read in this folder: 7 of kg's own outputs: out/.cache, out/.graph.ttl.4242.ab12cd34.tmp, "
        "out/.kg-build.json, ...; 1 kg store (query it with kg query): elsewhere/mystore"
    ]


def test_an_older_output_folder_without_a_manifest_is_recognised(tmp_path: Path) -> None:
    story = write(tmp_path / "story.txt", STORY)
    _output_folder(tmp_path / "out")
    (tmp_path / "out" / ".kg-build.json").unlink()
    (tmp_path / "out" / ".kg-build.lock").unlink()
    (tmp_path / "out" / "store" / ".kg-store.json").unlink()
    write(tmp_path / "out" / "store" / "IDENTITY", "1234\n")
    write(tmp_path / "out" / "store" / "OPTIONS-000007", "[Version]\n")
    articles, errors, notices = read_noting(tmp_path)
    assert errors == [] and [a.origin for a in articles] == [str(story)]
    assert len(notices) == 1 and "of kg's own outputs: out/.cache, out/.graph.ttl" in notices[0]
    assert "hidden" not in notices[0] and "types kg does not read" not in notices[0]


def test_a_manifest_protects_only_what_it_lists(tmp_path: Path) -> None:
    _output_folder(tmp_path / "out")
    notes = write(tmp_path / "out" / "notes.txt", "My notes\n\nThe envoy met the minister in Baghdad.")
    articles, _, _ = read_noting(tmp_path)
    assert [a.origin for a in articles] == [str(notes)]


# --- file types and hidden files in folders -----------------------------------------------------


def test_xhtml_and_json_files_are_read(tmp_path: Path) -> None:
    xhtml = write(tmp_path / "a.xhtml", '<?xml version="1.0" encoding="utf-8"?>\n' + PAGE)
    records = [{"title": "First", "text": "Talks resumed in Baghdad."}, {"title": "Second", "text": "Troops left Erbil."}]
    array = write(tmp_path / "b.json", json.dumps(records, indent=1))
    single = write(tmp_path / "c.json", json.dumps({"text": "Third story\n\nA drone hit Ain al-Asad."}))
    articles, errors = read(tmp_path)
    assert errors == []
    assert [a.origin for a in articles] == [str(xhtml), f"{array}:2", f"{array}:6", f"{single}:1"]
    assert articles[0].title == "Drone strikes US base in western Iraq"


def test_bad_records_of_a_json_file_are_reported_with_their_line(tmp_path: Path) -> None:
    path = write(tmp_path / "b.json", '[\n {"text": "Good story."},\n 42,\n {"title": "no text"},\n {"text": "Also good."}\n]\n')
    articles, errors = read(path)
    assert [a.origin for a in articles] == [f"{path}:2", f"{path}:5"]
    assert [(e.line, e.problem) for e in errors] == [
        (3, "expected a JSON object, found a number"), (4, 'expected a "text" field, found only these keys: title')]
    broken = write(tmp_path / "c.json", '[{"text": "Good story."}, {"text": ')
    articles, errors = read(broken)
    assert [a.origin for a in articles] == [f"{broken}:1"]
    assert len(errors) == 1 and "invalid JSON" in str(errors[0])


def test_what_a_folder_holds_but_kg_does_not_read_is_told(tmp_path: Path) -> None:
    write(tmp_path / "story.txt", STORY)
    write(tmp_path / "notes.csv", "not,an,article")
    write(tmp_path / "a.png", b"\x89PNG\r\n\x1a\n")
    write(tmp_path / "b.png", b"\x89PNG\r\n\x1a\n")
    write(tmp_path / ".hidden.txt", "Hidden story\n\nIt should not be read.")
    write(tmp_path / ".git" / "x.txt", "Hidden folder\n\nIt should not be read.")
    articles, errors, notices = read_noting(tmp_path)
    assert errors == [] and len(articles) == 1
    assert notices == [
        f"{tmp_path}: not read in this folder: 3 files of types kg does not read (2 .png, 1 .csv; articles are "
        ".htm, .html, .json, .jsonl, .md, .ndjson, .txt, .xhtml or no suffix); 2 hidden: .git, .hidden.txt"
    ]


def test_a_projects_readme_or_changelog_in_a_folder_is_no_article_but_other_markdown_is(tmp_path: Path) -> None:
    story = write(tmp_path / "story.md", "# Talks resume\n\nThe envoy met the minister in Baghdad.")
    for name in ("README.md", "CHANGELOG.md", "sub/License.txt", "readme"):
        write(tmp_path / name, "# kg corpus\n\nHow this folder was collected.")
    articles, errors, notices = read_noting(tmp_path)
    assert errors == [] and [a.origin for a in articles] == [str(story)]
    assert notices == [f"{tmp_path}: not read in this folder: 4 project documents, not news: CHANGELOG.md, "
                       "README.md, readme, ..."]
    # named on the command line, it is read: the user asked for it
    (readme,), _, _ = read_noting(tmp_path / "README.md")
    assert readme.origin == str(tmp_path / "README.md")


@pytest.mark.parametrize("url", ["https://example.org/a\x00b", "https://example.org/\u202egnp.exe", "https://example.org/a\u200bb",
                                 "javascript:alert(1)", "https://exa mple.org"])
def test_jsonl_url_with_control_or_format_characters_is_dropped(tmp_path: Path, url: str) -> None:
    path = write(tmp_path / "a.jsonl", json.dumps({"text": "Talks\n\nTalks resumed in Baghdad.", "url": url}) + "\n")
    (article,), errors, notices = read_noting(path)
    assert errors == [] and article.url is None
    assert len(notices) == 1 and notices[0].startswith(f"{path}:1: dropped url ")
    assert notices[0].isprintable()


def test_doctests() -> None:
    import doctest

    import kg.boilerplate
    import kg.encodings
    import kg.ingest

    for module in (kg.ingest, kg.boilerplate, kg.encodings):
        failures, tried = doctest.testmod(module)
        assert failures == 0 and tried > 0, module.__name__


@pytest.mark.parametrize(("stated", "expected"), [("20240214", dt.date(2024, 2, 14)), ("Feb 14, 2024", dt.date(2024, 2, 14))])
def test_other_ways_pages_state_a_date(tmp_path: Path, stated: str, expected: dt.date) -> None:
    (article,), _, notices = read_noting(write(tmp_path / "page.html", _dated_page(stated, "meta")))
    assert article.date == expected and notices == []


@pytest.mark.parametrize(("stated", "notice"), [("20240231", "impossible date '20240231'"), ("Feb 30, 2024", "impossible date 'Feb 30, 2024'"),
                                                ("last Tuesday", "unreadable date 'last Tuesday'")])
def test_other_dates_a_page_states_that_cannot_be_used(tmp_path: Path, stated: str, notice: str) -> None:
    path = write(tmp_path / "page.html", _dated_page(stated, "meta"))
    (article,), _, notices = read_noting(path)
    assert article.date is None and article.partial_date is None
    assert notices == [f"{path}: dropped {notice} (the page's metadata)"]


def test_a_view_kg_wrote_anywhere_in_a_folder_is_not_read(tmp_path: Path) -> None:
    story = write(tmp_path / "story.txt", STORY)
    write(tmp_path / "views" / "sudani.html", "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<title>kg network: graph.ttl</title></head><body><p>" + "Mohammed Shia al-Sudani met Antony Blinken. " * 5
          + "</p></body></html>")
    articles, errors, notices = read_noting(tmp_path)
    assert errors == [] and [a.origin for a in articles] == [str(story)]
    assert notices == [f"{tmp_path}: not read in this folder: 1 of kg's own outputs: views/sudani.html"]


@pytest.mark.parametrize("charset", ["base64", "rot13", "utf-7", "x-no-such-charset", "utf-16", "hex"])
def test_a_page_declaring_a_charset_that_is_not_one_is_still_read(tmp_path: Path, charset: str) -> None:
    page = PAGE.replace('<meta charset="utf-8">', f'<meta charset="{charset}">').replace("&#8217;", "’")
    path = write(tmp_path / "page.html", page.encode("cp1252"))
    (article,), errors, notices = read_noting(path)
    assert errors == [] and "Iraq’s prime minister" in article.text
    assert notices == [f"{path}: decoded as windows-1252 (not UTF-8)"]

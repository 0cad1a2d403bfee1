"""Fuzzing ingest (no model): any bytes, text, JSON Lines or HTML gives articles or one-line errors, never a crash.

Budgets come from the hypothesis profile (tests/conftest.py): bounded in CI,
``HYPOTHESIS_PROFILE=long`` for a longer run.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from kg import ingest
from kg.boilerplate import repeated_lines, strip_boilerplate
from kg.cli import app
from kg.errors import InputError
from kg.ingest import InputNotice, extract_metadata, iter_articles, normalize_text, parse_date
from kg.model import Article

from .hostile import FRAGMENTS, hostile_text, json_values

pytestmark = pytest.mark.fuzz
SUFFIXES = [".txt", ".md", ".html", ".htm", ".xhtml", ".jsonl", ".json", ""]
# Control characters but "\n", lone surrogates, the noncharacters RDF and XML tools reject.
_FORBIDDEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _read(*paths: Path) -> tuple[list[Article], list[InputError]]:
    errors: list[InputError] = []
    notices: list[InputNotice] = []
    articles = list(iter_articles(list(paths), errors.append, notices.append))
    for notice in notices:  # a notice is one printable line naming its file, like an error
        text = str(notice)
        assert len(text.splitlines()) == 1 and text.startswith(notice.path) and not _FORBIDDEN.search(text), repr(text)
    return articles, errors


def _check_article(article: Article) -> None:
    """What every article must be, whatever came in."""
    assert article.text and article.title and article.text.startswith(article.title)
    assert "\n" not in article.title
    assert article.content_hash == hashlib.sha256(article.text.encode("utf-8")).hexdigest()
    assert article.id == article.content_hash[:16]
    assert len(article.text) <= ingest.MAX_ARTICLE_CHARS
    for value in (article.text, article.title, article.source, article.dateline, article.url, article.origin):
        if value is not None:
            assert not _FORBIDDEN.search(value.replace("\n", "") if value is article.text else value), repr(value)
    if article.url is not None:
        assert re.fullmatch(r"https?://\S+", article.url), article.url
        assert article.url.isprintable(), repr(article.url)
    assert article.date is None or article.partial_date is None
    if article.partial_date is not None:
        assert re.fullmatch(r"\d{4}(-(0[1-9]|1[0-2]))?", article.partial_date), article.partial_date
    for publication in article.publications:
        assert publication.origin != article.origin
        assert publication.url is None or publication.url.isprintable()


def _check_error(error: InputError, path: Path) -> None:
    message = str(error)
    assert isinstance(error, InputError)
    assert len(message.splitlines()) == 1 and message == message.strip(), repr(message)
    assert message.startswith(error.path) and error.path == ingest.display_path(path)
    assert not _FORBIDDEN.search(message)


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def _read_checked(name: str, data: bytes) -> tuple[list[Article], list[InputError]]:
    """Read one file of ``data``; every article read and every error reported must be well formed."""
    with tempfile.TemporaryDirectory() as tmp:
        path = _write(Path(tmp), name, data)
        articles, errors = _read(path)
    for article in articles:
        _check_article(article)
    for error in errors:
        _check_error(error, path)
    return articles, errors


_BOMS = [b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE]


@given(bom=st.sampled_from(_BOMS), data=st.binary(max_size=3000), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes_in_any_format(bom: bytes, data: bytes, suffix: str) -> None:
    articles, errors = _read_checked(f"input{suffix}", bom + data)
    assert articles or errors


@given(text=hostile_text(surrogates=False), encoding=st.sampled_from(["utf-16", "utf-32", "utf-8-sig", "cp1252", "latin-1"]),
       suffix=st.sampled_from([".txt", ".html", ".jsonl", ".json"]))
def test_hostile_text_in_other_encodings(text: str, encoding: str, suffix: str) -> None:
    if suffix in {".jsonl", ".json"}:
        text = json.dumps({"text": "Story\n\n" + text, "date": text[:12]}, ensure_ascii=False)
    articles, errors = _read_checked(f"story{suffix}", text.encode(encoding, "replace"))
    assert len(articles) + len(errors) >= 1


@given(text=hostile_text(surrogates=True), suffix=st.sampled_from([".txt", ".md", ""]))
def test_hostile_text_files(text: str, suffix: str) -> None:
    # Lone surrogates cannot be UTF-8: written as such they are invalid bytes, reported as such.
    articles, errors = _read_checked(f"story{suffix}", text.encode("utf-8", "surrogatepass"))
    assert len(articles) + len(errors) >= 1


_FIELDS = ("text", "title", "date", "url", "source")


@st.composite
def jsonl_lines(draw: st.DrawFn) -> tuple[list[str], set[int]]:
    """JSON Lines with good records, missing fields, wrong types, bad JSON and blank lines.

    Returns the lines and the numbers of the lines that hold a record (not blank).
    """
    lines: list[str] = []
    for number in range(1, draw(st.integers(1, 6)) + 1):
        kind = draw(st.sampled_from(["good", "fields", "json", "raw", "blank"]))
        if kind == "good":
            record = {"text": f"Story {number}\n\n" + draw(hostile_text(6, surrogates=True))}
            for field in _FIELDS[1:]:
                if draw(st.booleans()):
                    record[field] = draw(hostile_text(3, surrogates=True))
            lines.append(json.dumps(record, ensure_ascii=draw(st.booleans())))
        elif kind == "fields":
            record = {f: draw(json_values()) for f in draw(st.sets(st.sampled_from(_FIELDS + ("extra",))))}
            lines.append(json.dumps(record))
        elif kind == "json":
            lines.append(json.dumps(draw(json_values())))
        elif kind == "raw":
            lines.append(draw(st.sampled_from(["{", "[" * 3000, '{"text": ' + "1" * 5000 + "}", "not json",
                                               '{"text": "a"', "\x00\x01", '{"text": NaN}']) | hostile_text(3).map(lambda t: t.replace("\n", " "))))
        else:
            lines.append(draw(st.sampled_from(["", " ", "\t"])))
    # Blank as ingest sees it, in bytes: a line of U+0085 (NEL) is not JSON white space, so it is a (bad) record.
    records = {n for n, line in enumerate(lines, 1) if line.encode("utf-8", "surrogatepass").strip()}
    return lines, records


@given(jsonl_lines())
def test_jsonl_with_missing_fields_and_wrong_types(case: tuple[list[str], set[int]]) -> None:
    lines, records = case
    data = "\n".join(lines).encode("utf-8", "surrogatepass") + b"\n"
    with tempfile.TemporaryDirectory() as tmp:
        path = _write(Path(tmp), "batch.jsonl", data)
        articles, errors = _read(path)
    for article in articles:
        _check_article(article)
        assert re.fullmatch(re.escape(ingest.display_path(path)) + r":\d+", article.origin)
    for error in errors:
        _check_error(error, path)
    # Every record is an article, a one-line error naming its line, or the same text as an earlier record.
    named = {int(a.origin.rsplit(":", 1)[1]) for a in articles} | {e.line for e in errors if e.line is not None}
    assert named <= records
    if any(e.line is None for e in errors):  # a whole-file error (binary, UTF-16...) replaces line errors
        assert not articles


_TAGS = ["p", "div", "script", "style", "article", "main", "h1", "a", "iframe", "noscript", "table", "td", "svg", "math"]


@st.composite
def html_pages(draw: st.DrawFn) -> str:
    """Broken and hostile HTML: unclosed and misnested tags, scripts, comments, deep nesting, entities."""
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 25))):
        tag = draw(st.sampled_from(_TAGS))
        kind = draw(st.integers(0, 6))
        if kind == 0:
            parts.append(f"<{tag} onclick=\"{draw(hostile_text(2))}\">")
        elif kind == 1:
            parts.append(f"</{tag}>")
        elif kind == 2:
            parts.append(f"<{tag}>{draw(hostile_text(4))}</{tag}>")
        elif kind == 3:
            parts.append(draw(st.sampled_from(["<!--", "-->", "<![CDATA[", "]]>", "<!DOCTYPE html>", "<", ">", "&", "&#0;",
                                               "&#xD800;", "&#1114112;", "<?xml?>", "<html>", "<body>"])))
        elif kind == 4:
            parts.append("<div>" * 300 + "deep" + "</div>" * draw(st.integers(0, 300)))
        else:
            parts.append(f"<p>{draw(hostile_text(5))}</p>")
    return "".join(parts)


@given(html_pages())
def test_broken_and_hostile_html(page: str) -> None:
    articles, errors = _read_checked("page.html", page.encode("utf-8", "surrogatepass"))
    assert len(articles) + len(errors) >= 1


@given(st.lists(hostile_text(4), max_size=12))
def test_boilerplate_and_metadata_on_hostile_lines(lines: list[str]) -> None:
    cleaned = [normalize_text(line).replace("\n", " ") for line in lines]
    kept = strip_boilerplate(cleaned)
    assert all(line and line == " ".join(line.split()) for line in kept)
    metadata, rest = extract_metadata(cleaned)
    assert len(rest) <= len(cleaned)
    repeated_lines([cleaned, cleaned[::-1]])
    for line in cleaned:
        parse_date(line)


@given(name=st.lists(st.sampled_from(list("ab[]/ \n\r\t\x1b\u202e\u200b<>\"'=\\")) | st.sampled_from(FRAGMENTS[:6]),
                     min_size=1, max_size=12).map("".join),
       raw=st.booleans())
def test_hostile_file_names_give_one_line_errors(name: str, raw: bool) -> None:
    name = name.replace("/", "_").replace("\x00", "_")
    if name in {".", ".."}:
        name = "_" + name
    with tempfile.TemporaryDirectory() as tmp:
        folder = os.fsencode(tmp)
        filename = os.fsencode(name[:60]) + (b"\xff\xfe.txt" if raw else b".txt")
        with open(os.path.join(folder, filename), "wb") as handle:
            handle.write(b"")  # an empty file: always an error naming the file
        path = Path(os.fsdecode(os.path.join(folder, filename)))
        articles, errors = _read(path)
    assert not articles
    (error,) = errors
    _check_error(error, path)


runner = CliRunner()


@settings(max_examples=max(10, settings.default.max_examples // 6))
@given(case=jsonl_lines(), page=html_pages())
def test_cli_reports_every_bad_input_on_one_line(case: tuple[list[str], set[int]], page: str) -> None:
    """Only bad input (no model needed): exit 1, one line per skipped input, no traceback."""
    lines, _ = case
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        bad = [ln for ln in lines if ln.strip()]
        (folder / "bad.jsonl").write_bytes("\n".join(f'{{"not_text": {json.dumps(ln)}}}' for ln in bad).encode() + b"\n")
        (folder / "keys.jsonl").write_text(json.dumps({ln[:20]: 1 for ln in lines}) + "\n", encoding="utf-8")
        (folder / "empty.txt").write_bytes(b"")
        (folder / "page.html").write_text("<html><script>" + page.replace("</script", "") + "</script></html>")
        result = runner.invoke(app, ["build", str(folder), "-o", str(Path(tmp) / "out"), "-q"])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    for line in result.output.splitlines():
        assert line.startswith(("skipped: ", "error: ", "note: ")), line

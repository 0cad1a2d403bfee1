"""Huge and strange input: refused or split with a message, in bounded memory and time; never a crash."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg import ingest
from kg.cli import EXIT_SKIPPED, app
from kg.errors import InputError
from kg.ingest import MAX_ARTICLE_CHARS, MAX_RECORD_BYTES, iter_articles
from kg.model import Article

SENTENCE = "Iraqi Prime Minister Mohammed Shia al-Sudani met Antony Blinken in Baghdad on Monday. "


def _sentences(n: int) -> str:
    """``n`` different sentences (parts of a split article must differ, or they are one article)."""
    return "".join(f"In talk {i}, Mohammed Shia al-Sudani met Antony Blinken in Baghdad. " for i in range(n))


def _read(*paths: Path) -> tuple[list[Article], list[InputError]]:
    errors: list[InputError] = []
    return list(iter_articles(list(paths), errors.append)), errors


def _big_file(path: Path, size: int) -> Path:
    """A text file of ``size`` bytes, written in blocks (the test itself stays small)."""
    block = ("Title\n\n" + SENTENCE * 200 + "\n\n").encode()
    with path.open("wb") as handle:
        for _ in range(size // len(block) + 1):
            handle.write(block)
        handle.truncate(size)
    return path


def test_a_20_mb_article_file_is_refused_unread(tmp_path: Path) -> None:
    big = _big_file(tmp_path / "huge.txt", 20 * 1024 * 1024)
    good = tmp_path / "good.txt"
    good.write_text("Talks\n\n" + SENTENCE)
    started = time.perf_counter()
    articles, errors = _read(big, good)
    assert time.perf_counter() - started < 5
    assert [a.origin for a in articles] == [str(good)]
    (error,) = errors
    assert str(error) == (f"{big}: expected an article file of at most 10.0 MB, found 20.0 MB; "
                          "give one article per file, or one per line of a JSON Lines file")


def test_a_20_mb_json_lines_record_is_skipped_and_the_next_lines_read(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        handle.write(json.dumps({"text": "First\n\n" + SENTENCE}) + "\n")
        handle.write(json.dumps({"text": "Huge\n\n" + SENTENCE * (20 * 1024 * 1024 // len(SENTENCE))}) + "\n")
        handle.write(json.dumps({"text": "Third\n\n" + SENTENCE + "Again."}) + "\n")
    articles, errors = _read(path)
    assert [a.origin for a in articles] == [f"{path}:1", f"{path}:3"]
    (error,) = errors
    assert str(error).startswith(f"{path}:2: expected a record of at most 10.0 MB, found a longer line")


def test_one_1_mb_line_is_split_into_parts_the_model_can_take(tmp_path: Path) -> None:
    words = _sentences(20_000)[:1_000_000]
    path = tmp_path / "line.txt"
    path.write_text("One long line\n\n" + words + "\n", encoding="utf-8")
    articles, errors = _read(path)
    n = len(articles)
    assert errors == [] and n == 11  # 1,000,000 characters in parts of at most 100,000, cut at sentence ends
    assert all(len(a.text) <= MAX_ARTICLE_CHARS and a.text.startswith("One long line\n\n") for a in articles)
    assert [a.origin for a in articles] == [f"{path} (part {i} of {n})" for i in range(1, n + 1)]
    # Cut at sentence ends: nothing lost, nothing repeated but the title.
    body = " ".join(a.text.removeprefix("One long line\n\n") for a in articles)
    assert body.split() == words.split()
    assert all(a.text.endswith(".") for a in articles[:-1])


def test_a_line_with_no_space_is_cut_anywhere(tmp_path: Path) -> None:
    path = tmp_path / "blob.txt"
    blob = "".join(chr(0x4E00 + i % 2000) for i in range(250_000))  # CJK: no spaces, no sentence ends
    path.write_text("Blob\n\n" + blob + " is the end.\n", encoding="utf-8")
    articles, errors = _read(path)
    assert errors == [] and len(articles) == 3 and all(len(a.text) <= MAX_ARTICLE_CHARS for a in articles)
    assert "".join(a.text.removeprefix("Blob\n\n") for a in articles).replace(" ", "") == blob + "istheend."


def test_a_fifo_or_device_is_refused_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    articles, errors = _read(fifo, Path("/dev/zero"))
    assert articles == []
    assert [str(e) for e in errors] == [f"{fifo}: expected a regular file, found a device, pipe or socket",
                                        "/dev/zero: expected a regular file, found a device, pipe or socket"]


def test_a_file_of_bad_lines_stops_after_a_hundred(tmp_path: Path) -> None:
    path = tmp_path / "noise.jsonl"
    path.write_text("not json\n" * 5000)
    articles, errors = _read(path)
    assert articles == [] and len(errors) == ingest.MAX_BAD_LINES + 1
    assert str(errors[-1]) == f"{path}:100: stopped reading after 100 bad lines: is this JSON Lines?"


def test_reading_huge_inputs_keeps_memory_bounded(tmp_path: Path) -> None:
    """Peak memory of a process reading 20 MB files, a 20 MB line and a 1 MB line: far below their sum."""
    _big_file(tmp_path / "huge.txt", 20 * 1024 * 1024)
    _big_file(tmp_path / "huge.html", 20 * 1024 * 1024)
    with (tmp_path / "lines.jsonl").open("w") as handle:
        handle.write(json.dumps({"text": "Huge\n\n" + _sentences(180_000)}) + "\n")
        for i in range(500):
            handle.write(json.dumps({"text": f"Story {i}\n\n" + SENTENCE * 20}) + "\n")
    (tmp_path / "line.txt").write_text("Line\n\n" + _sentences(14_000))
    script = textwrap.dedent(f"""
        import resource, sys
        from pathlib import Path
        from kg.ingest import iter_articles
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        errors = []
        articles = list(iter_articles([Path({str(tmp_path)!r})], errors.append))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(len(articles), len(errors), (peak - base) // 1024)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    articles, errors, grown_mb = map(int, done.stdout.split())
    assert articles == 500 + 10 and errors == 3  # the 1 MB line in 10 parts; two files and a line refused
    assert grown_mb < 50, f"reading grew the process by {grown_mb} MB"


@pytest.mark.model
def test_an_over_long_article_is_built_in_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Split parts are articles of the graph like any other: mentions, statements, truthful offsets."""
    from rdflib import Graph

    from kg.rdflib_bridge import triples_of
    from kg.validate import truth_violations
    from kg.vocab import KG

    monkeypatch.setattr(ingest, "MAX_ARTICLE_CHARS", 2_000)
    source = tmp_path / "long.txt"
    source.write_text("Long read\n\n" + _sentences(60) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(source), "-o", str(out), "--no-html", "--no-cache"])
    assert result.exit_code == 0, result.output
    graph = Graph().parse(out / "graph.ttl")
    origins = sorted(str(o) for o in graph.objects(None, KG.origin))
    assert origins == [f"{source} (part {i} of 3)" for i in range(1, 4)]
    assert truth_violations(triples_of(graph)) == []
    assert "mohammed-shia-al-sudani" in (out / "graph.ttl").read_text()
    assert MAX_RECORD_BYTES == 10 * 1024 * 1024 and EXIT_SKIPPED == 3


# --- issue 11: linear time, parts bounded in tokens ---------------------------------------------


def _ingest_seconds(path: Path, text: str, runs: int = 1) -> float:
    path.write_text(text, encoding="utf-8")
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        articles, errors = _read(path)
        best = min(best, time.perf_counter() - started)
        assert articles and not errors
    return best


@pytest.mark.parametrize(
    "unit", ["word\n", "w.\n\n", ". ", "Word\n"], ids=["short lines", "short paragraphs", "punctuation", "capitalised lines"]
)
def test_ingest_time_is_linear_in_the_input(tmp_path: Path, unit: str) -> None:
    """Ten times the input takes about ten times as long (was quadratic: 100,000 short lines took 87 s)."""
    small = _ingest_seconds(tmp_path / "small.txt", "Title\n\n" + unit * 10_000, runs=3)
    big = _ingest_seconds(tmp_path / "big.txt", "Title\n\n" + unit * 100_000)
    assert big < 40 * small + 1.0, f"10,000 units in {small:.3f} s, 100,000 in {big:.3f} s"


def test_parts_are_bounded_in_tokens_as_the_model_counts_them(tmp_path: Path) -> None:
    """50,000 tiny paragraphs (0.6 MB): each part at most MAX_ARTICLE_TOKENS of spaCy's tokens, nothing lost."""
    import spacy

    path = tmp_path / "tiny.txt"
    items = [f"Item {i}." for i in range(50_000)]
    path.write_text("Tiny paragraphs\n\n" + "\n\n".join(items) + "\n", encoding="utf-8")
    articles, errors = _read(path)
    assert errors == [] and len(articles) > 1
    tokenizer = spacy.blank("en").tokenizer
    assert all(len(tokenizer(a.text)) <= ingest.MAX_ARTICLE_TOKENS for a in articles)
    assert all(len(a.text) <= MAX_ARTICLE_CHARS for a in articles)
    body = [p for a in articles for p in a.text.split("\n\n")[1:]]
    assert body == items


def test_reading_many_tiny_paragraphs_keeps_memory_bounded(tmp_path: Path) -> None:
    path = tmp_path / "tiny.txt"
    path.write_text("Tiny paragraphs\n\n" + "\n\n".join(f"Item {i}." for i in range(200_000)) + "\n", encoding="utf-8")
    script = textwrap.dedent(f"""
        import resource
        from pathlib import Path
        from kg.ingest import iter_articles
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        articles = list(iter_articles([Path({str(path)!r})], print))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(len(articles), (peak - base) // 1024)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    articles, grown_mb = map(int, done.stdout.split())
    assert articles > 1 and grown_mb < 80, f"reading 2.6 MB of tiny paragraphs grew the process by {grown_mb} MB"

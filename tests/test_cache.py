"""The extraction cache holds plain data checked when read, and no fault of its file fails a build:
a damaged file is started afresh, a locked or full one gets one warning. Real files, a real second
process holding the lock, a real full file system."""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import hashlib
import json
import pickle
import shutil
import sqlite3
import subprocess
import sys
import types
import typing
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import kg
import kg.ingest
from kg.cache import ExtractionCache, IngestCache, TurtleCache
from kg.errors import SkippedInputs
from kg.fingerprints import (
    _import_tree,
    code_fingerprint,
    extraction_sources,
    extractor_fingerprint,
    turtle_fingerprint,
)
from kg.ingest import Built, iter_articles
from kg.model import Article, Extraction, Mention
from kg.pipeline import Settings, build
from kg.plain_data import Undecodable, decode, decode_row, encode_row
from kg.turtle import PartTurtle, turtle_bytes

FINGERPRINT = "fp"


def _sample(hint: Any, seed: int) -> Any:
    """A value of type ``hint``, built from the type hints alone: new fields are covered as they come."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        hints = typing.get_type_hints(hint)
        fields = dataclasses.fields(hint)
        return hint(**{f.name: _sample(hints[f.name], seed + i) for i, f in enumerate(fields)})
    if origin in (typing.Union, types.UnionType):
        if type(None) in args and seed % 3 == 0:
            return None
        options = [a for a in args if a is not type(None)]
        return _sample(options[seed % len(options)], seed + 1)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_sample(args[0], seed + i) for i in range(seed % 3))
        return tuple(_sample(a, seed + i) for i, a in enumerate(args))
    samples: dict[Any, Any] = {
        str: f"s{seed} “é” \u202e\U0001f600", int: seed * 1001, float: seed / 7, bool: seed % 2 == 1,
        dt.date: dt.date(2024, 2, 29),
    }
    if hint not in samples:
        pytest.fail(f"no sample value for {hint}: does the cache codec store it?")
    return samples[hint]


def _extraction(i: int, mentions: int = 40) -> Extraction:
    text = "Iraq " * mentions
    article = Article(f"a{i}", f"a{i}.txt", "t", text, content_hash=f"h{i}")
    found = tuple(Mention(article.id, j * 5, j * 5 + 4, "Iraq", "Country", "iraq") for j in range(mentions))
    return Extraction(article, found)


@pytest.fixture
def filled(tmp_path: Path) -> tuple[Path, list[Extraction]]:
    """A cache file holding 120 results, closed (so every page is in the main file)."""
    path = tmp_path / "cache" / "extractions.sqlite"
    results = [_extraction(i) for i in range(120)]
    with ExtractionCache(path, FINGERPRINT) as cache:
        cache.put_many(results)
    assert not path.with_name(path.name + "-wal").exists()
    return path, results


def _article(text: str, origin: str = "a.txt", date: dt.date | None = None) -> Article:
    digest = hashlib.sha256(text.encode()).hexdigest()
    return Article(id=digest[:16], origin=origin, title="t", text=text, date=date, content_hash=digest)


def test_cache_round_trip_and_keys(tmp_path: Path) -> None:
    article = _article("Iraq said so.")
    extraction = Extraction(article, (Mention(article.id, 0, 4, "Iraq", "Country", "iraq"),))
    with ExtractionCache(tmp_path / "c.sqlite", "fp1") as cache:
        cache.put_many([extraction])
        moved = _article("Iraq said so.", origin="elsewhere.jsonl:3")
        found = cache.get_many([moved])
        assert found[article.id].mentions == extraction.mentions
        assert found[article.id].article.origin == "elsewhere.jsonl:3"
        # Relative dates resolve against the article date: another date is another result.
        assert cache.get_many([_article("Iraq said so.", date=dt.date(2024, 1, 1))]) == {}
    with ExtractionCache(tmp_path / "c.sqlite", "fp2") as other:
        assert other.get_many([article]) == {}


# ---------------------------------------------------------------- the fingerprint


def test_fingerprint_follows_model_and_gazetteer() -> None:
    base = extractor_fingerprint("m", "1", "g1")
    assert base == extractor_fingerprint("m", "1", "g1")
    assert base != extractor_fingerprint("m", "2", "g1")
    assert base != extractor_fingerprint("m", "1", "g2")


def _package(root: Path, files: dict[str, str]) -> Path:
    package = root / "kg"
    for name, text in files.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(text, encoding="utf-8")
    return package


PACKAGE = {
    "__init__.py": "",
    "nlp/__init__.py": "from kg.nlp.words import WORDS\n",
    "nlp/words.py": "import json\nfrom kg import errors\n",
    "extract/__init__.py": "",
    "extract/rules.py": "def rule():\n    from kg.extract import syntax  # imported where it is used\n",
    "extract/syntax.py": "from kg.model import Mention\n",
    "errors.py": "",
    "model.py": "",
    "vocab.py": "",
    "resolve.py": "from kg.model import Mention\n",
    "cli.py": "from kg.nlp import WORDS\nfrom kg import resolve\n",
    "data/names.json": "{}",
}


def test_the_fingerprint_covers_the_stages_what_they_import_and_the_data(tmp_path: Path) -> None:
    package = _package(tmp_path, PACKAGE)
    assert [p.relative_to(package).as_posix() for p in extraction_sources(package)] == [
        "__init__.py", "data/names.json", "errors.py", "extract/__init__.py", "extract/rules.py", "extract/syntax.py",
        "model.py", "nlp/__init__.py", "nlp/words.py",
    ]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("extract/new_rule.py", "RULE = 1\n"),  # a new module of a stage, imported by nothing yet
        ("nlp/words.py", "import json\nfrom kg import errors, vocab\n"),  # a stage now imports one more module
        ("model.py", "X = 1\n"),  # a module a stage imports
        ("data/new_words.json", "[]"),  # a new word list
        ("data/names.json", "{ }"),
    ],
)
def test_adding_or_changing_what_extraction_runs_changes_the_fingerprint(tmp_path: Path, name: str, text: str) -> None:
    package = _package(tmp_path, PACKAGE)
    before = code_fingerprint(package)
    _package(tmp_path, {name: text})
    assert code_fingerprint(package) != before


@pytest.mark.parametrize(("name", "text"), [("cli.py", "X = 1\n"), ("resolve.py", "X = 1\n"), ("graph.py", "")])
def test_changing_what_extraction_does_not_run_keeps_the_fingerprint(tmp_path: Path, name: str, text: str) -> None:
    package = _package(tmp_path, PACKAGE)
    before = code_fingerprint(package)
    _package(tmp_path, {name: text})
    assert code_fingerprint(package) == before


def test_the_packaged_extraction_sources_are_its_stages_and_the_modules_they_use() -> None:
    package = Path(kg.__file__).resolve().parent
    found = {p.relative_to(package).as_posix() for p in extraction_sources(package)}
    assert {"nlp/__init__.py", "nlp/words.py", "extract/entities.py", "extract/rules/verbal.py"} <= found
    assert {"model.py", "vocab.py", "normalize.py", "gazetteer.py", "data/names.json", "data/lexicon.json"} <= found
    # resolution, graph writing, the build and the CLI are not extraction: changing them keeps every result
    assert not found & {"resolve.py", "graph.py", "pipeline.py", "map_worker.py", "cli.py", "ingest.py", "cache.py"}


# ---------------------------------------------------------------- plain data


@pytest.mark.parametrize("seed", range(6))
def test_every_field_of_a_result_round_trips(seed: int) -> None:
    extraction = _sample(Extraction, seed)
    row = encode_row(extraction)
    assert isinstance(json.loads(row), list)
    assert decode_row(row, extraction.article) == extraction


def test_a_hit_carries_the_article_as_read_this_time(tmp_path: Path) -> None:
    stored = _extraction(1)
    moved = dataclasses.replace(stored.article, origin="elsewhere.jsonl:3", title="Another title")
    with ExtractionCache(tmp_path / "c.sqlite", FINGERPRINT) as cache:
        cache.put_many([stored])
        found = cache.get_many([moved])
    assert found == {moved.id: dataclasses.replace(stored, article=moved)}


class _Planted:
    """Unpickling this runs code: the old cache would have created the marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        return (Path.touch, (self.marker,))


def _bad_rows(marker: Path) -> dict[str, object]:
    good = json.loads(encode_row(_extraction(0, mentions=2)))
    as_text = [*good[:1], [["a0", "0", 4, "Iraq", "Country", "iraq", None]], *good[2:]]
    as_bool = [[["a0", True, 4, "Iraq", "Country", "iraq", None]], *good[1:]]
    return {
        "not JSON": "{not json",
        "a JSON object": '{"mentions": []}',
        "too few fields": json.dumps(good[:-1]),
        "a string for an offset": json.dumps(as_text),
        "a boolean for an offset": json.dumps(as_bool),
        "a mention with a missing field": json.dumps([[["a0", 0, 4, "Iraq"]], *good[1:]]),
        "nested 100,000 deep": "[" * 100_000 + "]" * 100_000,
        "a 5,000-digit number": "[" + "1" * 5000 + "]",
        "a number": 42,
        "a pickle that runs code": pickle.dumps(_Planted(marker)),
        "bytes that are not UTF-8": b"\xff\xfe[",
    }


@pytest.mark.parametrize("kind", list(_bad_rows(Path("x"))))
def test_a_row_that_is_not_a_result_is_a_miss(tmp_path: Path, kind: str) -> None:
    marker = tmp_path / "code-ran"
    path = tmp_path / "c.sqlite"
    result = _extraction(0, mentions=2)
    with ExtractionCache(path, FINGERPRINT) as cache:
        cache.put_many([result])
        key = cache.key(result.article)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE extraction SET value = ? WHERE key = ?", (_bad_rows(marker)[kind], key))
    warnings: list[str] = []
    with ExtractionCache(path, FINGERPRINT, warnings.append) as cache:
        assert cache.get_many([result.article]) == {}
        cache.put_many([result])  # extracted again
        assert cache.get_many([result.article]) == {result.article.id: result}
    assert not marker.exists() and warnings == []


# ---------------------------------------------------------------- damaged files


def _page_size(data: bytes | bytearray) -> int:
    size = int.from_bytes(data[16:18], "big")
    return 65536 if size == 1 else size


def _garble_table_pages(path: Path) -> None:
    """Malformed pages inside a valid header: every leaf page of the table, its index left intact."""
    data = bytearray(path.read_bytes())
    size = _page_size(data)
    leaves = [n for n in range(1, len(data) // size) if data[n * size] == 0x0D]
    assert len(leaves) > 10
    for n in leaves:
        data[n * size : (n + 1) * size] = bytes((i * 7 + 3) % 256 for i in range(size))
    path.write_bytes(bytes(data))


def _schema(sql: str) -> Callable[[Path], object]:
    def write(path: Path) -> None:
        path.unlink()
        with sqlite3.connect(path) as db:
            db.executescript(sql)

    return write


DAMAGE: dict[str, Callable[[Path], object]] = {
    "not a database": lambda p: p.write_bytes(b"this is not SQLite\n" * 300),
    "empty file": lambda p: p.write_bytes(b""),
    "truncated to its header": lambda p: p.write_bytes(p.read_bytes()[:100]),
    "truncated by half": lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]),
    "malformed pages inside a valid header": _garble_table_pages,
    "zeroed pages": lambda p: p.write_bytes(p.read_bytes()[:4096] + bytes(p.stat().st_size - 4096)),
    "a table of other columns": _schema("CREATE TABLE extraction (key TEXT, data BLOB, extra INT);"
                                        "INSERT INTO extraction VALUES ('k', x'00', 1);"),
    "a view in place of the table": _schema("CREATE VIEW extraction AS SELECT 1 AS key, 2 AS value;"),
    "the first format's pickle table": _schema("CREATE TABLE extraction (key TEXT PRIMARY KEY, value BLOB NOT NULL);"),
    "a trigger that refuses every row": _schema(
        "CREATE TABLE extraction (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "CREATE TRIGGER no BEFORE INSERT ON extraction BEGIN SELECT RAISE(ABORT, 'refused'); END;"
        "PRAGMA user_version = 2;"
    ),
}


@pytest.mark.parametrize("first", ["get", "put"])
@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_cache_is_started_afresh(
    filled: tuple[Path, list[Extraction]], damage: str, first: str
) -> None:
    path, results = filled
    DAMAGE[damage](path)
    articles = [r.article for r in results]
    warnings: list[str] = []
    with ExtractionCache(path, FINGERPRINT, warnings.append) as cache:
        if first == "get":
            assert set(cache.get_many(articles)) <= {a.id for a in articles}
        cache.put_many(results[:5])
    with ExtractionCache(path, FINGERPRINT, warnings.append) as cache:
        found = cache.get_many(articles)
    assert {a.id for a in articles[:5]} <= set(found)
    assert all(found[r.article.id] == r for r in results[:5])
    assert warnings == []
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


# ---------------------------------------------------------------- a cache that cannot be used

_HOLD = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
if sys.argv[2] == "whole file":
    db.execute("PRAGMA locking_mode=EXCLUSIVE")
db.execute("BEGIN EXCLUSIVE")
db.execute("DELETE FROM extraction WHERE key = ''")
print("locked", flush=True)
time.sleep(120)
"""


@pytest.fixture
def holder(filled: tuple[Path, list[Extraction]]) -> Iterator[Callable[[str], None]]:
    """Starts a second process that holds the cache in an exclusive transaction until the test ends."""
    processes: list[subprocess.Popen[str]] = []

    def hold(mode: str) -> None:
        args = [sys.executable, "-c", _HOLD, str(filled[0]), mode]
        process = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
        processes.append(process)
        assert process.stdout is not None and process.stdout.readline() == "locked\n"

    yield hold
    for process in processes:
        process.kill()
        process.wait(10)


@pytest.mark.parametrize("mode", ["writes", "whole file"])
def test_a_cache_locked_by_another_process_is_used_no_longer_after_one_warning(
    filled: tuple[Path, list[Extraction]], holder: Callable[[str], None], mode: str
) -> None:
    path, results = filled
    holder(mode)
    warnings: list[str] = []
    with ExtractionCache(path, FINGERPRINT, warnings.append, timeout=0.3) as cache:
        found = cache.get_many([r.article for r in results])
        cache.put_many([_extraction(500)])
        cache.put_many([_extraction(501)])
        assert cache.get_many([r.article for r in results]) == {}  # given up: no second wait
    # Readers are not blocked by a writer (WAL): the results are still there to use.
    assert len(found) == (0 if mode == "whole file" else len(results))
    locked = "locked by another process for more than 0.3 s"
    assert warnings == [f"{path}: cache not used ({locked}); extracting without it"]


def test_a_cache_folder_that_cannot_be_made_gets_one_warning(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / ".cache").write_text("a file where the cache folder goes")
    warnings: list[str] = []
    with ExtractionCache(tmp_path / "out" / ".cache" / "extractions.sqlite", FINGERPRINT, warnings.append) as cache:
        assert cache.get_many([_extraction(1).article]) == {}
        cache.put_many([_extraction(1)])
    assert len(warnings) == 1 and "File exists" in warnings[0]
    assert (tmp_path / "out" / ".cache").read_text() == "a file where the cache folder goes"


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 1 MB file system (tmpfs, root only): a cache on it meets ENOSPC."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def test_a_full_disk_stops_the_cache_after_one_warning_and_keeps_what_it_holds(tiny_disk: Path) -> None:
    path = tiny_disk / ".cache" / "extractions.sqlite"
    warnings: list[str] = []
    stored = 0
    with ExtractionCache(path, FINGERPRINT, warnings.append) as cache:
        for i in range(0, 1000, 10):
            cache.put_many([_extraction(j) for j in range(i, i + 10)])
            if warnings:
                break
            stored = i + 10
        cache.put_many([_extraction(2000)])
        assert cache.get_many([_extraction(0).article]) == {}
    assert stored > 0 and len(warnings) == 1
    assert warnings[0] == f"{path}: cache not used (database or disk is full); extracting without it"
    # Every chunk committed before the disk filled is whole, and is there for the next build.
    with ExtractionCache(path, FINGERPRINT, warnings.append) as cache:
        found = cache.get_many([_extraction(j).article for j in range(stored + 10)])
    assert sorted(found) == sorted(f"a{j}" for j in range(stored))


# ---------------------------------------------------------------- builds


def test_a_strict_build_with_a_skipped_input_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Iraq talks\n\nIraqi officials met in Baghdad.\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("")
    out = tmp_path / "out"
    skipped: list[object] = []
    with pytest.raises(SkippedInputs, match="1 input"):
        build([tmp_path / "good.txt", tmp_path / "empty.txt"], Settings(cache_dir=out / ".cache", strict=True),
              on_error=skipped.append)
    assert len(skipped) == 1 and not out.exists()


def test_kg_build_strict_creates_no_output_folder_and_no_cache(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from kg.cli import app

    (tmp_path / "good.txt").write_text("Iraq talks\n\nIraqi officials met in Baghdad.\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(tmp_path / "good.txt"), str(tmp_path / "empty.txt"),
                                      "-o", str(out), "--strict"])
    assert result.exit_code == 1, result.output
    assert "empty.txt" in result.output and "Traceback" not in result.output
    assert not out.exists()


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    """Three articles and the graph a build without a cache makes of them."""
    folder = tmp_path_factory.mktemp("articles")
    (folder / "a.txt").write_text("Talks\n\nIraqi Prime Minister Mohammed Shia al-Sudani met Antony Blinken.\n")
    (folder / "b.txt").write_text("Strike\n\nKataib Hezbollah attacked a base in Erbil on Monday.\n")
    (folder / "c.txt").write_text("Visit\n\nVictoria Nuland visited Baghdad and met Iraqi officials.\n")
    return folder, turtle_bytes(build([folder]).triples())


@pytest.mark.model
@pytest.mark.parametrize("damage", ["not a database", "malformed pages inside a valid header",
                                    "a table of other columns", "the first format's pickle table"])
def test_a_build_over_a_damaged_cache_extracts_again(
    articles: tuple[Path, bytes], tmp_path: Path, damage: str
) -> None:
    folder, plain = articles
    cache_dir = tmp_path / "cache"
    path = cache_dir / "extractions.sqlite"
    with ExtractionCache(path, FINGERPRINT) as cache:  # enough pages to damage
        cache.put_many([_extraction(i) for i in range(120)])
    DAMAGE[damage](path)
    warnings: list[str] = []
    first = build([folder], Settings(cache_dir=cache_dir), on_warning=warnings.append)
    again = build([folder], Settings(cache_dir=cache_dir), on_warning=warnings.append)
    assert (first.cached, again.cached, warnings) == (0, 3, [])
    assert turtle_bytes(first.triples()) == turtle_bytes(again.triples()) == plain


@pytest.mark.model
def test_a_build_over_a_locked_cache_warns_once_and_builds(
    articles: tuple[Path, bytes], tmp_path: Path
) -> None:
    """Locked for longer than the 5 s a build waits: the build goes on without the cache."""
    folder, plain = articles
    cache_dir = tmp_path / "cache"
    warnings: list[str] = []
    build([folder], Settings(cache_dir=cache_dir))
    process = subprocess.Popen([sys.executable, "-c", _HOLD, str(cache_dir / "extractions.sqlite"), "whole file"],
                               stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None and process.stdout.readline() == "locked\n"
        result = build([folder], Settings(cache_dir=cache_dir), on_warning=warnings.append)
    finally:
        process.kill()
        process.wait(10)
    assert result.cached == 0 and len(warnings) == 1 and "locked by another process for more than 5 s" in warnings[0]
    assert turtle_bytes(result.triples()) == plain


@pytest.mark.model
def test_a_build_whose_cache_fills_the_disk_warns_once_and_builds(
    articles: tuple[Path, bytes], tiny_disk: Path
) -> None:
    folder, plain = articles
    # Leave the cache less room than one result needs.
    (tiny_disk / "filler").write_bytes(bytes(1024 * 1024 - 48 * 1024))
    warnings: list[str] = []
    result = build([folder], Settings(cache_dir=tiny_disk / "cache"), on_warning=warnings.append)
    assert len(warnings) == 1 and "database or disk is full" in warnings[0], warnings
    assert turtle_bytes(result.triples()) == plain
    shutil.rmtree(tiny_disk / "cache")


# ---------------------------------------------------------------- each article's share of graph.ttl

SHARE = PartTurtle((("<https://w3id.org/kg-news/id/mention/a-0-4>", 'kgm:a-0-4 kg:start 0 ;\n\tkg:end 4 .\n'),),
                   ('<https://w3id.org/kg-news/id/entity/iraq> <https://w3id.org/kg-news/ontology#mentionedIn> '
                    '<https://w3id.org/kg-news/id/article/a> .\n',), 2)


def test_a_share_is_kept_across_openings_of_the_cache(tmp_path: Path) -> None:
    path = tmp_path / "turtle.sqlite"
    with TurtleCache(path, FINGERPRINT) as cache:
        key = cache.key("source", [(0, 4, "iraq")], {"iraq": "Iraq"})
        cache.put_many([(key, SHARE)])
    warnings: list[str] = []
    with TurtleCache(path, FINGERPRINT, warnings.append) as cache:
        assert cache.get_many([key, "other"]) == {key: SHARE}
    assert warnings == []


def test_a_share_is_keyed_by_its_extraction_spans_labels_and_the_code_that_makes_it(tmp_path: Path) -> None:
    with TurtleCache(tmp_path / "t.sqlite", FINGERPRINT) as cache, TurtleCache(tmp_path / "u.sqlite", "fp2") as other:
        spans, labels = [(0, 4, "iraq")], {"iraq": "Iraq", "iran": "Iran"}
        key = cache.key("source", spans, labels)
        assert key == cache.key("source", list(spans), dict(labels))
        assert len({
            key,
            cache.key("source2", spans, labels),
            cache.key("source", [(0, 4, "iran")], labels),
            cache.key("source", spans, {"iraq": "Republic of Iraq"}),
            other.key("source", spans, labels),
        }) == 5
        # The label of an entity the article does not name is not part of its share.
        assert cache.key("source", spans, {"iraq": "Iraq", "iran": "Persia"}) == key


@pytest.mark.parametrize("row", [
    "not json", "[]", '[1, [], "x"]', '["2", [], []]', '[1, [["k"]], []]', '[1, [["k", 3]], []]',
    '[1, [["k", "kgm:a kg:start 0 ."]], []]',  # not a whole block
    '[1, [["k", "kgm:a kg:start 0 .\\nkgm:b kg:start 1 .\\n"]], []]',  # two subjects in one block
    '[1, [], [1]]',
])
def test_a_row_that_is_not_a_share_is_a_miss(tmp_path: Path, row: str) -> None:
    path = tmp_path / "turtle.sqlite"
    with TurtleCache(path, FINGERPRINT):
        pass
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO turtle VALUES ('k', ?)", (row,))
    with TurtleCache(path, FINGERPRINT) as cache:
        assert cache.get_many(["k"]) == {}


def test_a_turtle_cache_that_is_not_a_database_is_started_afresh(tmp_path: Path) -> None:
    path = tmp_path / "turtle.sqlite"
    path.write_bytes(b"not a database " * 500)
    warnings: list[str] = []
    with TurtleCache(path, FINGERPRINT, warnings.append) as cache:
        cache.put_many([("k", SHARE)])
    with TurtleCache(path, FINGERPRINT, warnings.append) as cache:
        assert cache.get_many(["k"]) == {"k": SHARE}
    assert warnings == []


def test_the_turtle_fingerprint_covers_graph_and_export_and_what_they_import() -> None:
    names = {p.relative_to(Path(kg.__file__).parent).as_posix()
             for p in extraction_sources(Path(kg.__file__).parent, ("graph", "export"))}
    assert {"graph.py", "export.py", "vocab.py", "rdf.py", "model.py"} <= names
    assert turtle_fingerprint() == turtle_fingerprint()


def _imports(tree: ast.Module) -> set[tuple[str | None, int, str]]:
    found: set[tuple[str | None, int, str]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {(None, 0, alias.name) for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            found |= {(node.module, node.level, alias.name) for alias in node.names}
    return found


@pytest.mark.parametrize("module", sorted(p.relative_to(Path(kg.__file__).parent).as_posix()
                                          for p in Path(kg.__file__).parent.rglob("*.py")))
def test_the_quick_import_scan_finds_every_import_a_full_parse_does(module: str) -> None:
    source = (Path(kg.__file__).parent / module).read_bytes()
    assert _imports(_import_tree(source, module)) == _imports(ast.parse(source))


@pytest.mark.parametrize("source", [
    "if TYPE_CHECKING: import json\n",
    "x = 1; from kg import model\n",
    "x = 1 \\\n; import json\n",
    "from kg import (\n    model,  # the records\n    vocab,\n)\n",
    "from kg import model, \\\n    vocab\n",
    '"""\nimport these words, a docstring\n"""\nimport json\n',
    "def f():\n    from kg.nlp import (words,\n        rules)\n",
])
def test_the_quick_import_scan_finds_imports_wherever_they_are(source: str) -> None:
    assert _imports(_import_tree(source.encode(), "m.py")) == _imports(ast.parse(source))


@pytest.mark.parametrize(("hint", "data", "value"), [
    (str | None, None, None), (str | None, "x", "x"), (int | str | None, "x", "x"), (int | str | None, 3, 3),
    (tuple[int, int] | None, [1, 2], (1, 2)), (int | None, False, Undecodable), (str | None, 5, Undecodable),
    (int | str | None, [1], Undecodable),
])
def test_an_optional_value_is_none_or_one_of_its_types(hint: Any, data: Any, value: Any) -> None:
    if value is Undecodable:
        with pytest.raises(Undecodable):
            decode(hint, data)
    else:
        assert decode(hint, data) == value


# ---------------------------------------------------------------- what cleaning made of each record

FURNITURE = "Follow our channel for updates"  # a site's line, shared once three articles carry it


def _inputs(folder: Path, furnished: int) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "a.txt").write_text("Talks\n\nBAGHDAD, Feb 30 (Reuters) - Iraqi officials met in Baghdad on Monday.\n")
    (folder / "b.md").write_text("# Strike\n\nKataib Hezbollah attacked a base in Erbil.\n\nShare this article\n")
    (folder / "empty.txt").write_text("")
    (folder / "copy.txt").write_text("Talks\n\nBAGHDAD, Feb 30 (Reuters) - Iraqi officials met in Baghdad on Monday.\n")
    records = [{"title": f"Visit {i}", "text": f"Officials of party {i} visited Najaf.\n\n{FURNITURE}"}
               for i in range(furnished)]
    records.append({"title": "Bad", "text": 5})
    (folder / "more.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    return folder


def _read(folder: Path, memo: IngestCache | None) -> tuple[list[Article], list[str], list[str], Counter[str]]:
    errors: list[str] = []
    notices: list[str] = []
    dropped: Counter[str] = Counter()
    articles = list(iter_articles([folder], lambda e: errors.append(str(e)), lambda n: notices.append(str(n)),
                                  dropped, memo))
    if memo is not None:
        memo.flush()
    return articles, errors, notices, dropped


def test_records_cleaned_from_the_cache_are_what_cleaning_makes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _inputs(tmp_path / "in", furnished=2)
    path = tmp_path / "cache" / "ingest.sqlite"
    plain = _read(folder, None)
    # Errors, notices and dropped paragraphs, all to be told again from the cache.
    assert any("empty" in e for e in plain[1]) and any("Feb 30" in n for n in plain[2]) and plain[3]
    cleaned: list[str] = []
    real = kg.ingest._build

    def spy(record, *args):  # type: ignore[no-untyped-def]
        cleaned.append(record.origin)
        return real(record, *args)

    monkeypatch.setattr("kg.ingest._build", spy)
    with IngestCache(path, FINGERPRINT) as memo:
        assert _read(folder, memo) == plain
    records = len(cleaned)
    cleaned.clear()
    with IngestCache(path, FINGERPRINT) as memo:
        assert memo.get_many(["none"]) == {}
        assert _read(folder, memo) == plain and cleaned == []
    # A third article with the line makes it the site's: every record is cleaned again, as a full build does.
    _inputs(folder, furnished=3)
    with IngestCache(path, FINGERPRINT) as memo:
        again = _read(folder, memo)
    assert len(cleaned) == records + 1
    assert again == _read(folder, None) and again[3]["site furniture"] == 3


def test_a_record_cache_is_read_only_where_it_is_and_written_only_when_flushed(tmp_path: Path) -> None:
    folder = _inputs(tmp_path / "in", furnished=1)
    path = tmp_path / "cache" / "ingest.sqlite"
    with IngestCache(path, FINGERPRINT) as memo:
        list(iter_articles([folder], lambda e: None, None, None, memo))
    assert not path.parent.exists()


@pytest.mark.parametrize("row", ["not json", "[]", '[[], [], [], ["p", "m", "x"]]', '[[["a"]], [], [], null]'])
def test_a_row_that_is_not_a_cleaned_record_is_a_miss(tmp_path: Path, row: str) -> None:
    path = tmp_path / "ingest.sqlite"
    with IngestCache(path, FINGERPRINT) as memo:
        memo.put_many([("k", Built((), (), ()))])
        memo.flush()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE ingest SET value = ?", (row,))
    with IngestCache(path, FINGERPRINT) as memo:
        assert memo.get_many(["k"]) == {}

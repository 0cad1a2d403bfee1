"""Parallel, incremental and distributed builds give exactly the graph of a plain build; a build's settings are
passed in, never read from the environment."""

from __future__ import annotations

import ast
import io
import json
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox
import pytest

import kg
import kg.pipeline
from kg.model import Article, Extraction
from kg.pipeline import CHUNK_SIZE, MIN_CHUNK, MIN_SHARED, BuildResult, Settings, _chunks, build
from kg.turtle import join_parts, part_turtle, stream_turtle, turtle_bytes
from kg.vocab import ARTICLE, ENTITY, KG, MENTION

from .test_graph import _sample

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from corpus import make_corpus  # noqa: E402


def _corpus(path: Path, records: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, bytes]:
    """A 12-article corpus, the same plus 2 articles, and the plain build of the larger one."""
    folder = tmp_path_factory.mktemp("corpus")
    records = make_corpus(14, seed=7)
    small = _corpus(folder / "small.jsonl", records[:12])
    large = _corpus(folder / "large.jsonl", records)
    return small, large, turtle_bytes(build([large]).triples())


@pytest.mark.model
def test_incremental_build_equals_full_build(corpus: tuple[Path, Path, bytes], tmp_path: Path) -> None:
    small, large, full = corpus
    settings = Settings(cache_dir=tmp_path / "cache")
    first = build([small], settings)
    assert first.cached == 0
    again = build([large], settings)
    assert again.cached == 12
    assert turtle_bytes(again.triples()) == full


def _turtle(result: BuildResult) -> bytes:
    """graph.ttl as ``kg build`` writes it (from the cache when the build had one), checked against its count."""
    buffer = io.BytesIO()
    count = result.write_turtle(buffer)
    assert count == stream_turtle(result.triples(), io.BytesIO())
    return buffer.getvalue()


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the articles whose share of graph.ttl a build makes (rather than takes from the cache)."""
    made: list[str] = []
    real = kg.pipeline.article_content

    def spy(extraction, *args, **kwargs):  # type: ignore[no-untyped-def]
        made.append(extraction.article.id)
        return real(extraction, *args, **kwargs)

    monkeypatch.setattr("kg.pipeline.article_content", spy)
    return made


@pytest.mark.model
def test_incremental_turtle_makes_only_the_new_articles_and_equals_the_full_build(
    corpus: tuple[Path, Path, bytes], tmp_path: Path, rendered: list[str]
) -> None:
    small, large, full = corpus
    settings = Settings(cache_dir=tmp_path / "cache")
    first = build([small], settings)
    small_full = turtle_bytes(first.triples())
    assert _turtle(first) == small_full and len(rendered) == 12
    rendered.clear()
    again = build([large], settings)
    added = {e.article.id for e in again.extractions} - {e.article.id for e in first.extractions}
    assert _turtle(again) == full
    assert len(added) == 2 and added <= set(rendered) and len(rendered) < 14
    rendered.clear()
    assert _turtle(build([large], settings)) == full and rendered == []
    # Two articles removed: the same bytes as the first build, every share from the cache.
    assert _turtle(build([small], settings)) == small_full and rendered == []


def _write(folder: Path, articles: dict[str, str]) -> Path:
    folder.mkdir(exist_ok=True)
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


# An armed group outside the gazetteer, named by its acronym in one article and by its name in another.
SHELLING = "Shelling\n\nOfficials said the CVF shelled the town of Tal Afar on Monday, killing two people.\n"
DENIAL = "Denial\n\nThe Crescent Valley Front denied shelling Tal Afar and accused the army of lying.\n"


@pytest.mark.model
def test_a_changed_article_is_made_again_and_the_rest_taken_from_the_cache(tmp_path: Path, rendered: list[str]) -> None:
    folder = _write(tmp_path / "in", {"a.txt": SHELLING, "b.txt": DENIAL})
    settings = Settings(cache_dir=tmp_path / "cache")
    _turtle(build([folder], settings))
    rendered.clear()
    _write(folder, {"b.txt": DENIAL.replace("accused the army of lying", "blamed a rival group")})
    result = build([folder], settings)
    changed = next(e.article.id for e in result.extractions if "rival" in e.article.text)
    assert _turtle(result) == turtle_bytes(build([folder]).triples())
    assert rendered == [changed]


@pytest.mark.model
def test_a_new_mention_that_merges_two_entities_makes_their_articles_again(
    tmp_path: Path, rendered: list[str]
) -> None:
    folder = _write(tmp_path / "in", {"a.txt": SHELLING, "b.txt": DENIAL})
    settings = Settings(cache_dir=tmp_path / "cache")
    before = build([folder], settings)
    assert {e.id for e in before.resolution.entities} >= {"cvf", "crescent-valey-frunt"}  # two entities
    _turtle(before)
    rendered.clear()
    # The name with its acronym: one entity now, so the article that said "CVF" points elsewhere.
    _write(folder, {"c.txt": "Claim\n\nThe Crescent Valley Front (CVF) later claimed the attack on Tal Afar.\n"})
    after = build([folder], settings)
    assert "cvf" not in {e.id for e in after.resolution.entities}
    ids = {e.article.origin.rsplit("/", 1)[-1]: e.article.id for e in after.extractions}
    assert _turtle(after) == turtle_bytes(build([folder]).triples())
    assert sorted(rendered) == sorted([ids["a.txt"], ids["c.txt"]])  # b.txt's spans and labels are as they were


def _subject_triples(subject: ox.NamedNode, *objects: str) -> list[tuple[ox.NamedNode, ox.NamedNode, ox.Literal]]:
    return [(subject, ox.NamedNode(str(KG.surfaceForm)), ox.Literal(o)) for o in objects]


def test_joined_shares_are_the_bytes_of_the_whole_graph() -> None:
    entity, article, mention = (ox.NamedNode(ns + "x") for ns in (str(ENTITY), str(ARTICLE), str(MENTION)))
    first = _subject_triples(entity, "a", "multi\nline") + _subject_triples(mention, "m", "n")
    second = _subject_triples(entity, "a", "b") + _subject_triples(ox.NamedNode(str(MENTION) + "y"), "z")
    others = _subject_triples(article, "t")
    buffer = io.BytesIO()
    count = join_parts([part_turtle(first), part_turtle(second)], others, buffer)
    assert buffer.getvalue() == turtle_bytes([*first, *second, *others])
    assert count == 7  # the entity's "a" once
    assert part_turtle(first).shared  # the entity's statements are joined with every other share's


def test_two_shares_of_one_subject_are_not_joined() -> None:
    mention = ox.NamedNode(str(MENTION) + "x")
    buffer = io.BytesIO()
    parts = [part_turtle(_subject_triples(mention, "a")), part_turtle(_subject_triples(mention, "b"))]
    assert join_parts(parts, [], buffer) is None and buffer.getvalue() == b""
    assert join_parts(parts[:1], _subject_triples(mention, "c"), buffer) is None


@pytest.mark.model
def test_two_jobs_equal_one(corpus: tuple[Path, Path, bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    _, large, full = corpus
    monkeypatch.setattr("kg.pipeline.CHUNK_SIZE", 4)  # several chunks, so both processes get work
    monkeypatch.setattr("kg.pipeline.MIN_SHARED", 8)
    here: list[int] = []  # articles this process extracted (a worker runs kg.map_worker.extract_batch)
    extract = kg.pipeline._extract

    def counted(chunk: list[Article], settings: Settings) -> list[Extraction]:
        here.append(len(chunk))
        return extract(chunk, settings)

    monkeypatch.setattr("kg.pipeline._extract", counted)
    result = build([large], Settings(jobs=2))
    assert turtle_bytes(result.triples()) == full
    assert 0 < sum(here) < len(result.extractions)


def test_a_few_articles_are_made_without_starting_a_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pool(*args: object, **kwargs: object) -> None:
        raise AssertionError("a worker was started")

    made: list[int] = []
    monkeypatch.setattr("kg.pipeline.ProcessPoolExecutor", no_pool)
    monkeypatch.setattr("kg.pipeline.extract_batch", lambda chunk, *settings: made.extend(chunk) or [])
    todo = list(range(MIN_SHARED - 1))
    assert list(kg.pipeline._map(_chunks(todo, 2), Settings(jobs=2))) == [[]] * len(_chunks(todo, 2))  # type: ignore[arg-type]
    assert made == todo
    with pytest.raises(AssertionError, match="a worker was started"):
        list(kg.pipeline._map(_chunks(list(range(MIN_SHARED)), 2), Settings(jobs=2)))  # type: ignore[arg-type]


def test_chunks_are_shared_between_the_workers_and_the_build(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each worker is handed two chunks ahead, the build takes the next itself; every chunk is made once."""
    release = threading.Event()
    who: dict[int, str] = {}

    def extract(chunk: list[int], *settings: object) -> list[int]:
        if threading.current_thread() is not threading.main_thread():
            release.wait(5)  # a worker still loading its model
        who[chunk[0]] = threading.current_thread().name
        return chunk

    monkeypatch.setattr("kg.pipeline.extract_batch", extract)
    chunks = [[i] for i in range(10)]
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="worker") as pool:
        made = kg.pipeline._shared(pool, chunks, Settings(jobs=2))  # type: ignore[arg-type]
        first = [next(made) for _ in range(8)]  # the worker has not begun: the build makes all but its two
        release.set()
        rest = list(made)
    assert first == [[i] for i in range(2, 10)]
    assert sorted(first + rest) == chunks
    assert {i for i, name in who.items() if name.startswith("worker")} == {0, 1}


def test_closing_the_shared_map_cancels_what_no_worker_began(monkeypatch: pytest.MonkeyPatch) -> None:
    began: list[int] = []
    release = threading.Event()

    def extract(chunk: list[int], *settings: object) -> list[int]:
        if threading.current_thread() is not threading.main_thread():
            began.append(chunk[0])
            release.wait(5)
        return chunk

    monkeypatch.setattr("kg.pipeline.extract_batch", extract)
    with ThreadPoolExecutor(max_workers=1) as pool:
        made = kg.pipeline._shared(pool, [[i] for i in range(10)], Settings(jobs=2))  # type: ignore[arg-type]
        assert next(made) == [2]
        made.close()  # the build stopped (an error, ^C): the waiting chunk is cancelled
        release.set()
    assert began == [0]


@pytest.mark.model
def test_dask_build_equals_local_build(corpus: tuple[Path, Path, bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    distributed = pytest.importorskip("distributed")
    _, large, full = corpus
    monkeypatch.setattr("kg.pipeline.CHUNK_SIZE", 4)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        result = build([large], Settings(dask_address=cluster.scheduler_address))
    assert turtle_bytes(result.triples()) == full


def test_chunks_cover_the_articles_in_order_and_shrink_at_the_end() -> None:
    todo = [f"a{i}" for i in range(1000)]
    one = _chunks(todo, 1)  # type: ignore[arg-type]
    assert [len(c) for c in one] == [CHUNK_SIZE] * 15 + [1000 - 15 * CHUNK_SIZE]
    two = _chunks(todo, 2)  # type: ignore[arg-type]
    assert [a for chunk in two for a in chunk] == todo
    sizes = [len(c) for c in two]
    assert max(sizes) == CHUNK_SIZE and sizes == sorted(sizes, reverse=True)
    assert sizes[-2] == MIN_CHUNK  # the last tasks are small, so neither worker waits long on the other


# ---------------------------------------------------------------- settings

LIBRARY = Path(kg.__file__).resolve().parent
# The CLI reads the environment (KG_MODEL, the endpoint's credentials) and passes the values in.
READERS = ("cli.py",)


def _reads_environment(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_bytes(), filename=str(path))):
        if isinstance(node, ast.Attribute) and node.attr in {"environ", "environb", "getenv", "getenvb"}:
            return True
        if isinstance(node, ast.ImportFrom) and node.module == "os" and any(
            alias.name in {"environ", "environb", "getenv", "getenvb"} for alias in node.names
        ):
            return True
    return False


@pytest.mark.parametrize(
    "module",
    sorted(p.relative_to(LIBRARY).as_posix() for p in LIBRARY.rglob("*.py") if p.name not in READERS),
)
def test_no_library_module_reads_the_environment(module: str) -> None:
    assert not _reads_environment(LIBRARY / module)


def test_turtle_that_does_not_cut_into_blocks_is_written_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extractions, resolution = _sample()
    result = BuildResult(tuple(extractions), resolution, (), cache_dir=tmp_path / "cache", sources=("key",))
    whole = turtle_bytes(result.triples())
    assert _turtle(result) == whole  # the shares, made and kept
    assert _turtle(result) == whole  # the shares, from the cache

    def uncut(lines: object) -> list[tuple[str, str]]:
        raise ValueError("2 Turtle blocks for 1 subject")

    monkeypatch.setattr("kg.turtle.turtle_blocks", uncut)
    assert _turtle(result) == whole

"""Parallel, incremental and distributed builds give exactly the graph of a plain build; a build's settings are
passed in, never read from the environment."""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

import pytest

import kg
from kg.export import turtle_bytes
from kg.pipeline import CHUNK_SIZE, MIN_CHUNK, Settings, _chunks, build

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


@pytest.mark.model
def test_two_jobs_equal_one(corpus: tuple[Path, Path, bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    _, large, full = corpus
    monkeypatch.setattr("kg.pipeline.CHUNK_SIZE", 4)  # several chunks, so both workers get work
    assert turtle_bytes(build([large], Settings(jobs=2)).triples()) == full


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

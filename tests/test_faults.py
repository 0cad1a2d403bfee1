"""A build killed at any moment (SIGKILL, for real, in a subprocess) leaves the previous outputs intact
and the cache consistent; the next build completes and equals a clean build."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.export import turtle_bytes
from kg.model import Extraction
from kg.pipeline import build

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from corpus import make_corpus  # noqa: E402

pytestmark = pytest.mark.model
ROOT = Path(__file__).resolve().parents[1]
RUNNER = ROOT / "tests" / "kill_runner.py"
BEFORE, AFTER = 12, 28  # articles in the first build, and in the build that is killed


def _snapshot(out: Path, store: Path) -> dict[str, str]:
    """Digest of every visible output file, the store's files included."""
    files = [p for p in out.iterdir() if p.is_file() and not p.name.startswith(".")]
    files += [p for p in store.rglob("*") if p.is_file()]
    return {str(p.relative_to(out.parent)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(files)}


def _visible(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if not p.name.startswith("."))


def _cache_rows(cache: Path) -> int:
    if not cache.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{cache}?mode=ro", uri=True, timeout=1) as db:
            return int(db.execute("SELECT count(*) FROM extraction").fetchone()[0])
    except sqlite3.Error:
        return 0


def _start(mode: str, marker: Path, source: Path, out: Path, store: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "KG_TEST_CHUNK": "4"}
    args = [sys.executable, str(RUNNER), mode, str(marker), str(source), "-o", str(out), "--store", str(store), "-q"]
    return subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait_for(process: subprocess.Popen[bytes], done: object, limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while not done():  # type: ignore[operator]
        assert process.poll() is None, f"the build ended before the kill: {process.communicate()}"
        assert time.monotonic() < deadline, "the build never reached the kill point"
        time.sleep(0.05)


def _kill(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(30)
    assert process.returncode == -signal.SIGKILL


def _check_cache(cache: Path) -> int:
    """The cache opens, passes SQLite's integrity check, and every row unpickles to an Extraction."""
    with sqlite3.connect(cache) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = db.execute("SELECT value FROM extraction").fetchall()
    assert all(isinstance(pickle.loads(value), Extraction) for (value,) in rows)
    return len(rows)


def test_a_build_killed_at_any_moment_leaves_the_previous_outputs(tmp_path: Path) -> None:
    records = make_corpus(AFTER, seed=11)
    source = tmp_path / "news.jsonl"
    out, store = tmp_path / "out", tmp_path / "store"
    cache = out / ".cache" / "extractions.sqlite"

    source.write_text("".join(json.dumps(r) + "\n" for r in records[:BEFORE]), encoding="utf-8")
    first = subprocess.run([sys.executable, str(RUNNER), "run", "-", str(source), "-o", str(out), "--store", str(store),
                            "-q"], cwd=ROOT, capture_output=True, timeout=300)
    assert first.returncode == 0, first.stderr.decode()
    previous, names = _snapshot(out, store), _visible(out)
    assert {"graph.ttl", "graph.html"} <= set(names) and _cache_rows(cache) == BEFORE

    # More articles: the next builds have extraction to do, and different outputs to write.
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")

    # 1. Killed during extraction, once some results of the new articles are committed to the cache.
    building = _start("run", tmp_path / "unused", source, out, store)
    _wait_for(building, lambda: _cache_rows(cache) >= BEFORE + 4)
    _kill(building)
    assert _snapshot(out, store) == previous and _visible(out) == names
    assert BEFORE + 4 <= _check_cache(cache) < AFTER

    # 2. Killed half way through writing the new graph.ttl; 3. half way through filling the new store.
    for mode in ("turtle", "store"):
        marker = tmp_path / f"{mode}.reached"
        writing = _start(mode, marker, source, out, store)
        _wait_for(writing, marker.exists)
        _kill(writing)
        assert _snapshot(out, store) == previous and _visible(out) == names, mode
        _check_cache(cache)
    leftovers = sorted(p.name for p in [*out.iterdir(), *store.parent.iterdir()] if p.name.startswith((".graph", ".store")))
    assert leftovers  # the killed writers' temporaries, hidden...

    # 4. The next build completes, clears them, and gives what a clean build gives.
    again = subprocess.run([sys.executable, str(RUNNER), "run", "-", str(source), "-o", str(out), "--store", str(store)],
                           cwd=ROOT, capture_output=True, timeout=300)
    assert again.returncode == 0, again.stderr.decode()
    assert f"{AFTER} articles, {AFTER} from cache" in again.stdout.decode()  # extracted by the killed builds
    assert [p.name for p in [*out.iterdir(), *store.parent.iterdir()] if p.name.startswith((".graph", ".store"))] == []
    assert _check_cache(cache) == AFTER
    clean = build([source])
    assert (out / "graph.ttl").read_bytes() == turtle_bytes(clean.graph)
    stored = {(q.subject, q.predicate, q.object) for q in ox.Store.read_only(str(store))}
    assert stored == {(t.subject, t.predicate, t.object) for t in ox.parse((out / "graph.ttl").read_bytes(),
                                                                            format=ox.RdfFormat.TURTLE)}

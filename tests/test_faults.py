"""A build killed at any moment (SIGKILL, for real, in a subprocess) leaves the previous outputs intact,
or outputs its manifest tells apart, and the cache consistent; the next build reports, repairs, and
equals a clean build. A second build into a folder being written is refused; a killed build's
workers end with it."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.model import Article
from kg.pipeline import build
from kg.plain_data import decode_row
from kg.turtle import turtle_bytes

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from corpus import make_corpus  # noqa: E402

pytestmark = pytest.mark.model
ROOT = Path(__file__).resolve().parents[1]
RUNNER = ROOT / "tests" / "kill_runner.py"
BEFORE, AFTER = 12, 28  # articles in the first build, and in the build that is killed



def _default_graph(store: Path) -> list[ox.Quad]:
    """The graph a store holds, without the summary graph written beside it."""
    return list(ox.Store.read_only(str(store)).quads_for_pattern(None, None, None, ox.DefaultGraph()))

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


def _start(mode: str, marker: Path, source: Path, out: Path, store: Path, *more: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "KG_TEST_CHUNK": "4"}
    args = [sys.executable, str(RUNNER), mode, str(marker), str(source), "-o", str(out), "--store", str(store), "-q", *more]
    return subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _run(source: Path, out: Path, store: Path) -> subprocess.CompletedProcess[bytes]:
    """A whole build, in a process of its own."""
    args = [sys.executable, str(RUNNER), "run", "-", str(source), "-o", str(out), "--store", str(store)]
    return subprocess.run(args, cwd=ROOT, capture_output=True, timeout=300)


def _write_corpus(source: Path, records: list[dict[str, object]]) -> None:
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


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
    """The cache opens, passes SQLite's integrity check, and every row decodes to a result."""
    with sqlite3.connect(cache) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = db.execute("SELECT value FROM extraction").fetchall()
    article = Article("a", "a.txt", "t", "text")
    assert all(decode_row(value, article) is not None for (value,) in rows)
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
    # Every result is whole and decodes; an article whose text lost a line that became site furniture in
    # the larger corpus also keeps its earlier result, under its earlier text.
    assert _check_cache(cache) >= AFTER
    clean = build([source])
    assert (out / "graph.ttl").read_bytes() == turtle_bytes(clean.triples())
    stored = {(q.subject, q.predicate, q.object) for q in _default_graph(store)}
    assert stored == {(t.subject, t.predicate, t.object) for t in ox.parse((out / "graph.ttl").read_bytes(),
                                                                            format=ox.RdfFormat.TURTLE)}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _manifest(out: Path) -> dict[str, object]:
    return json.loads((out / ".kg-build.json").read_text())  # type: ignore[no-any-return]


def _consistent(out: Path, store: Path) -> str:
    """The generation of a folder whose every output is what its manifest records: files by digest,
    the store by the generation its marker carries and by its triples, those of graph.ttl."""
    manifest = _manifest(out)
    files = manifest["files"]
    assert isinstance(files, dict) and set(files) == {"graph.ttl", "graph.html"}
    assert all(_digest(out / name) == entry["sha256"] for name, entry in files.items())
    marker = json.loads((store / ".kg-store.json").read_text())
    assert marker["generation"] == manifest["generation"] == manifest["store"]["generation"]  # type: ignore[index]
    stored = {(q.subject, q.predicate, q.object) for q in _default_graph(store)}
    assert stored == {(t.subject, t.predicate, t.object) for t in ox.parse((out / "graph.ttl").read_bytes(),
                                                                            format=ox.RdfFormat.TURTLE)}
    return str(manifest["generation"])


def test_a_build_killed_between_the_store_swap_and_the_renames_is_told_apart_then_repaired(tmp_path: Path) -> None:
    records = make_corpus(AFTER, seed=12)
    source, out = tmp_path / "news.jsonl", tmp_path / "out"
    store = out / "store"  # where the README puts it
    _write_corpus(source, records[:BEFORE])
    first = _run(source, out, store)
    assert first.returncode == 0, first.stderr.decode()
    generation = _consistent(out, store)
    files = {name: _digest(out / name) for name in ("graph.ttl", "graph.html", ".kg-build.json")}

    # Killed once the new store is in place, before graph.ttl and graph.html are.
    _write_corpus(source, records)
    marker = tmp_path / "swap.reached"
    swapping = _start("swap", marker, source, out, store)
    _wait_for(swapping, marker.exists)
    _kill(swapping)

    # A reader can tell: the files and the manifest are the last build's, the store is not.
    assert {name: _digest(out / name) for name in files} == files
    assert json.loads((store / ".kg-store.json").read_text())["generation"] != generation

    # The next build says so, in one line, and writes a consistent set.
    again = _run(source, out, store)
    assert again.returncode == 0, again.stderr.decode()
    notices = [line for line in again.stderr.decode().splitlines() if line.startswith("note:")]
    assert len(notices) == 1 and "store not as .kg-build.json records (a build interrupted" in notices[0], notices
    assert _consistent(out, store) != generation
    assert [p.name for p in out.iterdir() if p.name.startswith((".graph", ".store"))] == []


def test_two_builds_into_one_output_folder_the_second_is_told_who_owns_it(tmp_path: Path) -> None:
    source, out, store = tmp_path / "news.jsonl", tmp_path / "out", tmp_path / "out" / "store"
    _write_corpus(source, make_corpus(BEFORE, seed=13))
    assert _run(source, out, store).returncode == 0
    previous = _snapshot(out, store)

    marker = tmp_path / "turtle.reached"
    owner = _start("turtle", marker, source, out, store)  # stops while writing: it owns the folder
    try:
        _wait_for(owner, marker.exists)
        second = _run(source, out, store)
        message = second.stderr.decode()
        assert second.returncode == 1, message
        assert len(message.strip().splitlines()) == 1 and "Traceback" not in message
        assert f"another kg build (pid {owner.pid} (" in message and "kill_runner.py turtle" in message
        assert "is writing to this output folder" in message
        assert _snapshot(out, store) == previous
    finally:
        _kill(owner)
    assert _run(source, out, store).returncode == 0  # the folder is free once its owner is gone
    _consistent(out, store)


def _children(parent: int) -> dict[int, str]:
    """The processes whose parent is ``parent``, with their command lines (from /proc)."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, IndexError):
            continue
        if int(fields[1]) == parent:
            found[int(stat.parent.name)] = command
    return found


def _running(pid: int) -> bool:
    """Alive and not a zombie waiting for a parent to reap it."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the workers through /proc")
def test_killing_a_parallel_build_ends_its_workers(tmp_path: Path) -> None:
    source, out = tmp_path / "news.jsonl", tmp_path / "out"
    _write_corpus(source, make_corpus(AFTER, seed=14))
    building = _start("run", tmp_path / "unused", source, out, out / "store", "-j", "2")
    workers: dict[int, str] = {}
    try:
        # Killed once results have come back (two jobs: the build itself and one worker process).
        _wait_for(building, lambda: _cache_rows(out / ".cache" / "extractions.sqlite") >= 4)
        workers = {pid: command for pid, command in _children(building.pid).items() if "multiprocessing" in command}
        assert sum("spawn_main" in command for command in workers.values()) == 1, workers
        _kill(building)
        # A worker still importing the model when its parent dies ends once it gets to its initializer.
        deadline = time.monotonic() + 90
        while any(_running(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert [command for pid, command in workers.items() if _running(pid)] == []
    finally:
        for pid in workers:
            if _running(pid):
                os.kill(pid, signal.SIGKILL)
        if building.poll() is None:
            _kill(building)


def test_where_prctl_is_missing_a_worker_watching_its_parent_ends_with_it() -> None:
    worker = (
        "import os, threading, time\n"
        "from kg.pipeline import _watch_parent\n"
        "threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()\n"
        "print(os.getpid(), flush=True)\n"
        "time.sleep(600)\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", f"import subprocess, sys, time\nsubprocess.Popen([sys.executable, '-c', {worker!r}])\ntime.sleep(600)"],
        cwd=ROOT, stdout=subprocess.PIPE,
    )
    assert parent.stdout is not None
    child = int(parent.stdout.readline())  # the worker watches from now on
    try:
        _kill(parent)
        deadline = time.monotonic() + 10
        while _running(child) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _running(child)
    finally:
        if _running(child):
            os.kill(child, signal.SIGKILL)

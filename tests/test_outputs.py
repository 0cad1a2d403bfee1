"""kg never loses a user's data: it replaces only a store it wrote, one build owns an output folder,
a store a server holds is refused, and the manifest tells which build wrote every output.

Real directories, real locks, a real ``oxigraph serve``; builds through the CLI where they need the model.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.endpoint import RemoteEndpoint
from kg.errors import OutputInUse, UnsafeOutput
from kg.outputs import LOCK, MANIFEST, OutputFolder, Staged, stray_outputs, write_atomic, write_store
from kg.query_check import prepare
from kg.store import STORE_MARKER
from kg.turtle import stream_turtle

runner = CliRunner()
EX = "http://example.org/"


def _triples(n: int) -> list[tuple[ox.NamedNode, ox.NamedNode, ox.Literal]]:
    return [(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(f"{EX}p"), ox.Literal(f"value {i}")) for i in range(n)]


def _build(out: Path, store: Path | None = None, n: int = 3, protect: list[tuple[Path, str]] | None = None,
           html: bytes | None = b"<html>view</html>") -> OutputFolder:
    """What ``kg build`` writes, from a small triple list instead of articles."""
    with OutputFolder(out, store=store, protect=protect or []) as folder:
        stream_turtle(_triples(n), folder.file(out / "graph.ttl"))
        if html is not None:
            folder.bytes(out / "graph.html", html)
        if store is not None:
            folder.store(store, _triples(n))
        folder.commit()
    return folder


def _tree(path: Path, skip: str = ".cache") -> dict[str, str]:
    """Every file under ``path`` (but those in folders named ``skip``) with its digest."""
    return {
        str(p.relative_to(path)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.rglob("*")) if p.is_file() and skip not in p.relative_to(path).parts
    }


def _stored(store: Path) -> int:
    """The triples of the store's graph (its default graph: the summary graph beside it aside)."""
    return len(list(ox.Store.read_only(str(store)).quads_for_pattern(None, None, None, ox.DefaultGraph())))


# ---------------------------------------------------------------- 1. a store replaces only a store kg wrote


def test_a_directory_kg_did_not_write_is_never_replaced_by_a_store(tmp_path: Path) -> None:
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("thesis")
    (precious / "data").mkdir()
    before = _tree(precious)
    out = tmp_path / "out"
    with pytest.raises(UnsafeOutput, match=r"precious: refusing to replace .*not empty and kg did not write it"):
        _build(out, store=precious)
    with pytest.raises(UnsafeOutput, match="not empty and kg did not write it"):
        write_store(precious, _triples(2))
    assert _tree(precious) == before and sorted(os.listdir(precious)) == ["data", "thesis.txt"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no store filled beside it
    assert not (out / "graph.ttl").exists()


def test_a_store_of_kg_holding_a_file_of_someone_else_is_not_replaced(tmp_path: Path) -> None:
    out, store = tmp_path / "out", tmp_path / "out" / "store"
    _build(out, store=store)
    (store / "notes.txt").write_text("mine")
    before = _tree(store)
    with pytest.raises(UnsafeOutput, match=r"store: refusing to replace this store: it holds 'notes.txt'"):
        _build(out, store=store, n=5)
    assert _tree(store) == before


@pytest.mark.parametrize(
    ("where", "problem"),
    [("out", "it is the output folder"), ("o", "it holds the output folder"), ("src/corpus", "it is an input"),
     ("src", "it holds an input"), ("cwd/here", "it is the current directory"), ("cwd", "it holds the current directory")],
)
def test_a_store_is_never_the_output_folder_an_input_or_the_current_directory(
    tmp_path: Path, where: str, problem: str
) -> None:
    out, source, cwd = tmp_path / "o" / "out", tmp_path / "src" / "corpus", tmp_path / "cwd" / "here"
    for folder in (out, source, cwd):
        folder.mkdir(parents=True)
    (source / "a.txt").write_text("article")
    (cwd / "notes.txt").write_text("notes")
    store = out if where == "out" else tmp_path / where
    _build(out)
    (out / "store").mkdir()  # a kg store would be a directory inside: it would be lost with the folder
    before = _tree(tmp_path)
    with pytest.raises(UnsafeOutput, match=f"refusing to write a store there: {problem}"):
        _build(out, store=store, n=5, protect=[(source, "an input"), (cwd, "the current directory")])
    assert _tree(tmp_path) == before and (out / "store").is_dir()


def test_a_store_is_refused_where_a_file_is(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _build(out)
    before = _tree(out)
    with pytest.raises(UnsafeOutput, match="graph.ttl: refusing to write a store there: it is not a directory"):
        _build(out, store=out / "graph.ttl", n=5)
    assert _tree(out) == before


def test_an_output_that_cannot_be_renamed_into_place_stops_the_build_before_the_store_is_swapped(tmp_path: Path) -> None:
    out, store = tmp_path / "out", tmp_path / "out" / "store"
    _build(out, store=store, html=None)
    (out / "graph.html").mkdir()  # someone's folder where the view would go
    before = _tree(tmp_path)
    with pytest.raises(IsADirectoryError):
        _build(out, store=store, n=5)
    assert _tree(tmp_path) == before and stray_outputs(out) == [] and _stored(store) == 3


def test_a_new_an_empty_and_a_marked_directory_get_a_store(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (tmp_path / "empty").mkdir()
    for store in (tmp_path / "new" / "store", tmp_path / "empty"):
        _build(out, store=store, n=4)
        assert _stored(store) == 4 and (store / STORE_MARKER).is_file()
        _build(out, store=store, n=6)  # now a store kg wrote: replaced
        assert _stored(store) == 6
        write_store(store, _triples(2))
        assert _stored(store) == 2


# ---------------------------------------------------------------- 2. one build owns a folder; the manifest tells


def test_the_manifest_names_each_output_its_digest_and_the_generation(tmp_path: Path) -> None:
    out, store = tmp_path / "out", tmp_path / "out" / "store"
    _build(out, store=store)
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["format"] == 1 and manifest["outputs"] == ["graph.html", "graph.ttl", "store"]
    for name in ("graph.ttl", "graph.html"):
        assert manifest["files"][name]["sha256"] == hashlib.sha256((out / name).read_bytes()).hexdigest()
    marker = json.loads((store / STORE_MARKER).read_text())
    assert marker["generation"] == manifest["generation"] == manifest["store"]["generation"]
    assert stray_outputs(out) == []

    # Same content, same generation and the same manifest; other content, another generation.
    first = (out / MANIFEST).read_bytes()
    _build(out, store=store)
    assert (out / MANIFEST).read_bytes() == first
    _build(out, store=store, n=4)
    assert json.loads((out / MANIFEST).read_text())["generation"] != manifest["generation"]

    # A store outside the folder is recorded by its absolute path, and is not among the folder's outputs.
    elsewhere = tmp_path / "stores" / "news"
    _build(out, store=elsewhere, html=None)
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["outputs"] == ["graph.ttl"] and manifest["store"]["path"] == str(elsewhere.resolve())
    assert stray_outputs(out) == []


def test_outputs_not_as_the_manifest_records_are_reported_then_rewritten(tmp_path: Path) -> None:
    out, store = tmp_path / "out", tmp_path / "out" / "store"
    _build(out, store=store)
    (out / "graph.ttl").write_bytes(b"# another build's graph\n")
    write_store(store, _triples(9))  # a store of another generation
    assert stray_outputs(out) == ["graph.ttl", "store"]
    folder = _build(out, store=store)
    assert len(folder.notices) == 1 and "graph.ttl, store not as .kg-build.json records" in folder.notices[0]
    assert stray_outputs(out) == [] and _stored(store) == 3

    (out / MANIFEST).write_text("{not json")
    assert stray_outputs(out) == [MANIFEST]
    assert "cannot be read" in _build(out).notices[0] and stray_outputs(out) == []


def test_temporaries_of_a_killed_build_are_removed_and_reported(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _build(out, store=out / "store")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    (out / f".graph.ttl.{pid}.abcd1234.tmp").write_text("half")
    (out / f".store.new.{pid}.abcd_123").mkdir()
    (out / f".notes.txt.{pid}.abcd1234.tmp").write_text("keep")  # named like one, but of no output of kg's
    (out / ".graph.ttl.notes.tmp").write_text("keep")
    assert _build(out, store=out / "store").notices == [f"{out}: removed 2 temporary output(s) of an interrupted build"]
    assert sorted(p.name for p in out.iterdir()) == [
        ".graph.ttl.notes.tmp", MANIFEST, LOCK, f".notes.txt.{pid}.abcd1234.tmp", "graph.html", "graph.ttl", "store"]


def test_the_lock_never_writes_through_a_symbolic_link(tmp_path: Path) -> None:
    out, thesis = tmp_path / "out", tmp_path / "thesis.txt"
    out.mkdir()
    thesis.write_text("thesis")
    (out / LOCK).symlink_to(thesis)
    with pytest.raises(OSError):
        _build(out)
    assert thesis.read_text() == "thesis"


def test_one_build_at_a_time_owns_an_output_folder_and_a_store(tmp_path: Path) -> None:
    out, store = tmp_path / "out", tmp_path / "store"
    _build(out, store=store)
    before = _tree(out), _tree(store)
    with OutputFolder(out) as first:
        stream_turtle(_triples(7), first.file(out / "graph.ttl"))
        with pytest.raises(OutputInUse, match=f"another kg build \\(pid {os.getpid()} .*\\) is writing to this output folder"):
            _build(out, n=8)
    with Staged() as first:
        first.claim_store(store)
        with pytest.raises(OutputInUse, match="another kg build .* is writing this store"):
            _build(tmp_path / "other", store=store, n=8)
    assert (_tree(out), _tree(store)) == before


# ---------------------------------------------------------------- 3. a store a server holds


def _oxigraph() -> str:
    found = shutil.which("oxigraph") or shutil.which("oxigraph", path=str(Path(sys.executable).parent))
    if not found:
        pytest.fail("the oxigraph server is missing: pip install -e '.[test]'")
    return found


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def _serving(command: str, store: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """A real Oxigraph server on ``store``, with its query URL; always stopped."""
    port = _free_port()
    server = subprocess.Popen([_oxigraph(), command, "--location", str(store), "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert server.poll() is None, server.stderr.read() if server.stderr else b""
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "oxigraph did not start"
                time.sleep(0.1)
        yield server, f"http://127.0.0.1:{port}/query"
    finally:
        server.terminate()
        server.wait(30)


def _count(url: str) -> int:
    answer = RemoteEndpoint(url).run(prepare("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
    count = answer.rows[0][0]
    assert count is not None
    return int(count.value)


@pytest.mark.parametrize("command", ["serve", "serve-read-only"])
def test_a_store_a_server_holds_is_not_replaced(tmp_path: Path, command: str) -> None:
    """Read-write, the server holds RocksDB's lock; read-only, it holds the store's files open."""
    out, store = tmp_path / "out", tmp_path / "out" / "store"
    _build(out, store=store)
    kept = _tree(out, skip="store")
    with _serving(command, store) as (server, url):
        where = re.escape(str(store.resolve()))
        expected = f"{where}: the store is (in use by|open in) pid {server.pid} \\(.*oxigraph {command} --location "
        with pytest.raises(OutputInUse, match=expected):
            _build(out, store=store, n=5)
        with pytest.raises(OutputInUse, match=expected):
            write_store(store, _triples(5))
        assert _tree(out, skip="store") == kept and _count(url) == 3  # the server goes on as before
    assert _stored(store) == 3
    _build(out, store=store, n=5)
    assert _stored(store) == 5


def test_a_server_started_during_a_build_stops_the_swap(tmp_path: Path) -> None:
    out, store = tmp_path / "out", tmp_path / "out" / "store"
    _build(out, store=store)
    before = _tree(out)
    with OutputFolder(out, store=store) as folder:
        stream_turtle(_triples(5), folder.file(out / "graph.ttl"))
        folder.store(store, _triples(5))
        with _serving("serve-read-only", store) as (server, _):
            with pytest.raises(OutputInUse, match=f"open in pid {server.pid}"):
                folder.commit()
    assert _tree(out) == before and stray_outputs(out) == []


# ---------------------------------------------------------------- the same through kg build (the model)


@pytest.mark.model
def test_kg_build_refuses_a_store_over_data_it_did_not_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "news"
    source.mkdir()
    (source / "a.txt").write_text("Iraq talks\n\nIraqi Prime Minister Mohammed Shia al-Sudani met Antony Blinken in Baghdad.\n")
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("thesis")
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    assert runner.invoke(app, ["build", "news", "-o", "out", "-q"]).exit_code == 0
    before = _tree(tmp_path)
    for store, problem in [("precious", "not empty and kg did not write it"), ("out", "it is the output folder"),
                           (".", "it is the current directory"), ("news", "it is an input"),
                           ("out/graph.ttl", "not a directory")]:
        result = runner.invoke(app, ["build", "news", "-o", "out", "--store", store, "-q"])
        assert result.exit_code == 1, (store, result.output)
        assert problem in result.output and len(result.output.strip().splitlines()) == 1, result.output
        assert "Traceback" not in result.output
        assert _tree(tmp_path) == before, store
    assert runner.invoke(app, ["build", "news", "-o", "out", "--store", "out/store", "-q"]).exit_code == 0
    assert (precious / "thesis.txt").read_text() == "thesis" and _stored(out / "store") > 0


@pytest.mark.model
def test_kg_build_refuses_a_store_oxigraph_serves(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("Iraq talks\n\nIraqi Prime Minister Mohammed Shia al-Sudani met Antony Blinken in Baghdad.\n")
    out, store = tmp_path / "out", tmp_path / "out" / "store"
    args = ["build", str(source), "-o", str(out), "--store", str(store), "-q"]
    assert runner.invoke(app, args).exit_code == 0
    triples = _stored(store)
    kept = _tree(out, skip="store")
    with _serving("serve", store) as (server, url):
        result = runner.invoke(app, args)
        assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1, result.output
        assert f"the store is in use by pid {server.pid} (" in result.output and " serve --location " in result.output
        assert "Traceback" not in result.output
        assert _count(url) == triples and _tree(out, skip="store") == kept
    assert _stored(store) == triples  # RocksDB opens it: no "MANIFEST may be corrupted"
    assert runner.invoke(app, args).exit_code == 0


def test_write_atomic_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "graph.ttl"
    write_atomic(target, b"old")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in target.parent.iterdir()] == ["graph.ttl"]

"""kg query on store directories: a store served by a running oxigraph server still answers; a corrupt,
foreign or locked one is a one-line error that says what is wrong (and who holds the lock)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg.cli import app

from .sample_graph import write_sample

runner = CliRunner()


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sample(tmp_path_factory.mktemp("sample"))


def _store(sample: Path, path: Path) -> Path:
    store = ox.Store(str(path))
    store.bulk_load(path=str(sample), format=ox.RdfFormat.TURTLE)
    store.flush()
    del store
    return path


def _one_line_error(result: object, *words: str) -> None:
    output = result.output  # type: ignore[attr-defined]
    assert result.exit_code == 1 and output.startswith("error:") and output.count("\n") == 1, output  # type: ignore[attr-defined]
    for word in words:
        assert word in output, (word, output)


@pytest.fixture
def server(sample: Path, tmp_path: Path) -> Iterator[Path]:
    """A store directory held by a real ``oxigraph serve`` (which takes its lock)."""
    location = _store(sample, tmp_path / "served")
    oxigraph = shutil.which("oxigraph") or shutil.which("oxigraph", path=str(Path(sys.executable).parent))
    assert oxigraph, "the oxigraph server is missing: pip install -e '.[test]'"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([oxigraph, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", timeout=2):
                    break
            except OSError:
                assert time.monotonic() < deadline and process.poll() is None, "oxigraph serve did not start"
                time.sleep(0.1)
        yield location
    finally:
        process.kill()
        process.wait()


def test_a_store_held_by_a_running_server_is_still_read(server: Path) -> None:
    for engine in ("oxigraph", "rdflib"):
        result = runner.invoke(app, ["query", str(server), "ASK { kge:baghdad kg:locatedIn kge:iraq }", "--engine", engine])
        assert result.exit_code == 0 and result.stdout.strip() == "yes", result.output


def test_stores_kg_cannot_open_are_one_line_errors(sample: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("not a store\n")
    corrupt = _store(sample, tmp_path / "corrupt")
    (corrupt / "CURRENT").write_text("garbage\n")
    for path, words in ((empty, ["not an Oxigraph store"]), (foreign, ["not an Oxigraph store"]),
                        (corrupt, ["cannot open the Oxigraph store read-only", "orrupt"])):
        _one_line_error(runner.invoke(app, ["query", str(path), "attacks"]), str(path), *words)
    assert sorted(p.name for p in empty.iterdir()) == [] and sorted(p.name for p in foreign.iterdir()) == ["notes.txt"]


def test_a_locked_store_that_cannot_be_opened_names_the_lock_holder(sample: Path, tmp_path: Path) -> None:
    store = _store(sample, tmp_path / "locked")
    (store / "CURRENT").write_text("garbage\n")
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl, os, sys, time\n"
         f"fd = os.open({str(store / 'LOCK')!r}, os.O_RDWR)\nfcntl.lockf(fd, fcntl.LOCK_EX)\n"
         "print('locked', flush=True)\ntime.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        result = runner.invoke(app, ["query", str(store), "attacks"])
        _one_line_error(result, "cannot open the Oxigraph store read-only", f"pid {holder.pid} (", "holds its lock")
    finally:
        holder.kill()
        holder.wait()

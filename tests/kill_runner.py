"""Runs ``kg build`` in a process that tests/test_faults.py kills with SIGKILL at a chosen moment.

    python tests/kill_runner.py MODE MARKER [kg build arguments...]

MODE is ``run`` (no hook), ``turtle`` (hang half way through writing the Turtle
temporary file, whether from the cache's shares or whole), ``store`` (hang half way through filling the new store) or
``swap`` (hang at the first rename of a file, once the new store is swapped in).
At the hook the runner creates the file MARKER, then sleeps until it is killed.
``KG_TEST_CHUNK`` sets the extraction chunk size, so the cache grows in small steps, and the fewest articles
shared with a worker (``-j 2`` starts one for a few articles).
"""

from __future__ import annotations

import io
import itertools
import os
import sys
import time
import types
from pathlib import Path
from typing import Any

import pyoxigraph

import kg.outputs
import kg.pipeline
import kg.store
import kg.turtle
from kg.cli import app


def _hang(marker: Path) -> None:
    marker.touch()
    while True:
        time.sleep(60)


def _slow_ox(mode: str, marker: Path) -> types.SimpleNamespace:
    """pyoxigraph as kg.turtle and kg.store see it, with a writer that stops half way."""

    def serialize(items: Any, output: Any = None, **kwargs: Any) -> Any:
        data = pyoxigraph.serialize(items, **kwargs)
        if mode == "turtle" and output is not None:
            with open(output, "wb") as handle:
                handle.write(data[: len(data) // 2])
                handle.flush()
                os.fsync(handle.fileno())
            _hang(marker)
        if output is None:
            return data
        Path(output).write_bytes(data)
        return None

    class Store:
        def __init__(self, path: str | None = None) -> None:
            self._store = pyoxigraph.Store(path)

        def bulk_extend(self, quads: Any) -> None:
            if mode != "store":
                self._store.bulk_extend(quads)
                return
            self._store.bulk_extend(list(itertools.islice(iter(quads), 200)))
            self._store.flush()
            _hang(marker)

        def flush(self) -> None:
            self._store.flush()

    names = {name: getattr(pyoxigraph, name) for name in dir(pyoxigraph) if not name.startswith("_")}
    return types.SimpleNamespace(**{**names, "serialize": serialize, "Store": Store})


def _joining_half_way(marker: Path) -> Any:
    """kg.turtle.join_blocks (graph.ttl from the cached shares), stopping half way through the file."""
    join_blocks = kg.turtle.join_blocks

    def join(blocks: Any, output: Any) -> None:
        data = io.BytesIO()
        join_blocks(blocks, data)
        with open(output, "wb") as handle:
            handle.write(data.getvalue()[: len(data.getvalue()) // 2])
            handle.flush()
            os.fsync(handle.fileno())
        _hang(marker)

    return join


def _os_stopping_at_rename(marker: Path) -> types.SimpleNamespace:
    """The os module as kg.outputs sees it, with a rename of graph.ttl or graph.html that never happens."""

    def replace(source: Any, target: Any, **kwargs: Any) -> None:
        if Path(target).name in {"graph.ttl", "graph.html"}:
            _hang(marker)
        os.replace(source, target, **kwargs)

    return types.SimpleNamespace(**{**vars(os), "replace": replace})


def main() -> None:
    mode, marker, args = sys.argv[1], Path(sys.argv[2]), sys.argv[3:]
    if os.environ.get("KG_TEST_CHUNK"):
        kg.pipeline.CHUNK_SIZE = kg.pipeline.MIN_SHARED = int(os.environ["KG_TEST_CHUNK"])
    if mode == "swap":
        kg.outputs.os = _os_stopping_at_rename(marker)  # type: ignore[assignment]
    elif mode != "run":
        kg.turtle.ox = kg.store.ox = _slow_ox(mode, marker)  # type: ignore[assignment]
        if mode == "turtle":  # graph.ttl is written from the cache's shares, or whole
            kg.turtle.join_blocks = _joining_half_way(marker)
    app(args=["build", *args], prog_name="kg")


if __name__ == "__main__":
    main()

"""The article files of a folder: walked in sorted order, without kg's own outputs, hidden entries or other types.

A build can write into a folder it reads (``kg build . -o out``). Its outputs are
recognised by what kg/outputs.py leaves there: an output folder holds a manifest,
``.kg-build.json``, listing the outputs kg wrote (paths relative to that folder),
a lock, ``.kg-build.lock``, and the cache, ``.cache/``; a store directory holds a
marker, ``.kg-store.json``; a network view (``kg build``'s graph.html, ``kg viz -o``)
has kg's title. These are skipped silently; everything else that is
not read (hidden files and folders, other file types, devices) is reported as
``Skipped``, so the caller can tell the user.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

BUILD_MANIFEST = ".kg-build.json"  # {"outputs": [paths relative to its folder, written by kg], ...}
BUILD_LOCK = ".kg-build.lock"
STORE_MARKER = ".kg-store.json"  # in every store directory kg writes
CACHE_DIR = ".cache"  # OUTPUT/.cache, beside the manifest
# Temporaries of a build in progress or killed: ``.NAME.PID.XXXXXXXX.tmp`` and ``.NAME.new.PID.XXXXXXXX``.
_KG_TEMPORARY = re.compile(r"^\..+\.(?:\d+\.[a-z0-9_]{8}\.tmp|new\.\d+\.[a-z0-9_]{8})$")
_MAX_MANIFEST = 1 << 20
_VIEW_SUFFIXES = frozenset({".html", ".htm"})  # a network view kg wrote (kg build, kg viz -o) is not an article


@dataclass(frozen=True, slots=True)
class Skipped:
    """A path of a folder that is not read, and why; ``unreadable`` when that is an error, not a choice."""

    path: Path
    reason: str
    unreadable: bool = False


def article_files(folder: Path, suffixes: frozenset[str]) -> Iterator[Path | Skipped]:
    """The files of ``folder`` and its subfolders whose suffix is one of ``suffixes``, in sorted path order.

    What is not read is yielded as ``Skipped``: hidden files and folders (one
    each), links to folders (not followed), devices, pipes and sockets, and, at
    the end, one summary of the files of other types. kg's own outputs are skipped
    without a word.
    """
    if is_store(folder):
        yield Skipped(folder, "skipped: a kg store, not articles (query it with kg query)")
        return
    others: Counter[str] = Counter()
    yield from _walk(folder, frozenset(), suffixes, others)
    if others:
        kinds = ", ".join(f"{n} {suffix}" for suffix, n in sorted(others.items(), key=lambda kv: (-kv[1], kv[0])))
        count = sum(others.values())
        read = ", ".join(sorted(suffixes - {""})) + (" or no suffix" if "" in suffixes else "")
        yield Skipped(folder, f"skipped {count} file{'s' if count > 1 else ''} of types kg does not read ({kinds}); "
                      f"articles are {read}")


def is_store(folder: Path) -> bool:
    """True for a store directory kg wrote (marked), or an Oxigraph store from before stores were marked."""
    try:
        names = set(os.listdir(folder))
    except OSError:
        return False
    return STORE_MARKER in names or ({"CURRENT", "IDENTITY"} <= names and any(n.startswith("OPTIONS-") for n in names))


def _walk(folder: Path, outputs: frozenset[tuple[str, ...]], suffixes: frozenset[str], others: Counter[str]
          ) -> Iterator[Path | Skipped]:
    """Depth first, names sorted: the order of ``sorted(folder.rglob("*"))``.

    ``outputs`` are the paths below ``folder`` (as tuples of parts) that a manifest above lists.
    """
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as error:
        yield Skipped(folder, f"expected a readable folder, found an error: {error.strerror or error}", unreadable=True)
        return
    own = set(outputs) | _own_outputs(folder, {entry.name for entry in entries})
    for entry in entries:
        path = Path(entry.path)
        if (entry.name,) in own or _KG_TEMPORARY.match(entry.name):
            continue
        try:
            is_dir, is_link = entry.is_dir(), entry.is_symlink()
            is_file = not is_dir and entry.is_file()
        except OSError:
            is_dir = is_link = is_file = False
        if entry.name.startswith("."):
            yield Skipped(path, f"skipped hidden {'folder' if is_dir else 'file'}")
        elif is_dir and is_link:
            yield Skipped(path, "skipped a link to a folder (links to folders are not followed)")
        elif is_dir:
            if not is_store(path):
                below = frozenset(parts[1:] for parts in own if len(parts) > 1 and parts[0] == entry.name)
                yield from _walk(path, below, suffixes, others)
        elif not is_file:
            yield Skipped(path, "skipped: not a regular file (a device, pipe, socket or broken link)")
        elif path.suffix.lower() in suffixes:
            if path.suffix.lower() not in _VIEW_SUFFIXES or not is_kg_view(path):
                yield path
        else:
            others[path.suffix.lower()] += 1


def _own_outputs(folder: Path, names: set[str]) -> set[tuple[str, ...]]:
    """Names in ``folder`` (as tuples of path parts) that a build wrote there."""
    if BUILD_MANIFEST in names:
        own: set[tuple[str, ...]] = {(BUILD_MANIFEST,), (BUILD_LOCK,), (CACHE_DIR,)}
        try:
            with open(folder / BUILD_MANIFEST, "rb") as handle:
                manifest = json.loads(handle.read(_MAX_MANIFEST))
        except (OSError, ValueError, RecursionError):
            manifest = None  # a manifest being rewritten: its folder's fixed names are still kg's
        listed = manifest.get("outputs") if isinstance(manifest, dict) else None
        for item in listed if isinstance(listed, list) else []:
            path = PurePosixPath(item) if isinstance(item, str) else None
            if path is not None and path.parts and not path.is_absolute() and ".." not in path.parts:
                own.add(path.parts)
        return own
    if {"graph.ttl", "graph.html"} <= names and is_kg_view(folder / "graph.html"):
        # The output folder of a kg older than the manifest: its view names the writer.
        return {("graph.ttl",), ("graph.html",), (CACHE_DIR,)}
    return set()


def is_kg_view(path: Path) -> bool:
    """Whether ``path`` is a network view kg wrote (its title says so)."""
    try:
        with open(path, "rb") as handle:
            return b"<title>kg network" in handle.read(4096)
    except OSError:
        return False

"""The article files of a folder: walked in sorted order, without kg's own outputs, hidden entries or other types.

A build can write into a folder it reads (``kg build . -o out``). Its outputs are
recognised by what kg/outputs.py leaves there: an output folder holds a manifest,
``.kg-build.json``, listing the outputs kg wrote (paths relative to that folder),
a lock, ``.kg-build.lock``, and the cache, ``.cache/``; a store directory holds a
marker, ``.kg-store.json``; a network view (``kg build``'s graph.html, ``kg viz -o``)
has kg's title. What a walk does not read (these, hidden files and folders, other file
types, a project's README or CHANGELOG, devices) is told once per folder given, by kind,
so the caller can tell the user.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

BUILD_MANIFEST = ".kg-build.json"  # {"outputs": [paths relative to its folder, written by kg], ...}
BUILD_LOCK = ".kg-build.lock"
STORE_MARKER = ".kg-store.json"  # in every store directory kg writes
CACHE_DIR = ".cache"  # OUTPUT/.cache, beside the manifest
# Temporaries of a build in progress or killed: ``.NAME.PID.XXXXXXXX.tmp`` and ``.NAME.new.PID.XXXXXXXX``.
_KG_TEMPORARY = re.compile(r"^\..+\.(?:\d+\.[a-z0-9_]{8}\.tmp|new\.\d+\.[a-z0-9_]{8})$")
_MAX_MANIFEST = 1 << 20
_VIEW_SUFFIXES = frozenset({".html", ".htm"})  # a network view kg wrote (kg build, kg viz -o) is not an article


# A folder of articles may hold a project's own documents: README.md beside the articles is no news.
# Matched on the name without its suffix (README, readme.txt, CHANGELOG.md...), in any case; such a
# file given by name on the command line is read all the same.
PROJECT_FILES = frozenset({"readme", "changelog", "license", "licence", "copying", "contributing", "code_of_conduct",
                           "authors"})
FOLDER_SKIPS = "not read in this folder:"  # starts the message of the one summary a folder gets
_NAMES_SHOWN = 3


@dataclass(frozen=True, slots=True)
class Skipped:
    """A path of a folder that is not read, and why; ``unreadable`` when that is an error, not a choice."""

    path: Path
    reason: str
    unreadable: bool = False


@dataclass
class _Tally:
    """What a walk did not read, by kind: names of each kind, and the suffixes of other file types."""

    kinds: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    others: Counter[str] = field(default_factory=Counter)

    def add(self, kind: tuple[str, str], name: str) -> None:
        self.kinds.setdefault(kind, []).append(name)

    def summary(self, suffixes: frozenset[str]) -> str:
        parts = []
        if self.others:
            kinds = ", ".join(f"{n} {suffix or '(no suffix)'}"
                              for suffix, n in sorted(self.others.items(), key=lambda kv: (-kv[1], kv[0])))
            read = ", ".join(sorted(suffixes - {""})) + (" or no suffix" if "" in suffixes else "")
            count = sum(self.others.values())
            parts.append(f"{count} file{'s' if count > 1 else ''} of types kg does not read ({kinds}; articles are "
                         f"{read})")
        for (one, many), names in self.kinds.items():
            shown = ", ".join(names[:_NAMES_SHOWN]) + (", ..." if len(names) > _NAMES_SHOWN else "")
            parts.append(f"{len(names)} {one if len(names) == 1 else many}: {shown}")
        return f"{FOLDER_SKIPS} " + "; ".join(parts)


# The kinds a summary names, in this order (singular, plural).
_HIDDEN = ("hidden", "hidden")
_OWN = ("of kg's own outputs", "of kg's own outputs")
_PROJECT = ("project document, not news", "project documents, not news")
_LINKS = ("link to a folder, not followed", "links to folders, not followed")
_SPECIAL = ("not a regular file (a device, pipe, socket or broken link)",
            "not regular files (devices, pipes, sockets or broken links)")
_STORES = ("kg store (query it with kg query)", "kg stores (query them with kg query)")


def article_files(folder: Path, suffixes: frozenset[str]) -> Iterator[Path | Skipped]:
    """The files of ``folder`` and its subfolders whose suffix is one of ``suffixes``, in sorted path order.

    What is not read is told at the end in one ``Skipped`` whose reason starts with FOLDER_SKIPS, by kind:
    files of other types (by suffix), hidden files and folders, kg's own outputs (a build's files, stores,
    views), project documents (README.md...), links to folders (not followed), devices, pipes and sockets.
    A subfolder that cannot be read is a ``Skipped`` of its own, ``unreadable``.
    """
    if is_store(folder):
        yield Skipped(folder, "skipped: a kg store, not articles (query it with kg query)")
        return
    tally = _Tally({kind: [] for kind in (_HIDDEN, _OWN, _PROJECT, _LINKS, _SPECIAL, _STORES)})
    yield from _walk(folder, folder, frozenset(), suffixes, tally)
    tally.kinds = {kind: names for kind, names in tally.kinds.items() if names}
    if tally.others or tally.kinds:
        yield Skipped(folder, tally.summary(suffixes))


def is_store(folder: Path) -> bool:
    """True for a store directory kg wrote (marked), or an Oxigraph store from before stores were marked."""
    try:
        names = set(os.listdir(folder))
    except OSError:
        return False
    return STORE_MARKER in names or ({"CURRENT", "IDENTITY"} <= names and any(n.startswith("OPTIONS-") for n in names))


def _walk(top: Path, folder: Path, outputs: frozenset[tuple[str, ...]], suffixes: frozenset[str], tally: _Tally
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
        name = path.relative_to(top).as_posix()
        if (entry.name,) in own or _KG_TEMPORARY.match(entry.name) or entry.name in (BUILD_MANIFEST, BUILD_LOCK):
            tally.add(_OWN, name)
            continue
        try:
            is_dir, is_link = entry.is_dir(), entry.is_symlink()
            is_file = not is_dir and entry.is_file()
        except OSError:
            is_dir = is_link = is_file = False
        if entry.name.startswith("."):
            tally.add(_HIDDEN, name)
        elif is_dir and is_link:
            tally.add(_LINKS, name)
        elif is_dir:
            if is_store(path):
                tally.add(_STORES, name)
            else:
                below = frozenset(parts[1:] for parts in own if len(parts) > 1 and parts[0] == entry.name)
                yield from _walk(top, path, below, suffixes, tally)
        elif not is_file:
            tally.add(_SPECIAL, name)
        elif path.suffix.lower() in suffixes:
            if path.suffix.lower() in _VIEW_SUFFIXES and is_kg_view(path):
                tally.add(_OWN, name)
            elif path.stem.casefold() in PROJECT_FILES:
                tally.add(_PROJECT, name)
            else:
                yield path
        else:
            tally.others[path.suffix.lower()] += 1


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

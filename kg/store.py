"""The on-disk Oxigraph store kg writes (``kg build --store DIR``): claimed, filled beside the old one, swapped in.

kg replaces only a store it wrote: a store directory must be new, empty or marked by
``.kg-store.json`` and hold nothing but a store's files, and no live process may have it
open (an ``oxigraph serve`` holds its lock, ``serve-read-only`` has its files open). The
new store is filled beside the old one and put in its place by an atomic directory
exchange where the system has one (Linux), else by two renames that the next writer
repairs if it was killed between them. ``kg.outputs`` decides when a filled store goes in.
"""

from __future__ import annotations

import ctypes
import fcntl
import json
import os
import re
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterable, Sequence
from itertools import islice
from pathlib import Path

import pyoxigraph as ox

from kg.errors import OutputInUse, UnsafeOutput
from kg.locks import clear_stale, flock_holder, posix_lock_holder, who
from kg.rdf import Triple
from kg.summary import summarize

MARKER_FORMAT = 1
STORE_MARKER = ".kg-store.json"  # in every store kg writes: only such a directory may be replaced
# Quads per bulk load into an on-disk store (about 80 MB of memory).
STORE_CHUNK = 100_000

# The files RocksDB keeps in a store's directory; anything else in a marked store is not kg's to delete.
_STORE_FILE = re.compile(
    r"^(CURRENT|IDENTITY|LOCK|LOG(\.old\.\d+)?|(MANIFEST|OPTIONS)-\d+(\.dbtmp)?|\d+\.(sst|log|blob|ldb|dbtmp))$"
)


class StoreSlot:
    """A store directory to be replaced: checked, and held against other writers and servers until released.

    Held by an flock on the directory (then on the new one, once swapped in) and by
    RocksDB's own lock on ``LOCK``, so no ``oxigraph serve`` can open it meanwhile.
    """

    def __init__(self, path: Path, protect: Sequence[tuple[Path, str]]) -> None:
        self.path = path.resolve()
        self.removed = 0
        self._fresh: Path | None = None
        self._fds: list[int] = []
        check_place(self.path, protect)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _restore_retired(self.path)
            self._created = not self.path.exists()
            self.path.mkdir(exist_ok=True)  # an empty directory to lock: two first builds cannot both swap in
            self._hold(self.path)
            _check_replaceable(self.path)
            self._hold_rocksdb()
            _check_unopened(self.path)
            self.removed = clear_stale(self.path.parent, self.path.name) + _clear_retired(self.path)
        except BaseException:
            self.release()
            raise

    @property
    def filled(self) -> bool:
        return self._fresh is not None

    def fill(self, triples: Iterable[Triple]) -> None:
        """Fill a new store beside the one at ``path``: these triples in its default graph, and their summaries."""
        self._fresh = Path(tempfile.mkdtemp(dir=self.path.parent, prefix=f".{self.path.name}.new.{os.getpid()}."))
        store = ox.Store(str(self._fresh))
        quads = (ox.Quad(s, p, o) for s, p, o in triples)  # type: ignore[arg-type]  # a literal is never a subject
        # One bulk load of everything holds it all in memory (about 0.8 KB a triple, measured);
        # loads of STORE_CHUNK quads stay small, and ``optimize`` compacts what they leave.
        while chunk := list(islice(quads, STORE_CHUNK)):
            store.bulk_extend(chunk)
        summarize(store)
        store.flush()
        store.optimize()
        del store

    def swap_in(self, generation: str) -> None:
        """Mark the filled store with ``generation`` and put it in place; the old one is removed."""
        if self._fresh is None:
            return
        marker = {"format": MARKER_FORMAT, "generation": generation}
        with open(self._fresh / STORE_MARKER, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(marker, sort_keys=True) + "\n")
            os.fsync(handle.fileno())
        _check_unopened(self.path)  # a read-only server started since the claim holds no lock
        self._hold(self._fresh)
        _swap_in(self._fresh, self.path)
        self._fresh, self._created = None, False

    def release(self) -> None:
        if self._fresh is not None:
            shutil.rmtree(self._fresh, ignore_errors=True)
            self._fresh = None
        if self._created:
            try:
                self.path.rmdir()  # made only to be locked, and never filled
            except OSError:
                pass
            self._created = False
        for fd in self._fds:
            os.close(fd)
        self._fds = []

    def _hold(self, directory: Path) -> None:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        self._fds.append(fd)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            # A directory another build swapped away after we opened it is not the store any more.
            taken = os.path.samestat(os.fstat(fd), os.stat(directory))
        except BlockingIOError:
            taken = False
        if not taken:
            holder = flock_holder(directory)
            raise OutputInUse(f"{self.path}: another kg build{f' ({who(holder)})' if holder else ''} is writing "
                              "this store; wait for it to finish, or write another store")

    def _hold_rocksdb(self) -> None:
        """Take RocksDB's lock of the store, as a read-write ``oxigraph serve`` or ``pyoxigraph.Store`` holds it."""
        try:
            fd = os.open(self.path / "LOCK", os.O_RDWR)
        except FileNotFoundError:
            return
        self._fds.append(fd)
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise OutputInUse(f"{self.path}: the store is in use by {who(posix_lock_holder(fd))}; "
                              "stop it before rebuilding the store, or write another store") from None


def check_place(path: Path, protect: Sequence[tuple[Path, str]]) -> None:
    """Refuse a store path that is, or holds, a protected path; or that is not a directory."""
    protected = [(other.resolve(), what) for other, what in protect]
    found = [("is", other, what) for other, what in protected if path == other]
    found += [("holds", other, what) for other, what in protected if path in other.parents]
    if found:
        relation, other, what = found[0]
        raise UnsafeOutput(f"{path}: refusing to write a store there: it {relation} {what} ({other})")
    if path.exists() and not path.is_dir():
        raise UnsafeOutput(f"{path}: refusing to write a store there: it is not a directory")


def _check_replaceable(path: Path) -> None:
    """Refuse to replace a directory that is not empty, unless it is a store kg wrote holding a store's files only."""
    entries = sorted(os.listdir(path))
    if not entries:
        return
    if STORE_MARKER not in entries or store_generation(path) is None:
        raise UnsafeOutput(f"{path}: refusing to replace this directory with a store: it is not empty and kg did "
                           f"not write it (no {STORE_MARKER}; a store of an earlier kg has none: remove it yourself); "
                           "give a new or empty directory")
    foreign = [name for name in entries if name != STORE_MARKER and not (
        _STORE_FILE.match(name) and stat.S_ISREG(os.lstat(path / name).st_mode))]
    if foreign:
        more = f" and {len(foreign) - 1} more" if len(foreign) > 1 else ""
        raise UnsafeOutput(f"{path}: refusing to replace this store: it holds {foreign[0]!r}{more}, which kg did not "
                           "write; move that out first")


def store_generation(path: Path) -> str | None:
    """The generation a kg store's marker records; None if ``path`` holds no readable marker."""
    try:
        marker = json.loads((path / STORE_MARKER).read_bytes())
    except (OSError, ValueError, RecursionError):
        return None
    if (
        not isinstance(marker, dict)
        or marker.get("format") != MARKER_FORMAT
        or not isinstance(marker.get("generation"), str)
    ):
        return None
    generation: str = marker["generation"]
    return generation


def _check_unopened(path: Path) -> None:
    """Refuse a store that another process has files of open (``oxigraph serve-read-only`` takes no lock)."""
    proc, prefix = Path("/proc"), str(path) + os.sep
    if not proc.is_dir():
        return
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            opened = [os.readlink(fd) for fd in (entry / "fd").iterdir()]
        except OSError:  # gone, or another user's
            continue
        if any(name.startswith(prefix) or name == str(path) for name in opened):
            raise OutputInUse(f"{path}: the store is open in {who(int(entry.name))}; "
                              "stop it before rebuilding the store, or write another store")


def _retired(path: Path) -> Path:
    return path.parent / f".{path.name}.old"


def _restore_retired(path: Path) -> None:
    """Put back a store that a swap by two renames left aside when it was killed between them."""
    if not path.exists() and store_generation(_retired(path)) is not None:
        _retired(path).rename(path)


def _clear_retired(path: Path) -> int:
    """Remove a store a swap by two renames left aside, once the new one is in place."""
    if store_generation(_retired(path)) is None:
        return 0
    shutil.rmtree(_retired(path), ignore_errors=True)
    return 1


def _swap_in(fresh: Path, path: Path) -> None:
    """Put the directory ``fresh`` at ``path`` and remove what was there."""
    if _exchange(fresh, path):
        shutil.rmtree(fresh, ignore_errors=True)  # now the old store
    else:  # a leftover retired directory that is not a store stays, and the rename fails
        retired = _retired(path)
        path.rename(retired)
        fresh.rename(path)
        shutil.rmtree(retired, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False where that is unavailable."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a C library without it (glibc < 2.28, musl)
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0  # type: ignore[no-any-return]

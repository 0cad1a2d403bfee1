"""Outputs written so that no one's data is lost, and every output tells which build wrote it.

Every file is written beside its target under a hidden temporary name that carries the
writer's process id, and moved into place only when complete; a store is filled beside
the directory it replaces and swapped in (``Staged`` prepares several outputs before
replacing any). A writer killed at any moment leaves the previous outputs as they were;
its temporaries are removed by the next writer once that process is gone.

kg replaces only what it wrote: a store directory must be new, empty or marked by
``.kg-store.json`` and hold nothing but a store's files, and no live process may have it
open (an ``oxigraph serve`` holds its lock). A build's ``OutputFolder`` is locked so that
one build owns it at a time, and gets a manifest, ``.kg-build.json``, committed last: the
generation (a digest of the outputs' content) and each file's digest, so a reader, and the
next build, can tell a consistent set of outputs from the leftovers of an interrupted build.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import hashlib
import json
import os
import re
import shutil
import stat
import struct
import sys
import tempfile
import uuid
from collections.abc import Iterable, Sequence
from itertools import islice
from pathlib import Path
from types import TracebackType
from typing import Any

import pyoxigraph as ox

from kg.errors import OutputInUse, UnsafeOutput
from kg.export import AnyTerm, stream_turtle
from kg.graph import to_oxigraph

FORMAT = 1
MANIFEST = ".kg-build.json"  # in an output folder, renamed into place after every other output
LOCK = ".kg-build.lock"  # in an output folder, held (flock) by the build writing there
STORE_MARKER = ".kg-store.json"  # in every store kg writes: only such a directory may be replaced
# Quads per bulk load into an on-disk store (about 80 MB of memory).
STORE_CHUNK = 100_000

# The files RocksDB keeps in a store's directory; anything else in a marked store is not kg's to delete.
_STORE_FILE = re.compile(r"^(CURRENT|IDENTITY|LOCK|LOG(\.old\.\d+)?|(MANIFEST|OPTIONS)-\d+(\.dbtmp)?|\d+\.(sst|log|blob|ldb|dbtmp))$")
# Temporary files (``.NAME.PID.XXXXXXXX.tmp``) and stores being filled (``.NAME.new.PID.XXXXXXXX``),
# as tempfile names them.
_STALE = (
    re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[a-z0-9_]{8}\.tmp$"),
    re.compile(r"^\.(?P<name>.+)\.new\.(?P<pid>\d+)\.[a-z0-9_]{8}$"),
)


class Staged:
    """Outputs prepared beside their targets and put in place together by ``commit``.

    Until ``commit`` no target changes, so a run that fails or is killed while
    preparing leaves every previous output intact; ``commit`` only renames.
    Leaving the ``with`` block without committing discards what was prepared.
    """

    def __init__(self) -> None:
        self._files: list[tuple[str, Path]] = []
        self._stores: dict[Path, _StoreSlot] = {}

    def turtle(self, path: Path, triples: Iterable[tuple[AnyTerm, AnyTerm, AnyTerm]]) -> int:
        """Stable Turtle of a triple stream for ``path``; returns the number of distinct triples."""
        return stream_turtle(triples, self._file(path))

    def bytes(self, path: Path, data: bytes) -> None:
        """``data`` for the file ``path``."""
        with open(self._file(path), "wb") as handle:
            handle.write(data)

    def claim_store(self, path: Path, protect: Sequence[tuple[Path, str]] = ()) -> _StoreSlot:
        """Check that a store may replace the directory ``path``, and hold it against other writers until the end.

        Args:
            protect: paths the store must neither be nor contain, each with what it is ("an input").

        Raises:
            UnsafeOutput: ``path`` is a protected path or holds one, a file, or a directory kg did not write.
            OutputInUse: another build is writing that store, or a process has it open.
        """
        slot = _StoreSlot(path, protect)
        self._stores[slot.path] = slot
        return slot

    def store(self, path: Path, triples: Iterable[tuple[AnyTerm, AnyTerm, AnyTerm]]) -> None:
        """An on-disk pyoxigraph store of these triples, to replace the one at ``path`` (claimed if it is not yet)."""
        slot = self._stores.get(path.resolve()) or self.claim_store(path)
        slot.fill(triples)

    def commit(self, generation: str | None = None) -> None:
        """Move everything prepared into place: files durable first, then the stores (marked with
        ``generation``), then the files, by renames only."""
        for tmp, path in self._files:
            if path.is_dir():  # found now, not once the store is swapped in
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
            _make_durable(tmp)
        for slot in self._stores.values():
            slot.swap_in(generation or uuid.uuid4().hex[:16])
        for tmp, path in self._files:
            os.replace(tmp, path)
        for directory in {path.parent for _, path in self._files} | {slot.path.parent for slot in self._stores.values()}:
            _sync_directory(directory)
        self._files = []

    def discard(self) -> None:
        for tmp, _ in self._files:
            Path(tmp).unlink(missing_ok=True)
        for slot in self._stores.values():
            slot.release()
        self._files, self._stores = [], {}

    def _file(self, path: Path) -> str:
        tmp = _temporary(path)
        self._files.append((tmp, path))
        return tmp

    def __enter__(self) -> Staged:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.discard()


class OutputFolder(Staged):
    """The outputs of one build in a folder: owned by that build, replaced together, recorded in a manifest.

    Entering takes the folder's lock (``OutputInUse`` names the build holding it),
    checks and claims the store, and looks for the marks of an interrupted build,
    which it lists in ``notices``. ``commit`` writes the manifest last.
    """

    def __init__(self, folder: Path, store: Path | None = None, protect: Sequence[tuple[Path, str]] = ()) -> None:
        super().__init__()
        self.folder = folder
        self.notices: list[str] = []
        self._store = store
        self._protect = [(folder, "the output folder"), *protect]
        self._lock: int | None = None
        self._created = False  # this build made the folder: an uncommitted build leaves none behind
        self._committed = False

    def __enter__(self) -> OutputFolder:
        try:
            if self._store is not None:
                _check_place(self._store.resolve(), self._protect)  # before the folder is made
            self._created = not self.folder.exists()
            self.folder.mkdir(parents=True, exist_ok=True)
            self._lock = _lock_folder(self.folder)
            stray = stray_outputs(self.folder)
            # Temporaries of the outputs the last build wrote (those of others are cleared as they are written).
            removed = sum(_clear_stale((self.folder / name).parent, Path(name).name)
                          for name in [*_listed_files(self.folder), MANIFEST])
            if self._store is not None:
                removed += self.claim_store(self._store, self._protect).removed
        except BaseException:
            self._release()
            raise
        if stray == [MANIFEST]:
            self.notices.append(f"{self.folder / MANIFEST} cannot be read, so the outputs there cannot be told "
                                "apart; this build writes a new set and manifest")
        elif stray:
            self.notices.append(
                f"{self.folder}: {', '.join(stray)} not as {MANIFEST} records (a build interrupted while replacing "
                "its outputs, or another writer); this build writes a new set and manifest"
            )
        elif removed:
            self.notices.append(f"{self.folder}: removed {removed} temporary output(s) of an interrupted build")
        return self

    def commit(self, generation: str | None = None) -> None:
        """Put every output in place, then the manifest naming their generation and digests."""
        folder = self.folder.resolve()
        files = {_relative(path, folder): {"sha256": _file_digest(Path(tmp)), "bytes": os.path.getsize(tmp)}
                 for tmp, path in self._files}
        store = next((slot for slot in self._stores.values() if slot.filled), None)
        store_name = _relative(store.path, folder) if store else None
        outputs = sorted([*files, *([store_name] if store_name and not os.path.isabs(store_name) else [])])
        generation = generation or _digest({"files": files, "store": store_name})
        super().commit(generation)
        manifest = {
            "format": FORMAT,
            "generation": generation,
            "outputs": outputs,
            "files": files,
            "store": {"path": store_name, "generation": generation} if store_name else None,
        }
        with Staged() as staged:
            staged.bytes(self.folder / MANIFEST, (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode())
            staged.commit()
        self._committed = True

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self._release()

    def _release(self) -> None:
        self.discard()
        if self._lock is not None:
            os.close(self._lock)  # releases the flock
            self._lock = None
            if self._created and not self._committed:
                # A build that wrote nothing ("--strict", nothing readable) leaves no folder it made.
                try:
                    (self.folder / LOCK).unlink(missing_ok=True)
                    self.folder.rmdir()
                except OSError:
                    pass  # something else was put there meanwhile: leave it


def _listed_files(folder: Path) -> list[str]:
    """The files the manifest of ``folder`` lists; none if it cannot be read."""
    try:
        files = json.loads((folder / MANIFEST).read_bytes())["files"]
    except (OSError, ValueError, RecursionError, LookupError, TypeError):
        return []
    # kg writes its files at the top of the folder: a name with a path in it is not one of them.
    return [name for name in files if isinstance(name, str) and Path(name).name == name] if isinstance(files, dict) else []


def stray_outputs(folder: Path) -> list[str]:
    """The outputs ``folder``'s manifest lists that are not what that build wrote: the marks of an interrupted build.

    Empty when every output matches, or when there is no manifest (nothing was built there);
    ``[MANIFEST]`` when the manifest cannot be read.
    """
    try:
        manifest = json.loads((folder / MANIFEST).read_bytes())
        files: dict[str, Any] = manifest["files"]
        store = manifest["store"]
        stray = [name for name, entry in files.items() if _file_digest(folder / name) != entry["sha256"]]
        if store is not None and _store_generation(folder / store["path"]) != store["generation"]:
            stray.append(store["path"])
    except FileNotFoundError:
        return []
    except (OSError, ValueError, RecursionError, LookupError, TypeError):
        return [MANIFEST]
    return sorted(stray)


def write_turtle(path: Path, triples: Iterable[tuple[AnyTerm, AnyTerm, AnyTerm]]) -> int:
    """Stable Turtle of a triple stream to ``path``, atomically, without an in-memory rdflib Graph.

    Returns the number of distinct triples written.
    """
    with Staged() as staged:
        count = staged.turtle(path, triples)
        staged.commit()
    return count


def write_store(path: Path, triples: Iterable[tuple[AnyTerm, AnyTerm, AnyTerm]]) -> None:
    """Replace the on-disk pyoxigraph store at ``path`` (new, empty, or one kg wrote) with these triples.

    The new store is filled beside the old one and swapped in (atomically where
    the system can exchange two directories), so a failed build leaves the old
    store in place.
    """
    with Staged() as staged:
        staged.store(path, triples)
        staged.commit()


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never a part."""
    with Staged() as staged:
        staged.bytes(path, data)
        staged.commit()


# ---------------------------------------------------------------- stores


class _StoreSlot:
    """A store directory to be replaced: checked, and held against other writers and servers until released.

    Held by an flock on the directory (then on the new one, once swapped in) and by
    RocksDB's own lock on ``LOCK``, so no ``oxigraph serve`` can open it meanwhile.
    """

    def __init__(self, path: Path, protect: Sequence[tuple[Path, str]]) -> None:
        self.path = path.resolve()
        self.removed = 0
        self._fresh: Path | None = None
        self._fds: list[int] = []
        _check_place(self.path, protect)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _restore_retired(self.path)
            self._created = not self.path.exists()
            self.path.mkdir(exist_ok=True)  # an empty directory to lock: two first builds cannot both swap in
            self._hold(self.path)
            _check_replaceable(self.path)
            self._hold_rocksdb()
            _check_unopened(self.path)
            self.removed = _clear_stale(self.path.parent, self.path.name) + _clear_retired(self.path)
        except BaseException:
            self.release()
            raise

    @property
    def filled(self) -> bool:
        return self._fresh is not None

    def fill(self, triples: Iterable[tuple[AnyTerm, AnyTerm, AnyTerm]]) -> None:
        self._fresh = Path(tempfile.mkdtemp(dir=self.path.parent, prefix=f".{self.path.name}.new.{os.getpid()}."))
        store = ox.Store(str(self._fresh))
        quads = (ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in triples)  # type: ignore[arg-type]
        # One bulk load of everything holds it all in memory (about 0.8 KB a triple, measured);
        # loads of STORE_CHUNK quads stay small, and ``optimize`` compacts what they leave.
        while chunk := list(islice(quads, STORE_CHUNK)):
            store.bulk_extend(chunk)
        store.flush()
        store.optimize()
        del store

    def swap_in(self, generation: str) -> None:
        """Mark the filled store with ``generation`` and put it in place; the old one is removed."""
        if self._fresh is None:
            return
        marker = {"format": FORMAT, "generation": generation}
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
            holder = _flock_holder(directory)
            raise OutputInUse(f"{self.path}: another kg build{f' ({_who(holder)})' if holder else ''} is writing "
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
            raise OutputInUse(f"{self.path}: the store is in use by {_who(_posix_lock_holder(fd))}; "
                              "stop it before rebuilding the store, or write another store") from None


def _check_place(path: Path, protect: Sequence[tuple[Path, str]]) -> None:
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
    if STORE_MARKER not in entries or _store_generation(path) is None:
        raise UnsafeOutput(f"{path}: refusing to replace this directory with a store: it is not empty and kg did "
                           f"not write it (no {STORE_MARKER}; a store of an earlier kg has none: remove it yourself); "
                           "give a new or empty directory")
    foreign = [name for name in entries if name != STORE_MARKER and not (
        _STORE_FILE.match(name) and stat.S_ISREG(os.lstat(path / name).st_mode))]
    if foreign:
        more = f" and {len(foreign) - 1} more" if len(foreign) > 1 else ""
        raise UnsafeOutput(f"{path}: refusing to replace this store: it holds {foreign[0]!r}{more}, which kg did not "
                           "write; move that out first")


def _store_generation(path: Path) -> str | None:
    """The generation a kg store's marker records; None if ``path`` holds no readable marker."""
    try:
        marker = json.loads((path / STORE_MARKER).read_bytes())
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(marker, dict) or marker.get("format") != FORMAT or not isinstance(marker.get("generation"), str):
        return None
    return marker["generation"]


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
            raise OutputInUse(f"{path}: the store is open in {_who(int(entry.name))}; "
                              "stop it before rebuilding the store, or write another store")


def _who(pid: int | None) -> str:
    """``pid N (its command line)``, as far as the system tells."""
    if pid is None:
        return "another process"
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return f"pid {pid}"
    command = " ".join(part.decode("utf-8", "replace") for part in raw.split(b"\0") if part)
    return f"pid {pid} ({command[:300]})" if command else f"pid {pid}"


def _posix_lock_holder(fd: int) -> int | None:
    """The process holding a conflicting fcntl lock on ``fd`` (``F_GETLK``), where the layout of ``struct flock`` is known."""
    layouts = {"linux": ("hhqqi4x", 0, 4), "darwin": ("qqihh", 3, 2)}  # format, index of l_type, of l_pid
    layout = layouts.get("linux" if sys.platform.startswith("linux") else sys.platform)
    if layout is None:
        return None
    fmt, type_at, pid_at = layout
    values = [0] * 5
    values[type_at] = fcntl.F_WRLCK
    try:
        answer = struct.unpack(fmt, fcntl.fcntl(fd, fcntl.F_GETLK, struct.pack(fmt, *values)))
    except OSError:
        return None
    return int(answer[pid_at]) if answer[type_at] != fcntl.F_UNLCK and answer[pid_at] > 0 else None


def lock_holder(path: Path) -> str | None:
    """Who holds an fcntl lock on ``path`` (RocksDB's ``LOCK``): ``pid N (command line)``, or None."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        pid = _posix_lock_holder(fd)
    finally:
        os.close(fd)
    return _who(pid) if pid is not None else None


def _flock_holder(path: Path) -> int | None:
    """The process holding an flock on ``path``, from Linux's ``/proc/locks``."""
    try:
        info = os.stat(path)
        lines = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return None
    where = f"{os.major(info.st_dev):02x}:{os.minor(info.st_dev):02x}:{info.st_ino}"
    for line in lines:
        fields = line.split()
        if len(fields) > 5 and fields[1] == "FLOCK" and fields[5] == where and fields[4].isdigit():
            return int(fields[4])
    return None


def _retired(path: Path) -> Path:
    return path.parent / f".{path.name}.old"


def _restore_retired(path: Path) -> None:
    """Put back a store that a swap by two renames left aside when it was killed between them."""
    if not path.exists() and _store_generation(_retired(path)) is not None:
        _retired(path).rename(path)


def _clear_retired(path: Path) -> int:
    """Remove a store a swap by two renames left aside, once the new one is in place."""
    if _store_generation(_retired(path)) is None:
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


# ---------------------------------------------------------------- files and folders


def _lock_folder(folder: Path) -> int:
    """Take the output folder's lock, recording this process's id in it; OutputInUse names its holder."""
    # Never through a symbolic link: the lock file is truncated, and what it points to may be anyone's.
    fd = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.read(fd, 32).decode("ascii", "replace").strip()  # written by the holder once it had the lock
        os.close(fd)
        who = f" ({_who(int(holder))})" if holder.isdigit() else ""
        raise OutputInUse(f"{folder}: another kg build{who} is writing to this output folder; "
                          "wait for it to finish, or build into another output folder") from None
    except BaseException:
        os.close(fd)
        raise
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode("ascii"))
    return fd


def _temporary(path: Path) -> str:
    """A new empty file beside ``path``, named for this process (``.NAME.PID.XXXXXXXX.tmp``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _clear_stale(path.parent, path.name)
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp")
    except OSError as error:  # name the output, not the temporary
        raise OSError(error.errno, error.strerror, str(path)) from None
    os.close(fd)
    return tmp


def _clear_stale(directory: Path, name: str | None = None) -> int:
    """Remove the temporaries (of the output ``name``, or of any) that killed writers left; returns how many."""
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return 0
    removed = 0
    for entry in entries:
        found = [m for m in (pattern.match(entry.name) for pattern in _STALE) if m and name in (None, m.group("name"))]
        if not found or _alive(int(found[0].group("pid"))):
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            Path(entry.path).unlink(missing_ok=True)
        removed += 1
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process
        return True
    return True


def _make_durable(tmp: str) -> None:
    """A finished temporary file on disk, readable as a normal file is."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())


def _sync_directory(directory: Path) -> None:
    """Renames in ``directory`` on disk before what is written next (the manifest comes after its outputs)."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:  # some file systems cannot sync a directory
        pass
    finally:
        os.close(fd)


def _file_digest(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def _digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()[:16]


def _relative(path: Path, folder: Path) -> str:
    """``path`` relative to the output folder when it is inside it, else absolute."""
    path = path.resolve()
    return path.relative_to(folder).as_posix() if folder in path.parents else str(path)

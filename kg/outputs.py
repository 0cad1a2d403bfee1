"""Outputs written so that no one's data is lost, and every output tells which build wrote it.

Every file is written beside its target under a hidden temporary name that carries the
writer's process id, and moved into place only when complete; a store is filled beside
the directory it replaces and swapped in (``kg.store``; ``Staged`` prepares several outputs
before replacing any). A writer killed at any moment leaves the previous outputs as they
were; its temporaries are removed by the next writer once that process is gone. What goes
in a file is the format writers' business (``kg.export``): this module only places files.

A build's ``OutputFolder`` is locked so that one build owns it at a time, and gets a
manifest, ``.kg-build.json``, committed last: the generation (a digest of the outputs'
content) and each file's digest, so a reader, and the next build, can tell a consistent
set of outputs from the leftovers of an interrupted build.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import tempfile
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from kg.errors import OutputInUse
from kg.locks import clear_stale, who
from kg.rdf import Triple
from kg.store import StoreSlot, check_place, store_generation

FORMAT = 1
MANIFEST = ".kg-build.json"  # in an output folder, renamed into place after every other output
LOCK = ".kg-build.lock"  # in an output folder, held (flock) by the build writing there


class Staged:
    """Outputs prepared beside their targets and put in place together by ``commit``.

    Until ``commit`` no target changes, so a run that fails or is killed while
    preparing leaves every previous output intact; ``commit`` only renames.
    Leaving the ``with`` block without committing discards what was prepared.
    """

    def __init__(self) -> None:
        self._files: list[tuple[str, Path]] = []
        self._stores: dict[Path, StoreSlot] = {}

    def file(self, path: Path) -> str:
        """A new empty temporary file that becomes ``path`` on commit: the caller writes the content there."""
        tmp = _temporary(path)
        self._files.append((tmp, path))
        return tmp

    def bytes(self, path: Path, data: bytes) -> None:
        """``data`` for the file ``path``."""
        with open(self.file(path), "wb") as handle:
            handle.write(data)

    def claim_store(self, path: Path, protect: Sequence[tuple[Path, str]] = ()) -> StoreSlot:
        """Check that a store may replace the directory ``path``, and hold it against other writers until the end.

        Args:
            protect: paths the store must neither be nor contain, each with what it is ("an input").

        Raises:
            UnsafeOutput: ``path`` is a protected path or holds one, a file, or a directory kg did not write.
            OutputInUse: another build is writing that store, or a process has it open.
        """
        slot = StoreSlot(path, protect)
        self._stores[slot.path] = slot
        return slot

    def store(self, path: Path, triples: Iterable[Triple]) -> None:
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
        for directory in {path.parent for _, path in self._files} | {
            slot.path.parent for slot in self._stores.values()
        }:
            _sync_directory(directory)
        self._files = []

    def discard(self) -> None:
        for tmp, _ in self._files:
            Path(tmp).unlink(missing_ok=True)
        for slot in self._stores.values():
            slot.release()
        self._files, self._stores = [], {}

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
                check_place(self._store.resolve(), self._protect)  # before the folder is made
            self._created = not self.folder.exists()
            self.folder.mkdir(parents=True, exist_ok=True)
            self._lock = _lock_folder(self.folder)
            stray = stray_outputs(self.folder)
            # Temporaries of the outputs the last build wrote (those of others are cleared as they are written).
            removed = sum(clear_stale((self.folder / name).parent, Path(name).name)
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
    return (
        [name for name in files if isinstance(name, str) and Path(name).name == name] if isinstance(files, dict) else []
    )


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
        if store is not None and store_generation(folder / store["path"]) != store["generation"]:
            stray.append(store["path"])
    except FileNotFoundError:
        return []
    except (OSError, ValueError, RecursionError, LookupError, TypeError):
        return [MANIFEST]
    return sorted(stray)


def write_store(path: Path, triples: Iterable[Triple]) -> None:
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
        holder_text = f" ({who(int(holder))})" if holder.isdigit() else ""
        raise OutputInUse(f"{folder}: another kg build{holder_text} is writing to this output folder; "
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
    clear_stale(path.parent, path.name)
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp")
    except OSError as error:  # name the output, not the temporary
        raise OSError(error.errno, error.strerror, str(path)) from None
    os.close(fd)
    return tmp


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

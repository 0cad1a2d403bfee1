"""Which process holds what: lock holders named for messages, live writers, and the temporaries dead ones left.

A writer names its temporaries for its process id (``.NAME.PID.XXXXXXXX.tmp`` for a
file, ``.NAME.new.PID.XXXXXXXX`` for a store being filled, as ``tempfile`` makes them),
so the next writer can remove them once that process is gone.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import struct
import sys
from pathlib import Path

_STALE = (
    re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[a-z0-9_]{8}\.tmp$"),
    re.compile(r"^\.(?P<name>.+)\.new\.(?P<pid>\d+)\.[a-z0-9_]{8}$"),
)


def who(pid: int | None) -> str:
    """``pid N (its command line)``, as far as the system tells."""
    if pid is None:
        return "another process"
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return f"pid {pid}"
    command = " ".join(part.decode("utf-8", "replace") for part in raw.split(b"\0") if part)
    return f"pid {pid} ({command[:300]})" if command else f"pid {pid}"


def posix_lock_holder(fd: int) -> int | None:
    """The pid holding a conflicting fcntl lock on ``fd`` (``F_GETLK``) where the ``struct flock`` layout is known."""
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
        pid = posix_lock_holder(fd)
    finally:
        os.close(fd)
    return who(pid) if pid is not None else None


def flock_holder(path: Path) -> int | None:
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


def alive(pid: int) -> bool:
    """Whether the process ``pid`` still runs (another user's counts as running)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process
        return True
    return True


def clear_stale(directory: Path, name: str | None = None) -> int:
    """Remove the temporaries (of the output ``name``, or of any) that killed writers left; returns how many."""
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return 0
    removed = 0
    for entry in entries:
        found = [m for m in (pattern.match(entry.name) for pattern in _STALE) if m and name in (None, m.group("name"))]
        if not found or alive(int(found[0].group("pid"))):
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            Path(entry.path).unlink(missing_ok=True)
        removed += 1
    return removed

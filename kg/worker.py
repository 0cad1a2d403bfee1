"""Run one query in a child process that can be stopped: a deadline, a memory ceiling and no network.

Neither engine can be interrupted from Python: a runaway REGEX holds rdflib's evaluator and a
cartesian product holds Oxigraph's, whatever thread they run in. So a query runs in a forked
child, which the parent kills (SIGKILL) at the deadline; the child's address space is capped
(``RLIMIT_AS``: what it had at the fork plus ``max_memory``); and unless the job needs the
network (a remote endpoint, an allowed SERVICE), a seccomp filter (Linux x86-64 and arm64)
leaves it no way to open an internet socket or connect anything, whatever the query text makes
an engine attempt. Forking copies the imported modules and any loaded graph copy-on-write, so
a worker costs a few milliseconds, not an interpreter start.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import faulthandler
import multiprocessing
import os
import platform
import re
import resource
import signal
import struct
import tempfile
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from kg.errors import KGError, QueryError, QueryTimeout

DEFAULT_TIMEOUT = 30.0  # seconds a query may run (kg query --timeout)
DEFAULT_LIMIT = 10_000  # rows (or triples) a query may return (kg query --limit)
DEFAULT_MAX_MEMORY = 4 * 2**30  # bytes a query's worker may grow by (kg query --max-memory)

T = TypeVar("T")
_WAIT = 3600.0
_UNITS = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}


def parse_size(text: str) -> int:
    """A memory size such as ``4G``, ``512M``, ``1.5GiB`` or ``1000000`` (bytes), in bytes.

    >>> parse_size("512M")
    536870912
    """
    found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:I?B)?\s*", text.upper())
    if not found or float(found.group(1)) * _UNITS[found.group(2)] < 2**20:
        raise QueryError(f"{text!r} is not a memory size of 1M or more (such as 4G or 512M)")
    return int(float(found.group(1)) * _UNITS[found.group(2)])


def size_text(size: int) -> str:
    """A byte count as a short size: ``4 GiB``, ``512 MiB``."""
    for unit in ("T", "G", "M", "K"):
        if size >= _UNITS[unit]:
            return f"{size / _UNITS[unit]:.3g} {unit}iB"
    return f"{size} B"


class Phase:
    """Lets a job mark a stretch (loading the graph) that does not count against its deadline."""

    def __init__(self, send: Callable[[tuple[Any, ...]], None] | None = None) -> None:
        self._send = send

    @contextlib.contextmanager
    def untimed(self) -> Iterator[None]:
        if self._send is not None:
            self._send(("pause",))
        yield
        if self._send is not None:
            self._send(("resume",))


def run(job: Callable[[Phase], T], *, timeout: float | None, max_memory: int | None, network: bool = False) -> T:
    """``job(phase)`` in a forked child, stopped after ``timeout`` seconds of work (its untimed phases aside).

    Raises:
        QueryTimeout: the job was still running at its deadline (the child is killed).
        QueryError: the child ran out of memory, or died; or the KGError the job raised, as raised.
    """
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    with tempfile.TemporaryFile() as stderr:
        child = context.Process(target=_child, args=(job, sender, stderr.fileno(), max_memory, network), daemon=True)
        child.start()
        sender.close()
        try:
            message = _wait(receiver, child, timeout)
        finally:
            if child.is_alive():
                child.kill()
            child.join()
            receiver.close()
        if message is None:
            stderr.seek(0, os.SEEK_END)
            stderr.seek(max(0, stderr.tell() - 4096))
            raise _death(child.exitcode, stderr.read().decode("utf-8", "replace"), max_memory)
    kind, *rest = message
    if kind == "ok":
        return rest[0]  # type: ignore[no-any-return]
    if kind == "error":
        cls, text, attributes = rest
        error = cls.__new__(cls)
        Exception.__init__(error, text)
        error.__dict__.update(attributes)
        raise error
    if kind == "memory":
        raise QueryError(_memory_message(max_memory))
    raise QueryError(f"the query engine failed: {rest[0]}")


def _wait(receiver: Any, child: Any, timeout: float | None) -> tuple[Any, ...] | None:
    """The child's final message (None if it died first), handling its pause/resume messages."""
    remaining, paused = timeout, False
    while True:
        started = time.monotonic()
        # An hour at most per wait: a huge or infinite timeout is just a long one.
        ready = receiver.poll(_WAIT if paused or remaining is None else min(max(remaining, 0.0), _WAIT))
        if remaining is not None and not paused:
            remaining -= time.monotonic() - started
        if not ready and (remaining is None or paused or remaining > 0):
            continue
        if not ready:
            child.kill()
            raise QueryTimeout(f"the query ran for more than {timeout:g} s (--timeout SECONDS to allow more)")
        try:
            message = receiver.recv()
        except (EOFError, OSError):
            return None
        if message[0] in {"pause", "resume"}:
            paused = message[0] == "pause"
            continue
        return message  # type: ignore[no-any-return]


def _death(code: int | None, stderr: str, max_memory: int | None) -> QueryError:
    lines = [line for line in stderr.splitlines() if line.strip()]
    # Rust's failed allocations, C++'s (RocksDB), and threads that cannot get their stack.
    signs = (
        "memory allocation",
        "MemoryError",
        "bad_alloc",
        "Cannot allocate memory",
        "Resource temporarily unavailable",
    )
    if any(sign in line for line in lines for sign in signs):
        return QueryError(_memory_message(max_memory))
    if any("overflowed its stack" in line or "stack overflow" in line for line in lines) or code == -signal.SIGSEGV:
        return QueryError("the query engine overflowed its stack: is the query nested too deeply?")
    how = f"signal {signal.Signals(-code).name}" if code is not None and code < 0 else f"exit code {code}"
    detail = f": {lines[-1][:200]}" if lines else ""
    return QueryError(f"the query engine died ({how}){detail}")


def _memory_message(max_memory: int | None) -> str:
    ceiling = f" {size_text(max_memory)}" if max_memory else ""
    return f"the query needed more memory than its{ceiling} limit (--max-memory SIZE to allow more)"


def _child(job: Callable[[Phase], Any], sender: Any, stderr: int, max_memory: int | None, network: bool) -> None:
    # The engines' own messages (Rust's "memory allocation failed") go to a file the parent reads.
    os.dup2(stderr, 2)
    faulthandler.disable()  # a crash is reported by the parent, in one line
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if max_memory is not None:
            _limit_memory(max_memory)
        if not network:
            deny_network()
        value = job(Phase(sender.send))
    except KGError as exc:
        sender.send(("error", type(exc), str(exc), dict(vars(exc))))
    except MemoryError:
        sender.send(("memory",))
    except Exception as exc:  # noqa: BLE001 -- reported by the parent as one line
        sender.send(("failed", f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"))
    else:
        try:
            sender.send(("ok", value))
        except MemoryError:
            sender.send(("memory",))


def _limit_memory(extra: int) -> None:
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            current = int(statm.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return  # no /proc (macOS): RLIMIT_AS is not enforced there anyway
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    ceiling = current + extra
    if hard != resource.RLIM_INFINITY and ceiling >= hard or ceiling >= 2**62:
        return  # more than the system allows anyway
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))


# ---------------------------------------------------------------- no network (seccomp)

# machine -> (audit arch, socket, connect, io_uring_setup) system call numbers
_SYSCALLS = {
    "x86_64": (0xC000003E, 41, 42, 425),
    "aarch64": (0xC00000B7, 198, 203, 425),
    "arm64": (0xC00000B7, 198, 203, 425),
}
_AF_UNIX = 1
_ALLOW = 0x7FFF0000
_DENY = 0x00050000 | errno.EACCES  # SECCOMP_RET_ERRNO: the call fails with EACCES
_LD, _JEQ, _JGE, _RET = 0x20, 0x15, 0x35, 0x06  # BPF_LD|W|ABS, BPF_JMP|JEQ|K, BPF_JMP|JGE|K, BPF_RET|K


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def _network_filter(arch: int, socket_nr: int, connect_nr: int, uring_nr: int) -> bytes:
    """A seccomp program: ``socket()`` only for AF_UNIX; no ``connect()``, no io_uring; nothing else changes."""
    program = [
        (_LD, 0, 0, 4),  # 0: the calling convention (architecture)
        (_JEQ, 1, 0, arch),  # 1: ours -> 3
        (_RET, 0, 0, _DENY),  # 2: another ABI (i386 socketcall on x86-64...): refused
        (_LD, 0, 0, 0),  # 3: the system call number
        (_JGE, 6, 0, 0x40000000),  # 4: x32 numbers -> deny
        (_JEQ, 5, 0, connect_nr),  # 5: -> deny
        (_JEQ, 4, 0, uring_nr),  # 6: -> deny
        (_JEQ, 0, 2, socket_nr),  # 7: anything else -> allow
        (_LD, 0, 0, 16),  # 8: socket's first argument, the address family
        (_JEQ, 0, 1, _AF_UNIX),  # 9: AF_UNIX -> allow, else deny
        (_RET, 0, 0, _ALLOW),  # 10
        (_RET, 0, 0, _DENY),  # 11
    ]
    return b"".join(struct.pack("HBBI", *instruction) for instruction in program)


def deny_network() -> bool:
    """Leave this process (and its future threads and children) unable to reach any network.

    Returns False where seccomp is not available (not Linux, another architecture): there the
    query check is the only guard.
    """
    numbers = _SYSCALLS.get(platform.machine().lower())
    if numbers is None or not platform.system() == "Linux":
        return False
    code = ctypes.create_string_buffer(_network_filter(*numbers))
    program = _Program(len(code.raw) // 8, ctypes.cast(code, ctypes.c_void_p))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    pr_set_no_new_privs, pr_set_seccomp, seccomp_mode_filter = 38, 22, 2
    if libc.prctl(pr_set_no_new_privs, 1, 0, 0, 0) != 0:
        return False
    return bool(libc.prctl(pr_set_seccomp, seccomp_mode_filter, ctypes.addressof(program), 0, 0) == 0)

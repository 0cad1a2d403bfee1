"""Results kept on disk between builds, so a rebuild redoes only what changed: three SQLite files.

``ExtractionCache`` holds each article's extraction, ``IngestCache`` what cleaning made of each
input record, ``TurtleCache`` each article's share of graph.ttl. Their keys carry the
fingerprints of ``kg.fingerprints`` (everything a row depends on), their rows plain JSON data
(``kg.plain_data``): a row that does not decode to the right types is a miss, and no row can run
code (a cache file may come from anywhere). SQLite commits are atomic, so a build killed at any
moment leaves a cache that holds whole results only.

The cache never fails a build. A file that is not a database, has malformed
pages or a table of another layout only held a cache: it is started afresh. A
cache that cannot be used (locked by another process for longer than the
timeout, a full disk, a read-only folder) gets one warning, and the build goes
on without it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

from kg.fingerprints import FORMAT
from kg.ingest import Built
from kg.model import Article, Extraction
from kg.plain_data import Undecodable, decode, decode_row, encode, encode_row
from kg.turtle import PartTurtle

LOCK_TIMEOUT = 5.0  # seconds to wait for another process's write before going on without the cache


# ---------------------------------------------------------------- the file


class _NotACache(Exception):
    """A database of another layout or version of kg."""


def _damaged(error: Exception) -> bool:
    """Not a database, malformed pages or another layout: the file is of no use but only ever held a cache."""
    name = getattr(error, "sqlite_errorname", "")
    return isinstance(error, _NotACache) or name == "SQLITE_NOTADB" or name.startswith("SQLITE_CORRUPT")


def _layout(db: sqlite3.Connection) -> tuple[int, list[tuple[str, str, str | None]]]:
    """The file's format number and schema objects; (0, []) for a new file."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    return version, db.execute("SELECT name, type, sql FROM sqlite_master ORDER BY name").fetchall()


_Self = TypeVar("_Self", bound="_RowFile")  # typing.Self is Python 3.11+


class _RowFile:
    """A SQLite file of text values by key, in one table of its own layout.

    No method raises: see the module docstring for what becomes of each fault.
    ``on_warning`` gets the one line saying why the cache is not used, at most once.
    """

    TABLE = "extraction"
    WITHOUT = "extracting without it"  # what the build does when the file cannot be used

    def __init__(
        self, path: Path, on_warning: Callable[[str], None] | None = None, timeout: float = LOCK_TIMEOUT
    ) -> None:
        self.path = path
        self._on_warning = on_warning
        self._timeout = timeout
        self._reset = False
        self._create = f"CREATE TABLE {self.TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
        # Everything the file holds: the table and its key's index, nothing else (no trigger, no view);
        # in name order, as ``_layout`` reads them.
        self._schema = sorted(
            [(self.TABLE, "table", self._create), (f"sqlite_autoindex_{self.TABLE}_1", "index", None)]
        )
        self._db: sqlite3.Connection | None = None
        try:
            self._db = self._open()
        except (sqlite3.Error, OSError, _NotACache) as exc:
            self._failed(exc)

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Autocommit: every transaction below is opened and closed explicitly.
        db = sqlite3.connect(self.path, timeout=self._timeout, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            if _layout(db) != (FORMAT, self._schema):
                db.execute("BEGIN IMMEDIATE")
                found = _layout(db)  # another build may have laid it out meanwhile
                if found == (0, []):
                    db.execute(self._create)
                    db.execute(f"PRAGMA user_version = {FORMAT}")
                elif found != (FORMAT, self._schema):
                    raise _NotACache(f"user_version {found[0]}, schema {found[1]}")
                db.execute("COMMIT")
        except BaseException:
            db.close()
            raise
        return db

    def _failed(self, error: Exception) -> None:
        """Start a damaged file afresh (once); otherwise warn and go on without the cache."""
        self.close()
        if _damaged(error) and not self._reset:
            self._reset = True
            try:
                for suffix in ("", "-wal", "-shm"):
                    self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)
                self._db = self._open()
                return
            except (sqlite3.Error, OSError, _NotACache) as exc:
                error = exc
        if self._on_warning is not None:
            problem = str(error)
            if isinstance(error, OSError) and error.strerror:
                problem = f"{error.strerror}: {error.filename}" if error.filename else error.strerror
            elif getattr(error, "sqlite_errorname", "").startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
                problem = f"locked by another process for more than {self._timeout:g} s"
            self._on_warning(f"{self.path}: cache not used ({problem}); {self.WITHOUT}")

    def _get(self, keys: Sequence[str]) -> dict[str, object]:
        """The stored values of those of ``keys`` the file has (as SQLite gives them: checked by the caller)."""
        if self._db is None:
            return {}
        found: dict[str, object] = {}
        try:
            for i in range(0, len(keys), 500):
                chunk = keys[i : i + 500]
                found.update(self._db.execute(
                    f"SELECT key, value FROM {self.TABLE} WHERE key IN ({','.join('?' * len(chunk))})", chunk
                ).fetchall())
        except sqlite3.Error as exc:
            self._failed(exc)
            return {}
        return found

    def _put(self, rows: Sequence[tuple[str, str]]) -> None:
        """Store rows in one transaction: all of them or none."""
        for _ in range(2):  # once more on a file started afresh
            if self._db is None or not rows:
                return
            try:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.executemany(f"INSERT OR REPLACE INTO {self.TABLE} (key, value) VALUES (?, ?)", rows)
                self._db.execute("COMMIT")
                return
            except sqlite3.Error as exc:
                self._failed(exc)  # closing the connection rolls the transaction back

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self: _Self) -> _Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Fingerprinted(_RowFile):
    """A row file whose keys carry the fingerprint of what made its rows."""

    def __init__(
        self,
        path: Path,
        fingerprint: str,
        on_warning: Callable[[str], None] | None = None,
        timeout: float = LOCK_TIMEOUT,
    ) -> None:
        self.fingerprint = fingerprint
        super().__init__(path, on_warning, timeout)


class ExtractionCache(_Fingerprinted):
    """A SQLite file of ``Extraction`` records keyed by article and extractor fingerprint."""

    def key(self, article: Article) -> str:
        """The row key of an article's result under this fingerprint."""
        date = article.date.isoformat() if article.date else ""
        return hashlib.sha256(f"{self.fingerprint}|{article.content_hash}|{date}".encode()).hexdigest()

    def get_many(self, articles: Sequence[Article]) -> dict[str, Extraction]:
        """Cached results by article id, each carrying the article as read this time."""
        by_key = {self.key(a): a for a in articles}
        found: dict[str, Extraction] = {}
        for key, value in self._get(list(by_key)).items():
            # Origin, title or outlet may differ for the same text; the result does not.
            extraction = decode_row(value, by_key[key])
            if extraction is not None:
                found[extraction.article.id] = extraction
        return found

    def put_many(self, extractions: Iterable[Extraction]) -> None:
        """Store results in one transaction: all of them or none."""
        self._put([(self.key(e.article), encode_row(e)) for e in extractions])


class TurtleCache(_Fingerprinted):
    """A SQLite file of each article's share of graph.ttl (``kg.turtle.PartTurtle``).

    A share (``kg.graph.article_content``) is keyed by everything it is made from:
    the article's extraction (by its key in the extraction cache, which names the
    text and date), the entity and label each of its spans resolved to, and
    ``turtle_fingerprint``. A row that is not a share
    is a cache miss; what a row may hold is checked as an extraction row is: text
    that cuts into the blocks of subjects it names, never code.
    """

    TABLE = "turtle"
    WITHOUT = "writing graph.ttl without it"

    def key(self, source: str, spans: Sequence[tuple[int, int, str]], labels: Mapping[str, str]) -> str:
        """The row key of an article's share: ``source`` is its extraction's key in the extraction cache
        (which names the article's text and date, hence its id), ``spans`` are its (start, end, entity id),
        ``labels`` every entity's label (events are named by them)."""
        named = sorted({entity for _, _, entity in spans})
        data = [self.fingerprint, source, spans, [labels.get(e) for e in named]]
        return hashlib.sha256(json.dumps(data, separators=(",", ":")).encode()).hexdigest()

    def get_many(self, keys: Sequence[str]) -> dict[str, PartTurtle]:
        """The shares stored under ``keys``, by key."""
        found = {}
        for key, value in self._get(keys).items():
            part = _decode_part(value)
            if part is not None:
                found[key] = part
        return found

    def put_many(self, parts: Sequence[tuple[str, PartTurtle]]) -> None:
        """Store shares by key in one transaction: all of them or none."""
        self._put([
            (key, json.dumps([part.count, part.blocks, part.shared], ensure_ascii=False, separators=(",", ":")))
            for key, part in parts
        ])


def _decode_part(value: object) -> PartTurtle | None:
    """The share a row holds; None for a row that is not one (each block one subject's statements)."""
    if not isinstance(value, (str, bytes)):
        return None
    try:
        data = json.loads(value)
    except (ValueError, RecursionError):
        return None
    if not (isinstance(data, list) and len(data) == 3 and type(data[0]) is int):
        return None
    count, blocks, shared = data
    if not (isinstance(blocks, list) and isinstance(shared, list) and all(type(line) is str for line in shared)):
        return None
    for block in blocks:
        if not (
            type(block) is list and len(block) == 2 and type(block[0]) is str and type(block[1]) is str
            and block[1].endswith(" .\n") and block[1].count("\n") == block[1].count("\n\t") + 1
        ):
            return None
    return PartTurtle(tuple((key, text) for key, text in blocks), tuple(shared), count)


class _IngestRows(_RowFile):
    TABLE = "ingest"
    WITHOUT = "cleaning every record afresh"


class IngestCache:
    """What cleaning made of each record (``kg.ingest.Built``), kept for the next build (a ``BuiltMemo``).

    The file is read only if it exists, and written only by ``flush``: a build that
    ends before it has articles, or a strict build that skips an input, leaves none.
    It warns of nothing: the extraction cache beside it tells what stops either.
    A row that does not decode to a ``Built`` is a miss, as in the extraction cache.
    """

    def __init__(self, path: Path, fingerprint: str) -> None:
        self.path = path
        self.fingerprint = fingerprint
        self._rows: _IngestRows | None = None
        self._pending: list[tuple[str, str]] = []

    def _key(self, key: str) -> str:
        return hashlib.sha256(f"{self.fingerprint}|{key}".encode()).hexdigest()

    def get_many(self, keys: Sequence[str]) -> dict[str, Built]:
        if not self.path.exists():
            return {}
        self._rows = self._rows or _IngestRows(self.path)
        stored = self._rows._get([self._key(key) for key in keys])
        found = {}
        for key in keys:
            value = stored.get(self._key(key))
            built = _decode_built(value) if value is not None else None
            if built is not None:
                found[key] = built
        return found

    def put_many(self, built: Sequence[tuple[str, Built]]) -> None:
        self._pending.extend(
            (self._key(key), json.dumps(encode(item), ensure_ascii=False, separators=(",", ":"))) for key, item in built
        )

    def flush(self) -> None:
        """Write what was put since the last flush, in one transaction."""
        if self._pending:
            self._rows = self._rows or _IngestRows(self.path)
            self._rows._put(self._pending)
            self._pending = []

    def close(self) -> None:
        if self._rows is not None:
            self._rows.close()
            self._rows = None

    def __enter__(self) -> IngestCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _decode_built(value: object) -> Built | None:
    if not isinstance(value, (str, bytes)):
        return None
    try:
        built = decode(Built, json.loads(value))
    except (Undecodable, ValueError, RecursionError):
        return None
    return built if isinstance(built, Built) else None

"""Per-article extraction results, cached on disk so a rebuild redoes only what changed.

The key of an article's result is its content hash and date (relative dates
resolve against it) plus a fingerprint of everything extraction depends on:
the spaCy model and its version, the gazetteer's content and the extractor's
source code and lexicon. Change any of those and every result is invalid;
change anything else (resolution, graph writing, the CLI) and none is.
SQLite commits are atomic, so a build killed at any moment leaves a cache that
holds whole results only. A cache that is not a database (or a row that does
not unpickle) is a cache miss, never a failed build: the file is started afresh.
"""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import replace
from importlib.resources import files
from pathlib import Path

from kg.model import Article, Extraction

# Modules and data whose change changes what extraction produces.
EXTRACTOR_SOURCES: tuple[str, ...] = (
    "extract/__init__.py", "extract/actors.py", "extract/coref.py", "extract/entities.py", "extract/events.py",
    "extract/lexicon.py", "extract/qualifiers.py", "extract/relations.py", "extract/roles.py",
    "data/lexicon.json", "nlp.py", "model.py", "normalize.py", "gazetteer.py",
)
FORMAT = "1"  # bump when the stored layout changes


def extractor_fingerprint(model: str, model_version: str, gazetteer_fingerprint: str) -> str:
    """Digest of the model, the gazetteer and the extractor's code and lexicon."""
    digest = hashlib.sha256(f"{FORMAT}|{model}|{model_version}|{gazetteer_fingerprint}".encode())
    package = files("kg")
    for name in EXTRACTOR_SOURCES:
        digest.update(name.encode())
        digest.update(package.joinpath(name).read_bytes())
    return digest.hexdigest()


class ExtractionCache:
    """A SQLite file of pickled ``Extraction`` records keyed by article and extractor fingerprint."""

    def __init__(self, path: Path, fingerprint: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.fingerprint = fingerprint
        try:
            self._db = self._open(path)
        except sqlite3.DatabaseError:  # not a database (overwritten, truncated): it only held a cache
            for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                stale.unlink(missing_ok=True)
            self._db = self._open(path)

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE IF NOT EXISTS extraction (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
            db.execute("SELECT count(*) FROM extraction").fetchone()
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def key(self, article: Article) -> str:
        date = article.date.isoformat() if article.date else ""
        return hashlib.sha256(f"{self.fingerprint}|{article.content_hash}|{date}".encode()).hexdigest()

    def get_many(self, articles: Sequence[Article]) -> dict[str, Extraction]:
        """Cached results by article id, each carrying the article as read this time."""
        by_key = {self.key(a): a for a in articles}
        found: dict[str, Extraction] = {}
        keys = list(by_key)
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            rows = self._db.execute(
                f"SELECT key, value FROM extraction WHERE key IN ({','.join('?' * len(chunk))})", chunk
            )
            for key, value in rows:
                article = by_key[key]
                try:
                    cached = pickle.loads(value)
                except Exception:  # noqa: BLE001 -- a row from another version of kg: extract again
                    continue
                # Origin, title or outlet may differ for the same text; the result does not.
                found[article.id] = replace(cached, article=article)
        return found

    def put_many(self, extractions: Iterable[Extraction]) -> None:
        """Store results in one transaction: all of them or none."""
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO extraction (key, value) VALUES (?, ?)",
                ((self.key(e.article), pickle.dumps(e, protocol=pickle.HIGHEST_PROTOCOL)) for e in extractions),
            )

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> ExtractionCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

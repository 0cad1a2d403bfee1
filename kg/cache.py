"""Per-article extraction results, cached on disk so a rebuild redoes only what changed.

The key of an article's result is its content hash and date (relative dates
resolve against it) plus a fingerprint of everything extraction depends on:
the spaCy model and its version, the gazetteer's content, and the code and data
of the stages that make an extraction (kg.nlp, kg.extract, every module of kg they
import, and kg/data), found by reading the package as it is. Change any of those
and every result is invalid; change anything else (resolution, graph writing, the
CLI) and none is.

A result is stored as plain JSON data, written and read generically from the
dataclasses of ``kg.model`` and their type hints, and checked against them when
read: a row that does not decode to the right types is a cache miss, and no row
can run code (a cache file may come from anywhere). SQLite commits are atomic,
so a build killed at any moment leaves a cache that holds whole results only.

The cache never fails a build. A file that is not a database, has malformed
pages or a table of another layout only held a cache: it is started afresh. A
cache that cannot be used (locked by another process for longer than the
timeout, a full disk, a read-only folder) gets one warning, and the build goes
on without it.
"""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import functools
import hashlib
import importlib.metadata
import json
import re
import sqlite3
import sys
import types
import typing
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from kg.export import PartTurtle
from kg.ingest import Built
from kg.model import Article, Extraction

# The stages whose code makes an article's extraction; what they import is found by reading them,
# so a new module or word list counts from the start.
EXTRACTION_STAGES: tuple[str, ...] = ("nlp", "extract")
FORMAT = 2  # bump when the stored layout changes; kept in the file's user_version too
LOCK_TIMEOUT = 5.0  # seconds to wait for another process's write before going on without the cache

# The article is not stored: a hit carries the article as read this time.
_STORED = tuple((name, hint) for name, hint in typing.get_type_hints(Extraction).items() if name != "article")


def extractor_fingerprint(model: str, model_version: str, gazetteer_fingerprint: str) -> str:
    """Digest of the model, the gazetteer, the extraction's code and data, and the date parser it calls."""
    dateparser = importlib.metadata.version("dateparser")
    settings = f"{FORMAT}|{model}|{model_version}|{gazetteer_fingerprint}|dateparser {dateparser}"
    digest = hashlib.sha256(settings.encode())
    digest.update(code_fingerprint(Path(__file__).resolve().parent).encode())
    return digest.hexdigest()


def code_fingerprint(package: Path, stages: Sequence[str] = EXTRACTION_STAGES) -> str:
    """Digest of the files of ``extraction_sources``: their paths in the package and their bytes."""
    digest = hashlib.sha256()
    for path in extraction_sources(package, stages):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def extraction_sources(package: Path, stages: Sequence[str] = EXTRACTION_STAGES) -> list[Path]:
    """The modules of ``stages`` (modules or subpackages of ``package``), every module of the package
    they import, directly or not (read from their import statements, wherever in the code they are),
    and every file of ``package/data``; in path order."""
    todo = [path for stage in stages for path in _stage_files(package, stage)]
    found: set[Path] = set()
    while todo:
        path = todo.pop()
        if path in found:
            continue
        found.add(path)
        for module in _imported(path, package):
            todo.extend(_module_files(package, module))
    found.update(p for p in (package / "data").rglob("*") if p.is_file())
    return sorted(found, key=lambda p: p.relative_to(package).as_posix())


def _stage_files(package: Path, stage: str) -> list[Path]:
    folder = package / stage
    if folder.is_dir():
        return sorted(folder.rglob("*.py"))
    return _module_files(package, f"{package.name}.{stage}")


def _imported(path: Path, package: Path) -> Iterator[str]:
    """The dotted names a module imports, absolute; ``from a import b`` gives ``a`` and ``a.b`` (b may be a module)."""
    parts = path.relative_to(package.parent).with_suffix("").parts
    # The package a relative import starts from: the module's own, or itself for an __init__.py.
    current = parts[:-1]
    for node in ast.walk(_import_tree(path.read_bytes(), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            start = current[: len(current) - node.level + 1] if node.level else ()
            base = ".".join([*start, *([node.module] if node.module else [])])
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


# An import statement at the start of a line (after its indent), and one that is not: after a ";" or
# a ":" ("if x: import y"), even across a backslash. Words in strings may look like either.
_IMPORT_LINE = re.compile(rb"^[ \t]*(?:from[ \t]+[\w.]+[ \t]+)?import\b[^\n]*", re.MULTILINE)
_IMPORT_INLINE = re.compile(rb"[;:](?:[ \t]|\\\r?\n)*(?:from[ \t]+[\w.]+[ \t]+)?import\b")


def _import_tree(source: bytes, filename: str) -> ast.Module:
    """A module of the import statements of ``source``: every one there is (some words of strings too, at worst).

    Parsing only the lines that start an import costs a fraction of parsing the module
    (every build computes the fingerprint). A module with an import that does not start
    its line, or whose import lines do not parse alone, is parsed whole.
    """
    if not _IMPORT_INLINE.search(source):
        statements = []
        for match in _IMPORT_LINE.finditer(source):
            line = match.group().strip()
            if line.endswith((b"(", b"\\")) or (b"(" in line and b")" not in line):
                # A statement that goes on: to its closing parenthesis, or the next line.
                end = source.find(b")", match.start()) if b"(" in line else source.find(b"\n", match.end() + 1)
                if end < 0:
                    break
                line = b" ".join(source[match.start() : end + 1].split())
            statements.append(line)
        else:
            try:
                return ast.parse(b"\n".join(statements), filename=filename)
            except SyntaxError:
                pass
    return ast.parse(source, filename=filename)


def _module_files(package: Path, module: str) -> list[Path]:
    """The files that importing ``module`` runs, if it is in ``package``: its own and its parent packages'."""
    parts = module.split(".")
    if parts[0] != package.name:
        return []
    files = []
    for depth in range(1, len(parts) + 1):
        folder = package.joinpath(*parts[1:depth])
        if (folder / "__init__.py").is_file():
            files.append(folder / "__init__.py")
        elif depth == len(parts) and folder.with_suffix(".py").is_file():
            files.append(folder.with_suffix(".py"))
    return files


# ---------------------------------------------------------------- plain data


class Undecodable(ValueError):
    """Stored data that does not have the types the dataclass definitions say."""


def encode(value: object) -> Any:
    """A model record as JSON data: a dataclass as the list of its fields, a date as ISO text.

    >>> from kg.model import Mention
    >>> encode(Mention("a1", 0, 4, "Iraq", "Country", alias_of=(5, 9)))
    ['a1', 0, 4, 'Iraq', 'Country', None, [5, 9]]
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [encode(getattr(value, f.name)) for f in dataclasses.fields(value)]
    if isinstance(value, (tuple, list)):
        return [encode(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float)):
        return value
    raise TypeError(f"cannot store a {type(value).__name__} in the cache")


def decode(hint: Any, data: Any) -> Any:
    """The value of type ``hint`` that ``encode`` wrote as ``data``, checked all the way down.

    Raises:
        Undecodable: ``data`` is not what ``encode`` makes of a value of that type.

    >>> from kg.model import Mention
    >>> decode(Mention, ['a1', 0, 4, 'Iraq', 'Country', None, [5, 9]])
    Mention(article_id='a1', start=0, end=4, text='Iraq', label='Country', gazetteer_id=None, alias_of=(5, 9))
    >>> decode(Mention, ['a1', 0, '4', 'Iraq', 'Country', None, None])
    Traceback (most recent call last):
    kg.cache.Undecodable: expected int, found str
    """
    return _decoder(hint)(data)


@functools.cache
def _decoder(hint: Any) -> Callable[[Any], Any]:
    """A checking decoder for one type, made once from its hints (a warm rebuild decodes every result)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        cls = hint
        hints = typing.get_type_hints(cls)
        fields = [_decoder(hints[f.name]) for f in dataclasses.fields(cls)]
        count = len(fields)

        def record(data: Any) -> Any:
            if type(data) is not list or len(data) != count:
                raise Undecodable(f"expected the {count} fields of {cls.__name__}")
            # Positional: the fields in their order, as ``encode`` wrote them.
            return cls(*[field(item) for field, item in zip(fields, data, strict=True)])

        return record
    if origin in (typing.Union, types.UnionType) and type(None) in args:
        # An optional value: None is None, without trying the other types first (an exception each).
        rest = tuple(option for option in args if option is not type(None))
        value = _decoder(rest[0] if len(rest) == 1 else typing.Union[rest])  # noqa: UP007

        def optional(data: Any) -> Any:
            return None if data is None else value(data)

        return optional
    if origin in (typing.Union, types.UnionType):
        options = [_decoder(option) for option in args]

        def either(data: Any) -> Any:
            for option in options:
                try:
                    return option(data)
                except Undecodable:
                    continue
            raise Undecodable(f"expected {hint}, found {type(data).__name__}")

        return either
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item_decoder = _decoder(args[0])

        def items(data: Any) -> Any:
            if type(data) is not list:
                raise Undecodable(f"expected a list, found {type(data).__name__}")
            return tuple(map(item_decoder, data))

        return items
    if origin is tuple:
        parts = [_decoder(arg) for arg in args]

        def fixed(data: Any) -> Any:
            if type(data) is not list or len(data) != len(parts):
                raise Undecodable(f"expected a list of {len(parts)} items")
            return tuple(part(item) for part, item in zip(parts, data, strict=True))

        return fixed
    if hint is dt.date:

        def date(data: Any) -> Any:
            try:
                return dt.date.fromisoformat(data)
            except (TypeError, ValueError):
                raise Undecodable(f"expected an ISO date, found {str(data)[:20]!r}") from None

        return date
    if hint is float:

        def number(data: Any) -> Any:
            if type(data) not in (int, float):
                raise Undecodable(f"expected float, found {type(data).__name__}")
            return float(data)

        return number
    if hint in (type(None), str, int, bool):
        # JSON gives exactly these types: a bool is not an int here, nor an int a bool.
        expected = type(None) if hint is type(None) else hint

        def scalar(data: Any) -> Any:
            if type(data) is not expected:
                raise Undecodable(f"expected {expected.__name__}, found {type(data).__name__}")
            return data

        return scalar
    raise TypeError(f"the cache cannot store values of type {hint}")


def encode_row(extraction: Extraction) -> str:
    """A result as the JSON text of a cache row (without its article)."""
    return json.dumps([encode(getattr(extraction, name)) for name, _ in _STORED], separators=(",", ":"))


def decode_row(value: object, article: Article) -> Extraction | None:
    """The result a cache row holds, carrying ``article``; None for a row that is not one."""
    if not isinstance(value, (str, bytes)):
        return None
    try:
        data = json.loads(value)
        if not isinstance(data, list) or len(data) != len(_STORED):
            return None
        fields = {name: decode(hint, item) for (name, hint), item in zip(_STORED, data, strict=True)}
        return Extraction(article, **fields)
    except (Undecodable, ValueError, RecursionError):  # JSON errors are ValueErrors
        return None


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


class ExtractionCache(_RowFile):
    """A SQLite file of ``Extraction`` records keyed by article and extractor fingerprint."""

    def __init__(
        self,
        path: Path,
        fingerprint: str,
        on_warning: Callable[[str], None] | None = None,
        timeout: float = LOCK_TIMEOUT,
    ) -> None:
        self.fingerprint = fingerprint
        super().__init__(path, on_warning, timeout)

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


def turtle_fingerprint() -> str:
    """Digest of what turns an article's extraction and resolution into its Turtle: the code of
    kg.graph and kg.export and every module of kg they import, and pyoxigraph's version."""
    oxigraph = importlib.metadata.version("pyoxigraph")
    digest = hashlib.sha256(f"{FORMAT}|pyoxigraph {oxigraph}".encode())
    digest.update(code_fingerprint(Path(__file__).resolve().parent, ("graph", "export")).encode())
    return digest.hexdigest()


class TurtleCache(_RowFile):
    """A SQLite file of each article's share of graph.ttl (``kg.export.PartTurtle``).

    A share (``kg.graph.article_content``) is keyed by everything it is made from:
    the article's extraction (by its key in the extraction cache, which names the
    text and date), the entity and label each of its spans resolved to, and
    ``turtle_fingerprint``. A row that is not a share
    is a cache miss; what a row may hold is checked as an extraction row is: text
    that cuts into the blocks of subjects it names, never code.
    """

    TABLE = "turtle"
    WITHOUT = "writing graph.ttl without it"

    def __init__(
        self,
        path: Path,
        fingerprint: str,
        on_warning: Callable[[str], None] | None = None,
        timeout: float = LOCK_TIMEOUT,
    ) -> None:
        self.fingerprint = fingerprint
        super().__init__(path, on_warning, timeout)

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


def ingest_fingerprint() -> str:
    """Digest of what cleans a record into articles: kg.ingest and every module of kg it imports, kg/data,
    and the Unicode tables of this Python (normalisation, categories, case folding)."""
    digest = hashlib.sha256(f"{FORMAT}|{sys.version_info[:2]}|unicode {unicodedata.unidata_version}".encode())
    digest.update(code_fingerprint(Path(__file__).resolve().parent, ("ingest",)).encode())
    return digest.hexdigest()


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

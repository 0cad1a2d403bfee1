"""Files, folders, JSON and JSON Lines in; cleaned ``Article`` records out.

The cleaned text is final here: every character offset the graph records
refers to it, so nothing downstream may rewrite it. Bad input is reported
through ``on_error`` and reading goes on with the next file or line; what a
user should know about input that was still read (the encoding it was decoded
from, a date dropped as impossible, copies merged, files a folder holds that
are not articles) is reported through ``on_notice``.

Limits keep memory and time bounded whatever arrives: a text, HTML or JSON file,
or one JSON Lines record, is read only up to ``MAX_RECORD_BYTES``; JSON Lines
files are streamed line by line; an article longer than ``MAX_ARTICLE_CHARS``
characters or ``MAX_ARTICLE_TOKENS`` tokens (the model needs about 17 KB of
memory per token of one text) is split into parts at paragraph, then sentence,
then word boundaries. Every step is linear in the size of its input.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import html
import io
import json
import os
import re
import unicodedata
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO, Protocol

import trafilatura
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from kg.boilerplate import repeated_lines, strip_boilerplate
from kg.encodings import BOMS, NotText, binary, decode, detect, encoding_name
from kg.errors import InputError, one_line
from kg.folders import article_files
from kg.model import Article, Publication

MAX_RECORD_BYTES = 10 * 1024 * 1024  # one text, HTML or JSON file, or one JSON Lines record
MAX_ARTICLE_CHARS = 100_000  # one article as the model sees it; longer ones are split into parts
# The model's memory grows with tokens (about 17 KB each), not characters: 100,000 characters of
# prose are about 20,000 tokens, but of short lines or punctuation up to 100,000.
MAX_ARTICLE_TOKENS = 25_000
MAX_BAD_LINES = 100  # a JSON Lines file with more bad lines than this is not read further
_MAX_TITLE_IN_PART = 300  # each part of a split article starts with the title, if it is no longer

TEXT_SUFFIXES = frozenset({".txt", ".md", ""})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
JSON_SUFFIXES = frozenset({".json"})
ARTICLE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | JSON_SUFFIXES

# Canonical outlet name -> other ways pages write it. A short line near the top
# that is one of these is the article's source, not part of the article.
OUTLETS: dict[str, tuple[str, ...]] = {
    "Agence France-Presse": ("AFP", "Agence France Presse", "France-Presse"),
    "Associated Press": ("AP", "The Associated Press"),
    "Reuters": ("Thomson Reuters",),
    "Rudaw": ("Rudaw English", "Rudaw Media Network"),
    "Kurdistan24": ("Kurdistan 24", "K24"),
    "Shafaq News": ("Shafaq",),
    "Al Jazeera": ("Al Jazeera English", "Aljazeera"),
    "Al Arabiya": ("Al Arabiya English",),
    "Al-Monitor": ("Al Monitor",),
    "Asharq Al-Awsat": ("Asharq Al Awsat",),
    "The National": (),
    "The New Arab": (),
    "Middle East Eye": (),
    "Iraqi News Agency": ("INA",),
    "Anadolu Agency": ("Anadolu",),
    "Xinhua": ("Xinhua News Agency",),
    "Deutsche Presse-Agentur": ("dpa",),
    "Agenzia Nova": (),
    "BBC News": ("BBC",),
    "Voice of America": ("VOA",),
    "France 24": ("France24",),
    "Deutsche Welle": ("DW",),
    "Bloomberg": (),
    "CNN": (),
}

_NUMERIC_ENTITY = re.compile(r"(?<!&)#(?:[xX]([0-9a-fA-F]{2,6})|(\d{2,7}));")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\ufeff\u00ad"), None)
# Control characters (C0 and C1, but the line feed) and the noncharacters U+FFFE and U+FFFF carry
# nothing in an article, and RDF and XML tools reject some of them: each becomes a space.
_CLEAN = _INVISIBLE | dict.fromkeys([*range(0x00, 0x0A), *range(0x0B, 0x20), *range(0x7F, 0xA0), 0xFFFE, 0xFFFF], " ")
_TO_CLEAN = re.compile(f"[{re.escape(''.join(map(chr, _CLEAN)))}]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_URL = re.compile(r"https?://[^\s<>\"{}|\\^`]+", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’»)\]]*$")
_MD_HEADING = re.compile(r"^#{1,6}\s+", re.MULTILINE)
_METADATA_WINDOW = 8
_DATELINE_WINDOW = 4

_MONTHS = {
    name: number
    for number, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\.?,?\s+)?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_TIME = (
    r"(?:\s*(?:[-–|,@]|at)?\s*\d{1,2}[:.h]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?"
    r"(?:\s*\(?(?:gmt|utc|ast|est|edt|cet|cest|bst)?\s*(?:[+-]\s*\d{1,2}(?::?\d{2})?)?\)?)?)?"
)
_DATE_FORMATS = [
    re.compile(p + _TIME, re.IGNORECASE)
    for p in (
        _WEEKDAY + _MONTH + r"\s+" + _DAY + r"(?:,\s*|\s+)" + _YEAR,
        _WEEKDAY + _DAY + r"\s+(?:of\s+)?" + _MONTH + r",?\s+" + _YEAR,
        r"(?P<year>\d{4})-(?P<m>\d{1,2})-(?P<day>\d{1,2})"
        r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?",
        r"(?P<year>\d{4})/(?P<m>\d{1,2})/(?P<day>\d{1,2})",
        r"(?P<year>(?:19|20)\d{2})(?P<m>\d{2})(?P<day>\d{2})(?:T\d{2}:?\d{2}(?::?\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?",
        _WEEKDAY + r"(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.]" + _YEAR,
    )
]
_TIME_ONLY = re.compile(r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*(?:gmt|utc))?", re.IGNORECASE)
_DATE_LABEL = re.compile(
    r"^(?:(?:first\s+)?published|posted|updated|last\s+updated|modified|date|dated|(?:publication|publish)\s+date)"
    r"(?:\s+(?:on|at))?\s*[:\-–]?\s*",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^by\s+(?P<who>\S.*)$", re.IGNORECASE)
# The date of a dateline: "Jan 5", "March 3, 2024", "15 January".
_MONTH_NAME = r"(?i:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATELINE_DAY = (
    r"(?:" + _MONTH_NAME + r"\s+\d{1,2}(?:st|nd|rd|th)?|\d{1,2}(?:st|nd|rd|th)?\s+" + _MONTH_NAME + r")"
    r"(?:,?\s+(?:19|20)\d{2}|,\s*(?:19|20)\d{2})?"
)
_DATELINE = re.compile(
    r"^(?:(?P<place>[A-Z][A-Za-z'’.-]*(?:\s+[A-Za-z][A-Za-z'’.-]*){0,3})"
    r"(?:,\s*[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})?"  # region: "Kurdistan Region", "Iraq"
    r"(?:,\s*(?P<when>" + _DATELINE_DAY + r"))?"  # Reuters: "WASHINGTON, Jan 5 (Reuters) -"
    r"|(?P<alone>" + _DATELINE_DAY + r")(?=\s*\())"  # AP: "Feb 7 (AP) -", only with the agency
    r"\s*(?:\((?P<agency>[^()]{2,40})\))?"
    r"\s*(?:--|[-–—:])\s+[A-Z0-9“\"‘']",  # a sentence starts after the dash, not "ISIS - the group"
)
_MONTH_DAY = re.compile(
    r"(?:(?P<mon>" + _MONTH_NAME + r")\s+(?P<day>\d{1,2})|(?P<day2>\d{1,2})\s+(?P<mon2>" + _MONTH_NAME + r"))"
    r"(?:st|nd|rd|th)?"
)


_PARTIAL_DATE_FORMATS = [
    re.compile(r"(?P<year>\d{4})(?:[-/.](?P<m>\d{1,2}))?"),  # "2024-02", "2024"
    re.compile(r"(?P<m>\d{1,2})[-/.](?P<year>\d{4})"),  # "02/2024"
    re.compile(_MONTH + r",?\s+" + _YEAR, re.IGNORECASE),  # "February 2024"
]
# Tokens about as spaCy's tokenizer cuts them (a little more, never fewer): words, each
# punctuation mark, each line break.
_TOKEN = re.compile(r"\w+|[^\w\s]|\s*\n\s*")


@dataclass(frozen=True, slots=True)
class InputNotice:
    """Something to tell about an input that was read all the same; not an error.

    ``str(notice)`` is one printable line: "FILE[:LINE]: message".
    """

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return one_line(f"{where}: {self.message}")


Notify = Callable[[InputNotice], None]
OnError = Callable[[InputError], None]


class ImpossibleDate(ValueError):
    """A date written in a known format that no calendar has: "2024-02-31", "2024-13-45"."""


@dataclass(frozen=True, slots=True)
class Metadata:
    """What the top of an article says about it rather than in it."""

    date: dt.date | None = None
    source: str | None = None
    dateline: str | None = None
    # The dateline's date as written ("Jan 15", "March 3, 2024"), read when no metadata line gives a date.
    dateline_date: str | None = None


@dataclass(frozen=True, slots=True)
class _Record:
    """An article as read from its container, before cleaning."""

    path: str
    line: int | None
    paragraphs: tuple[str, ...]
    title: str | None = None
    date: dt.date | None = None
    partial_date: str | None = None
    source: str | None = None
    url: str | None = None
    needs_body: bool = False

    @property
    def origin(self) -> str:
        return self.path if self.line is None else f"{self.path}:{self.line}"


@dataclass(frozen=True, slots=True)
class Built:
    """What cleaning made of one record: its articles (one, or the parts of a long one), or the error
    that refused it; the notices it gave and the paragraphs it dropped, by kind."""

    articles: tuple[Article, ...]
    notices: tuple[InputNotice, ...]
    dropped: tuple[tuple[str, int], ...]
    error: tuple[str, str, int | None] | None = None  # the InputError's path, problem and line


class BuiltMemo(Protocol):
    """Where a build keeps what cleaning made of each record, for the next build (``kg.cache.IngestCache``)."""

    def get_many(self, keys: Sequence[str]) -> Mapping[str, Built]: ...

    def put_many(self, built: Sequence[tuple[str, Built]]) -> None: ...


def iter_articles(
    paths: Iterable[Path],
    on_error: OnError,
    on_notice: Notify | None = None,
    dropped: Counter[str] | None = None,
    memo: BuiltMemo | None = None,
) -> Iterator[Article]:
    """Articles from files and folders, each cleaned text yielded once.

    Every input is read before the first article is yielded: lines that many
    articles share are a site's furniture whichever way the files were given,
    and copies of one text (syndicated by several outlets) become one article
    that keeps every copy as a ``Publication``.

    Args:
        paths: files or folders; folders are read recursively in sorted order,
            skipping hidden entries and kg's own outputs, stores and caches.
        on_error: called with an ``InputError`` for each unreadable file or record;
            reading continues after it.
        on_notice: called with an ``InputNotice`` for what was read but should be
            known: the encoding of a file that is not UTF-8, a dropped date, merged
            copies, split articles, files of a folder that were not read.
        dropped: if given, receives the number of paragraphs removed as boilerplate
            or metadata, by kind ("link list", "site furniture", "metadata line"...).
        memo: if given, what cleaning made of a record in an earlier build, under
            its ``record_key``, is taken from it (notices and errors told again), and what
            it makes now is put there.
    """
    notice = on_notice or _ignore
    records = list(_read_all(paths, on_error, notice))
    site_lines = repeated_lines(record.paragraphs for record in records)
    if memo is not None:
        site = hashlib.sha256(json.dumps(sorted(site_lines), ensure_ascii=False).encode("utf-8", "surrogatepass"))
        keys = [record_key(record, site.hexdigest()) for record in records]
    else:
        keys = []
    known = memo.get_many(keys) if memo is not None else {}
    made: list[tuple[str, Built]] = []
    articles: dict[str, Article] = {}
    copies: defaultdict[str, list[Publication]] = defaultdict(list)
    records.reverse()  # popped from the end: each record is let go once built
    keys.reverse()
    while records:
        record = records.pop()
        key = keys.pop() if keys else None
        built = known.get(key) if key is not None else None
        if built is None:
            built = _built(record, site_lines)
            if key is not None:
                made.append((key, built))
        for told in built.notices:
            notice(told)
        if built.error is not None:
            on_error(InputError(*built.error))
            continue
        if dropped is not None:
            dropped.update(dict(built.dropped))
        for number, article in enumerate(built.articles, start=1):
            first = articles.setdefault(article.content_hash, article)
            if first is not article:
                copies[article.content_hash].append(_publication(article))
                part = f"part {number} of {len(built.articles)}: " if len(built.articles) > 1 else ""
                notice(InputNotice(record.path, f"{part}same text as {first.origin}: merged into that article, "
                                   "this copy kept as another publication", record.line))
    if memo is not None:
        memo.put_many(made)
    for digest, article in articles.items():
        yield replace(article, publications=tuple(copies[digest])) if digest in copies else article


def record_key(record: _Record, site: str) -> str:
    """A digest of all that cleaning a record depends on: the record, and ``site``, the digest of the lines
    many articles share (the code that cleans is the memo's business)."""
    fields = [getattr(record, name) for name in record.__slots__]
    data = json.dumps([fields, site], default=str, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()


def _built(record: _Record, site_lines: frozenset[str]) -> Built:
    told: list[InputNotice] = []
    counts: Counter[str] = Counter()
    try:
        articles = _build(record, site_lines, counts, told.append)
    except InputError as error:
        return Built((), tuple(told), (), (error.path, error.problem, error.line))
    return Built(tuple(articles), tuple(told), tuple(counts.items()))


def _publication(article: Article) -> Publication:
    return Publication(article.origin, article.source, article.url, article.date, article.partial_date)


def _ignore(_: object) -> None:
    """A callback that drops what it is given."""


def _read_all(paths: Iterable[Path], on_error: OnError, notice: Notify) -> Iterator[_Record]:
    """The records of every input, each file read once however often it is named."""
    seen: dict[str, str] = {}
    for path in map(Path, paths):
        if path.is_dir():
            files: Iterable[Path] = _folder_files(path, on_error, notice)
        elif path.exists():
            files = [path]
        else:
            on_error(InputError(display_path(path), "expected a file or folder, found nothing at this path"))
            continue
        for file in files:
            key = os.path.realpath(file)
            if key in seen:
                notice(InputNotice(display_path(file), f"same file as {seen[key]}: read once"))
                continue
            seen[key] = display_path(file)
            yield from _records(file, on_error, notice)


def _folder_files(folder: Path, on_error: OnError, notice: Notify) -> Iterator[Path]:
    for item in article_files(folder, ARTICLE_SUFFIXES):
        if isinstance(item, Path):
            yield item
        elif item.unreadable:
            on_error(InputError(display_path(item.path), item.reason))
        else:
            notice(InputNotice(display_path(item.path), item.reason))


def normalize_text(text: str) -> str:
    """Entities decoded, NFC, invisible and control characters dropped, white space collapsed within lines.

    >>> normalize_text("allied to #x27;Iran &amp; Syria\\u00a0 ")
    "allied to 'Iran & Syria"
    >>> normalize_text("a\\x00b\\x1b[31m c\\u2028d")
    'a b [31m c\\nd'
    """
    # Entities first: "&#13;" and "&#x2028;" are line breaks too.
    text = unicodedata.normalize("NFC", decode_entities(text))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    if _TO_CLEAN.search(text):  # str.translate is slow, and most texts have nothing to clean
        text = text.translate(_CLEAN)
    return "\n".join(" ".join(line.split()) for line in text.split("\n"))


def display_path(path: Path | str) -> str:
    r"""A path as one printable line: undecodable bytes as ``\xNN``, control characters escaped.

    >>> print(display_path(os.fsdecode(b"in/a\nb\xff.txt")))
    in/a\nb\xff.txt
    """
    return one_line(os.fsencode(path).decode("utf-8", "backslashreplace"))


def decode_entities(text: str) -> str:
    """HTML entities decoded, including numeric ones that lost their ``&`` ("#x27;", "#039;").

    >>> decode_entities("Iraq&#8217;s &amp;#39;war&amp;#39; #039;ally#039; #2024;")
    "Iraq’s 'war' 'ally' #2024;"
    """
    for _ in range(2):  # pages are often escaped twice ("&amp;#39;")
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    return _NUMERIC_ENTITY.sub(_numeric_entity, text)


def _numeric_entity(match: re.Match[str]) -> str:
    hex_digits, digits = match.groups()
    code = int(hex_digits, 16) if hex_digits else int(digits)
    char = chr(code) if code <= 0x10FFFF else ""
    # Only punctuation is decoded: "#2024;" is more likely a hashtag than a letter.
    if char and unicodedata.category(char)[0] in "PSZ":
        return char
    return match.group(0)


def parse_date(text: str) -> dt.date | None:
    """A full date written on its own, in the formats news pages use; day first when ambiguous.

    >>> parse_date("14-02-2024"), parse_date("Sun. Mar 3rd, 2024"), parse_date("2024-01-04T09:30:00Z")
    (datetime.date(2024, 2, 14), datetime.date(2024, 3, 3), datetime.date(2024, 1, 4))
    >>> parse_date("4 January 2024"), parse_date("02/14/2024"), parse_date("said on January 4, 2024")
    (datetime.date(2024, 1, 4), datetime.date(2024, 2, 14), None)
    >>> parse_date("2024-02-31"), parse_date("2024-02")
    (None, None)
    """
    try:
        value = read_date(text)
    except ImpossibleDate:
        return None
    return value if isinstance(value, dt.date) else None


def read_date(text: str) -> dt.date | str | None:
    """A date written on its own: a full date, the ISO year-month or year of a partial one, or None.

    A partial date keeps its precision; a day is never made up.

    Raises:
        ImpossibleDate: the text is written as a date, but no such day or month exists.

    >>> read_date("2024-02-14T10:00:00Z"), read_date("2024-02"), read_date("February 2024"), read_date("2024")
    (datetime.date(2024, 2, 14), '2024-02', '2024-02', '2024')
    >>> read_date("last week") is None
    True
    >>> read_date("2024-02-31")
    Traceback (most recent call last):
    kg.ingest.ImpossibleDate: 2024-02-31
    """
    text = text.strip().rstrip(".,;")
    for pattern in _DATE_FORMATS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        parts = match.groupdict()
        day, year = parts.get("day"), int(parts["year"])
        if parts.get("mon"):
            month = _MONTHS[parts["mon"].casefold()]
        elif parts.get("m"):
            month = int(parts["m"])
        else:
            first, second = int(parts["a"]), int(parts["b"])
            # Day-first unless the second number cannot be a month (US "02/14/2024").
            day, month = (str(second), first) if second > 12 else (str(first), second)
        try:
            return dt.date(year, month, int(day or 0))
        except ValueError:
            raise ImpossibleDate(text) from None
    for pattern in _PARTIAL_DATE_FORMATS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        parts = match.groupdict()
        year = int(parts["year"])
        if parts.get("mon"):
            known: int | None = _MONTHS[parts["mon"].casefold()]
        else:
            known = int(parts["m"]) if parts.get("m") else None
        if not 1 <= year <= 9999 or (known is not None and not 1 <= known <= 12):
            raise ImpossibleDate(text)
        return f"{year:04d}" if known is None else f"{year:04d}-{known:02d}"
    return None


def _shown(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _field_date(name: str, line: int | None, raw: str | None, notice: Notify) -> tuple[dt.date | None, str | None]:
    """(full date, partial date) of a record's date field; a date that cannot be used is dropped with a notice."""
    if raw is None or not raw.strip():
        return None, None
    try:
        value = read_date(raw)
    except ImpossibleDate:
        notice(InputNotice(name, f"dropped impossible date {_shown(raw)}", line))
        return None, None
    if value is None:
        notice(InputNotice(name, f"dropped unreadable date {_shown(raw)}", line))
        return None, None
    return (value, None) if isinstance(value, dt.date) else (None, value)


def outlet_name(text: str) -> str | None:
    """The canonical name of a known news outlet, or None.

    >>> outlet_name("AFP"), outlet_name("agence france presse"), outlet_name("Baghdad")
    ('Agence France-Presse', 'Agence France-Presse', None)
    """
    return _OUTLET_KEYS.get(_outlet_key(text))


def _outlet_key(text: str) -> str:
    key = " ".join(text.casefold().replace("-", " ").strip(" ()[].,:;©").split())
    return key.removeprefix("the ")


_OUTLET_KEYS = {_outlet_key(alias): name for name, aliases in OUTLETS.items() for alias in (name, *aliases)}


def extract_metadata(lines: Sequence[str]) -> tuple[Metadata, list[str]]:
    """Publication date, source and dateline of an article, and its lines without the metadata lines.

    Date and source come from whole lines near the top (a date inside a
    sentence is not the publication date), or from a labelled date that starts
    one of them ("date 2025-07-09 TEHRAN - ..."); those lines or words are
    removed. The dateline ("ERBIL, Kurdistan Region - ...", "DUBAI, Jan 15
    (Reuters) -") stays in the text; its date is kept as written for when no
    metadata line gives one.
    """
    date: dt.date | None = None
    source: str | None = None
    kept: list[str] = []
    for i, line in enumerate(lines):
        found = _metadata_line(line) if i < _METADATA_WINDOW else None
        if found is not None:
            date, source = date or found[0], source or found[1]
            continue
        prefix = _date_prefix(line) if i < _METADATA_WINDOW else None
        if prefix is not None:
            date, line = date or prefix[0], prefix[1]
        kept.append(line)
    dateline, agency, when = _dateline(kept[:_DATELINE_WINDOW])
    if source is None and agency:
        source = outlet_name(agency)
    return Metadata(date=date, source=source, dateline=dateline, dateline_date=None if date else when), kept


def _metadata_line(line: str) -> tuple[dt.date | None, str | None] | None:
    """(date, source) if the whole line is metadata, else None."""
    parts = [part.strip() for part in re.split(r"\s+[|•·]\s+|\s*\|\s*", line) if part.strip()]
    if not parts or len(parts) > 4:
        return None
    date: dt.date | None = None
    source: str | None = None
    for part in parts:
        bare = _DATE_LABEL.sub("", part)
        if (found_date := parse_date(bare)) is not None:
            date = date or found_date
        elif (outlet := outlet_name(bare)) is not None:
            source = source or outlet
        elif (byline := _byline(part)) is not None:
            source = source or byline or None
        elif bare and not _TIME_ONLY.fullmatch(bare):
            return None
    return date, source


def _byline(part: str) -> str | None:
    """The outlet named by a "By ..." byline, "" for a byline naming only people, None otherwise."""
    match = _BYLINE.match(part)
    if match is None:
        return None
    names = [n.strip() for n in re.split(r",|\band\b|/|\s[-–—]\s", match.group("who")) if n.strip()]
    for name in names:
        if (outlet := outlet_name(name)) is not None:
            return outlet
    words = " ".join(names).split()
    # Only capitalised names: "By the numbers" is a subhead, "By admin" a CMS account.
    if 0 < len(words) <= 6 and all(w[:1].isupper() for w in words):
        return ""
    return None


def _date_prefix(line: str) -> tuple[dt.date, str] | None:
    """(date, rest of the line) of a line that starts with a labelled full date: "date 2025-07-09 TEHRAN -"."""
    label = _DATE_LABEL.match(line)
    if label is None:
        return None
    rest = line[label.end():]
    for pattern in _DATE_FORMATS:
        match = pattern.match(rest)
        if match is None:
            continue
        written = match.group(0).rstrip()
        after = rest[len(written):]
        date = parse_date(written)
        if date is not None and after[:1].isspace() and after.strip():
            return date, after.strip()
    return None


def _dateline(lines: Sequence[str]) -> tuple[str | None, str | None, str | None]:
    """(place, agency, date as written) of the first dateline among ``lines``."""
    for line in lines:
        match = _DATELINE.match(line)
        if match is None:
            continue
        place, agency, alone = match.group("place"), match.group("agency"), match.group("alone")
        if alone is not None:
            if agency and outlet_name(agency):
                return None, agency, alone
            continue
        letters = [c for c in place if c.isalpha()]
        if agency or (len(letters) >= 3 and place.isupper()):
            return (place.title() if place.isupper() else place), agency, match.group("when")
    return None, None, None


def _dateline_day(written: str, partial: str | None) -> dt.date | None:
    """The full date a dateline writes, its year taken from the publication's partial date when it gives none.

    None when no year is known, or when the date falls outside the partial date
    ("2024-02" and "Jan 31"): the page's own date comes first.

    Raises:
        ImpossibleDate: no such day ("Feb 30", or "Feb 29" in a common year).

    >>> _dateline_day("March 3, 2024", None), _dateline_day("Jan 15", "2024"), _dateline_day("Jan 15", None)
    (datetime.date(2024, 3, 3), datetime.date(2024, 1, 15), None)
    """
    value = read_date(written)
    if not isinstance(value, dt.date):
        match = _MONTH_DAY.fullmatch(written.strip())
        if match is None or partial is None:
            return None
        month = _MONTHS[(match.group("mon") or match.group("mon2")).rstrip(".").casefold()]
        try:
            value = dt.date(int(partial[:4]), month, int(match.group("day") or match.group("day2")))
        except ValueError:
            raise ImpossibleDate(written) from None
    return value if partial is None or value.isoformat().startswith(partial) else None


def _records(path: Path, on_error: OnError, notice: Notify) -> Iterator[_Record]:
    name = display_path(path)
    try:
        if not path.is_file():
            raise InputError(name, "expected a regular file, found a device, pipe or socket")
        suffix = path.suffix.lower()
        if suffix in JSONL_SUFFIXES:
            yield from _jsonl_records(name, path, on_error, notice)
            return
        raw = _read_bounded(name, path)
        if suffix in HTML_SUFFIXES:
            yield _html_record(name, _decode(name, raw, notice, html=True), notice)
        elif suffix in JSON_SUFFIXES:
            yield from _json_records(name, _decode(name, raw, notice), on_error, notice)
        else:
            text = _decode(name, raw, notice)
            if suffix == ".md":
                text = _MD_HEADING.sub("", text)
            yield _Record(name, None, _paragraphs(normalize_text(text)))
    except InputError as error:
        on_error(error)
    except OSError as error:
        on_error(InputError(name, f"expected a readable file, found an error: {error.strerror or error}"))


def _read_bounded(name: str, path: Path) -> bytes:
    """The bytes of a one-article file, refused unread beyond ``MAX_RECORD_BYTES``."""
    with path.open("rb") as handle:
        raw = handle.read(MAX_RECORD_BYTES + 1)
    if len(raw) > MAX_RECORD_BYTES:
        size = max(len(raw), path.stat().st_size)
        raise InputError(
            name,
            f"expected an article file of at most {_megabytes(MAX_RECORD_BYTES)}, found {_megabytes(size)}; "
            "give one article per file, or one per line of a JSON Lines file",
        )
    return raw


def _megabytes(size: int) -> str:
    return f"{size / 2**20:.1f} MB"


# --- decoding -------------------------------------------------------------------------------------


def _decode(name: str, raw: bytes, notice: Notify, html: bool = False) -> str:
    """The text of a file's bytes (see kg.encodings); any encoding but UTF-8 is told through ``notice``."""
    try:
        text, how = decode(raw, html)
    except NotText as error:
        raise InputError(name, str(error)) from None
    if how is not None:
        notice(InputNotice(name, f"decoded as {how}"))
    if not text.strip():
        raise InputError(name, "expected article text, found an empty file" if not raw else
                         "expected article text, found only white space")
    return text


# --- plain text -----------------------------------------------------------------------------------


def _paragraphs(text: str) -> tuple[str, ...]:
    """Paragraphs of normalised text: one per line, hard-wrapped sentences joined back (linear time)."""
    paragraphs: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        current: list[str] = []
        for line in block.split("\n"):
            line = line.strip()
            if not line:
                continue
            # A line starting lowercase after one that did not end a sentence is its continuation.
            if current and line[0].islower() and not _SENTENCE_END.search(current[-1]):
                current.append(line)
                continue
            if current:
                paragraphs.append(" ".join(current))
            current = [line]
        if current:
            paragraphs.append(" ".join(current))
    return tuple(paragraphs)


# --- HTML -----------------------------------------------------------------------------------------

# Where pages state their publication date, best first (compared lowercased).
_DATE_META = (
    "article:published_time", "og:published_time", "og:article:published_time", "datepublished",
    "article.published", "publish-date", "publish_date", "publishdate", "pubdate", "publication_date",
    "sailthru.date", "parsely-pub-date", "dc.date.issued", "dcterms.issued", "citation_publication_date",
    "dc.date", "dcterms.date", "date", "dcterms.created", "dc.date.created",
)
_MAX_JSON_LD = 1 << 20


def _html_record(name: str, page: str, notice: Notify) -> _Record:
    try:
        tree = load_html(page)
        if tree is None:
            raise ValueError("no document")
        # Read before trafilatura, which prunes the tree it is given.
        stated = list(dict.fromkeys(_stated_dates(tree)))
        document = trafilatura.bare_extraction(
            tree,
            include_comments=False,
            include_tables=False,
            with_metadata=True,
            # Only the page's own metadata: a date guessed from the body is not the publication date.
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as error:  # noqa: BLE001 -- lxml and trafilatura raise many types on hostile pages
        raise InputError(
            name, f"expected an HTML page, found one that cannot be parsed ({type(error).__name__})"
        ) from None
    body = getattr(document, "text", None) if document is not None else None
    if not body or not body.strip():
        raise InputError(name, "expected an HTML page with article text, found none that trafilatura could extract")
    title = getattr(document, "title", None)
    sitename = getattr(document, "sitename", None)
    date, partial = _page_date(name, stated, getattr(document, "date", None), page, notice)
    return _Record(
        name,
        None,
        _paragraphs(normalize_text(body)),
        title=_one_line(title),
        date=date,
        partial_date=partial,
        source=(outlet_name(sitename) or sitename.strip()) if sitename else None,
        url=_clean_url(getattr(document, "url", None)),
        needs_body=True,
    )


def _stated_dates(tree: HtmlElement) -> Iterator[str]:
    """The publication dates a page states in its metadata, as written, best first."""
    metas: list[tuple[int, str]] = []
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = meta.get("content")
        if content and key in _DATE_META:
            metas.append((_DATE_META.index(key), content))
    yield from (content for _, content in sorted(metas, key=lambda kv: kv[0]))
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() == "application/ld+json" and script.text:
            yield from _json_ld_dates(script.text[:_MAX_JSON_LD])
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        if element.get("itemprop") == "datePublished" or (element.tag == "time" and element.get("pubdate") is not None):
            value = element.get("datetime") or element.get("content") or element.text_content()
            if value:
                yield value


def _json_ld_dates(text: str) -> Iterator[str]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return
    queue: deque[Any] = deque([data])
    visited = 0
    while queue and visited < 10_000:  # breadth first: the article's own date before nested ones
        item = queue.popleft()
        visited += 1
        if isinstance(item, dict):
            value = item.get("datePublished")
            if isinstance(value, str):
                yield value
            queue.extend(v for v in item.values() if isinstance(v, (dict, list)))
        elif isinstance(item, list):
            queue.extend(v for v in item if isinstance(v, (dict, list)))


def _page_date(name: str, stated: list[str], guessed: str | None, page: str, notice: Notify
               ) -> tuple[dt.date | None, str | None]:
    """(full date, partial date) of a page: the first date its metadata states that exists.

    A stated date keeps its precision ("2024-02"); an impossible one ("2024-02-31")
    is dropped with a notice. htmldate's guess is used only when the page states
    nothing readable, and only when the page writes that very day: htmldate
    completes partial and impossible dates with a day of its own.
    """
    impossible = False
    for raw in stated:
        try:
            value = read_date(raw)
        except ImpossibleDate:
            notice(InputNotice(name, f"dropped impossible date {_shown(raw)} (the page's metadata)"))
            impossible = True
            continue
        if isinstance(value, dt.date):
            return value, None
        if value is not None:
            return None, value
    if not impossible and guessed:
        try:
            day = dt.date.fromisoformat(guessed)
        except ValueError:
            day = None
        if day is not None and _writes_day(page, day):
            return day, None
    for raw in stated if not impossible else ():
        if raw.strip():
            notice(InputNotice(name, f"dropped unreadable date {_shown(raw)} (the page's metadata)"))
    return None, None


def _writes_day(page: str, day: dt.date) -> bool:
    """True if the page writes this day as a full date, in digits or with the month's name."""
    y, m, d = day.year, day.month, day.day
    names = "|".join(n for n, number in _MONTHS.items() if number == m)
    pattern = re.compile(
        rf"(?<!\d){y}[-/.]0?{m}[-/.]0?{d}(?!\d)|(?<!\d)0?{d}[-/.]0?{m}[-/.]{y}(?!\d)|(?<!\d)0?{m}[-/.]0?{d}[-/.]{y}(?!\d)"
        rf"|\b0?{d}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{names})\.?,?\s+{y}\b|\b(?:{names})\.?\s+0?{d}(?:st|nd|rd|th)?,?\s+{y}\b",
        re.IGNORECASE,
    )
    return pattern.search(page) is not None


# --- JSON Lines and JSON --------------------------------------------------------------------------


class _LineDecoder:
    """Lines of one JSON Lines file as text: UTF-8, else the file's other encoding, found once and told once."""

    def __init__(self, name: str, notice: Notify) -> None:
        self.name = name
        self.notice = notice
        self.encoding: str | None = None
        self.lines: list[int] = []

    def __call__(self, raw: bytes, number: int) -> str:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as error:
            bad = error.start
        if self.encoding is not None:
            try:
                text = raw.decode(self.encoding)
            except UnicodeDecodeError:
                pass
            else:
                self.lines.append(number)
                return text
        found = detect(raw)
        if found is None:
            raise InputError(self.name, f"expected UTF-8 text, found byte 0x{raw[bad]:02X} at byte {bad + 1}", number)
        self.encoding = found[1]
        self.lines.append(number)
        return found[0]

    def close(self) -> None:
        if self.lines and self.encoding is not None:
            count = len(self.lines)
            where = f"line {self.lines[0]}" if count == 1 else f"{count} lines, first line {self.lines[0]}"
            self.notice(InputNotice(self.name, f"decoded as {encoding_name(self.encoding)} (not UTF-8): {where}"))


def _jsonl_records(name: str, path: Path, on_error: OnError, notice: Notify) -> Iterator[_Record]:
    """Records of a JSON Lines file, read one line at a time (a line longer than the limit is skipped unread)."""
    decoder = _LineDecoder(name, notice)
    with path.open("rb") as handle:
        head = handle.read(8192)
        bom = next(((mark, encoding, label) for mark, encoding, label in BOMS if head.startswith(mark)), None)
        lines: Iterator[bytes | str | None]
        if bom is not None and bom[1] != "utf-8":
            notice(InputNotice(name, f"decoded as {bom[2]} (byte-order mark)"))
            handle.seek(len(bom[0]))
            lines = _text_lines(io.TextIOWrapper(handle, encoding=bom[1], errors="strict", newline=None), name)
        else:
            if (what := binary(head)) is not None:
                raise InputError(name, f"expected JSON Lines, found binary data ({what})")
            handle.seek(len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0)
            lines = _lines(handle)
        records = bad = 0
        try:
            for number, raw in enumerate(lines, start=1):
                if raw is not None and not raw.strip():
                    continue
                records += 1
                try:
                    yield _jsonl_record(name, number, raw, decoder, notice)
                except InputError as error:
                    on_error(error)
                    bad += 1
                    if bad >= MAX_BAD_LINES:
                        raise InputError(
                            name, f"stopped reading after {bad} bad lines: is this JSON Lines?", number
                        ) from None
        finally:
            decoder.close()
    if not records:
        raise InputError(name, "expected JSON Lines, found an empty file" if not head else
                         "expected JSON Lines, found only white space")


def _lines(handle: BinaryIO) -> Iterator[bytes | None]:
    """Lines of a binary file, None in place of a line longer than ``MAX_RECORD_BYTES`` (skipped unread)."""
    while line := handle.readline(MAX_RECORD_BYTES + 1):
        if len(line) > MAX_RECORD_BYTES:
            while line and not line.endswith(b"\n"):
                line = handle.readline(1 << 20)
            yield None
        else:
            yield line


def _text_lines(handle: io.TextIOWrapper, name: str) -> Iterator[str | None]:
    """Lines of a UTF-16 or UTF-32 file, None in place of a line longer than ``MAX_RECORD_BYTES`` characters."""
    try:
        while line := handle.readline(MAX_RECORD_BYTES + 1):
            if len(line) > MAX_RECORD_BYTES:
                while line and not line.endswith("\n"):
                    line = handle.readline(1 << 20)
                yield None
            else:
                yield line
    except UnicodeDecodeError as error:
        raise InputError(name, f"expected text in the encoding of its byte-order mark, found an invalid sequence "
                         f"({error.reason}); the lines after it are not read") from None


def _jsonl_record(name: str, number: int, raw: bytes | str | None, decoder: _LineDecoder, notice: Notify) -> _Record:
    if raw is None:
        raise InputError(name, f"expected a record of at most {_megabytes(MAX_RECORD_BYTES)}, found a longer line; "
                         "split the article", number)
    line = raw if isinstance(raw, str) else decoder(raw, number)
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as error:
        raise InputError(name, f"expected a JSON object, found invalid JSON ({error.msg} at column {error.colno})",
                         number) from None
    except RecursionError:
        raise InputError(name, "expected a JSON object, found JSON nested too deeply", number) from None
    except ValueError as error:  # a number of more than 4,300 digits
        raise InputError(name, f"expected a JSON object, found unreadable JSON ({str(error).split(':')[0]})",
                         number) from None
    return _object_record(name, number, obj, notice)


def _json_records(name: str, text: str, on_error: OnError, notice: Notify) -> Iterator[_Record]:
    """Records of a JSON file: an array of article objects, or objects one after another, each named by its line."""
    values = _json_values(name, text)
    for line, obj in values:
        try:
            yield _object_record(name, line, obj, notice)
        except InputError as error:
            on_error(error)


def _json_values(name: str, text: str) -> Iterator[tuple[int, object]]:
    """(line, value) of the items of a top-level array, or of the top-level values one after another."""
    decoder = json.JSONDecoder()
    position = _skip_space(text, 0)
    in_array = text.startswith("[", position)
    if in_array:
        position += 1
    line, counted = 1, 0
    found = 0
    while True:
        position = _skip_space(text, position)
        if in_array and text.startswith("]", position):
            if _skip_space(text, position + 1) < len(text):
                raise InputError(
                    name, "expected the end of the file after the array, found more", _line_at(text, position)
                )
            break
        if position >= len(text):
            if in_array:
                raise InputError(name, "expected JSON, found an array that is not closed", _line_at(text, position))
            break
        line += text.count("\n", counted, position)
        counted = position
        try:
            obj, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            raise InputError(name, f"expected JSON, found invalid JSON ({error.msg} at column {error.colno}); "
                             "the records after it are not read", error.lineno) from None
        except RecursionError:
            raise InputError(name, "expected JSON, found JSON nested too deeply; the records after it are not read",
                             line) from None
        except ValueError as error:  # a number of more than 4,300 digits
            raise InputError(name, f"expected JSON, found unreadable JSON ({str(error).split(':')[0]}); "
                             "the records after it are not read", line) from None
        found += 1
        yield line, obj
        if in_array:
            position = _skip_space(text, position)
            if text.startswith(",", position):
                position += 1
            elif not text.startswith("]", position):
                raise InputError(name, "expected a comma or the end of the array, found more", _line_at(text, position))
    if not found:
        raise InputError(name, "expected article records, found an empty JSON array")


def _line_at(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


_JSON_SPACE = re.compile(r"[ \t\r\n]*")


def _skip_space(text: str, position: int) -> int:
    match = _JSON_SPACE.match(text, position)
    return match.end() if match else position


def _object_record(name: str, number: int, obj: object, notice: Notify) -> _Record:
    """The record of one JSON object: ``text``, optional ``title``, ``date``, ``url``, ``source``."""
    if not isinstance(obj, dict):
        raise InputError(name, f"expected a JSON object, found {_json_type(obj)}", number)
    if "text" not in obj:
        shown = [key if len(key) <= 30 else key[:29] + "…" for key in sorted(obj)[:10]]
        keys = (", ".join(shown) + (f" and {len(obj) - 10} more" if len(obj) > 10 else "")) or "none"
        raise InputError(name, f'expected a "text" field, found only these keys: {keys}', number)
    for field in ("text", "title", "date", "url", "source"):
        value = obj.get(field)
        if field in obj and not isinstance(value, str) and not (value is None and field != "text"):
            raise InputError(name, f'expected "{field}" to be a string, found {_json_type(value)}', number)
    for field in ("text", "title", "date", "url", "source"):
        found = _SURROGATE.search(obj.get(field) or "")
        if found:
            raise InputError(name, f'expected Unicode text in "{field}", found a lone surrogate '
                             f"({found.group(0)!r}) at character {found.start()}", number)
    if not obj["text"].strip():
        raise InputError(name, 'expected article text in "text", found an empty string', number)
    source = _one_line(obj.get("source")) or ""
    date, partial = _field_date(name, number, obj.get("date"), notice)
    url = obj.get("url")
    clean = _clean_url(url)
    if url and url.strip() and clean is None:
        notice(InputNotice(name, f"dropped url {_shown(url)}: expected an absolute http(s) URL without spaces or "
                           "control characters", number))
    return _Record(
        name,
        number,
        _paragraphs(normalize_text(obj["text"])),
        title=_one_line(obj.get("title")),
        date=date,
        partial_date=partial,
        source=(outlet_name(source) or source) if source else None,
        url=clean,
    )


def _one_line(text: str | None) -> str | None:
    return (" ".join(normalize_text(text).split()) or None) if text else None


def _clean_url(url: str | None) -> str | None:
    """An absolute http(s) URL without white space, control or format characters (RLO, NUL...), else None."""
    url = (url or "").strip()
    if len(url) > 2048 or not _URL.fullmatch(url):
        return None
    return url if all(unicodedata.category(c)[0] not in "CZ" for c in url) else None


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


# --- cleaning and parts ---------------------------------------------------------------------------


def _build(record: _Record, site_lines: frozenset[str], dropped: Counter[str], notice: Notify) -> list[Article]:
    """The article of a record: one, or several parts of one that is too long for the model.

    ``dropped`` receives the number of paragraphs removed, by kind.
    """
    paragraphs = list(record.paragraphs)
    if record.title:
        # An identical first paragraph is dropped by strip_boilerplate as an echo.
        paragraphs.insert(0, record.title)
    metadata, lines = extract_metadata(paragraphs)
    if len(lines) < len(paragraphs):
        dropped["metadata line"] += len(paragraphs) - len(lines)
    kept = lines[:1] + [line for line in lines[1:] if line not in site_lines]
    if len(kept) < len(lines):
        dropped["site furniture"] += len(lines) - len(kept)
    lines = strip_boilerplate(kept, dropped)
    if not lines:
        raise InputError(record.path, "expected article text, found only boilerplate and metadata", record.line)
    if record.needs_body and len(lines) < 2:
        raise InputError(record.path, "expected an HTML page with article text, found only a title or navigation")
    source = record.source or metadata.source
    for value in (*lines, source, metadata.dateline):
        if value and (found := _SURROGATE.search(value)):
            raise InputError(record.path, f"expected Unicode text, found a lone surrogate ({found.group(0)!r})",
                             record.line)
    parts, hard_cuts = _parts(lines, MAX_ARTICLE_CHARS, MAX_ARTICLE_TOKENS)
    if len(parts) > 1:
        whole = "\n\n".join(lines)
        notice(
            InputNotice(
                record.path,
                f"{len(whole):,} characters, {token_count(whole):,} tokens: more than the model "
                f"takes in one text ({MAX_ARTICLE_CHARS:,} characters, {MAX_ARTICLE_TOKENS:,} tokens); "
                f"split into {len(parts)} parts",
                record.line,
            )
        )
    if hard_cuts:
        notice(InputNotice(record.path, f"{hard_cuts} cut{'s' if hard_cuts > 1 else ''} inside a word: a run of text "
                           "too long for one part had no space or sentence end to cut at", record.line))
    date, partial = _article_date(record, metadata, notice)
    articles = []
    for number, part in enumerate(parts, start=1):
        text = "\n\n".join(part)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        articles.append(Article(
            id=digest[:16],
            origin=record.origin if len(parts) == 1 else f"{record.origin} (part {number} of {len(parts)})",
            title=part[0],
            text=text,
            date=date,
            source=source,
            url=record.url,
            dateline=metadata.dateline,
            content_hash=digest,
            partial_date=partial,
        ))
    return articles


def _article_date(record: _Record, metadata: Metadata, notice: Notify) -> tuple[dt.date | None, str | None]:
    """(full date, partial date) of an article: the page's or record's own, a metadata line's, else its dateline's.

    A dateline without a year takes the year of the partial date the source
    gives; with nothing to take it from, the article stays undated and a notice says so.
    """
    if record.date or metadata.date:
        return record.date or metadata.date, None
    written = metadata.dateline_date
    if written is None:
        return None, record.partial_date
    try:
        day = _dateline_day(written, record.partial_date)
    except ImpossibleDate:
        notice(InputNotice(record.path, f"dropped impossible date {_shown(written)} (the dateline)", record.line))
        return None, record.partial_date
    if day is None and record.partial_date is None:
        notice(InputNotice(record.path, f"the dateline's date {_shown(written)} gives no year, and nothing else dates "
                           "the article: left undated", record.line))
    return (day, None) if day else (None, record.partial_date)


def token_count(text: str) -> int:
    """About the number of tokens the model sees in ``text`` (never fewer)."""
    return _TOKEN.subn("", text)[1]


def _parts(lines: list[str], limit: int, token_limit: int) -> tuple[list[list[str]], int]:
    """Paragraphs grouped into parts of at most ``limit`` characters and ``token_limit`` tokens (joined by blank lines).

    Each part after the first starts with the title again when it is short; a
    paragraph longer than a part is cut at sentence ends, else at spaces, else
    anywhere. Returns the parts and the number of cuts made inside a word.

    >>> _parts(["Title", "One two.", "Three four."], 20, 100)
    ([['Title', 'One two.'], ['Title', 'Three four.']], 0)
    >>> _parts(["Title", "One. Two. Three."], 100, 6)[0]
    [['Title', 'One. Two.'], ['Title', 'Three.']]
    """
    sizes = [(len(line), token_count(line)) for line in lines]
    if (
        sum(c for c, _ in sizes) + 2 * (len(lines) - 1) <= limit
        and sum(t for _, t in sizes) + len(lines) - 1 <= token_limit
    ):
        return [lines], 0
    title_chars, title_tokens = sizes[0]
    short = title_chars <= min(_MAX_TITLE_IN_PART, limit // 4) and title_tokens <= token_limit // 4
    head = lines[:1] if short else []
    room = limit - (title_chars + 2 if head else 0)
    room_tokens = token_limit - (title_tokens + 1 if head else 0)
    parts: list[list[str]] = []
    current: list[str] = []
    chars = tokens = hard = 0
    for paragraph in lines[len(head):]:
        for piece, cut_in_word in _cut(paragraph, room, room_tokens):
            hard += cut_in_word
            extra_chars, extra_tokens = len(piece) + (2 if current else 0), token_count(piece) + (1 if current else 0)
            if current and (chars + extra_chars > room or tokens + extra_tokens > room_tokens):
                parts.append(head + current)
                current, chars, tokens = [], 0, 0
                extra_chars, extra_tokens = len(piece), extra_tokens - 1
            current.append(piece)
            chars += extra_chars
            tokens += extra_tokens
    if current:
        parts.append(head + current)
    return parts, hard


_BREAK = re.compile(r"[.!?…。؟][\"'”’»)\]]*\s")


def _cut(paragraph: str, room: int, room_tokens: int) -> Iterator[tuple[str, bool]]:
    """A paragraph in pieces of at most ``room`` characters and ``room_tokens`` tokens, each with whether
    it was cut inside a word: at a sentence end, else a space, else anywhere. Linear time: each
    window is read once and the next starts at least half a window further."""
    start, end_of_text = 0, len(paragraph)
    while True:
        while start < end_of_text and paragraph[start].isspace():
            start += 1
        size = _fitting(paragraph, start, room, room_tokens)
        if start + size >= end_of_text:
            if start < end_of_text:
                yield paragraph[start:].rstrip(), False
            return
        window = paragraph[start : start + size + 1]
        last_break = max((m.end() for m in _BREAK.finditer(window)), default=0)
        cut = last_break if last_break > size // 2 else window.rfind(" ") + 1
        in_word = cut <= size // 2
        if in_word:
            cut = size
        piece = paragraph[start : start + cut].strip()
        if piece:
            yield piece, in_word
        start += cut


def _fitting(text: str, start: int, room: int, room_tokens: int) -> int:
    """How many characters from ``start`` make at most ``room`` characters and ``room_tokens`` tokens."""
    end = min(len(text), start + room)
    if token_count(text[start:end]) <= room_tokens:
        return end - start
    for count, match in enumerate(_TOKEN.finditer(text, start, end), start=1):
        if count > room_tokens:
            return max(1, match.start() - start)
    return end - start

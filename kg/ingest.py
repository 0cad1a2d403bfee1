"""Files, folders and JSON Lines in; cleaned ``Article`` records out.

The cleaned text is final here: every character offset the graph records
refers to it, so nothing downstream may rewrite it. Bad input is reported
through ``on_error`` and reading goes on with the next file or line.

Limits keep memory bounded whatever arrives: a text or HTML file, or one JSON
Lines record, is read only up to ``MAX_RECORD_BYTES``; JSON Lines files are
streamed line by line; an article longer than ``MAX_ARTICLE_CHARS`` (the model
needs about 3 MB of memory per 1,000 characters of one text) is split into
parts at paragraph, then sentence, then word boundaries.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import html
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import trafilatura

from kg.boilerplate import repeated_lines, strip_boilerplate
from kg.errors import InputError, one_line
from kg.model import Article

MAX_RECORD_BYTES = 10 * 1024 * 1024  # one text or HTML file, or one JSON Lines record
MAX_ARTICLE_CHARS = 100_000  # one article as the model sees it; longer ones are split into parts
MAX_BAD_LINES = 100  # a JSON Lines file with more bad lines than this is not read further
_MAX_TITLE_IN_PART = 300  # each part of a split article starts with the title, if it is no longer

TEXT_SUFFIXES = frozenset({".txt", ".md", ""})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})

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
        _WEEKDAY + r"(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.]" + _YEAR,
    )
]
_TIME_ONLY = re.compile(r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*(?:gmt|utc))?", re.IGNORECASE)
_DATE_LABEL = re.compile(
    r"^(?:(?:first\s+)?published|posted|updated|last\s+updated|modified|date|dated|publication\s+date)"
    r"(?:\s+(?:on|at))?\s*[:\-–]?\s*",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^by\s+(?P<who>\S.*)$", re.IGNORECASE)
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z'’.-]*(?:\s+[A-Za-z][A-Za-z'’.-]*){0,3})"
    r"(?:,\s*[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})?"  # region: "Kurdistan Region", "Iraq"
    r"(?:,\s*(?i:" + _MONTH + r")\s+\d{1,2}(?:,\s*\d{4})?)?"  # Reuters: "WASHINGTON, Jan 5 (Reuters) -"
    r"\s*(?:\((?P<agency>[^()]{2,40})\))?"
    r"\s*[-–—:]\s+[A-Z0-9“\"‘']",  # a sentence starts after the dash, not "ISIS - the group"
)


@dataclass(frozen=True, slots=True)
class Metadata:
    """What the top of an article says about it rather than in it."""

    date: dt.date | None = None
    source: str | None = None
    dateline: str | None = None


@dataclass(frozen=True, slots=True)
class _Record:
    """An article as read from its container, before cleaning."""

    path: str
    line: int | None
    paragraphs: tuple[str, ...]
    title: str | None = None
    date: dt.date | None = None
    source: str | None = None
    url: str | None = None
    needs_body: bool = False

    @property
    def origin(self) -> str:
        return self.path if self.line is None else f"{self.path}:{self.line}"


def iter_articles(paths: Iterable[Path], on_error: Callable[[InputError], None]) -> Iterator[Article]:
    """Articles from files and folders, each cleaned text yielded once.

    Args:
        paths: files or folders; folders are read recursively in sorted order.
        on_error: called with an ``InputError`` for each unreadable file or record;
            reading continues after it.
    """
    seen: set[str] = set()
    for path in paths:
        for article in _read_path(Path(path), on_error):
            if article.content_hash not in seen:
                seen.add(article.content_hash)
                yield article


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
    """A date written on its own, in the formats news pages use; day first when ambiguous.

    >>> parse_date("14-02-2024"), parse_date("Sun. Mar 3rd, 2024"), parse_date("2024-01-04T09:30:00Z")
    (datetime.date(2024, 2, 14), datetime.date(2024, 3, 3), datetime.date(2024, 1, 4))
    >>> parse_date("4 January 2024"), parse_date("02/14/2024"), parse_date("said on January 4, 2024")
    (datetime.date(2024, 1, 4), datetime.date(2024, 2, 14), None)
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
            return None
    return None


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
    sentence is not the publication date) and those lines are removed. The
    dateline ("ERBIL, Kurdistan Region - ...") stays in the text.
    """
    date: dt.date | None = None
    source: str | None = None
    kept: list[str] = []
    for i, line in enumerate(lines):
        found = _metadata_line(line) if i < _METADATA_WINDOW else None
        if found is None:
            kept.append(line)
        else:
            date, source = date or found[0], source or found[1]
    dateline, agency = _dateline(kept[:_DATELINE_WINDOW])
    if source is None and agency:
        source = outlet_name(agency)
    return Metadata(date=date, source=source, dateline=dateline), kept


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


def _dateline(lines: Sequence[str]) -> tuple[str | None, str | None]:
    for line in lines:
        match = _DATELINE.match(line)
        if match is None:
            continue
        place, agency = match.group("place"), match.group("agency")
        letters = [c for c in place if c.isalpha()]
        if agency or (len(letters) >= 3 and place.isupper()):
            return (place.title() if place.isupper() else place), agency
    return None, None


def _read_path(path: Path, on_error: Callable[[InputError], None]) -> Iterator[Article]:
    if path.is_dir():
        files = list(_folder_files(path))
        # First pass: lines shared by many of this folder's articles are site furniture.
        site_lines = repeated_lines(list(r.paragraphs) for f in files for r in _records(f, _ignore))
        for file in files:
            yield from _articles(file, on_error, site_lines)
    elif path.exists():
        yield from _articles(path, on_error, frozenset())
    else:
        on_error(InputError(display_path(path), "expected a file or folder, found nothing at this path"))


def _folder_files(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).parts
        if any(part.startswith(".") for part in relative) or not path.is_file():
            continue
        if path.suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES:
            yield path


def _ignore(error: InputError) -> None:
    """Errors of the first pass over a folder are reported by the second."""


def _articles(path: Path, on_error: Callable[[InputError], None], site_lines: frozenset[str]) -> Iterator[Article]:
    for record in _records(path, on_error):
        try:
            yield from _build(record, site_lines)
        except InputError as error:
            on_error(error)


def _records(path: Path, on_error: Callable[[InputError], None]) -> Iterator[_Record]:
    name = display_path(path)
    try:
        if not path.is_file():
            raise InputError(name, "expected a regular file, found a device, pipe or socket")
        suffix = path.suffix.lower()
        if suffix in JSONL_SUFFIXES:
            yield from _jsonl_records(name, path, on_error)
            return
        text = _decode(name, _read_bounded(name, path))
        if suffix in HTML_SUFFIXES:
            yield _html_record(name, text)
        else:
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


def _is_binary(raw: bytes) -> str | None:
    """What makes these bytes binary rather than text ("NUL bytes"...), or None."""
    sample = raw[:8192]
    controls = sum(1 for b in sample if (b < 32 and b not in b"\t\n\f\r") or b == 127)
    if b"\x00" in raw:
        return "NUL bytes"
    return "mostly control characters" if controls > len(sample) / 20 else None


def _decode(name: str, raw: bytes) -> str:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(name, "expected UTF-8 text, found UTF-16 (byte-order mark); re-encode the file as UTF-8")
    if (what := _is_binary(raw)) is not None:
        raise InputError(name, f"expected text, found binary data ({what})")
    start = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    try:
        text = raw[start:].decode("utf-8")
    except UnicodeDecodeError as error:
        offset = start + error.start
        line = raw[:offset].count(b"\n") + 1
        raise InputError(
            name,
            f"expected UTF-8 text, found byte 0x{raw[offset]:02X} at byte offset {offset} (line {line});"
            " re-encode the file as UTF-8",
        ) from None
    if not text.strip():
        raise InputError(name, "expected article text, found an empty file" if not raw else
                         "expected article text, found only white space")
    return text


def _paragraphs(text: str) -> tuple[str, ...]:
    """Paragraphs of normalised text: one per line, hard-wrapped sentences joined back."""
    paragraphs: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        current = ""
        for line in block.split("\n"):
            line = line.strip()
            if not line:
                continue
            # A line starting lowercase after one that did not end a sentence is its continuation.
            if current and line[0].islower() and not _SENTENCE_END.search(current):
                current = f"{current} {line}"
                continue
            if current:
                paragraphs.append(current)
            current = line
        if current:
            paragraphs.append(current)
    return tuple(paragraphs)


def _html_record(name: str, page: str) -> _Record:
    try:
        document = trafilatura.bare_extraction(
            page,
            include_comments=False,
            include_tables=False,
            with_metadata=True,
            # Only the page's own metadata: a date guessed from the body is not the publication date.
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as error:  # noqa: BLE001 -- lxml and trafilatura raise many types on hostile pages
        raise InputError(name, f"expected an HTML page, found one that cannot be parsed ({type(error).__name__})") from None
    body = getattr(document, "text", None) if document is not None else None
    if not body or not body.strip():
        raise InputError(name, "expected an HTML page with article text, found none that trafilatura could extract")
    title = getattr(document, "title", None)
    sitename = getattr(document, "sitename", None)
    return _Record(
        name,
        None,
        _paragraphs(normalize_text(body)),
        title=_one_line(title),
        date=parse_date(getattr(document, "date", None) or ""),
        source=(outlet_name(sitename) or sitename.strip()) if sitename else None,
        url=_clean_url(getattr(document, "url", None)),
        needs_body=True,
    )


def _jsonl_records(name: str, path: Path, on_error: Callable[[InputError], None]) -> Iterator[_Record]:
    """Records of a JSON Lines file, read one line at a time (a line longer than the limit is skipped unread)."""
    with path.open("rb") as handle:
        head = handle.read(8192)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise InputError(name, "expected UTF-8 text, found UTF-16 (byte-order mark); re-encode the file as UTF-8")
        if (what := _is_binary(head)) is not None:
            raise InputError(name, f"expected JSON Lines, found binary data ({what})")
        handle.seek(len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0)
        records = bad = 0
        for number, raw in enumerate(_lines(handle), start=1):
            if raw is not None and not raw.strip():
                continue
            records += 1
            try:
                yield _jsonl_record(name, number, raw)
            except InputError as error:
                on_error(error)
                bad += 1
                if bad >= MAX_BAD_LINES:
                    raise InputError(name, f"stopped reading after {bad} bad lines: is this JSON Lines?", number) from None
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


def _jsonl_record(name: str, number: int, raw: bytes | None) -> _Record:
    if raw is None:
        raise InputError(name, f"expected a record of at most {_megabytes(MAX_RECORD_BYTES)}, found a longer line; "
                         "split the article", number)
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(name, f"expected UTF-8 text, found byte 0x{raw[error.start]:02X} at byte {error.start + 1}",
                         number) from None
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
    return _Record(
        name,
        number,
        _paragraphs(normalize_text(obj["text"])),
        title=_one_line(obj.get("title")),
        date=parse_date(obj.get("date") or ""),
        source=(outlet_name(source) or source) if source else None,
        url=_clean_url(obj.get("url")),
    )


def _one_line(text: str | None) -> str | None:
    return (" ".join(normalize_text(text).split()) or None) if text else None


def _clean_url(url: str | None) -> str | None:
    """An absolute http(s) URL without white space or characters an IRI cannot hold, else None."""
    url = (url or "").strip()
    return url if len(url) <= 2048 and _URL.fullmatch(url) else None


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


def _build(record: _Record, site_lines: frozenset[str]) -> list[Article]:
    """The article of a record: one, or several parts of one that is too long for the model."""
    paragraphs = list(record.paragraphs)
    if record.title:
        # An identical first paragraph is dropped by strip_boilerplate as an echo.
        paragraphs.insert(0, record.title)
    metadata, lines = extract_metadata(paragraphs)
    lines = lines[:1] + [line for line in lines[1:] if line not in site_lines]
    lines = strip_boilerplate(lines)
    if not lines:
        raise InputError(record.path, "expected article text, found only boilerplate and metadata", record.line)
    if record.needs_body and len(lines) < 2:
        raise InputError(record.path, "expected an HTML page with article text, found only a title or navigation")
    source = record.source or metadata.source
    for value in (*lines, source, metadata.dateline):
        if value and (found := _SURROGATE.search(value)):
            raise InputError(record.path, f"expected Unicode text, found a lone surrogate ({found.group(0)!r})",
                             record.line)
    parts = _parts(lines, MAX_ARTICLE_CHARS)
    articles = []
    for number, part in enumerate(parts, start=1):
        text = "\n\n".join(part)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        articles.append(Article(
            id=digest[:16],
            origin=record.origin if len(parts) == 1 else f"{record.origin} (part {number} of {len(parts)})",
            title=part[0],
            text=text,
            date=record.date or metadata.date,
            source=source,
            url=record.url,
            dateline=metadata.dateline,
            content_hash=digest,
        ))
    return articles


def _parts(lines: list[str], limit: int) -> list[list[str]]:
    """Paragraphs grouped into parts whose text (joined by blank lines) is at most ``limit`` characters.

    Each part after the first starts with the title again when it is short; a
    paragraph longer than a part is cut at sentence ends, else at spaces.

    >>> _parts(["Title", "One two.", "Three four."], 20)
    [['Title', 'One two.'], ['Title', 'Three four.']]
    """
    if sum(len(line) + 2 for line in lines) - 2 <= limit:
        return [lines]
    head = lines[:1] if len(lines[0]) <= min(_MAX_TITLE_IN_PART, limit // 4) else []
    room = limit - sum(len(line) + 2 for line in head)
    parts: list[list[str]] = []
    current: list[str] = []
    size = 0
    for paragraph in lines[len(head):]:
        for piece in _cut(paragraph, room):
            extra = len(piece) + (2 if current else 0)
            if current and size + extra > room:
                parts.append(head + current)
                current, size, extra = [], 0, len(piece)
            current.append(piece)
            size += extra
    if current:
        parts.append(head + current)
    return parts


_BREAK = re.compile(r"[.!?…。؟][\"'”’»)\]]*\s")


def _cut(paragraph: str, room: int) -> Iterator[str]:
    """A paragraph in pieces of at most ``room`` characters: at a sentence end, else a space, else anywhere."""
    while len(paragraph) > room:
        window = paragraph[: room + 1]
        ends = [m.end() for m in _BREAK.finditer(window)]
        cut = ends[-1] if ends and ends[-1] > room // 2 else window.rfind(" ") + 1
        if cut <= room // 2:
            cut = room
        piece, paragraph = paragraph[:cut].strip(), paragraph[cut:].strip()
        if piece:
            yield piece
    if paragraph:
        yield paragraph

"""Files, folders and JSON Lines in; cleaned ``Article`` records out.

The cleaned text is final here: every character offset the graph records
refers to it, so nothing downstream may rewrite it. Bad input is reported
through ``on_error`` and reading goes on with the next file or line.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import html
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import trafilatura

from kg.boilerplate import repeated_lines, strip_boilerplate
from kg.errors import InputError
from kg.model import Article

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
    """Entities decoded, NFC, invisible characters dropped, white space collapsed within lines.

    >>> normalize_text("allied to #x27;Iran &amp; Syria\\u00a0 ")
    "allied to 'Iran & Syria"
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = unicodedata.normalize("NFC", decode_entities(text)).translate(_INVISIBLE)
    return "\n".join(" ".join(line.split()) for line in text.split("\n"))


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
        on_error(InputError(str(path), "expected a file or folder, found nothing at this path"))


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
            yield _build(record, site_lines)
        except InputError as error:
            on_error(error)


def _records(path: Path, on_error: Callable[[InputError], None]) -> Iterator[_Record]:
    name = str(path)
    try:
        text = _decode(name, path.read_bytes())
        suffix = path.suffix.lower()
        if suffix in JSONL_SUFFIXES:
            yield from _jsonl_records(name, text, on_error)
        elif suffix in HTML_SUFFIXES:
            yield _html_record(name, text)
        else:
            if suffix == ".md":
                text = _MD_HEADING.sub("", text)
            yield _Record(name, None, _paragraphs(normalize_text(text)))
    except InputError as error:
        on_error(error)
    except OSError as error:
        on_error(InputError(name, f"expected a readable file, found an error: {error.strerror or error}"))


def _decode(name: str, raw: bytes) -> str:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(name, "expected UTF-8 text, found UTF-16 (byte-order mark); re-encode the file as UTF-8")
    sample = raw[:8192]
    controls = sum(1 for b in sample if (b < 32 and b not in b"\t\n\f\r") or b == 127)
    if b"\x00" in raw or controls > len(sample) / 20:
        what = "NUL bytes" if b"\x00" in raw else "mostly control characters"
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
    document = trafilatura.bare_extraction(
        page,
        include_comments=False,
        include_tables=False,
        with_metadata=True,
        # Only the page's own metadata: a date guessed from the body is not the publication date.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
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
        url=getattr(document, "url", None) or None,
        needs_body=True,
    )


def _jsonl_records(name: str, text: str, on_error: Callable[[InputError], None]) -> Iterator[_Record]:
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            yield _jsonl_record(name, number, line)
        except InputError as error:
            on_error(error)


def _jsonl_record(name: str, number: int, line: str) -> _Record:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as error:
        raise InputError(name, f"expected a JSON object, found invalid JSON ({error.msg} at column {error.colno})",
                         number) from None
    if not isinstance(obj, dict):
        raise InputError(name, f"expected a JSON object, found {_json_type(obj)}", number)
    if "text" not in obj:
        keys = ", ".join(sorted(obj)) or "none"
        raise InputError(name, f'expected a "text" field, found only these keys: {keys}', number)
    for field in ("text", "title", "date", "url", "source"):
        value = obj.get(field)
        if field in obj and not isinstance(value, str) and not (value is None and field != "text"):
            raise InputError(name, f'expected "{field}" to be a string, found {_json_type(value)}', number)
    if not obj["text"].strip():
        raise InputError(name, 'expected article text in "text", found an empty string', number)
    source = (obj.get("source") or "").strip()
    return _Record(
        name,
        number,
        _paragraphs(normalize_text(obj["text"])),
        title=_one_line(obj.get("title")),
        date=parse_date(obj.get("date") or ""),
        source=(outlet_name(source) or source) if source else None,
        url=(obj.get("url") or "").strip() or None,
    )


def _one_line(text: str | None) -> str | None:
    return (" ".join(normalize_text(text).split()) or None) if text else None


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


def _build(record: _Record, site_lines: frozenset[str]) -> Article:
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
    text = "\n\n".join(lines)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Article(
        id=digest[:16],
        origin=record.origin,
        title=lines[0],
        text=text,
        date=record.date or metadata.date,
        source=record.source or metadata.source,
        url=record.url,
        dateline=metadata.dateline,
        content_hash=digest,
    )

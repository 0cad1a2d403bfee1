"""Time expressions resolved against the article's date: the one routine, with dateparser underneath.

A value is ISO at the precision the words give: a day ("2024-02-13"), an ISO
week ("2024-W06"), a month ("2024-02") or a year ("2024"). Words that name no
date of the act (a distance in time, "ten days"; a bound, "before Tuesday"; a
range, "between July 14 and 18"; a decade) get no value. Without an article
date only words that carry their own year are resolved.

The result depends on the words and the article date alone, never on the
clock, the machine's time zone or its locale: dateparser is always given the
base date (``RELATIVE_BASE``), English only, and UTC; times of day and zone
names are dropped before it sees the words, so "11pm EST on Tuesday" stays on
Tuesday.

>>> import datetime as dt
>>> tuesday = dt.date(2024, 2, 13)
>>> resolve("on Tuesday", tuesday), resolve("Monday night", tuesday), resolve("last week", tuesday)
('2024-02-13', '2024-02-12', '2024-W06')
>>> resolve("earlier this month", tuesday), resolve("in March", tuesday), resolve("two days ago", tuesday)
('2024-02', '2023-03', '2024-02-11')
>>> resolve("on Tuesday", None), resolve("January 4, 2024", None), resolve("ten days", tuesday)
(None, '2024-01-04', None)
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from dateparser.date import DateDataParser  # type: ignore[import-untyped]

__all__ = ["MONTHS", "WEEKDAYS", "resolve"]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)
_MONTH_WORDS = frozenset(MONTHS) | {m[:3] for m in MONTHS} | {"sept"}
_WEEKDAY_WORDS = frozenset(WEEKDAYS) | {d[:3] for d in WEEKDAYS} | {"tues", "wed", "thur", "thurs"}
# Month names that are also common words: a month only when capitalised ("they may", "a march").
_LOWERCASE_WORDS = frozenset({"may", "march"})
_UNITS = frozenset({"day", "week", "month", "year"})
_PLURAL_UNITS = frozenset({"days", "weeks", "months", "years", "decades", "hours", "minutes"})
_COUNTS = frozenset({"a", "an", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                     "eleven", "twelve", "several", "few", "couple"})
_RELATIVE = frozenset({"last", "this", "next", "ago", "yesterday", "today", "tomorrow"})
_KNOWN = _MONTH_WORDS | _WEEKDAY_WORDS | _UNITS | _PLURAL_UNITS | _COUNTS | _RELATIVE
# Words that make the date a bound, a range or another event's, not the date of the act.
_NOT_THE_DATE = frozenset({"before", "after", "following", "prior", "until", "till", "within", "ahead", "between",
                           "by", "to", "through", "and", "or", "than", "same", "that", "later", "earlier"})
_HEDGES = frozenset({"earlier", "later"})  # "earlier this month": a hedge, not another event's date
# Prepositions that put the act on the date they introduce.
_LEADING = re.compile(r"^(?:(?:on|in|at|during|since|from|of|over|throughout|as\s+of)\s+)+", re.IGNORECASE)
_TIME_OF_DAY = re.compile(
    r"\b\d{1,2}(?:[:.h]\d{2})?\s*[ap]\.?\s?m\b\.?|\b\d{1,2}[:h]\d{2}\b|\b\d{4}\s*(?:gmt|utc|z)\b",
    re.IGNORECASE,
)
_PARTS_OF_DAY = (
    (re.compile(r"\blast\s+night\b", re.IGNORECASE), "yesterday"),
    (re.compile(r"\b(?:tonight|this\s+(?:morning|afternoon|evening))\b", re.IGNORECASE), "today"),
)
_NUMERIC_DATE = re.compile(r"\b\d{4}-(?:0[1-9]|1[0-2])(?:-\d{2})?\b|\b\d{1,2}/\d{1,2}/\d{4}\b")
# Digits only as a whole word: "1990s" is a decade, not the year 1990.
_WORD = re.compile(r"\d{4}-(?:0[1-9]|1[0-2])(?:-\d{2})?\b|\d{1,2}/\d{1,2}/\d{4}|[A-Za-z]+\.?|\b\d+(?:st|nd|rd|th)?\b")
_YEAR_WRITTEN = re.compile(r"(?<!\d)\d{4}(?!\d)")
_WEEK, _YEAR = dt.timedelta(days=7), dt.timedelta(days=366)
_SETTINGS = {
    "PREFER_DATES_FROM": "past",
    "TIMEZONE": "UTC",
    "RETURN_AS_TIMEZONE_AWARE": False,
    # No Unix timestamps or glued digits ("20240214"): a number in prose is not one.
    "PARSERS": ["relative-time", "absolute-time"],
    "DATE_ORDER": "DMY",  # as ingest reads dates: day first when ambiguous
}


@lru_cache(maxsize=8192)
def resolve(text: str, base: dt.date | None) -> str | None:
    """ISO value of a time expression against the article date ``base``, at its precision; None if it names none.

    Args:
        text: the words as written ("on Tuesday", "earlier this month", "Jan. 4").
        base: the article's full date, or None when the article has none.
    """
    words = _date_words(text)
    if words is None:
        return None
    core = " ".join(words)
    if base is not None:
        return _parse(core, base)
    years = _YEAR_WRITTEN.findall(core)
    if not years:
        return None
    # Without a base, only what does not depend on one: the same value from either end of the year it writes.
    year = int(years[0])
    first, last = _parse(core, dt.date(year, 1, 1)), _parse(core, dt.date(year, 12, 31))
    return first if first == last else None


def _date_words(text: str) -> list[str] | None:
    """The words of an expression that dateparser should read; None if they name no date of the act."""
    text = _LEADING.sub("", text.replace("’", "'").replace("'s", "").strip())
    text = _TIME_OF_DAY.sub(" ", text)
    for pattern, word in _PARTS_OF_DAY:
        text = pattern.sub(word, text)
    if not _NUMERIC_DATE.search(text):
        text = text.replace("-", " ")  # "mid-October"
    words: list[str] = []
    for token in _WORD.findall(text):
        lower = token.lower().rstrip(".")
        if lower in _NOT_THE_DATE and not (lower in _HEDGES and not words):
            return None
        if lower in _LOWERCASE_WORDS and token[0].islower():
            return None  # "they may", "a march"
        if lower in ("past", "previous"):
            words.append("last")
        elif lower in _KNOWN or token[0].isdigit():
            words.append(token)
    lower = [w.lower().rstrip(".") for w in words]
    if any(w in _MONTH_WORDS for w in lower):
        # A weekday beside a full date adds nothing, and one that does not match the date confuses dateparser.
        words = [w for w, low in zip(words, lower, strict=True) if low not in _WEEKDAY_WORDS and low != "last"]
        return words or None
    pointed = "ago" in lower or any(w in ("last", "this", "next") for w in lower)
    for i, w in enumerate(lower):
        if w in _PLURAL_UNITS and "ago" not in lower:
            return None  # a stretch of time: "ten days", "in recent weeks"
        if w in _UNITS and not pointed:
            return None  # "the day", "a month"
        if w in _COUNTS and "ago" not in lower:
            return None
        counted = i + 1 < len(lower) and lower[i + 1] in _UNITS | _PLURAL_UNITS and "ago" in lower
        if w[0].isdigit() and not (_YEAR_WRITTEN.fullmatch(w) or _NUMERIC_DATE.fullmatch(w) or counted):
            return None  # "10", "33": a number alone is not a date
    if not words or all(w in ("last", "this", "next") for w in lower):
        return None
    return words


def _parse(core: str, base: dt.date) -> str | None:
    found = _read_common(core, base)
    if found is None:
        data = _parser(base).get_date_data(core)
        if data.date_obj is None:
            return None
        found = data.date_obj.date(), data.period
    day, period = found
    words = core.lower().split()
    if base - day > _YEAR and not _YEAR_WRITTEN.search(core) and any(w.rstrip(".") in _MONTH_WORDS for w in words):
        return None  # "Feb 29" in a year after a common year: dateparser goes back to a leap year long past
    if period == "week":
        year, week, _ = day.isocalendar()
        return f"{year:04d}-W{week:02d}"
    if period == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if period == "year":
        return f"{day.year:04d}"
    if len(words) == 1 and words[0].rstrip(".") in _WEEKDAY_WORDS and base - day == _WEEK:
        # dateparser takes "Tuesday" in an article of a Tuesday for the week before; the news means that day.
        day = base
    return day.isoformat()


_MONTH_NUMBER = {name: n for n, month in enumerate(MONTHS, 1) for name in (month, month[:3])} | {"sept": 9}
_WEEKDAY_NUMBER = {name: n for n, day in enumerate(WEEKDAYS) for name in (day, day[:3])} | {"tues": 1}

# Expressions that move the base date by a fixed step: (days, months, period).
_SHIFTS = {
    "today": (0, 0, "day"), "yesterday": (-1, 0, "day"), "tomorrow": (1, 0, "day"),
    "this week": (0, 0, "week"), "last week": (-7, 0, "week"), "next week": (7, 0, "week"),
    "this month": (0, 0, "month"), "last month": (0, -1, "month"), "next month": (0, 1, "month"),
    "this year": (0, 0, "year"), "last year": (0, -12, "year"), "next year": (0, 12, "year"),
}


def _read_common(core: str, base: dt.date) -> tuple[dt.date, str] | None:
    """What dateparser reads in the commonest expressions (a weekday, a month, a day of a month, a
    year, "yesterday", "last week"), worked out directly: dateparser takes about a third of a
    millisecond for each. None for any other expression, and where dateparser's reading is not this
    simple (a day the month lacks, the 31st a month away): dateparser reads those.
    ``tests/test_temporal.py`` checks both agree.
    """
    words = [w.lower().rstrip(".") for w in core.split()]
    shift = _SHIFTS.get(" ".join(words))
    if shift is not None:  # "yesterday", "last week", "this month"
        step_days, step_months, period = shift
        month = base.month - 1 + step_months
        try:
            day = dt.date(base.year + month // 12, month % 12 + 1, base.day)
        except ValueError:  # a month on from the 31st: dateparser moves it to the month's last day
            return None
        return day + dt.timedelta(days=step_days), period
    if len(words) == 1 and words[0] in _WEEKDAY_NUMBER:
        back = (base.weekday() - _WEEKDAY_NUMBER[words[0]]) % 7 or 7  # the last one before the base date
        return base - dt.timedelta(days=back), "day"
    months = [_MONTH_NUMBER[w] for w in words if w in _MONTH_NUMBER]
    years = [int(w) for w in words if len(w) == 4 and w.isdigit() and 1900 <= int(w) <= 2100]
    days = [int(w) for w in words if len(w) <= 2 and w.isdigit()]
    if len(months) + len(years) + len(days) != len(words) or max(len(months), len(years), len(days)) > 1:
        return None
    if days and not months:
        return None
    try:
        if days:  # "October 12", "12 October 2023": that day, in the year written or the last one it has passed
            day = dt.date(years[0] if years else base.year, months[0], days[0])
            if not years and day > base:
                day = day.replace(year=base.year - 1)
            return day, "day"
        # A month or a year keeps the base's day (dateparser moves it, where the month lacks it: not read here)
        if months:  # "October", "October 2023": the month written, or the last one of its name
            year = years[0] if years else base.year - (months[0] > base.month)
            return dt.date(year, months[0], base.day), "month"
        return (base.replace(year=years[0]), "year") if years else None
    except ValueError:  # a day the month lacks in that year ("February 29" in 2023)
        return None


@lru_cache(maxsize=256)
def _parser(base: dt.date) -> DateDataParser:
    # Noon: "three hours ago" stays on the article's day.
    relative = dt.datetime(base.year, base.month, base.day, 12)
    return DateDataParser(languages=["en"], settings=_SETTINGS | {"RELATIVE_BASE": relative})

"""Time expressions resolved against the article date (kg.extract.temporal): no model needed."""

from __future__ import annotations

import datetime as dt
import doctest
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from unittest import mock

import pytest

import kg.extract.temporal
from kg.extract.temporal import resolve

TUESDAY = dt.date(2024, 2, 13)
WEDNESDAY = dt.date(2024, 1, 10)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a weekday names the latest such day, the article's own day included
        ("on Tuesday", "2024-02-13"),
        ("Tuesday", "2024-02-13"),
        ("early Tuesday", "2024-02-13"),
        ("last Tuesday", "2024-02-06"),
        ("on Monday", "2024-02-12"),
        ("Monday night", "2024-02-12"),
        ("late Wednesday", "2024-02-07"),
        ("Friday's", "2024-02-09"),
        ("yesterday", "2024-02-12"),
        ("last night", "2024-02-12"),
        ("tonight", "2024-02-13"),
        ("two days ago", "2024-02-11"),
        ("three hours ago", "2024-02-13"),
        # weeks, months and years keep their precision
        ("last week", "2024-W06"),
        ("the past week", "2024-W06"),
        ("earlier this week", "2024-W07"),
        ("two weeks ago", "2024-W05"),
        ("earlier this month", "2024-02"),
        ("last month", "2024-01"),
        ("earlier this year", "2024"),
        ("late last year", "2023"),
        # a month or a day without a year: the latest one not after the article
        ("in March", "2023-03"),
        ("in January", "2024-01"),
        ("since mid-October", "2023-10"),
        ("December 8", "2023-12-08"),
        ("Jan. 4", "2024-01-04"),
        ("the 4th of July", "2023-07-04"),
        ("In May", "2023-05"),
        # written in full
        ("January 4, 2024", "2024-01-04"),
        ("on Thursday, January 4, 2024", "2024-01-04"),
        ("in January 2020", "2020-01"),
        ("in 2014", "2014"),
        ("2024-02-14", "2024-02-14"),
        ("14/02/2024", "2024-02-14"),
    ],
)
def test_expressions_resolve_against_the_article_date(text: str, expected: str) -> None:
    assert resolve(text, TUESDAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on Wednesday", "2024-01-10"),
        ("late Friday", "2024-01-05"),
        ("yesterday", "2024-01-09"),
        ("December 8", "2023-12-08"),
        ("January 4, 2024", "2024-01-04"),
        ("earlier this month", "2024-01"),
        ("last week", "2024-W01"),
        ("in January 2020", "2020-01"),
        ("mid-October", "2023-10"),
        ("in 2014", "2014"),
    ],
)
def test_the_expressions_the_extractor_resolved_before_keep_their_values(text: str, expected: str) -> None:
    assert resolve(text, WEDNESDAY) == expected


@pytest.mark.parametrize(
    ("base", "text", "expected"),
    [
        (dt.date(2024, 1, 1), "on Sunday", "2023-12-31"),
        (dt.date(2024, 1, 1), "on Monday", "2024-01-01"),
        (dt.date(2024, 1, 1), "yesterday", "2023-12-31"),
        (dt.date(2024, 1, 2), "December 28", "2023-12-28"),
        (dt.date(2024, 1, 2), "in December", "2023-12"),
        (dt.date(2024, 1, 2), "January 1", "2024-01-01"),
        (dt.date(2024, 1, 2), "last week", "2023-W52"),
        (dt.date(2024, 1, 2), "last month", "2023-12"),
        (dt.date(2024, 1, 2), "last year", "2023"),
        (dt.date(2024, 12, 30), "this week", "2025-W01"),  # ISO weeks belong to the year of their Thursday
        (dt.date(2024, 3, 1), "Feb 29", "2024-02-29"),
        (dt.date(2024, 1, 2), "Feb 29", None),  # not back to 2020: a day without a year is within the past year
    ],
)
def test_year_boundaries(base: dt.date, text: str, expected: str | None) -> None:
    assert resolve(text, base) == expected


@pytest.mark.parametrize(
    "text",
    [
        "may", "a march", "10", "33", "2,500", "4th",  # words and numbers that are not dates
        "ten days", "20 years", "the past two years", "in recent weeks", "two-month", "the 1990s",  # stretches of time
        "before Tuesday", "after Monday", "by September 15", "until March", "between July 14 and 18",  # bounds, ranges
        "Monday and Tuesday", "the day before", "the next day", "that day", "two days earlier",  # another event's day
        "the weekend", "overnight", "recently", "the past", "day",
    ],
)
def test_words_that_name_no_date_of_the_act_get_no_value(text: str) -> None:
    assert resolve(text, TUESDAY) is None


@pytest.mark.parametrize(
    "text", ["Tuesday 11pm EST", "9 p.m. GMT on Tuesday", "on Tuesday at 23:30 local time", "Tuesday, 2330 GMT"]
)
def test_times_and_zones_do_not_move_the_day_written(text: str) -> None:
    # dateparser would convert "11pm EST" to UTC, the next day
    assert resolve(text, TUESDAY) == "2024-02-13"


def test_without_an_article_date_only_dates_with_their_year_resolve() -> None:
    assert resolve("January 4, 2024", None) == "2024-01-04"
    assert resolve("in January 2020", None) == "2020-01"
    assert resolve("late 2023", None) == "2023"
    for text in ("on Wednesday", "December 8", "last week", "yesterday", "in March", "last year"):
        assert resolve(text, None) is None, text


# ---------------------------------------------------------------- determinism

CASES = ["on Tuesday", "Monday night", "last week", "earlier this month", "two days ago", "in March", "December 8",
         "Feb 29", "January 4, 2024", "Tuesday 11pm EST", "ten days", "this week", "in 2014"]
BASES = [TUESDAY, dt.date(2024, 1, 1), dt.date(2024, 12, 30), dt.date(2023, 3, 1), None]


def _all() -> list[str | None]:
    return [resolve(text, base) for base in BASES for text in CASES]


@contextmanager
def _clock_at(day: dt.datetime) -> Iterator[None]:
    """dateparser's clock says ``day``; reading the machine's time zone or ``time.time`` raises."""

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("read the machine's clock or time zone")

    class Real(type):
        # Objects made before the patch (RELATIVE_BASE, dateparser's own) still pass isinstance checks.
        def __instancecheck__(cls, obj: object) -> bool:
            return isinstance(obj, cls.__mro__[1])

    class FakeDatetime(dt.datetime, metaclass=Real):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> FakeDatetime:  # type: ignore[override]
            return cls.combine(day.date(), day.time(), tz)

        @classmethod
        def today(cls) -> FakeDatetime:  # type: ignore[override]
            return cls.now()

        utcnow = today

    class FakeDate(dt.date, metaclass=Real):
        @classmethod
        def today(cls) -> FakeDate:  # type: ignore[override]
            return cls(day.year, day.month, day.day)

    with ExitStack() as stack:
        for name, module in list(sys.modules.items()):
            if name.split(".")[0] != "dateparser":
                continue
            for attr, fake in (("datetime", FakeDatetime), ("date", FakeDate), ("_get_localzone", refuse),
                               ("get_localzone", refuse)):
                if isinstance(getattr(module, attr, None), (type, type(refuse))):
                    stack.enter_context(mock.patch.object(module, attr, fake))
        stack.enter_context(mock.patch.object(time, "time", refuse))
        yield


# A common year, a leap day, a year's last moment: dateparser reads today's year in some paths
# (its strptime), which must never reach a value.
@pytest.mark.parametrize("today", [dt.datetime(1999, 3, 1), dt.datetime(2032, 2, 29, 23, 59), dt.datetime(2031, 12, 31, 23, 59)])
def test_results_do_not_depend_on_the_clock(today: dt.datetime) -> None:
    expected = _all()
    resolve.cache_clear()
    kg.extract.temporal._parser.cache_clear()
    try:
        with _clock_at(today):
            assert _all() == expected
    finally:
        resolve.cache_clear()
        kg.extract.temporal._parser.cache_clear()
    assert expected[: len(CASES)] == [
        "2024-02-13", "2024-02-12", "2024-W06", "2024-02", "2024-02-11", "2023-03", "2023-12-08",
        None, "2024-01-04", "2024-02-13", None, "2024-W07", "2014",
    ]


def test_same_results_in_any_time_zone() -> None:
    # Real processes: the zone is read when Python starts, and dateparser computes a local offset at import.
    code = (
        "import datetime as dt, json; from kg.extract.temporal import resolve; "
        f"print(json.dumps([resolve(t, None if b is None else dt.date.fromisoformat(b)) for b in {[b and b.isoformat() for b in BASES]!r} for t in {CASES!r}]))"
    )
    results = []
    for zone in ("UTC", "Pacific/Kiritimati", "Etc/GMT+12", "America/St_Johns"):
        done = subprocess.run([sys.executable, "-c", code], env={**os.environ, "TZ": zone}, capture_output=True,
                              text=True, timeout=120, check=True)
        results.append(json.loads(done.stdout))
    assert all(r == _all() for r in results)


def test_doctests() -> None:
    failures, tried = doctest.testmod(kg.extract.temporal)
    assert failures == 0 and tried > 0


# Article dates around month ends, leap days and year ends, and a spread of ordinary ones.
_EDGE_BASES = [dt.date(2024, 2, 29), dt.date(2023, 12, 31), dt.date(2024, 1, 1), dt.date(2024, 3, 1),
               dt.date(2023, 3, 28), dt.date(2025, 1, 31), dt.date(2023, 2, 28), dt.date(2024, 10, 31),
               dt.date(2023, 3, 31), dt.date(2024, 5, 30), dt.date(2025, 8, 29)]
_SPREAD_BASES = [dt.date(2019, 12, 1) + dt.timedelta(days=97 * i) for i in range(18)]


def _common_expressions() -> list[str]:
    months = [m.capitalize() for m in kg.extract.temporal.MONTHS]
    names = months + [m[:3] for m in months] + [f"{m[:3]}." for m in months] + ["Sept", "Sept."]
    weekdays = [d.capitalize() for d in kg.extract.temporal.WEEKDAYS]
    found = [*weekdays, *(d[:3] for d in weekdays), "Tues", "Thur", "Thurs", "Tue.", *names]
    found += [f"{m} {d}" for m in [*months, "Sept."] for d in range(1, 32)]
    found += [f"{d} {m}" for m in months for d in (1, 15, 28, 29, 30, 31)]
    found += [f"{m} {y}" for m in months for y in (2019, 2024, 2025)] + ["1999", "2023", "2024", "2030"]
    found += [f"{m} {d} {y}" for m in months for d in (1, 28, 29, 30, 31) for y in (2023, 2024)]
    found += [f"{d} {m} 2024" for m in months for d in (1, 29, 31)]
    found += [f"{w} {unit}" for w in ("this", "last", "next", "Last") for unit in ("week", "month", "year")]
    found += ["today", "yesterday", "Yesterday", "tomorrow", "October 12th", "October 0012", "October 05",
              "2024 October", "12 2024", "October 2024 12", "October November", "0 October", "October 40"]
    return found


def test_common_expressions_are_read_as_dateparser_reads_them() -> None:
    # The shortcut must give dateparser's own reading, or leave the expression to dateparser.
    read = 0
    for base in _EDGE_BASES + _SPREAD_BASES:
        parser = kg.extract.temporal._parser(base)
        for core in _common_expressions():
            found = kg.extract.temporal._read_common(core, base)
            if found is None:
                continue
            read += 1
            data = parser.get_date_data(core)
            assert data.date_obj is not None, (base, core)
            assert (data.date_obj.date(), data.period) == found, (base, core)
    assert read > 10_000  # most of them are read without dateparser

"""Statement qualifiers: when (resolved against the article date) and how many.

>>> import datetime as dt
>>> resolve_time("on Wednesday", dt.date(2023, 11, 30))
'2023-11-29'
>>> resolve_time("December 8", dt.date(2023, 12, 20)), resolve_time("last week", dt.date(2023, 12, 2))
('2023-12-08', '2023-W47')
>>> resolve_time("earlier this month", dt.date(2024, 2, 14)), resolve_time("in January 2020", None)
('2024-02', '2020-01')
"""

from __future__ import annotations

import datetime as dt
import re

from spacy.tokens import Span, Token

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)
_MONTH_ABBR = {m[:3]: i + 1 for i, m in enumerate(MONTHS)} | {"sept": 9}
_RELATIVE_DAYS = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}


def _month(word: str) -> int | None:
    """Month number of a name or common abbreviation ('Dec', 'Sept.')."""
    word = word.lower().rstrip(".")
    if word in MONTHS:
        return MONTHS.index(word) + 1
    if word == "sept" or (len(word) == 3 and word in _MONTH_ABBR):
        return _MONTH_ABBR[word]
    return None


def _year_for(month: int, day: int | None, ref: dt.date | None) -> int | None:
    """The year of a month (and day) given without one: the latest not after the article date."""
    if ref is None:
        return None
    year = ref.year
    if (month, day or 1) > (ref.month, ref.day):
        year -= 1
    return year


def resolve_time(text: str, ref: dt.date | None) -> str | None:
    """ISO form of a time expression, at the precision it has; None when it cannot be placed."""
    words = re.findall(r"[A-Za-z]+|\d+", text.lower())
    if not words:
        return None
    years = [int(w) for w in words if len(w) == 4 and w.isdigit() and 1900 < int(w) < 2100]
    months = [m for m in (_month(w) for w in words) if m]
    days = [int(w) for w in words if w.isdigit() and 1 <= int(w) <= 31 and len(w) <= 2]
    if months:
        month = months[0]
        day = days[0] if days else None
        year = years[0] if years else _year_for(month, day, ref)
        if year is None:
            return None
        if day is not None and not any(w in ("mid", "early", "late", "end") for w in words):
            try:
                return dt.date(year, month, day).isoformat()
            except ValueError:
                return None
        return f"{year:04d}-{month:02d}"
    for word in words:
        if word in WEEKDAYS and ref is not None:
            back = (ref.weekday() - WEEKDAYS.index(word)) % 7
            return (ref - dt.timedelta(days=back)).isoformat()
        if word in _RELATIVE_DAYS and ref is not None:
            return (ref + dt.timedelta(days=_RELATIVE_DAYS[word])).isoformat()
    if ref is not None:
        if "week" in words:
            shift = -7 if "last" in words or "past" in words else 7 if "next" in words else 0
            year, week, _ = (ref + dt.timedelta(days=shift)).isocalendar()
            return f"{year:04d}-W{week:02d}"
        if "month" in words:
            shift = -1 if "last" in words or "past" in words else 1 if "next" in words else 0
            month_index = ref.year * 12 + ref.month - 1 + shift
            return f"{month_index // 12:04d}-{month_index % 12 + 1:02d}"
        if "year" in words and ("last" in words or "this" in words or "next" in words):
            shift = -1 if "last" in words else 1 if "next" in words else 0
            return f"{ref.year + shift:04d}"
    if years:
        return f"{years[0]:04d}"
    return None


def _dates_in(sentence: Span) -> list[Span]:
    """DATE entities inside a span; a Span's ``ents`` walks the whole Doc, so the Doc's are kept once."""
    doc = sentence.doc
    dates = doc.user_data.get("kg_dates")
    if dates is None:
        dates = doc.user_data["kg_dates"] = [e for e in doc.ents if e.label_ == "DATE"]
    return [e for e in dates if e.start >= sentence.start and e.end <= sentence.end]


def time_qualifiers(trigger: Token, sentence: Span, ref: dt.date | None) -> tuple[tuple[str, str], ...]:
    """The date expression attached to a trigger (or its clause), resolved; () if none."""
    candidates = _dates_in(sentence)
    anchors = {trigger.i}
    head = trigger
    for _ in range(3):
        if head.pos_ in ("VERB", "AUX") or head.head is head:
            break
        head = head.head
        anchors.add(head.i)
    if trigger.pos_ != "VERB" and head.pos_ in ("VERB", "AUX"):
        anchors.add(head.i)
    for ent in candidates:
        token = ent.root
        for _ in range(3):
            if token.head is token:
                break
            token = token.head
            if token.i in anchors:
                text = _time_text(ent)
                value = resolve_time(text, ref)
                quals = [("time_text", text)]
                if value:
                    quals.insert(0, ("time", value))
                return tuple(quals)
            if token.pos_ in ("VERB", "AUX"):
                break
    return ()


def _time_text(ent: Span) -> str:
    """The date phrase with its preposition ('on Wednesday', 'in January 2020')."""
    root = ent.root
    text = ent.text.strip().rstrip(",")
    if root.dep_ == "pobj" and root.head.i == ent.start - 1 and root.head.lower_ in ("on", "in", "since", "during", "until", "by", "at"):
        text = f"{root.head.text} {text}"
    return text


def quantity_of(noun: Token) -> str | None:
    """'about 2,500 troops' for a counted noun, or for a bare number conjoined with one ('nearly 900')."""
    if noun.pos_ == "NUM":
        counted = noun.head if noun.dep_ == "conj" else None
        words = [t.text for t in noun.subtree if t.i <= noun.i and (t.i == noun.i or t.dep_ in ("advmod", "quantmod", "nummod"))]
        unit = counted.text if counted is not None and counted.pos_ == "NOUN" else ""
        return " ".join([*words, unit]).strip()
    numbers = [c for c in noun.children if c.dep_ == "nummod"]
    if not numbers:
        return None
    number = numbers[0]
    parts = [t for t in number.subtree if t.dep_ in ("advmod", "quantmod", "nummod", "amod") or t.i == number.i]
    parts = [t for t in parts if t.i < noun.i]
    if not parts:
        return None
    return " ".join(t.text for t in noun.doc[parts[0].i : noun.i + 1])


def times_of(verb: Token) -> str | None:
    """'around 70 times' attached to a verb."""
    for child in verb.children:
        if child.lemma_.lower() == "time" and any(c.pos_ == "NUM" for c in child.subtree):
            return " ".join(t.text for t in child.subtree)
    return None

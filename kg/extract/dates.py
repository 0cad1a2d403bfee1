"""When: the one routine that attaches a date expression to a trigger, for events and relations alike.

A date belongs to a trigger when the date phrase hangs on the trigger itself, or
on the words of its own clause it governs ("attacked ... on Tuesday", "a drone
strike on January 4"), never on another clause ("the day after ..."). The
phrase keeps its words, preposition included; its value is resolved against the
article date by :func:`kg.extract.temporal.resolve`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.tokens import Span, Token

from kg.extract import parse
from kg.extract.reading import Reading
from kg.extract.temporal import MONTHS, WEEKDAYS, resolve

__all__ = ["When", "attached", "dates_near"]

# Clause links that join two occurrences rather than two words for one.
CLAUSE_BREAKS = frozenset({"conj", "ccomp", "parataxis", "xcomp", "csubj"})
# Prepositions that keep a noun in its trigger's occurrence ("killed *in* a strike *on* Tuesday").
SAME_EVENT_PREPS = frozenset({"by", "in", "during", "with", "through", "via", "at", "of", "on"})
# Words that make a date expression without a preposition a date ("Friday phone call", "earlier this month").
CALENDAR_WORDS = frozenset(WEEKDAYS) | frozenset(MONTHS) | {"today", "yesterday", "tonight", "week", "month", "year"}


# A dateline's date: the paragraph opens with at most a place before it, and an agency and a dash follow.
_DATELINE_BEFORE = re.compile(r"(?:[A-Z][^\n]{0,60},\s*)?")
_DATELINE_AFTER = re.compile(r"\s*(?:\([^()\n]{2,40}\))?\s*(?:--|[-–—:])\s")


@dataclass(frozen=True, slots=True)
class When:
    """A date phrase as written ('on Tuesday') and its ISO value at the precision it has (or None)."""

    text: str
    value: str | None
    since: bool = False  # 'since October': the start of a period, not the date of the act




def _in_dateline(ent: Span, text: str) -> bool:
    """True for the date of a dateline ("BAGHDAD, Feb 13 (Reuters) -", "Feb 7 (AP) -"): the article's, no event's.

    ``text`` is the Doc's (joined once per Doc by the caller: ``Doc.text`` builds every token again).
    """
    start = ent.start_char
    line_start = text.rfind("\n", max(0, start - 80), start) + 1  # only near a paragraph's start: linear time
    if line_start == 0 and start > 80:
        return False
    return (
        _DATELINE_BEFORE.fullmatch(text, line_start, start) is not None
        and _DATELINE_AFTER.match(text, ent.end_char) is not None
    )


def _clause_tokens(anchors: Iterable[Token]) -> set[int]:
    """The anchors and the words above them up to their clause's verb, within one occurrence."""
    at: set[int] = set()
    for t in anchors:
        at.add(t.i)
        node = t
        for _ in range(3):
            if t.pos_ == "VERB" or parse.is_root(node) or node.dep_ in CLAUSE_BREAKS:
                break
            if node.dep_ == "pobj" and node.head.lower_ not in SAME_EVENT_PREPS:
                break
            if node.dep_ not in ("pobj", "prep", "agent", "dobj", "nsubj", "nsubjpass", "attr", "appos"):
                break
            node = node.head
            at.add(node.i)
            if node.pos_ in ("VERB", "AUX"):
                break
    return at


def dates_near(reading: Reading, anchors: Iterable[Token], span: Span) -> Iterator[When]:
    """The date phrases of ``span`` attached to the anchors' clause, in text order, each resolved only when
    the caller gets to it (a dateparser call is the cost of a date)."""
    start, end = span.start, span.end
    inside = [ent for ent in reading.date_ents if ent.start >= start and ent.end <= end]
    if not inside:
        return  # most sentences give no date: their clauses are not walked
    at = _clause_tokens(anchors)
    for ent in inside:
        if _in_dateline(ent, reading.text):
            continue
        node, hit = ent.root, False
        for _ in range(3):
            if parse.is_root(node):
                break
            node = node.head
            if node.i in at:
                hit = True
                break
            if node.pos_ in ("VERB", "AUX"):
                break
        if not hit:
            continue
        text = ent.text.strip().rstrip(",")
        doc = reading.doc
        before = doc[ent.start - 1] if ent.start > 0 else None
        prep = before if before is not None and before.pos_ in ("ADP", "SCONJ") and before.dep_ == "prep" else None
        if prep is not None:
            text = f"{prep.text} {text}"
        value = resolve(text, reading.article.date)
        if value is None and prep is None and not any(w in CALENDAR_WORDS for w in re.findall(r"[a-z]+", text.lower())):
            continue  # "ten days (after the start)": a distance in time, no date
        yield When(text, value, prep is not None and prep.lower_ == "since")


def attached(reading: Reading, anchors: Iterable[Token], span: Span) -> When | None:
    """The date of an occurrence told by these trigger words, or None."""
    for when in dates_near(reading, anchors, span):
        if not when.since:
            return when
    return None


def qualifiers(when: When | None) -> tuple[tuple[str, str], ...]:
    """A date as statement qualifiers: ('time', ISO) and ('time_text', words)."""
    if when is None:
        return ()
    if when.value:
        return (("time", when.value), ("time_text", when.text))
    return (("time_text", when.text),)

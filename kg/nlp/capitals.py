"""Capitals that stand for their state: "Tehran said" is Iran, "in Tehran" the city."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from kg.gazetteer import Gazetteer, GazetteerEntry
from kg.nlp.spans import HYPHENS, ends_line
from kg.nlp.words import load_words

WORDS = load_words()
CAPITALS_FILE = Path(__file__).resolve().parent.parent / "data" / "capitals.json"


@functools.lru_cache(maxsize=1)
def _capital_pairs() -> tuple[tuple[str, str], ...]:
    data = json.loads(CAPITALS_FILE.read_text(encoding="utf-8"))
    return tuple((country, city) for country, city in data["capitals"])


def capitals(gazetteer: Gazetteer) -> dict[str, GazetteerEntry]:
    """The country each capital city of the gazetteer stands for, by the city's entry id.

    A capital the gazetteer gives to its state outright (a layer lists "Washington"
    as a name of the United States) needs no context and is left out.
    """
    found: dict[str, GazetteerEntry] = {}
    for country_label, city_label in _capital_pairs():
        country, city = gazetteer.lookup(country_label), gazetteer.lookup(city_label)
        if country is not None and city is not None and country.cls == "Country" and city.cls == "Settlement":
            found[city.id] = country
    return found


def stands_for_state(doc: Doc, span: Span) -> bool:
    """True where a capital's name is its government: a subject, an agent, "X-backed", "X's stance", "with X".

    "In Tehran", "to Tehran", "Tehran's streets", a dateline: the city.
    """
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    possessive = after is not None and after.text in {"'s", "’s"}
    # The preposition before "at Tehran's interference" governs the possessed noun, not the capital.
    if before is not None and before.lower_ in WORDS.capitals.city_prepositions and not possessive:
        return False
    # A dateline: "BAGHDAD (Reuters) -", "Damascus, Syria—".
    opens_line = before is None or ends_line(before)
    if span.text.isupper() or (opens_line and after is not None and after.text in {",", "(", *HYPHENS}):
        return False
    if after is not None and after.text in HYPHENS and not doc[span.end - 1].whitespace_ and span.end + 1 < len(doc):
        participle = doc[span.end + 1].lower_
        return participle.endswith("ed") or participle in {"led", "run", "friendly"}
    if before is not None and before.text in HYPHENS and span.start >= 2 and doc[span.start - 2].lower_ == "pro":
        return True
    root = span.root
    while root.dep_ == "conj" and root.head.i < root.i:
        root = root.head  # "Tehran and Moscow said"
    head = root.head
    if root.dep_ in {"nsubj", "nsubjpass"}:
        return head.pos_ == "VERB"  # not "Tehran is a city"
    if root.dep_ == "poss":
        return head.pos_ == "NOUN" and head.lower_ not in WORDS.capitals.urban_nouns
    if root.dep_ == "pobj":
        # "supported by Tehran", "talks with Tehran", "called on Tehran to act"
        return head.lower_ in WORDS.capitals.state_prepositions or (
            head.lower_ == "on" and _lemma(head.head) in WORDS.capitals.address_verbs
        )
    if root.dep_ == "dobj":
        return _lemma(head) in WORDS.capitals.address_verbs
    return False


def _lemma(token: Token) -> str:
    return token.lemma_ or token.lower_

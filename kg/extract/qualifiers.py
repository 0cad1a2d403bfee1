"""Statement qualifiers: how many (times are read by :mod:`kg.extract.dates`)."""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract import parse


def quantity_of(noun: Token) -> str | None:
    """'about 2,500 troops' for a counted noun, or for a bare number conjoined with one ('nearly 900')."""
    if noun.pos_ == "NUM":
        counted = noun.head if noun.dep_ == "conj" else None
        words = [
            t.text
            for t in noun.subtree
            if t.i <= noun.i and (t.i == noun.i or t.dep_ in ("advmod", "quantmod", "nummod"))
        ]
        unit = counted.text if counted is not None and counted.pos_ == "NOUN" else ""
        return " ".join([*words, unit]).strip()
    numbers = [c for c in parse.children(noun) if c.dep_ == "nummod"]
    if not numbers:
        return None
    number = numbers[0]
    parts = [t for t in number.subtree if t.dep_ in ("advmod", "quantmod", "nummod", "amod") or t.i == number.i]
    parts = [t for t in parts if t.i < noun.i]
    if not parts:
        return None
    return " ".join(t.text for t in noun.doc[parts[0].i : noun.i + 1])

"""Title phrases: the token items a role title is read from (see :mod:`kg.extract.titles`).

An item is a title ("prime minister", "no. 2"), a title modifier ("deputy", "senior", any plain
adjective), an organization or place name, a demonym, a connector ("of", "for", "to", "at", "in",
"the"), a possessive marker, "and" between coordinated titles, a group noun after a name ("the Z
faction") or a bracketed acronym repeating the name before it ("(KRG)").
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

from kg.extract.actors import Actors, Arg
from kg.extract.lexicon import Lexicon, Title

CONNECTORS = frozenset({"of", "for", "at", "the", "to", "in"})
POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
INDEFINITE = frozenset({"a", "an", "another"})


@dataclass(frozen=True, slots=True)
class Item:
    kind: str  # "title", "mod", "org", "conn", "poss", "and", "noun" (group noun), "paren" (bracketed acronym)
    start: int
    end: int
    title: Title | None = None
    org: Arg | None = None


def has_title(items: list[Item]) -> bool:
    return any(it.kind == "title" for it in items)


class PhraseScanner:
    """Reads title phrase items forwards or backwards from a token of one Doc."""

    def __init__(self, doc: Doc, actors: Actors, lexicon: Lexicon, lowers: list[str]) -> None:
        self.doc = doc
        self.lowers = lowers  # each word's lower case
        self.actors = actors
        self.lex = lexicon
        self.modifiers = lexicon.titles.modifiers
        self.group_nouns = lexicon.coreference.group_nouns | lexicon.membership.part_nouns
        self.max_len = lexicon.max_title_len

    def word_item(self, i: int, n_max: int, backward: bool) -> Item | None:
        """A title, modifier, connector, group noun or demonym item at ``i`` (ending there if ``backward``)."""
        doc = self.doc
        for n in range(n_max, 0, -1):
            lo, hi = (i - n + 1, i + 1) if backward else (i, i + n)
            title = self.lex.title_table.get(tuple(self.lowers[lo:hi]))
            if title is not None:
                return Item("title", lo, hi, title=title)
        token = doc[i]
        lower = token.lower_
        kind = None
        if lower in self.modifiers or (
            token.tag_ == "JJ" and token.is_lower and self.actors.demonym_arg(token) is None
        ):
            kind = "mod"  # "diplomatic adviser", "senior official"
        elif lower in POSSESSIVE:
            kind = "poss"
        elif lower in CONNECTORS or (not backward and lower in INDEFINITE):
            kind = "conn"
        elif lower == "and":
            kind = "and"
        elif token.pos_ == "NOUN" and token.lemma_.lower() in self.group_nouns:
            kind = "noun"
        if kind is not None:
            return Item(kind, i, i + 1)
        demonym = self.actors.demonym_arg(token) if token.pos_ in ("ADJ", "PROPN", "NOUN") else None
        return Item("org", i, i + 1, org=demonym) if demonym is not None else None

    def item_ending_at(self, j: int, floor: int, own: Span | None = None) -> Item | None:
        """The phrase item whose last token is ``j`` (no token before ``floor``); ``own``: the name read."""
        ent = self._name_at(j)
        if ent is not None and (own is None or ent.start != own.start):
            if ent.label_ == "Person" or ent.end - 1 != j or ent.start < floor:
                return None
            return Item("org", ent.start, ent.end, org=self.actors.ent_arg(ent))
        opening = self.bracket_start(j)
        if opening is not None and opening >= floor:
            return Item("paren", opening, j + 1)
        return self.word_item(j, min(self.max_len, j - floor + 1), backward=True)

    def item_starting_at(self, i: int, ceiling: int) -> Item | None:
        """The phrase item whose first token is ``i`` (no token from ``ceiling`` on)."""
        ent = self._name_at(i)
        if ent is not None:
            if ent.label_ == "Person" or ent.start != i or ent.end > ceiling:
                return None
            return Item("org", ent.start, ent.end, org=self.actors.ent_arg(ent))
        closing = self.bracket_end(i)
        if closing is not None and closing <= ceiling:
            return Item("paren", i, closing)
        return self.word_item(i, min(self.max_len, ceiling - i), backward=False)

    def _name_at(self, i: int) -> Span | None:
        """The name at a token, unless it is one title word ('Serbian *Labour* Minister': a portfolio)."""
        ent = self.actors.ent_of(self.doc[i])
        if ent is not None and len(ent) == 1 and self.doc[i].lower_ in self.modifiers:
            return None
        return ent

    def bracket_end(self, i: int) -> int | None:
        """'(KRG)' after a name: the index after the closing bracket."""
        doc = self.doc
        if doc[i].text != "(" or i + 1 >= len(doc):
            return None
        ent = self.actors.ent_of(doc[i + 1])
        if (
            ent is None
            or ent.start != i + 1
            or ent.label_ == "Person"
            or ent.end >= len(doc)
            or doc[ent.end].text != ")"
        ):
            return None
        return ent.end + 1

    def bracket_start(self, j: int) -> int | None:
        """The opening bracket of a bracketed acronym closing at ``j``."""
        doc = self.doc
        if doc[j].text != ")" or j < 2:
            return None
        ent = self.actors.ent_of(doc[j - 1])
        if ent is None or ent.end != j or ent.label_ == "Person" or ent.start < 1 or doc[ent.start - 1].text != "(":
            return None
        return ent.start - 1

    def left_phrase(self, end: int, floor: int, own: Span | None = None) -> list[Item]:
        """Items ending at ``end`` and read leftwards, without leading connectors."""
        items: list[Item] = []
        j = end - 1
        while j >= floor:
            item = self.item_ending_at(j, floor, own)
            if item is None:
                break
            items.insert(0, item)
            j = item.start - 1
        while items and items[0].kind in ("conn", "poss", "and"):
            items.pop(0)
        return items

    def span_items(self, start: int, end: int) -> tuple[list[Item], int]:
        """Items read from ``start`` on, and the index where reading stopped (``end`` if all of it)."""
        items: list[Item] = []
        i = start
        while i < end:
            item = self.item_starting_at(i, end)
            if item is None:
                return items, i
            items.append(item)
            i = item.end
        return items, end

    def without_other_title(self, items: list[Item]) -> list[Item]:
        """Drop the title that a following person's name bears ('adviser to the President [Y]')."""
        items = list(items)
        while items and (
            items[-1].kind in ("title", "mod", "poss")
            or (items[-1].kind == "conn" and self.doc[items[-1].start].lower_ == "the")
        ):
            items.pop()
        return items

    def name_start(self, ent: Span) -> int:
        """Where the name proper begins when the recognizer took a title into it ('Israeli Prime Minister X')."""
        i, last_title = ent.start, ent.start
        while i < ent.end - 1:
            item = self.word_item(i, min(self.max_len, ent.end - 1 - i), backward=False)
            if item is None or item.kind not in ("title", "mod", "org", "conn"):
                break
            i = item.end
            if item.kind == "title":
                last_title = i
        return last_title

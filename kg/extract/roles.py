"""Role titles around person names: leaderOf / memberOf with the role kept.

Three shapes, read on the token sequence because parses of long titles vary:

* title before the name: "Iraqi Prime Minister X", "Kurdistan Region President X",
  "Pentagon's Deputy Press Secretary X", "spokesperson for the Department of State X";
* apposition after the name: "X, US Department of Defense spokesperson,", "X, the
  embassy's charge d'affaires";
* apposition before the name: "the deputy spokesperson for the US Department of Defense, X,".

A title phrase is a run of title words, organization or place names, demonyms,
possessive markers and the connectors "of", "for", "at", "the". In apposition
the whole stretch between the commas must be such a phrase.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from kg.extract.actors import Actors, Arg
from kg.extract.lexicon import Lexicon, Title
from kg.model import Ref

CONNECTORS = frozenset({"of", "for", "at", "the", "to", "in"})
POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
DELIMITERS = frozenset({",", ".", ";", ":", "(", ")", "—", "–", "-", '"', "“", "”", "!", "?"})


@dataclass(frozen=True, slots=True)
class _Item:
    kind: str  # "title", "mod", "org", "conn", "poss"
    start: int
    end: int
    title: Title | None = None
    org: Arg | None = None


@dataclass(frozen=True, slots=True)
class RoleFact:
    """A person's role found in the text, with the organization or place it is in (if named)."""

    person: Arg
    relation: str  # leaderOf / memberOf, "" when the role names no organization
    org: Arg | None
    role: str  # the title as written
    title: str  # the title's words, lower case
    anchor: int  # token index the evidence sentence is taken from
    rule: str
    extra: tuple[Arg, ...] = ()  # countries named with a department title ("United States Secretary of State")


class TitleReader:
    """Finds role titles next to person names in one Doc."""

    def __init__(self, doc: Doc, actors: Actors, lexicon: Lexicon) -> None:
        self.doc = doc
        self.actors = actors
        self.lex = lexicon
        self.modifiers = lexicon.words("titles", "modifiers")
        self.demoters = lexicon.words("titles", "demoters")
        self.unreliable = lexicon.words("titles", "unreliable")
        self.country_leader = lexicon.words("titles", "country_leader")
        self.departments = lexicon.table("titles", "departments")
        self.max_len = lexicon.max_title_len

    # ------------------------------------------------------------------ scanning
    def _item_ending_at(self, j: int, floor: int) -> _Item | None:
        """The phrase item whose last token is ``j`` (no token before ``floor``)."""
        doc = self.doc
        token = doc[j]
        ent = self.actors.ent_of(token)
        if ent is not None and ent.end - 1 == j and ent.start >= floor and ent.label_ != "Person":
            return _Item("org", ent.start, ent.end, org=self.actors.ent_arg(ent))
        if ent is not None and ent.label_ != "Person":
            return None
        for n in range(min(self.max_len, j - floor + 1), 0, -1):
            key = tuple(t.lower_ for t in doc[j - n + 1 : j + 1])
            title = self.lex.titles.get(key)
            if title is not None:
                return _Item("title", j - n + 1, j + 1, title=title)
        lower = token.lower_
        if lower in self.modifiers:
            return _Item("mod", j, j + 1)
        if lower in POSSESSIVE:
            return _Item("poss", j, j + 1)
        if lower in CONNECTORS:
            return _Item("conn", j, j + 1)
        demonym = self.actors.demonym_arg(token) if token.pos_ in ("ADJ", "PROPN", "NOUN") else None
        if demonym is not None:
            return _Item("org", j, j + 1, org=demonym)
        return None

    def _item_starting_at(self, i: int, ceiling: int) -> _Item | None:
        doc = self.doc
        token = doc[i]
        ent = self.actors.ent_of(token)
        if ent is not None and ent.start == i and ent.end <= ceiling and ent.label_ != "Person":
            return _Item("org", ent.start, ent.end, org=self.actors.ent_arg(ent))
        if ent is not None:
            return None
        for n in range(min(self.max_len, ceiling - i), 0, -1):
            key = tuple(t.lower_ for t in doc[i : i + n])
            title = self.lex.titles.get(key)
            if title is not None:
                return _Item("title", i, i + n, title=title)
        lower = token.lower_
        if lower in self.modifiers:
            return _Item("mod", i, i + 1)
        if lower in POSSESSIVE:
            return _Item("poss", i, i + 1)
        if lower in CONNECTORS or lower in ("a", "an"):
            return _Item("conn", i, i + 1)
        demonym = self.actors.demonym_arg(token) if token.pos_ in ("ADJ", "PROPN", "NOUN") else None
        if demonym is not None:
            return _Item("org", i, i + 1, org=demonym)
        return None

    def _left_phrase(self, end: int, floor: int) -> list[_Item]:
        items: list[_Item] = []
        j = end - 1
        while j >= floor:
            item = self._item_ending_at(j, floor)
            if item is None:
                break
            items.insert(0, item)
            j = item.start - 1
        while items and items[0].kind in ("conn", "poss"):
            items.pop(0)
        return items

    def _span_phrase(self, start: int, end: int) -> list[_Item] | None:
        """Items covering exactly [start, end), or None."""
        items: list[_Item] = []
        i = start
        while i < end:
            item = self._item_starting_at(i, end)
            if item is None:
                return None
            items.append(item)
            i = item.end
        return items

    # ------------------------------------------------------------------ reading a phrase
    def _read(
        self, items: list[_Item], person: Arg, anchor: int, rule: str, indefinite: bool = False
    ) -> RoleFact | None:
        """The role a title phrase gives ``person``; 'a commander of X' is one of several, so a member."""
        titles = [it for it in items if it.kind == "title" and it.title is not None and it.title.relation]
        if not titles:
            return None
        main = titles[-1]
        assert main.title is not None
        words_items = [it for it in items if it.kind in ("title", "mod")]
        first, last = words_items[0].start, words_items[-1].end
        role_tokens = self.doc[first:last]
        # Role text: the title words and modifiers, without names inside ("Deputy Press Secretary").
        role = " ".join(
            self.doc[it.start : it.end].text
            for it in items
            if it.start >= first and it.end <= last and it.kind in ("title", "mod")
        )
        lowers = {t.lower_ for t in role_tokens}
        if lowers & self.unreliable:
            return None
        title = " ".join(main.title.words)
        before = [it for it in items if it.kind == "org" and it.end <= main.start]
        after = [it for it in items if it.kind == "org" and it.start >= main.end]
        connector_after = any(it.kind == "conn" and self.doc[it.start].lower_ in ("of", "for", "at") for it in items if it.start >= main.end)
        org: Arg | None = None
        extra: tuple[Arg, ...] = ()
        department = self._department(items, title)
        if department is not None:
            org = department
            extra = tuple(it.org for it in before + after if it.org is not None and it.org.cls == "Country")
        elif before:
            org = before[-1].org
        elif after and connector_after:
            org = after[0].org
        relation = main.title.relation
        if relation == "leaderOf" and (lowers & self.demoters or indefinite):
            relation = "memberOf"
        if org is not None and relation == "leaderOf" and org.cls == "Country" and title not in self.country_leader:
            relation = "memberOf"
        if org is None:
            relation = ""
        return RoleFact(person, relation, org, role or title, title, anchor, rule, extra)

    def _department(self, items: list[_Item], title: str) -> Arg | None:
        """'Secretary of State' names the body it heads when the text names none."""
        words = [self.doc[i].lower_ for it in items if it.kind in ("title", "mod", "conn") for i in range(it.start, it.end)]
        text = " ".join(words)
        for phrase, names in self.departments.items():
            if phrase not in text:
                continue
            countries = [it.org for it in items if it.kind == "org" and it.org is not None and it.org.cls == "Country"]
            orgs = [it for it in items if it.kind == "org" and it.org is not None and it.org.cls != "Country"]
            if orgs:
                return None
            prefixes = [c.text for c in countries] + [""]
            for prefix in prefixes:
                for name in names:
                    entry = self.actors.gazetteer.lookup(f"{prefix} {name}".strip())
                    if entry is not None:
                        span = self._phrase_span(items, phrase)
                        if span is None:
                            return None
                        ref = Ref(span.start_char, span.end_char, gazetteer_id=entry.id)
                        return Arg(ref, entry.cls, entry.id, span.text, span.root.i)
        return None

    def _phrase_span(self, items: list[_Item], phrase: str) -> Span | None:
        n = len(phrase.split())
        lo = min(it.start for it in items)
        hi = max(it.end for it in items)
        for i in range(lo, hi - n + 1):
            if " ".join(t.lower_ for t in self.doc[i : i + n]) == phrase:
                return self.doc[i : i + n]
        return None

    # ------------------------------------------------------------------ public
    def facts(self) -> Iterator[RoleFact]:
        """Every role found next to a person name."""
        doc = self.doc
        for ent in doc.ents:
            if ent.label_ != "Person" or doc[ent.start].i not in self.actors.ent_at:
                continue
            person = self.actors.ent_arg(ent)
            sent = doc[ent.start].sent
            # Title before the name; a title the NER took into the name counts ("King Abdullah II").
            name_start = ent.start
            while name_start < ent.end - 1 and (doc[name_start].lower_,) in self.lex.titles:
                name_start += 1
            items = self._left_phrase(name_start, sent.start)
            fact = self._read(items, person, ent.start, "title-before") if items else None
            if fact is not None:
                yield fact
            # Apposition after the name: ", <phrase> ," up to a delimiter.
            if ent.end < sent.end and doc[ent.end].text == ",":
                stop = ent.end + 1
                while stop < sent.end and (doc[stop].text not in DELIMITERS or stop in self.actors.ent_at):
                    stop += 1
                body = ent.end + 1
                indefinite = body < stop and doc[body].lower_ in ("a", "an")
                if body < stop and doc[body].lower_ in ("the", "a", "an"):
                    body += 1
                items_after = self._span_phrase(body, stop)
                if items_after:
                    fact = self._read(items_after, person, ent.start, "title-appos", indefinite)
                    if fact is not None:
                        yield fact
            # Apposition to a title noun phrase: "received the US ambassador, X, in ...".
            root = ent.root
            if root.dep_ == "appos" and root.head.i < ent.start and (root.head.lower_,) in self.lex.titles:
                head = root.head
                left = head.left_edge.i
                indefinite = doc[left].lower_ in ("a", "an")
                if doc[left].lower_ in ("the", "a", "an"):
                    left += 1
                right = max([head.i] + [t.i for c in head.children if c.dep_ == "prep" and c.i < ent.start for t in c.subtree])
                if right < ent.start - 1 and doc[right + 1].text == ",":
                    items_np = self._span_phrase(left, right + 1)
                    if items_np:
                        fact = self._read(items_np, person, ent.start, "title-appos-np", indefinite)
                        if fact is not None:
                            yield fact
            # Apposition before the name: "<phrase>, X," with the name closed by a delimiter.
            closed = ent.end >= sent.end or doc[ent.end].text in DELIMITERS
            if ent.start - 1 > sent.start and doc[ent.start - 1].text == "," and closed:
                start = ent.start - 2
                while start >= sent.start and (doc[start].text not in DELIMITERS or start in self.actors.ent_at):
                    start -= 1
                body = start + 1
                # Leading words that open the clause ("On Thursday ,") stop at the last delimiter;
                # a leading article belongs to the phrase.
                if body < ent.start - 1 and doc[body].lower_ in ("the", "a", "an"):
                    body += 1
                items_before = self._span_phrase(body, ent.start - 1)
                if items_before:
                    fact = self._read(items_before, person, ent.start, "title-appos-before")
                    if fact is not None:
                        yield fact

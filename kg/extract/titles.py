"""Role titles around person names: whom a person leads or belongs to, with the role kept.

Shapes, read on the token sequence because parses of long titles vary:

* title before the name: "Iraqi Prime Minister X", "Kurdistan Region President X", "the
  ministry's spokesperson X", also when the recognizer took the title into the name;
* apposition after the name: "X, US Department of Defense spokesperson,"; the phrase may end at
  another person, whose title is his own ("X, adviser to the <country> President Y," makes X a
  member of the country), or at a preposition that opens no title ("X, an MP with ties to Z,");
* apposition before the name: "the deputy spokesperson for the US Department of Defense, X,"; in a
  longer clause, a definite description right before the name ("led by the leader of the Z
  militia, X,"), unless the phrase already describes the name before it ("A, head of B, X, ...").

A title phrase is a run of title words, organization or place names (an acronym in brackets after
a name repeats it), demonyms, possessive markers, group nouns after a name ("the Z faction"),
connectors ("of", "for", "to", "at", "in", "the") and "and" between coordinated titles ("Deputy
Prime Minister and Minister of Foreign Affairs": one role each; a name before the first title
belongs to all of them).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from kg.extract import parse
from kg.extract.actors import Actors, Arg
from kg.extract.lexicon import Lexicon
from kg.extract.title_phrases import INDEFINITE, Item, PhraseScanner, has_title
from kg.model import Ref

ORG_CONNECTORS = frozenset({"of", "for", "at"})  # "head of X": the name after the title is the body
DELIMITERS = frozenset({",", ".", ";", ":", "(", ")", "—", "–", "-", '"', "“", "”", "!", "?"})
DETERMINERS = frozenset({"the", "a", "an", "another"})


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

    def __init__(self, doc: Doc, actors: Actors, lexicon: Lexicon, lowers: list[str]) -> None:
        self.doc = doc
        self.actors = actors
        self.lex = lexicon
        self.scan = PhraseScanner(doc, actors, lexicon, lowers)
        self.demoters = lexicon.titles.demoters
        self.unreliable = lexicon.titles.unreliable
        self.country_leader = lexicon.titles.country_leader
        self.serving = lexicon.titles.serving
        self.departments = lexicon.titles.departments

    # ------------------------------------------------------------------ reading a phrase
    def _read(self, items: list[Item], person: Arg, anchor: int, rule: str, indefinite: bool = False) -> list[RoleFact]:
        """The roles a title phrase gives ``person``, one per coordinated title."""
        groups: list[list[Item]] = [[]]
        for item in items:
            if item.kind == "and":
                groups.append([])
            else:
                groups[-1].append(item)
        merged: list[list[Item]] = []
        for group in groups:
            if has_title(group) or not merged:
                merged.append(group)
            else:
                merged[-1].extend(group)  # "spokesman for Iraq and Syria": one title
        merged = [g for g in merged if has_title(g)]
        if not merged:
            return []
        first, last = merged[0], merged[-1]
        first_title = next(it for it in first if it.kind == "title")
        shared_before = [it.org for it in first if it.kind == "org" and it.end <= first_title.start and it.org]
        last_title = [it for it in last if it.kind == "title"][-1]
        shared_after = [it.org for it in last if it.kind == "org" and it.start >= last_title.end and it.org]
        facts = []
        for n, group in enumerate(merged):
            shared = (shared_before if n > 0 else []) + (shared_after if n < len(merged) - 1 else [])
            fact = self._read_one(group, person, anchor, rule, indefinite and n == 0, shared)
            if fact is not None:
                facts.append(fact)
        return facts

    def _read_one(
        self, items: list[Item], person: Arg, anchor: int, rule: str, indefinite: bool, shared: list[Arg]
    ) -> RoleFact | None:
        """The role one title phrase gives; 'a commander of X' is one of several, so a member."""
        titles = [it for it in items if it.kind == "title" and it.title is not None and it.title.relation]
        if not titles:
            return None
        main = titles[-1]
        assert main.title is not None
        # The title's own words: those after the last connector before it ("adviser to the [Deputy Speaker]").
        run_start = items[0].start
        for it in items:
            if (
                it.kind == "conn"
                and it.end <= main.start
                and self.doc[it.start].lower_ in ("of", "for", "to", "at", "in")
            ):
                run_start = it.end
        run = [it for it in items if run_start <= it.start and it.end <= main.end and it.kind in ("title", "mod")]
        role = " ".join(self.doc[it.start : it.end].text for it in run)
        lowers = {t.lower_ for it in run for t in self.doc[it.start : it.end]}
        if lowers & self.unreliable:
            return None
        title = " ".join(main.title.words)
        before = [it for it in items if it.kind == "org" and it.end <= main.start and run_start <= it.start]
        before = before or [it for it in items if it.kind == "org" and it.end <= main.start]
        connectors = ORG_CONNECTORS | ({"to"} if main.title.words[-1] in self.serving else set())
        org: Arg | None = None
        extra: tuple[Arg, ...] = ()
        named = [it.org for it in items if it.kind == "org" and it.org is not None]
        department = self._department(items, title, named + shared)
        if department is not None:
            org = department
            extra = tuple(a for a in named + shared if a.cls == "Country")
        elif before:
            org = before[-1].org
        else:
            org = self._org_after(items, main, connectors) or (shared[0] if shared else None)
        relation = main.title.relation
        if relation == "leaderOf" and (lowers & self.demoters or indefinite):
            relation = "memberOf"
        if org is not None and relation == "leaderOf" and org.cls == "Country" and title not in self.country_leader:
            relation = "memberOf"
        if org is None:
            relation = ""
        return RoleFact(person, relation, org, role or title, title, anchor, rule, extra)

    def _org_after(self, items: list[Item], main: Item, connectors: frozenset[str] | set[str]) -> Arg | None:
        """The body after 'of/for/at' (or 'to' after an adviser): in 'the PMF's Z faction', Z."""
        after = [it for it in items if it.start >= main.end]
        if not any(it.kind == "conn" and self.doc[it.start].lower_ in connectors for it in after):
            return None
        org: Arg | None = None
        open_phrase = False  # the next name still belongs to the same noun phrase ("Iranian Quds Force", "PMF's Z")
        for it in after:
            if it.kind == "org":
                if org is None or open_phrase:
                    org = it.org
                open_phrase = True
            elif it.kind in ("title", "and") or (it.kind == "conn" and org is not None):
                break
        return org

    def _department(self, items: list[Item], title: str, named: list[Arg]) -> Arg | None:
        """'Secretary of State' names the body it heads when the text names none.

        With a country named, only that country's department (the bare name's entry must be named
        for it); with none, the body the bare name denotes, unless a nationality the gazetteer does
        not know comes just before ('British Defence Secretary' heads no department it knows).
        """
        words = [
            self.doc[i].lower_ for it in items if it.kind in ("title", "mod", "conn") for i in range(it.start, it.end)
        ]
        text = " ".join(words)
        for phrase, names in self.departments.items():
            if phrase not in text:
                continue
            if any(a.cls != "Country" for a in named):
                return None
            start = min(it.start for it in items)
            before = self.doc[start - 1] if start > 0 else None
            if (
                not named
                and before is not None
                and (before.ent_type_ or (before.is_title and before.pos_ in ("ADJ", "PROPN")))
            ):
                return None
            for prefix in [a.text for a in named] + [""]:
                for name in names:
                    entry = self.actors.gazetteer.lookup(f"{prefix} {name}".strip())
                    if entry is not None and (prefix or not named or any(a.key in entry.id for a in named)):
                        span = self._phrase_span(items, phrase)
                        if span is None:
                            return None
                        ref = Ref(span.start_char, span.end_char, gazetteer_id=entry.id)
                        return Arg(ref, entry.cls, entry.id, span.text, span.root.i)
        return None

    def _phrase_span(self, items: list[Item], phrase: str) -> Span | None:
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
        for ent in self.actors.ents:
            if ent.label_ != "Person" or ent.start not in self.actors.ent_at:
                continue
            person = self.actors.ent_arg(ent)
            sent = self.doc[ent.start].sent
            yield from self._before(ent, person, sent)
            yield from self._appos_after(ent, person, sent)
            yield from self._appos_noun(ent, person)
            yield from self._appos_before(ent, person, sent)

    def _before(self, ent: Span, person: Arg, sent: Span) -> Iterator[RoleFact]:
        """'Iraqi Prime Minister X' (a title the recognizer took into the name counts: 'King Abdullah II')."""
        items = self.scan.left_phrase(self.scan.name_start(ent), sent.start, own=ent)
        if items and items[-1].kind not in ("and", "conn", "poss"):  # "the Syrian president and X": not X's title
            yield from self._read(items, person, ent.start, "title-before")

    def _appos_after(self, ent: Span, person: Arg, sent: Span) -> Iterator[RoleFact]:
        """', <phrase> ,' up to a delimiter, another person, or a preposition that opens no title."""
        doc = self.doc
        if ent.end >= sent.end or doc[ent.end].text != ",":
            return
        stop = ent.end + 1
        while stop < sent.end:
            bracket = self.scan.bracket_end(stop)
            if bracket is not None:
                stop = bracket
            elif doc[stop].text not in DELIMITERS or stop in self.actors.ent_at:
                stop += 1
            else:
                break
        body = ent.end + 1
        indefinite = body < stop and doc[body].lower_ in INDEFINITE
        if body < stop and doc[body].lower_ in DETERMINERS:
            body += 1
        items, at = self.scan.span_items(body, stop)
        if at < stop:
            other = self.actors.ent_of(doc[at])
            if other is not None and other.label_ == "Person":
                items = self.scan.without_other_title(items)
            elif not (doc[at].pos_ == "ADP" or doc[at].tag_ in ("VBN", "VBG", "WP")):
                return
        if items:
            yield from self._read(items, person, ent.start, "title-appos", indefinite)

    def _appos_noun(self, ent: Span, person: Arg) -> Iterator[RoleFact]:
        """A name in apposition to a title noun phrase: 'received the US ambassador, X, in ...'."""
        doc = self.doc
        root = ent.root
        if root.dep_ != "appos" or root.head.i >= ent.start or (root.head.lower_,) not in self.lex.title_table:
            return
        head = root.head
        left = head.left_edge.i
        indefinite = doc[left].lower_ in INDEFINITE
        if doc[left].lower_ in DETERMINERS:
            left += 1
        right = max(
            [head.i] + [t.i for c in parse.children(head) if c.dep_ == "prep" and c.i < ent.start for t in c.subtree]
        )
        if right < ent.start - 1 and doc[right + 1].text == ",":
            items, at = self.scan.span_items(left, right + 1)
            if items and at == right + 1:
                yield from self._read(items, person, ent.start, "title-appos-np", indefinite)

    def _appos_before(self, ent: Span, person: Arg, sent: Span) -> Iterator[RoleFact]:
        """'<phrase>, X,' with the name closed by a delimiter."""
        doc = self.doc
        closed = ent.end >= sent.end or doc[ent.end].text in DELIMITERS
        if not (ent.start - 1 > sent.start and doc[ent.start - 1].text == "," and closed):
            return
        start = ent.start - 2
        while start >= sent.start:
            bracket = self.scan.bracket_start(start)
            if bracket is not None:
                start = bracket - 1
            elif doc[start].text not in DELIMITERS or start in self.actors.ent_at:
                start -= 1
            else:
                break
        if start >= sent.start and doc[start].text == "," and self._ends_person(start - 1):
            return  # "A, head of B, X, ...": the phrase describes A
        body = start + 1
        indefinite = body < ent.start - 1 and doc[body].lower_ in INDEFINITE
        # Leading words that open the clause ("On Thursday ,") stop at the last delimiter; a leading
        # article belongs to the phrase.
        if body < ent.start - 1 and doc[body].lower_ in DETERMINERS:
            body += 1
        items, at = self.scan.span_items(body, ent.start - 1)
        if at < ent.start - 1:
            other = self.actors.ent_of(doc[at])
            if other is not None and other.label_ == "Person" and other.end == ent.start - 1:
                items = self.scan.without_other_title(items)
            else:
                # "... led by the leader of the Z militia, X,": a definite description ends the clause
                items = self.scan.left_phrase(ent.start - 1, body)
                if not items or doc[items[0].start - 1].lower_ != "the":
                    return
                indefinite = False
        if items:
            yield from self._read(items, person, ent.start, "title-appos-before", indefinite)

    def _ends_person(self, j: int) -> bool:
        if j < 0:
            return False
        if self.doc[j].is_punct and j > 0 and self.doc[j].text in ('"', "”", "'", ")"):
            j -= 1
        ent = self.actors.ent_of(self.doc[j])
        return ent is not None and ent.label_ == "Person" and ent.end == j + 1



"""Backing and affiliation: who sponsors, leads or is linked to an organization.

* affixes: "pro-X", "X-backed", "X-aligned" (backedBy), "X-linked" (affiliatedWith), "X-led"
  (leaderOf), on the noun they modify or inside a name ("the US-led coalition");
* participles: "groups backed by X", "militias aligned with X", "X, linked to Y", "X, which is led by
  Y", "X (X), led by A, and Z (Z), led by B" (a participle right after a name's comma describes that
  name when the parse hangs it elsewhere); "led by the leader of W, Y" gives Y;
* appositions: "X, Y's ally", "X, an ally of Y" (affiliatedWith); "X, Y's proxy" (backedBy);
* ties: "X, an MP with ties to Y", "X has links to Y" (affiliatedWith; not between two states);
* a state backing an armed group: "Iran arms the Houthis", "Iran's support for X" (backedBy).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from spacy.tokens import Token

from kg.extract import modality, parse, syntax
from kg.extract.actors import Arg, unique_args
from kg.extract.findings import Finding
from kg.extract.reading import Reading
from kg.extract.rules.describe import (
    appos_subject,
    ent_before_comma,
    modified_noun,
    participle_subject,
    title_bearer,
)
from kg.model import Ref
from kg.vocab import Predicate

SPONSOR_CLASSES = frozenset({"Country", "GovernmentBody"})


def find(reading: Reading) -> Iterator[Finding]:
    """Backing and affiliation findings of the article."""
    reader = _Reader(reading)
    texts = reading.texts
    for token in reading.tokens:
        i = token.i
        if reading.unit_of[i] < 0:
            continue
        if "-" in texts[i] or (i + 1 < len(texts) and texts[i + 1] == "-"):
            yield from reader.affix(token)
        lower, lemma, pos = reading.lowers[i], reading.lemmas[i], reading.pos[i]
        if lower in reader.participle_words and pos in ("VERB", "ADJ", "ADP", "ADV"):
            yield from reader.participle(token)
        if pos in ("NOUN", "PROPN"):
            if lemma in ("ally", "partner", "proxy"):
                yield from reader.appos_ally(token)
            if lemma in reader.tie_nouns or lower in reader.tie_nouns:
                yield from reader.ties(token)
        if lemma in reader.backing_verbs or lemma in reader.backing_nouns:
            yield from reader.state_backing(token)


class _Reader:
    def __init__(self, reading: Reading) -> None:
        self.r = reading
        lex = reading.lexicon
        self.prefixes = lex.backing.prefixes
        self.suffixes = lex.backing.suffixes
        self.participles = lex.backing.participles
        self.participle_words = frozenset(key.split()[0] for key in self.participles)
        self.state_only = lex.backing.state_only
        self.tie_nouns = lex.backing.tie_nouns
        self.backing_verbs = lex.backing.verbs
        self.backing_nouns = lex.backing.nouns
        self.denial = lex.clauses.denial
        self._prefix_word, self._suffix_word = _affix_words(tuple(self.prefixes), tuple(self.suffixes))

    # ------------------------------------------------------------------ affixes
    def affix(self, token: Token) -> Iterator[Finding]:
        """'pro-X' / 'pro - X', 'X-backed' / 'X - backed'."""
        doc = self.r.doc
        lower = token.lower_
        nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
        after = doc[token.i + 2] if token.i + 2 < len(doc) else None
        if lower in self.prefixes and nxt is not None and nxt.text == "-" and after is not None and after.is_alpha:
            yield from self._affix(after, after, "backedBy", "prefix")
        elif self._prefix_word.match(lower):
            yield from self._affix(token, token, "backedBy", "prefix")
        if (
            token.is_alpha
            and nxt is not None
            and nxt.text == "-"
            and after is not None
            and after.lower_ in self.suffixes
        ):
            yield from self._affix(token, after, self.suffixes[after.lower_], "suffix")
        elif self._suffix_word.match(lower):
            yield from self._affix(token, token, self.suffixes[lower.rsplit("-", 1)[1]], "suffix")

    def _affix(self, sponsor_token: Token, last: Token, predicate: str, kind: str) -> Iterator[Finding]:
        sponsor = self._word_arg(sponsor_token)
        if sponsor is None or not predicate:
            return
        # The name the modifier sits in ("US-led coalition"), else the noun it modifies.
        ent = self.r.actors.ent_at.get(last.i)
        if ent is not None and ent.end > last.i + 1:
            beneficiaries = [self.r.actors.ent_arg(ent)]
        else:
            beneficiaries = modified_noun(self.r, last, sponsor)
        yield from _backing(predicate, beneficiaries, [sponsor], last.i, f"backing-{kind}", 0.8)

    def _word_arg(self, token: Token) -> Arg | None:
        """The actor one word names, even inside a longer name ('US' in 'US-led coalition')."""
        actors = self.r.actors
        ent = actors.ent_at.get(token.i)
        if ent is not None and ent.start == token.i and ent.end == token.i + 1:
            return actors.ent_arg(ent)
        text, start = token.text, token.idx
        if "-" in text and len(text.split("-")) == 2:
            head, tail = text.split("-")
            if head.lower() in self.prefixes:
                text, start = tail, token.idx + len(head) + 1
            else:
                text = head
        entry = actors.gazetteer.demonym(text) or actors.gazetteer.lookup(text)
        if entry is None:
            return None
        return Arg(Ref(start, start + len(text), gazetteer_id=entry.id), entry.cls, entry.id, text, token.i)

    # ------------------------------------------------------------------ participles
    def participle(self, token: Token) -> Iterator[Finding]:
        """'groups backed by Iran', 'militias aligned with Tehran', 'X, linked to Y', 'X, led by Y'."""
        for prep in parse.children(token):
            if prep.dep_ not in ("prep", "agent"):
                continue
            key = f"{token.lower_} {prep.lower_}"
            predicate = self.participles.get(key)
            if predicate is None:
                continue
            if token.pos_ == "VERB" and token.tag_ != "VBN" and not (token.dep_ == "conj" and token.tag_ == "VBD"):
                continue
            if modality.negated(token):
                continue
            sponsors: list[Arg] = []
            for pobj in parse.children(prep):
                if pobj.dep_ == "pobj":
                    sponsors.extend(self.r.args(pobj) or title_bearer(self.r, pobj))
            if key in self.state_only:
                sponsors = [s for s in sponsors if s.cls in SPONSOR_CLASSES]
            described = participle_subject(self.r, token)
            if not described and token.i > 0 and self.r.doc[token.i - 1].text == ",":
                # "the Z party (Z), led by X": the parse hung the participle elsewhere
                adjacent = ent_before_comma(self.r, token)
                described = [adjacent] if adjacent is not None else []
            yield from _backing(predicate, described, sponsors, token.i, "backing-participle", 0.75)

    # ------------------------------------------------------------------ appositions and ties
    def appos_ally(self, noun: Token) -> Iterator[Finding]:
        """'X, Y's ally' / 'X, an ally of Y' (affiliatedWith); 'X, Y's proxy' (backedBy)."""
        lemma = noun.lemma_.lower()
        if lemma not in ("ally", "partner", "proxy") or noun.dep_ not in ("appos", "conj"):
            return
        if noun.dep_ == "conj" and ent_before_comma(self.r, noun) is None:
            return
        others = [a for c in parse.children(noun) if c.dep_ == "poss" for a in self.r.args(c, expand=False)]
        others += [a for t in syntax.prep_objects(noun, ("of",)) for a in self.r.args(t, expand=False)]
        if others:
            predicate = "backedBy" if lemma == "proxy" else "affiliatedWith"
            yield from _backing(predicate, appos_subject(self.r, noun), others, noun.i, "appos-ally", 0.7)

    def ties(self, noun: Token) -> Iterator[Finding]:
        """'X, an MP with ties to Y', 'X has close links with Y': X is affiliated with Y."""
        if noun.lemma_.lower() not in self.tie_nouns and noun.lower_ not in self.tie_nouns:
            return
        others = [a for t in syntax.prep_objects(noun, ("to", "with")) for a in self.r.args(t)]
        if not others:
            return
        head = noun.head
        holders: list[Arg] = []
        if noun.dep_ == "pobj" and head.lower_ == "with" and head.head.pos_ in ("NOUN", "PROPN"):
            holders = self.r.args(head.head, expand=False)
        elif noun.dep_ == "dobj" and syntax.is_verbal(head) and not modality.negated(head):
            holders = [a for t in syntax.subjects(head) for a in self.r.args(t, expand=False)]
        pairs = [(h, o) for h in holders for o in others if not (h.cls == o.cls == "Country")]
        for h, o in pairs:
            yield Finding(None, Predicate.AFFILIATED_WITH, noun.i, (h,), (o,), "ties", 0.7)

    # ------------------------------------------------------------------ states backing armed groups
    def state_backing(self, token: Token) -> Iterator[Finding]:
        """'Iran arms / funds / backs X', 'Iran's support for X': a state sponsoring an armed group."""
        lemma = token.lemma_.lower()
        if token.pos_ == "VERB" and lemma in self.backing_verbs and not syntax.is_passive(token):
            mood = modality.mood(token)
            if mood.negated or mood.condition or self._denied(token):
                return
            sponsors = [a for t in syntax.subjects(token) for a in self.r.args(t, expand=False)]
            groups = [a for t in syntax.direct_objects(token) for a in self.r.args(t, expand=False)]
            rule = "backing-verb"
        elif token.pos_ == "NOUN" and lemma in self.backing_nouns and not modality.negated(token):
            # named sponsors only: "its support" leaves too much to coreference
            sponsors = [a for c in parse.children(token) if c.dep_ in ("poss", "amod", "compound") and c.i < token.i
                        for a in [self.r.actors.at(c)] if a is not None]
            groups = [a for t in syntax.prep_objects(token, ("for", "of", "to")) for a in self.r.args(t, expand=False)]
            rule = "backing-noun"
        else:
            return
        sponsors = [s for s in sponsors if s.cls in SPONSOR_CLASSES]
        groups = [g for g in groups if g.cls == "ArmedGroup"]
        yield from _backing("backedBy", groups, sponsors, token.i, rule, 0.75)

    def _denied(self, verb: Token) -> bool:
        """'X denied arming Y'."""
        node = verb
        for _ in range(3):
            if node.dep_ not in ("xcomp", "ccomp", "pcomp", "conj") or parse.is_root(node):
                return False
            node = node.head if node.dep_ != "pcomp" else node.head.head
            if node.lemma_.lower() in self.denial:
                return True
        return False


@lru_cache(maxsize=4)
def _affix_words(prefixes: tuple[str, ...], suffixes: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """One-token affixed words ('pro-iran', 'iran-backed'), compiled once per lexicon."""
    return (
        re.compile("^(" + "|".join(map(re.escape, prefixes)) + ")-[a-z]+$"),
        re.compile("^[a-z.]+-(" + "|".join(map(re.escape, suffixes)) + ")$"),
    )


def _backing(predicate: str, described: list[Arg], sponsors: list[Arg], anchor: int, rule: str, confidence: float
             ) -> Iterator[Finding]:
    """leaderOf goes from the sponsor to the group; backedBy and affiliatedWith from the group to the sponsor."""
    described, sponsors = unique_args(described), unique_args(sponsors)
    if not described or not sponsors:
        return
    if predicate == "leaderOf":
        yield Finding(None, Predicate.LEADER_OF, anchor, tuple(sponsors), tuple(described), rule, confidence)
    else:
        yield Finding(None, Predicate(predicate), anchor, tuple(described), tuple(sponsors), rule, confidence)

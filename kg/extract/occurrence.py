"""One occurrence and its details: is it one concrete act, where, and how many died or were hurt.

An event is one concrete occurrence reported in one sentence. Summaries are no
events: counted, plural or quantified acts ("more than 150 drone strikes",
"most of the attacks", "several strikes"), running tallies ("have been attacked
70 times since October"), habits ("routinely"). Words that tell the same
occurrence ("were killed by a US drone strike") are grouped into one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from kg.extract import parse, syntax
from kg.extract.actors import Arg, noun_forms, unique_args
from kg.extract.dates import CLAUSE_BREAKS, SAME_EVENT_PREPS, attached, dates_near
from kg.extract.reading import QUANTIFIERS, Reading
from kg.extract.temporal import MONTHS, WEEKDAYS

SAME_TIME_MARKS = frozenset({"when", "as", "while"})


@dataclass
class Casualties:
    """Figures an occurrence carries, and the number tokens they were read from (claims skip those)."""

    counts: dict[str, int] = field(default_factory=dict)
    used: set[int] = field(default_factory=set)
    anchors: list[Token] = field(default_factory=list)


class Occurrences:
    """Occurrence-level questions about the tokens of one Reading."""

    def __init__(self, reading: Reading) -> None:
        self.r = reading
        lex = reading.lexicon
        self.victim_kind = {lemma: kind for kind, lemmas in lex.events.victim_verbs.items() for lemma in lemmas}
        self.cause_verbs = lex.events.cause_verbs
        self.anaphoric = lex.events.anaphoric_determiners
        self.nonspecific = lex.events.nonspecific_determiners
        self.summary = lex.events.summary_quantifiers | QUANTIFIERS
        self.habitual = lex.events.habitual_adverbs
        self.place_preps = lex.events.place_preps
        self.victim_nouns = lex.claims.victim_nouns | lex.membership.member_nouns
        self.times_nouns = lex.claims.times_nouns
        self.approximations = lex.claims.approximations
        self.number_words = {k.lower(): int(v) for k, v in lex.claims.number_words.items()}
        self.measure_of = {form: m for m, forms in lex.claims.measures.items() for form in forms}
        self.act_nouns = lex.act_nouns

    # ------------------------------------------------------------------ concreteness
    def concrete(self, trigger: Token, span: Span) -> bool:
        """One past, factual occurrence (a verb) or one specific, new act (a noun)."""
        if trigger.pos_ in ("NOUN", "PROPN"):
            return self._concrete_noun(trigger, span)
        return self._concrete_verb(trigger, span)

    def _concrete_verb(self, v: Token, span: Span) -> bool:
        tag = v.tag_
        if tag in ("VBZ", "VBP"):
            # headlines tell past events in the present; elsewhere the present is a habit or a stance
            if self.r.unit_of[v.i] != self.r.headline_unit:
                return False
        elif tag == "VBG":
            progressive = any(c.dep_ == "aux" and c.lemma_ == "be" for c in parse.children(v))
            if not progressive and (v.dep_ not in ("advcl", "conj", "pcomp") or v.head.tag_ not in ("VBD", "VBN")):
                return False
        elif tag == "VB":
            if not any(c.dep_ == "aux" and c.lower_ in ("did", "will", "would", "'ll") for c in parse.children(v)):
                return v.dep_ == "xcomp"  # governed: the governor's tense decides
        elif tag not in ("VBD", "VBN") or v.dep_ == "amod":
            return False
        if self.times(v) not in (None, 1):
            return False
        for child in parse.children(v):
            if child.dep_ in ("nsubj", "nsubjpass") and self.summary_noun(child):
                return False
            if child.dep_ == "advmod" and child.lower_ in self.habitual:
                return False
        if any(c.dep_ == "aux" and c.lemma_ == "have" for c in parse.children(v)) and self._running(v, span):
            # "have been targeted 70 times since October": a tally unless dated to a day
            return self.dated_to_a_day([v], span)
        return True

    def _running(self, v: Token, span: Span) -> bool:
        """A perfect that counts over a period ('since October', 'so far', 'repeatedly', 'N times')."""
        if self.times(v) is not None:
            return True
        if any(w.since for w in dates_near(self.r, [v], span)):
            return True
        words = {c.lower_ for c in v.subtree if c.dep_ in ("advmod", "prep", "npadvmod")}
        return bool(words & {"since", "repeatedly", "so", "far", "already", "regularly", "often", "ever"})

    def _concrete_noun(self, n: Token, span: Span) -> bool:
        if self.summary_noun(n):
            return False
        dets = {c.lower_ for c in parse.children(n) if c.dep_ in ("det", "predet", "poss")}
        if dets & (self.anaphoric | self.nonspecific):
            return False
        if (
            n.tag_ in ("NNS", "NNPS")
            and noun_forms(n) & self.act_nouns
            and n.lemma_.lower() not in ("talk", "negotiation")
        ):
            governor = syntax.governing_verb(n)
            if "the" in dets or governor is None or governor.tag_ != "VBD":
                return False
            return self.dated_to_a_day([n, governor], span)
        return True

    def dated_to_a_day(self, anchors: Sequence[Token], span: Span) -> bool:
        when = attached(self.r, anchors, span)
        if when is None:
            return False
        words = set(re.findall(r"[a-z]+|\d+", when.text.lower()))
        if words & set(WEEKDAYS) or words & {"today", "yesterday"}:
            return True
        return bool(words & set(MONTHS)) and any(w.isdigit() and len(w) <= 2 for w in words)

    def summary_noun(self, n: Token) -> bool:
        """Counted or quantified acts ('150 strikes', 'several strikes', 'most of the attacks')."""
        if not noun_forms(n) & self.act_nouns:
            return False
        for child in parse.children(n):
            if child.dep_ == "nummod" and (self.number(child) or 0) > 1:
                return True
            if child.dep_ in ("amod", "det", "quantmod", "advmod") and child.lower_ in self.summary:
                return True
        return n.dep_ == "pobj" and n.head.lower_ == "of" and n.head.head.lower_ in self.summary

    def times(self, verb: Token) -> int | None:
        """N in 'attacked ... around 70 times'; None when the verb has no such count."""
        for child in parse.children(verb):
            if child.dep_ == "npadvmod":
                nouns = [child]
            elif child.dep_ == "prep":
                nouns = [p for p in parse.children(child) if p.dep_ == "pobj"]
            else:
                continue
            for noun in nouns:
                if noun.lemma_.lower() in self.times_nouns:
                    for num in parse.children(noun):
                        if num.dep_ == "nummod":
                            return self.number(num)
        return None

    def number(self, token: Token) -> int | None:
        """The integer a number word or numeral spells ('2,500', 'eight', 'twenty-five'); None otherwise."""
        text = token.text.lower().replace(",", "")
        if re.fullmatch(r"\d+", text):
            return int(text)
        if text in self.number_words:
            return self.number_words[text]
        parts = text.split("-")
        if len(parts) == 2 and all(p in self.number_words for p in parts):
            return sum(self.number_words[p] for p in parts)
        return None

    def approximation(self, number: Token) -> tuple[str | None, Token | None]:
        """The hedge before a number as written ('at least', 'more than', 'nearly') and its first token."""
        before = [
            c for c in number.subtree if c.i < number.i and c.dep_ in ("advmod", "quantmod", "amod", "prep", "pobj")
        ]
        if not before:
            return None, None
        words = " ".join(c.lower_ for c in before)
        return (words, before[0]) if words in self.approximations else (None, None)

    # ------------------------------------------------------------------ grouping
    def group(self, triggers: Sequence[Token]) -> list[list[Token]]:
        """Triggers grouped by occurrence: one is a dependent of the other within a clause."""
        at = {t.i: t for t in triggers}
        parent = {i: i for i in at}

        def root(i: int) -> int:
            while parent[i] != i:
                i = parent[i]
            return i

        for t in triggers:
            node = t
            for _ in range(6):
                if parse.is_root(node):
                    break
                if node.dep_ in CLAUSE_BREAKS and not self._same_occurrence_conj(node):
                    break
                if node.dep_ == "advcl" and not self._same_time(node):
                    break
                if node.dep_ in ("pobj", "pcomp") and node.head.lower_ not in SAME_EVENT_PREPS:
                    break
                node = node.head
                if node.i in at:
                    parent[root(t.i)] = root(node.i)
                    break
        groups: dict[int, list[Token]] = {}
        for i in sorted(at):
            groups.setdefault(root(i), []).append(at[i])
        return list(groups.values())

    def _same_occurrence_conj(self, verb: Token) -> bool:
        """'X struck Y and killed Z', 'three were killed and 40 injured': one occurrence told in two verbs."""
        if verb.dep_ != "conj" or verb.pos_ != "VERB" or verb.head.pos_ != "VERB":
            return False
        if verb.lemma_.lower() in self.victim_kind or verb.head.lemma_.lower() in self.victim_kind:
            return True
        return not any(c.dep_ in ("nsubj", "nsubjpass") for c in parse.children(verb))

    @staticmethod
    def _same_time(clause: Token) -> bool:
        marks = {c.lower_ for c in parse.children(clause) if c.dep_ in ("mark", "advmod") and c.tag_ in ("IN", "WRB")}
        return not marks or bool(marks & SAME_TIME_MARKS)

    # ------------------------------------------------------------------ details
    def places(self, anchors: Iterable[Token]) -> list[Arg]:
        """Places named with 'in/at/near ...' on the trigger words."""
        found: list[Arg] = []
        for anchor in anchors:
            for word, pobj in syntax.preps(anchor):
                if word in self.place_preps:
                    found.extend(a for a in self.r.args(pobj) if a.top == "Place")
        return unique_args(found)

    def casualties(self, group: Sequence[Token]) -> Casualties:
        """Who died or was hurt in the occurrence, when the text counts them."""
        result = Casualties()
        victim_verbs = self._victim_verbs(group)
        result.anchors = victim_verbs
        for verb in victim_verbs:
            counted = self._victim_count(verb)
            if counted is not None:
                kind = self.victim_kind[verb.lemma_.lower()]
                result.counts[kind] = result.counts.get(kind, 0) + counted[0]
                result.used.update(counted[1])
        self._caused(group, result)
        return result

    def _victim_verbs(self, group: Sequence[Token]) -> list[Token]:
        found: dict[int, Token] = {}
        for t in group:
            if t.pos_ == "VERB" and t.lemma_.lower() in self.victim_kind:
                found[t.i] = t
            head = t.head
            if t.dep_ == "pobj" and head.dep_ in ("prep", "agent") and head.head.lemma_.lower() in self.victim_kind:
                found[head.head.i] = head.head
            if t.dep_ == "advcl" and head.lemma_.lower() in self.victim_kind and self._same_time(t):
                found[head.i] = head
            for child in parse.children(t):
                if (
                    child.dep_ in ("advcl", "relcl", "conj")
                    and child.lemma_.lower() in self.victim_kind
                    and child.pos_ == "VERB"
                    and child.tag_ in ("VBD", "VBN", "VBG")
                ):
                    found[child.i] = child
        return [found[i] for i in sorted(found)]

    def _victim_count(self, verb: Token) -> tuple[int, list[int]] | None:
        lemma = verb.lemma_.lower()
        passive = syntax.is_passive(verb) or (verb.tag_ == "VBN" and verb.dep_ in ("acl", "advcl"))
        deps = ("nsubj",) if lemma in ("die", "perish") else ("nsubjpass",) if passive else ("dobj",)
        victims = [c for c in parse.children(verb) if c.dep_ in deps]
        if not victims and passive and verb.dep_ == "acl":
            victims = [verb.head]
        if not victims:
            return None
        return self._count(victims[0])

    def _count(self, noun: Token) -> tuple[int, list[int]] | None:
        total, used = 0, []
        ent_at = self.r.actors.ent_at
        for head in [noun, *noun.conjuncts]:
            numbers = [c for c in parse.children(head) if c.dep_ == "nummod"]
            number = head if head.pos_ == "NUM" else numbers[0] if numbers else None
            if number is not None:
                if self.approximation(number)[0]:
                    return None  # "more than 40": a hedged figure stays a claim
                value = self.number(number)
                used.append(number.i)
            elif (head.i in ent_at and ent_at[head.i].label_ == "Person") or (
                head.tag_ == "NN" and noun_forms(head) & self.victim_nouns
            ):
                value = 1  # one victim named or described
            else:
                return None
            if value is None:
                return None
            total += value
        return total, used

    def _caused(self, group: Sequence[Token], result: Casualties) -> None:
        """'..., causing over 60 injuries', '... without causing any injuries' (0)."""
        for t in group:
            for child in parse.children(t):
                verbs: list[tuple[Token, bool]] = []
                if child.dep_ in ("advcl", "conj") and child.lemma_.lower() in self.cause_verbs:
                    verbs.append((child, False))
                elif child.dep_ == "prep" and child.lower_ == "without":
                    verbs.extend((p, True) for p in parse.children(child) if p.lemma_.lower() in self.cause_verbs)
                for verb, negative in verbs:
                    for obj in parse.children(verb):
                        if obj.dep_ != "dobj":
                            continue
                        kind = self.measure_of.get(obj.lemma_.lower())
                        if kind not in ("injuries", "fatalities"):
                            continue
                        dets = {c.lower_ for c in parse.children(obj) if c.dep_ == "det"}
                        if negative or "no" in dets:
                            result.counts.setdefault(kind, 0)
                            continue
                        numbers = [c for c in parse.children(obj) if c.dep_ == "nummod"]
                        value = self.number(numbers[0]) if numbers else None
                        if value is not None and not self.approximation(numbers[0])[0]:
                            result.counts.setdefault(kind, value)
                            result.used.add(numbers[0].i)

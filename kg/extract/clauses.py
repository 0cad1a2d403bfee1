"""Clauses inside clauses: which verb governs which, and how it presents its clause.

Shared by the verbal and nominal rules, so that an act one rule reads as part of
a governing verb's event ("promised to continue *aid*", "threatened to *strike*")
is not read again as an event of its own by the other.
"""

from __future__ import annotations

from enum import StrEnum

from spacy.tokens import Token

from kg.extract import parse, syntax
from kg.extract.frames import CLAUSE_DEPS, FrameCoder
from kg.extract.lexicon import ClauseVerbs
from kg.vocab import EventType

# Coded verbs whose clausal complement is part of their own event: what is threatened, asked,
# refused, alleged or permitted, not what happened.
GOVERNING_TYPES = frozenset(
    {EventType.THREATEN, EventType.REQUEST, EventType.REJECT, EventType.ACCUSE, EventType.CONCEDE}
)


class VerbClass(StrEnum):
    """How a verb presents the clause it takes (see ClauseVerbs in the lexicon)."""

    SPEECH = "speech"
    INTENT = "intent"
    REFUSAL = "refusal"
    FAILURE = "failure"
    DENIAL = "denial"
    ASPECT = "aspect"


GOVERNED_BY_CLASS = frozenset({VerbClass.INTENT, VerbClass.REFUSAL, VerbClass.FAILURE})


class Clauses:
    """Governors and complements of one Doc's verbs."""

    def __init__(self, verbs: ClauseVerbs, coder: FrameCoder) -> None:
        self.verbs = verbs
        self.coder = coder  # one Doc's coder: what is found here is kept by token index too
        self._classes: dict[int, VerbClass | None] = {}
        self._consumed: dict[int, bool] = {}
        # each verb's class: the first in VerbClass's order whose list has it
        self._class_of: dict[str, VerbClass] = {}
        for name in VerbClass:
            for word in getattr(verbs, name.value):
                self._class_of.setdefault(word, name)

    def verb_class(self, verb: Token) -> VerbClass | None:
        if verb.i not in self._classes:
            self._classes[verb.i] = self._verb_class(verb)
        return self._classes[verb.i]

    def _verb_class(self, verb: Token) -> VerbClass | None:
        for lemma in syntax.verb_lemmas(verb):
            found = self._class_of.get(lemma)
            if found is not None:
                return found
        if self.intent_adjective(verb):
            return VerbClass.INTENT
        return None

    def intent_adjective(self, token: Token) -> bool:
        """'is willing to', 'is ready to', 'is prepared to', 'is committed to' + a clause."""
        return token.lower_ in self.verbs.intent_adjectives and any(
            c.dep_ in ("xcomp", "prep") for c in parse.children(token)
        )

    def governor(self, verb: Token) -> Token | None:
        """The word whose complement ``verb`` is: a verb ('agreed *to withdraw*'), an adjective
        ('committed *to opening*'), a preposition's verb ('accused X *of attacking*') or a noun
        ('a demand *that* X *leave*')."""
        head = verb.head
        if parse.is_root(verb):
            return None
        if verb.dep_ == "ccomp":
            # "renewed its demand *that* X leave": the parser hangs the noun's clause on the verb
            return self.clause_noun(head, verb) or head
        if verb.dep_ == "xcomp":
            return head
        if verb.dep_ == "advcl" and syntax.infinitive(head) == verb and self.verb_class(head) in GOVERNED_BY_CLASS:
            return head  # "have sworn to fight", parsed as an adjunct
        if verb.dep_ == "pcomp" and head.dep_ == "prep":
            return head.head
        if verb.dep_ in CLAUSE_DEPS and head.pos_ == "NOUN" and self.coder.code_noun(head) is not None:
            return head
        return None

    def clause_noun(self, verb: Token, clause: Token) -> Token | None:
        """The event noun object of ``verb`` whose 'that' clause the parser hung on the verb ('repeated its
        *call* that X withdraw'); a verb with an event noun as object says no clause of its own."""
        if not any(c.dep_ == "mark" and c.lower_ == "that" for c in parse.children(clause)):
            return None
        return next(
            (
                o for o in parse.children(verb)
                if o.dep_ == "dobj" and o.pos_ == "NOUN" and o.i < clause.i and self.coder.code_noun(o) is not None
            ),
            None,
        )

    def consumed(self, verb: Token) -> bool:
        """Is ``verb`` part of a governing word's event ('threatened *to strike*', 'demand *that* X *leave*')?

        Everything said inside a governed clause belongs to it ('urged X to uphold its duty to
        deter Y and *halt* the attacks'); a relative clause starts a description of its own.
        """
        if verb.i not in self._consumed:
            self._consumed[verb.i] = self._consumed_clause(verb)
        return self._consumed[verb.i]

    def _consumed_clause(self, verb: Token) -> bool:
        node = verb
        for _ in range(12):
            if (
                self._consumed_here(node)
                or self.demand_of_protest(node)
                or (node.i != verb.i and self._asked_or_refused(node))
            ):
                return True
            if node.dep_ in ("relcl", "ROOT", "parataxis") or parse.is_root(node):
                return False
            node = node.head
        return False

    def demand_of_protest(self, verb: Token) -> bool:
        """'demonstrated ..., *calling for* independence': the protest's demand, not an event of its own."""
        if verb.dep_ != "advcl" or verb.tag_ != "VBG" or parse.is_root(verb):
            return False
        own, protest = self.coder.code(verb), self.coder.code(verb.head)
        return (
            own is not None and own.coding.kind is EventType.REQUEST
            and protest is not None and protest.coding.kind is EventType.PROTEST
        )

    def _asked_or_refused(self, noun: Token) -> bool:
        """'demanded an admission *that X murdered* ...': what is asked for or refused did not happen."""
        if noun.dep_ != "dobj":
            return False
        match = self.coder.code(noun.head)
        return match is not None and match.coding.kind in (EventType.REQUEST, EventType.REJECT)

    def _consumed_here(self, node: Token) -> bool:
        governor = self.governor(node)
        if governor is None:
            return False
        if governor.pos_ == "NOUN":
            coding = self.coder.code_noun(governor)
            return coding is not None and coding.kind in GOVERNING_TYPES
        if node.dep_ == "pcomp" and not self.intent_adjective(governor):
            match = self.coder.code(governor)
            return match is not None and match.coding.kind in GOVERNING_TYPES  # "accused X of attacking"
        kind = self.verb_class(governor)
        if kind in (VerbClass.INTENT, VerbClass.REFUSAL, VerbClass.FAILURE, VerbClass.DENIAL):
            return True
        if kind in (VerbClass.ASPECT, VerbClass.SPEECH):
            return False
        match = self.coder.code(governor)
        return match is not None and match.coding.kind in GOVERNING_TYPES

    def reported(self, verb: Token) -> Token | None:
        """The speech verb that reports the clause of ``verb`` ('X said it would ...')."""
        node = verb
        while node.dep_ == "conj" and not parse.is_root(node):
            node = node.head
        governor = self.governor(node)
        if governor is not None and self.verb_class(governor) is VerbClass.SPEECH:
            return governor
        return None

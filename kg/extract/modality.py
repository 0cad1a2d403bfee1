"""How a clause presents what its verb says: negated, announced, possible, obliged, conditional.

An event coder reads the mood of a clause before its event: "did not attack" and "could strike"
are no attack, "will strike unless ..." is a threat (:mod:`kg.extract.coding`). The questions are
asked of the dependency parse, as in :mod:`kg.extract.syntax`.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.attrs import LOWER  # type: ignore[import-not-found]
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token

from kg.extract.parse import children, doc_once, is_root, once
from kg.extract.syntax import lemma, modifiers, passive_subjects, subjects

NEGATIONS = frozenset({"not", "n't", "never", "no", "nor"})
FUTURE_AUX = frozenset({"will", "'ll", "shall", "wo"})
POSSIBILITY_AUX = frozenset({"could", "might", "may", "can", "ca"})
OBLIGATION_AUX = frozenset({"must", "should", "ought"})
CONDITION_MARKS = frozenset({"if", "unless", "lest"})
_UNLESS = get_string_id("unless")


@dataclass(frozen=True, slots=True)
class Mood:
    """How a clause presents what its verb says.

    ``future``: announced or intended ("will strike", "is going to", "would" in
    reported speech); ``possible``: could, might, may, would; ``obligation``:
    must, should, have to, need to; ``condition``: the clause is itself a
    condition ("if attacked"); ``conditional``: the clause holds under a
    condition it carries ("will strike if ..."); ``negated``: not, never.
    """

    negated: bool = False
    future: bool = False
    possible: bool = False
    obligation: bool = False
    condition: bool = False
    conditional: bool = False

    @property
    def factual(self) -> bool:
        return not (self.negated or self.future or self.possible or self.obligation or self.condition)


def negated(token: Token) -> bool:
    """Negated by a 'not', 'never' or 'no' of its own."""
    return once(token, "kg_negated", lambda t: any(
        c.dep_ == "neg" or (c.lower_ in NEGATIONS and c.dep_ in ("advmod", "det", "neg")) for c in children(t)
    ))


def auxiliaries(verb: Token) -> list[Token]:
    return [c for c in children(verb) if c.dep_ in ("aux", "auxpass")]


def mood(verb: Token, reported: bool = False) -> Mood:
    """The mood of the clause headed by ``verb``; ``reported``: it is said by someone ('said it would ...')."""
    aux = {c.lower_ for c in auxiliaries(verb)}
    future = bool(aux & FUTURE_AUX) or _going_to(verb)
    possible = bool(aux & POSSIBILITY_AUX)
    if "would" in aux:
        if reported:
            future = True
        else:
            possible = True
    obligation = bool(aux & OBLIGATION_AUX) or _have_to(verb)
    condition = _in_condition(verb)
    conditional = any(
        c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in CONDITION_MARKS for m in children(c))
        for c in children(verb)
    )
    return Mood(negated(verb), future, possible, obligation, condition, conditional)


def _in_condition(verb: Token) -> bool:
    """'if attacked', 'unless X arranged a ceasefire and held elections': the clause is a condition."""
    node = verb
    for _ in range(6):
        if any(c.dep_ == "mark" and c.lower_ in CONDITION_MARKS for c in children(node)):
            return True
        if node.dep_ != "conj" or is_root(node):
            return False
        node = node.head
    return False


def _going_to(verb: Token) -> bool:
    """'is going to strike', 'is set to', 'is due to', 'is to': the governor makes it future."""
    head = verb.head
    if verb.dep_ != "xcomp" or is_root(verb):
        return False
    if lemma(head) == "go" and head.tag_ == "VBG":
        return True
    return lemma(head) in ("set", "due", "poise", "be") and any(c.lower_ == "to" for c in children(verb))


def _have_to(verb: Token) -> bool:
    """'has to withdraw', 'needs to', 'is required to'."""
    return verb.dep_ == "xcomp" and lemma(verb.head) in ("have", "need", "require", "oblige") and not is_root(verb)


def condition_subjects(verb: Token) -> list[Token]:
    """Whom a condition is about: 'will strike *if X* does not withdraw', '*unless X* ceases attacks'."""
    clause = next((c for c in children(verb) if c.dep_ == "advcl" and _marked(c, CONDITION_MARKS)), None)
    if clause is None:
        clause = unless_clause(verb)
    if clause is None:
        return []
    # "unless the Houthis cease attacks" misparsed as one noun phrase: the name before it
    named = [m for m in modifiers(clause) if m.pos_ == "PROPN"] if clause.pos_ == "NOUN" else []
    return subjects(clause) or passive_subjects(clause) or named


def unless_clause(verb: Token) -> Token | None:
    """An 'unless' clause anywhere under the verb: the parser often hangs it on a later clause."""
    if not doc_once(verb.doc, "kg_unless", _has_unless):
        return None
    return next((t for t in verb.subtree if t.dep_ == "advcl" and _marked(t, ("unless",))), None)


def _has_unless(doc: Doc) -> bool:
    return bool((doc.to_array(LOWER) == _UNLESS).any())


def _marked(clause: Token, marks: frozenset[str] | tuple[str, ...]) -> bool:
    return any(m.dep_ == "mark" and m.lower_ in marks for m in children(clause))

"""Token-level syntax, written once: voice, clause structure, arguments.

Every rule asks these questions of the dependency parse (spaCy's English labels,
ClearNLP style: ``nsubj``, ``nsubjpass``, ``dobj``, ``agent``, ``xcomp``...). The
functions take and return tokens only: which actor a token stands for is
:mod:`kg.extract.reading`'s business; how a clause presents its act (negated, announced, possible)
is :mod:`kg.extract.modality`'s.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

import numpy
from spacy.attrs import DEP  # type: ignore[import-not-found]
from spacy.symbols import AUX, VERB, aux, auxpass, conj  # type: ignore[import-not-found]
from spacy.tokens import Doc, Token

from kg.extract.parse import children, doc_once, found_once, heads, is_root, once

SUBJECT_DEPS = frozenset({"nsubj", "csubj", "expl"})
PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "csubjpass"})
OBJECT_DEPS = frozenset({"dobj", "dative"})
RELATIVE_PRONOUNS = frozenset({"who", "whom", "which", "that", "whose"})
STANCE_PREFIXES = frozenset({"pro", "anti", "non"})


def lemma(token: Token) -> str:
    return token.lemma_.lower()


def verb_lemmas(token: Token) -> tuple[str, ...]:
    """The lemma, then base forms read off the surface form where the lemmatizer may have slipped
    ('staged' -> 'stag', so also 'stage'; 'stopped' -> 'stop')."""
    return _verb_lemmas(token.lower_, token.lemma_, token.tag_)


@lru_cache(maxsize=1 << 14)
def _verb_lemmas(lower: str, lemma: str, tag: str) -> tuple[str, ...]:
    found = [lemma.lower()]
    if tag in ("VBD", "VBN") and lower.endswith("ed"):
        found += [lower[:-1], lower[:-2]]
        if len(lower) > 4 and lower[-3] == lower[-4]:
            found.append(lower[:-3])  # "stopped"
    elif tag == "VBZ" and lower.endswith("s"):
        found += [lower[:-1], lower[:-2]]
    elif tag == "VBG" and lower.endswith("ing"):
        found += [lower[:-3], lower[:-3] + "e"]
    return tuple(dict.fromkeys(f for f in found if f))


def is_verbal(token: Token) -> bool:
    """A verb, or an auxiliary heading its own clause ('was' in 'X was a commander')."""
    pos = token.pos  # the labels' ids: read without building their strings, as every word of a Doc is asked
    return pos == VERB or (pos == AUX and token.dep not in (aux, auxpass))


def is_passive(verb: Token) -> bool:
    """'was attacked', 'attacked by X' (a reduced relative), 'to be sanctioned'."""
    return once(verb, "kg_passive", _is_passive)


def _is_passive(verb: Token) -> bool:
    if any(c.dep_ in PASSIVE_SUBJECT_DEPS or c.dep_ == "auxpass" for c in children(verb)):
        return True
    if verb.tag_ == "VBN" and verb.dep_ in ("acl", "advcl", "amod", "conj", "ROOT", "relcl"):
        words = children(verb)
        if any(c.dep_ == "agent" for c in words):
            return True
        has_aux = any(c.dep_ == "aux" for c in words)
        has_object = any(c.dep_ in OBJECT_DEPS for c in words)
        if verb.dep_ in ("acl", "amod") and not has_object:
            return True
        if verb.dep_ == "conj" and not has_aux and not has_object and is_passive(verb.head):
            return True
    return False


def opposed_prefix(token: Token) -> bool:
    """'pro-Iran', 'anti-US', 'non-Iraqi' (one token or three): the name is what the phrase is for or against."""
    if "-" in token.text and token.text.split("-")[0].lower() in STANCE_PREFIXES:
        return True
    doc = token.doc
    return token.i >= 2 and doc[token.i - 1].text == "-" and doc[token.i - 2].lower_ in STANCE_PREFIXES


def conjuncts(token: Token) -> list[Token]:
    """The token and the words coordinated with it, in text order."""
    if token.i not in doc_once(token.doc, "kg_coordinated", _coordinated):
        return [token]  # most words are coordinated with none
    found = once(token, "kg_conjuncts", lambda w: tuple(sorted({w, *w.conjuncts}, key=lambda t: t.i)))
    return [token if t.i == token.i else t for t in found]  # the word asked about is the one given


def _coordinated(doc: Doc) -> frozenset[int]:
    """The words in a coordination: each 'conj' and its head (``Token.conjuncts`` of any other is empty)."""
    linked = numpy.flatnonzero(doc.to_array(DEP) == conj).tolist()
    head_of = heads(doc)
    return frozenset([*linked, *(head_of[i] for i in linked)])


def relative_antecedent(verb: Token) -> Token | None:
    """The noun a relative clause describes ('the group *that* attacked', 'forces *which* were hit')."""
    if verb.dep_ == "relcl" and not is_root(verb):
        return verb.head
    return None


def _relative_role(verb: Token) -> str | None:
    """Which argument of a relative clause the antecedent fills: 'subject', 'object' or None."""
    for child in children(verb):
        if child.lower_ in RELATIVE_PRONOUNS:
            if child.dep_ in SUBJECT_DEPS or child.dep_ in PASSIVE_SUBJECT_DEPS:
                return "subject"
            if child.dep_ in OBJECT_DEPS:
                return "object"
    # "the base attacked last week" parses as acl; "the group it backs" has no pronoun
    return None


def subjects(verb: Token) -> list[Token]:
    """The tokens that do what an active verb says: its own subject, or the one it inherits.

    Inherited through control ('X agreed to withdraw'; 'urged Y to withdraw' gives
    Y), coordination ('X met Y and discussed Z'), participial adjuncts ('..., saying'),
    relative clauses ('the group that attacked') and participles ('forces fighting Y').
    Found once per verb (rules, frames and clauses all ask).
    """
    return found_once(verb, "kg_subjects", lambda v: _subjects(v, 0))


def _subjects(verb: Token, depth: int) -> list[Token]:
    if depth > 6:
        return []
    own = [c for c in children(verb) if c.dep_ in SUBJECT_DEPS and c.dep_ != "expl"]
    # "The Red Cross operating in Iraq said": the parser made the participle the subject
    own = [next((g for g in children(c) if g.dep_ == "nsubj"), c) if c.tag_ == "VBG" else c for c in own]
    if own:
        found = []
        for subject in own:
            if subject.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                found.extend(conjuncts(verb.head))
            else:
                found.extend(conjuncts(subject))
        return found
    if any(c.dep_ in PASSIVE_SUBJECT_DEPS for c in children(verb)):
        return []
    head = verb.head
    if is_root(verb):
        return []
    if verb.dep_ == "xcomp":
        controller = object_controller(head)
        return controller if controller else _subjects(head, depth + 1)
    if verb.dep_ == "conj" and is_verbal(head):
        return _subjects(head, depth + 1)
    if verb.dep_ == "advcl" and verb.tag_ in ("VBG", "VB") and is_verbal(head):
        return _subjects(head, depth + 1)
    if verb.dep_ == "pcomp" and head.dep_ == "prep" and is_verbal(head.head):
        # "thanked X for supporting", "accused X of attacking": the object does the gerund
        objects = [c for c in children(head.head) if c.dep_ == "dobj"]
        if objects and head.lower_ in ("for", "of", "over", "with"):
            return conjuncts(objects[0])
        return _subjects(head.head, depth + 1)
    if verb.dep_ in ("acl", "relcl") and verb.tag_ == "VBG":
        return conjuncts(head)
    if verb.dep_ == "relcl" and _relative_role(verb) == "subject":
        return conjuncts(head)
    return []


def object_controller(verb: Token) -> list[Token]:
    """The object that controls an infinitive: 'urged *Iraq* to expel', 'called on *Iraq* to expel'."""
    if not any(c.dep_ == "xcomp" for c in children(verb)):
        return []
    for child in children(verb):
        if child.dep_ in ("dobj", "dative") and child.pos_ != "ADP":
            return conjuncts(child)
        if child.dep_ == "prep" and child.lower_ in ("on", "upon"):
            return [t for p in children(child) if p.dep_ == "pobj" for t in conjuncts(p)]
    return []


def passive_subjects(verb: Token) -> list[Token]:
    """What a passive verb is about: 'the base *was attacked*', 'the base *attacked* by X', 'bases *that were hit*'."""
    return found_once(verb, "kg_passive_subjects", _passive_subjects)


def _passive_subjects(verb: Token) -> list[Token]:
    for child in children(verb):
        if child.dep_ in PASSIVE_SUBJECT_DEPS:
            if child.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                return conjuncts(verb.head)
            return conjuncts(child)
    if verb.dep_ in ("acl", "amod") and not is_root(verb):
        return conjuncts(verb.head)
    if verb.dep_ == "conj" and not is_root(verb) and is_passive(verb.head):
        return passive_subjects(verb.head)
    if verb.dep_ == "advcl" and verb.tag_ == "VBN" and is_verbal(verb.head):
        return subjects(verb.head)
    return []


def by_agents(verb: Token) -> list[Token]:
    """The 'by' phrase of a passive verb."""
    return found_once(verb, "kg_by_agents", _by_agents)


def _by_agents(verb: Token) -> list[Token]:
    return [
        t for c in children(verb) if c.dep_ == "agent" for p in children(c) if p.dep_ == "pobj" for t in conjuncts(p)
    ]


def direct_objects(verb: Token) -> list[Token]:
    """Direct and indirect objects, and the antecedent a relative clause's object pronoun stands for."""
    return found_once(verb, "kg_direct_objects", _direct_objects)


def _direct_objects(verb: Token) -> list[Token]:
    found = [t for c in children(verb) if c.dep_ in OBJECT_DEPS and c.pos_ != "ADP" for t in conjuncts(c)]
    if not found and verb.dep_ == "relcl" and _relative_role(verb) == "object":
        found = conjuncts(verb.head)
    return found


def particle(verb: Token) -> str | None:
    """The particle of a phrasal verb ('shot *down*', 'carried *out*')."""
    for child in children(verb):
        if child.dep_ == "prt":
            return child.lower_
    return None


def preps(head: Token) -> tuple[tuple[str, Token], ...]:
    """(preposition, object) pairs of a head: 'on X', 'against X and Y'; a 'by' agent counts as 'by'."""
    return once(head, "kg_preps", lambda h: tuple(_preps(h)))


def _preps(head: Token) -> Iterator[tuple[str, Token]]:
    for child in children(head):
        if child.dep_ in ("prep", "agent", "dative") and child.pos_ == "ADP":
            word = child.lower_
            for pobj in children(child):
                if pobj.dep_ in ("pobj", "pcomp"):
                    for target in conjuncts(pobj):
                        yield word, target
            # "ahead of", "because of": a two-word preposition
            for sub in children(child):
                if sub.dep_ == "prep":
                    for pobj in children(sub):
                        if pobj.dep_ == "pobj":
                            yield f"{word} {sub.lower_}", pobj


def prep_objects(head: Token, wanted: frozenset[str] | set[str] | tuple[str, ...]) -> list[Token]:
    return [t for word, t in preps(head) if word in wanted]


def complements(verb: Token) -> list[Token]:
    """Clausal complements: 'agreed *to withdraw*', 'said *that X would*', 'demanded *that Y leave*'."""
    return [c for c in children(verb) if c.dep_ in ("xcomp", "ccomp") and is_verbal(c)]


def infinitive_subjects(verb: Token) -> list[Token]:
    """'allowed X to hold a rally', 'forced X to leave' parsed with X as the infinitive's subject."""
    return [
        s
        for c in children(verb)
        if c.dep_ in ("ccomp", "xcomp") and any(a.dep_ == "aux" and a.lower_ == "to" for a in children(c))
        for s in children(c)
        if s.dep_ == "nsubj"
    ]


def infinitive(verb: Token) -> Token | None:
    """A 'to' infinitive the parser hung on a verb as an adjunct ('have sworn *to fight*')."""
    for child in children(verb):
        if (
            child.dep_ == "advcl"
            and child.tag_ == "VB"
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in children(child))
        ):
            return child
    return None


def governing_verb(token: Token) -> Token | None:
    """The verb whose clause a word belongs to (through prepositions, nouns and modifiers)."""
    node = token
    for _ in range(12):
        if is_root(node):
            return node if is_verbal(node) else None
        node = node.head
        if is_verbal(node):
            return node
    return None


def clause_of(token: Token) -> Token:
    """The head of the smallest clause holding ``token`` (the token itself when it heads one)."""
    if is_verbal(token):
        return token
    return governing_verb(token) or token.sent.root


def modifiers(noun: Token) -> list[Token]:
    """Pre-modifiers of a noun: compounds, adjectives, possessors, noun modifiers ('US drone *strikes*');
    never a name a prefix opposes or backs ('pro-Iran *groups*' are not Iran's)."""
    return [
        c for c in children(noun)
        if c.i < noun.i and c.dep_ in ("compound", "amod", "nmod", "poss", "npadvmod") and not opposed_prefix(c)
    ]


def possessor(noun: Token) -> Token | None:
    for child in children(noun):
        if child.dep_ == "poss":
            return child
    return None


def determiner(noun: Token) -> str | None:
    for child in children(noun):
        if child.dep_ in ("det", "predet"):
            return child.lower_
    return None


def copula_subject(noun: Token) -> Token | None:
    """'X is a commander': the subject a predicate noun describes."""
    head = noun.head
    if noun.dep_ in ("attr", "acomp") and lemma(head) in ("be", "become", "remain"):
        for child in children(head):
            if child.dep_ in SUBJECT_DEPS:
                return child
    return None

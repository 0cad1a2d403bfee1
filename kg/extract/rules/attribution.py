"""Who did it, as the text attributes it: claims of responsibility and characterisations.

* 'X claimed the attack (on Y)', 'X claimed responsibility for the strikes', 'the attacks were
  claimed by X', 'an attack ... claimed by X': X carried out the attack; its targets are the
  attack's own, or, for 'the attacks' / 'these strikes', those of the attack told just before.
* 'X saw it as an aggression by Y', 'X described the strike as a violation by Y': X accuses Y.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from kg.extract import modality, parse, syntax
from kg.extract.actors import Arg, noun_forms, unique_args
from kg.extract.findings import Finding
from kg.extract.reading import QUANTIFIERS, Reading
from kg.vocab import EventType, Predicate

ANAPHORIC = frozenset({"the", "these", "those", "this", "that", "its", "their", "such"})


def find(reading: Reading) -> Iterator[Finding]:
    """Claimed attacks and characterisations of the article."""
    lex = reading.lexicon
    claim_verbs = lex.events.claim_verbs
    frame_verbs = lex.criticism.verbs
    frame_nouns = lex.criticism.nouns
    for token in reading.tokens:
        if reading.unit_of[token.i] < 0 or reading.pos[token.i] != "VERB" or modality.negated(token):
            continue
        lemma = reading.lemmas[token.i]
        if lemma in claim_verbs:
            yield from _claimed(reading, token)
        if lemma in frame_verbs:
            yield from _characterised(reading, token, frame_nouns)


def _claimed(reading: Reading, verb: Token) -> Iterator[Finding]:
    acts = reading.act_nouns
    passive = syntax.is_passive(verb)
    claimers = syntax.by_agents(verb) if passive else syntax.subjects(verb)
    objects = syntax.passive_subjects(verb) if passive else syntax.direct_objects(verb)
    # "most of these strikes were claimed by X"
    objects = [p for o in objects for p in (syntax.prep_objects(o, ("of",)) if o.lower_ in QUANTIFIERS else [o])]
    # "claimed responsibility for the attack"
    nouns = [n for o in objects for n in ([o] if noun_forms(o) & acts else syntax.prep_objects(o, ("for",)))]
    nouns = [n for n in nouns if noun_forms(n) & acts]
    if verb.dep_ == "acl" and noun_forms(verb.head) & acts:
        nouns.append(verb.head)  # "an attack in Baghdad claimed by X"
    actors = unique_args(a for t in claimers for a in reading.args(t, expand=False))
    actors = [a for a in actors if a.top == "Organization" or a.cls == "Country"]
    if not actors or not nouns:
        return
    for noun in nouns:
        targets = _act_targets(reading, noun)
        yield Finding(
            kind=EventType.ASSAULT,
            predicate=Predicate.ATTACKED,
            anchor=noun.i,
            actors=tuple(actors),
            targets=tuple(targets),
            rule="claimed-by",
            confidence=0.7,
            concrete=False,
            refer_back=not targets and _anaphoric(noun),
            anchors=(verb.i,),
        )


def _act_targets(reading: Reading, noun: Token) -> list[Arg]:
    preps = reading.lexicon.target_preps.get(EventType.ASSAULT, frozenset())
    found = unique_args(a for t in syntax.prep_objects(noun, preps) for a in reading.args(t, members=True))
    for child in parse.children(noun):
        if child.dep_ == "acl" and child.lemma_.lower() in ("target", "hit", "strike"):
            found.extend(a for t in syntax.direct_objects(child) for a in reading.args(t, members=True))
    return unique_args(found)


def _anaphoric(noun: Token) -> bool:
    """'the attacks', 'these strikes', 'most of the attacks', 'its strikes': attacks told before."""
    words = {c.lower_ for c in parse.children(noun) if c.dep_ in ("det", "poss", "predet")}
    for conj in noun.conjuncts:
        words |= {c.lower_ for c in parse.children(conj) if c.dep_ in ("det", "poss")}
    if noun.dep_ == "conj":
        words |= {c.lower_ for c in parse.children(noun.head) if c.dep_ in ("det", "poss")}
    return bool(words & ANAPHORIC)


def _characterised(reading: Reading, verb: Token, nouns: frozenset[str]) -> Iterator[Finding]:
    for noun in syntax.prep_objects(verb, ("as",)):
        if not noun_forms(noun) & nouns:
            continue
        agents = unique_args(a for t in syntax.prep_objects(noun, ("by", "of")) for a in reading.args(t))
        if not agents:
            agents = [a for c in syntax.modifiers(noun) if (a := reading.actors.at(c)) is not None]
        tokens = syntax.subjects(verb)
        if not tokens and verb.dep_ == "relcl":
            tokens = syntax.conjuncts(verb.head)
        critics = unique_args(a for t in tokens for a in reading.args(t, expand=False))
        if critics and agents:
            yield Finding(
                kind=EventType.ACCUSE,
                predicate=Predicate.CRITICIZED,
                anchor=verb.i,
                actors=tuple(critics),
                targets=tuple(agents),
                rule="criticism-frame",
                confidence=0.7,
                code="111",
                anchors=(noun.i,),
            )

"""Roles: titles next to names, leadership and membership verbs, party leaders.

* role titles (:class:`kg.extract.titles.TitleReader`, read once into ``reading.role_facts``):
  leaderOf or memberOf with the role kept; a department title ("US Secretary of State") also makes
  its bearer a member of the country named with it;
* verbs of the lexicon: "X leads / heads / commands Y", "Y is led by X" (leaderOf); "X joined Y",
  "X belongs to Y" (memberOf);
* a party-like group with its leader: "the Z party of X", "X's Z bloc" (leaderOf). Only party-like
  nouns: "X's Z force" says nothing of who leads it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Token

from kg.extract import modality, parse, syntax
from kg.extract.actors import Arg, unique_args
from kg.extract.findings import Finding
from kg.extract.lexicon import Lexicon
from kg.extract.reading import Reading
from kg.extract.rules.describe import described
from kg.vocab import Predicate

PARTY_CLASSES = frozenset({"PoliticalParty", "Organization", "ArmedGroup"})
PREPOSITIONS = frozenset({"to", "of", "with", "in", "for", "by", "on", "at"})


@dataclass(frozen=True, slots=True)
class _VerbFrame:
    """'belong to' as lemma 'belong', preposition 'to'; 'form part of' as 'form' with 'part', then 'of'."""

    predicate: Predicate
    lemma: str
    prep: str | None
    extra: tuple[str, ...]


@lru_cache(maxsize=4)
def _verb_frames(lexicon: Lexicon) -> dict[str, tuple[_VerbFrame, ...]]:
    frames: dict[str, list[_VerbFrame]] = {}
    for predicate, phrases in lexicon.membership.role_verbs.items():
        for phrase in sorted(phrases):
            words = phrase.split()
            prep = words[-1] if len(words) > 1 and words[-1] in PREPOSITIONS else None
            extra = tuple(words[1:-1] if prep else words[1:])
            frames.setdefault(words[0], []).append(_VerbFrame(Predicate(predicate), words[0], prep, extra))
    return {k: tuple(v) for k, v in frames.items()}


def find(reading: Reading) -> Iterator[Finding]:
    """Role findings of the article."""
    yield from _titles(reading)
    party_nouns = reading.lexicon.membership.party_nouns
    for token in reading.tokens:
        i = token.i
        if reading.unit_of[i] < 0:
            continue
        pos = reading.pos[i]
        if pos in ("VERB", "AUX"):
            yield from _verb(reading, token)
        if pos in ("NOUN", "PROPN") and reading.lemmas[i] in party_nouns:
            yield from _party_leader(reading, token)


def _titles(r: Reading) -> Iterator[Finding]:
    for fact in r.role_facts:
        if not fact.relation or fact.org is None:
            continue
        quals = (("role", fact.role),)
        predicate = Predicate(fact.relation)
        yield Finding(None, predicate, fact.anchor, (fact.person,), (fact.org,), fact.rule, 0.85,
                      qualifiers=quals, cross_sentence=True)
        if fact.extra:
            yield Finding(None, Predicate.MEMBER_OF, fact.anchor, (fact.person,), fact.extra, fact.rule, 0.7,
                          qualifiers=quals, cross_sentence=True)


def _verb(r: Reading, verb: Token) -> Iterator[Finding]:
    """'X heads Y', 'Y is led by X', 'X joined Y', 'X belongs to Y'."""
    frames = _verb_frames(r.lexicon).get(verb.lemma_.lower(), ())
    if not frames or modality.negated(verb):
        return
    passive = syntax.is_passive(verb)
    participles = r.lexicon.backing.participles
    for frame in frames:
        if passive and f"{verb.lower_} by" in participles:
            continue  # "X, led by Y": the participle rule (kg.extract.rules.affiliation) reads it
        if frame.extra and not all(
            any(c.lower_ == w or c.lemma_.lower() == w for c in parse.children(verb)) for w in frame.extra
        ):
            continue
        if passive:
            objs = _prep_args(r, verb, frame.prep) if frame.prep not in (None, "by") else []
            objs = objs or _patients(r, verb)
            subjects = [a for t in syntax.by_agents(verb) for a in r.args(t)]
            rule = "verb-passive"
        else:
            subjects = [a for t in syntax.subjects(verb) for a in r.args(t, expand=False)]
            if frame.prep:
                objs = _prep_args(r, verb, frame.prep)
            else:
                objs = [a for t in syntax.direct_objects(verb) for a in r.args(t, expand=False)]
            rule = "verb-active"
        if subjects and objs:
            yield Finding(None, frame.predicate, verb.i, tuple(unique_args(subjects)),
                          tuple(unique_args(objs)), rule, 0.8)


def _prep_args(r: Reading, head: Token, prep: str | None) -> list[Arg]:
    return [a for t in syntax.prep_objects(head, (prep,)) for a in r.args(t, expand=False)] if prep else []


def _patients(r: Reading, verb: Token) -> list[Arg]:
    """What a passive verb is about; a participle's noun may only describe it ('a network led by X')."""
    found = [a for t in syntax.passive_subjects(verb) for a in r.args(t, expand=False)]
    if not found and verb.dep_ == "acl":
        found = described(r, verb.head)
    return found


def _party_leader(r: Reading, noun: Token) -> Iterator[Finding]:
    """'the Z party of X', 'X's Z coalition': X leads the named party."""
    parties = [a for a in r.actors.denote(noun, expand=False) or _named_before(r, noun) if a.cls in PARTY_CLASSES]
    if not parties:
        return
    leaders = [a for t in syntax.prep_objects(noun, ("of",)) for a in r.args(t, expand=False) if a.top == "Person"]
    owner = syntax.possessor(noun)
    if owner is not None:
        leaders += [a for a in r.args(owner, expand=False) if a.top == "Person"]
    if leaders:
        yield Finding(
            None, Predicate.LEADER_OF, noun.i, tuple(unique_args(leaders)), tuple(parties), "party-leader", 0.75
        )


def _named_before(r: Reading, noun: Token) -> list[Arg]:
    """'the Z (W) party': a name among the noun's modifiers, also behind a bracketed gloss."""
    stack = [c for c in parse.children(noun) if c.dep_ in ("compound", "nmod") and c.i < noun.i]
    while stack:
        token = stack.pop()
        ent = r.actors.ent_at.get(token.i)
        if ent is not None:
            return [r.actors.ent_arg(ent)]
        stack.extend(c for c in parse.children(token) if c.dep_ in ("compound", "nmod", "appos") and c.i < token.i)
    return []

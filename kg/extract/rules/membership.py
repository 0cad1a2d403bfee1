"""Membership: parts of groups, groups that include others, bodies named with their parent.

* "X, part of Y", "X, a faction of Y", "X is a member of Y", "as part of Y" (the clause subject);
* "the coalition includes X and Y", "includes several countries, including X";
* a body named with its parent: "the US State Department", "the Iraqi Interior Ministry" (a state
  body of a country), "the KRG Interior Ministry" (a government body of a government body),
  "Hezbollah's Z force", "the PMF's Z faction" (a named part of a named group);
* people listed as officials of a state: "senior Saudi officials, including X and Y".
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span, Token

from kg.extract import modality, parse, syntax
from kg.extract.actors import STATE_SECTORS, Arg, noun_forms, unique_args
from kg.extract.findings import Finding
from kg.extract.reading import Reading
from kg.extract.rules.describe import appos_subject
from kg.normalize import name_key
from kg.vocab import Predicate

STATE_BODIES = frozenset({"GovernmentBody", "MilitaryForce"})
COPULAS = frozenset({"be", "become", "remain", "form", "constitute"})
LISTING = frozenset({"including", "like", "such"})


def find(reading: Reading) -> Iterator[Finding]:
    """Membership findings of the article."""
    lex = reading.lexicon
    include_verbs = lex.membership.include_verbs
    for token in reading.tokens:
        i = token.i
        if reading.unit_of[i] < 0:
            continue
        pos, lemma = reading.pos[i], reading.lemmas[i]
        if pos in ("NOUN", "PROPN") and lemma in lex.membership.part_nouns:
            yield from _part_of(reading, token)
        if pos in ("VERB", "AUX") and lemma in include_verbs:
            yield from _include(reading, token)
        if reading.lowers[i] in LISTING and reading.deps[i] == "prep":
            yield from _listed_officials(reading, token)
    for ent in reading.actors.ents:
        if ent.start in reading.actors.ent_at and reading.unit_of[ent.start] >= 0:
            yield from _parents(reading, ent)


def _part_of(r: Reading, noun: Token) -> Iterator[Finding]:
    """'X, part of Y', 'as part of Y' (the clause subject), 'X is part of Y', 'X, a member of Y'."""
    wholes = [a for t in syntax.prep_objects(noun, ("of",)) for a in r.args(t, expand=False) if a.top == "Organization"]
    if not wholes:
        return
    members: list[Arg] = []
    rule = "part-of"
    head = noun.head
    if noun.dep_ == "appos":
        members = appos_subject(r, noun)
    elif noun.dep_ == "pobj" and head.lower_ == "as" and noun.lemma_.lower() == "part":
        if syntax.is_verbal(head.head):
            members = [a for t in syntax.subjects(head.head) for a in r.args(t, expand=False)]
            rule = "as-part-of"
    elif noun.dep_ in ("attr", "dobj") and head.lemma_.lower() in COPULAS and not modality.negated(head):
        members = [a for t in syntax.subjects(head) for a in r.args(t, expand=False)]
    if members:
        yield Finding(None, Predicate.MEMBER_OF, noun.i, tuple(unique_args(members)), tuple(wholes), rule, 0.75)


def _include(r: Reading, verb: Token) -> Iterator[Finding]:
    """'The coalition includes X and Y', 'includes several countries, including X'."""
    if modality.negated(verb) or verb.dep_ == "prep" or (verb.tag_ == "VBG" and verb.dep_ == "pcomp"):
        return
    wholes = [a for t in syntax.subjects(verb) for a in r.args(t, expand=False) if a.top == "Organization"]
    if not wholes:
        return
    members: list[Arg] = []
    for child in parse.children(verb):
        if child.dep_ == "dobj":
            members.extend(r.args(child))
            for grand in parse.children(child):
                if grand.dep_ == "prep" and grand.lower_ in LISTING:
                    members.extend(a for p in grand.subtree if p.dep_ == "pobj" for a in r.args(p))
        elif child.dep_ == "prep" and child.lower_ == "including":
            members.extend(a for p in parse.children(child) if p.dep_ == "pobj" for a in r.args(p))
    if members:
        yield Finding(None, Predicate.MEMBER_OF, verb.i, tuple(unique_args(members)), tuple(wholes), "includes", 0.75)


def _parents(r: Reading, ent: Span) -> Iterator[Finding]:
    """A named body with the name of what it belongs to before it."""
    arg = r.actors.ent_arg(ent)
    if arg.top != "Organization":
        return
    doc = r.doc
    first = doc[ent.start]
    country = r.actors.demonym_arg(first) if len(ent) > 1 else None
    # "the Iraqi army", "US forces", "the Army" stand for the state itself, not for a body of it
    national_force = bool(noun_forms(doc[ent.end - 1]) & r.lexicon.forces.lemmas) and (
        len(ent) == 1 or country is not None
    )
    if arg.cls in STATE_BODIES and not national_force and country is not None and country.cls == "Country":
        # "US State Department": a demonym opening the name
        yield Finding(None, Predicate.MEMBER_OF, ent.root.i, (arg,), (country,), "org-country", 0.6)
    head = ent.root
    group_nouns = r.lexicon.membership.part_nouns | r.lexicon.coreference.group_nouns
    if head.dep_ in ("compound", "nmod") and head.head.i >= ent.end and noun_forms(head.head) & group_nouns:
        head = head.head  # "Hezbollah's Z force": the group noun heads the phrase
    for child in syntax.modifiers(head):
        if ent.start <= child.i < ent.end or _backing_affix(r, child):
            continue
        parents = r.args(child, expand=False) if child.dep_ == "poss" else [a for a in [r.actors.at(child)] if a]
        for parent in parents:
            if parent.key == arg.key:
                continue
            if parent.cls in ("Country", "Region") and arg.cls in STATE_BODIES and not national_force:
                rule = "org-country"
            elif parent.top == "Organization" and (child.dep_ == "poss" or arg.cls == parent.cls == "GovernmentBody"):
                rule = "org-parent"
            else:
                continue
            yield Finding(None, Predicate.MEMBER_OF, head.i, (arg,), (parent,), rule, 0.6)


def _backing_affix(r: Reading, token: Token) -> bool:
    """'pro-Iran', 'Iran-backed': a sponsor, not a parent."""
    if "-" not in token.text:
        return False
    head, _, tail = token.lower_.partition("-")
    return head in r.lexicon.backing.prefixes or tail in r.lexicon.backing.suffixes


def _listed_officials(r: Reading, prep: Token) -> Iterator[Finding]:
    """'senior Saudi officials, including X, Y and Z': each named person is one of the state's officials.

    The parse often hangs 'including' on the verb: then the officials are the last noun before it.
    A person the article makes the state's leader is not listed as a member.
    """
    head = prep.head
    nouns = [] if syntax.is_verbal(head) else [head]
    nouns += [t for t in reversed(r.doc[head.i + 1 : prep.i]) if t.pos_ == "NOUN" and t.tag_ == "NNS"]
    states: list[Arg] = []
    for noun in nouns:
        states = [a for a in r.actors.descriptor(noun) if a.cls == "Country" and a.sector in STATE_SECTORS]
        if states:
            break
    if not states:
        return
    leaders = {
        (_bare_name(r, f.person), f.org.key) for f in r.role_facts if f.relation == "leaderOf" and f.org is not None
    }
    people = [a for p in parse.children(prep) if p.dep_ == "pobj" for a in r.args(p) if a.top == "Person"]
    for state in states:
        members = tuple(p for p in people if (_bare_name(r, p), state.key) not in leaders)
        if members:
            yield Finding(None, Predicate.MEMBER_OF, prep.i, members, (state,), "listed-officials", 0.7)


def _bare_name(r: Reading, person: Arg) -> str:
    """A person's name without the titles the recognizer may have taken into it ('Crown Prince X' is X)."""
    ent = r.actors.ent_at.get(person.token)
    if ent is None:
        return person.key
    i = ent.start
    while i < ent.end - 1:
        n = next(
            (
                n
                for n in (3, 2, 1)
                if i + n < ent.end and tuple(t.lower_ for t in r.doc[i : i + n]) in r.lexicon.title_table
            ),
            0,
        )
        if not n:
            break
        i += n
    return name_key(r.doc[i : ent.end].text)

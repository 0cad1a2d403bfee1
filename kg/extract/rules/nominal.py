"""Events told by a noun: 'a U.S. request', 'Iran's threat against X', 'strikes on X by Y', 'talks between X and Y'.

An event noun (``event_nouns`` of the lexicon: it codes as a verb of the CAMEO
dictionary, "threat" as "threaten", or with a CAMEO code of its own) names its
agent by a possessor, a name or demonym before it, a 'by' phrase, or the subject
of a light verb it is the object of ("X held talks with Y", "X launched strikes
on Y", "X issued a warning to Y"); its target by a preposition of its type.
The light verb's mood applies ("will hold talks" is AGREE). A noun that is the
object of another coded verb ("condemned the strikes") is an event only with an
agent of its own.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from kg.extract import modality, parse, syntax
from kg.extract.actors import Arg, unique_args
from kg.extract.clauses import VerbClass
from kg.extract.coding import bilateral, with_mood
from kg.extract.findings import Finding
from kg.extract.frames import CLAUSE_DEPS
from kg.extract.reading import QUANTIFIERS, Reading
from kg.extract.rules.verb_arguments import VerbArguments
from kg.vocab import MUTUAL_EVENTS, EventType, event_predicate

# Nouns of these types are occurrences on their own ("a strike on X", "a meeting with Y");
# the others ("X's support for Y") are stances unless a light verb makes them an act.
OCCURRENCE_TYPES = frozenset({
    EventType.ASSAULT, EventType.CONSULT, EventType.REQUEST, EventType.THREATEN, EventType.ACCUSE,
    EventType.REJECT, EventType.COERCE, EventType.SANCTION, EventType.PROTEST,
})
MEMBER_TARGET_TYPES = frozenset({EventType.ASSAULT, EventType.COERCE, EventType.THREATEN})
NON_SPECIFIC = frozenset({"any", "no", "every", "each", "such", "whatever"})


def find(reading: Reading) -> Iterator[Finding]:
    """Every nominal event of the article."""
    reader = _NounReader(reading)
    pos, deps = reading.pos, reading.deps
    for token in reading.tokens:
        i = token.i
        if pos[i] in ("NOUN", "PROPN") and deps[i] != "compound" and i not in reading.actors.ent_at:
            if reading.unit_of[i] >= 0:
                yield from reader.noun(token)


class _NounReader:
    def __init__(self, reading: Reading) -> None:
        self.r = reading
        self.lex = reading.lexicon
        self.coder = reading.coder
        self.clauses = reading.clauses
        self.arguments = VerbArguments(reading, self.coder, self.clauses)
        self.light = reading.lexicon.events.light_verbs
        self.victim_verbs = reading.lexicon.victim_kind

    def noun(self, noun: Token) -> Iterator[Finding]:
        coding = self.coder.code_noun(noun)
        if coding is None:
            return
        if {c.lower_ for c in parse.children(noun) if c.dep_ in ("det", "predet")} & NON_SPECIFIC:
            return
        kind = coding.kind
        carrier = _counted(noun)  # "held a series of meetings": the light verb's object is the count
        head = carrier.head
        light = carrier.dep_ in ("dobj", "nsubjpass", "attr") and head.i != carrier.i and self.coder.is_light(head)
        placing = None if light else self._placing(noun)
        if placing is not None:
            head, light = placing, True  # "placed X under arrest": the verb carries the act, done to its object
        if light and self.clauses.consumed(head):
            return  # "promised to continue aid": the governing verb's event
        governor = head if light else syntax.governing_verb(noun)
        if governor is not None and not light and self.clauses.consumed(governor):
            return  # "threatened to impose a blockade", "a resolution that aims to impose a blockade": no act
        agents = self.r.act_agents(noun)
        if light and not agents:
            tokens = syntax.by_agents(head) if syntax.is_passive(head) else syntax.subjects(head)
            agents = unique_args(a for t in tokens for a in self.r.args(t, expand=False))
        if light:
            verb_match = self.coder.code(head)
            if verb_match is not None and verb_match.specific:
                return  # "lodged a protest": the verb's own frame codes the pair
        elif governor is not None and carrier.dep_ in ("dobj", "pobj", "nsubjpass"):
            governing = self.coder.code(governor)
            refused = self.clauses.verb_class(governor) in (VerbClass.REFUSAL, VerbClass.DENIAL)
            other = governing is not None and governing.coding.kind is not kind
            if (refused or other) and (kind is not EventType.ASSAULT or not agents):
                return  # "rejected an ultimatum", "condemned the attack": an argument of another event
        if light or (governor is not None and carrier.dep_ in ("dobj", "nsubjpass")):
            final = with_mood(kind, modality.mood(governor or head))
            if final is None:
                return
        else:
            final = kind
        targets, parties = self.targets(noun, kind, head if light else None)
        if placing is not None:
            placed = syntax.passive_subjects(placing) if syntax.is_passive(placing) else syntax.direct_objects(placing)
            targets = unique_args([*(a for t in placed for a in self.r.args(t, members=True)), *targets])
        if not targets and light and kind is EventType.PROTEST:
            targets = self.arguments.purpose_targets(head)  # "continued their hunger strike to demand ..."
        mutual = final in MUTUAL_EVENTS
        if len(parties) >= 2 and not agents and (mutual or bilateral(final, coding.code, parties, [], noun)):
            agents, targets = parties, []  # "talks between X and Y", "a deal between X and Y"
        elif parties:
            targets = unique_args([*targets, *parties])
        accord = not mutual and bilateral(final, coding.code, agents, targets, noun)
        mutual = mutual or accord
        if not agents and not targets:
            return
        if mutual and not targets and len({a.token for a in agents}) < 2:
            return  # "Iran's Quds Force commander's visit": one party, read twice
        standing = (
            noun.lemma_.lower() in self.lex.events.standing_nouns or noun.lower_ in self.lex.events.standing_nouns
        )
        concrete = (light or kind in OCCURRENCE_TYPES) and not standing
        yield Finding(
            kind=final,
            predicate=event_predicate(final, coding.mode if final is kind else "", accord=accord),
            anchor=noun.i,
            actors=tuple(agents),
            targets=tuple(a for a in targets if a.key not in {g.key for g in agents}),
            rule="noun-light" if light else "noun-standing" if standing else "noun",
            confidence=0.7,
            mutual=mutual,
            concrete=concrete,
            code=coding.code,
            mode=coding.mode if final is kind else "",
            context=coding.context,
            anchors=(head.i,) if light else (),
        )

    def _placing(self, noun: Token) -> Token | None:
        """The verb of 'placed X *under* arrest', 'was put *under* investigation'."""
        prep = noun.head
        if noun.dep_ != "pobj" or prep.lower_ != "under" or parse.is_root(prep):
            return None
        verb = prep.head
        return verb if verb.lemma_.lower() in self.lex.events.placing_verbs else None

    def victims(self, noun: Token) -> list[Arg]:
        """'X died in a drone attack', 'X was killed in a strike': who an attack hit."""
        head = noun.head
        if noun.dep_ != "pobj" or head.lower_ not in ("in", "by", "during") or parse.is_root(head):
            return []
        verb = head.head
        if verb.lemma_.lower() not in self.victim_verbs:
            return []
        tokens = syntax.passive_subjects(verb) if syntax.is_passive(verb) else syntax.subjects(verb)
        return unique_args(a for t in tokens for a in self.r.args(t, members=True))

    def targets(self, noun: Token, kind: EventType, light: Token | None) -> tuple[list[Arg], list[Arg]]:
        """(targets, parties 'between X and Y') of an event noun."""
        members = kind in MEMBER_TARGET_TYPES
        preps = self.lex.target_preps.get(kind, frozenset())
        targets = unique_args(a for t in syntax.prep_objects(noun, preps) for a in self.r.args(t, members=members))
        for child in parse.children(noun):
            # "an attack targeting X"
            if child.dep_ == "acl" and child.lemma_.lower() in ("target", "hit", "strike"):
                targets.extend(a for t in syntax.direct_objects(child) for a in self.r.args(t, members=True))
        if not targets and light is not None:
            targets = unique_args(a for t in syntax.prep_objects(light, preps) for a in self.r.args(t, members=members))
        if not targets and kind is EventType.REQUEST:
            # "a demand that X withdraw", "a call for X to withdraw": who is asked
            clauses = [c for c in parse.children(noun) if c.dep_ in CLAUSE_DEPS and syntax.is_verbal(c)]
            if light is not None:
                hung = [c for c in parse.children(light) if c.dep_ == "ccomp"]  # "renewed its demand today that X ..."
                clauses += [c for c in hung if self.clauses.clause_noun(light, c) == noun]
            targets = unique_args(a for c in clauses for t in syntax.subjects(c) for a in self.r.args(t))
        if not targets and kind is EventType.ASSAULT:
            targets = self.victims(noun)
        if not targets and kind is EventType.PROTEST:
            targets = self.protested(noun)
        parties = unique_args(a for t in syntax.prep_objects(noun, ("between", "among")) for a in self.r.args(t))
        return unique_args(targets), parties


    def protested(self, noun: Token) -> list[Arg]:
        """'a strike *in protest at* X's decision': whose act the protest is against."""
        preps = list(syntax.preps(noun))
        protests = [p for word, p in preps if word == "in" and p.lemma_.lower() == "protest"]
        if not protests:
            return []
        # the act protested hangs on 'protest' or, by the parser, on the protesting noun itself
        acts = [act for p in protests for _, act in syntax.preps(p)]
        acts += [act for word, act in preps if word in ("at", "against", "over")]
        return unique_args(a for act in acts for a in (self.r.args(act) or self.r.owners_of(act)))


def _counted(noun: Token) -> Token:
    """'a series of meetings', 'a wave of strikes': the count word stands where the event noun would."""
    prep = noun.head
    if noun.dep_ == "pobj" and prep.lower_ == "of" and prep.head.lower_ in QUANTIFIERS:
        return prep.head
    return noun

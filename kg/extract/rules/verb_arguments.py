"""Arguments of a coded verb: who acts and at whom, in either voice, by general syntax.

Sources are the subjects (or by-agents of a passive, or the act a subject or 'in' phrase
names: "US strikes hit X", "killed in a US strike"); targets the objects, the controller of
an infinitive ("urged X to"), the prepositions of the event's type ("threatened action
against X"), the owner of an object that is an act or a thing ("rejected Iran's plan"),
whom a condition, a purpose or a complement clause is about ("... unless X withdraws",
"demonstrated to demand reforms by X", "demanded that X leave"), or the place a
threatened act would hit. A participle of speech after a reported clause ("X said ...,
warning that") is the speaker's.
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract import modality, parse, syntax
from kg.extract.actors import Arg, noun_forms, unique_args
from kg.extract.clauses import Clauses, VerbClass
from kg.extract.frames import FrameCoder, Match
from kg.extract.reading import QUANTIFIERS, Reading
from kg.vocab import EventType

# Types whose object may be an act standing for its agent ("condemned the US strikes").
ACT_OBJECT_TYPES = frozenset({EventType.ACCUSE, EventType.REJECT, EventType.SUPPORT, EventType.REQUEST})
# Types whose target may be a member standing for its group ("killed a commander of X").
MEMBER_TARGET_TYPES = frozenset({EventType.ASSAULT, EventType.COERCE, EventType.THREATEN})
# Acts on things: a thing struck or seized stands for whoever owns it.
MATERIAL_TYPES = frozenset({EventType.ASSAULT, EventType.COERCE, EventType.SANCTION})
# Types of what is said ("warning that", "urging", "accusing"): a participle of them after a
# reported clause is the speaker's.
SPOKEN_TYPES = frozenset({
    EventType.THREATEN, EventType.ACCUSE, EventType.REQUEST, EventType.REJECT, EventType.SUPPORT, EventType.AGREE,
})


class VerbArguments:
    """The argument finders of one reading's verbs."""

    def __init__(self, reading: Reading, coder: FrameCoder, clauses: Clauses) -> None:
        self.r = reading
        self.lex = reading.lexicon
        self.coder = coder
        self.clauses = clauses

    def statement_participle(self, verb: Token) -> bool:
        """'issued a statement *demanding* ...', 'a letter *calling on* ...': what the statement says."""
        head = verb.head
        return (
            verb.dep_ == "acl" and verb.tag_ == "VBG" and head.lemma_.lower() in self.lex.events.statement_nouns
        )

    def subjects(self, verb: Token) -> list[Arg]:
        tokens = syntax.subjects(verb) if syntax.is_verbal(verb) else syntax.subjects(verb.head)
        return unique_args(a for t in tokens for a in self.r.args(t, expand=False))

    def arguments(self, verb: Token, match: Match) -> tuple[list[Arg], list[Arg]]:
        """(sources, targets) of a coded verb, in either voice."""
        kind = match.coding.kind
        acts = kind in ACT_OBJECT_TYPES
        members = kind in MEMBER_TARGET_TYPES
        if verb.pos_ in ("NOUN", "PROPN"):
            # an event noun read under a governor: its own agent, and its target prepositions
            preps = self.lex.target_preps.get(kind, frozenset())
            holders = [verb, verb.head] if verb.dep_ in ("dobj", "nsubjpass", "attr") else [verb]
            targets = unique_args(
                a for h in holders for t in syntax.prep_objects(h, preps) for a in self.r.args(t, members=members)
            )
            return self.r.act_agents(verb), targets
        passive = syntax.is_passive(verb)
        if passive:
            source_tokens = syntax.by_agents(verb)
            object_tokens = syntax.passive_subjects(verb)
        else:
            source_tokens = syntax.subjects(verb)
            object_tokens = syntax.direct_objects(verb)
        if kind is EventType.REQUEST:
            controller = syntax.object_controller(verb)
            if controller:
                object_tokens = controller
        if not object_tokens and not passive:
            object_tokens = syntax.infinitive_subjects(verb)  # "allowed X to hold a rally"
        if acts:
            # "condemns the US airstrikes" with the act noun mistagged as a verb
            object_tokens = [*object_tokens, *(
                c for c in parse.children(verb)
                if c.dep_ in ("ccomp", "xcomp") and noun_forms(c) & self.r.act_nouns and syntax.determiner(c)
            )]
        slot = match.target_slot
        if slot and slot.startswith("prep:"):
            object_tokens = syntax.prep_objects(verb, (slot[5:],))
        reporter = self.reporter(verb, kind)
        if reporter is not None:
            source_tokens = syntax.subjects(reporter)
        sources = unique_args(a for t in source_tokens for a in self.r.args(t, acts=passive, expand=False))
        targets = unique_args(
            a for t in object_tokens for a in self.r.args(t, acts=acts, members=members, expand=False)
        )
        # "expressed its solidarity with X": the act's own agent is no target
        targets = [a for a in targets if a.key not in {s.key for s in sources}]
        if not targets:
            targets = self.prep_targets(verb, kind, object_tokens)
        if not targets and kind in ACT_OBJECT_TYPES:
            # "praised Haiti's efforts", "rejected an Iranian proposal": whose the thing is
            targets = unique_args(a for t in object_tokens for a in self.r.owners_of(t))
        if passive and not sources:
            # "X was killed in a US strike": the act names its agent
            for word, pobj in syntax.preps(verb):
                if word in ("in", "by", "during", "after") and self.r.act_agents(pobj):
                    sources = self.r.act_agents(pobj)
                    break
        if not passive and not sources:
            # "US drone strikes hit X": an act in subject position stands for its agent
            for token in syntax.subjects(verb):
                sources.extend(self.r.act_agents(token))
        if not sources and self.statement_participle(verb):
            # "X issued a statement demanding ...": the statement's author
            statement = verb.head
            author = syntax.governing_verb(statement)
            if author is not None and statement.dep_ in ("dobj", "nsubjpass"):
                tokens = syntax.by_agents(author) if syntax.is_passive(author) else syntax.subjects(author)
                sources = unique_args(a for t in tokens for a in self.r.args(t, expand=False))
            if not sources:
                sources = self.r.owners_of(statement)
        return sources, targets

    def reporter(self, verb: Token, kind: EventType) -> Token | None:
        """'X said Y ..., *warning* that': a spoken act after a comma, hung on the reported clause, is the speaker's."""
        if not (
            kind in SPOKEN_TYPES and verb.dep_ == "advcl" and verb.tag_ == "VBG" and verb.i > 0
            and verb.doc[verb.i - 1].text == "," and verb.head.i < verb.i
        ):
            return None
        node = verb.head
        while node.dep_ == "ccomp" and not parse.is_root(node):  # "said that X indicate Y has ..., warning"
            if self.clauses.verb_class(node.head) is VerbClass.SPEECH:
                return node.head
            node = node.head
        return None

    def prep_targets(self, verb: Token, kind: EventType, objects: list[Token] | None = None) -> list[Arg]:
        """'attacked on X', 'threatened action against X', 'boycott contact with X': by the type's prepositions."""
        if objects is None:
            objects = syntax.passive_subjects(verb) if syntax.is_passive(verb) else syntax.direct_objects(verb)
        preps = self.lex.target_preps.get(kind, frozenset())
        acts, members = kind in ACT_OBJECT_TYPES, kind in MEMBER_TARGET_TYPES
        # "held a series of meetings with X": the counted noun carries the preposition;
        # "mobilized reservists for a war against X": so does the purpose
        counted = [p for o in objects if o.lower_ in QUANTIFIERS for word, p in syntax.preps(o) if word == "of"]
        purposes = [p for h in (verb, *objects) for word, p in syntax.preps(h) if word == "for"]
        found = unique_args(
            a for h in (verb, *objects, *counted, *purposes) for t in syntax.prep_objects(h, preps)
            for a in self.r.args(t, acts=acts, members=members, expand=False)
        )
        if not found and kind in MATERIAL_TYPES:
            # "demolished Palestinian homes", "hacked into the computers of X": whose the thing struck is
            things = [*objects, *syntax.prep_objects(verb, ("into",))]
            found = unique_args(a for t in things for a in self.r.owners_of(t))
            if not found:  # "a camp for Congolese refugees was attacked": whom the thing is for
                found = unique_args(a for t in things for p in syntax.prep_objects(t, ("for",)) for a in self.r.args(p))
        if not found and not acts:
            # "lift the ban *on* X", "ease restrictions *on* X": an event noun as object keeps its own target
            # (not so for a rejected or condemned act: "rejects any attack on X" does not reject X)
            for noun in objects:
                coding = self.coder.code_noun(noun)
                own = self.lex.target_preps.get(coding.kind, frozenset()) if coding is not None else frozenset()
                found.extend(
                    a for h in (noun, verb) for t in syntax.prep_objects(h, own)
                    for a in self.r.args(t, members=True, expand=False)
                )
        return unique_args(found)

    def condition_targets(self, verb: Token) -> list[Arg]:
        """A threat's target is whom its condition is about ('... if Lebanon's government carries out ...')."""
        tokens = modality.condition_subjects(verb)
        for child in syntax.complements(verb):
            tokens = tokens or modality.condition_subjects(child)
        return unique_args(a for t in tokens for a in self.r.args(t))

    def purpose_targets(self, verb: Token) -> list[Arg]:
        """'demonstrated *to demand* reforms by X's government': whom a protest presses."""
        purpose = syntax.infinitive(verb) or next(
            (c for o in syntax.direct_objects(verb) for c in parse.children(o)
             if c.dep_ == "acl" and any(a.dep_ == "aux" and a.lower_ == "to" for a in parse.children(c))),
            None,
        ) or next((c for c in parse.children(verb) if self.clauses.demand_of_protest(c)), None)
        # "staged demonstrations *to demand* ...", "demonstrated ..., *calling for* ..."
        match = self.coder.code(purpose) if purpose is not None else None
        if purpose is None or match is None or match.coding.kind is not EventType.REQUEST:
            return []
        targets = self.arguments(purpose, match)[1]
        # "to demand reforms by X", "to press demands on X", "calling for independence from X"
        things = [*syntax.direct_objects(purpose), *(p for _, p in syntax.preps(purpose))]
        return targets or unique_args(
            [*(a for o in things for a in self.r.owners_of(o)),
             *(a for t in syntax.prep_objects(purpose, ("by", "from", "of")) for a in self.r.args(t))]
        )

    def places(self, verb: Token) -> list[Arg]:
        """'threatened to impose a curfew *in X*', 'rioted at a jail in X': the place an act hits."""
        heads = [verb, *syntax.direct_objects(verb)]
        heads += [p for h in heads for w, p in syntax.preps(h) if w in ("at", "near", "outside")]  # "at a jail in X"
        return unique_args(
            a for h in heads for t in syntax.prep_objects(h, ("in", "on")) for a in self.r.args(t) if a.top == "Place"
        )

    def complement_targets(self, complement: Token, kind: EventType) -> list[Arg]:
        """Whom a governed clause is aimed at: 'demanded that *Y* leave', 'threatened to strike *Y*'."""
        if kind is EventType.REQUEST and complement.dep_ == "ccomp":
            found = unique_args(a for t in syntax.subjects(complement) for a in self.r.args(t, expand=False))
            if found:
                return found
        inner = self.coder.code(complement)
        if inner is not None:
            found = self.arguments(complement, inner)[1]
            if found:
                return found
        objects = syntax.direct_objects(complement) or syntax.passive_subjects(complement)
        found = unique_args(a for t in objects for a in self.r.args(t, members=True, expand=False))
        if not found:
            # "threatened to deliver blows *to* X": the governing type's prepositions, on the clause or its object
            preps = self.lex.target_preps.get(kind, frozenset())
            found = unique_args(
                a for h in (complement, *objects) for t in syntax.prep_objects(h, preps)
                for a in self.r.args(t, members=True, expand=False)
            )
        return found

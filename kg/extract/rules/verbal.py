"""Events told by a verb: 'X attacked Y', 'Y was struck by X', 'X threatened to strike Y', 'X said it will aid Y'.

Every verb heading a clause is coded with the CAMEO frames (:mod:`kg.extract.frames`).
Verbs that take a clause are read with it, once:

* speech verbs ("say", "announce") are no events: their clause is coded, as reported;
  a reported obligation ("X said Y must withdraw") is X's request to Y;
* intent verbs ("promise", "vow", "offer", "plan", "be willing to") make their clause
  an intention: AGREE when it is cooperative, THREATEN when it is hostile;
* failure verbs ("fail to", "decline to") negate it; denials ("deny attacking") drop it;
* aspect verbs ("continue", "resume", "try") leave it as it is;
* coded verbs that govern a clause ("threaten to", "demand that", "refuse to", "urge
  X to") are the event; the clause only gives the target.

Then the mood of the clause retypes or drops the event (:mod:`kg.extract.coding`).
Relative clauses and participles describing a noun count only for violence
("militants who attacked the base").
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from spacy.tokens import Token

from kg.extract import modality, parse, syntax
from kg.extract.actors import Arg, unique_args
from kg.extract.clauses import GOVERNING_TYPES, VerbClass
from kg.extract.coding import bilateral, with_mood
from kg.extract.findings import Finding
from kg.extract.frames import Match
from kg.extract.reading import Reading
from kg.extract.rules.verb_arguments import ACT_OBJECT_TYPES, VerbArguments
from kg.vocab import MUTUAL_EVENTS, EventType, event_predicate

# Clauses that describe a noun rather than report an act ("militiamen armed with machetes").
DESCRIPTIVE = frozenset({"acl", "amod", "relcl", "csubj", "csubjpass"})
# Acts that happen somewhere to someone: with no actor named, the place still makes them an event.
MATERIAL_TYPES = frozenset({EventType.PROTEST, EventType.ASSAULT, EventType.COERCE, EventType.MOBILIZE})
# Prepositions that make a gerund an act of the clause's subject ("spoke after meeting X").
ACT_PREPOSITIONS = frozenset({"after", "before", "while", "upon", "on", "by", "in", "during", "since", "without"})


def find(reading: Reading) -> Iterator[Finding]:
    """Every verbal event of the article."""
    reader = _VerbReader(reading)
    adjectives = reading.lexicon.clauses.intent_adjectives
    for start, end in reading.units:
        for token in reading.tokens[start:end]:
            if syntax.is_verbal(token) or (
                reading.lowers[token.i] in adjectives and reader.clauses.intent_adjective(token)
            ):
                yield from reader.clause(token)


class _VerbReader:
    def __init__(self, reading: Reading) -> None:
        self.r = reading
        self.lex = reading.lexicon
        self.coder = reading.coder
        self.clauses = reading.clauses
        self.args = VerbArguments(reading, self.coder, self.clauses)

    # ------------------------------------------------------------------ one clause
    def clause(self, verb: Token) -> Iterator[Finding]:
        if self.clauses.consumed(verb):
            return
        kind_of_verb = self.clauses.verb_class(verb)
        if kind_of_verb is VerbClass.ASPECT:
            match = self.coder.code(verb)
            if match is not None and match.specific:
                yield from self._coded(verb, match)  # "began a hunger strike": a pattern of its own
            return  # else its clause is coded on its own
        if kind_of_verb is VerbClass.SPEECH and self.coder.event_object(verb) is not None:
            match = self.coder.code(verb)
            if match is not None and match.specific:
                yield from self._coded(verb, match)  # "reiterated its demand": a pattern of its own
            return  # else its clause is coded on its own
        if kind_of_verb in (VerbClass.SPEECH, VerbClass.DENIAL):
            return  # its clause is coded on its own (or, denied, not at all)
        speaker = self.clauses.reported(verb)
        if speaker is not None and modality.mood(verb, reported=True).obligation:
            yield from self._reported_obligation(verb, speaker)  # "X said Y must agree to ..."
            return
        if kind_of_verb in (VerbClass.INTENT, VerbClass.REFUSAL, VerbClass.FAILURE):
            if verb.dep_ in ("relcl", "acl") and not self.r.args(verb.head, expand=False):
                return  # "a resolution that aims to tighten sanctions" describes the resolution
            yield from self._governed(verb, kind_of_verb)
            return
        match = self.coder.code(verb)
        if match is None:
            return
        yield from self._coded(verb, match)

    def _reported_obligation(self, verb: Token, speaker: Token) -> Iterator[Finding]:
        """'X said Y must withdraw': X asks Y, whatever Y is asked to do."""
        asking = unique_args(a for t in syntax.subjects(speaker) for a in self.r.args(t, expand=False))
        asked = unique_args(a for t in syntax.subjects(verb) for a in self.r.args(t))
        if asking and asked and {a.key for a in asking} != {a.key for a in asked}:
            coding = self.lex.coding("100")
            if coding is not None:
                yield self._finding(
                    EventType.REQUEST, verb, asking, asked, Match(coding, "must", 0), "verb-reported-obligation"
                )

    def _coded(self, verb: Token, match: Match) -> Iterator[Finding]:
        kind = match.coding.kind
        if not self._reports_an_act(verb, kind):
            return
        if _purpose(verb):
            return  # "... to demand an end to the reform": why, not what happened
        if self._empty_light_verb(verb, match):
            return  # "took steps", "gave a speech": a light verb says nothing of its own
        speaker = self.clauses.reported(verb)
        mood = modality.mood(verb, reported=speaker is not None)
        sources, targets = self.args.arguments(verb, match)
        # "renewed *its* demand": who owns the act named by the object is its agent, never its target
        targets = [t for t in targets if t.key not in {s.key for s in sources}]
        final = with_mood(kind, mood, unless=_unless(verb))
        if final is None:
            return
        if kind in GOVERNING_TYPES:
            complement = _first(syntax.complements(verb))
            if complement is not None and not targets:
                targets = self.args.complement_targets(complement, kind)
        if final is not kind and not targets:
            # "would boycott talks *with* X": the target as the event's own type introduces it
            targets = self.args.prep_targets(verb, final)
        if final is EventType.THREATEN and not targets:
            complement = _first(syntax.complements(verb))
            targets = self.args.condition_targets(verb) or (
                self.args.places(complement) if complement is not None else []
            )
        if final is EventType.PROTEST and not targets:
            targets = self.args.purpose_targets(verb)
        if final is not kind and final in ACT_OBJECT_TYPES and not targets:
            # "will not accept the plan from Jordan": refusing Jordan's plan rejects Jordan
            objects = syntax.passive_subjects(verb) if syntax.is_passive(verb) else syntax.direct_objects(verb)
            targets = unique_args(a for t in objects for a in self.r.owners_of(t))
        rule = "verb-passive" if syntax.is_passive(verb) else "verb-active"
        yield from self._emit(final, verb, sources, targets, match, rule)

    def _governed(self, verb: Token, kind_of_verb: VerbClass) -> Iterator[Finding]:
        """'X promised to withdraw', 'X failed to reach agreement', 'X is willing to talk'."""
        complement = _first(syntax.complements(verb)) or _pcomp(verb) or syntax.infinitive(verb)
        aspect = complement is not None and self.clauses.verb_class(complement) is VerbClass.ASPECT
        if complement is not None and aspect:
            complement = _first(syntax.complements(complement)) or complement  # "prepared to resume *shelling*"
        inner = self.coder.code(complement) if complement is not None else None
        if complement is not None and inner is None:
            # "promised to continue military aid", "vowed to resume the strikes": an event noun under a light verb
            noun = self.coder.event_object(complement) or (self._act_object(complement) if aspect else None)
            coding = self.coder.code_noun(noun) if noun is not None else None
            if noun is not None and coding is not None:
                inner, complement = Match(coding, noun.lemma_.lower(), 0), noun
        own = self.coder.code(verb)
        mood = modality.mood(
            verb if syntax.is_verbal(verb) else verb.head, reported=self.clauses.reported(verb) is not None
        )
        if inner is not None and complement is not None:
            if kind_of_verb is VerbClass.REFUSAL:
                final: EventType | None = None if mood.negated else EventType.REJECT
            elif kind_of_verb is VerbClass.FAILURE:
                final = with_mood(inner.coding.kind, modality.Mood(negated=not mood.negated))
            else:
                inner_mood = modality.Mood(negated=mood.negated or modality.negated(complement), future=True)
                unless = _unless(verb) or _unless(complement)
                final = with_mood(inner.coding.kind, inner_mood, unless=unless)
                if unless and final is not None and final is not EventType.THREATEN:
                    final = EventType.THREATEN  # "vowed not to halt the strikes unless X ..."
                elif final is EventType.THREATEN and inner.coding.kind is EventType.ASSAULT and self._readies(verb):
                    final = EventType.MOBILIZE  # "troops prepared to attack X": a show of force, no threat made
            if final is None:
                return
            sources, _ = self.args.arguments(verb, own) if own is not None else (self.args.subjects(verb), [])
            if not sources:
                sources, _ = self.args.arguments(complement, inner)
            _, targets = self.args.arguments(complement, inner)
            if not targets and final is not inner.coding.kind:
                targets = self.args.prep_targets(complement, final)  # "agreed to re-open its borders *to* X"
            if final is EventType.THREATEN and not targets:
                targets = (
                    self.args.condition_targets(verb)
                    or self.args.condition_targets(complement)
                    or self.args.places(complement)
                )
            # "pledged to continue its strikes": the targets of the strikes told before
            back = complement.pos_ == "NOUN" and not targets and _anaphoric_act(complement)
            yield from self._emit(final, verb, sources, targets, inner, f"verb-{kind_of_verb.value}", refer_back=back)
        elif kind_of_verb is VerbClass.REFUSAL and not mood.negated:
            # "refused to resign", "declined the offer": a refusal whatever is refused
            coding = self.lex.coding("120")
            if coding is not None:
                match = own or Match(coding, verb.lemma_.lower(), 0)
                sources, targets = self.args.arguments(verb, Match(coding, match.key, 0))
                if complement is not None and not targets:
                    targets = self.args.complement_targets(complement, EventType.REJECT)
                yield from self._emit(
                    EventType.REJECT, verb, sources, targets, Match(coding, match.key, 0), "verb-refusal"
                )
        elif own is not None and kind_of_verb is VerbClass.INTENT:
            final = with_mood(own.coding.kind, mood)
            if final is not None:
                sources, targets = self.args.arguments(verb, own)
                if not targets and complement is not None:
                    # "offered to hand over X to Y": whom the promised act is for
                    targets = self.args.prep_targets(complement, final)
                yield from self._emit(final, verb, sources, targets, own, "verb-intent")

    def _readies(self, verb: Token) -> bool:
        """'prepared to attack', 'are preparing to strike': readying by deed ('is prepared to' is a stance)."""
        return (
            verb.pos_ == "VERB"
            and any(lemma in self.lex.clauses.preparation for lemma in syntax.verb_lemmas(verb))
            and not any(c.dep_ == "auxpass" for c in parse.children(verb))
        )

    def _empty_light_verb(self, verb: Token, match: Match) -> bool:
        """A light verb read by its default code whose object is neither an actor, a place nor an event."""
        if match.specific or match.coding.kind is EventType.ASSAULT or not self.coder.is_light(verb):
            return False
        objects = syntax.direct_objects(verb)
        return bool(objects) and not any(
            self.r.args(o, expand=False) or self.coder.code_noun(o) is not None for o in objects
        )

    def _act_object(self, verb: Token) -> Token | None:
        return next((o for o in syntax.direct_objects(verb) if self.coder.code_noun(o) is not None), None)

    def _reports_an_act(self, verb: Token, kind: EventType) -> bool:
        """Is the clause of ``verb`` an act (not a description of a noun, nor a gerund used as a noun)?"""
        if kind is EventType.ASSAULT or self.args.statement_participle(verb):
            return True
        if verb.dep_ == "pcomp":
            return verb.head.lower_ in ACT_PREPOSITIONS or self._praised_for(verb)
        if verb.dep_ == "acl":
            return verb.tag_ == "VBG"  # "the minister meeting with X": X is met, "troops armed with Y" describes
        return _first_conjunct(verb).dep_ not in DESCRIPTIVE

    def _praised_for(self, verb: Token) -> bool:
        """'thanked X for supporting Y': praise vouches for the act (an accusation only alleges it)."""
        prep = verb.head
        if prep.lower_ != "for" or parse.is_root(prep):
            return False
        governing = self.coder.code(prep.head)
        return governing is not None and governing.coding.kind is EventType.SUPPORT

    # ------------------------------------------------------------------ output
    def _emit(
        self, kind: EventType, anchor: Token, sources: list[Arg], targets: list[Arg], match: Match, rule: str,
        refer_back: bool = False,
    ) -> Iterator[Finding]:
        accord = bilateral(kind, match.coding.code, sources, targets, anchor)
        if kind in MUTUAL_EVENTS and not targets:
            # "X and Y met": coordinated parties, never two names read from one noun phrase
            if len({a.token for a in sources}) > 1:
                yield self._finding(kind, anchor, sources, [], match, rule, mutual=True)
            return
        if kind is EventType.COOPERATE and not match.specific and not syntax.prep_objects(anchor, ("with",)):
            return  # "X established Y": cooperation needs a partner named as such
        if not sources and not targets and kind in MATERIAL_TYPES:
            targets = self.args.places(anchor)  # "prisoners rioted at a jail in X": where, when no one is named
        if not sources and not targets:
            return
        found = self._finding(kind, anchor, sources, targets, match, rule, mutual=kind in MUTUAL_EVENTS or accord)
        yield replace(found, refer_back=refer_back) if refer_back else found

    def _finding(
        self, kind: EventType, anchor: Token, sources: list[Arg], targets: list[Arg], match: Match, rule: str,
        mutual: bool = False,
    ) -> Finding:
        coding = match.coding
        same = kind is coding.kind
        return Finding(
            kind=kind,
            predicate=event_predicate(kind, coding.mode if same else "", accord=mutual and kind not in MUTUAL_EVENTS),
            anchor=anchor.i,
            actors=tuple(sources),
            targets=tuple(targets),
            rule=rule,
            confidence=0.75 if match.specific else 0.7,
            mutual=mutual,
            code=coding.code,
            mode=coding.mode if same else "",
            context=coding.context,
        )


def _first(tokens: list[Token]) -> Token | None:
    return tokens[0] if tokens else None


def _pcomp(adjective: Token) -> Token | None:
    """'committed to opening up': the clause hangs on a preposition."""
    for child in parse.children(adjective):
        if child.dep_ == "prep":
            for grand in parse.children(child):
                if grand.dep_ == "pcomp" and syntax.is_verbal(grand):
                    return grand
    return None


def _anaphoric_act(noun: Token) -> bool:
    return bool(
        {c.lower_ for c in parse.children(noun) if c.dep_ in ("det", "poss")}
        & {"the", "these", "those", "its", "their"}
    )


def _first_conjunct(verb: Token) -> Token:
    """The first of coordinated bare infinitives, whose 'to' and place in the sentence they share:
    'steps to ease X *and promote* Y' is one purpose (or one description of the steps)."""
    first = verb
    while first.dep_ == "conj" and not parse.is_root(first) and first.tag_ == "VB" and first.head.tag_ == "VB":
        first = first.head
    return first


def _purpose(verb: Token) -> bool:
    """An infinitive of purpose: 'blockaded Paris *to demand* ...', 'visited X *to mediate*'."""
    first = _first_conjunct(verb)
    return first.dep_ == "advcl" and first.tag_ == "VB" and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in parse.children(first)
    )


def _unless(verb: Token) -> bool:
    return modality.unless_clause(verb) is not None

"""Events and claims: what happened once, and the figures an article reports.

An **event** is one concrete occurrence reported in one sentence (an attack, a
meeting, a phone call, a round of talks, a condemnation), typed with its PLOVER
category, with participants, place, date and casualty figures. Triggers of the
same occurrence in a sentence ("were killed by a US drone strike") make one
event. Summaries are no events: counted, plural or quantified attacks ("more
than 150 drone strikes", "most of the attacks", "several strikes"), running
tallies ("have been attacked ... 70 times since October"), habits and plans.

A **claim** is a figure as one article reports it. "At least 102 attacks since
October 17" and "over 165 times since mid-October" are two claims, each with
its hedge, period, subject and source; nothing here reconciles them.

Both reuse the relation engine (:class:`kg.extract.relations.RelationExtractor`):
its argument mapping ("American troops" stands for the United States),
coreference, trigger lexicon and time qualifiers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from kg.extract.actors import PLACE_RANK, SITE_CLASSES, Arg, unique_args, noun_forms
from kg.extract.qualifiers import MONTHS, WEEKDAYS, resolve_time
from kg.extract.relations import QUANTIFIERS, RelationExtractor, extractor
from kg.gazetteer import Gazetteer
from kg.model import Article, Claim, Event, Ref, Relation
from kg.vocab import SYMMETRIC_PREDICATES

# Entity labels of numbers that are no counts ("October 17", "5.8%", "first").
NOT_COUNTS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "ORDINAL", "QUANTITY"})
# Clause links that join two occurrences rather than two words for one.
CLAUSE_BREAKS = frozenset({"conj", "ccomp", "parataxis", "xcomp", "csubj"})
SAME_TIME_MARKS = frozenset({"when", "as", "while"})
# Words that make a date expression without a preposition a date ("Friday phone call", "earlier this month").
CALENDAR_WORDS = frozenset(WEEKDAYS) | frozenset(MONTHS) | {"today", "yesterday", "tonight", "week", "month", "year"}
SAME_EVENT_PREPS = frozenset({"by", "in", "during", "with", "through", "via", "at", "of"})


def events_and_claims(
    doc: Doc, article: Article, gazetteer: Gazetteer, engine: RelationExtractor | None = None
) -> tuple[list[Event], list[Claim]]:
    """The events and claims of a processed article.

    Args:
        engine: the relation engine already run over ``doc`` (the pipeline shares
            it); built and run here when not given.
    """
    if engine is None:
        engine = extractor(doc, article, gazetteer)
        engine.run()
    reader = _Reader(engine)
    found = reader.events()
    return found, reader.claims()


def events(doc: Doc, article: Article, gazetteer: Gazetteer, engine: RelationExtractor | None = None) -> list[Event]:
    """The concrete occurrences a processed article reports."""
    return events_and_claims(doc, article, gazetteer, engine)[0]


def claims(doc: Doc, article: Article, gazetteer: Gazetteer, engine: RelationExtractor | None = None) -> list[Claim]:
    """The figures a processed article reports."""
    return events_and_claims(doc, article, gazetteer, engine)[1]


@dataclass
class _Draft:
    """An event being assembled from the triggers of one occurrence."""

    kind: str
    triggers: list[Token]
    rule: str
    actors: list[Arg] = field(default_factory=list)
    targets: list[Arg] = field(default_factory=list)
    others: list[Arg] = field(default_factory=list)
    places: list[Arg] = field(default_factory=list)
    quantities: dict[str, int] = field(default_factory=dict)
    anchors: list[Token] = field(default_factory=list)


class _Reader:
    def __init__(self, engine: RelationExtractor) -> None:
        self.x = engine
        self.doc = engine.doc
        self.article = engine.article
        lex = engine.lex
        self.lex = lex
        self.assault_verbs = lex.words("events", "assault_verbs")
        self.verb_preps = {k: frozenset(v) for k, v in lex.table("events", "assault_verbs_with_prep").items()}
        self.assault_nouns = lex.words("events", "assault_nouns")
        self.consult_verbs = lex.words("events", "consult_verbs")
        self.consult_nouns = lex.words("events", "consult_nouns")
        self.visit_words = lex.words("events", "visit_words")
        self.victim_kind = {
            lemma: kind for kind, lemmas in lex.table("events", "victim_verbs").items() for lemma in lemmas
        }
        self.cause_verbs = lex.words("events", "cause_verbs")
        self.anaphoric = lex.words("events", "anaphoric_determiners")
        self.nonspecific = lex.words("events", "nonspecific_determiners")
        self.summary = lex.words("events", "summary_quantifiers") | QUANTIFIERS
        self.habitual = lex.words("events", "habitual_adverbs")
        self.place_preps = lex.words("events", "place_preps")
        self.speech_kinds: dict[str, str] = dict(lex.table("events", "event_predicates"))
        self.stance = frozenset(lex.raw["events"]["stance_predicates"])
        self.measure_of = {
            form: measure for measure, forms in lex.table("claims", "measures").items() for form in forms
        }
        self.victim_nouns = lex.words("claims", "victim_nouns") | lex.words("membership", "member_nouns")
        self.dead_words = lex.words("claims", "dead_words")
        self.times_nouns = lex.words("claims", "times_nouns")
        self.approximations = lex.words("claims", "approximations")
        self.report_verbs = lex.words("claims", "report_verbs")
        self.speech_verbs = lex.words("speech_verbs") | self.report_verbs
        self.attribution_heads = lex.words("claims", "attribution_heads")
        self.number_words = {k.lower(): int(v) for k, v in lex.table("claims", "number_words").items()}
        self.holder_verbs = lex.words("deployment", "holder_verbs")
        self.participles = lex.words("deployment", "participles")
        self.title_unit = 0  # the first line is the title: headlines tell past events in the present
        # Figures an event already carries ("Three US soldiers were killed"): no claim repeats them.
        self.used: set[int] = set()

    # ================================================================== events
    def events(self) -> list[Event]:
        found: list[Event] = []
        for n, (start, end) in enumerate(self.x.units):
            span = self.doc[start:end]
            for draft in self._assaults(span, n) + self._consults(span, n):
                event = self._finish(draft, span)
                if event is not None:
                    found.append(event)
        found.extend(self._speech_acts())
        return sorted(found, key=lambda e: (e.sentence_start, e.trigger_start, e.kind))

    # ------------------------------------------------------------------ ASSAULT
    def _assaults(self, span: Span, unit: int) -> list[_Draft]:
        triggers = [t for t in span if self._assault_trigger(t, unit, span)]
        drafts: list[_Draft] = []
        for group in self._occurrences(triggers):
            # the attack word ("drone strike", "hit") over the casualty verb, a verb over a plural noun
            primary = min(group, key=lambda t: (t.lemma_.lower() in self.victim_kind, t.tag_ == "NNS", t.i))
            draft = _Draft("ASSAULT", group, "assault-" + ("verb" if primary.pos_ == "VERB" else "noun"))
            draft.triggers = [primary, *(t for t in group if t is not primary)]
            for trigger in group:
                actors, targets = self._assault_roles(trigger)
                draft.actors.extend(actors)
                draft.targets.extend(targets)
            allowed_s, allowed_o = self.lex.signatures["attacked"]
            draft.actors = unique_args(a for a in draft.actors if a.kinds() & allowed_s)
            actor_keys = {a.key for a in draft.actors}
            # "a strike on Jurf al-Sakhar": a town struck is where the attack happened
            struck_places = [a for a in draft.targets if not a.kinds() & allowed_o and a.top == "Place"]
            draft.targets = unique_args(a for a in draft.targets if a.kinds() & allowed_o and a.key not in actor_keys)
            if not draft.actors and not draft.targets:
                continue
            victim_verbs = self._victim_verbs(group)
            draft.anchors = [*group, *victim_verbs, *self._clause_children(group)]
            for verb in victim_verbs:
                counted = self._victim_count(verb)
                if counted is not None:
                    kind = self.victim_kind[verb.lemma_.lower()]
                    draft.quantities[kind] = draft.quantities.get(kind, 0) + counted[0]
                    self.used.update(counted[1])
            self._caused(group, draft)
            light = [t.head for t in group if t.dep_ in ("dobj", "nsubjpass") and t.head.lemma_.lower() in self.x.light]
            struck = [self.doc[a.token] for a in draft.targets if a.token >= 0]
            around = [*group, *victim_verbs, *light, *self._objects(group), *struck]
            draft.places = self._places(around) or struck_places
            if not draft.places:
                draft.places = [t for t in draft.targets if t.cls in SITE_CLASSES]
            drafts.append(draft)
        return drafts

    def _assault_trigger(self, t: Token, unit: int, span: Span) -> bool:
        if t.i in self.x.actors.ent_at:
            return False
        lemma = t.lemma_.lower()
        if t.pos_ == "VERB" and lemma in self.assault_verbs:
            return self._concrete_verb(t, unit, span)
        if t.pos_ == "NOUN" and t.dep_ != "compound" and self._forms(t) & self.assault_nouns:
            return self._concrete_noun(t, span)
        return False

    def _concrete_verb(self, v: Token, unit: int, span: Span) -> bool:
        """A past, factual, single occurrence: no plan, denial, habit or running tally."""
        tag = v.tag_
        if tag in ("VBZ", "VBP"):
            # headlines tell past events in the present
            if unit != self.title_unit:
                return False
        elif tag == "VBG":
            if v.dep_ not in ("advcl", "conj", "pcomp") or v.head.tag_ not in ("VBD", "VBN"):
                return False
        elif tag == "VB":
            if not any(c.dep_ == "aux" and c.lower_ == "did" for c in v.children):
                return False
        elif tag not in ("VBD", "VBN") or v.dep_ == "amod":
            return False
        if self.x.is_negated(v) or self.x.is_irrealis(v):
            return False
        preps = self.verb_preps.get(v.lemma_.lower())
        if preps and not any(c.dep_ == "prep" and c.lower_ in preps for c in v.children):
            return False
        if self._times(v) not in (None, 1):
            return False
        for child in v.children:
            if child.dep_ in ("nsubj", "nsubjpass") and self._summary_noun(child):
                return False
            if child.dep_ == "advmod" and child.lower_ in self.habitual:
                return False
        if any(c.dep_ == "aux" and c.lemma_ == "have" for c in v.children):
            # "have attacked", "have been targeted (since October)": a tally unless dated to a day
            return self._dated_to_a_day([v], span)
        return True

    def _concrete_noun(self, n: Token, span: Span) -> bool:
        """A specific, new attack: not 'any attack', 'these attacks', 'most of the attacks' or 'several strikes'.

        Plural strikes are one occurrence only when dated to a day in a simple past clause
        ("US forces conducted airstrikes against X on Tuesday"); otherwise they are a tally.
        """
        if self._summary_noun(n):
            return False
        dets = {c.lower_ for c in n.children if c.dep_ in ("det", "predet", "poss")}
        if dets & (self.anaphoric | self.nonspecific):
            return False
        governor = self._governor(n)
        if governor is not None and (self.x.is_negated(governor) or self.x.is_irrealis(governor)):
            return False
        if n.tag_ in ("NNS", "NNPS"):
            if "the" in dets or governor is None or governor.tag_ != "VBD":
                return False
            return self._dated_to_a_day([n, governor], span)
        return True

    def _dated_to_a_day(self, anchors: Sequence[Token], span: Span) -> bool:
        _, text = self._event_time(anchors, span)
        if text is None:
            return False
        words = set(re.findall(r"[a-z]+|\d+", text.lower()))
        if words & set(WEEKDAYS) or words & {"today", "yesterday"}:
            return True
        return bool(words & set(MONTHS)) and any(w.isdigit() and len(w) <= 2 for w in words)

    def _summary_noun(self, n: Token) -> bool:
        """Counted or quantified attacks ('150 strikes', 'several strikes', 'most of the attacks')."""
        if not self._forms(n) & (self.assault_nouns | self.x.attack_nouns):
            return False
        for child in n.children:
            if child.dep_ == "nummod" and (self._number(child) or 0) > 1:
                return True
            if child.dep_ in ("amod", "det", "quantmod", "advmod") and child.lower_ in self.summary:
                return True
        return n.dep_ == "pobj" and n.head.lower_ == "of" and n.head.head.lower_ in self.summary

    def _assault_roles(self, t: Token) -> tuple[list[Arg], list[Arg]]:
        """Attackers and targets one trigger names."""
        x = self.x
        if t.pos_ == "VERB":
            passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in t.children) or (
                t.tag_ == "VBN" and t.dep_ in ("acl", "advcl") and not any(c.dep_ == "dobj" for c in t.children)
            )
            if passive:
                actors = x.agents(t)
                # "X was killed in a US strike": the act names its agent
                for prep in t.children:
                    if prep.dep_ == "prep" and prep.lower_ in ("in", "during", "by"):
                        for pobj in prep.children:
                            if pobj.dep_ == "pobj" and self._forms(pobj) & self.assault_nouns:
                                actors.extend(x.act_agents(pobj))
                return actors, x.patients(t, members=True)
            actors = x.subjects(t) or x.act_subject_agents(t)
            verb_preps = self.verb_preps.get(t.lemma_.lower())
            targets = x.prep_objects(t, verb_preps) if verb_preps else x.direct_objects(t, members=True)
            return actors, targets
        # the prepositions of the most specific noun frame ("drone strike" before "strike")
        frames = (ps for key in self._keys(t) for p, ps in self.lex.noun_frames.get(key, ()) if p == "attacked")
        preps = list(next(frames, ("on", "against", "targeting")))
        targets = x.prep_objects(t, preps)
        for child in t.children:
            if child.dep_ == "acl" and child.lemma_.lower() in ("target", "hit", "strike"):
                targets.extend(x.direct_objects(child, members=True))
        if not targets and t.dep_ in ("nsubjpass", "dobj") and t.head.lemma_.lower() in x.light:
            targets.extend(x.prep_objects(t.head, preps))
        targets.extend(x.victims(t))
        return x.noun_agents(t, "attacked"), targets

    def _victim_verbs(self, group: Sequence[Token]) -> list[Token]:
        """Verbs saying who died or was hurt in the occurrence ('X died in a drone attack')."""
        found: dict[int, Token] = {}
        for t in group:
            if t.pos_ == "VERB" and t.lemma_.lower() in self.victim_kind:
                found[t.i] = t
            head = t.head
            if t.dep_ == "pobj" and head.dep_ in ("prep", "agent") and head.head.lemma_.lower() in self.victim_kind:
                found[head.head.i] = head.head
            if t.dep_ == "advcl" and head.lemma_.lower() in self.victim_kind and self._same_time(t):
                found[head.i] = head
            for child in t.children:
                if (
                    child.dep_ in ("advcl", "relcl", "conj")
                    and child.lemma_.lower() in self.victim_kind
                    and child.pos_ == "VERB"
                    and child.tag_ in ("VBD", "VBN", "VBG")
                ):
                    found[child.i] = child
        return [found[i] for i in sorted(found)]

    def _victim_count(self, verb: Token) -> tuple[int, list[int]] | None:
        """How many died or were hurt, when the text says: a number, or the victims named one by one."""
        lemma = verb.lemma_.lower()
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) or (
            verb.tag_ == "VBN" and verb.dep_ in ("acl", "advcl")
        )
        deps = ("nsubj",) if lemma in ("die", "perish") else ("nsubjpass",) if passive else ("dobj",)
        victims = [c for c in verb.children if c.dep_ in deps]
        if not victims and passive and verb.dep_ == "acl":
            victims = [verb.head]
        if not victims:
            return None
        return self._count(victims[0])

    def _count(self, noun: Token) -> tuple[int, list[int]] | None:
        total, used = 0, []
        for head in [noun, *noun.conjuncts]:
            numbers = [c for c in head.children if c.dep_ == "nummod"]
            number = head if head.pos_ == "NUM" else numbers[0] if numbers else None
            if number is not None:
                if self._approximation(number)[0]:
                    return None  # "more than 40": a hedged figure stays a claim
                value = self._number(number)
                used.append(number.i)
            elif (head.i in self.x.actors.ent_at and self.x.actors.ent_at[head.i].label_ == "Person") or (
                head.tag_ == "NN" and noun_forms(head) & self.victim_nouns
            ):
                value = 1  # one victim named or described
            else:
                return None
            if value is None:
                return None
            total += value
        return total, used

    def _caused(self, group: Sequence[Token], draft: _Draft) -> None:
        """'..., causing over 60 injuries', '... without causing any injuries' (0)."""
        for t in group:
            for child in t.children:
                verbs: list[tuple[Token, bool]] = []
                if child.dep_ in ("advcl", "conj") and child.lemma_.lower() in self.cause_verbs:
                    verbs.append((child, False))
                elif child.dep_ == "prep" and child.lower_ == "without":
                    verbs.extend((p, True) for p in child.children if p.lemma_.lower() in self.cause_verbs)
                for verb, negative in verbs:
                    for obj in verb.children:
                        if obj.dep_ != "dobj":
                            continue
                        kind = self.measure_of.get(obj.lemma_.lower())
                        if kind not in ("injuries", "fatalities"):
                            continue
                        dets = {c.lower_ for c in obj.children if c.dep_ == "det"}
                        if negative or dets & {"no"}:
                            draft.quantities.setdefault(kind, 0)
                            continue
                        numbers = [c for c in obj.children if c.dep_ == "nummod"]
                        value = self._number(numbers[0]) if numbers else None
                        if value is not None and not self._approximation(numbers[0])[0]:
                            draft.quantities.setdefault(kind, value)
                            self.used.add(numbers[0].i)

    # ------------------------------------------------------------------ CONSULT
    def _consults(self, span: Span, unit: int) -> list[_Draft]:
        triggers = [t for t in span if self._consult_trigger(t, unit)]
        drafts: list[_Draft] = []
        allowed = self.lex.signatures["consulted"][0]
        for group in self._occurrences(triggers):
            draft = _Draft("CONSULT", list(group), "consult-" + ("verb" if group[0].pos_ == "VERB" else "noun"))
            places: list[Arg] = []
            for trigger in group:
                parties, where = self._consult_parties(trigger)
                draft.others.extend(parties)
                places.extend(where)
            draft.others = unique_args(a for a in draft.others if a.kinds() & allowed)
            draft.places = self._places([*group, *(g.head for g in group if g.dep_ == "pobj")]) or unique_args(places)
            visit = any(t.lemma_.lower() in self.visit_words for t in group)
            if len(draft.others) < 2 and not (visit and draft.others and draft.places):
                continue
            draft.anchors = list(group)
            drafts.append(draft)
        return drafts

    def _consult_trigger(self, t: Token, unit: int) -> bool:
        if t.i in self.x.actors.ent_at or self.x.is_negated(t):
            return False
        lemma = t.lemma_.lower()
        if t.pos_ == "VERB" and lemma in self.consult_verbs:
            if t.tag_ in ("VBZ", "VBP", "VB") and unit != self.title_unit:
                return False
            frames = [f for f in self.lex.verb_frames.get(lemma, ()) if f.predicate == "consulted"]
            if frames and all(f.prep for f in frames) and not any(
                c.dep_ == "prep" and c.lower_ in {f.prep for f in frames} for c in t.children
            ):
                # "she spoke", "they discussed the conflict": no meeting unless said with whom, or mutual
                subjects = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")]
                if not any(s.conjuncts for s in subjects):
                    return False
            return not self.x.is_irrealis(t)
        if t.pos_ in ("NOUN", "PROPN") and t.dep_ != "compound" and self._forms(t) & self.consult_nouns:
            if lemma == "call" and not (
                any(c.dep_ == "prep" and c.lower_ == "with" for c in t.children)
                or any(c.dep_ == "compound" and c.lower_ in ("phone", "telephone") for c in t.children)
            ):
                return False
            dets = {c.lower_ for c in t.children if c.dep_ in ("det", "predet")}
            if dets & (self.anaphoric | self.nonspecific):
                return False
            governor = self._governor(t)
            return governor is None or not (self.x.is_negated(governor) or self.x.is_irrealis(governor))
        return False

    def _consult_parties(self, t: Token) -> tuple[list[Arg], list[Arg]]:
        """Who met (or talked, or called) whom, and the places named as the object of a visit."""
        x = self.x
        parties: list[Arg] = []
        if t.pos_ == "VERB":
            parties.extend(x.subjects(t))
            frames = [f for f in self.lex.verb_frames.get(t.lemma_.lower(), ()) if f.predicate == "consulted"]
            objs: list[Arg] = []
            if any(f.prep is None and not f.extra for f in frames):
                objs.extend(x.direct_objects(t))
                objs.extend(x.patients(t) if any(c.dep_ == "nsubjpass" for c in t.children) else [])
                parties.extend(x.agents(t))
            preps = {f.prep for f in frames if f.prep}
            objs.extend(x.prep_objects(t, preps))
            parties.extend(x.without_forces(t, objs))
        else:
            parties.extend(x.noun_agents(t, "consulted"))
            preps = {
                p for key in self._keys(t) for pred, ps in self.lex.noun_frames.get(key, ()) if pred == "consulted"
                for p in ps
            }
            parties.extend(x.prep_objects(t, preps or ("with",)))
            for child in t.children:
                if child.dep_ == "prep" and child.lower_ == "between":
                    parties.extend(a for p in child.children if p.dep_ == "pobj" for a in x.args(p))
            head = t.head
            if t.dep_ == "pobj" and head.lower_ in ("in", "during") and head.head.pos_ == "VERB":
                # "Sudani told Blinken in their phone call": the one spoken to took part
                parties.extend(a for a in x.direct_objects(head.head) if a.top == "Person")
        places = [a for a in parties if a.top == "Place" and a.cls != "Country"]
        return parties, places

    # ------------------------------------------------------------------ speech acts and stances
    def _speech_acts(self) -> list[Event]:
        """REQUEST, ACCUSE, REJECT, THREATEN (and dated COOPERATE/SUPPORT acts) from the relations found.

        The relation rules already refuse denied, planned and hypothetical acts; the relations
        read from one trigger word make one event.
        """
        groups: dict[tuple[int, str], list[Relation]] = {}
        for key, relation in self.x.found.items():
            kind = self.speech_kinds.get(relation.predicate)
            anchor_i = self.x.anchor_of.get(key)
            if kind is None or anchor_i is None:
                continue
            anchor = self.doc[anchor_i]
            if relation.predicate in self.stance and not (
                anchor.pos_ == "VERB" and anchor.tag_ == "VBD" and not self.x.is_irrealis(anchor)
            ):
                continue  # "Washington's support for Israel", "wants to cooperate": stances, not acts
            groups.setdefault((anchor_i, kind), []).append(relation)
        found: list[Event] = []
        for (anchor_i, kind), group in sorted(groups.items()):
            group.sort(key=lambda r: (r.subject.start, r.object.start, r.predicate))
            anchor = self.doc[anchor_i]
            participants: list[tuple[str, Ref]] = []
            for relation in group:
                if relation.predicate in SYMMETRIC_PREDICATES:
                    participants.extend([("participant", relation.subject), ("participant", relation.object)])
                else:
                    participants.extend([("actor", relation.subject), ("target", relation.object)])
            first = group[0]
            quals = dict(first.qualifiers)
            found.append(
                Event(
                    article_id=self.article.id,
                    kind=kind,
                    trigger_start=anchor.idx,
                    trigger_end=anchor.idx + len(anchor.text),
                    sentence_start=first.sentence_start,
                    sentence_end=first.sentence_end,
                    participants=tuple(dict.fromkeys(participants)),
                    time=quals.get("time"),
                    time_text=quals.get("time_text"),
                    rule="event-" + first.rule,
                )
            )
        return found

    # ------------------------------------------------------------------ shared
    def _finish(self, draft: _Draft, span: Span) -> Event | None:
        participants: list[tuple[str, Ref]] = []
        participants += [("actor", a.ref) for a in draft.actors]
        participants += [("target", a.ref) for a in draft.targets]
        participants += [("participant", a.ref) for a in draft.others]
        if not participants:
            return None
        primary = draft.triggers[0]
        start = primary.idx
        for child in primary.children:
            # "drone strike", "phone conversation": the trigger with its head noun's compound
            if child.dep_ == "compound" and child.i == primary.i - 1 and child.pos_ == "NOUN":
                start = child.idx
        time, time_text = self._event_time(draft.anchors or draft.triggers, span)
        place = min(draft.places, key=lambda a: (PLACE_RANK.get(a.cls, 1.5), a.ref.start)) if draft.places else None
        return Event(
            article_id=self.article.id,
            kind=draft.kind,
            trigger_start=start,
            trigger_end=primary.idx + len(primary.text),
            sentence_start=span.start_char,
            sentence_end=span.end_char,
            participants=tuple(dict.fromkeys(participants)),
            place=place.ref if place else None,
            time=time,
            time_text=time_text,
            quantities=tuple((k, str(v)) for k, v in sorted(draft.quantities.items())),
            rule=draft.rule,
        )

    def _event_time(self, anchors: Sequence[Token], span: Span) -> tuple[str | None, str | None]:
        """The date of the occurrence: a date expression in the triggers' own clause, not 'the day after' one."""
        at = {t.i for t in anchors}
        for t in anchors:
            node = t
            for _ in range(3):
                if t.pos_ == "VERB" or node.head is node or node.dep_ in CLAUSE_BREAKS:
                    break
                if node.dep_ == "pobj" and node.head.lower_ not in SAME_EVENT_PREPS:
                    break
                if node.dep_ not in ("pobj", "prep", "agent", "dobj", "nsubj", "nsubjpass", "attr", "appos"):
                    break
                node = node.head
                at.add(node.i)
                if node.pos_ in ("VERB", "AUX"):
                    break
        for text, value, since in self._dates(at, span):
            if not since:
                return value, text
        return None, None

    def _dates(self, anchors: set[int], span: Span) -> list[tuple[str, str | None, bool]]:
        """(text, ISO value, is a 'since') of the date expressions attached to the anchor tokens."""
        found: list[tuple[str, str | None, bool]] = []
        for ent in span.ents:
            if ent.label_ != "DATE":
                continue
            node, hit = ent.root, False
            for _ in range(3):
                if node.head is node:
                    break
                node = node.head
                if node.i in anchors:
                    hit = True
                    break
                if node.pos_ in ("VERB", "AUX"):
                    break
            if not hit:
                continue
            text = ent.text.strip().rstrip(",")
            before = self.doc[ent.start - 1] if ent.start > 0 else None
            prep = before if before is not None and before.pos_ in ("ADP", "SCONJ") and before.dep_ == "prep" else None
            value = resolve_time(text, self.article.date)
            if prep is not None:
                text = f"{prep.text} {text}"
                value = resolve_time(text, self.article.date)
            elif value is None and not any(w in CALENDAR_WORDS for w in re.findall(r"[a-z]+", text.lower())):
                continue  # "ten days (after the start)": a distance in time, no date
            found.append((text, value, prep is not None and prep.lower_ == "since"))
        return found

    def _occurrences(self, triggers: Sequence[Token]) -> list[list[Token]]:
        """Triggers grouped by occurrence: one is a dependent of the other within a clause."""
        at = {t.i: t for t in triggers}
        parent = {i: i for i in at}

        def find(i: int) -> int:
            while parent[i] != i:
                i = parent[i]
            return i

        for t in triggers:
            node = t
            for _ in range(6):
                if node.head is node:
                    break
                if node.dep_ in CLAUSE_BREAKS and not self._same_occurrence_conj(node):
                    break
                if node.dep_ == "advcl" and not self._same_time(node):
                    break
                if node.dep_ in ("pobj", "pcomp") and node.head.lower_ not in SAME_EVENT_PREPS:
                    break
                node = node.head
                if node.i in at:
                    parent[find(t.i)] = find(node.i)
                    break
        groups: dict[int, list[Token]] = {}
        for i in sorted(at):
            groups.setdefault(find(i), []).append(at[i])
        return list(groups.values())

    def _same_occurrence_conj(self, verb: Token) -> bool:
        """'X struck Y and killed Z', 'three were killed and 40 injured': one occurrence told in two verbs."""
        if verb.dep_ != "conj" or verb.pos_ != "VERB" or verb.head.pos_ != "VERB":
            return False
        if verb.lemma_.lower() in self.victim_kind or verb.head.lemma_.lower() in self.victim_kind:
            return True
        return not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)

    @staticmethod
    def _same_time(clause: Token) -> bool:
        marks = {c.lower_ for c in clause.children if c.dep_ in ("mark", "advmod") and c.tag_ in ("IN", "WRB")}
        return not marks or bool(marks & SAME_TIME_MARKS)

    def _clause_children(self, group: Sequence[Token]) -> list[Token]:
        """Verbs hanging on trigger nouns ('an attack ... claimed by X on January 4'), for dates."""
        return [c for t in group if t.pos_ == "NOUN" for c in t.children if c.dep_ in ("acl", "relcl")]

    @staticmethod
    def _objects(group: Sequence[Token]) -> list[Token]:
        found = []
        for t in group:
            for child in t.children:
                if child.dep_ in ("dobj", "nsubjpass"):
                    found.append(child)
                    found.extend(p for prep in child.children if prep.dep_ == "prep" and prep.lower_ == "of"
                                 for p in prep.children if p.dep_ == "pobj")
        return found

    def _places(self, anchors: Iterable[Token]) -> list[Arg]:
        found: list[Arg] = []
        for anchor in anchors:
            for child in anchor.children:
                if child.dep_ == "prep" and child.lower_ in self.place_preps:
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            found.extend(a for a in self.x.args(pobj) if a.top == "Place")
        return unique_args(found)

    def _governor(self, token: Token) -> Token | None:
        node = token
        for _ in range(4):
            if node.head is node:
                return None
            node = node.head
            if node.pos_ in ("VERB", "AUX"):
                return node
        return None

    def _forms(self, token: Token) -> set[str]:
        """Noun forms with the compound before it: 'drone strike', 'phone call'."""
        forms = noun_forms(token)
        for child in token.children:
            if child.dep_ == "compound" and child.i == token.i - 1:
                forms |= {f"{child.lower_} {f}" for f in noun_forms(token)}
        return forms

    def _keys(self, token: Token) -> list[str]:
        return sorted(self._forms(token), key=lambda k: (-len(k.split()), k))

    def _times(self, verb: Token) -> int | None:
        """N in 'attacked ... around 70 times'; None when the verb has no such count."""
        for child in verb.children:
            if child.dep_ == "npadvmod":
                nouns = [child]
            elif child.dep_ == "prep":
                nouns = [p for p in child.children if p.dep_ == "pobj"]
            else:
                continue
            for noun in nouns:
                if noun.lemma_.lower() in self.times_nouns:
                    for num in noun.children:
                        if num.dep_ == "nummod":
                            return self._number(num)
        return None

    def _number(self, token: Token) -> int | None:
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

    # ================================================================== claims
    def claims(self) -> list[Claim]:
        found: list[Claim] = []
        for start, end in self.x.units:
            span = self.doc[start:end]
            for token in span:
                if token.i not in self.used:
                    claim = self._claim_at(token, span)
                    if claim is not None:
                        found.append(claim)
        return found

    def _claim_at(self, t: Token, span: Span) -> Claim | None:
        bare = False
        if t.lower_ == "no" and t.dep_ == "det":
            noun, value = t.head, 0
            if not self._existential(noun):
                return None
        elif t.pos_ == "NUM" or t.like_num:
            if t.ent_type_ in NOT_COUNTS:
                return None
            value_or_none = self._number(t)
            if value_or_none is None:
                return None
            value = value_or_none
            if t.dep_ == "nummod":
                noun = t.head
                while noun.dep_ == "compound" and noun.head.i > noun.i:
                    noun = noun.head  # "more than 150 drone strikes"
            elif t.dep_ == "conj":
                # "about 2,500 troops in Iraq and nearly 900 in Syria": the count shares the noun
                noun = t.head
                while noun.pos_ == "NUM" and noun.dep_ in ("conj", "nummod") and noun.head is not noun:
                    noun = noun.head
                bare = True
                if noun.pos_ != "NOUN":
                    return None
            elif t.dep_ in ("nsubj", "nsubjpass", "dobj"):
                noun, bare = t, True  # "more than 40 were injured"
            else:
                return None
        else:
            return None
        measure, verb = self._measure(noun)
        if measure is None:
            return None
        if value == 0 and measure == "troops":
            return None
        approximation, first = self._approximation(t)
        if measure == "attacks" and verb is not None and noun.lemma_.lower() in self.times_nouns:
            first = first or t
            if noun.dep_ == "pobj" and noun.head.lower_ in self.approximations:
                approximation, first = noun.head.lower_, noun.head
        start = (first or t).idx
        last = t if bare else noun
        subject = self._claim_subject(measure, noun, verb)
        anchors = self._claim_anchors(noun, verb)
        source, speech = self._source(noun, span)
        if speech is not None:
            anchors.append(speech)
        since, since_text, time, time_text = self._when(anchors, span)
        places = self._places_in([t] if bare else [noun, *self._counted_things(noun, verb)])
        return Claim(
            article_id=self.article.id,
            measure=measure,
            value=str(value),
            approximation=approximation,
            start=start,
            end=last.idx + len(last.text),
            sentence_start=span.start_char,
            sentence_end=span.end_char,
            subject=subject.ref if subject else None,
            source=source.ref if source else None,
            places=tuple(p.ref for p in places),
            since=since,
            since_text=since_text,
            time=time,
            time_text=time_text,
            rule="claim-" + ("times" if noun.lemma_.lower() in self.times_nouns else "count" if value else "none"),
        )

    def _existential(self, noun: Token) -> bool:
        """'There have been no attacks since February 4'."""
        head = noun.head
        return noun.dep_ in ("attr", "nsubj") and head.lemma_ == "be" and any(c.dep_ == "expl" for c in head.children)

    def _measure(self, noun: Token) -> tuple[str | None, Token | None]:
        """What a counted noun measures, and the verb a count of 'times' hangs on."""
        if noun.lemma_.lower() in self.times_nouns:
            verb = noun.head.head if noun.dep_ == "pobj" else noun.head
            if verb.pos_ == "VERB" and verb.lemma_.lower() in self.assault_verbs:
                return "attacks", verb
            return None, None
        victim = self._victim_measure(noun)
        if victim is not None:
            return victim, None
        for form in self._keys(noun):
            if form in self.measure_of:
                measure = self.measure_of[form]
                if measure in ("fatalities", "injuries") or measure == "attacks" or self._deployed(noun):
                    return measure, None
        return None, None

    def _deployed(self, noun: Token) -> bool:
        """Troops counted as a presence, not as people something happened to."""
        return self._victim_measure(noun) is None

    def _victim_measure(self, noun: Token) -> str | None:
        if not (noun_forms(noun) & self.victim_nouns or noun.pos_ == "NUM"):
            return None
        head = noun.head
        lemma = head.lemma_.lower()
        if noun.dep_ == "nsubjpass" and lemma in self.victim_kind:
            return self.victim_kind[lemma]
        if noun.dep_ == "nsubj" and lemma in ("die", "perish"):
            return "fatalities"
        if noun.dep_ == "dobj" and lemma in self.victim_kind and head.tag_ != "VBN":
            return self.victim_kind[lemma]
        if noun.dep_ == "dobj" and any(
            c.dep_ in ("oprd", "acomp", "xcomp") and c.lower_ in self.dead_words for c in head.children
        ):
            return "fatalities"  # "left eight fighters dead"
        for child in noun.children:
            if child.dep_ in ("acl", "amod") and child.lemma_.lower() in self.victim_kind and child.tag_ == "VBN":
                return self.victim_kind[child.lemma_.lower()]
        return None

    def _approximation(self, number: Token) -> tuple[str | None, Token | None]:
        """The hedge before a number as written ('at least', 'more than', 'nearly') and its first token."""
        hedge_deps = ("advmod", "quantmod", "amod", "prep", "pobj")
        before = [c for c in number.subtree if c.i < number.i and c.dep_ in hedge_deps]
        if not before:
            return None, None
        words = " ".join(c.lower_ for c in before)
        if words in self.approximations:
            return words, before[0]
        return None, None

    def _claim_subject(self, measure: str, noun: Token, verb: Token | None) -> Arg | None:
        """Whom a figure is about: the troops' owner, the attacks' target, the casualties' side."""
        x = self.x
        found: list[Arg] = []
        if measure == "troops":
            found = x.actors.owners(noun)
            if not found and noun.dep_ == "dobj" and noun.head.lemma_.lower() in self.holder_verbs:
                found = x.subjects(noun.head)
        elif measure == "attacks":
            if verb is not None:
                passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
                found = x.patients(verb, members=True) if passive else x.direct_objects(verb, members=True)
            else:
                found = x.prep_objects(noun, ["on", "against", "targeting"])
                for child in noun.children:
                    if child.dep_ == "acl" and child.lemma_.lower() in self.assault_verbs:
                        found.extend(x.direct_objects(child, members=True))
                head = noun.head
                if not found and noun.dep_ in ("nsubj", "attr") and head.pos_ in ("VERB", "AUX"):
                    if head.lemma_.lower() in self.assault_verbs:
                        found = x.direct_objects(head, members=True)
                    else:
                        found = x.prep_objects(head, ["on", "against"])
        else:
            found = x.prep_objects(noun, ["to", "among"]) or x.actors.owners(noun)
        found = [a for a in found if a.kinds() & {"Actor", "Site"}]
        return found[0] if found else None

    def _counted_things(self, noun: Token, verb: Token | None) -> list[Token]:
        """Where to look for the places a figure is about: the noun, the attacked troops, 'on our troops'."""
        things: list[Token] = []
        if verb is not None:
            things.extend(c for c in verb.children if c.dep_ in ("nsubjpass", "dobj"))
        things.extend(p for prep in noun.children if prep.dep_ == "prep" and prep.lower_ in ("on", "against")
                      for p in prep.children if p.dep_ == "pobj")
        head = noun.head
        if noun.dep_ in ("attr", "nsubj") and head.pos_ in ("VERB", "AUX"):
            things.extend(p for prep in head.children if prep.dep_ == "prep" and prep.lower_ in ("on", "against")
                          for p in prep.children if p.dep_ == "pobj")
            if head.lemma_.lower() in self.assault_verbs:
                things.extend(c for c in head.children if c.dep_ == "dobj")
        return things

    def _places_in(self, tokens: Iterable[Token]) -> list[Arg]:
        """Places named around counted things: 'attacks in Iraq', 'troops based in Iraq and Syria'."""
        tokens = list(tokens)
        participles = [
            c for t in tokens for c in t.children if c.dep_ in ("acl", "amod") and c.lower_ in self.participles
        ]
        return self._places([*tokens, *participles])

    def _claim_anchors(self, noun: Token, verb: Token | None) -> list[Token]:
        anchors = [noun]
        governor = verb or self._governor(noun)
        if governor is not None:
            anchors.append(governor)
            anchors.extend(c for c in governor.children if c.dep_ in ("aux", "auxpass"))
        return anchors

    def _source(self, noun: Token, span: Span) -> tuple[Arg | None, Token | None]:
        """Who reports the figure: 'according to X', 'X has recorded N', 'X told reporters that ...'."""
        x = self.x
        for token in span:
            if token.lower_ != "according":
                continue
            for prep in token.children:
                if prep.dep_ == "prep" and prep.lower_ == "to":
                    for pobj in prep.children:
                        if pobj.dep_ != "pobj":
                            continue
                        found = x.args(pobj, expand=False)
                        if not found and noun_forms(pobj) & self.attribution_heads:
                            found = x.prep_objects(pobj, ["from", "by", "of"])
                        found = [a for a in found if "Actor" in a.kinds()]
                        if found:
                            return found[0], None
        node = noun
        for _ in range(6):
            if node.head is node:
                break
            if node.dep_ == "dobj" and node.head.lemma_.lower() in self.report_verbs:
                found = [a for a in x.subjects(node.head) if "Actor" in a.kinds()]
                if found:
                    return found[0], node.head
            if node.dep_ in ("ccomp", "parataxis") and node.head.lemma_.lower() in self.speech_verbs:
                found = [a for a in x.subjects(node.head) if "Actor" in a.kinds()]
                return (found[0], node.head) if found else (None, node.head)
            node = node.head
        return None, None

    def _when(self, anchors: Sequence[Token], span: Span) -> tuple[str | None, str | None, str | None, str | None]:
        """The period a count runs from ('since mid-October') and the date it is given for ('on Tuesday')."""
        since = since_text = time = time_text = None
        for text, value, is_since in self._dates({a.i for a in anchors}, span):
            if is_since and since_text is None:
                since, since_text = value, text
            elif not is_since and time_text is None:
                time, time_text = value, text
        return since, since_text, time, time_text



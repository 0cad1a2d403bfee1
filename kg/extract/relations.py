"""Relations between actors, from the dependency parse, spaCy's matchers and the trigger lexicon.

Rule families (the ``rule`` name of each Relation says which one fired):

* ``verb-active`` / ``verb-passive``: a trigger verb with its subject and object
  ("X condemned Y", "Y was attacked by X", "X called on Y to ...");
* ``verb-mutual``: coordinated subjects of a mutual verb ("X and Y met");
* ``noun-frame``: a trigger noun with its agent and object ("X's support for Y",
  "a phone conversation with Y", "strikes against Y" carried out by X);
* ``between``: "talks between X and Y";
* ``claimed-by``: an attack claimed by X makes X the attacker of the attack's
  targets, named in the phrase or in the attack mentioned just before;
* ``pledge-continue``: "X pledged to continue its strikes" threatens their targets;
* ``criticism-frame``: "X saw it as an aggression by Y";
* ``title-*``: role titles next to person names (see :mod:`kg.extract.roles`);
* ``backing-*``: pro-X, X-backed, X-led, "aligned with X", "linked to X";
* ``part-of``, ``as-part-of``, ``includes``: membership;
* ``appos-ally``: "X, Y's ally";
* ``deploy-*``: forces of an actor in a place, with troop counts;
* ``located-in``: a place in a larger place.

Arguments are actor entities of ``doc.ents`` or gazetteer entries implied by a
word (see :mod:`kg.extract.actors`); pronouns and descriptions go through
:mod:`kg.extract.coref`. Every rule works on syntax and lexicon only.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from kg.extract.actors import PLACE_RANK, Actors, Arg, noun_forms
from kg.extract.coref import Coref, Role
from kg.extract.lexicon import Lexicon, load_lexicon
from kg.extract.qualifiers import quantity_of, time_qualifiers, times_of
from kg.extract.roles import RoleFact, TitleReader
from kg.gazetteer import Gazetteer
from kg.model import Article, Ref, Relation
from kg.vocab import SYMMETRIC_PREDICATES

SUBJECT_DEPS = ("nsubj", "csubj")
RELATIVE = frozenset({"who", "which", "that", "whom"})
QUANTIFIERS = frozenset({"most", "some", "many", "several", "all", "one", "none", "each", "both", "any", "dozens",
                         "scores", "hundreds", "number", "majority", "part", "half", "bulk", "series", "wave", "string",
                         "spate", "volley", "volleys", "barrage", "salvo", "round", "more", "least", "few"})
OBJECT_CONTROL = frozenset({"urge", "ask", "call", "press", "push", "request", "help", "encourage", "invite",
                            "force", "allow", "order", "tell", "implore", "exhort", "appeal"})


@dataclasses.dataclass(frozen=True, slots=True)
class _Event:
    """An attack mentioned in the text: who (if said) hit whom."""

    sent: int
    noun: int
    targets: tuple[Arg, ...]
    attackers: tuple[Arg, ...]


def relations(doc: Doc, article: Article, gazetteer: Gazetteer) -> list[Relation]:
    """Every relation the rules find in a processed article."""
    return extractor(doc, article, gazetteer).run()


def extractor(doc: Doc, article: Article, gazetteer: Gazetteer) -> RelationExtractor:
    """The rule engine for one Doc: ``run()`` gives its relations; :mod:`kg.extract.events` reuses its helpers."""
    return RelationExtractor(doc, article, gazetteer, load_lexicon())


def sentence_units(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges of the sentences, with parser sentences also cut at line breaks."""
    units: list[tuple[int, int]] = []
    for sent in doc.sents:
        start = sent.start
        for token in sent:
            if "\n" in token.text or (token.is_space and token.i > start):
                if token.i > start:
                    units.append((start, token.i))
                start = token.i + 1
            elif "\n" in token.whitespace_ and token.i + 1 < sent.end:
                units.append((start, token.i + 1))
                start = token.i + 1
        if start < sent.end:
            units.append((start, sent.end))
    return [(s, e) for s, e in units if any(not t.is_space and not t.is_punct for t in doc[s:e])]


class RelationExtractor:
    def __init__(self, doc: Doc, article: Article, gazetteer: Gazetteer, lexicon: Lexicon) -> None:
        self.doc = doc
        self.article = article
        self.lex = lexicon
        self.actors = Actors(doc, gazetteer, lexicon)
        self.units = sentence_units(doc)
        self.unit_of = [-1] * len(doc)
        for n, (s, e) in enumerate(self.units):
            for i in range(s, e):
                self.unit_of[i] = n
        # Tokens outside any unit (blank lines) count as the previous unit in coreference windows.
        sent_of: list[int] = []
        for unit in self.unit_of:
            sent_of.append(unit if unit >= 0 else (sent_of[-1] if sent_of else 0))
        self.sent_of = sent_of
        self.role_facts = list(TitleReader(doc, self.actors, lexicon).facts())
        roles: dict[str, list[Role]] = {}
        for fact in self.role_facts:
            roles.setdefault(fact.person.key, []).append(
                Role(fact.title, fact.relation, fact.org.key if fact.org else None)
            )
        self.coref = Coref(doc, self.actors, lexicon, sent_of, roles)
        self.found: dict[tuple[str, str, str, int], Relation] = {}
        # The trigger token each kept relation was read from, for the event reader.
        self.anchor_of: dict[tuple[str, str, str, int], int] = {}
        self.events: list[_Event] = []
        self.attack_nouns = frozenset(
            n for n, frames in lexicon.noun_frames.items() for p, _ in frames if p == "attacked"
        ) | lexicon.words("attack_nouns_plain")
        self.force = lexicon.words("force_nouns", "lemmas")
        self.deployable = lexicon.words("force_nouns", "deployable")
        self.light = lexicon.words("light_verbs", "lemmas")
        self.negations = lexicon.words("negations")
        self.collective = lexicon.words("membership", "collective_nouns")
        self.part_nouns = lexicon.words("membership", "part_nouns")
        self.member_nouns = lexicon.words("membership", "member_nouns")
        self.irrealis = lexicon.words("irrealis", "governors")
        self.modals = lexicon.words("irrealis", "modals")
        self.factual = lexicon.words("irrealis", "factual_predicates")
        self.agent_nouns = lexicon.words("force_nouns", "agents")
        self.matcher = self._build_matcher()

    # ================================================================== plumbing
    def run(self) -> list[Relation]:
        for fact in self.role_facts:
            self._emit_role(fact)
        matches = self._matches()
        for n, (start, end) in enumerate(self.units):
            sent = self.doc[start:end]
            for token in sent:
                self._token_rules(token)
            for rule, i, j in matches.get(n, ()):
                self._match_rule(rule, self.doc[i:j])
            self._claims(sent)
            self._pledges(sent)
        return sorted(self.found.values(), key=lambda r: (r.sentence_start, r.predicate, r.subject.start, r.object.start))

    def _token_rules(self, token: Token) -> None:
        pos = token.pos_
        if pos in ("VERB", "AUX") or (pos == "ADJ" and token.dep_ in ("acl", "amod")):
            self._verb(token)
            self._mutual(token)
            self._criticism_frame(token)
            self._deploy_verb(token)
            self._include(token)
        if pos in ("NOUN", "PROPN"):
            self._noun(token)
            self._between(token)
            self._deploy_noun(token)
            self._part_of(token)
            self._appos_ally(token)
            self._appos_place(token)
        if pos in ("VERB", "ADJ", "ADP", "ADV"):
            self._backing_participle(token)

    def emit(
        self,
        predicate: str,
        subject: Arg,
        obj: Arg,
        anchor: Token,
        rule: str,
        confidence: float,
        qualifiers: Sequence[tuple[str, str]] = (),
        same_unit: bool = True,
    ) -> bool:
        """Record one relation if it is well-typed and its arguments lie in the anchor's sentence."""
        if subject.key == obj.key:
            return False
        allowed_s, allowed_o = self.lex.signatures[predicate]
        if not (subject.kinds() & allowed_s) or not (obj.kinds() & allowed_o):
            return False
        unit = self.unit_of[anchor.i]
        if unit < 0:
            return False
        if same_unit and any(self.unit_of[a.token] != unit for a in (subject, obj) if a.token >= 0):
            return False
        if predicate == "locatedIn" and not self._smaller(subject, obj):
            return False
        if predicate in SYMMETRIC_PREDICATES and subject.key > obj.key:
            subject, obj = obj, subject
        start, end = self.units[unit]
        span = self.doc[start:end]
        quals = list(qualifiers)
        if not any(k == "time" or k == "time_text" for k, _ in quals):
            quals.extend(time_qualifiers(anchor, span, self.article.date))
        relation = Relation(
            article_id=self.article.id,
            subject=subject.ref,
            predicate=predicate,
            object=obj.ref,
            sentence_start=span.start_char,
            sentence_end=span.end_char,
            rule=rule,
            confidence=confidence,
            qualifiers=tuple(dict.fromkeys(quals)),
        )
        key = (subject.key, predicate, obj.key, unit)
        old = self.found.get(key)
        if old is None or old.confidence < confidence:
            self.found[key] = relation
            self.anchor_of[key] = anchor.i
        return True

    @staticmethod
    def _smaller(a: Arg, b: Arg) -> bool:
        ra, rb = PLACE_RANK.get(a.cls), PLACE_RANK.get(b.cls)
        if ra is None or rb is None:
            return False
        return ra < rb

    # ================================================================== arguments
    def args(self, token: Token, expand: bool = True, acts: bool = False, members: bool = False) -> list[Arg]:
        """Actors a noun phrase stands for: named, implied, owned, or resolved from an anaphor.

        ``acts``: an act ("the US airstrikes") stands for its agent; ``members``: a member
        ("a commander of X") stands for the group, as the target of an attack.
        """
        heads = [token]
        if expand:
            heads.extend(c for c in token.conjuncts if c.pos_ in ("NOUN", "PROPN", "PRON", "ADJ", "NUM"))
        found: list[Arg] = []
        for head in heads:
            found.extend(self._args_one(head, acts))
            if members and not found and head.lemma_.lower() in self.member_nouns:
                found.extend(a for a in self.prep_objects(head, ["of"]) if a.top == "Organization")
        seen: set[str] = set()
        return [a for a in found if not (a.key in seen or seen.add(a.key))]  # type: ignore[func-returns-value]

    def _args_one(self, head: Token, acts: bool) -> list[Arg]:
        if head.lower_ in RELATIVE and head.head.dep_ == "relcl":
            return self.args(head.head.head, expand=False, acts=acts)
        direct = self.actors.denote(head, expand=False)
        if direct:
            return direct
        if self.coref.is_anaphor(head):
            resolved = self.coref.resolve(head)
            return [dataclasses.replace(resolved, token=head.i)] if resolved else []
        if head.lower_ in QUANTIFIERS:
            for child in head.children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            return self.args(pobj, acts=acts)
        if acts and head.lemma_.lower() in self.attack_nouns:
            return self.act_agents(head)
        # "a tribute to X, former architect of ..., killed by": the apposition stands for X.
        if head.dep_ == "appos" and head.head.i in self.actors.ent_at:
            return [self.actors.ent_arg(self.actors.ent_at[head.head.i])]
        # "the US ambassador, X,": a described noun stands for the name in apposition to it.
        for child in head.children:
            if child.dep_ == "appos" and child.i in self.actors.ent_at:
                return [self.actors.ent_arg(self.actors.ent_at[child.i])]
        return []

    def act_agents(self, noun: Token) -> list[Arg]:
        """Who carried out an act named by a noun ('US airstrikes', 'an American strike', 'attacks by X')."""
        found: list[Arg] = []
        for child in noun.children:
            if child.i < noun.i and child.dep_ in ("compound", "amod", "nmod", "poss", "npadvmod"):
                arg = self.actors.at(child)
                if arg is None and self.coref.is_anaphor(child) and child.dep_ == "poss":
                    resolved = self.coref.resolve(child)
                    arg = dataclasses.replace(resolved, token=child.i) if resolved else None
                if arg is None and child.lemma_.lower() in self.agent_nouns:
                    found.extend(self.actors.owners(child))
                if arg is not None:
                    found.append(arg)
            elif child.dep_ == "prep" and child.lower_ == "by":
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        found.extend(self.args(pobj))
            elif child.dep_ == "acl" and child.lemma_.lower() in ("claim", "carry", "conduct", "launch"):
                found.extend(self.agents(child))
        return found

    def subjects(self, verb: Token, depth: int = 0) -> list[Arg]:
        """The actors doing what an active verb says, explicit or inherited from the governing clause."""
        if depth > 4:
            return []
        for child in verb.children:
            if child.dep_ in SUBJECT_DEPS:
                return self.args(child, acts=False)
        if verb.dep_ == "xcomp" or (verb.dep_ == "ccomp" and verb.tag_ == "VB"):
            head = verb.head
            if head.lemma_.lower() in OBJECT_CONTROL:
                for child in head.children:
                    if child.dep_ == "dobj":
                        return self.args(child)
                    if child.dep_ == "prep" and child.lower_ in ("on", "upon"):
                        return [a for p in child.children if p.dep_ == "pobj" for a in self.args(p)]
            return self.subjects(head, depth + 1)
        if verb.dep_ in ("advcl", "conj") and verb.head.pos_ in ("VERB", "AUX"):
            if verb.dep_ == "conj" or verb.tag_ in ("VBG", "VB"):
                return self.subjects(verb.head, depth + 1)
        if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and verb.head.head.pos_ in ("VERB", "AUX"):
            return self.subjects(verb.head.head, depth + 1)
        if verb.dep_ == "acl" and verb.tag_ == "VBG":
            return self.args(verb.head, expand=False)
        return []

    def patients(self, verb: Token, members: bool = False) -> list[Arg]:
        """The actors a passive verb or participle is about."""
        for child in verb.children:
            if child.dep_ == "nsubjpass":
                return self.args(child, acts=False, members=members)
        if verb.dep_ == "acl":
            return self.args(verb.head, expand=False) or self._described(verb.head)
        if verb.dep_ == "advcl" and verb.tag_ == "VBN":
            return self.subjects(verb.head)
        if verb.dep_ == "conj" and verb.head.tag_ == "VBN":
            return self.patients(verb.head)
        return []

    def agents(self, verb: Token) -> list[Arg]:
        found: list[Arg] = []
        for child in verb.children:
            if child.dep_ == "agent":
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        found.extend(self.args(pobj, acts=True))
        return found

    def prep_objects(self, head: Token, preps: Iterable[str], acts: bool = False) -> list[Arg]:
        wanted = set(preps)
        found: list[Arg] = []
        for child in head.children:
            if child.dep_ in ("prep", "agent", "dative") and child.lower_ in wanted:
                for pobj in child.children:
                    if pobj.dep_ in ("pobj", "pcomp"):
                        found.extend(self.args(pobj, acts=acts))
        return found

    def direct_objects(self, verb: Token, acts: bool = False, members: bool = False) -> list[Arg]:
        found: list[Arg] = []
        for child in verb.children:
            if child.dep_ in ("dobj", "attr") or (child.dep_ == "dative" and child.pos_ != "ADP"):
                found.extend(self.args(child, acts=acts, members=members))
            elif acts and child.dep_ in ("ccomp", "xcomp") and child.lemma_.lower() in self.attack_nouns and any(
                c.dep_ == "det" for c in child.children
            ):
                # an act noun mistagged as a verb ("condemns the US airstrikes")
                found.extend(self.act_agents(child))
        return found

    def _negated(self, token: Token) -> bool:
        return any(c.dep_ == "neg" or c.lower_ in ("never",) for c in token.children)

    def _irrealis(self, verb: Token) -> bool:
        """Threatened, planned, hypothetical or denied events are not facts ('vowed to attack X')."""
        node = verb
        for _ in range(4):
            if self._negated(node) or any(c.dep_ == "aux" and c.lower_ in self.modals for c in node.children):
                return True
            if node.dep_ in ("xcomp", "ccomp") and node.head.lemma_.lower() in self.irrealis:
                return True
            if node.dep_ not in ("xcomp", "conj") or node.head is node:
                return False
            node = node.head
        return False

    def _described(self, noun: Token) -> list[Arg]:
        """The named actor an unnamed noun phrase describes: through apposition, umbrella 'of' chains, copulas."""
        node = noun
        for _ in range(8):
            ent = self.actors.ent_at.get(node.i)
            if ent is not None:
                return [self.actors.ent_arg(ent)]
            named = self.actors.denote(node, expand=False)
            if named and node.lemma_.lower() in self.collective:
                return named
            if node.dep_ == "appos":
                adjacent = self._ent_before_comma(node)
                if adjacent is not None:
                    return [adjacent]
                node = node.head
                continue
            if node.dep_ == "conj":
                node = node.head
                continue
            if node.dep_ in ("pobj",) and node.head.lower_ in ("of", "from") and node.head.head.pos_ in ("NOUN", "PROPN", "ADJ"):
                owner = node.head.head
                if owner.lemma_.lower() in self.collective or owner.lower_ in QUANTIFIERS or owner.lemma_.lower() in ("fighter", "member", "militant"):
                    node = owner
                    continue
                return []
            if node.dep_ == "attr" and node.head.lemma_ in ("be", "become", "remain"):
                for child in node.head.children:
                    if child.dep_ == "nsubj":
                        return self.args(child, expand=False)
                return []
            return []
        return []

    def _ent_before_comma(self, appos: Token) -> Arg | None:
        left = appos.left_edge.i
        if left >= 2 and self.doc[left - 1].text == ",":
            ent = self.actors.ent_at.get(left - 2)
            if ent is not None and ent.end == left - 1:
                return self.actors.ent_arg(ent)
            # a closing quote or bracket after the name
            if left >= 3 and self.doc[left - 2].is_punct:
                ent = self.actors.ent_at.get(left - 3)
                if ent is not None and ent.end == left - 2:
                    return self.actors.ent_arg(ent)
        return None

    # ================================================================== roles
    def _emit_role(self, fact: RoleFact) -> None:
        if not fact.relation or fact.org is None:
            return
        anchor = self.doc[fact.anchor]
        quals = [("role", fact.role)]
        self.emit(fact.relation, fact.person, fact.org, anchor, fact.rule, 0.85, quals, same_unit=False)
        for country in fact.extra:
            self.emit("memberOf", fact.person, country, anchor, fact.rule, 0.7, quals, same_unit=False)
        # An organization named with its country ("US State Department") belongs to that country.
        org = fact.org
        span = self.doc.char_span(org.ref.start, org.ref.end, alignment_mode="expand")
        if org.top == "Organization" and org.ref.gazetteer_id is None and span is not None:
            for i in range(span.start, span.end):
                token = self.doc[i]
                demonym = self.actors.demonym_arg(token) if token.is_upper or token.pos_ == "ADJ" else None
                if demonym is not None and demonym.cls == "Country" and i == self.actors.ent_at[i].start:
                    self.emit("memberOf", org, demonym, anchor, "org-country", 0.6, same_unit=False)
                    break

    # ================================================================== verbs
    def _verb(self, verb: Token) -> None:
        frames = self.lex.verb_frames.get(verb.lemma_.lower())
        if not frames or self._negated(verb):
            return
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) or (
            verb.tag_ == "VBN" and verb.dep_ in ("acl", "advcl") and not any(c.dep_ == "dobj" for c in verb.children)
        )
        for frame in frames:
            if frame.extra and not all(
                any(c.lower_ == w or c.lemma_.lower() == w for c in verb.children) for w in frame.extra
            ):
                continue
            predicate = frame.predicate
            if predicate.lower() not in self.factual and self._irrealis(verb):
                continue
            acts = predicate in ("criticized", "rejected", "supported")
            members = predicate in ("attacked", "threatened")
            if passive:
                if frame.prep is not None:
                    objs = self.prep_objects(verb, [frame.prep], acts=acts) if frame.prep != "by" else []
                    if not objs:
                        objs = self.patients(verb, members)
                    subjects = self.agents(verb)
                else:
                    objs = self.patients(verb, members)
                    subjects = self.agents(verb)
                rule = "verb-passive"
            else:
                subjects = self.subjects(verb)
                if frame.prep:
                    objs = self.prep_objects(verb, [frame.prep], acts=acts)
                else:
                    objs = self.direct_objects(verb, acts=acts, members=members)
                rule = "verb-active"
            if predicate == "attacked" and not passive:
                subjects = subjects or self._attack_subject_agents(verb)
                if objs:
                    self._record_event(verb, objs, subjects)
            if predicate == "attacked" and passive and not subjects:
                # "X was killed in a US strike": the act names its agent
                for prep in verb.children:
                    if prep.dep_ == "prep" and prep.lower_ in ("in", "by", "during"):
                        for pobj in prep.children:
                            if pobj.dep_ == "pobj" and noun_forms(pobj) & self.attack_nouns:
                                subjects.extend(self.act_agents(pobj))
            if predicate == "attacked" and passive and objs:
                self._record_event(verb, objs, subjects)
            if predicate == "supported":
                self._support(verb, subjects, objs, rule)
                continue
            if predicate == "leaderOf" and not passive and not objs:
                continue
            if predicate in ("consulted", "cooperatedWith"):
                objs = self._without_forces(verb, objs)
            quals = self._verb_quantity(verb)
            for s in subjects:
                for o in objs:
                    self.emit(predicate, s, o, verb, rule, 0.8, quals)

    def _without_forces(self, head: Token, objs: list[Arg]) -> list[Arg]:
        """Drop arguments that stand for troops: hosting troops is no meeting ('Iraq hosts US troops')."""
        forces = {
            a.key
            for child in head.subtree
            if child.i != head.i and noun_forms(child) & self.deployable
            for a in self.actors.owners(child)
        }
        return [o for o in objs if o.key not in forces]

    def _attack_subject_agents(self, verb: Token) -> list[Arg]:
        """'US drone strikes hit X': the attack noun in subject position names its agent."""
        for child in verb.children:
            if child.dep_ in SUBJECT_DEPS and child.lemma_.lower() in self.attack_nouns:
                return self.act_agents(child)
        return []

    def _verb_quantity(self, verb: Token) -> list[tuple[str, str]]:
        times = times_of(verb)
        return [("quantity", times)] if times else []

    def _support(self, anchor: Token, subjects: list[Arg], objs: list[Arg], rule: str) -> None:
        """Support of a state for an armed group is sponsorship (backedBy); otherwise 'supported'."""
        for s in subjects:
            for o in objs:
                if o.cls == "ArmedGroup" and s.cls in ("Country", "GovernmentBody"):
                    self.emit("backedBy", o, s, anchor, rule, 0.75)
                else:
                    self.emit("supported", s, o, anchor, rule, 0.75)

    def _mutual(self, verb: Token) -> None:
        predicate = self.lex.mutual_verbs.get(verb.lemma_.lower())
        if predicate is None or self._negated(verb):
            return
        subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
        if not subjects:
            return
        if verb.lemma_.lower() == "hold":
            nouns = set(self.lex.words("between_nouns", predicate)) if predicate in self.lex.raw["between_nouns"] else set()
            objs = [c for c in verb.children if c.dep_ == "dobj"]
            if not any(o.lemma_.lower() in nouns or o.lower_ in nouns or self._has_of_noun(o, nouns) for o in objs):
                return
        parties = self.args(subjects[0])
        if len(parties) < 2:
            return
        for i, a in enumerate(parties):
            for b in parties[i + 1 :]:
                self.emit(predicate, a, b, verb, "verb-mutual", 0.75)

    @staticmethod
    def _has_of_noun(noun: Token, nouns: set[str]) -> bool:
        for child in noun.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                if any(p.lemma_.lower() in nouns or p.lower_ in nouns for p in child.children if p.dep_ == "pobj"):
                    return True
        return False

    def _criticism_frame(self, verb: Token) -> None:
        """'X saw it as an aggression by Y', 'X described the strike as a violation by Y'."""
        if verb.lemma_.lower() not in self.lex.words("criticism_frames", "verbs") or self._negated(verb):
            return
        nouns = self.lex.words("criticism_frames", "nouns")
        for prep in verb.children:
            if prep.dep_ != "prep" or prep.lower_ != "as":
                continue
            for noun in prep.children:
                if noun.dep_ == "pobj" and noun.lemma_.lower() in nouns:
                    targets = self.prep_objects(noun, ["by", "of"])
                    for s in self.subjects(verb):
                        for o in targets:
                            self.emit("criticized", s, o, verb, "criticism-frame", 0.7)

    # ================================================================== nouns
    def _noun_key(self, noun: Token) -> list[str]:
        keys = [noun.lemma_.lower(), noun.lower_]
        for child in noun.children:
            if child.dep_ == "compound" and child.i == noun.i - 1:
                keys.insert(0, f"{child.lower_} {noun.lemma_.lower()}")
        return keys

    def _noun(self, noun: Token) -> None:
        frames = None
        for key in self._noun_key(noun):
            frames = self.lex.noun_frames.get(key)
            if frames:
                break
        if not frames or noun.i in self.actors.ent_at:
            return
        if any(c.dep_ == "det" and c.lower_ == "no" for c in noun.children):
            return
        for predicate, preps in frames:
            objs = self.prep_objects(noun, preps, acts=predicate in ("criticized", "rejected")) if preps else []
            if predicate == "attacked":
                for child in noun.children:
                    if child.dep_ == "acl" and child.lemma_.lower() in ("target", "hit", "strike"):
                        objs.extend(self.direct_objects(child, members=True))
                # "attacks were carried out on X", "X launched strikes on Y": the object hangs on the light verb
                if not objs and noun.dep_ in ("nsubjpass", "dobj") and noun.head.lemma_.lower() in self.light:
                    objs.extend(self.prep_objects(noun.head, preps))
            agents = self._noun_agents(noun, predicate)
            if predicate == "attacked":
                self._record_event(noun, objs, agents)
            if predicate == "affiliatedWith":
                continue  # handled by _appos_ally
            if not objs:
                continue
            quals: list[tuple[str, str]] = []
            if predicate == "attacked":
                quantity = quantity_of(noun)
                if quantity:
                    quals.append(("quantity", quantity))
            if predicate == "supported":
                self._support(noun, agents, objs, "noun-frame")
                continue
            for s in agents:
                for o in objs:
                    self.emit(predicate, s, o, noun, "noun-frame", 0.7, quals)

    def _noun_agents(self, noun: Token, predicate: str) -> list[Arg]:
        """Who does what a trigger noun names: possessor, modifier, 'by' phrase, or the light verb's subject."""
        found: list[Arg] = []
        for child in noun.children:
            if child.dep_ == "poss":
                found.extend(self.args(child, expand=False))
            elif child.i < noun.i and child.dep_ in ("compound", "amod", "nmod") and predicate == "attacked":
                arg = self.actors.at(child)
                if arg is not None:
                    found.append(arg)
                elif child.lemma_.lower() in self.agent_nouns:
                    found.extend(self.actors.owners(child))
            elif child.dep_ == "prep" and child.lower_ == "by":
                found.extend(a for p in child.children if p.dep_ == "pobj" for a in self.args(p))
            elif child.dep_ == "acl" and child.tag_ == "VBN" and child.lemma_.lower() in ("claim", "carry", "conduct", "launch"):
                found.extend(self.agents(child))
        if found:
            return found
        head = noun.head
        if noun.dep_ in ("dobj", "attr") and head.lemma_.lower() in self.light and not self._negated(head):
            return self.subjects(head)
        if noun.dep_ == "nsubjpass" and head.lemma_.lower() in self.light and not self._negated(head):
            return self.agents(head)
        if noun.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in ("in", "during", "through", "after", "at", "via"):
            governor = head.head
            named = self.actors.denote(governor, expand=False)
            if named and predicate in ("consulted",):
                return named
            if governor.pos_ in ("VERB", "AUX") and predicate in ("consulted", "cooperatedWith"):
                return self.subjects(governor)
        if noun.dep_ == "conj":
            return self._noun_agents(noun.head, predicate) if noun.head.pos_ == "NOUN" else []
        if noun.dep_ == "pobj" and head.lower_ in ("of", "in") and head.head.lemma_.lower() in ("round", "part", "series"):
            return self._noun_agents(head.head, predicate)
        return []

    def _between(self, noun: Token) -> None:
        predicate = None
        for key in self._noun_key(noun):
            predicate = self.lex.between_nouns.get(key)
            if predicate:
                break
        if predicate is None:
            return
        for child in noun.children:
            if child.dep_ == "prep" and child.lower_ == "between":
                parties: list[Arg] = []
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        parties.extend(self.args(pobj))
                for i, a in enumerate(parties):
                    for b in parties[i + 1 :]:
                        self.emit(predicate, a, b, noun, "between", 0.75)

    # ================================================================== attacks: events, claims, pledges
    def _record_event(self, anchor: Token, targets: list[Arg], attackers: list[Arg]) -> None:
        self.events.append(
            _Event(self.sent_of[anchor.i], anchor.i, tuple(targets), tuple(attackers))
        )

    def _previous_targets(self, token: Token, window: int = 2) -> list[Arg]:
        """Targets of the latest attack mentioned before ``token`` with named targets."""
        sent = self.sent_of[token.i]
        for event in reversed(self.events):
            if event.noun >= token.i or sent - event.sent > window:
                continue
            if event.targets:
                return list(event.targets)
        return []

    def _attack_targets(self, noun: Token) -> list[Arg]:
        """Targets of an attack noun phrase: its own, or for 'these/the attacks' the last attack's."""
        if noun.lemma_.lower() in QUANTIFIERS:
            for child in noun.children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            return self._attack_targets(pobj)
            return []
        if noun.lemma_.lower() not in self.attack_nouns:
            return []
        own = [e for e in self.events if e.noun == noun.i or e.noun in {c.i for c in noun.conjuncts}]
        targets = [t for e in own for t in e.targets]
        if targets:
            return targets
        determiners = {c.lower_ for c in noun.children if c.dep_ in ("det", "poss")}
        definite = determiners & {"these", "the", "those", "this", "its", "their", "such"}
        parent = noun.head.head if noun.dep_ == "pobj" else None
        if not definite and parent is not None and parent.lower_ in QUANTIFIERS:
            definite = {c.lower_ for c in noun.children if c.dep_ == "det"} & {"the", "these", "those"}
        for conj in noun.conjuncts:
            definite |= {c.lower_ for c in conj.children if c.dep_ == "det"} & {"these", "the", "those"}
        if noun.dep_ == "conj":
            definite |= {c.lower_ for c in noun.head.children if c.dep_ == "det"} & {"these", "the", "those"}
        if definite:
            return self._previous_targets(noun)
        return []

    def _claims(self, sent: Span) -> None:
        claim_verbs = self.lex.words("claim_verbs")
        for verb in sent:
            if verb.lemma_.lower() not in claim_verbs or verb.pos_ != "VERB" or self._negated(verb):
                continue
            passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) or (
                verb.tag_ == "VBN" and verb.dep_ == "acl"
            )
            if passive:
                claimants = self.agents(verb)
                nouns = [c for c in verb.children if c.dep_ == "nsubjpass"]
                if verb.dep_ == "acl":
                    nouns.append(verb.head)
            else:
                claimants = self.subjects(verb)
                nouns = [c for c in verb.children if c.dep_ == "dobj"]
                for noun in list(nouns):
                    if noun.lemma_.lower() in self.lex.words("claim_nouns"):
                        nouns.extend(
                            p for prep in noun.children if prep.dep_ == "prep" and prep.lower_ in ("for", "of")
                            for p in prep.children if p.dep_ == "pobj"
                        )
                for prep in verb.children:
                    if prep.dep_ == "prep" and prep.lower_ == "for":
                        nouns.extend(p for p in prep.children if p.dep_ == "pobj")
            targets: list[Arg] = []
            for noun in nouns:
                for n in [noun, *noun.conjuncts]:
                    targets.extend(self._attack_targets(n))
                targets.extend(self._victims(noun))
            quals = []
            for noun in nouns:
                quantity = quantity_of(noun)
                if quantity:
                    quals.append(("quantity", quantity))
            for s in claimants:
                for t in targets:
                    self.emit("attacked", s, t, verb, "claimed-by", 0.8, quals, same_unit=False)

    def _victims(self, noun: Token) -> list[Arg]:
        """'X died in an attack': X is the attack's target."""
        head = noun.head
        if noun.dep_ == "pobj" and head.lower_ in ("in", "during", "by") and head.head.lemma_.lower() in self.lex.words("victim_verbs", "lemmas"):
            verb = head.head
            found: list[Arg] = []
            for child in verb.children:
                if child.dep_ in ("nsubj", "nsubjpass"):
                    found.extend(self.args(child))
            return found
        return []

    def _pledges(self, sent: Span) -> None:
        promise = self.lex.words("attack_continuation", "promise_verbs")
        cont = self.lex.words("attack_continuation", "continue_verbs")
        for verb in sent:
            if verb.lemma_.lower() not in promise or self._negated(verb):
                continue
            for xcomp in verb.children:
                if xcomp.dep_ != "xcomp" or xcomp.lemma_.lower() not in cont:
                    continue
                targets: list[Arg] = []
                for child in xcomp.children:
                    if child.dep_ in ("dobj", "xcomp", "pobj") or (child.dep_ == "prep"):
                        for n in [child, *child.children]:
                            if n.lemma_.lower() in self.attack_nouns:
                                targets.extend(self._attack_targets(n) or self.prep_objects(n, ["on", "against"]))
                            elif n.lemma_.lower() in ("attack", "strike", "target", "fight") and n.pos_ == "VERB":
                                targets.extend(self.direct_objects(n))
                if xcomp.lemma_.lower() in ("attack", "strike", "target", "hit"):
                    targets.extend(self.direct_objects(xcomp))
                for s in self.subjects(verb):
                    for t in targets:
                        self.emit("threatened", s, t, verb, "pledge-continue", 0.7, same_unit=False)

    # ================================================================== membership, alliance
    def _part_of(self, noun: Token) -> None:
        """'X, part of Y', 'as part of Y' (the clause subject), 'X is part of Y', 'X, a member of Y'."""
        if noun.lemma_.lower() not in self.part_nouns:
            return
        wholes = [
            a for a in self.prep_objects(noun, ["of"])
            if a.top == "Organization" or a.cls == "InternationalOrganization"
        ]
        if not wholes:
            return
        members: list[Arg] = []
        rule = "part-of"
        if noun.dep_ == "appos":
            members = self._described_appos(noun)
        elif noun.dep_ == "pobj" and noun.head.lower_ == "as" and noun.lemma_.lower() == "part":
            verb = noun.head.head
            if verb.pos_ in ("VERB", "AUX"):
                members = self.subjects(verb)
                rule = "as-part-of"
        elif noun.dep_ in ("attr", "dobj") and noun.head.lemma_.lower() in ("be", "become", "remain", "form", "constitute"):
            if not self._negated(noun.head):
                members = self.subjects(noun.head)
        for m in members:
            for w in wholes:
                self.emit("memberOf", m, w, noun, rule, 0.75)

    def _described_appos(self, appos: Token) -> list[Arg]:
        adjacent = self._ent_before_comma(appos)
        if adjacent is not None:
            return [adjacent]
        head = appos.head
        return self.args(head, expand=False)

    def _include(self, verb: Token) -> None:
        """'The coalition includes X and Y' / 'includes several countries, including X'."""
        if verb.lemma_.lower() not in self.lex.words("membership", "include_verbs") or self._negated(verb):
            return
        if verb.dep_ == "prep" or verb.tag_ == "VBG" and verb.dep_ in ("prep", "pcomp"):
            return
        wholes = [a for a in self.subjects(verb) if a.top == "Organization"]
        if not wholes:
            return
        members: list[Arg] = []
        for child in verb.children:
            if child.dep_ == "dobj":
                members.extend(self.args(child))
                for grand in child.children:
                    if grand.dep_ == "prep" and grand.lower_ in ("including", "like", "such"):
                        members.extend(a for p in grand.subtree if p.dep_ == "pobj" for a in self.args(p))
            elif child.dep_ == "prep" and child.lower_ == "including":
                members.extend(a for p in child.children if p.dep_ == "pobj" for a in self.args(p))
        for w in wholes:
            for m in members:
                self.emit("memberOf", m, w, verb, "includes", 0.75)

    def _appos_ally(self, noun: Token) -> None:
        """'X, Y's ally' / 'X, an ally of Y' (affiliatedWith); 'X, Y's proxy' (backedBy)."""
        lemma = noun.lemma_.lower()
        if lemma not in ("ally", "partner", "proxy") or noun.dep_ not in ("appos", "conj"):
            return
        if noun.dep_ == "conj" and self._ent_before_comma(noun) is None:
            return
        others = [a for c in noun.children if c.dep_ == "poss" for a in self.args(c, expand=False)]
        others += self.prep_objects(noun, ["of"])
        if not others:
            return
        subjects = self._described_appos(noun)
        predicate = "backedBy" if lemma == "proxy" else "affiliatedWith"
        for s in subjects:
            for o in others:
                self.emit(predicate, s, o, noun, "appos-ally", 0.7)

    def _appos_place(self, noun: Token) -> None:
        """'X, the capital of Y' / 'X, a town in Y': X locatedIn Y."""
        if noun.dep_ != "appos" or not noun_forms(noun) & self.lex.words("place_nouns", "nouns"):
            return
        wholes = [a for a in self.prep_objects(noun, self.lex.words("place_nouns", "preps")) if a.top == "Place"]
        parts = self._described_appos(noun)
        for part in parts:
            for whole in wholes:
                self.emit("locatedIn", part, whole, noun, "appos-place", 0.7)

    # ================================================================== backing modifiers
    def _build_matcher(self) -> Matcher:
        matcher = Matcher(self.doc.vocab)
        prefixes = list(self.lex.table("backing", "prefixes"))
        suffixes = list(self.lex.table("backing", "suffixes"))
        matcher.add("prefix", [[{"LOWER": {"IN": prefixes}}, {"TEXT": "-"}, {"IS_ALPHA": True}]])
        matcher.add("prefix", [[{"LOWER": {"REGEX": "^(" + "|".join(prefixes) + ")-[a-z]+$"}}]])
        matcher.add("suffix", [[{"IS_ALPHA": True}, {"TEXT": "-"}, {"LOWER": {"IN": suffixes}}]])
        matcher.add("suffix", [[{"LOWER": {"REGEX": "^[a-z.]+-(" + "|".join(suffixes) + ")$"}}]])
        # A place right after a smaller one: "X (formerly Z) in northern Y".
        matcher.add(
            "place-in",
            [
                [{"LOWER": "in"}, {"POS": {"IN": ["ADJ", "DET"]}, "OP": "*"}, {"ENT_TYPE": {"NOT_IN": [""]}}],
            ],
        )
        return matcher

    def _matches(self) -> dict[int, list[tuple[str, int, int]]]:
        by_unit: dict[int, list[tuple[str, int, int]]] = {}
        for match_id, start, end in self.matcher(self.doc):
            rule = self.doc.vocab.strings[match_id]
            unit = self.unit_of[start]
            if unit >= 0:
                by_unit.setdefault(unit, []).append((rule, start, end))
        return by_unit

    def _match_rule(self, rule: str, span: Span) -> None:
        if rule == "prefix":
            self._backing_affix(span, span[-1] if len(span) > 1 else span[0], "prefix")
        elif rule == "suffix":
            self._backing_affix(span, span[0], "suffix")
        elif rule == "place-in":
            self._place_in(span)

    def _word_arg(self, token: Token) -> Arg | None:
        """The actor one word names, even inside a longer name ('US' in 'US-led coalition')."""
        ent = self.actors.ent_at.get(token.i)
        if ent is not None and ent.start == token.i and ent.end == token.i + 1:
            return self.actors.ent_arg(ent)
        text = token.text
        if "-" in text and len(text.split("-")) == 2:
            prefixes = tuple(self.lex.table("backing", "prefixes"))
            head, tail = text.split("-")
            text = tail if head.lower() in prefixes else head
            start = token.idx + (len(head) + 1 if head.lower() in prefixes else 0)
        else:
            start = token.idx
        entry = self.actors.gazetteer.demonym(text) or self.actors.gazetteer.lookup(text)
        if entry is None:
            return None
        return Arg(Ref(start, start + len(text), gazetteer_id=entry.id), entry.cls, entry.id, text, token.i)

    def _backing_affix(self, span: Span, sponsor_token: Token, kind: str) -> None:
        if kind == "prefix":
            predicate = "backedBy"
        else:
            last = span[-1].lower_.split("-")[-1]
            predicate = self.lex.table("backing", "suffixes").get(last, "")
        if not predicate:
            return
        sponsor = self._word_arg(sponsor_token)
        if sponsor is None:
            return
        # The name the modifier sits in ("US-led coalition"), else the noun it modifies.
        ent = self.actors.ent_at.get(span[-1].i)
        if ent is not None and ent.end > span.end - 1 and ent.end > span[-1].i + 1:
            beneficiaries = [self.actors.ent_arg(ent)]
        else:
            beneficiaries = self._beneficiaries(span)
        for b in beneficiaries:
            if predicate == "leaderOf":
                self.emit("leaderOf", sponsor, b, span[-1], f"backing-{kind}", 0.8)
            else:
                self.emit(predicate, b, sponsor, span[-1], f"backing-{kind}", 0.8)

    def _beneficiaries(self, span: Span) -> list[Arg]:
        """The actor a modifier describes: the noun it attaches to, or what that noun describes."""
        head = span[-1]
        for _ in range(4):
            if head.dep_ in ("amod", "compound", "nmod", "npadvmod", "punct", "advmod") and head.head.i > head.i:
                head = head.head
            else:
                break
        if head.i < span.end or head.pos_ not in ("NOUN", "PROPN"):
            # the modifier is the head itself ("pro-Iranian" as a noun)
            if head.pos_ not in ("NOUN", "PROPN"):
                return []
        named = self.actors.denote(head, expand=False)
        if named:
            return named
        return self._described(head)

    def _backing_participle(self, token: Token) -> None:
        """'groups backed by Iran', 'militias aligned with Tehran', 'X, linked to Y'."""
        participles = self.lex.table("backing", "participles")
        for prep in token.children:
            if prep.dep_ not in ("prep", "agent"):
                continue
            key = f"{token.lower_} {prep.lower_}"
            predicate = participles.get(key)
            if predicate is None:
                continue
            if token.pos_ == "VERB" and token.tag_ != "VBN" and not (token.dep_ == "conj" and token.tag_ == "VBD"):
                continue
            if self._negated(token):
                continue
            sponsors = [a for p in prep.children if p.dep_ == "pobj" for a in self.args(p)]
            if not sponsors:
                continue
            if key in self.lex.words("backing", "state_only"):
                sponsors = [s for s in sponsors if s.cls == "Country" or s.cls == "GovernmentBody"]
            described = self._participle_subject(token)
            for d in described:
                for s in sponsors:
                    if predicate == "leaderOf":
                        self.emit("leaderOf", s, d, token, "backing-participle", 0.75)
                    else:
                        self.emit(predicate, d, s, token, "backing-participle", 0.75)

    def _participle_subject(self, token: Token) -> list[Arg]:
        if token.dep_ in ("acl", "amod", "appos"):
            head = token.head
            return self.actors.denote(head, expand=False) or self._described(head)
        if token.dep_ == "conj" and token.head.pos_ in ("VERB", "ADJ"):
            return self._participle_subject(token.head)
        if token.dep_ in ("relcl", "ccomp", "ROOT", "advcl", "acomp") or token.dep_ == "conj":
            for child in token.children:
                if child.dep_ in ("nsubjpass", "nsubj"):
                    return self.args(child, expand=True)
            if token.dep_ == "acomp":
                return self.subjects(token.head)
            if token.dep_ == "advcl" and token.tag_ == "VBN":
                return self.subjects(token.head)
        return []

    # ================================================================== places and deployments
    def _place_in(self, span: Span) -> None:
        """'X in (northern) Y' where X is a place named right before: X locatedIn Y."""
        inner = self.actors.ent_at.get(span[-1].i)
        if inner is None or inner.start != span[-1].i:
            return
        k = next(i for i, t in enumerate(span) if t.lower_ == "in") + span.start
        # the word before 'in' must end a place, possibly after a parenthetical "(formerly Z)"
        j = k - 1
        if self.doc[j].text == ")":
            depth = 0
            while j > 0:
                if self.doc[j].text == ")":
                    depth += 1
                elif self.doc[j].text == "(":
                    depth -= 1
                    if depth == 0:
                        break
                j -= 1
            j -= 1
        outer = self.actors.ent_at.get(j)
        if outer is None or outer.end != j + 1:
            return
        a, b = self.actors.ent_arg(outer), self.actors.ent_arg(inner)
        if a.top == "Place" and b.top == "Place" and a.cls != "DiplomaticMission":
            self.emit("locatedIn", a, b, self.doc[k], "located-in", 0.75)

    def _places_in(self, head: Token) -> list[Arg]:
        preps = self.lex.words("deployment", "preps")
        found: list[Arg] = []
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in preps:
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        found.extend(a for a in self.args(pobj) if a.top == "Place")
        return found

    def _deploy_noun(self, noun: Token) -> None:
        """'American troops stationed in X', 'U.S. forces are in X', 'coalition advisors present in X', 'US forces in X'."""
        if not noun_forms(noun) & self.deployable:
            return
        if any(c.dep_ == "det" and c.lower_ == "no" for c in noun.children):
            return
        owners = self.actors.owners(noun)
        if not owners:
            return
        places = self._places_in(noun)
        for child in noun.children:
            if child.dep_ in ("acl", "amod") and child.lower_ in self.lex.words("deployment", "participles"):
                places.extend(self._places_in(child))
        head = noun.head
        if noun.dep_ in ("dobj", "nsubjpass") and head.pos_ == "VERB":
            # "hit American forces in Jordan": a place right after the forces, attached to the verb
            for child in head.children:
                if child.dep_ == "prep" and child.lower_ == "in" and child.i == noun.right_edge.i + 1:
                    places.extend(a for p in child.children if p.dep_ == "pobj" for a in self.args(p) if a.top == "Place")
        if noun.dep_ in ("nsubj", "nsubjpass") and not self._negated(head):
            if head.lemma_ == "be" or head.lower_ in self.lex.words("deployment", "participles"):
                places.extend(self._places_in(head))
                for child in head.children:
                    if child.dep_ in ("acomp", "advcl") and child.lower_ in self.lex.words("deployment", "participles"):
                        places.extend(self._places_in(child))
                if head.dep_ == "relcl" and any(c.lower_ == "where" for c in head.children):
                    where = self.actors.denote(head.head, expand=False)
                    places.extend(a for a in where if a.top == "Place")
        if not places:
            return
        quals: list[tuple[str, str]] = []
        quantity = quantity_of(noun)
        if quantity:
            quals.append(("quantity", quantity))
        for o in owners:
            for p in places:
                self.emit("deployedIn", o, p, noun, "deploy-noun", 0.75, quals)
        # "where coalition troops are stationed in western Iraq": the base is in that place too.
        if head.dep_ == "relcl" and any(c.lower_ == "where" for c in head.children):
            for base in (a for a in self.actors.denote(head.head, expand=False) if a.top == "Place"):
                for p in self._places_in(head):
                    self.emit("locatedIn", base, p, head, "located-where", 0.7)

    def _deploy_verb(self, verb: Token) -> None:
        """'X has/deploys/keeps N troops in Y (and M in Z)'; 'Y hosts N troops of X'."""
        if verb.lemma_.lower() in self.lex.words("deployment", "host_verbs") and not self._irrealis(verb):
            hosts = [a for a in self.subjects(verb) if a.top == "Place"]
            for obj in verb.children:
                if obj.dep_ == "dobj" and noun_forms(obj) & self.deployable:
                    quantity = quantity_of(obj)
                    quals = [("quantity", quantity)] if quantity else []
                    for owner in self.actors.owners(obj):
                        for host in hosts:
                            self.emit("deployedIn", owner, host, verb, "deploy-host", 0.75, quals)
            return
        if verb.lemma_.lower() not in self.lex.words("deployment", "holder_verbs") or self._negated(verb):
            return
        holders = self.subjects(verb)
        if not holders:
            return
        for obj in verb.children:
            if obj.dep_ != "dobj" or not noun_forms(obj) & self.deployable:
                continue
            if self.actors.owners(obj) and not any(o.key in {h.key for h in holders} for o in self.actors.owners(obj)):
                continue
            participles = self.lex.words("deployment", "participles")
            for item in [obj, *obj.conjuncts]:
                places = self._places_in(item) or (self._places_in(verb) if item is obj else [])
                for child in item.children:
                    if child.dep_ in ("acl", "amod") and child.lower_ in participles:
                        places.extend(self._places_in(child))
                quals: list[tuple[str, str]] = []
                quantity = quantity_of(item)
                if quantity:
                    quals.append(("quantity", quantity))
                for h in holders:
                    for p in places:
                        self.emit("deployedIn", h, p, verb, "deploy-verb", 0.8, quals)

    # ================================================================== shared with the event reader
    # kg.extract.events reads events and claims with the same argument and trigger logic.
    is_negated = _negated
    is_irrealis = _irrealis
    noun_agents = _noun_agents
    act_subject_agents = _attack_subject_agents
    without_forces = _without_forces
    victims = _victims

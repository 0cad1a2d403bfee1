"""Places and deployments: a place in a larger one; an actor's forces in a place.

locatedIn:
* "X in (northern) Y" with X a place named right before (also before a bracket "X (formerly W) in Y");
* "the X port / base / airbase in Y": a place noun named by X, with its 'in' phrase;
* "X, the capital of Y", "X, a town in Y";
* "<Y> bases, including X and Z"; "the base where troops are stationed in Y" (the base is in Y).

deployedIn (an actor's forces, troops, presence, bases, mission in a place):
* "American troops stationed in X", "US forces are in X", "X's mission in Y" ("its mission": the
  actor the pronoun stands for), "X's bases in Y", "hit American forces in Jordan";
* "X has / keeps / deploys N troops in Y (and M in Z)"; "Y hosts N troops of X", "a base hosting
  X forces";
* forces leaving a place were there: "X forces withdrew from Y";
* "Y, areas under X control", "Y ... under the control of X".
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from kg.extract import modality, parse, syntax
from kg.extract.actors import Arg, noun_forms, noun_forms_of, unique_args
from kg.extract.findings import Finding
from kg.extract.qualifiers import quantity_of
from kg.extract.reading import Reading
from kg.extract.rules.describe import (
    appos_subject,
    ent_before_comma,
    participle_subject,
)
from kg.vocab import Predicate


def find(reading: Reading) -> Iterator[Finding]:
    """Place and deployment findings of the article."""
    reader = _Reader(reading)
    for token in reading.tokens:
        i = token.i
        if reading.unit_of[i] < 0:
            continue
        pos = reading.pos[i]
        if pos == "ADP" and reading.lowers[i] == "in":
            yield from reader.place_in(token)
        if pos in ("NOUN", "PROPN"):
            forms = noun_forms_of(reading.lowers[i], reading.lemmas[i])
            if forms & reader.place_nouns:
                yield from reader.appos_place(token)
                yield from reader.place_noun_in(token)
                yield from reader.included_sites(token)
            if forms & reader.deployable:
                yield from reader.deploy_noun(token)
            if reading.lemmas[i] in reader.control_nouns:
                yield from reader.under_control(token)
        if pos in ("VERB", "AUX") or (pos == "ADJ" and reading.deps[i] in ("acl", "amod")):
            yield from reader.deploy_verb(token)


class _Reader:
    def __init__(self, reading: Reading) -> None:
        self.r = reading
        lex = reading.lexicon
        self.deployable = lex.forces.deployable | lex.deployment.holdings
        self.participles = lex.deployment.participles
        self.preps = lex.deployment.preps
        self.host_verbs = lex.deployment.host_verbs
        self.holder_verbs = lex.deployment.holder_verbs
        self.withdraw_verbs = lex.deployment.withdraw_verbs
        self.control_nouns = lex.deployment.control_nouns
        self.place_nouns = lex.places.nouns | lex.forces.facility
        self.appos_nouns = lex.places.nouns
        self.appos_preps = lex.places.preps

    def _places(self, token: Token) -> list[Arg]:
        return [a for a in self.r.args(token) if a.top == "Place"]

    def _places_in(self, head: Token) -> list[Arg]:
        return [a for t in syntax.prep_objects(head, self.preps) for a in self._places(t)]

    def _listed(self, noun: Token) -> list[Arg]:
        """The places named in a noun's 'including' phrase (however the parse nests a list of names)."""
        return [
            a for c in parse.children(noun) if c.dep_ == "prep" and c.lower_ == "including"
            for a in self.r.actors.args_in(c.subtree) if a.top == "Place"
        ]

    # ------------------------------------------------------------------ locatedIn
    def place_in(self, prep: Token) -> Iterator[Finding]:
        """'X in (northern) Y' where X is a place named right before: X locatedIn Y."""
        doc, ent_at = self.r.doc, self.r.actors.ent_at
        k = prep.i
        m = k + 1
        while m < len(doc) and doc[m].pos_ in ("ADJ", "DET") and m not in ent_at:
            m += 1
        inner = ent_at.get(m)
        if inner is None or inner.start != m:
            return
        j = k - 1
        if j >= 0 and doc[j].text == ")":
            # "X (formerly Z) in Y": the word before the bracket
            depth = 0
            while j > 0:
                depth += doc[j].text == ")"
                depth -= doc[j].text == "("
                if depth == 0:
                    break
                j -= 1
            j -= 1
        outer = ent_at.get(j) if j >= 0 else None
        if outer is None or outer.end != j + 1:
            return
        a, b = self.r.actors.ent_arg(outer), self.r.actors.ent_arg(inner)
        if a.top == "Place" and b.top == "Place" and a.cls != "DiplomaticMission":
            yield Finding(None, Predicate.LOCATED_IN, k, (a,), (b,), "located-in", 0.75)

    def place_noun_in(self, noun: Token) -> Iterator[Finding]:
        """'the X fuel port in Y', 'the X air base in Y': a named place noun and its 'in' phrase."""
        if noun.i in self.r.actors.ent_at:
            return
        named: list[Arg] = []
        stack = [c for c in parse.children(noun) if c.dep_ in ("compound", "nmod") and c.i < noun.i]
        while stack:  # "the X fuel port": the name may modify a modifier
            token = stack.pop()
            ent = self.r.actors.ent_at.get(token.i)
            if ent is not None:
                named.append(self.r.actors.ent_arg(ent))
            else:
                stack.extend(c for c in parse.children(token) if c.dep_ in ("compound", "nmod") and c.i < token.i)
        parts = [a for a in unique_args(named) if a.top == "Place"]
        wholes = [a for t in syntax.prep_objects(noun, ("in",)) for a in self._places(t)]
        if parts and wholes:
            yield Finding(None, Predicate.LOCATED_IN, noun.i, tuple(parts), tuple(wholes), "place-noun-in", 0.7)

    def appos_place(self, noun: Token) -> Iterator[Finding]:
        """'X, the capital of Y' / 'X, a town in Y': X locatedIn Y."""
        if noun.dep_ != "appos" or not noun_forms(noun) & self.appos_nouns:
            return
        wholes = [a for t in syntax.prep_objects(noun, self.appos_preps) for a in self._places(t)]
        parts = appos_subject(self.r, noun)
        if wholes and parts:
            yield Finding(None, Predicate.LOCATED_IN, noun.i, tuple(parts), tuple(wholes), "appos-place", 0.7)

    def included_sites(self, noun: Token) -> Iterator[Finding]:
        """'<Y> bases, including X and Z': the sites listed are in Y."""
        wholes = [a for c in syntax.modifiers(noun) if (a := self.r.actors.at(c)) is not None and a.top == "Place"]
        sites = self._listed(noun)
        if wholes and sites:
            yield Finding(None, Predicate.LOCATED_IN, noun.i, tuple(sites), tuple(wholes), "sites-including", 0.7)

    # ------------------------------------------------------------------ deployedIn
    def _owners(self, noun: Token) -> list[Arg]:
        """Who the forces belong to, also through a possessive pronoun ('its mission')."""
        owners = self.r.actors.owners(noun)
        owner = syntax.possessor(noun)
        if owners or owner is None or not self.r.coref.is_anaphor(owner):
            return owners
        # "X will end its mission in Y": the possessive names the clause's own subject first
        # (a pronoun in a subject resolves as anaphors do: "its forces in Y remain").
        verb = syntax.governing_verb(noun)
        subjects = [t for t in syntax.subjects(verb) if t.i != noun.i] if verb is not None else []
        if len(subjects) == 1:
            candidates = self.r.args(subjects[0], expand=False)
        elif noun.dep_ in ("nsubj", "nsubjpass"):
            candidates = self.r.args(owner, expand=False)
        else:
            candidates = []
        return [a for a in candidates if a.top == "Organization" or a.cls == "Country"]

    def deploy_noun(self, noun: Token) -> Iterator[Finding]:
        """'American troops stationed in X', 'U.S. forces are in X', 'its mission in X', 'US forces in X'."""
        if syntax.determiner(noun) == "no":
            return
        owners = self._owners(noun)
        if not owners:
            return
        places = self._places_in(noun)
        for child in parse.children(noun):
            if child.dep_ in ("acl", "amod") and child.lower_ in self.participles:
                places.extend(self._places_in(child))
        head = noun.head
        if noun.dep_ in ("dobj", "nsubjpass") and head.pos_ == "VERB":
            # "hit American forces in Jordan": a place right after the forces, attached to the verb
            for child in parse.children(head):
                if child.dep_ == "prep" and child.lower_ == "in" and child.i == noun.right_edge.i + 1:
                    places.extend(a for p in parse.children(child) if p.dep_ == "pobj" for a in self._places(p))
        if noun.dep_ in ("nsubj", "nsubjpass") and not modality.negated(head):
            if head.lemma_ == "be" or head.lower_ in self.participles:
                places.extend(self._places_in(head))
                for child in parse.children(head):
                    if child.dep_ in ("acomp", "advcl") and child.lower_ in self.participles:
                        places.extend(self._places_in(child))
                if head.dep_ == "relcl" and any(c.lower_ == "where" for c in parse.children(head)):
                    places.extend(a for a in self.r.actors.denote(head.head, expand=False) if a.top == "Place")
        if noun.dep_ == "nsubj" and head.lemma_.lower() in self.withdraw_verbs:
            # forces leaving a place were there ("US forces withdrew from X, including Y")
            for t in syntax.prep_objects(head, ("from", "out of", "of")):
                places.extend(self._places(t))
                places.extend(self._listed(t))
        if places:
            quantity = quantity_of(noun)
            quals = (("quantity", quantity),) if quantity else ()
            yield Finding(None, Predicate.DEPLOYED_IN, noun.i, tuple(owners), tuple(unique_args(places)),
                          "deploy-noun", 0.75, qualifiers=quals)
        # "where coalition troops are stationed in western Iraq": the base is in that place too.
        if head.dep_ == "relcl" and any(c.lower_ == "where" for c in parse.children(head)):
            bases = [a for a in self.r.actors.denote(head.head, expand=False) if a.top == "Place"]
            wider = self._places_in(head)
            if bases and wider:
                yield Finding(None, Predicate.LOCATED_IN, head.i, tuple(bases), tuple(wider), "located-where", 0.7)

    def deploy_verb(self, verb: Token) -> Iterator[Finding]:
        """'X has/deploys/keeps N troops in Y (and M in Z)'; 'Y hosts N troops of X'; 'a base hosting X forces'."""
        lemma = verb.lemma_.lower()
        if lemma in self.host_verbs:
            mood = modality.mood(verb)
            if not mood.factual:
                return
            hosts = [a for t in syntax.subjects(verb) for a in self.r.args(t, expand=False) if a.top == "Place"]
            if not hosts and verb.dep_ == "acl":
                hosts = [a for a in participle_subject(self.r, verb) if a.top == "Place"]
            for obj in parse.children(verb):
                if obj.dep_ == "dobj" and noun_forms(obj) & self.deployable:
                    quantity = quantity_of(obj)
                    quals = (("quantity", quantity),) if quantity else ()
                    owners = self.r.actors.owners(obj)
                    if owners and hosts:
                        yield Finding(None, Predicate.DEPLOYED_IN, verb.i, tuple(owners), tuple(hosts), "deploy-host",
                                      0.75, qualifiers=quals)
            return
        if lemma not in self.holder_verbs or modality.negated(verb):
            return
        holders = [a for t in syntax.subjects(verb) for a in self.r.args(t, expand=False)]
        if not holders:
            return
        keys = {h.key for h in holders}
        for obj in parse.children(verb):
            if obj.dep_ != "dobj" or not noun_forms(obj) & self.deployable:
                continue
            owners = self.r.actors.owners(obj)
            if owners and not any(o.key in keys for o in owners):
                continue
            for item in [obj, *obj.conjuncts]:
                places = self._places_in(item) or (self._places_in(verb) if item is obj else [])
                for child in parse.children(item):
                    if child.dep_ in ("acl", "amod") and child.lower_ in self.participles:
                        places.extend(self._places_in(child))
                quantity = quantity_of(item)
                quals = (("quantity", quantity),) if quantity else ()
                if places:
                    yield Finding(None, Predicate.DEPLOYED_IN, verb.i, tuple(unique_args(holders)),
                                  tuple(unique_args(places)), "deploy-verb", 0.8, qualifiers=quals)

    def under_control(self, noun: Token) -> Iterator[Finding]:
        """'Y, areas under X control', 'centres in Y that are under the control of X': X holds Y."""
        if noun.dep_ != "pobj" or noun.head.lower_ != "under":
            return
        holders = [a for a in self.r.owners_of(noun) if a.top == "Organization" or a.cls == "Country"]
        if not holders:
            return
        attached = noun.head.head
        if syntax.is_verbal(attached):
            if modality.negated(attached):
                return
            attached = (syntax.subjects(attached) or [attached])[0]
        places = [a for a in self.r.args(attached, expand=False) if a.top == "Place"]
        if not places and attached.dep_ == "appos":
            places = [a for a in appos_subject(self.r, attached) if a.top == "Place"]
        if not places:
            # "Y, areas under X control, ...": an apposition the parse did not see
            adjacent = ent_before_comma(self.r, attached)
            places = [adjacent] if adjacent is not None and adjacent.top == "Place" else []
        if not places:
            places = self._places_in(attached)  # "prisons in Y that are under ..."
        if places:
            yield Finding(None, Predicate.DEPLOYED_IN, noun.i, tuple(unique_args(holders)), tuple(unique_args(places)),
                          "under-control", 0.7)

"""Relation arguments: which actor a token or noun phrase stands for.

An argument is an actor entity span of ``doc.ents``, or a gazetteer entry implied
by a word ("Iraqi", "U.S.", "Iranian"). A noun phrase headed by a force noun
("American troops", "coalition forces", "soldiers from the coalition") stands for
the actors that own it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import NamedTuple

from spacy.tokens import Doc, Span, Token

from kg.extract import parse, syntax
from kg.extract.lexicon import Lexicon
from kg.gazetteer import Gazetteer
from kg.model import Ref
from kg.normalize import name_key
from kg.vocab import CLASS_TOP

SITE_CLASSES = frozenset({"Facility", "MilitaryBase", "DiplomaticMission"})
# Places by size, for locatedIn: a place lies in a larger one.
# Phoenix sectors of people who act for their state (government, military, police, courts, parliament, spies, elites)
STATE_SECTORS = frozenset({"GOV", "MIL", "SPY", "LEG", "JUD", "ELI", "COP"})
PLACE_RANK = {"Facility": 0, "MilitaryBase": 0, "Settlement": 1, "Place": 1.5, "Region": 2, "Country": 3}


class Arg(NamedTuple):
    """A relation argument: the span it points at, its class and an identity key.

    A named tuple, not a frozen dataclass: rules make hundreds per article, and a tuple is made
    in a fraction of the time. Immutable all the same; ``arg._replace(...)`` makes a changed copy.
    """

    ref: Ref
    cls: str
    key: str
    text: str
    token: int  # index of the token that carries it (its head), for distances
    # "Iranian officials" act for Iran: the descriptor words and their sector (GOV, MIL...) stay on the record
    descriptor: str | None = None
    sector: str | None = None
    proxy: bool = False  # one person described by a title ("the Syrian president"): events only, no edges

    @property
    def top(self) -> str:
        return CLASS_TOP.get(self.cls, "Place")

    def kinds(self) -> frozenset[str]:
        """The signature words this argument satisfies (see lexicon 'signatures')."""
        kinds = {self.cls, self.top}
        # A people or polity named by its demonym or a group acting for it ("Palestinian officials",
        # "Kurdish forces") acts, even where the gazetteer has it as a region.
        if self.cls == "Country" or self.top in ("Person", "Organization") or (
            self.cls == "Region" and (self.descriptor is not None or self.ref.gazetteer_id is not None)
        ):
            kinds.add("Actor")
        if self.cls in SITE_CLASSES:
            kinds.add("Site")
        if self.cls == "DiplomaticMission":
            kinds.add("Place")
        return frozenset(kinds)


def noun_forms(token: Token) -> frozenset[str]:
    """Lemma and surface forms of a noun, for lexicon look-ups robust to lemmatizer slips ('bases' -> 'basis')."""
    return noun_forms_of(token.lower_, token.lemma_)


@lru_cache(maxsize=1 << 15)
def noun_forms_of(lower: str, lemma: str) -> frozenset[str]:
    """``noun_forms`` of a word's lower case and lemma (any case)."""
    forms = {lemma.lower(), lower}
    if lower.endswith("es") and len(lower) > 4:
        forms.add(lower[:-2])
    if lower.endswith("s") and len(lower) > 3:
        forms.add(lower[:-1])
    return frozenset(forms)


class Actors:
    """Token-level index of the actor entities of one Doc."""

    def __init__(self, doc: Doc, gazetteer: Gazetteer, lexicon: Lexicon, text: str | None = None) -> None:
        self.doc = doc
        self.text = text  # the Doc's text, if joined already: a name's text is cut from it
        self.gazetteer = gazetteer
        self.lexicon = lexicon
        self.ents = tuple(doc.ents)  # built once: Doc.ents makes new spans on each call
        self.ent_at: dict[int, Span] = {}
        for ent in self.ents:
            if ent.label_ in CLASS_TOP:
                for i in range(ent.start, ent.end):
                    self.ent_at[i] = ent
        self.force_nouns = lexicon.forces.lemmas
        self.territory = lexicon.forces.territory
        self.non_state = lexicon.forces.non_state_modifiers
        self.facility_nouns = lexicon.forces.facility
        self.group_members = lexicon.forces.group_members
        self._ent_args: dict[tuple[int, int], Arg] = {}
        self._sectors: dict[int, tuple[str, ...]] = {}

    # ------------------------------------------------------------------ atoms
    def ent_arg(self, ent: Span) -> Arg:
        """The argument an entity of the Doc is: built once per entity, asked for by every rule."""
        arg = self._ent_args.get((ent.start, ent.end))
        if arg is None:
            # Span.text joins its words anew at each call
            text = ent.text if self.text is None else self.text[ent.start_char : ent.end_char]
            key = ent.ent_id_ or self._entry_id(text) or "name:" + name_key(text)
            arg = Arg(Ref(ent.start_char, ent.end_char), ent.label_, key, text, ent.root.i)
            self._ent_args[ent.start, ent.end] = arg
        return arg

    def _entry_id(self, text: str) -> str | None:
        entry = self.gazetteer.lookup(text)
        return entry.id if entry else None

    def demonym_arg(self, token: Token) -> Arg | None:
        """The entry a word implies: a demonym ("Iraqi"), or an acronym/name used as modifier."""
        text = token.text
        entry = self.gazetteer.demonym(text)
        if entry is None and "-" in text:
            entry = self.gazetteer.demonym(text.split("-")[-1])
        if entry is None:
            return None
        return Arg(Ref(token.idx, token.idx + len(text), gazetteer_id=entry.id), entry.cls, entry.id, text, token.i)

    def at(self, token: Token) -> Arg | None:
        """The actor a single token names: its entity, or the entry it implies as a demonym."""
        ent = self.ent_at.get(token.i)
        if ent is not None and not (len(ent) == 1 and self._demonym_only(token)):
            return self.ent_arg(ent)
        if token.ent_type_ == "NORP" or token.pos_ in ("ADJ", "PROPN", "NOUN"):
            return self.demonym_arg(token)
        return None

    def _demonym_only(self, token: Token) -> bool:
        """'Ugandan' the model took for a person's name: a demonym that names nothing by itself."""
        return self.gazetteer.lookup(token.text) is None and self.gazetteer.demonym(token.text) is not None

    def ent_of(self, token: Token) -> Span | None:
        return self.ent_at.get(token.i)

    # ------------------------------------------------------------------ phrases
    def owners(self, head: Token) -> list[Arg]:
        """Actors that own a force/territory noun: modifiers, possessor, 'of'/'from' objects.

        "local Syrian forces" are no state's forces: a non-state modifier leaves the noun ownerless.
        """
        found: list[Arg] = []
        if any(c.lower_ in self.non_state for c in parse.children(head) if c.dep_ in ("amod", "compound")):
            return []
        for child in parse.children(head):
            if child.dep_ in ("compound", "amod", "nmod", "poss", "npadvmod") and child.i < head.i:
                found.extend(self._modifier_actors(child))
            elif child.dep_ == "prep" and child.lower_ in ("of", "from"):
                for pobj in _pobjs(child):
                    found.extend(self.denote(pobj, expand=True))
        if noun_forms(head) & self.group_members:
            # "Kataib Hezbollah fighters" are the group's; "Kurdish militants" are no state's
            found = [a for a in found if a.top == "Organization" and a.ref.gazetteer_id is None]
        return unique_args(found)

    def _modifier_actors(self, token: Token) -> list[Arg]:
        arg = self.at(token)
        args = [arg] if arg else []
        if arg is None and token.dep_ == "compound" and noun_forms(token) & self.force_nouns:
            args = self.owners(token)
        for conj in token.conjuncts:
            if conj.i < token.head.i:
                other = self.at(conj)
                if other:
                    args.append(other)
        return args

    def denote(self, head: Token, expand: bool = True) -> list[Arg]:
        """What a noun phrase headed by ``head`` stands for (named, implied or owned)."""
        heads = [head, *(_conjuncts(head) if expand else [])]
        found: list[Arg] = []
        for h in heads:
            found.extend(self._denote_one(h))
        return unique_args(found)

    def _denote_one(self, head: Token) -> list[Arg]:
        ent = self.ent_at.get(head.i)
        if ent is not None:
            return [self.ent_arg(ent)]
        # "the Hashd al-Shaabi coalition", "the Kataib Hezbollah group": a name modifying a group noun.
        lemma = head.lemma_.lower()
        if lemma in self.lexicon.membership.collective_nouns or lemma in self.lexicon.coreference.group_nouns:
            for child in parse.children(head):
                if child.dep_ in ("compound", "nmod") and child.i < head.i and child.i in self.ent_at:
                    ent = self.ent_at[child.i]
                    if ent.label_ not in ("Country", "Region", "Settlement", "Place", "Person"):
                        return [self.ent_arg(ent)]
        # "the Tower 22 outpost", "the Ain al-Asad air base": a facility name modifying a facility noun.
        forms = noun_forms(head)
        if forms & self.facility_nouns:
            for child in parse.children(head):
                ent = self.ent_at.get(child.i)
                if child.dep_ in ("compound", "nmod") and ent is not None and ent.label_ in SITE_CLASSES:
                    return [self.ent_arg(ent)]
        if forms & self.force_nouns:
            owned = self.owners(head)
            if not owned:
                return self.descriptor(head)  # "security forces in Guinea"
            # "US forces", "Iranian officials": the owner acts, the words and the sector stay on the record
            words = self._descriptor_words(head)
            sector = next(iter(self.sectors(head)), None)
            return [a._replace(token=head.i, descriptor=words, sector=sector) for a in owned]
        if head.ent_type_ == "NORP" and head.pos_ in ("PROPN", "NOUN"):
            # "the Iraqis", "Americans"
            arg = self.demonym_arg(head)
            if arg is not None:
                return [arg]
        return self.descriptor(head)  # "Iraqi Kurds", "Iranian officials"

    def sectors(self, head: Token) -> tuple[str, ...]:
        """The agent sectors a noun names ('officials' -> GOV), from its lemma or its last two words."""
        found = self._sectors.get(head.i)
        if found is None:
            found = self._sectors[head.i] = self._sectors_of(head)
        return found

    def _sectors_of(self, head: Token) -> tuple[str, ...]:
        if head.pos_ not in ("NOUN", "PROPN") or head.i in self.ent_at:
            return ()
        forms = noun_forms(head)
        for left in parse.children(head):
            if left.i == head.i - 1 and left.dep_ in ("compound", "amod"):
                forms = forms | {f"{left.lower_} {f}" for f in forms}
        for form in sorted(forms, key=len, reverse=True):
            found = self.lexicon.agents.get(form)
            if found:
                return found
        if head.tag_ == "NNS":
            # "opposition groups", "rebel units": people named by the agent noun before them
            for left in parse.children(head):
                if left.i == head.i - 1 and left.dep_ in ("compound", "amod"):
                    found = self.lexicon.agents.get(left.lower_)
                    if found:
                        return found
        return ()

    def _last_named(self, phrase: Token) -> list[Arg]:
        ents = [self.ent_at[t.i] for t in phrase.subtree if t.i in self.ent_at]
        return [self.ent_arg(ents[-1])] if ents else []

    @staticmethod
    def _descriptor_words(head: Token) -> str:
        return " ".join(t.text for t in head.subtree if t.i <= head.i and t.dep_ not in ("det", "punct", "predet"))

    def descriptor(self, head: Token) -> list[Arg]:
        """'Iranian officials', 'the Iraqi government', 'security forces in Guinea': the state they act for.

        The head is an agent noun of the Phoenix agents dictionary (official, soldier,
        government, police...) or any plural noun ('Ugandan candidates'); the state
        comes from a demonym or name modifying it, a possessor, or an 'of/from/in'
        phrase. The argument keeps the descriptor words and the noun's sector.
        """
        sectors = self.sectors(head)
        if not sectors and (head.tag_ not in ("NNS", "NNPS") or noun_forms(head) & self.lexicon.act_nouns):
            return []  # "the American strikes" is an act, not people
        owners: list[Arg] = []
        for child in parse.children(head):
            if child.i < head.i and child.dep_ in ("compound", "amod", "nmod", "poss"):
                if syntax.opposed_prefix(child):
                    continue  # "pro-Iran militia groups" are not Iran's
                # "US and British forces"
                for owner in (child, *(c for c in parse.children(child) if c.dep_ == "conj")):
                    arg = self.at(owner)
                    if arg is not None and (
                        arg.cls in ("Country", "Region") or (sectors and arg.top == "Organization")
                    ):
                        owners.append(arg)
        loyal = False
        if not owners and sectors:
            for child in parse.children(head):
                if child.dep_ == "prep" and child.lower_ in ("of", "from", "in", "throughout", "across", "inside"):
                    owners.extend(a for p in _pobjs(child) for a in self.denote(p) if a.cls == "Country")
                elif child.dep_ in ("amod", "acl") and child.lower_ in ("loyal", "allied", "affiliated"):
                    # "militants loyal to X", "workers affiliated with X": the one they act for
                    owners.extend(
                        a for prep in parse.children(child) if prep.lower_ in ("to", "with") for p in _pobjs(prep)
                        for a in (self.denote(p) or self._last_named(p))  # "loyal to X's frontman Y": Y
                    )
                    loyal = True
        if not owners:
            return []
        words = self._descriptor_words(head)
        sector = sectors[0] if sectors else None
        # "the Syrian president", "a U.S. official": one person acting for the state, not the state itself;
        # "Iraqi protesters", "Kurdish parties": people of the country, not its state; "militants loyal to X"
        # act for X, who did not act
        person = head.tag_ in ("NN", "NNP") and (head.lower_,) in self.lexicon.title_table
        return [
            a._replace(
                token=head.i, descriptor=words, sector=sector,
                proxy=person or loyal or (a.top == "Place" and sector not in STATE_SECTORS),
            )
            for a in unique_args(owners)
        ]

    def args_in(self, tokens: Iterable[Token]) -> Iterator[Arg]:
        seen: set[int] = set()
        for token in tokens:
            ent = self.ent_at.get(token.i)
            if ent is not None and ent.start not in seen:
                seen.add(ent.start)
                yield self.ent_arg(ent)


def _pobjs(prep: Token) -> list[Token]:
    return [c for c in parse.children(prep) if c.dep_ in ("pobj", "pcomp")]


def _conjuncts(token: Token) -> list[Token]:
    return [c for c in token.conjuncts if c.pos_ in ("NOUN", "PROPN", "PRON", "NUM", "ADJ")]


def unique_args(args: Iterable[Arg]) -> list[Arg]:
    seen: set[str] = set()
    out: list[Arg] = []
    for arg in args:
        if arg.key not in seen:
            seen.add(arg.key)
            out.append(arg)
    return out

"""One reading of a processed article, built once and shared by every rule.

A :class:`Reading` holds the sentence units of the Doc (parser sentences, also
cut at line breaks), the actor index, role titles, coreference, and the
argument finder that turns a token into the actors it stands for: a name, a
demonym ("Iraqi"), a descriptor ("Iranian officials", "US forces": the state,
with the descriptor and its sector kept), an act ("US airstrikes" stands for
its agent when asked), a relative pronoun (its antecedent) or an anaphor.
Rules read it and yield findings; none keeps state another reads.
"""

from __future__ import annotations

from functools import cached_property, lru_cache
from typing import cast

from spacy.attrs import DEP, LEMMA, LOWER, ORTH, POS, SPACY  # type: ignore[import-not-found]
from spacy.tokens import Doc, Span, Token

from kg.extract import parse, syntax
from kg.extract.actors import Actors, Arg, noun_forms, unique_args
from kg.extract.clauses import Clauses
from kg.extract.coref import Coref, Role
from kg.extract.frames import FrameCoder
from kg.extract.lexicon import Lexicon
from kg.extract.titles import RoleFact, TitleReader
from kg.gazetteer import Gazetteer
from kg.model import Article
from kg.vocab import CLASS_TOP

DATELINE_ENDS = frozenset({"-", "--", "–", "—", ":"})
LISTING = frozenset({"including", "like", "such"})
QUANTIFIERS = frozenset({"most", "some", "many", "several", "all", "one", "none", "each", "both", "any", "dozens",
                         "scores", "hundreds", "thousands", "number", "majority", "part", "half", "bulk", "series",
                         "wave", "string", "spate", "volley", "volleys", "barrage", "salvo", "round", "more", "least",
                         "few", "group", "contingent", "delegation", "team", "batch", "patch", "tens", "dozen",
                         "millions", "crowd", "crowds", "score", "body", "handful", "unit", "column", "convoy"})


def sentence_units(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges of the sentences, with parser sentences also cut at line breaks."""
    tokens = parse.words(doc)
    return _units(doc, tokens, [t.text for t in tokens])


def _units(doc: Doc, tokens: list[Token], texts: list[str]) -> list[tuple[int, int]]:
    # A line break is a word of its own (a word's trailing whitespace is one space or none).
    units: list[tuple[int, int]] = []
    for sent in doc.sents:
        start, end = sent.start, sent.end
        for i in range(start, end):
            if "\n" in texts[i] or (i > start and tokens[i].is_space):
                if i > start:
                    units.append((start, i))
                start = i + 1
        if start < end:
            units.append((start, end))
    return [(s, e) for s, e in units if any(not t.is_space and not t.is_punct for t in tokens[s:e])]


_STRINGS: dict[int, str] = {}  # a string id -> its string (ids are hashes of the strings: one table serves any Doc)
_STRINGS_KEPT = 1 << 18


def _columns(doc: Doc, attrs: tuple[int, ...]) -> list[list[str]]:
    """The strings of ``attrs`` for every word, a list per attribute (``token.lower_`` ... for each word)."""
    if len(_STRINGS) > _STRINGS_KEPT:
        _STRINGS.clear()
    strings = doc.vocab.strings
    columns = cast(list[list[int]], doc.to_array(list(attrs)).reshape(len(doc), len(attrs)).T.tolist())
    for column in columns:
        for key in set(column).difference(_STRINGS):
            _STRINGS[key] = strings[key]
    return [list(map(_STRINGS.__getitem__, column)) for column in columns]


@lru_cache(maxsize=1 << 15)
def _lowered(word: str) -> str:
    return word.lower()


class Reading:
    """Everything the rules need to know about one Doc, computed once."""

    def __init__(self, doc: Doc, article: Article, gazetteer: Gazetteer, lexicon: Lexicon) -> None:
        self.doc = doc
        self.article = article
        self.gazetteer = gazetteer
        self.lexicon = lexicon
        # The words, each built once: the rules walk every word of the Doc, and each doc[i] builds a new Token.
        self.tokens: list[Token] = parse.words(doc)
        # What the rules test of every word, read once, from one array of the Doc's string ids.
        self.texts, self.lowers, lemmas, self.pos, self.deps = _columns(doc, (ORTH, LOWER, LEMMA, POS, DEP))
        self.lemmas = [_lowered(lemma) for lemma in lemmas]
        self.units = _units(doc, self.tokens, self.texts)
        self.unit_of = [-1] * len(doc)
        for n, (s, e) in enumerate(self.units):
            for i in range(s, e):
                self.unit_of[i] = n
        # Tokens outside any unit (blank lines) count as the previous unit in coreference windows.
        sent_of: list[int] = []
        for unit in self.unit_of:
            sent_of.append(unit if unit >= 0 else (sent_of[-1] if sent_of else 0))
        self.sent_of = sent_of
        self.actors = Actors(doc, gazetteer, lexicon, self.text)
        self.role_facts: list[RoleFact] = list(TitleReader(doc, self.actors, lexicon, self.lowers).facts())
        roles: dict[str, list[Role]] = {}
        for fact in self.role_facts:
            roles.setdefault(fact.person.key, []).append(
                Role(fact.title, fact.relation, fact.org.key if fact.org else None)
            )
        self.coref = Coref(doc, self.actors, lexicon, sent_of, roles)
        self.act_nouns = lexicon.act_nouns
        self.dateline = self._datelines()
        self._args_of: dict[tuple[int, bool], list[Arg]] = {}  # what a word stands for, found once

    def _datelines(self) -> frozenset[int]:
        """'TEHRAN –', 'ERBIL (Kurdistan24) -', 'BEIRUT:', '[date] BAGHDAD, Jan. 5 (Reuters) -': the places
        and dates before a dash or colon opening a paragraph are no argument."""
        found: set[int] = set()
        for start, end in self.units:
            if start > 0 and "\n" not in self.doc[start - 1].text + self.doc[start - 1].whitespace_:
                continue
            places, depth = 0, 0
            for token in self.doc[start : min(end, start + 12)]:
                if token.text in DATELINE_ENDS and not token.ent_type_ and depth == 0:
                    if places:
                        found.update(range(start, token.i))
                    break
                depth += (token.text == "(") - (token.text == ")")
                ent = self.actors.ent_at.get(token.i)
                if ent is not None and CLASS_TOP.get(ent.label_) == "Place":
                    places += 1
                elif not (depth or token.text in "()," or token.ent_type_ == "DATE" or token.lower_ == "date"):
                    break
        return frozenset(found)

    def listed(self, noun: Token) -> list[Token]:
        """'officials, including X and Y', 'groups such as X': the names listed for a plural noun.

        The parse often hangs 'including' on the verb or an earlier noun: then it lists the last plural noun before it.
        """
        return self._listings.get(noun.i, [])

    @cached_property
    def _listings(self) -> dict[int, list[Token]]:
        found: dict[int, list[Token]] = {}
        for i, lower in enumerate(self.lowers):
            if lower not in LISTING or self.deps[i] != "prep" or self.unit_of[i] < 0:
                continue
            prep = self.tokens[i]
            head = prep.head
            if not (head.tag_ in ("NNS", "NNPS") and head.i < prep.i):
                before = [t for t in reversed(self.doc[head.i + 1 : prep.i]) if t.tag_ == "NNS"]
                if not before:
                    continue
                head = before[0]
            names = [t for p in prep.subtree if p.dep_ == "pobj" for t in syntax.conjuncts(p)]
            found.setdefault(head.i, []).extend(names)
        return found

    @cached_property
    def date_ents(self) -> list[Span]:
        """The Doc's DATE entities, in text order (of the entity spans the actor index built once)."""
        return [e for e in self.actors.ents if e.label_ == "DATE"]

    @cached_property
    def text(self) -> str:
        """The Doc's text, joined once from its words and spaces (``Doc.text`` builds every token again)."""
        spaces = cast(list[int], self.doc.to_array(SPACY).tolist())
        return "".join([word + " " if space else word for word, space in zip(self.texts, spaces, strict=True)])

    @cached_property
    def coder(self) -> FrameCoder:
        """The CAMEO coder of this Doc's verbs and event nouns, shared by the rules that code events."""
        return FrameCoder(self.lexicon)

    @cached_property
    def clauses(self) -> Clauses:
        return Clauses(self.lexicon.clauses, self.coder)

    # ------------------------------------------------------------------ units
    def unit_span(self, unit: int) -> Span:
        return self._unit_spans[unit]

    @cached_property
    def _unit_spans(self) -> list[Span]:
        return [self.doc[start:end] for start, end in self.units]

    def same_unit(self, *tokens: int) -> bool:
        units = {self.unit_of[i] for i in tokens if i >= 0}
        return len(units) <= 1 and -1 not in units

    @cached_property
    def headline_unit(self) -> int | None:
        """The unit of the title line, if the article has one (headlines drop auxiliaries)."""
        if not self.article.title or not self.units:
            return None
        first = self.unit_span(0)
        return 0 if first.start_char < len(self.article.title) + 1 else None

    # ------------------------------------------------------------------ arguments
    def args(self, token: Token, *, acts: bool = False, members: bool = False, expand: bool = True) -> list[Arg]:
        """The actors a noun phrase headed by ``token`` stands for.

        Args:
            acts: an act ("the US airstrikes", "Iran's threat") stands for its agent.
            members: a member ("a commander of X", "X fighters") stands for the group.
            expand: include coordinated heads ("X and Y").
        """
        heads = syntax.conjuncts(token) if expand else [token]
        found: list[Arg] = []
        for head in heads:
            one = self._args_one(head, acts)
            if not one:
                # "a faction within the PMF", "a commander of X" (as a target: "killed a commander of X")
                one = [a for a in self.member_of(head, parts_only=not members) if a.top == "Organization"]
            found.extend(one)
        return unique_args(found)

    def _args_one(self, head: Token, acts: bool) -> list[Arg]:
        found = self._args_of.get((head.i, acts))
        if found is None:
            found = self._args_of[head.i, acts] = self._args_one_found(head, acts)
        return list(found)

    def _args_one_found(self, head: Token, acts: bool) -> list[Arg]:
        if head.i in self.dateline:
            return []
        listed = unique_args(a for t in self.listed(head) for a in self._args_one(t, acts))
        if listed and self.actors.sectors(head):
            return listed  # "officials, including X and Y": the people named, not the state they serve
        if listed:
            return unique_args([*self._args_one_unlisted(head, acts), *listed])  # "Syria bases, including X"
        return self._args_one_unlisted(head, acts)

    def _args_one_unlisted(self, head: Token, acts: bool) -> list[Arg]:
        if head.lower_ in syntax.RELATIVE_PRONOUNS and head.head.dep_ == "relcl":
            return self.args(head.head.head, acts=acts, expand=False)
        named = self._named_in_phrase(head)
        if named:
            return named
        direct = self.actors.denote(head, expand=False)
        if direct and any(a.descriptor for a in direct) and self.coref.is_anaphor(head):
            # "the Syrian leader": the person the article gave that role, before the state he leads
            resolved = self.coref.resolve(head)
            if resolved is not None:
                return [resolved._replace(token=head.i)]
        if direct:
            return direct
        if self.coref.is_anaphor(head):
            resolved = self.coref.resolve(head)
            if resolved is not None:
                return [resolved._replace(token=head.i)]
            return self._speaker(head)
        if head.lower_ in QUANTIFIERS:
            for word, pobj in syntax.preps(head):
                if word == "of":
                    return self.args(pobj, acts=acts)
        if head.lemma_.lower() in self.lexicon.places.nouns:
            # "the town of Sinjar": the place named
            named = [a for w, p in syntax.preps(head) if w == "of" for a in self.actors.denote(p) if a.top == "Place"]
            if named:
                return named
        if acts and (noun_forms(head) & self.act_nouns or any(c.dep_ == "acl" for c in parse.children(head))):
            return self.act_agents(head)  # "the US strikes", "crimes committed by X"
        # "a tribute to X, former architect of ...": the apposition stands for X
        if head.dep_ == "appos" and head.head.i in self.actors.ent_at:
            return [self.actors.ent_arg(self.actors.ent_at[head.head.i])]
        # "the US ambassador, X,": a described noun stands for the name in apposition to it
        for child in parse.children(head):
            if child.dep_ == "appos" and child.i in self.actors.ent_at:
                return [self.actors.ent_arg(self.actors.ent_at[child.i])]
        return []

    def _speaker(self, pronoun: Token) -> list[Arg]:
        """'Militants loyal to X said *they* attacked ...': the subject of a reported clause is its speaker."""
        clause = pronoun.head
        if pronoun.dep_ != "nsubj" or clause.dep_ != "ccomp" or parse.is_root(clause):
            return []
        speech = clause.head
        if not set(syntax.verb_lemmas(speech)) & self.lexicon.clauses.speech:
            return []
        return [a._replace(token=pronoun.i) for s in syntax.subjects(speech) if s.i < pronoun.i
                for a in self.args(s, expand=False)]

    def _named_in_phrase(self, head: Token) -> list[Arg]:
        """'Iraqi MP ..., Falih al-Khazali', 'Crown Prince Mohammed bin Salman': a title word heading a
        person's name stands for the person, never for the state in its title."""
        if head.i in self.actors.ent_at or (head.lower_,) not in self.lexicon.title_table:
            return []
        for child in parse.children(head):
            if child.dep_ in ("appos", "compound", "nmod", "flat") and child.i > head.i:
                ent = self.actors.ent_at.get(child.i)
                if ent is not None and ent.label_ == "Person":
                    return [self.actors.ent_arg(ent)]
        # "the First Deputy Speaker of the Iraqi Parliament Mohsen al-Mandalawi": the name ends the phrase
        last = max(t.i for t in head.subtree)
        ent = self.actors.ent_at.get(last)
        if ent is not None and ent.label_ == "Person" and ent.end == last + 1 and ent.start > head.i:
            return [self.actors.ent_arg(ent)]
        return []

    def owners_of(self, noun: Token) -> list[Arg]:
        """Actors a non-actor noun belongs to: 'Haiti's efforts', 'the Iranian proposal', 'the plan of X'."""
        found: list[Arg] = []
        for child in syntax.modifiers(noun):
            arg = self.actors.at(child)
            if arg is None and child.dep_ == "poss":
                found.extend(self.args(child, expand=False))
            elif arg is not None:
                found.append(arg)
        if not found:
            for word, pobj in syntax.preps(noun):
                if word in ("of", "by", "from"):
                    found.extend(self.args(pobj))
        return unique_args(a for a in found if "Actor" in a.kinds())

    def member_of(self, head: Token, parts_only: bool = False) -> list[Arg]:
        """'a commander of X', 'X fighters', 'members of X', 'a faction within X': the group a member belongs to.

        Args:
            parts_only: only parts of a group ('a faction of X'), not its people ('a commander of X').
        """
        nouns = (
            self.lexicon.membership.part_nouns
            if parts_only
            else self.lexicon.membership.member_nouns | self.lexicon.membership.part_nouns
        )
        if not noun_forms(head) & nouns:
            return []
        preps = list(syntax.preps(head))
        # "accused a faction within the PMF of ...": the parser hangs "within" on the verb, right after the noun
        preps += [(w, p) for w, p in syntax.preps(head.head) if w in ("within", "inside") and p.i > head.i
                  and p.head.i == head.right_edge.i + 1]
        found = [
            a for word, p in preps if word in ("of", "from", "in", "within", "inside")
            for a in self.actors.denote(p)
        ]
        found.extend(a for c in syntax.modifiers(head) if (a := self.actors.at(c)) is not None)
        return unique_args(found)

    def act_agents(self, noun: Token) -> list[Arg]:
        """Who carried out an act a noun names ('US airstrikes', 'an American strike', 'attacks by X')."""
        found: list[Arg] = []
        for child in parse.children(noun):
            if child.i < noun.i and child.dep_ in ("compound", "amod", "nmod", "poss", "npadvmod"):
                if syntax.opposed_prefix(child):
                    continue
                arg = self.actors.at(child)
                if arg is None and child.dep_ == "compound":
                    # "US Predator attacks": a name modifying the modifier
                    inner = [
                        a for c in parse.children(child) if c.dep_ in ("compound", "amod") and (a := self.actors.at(c))
                    ]
                    arg = inner[0] if inner else None
                if arg is None and child.dep_ == "poss":
                    if self.coref.is_anaphor(child):
                        resolved = self.coref.resolve(child)
                        arg = resolved._replace(token=child.i) if resolved else None
                    else:
                        found.extend(self.args(child, expand=False))
                if arg is None and self.actors.sectors(child):
                    found.extend(self.actors.descriptor(child) or self.actors.owners(child))
                if arg is not None:
                    found.append(arg)
                    # "Israeli and U.S. attacks": coordinated modifiers
                    found.extend(
                        a for c in parse.children(child) if c.dep_ == "conj" and (a := self.actors.at(c)) is not None
                    )
            elif child.dep_ in ("prep", "agent") and child.lower_ == "by":
                for pobj in parse.children(child):
                    if pobj.dep_ == "pobj":
                        found.extend(self.args(pobj))
            elif child.dep_ == "acl" and child.lemma_.lower() in self.lexicon.events.claim_verbs | {
                "carry",
                "conduct",
                "launch",
                "commit",
            }:
                found.extend(a for t in syntax.by_agents(child) for a in self.args(t, acts=True))
        return unique_args(found)

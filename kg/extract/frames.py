"""CAMEO verb frames matched on the dependency parse: which PLOVER event a verb codes.

The CAMEO verb dictionary (compiled by ``scripts/compile_lexicons.py`` into
``kg/data/cameo.json``) gives each verb a default code and frames: the noun
heads its subject, object and prepositional phrases must have for another code
("kill" is 190, "kill ... in an accident" is no event, "fire on" is 190,
"fire ... official" is 110). A verb token is matched against the frames of its
lemma (and of its phrasal forms, "shoot down", "side with"); the most specific
frame that fits wins, else the verb's default.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Token

from kg.extract import modality, parse, syntax
from kg.extract.actors import noun_forms
from kg.extract.cameo import Coding, Frame, NounPhrase, VerbEntry
from kg.extract.lexicon import Lexicon

# Entity labels of prepositional objects that are no arguments of the verb.
NOT_ARGUMENTS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"})


@dataclass(frozen=True, slots=True)
class Match:
    """The coding a verb gets, and which frame (if any) gave it."""

    coding: Coding
    key: str  # the dictionary entry: "kill", "shoot down"
    specific: int  # how many frame constraints matched (0: the verb's default)
    target_slot: str | None = None  # where the frame puts the target: "object", "prep:with"...
    source_slot: str | None = None


# Clauses a noun takes ("a demand *that* X leave", "a call *for* X *to* leave").
CLAUSE_DEPS = frozenset({"acl", "advcl", "ccomp"})


def _forms(token: Token) -> frozenset[str]:
    return _word_forms(token.lower_, token.lemma_)


@lru_cache(maxsize=1 << 15)
def _word_forms(lower: str, lemma: str) -> frozenset[str]:
    forms = {lemma.lower(), lower}
    if lower.endswith("s") and len(lower) > 3:
        forms.add(lower[:-1])
    return frozenset(forms)


def np_matches(np: NounPhrase, token: Token, of_phrase: bool = True) -> bool:
    """Does the noun phrase headed by ``token`` fit the pattern (modifiers, then the head)?

    The pattern's words may stand as compounds and adjectives before the head or as the
    noun of an 'of' phrase after it: '{STATE EMERGENCY}' fits 'a state of emergency',
    '{AID}' fits 'aid deliveries'.

    Args:
        of_phrase: may the noun of an 'of' phrase stand for the head? Not when the head names an
            act of its own: 'a suspension of aid' is no aid.
    """
    return _fits_phrase(np, _phrase_forms(token, of_phrase))


def _fits_phrase(np: NounPhrase, forms: frozenset[str]) -> bool:
    """Does each word of the pattern stand somewhere in the phrase whose word forms are ``forms``?"""
    return _fits(np.head, forms) and all(_fits(alternatives, forms) for alternatives in np.modifiers)


def _phrase_forms(token: Token, of_phrase: bool = True) -> frozenset[str]:
    """The forms of all the phrase's words in one set (any word may stand for any of a pattern's words),
    found once per token: a verb's frames all test the same phrases."""
    return frozenset().union(*(_forms(t) for t in _phrase_words(token, of_phrase)))


def _phrase_words(token: Token, of_phrase: bool = True) -> list[Token]:
    """The head, its pre-modifiers, and (with ``of_phrase``) the noun of an 'of' phrase with its own modifiers."""
    found = [token]
    for child in parse.children(token):
        if child.i < token.i:
            if child.dep_ in ("compound", "amod", "nmod"):
                found.append(child)
        elif of_phrase and child.dep_ == "prep" and child.lower_ == "of":
            for pobj in parse.children(child):
                if pobj.dep_ == "pobj":
                    found.append(pobj)
                    found.extend(c for c in parse.children(pobj) if c.i < pobj.i and c.dep_ in ("compound", "amod"))
    return found


def _fits(words: frozenset[str], forms: frozenset[str]) -> bool:
    """Does a word of these forms stand among a pattern's alternatives (or start like one of its stems)?"""
    if not forms.isdisjoint(words):
        return True
    stems = _stems(words)
    return bool(stems) and any(f.startswith(stems) for f in forms)


@lru_cache(maxsize=8192)
def _stems(words: frozenset[str]) -> tuple[str, ...]:
    """The stems of a pattern's alternatives, written with a trailing '*' in the compiled data ("minist*")."""
    return tuple(w[:-1] for w in words if w.endswith("*"))


def _entry_keys(verb: Token) -> list[str]:
    """Dictionary keys a verb token can stand for, longest first: 'shoot down', 'wage war', 'side with', 'shoot'."""
    keys: list[str] = []
    for base in syntax.verb_lemmas(verb):
        prt = syntax.particle(verb)
        if prt:
            keys.append(f"{base} {prt}")
        for child in parse.children(verb):
            if child.dep_ in ("dobj", "prep", "acomp", "advmod") and child.i > verb.i:
                keys.append(f"{base} {child.lemma_.lower()}")
        keys.append(base)
    return keys


class FrameCoder:
    """Codes the verb tokens of one Doc with the compiled CAMEO frames of a lexicon, and event nouns with
    the verb they name.

    One coder serves one Doc (:attr:`kg.extract.reading.Reading.coder`): the rules ask about the same
    verbs and nouns again and again, and each answer is kept by token index.
    """

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.light = lexicon.events.light_verbs
        self.frame_nouns = lexicon.events.frame_nouns
        self._verb_codes: dict[int, Match | None] = {}
        self._noun_codes: dict[int, Coding | None] = {}

    def code_noun(self, noun: Token) -> Coding | None:
        """The coding of an event noun: its most specific key ('hunger strike' before 'strike').

        A frame noun ('effort', 'campaign', 'bid') takes the event of the noun before it:
        'a mediation effort' is a mediation.
        """
        if noun.i not in self._noun_codes:
            self._noun_codes[noun.i] = self._code_noun(noun)
        return self._noun_codes[noun.i]

    def _code_noun(self, noun: Token) -> Coding | None:
        forms = noun_forms(noun)
        if forms.isdisjoint(self.lexicon.event_noun_parts) and forms.isdisjoint(self.frame_nouns):
            return None  # no key can hold one of its forms: most nouns name no event
        keys = set(forms)
        for child in parse.children(noun):
            if child.dep_ in ("compound", "amod") and child.i == noun.i - 1:
                keys |= {f"{child.lower_} {f}" for f in forms}
                if forms & self.frame_nouns:
                    keys |= noun_forms(child)
        # "call for", "work with": a noun whose meaning its preposition fixes (also "a call *for* X to leave")
        words = [word for word, _ in syntax.preps(noun)] + [
            m.lower_
            for c in parse.children(noun) if c.dep_ in CLAUSE_DEPS
            for m in parse.children(c) if m.dep_ == "mark"
        ]
        keys |= {f"{form} {word}" for form in forms for word in words}
        for key in sorted(keys, key=lambda k: (-len(k.split()), k)):
            value = self.lexicon.events.nouns.get(key)
            if value is None:
                continue
            if value.isdigit():
                return self.lexicon.coding(value)
            entry = self.lexicon.verbs.get(value)
            code = self._object_code(entry, noun) if entry is not None else None
            code = code or (entry.code if entry is not None else None)
            if code is not None:
                return self.lexicon.coding(code)
        return None

    @staticmethod
    def _object_code(entry: VerbEntry, noun: Token) -> str | None:
        """The code of the verb's object frame that the noun's 'of' phrase fits: 'the suspension *of aid*'
        is 'suspend aid', 'the withdrawal *of troops*' is 'withdraw troops'."""
        objects = [t for word, t in syntax.preps(noun) if word == "of"]
        best: tuple[int, str] | None = None
        for frame in entry.frames:
            if frame.code is None or frame.object is None or frame.subject is not None or frame.preps:
                continue
            if any(np_matches(frame.object, t) for t in objects):
                score = len(frame.object.modifiers)
                if best is None or score > best[0]:
                    best = (score, frame.code)
        return best[1] if best is not None else None

    def is_light(self, verb: Token) -> bool:
        """A verb whose object noun names the event: 'held talks', 'staged demonstrations'."""
        return any(lemma in self.light for lemma in syntax.verb_lemmas(verb))

    def event_object(self, verb: Token) -> Token | None:
        """The event noun a light verb carries: 'held *talks*', 'launched *strikes*', 'continue military *aid*'."""
        if not self.is_light(verb):
            return None
        for child in parse.children(verb):
            if child.dep_ in ("dobj", "nsubjpass", "attr") and self.code_noun(child) is not None:
                return child
        return None

    def code(self, verb: Token) -> Match | None:
        """The best coding for ``verb``, or None (not in the dictionary, or a frame that says 'no event')."""
        if verb.i not in self._verb_codes:
            self._verb_codes[verb.i] = self._code(verb)
        return self._verb_codes[verb.i]

    def _code(self, verb: Token) -> Match | None:
        for key in _entry_keys(verb):
            entry = self.lexicon.verbs.get(key)
            if entry is None:
                continue
            best = self._best_frame(_frame_index(self.lexicon, key), verb, key)
            if best is not None:
                frame, score = best
                if frame.code is None:
                    return None
                coding = self.lexicon.coding(frame.code)
                if coding is None:
                    return None
                return Match(coding, key, score, frame.target, frame.source)
            if entry.code is None:
                return None
            coding = self.lexicon.coding(entry.code)
            return Match(coding, key, 0) if coding is not None else None
        return None

    def _best_frame(self, index: _FrameIndex, verb: Token, key: str) -> tuple[Frame, int] | None:
        if not index.frames:
            return None
        negated = modality.negated(verb)
        # The objects' phrases are read first, to leave out the frames they cannot fit; the subjects' and
        # prepositions' only when a frame still in the running asks for them.
        clause = _ClausePhrases(self, verb)
        frames = index.fitting(clause.object_forms) if index.by_object_word else index.frames
        # a verb has dozens of frames and most ask for a word the clause lacks: each test fails as early as it can
        best: tuple[Frame, int] | None = None
        best_rank: tuple[int, bool, bool] | None = None
        for frame in frames:
            if frame.negated and not negated:
                continue
            score = 0
            subject, obj = frame.subject, frame.object
            if subject is not None:
                subject_forms = clause.subject_forms()
                if not subject_forms or not any(_fits_phrase(subject, f) for f in subject_forms):
                    continue
                score += 1 + len(subject.modifiers)
            if obj is not None:
                object_forms = clause.object_forms
                if not object_forms or not any(_fits_phrase(obj, f) for f in object_forms):
                    continue
                score += 1 + len(obj.modifiers)
            ok = True
            for prep, np in frame.preps:
                hits = clause.prep_forms().get(prep)
                if not hits or (np is not None and not any(_fits_phrase(np, f) for f in hits)):
                    ok = False
                    break
                score += 1 if np is None else 2 + len(np.modifiers)
            if not ok or score == 0:
                continue
            rank = _rank(frame, score, key)
            if best_rank is None or rank > best_rank:
                best, best_rank = (frame, score), rank
        return best


@dataclass(frozen=True, slots=True)
class _FrameIndex:
    """The frames of one dictionary key, and which of them a clause's objects leave in the running."""

    frames: tuple[Frame, ...]
    # a word of an object pattern's head (no stem among its alternatives) -> the frames asking for it, by position
    by_object_word: Mapping[str, tuple[int, ...]]
    others: frozenset[int]  # frames asking for no object, or for one whose head a stem gives

    def fitting(self, object_forms: list[frozenset[str]]) -> tuple[Frame, ...]:
        """The frames, in order, but those whose object head is none of the words of the clause's objects:
        a pattern's head must stand among a phrase's word forms (``_fits``), so those frames cannot fit."""
        kept = set(self.others)
        for forms in object_forms:
            for form in forms:
                kept.update(self.by_object_word.get(form, ()))
        return tuple(self.frames[i] for i in sorted(kept))


@lru_cache(maxsize=4096)
def _frame_index(lexicon: Lexicon, key: str) -> _FrameIndex:
    """The frames of the dictionary entry ``key`` that hold for it, indexed once per process: a verb has
    dozens of frames (hundreds for 'end' or 'fight'), and most ask for an object head the clause lacks."""
    frames = tuple(f for f in lexicon.verbs[key].frames if f.verb in (None, key))
    by_word: dict[str, list[int]] = {}
    others: set[int] = set()
    for i, frame in enumerate(frames):
        if frame.object is None or _stems(frame.object.head):
            others.add(i)
        else:
            for word in frame.object.head:
                by_word.setdefault(word, []).append(i)
    return _FrameIndex(frames, {w: tuple(found) for w, found in by_word.items()}, frozenset(others))


class _ClausePhrases:
    """The word forms of a verb's objects, and of its subjects and prepositional phrases when first asked for
    (plain attributes: ``functools.cached_property`` takes a lock at each first read, and there are
    thousands of clauses)."""

    def __init__(self, coder: FrameCoder, verb: Token) -> None:
        self.verb = verb
        self.passive = syntax.is_passive(verb)
        self.objects = syntax.passive_subjects(verb) if self.passive else syntax.direct_objects(verb)
        self.object_forms = [_phrase_forms(t, of_phrase=coder.code_noun(t) is None) for t in self.objects]
        self._subject_forms: list[frozenset[str]] | None = None
        self._prep_forms: dict[str, list[frozenset[str]]] | None = None

    def subject_forms(self) -> list[frozenset[str]]:
        if self._subject_forms is None:
            subjects = syntax.by_agents(self.verb) if self.passive else syntax.subjects(self.verb)
            self._subject_forms = [_phrase_forms(t) for t in subjects]
        return self._subject_forms

    def prep_forms(self) -> dict[str, list[frozenset[str]]]:
        if self._prep_forms is None:
            # "demanded ... on Thursday": a date is no prepositional argument
            # a pattern's phrase may hang on the verb or on its object ("lift the state *of emergency*")
            found: dict[str, list[frozenset[str]]] = {}
            for h in (self.verb, *self.objects):
                for w, t in syntax.preps(h):
                    if t.ent_type_ not in NOT_ARGUMENTS:
                        found.setdefault(w, []).append(_phrase_forms(t))
            self._prep_forms = found
        return self._prep_forms


def _rank(frame: Frame, score: int, key: str) -> tuple[int, bool, bool]:
    """A tie goes to the pattern written for this verb, then to a pattern of an act over one of intent
    (CAMEO 03x): 'express support' is an endorsement, 'pledge support' the intent the verb itself gives."""
    return score, frame.origin == key, not (frame.code or "").startswith("03")

"""Within-article coreference for relation arguments.

Only what can be resolved with some certainty: personal pronouns to the most
recent person of a compatible gender (or the speaker when the pronoun opens a
reported clause), "it/its" to the organization the clause is about, "they/them"
to the last armed group or organization that was a clause subject, "the group"
to the last armed group, and role descriptions ("the Secretary", "the Iraqi
prime minister", "the head of government") to the person who holds the role.
Anything else resolves to nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from spacy.tokens import Doc, Token

from kg.extract import parse
from kg.extract.actors import Actors, Arg
from kg.extract.lexicon import Lexicon
from kg.normalize import fold

SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
WINDOW = 4  # sentences a pronoun may look back


@dataclass(frozen=True, slots=True)
class Role:
    """A role a person was given in the article ("Prime Minister" of Iraq)."""

    title: str  # lower case title words
    relation: str
    org_key: str | None


class _Mention(NamedTuple):  # a named tuple: one per name of every article, made in a fraction of a dataclass's time
    arg: Arg
    start: int  # token index
    sent: int
    subject: bool


class Coref:
    """Resolves pronouns and definite descriptions of one Doc to named actors."""

    def __init__(
        self,
        doc: Doc,
        actors: Actors,
        lexicon: Lexicon,
        sent_of: Sequence[int],
        roles: Mapping[str, Sequence[Role]],
    ) -> None:
        self.doc = doc
        self.actors = actors
        self.lex = lexicon
        self.sent_of = sent_of
        self.roles = roles
        self.male = lexicon.coreference.person_male
        self.female = lexicon.coreference.person_female
        self.thing = lexicon.coreference.thing
        self.plural = lexicon.coreference.plural
        self.group_nouns = lexicon.coreference.group_nouns
        self.speech = lexicon.clauses.speech
        self.title_words = lexicon.title_words
        self.mentions: list[_Mention] = []
        seen: set[int] = set()
        for ent in actors.ents:
            if ent.start in seen or ent.start not in actors.ent_at:
                continue
            seen.add(ent.start)
            arg = actors.ent_arg(ent)
            self.mentions.append(_Mention(arg, ent.start, sent_of[ent.start], ent.root.dep_ in SUBJECT_DEPS))
        self.gender: dict[str, str] = {}
        for m in self.mentions:
            if m.arg.top == "Person":
                g = self._gender_of(doc, m)
                if g:
                    self.gender.setdefault(m.arg.key, g)
        self._cache: dict[int, Arg | None] = {}

    # ------------------------------------------------------------------ public
    def resolve(self, token: Token) -> Arg | None:
        """The named actor a pronoun or description stands for, if clear."""
        if token.i not in self._cache:
            self._cache[token.i] = self._resolve(token)
        return self._cache[token.i]

    def is_anaphor(self, token: Token) -> bool:
        lower = token.lower_
        if token.pos_ == "PRON" or token.tag_ in ("PRP", "PRP$"):
            return lower in self.male | self.female | self.thing | self.plural
        return self._description_kind(token) is not None

    # ------------------------------------------------------------------ internals
    def _resolve(self, token: Token) -> Arg | None:
        lower = token.lower_
        if token.tag_ in ("PRP", "PRP$") or token.pos_ == "PRON":
            if lower in self.male:
                return self._person(token, "M")
            if lower in self.female:
                return self._person(token, "F")
            if lower in self.thing:
                return self._thing(token)
            if lower in self.plural:
                return self._plural(token)
            return None
        kind = self._description_kind(token)
        if kind == "group":
            return self._group(token)
        if kind == "role":
            return self._role(token)
        return None

    def _gender_of(self, doc: Doc, m: _Mention) -> str | None:
        before = doc[m.start - 1].lower_ if m.start > 0 else ""
        if before in self.lex.coreference.female_honorifics:
            return "F"
        if before in self.lex.coreference.male_honorifics:
            return "M"
        first = fold(m.arg.text.split()[0]) if m.arg.text.split() else ""
        if first in self.lex.coreference.female_names:
            return "F"
        if first in self.lex.coreference.male_names:
            return "M"
        return None

    def _before(self, token: Token, window: int = WINDOW) -> list[_Mention]:
        """Mentions before ``token`` within ``window`` sentences, most recent first."""
        sent = self.sent_of[token.i]
        found = [m for m in self.mentions if m.start < token.i and sent - m.sent <= window]
        return sorted(found, key=lambda m: -m.start)

    def _speaker_of_clause(self, token: Token) -> Arg | None:
        """Subject of the speech verb whose reported clause ``token`` opens ('X said that he ...')."""
        head = token.head if token.dep_ in SUBJECT_DEPS or token.dep_ == "poss" else None
        if head is None:
            return None
        if token.dep_ == "poss":
            while head.dep_ not in ("ROOT", "ccomp") and not parse.is_root(head) and head.pos_ not in ("VERB", "AUX"):
                head = head.head
        if head.dep_ != "ccomp":
            return None
        verb = head.head
        if verb.lemma_.lower() not in self.speech:
            return None
        # "X praised the attack and said it ...": a coordinated speech verb shares its subject
        while verb.dep_ == "conj" and not any(c.dep_ in SUBJECT_DEPS for c in parse.children(verb)):
            verb = verb.head
        for child in parse.children(verb):
            if child.dep_ in SUBJECT_DEPS and child.i < token.i:
                if child.lower_ in ("who", "which", "that") and verb.dep_ == "relcl":
                    child = verb.head
                args = self.actors.denote(child, expand=False)
                if args:
                    return args[0]
                if child.i != token.i and self.is_anaphor(child):
                    return self.resolve(child)
        return None

    def _person(self, token: Token, gender: str) -> Arg | None:
        speaker = self._speaker_of_clause(token)
        if speaker is not None and speaker.top == "Person" and self.gender.get(speaker.key, gender) == gender:
            return speaker
        candidates = [m for m in self._before(token) if m.arg.top == "Person"]
        known = [m for m in candidates if self.gender.get(m.arg.key) == gender]
        unknown = [m for m in candidates if m.arg.key not in self.gender]
        # A person known to have the pronoun's gender beats a nearer one of unknown gender
        # in the same stretch of text; a nearer one of unknown gender wins only when alone.
        if known:
            return known[0].arg
        if unknown and len({m.arg.key for m in unknown}) == 1:
            return unknown[0].arg
        if unknown and unknown[0].sent == self.sent_of[token.i]:
            return unknown[0].arg
        return None

    def _thing(self, token: Token) -> Arg | None:
        speaker = self._speaker_of_clause(token)
        if speaker is not None and speaker.top != "Person":
            return speaker
        if token.dep_ == "poss":
            subject = self._clause_subject(token)
            if subject is not None and subject.top != "Person":
                return subject
            sent = self.sent_of[token.i]
            for m in self._before(token, 0):
                if m.sent == sent and (m.arg.top == "Organization" or m.arg.cls == "Country"):
                    return m.arg
            return None
        if token.dep_ in SUBJECT_DEPS:
            return self._previous_subject(token, {"Organization", "Place"})
        return None

    def _plural(self, token: Token) -> Arg | None:
        speaker = self._speaker_of_clause(token)
        # "X said they would ...": a group, or a state named by the people acting for it ("Iranian officials")
        if speaker is not None and (speaker.top == "Organization" or speaker.descriptor is not None):
            return speaker
        own = self._clause_subject(token) if token.dep_ not in SUBJECT_DEPS else None
        sent = self.sent_of[token.i]
        for m in self._before(token, 1):
            if not m.subject or m.arg.top != "Organization" or m.arg.cls in ("GovernmentBody", "MediaOutlet"):
                continue
            if own is not None and own.key == m.arg.key:
                continue
            if m.sent == sent and own is None:
                continue
            return m.arg
        return None

    def _group(self, token: Token) -> Arg | None:
        for m in self._before(token):
            if m.arg.cls == "ArmedGroup":
                return m.arg
        return None

    def _role(self, token: Token) -> Arg | None:
        title = self._title_of(token)
        if not title:
            return None
        wanted = {title, *self.lex.titles.synonyms.get(title, [])}
        org = None
        for child in parse.children(token):
            if child.dep_ in ("amod", "compound", "nmod", "poss") and child.i < token.i:
                arg = self.actors.at(child)
                if arg is not None:
                    org = arg.key
        for m in self._before(token, 1000):
            if m.arg.top != "Person":
                continue
            for role in self.roles.get(m.arg.key, ()):
                if any(w == role.title or w in role.title.split() or role.title in w for w in wanted):
                    if org is None or role.org_key in (None, org):
                        return m.arg
        if title in self.lex.titles.country_leader:
            sent = self.sent_of[token.i]
            near = {m.arg.key: m.arg for m in self._before(token, 1) if m.arg.top == "Person" and sent - m.sent <= 1}
            if len(near) == 1:
                return next(iter(near.values()))
        return None

    def _title_of(self, token: Token) -> str | None:
        """The lower-case title a description names ('the Iraqi prime minister' -> 'prime minister')."""
        if token.i in self.actors.ent_at:
            return None
        words = [t for t in token.subtree if t.i <= token.i and t.dep_ not in ("det", "poss", "case", "punct")]
        words = [t for t in words if self.actors.at(t) is None]
        text = " ".join(t.lower_ for t in words)
        # "the head of government": keep the 'of' phrase when the whole is a title
        tail = " ".join(t.lower_ for t in token.subtree if t.i >= token.i)
        for candidate in (tail, text, token.lower_):
            for n in range(len(candidate.split()), 0, -1):
                key = tuple(candidate.split()[-n:]) if candidate is not tail else tuple(candidate.split()[:n])
                found = self.lex.title_table.get(key)
                if found is not None and found.relation:
                    return " ".join(key)
        return None

    def _description_kind(self, token: Token) -> str | None:
        if token.pos_ not in ("NOUN", "PROPN") or token.i in self.actors.ent_at:
            return None
        dets = [c for c in parse.children(token) if c.dep_ == "det"]
        det = dets[0].lower_ if dets else ""
        lemma = token.lemma_.lower()
        if lemma in self.group_nouns and token.tag_ in ("NN", "NNP") and det in ("the", "this", "that"):
            if not any(
                c.dep_ in ("compound", "nmod", "amod") and c.i in self.actors.ent_at for c in parse.children(token)
            ):
                return "group"
        if token.lower_ in self.title_words or lemma in self.title_words:
            modifiers = [c for c in parse.children(token) if c.i < token.i and c.dep_ in ("amod", "compound", "nmod")]
            has_person = any(
                self.actors.ent_of(t) is not None and self.actors.ent_of(t).label_ == "Person"  # type: ignore[union-attr]
                for t in token.subtree
            )
            if has_person:
                return None
            if any(
                c.dep_ == "prep" and c.lower_ == "of" and any(self.actors.at(p) for p in parse.children(c))
                for c in parse.children(token)
            ):
                return None  # "the president of Armenia" names its own office holder's state
            if det == "the" or any(self.actors.at(m) is not None for m in modifiers):
                return "role"
        return None

    def _clause_subject(self, token: Token) -> Arg | None:
        """The actor subject of the clause ``token`` sits in, following xcomp control upwards."""
        head = token
        for _ in range(8):
            head = head.head
            if head.pos_ in ("VERB", "AUX"):
                for child in parse.children(head):
                    if child.dep_ in SUBJECT_DEPS and child.i < token.i and child.i != token.i:
                        args = self.actors.denote(child, expand=False)
                        if args:
                            return args[0]
                        if self.is_anaphor(child):
                            return self.resolve(child)
                        return None
                if head.dep_ not in ("xcomp", "advcl", "conj"):
                    return None
            if parse.is_root(head):
                return None
        return None

    def _previous_subject(self, token: Token, tops: set[str]) -> Arg | None:
        sent = self.sent_of[token.i]
        for m in self._before(token, 1):
            if m.sent < sent and m.subject and m.arg.top in tops:
                return m.arg
        return None

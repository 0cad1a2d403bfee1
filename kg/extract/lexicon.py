"""The lexicon of the extract stage: hand wording and the compiled field dictionaries, typed and checked at load.

``kg/data/lexicon.json`` holds general English wording by section (clause verbs, event
nouns, titles, force nouns, claim words...); ``kg/data/cameo.json`` the CAMEO verb frames,
the CAMEO-to-PLOVER table and the Phoenix agent nouns, compiled by
``scripts/compile_lexicons.py``. :func:`load_lexicon` turns both into one :class:`Lexicon`
whose tables the code names by attribute (``lexicon.backing.prefixes``). Every table a
section class declares must be in the file, and every table in the file must be declared:
a missing or misspelt table fails at load, naming it, never in the middle of a build.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib.resources import files
from types import MappingProxyType
from typing import Any

from kg.extract.cameo import Coding, LexiconError, VerbEntry, build_cameo
from kg.sections import read_section
from kg.vocab import EventType, Predicate

# ---------------------------------------------------------------- hand-written sections
# Each class is one section of lexicon.json; its fields are the section's tables. A field typed
# frozenset[str] is a word list (lower case), Mapping[str, X] a table.


@dataclass(frozen=True)
class ClauseVerbs:
    """Verbs that take a clause, by how they present it (see kg.extract.clauses)."""

    speech: frozenset[str]
    intent: frozenset[str]
    refusal: frozenset[str]
    failure: frozenset[str]
    denial: frozenset[str]
    aspect: frozenset[str]
    intent_adjectives: frozenset[str]
    preparation: frozenset[str]


@dataclass(frozen=True)
class EventWords:
    """Nouns that name events, and the words around events (see kg.extract.rules.nominal, kg.extract.occurrence)."""

    nouns: Mapping[str, str]  # noun -> the CAMEO verb it codes as, or a CAMEO code
    frame_nouns: frozenset[str]
    standing_nouns: frozenset[str]
    statement_nouns: frozenset[str]
    light_verbs: frozenset[str]
    placing_verbs: frozenset[str]  # "placed X under <act>": the act done to X
    claim_verbs: frozenset[str]
    act_nouns: frozenset[str]
    target_preps: Mapping[str, frozenset[str]]  # PLOVER type -> prepositions of its target
    victim_verbs: Mapping[str, frozenset[str]]  # fatalities / injuries -> verbs
    cause_verbs: frozenset[str]
    anaphoric_determiners: frozenset[str]
    nonspecific_determiners: frozenset[str]
    summary_quantifiers: frozenset[str]
    habitual_adverbs: frozenset[str]
    place_preps: frozenset[str]


@dataclass(frozen=True)
class Criticism:
    verbs: frozenset[str]
    nouns: frozenset[str]


@dataclass(frozen=True)
class PlaceWords:
    nouns: frozenset[str]
    preps: frozenset[str]


@dataclass(frozen=True)
class Forces:
    lemmas: frozenset[str]
    deployable: frozenset[str]
    group_members: frozenset[str]
    non_state_modifiers: frozenset[str]
    facility: frozenset[str]
    territory: frozenset[str]


@dataclass(frozen=True)
class Deployment:
    host_verbs: frozenset[str]
    holder_verbs: frozenset[str]
    participles: frozenset[str]
    preps: frozenset[str]
    holdings: frozenset[str]
    withdraw_verbs: frozenset[str]
    control_nouns: frozenset[str]


@dataclass(frozen=True)
class Membership:
    member_nouns: frozenset[str]
    part_nouns: frozenset[str]
    include_verbs: frozenset[str]
    collective_nouns: frozenset[str]
    party_nouns: frozenset[str]
    role_verbs: Mapping[str, frozenset[str]]  # memberOf / leaderOf / affiliatedWith -> "join", "belong to"...


@dataclass(frozen=True)
class Backing:
    prefixes: Mapping[str, str]  # "pro" -> backedBy
    suffixes: Mapping[str, str]  # "backed" -> backedBy
    participles: Mapping[str, str]  # "backed by" -> backedBy
    state_only: frozenset[str]
    tie_nouns: frozenset[str]
    verbs: frozenset[str]
    nouns: frozenset[str]


@dataclass(frozen=True)
class Titles:
    leader: frozenset[str]
    member: frozenset[str]
    country_leader: frozenset[str]
    demoters: frozenset[str]
    unreliable: frozenset[str]
    modifiers: frozenset[str]
    ranks: frozenset[str]
    serving: frozenset[str]
    departments: Mapping[str, tuple[str, ...]]
    synonyms: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class Coreference:
    group_nouns: frozenset[str]
    female_honorifics: frozenset[str]
    male_honorifics: frozenset[str]
    female_names: frozenset[str]
    male_names: frozenset[str]
    person_male: frozenset[str]
    person_female: frozenset[str]
    thing: frozenset[str]
    plural: frozenset[str]


@dataclass(frozen=True)
class ClaimWords:
    measures: Mapping[str, frozenset[str]]  # attacks / troops / fatalities / injuries -> nouns
    victim_nouns: frozenset[str]
    dead_words: frozenset[str]
    times_nouns: frozenset[str]
    approximations: frozenset[str]
    report_verbs: frozenset[str]
    attribution_heads: frozenset[str]
    number_words: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class Title:
    """A role title: its words (lower case), and whether its bearer leads or belongs."""

    words: tuple[str, ...]
    relation: str  # "leaderOf" or "memberOf"; "" for ranks, which name no relation


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one per process, a key of caches
class Lexicon:
    """Every table of the extract stage, by attribute."""

    signatures: Mapping[str, tuple[frozenset[str], frozenset[str]]]  # predicate -> (subject kinds, object kinds)
    clauses: ClauseVerbs
    events: EventWords
    criticism: Criticism
    places: PlaceWords
    forces: Forces
    deployment: Deployment
    membership: Membership
    backing: Backing
    titles: Titles
    coreference: Coreference
    claims: ClaimWords
    verbs: Mapping[str, VerbEntry]  # CAMEO verb -> default code and frames
    plover: Mapping[str, Coding]  # CAMEO code -> PLOVER coding
    agents: Mapping[str, tuple[str, ...]]  # agent noun -> sectors (GOV, MIL...)

    def coding(self, code: str) -> Coding | None:
        """The PLOVER coding of a CAMEO code, or of its nearest parent code ('1831' -> '183' -> '18')."""
        if code not in self._codings:
            self._codings[code] = self._coding(code)
        return self._codings[code]

    @cached_property
    def _codings(self) -> dict[str, Coding | None]:
        """The codings found so far, by CAMEO code: each is asked for at every coded word."""
        return {}

    def _coding(self, code: str) -> Coding | None:
        for n in range(len(code), 1, -1):
            found = self.plover.get(code[:n])
            if found is not None:
                return found if found.code == code else Coding(code, found.kind, found.mode, found.context)
        return None

    @cached_property
    def title_table(self) -> Mapping[tuple[str, ...], Title]:
        """Every title by its token sequence ('prime minister' and 'no. 2' as 'no', '.', '2')."""
        return MappingProxyType(_title_table(self.titles))

    @cached_property
    def event_noun_parts(self) -> frozenset[str]:
        """Each event noun key, and what comes before and after each of its spaces ('hunger', 'strike',
        'call', 'for'): a noun none of whose forms is one of them has no key."""
        parts: set[str] = set()
        for key in self.events.nouns:
            parts.add(key)
            for n, char in enumerate(key):
                if char == " ":
                    parts.update((key[:n], key[n + 1 :]))
        return frozenset(parts)

    @cached_property
    def title_words(self) -> frozenset[str]:
        """Every word of a title."""
        return frozenset(w for words in self.title_table for w in words)

    @cached_property
    def max_title_len(self) -> int:
        return max((len(k) for k in self.title_table), default=1)

    @cached_property
    def target_preps(self) -> Mapping[EventType, frozenset[str]]:
        return MappingProxyType({EventType(k): v for k, v in self.events.target_preps.items()})

    @cached_property
    def act_nouns(self) -> frozenset[str]:
        """Nouns that name an act, so that the act can stand for its agent ('the US strikes')."""
        return frozenset(k for k in self.events.nouns if " " not in k) | self.events.act_nouns

    @cached_property
    def victim_kind(self) -> Mapping[str, str]:
        """Casualty verb -> 'fatalities' or 'injuries'."""
        return MappingProxyType({verb: kind for kind, verbs in self.events.victim_verbs.items() for verb in verbs})

    @cached_property
    def assault_verbs(self) -> frozenset[str]:
        """Verbs the CAMEO dictionary codes as an assault by default ('attack', 'strike', 'shell')."""
        return frozenset(
            verb for verb, entry in self.verbs.items()
            if " " not in verb and entry.code and (c := self.coding(entry.code)) and c.kind is EventType.ASSAULT
        )


SECTIONS: dict[str, type] = {
    "clauses": ClauseVerbs, "events": EventWords, "criticism": Criticism, "places": PlaceWords, "forces": Forces,
    "deployment": Deployment, "membership": Membership, "backing": Backing, "titles": Titles,
    "coreference": Coreference, "claims": ClaimWords,
}


def _table(value: Any, hint: Any, where: str) -> Any:
    """One table converted to the type its field declares, or LexiconError naming it."""
    text = str(hint)
    if text.startswith("frozenset"):
        if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
            raise LexiconError(f"lexicon.json: {where} must be a list of words")
        return frozenset(w.lower() for w in value)
    if not isinstance(value, dict):
        raise LexiconError(f"lexicon.json: {where} must be a table")
    items = {k: v for k, v in value.items() if not k.startswith("_")}
    if text.endswith("frozenset[str]]"):
        return MappingProxyType({k: _table(v, "frozenset", f"{where}.{k}") for k, v in items.items()})
    if text.endswith("tuple[str, ...]]"):
        if not all(isinstance(v, list) and all(isinstance(w, str) for w in v) for v in items.values()):
            raise LexiconError(f"lexicon.json: {where} must map words to lists of words")
        return MappingProxyType({k: tuple(v) for k, v in items.items()})
    kind = int if text.endswith("int]") else str
    if not all(isinstance(v, kind) for v in items.values()):
        raise LexiconError(f"lexicon.json: {where} must map words to {kind.__name__}s")
    return MappingProxyType(items)


def _section(cls: type, raw: Any, name: str) -> Any:
    return read_section(cls, raw, name, _table, lambda message: LexiconError(f"lexicon.json: {message}"))


def _signatures(raw: Any) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    if not isinstance(raw, dict):
        raise LexiconError("lexicon.json: section 'signatures' is missing or not a table")
    found = {}
    for predicate, pair in raw.items():
        if predicate.startswith("_"):
            continue
        if predicate not in set(Predicate):
            raise LexiconError(f"lexicon.json: signatures.{predicate} is no predicate of kg.vocab.Predicate")
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(side, list) for side in pair)):
            raise LexiconError(f"lexicon.json: signatures.{predicate} must be [subject kinds, object kinds]")
        found[predicate] = (frozenset(pair[0]), frozenset(pair[1]))
    missing = sorted(p.value for p in Predicate if p.value not in found)
    if missing:
        raise LexiconError(f"lexicon.json: signatures has no {missing[0]!r}")
    return found


def _title_keys(title: str) -> set[tuple[str, ...]]:
    """Token sequences a title may appear as: 'No. 2' is ('no.', '2') or ('no', '.', '2')."""
    words = title.lower().split()
    split: list[str] = []
    for word in words:
        if len(word) > 1 and word.endswith("."):
            split.extend([word[:-1], "."])
        else:
            split.append(word)
    return {tuple(words), tuple(split)}


def _title_table(titles: Titles) -> dict[tuple[str, ...], Title]:
    table: dict[tuple[str, ...], Title] = {}
    for words, relation in ((titles.ranks, ""), (titles.member, "memberOf"), (titles.leader, "leaderOf"),
                            (frozenset(titles.departments), "leaderOf")):
        for word in sorted(words):
            for key in _title_keys(word):
                table[key] = Title(tuple(word.lower().split()), relation)
    return table


def build_lexicon(raw: Mapping[str, Any], cameo: Mapping[str, Any]) -> Lexicon:
    """The typed lexicon from the parsed lexicon.json and cameo.json; a malformed table fails here, named."""
    verbs, plover, agents = build_cameo(cameo)
    if not isinstance(raw, dict):
        raise LexiconError("lexicon.json: expected a JSON object of sections")
    unknown = sorted(k for k in raw if not k.startswith("_") and k not in SECTIONS and k != "signatures")
    if unknown:
        raise LexiconError(f"lexicon.json: unknown section {unknown[0]!r}")
    parts = {name: _section(cls, raw.get(name), name) for name, cls in SECTIONS.items()}
    lexicon = Lexicon(signatures=_signatures(raw.get("signatures")), verbs=verbs, plover=plover, agents=agents, **parts)
    bad = sorted(k for k in lexicon.events.target_preps if k not in set(EventType))
    if bad:
        raise LexiconError(f"lexicon.json: events.target_preps.{bad[0]} is no PLOVER type")
    return lexicon


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The packaged lexicon, read, checked and indexed once per process."""
    tables = []
    for name in ("lexicon.json", "cameo.json"):
        path = files("kg") / "data" / name
        try:
            tables.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:
            raise LexiconError(f"cannot read the lexicon {path}: {exc}") from exc
    return build_lexicon(tables[0], tables[1])

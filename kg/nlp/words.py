"""The word lists of the entity components, typed and checked at load.

``kg/data/names.json`` holds them by section (the job that reads them); :func:`load_words`
turns the file into one :class:`NameWords` whose tables the code names by attribute
(``WORDS.furniture.credit_cues``). Every table a section class declares must be in the file,
and every table in the file must be declared; a class a table gives must be a class of the
ontology, and no word may be given two: a misspelt table or class fails at load, naming it,
never in the middle of a build.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from types import MappingProxyType
from typing import Any, get_type_hints

from kg.errors import KGError
from kg.sections import read_section
from kg.vocab import CLASS_TOP


class WordListError(KGError):
    """The word lists of the NLP stage (kg/data/names.json) are missing or malformed."""


# Each class is one section of names.json; its fields are the section's tables. A field typed
# frozenset[str] is a word list (lower case); Mapping[str, str] maps a word to a class, and is
# written in the file the other way round, class -> words.


@dataclass(frozen=True)
class Types:
    """What a name is (see kg.nlp.entity_fixes)."""

    head_classes: Mapping[str, str]  # a head word inside or right after a name -> its class
    place_nouns: Mapping[str, str]  # "the city of X", "the province of X" -> X's class
    organization_heads: frozenset[str]  # a run of capitalised words ending in one is an organisation's name
    name_heads: frozenset[str]  # a lower-case head after an unknown name is part of it: "the Radwan force"
    person_titles: frozenset[str]  # a capitalised title before a name makes it a person's
    particles: frozenset[str]  # words a capitalised name may hold in lower case ("Republic of the Congo")


@dataclass(frozen=True)
class NotNames:
    """Capitalised words that are no actor's name because of the word after them."""

    state_sets: frozenset[str]  # "the Gulf Arab states": a modifier of a set of states
    event_heads: frozenset[str]  # "the Arbaeen pilgrimage": an occasion
    document_heads: frozenset[str]  # "the UN Charter", "the Non-Proliferation Treaty": a text or a deal
    section_labels: frozenset[str]  # "Explainer: …", "Analysis: …": a page label


@dataclass(frozen=True)
class Furniture:
    """Credits, bylines and share buttons (see kg.nlp.furniture)."""

    credit_cues: frozenset[str]  # "Credit: Jane Doe/AFP", "Photo by …"
    credit_nouns: frozenset[str]  # "(Archive photo)", "(File picture)": the word before is no actor
    byline_verbs: frozenset[str]  # "Reporting by …; Editing by …"
    share_verbs: frozenset[str]  # "Join us on WhatsApp"


@dataclass(frozen=True)
class Capitals:
    """Whether a capital's name is the city or its state (see kg.nlp.capitals)."""

    city_prepositions: frozenset[str]  # "in Tehran", "to Tehran": the city
    state_prepositions: frozenset[str]  # "backed by Tehran", "talks with Tehran": the state
    address_verbs: frozenset[str]  # "urged Baghdad to act": the object is addressed, so a government
    urban_nouns: frozenset[str]  # "Tehran's streets" are the city's; "Tehran's stance" is the state's


@dataclass(frozen=True)
class Aliases:
    """Names that rename another (see kg.nlp.aliases, kg.nlp.entity_fixes)."""

    cues: frozenset[str]  # "Jurf al-Nasr (formerly Jurf al-Sakhar)"
    indefinite: frozenset[str]  # before a contextual alias these make it a common noun: "a coalition of fighters"


@dataclass(frozen=True)
class NameWords:
    """Every word list of the entity components, by attribute."""

    types: Types
    not_names: NotNames
    furniture: Furniture
    capitals: Capitals
    aliases: Aliases


def _table(value: Any, hint: Any, where: str) -> frozenset[str] | Mapping[str, str]:
    """One table converted to the type its field declares, or WordListError naming it."""
    if str(hint).startswith("frozenset"):
        return frozenset(_words(value, where))
    if not isinstance(value, dict):
        raise WordListError(f"names.json: {where} must be a table of classes to lists of words")
    found: dict[str, str] = {}
    for cls, words in value.items():
        if cls.startswith("_"):
            continue
        if cls not in CLASS_TOP:
            raise WordListError(f"names.json: {where}.{cls} is no class of ontology/kg.ttl")
        for word in _words(words, f"{where}.{cls}"):
            if word in found:
                raise WordListError(f"names.json: {where}: {word!r} is under both {found[word]} and {cls}")
            found[word] = cls
    return MappingProxyType(found)


def _words(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
        raise WordListError(f"names.json: {where} must be a list of words")
    return [w.lower() for w in value]


def _section(cls: type, raw: Any, name: str) -> Any:
    return read_section(cls, raw, name, _table, lambda message: WordListError(f"names.json: {message}"))


def build_words(raw: Any) -> NameWords:
    """The typed word lists from the parsed names.json; a missing, unknown or malformed table fails here, named."""
    if not isinstance(raw, dict):
        raise WordListError("names.json: expected a JSON object of sections")
    sections = get_type_hints(NameWords)
    unknown = sorted(k for k in raw if not k.startswith("_") and k not in sections)
    if unknown:
        raise WordListError(f"names.json: unknown section {unknown[0]!r}")
    return NameWords(**{name: _section(cls, raw.get(name), name) for name, cls in sections.items()})


@lru_cache(maxsize=1)
def load_words() -> NameWords:
    """The packaged word lists, read and checked once per process."""
    path = files("kg") / "data" / "names.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise WordListError(f"cannot read the word lists {path}: {exc}") from exc
    return build_words(raw)

"""The trigger lexicon of the relation rules, read once from ``kg/data/lexicon.json``.

The JSON holds wording only (trigger verbs and nouns per predicate, role titles,
backing modifiers, force nouns); this module turns it into lookup tables.
"""

from __future__ import annotations

from types import MappingProxyType

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from typing import Any

from kg.errors import KGError

PREPOSITIONS = frozenset(
    "on upon with to at against of by alongside for into from about over onto toward towards behind".split()
)


class LexiconError(KGError):
    """The lexicon file is missing or malformed."""


@dataclass(frozen=True, slots=True)
class VerbFrame:
    """One wording of a predicate around a verb: ``lemma [extra words] [prep]``."""

    predicate: str
    lemma: str
    prep: str | None = None
    extra: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Title:
    """A role title: its words (lower case), and whether its bearer leads or belongs."""

    words: tuple[str, ...]
    relation: str  # "leaderOf" or "memberOf"; "" for ranks, which name no relation


@dataclass(frozen=True)
class Lexicon:
    """Lookup tables built from the lexicon JSON."""

    raw: Mapping[str, Any]
    verb_frames: Mapping[str, tuple[VerbFrame, ...]] = field(default_factory=dict)
    mutual_verbs: Mapping[str, str] = field(default_factory=dict)
    noun_frames: Mapping[str, tuple[tuple[str, tuple[str, ...]], ...]] = field(default_factory=dict)
    between_nouns: Mapping[str, str] = field(default_factory=dict)
    titles: Mapping[tuple[str, ...], Title] = field(default_factory=dict)
    signatures: Mapping[str, tuple[frozenset[str], frozenset[str]]] = field(default_factory=dict)
    # Word sets already built by ``words``: rules ask for them for every token.
    _word_sets: dict[tuple[str, ...], frozenset[str]] = field(default_factory=dict, compare=False, repr=False)
    _tables: dict[tuple[str, ...], Mapping[str, Any]] = field(default_factory=dict, compare=False, repr=False)

    # Shortcuts into the raw tables.
    def words(self, *path: str) -> frozenset[str]:
        """A word list of the JSON as a set, e.g. ``words('force_nouns', 'lemmas')``."""
        found = self._word_sets.get(path)
        if found is None:
            node: Any = self.raw
            for key in path:
                node = node[key]
            found = self._word_sets[path] = frozenset(w.lower() for w in node)
        return found

    def table(self, *path: str) -> Mapping[str, Any]:
        found = self._tables.get(path)
        if found is None:
            node: Any = self.raw
            for key in path:
                node = node[key]
            found = self._tables[path] = MappingProxyType({k: v for k, v in node.items() if not k.startswith("_")})
        return found

    @property
    def max_title_len(self) -> int:
        return max((len(k) for k in self.titles), default=1)


def _verb_frames(raw: Mapping[str, Any]) -> dict[str, tuple[VerbFrame, ...]]:
    frames: dict[str, list[VerbFrame]] = {}
    for predicate, entries in raw.items():
        if predicate.startswith("_"):
            continue
        for entry in entries:
            words = entry.lower().split()
            prep = words[-1] if len(words) > 1 and words[-1] in PREPOSITIONS else None
            extra = tuple(words[1:-1] if prep else words[1:])
            frames.setdefault(words[0], []).append(VerbFrame(predicate, words[0], prep, extra))
    return {k: tuple(v) for k, v in frames.items()}


def _noun_frames(raw: Mapping[str, Any]) -> dict[str, tuple[tuple[str, tuple[str, ...]], ...]]:
    frames: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for predicate, nouns in raw.items():
        if predicate.startswith("_"):
            continue
        for noun, preps in nouns.items():
            frames.setdefault(noun.lower(), []).append((predicate, tuple(preps)))
    return {k: tuple(v) for k, v in frames.items()}


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


def _titles(raw: Mapping[str, Any]) -> dict[tuple[str, ...], Title]:
    titles: dict[tuple[str, ...], Title] = {}
    for word in raw["ranks"]:
        for key in _title_keys(word):
            titles[key] = Title(tuple(word.lower().split()), "")
    for relation, group in (("memberOf", "member"), ("leaderOf", "leader")):
        for word in raw[group]:
            for key in _title_keys(word):
                titles[key] = Title(tuple(word.lower().split()), relation)
    for word in raw["departments"]:
        for key in _title_keys(word):
            titles[key] = Title(tuple(word.lower().split()), "leaderOf")
    return titles


def build_lexicon(raw: Mapping[str, Any]) -> Lexicon:
    """Turn the parsed JSON into lookup tables."""
    try:
        mutual = {
            lemma: predicate
            for predicate, lemmas in raw["mutual_verbs"].items()
            if not predicate.startswith("_")
            for lemma in lemmas
        }
        between = {
            noun: predicate
            for predicate, nouns in raw["between_nouns"].items()
            if not predicate.startswith("_")
            for noun in nouns
        }
        signatures = {
            p: (frozenset(v[0]), frozenset(v[1])) for p, v in raw["signatures"].items() if not p.startswith("_")
        }
        return Lexicon(
            raw=raw,
            verb_frames=_verb_frames(raw["verbs"]),
            mutual_verbs=mutual,
            noun_frames=_noun_frames(raw["nouns"]),
            between_nouns=between,
            titles=_titles(raw["titles"]),
            signatures=signatures,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise LexiconError(f"malformed relation lexicon: {exc!r}") from exc


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The packaged lexicon, read and indexed once per process."""
    path = files("kg") / "data" / "lexicon.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LexiconError(f"cannot read the relation lexicon {path}: {exc}") from exc
    return build_lexicon(raw)

"""The entity components' word lists: data checked at load, by attribute; a missing or misspelt table fails, named."""

from __future__ import annotations

import copy
import json
import re
from importlib.resources import files
from typing import Any

import pytest

from kg.nlp.words import NameWords, WordListError, build_words, load_words
from kg.vocab import CLASS_TOP


def _raw() -> dict[str, Any]:
    return json.loads((files("kg") / "data" / "names.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_the_packaged_word_lists_load_typed() -> None:
    words = load_words()
    assert isinstance(words, NameWords)
    assert words.types.head_classes["brigade"] == "ArmedGroup"
    assert words.types.place_nouns["city"] == "Settlement"
    assert "treaty" in words.not_names.document_heads and "credit" in words.furniture.credit_cues
    assert "urge" in words.capitals.address_verbs and "formerly" in words.aliases.cues
    assert set(words.types.head_classes.values()) <= set(CLASS_TOP)


def test_every_table_of_the_file_is_declared_and_every_declared_table_is_there() -> None:
    raw = _raw()
    words = build_words(raw)
    for section, tables in raw.items():
        if section.startswith("_"):
            continue
        declared = vars(getattr(words, section))
        assert {name for name in tables if not name.startswith("_")} == set(declared), section


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda raw: raw["furniture"].pop("share_verbs"), "section 'furniture' has no table 'share_verbs'"),
        (lambda raw: raw["furniture"].update(share_verb=["join"]), "unknown table furniture.share_verb"),
        (lambda raw: raw.update(furnitures={}), "unknown section 'furnitures'"),
        (lambda raw: raw.pop("capitals"), "section 'capitals' is missing"),
        (lambda raw: raw["aliases"].update(cues="formerly"), "aliases.cues must be a list of words"),
        (lambda raw: raw["aliases"].update(cues=["formerly", 3]), "aliases.cues must be a list of words"),
        (lambda raw: raw["types"].update(name_heads={"force": 1}), "types.name_heads must be a list of words"),
        (lambda raw: raw["types"]["head_classes"].update(Brigade=["x"]), "types.head_classes.Brigade is no class"),
        (lambda raw: raw["types"]["place_nouns"].update(Region=["city"]), "'city' is under both Settlement and Region"),
        (lambda raw: raw["types"].update(place_nouns=["city"]), "types.place_nouns must be a table"),
    ],
)
def test_a_malformed_table_fails_at_load_naming_it(change: Any, message: str) -> None:
    raw = copy.deepcopy(_raw())
    change(raw)
    with pytest.raises(WordListError, match=re.escape(message)):
        build_words(raw)


def test_words_are_matched_in_lower_case() -> None:
    raw = copy.deepcopy(_raw())
    raw["furniture"]["share_verbs"] = ["Join", "FOLLOW"]
    assert build_words(raw).furniture.share_verbs == frozenset({"join", "follow"})

"""The typed lexicon: every table by attribute, checked at load; a missing or misspelt table fails, named."""

from __future__ import annotations

import copy
import json
from importlib.resources import files
from typing import Any

import pytest

from kg.extract.lexicon import Coding, LexiconError, build_lexicon, load_lexicon
from kg.vocab import EventType, Predicate


def _raw() -> tuple[dict[str, Any], dict[str, Any]]:
    data = files("kg") / "data"
    return (json.loads((data / "lexicon.json").read_text(encoding="utf-8")),
            json.loads((data / "cameo.json").read_text(encoding="utf-8")))


def test_the_packaged_lexicon_loads_with_every_table_typed() -> None:
    lexicon = load_lexicon()
    assert "say" in lexicon.clauses.speech and "promise" in lexicon.clauses.intent
    assert lexicon.backing.prefixes["pro"] == "backedBy"
    assert lexicon.claims.number_words["twelve"] == 12
    assert set(lexicon.signatures) == {p.value for p in Predicate}
    assert set(lexicon.target_preps) <= set(EventType)
    assert ("prime", "minister") in lexicon.title_table
    # the CAMEO tables: a verb's default code, its PLOVER coding, and the agent nouns
    assert lexicon.verbs["kill"].code == "190" and lexicon.coding("190") == Coding("190", EventType.ASSAULT, "", "military")
    assert lexicon.agents["official"] == ("GOV",)
    assert "attack" in lexicon.assault_verbs and "meet" not in lexicon.assault_verbs


def test_a_code_without_a_row_takes_its_parents() -> None:
    lexicon = load_lexicon()
    coding = lexicon.coding("1952")
    assert coding is not None and coding.code == "1952" and coding.kind is EventType.ASSAULT


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda raw: raw["backing"].pop("prefixes"), "section 'backing' has no table 'prefixes'"),
        (lambda raw: raw["backing"].__setitem__("prefixs", {}), "unknown table backing.prefixs"),
        (lambda raw: raw.__setitem__("bakcing", {}), "unknown section 'bakcing'"),
        (lambda raw: raw["clauses"].__setitem__("speech", "say"), "clauses.speech must be a list of words"),
        (lambda raw: raw["claims"]["number_words"].__setitem__("two", "2"), "claims.number_words must map words to ints"),
        (lambda raw: raw["signatures"].__setitem__("attackd", [["Actor"], ["Actor"]]), "signatures.attackd is no predicate"),
        (lambda raw: raw["signatures"].pop("attacked"), "signatures has no 'attacked'"),
        (lambda raw: raw["events"]["target_preps"].__setitem__("ATTACK", ["on"]), "events.target_preps.ATTACK is no PLOVER type"),
    ],
)
def test_a_malformed_table_fails_at_load_naming_it(change: Any, message: str) -> None:
    raw, cameo = _raw()
    broken = copy.deepcopy(raw)
    change(broken)
    with pytest.raises(LexiconError, match=message.replace(".", r"\.").replace("(", r"\(")):
        build_lexicon(broken, cameo)


def test_a_malformed_cameo_table_fails_at_load() -> None:
    raw, cameo = _raw()
    broken = copy.deepcopy(cameo)
    broken["plover"]["190"]["type"] = "BATTLE"
    with pytest.raises(LexiconError, match="plover"):
        build_lexicon(raw, broken)

"""kg.gold: names normalised as the contract says; gold files read, checked and merged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.errors import GoldError
from kg.gold import Gold, load_gold, normalise, relation_key

from .gold_files import SEEDS, ent, rel, two_articles, write_gold


@pytest.fixture
def gold(tmp_path: Path) -> Gold:
    return two_articles(tmp_path)


# ---------------------------------------------------------------- normalisation


@pytest.mark.parametrize(("name", "expected"), [
    ("Mohamed Chia al-Soudani", "mohamed chia al soudani"),   # '-' to space, casefold
    ("Ḥashd al-Shaʿbī", "hashd al shaʿbi"),                    # combining marks dropped
    ("Café", "cafe"),
    ("Sudani’s", "sudani"),                                   # curly quote, then possessive
    ("Sudani's", "sudani"),
    ("Mohammed Shia’ al-Sudani", "mohammed shia al sudani"),  # a bare apostrophe is a space
    ("U.S.", "u s"),
    ("Ms. Nuland", "ms nuland"),
    ("hashd_al_shaabi", "hashd al shaabi"),
    ("“Islamic Resistance”, (Iraq)!", "islamic resistance iraq"),  # other punctuation removed
    ("The Islamic Resistance in Iraq", "islamic resistance in iraq"),
    ("  the   Hague ", "hague"),                              # white space collapsed
    ("Theodore", "theodore"),                                # only a whole leading word 'the'
    ("Iraq the Great", "iraq the great"),
    ("ＩＲＡＱ", "iraq"),                                    # NFKD folds compatibility forms
])
def test_normalise(name: str, expected: str) -> None:
    assert normalise(name) == expected


# ---------------------------------------------------------------- gold


def test_load_gold_merges_files(gold: Gold) -> None:
    ids = [e.id for e in gold.entities]
    assert ids == ["victoria-nuland", "mohammed-shia-al-sudani", "iraq", "canada", "islamic-resistance-in-iraq"]
    iraq = next(e for e in gold.entities if e.id == "iraq")
    assert iraq.aliases == ("Iraq", "Iraqi government")
    assert [e.id for e in gold.required_entities] == [i for i in ids if i != "canada"]
    assert len(gold.relations) == 4
    assert gold.files == ("000_a.json", "001_b.json")


def test_load_gold_required_anywhere_is_required(tmp_path: Path) -> None:
    write_gold(tmp_path, "a.json", [ent("iraq", "Iraq", "Place", optional=True), ent("iran", "Iran", "Place")],
               [rel("iran", "attacked", "iraq", optional=True)])
    write_gold(tmp_path, "b.json", [ent("iraq", "Republic of Iraq", "Organization"), ent("iran", "Iran", "Place")],
               [rel("iran", "attacked", "iraq"), rel("iraq", "consulted", "iran", optional=True)])
    gold = load_gold(tmp_path)
    iraq = gold.entities[0]
    assert (iraq.label, iraq.type, iraq.optional) == ("Iraq", "Place", False)  # label/type from the first file
    assert iraq.aliases == ("Iraq", "Republic of Iraq")
    assert gold.required_relations == {("iran", "attacked", "iraq")}
    assert gold.optional_relations == {relation_key("iraq", "consulted", "iran")}


def test_load_shipped_seed_gold() -> None:
    files = sorted(SEEDS.glob("*.json"))
    assert len(files) == 5
    data = [json.loads(f.read_text(encoding="utf-8")) for f in files]
    required_ids = {e["id"] for d in data for e in d["entities"] if not e.get("optional")}
    all_ids = {e["id"] for d in data for e in d["entities"]}
    required_relations = {relation_key(r["s"], r["p"], r["o"])
                          for d in data for r in d["relations"] if not r.get("optional")}

    gold = load_gold(SEEDS)
    assert {e.id for e in gold.entities} == all_ids
    assert {e.id for e in gold.required_entities} == required_ids
    assert gold.required_relations == required_relations
    assert len(gold.relations) == sum(len(d["relations"]) for d in data)
    assert gold.files == tuple(f.name for f in files)


@pytest.mark.parametrize(("content", "problem"), [
    ("{not json", "invalid JSON"),
    ("[]", "expected a JSON object"),
    ('{"relations": []}', "'entities'"),
    ('{"entities": [{"label": "Iraq", "type": "Place", "aliases": []}]}', "'id'"),
    ('{"entities": [{"id": "iraq", "label": "Iraq", "type": "Country", "aliases": []}]}', "type 'Country'"),
    ('{"entities": [{"id": "iraq", "label": "Iraq", "type": "Place", "aliases": "Iraq"}]}', "aliases"),
    ('{"entities": [{"id": "iraq", "label": "Iraq", "type": "Place", "aliases": [], "optional": "yes"}]}',
     "optional"),
    ('{"entities": [{"id": "iraq", "label": "Iraq", "type": "Place"}], '
     '"relations": [{"s": "iraq", "p": "metWith", "o": "iraq"}]}', "unknown predicate 'metWith'"),
    ('{"entities": [{"id": "iraq", "label": "Iraq", "type": "Place"}], '
     '"relations": [{"s": "iraq", "p": "attacked", "o": "iran"}]}', "unknown entity id 'iran'"),
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ('{"entities": [], "n": ' + "1" * 5000 + "}", "unreadable JSON: Exceeds the limit (4300 digits)"),
    ('{"entities": [{"id": "iraq", "label": "Ira\\ud800", "type": "Place"}]}', "lone surrogate ('\\ud800')"),
    ('{"article": 3, "entities": []}', "'article' must be a string"),
    ('{"entities": {"id": "iraq"}}', "'entities' must be a list, got dict"),
    ('{"entities": [{"id": 7, "label": "Iraq", "type": "Place"}]}', "'id' must be a str, got int"),
    ('{"entities": [{"id": "iraq", "type": "Place"}]}', "has no 'label'"),
    ('{"entities": [{"id": "iraq", "label": "Iraq", "type": "Place"}], "relations": [{"s": "iraq", "p": "attacked"}]}',
     "has no 'o'"),
    ('{"entities": [{"id": "iraq", "label": "Iraq", "type": "Place"}], '
     '"relations": [{"s": "iraq", "p": "attacked", "o": "iraq", "evidence": 1}]}', "'evidence' must be a string"),
])
def test_malformed_gold_raises_naming_the_file(tmp_path: Path, content: str, problem: str) -> None:
    write_gold(tmp_path, "000_ok.json", [ent("iraq", "Iraq", "Place")])
    (tmp_path / "001_bad.json").write_text(content, encoding="utf-8")
    with pytest.raises(GoldError, match="001_bad.json") as raised:
        load_gold(tmp_path)
    assert problem in str(raised.value)


def test_empty_gold_directory_raises(tmp_path: Path) -> None:
    with pytest.raises(GoldError, match="no"):
        load_gold(tmp_path)
    with pytest.raises(GoldError, match="not a directory"):
        load_gold(tmp_path / "missing")

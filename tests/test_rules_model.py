"""The non-event relation families end to end: the real model, the new extractor, invented sentences."""

from __future__ import annotations

import pytest

from kg.extract.extractor import extract_article
from kg.gazetteer import Gazetteer
from kg.model import Article

from .rule_docs import DATE, rule_gazetteer, triples

pytestmark = pytest.mark.model

FAMILIES = {"memberOf", "leaderOf", "backedBy", "affiliatedWith", "locatedIn", "deployedIn"}

CASES = [
    ("The Northern Shield Brigade is led by Hassan Jaber.",
     {("Hassan Jaber", "leaderOf", "Northern Shield Brigade")}),
    ("Laila Nasser, a senior adviser to Iraqi President Omar Farouk, said the talks would resume.",
     {("Laila Nasser", "memberOf", "Iraqi"), ("Omar Farouk", "leaderOf", "Iraqi")}),
    ("Germany has 150 soldiers in northern Iraq as part of the coalition.",
     {("Germany", "deployedIn", "Iraq"), ("Germany", "memberOf", "coalition")}),
    ("Erbil, the capital of the Kurdistan Region, hosts a coalition air base.",
     {("Erbil", "locatedIn", "Kurdistan Region")}),
    ("The Iran-backed Kataib Hezbollah fired rockets at US forces in Syria.",
     {("Kataib Hezbollah", "backedBy", "Iran"), ("US", "deployedIn", "Syria")}),
    ("Iran denied arming the Northern Shield Brigade.", set()),
]


@pytest.fixture(scope="module")
def gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    return rule_gazetteer(tmp_path_factory.mktemp("gaz"))


@pytest.fixture(scope="module")
def nlp(gazetteer: Gazetteer):  # type: ignore[no-untyped-def]
    from kg.nlp import build_pipeline

    return build_pipeline(gazetteer=gazetteer)


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_families_on_invented_sentences(nlp, gazetteer: Gazetteer, text: str, expected: set) -> None:  # type: ignore[no-untyped-def]
    doc = nlp(text)
    found = extract_article(doc, Article("t", "t", "", text, date=DATE), gazetteer).relations
    got = {t for t in triples(text, list(found)) if t[1] in FAMILIES}
    assert got == expected

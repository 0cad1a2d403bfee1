"""Entity components on a blank pipeline: statistical entities are set by hand."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.entities import mentions
from kg.gazetteer import Gazetteer
from kg.model import Article
from kg.nlp import add_components


@pytest.fixture
def nlp(small_gazetteer: Gazetteer) -> Language:
    nlp = spacy.blank("en")
    add_components(nlp, small_gazetteer)
    return nlp


def _run(nlp: Language, text: str, ents: list[tuple[str, str]] = (), pos: dict[str, str] | None = None) -> Doc:  # type: ignore[assignment]
    """Tokenize, set the 'statistical' entities and POS given, then run kg's components."""
    doc = nlp.make_doc(text)
    for token in doc:
        token.pos_ = (pos or {}).get(token.text, "PROPN" if token.is_title else "NOUN")
    spans, cursor = [], 0
    for surface, label in ents:
        start = text.index(surface, cursor)
        cursor = start + len(surface)
        spans.append(doc.char_span(start, cursor, label=label))
    doc.ents = spans
    for _, component in nlp.pipeline:
        doc = component(doc)
    return doc


def _ents(doc: Doc) -> list[tuple[str, str]]:
    return [(e.text, e.label_) for e in doc.ents]


def test_gazetteer_matches_any_transliteration_and_keeps_acronyms_case_sensitive(nlp: Language) -> None:
    doc = _run(nlp, "Hachd al-Chaabi fighters told us that the US would stay.")
    assert ("Hachd al-Chaabi", "ArmedGroup") in _ents(doc)
    assert ("US", "Country") in _ents(doc)
    assert all(e.text != "us" for e in doc.ents)
    assert next(e for e in doc.ents if e.text == "US").ent_id_ == "united-states"


def test_gazetteer_overrides_a_wrong_statistical_label(nlp: Language) -> None:
    doc = _run(nlp, "Then Hashd al-Shaabi confirmed it.", [("Hashd al-Shaabi", "PERSON")], pos={"Then": "ADV"})
    assert _ents(doc) == [("Hashd al-Shaabi", "ArmedGroup")]


def test_a_longer_statistical_name_is_not_cut_down_to_the_place_inside_it(nlp: Language) -> None:
    doc = _run(nlp, "The Islamic Resistance in Iraq claimed it.", [("Islamic Resistance in Iraq", "ORG")])
    assert _ents(doc) == [("Islamic Resistance in Iraq", "ArmedGroup")]


def test_demonyms_and_titles_around_a_known_name_do_not_make_a_new_name(nlp: Language) -> None:
    doc = _run(nlp, "He met Iraqi Prime Minister Nechirvan Barzani.", [("Iraqi Prime Minister Nechirvan Barzani", "PERSON")])
    assert _ents(doc) == [("Nechirvan Barzani", "Person")]


def test_contextual_alias_only_when_definite(nlp: Language) -> None:
    definite = _run(nlp, "Attacks on the coalition continued.")
    indefinite = _run(nlp, "It is a coalition of fighters.")
    assert _ents(definite) == [("coalition", "InternationalOrganization")]
    assert _ents(indefinite) == []


def test_alias_used_as_a_modifier_is_not_a_mention(nlp: Language) -> None:
    doc = _run(nlp, "An international coalition official spoke.", pos={"coalition": "ADJ"})
    assert _ents(doc) == []


def test_dateline_dash_splits_a_run_on_entity(nlp: Language) -> None:
    doc = _run(nlp, "BASRA, South Region - Northern Alliance leaders met.", [("South Region - Northern Alliance", "GPE")])
    assert ("South Region", "Region") in _ents(doc)
    # "Alliance" heads the name of a political bloc, whatever the model's coarse label.
    assert ("Northern Alliance", "PoliticalParty") in _ents(doc)


def test_apostrophe_split_person_is_joined(nlp: Language) -> None:
    doc = _run(nlp, "He called Ahmed Shia’ al-Rubaie today.", [("Ahmed Shia", "PERSON"), ("al-Rubaie", "PERSON")])
    assert _ents(doc) == [("Ahmed Shia’ al-Rubaie", "Person")]


def test_person_extended_over_a_missed_given_name(nlp: Language) -> None:
    doc = _run(nlp, "Karim Talib al-Dulaimi died.", [("Talib al-Dulaimi", "PERSON")])
    assert _ents(doc) == [("Karim Talib al-Dulaimi", "Person")]


def test_types_from_head_words_and_location_context(nlp: Language) -> None:
    doc = _run(
        nlp,
        "The al-Abbas movement attacked in Jurf al-Milh. Saraya Awliya Brigades fired.",
        [("al-Abbas", "GPE"), ("Jurf al-Milh", "PERSON"), ("Saraya Awliya Brigades", "PERSON")],
        pos={"movement": "NOUN"},
    )
    assert ("al-Abbas", "ArmedGroup") in _ents(doc)
    assert ("Jurf al-Milh", "Place") in _ents(doc)
    assert ("Saraya Awliya Brigades", "ArmedGroup") in _ents(doc)


def test_photo_credits_and_lone_titles_are_dropped(nlp: Language) -> None:
    doc = _run(nlp, "The minister in Rome. (Archive photo) Secretary of State", [("Archive", "ORG"), ("State", "ORG")])
    assert _ents(doc) == []


def test_bracketed_aliases_and_acronyms_link_to_their_long_form(nlp: Language) -> None:
    text = "The Mobilisation Council (MC, or Majlis al-Hashd) met. Later the MC said no. Berlin (Germany) too."
    doc = _run(nlp, text, [("Mobilisation Council", "ORG"), ("Majlis al-Hashd", "PERSON"), ("Berlin", "GPE"), ("Germany", "GPE")])
    article = Article(id="a", origin="a.txt", title="t", text=text)
    found = {(m.text, m.start): m for m in mentions(doc, article)}
    council = (text.index("Mobilisation Council"), text.index("Mobilisation Council") + len("Mobilisation Council"))
    assert found[("MC", text.index("MC"))].alias_of == council
    assert found[("MC", text.rindex("MC"))].alias_of == council
    assert found[("Majlis al-Hashd", text.index("Majlis"))].alias_of == council
    assert found[("Germany", text.index("Germany"))].alias_of is None

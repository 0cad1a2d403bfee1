"""Relation arguments: which actor a token or noun phrase stands for (frozen parses, no model)."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc, Token

from kg.extract.actors import Actors, Arg, noun_forms, unique_args
from kg.extract.lexicon import load_lexicon
from kg.gazetteer import Gazetteer, load_gazetteer
from kg.model import Ref

from .frozen_docs import frozen_doc
from .test_relations import GAZETTEER_TTL


@pytest.fixture(scope="module")
def gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    path = tmp_path_factory.mktemp("gaz") / "gazetteer.ttl"
    path.write_text(GAZETTEER_TTL, encoding="utf-8")
    return load_gazetteer(path)


def _phrase(rows: str, ents: list[tuple[int, int, str]], gazetteer: Gazetteer, head: str) -> tuple[Actors, Token]:
    doc: Doc = frozen_doc(rows, ents, gazetteer)
    return Actors(doc, gazetteer, load_lexicon()), next(t for t in doc if t.text == head)


def _seen(args: list[Arg]) -> list[tuple[str, str | None, str | None, bool]]:
    return [(a.key, a.descriptor, a.sector, a.proxy) for a in args]


def test_a_force_noun_stands_for_its_owner_and_keeps_its_words_and_sector(gazetteer: Gazetteer) -> None:
    actors, forces = _phrase(
        "US|US|PROPN|NNP|compound|1 forces|force|NOUN|NNS|nsubj|2 fired|fire|VERB|VBD|ROOT|2 .|.|PUNCT|.|punct|2|-",
        [(0, 1, "Country")], gazetteer, "forces",
    )
    assert _seen(actors.denote(forces)) == [("united-states", "US forces", "MIL", False)]


@pytest.mark.parametrize(
    ("rows", "head", "expected"),
    [
        # officials act for their state
        ("Iranian|iranian|ADJ|JJ|amod|1 officials|official|NOUN|NNS|nsubj|2 said|say|VERB|VBD|ROOT|2",
         "officials", [("iran", "Iranian officials", "GOV", False)]),
        # protesters are people of the country, not its state
        ("Iraqi|iraqi|ADJ|JJ|amod|1 protesters|protester|NOUN|NNS|nsubj|2 marched|march|VERB|VBD|ROOT|2",
         "protesters", [("iraq", "Iraqi protesters", "OPP", True)]),
        # one person described by a title stands for the state in events only
        (("The|the|DET|DT|det|2 Syrian|syrian|ADJ|JJ|amod|2 president|president|NOUN|NN|nsubj|3 "
          "said|say|VERB|VBD|ROOT|3"), "president", [("syria", "Syrian president", "GOV", True)]),
        # an act is no actor
        ("The|the|DET|DT|det|2 American|american|ADJ|JJ|amod|2 strikes|strike|NOUN|NNS|nsubj|3 went|go|VERB|VBD|ROOT|3",
         "strikes", []),
    ],
)
def test_agent_nouns_act_for_the_state_a_demonym_names(
    gazetteer: Gazetteer, rows: str, head: str, expected: list[tuple[str, str | None, str | None, bool]]
) -> None:
    demonym = next(i for i, row in enumerate(rows.split(" ")) if row.split("|")[2] == "ADJ")
    actors, token = _phrase(rows, [(demonym, demonym + 1, "NORP")], gazetteer, head)
    assert _seen(actors.denote(token)) == expected


def test_fighters_belong_to_their_group_never_to_a_state(gazetteer: Gazetteer) -> None:
    actors, fighters = _phrase(
        "Kataib|Kataib|PROPN|NNP|compound|1 Hezbollah|Hezbollah|PROPN|NNP|compound|2 fighters|fighter|NOUN|NNS|nsubj|3 "
        "fired|fire|VERB|VBD|ROOT|3",
        [(0, 2, "ArmedGroup")], gazetteer, "fighters",
    )
    assert [a.key for a in actors.denote(fighters)] == ["kataib-hezbollah"]
    actors, fighters = _phrase(
        "Iranian|iranian|ADJ|JJ|amod|1 fighters|fighter|NOUN|NNS|nsubj|2 fired|fire|VERB|VBD|ROOT|2",
        [(0, 1, "NORP")], gazetteer, "fighters",
    )
    assert actors.owners(fighters) == []


def test_a_non_state_modifier_leaves_a_force_without_owner(gazetteer: Gazetteer) -> None:
    actors, forces = _phrase(
        "Local|local|ADJ|JJ|amod|2 Syrian|syrian|ADJ|JJ|amod|2 forces|force|NOUN|NNS|nsubj|3 "
        "fired|fire|VERB|VBD|ROOT|3",
        [(1, 2, "NORP")], gazetteer, "forces",
    )
    assert actors.owners(forces) == []


def test_a_site_name_before_a_facility_noun_is_the_site(gazetteer: Gazetteer) -> None:
    actors, outpost = _phrase(
        "The|the|DET|DT|det|4 Tower|Tower|PROPN|NNP|compound|2 22|22|NUM|CD|compound|4 military|military|ADJ|JJ|amod|4 "
        "outpost|outpost|NOUN|NN|nsubj|5 was|be|AUX|VBD|ROOT|5",
        [(1, 3, "MilitaryBase")], gazetteer, "outpost",
    )
    assert [(a.key, a.text) for a in actors.denote(outpost)] == [("tower-22", "Tower 22")]


def test_noun_forms_survive_lemmatizer_slips(gazetteer: Gazetteer) -> None:
    _, bases = _phrase("Israeli|israeli|ADJ|JJ|amod|1 bases|basis|NOUN|NNS|ROOT|1", [], gazetteer, "bases")
    assert {"base", "bases", "basis"} <= noun_forms(bases)


def test_unique_args_keep_the_first_of_each_actor() -> None:
    first, again, other = (Arg(Ref(i, i + 2), "Country", key, "US", i) for i, key in ((0, "us"), (5, "us"), (9, "iq")))
    assert unique_args([first, again, other]) == [first, other]


@pytest.mark.parametrize(
    ("cls", "descriptor", "kinds"),
    [
        ("Country", None, {"Country", "Place", "Actor"}),
        ("Region", None, {"Region", "Place"}),
        ("Region", "Kurdish forces", {"Region", "Place", "Actor"}),
        ("MilitaryBase", None, {"MilitaryBase", "Place", "Site"}),
        ("DiplomaticMission", None, {"DiplomaticMission", "Organization", "Actor", "Site", "Place"}),
        ("Person", None, {"Person", "Actor"}),
    ],
)
def test_argument_kinds_for_the_predicate_signatures(cls: str, descriptor: str | None, kinds: set[str]) -> None:
    assert Arg(Ref(0, 1), cls, "x", "x", 0, descriptor=descriptor).kinds() == kinds

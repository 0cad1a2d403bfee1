"""Place and deployment rules (kg.extract.rules.places): locatedIn and deployedIn.

Frozen parses of invented sentences (see tests/rule_docs.py).
"""

from __future__ import annotations

import pytest

from kg.extract.rules import places
from kg.gazetteer import Gazetteer

from .rule_docs import relations, rule_gazetteer, run

PARSES: dict[str, tuple[str, list[tuple[int, int, str]]]] = {
    # Erbil, the capital of the Kurdistan Region, hosts a coalition air base.
    "capital_of": (
        'Erbil|Erbil|PROPN|NNP|nsubj|9|- ,|,|PUNCT|,|punct|0 the|the|DET|DT|det|3 capital|capital|NOUN|NN|appos|0 of|of|ADP|IN|prep|3 the|the|DET|DT|det|7 Kurdistan|Kurdistan|PROPN|NNP|compound|7 Region|Region|PROPN|NNP|pobj|4|- ,|,|PUNCT|,|punct|0 hosts|host|VERB|VBZ|ROOT|9 a|a|DET|DT|det|13 coalition|coalition|NOUN|NN|compound|13 air|air|NOUN|NN|compound|13 base|base|NOUN|NN|dobj|9|- .|.|PUNCT|.|punct|9|-',
        [(0, 1, 'Settlement'), (6, 8, 'Region')],
    ),
    # Qaim, a town in Anbar, was shelled.
    "town_in": (
        'Qaim|Qaim|PROPN|NNP|nsubjpass|8|- ,|,|PUNCT|,|punct|0 a|a|DET|DT|det|3 town|town|NOUN|NN|appos|0 in|in|ADP|IN|prep|3 Anbar|Anbar|PROPN|NNP|pobj|4|- ,|,|PUNCT|,|punct|0 was|be|AUX|VBD|auxpass|8 shelled|shell|VERB|VBN|ROOT|8|- .|.|PUNCT|.|punct|8|-',
        [(0, 1, 'Settlement'), (5, 6, 'Region')],
    ),
    # Drones struck the Sabra fuel port in Yemen on Monday.
    "port_in": (
        'Drones|drone|NOUN|NNS|nsubj|1 struck|strike|VERB|VBD|ROOT|1 the|the|DET|DT|det|5 Sabra|Sabra|PROPN|NNP|compound|4 fuel|fuel|NOUN|NN|compound|5 port|port|NOUN|NN|dobj|1 in|in|ADP|IN|prep|5 Yemen|Yemen|PROPN|NNP|pobj|6 on|on|ADP|IN|prep|1 Monday|Monday|PROPN|NNP|pobj|8|- .|.|PUNCT|.|punct|1|-',
        [(3, 4, 'Facility'), (7, 8, 'Country'), (9, 10, 'DATE')],
    ),
    # Fighting spread to Sinjar in northern Iraq.
    "place_in": (
        'Fighting|fight|VERB|VBG|nsubj|1 spread|spread|VERB|VBD|ROOT|1 to|to|ADP|IN|prep|1 Sinjar|Sinjar|PROPN|NNP|pobj|2 in|in|ADP|IN|prep|1 northern|northern|ADJ|JJ|amod|6 Iraq|Iraq|PROPN|NNP|pobj|4|- .|.|PUNCT|.|punct|1|-',
        [(3, 4, 'Settlement'), (6, 7, 'Country')],
    ),
    # US forces withdrew from Syria bases, including Camp Delta and Camp Orion.
    "withdrew": (
        'US|US|PROPN|NNP|compound|1 forces|force|NOUN|NNS|nsubj|2 withdrew|withdraw|VERB|VBD|ROOT|2 from|from|ADP|IN|prep|2 Syria|Syria|PROPN|NNP|compound|5 bases|basis|NOUN|NNS|pobj|3|- ,|,|PUNCT|,|punct|5 including|include|VERB|VBG|prep|5 Camp|Camp|PROPN|NNP|compound|9 Delta|Delta|PROPN|NNP|pobj|7 and|and|CCONJ|CC|cc|9 Camp|Camp|PROPN|NNP|compound|12 Orion|Orion|PROPN|NNP|conj|9|- .|.|PUNCT|.|punct|2|-',
        [(0, 1, 'Country'), (4, 5, 'Country'), (8, 10, 'MilitaryBase'), (11, 13, 'MilitaryBase')],
    ),
    # American troops stationed in Iraq were attacked.
    "stationed": (
        'American|american|ADJ|JJ|amod|1 troops|troop|NOUN|NNS|nsubjpass|6 stationed|station|VERB|VBN|acl|1 in|in|ADP|IN|prep|2 Iraq|Iraq|PROPN|NNP|pobj|3 were|be|AUX|VBD|auxpass|6 attacked|attack|VERB|VBN|ROOT|6|- .|.|PUNCT|.|punct|6|-',
        [(0, 1, 'NORP'), (4, 5, 'Country')],
    ),
    # No American troops are in Syria.
    "no_troops": (
        'No|no|DET|DT|det|2 American|american|ADJ|JJ|amod|2 troops|troop|NOUN|NNS|nsubj|3 are|be|AUX|VBP|ROOT|3 in|in|ADP|IN|prep|3 Syria|Syria|PROPN|NNP|pobj|4|- .|.|PUNCT|.|punct|3|-',
        [(1, 2, 'NORP'), (5, 6, 'Country')],
    ),
    # Germany has 150 troops in Iraq and 80 in Jordan.
    "deploy": (
        'Germany|Germany|PROPN|NNP|nsubj|1 has|have|VERB|VBZ|ROOT|1 150|150|NUM|CD|nummod|3 troops|troop|NOUN|NNS|dobj|1 in|in|ADP|IN|prep|3 Iraq|Iraq|PROPN|NNP|pobj|4 and|and|CCONJ|CC|cc|3 80|80|NUM|CD|conj|3 in|in|ADP|IN|prep|7 Jordan|Jordan|PROPN|NNP|pobj|8|- .|.|PUNCT|.|punct|1|-',
        [(0, 1, 'Country'), (2, 3, 'CARDINAL'), (5, 6, 'Country'), (7, 8, 'CARDINAL'), (9, 10, 'Country')],
    ),
    # Jordan hosts 3,000 American troops.
    "hosts": (
        'Jordan|Jordan|PROPN|NNP|nsubj|1 hosts|host|VERB|VBZ|ROOT|1 3,000|3,000|NUM|CD|nummod|4 American|american|ADJ|JJ|amod|4 troops|troop|NOUN|NNS|dobj|1|- .|.|PUNCT|.|punct|1|-',
        [(0, 1, 'Country'), (2, 3, 'CARDINAL'), (3, 4, 'NORP')],
    ),
    # Drones targeted Camp Delta, a facility hosting US forces.
    "hosting": (
        'Drones|drone|NOUN|NNS|nsubj|1 targeted|target|VERB|VBD|ROOT|1 Camp|Camp|PROPN|NNP|compound|3 Delta|Delta|PROPN|NNP|dobj|1|- ,|,|PUNCT|,|punct|3 a|a|DET|DT|det|6 facility|facility|NOUN|NN|appos|3 hosting|host|VERB|VBG|acl|6 US|US|PROPN|NNP|compound|9 forces|force|NOUN|NNS|dobj|7|- .|.|PUNCT|.|punct|1|-',
        [(2, 4, 'MilitaryBase'), (8, 9, 'Country')],
    ),
    # The coalition will end its mission in Baghdad next year.
    "its_mission": (
        'The|the|DET|DT|det|1 coalition|coalition|NOUN|NN|nsubj|3 will|will|AUX|MD|aux|3 end|end|VERB|VB|ROOT|3 its|its|PRON|PRP$|poss|5 mission|mission|NOUN|NN|dobj|3 in|in|ADP|IN|prep|5 Baghdad|Baghdad|PROPN|NNP|pobj|6 next|next|ADJ|JJ|amod|9 year|year|NOUN|NN|npadvmod|3|- .|.|PUNCT|.|punct|3|-',
        [(1, 2, 'InternationalOrganization'), (7, 8, 'Settlement'), (8, 10, 'DATE')],
    ),
    # Raqqa, a city under Northern Shield Brigade control, stayed calm.
    "under_control": (
        'Raqqa|Raqqa|PROPN|NNP|nsubj|10|- ,|,|PUNCT|,|punct|0 a|a|DET|DT|det|3 city|city|NOUN|NN|appos|0 under|under|ADP|IN|prep|3 Northern|Northern|PROPN|NNP|compound|6 Shield|Shield|PROPN|NNP|compound|7 Brigade|Brigade|PROPN|NNP|compound|8 control|control|NOUN|NN|pobj|4|- ,|,|PUNCT|,|punct|0 stayed|stay|VERB|VBD|ROOT|10 calm|calm|ADJ|JJ|acomp|10|- .|.|PUNCT|.|punct|10|-',
        [(0, 1, 'Settlement'), (5, 8, 'ArmedGroup')],
    ),
    # Iraq asked Germany to run prisons in Syria that are under the control of the Northern Shield Brigade.
    "under_the_control_of": (
        'Iraq|Iraq|PROPN|NNP|nsubj|1 asked|ask|VERB|VBD|ROOT|1 Germany|Germany|PROPN|NNP|dobj|1 to|to|PART|TO|aux|4 run|run|VERB|VB|xcomp|1 prisons|prison|NOUN|NNS|dobj|4 in|in|ADP|IN|prep|5 Syria|Syria|PROPN|NNP|pobj|6 that|that|PRON|WDT|nsubj|9 are|be|AUX|VBP|relcl|5 under|under|ADP|IN|prep|9 the|the|DET|DT|det|12 control|control|NOUN|NN|pobj|10 of|of|ADP|IN|prep|12 the|the|DET|DT|det|17 Northern|Northern|PROPN|NNP|compound|16 Shield|Shield|PROPN|NNP|compound|17 Brigade|Brigade|PROPN|NNP|pobj|13|- .|.|PUNCT|.|punct|1|-',
        [(0, 1, 'Country'), (2, 3, 'Country'), (7, 8, 'Country'), (15, 18, 'ArmedGroup')],
    ),
    # The Iran-backed Kataib Hezbollah fired rockets at US forces in Syria.
    "forces_in": (
        'The|the|DET|DT|det|5 Iran|Iran|PROPN|NNP|npadvmod|3|- -|-|PUNCT|HYPH|punct|3|- backed|back|VERB|VBN|amod|5 Kataib|Kataib|PROPN|NNP|compound|5 Hezbollah|Hezbollah|PROPN|NNP|nsubj|6 fired|fire|VERB|VBD|ROOT|6 rockets|rocket|NOUN|NNS|dobj|6 at|at|ADP|IN|prep|6 US|US|PROPN|NNP|compound|10 forces|force|NOUN|NNS|pobj|8 in|in|ADP|IN|prep|10 Syria|Syria|PROPN|NNP|pobj|11|- .|.|PUNCT|.|punct|6|-',
        [(1, 2, 'Country'), (4, 6, 'ArmedGroup'), (9, 10, 'Country'), (12, 13, 'Country')],
    ),
}


@pytest.fixture(scope="module")
def gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    return rule_gazetteer(tmp_path_factory.mktemp("gaz"))


# ---------------------------------------------------------------- locatedIn


def test_apposition_places_a_town_in_a_region(gazetteer: Gazetteer) -> None:
    assert run(places.find, PARSES["capital_of"], gazetteer) == {("Erbil", "locatedIn", "Kurdistan Region")}
    assert run(places.find, PARSES["town_in"], gazetteer) == {("Qaim", "locatedIn", "Anbar")}


def test_a_place_right_before_in_lies_in_the_next(gazetteer: Gazetteer) -> None:
    assert run(places.find, PARSES["place_in"], gazetteer) == {("Sinjar", "locatedIn", "Iraq")}


def test_a_named_place_noun_with_its_in_phrase(gazetteer: Gazetteer) -> None:
    # "the X fuel port in Y": the name modifies a modifier of the place noun
    assert run(places.find, PARSES["port_in"], gazetteer) == {("Sabra", "locatedIn", "Yemen")}


def test_sites_listed_after_a_countrys_bases_and_forces_leaving_them(gazetteer: Gazetteer) -> None:
    # forces withdrawing from a place were deployed there
    assert run(places.find, PARSES["withdrew"], gazetteer) == {
        ("Camp Delta", "locatedIn", "Syria"), ("Camp Orion", "locatedIn", "Syria"),
        ("US", "deployedIn", "Syria"), ("US", "deployedIn", "Camp Delta"), ("US", "deployedIn", "Camp Orion"),
    }


# ---------------------------------------------------------------- deployedIn


def test_forces_stationed_in_a_place(gazetteer: Gazetteer) -> None:
    assert run(places.find, PARSES["stationed"], gazetteer) == {("American", "deployedIn", "Iraq")}
    assert run(places.find, PARSES["forces_in"], gazetteer) == {("US", "deployedIn", "Syria")}
    assert run(places.find, PARSES["no_troops"], gazetteer) == set()


def test_troop_counts_in_places(gazetteer: Gazetteer) -> None:
    found = relations(places.find, PARSES["deploy"], gazetteer)
    assert run(places.find, PARSES["deploy"], gazetteer) == {("Germany", "deployedIn", "Iraq"),
                                                            ("Germany", "deployedIn", "Jordan")}
    assert sorted(dict(r.qualifiers)["quantity"] for r in found) == ["150 troops", "80 troops"]


def test_a_host_and_a_site_hosting_forces(gazetteer: Gazetteer) -> None:
    assert run(places.find, PARSES["hosts"], gazetteer) == {("American", "deployedIn", "Jordan")}
    assert run(places.find, PARSES["hosting"], gazetteer) == {("US", "deployedIn", "Camp Delta")}


def test_its_mission_names_the_clause_subject(gazetteer: Gazetteer) -> None:
    assert run(places.find, PARSES["its_mission"], gazetteer) == {("coalition", "deployedIn", "Baghdad")}


def test_places_under_a_groups_control(gazetteer: Gazetteer) -> None:
    assert run(places.find, PARSES["under_control"], gazetteer) == {("Northern Shield Brigade", "deployedIn", "Raqqa")}
    assert run(places.find, PARSES["under_the_control_of"], gazetteer) == {
        ("Northern Shield Brigade", "deployedIn", "Syria")}

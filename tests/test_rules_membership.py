"""Membership rules (kg.extract.rules.membership): parts of groups, groups that include others, parents, listed officials.

Frozen parses of invented sentences (see tests/rule_docs.py).
"""

from __future__ import annotations

import pytest

from kg.extract.rules import membership
from kg.gazetteer import Gazetteer

from .rule_docs import relations, rule_gazetteer, run

PARSES: dict[str, tuple[str, list[tuple[int, int, str]]]] = {
    # Kataib Hezbollah, a faction of the Popular Mobilization Forces, rejected the plan.
    "faction": (
        'Kataib|Kataib|PROPN|NNP|compound|1 Hezbollah|Hezbollah|PROPN|NNP|nsubj|11|- ,|,|PUNCT|,|punct|1 a|a|DET|DT|det|4 faction|faction|NOUN|NN|appos|1 of|of|ADP|IN|prep|4 the|the|DET|DT|det|9 Popular|Popular|PROPN|NNP|compound|8 Mobilization|Mobilization|PROPN|NNP|compound|9 Forces|Forces|PROPN|NNPS|pobj|5|- ,|,|PUNCT|,|punct|1 rejected|reject|VERB|VBD|ROOT|11 the|the|DET|DT|det|13 plan|plan|NOUN|NN|dobj|11|- .|.|PUNCT|.|punct|11|-',
        [(0, 2, 'ArmedGroup'), (7, 10, 'ArmedGroup')],
    ),
    # Germany has 150 soldiers in northern Iraq as part of the coalition.
    "part_of_coalition": (
        'Germany|Germany|PROPN|NNP|nsubj|1 has|have|VERB|VBZ|ROOT|1 150|150|NUM|CD|nummod|3 soldiers|soldier|NOUN|NNS|dobj|1 in|in|ADP|IN|prep|3 northern|northern|ADJ|JJ|amod|6 Iraq|Iraq|PROPN|NNP|pobj|4 as|as|ADP|IN|prep|1 part|part|NOUN|NN|pobj|7 of|of|ADP|IN|prep|8 the|the|DET|DT|det|11 coalition|coalition|NOUN|NN|pobj|9|- .|.|PUNCT|.|punct|1|-',
        [(0, 1, 'Country'), (2, 3, 'CARDINAL'), (6, 7, 'Country'), (11, 12, 'InternationalOrganization')],
    ),
    # The Unity Alliance includes the Green Dawn Party and the National Front.
    "includes": (
        'The|the|DET|DT|det|2 Unity|Unity|PROPN|NNP|compound|2 Alliance|Alliance|PROPN|NNP|nsubj|3 includes|include|VERB|VBZ|ROOT|3 the|the|DET|DT|det|7 Green|Green|PROPN|NNP|compound|6 Dawn|Dawn|PROPN|NNP|compound|7 Party|Party|PROPN|NNP|dobj|3 and|and|CCONJ|CC|cc|7 the|the|DET|DT|det|11 National|National|PROPN|NNP|compound|11 Front|Front|PROPN|NNP|conj|7|- .|.|PUNCT|.|punct|3|-',
        [(1, 3, 'Organization'), (5, 8, 'PoliticalParty'), (10, 12, 'PoliticalParty')],
    ),
    # The Kurdistan Regional Government Health Ministry opened an inquiry, and the Iraqi Interior Ministry praised it.
    "ministries": (
        'The|the|DET|DT|det|5 Kurdistan|Kurdistan|PROPN|NNP|compound|3 Regional|Regional|PROPN|NNP|compound|3 Government|Government|PROPN|NNP|compound|5 Health|Health|PROPN|NNP|compound|5 Ministry|Ministry|PROPN|NNP|nsubj|6 opened|open|VERB|VBD|ROOT|6 an|an|DET|DT|det|8 inquiry|inquiry|NOUN|NN|dobj|6|- ,|,|PUNCT|,|punct|6 and|and|CCONJ|CC|cc|6 the|the|DET|DT|det|14 Iraqi|Iraqi|PROPN|NNP|compound|14 Interior|Interior|PROPN|NNP|compound|14 Ministry|Ministry|PROPN|NNP|nsubj|15 praised|praise|VERB|VBD|conj|6 it|it|PRON|PRP|dobj|15|- .|.|PUNCT|.|punct|15|-',
        [(1, 4, 'GovernmentBody'), (4, 6, 'GovernmentBody'), (12, 15, 'GovernmentBody')],
    ),
    # Iran's Quds Force trained the Iraqi army, and the Iran-aligned Popular Mobilization Forces praised Lebanese Hezbollah.
    "forces": (
        "Iran|Iran|PROPN|NNP|poss|3|- 's|'s|PART|POS|case|0 Quds|Quds|PROPN|NNPS|compound|3 Force|Force|PROPN|NNP|nsubj|4 trained|train|VERB|VBD|ROOT|4 the|the|DET|DT|det|7 Iraqi|iraqi|ADJ|JJ|amod|7 army|army|NOUN|NN|dobj|4|- ,|,|PUNCT|,|punct|4 and|and|CCONJ|CC|cc|4 the|the|DET|DT|det|16 Iran|Iran|PROPN|NNP|npadvmod|13|- -|-|PUNCT|HYPH|punct|13|- aligned|align|VERB|VBN|amod|16 Popular|Popular|PROPN|NNP|compound|15 Mobilization|Mobilization|PROPN|NNP|compound|16 Forces|Forces|PROPN|NNPS|nsubj|17 praised|praise|VERB|VBD|conj|4 Lebanese|lebanese|ADJ|JJ|amod|19 Hezbollah|Hezbollah|PROPN|NNP|dobj|17|- .|.|PUNCT|.|punct|17|-",
        [(0, 1, 'Country'), (2, 4, 'MilitaryForce'), (6, 8, 'MilitaryForce'), (11, 12, 'Country'), (14, 17, 'ArmedGroup'), (18, 19, 'NORP'), (19, 20, 'ArmedGroup')],
    ),
    # The Iraqi lawmaker and commander of the PMF's Northern Shield Brigade, Hassan Jaber, toured the front on Monday.
    "possessed_unit": (
        "The|the|DET|DT|det|2 Iraqi|iraqi|ADJ|JJ|amod|2 lawmaker|lawmaker|NOUN|NN|nsubj|16 and|and|CCONJ|CC|cc|2 commander|commander|NOUN|NN|conj|2 of|of|ADP|IN|prep|4 the|the|DET|DT|det|7 PMF|PMF|PROPN|NNP|poss|11|- 's|'s|PART|POS|case|7 Northern|Northern|PROPN|NNP|compound|10 Shield|Shield|PROPN|NNP|compound|11 Brigade|Brigade|PROPN|NNP|pobj|5|- ,|,|PUNCT|,|punct|11 Hassan|Hassan|PROPN|NNP|compound|14 Jaber|Jaber|PROPN|NNP|appos|11|- ,|,|PUNCT|,|punct|11 toured|tour|VERB|VBD|ROOT|16 the|the|DET|DT|det|18 front|front|NOUN|NN|dobj|16 on|on|ADP|IN|prep|16 Monday|Monday|PROPN|NNP|pobj|19|- .|.|PUNCT|.|punct|16|-",
        [(1, 2, 'NORP'), (7, 8, 'ArmedGroup'), (9, 12, 'ArmedGroup'), (13, 15, 'Person'), (20, 21, 'DATE')],
    ),
    # The US State Department issued a statement.
    "state_department": (
        'The|the|DET|DT|det|3 US|US|PROPN|NNP|compound|3 State|State|PROPN|NNP|compound|3 Department|Department|PROPN|NNP|nsubj|4 issued|issue|VERB|VBD|ROOT|4 a|a|DET|DT|det|6 statement|statement|NOUN|NN|dobj|4|- .|.|PUNCT|.|punct|4|-',
        [(1, 4, 'GovernmentBody')],
    ),
    # The minister met senior Jordanian officials on Sunday, including Rami Saleh and Laila Nasser.
    "listed_officials": (
        'The|the|DET|DT|det|1 minister|minister|NOUN|NN|nsubj|2 met|meet|VERB|VBD|ROOT|2 senior|senior|ADJ|JJ|amod|5 Jordanian|jordanian|ADJ|JJ|amod|5 officials|official|NOUN|NNS|dobj|2 on|on|ADP|IN|prep|2 Sunday|Sunday|PROPN|NNP|pobj|6|- ,|,|PUNCT|,|punct|2 including|include|VERB|VBG|prep|1 Rami|Rami|PROPN|NNP|compound|11 Saleh|Saleh|PROPN|NNP|pobj|9 and|and|CCONJ|CC|cc|11 Laila|Laila|PROPN|NNP|compound|14 Nasser|Nasser|PROPN|NNP|conj|11|- .|.|PUNCT|.|punct|2|-',
        [(4, 5, 'NORP'), (7, 8, 'DATE'), (10, 12, 'Person'), (13, 15, 'Person')],
    ),
    # The minister met Jordanian businessmen on Sunday, including Rami Saleh.
    "listed_businessmen": (
        'The|the|DET|DT|det|1 minister|minister|NOUN|NN|nsubj|2 met|meet|VERB|VBD|ROOT|2 Jordanian|jordanian|ADJ|JJ|amod|4 businessmen|businessman|NOUN|NNS|dobj|2 on|on|ADP|IN|prep|2 Sunday|Sunday|PROPN|NNP|pobj|5|- ,|,|PUNCT|,|punct|2 including|include|VERB|VBG|prep|1 Rami|Rami|PROPN|NNP|compound|10 Saleh|Saleh|PROPN|NNP|pobj|8|- .|.|PUNCT|.|punct|2|-',
        [(3, 4, 'NORP'), (6, 7, 'DATE'), (9, 11, 'Person')],
    ),
}


@pytest.fixture(scope="module")
def gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    return rule_gazetteer(tmp_path_factory.mktemp("gaz"))


def test_faction_of_is_membership(gazetteer: Gazetteer) -> None:
    assert run(membership.find, PARSES["faction"], gazetteer) == {
        ("Kataib Hezbollah", "memberOf", "Popular Mobilization Forces")}


def test_as_part_of_makes_the_clause_subject_a_member(gazetteer: Gazetteer) -> None:
    found = relations(membership.find, PARSES["part_of_coalition"], gazetteer)
    assert run(membership.find, PARSES["part_of_coalition"], gazetteer) == {("Germany", "memberOf", "coalition")}
    assert [r.rule for r in found] == ["as-part-of"]


def test_a_group_includes_its_members(gazetteer: Gazetteer) -> None:
    assert run(membership.find, PARSES["includes"], gazetteer) == {
        ("Green Dawn Party", "memberOf", "Unity Alliance"), ("National Front", "memberOf", "Unity Alliance")}


def test_a_body_named_with_its_parent_belongs_to_it(gazetteer: Gazetteer) -> None:
    # "the <government> Health Ministry" (a government body's), "the Iraqi Interior Ministry" (a state's)
    assert run(membership.find, PARSES["ministries"], gazetteer) == {
        ("Health Ministry", "memberOf", "Kurdistan Regional Government"),
        ("Iraqi Interior Ministry", "memberOf", "Iraqi"),
    }
    assert run(membership.find, PARSES["state_department"], gazetteer) == {("US State Department", "memberOf", "US")}


def test_a_named_unit_of_a_named_group(gazetteer: Gazetteer) -> None:
    assert run(membership.find, PARSES["possessed_unit"], gazetteer) == {
        ("Northern Shield Brigade", "memberOf", "PMF")}


def test_national_forces_sponsors_and_demonyms_are_no_parents(gazetteer: Gazetteer) -> None:
    # "Iran's Quds Force" is a body of Iran; "the Iraqi army" is Iraq itself; "the Iran-aligned PMF"
    # is backed, not owned; "Lebanese Hezbollah" is no state body
    assert run(membership.find, PARSES["forces"], gazetteer) == {("Quds Force", "memberOf", "Iran")}


def test_people_listed_as_a_states_officials(gazetteer: Gazetteer) -> None:
    # the parse hangs 'including' on the subject; the officials are the last plural noun before it
    found = relations(membership.find, PARSES["listed_officials"], gazetteer)
    assert run(membership.find, PARSES["listed_officials"], gazetteer) == {
        ("Rami Saleh", "memberOf", "Jordanian"), ("Laila Nasser", "memberOf", "Jordanian")}
    assert {r.rule for r in found} == {"listed-officials"}
    assert run(membership.find, PARSES["listed_businessmen"], gazetteer) == set()

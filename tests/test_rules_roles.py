"""Role rules (kg.extract.rules.roles, kg.extract.titles): titles next to names, leadership verbs, party leaders.

Frozen parses of invented sentences (see tests/rule_docs.py); each test shows sentences the rule is
for and sentences it must leave alone.
"""

from __future__ import annotations

import pytest

from kg.extract.rules import roles
from kg.gazetteer import Gazetteer

from .rule_docs import reading_of, relations, rule_gazetteer, run

PARSES: dict[str, tuple[str, list[tuple[int, int, str]]]] = {
    # Iraqi Prime Minister Karim Haddad met Turkish President Omar Farouk in Baghdad.
    "titles_before": (
        'Iraqi|iraqi|ADJ|JJ|amod|2 Prime|Prime|PROPN|NNP|compound|2 Minister|Minister|PROPN|NNP|compound|4 Karim|Karim|PROPN|NNP|compound|4 Haddad|Haddad|PROPN|NNP|nsubj|5 met|meet|VERB|VBD|ROOT|5 Turkish|turkish|ADJ|JJ|amod|7 President|President|PROPN|NNP|compound|9 Omar|Omar|PROPN|NNP|compound|9 Farouk|Farouk|PROPN|NNP|dobj|5 in|in|ADP|IN|prep|9 Baghdad|Baghdad|PROPN|NNP|pobj|10|- .|.|PUNCT|.|punct|5|-',
        [(0, 1, 'NORP'), (3, 5, 'Person'), (6, 7, 'NORP'), (8, 10, 'Person'), (11, 12, 'Settlement')],
    ),
    # Iraqi Prime Minister Karim Haddad met Turkish President Omar Farouk in Baghdad.
    "title_in_name": (
        'Iraqi|iraqi|ADJ|JJ|amod|2 Prime|Prime|PROPN|NNP|compound|2 Minister|Minister|PROPN|NNP|compound|4 Karim|Karim|PROPN|NNP|compound|4 Haddad|Haddad|PROPN|NNP|nsubj|5 met|meet|VERB|VBD|ROOT|5 Turkish|turkish|ADJ|JJ|amod|7 President|President|PROPN|NNP|compound|9 Omar|Omar|PROPN|NNP|compound|9 Farouk|Farouk|PROPN|NNP|dobj|5 in|in|ADP|IN|prep|9 Baghdad|Baghdad|PROPN|NNP|pobj|10|- .|.|PUNCT|.|punct|5|-',
        [(0, 5, 'Person'), (6, 7, 'NORP'), (8, 10, 'Person'), (11, 12, 'Settlement')],
    ),
    # Samir Aziz, a spokesman for Kataib Hezbollah, denied the report.
    "spokesman": (
        'Samir|Samir|PROPN|NNP|compound|1 Aziz|Aziz|PROPN|NNP|nsubj|9|- ,|,|PUNCT|,|punct|1 a|a|DET|DT|det|4 spokesman|spokesman|NOUN|NN|appos|1 for|for|ADP|IN|prep|4 Kataib|Kataib|PROPN|NNP|compound|7 Hezbollah|Hezbollah|PROPN|NNP|pobj|5|- ,|,|PUNCT|,|punct|1 denied|deny|VERB|VBD|ROOT|9 the|the|DET|DT|det|11 report|report|NOUN|NN|dobj|9|- .|.|PUNCT|.|punct|9|-',
        [(0, 2, 'Person'), (6, 8, 'ArmedGroup')],
    ),
    # Laila Nasser, a senior adviser to Iraqi President Omar Farouk, said the talks would resume.
    "adviser_to": (
        'Laila|Laila|PROPN|NNP|compound|1 Nasser|Nasser|PROPN|NNP|nsubj|12|- ,|,|PUNCT|,|punct|1 a|a|DET|DT|det|5 senior|senior|ADJ|JJ|amod|5 adviser|adviser|NOUN|NN|appos|1 to|to|ADP|IN|prep|5 Iraqi|iraqi|ADJ|JJ|amod|8 President|President|PROPN|NNP|compound|10 Omar|Omar|PROPN|NNP|compound|10 Farouk|Farouk|PROPN|NNP|pobj|6|- ,|,|PUNCT|,|punct|1 said|say|VERB|VBD|ROOT|12 the|the|DET|DT|det|14 talks|talk|NOUN|NNS|nsubj|16 would|would|AUX|MD|aux|16 resume|resume|VERB|VB|ccomp|12|- .|.|PUNCT|.|punct|12|-',
        [(0, 2, 'Person'), (7, 8, 'NORP'), (9, 11, 'Person')],
    ),
    # Rami Saleh, Jordanian Deputy Prime Minister and Minister of Foreign Affairs, visited Ankara.
    "coordinated": (
        'Rami|Rami|PROPN|NNP|compound|1 Saleh|Saleh|PROPN|NNP|nsubj|13|- ,|,|PUNCT|,|punct|1 Jordanian|Jordanian|PROPN|NNP|compound|6 Deputy|Deputy|PROPN|NNP|compound|6 Prime|Prime|PROPN|NNP|compound|6 Minister|Minister|PROPN|NNP|appos|1 and|and|CCONJ|CC|cc|6 Minister|Minister|PROPN|NNP|conj|6 of|of|ADP|IN|prep|8 Foreign|Foreign|PROPN|NNP|compound|11 Affairs|Affairs|PROPN|NNPS|pobj|9|- ,|,|PUNCT|,|punct|1 visited|visit|VERB|VBD|ROOT|13 Ankara|Ankara|PROPN|NNP|npadvmod|13|- .|.|PUNCT|.|punct|13|-',
        [(0, 2, 'Person'), (3, 4, 'NORP'), (14, 15, 'Settlement')],
    ),
    # The Iraqi lawmaker and commander of the PMF's Northern Shield Brigade, Hassan Jaber, toured the front on Monday.
    "coordinated_before": (
        "The|the|DET|DT|det|2 Iraqi|iraqi|ADJ|JJ|amod|2 lawmaker|lawmaker|NOUN|NN|nsubj|16 and|and|CCONJ|CC|cc|2 commander|commander|NOUN|NN|conj|2 of|of|ADP|IN|prep|4 the|the|DET|DT|det|7 PMF|PMF|PROPN|NNP|poss|11|- 's|'s|PART|POS|case|7 Northern|Northern|PROPN|NNP|compound|10 Shield|Shield|PROPN|NNP|compound|11 Brigade|Brigade|PROPN|NNP|pobj|5|- ,|,|PUNCT|,|punct|11 Hassan|Hassan|PROPN|NNP|compound|14 Jaber|Jaber|PROPN|NNP|appos|11|- ,|,|PUNCT|,|punct|11 toured|tour|VERB|VBD|ROOT|16 the|the|DET|DT|det|18 front|front|NOUN|NN|dobj|16 on|on|ADP|IN|prep|16 Monday|Monday|PROPN|NNP|pobj|19|- .|.|PUNCT|.|punct|16|-",
        [(1, 2, 'NORP'), (7, 8, 'ArmedGroup'), (9, 12, 'ArmedGroup'), (13, 15, 'Person'), (20, 21, 'DATE')],
    ),
    # Nadia Karam, an Iraqi senator with close ties to Asaib Ahl al-Haq, spoke to reporters.
    "ties": (
        'Nadia|Nadia|PROPN|NNP|compound|1 Karam|Karam|PROPN|NNP|nsubj|16|- ,|,|PUNCT|,|punct|1 an|an|DET|DT|det|5 Iraqi|iraqi|ADJ|JJ|amod|5 senator|senator|NOUN|NN|appos|1 with|with|ADP|IN|prep|5 close|close|ADJ|JJ|amod|8 ties|tie|NOUN|NNS|pobj|6 to|to|ADP|IN|prep|8 Asaib|Asaib|PROPN|NNP|compound|14 Ahl|Ahl|PROPN|NNP|compound|14 al|al|PROPN|NNP|compound|14|- -|-|PUNCT|HYPH|punct|14|- Haq|Haq|PROPN|NNP|pobj|9|- ,|,|PUNCT|,|punct|1 spoke|speak|VERB|VBD|ROOT|16 to|to|ADP|IN|prep|16 reporters|reporter|NOUN|NNS|pobj|17|- .|.|PUNCT|.|punct|16|-',
        [(0, 2, 'Person'), (4, 5, 'NORP'), (10, 15, 'ArmedGroup')],
    ),
    # The envoy met Karim Haddad, head of the Green Dawn Party, Omar Farouk, leader of the Northern Shield Brigade, and two ministers.
    "name_list": (
        'The|the|DET|DT|det|1 envoy|envoy|NOUN|NN|nsubj|2 met|meet|VERB|VBD|ROOT|2 Karim|Karim|PROPN|NNP|compound|4 Haddad|Haddad|PROPN|NNP|dobj|2|- ,|,|PUNCT|,|punct|4 head|head|NOUN|NN|appos|4 of|of|ADP|IN|prep|6 the|the|DET|DT|det|11 Green|Green|PROPN|NNP|compound|10 Dawn|Dawn|PROPN|NNP|compound|11 Party|Party|PROPN|NNP|pobj|7|- ,|,|PUNCT|,|punct|11 Omar|Omar|PROPN|NNP|compound|14 Farouk|Farouk|PROPN|NNP|appos|11|- ,|,|PUNCT|,|punct|11 leader|leader|NOUN|NN|appos|11 of|of|ADP|IN|prep|16 the|the|DET|DT|det|21 Northern|Northern|PROPN|NNP|compound|20 Shield|Shield|PROPN|NNP|compound|21 Brigade|Brigade|PROPN|NNP|pobj|17|- ,|,|PUNCT|,|punct|11 and|and|CCONJ|CC|cc|6 two|two|NUM|CD|nummod|25 ministers|minister|NOUN|NNS|conj|6|- .|.|PUNCT|.|punct|2|-',
        [(3, 5, 'Person'), (9, 12, 'PoliticalParty'), (13, 15, 'Person'), (19, 22, 'ArmedGroup'), (24, 25, 'CARDINAL')],
    ),
    # The Green Dawn Party, which is headed by the founder of the Northern Shield Brigade, Hassan Jaber, won ten seats.
    "relative_description": (
        'The|the|DET|DT|det|3 Green|Green|PROPN|NNP|compound|2 Dawn|Dawn|PROPN|NNP|compound|3 Party|Party|PROPN|NNP|nsubj|20|- ,|,|PUNCT|,|punct|3 which|which|PRON|WDT|nsubjpass|7 is|be|AUX|VBZ|auxpass|7 headed|head|VERB|VBN|relcl|3 by|by|ADP|IN|agent|7 the|the|DET|DT|det|10 founder|founder|NOUN|NN|pobj|8 of|of|ADP|IN|prep|10 the|the|DET|DT|det|15 Northern|Northern|PROPN|NNP|compound|14 Shield|Shield|PROPN|NNP|compound|15 Brigade|Brigade|PROPN|NNP|pobj|11|- ,|,|PUNCT|,|punct|15 Hassan|Hassan|PROPN|NNP|compound|18 Jaber|Jaber|PROPN|NNP|appos|15|- ,|,|PUNCT|,|punct|3 won|win|VERB|VBD|ROOT|20 ten|ten|NUM|CD|nummod|22 seats|seat|NOUN|NNS|dobj|20|- .|.|PUNCT|.|punct|20|-',
        [(1, 4, 'PoliticalParty'), (13, 16, 'ArmedGroup'), (17, 19, 'Person'), (21, 22, 'CARDINAL')],
    ),
    # The Green Dawn Party of former minister Hassan Jaber won ten seats.
    "party_of": (
        'The|the|DET|DT|det|3 Green|Green|PROPN|NNP|compound|2 Dawn|Dawn|PROPN|NNP|compound|3 Party|Party|PROPN|NNP|nsubj|9 of|of|ADP|IN|prep|3 former|former|ADJ|JJ|amod|6 minister|minister|NOUN|NN|compound|8 Hassan|Hassan|PROPN|NNP|compound|8 Jaber|Jaber|PROPN|NNP|pobj|4 won|win|VERB|VBD|ROOT|9 ten|ten|NUM|CD|nummod|11 seats|seat|NOUN|NNS|dobj|9|- .|.|PUNCT|.|punct|9|-',
        [(1, 4, 'PoliticalParty'), (7, 9, 'Person'), (10, 11, 'CARDINAL')],
    ),
    # Jaber's Green Dawn Party won ten seats, while Hezbollah's Cedar Unit stayed silent.
    "possessed_party": (
        "Jaber|Jaber|PROPN|NNP|poss|4|- 's|'s|PART|POS|case|0 Green|Green|PROPN|NNP|compound|3 Dawn|Dawn|PROPN|NNP|compound|4 Party|Party|PROPN|NNP|nsubj|5 won|win|VERB|VBD|ROOT|5 ten|ten|NUM|CD|nummod|7 seats|seat|NOUN|NNS|dobj|5|- ,|,|PUNCT|,|punct|5 while|while|SCONJ|IN|mark|14 Hezbollah|Hezbollah|PROPN|NNP|poss|13|- 's|'s|PART|POS|case|10 Cedar|Cedar|PROPN|NNP|compound|13 Unit|Unit|PROPN|NNP|nsubj|14 stayed|stay|VERB|VBD|advcl|5 silent|silent|ADJ|JJ|acomp|14|- .|.|PUNCT|.|punct|5|-",
        [(0, 1, 'Person'), (2, 5, 'PoliticalParty'), (6, 7, 'CARDINAL'), (10, 11, 'ArmedGroup'), (12, 14, 'ArmedGroup')],
    ),
    # Hassan Jaber leads the Northern Shield Brigade.
    "leads": (
        'Hassan|Hassan|PROPN|NNP|compound|1 Jaber|Jaber|PROPN|NNP|nsubj|2 leads|lead|VERB|VBZ|ROOT|2 the|the|DET|DT|det|6 Northern|Northern|PROPN|NNP|compound|5 Shield|Shield|PROPN|NNP|compound|6 Brigade|Brigade|PROPN|NNP|dobj|2|- .|.|PUNCT|.|punct|2|-',
        [(0, 2, 'Person'), (4, 7, 'ArmedGroup')],
    ),
    # Hassan Jaber joined the Green Dawn Party in 2019, but he did not join the National Front.
    "joined": (
        'Hassan|Hassan|PROPN|NNP|compound|1 Jaber|Jaber|PROPN|NNP|nsubj|2 joined|join|VERB|VBD|ROOT|2 the|the|DET|DT|det|6 Green|Green|PROPN|NNP|compound|5 Dawn|Dawn|PROPN|NNP|compound|6 Party|Party|PROPN|NNP|dobj|2 in|in|ADP|IN|prep|2 2019|2019|NUM|CD|pobj|7|- ,|,|PUNCT|,|punct|2 but|but|CCONJ|CC|cc|2 he|he|PRON|PRP|nsubj|14 did|do|AUX|VBD|aux|14 not|not|PART|RB|neg|14 join|join|VERB|VB|conj|2 the|the|DET|DT|det|17 National|National|PROPN|NNP|compound|17 Front|Front|PROPN|NNP|dobj|14|- .|.|PUNCT|.|punct|14|-',
        [(0, 2, 'Person'), (4, 7, 'PoliticalParty'), (8, 9, 'DATE'), (16, 18, 'PoliticalParty')],
    ),
    # The Syrian president and Omar Farouk shook hands.
    "coordinated_other": (
        'The|the|DET|DT|det|2 Syrian|syrian|ADJ|JJ|amod|2 president|president|NOUN|NN|nsubj|6 and|and|CCONJ|CC|cc|2 Omar|Omar|PROPN|NNP|compound|5 Farouk|Farouk|PROPN|NNP|conj|2 shook|shake|VERB|VBD|ROOT|6 hands|hand|NOUN|NNS|dobj|6|- .|.|PUNCT|.|punct|6|-',
        [(1, 2, 'NORP'), (4, 6, 'Person')],
    ),
    # The Northern Shield Brigade is led by Hassan Jaber.
    "led_passive": (
        'The|the|DET|DT|det|3 Northern|Northern|PROPN|NNP|compound|2 Shield|Shield|PROPN|NNP|compound|3 Brigade|Brigade|PROPN|NNP|nsubjpass|5 is|be|AUX|VBZ|auxpass|5 led|lead|VERB|VBN|ROOT|5 by|by|ADP|IN|agent|5 Hassan|Hassan|PROPN|NNP|compound|8 Jaber|Jaber|PROPN|NNP|pobj|6|- .|.|PUNCT|.|punct|5|-',
        [(1, 4, 'ArmedGroup'), (7, 9, 'Person')],
    ),
}


@pytest.fixture(scope="module")
def gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    return rule_gazetteer(tmp_path_factory.mktemp("gaz"))


def roles_of(name: str, gazetteer: Gazetteer) -> set[tuple[str, str, str, str]]:
    """(person, relation, organization, role) of every title fact read in a parse."""
    reading = reading_of(PARSES[name], gazetteer)
    return {(f.person.text, f.relation, f.org.text if f.org else "", f.role) for f in reading.role_facts}


# ---------------------------------------------------------------- titles


def test_titles_before_names_give_leaders_with_roles(gazetteer: Gazetteer) -> None:
    found = relations(roles.find, PARSES["titles_before"], gazetteer)
    assert {(r.predicate, r.rule, dict(r.qualifiers)["role"]) for r in found} == {
        ("leaderOf", "title-before", "Prime Minister"), ("leaderOf", "title-before", "President")}
    assert run(roles.find, PARSES["titles_before"], gazetteer) == {
        ("Karim Haddad", "leaderOf", "Iraqi"), ("Omar Farouk", "leaderOf", "Turkish")}


def test_a_title_the_recognizer_took_into_the_name_counts(gazetteer: Gazetteer) -> None:
    assert ("Iraqi Prime Minister Karim Haddad", "leaderOf", "Iraqi") in run(
        roles.find, PARSES["title_in_name"], gazetteer)


def test_apposition_title_gives_membership(gazetteer: Gazetteer) -> None:
    found = relations(roles.find, PARSES["spokesman"], gazetteer)
    assert run(roles.find, PARSES["spokesman"], gazetteer) == {("Samir Aziz", "memberOf", "Kataib Hezbollah")}
    assert [(r.rule, dict(r.qualifiers)["role"]) for r in found] == [("title-appos", "spokesman")]


def test_apposition_ends_where_another_person_and_his_title_begin(gazetteer: Gazetteer) -> None:
    # "X, a senior adviser to <country> President Y": X serves the country; the title is Y's
    assert run(roles.find, PARSES["adviser_to"], gazetteer) == {
        ("Laila Nasser", "memberOf", "Iraqi"), ("Omar Farouk", "leaderOf", "Iraqi")}
    assert ("Laila Nasser", "memberOf", "Iraqi", "senior adviser") in roles_of("adviser_to", gazetteer)
    assert ("Omar Farouk", "leaderOf", "Iraqi", "President") in roles_of("adviser_to", gazetteer)


def test_coordinated_titles_give_one_role_each(gazetteer: Gazetteer) -> None:
    # a demonym before the first title belongs to both; a deputy is a member
    assert {f for f in roles_of("coordinated", gazetteer) if f[0] == "Rami Saleh"} == {
        ("Rami Saleh", "memberOf", "Jordanian", "Deputy Prime Minister"),
        ("Rami Saleh", "memberOf", "Jordanian", "Minister of Foreign Affairs"),
    }
    assert run(roles.find, PARSES["coordinated"], gazetteer) == {("Rami Saleh", "memberOf", "Jordanian")}


def test_coordinated_titles_before_the_name_and_a_possessed_unit(gazetteer: Gazetteer) -> None:
    # "the <country> lawmaker and commander of the G's U, X,": X leads U, not G
    assert run(roles.find, PARSES["coordinated_before"], gazetteer) == {
        ("Hassan Jaber", "memberOf", "Iraqi"), ("Hassan Jaber", "leaderOf", "Northern Shield Brigade")}


def test_apposition_ends_at_a_preposition_that_opens_no_title(gazetteer: Gazetteer) -> None:
    assert run(roles.find, PARSES["ties"], gazetteer) == {("Nadia Karam", "memberOf", "Iraqi")}


def test_a_title_between_two_names_describes_the_first(gazetteer: Gazetteer) -> None:
    assert run(roles.find, PARSES["name_list"], gazetteer) == {
        ("Karim Haddad", "leaderOf", "Green Dawn Party"), ("Omar Farouk", "leaderOf", "Northern Shield Brigade")}


def test_a_definite_description_before_a_name_inside_a_clause(gazetteer: Gazetteer) -> None:
    # "..., which is headed by the founder of G, X,": X founded G (the 'headed by' is the participle rule's)
    assert run(roles.find, PARSES["relative_description"], gazetteer) == {
        ("Hassan Jaber", "leaderOf", "Northern Shield Brigade")}


def test_the_title_of_a_coordinated_noun_is_not_the_names(gazetteer: Gazetteer) -> None:
    assert run(roles.find, PARSES["coordinated_other"], gazetteer) == set()


# ---------------------------------------------------------------- parties and verbs


def test_a_party_of_a_person_and_a_persons_party_are_led_by_the_person(gazetteer: Gazetteer) -> None:
    assert run(roles.find, PARSES["party_of"], gazetteer) == {("Hassan Jaber", "leaderOf", "Green Dawn Party")}
    # a group's unit is no party: its possessor is not its leader
    assert run(roles.find, PARSES["possessed_party"], gazetteer) == {("Jaber", "leaderOf", "Green Dawn Party")}


def test_leadership_and_membership_verbs(gazetteer: Gazetteer) -> None:
    assert run(roles.find, PARSES["leads"], gazetteer) == {("Hassan Jaber", "leaderOf", "Northern Shield Brigade")}
    found = relations(roles.find, PARSES["joined"], gazetteer)
    # the negated 'did not join' asserts nothing
    assert run(roles.find, PARSES["joined"], gazetteer) == {("Hassan Jaber", "memberOf", "Green Dawn Party")}
    assert dict(found[0].qualifiers)["time"] == "2019"


def test_a_passive_lead_is_left_to_the_participle_rule(gazetteer: Gazetteer) -> None:
    assert run(roles.find, PARSES["led_passive"], gazetteer) == set()

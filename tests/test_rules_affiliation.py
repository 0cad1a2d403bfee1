"""Backing and affiliation rules (kg.extract.rules.affiliation): affixes, participles, appositions, ties, state backing.

Frozen parses of invented sentences (see tests/rule_docs.py).
"""

from __future__ import annotations

import pytest

from kg.extract.rules import affiliation
from kg.gazetteer import Gazetteer

from .rule_docs import reading_of, rule_gazetteer, run

PARSES: dict[str, tuple[str, list[tuple[int, int, str]]]] = {
    # The Iran-backed Kataib Hezbollah fired rockets at US forces in Syria.
    "backed": (
        'The|the|DET|DT|det|5 Iran|Iran|PROPN|NNP|npadvmod|3|- -|-|PUNCT|HYPH|punct|3|- backed|back|VERB|VBN|amod|5 Kataib|Kataib|PROPN|NNP|compound|5 Hezbollah|Hezbollah|PROPN|NNP|nsubj|6 fired|fire|VERB|VBD|ROOT|6 rockets|rocket|NOUN|NNS|dobj|6 at|at|ADP|IN|prep|6 US|US|PROPN|NNP|compound|10 forces|force|NOUN|NNS|pobj|8 in|in|ADP|IN|prep|10 Syria|Syria|PROPN|NNP|pobj|11|- .|.|PUNCT|.|punct|6|-',
        [(1, 2, 'Country'), (4, 6, 'ArmedGroup'), (9, 10, 'Country'), (12, 13, 'Country')],
    ),
    # Kataib Hezbollah, a network of fighters aligned with Tehran, claimed the attack.
    "aligned": (
        'Kataib|Kataib|PROPN|NNP|compound|1 Hezbollah|Hezbollah|PROPN|NNP|nsubj|11|- ,|,|PUNCT|,|punct|1 a|a|DET|DT|det|4 network|network|NOUN|NN|appos|1 of|of|ADP|IN|prep|4 fighters|fighter|NOUN|NNS|pobj|5 aligned|align|VERB|VBN|acl|6 with|with|ADP|IN|prep|7 Tehran|Tehran|PROPN|NNP|pobj|8|- ,|,|PUNCT|,|punct|1 claimed|claim|VERB|VBD|ROOT|11 the|the|DET|DT|det|13 attack|attack|NOUN|NN|dobj|11|- .|.|PUNCT|.|punct|11|-',
        [(0, 2, 'ArmedGroup'), (9, 10, 'Country')],
    ),
    # Fighters of the Unity Alliance, a coalition of pro-Iranian factions, were killed.
    "pro_prefix": (
        'Fighters|fighter|NOUN|NNS|nsubjpass|15 of|of|ADP|IN|prep|0 the|the|DET|DT|det|4 Unity|Unity|PROPN|NNP|compound|4 Alliance|Alliance|PROPN|NNP|pobj|1|- ,|,|PUNCT|,|punct|0 a|a|DET|DT|det|7 coalition|coalition|NOUN|NN|appos|0 of|of|ADP|IN|prep|7 pro|pro|ADJ|JJ|amod|12|- -|-|ADJ|JJ|amod|12|- Iranian|iranian|ADJ|JJ|amod|12 factions|faction|NOUN|NNS|pobj|8|- ,|,|PUNCT|,|punct|0 were|be|AUX|VBD|auxpass|15 killed|kill|VERB|VBN|ROOT|15|- .|.|PUNCT|.|punct|15|-',
        [(3, 5, 'Organization'), (9, 12, 'NORP')],
    ),
    # Talks between the Green Dawn Party (GDP), led by Hassan Jaber, and the National Front (NF), led by Rami Saleh, stalled.
    "led_by_pair": (
        'Talks|talk|NOUN|NNS|nsubj|28 between|between|ADP|IN|prep|0 the|the|DET|DT|det|5 Green|Green|PROPN|NNP|compound|4 Dawn|Dawn|PROPN|NNP|compound|5 Party|Party|PROPN|NNP|pobj|1 (|(|PUNCT|-LRB-|punct|7|- GDP|GDP|PROPN|NNP|appos|5|- )|)|PUNCT|-RRB-|punct|5|- ,|,|PUNCT|,|punct|5 led|lead|VERB|VBN|acl|0 by|by|ADP|IN|agent|10 Hassan|Hassan|PROPN|NNP|compound|13 Jaber|Jaber|PROPN|NNP|pobj|11|- ,|,|PUNCT|,|punct|10 and|and|CCONJ|CC|cc|0 the|the|DET|DT|det|18 National|National|PROPN|NNP|compound|18 Front|Front|PROPN|NNP|conj|0 (|(|PUNCT|-LRB-|punct|18|- NF|NF|PROPN|NNP|appos|18|- )|)|PUNCT|-RRB-|punct|18|- ,|,|PUNCT|,|punct|18 led|lead|VERB|VBN|acl|18 by|by|ADP|IN|agent|23 Rami|Rami|PROPN|NNP|compound|26 Saleh|Saleh|PROPN|NNP|pobj|24|- ,|,|PUNCT|,|punct|18 stalled|stall|VERB|VBD|ROOT|28|- .|.|PUNCT|.|punct|28|-',
        [(3, 6, 'PoliticalParty'), (7, 8, 'PoliticalParty'), (12, 14, 'Person'), (17, 19, 'PoliticalParty'), (20, 21, 'PoliticalParty'), (25, 27, 'Person')],
    ),
    # The Green Dawn Party, which is headed by the founder of the Northern Shield Brigade, Hassan Jaber, won ten seats.
    "headed_by_title": (
        'The|the|DET|DT|det|3 Green|Green|PROPN|NNP|compound|2 Dawn|Dawn|PROPN|NNP|compound|3 Party|Party|PROPN|NNP|nsubj|20|- ,|,|PUNCT|,|punct|3 which|which|PRON|WDT|nsubjpass|7 is|be|AUX|VBZ|auxpass|7 headed|head|VERB|VBN|relcl|3 by|by|ADP|IN|agent|7 the|the|DET|DT|det|10 founder|founder|NOUN|NN|pobj|8 of|of|ADP|IN|prep|10 the|the|DET|DT|det|15 Northern|Northern|PROPN|NNP|compound|14 Shield|Shield|PROPN|NNP|compound|15 Brigade|Brigade|PROPN|NNP|pobj|11|- ,|,|PUNCT|,|punct|15 Hassan|Hassan|PROPN|NNP|compound|18 Jaber|Jaber|PROPN|NNP|appos|15|- ,|,|PUNCT|,|punct|3 won|win|VERB|VBD|ROOT|20 ten|ten|NUM|CD|nummod|22 seats|seat|NOUN|NNS|dobj|20|- .|.|PUNCT|.|punct|20|-',
        [(1, 4, 'PoliticalParty'), (13, 16, 'ArmedGroup'), (17, 19, 'Person'), (21, 22, 'CARDINAL')],
    ),
    # The Northern Shield Brigade is led by Hassan Jaber.
    "led_passive": (
        'The|the|DET|DT|det|3 Northern|Northern|PROPN|NNP|compound|2 Shield|Shield|PROPN|NNP|compound|3 Brigade|Brigade|PROPN|NNP|nsubjpass|5 is|be|AUX|VBZ|auxpass|5 led|lead|VERB|VBN|ROOT|5 by|by|ADP|IN|agent|5 Hassan|Hassan|PROPN|NNP|compound|8 Jaber|Jaber|PROPN|NNP|pobj|6|- .|.|PUNCT|.|punct|5|-',
        [(1, 4, 'ArmedGroup'), (7, 9, 'Person')],
    ),
    # Jordan, a close partner of Germany, hosted the meeting.
    "partner": (
        'Jordan|Jordan|PROPN|NNP|nsubj|8|- ,|,|PUNCT|,|punct|0 a|a|DET|DT|det|4 close|close|ADJ|JJ|amod|4 partner|partner|NOUN|NN|appos|0 of|of|ADP|IN|prep|4 Germany|Germany|PROPN|NNP|pobj|5|- ,|,|PUNCT|,|punct|0 hosted|host|VERB|VBD|ROOT|8 the|the|DET|DT|det|10 meeting|meeting|NOUN|NN|dobj|8|- .|.|PUNCT|.|punct|8|-',
        [(0, 1, 'Country'), (6, 7, 'Country')],
    ),
    # The Northern Shield Brigade, Iran's proxy in the region, denied the claim.
    "proxy": (
        "The|the|DET|DT|det|3 Northern|Northern|PROPN|NNP|compound|2 Shield|Shield|PROPN|NNP|compound|3 Brigade|Brigade|PROPN|NNP|nsubj|12|- ,|,|PUNCT|,|punct|3 Iran|Iran|PROPN|NNP|poss|7|- 's|'s|PART|POS|case|5 proxy|proxy|NOUN|NN|appos|3 in|in|ADP|IN|prep|7 the|the|DET|DT|det|10 region|region|NOUN|NN|pobj|8|- ,|,|PUNCT|,|punct|3 denied|deny|VERB|VBD|ROOT|12 the|the|DET|DT|det|14 claim|claim|NOUN|NN|dobj|12|- .|.|PUNCT|.|punct|12|-",
        [(1, 4, 'ArmedGroup'), (5, 6, 'Country')],
    ),
    # Nadia Karam, an Iraqi senator with close ties to Asaib Ahl al-Haq, spoke to reporters.
    "ties": (
        'Nadia|Nadia|PROPN|NNP|compound|1 Karam|Karam|PROPN|NNP|nsubj|16|- ,|,|PUNCT|,|punct|1 an|an|DET|DT|det|5 Iraqi|iraqi|ADJ|JJ|amod|5 senator|senator|NOUN|NN|appos|1 with|with|ADP|IN|prep|5 close|close|ADJ|JJ|amod|8 ties|tie|NOUN|NNS|pobj|6 to|to|ADP|IN|prep|8 Asaib|Asaib|PROPN|NNP|compound|14 Ahl|Ahl|PROPN|NNP|compound|14 al|al|PROPN|NNP|compound|14|- -|-|PUNCT|HYPH|punct|14|- Haq|Haq|PROPN|NNP|pobj|9|- ,|,|PUNCT|,|punct|1 spoke|speak|VERB|VBD|ROOT|16 to|to|ADP|IN|prep|16 reporters|reporter|NOUN|NNS|pobj|17|- .|.|PUNCT|.|punct|16|-',
        [(0, 2, 'Person'), (4, 5, 'NORP'), (10, 15, 'ArmedGroup')],
    ),
    # The Northern Shield Brigade has links to Hezbollah, but Iraq has close ties with Iran.
    "links": (
        'The|the|DET|DT|det|3 Northern|Northern|PROPN|NNP|compound|2 Shield|Shield|PROPN|NNP|compound|3 Brigade|Brigade|PROPN|NNP|nsubj|4 has|have|VERB|VBZ|ROOT|4 links|link|NOUN|NNS|dobj|4 to|to|ADP|IN|prep|5 Hezbollah|Hezbollah|PROPN|NNP|pobj|6|- ,|,|PUNCT|,|punct|4 but|but|CCONJ|CC|cc|4 Iraq|Iraq|PROPN|NNP|nsubj|11 has|have|VERB|VBZ|conj|4 close|close|ADJ|JJ|amod|13 ties|tie|NOUN|NNS|dobj|11 with|with|ADP|IN|prep|13 Iran|Iran|PROPN|NNP|pobj|14|- .|.|PUNCT|.|punct|11|-',
        [(1, 4, 'ArmedGroup'), (7, 8, 'ArmedGroup'), (10, 11, 'Country'), (15, 16, 'Country')],
    ),
    # Iran funds the Northern Shield Brigade, and Iran's support for the Northern Shield Brigade worries Germany.
    "funds": (
        "Iran|Iran|PROPN|NNP|nsubj|1 funds|fund|VERB|VBZ|ROOT|1 the|the|DET|DT|det|5 Northern|Northern|PROPN|NNP|compound|4 Shield|Shield|PROPN|NNP|compound|5 Brigade|Brigade|PROPN|NNP|dobj|1|- ,|,|PUNCT|,|punct|1 and|and|CCONJ|CC|cc|1 Iran|Iran|PROPN|NNP|poss|10|- 's|'s|PART|POS|case|8 support|support|NOUN|NN|nsubj|16 for|for|ADP|IN|prep|10 the|the|DET|DT|det|15 Northern|Northern|PROPN|NNP|compound|14 Shield|Shield|PROPN|NNP|compound|15 Brigade|Brigade|PROPN|NNP|pobj|11 worries|worry|VERB|VBZ|conj|1 Germany|Germany|PROPN|NNP|dobj|16|- .|.|PUNCT|.|punct|16|-",
        [(0, 1, 'Country'), (3, 6, 'ArmedGroup'), (8, 9, 'Country'), (13, 16, 'ArmedGroup'), (17, 18, 'Country')],
    ),
    # Iran denied arming the Northern Shield Brigade.
    "denied_arming": (
        'Iran|Iran|PROPN|NNP|nsubj|1 denied|deny|VERB|VBD|ROOT|1 arming|arm|VERB|VBG|xcomp|1 the|the|DET|DT|det|6 Northern|Northern|PROPN|NNP|compound|5 Shield|Shield|PROPN|NNP|compound|6 Brigade|Brigade|PROPN|NNP|dobj|2|- .|.|PUNCT|.|punct|1|-',
        [(0, 1, 'Country'), (4, 7, 'ArmedGroup')],
    ),
    # Iran supports Iraq.
    "supports_state": (
        'Iran|Iran|PROPN|NNP|nsubj|1 supports|support|VERB|VBZ|ROOT|1 Iraq|Iraq|PROPN|NNP|dobj|1|- .|.|PUNCT|.|punct|1|-',
        [(0, 1, 'Country'), (2, 3, 'Country')],
    ),
    # The Northern Shield Brigade is not backed by Iran.
    "not_backed": (
        'The|the|DET|DT|det|3 Northern|Northern|PROPN|NNP|compound|2 Shield|Shield|PROPN|NNP|compound|3 Brigade|Brigade|PROPN|NNP|nsubjpass|6 is|be|AUX|VBZ|auxpass|6 not|not|PART|RB|neg|6 backed|back|VERB|VBN|ROOT|6 by|by|ADP|IN|agent|6 Iran|Iran|PROPN|NNP|pobj|7|- .|.|PUNCT|.|punct|6|-',
        [(1, 4, 'ArmedGroup'), (8, 9, 'Country')],
    ),
    # Militias loyal to Hassan Jaber blocked the road.
    "loyal_to_person": (
        'Militias|militia|NOUN|NNS|nsubj|5 loyal|loyal|ADJ|JJ|amod|0 to|to|ADP|IN|prep|1 Hassan|Hassan|PROPN|NNP|compound|4 Jaber|Jaber|PROPN|NNP|pobj|2 blocked|block|VERB|VBD|ROOT|5 the|the|DET|DT|det|7 road|road|NOUN|NN|dobj|5|- .|.|PUNCT|.|punct|5|-',
        [(3, 5, 'Person')],
    ),
}


@pytest.fixture(scope="module")
def gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    return rule_gazetteer(tmp_path_factory.mktemp("gaz"))


def rules_of(name: str, gazetteer: Gazetteer) -> set[str]:
    return {f.rule for f in affiliation.find(reading_of(PARSES[name], gazetteer))}


# ---------------------------------------------------------------- affixes and participles


def test_backed_affix_and_participle(gazetteer: Gazetteer) -> None:
    assert run(affiliation.find, PARSES["backed"], gazetteer) == {("Kataib Hezbollah", "backedBy", "Iran")}
    # an umbrella apposition passes the backing to the name
    assert run(affiliation.find, PARSES["aligned"], gazetteer) == {("Kataib Hezbollah", "backedBy", "Tehran")}


def test_split_pro_prefix_backs_the_coalition_the_factions_make(gazetteer: Gazetteer) -> None:
    # "pro - Iranian factions" are no Iranian actor: the coalition they form is Iran-backed
    assert run(affiliation.find, PARSES["pro_prefix"], gazetteer) == {("Unity Alliance", "backedBy", "Iranian")}


def test_led_by_after_each_of_two_names(gazetteer: Gazetteer) -> None:
    # "A (a), led by X, and B (b), led by Y": the parse hangs the first participle on another noun
    assert run(affiliation.find, PARSES["led_by_pair"], gazetteer) == {
        ("Hassan Jaber", "leaderOf", "Green Dawn Party"), ("Rami Saleh", "leaderOf", "National Front")}
    assert run(affiliation.find, PARSES["led_passive"], gazetteer) == {
        ("Hassan Jaber", "leaderOf", "Northern Shield Brigade")}


def test_headed_by_a_title_whose_bearer_follows(gazetteer: Gazetteer) -> None:
    # "G, which is headed by the founder of H, X,": X heads G
    assert run(affiliation.find, PARSES["headed_by_title"], gazetteer) == {
        ("Hassan Jaber", "leaderOf", "Green Dawn Party")}


def test_negated_participle_and_state_only_wording(gazetteer: Gazetteer) -> None:
    assert run(affiliation.find, PARSES["not_backed"], gazetteer) == set()
    # "loyal to" says backing only of a state
    assert run(affiliation.find, PARSES["loyal_to_person"], gazetteer) == set()


# ---------------------------------------------------------------- appositions and ties


def test_partner_and_proxy_appositions(gazetteer: Gazetteer) -> None:
    assert run(affiliation.find, PARSES["partner"], gazetteer) == {("Germany", "affiliatedWith", "Jordan")}
    assert run(affiliation.find, PARSES["proxy"], gazetteer) == {("Northern Shield Brigade", "backedBy", "Iran")}


def test_ties_and_links_affiliate_but_not_two_states(gazetteer: Gazetteer) -> None:
    # affiliatedWith is symmetric: its ends come in key order
    assert run(affiliation.find, PARSES["ties"], gazetteer) == {("Asaib Ahl al-Haq", "affiliatedWith", "Nadia Karam")}
    assert run(affiliation.find, PARSES["links"], gazetteer) == {
        ("Hezbollah", "affiliatedWith", "Northern Shield Brigade")}


# ---------------------------------------------------------------- states backing armed groups


def test_a_state_funding_or_supporting_an_armed_group_backs_it(gazetteer: Gazetteer) -> None:
    assert run(affiliation.find, PARSES["funds"], gazetteer) == {("Northern Shield Brigade", "backedBy", "Iran")}
    assert rules_of("funds", gazetteer) == {"backing-verb", "backing-noun"}


def test_denied_backing_and_support_of_a_state_are_no_backing(gazetteer: Gazetteer) -> None:
    assert run(affiliation.find, PARSES["denied_arming"], gazetteer) == set()
    assert run(affiliation.find, PARSES["supports_state"], gazetteer) == set()

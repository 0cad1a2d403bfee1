"""Which PLOVER type an event gets: verb classes typed by the PLOVER codebook, and the syntax that decides
whether a clause reports an act at all. Frozen parses of invented sentences (made once by the small English
model, see tests/rule_docs.py), read by the whole extractor without the model.
"""

from __future__ import annotations

import pytest

from kg.extract.extractor import extract_article
from kg.gazetteer import Gazetteer
from kg.model import Article

from .frozen_docs import frozen_doc
from .rule_docs import DATE, rule_gazetteer

PARSES: dict[str, tuple[str, list[tuple[int, int, str]]]] = {
    # Jordan imposed sanctions on Syria.
    "imposed_sanctions": (
        'Jordan|Jordan|PROPN|NNP|nsubj|1 imposed|impose|VERB|VBD|ROOT|1 sanctions|sanction|NOUN|NNS|dobj|1 on|on|ADP|IN|prep|2 Syria|Syria|PROPN|NNP|pobj|3|- .|.|PUNCT|.|punct|1|-',
     [(0, 1, 'Country'), (4, 5, 'Country')]
    ),
    # Iraqi soldiers demolished Syrian homes.
    "demolished_homes": (
        'Iraqi|iraqi|ADJ|JJ|amod|1 soldiers|soldier|NOUN|NNS|nsubj|2 demolished|demolish|VERB|VBD|ROOT|2 Syrian|syrian|ADJ|JJ|amod|4 homes|home|NOUN|NNS|dobj|2|- .|.|PUNCT|.|punct|2|-',
     [(0, 1, 'NORP'), (3, 4, 'NORP')]
    ),
    # An Iraqi businessman is suing Jordan for damages.
    "suing": (
        'An|an|DET|DT|det|2 Iraqi|iraqi|ADJ|JJ|amod|2 businessman|businessman|NOUN|NN|nsubj|4 is|be|AUX|VBZ|aux|4 suing|sue|VERB|VBG|ROOT|4 Jordan|Jordan|PROPN|NNP|dobj|4 for|for|ADP|IN|prep|4 damages|damage|NOUN|NNS|pobj|6|- .|.|PUNCT|.|punct|4|-',
     [(1, 2, 'NORP'), (5, 6, 'Country')]
    ),
    # Hezbollah dismissed an appeal from Jordan to lay down its arms.
    "dismissed_appeal": (
        'Hezbollah|Hezbollah|PROPN|NNP|nsubj|1 dismissed|dismiss|VERB|VBD|ROOT|1 an|an|DET|DT|det|3 appeal|appeal|NOUN|NN|dobj|1 from|from|ADP|IN|prep|3 Jordan|Jordan|PROPN|NNP|pobj|4 to|to|PART|TO|aux|7 lay|lay|VERB|VB|acl|3 down|down|ADP|RP|prt|7 its|its|PRON|PRP$|poss|10 arms|arm|NOUN|NNS|dobj|7|- .|.|PUNCT|.|punct|1|-',
     [(0, 1, 'ArmedGroup'), (5, 6, 'Country')]
    ),
    # Syria expelled inspectors of the Global Coalition.
    "expelled_inspectors": (
        'Syria|Syria|PROPN|NNP|nsubj|1 expelled|expel|VERB|VBD|ROOT|1 inspectors|inspector|NOUN|NNS|dobj|1 of|of|ADP|IN|prep|2 the|the|DET|DT|det|6 Global|Global|PROPN|NNP|compound|6 Coalition|Coalition|PROPN|NNP|pobj|3|- .|.|PUNCT|.|punct|1|-',
     [(0, 1, 'Country'), (5, 7, 'InternationalOrganization')]
    ),
    # Jordan said it will withdraw its monitors from Syria.
    "will_withdraw_monitors": (
        'Jordan|Jordan|PROPN|NNP|nsubj|1 said|say|VERB|VBD|ROOT|1 it|it|PRON|PRP|nsubj|4 will|will|AUX|MD|aux|4 withdraw|withdraw|VERB|VB|ccomp|1 its|its|PRON|PRP$|poss|6 monitors|monitor|NOUN|NNS|dobj|4 from|from|ADP|IN|prep|4 Syria|Syria|PROPN|NNP|pobj|7|- .|.|PUNCT|.|punct|1|-',
     [(0, 1, 'Country'), (8, 9, 'Country')]
    ),
    # Syrian officers ended their mediation between Iraq and Jordan.
    "ended_mediation": (
        'Syrian|syrian|ADJ|JJ|amod|1 officers|officer|NOUN|NNS|nsubj|2 ended|end|VERB|VBD|ROOT|2 their|their|PRON|PRP$|poss|4 mediation|mediation|NOUN|NN|dobj|2 between|between|ADP|IN|prep|4 Iraq|Iraq|PROPN|NNP|pobj|5 and|and|CCONJ|CC|cc|6 Jordan|Jordan|PROPN|NNP|conj|6|- .|.|PUNCT|.|punct|2|-',
     [(0, 1, 'NORP'), (6, 7, 'Country'), (8, 9, 'Country')]
    ),
    # Syrian farmers blocked a bridge between Syria and Jordan.
    "blocked_bridge": (
        'Syrian|syrian|ADJ|JJ|amod|1 farmers|farmer|NOUN|NNS|nsubj|2 blocked|block|VERB|VBD|ROOT|2 a|a|DET|DT|det|4 bridge|bridge|NOUN|NN|dobj|2 between|between|ADP|IN|prep|4 Syria|Syria|PROPN|NNP|pobj|5 and|and|CCONJ|CC|cc|6 Jordan|Jordan|PROPN|NNP|conj|6|- .|.|PUNCT|.|punct|2|-',
     [(0, 1, 'NORP'), (6, 7, 'Country'), (8, 9, 'Country')]
    ),
    # An Iraqi newspaper violated a ban by the Syrian government.
    "violated_ban": (
        'An|an|DET|DT|det|2 Iraqi|iraqi|ADJ|JJ|amod|2 newspaper|newspaper|NOUN|NN|nsubj|3 violated|violate|VERB|VBD|ROOT|3 a|a|DET|DT|det|5 ban|ban|NOUN|NN|dobj|3 by|by|ADP|IN|prep|5 the|the|DET|DT|det|9 Syrian|syrian|ADJ|JJ|amod|9 government|government|NOUN|NN|pobj|6|- .|.|PUNCT|.|punct|3|-',
     [(1, 2, 'NORP'), (8, 9, 'NORP')]
    ),
    # Jordan deployed troops to the border to deter attacks and support Iraqi forces.
    "purpose_conjunct": (
        'Jordan|Jordan|PROPN|NNP|nsubj|1 deployed|deploy|VERB|VBD|ROOT|1 troops|troop|NOUN|NNS|dobj|1 to|to|ADP|IN|prep|1 the|the|DET|DT|det|5 border|border|NOUN|NN|pobj|3 to|to|PART|TO|aux|7 deter|deter|VERB|VB|advcl|1 attacks|attack|NOUN|NNS|dobj|7 and|and|CCONJ|CC|cc|7 support|support|VERB|VB|conj|7 Iraqi|iraqi|ADJ|JJ|amod|12 forces|force|NOUN|NNS|dobj|10|- .|.|PUNCT|.|punct|1|-',
     [(0, 1, 'Country'), (11, 12, 'NORP')]
    ),
    # Jordan has taken several steps to ease restrictions and promote trade with Syria.
    "described_conjunct": (
        'Jordan|Jordan|PROPN|NNP|nsubj|2 has|have|AUX|VBZ|aux|2 taken|take|VERB|VBN|ROOT|2 several|several|ADJ|JJ|amod|4 steps|step|NOUN|NNS|dobj|2 to|to|PART|TO|aux|6 ease|ease|VERB|VB|relcl|4 restrictions|restriction|NOUN|NNS|dobj|6 and|and|CCONJ|CC|cc|6 promote|promote|VERB|VB|conj|6 trade|trade|NOUN|NN|dobj|9 with|with|ADP|IN|prep|10 Syria|Syria|PROPN|NNP|pobj|11|- .|.|PUNCT|.|punct|2|-',
     [(0, 1, 'Country'), (12, 13, 'Country')]
    ),
    # Jordan reiterated its demand today that Syria release the prisoners.
    "demand_clause_on_verb": (
        'Jordan|Jordan|PROPN|NNP|nsubj|1 reiterated|reiterate|VERB|VBD|ROOT|1 its|its|PRON|PRP$|poss|3 demand|demand|NOUN|NN|dobj|1 today|today|NOUN|NN|npadvmod|1 that|that|SCONJ|IN|mark|7 Syria|Syria|PROPN|NNP|nsubj|7 release|release|VERB|VB|ccomp|1 the|the|DET|DT|det|9 prisoners|prisoner|NOUN|NNS|dobj|7|- .|.|PUNCT|.|punct|1|-',
     [(0, 1, 'Country'), (4, 5, 'DATE'), (6, 7, 'Country')]
    ),
    # Refugees are continuing a hunger strike in protest at the Iraqi government's decision.
    "in_protest_at": (
        "Refugees|refugee|NOUN|NNS|nsubj|2 are|be|AUX|VBP|aux|2 continuing|continue|VERB|VBG|ROOT|2 a|a|DET|DT|det|5 hunger|hunger|NOUN|NN|compound|5 strike|strike|NOUN|NN|dobj|2 in|in|ADP|IN|prep|5 protest|protest|NOUN|NN|pobj|6 at|at|ADP|IN|prep|5 the|the|DET|DT|det|11 Iraqi|iraqi|ADJ|JJ|amod|11 government|government|NOUN|NN|poss|13|- 's|'s|PART|POS|case|11 decision|decision|NOUN|NN|pobj|8|- .|.|PUNCT|.|punct|2|-",
     [(10, 11, 'NORP')]
    ),
    # Jordan announced a suspension of aid to Syria.
    "suspension_of_aid": (
        'Jordan|Jordan|PROPN|NNP|nsubj|1 announced|announce|VERB|VBD|ROOT|1 a|a|DET|DT|det|3 suspension|suspension|NOUN|NN|dobj|1 of|of|ADP|IN|prep|3 aid|aid|NOUN|NN|pobj|4 to|to|ADP|IN|prep|3 Syria|Syria|PROPN|NNP|pobj|6|- .|.|PUNCT|.|punct|1|-',
     [(0, 1, 'Country'), (7, 8, 'Country')]
    ),
    # The Syrian army prepared to resume shelling Iraqi positions.
    "prepared_to_shell": (
        'The|the|DET|DT|det|2 Syrian|syrian|ADJ|JJ|amod|2 army|army|NOUN|NN|nsubj|3 prepared|prepare|VERB|VBD|ROOT|3 to|to|PART|TO|aux|5 resume|resume|VERB|VB|xcomp|3 shelling|shell|VERB|VBG|xcomp|5 Iraqi|iraqi|ADJ|JJ|amod|8 positions|position|NOUN|NNS|dobj|6|- .|.|PUNCT|.|punct|3|-',
     [(1, 2, 'NORP'), (7, 8, 'NORP')]
    ),
    # Hezbollah is prepared to attack Syrian positions.
    "is_prepared_to_attack": (
        'Hezbollah|Hezbollah|PROPN|NNP|nsubj|1 is|be|AUX|VBZ|ROOT|1 prepared|prepared|ADJ|JJ|acomp|1 to|to|PART|TO|aux|4 attack|attack|VERB|VB|xcomp|2 Syrian|syrian|ADJ|JJ|amod|6 positions|position|NOUN|NNS|dobj|4|- .|.|PUNCT|.|punct|1|-',
     [(0, 1, 'ArmedGroup'), (5, 6, 'NORP')]
    ),
    # Workers affiliated with the Unity Alliance stopped work over a Syrian bill.
    "affiliated_workers": (
        'Workers|worker|NOUN|NNS|nsubj|6 affiliated|affiliate|VERB|VBN|acl|0 with|with|ADP|IN|prep|1 the|the|DET|DT|det|5 Unity|Unity|PROPN|NNP|compound|5 Alliance|Alliance|PROPN|NNP|pobj|2 stopped|stop|VERB|VBD|ROOT|6 work|work|NOUN|NN|dobj|6 over|over|ADP|IN|prep|7 a|a|DET|DT|det|11 Syrian|syrian|ADJ|JJ|amod|11 bill|bill|NOUN|NN|pobj|8|- .|.|PUNCT|.|punct|6|-',
     [(4, 6, 'Organization'), (10, 11, 'NORP')]
    ),
    # Jordanian police placed a Syrian journalist under arrest.
    "placed_under_arrest": (
        'Jordanian|jordanian|ADJ|JJ|amod|1 police|police|NOUN|NNS|nsubj|2 placed|place|VERB|VBD|ROOT|2 a|a|DET|DT|det|5 Syrian|syrian|ADJ|JJ|amod|5 journalist|journalist|NOUN|NN|dobj|2 under|under|ADP|IN|prep|2 arrest|arrest|NOUN|NN|pobj|6|- .|.|PUNCT|.|punct|2|-',
     [(0, 1, 'NORP'), (4, 5, 'NORP')]
    ),
    # Jordan renewed its demand on Monday that Syria withdraw from Iraq.
    "renewed_demand_clause": (
        'Jordan|Jordan|PROPN|NNP|nsubj|1 renewed|renew|VERB|VBD|ROOT|1 its|its|PRON|PRP$|poss|3 demand|demand|NOUN|NN|dobj|1 on|on|ADP|IN|prep|3 Monday|Monday|PROPN|NNP|pobj|4 that|that|SCONJ|IN|mark|8 Syria|Syria|PROPN|NNP|nsubj|8 withdraw|withdraw|VERB|VBP|ccomp|1 from|from|ADP|IN|prep|8 Iraq|Iraq|PROPN|NNP|pobj|9|- .|.|PUNCT|.|punct|1|-',
     [(0, 1, 'Country'), (5, 6, 'DATE'), (7, 8, 'Country'), (10, 11, 'Country')]
    ),
    # Hezbollah has sworn to attack Syrian forces. (the infinitive hung on the verb as an adjunct, as the parser
    # sometimes does)
    "sworn_to_attack_adjunct": (
        'Hezbollah|Hezbollah|PROPN|NNP|nsubj|2 has|have|AUX|VBZ|aux|2 sworn|swear|VERB|VBN|ROOT|2 to|to|PART|TO|aux|4 attack|attack|VERB|VB|advcl|2 Syrian|syrian|ADJ|JJ|amod|6 forces|force|NOUN|NNS|dobj|4|- .|.|PUNCT|.|punct|2|-',
     [(0, 1, 'ArmedGroup'), (5, 6, 'NORP')]
    ),
}


@pytest.fixture(scope="module")
def gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    return rule_gazetteer(tmp_path_factory.mktemp("gaz"))


def events(name: str, gazetteer: Gazetteer) -> set[tuple[str, frozenset[tuple[str, str]]]]:
    """(PLOVER type, {(role, words)}) of every event read."""
    rows, ents = PARSES[name]
    doc = frozen_doc(rows, ents, gazetteer)
    found = extract_article(doc, Article("t", "t", "", doc.text, date=DATE), gazetteer)
    return {
        (e.kind, frozenset((role, doc.text[r.start : r.end]) for role, r in e.participants)) for e in found.events
    }


def kinds(name: str, gazetteer: Gazetteer) -> set[str]:
    return {kind for kind, _ in events(name, gazetteer)}


def roles(*pairs: tuple[str, str]) -> frozenset[tuple[str, str]]:
    return frozenset(pairs)


# ---------------------------------------------------------------- verb classes typed by the PLOVER codebook


def test_imposing_sanctions_is_sanction(gazetteer: Gazetteer) -> None:
    # the CAMEO-to-PLOVER table files CAMEO 163 under COERCE; PLOVER names SANCTION for it
    assert events("imposed_sanctions", gazetteer) == {("SANCTION", roles(("actor", "Jordan"), ("target", "Syria")))}


def test_destroying_property_is_coercion(gazetteer: Gazetteer) -> None:
    # CAMEO 1712, the table's own mode 'seize' being COERCE's
    assert events("demolished_homes", gazetteer) == {("COERCE", roles(("actor", "Iraqi"), ("target", "Syrian")))}


def test_suing_is_a_lawsuit_an_accusation_not_an_arrest(gazetteer: Gazetteer) -> None:
    assert events("suing", gazetteer) == {("ACCUSE", roles(("actor", "Iraqi"), ("target", "Jordan")))}


def test_dismissing_an_appeal_rejects_whom_it_came_from(gazetteer: Gazetteer) -> None:
    assert events("dismissed_appeal", gazetteer) == {("REJECT", roles(("actor", "Hezbollah"), ("target", "Jordan")))}


def test_expelling_inspectors_is_sanction(gazetteer: Gazetteer) -> None:
    assert kinds("expelled_inspectors", gazetteer) == {"SANCTION"}


def test_announcing_to_withdraw_monitors_threatens(gazetteer: Gazetteer) -> None:
    # withdrawing inspectors or monitors is SANCTION (CAMEO 1662), not a military retreat; announced, a threat
    assert events("will_withdraw_monitors", gazetteer) == {("THREATEN", roles(("actor", "Jordan"), ("target", "Syria")))}


def test_ending_a_mediation_is_sanction(gazetteer: Gazetteer) -> None:
    assert kinds("ended_mediation", gazetteer) == {"SANCTION"}


def test_blocking_a_route_is_obstruction(gazetteer: Gazetteer) -> None:
    assert kinds("blocked_bridge", gazetteer) == {"PROTEST"}


def test_violating_a_ban_defies_whoever_imposed_it(gazetteer: Gazetteer) -> None:
    assert events("violated_ban", gazetteer) == {("REJECT", roles(("actor", "Iraqi"), ("target", "Syrian")))}


# ---------------------------------------------------------------- which clause reports an act


def test_a_bare_infinitive_joined_to_a_purpose_is_purpose_too(gazetteer: Gazetteer) -> None:
    # "... to deter attacks and support Iraqi forces": why troops were deployed, no support given
    assert events("purpose_conjunct", gazetteer) == {("MOBILIZE", roles(("actor", "Jordan")))}


def test_a_bare_infinitive_joined_to_a_description_describes_too(gazetteer: Gazetteer) -> None:
    # "steps to ease restrictions and promote trade": the steps are described, nothing promoted yet
    assert kinds("described_conjunct", gazetteer) == set()


def test_a_clause_of_a_demand_hung_on_the_verb_is_still_what_is_demanded(gazetteer: Gazetteer) -> None:
    # "reiterated its demand today that Syria release ...": one request of Syria, no release
    assert events("demand_clause_on_verb", gazetteer) == {
        ("REQUEST", roles(("actor", "Jordan"), ("target", "Syria")))
    }


def test_a_renewed_demand_asks_the_subject_of_its_clause_hung_on_the_verb(gazetteer: Gazetteer) -> None:
    # "renewed its demand on Monday that Syria withdraw": the parser hangs the demand's clause on "renewed"
    assert events("renewed_demand_clause", gazetteer) == {
        ("REQUEST", roles(("actor", "Jordan"), ("target", "Syria")))
    }


def test_an_infinitive_hung_as_an_adjunct_on_a_vow_is_the_vow_s_not_an_act(gazetteer: Gazetteer) -> None:
    # "has sworn to attack X": a threat, and no attack, however the parser hangs the infinitive
    assert events("sworn_to_attack_adjunct", gazetteer) == {
        ("THREATEN", roles(("actor", "Hezbollah"), ("target", "Syrian")))
    }


def test_a_protest_in_protest_at_an_act_targets_its_agent(gazetteer: Gazetteer) -> None:
    assert events("in_protest_at", gazetteer) == {("PROTEST", roles(("target", "Iraqi")))}


def test_a_deverbal_noun_codes_as_its_verb_with_its_of_phrase_as_object(gazetteer: Gazetteer) -> None:
    # "a suspension of aid" is suspending aid (CAMEO 162), not aid announced
    assert events("suspension_of_aid", gazetteer) == {("SANCTION", roles(("actor", "Jordan"), ("target", "Syria")))}


def test_readying_an_attack_by_deed_is_mobilization(gazetteer: Gazetteer) -> None:
    assert events("prepared_to_shell", gazetteer) == {
        ("MOBILIZE", roles(("actor", "Syrian"), ("target", "Iraqi")))
    }


def test_being_prepared_to_attack_is_a_stated_intent_a_threat(gazetteer: Gazetteer) -> None:
    assert events("is_prepared_to_attack", gazetteer) == {
        ("THREATEN", roles(("actor", "Hezbollah"), ("target", "Syrian")))
    }


def test_people_affiliated_with_a_group_act_for_it(gazetteer: Gazetteer) -> None:
    # "workers affiliated with X stopped work": a strike by X's people (as "fighters loyal to X")
    assert events("affiliated_workers", gazetteer) == {("PROTEST", roles(("actor", "Unity Alliance")))}


def test_placing_someone_under_an_act_does_it_to_them(gazetteer: Gazetteer) -> None:
    # "placed X under arrest" is arresting X, as the dictionary's own "placed X under surveillance" is
    assert events("placed_under_arrest", gazetteer) == {("COERCE", roles(("actor", "Jordanian"), ("target", "Syrian")))}

"""Token-level syntax on frozen parses of invented sentences (no model): voice, negation, mood, who does what."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from kg.extract import modality, syntax
from kg.extract import parse as parse_tables


def parse(rows: str) -> Doc:
    fields = [row.split("|") for row in rows.split(" ")]
    return Doc(
        spacy.blank("en").vocab, words=[f[0] for f in fields], spaces=[len(f) < 7 for f in fields],
        lemmas=[f[1] for f in fields], pos=[f[2] for f in fields], tags=[f[3] for f in fields],
        deps=[f[4] for f in fields], heads=[int(f[5]) for f in fields],
    )


# The base was attacked by the militia.
PASSIVE = parse('The|the|DET|DT|det|1 base|base|NOUN|NN|nsubjpass|3 was|be|AUX|VBD|auxpass|3 attacked|attack|VERB|VBN|ROOT|3 by|by|ADP|IN|agent|3 the|the|DET|DT|det|6 militia|militia|NOUN|NN|pobj|4|- .|.|PUNCT|.|punct|3|-')
# The group that attacked the base fled.
RELATIVE = parse('The|the|DET|DT|det|1 group|group|NOUN|NN|nsubj|6 that|that|PRON|WDT|nsubj|3 attacked|attack|VERB|VBD|relcl|1 the|the|DET|DT|det|5 base|base|NOUN|NN|dobj|3 fled|flee|VERB|VBD|ROOT|6|- .|.|PUNCT|.|punct|6|-')
# Iran might strike if Israel attacks.
CONDITION = parse('Iran|Iran|PROPN|NNP|nsubj|2 might|might|AUX|MD|aux|2 strike|strike|VERB|VB|ROOT|2 if|if|SCONJ|IN|mark|5 Israel|Israel|PROPN|NNP|nsubj|5 attacks|attack|VERB|VBZ|advcl|2|- .|.|PUNCT|.|punct|2|-')
# Iraq has to expel the troops.
HAVE_TO = parse('Iraq|Iraq|PROPN|NNP|nsubj|1 has|have|VERB|VBZ|ROOT|1 to|to|PART|TO|aux|3 expel|expel|VERB|VB|xcomp|1 the|the|DET|DT|det|5 troops|troop|NOUN|NNS|dobj|3|- .|.|PUNCT|.|punct|1|-')
# Jordan met Syria and discussed trade.
CONJOINED = parse('Jordan|Jordan|PROPN|NNP|nsubj|1 met|meet|VERB|VBD|ROOT|1 Syria|Syria|PROPN|NNP|dobj|1 and|and|CCONJ|CC|cc|1 discussed|discuss|VERB|VBD|conj|1 trade|trade|NOUN|NN|dobj|4|- .|.|PUNCT|.|punct|1|-')
# Troops stationed in Iraq were not hit.
NEGATED = parse('Troops|troop|NOUN|NNS|nsubjpass|6 stationed|station|VERB|VBN|acl|0 in|in|ADP|IN|prep|1 Iraq|Iraq|PROPN|NNP|pobj|2 were|be|AUX|VBD|auxpass|6 not|not|PART|RB|neg|6 hit|hit|VERB|VBN|ROOT|6|- .|.|PUNCT|.|punct|6|-')
# Jordan urged Syria to halt the attacks.
CONTROL = parse('Jordan|Jordan|PROPN|NNP|nsubj|1 urged|urge|VERB|VBD|ROOT|1 Syria|Syria|PROPN|NNP|dobj|1 to|to|PART|TO|aux|4 halt|halt|VERB|VB|xcomp|1 the|the|DET|DT|det|6 attacks|attack|NOUN|NNS|dobj|4|- .|.|PUNCT|.|punct|1|-')
# Turkey said Syria would withdraw its forces.
REPORTED = parse('Turkey|Turkey|PROPN|NNP|nsubj|1 said|say|VERB|VBD|ROOT|1 Syria|Syria|PROPN|NNP|nsubj|4 would|would|AUX|MD|aux|4 withdraw|withdraw|VERB|VB|ccomp|1 its|its|PRON|PRP$|poss|6 forces|force|NOUN|NNS|dobj|4|- .|.|PUNCT|.|punct|1|-')
# They staged protests.
MISLEMMATISED = parse('They|they|PRON|PRP|nsubj|1 staged|stag|VERB|VBD|ROOT|1 protests|protest|NOUN|NNS|dobj|1|- .|.|PUNCT|.|punct|1|-')


def words(tokens: list) -> list[str]:  # type: ignore[type-arg]
    return [t.text for t in tokens]


def test_voice_and_the_arguments_of_each() -> None:
    verb = PASSIVE[3]
    assert syntax.is_passive(verb)
    assert words(syntax.passive_subjects(verb)) == ["base"] and words(syntax.by_agents(verb)) == ["militia"]
    assert not syntax.is_passive(CONJOINED[1]) and words(syntax.direct_objects(CONJOINED[1])) == ["Syria"]
    # a reduced relative ("troops stationed in Iraq") is passive and is about its noun
    assert syntax.is_passive(NEGATED[1]) and words(syntax.passive_subjects(NEGATED[1])) == ["Troops"]


def test_a_relative_clause_subject_is_its_antecedent() -> None:
    assert words(syntax.subjects(RELATIVE[3])) == ["group"]
    assert syntax.relative_antecedent(RELATIVE[3]) == RELATIVE[1]


def test_coordinated_verbs_share_their_subject() -> None:
    assert words(syntax.subjects(CONJOINED[4])) == ["Jordan"]


def test_object_control_gives_the_infinitive_its_subject() -> None:
    assert words(syntax.object_controller(CONTROL[1])) == ["Syria"]
    assert words(syntax.subjects(CONTROL[4])) == ["Syria"]


def test_mood_of_each_clause() -> None:
    assert modality.mood(CONDITION[2]).possible and modality.mood(CONDITION[2]).conditional
    assert modality.mood(CONDITION[5]).condition and not modality.mood(CONDITION[5]).factual
    assert words(modality.condition_subjects(CONDITION[2])) == ["Israel"]
    assert modality.mood(HAVE_TO[3]).obligation
    assert modality.mood(NEGATED[6]).negated and modality.negated(NEGATED[6])
    # "would" in reported speech is the future of the past; outside it, a possibility
    assert modality.mood(REPORTED[4], reported=True).future
    assert modality.mood(REPORTED[4]).possible and not modality.mood(REPORTED[4]).future
    assert modality.mood(CONJOINED[1]).factual


def test_complements_and_governors() -> None:
    assert words(syntax.complements(CONTROL[1])) == ["halt"]
    assert syntax.governing_verb(CONTROL[6]) == CONTROL[4]
    assert syntax.clause_of(PASSIVE[6]) == PASSIVE[3]


def test_verb_lemmas_repair_a_lemmatiser_slip() -> None:
    assert syntax.verb_lemmas(MISLEMMATISED[1])[:2] == ("stag", "stage")
    assert syntax.verb_lemmas(CONJOINED[1]) == ("meet",)


def test_a_root_is_told_by_position_not_by_identity() -> None:
    """``token.head is token`` never holds (each ``.head`` is a new Token): ``parse.is_root`` compares positions."""
    roots = [t.i for t in CONJOINED if parse_tables.is_root(t)]
    assert roots == [1]
    assert not any(t.head is t for t in CONJOINED)  # the comparison the rules once made
    assert syntax.governing_verb(CONJOINED[2]).i == 1  # type: ignore[union-attr]  # "Syria": met

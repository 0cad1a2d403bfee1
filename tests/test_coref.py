"""Coreference of relation arguments: roles, speakers, gender, armed groups (frozen parses, no model)."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from kg.extract.actors import Actors
from kg.extract.coref import Coref, Role
from kg.extract.lexicon import load_lexicon
from kg.extract.reading import sentence_units
from kg.gazetteer import Gazetteer, load_gazetteer
from kg.normalize import name_key

from .frozen_docs import frozen_doc
from .test_relations import GAZETTEER_TTL, extract, triples


@pytest.fixture(scope="module")
def gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    path = tmp_path_factory.mktemp("gaz") / "gazetteer.ttl"
    path.write_text(GAZETTEER_TTL, encoding="utf-8")
    return load_gazetteer(path)

PARSES: dict[str, tuple[str, list[tuple[int, int, str]]]] = {
    "secretary": (
        'US|US|PROPN|NNP|nmod|1 Secretary|Secretary|PROPN|NNP|nmod|5 of|of|ADP|IN|prep|1 State|State|PROPN|NNP|pobj|2 Antony|Antony|PROPN|NNP|compound|5 Blinken|Blinken|PROPN|NNP|nsubj|6 arrived|arrive|VERB|VBD|ROOT|6 in|in|ADP|IN|prep|6 Baghdad|Baghdad|PROPN|NNP|pobj|7|- .|.|PUNCT|.|punct|6 The|the|DET|DT|det|11 Secretary|Secretary|PROPN|NNP|nsubj|12 urged|urge|VERB|VBD|ROOT|12 the|the|DET|DT|det|15 Iraqi|iraqi|ADJ|JJ|amod|15 government|government|NOUN|NN|dobj|12 to|to|PART|TO|aux|17 protect|protect|VERB|VB|xcomp|12 US|US|PROPN|NNP|compound|19 troops|troop|NOUN|NNS|dobj|17|- .|.|PUNCT|.|punct|12|-',
        [(0, 1, 'Country'), (4, 6, 'Person'), (8, 9, 'Settlement'), (14, 16, 'Country'), (18, 19, 'Country')],
    ),
    "speaker_he": (
        'Sudani|Sudani|PROPN|NNP|nsubj|1 told|tell|VERB|VBD|ROOT|1 Erdogan|Erdogan|PROPN|NNP|dobj|1 that|that|SCONJ|IN|mark|5 he|he|PRON|PRP|nsubj|5 supports|support|VERB|VBZ|ccomp|1 the|the|DET|DT|det|7 coalition|coalition|NOUN|NN|dobj|5|- .|.|PUNCT|.|punct|1|-',
        [(0, 1, 'Person'), (2, 3, 'Person'), (7, 8, 'InternationalOrganization')],
    ),
    "speaker_it": (
        'The|the|DET|DT|det|2 Iraqi|iraqi|ADJ|JJ|amod|2 government|government|NOUN|NN|nsubj|3 said|say|VERB|VBD|ROOT|3 that|that|SCONJ|IN|mark|6 it|it|PRON|PRP|nsubj|6 condemns|condemn|VERB|VBZ|ccomp|3 the|the|DET|DT|det|9 Turkish|turkish|ADJ|JJ|amod|9 airstrikes|airstrike|NOUN|NNS|dobj|6|- .|.|PUNCT|.|punct|3|-',
        [(1, 3, 'Country'), (8, 9, 'NORP')],
    ),
    "head_of_government": (
        'The|the|DET|DT|det|1 office|office|NOUN|NN|nsubj|7 of|of|ADP|IN|prep|1 Mohammed|Mohammed|PROPN|NNP|compound|6 al|al|PROPN|NNP|compound|6|- -|-|PROPN|NNP|compound|6|- Sudani|Sudani|PROPN|NNP|pobj|2 released|release|VERB|VBD|ROOT|7 a|a|DET|DT|det|9 photo|photo|NOUN|NN|dobj|7|- .|.|PUNCT|.|punct|7 The|the|DET|DT|det|12 head|head|NOUN|NN|nsubj|15 of|of|ADP|IN|prep|12 government|government|NOUN|NN|pobj|13 met|meet|VERB|VBD|ROOT|15 Turkish|turkish|ADJ|JJ|amod|17 officials|official|NOUN|NNS|dobj|15|- .|.|PUNCT|.|punct|15|-',
        [(3, 7, 'Person'), (16, 17, 'NORP')],
    ),
    "no_antecedent": (
        'The|the|DET|DT|det|1 group|group|NOUN|NN|nsubj|2 pledged|pledge|VERB|VBD|ROOT|2 to|to|PART|TO|aux|4 continue|continue|VERB|VB|xcomp|2 its|its|PRON|PRP$|poss|6 attacks|attack|NOUN|NNS|dobj|4 on|on|ADP|IN|prep|6 US|US|PROPN|NNP|compound|9 forces|force|NOUN|NNS|pobj|7|- .|.|PUNCT|.|punct|2|-',
        [(8, 9, 'Country')],
    ),

}


def make_doc(name: str, gazetteer: Gazetteer) -> Doc:
    rows, ents = PARSES[name]
    return frozen_doc(rows, ents, gazetteer)


def coref_for(doc: Doc, gazetteer: Gazetteer, roles: dict[str, list[Role]] | None = None) -> Coref:
    lexicon = load_lexicon()
    actors = Actors(doc, gazetteer, lexicon)
    sent_of = [0] * len(doc)
    for n, (start, end) in enumerate(sentence_units(doc)):
        for i in range(start, end):
            sent_of[i] = n
    for i in range(1, len(doc)):
        sent_of[i] = max(sent_of[i], sent_of[i - 1])
    return Coref(doc, actors, lexicon, sent_of, roles or {})


def token(doc: Doc, text: str, nth: int = 0) -> int:
    return [t.i for t in doc if t.text == text][nth]


def test_the_secretary_is_the_person_given_that_title(gazetteer: Gazetteer) -> None:
    doc = make_doc("secretary", gazetteer)
    got = triples(doc, extract(doc, gazetteer))
    assert ("Antony Blinken", "requested", "Iraqi government") in got
    assert ("Antony Blinken", "leaderOf", "Secretary of State") in got  # the title names the department


def test_role_description_without_known_role_resolves_to_nothing(gazetteer: Gazetteer) -> None:
    doc = make_doc("secretary", gazetteer)
    coref = coref_for(doc, gazetteer)  # no roles recorded
    assert coref.resolve(doc[token(doc, "Secretary", 1)]) is None


def test_role_description_with_recorded_role(gazetteer: Gazetteer) -> None:
    doc = make_doc("secretary", gazetteer)
    key = "name:" + name_key("Antony Blinken")  # a person outside the gazetteer is keyed by name
    coref = coref_for(doc, gazetteer, {key: [Role("secretary of state", "leaderOf", None)]})
    found = coref.resolve(doc[token(doc, "Secretary", 1)])
    assert found is not None and found.text == "Antony Blinken"


def test_pronoun_in_reported_clause_is_the_speaker_not_the_nearest_person(gazetteer: Gazetteer) -> None:
    doc = make_doc("speaker_he", gazetteer)
    coref = coref_for(doc, gazetteer)
    found = coref.resolve(doc[token(doc, "he")])
    assert found is not None and found.text == "Sudani"
    assert ("Sudani", "supported", "coalition") in triples(doc, extract(doc, gazetteer))


def test_it_in_reported_clause_is_the_speaking_organization(gazetteer: Gazetteer) -> None:
    doc = make_doc("speaker_it", gazetteer)
    assert triples(doc, extract(doc, gazetteer)) == {("Iraqi government", "criticized", "Turkish")}


def test_head_of_government_is_the_only_person_just_named(gazetteer: Gazetteer) -> None:
    doc = make_doc("head_of_government", gazetteer)
    assert ("Mohammed al-Sudani", "consulted", "Turkish") in triples(doc, extract(doc, gazetteer))


def test_the_group_without_antecedent_resolves_to_nothing(gazetteer: Gazetteer) -> None:
    doc = make_doc("no_antecedent", gazetteer)
    coref = coref_for(doc, gazetteer)
    assert coref.resolve(doc[token(doc, "group")]) is None
    assert extract(doc, gazetteer) == []


@pytest.mark.parametrize("word", ["She", "he", "it", "they"])
def test_pronouns_before_any_name_resolve_to_nothing(gazetteer: Gazetteer, word: str) -> None:
    doc = Doc(spacy.blank("en").vocab, words=[word, "spoke", "."], pos=["PRON", "VERB", "PUNCT"],
              tags=["PRP", "VBD", "."], deps=["nsubj", "ROOT", "punct"], heads=[1, 1, 1])
    assert coref_for(doc, gazetteer).resolve(doc[0]) is None

"""One Doc is read once: what the rules ask again and again of the same word is found once per Doc.

The extractor's cost is Python-level access to spaCy tokens; these tests pin the memo tables and
shared objects that keep it down, on frozen parses of invented sentences (tests/rule_docs.py).
"""

from __future__ import annotations

import gc
import weakref

import pytest

from kg.extract import dates, modality, syntax, temporal
from kg.extract.assemble import Assembler
from kg.extract.extractor import extract_article
from kg.extract.findings import Finding
from kg.gazetteer import Gazetteer
from kg.vocab import Predicate

from .rule_docs import reading_of, rule_gazetteer

# Jordan promised to send aid to Lebanon.
PROMISED_AID = (
    'Jordan|Jordan|PROPN|NNP|nsubj|1 promised|promise|VERB|VBD|ROOT|1 to|to|PART|TO|aux|3 send|send|VERB|VB|xcomp|1 aid|aid|NOUN|NN|dobj|3 to|to|ADP|IN|prep|3 Lebanon|Lebanon|PROPN|NNP|pobj|5|- .|.|PUNCT|.|punct|1|-',
    [(0, 1, 'Country'), (6, 7, 'Country')],
)


@pytest.fixture(scope="module")
def gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    return rule_gazetteer(tmp_path_factory.mktemp("gaz"))


def test_one_coder_per_doc_answers_each_word_once(gazetteer: Gazetteer) -> None:
    reading = reading_of(PROMISED_AID, gazetteer)
    assert reading.coder is reading.coder and reading.clauses.coder is reading.coder
    send, aid = reading.doc[3], reading.doc[4]
    match = reading.coder.code(send)
    assert match is not None and match.key == "send"
    # another Token object for the same word gets the answer already found, not a new one
    assert reading.coder.code(reading.doc[3]) is match
    coding = reading.coder.code_noun(aid)
    assert coding is not None and reading.coder.code_noun(reading.doc[4]) is coding
    assert reading.clauses.consumed(send) is reading.clauses.consumed(reading.doc[3])


def test_an_entity_is_one_argument(gazetteer: Gazetteer) -> None:
    reading = reading_of(PROMISED_AID, gazetteer)
    jordan = reading.actors.ent_at[0]
    arg = reading.actors.ent_arg(jordan)
    assert arg.text == "Jordan" and arg.cls == "Country"
    assert reading.actors.ent_arg(reading.doc.ents[0]) is arg


# Jordan met Lebanon on Tuesday.
MET_ON_TUESDAY = (
    'Jordan|Jordan|PROPN|NNP|nsubj|1 met|meet|VERB|VBD|ROOT|1 Lebanon|Lebanon|PROPN|NNP|dobj|1 on|on|ADP|IN|prep|1 Tuesday|Tuesday|PROPN|NNP|pobj|3|- .|.|PUNCT|.|punct|1|-',
    [(0, 1, 'Country'), (2, 3, 'Country'), (4, 5, 'DATE')],
)


def _date_lookups() -> int:
    info = temporal.resolve.cache_info()
    return info.hits + info.misses


def test_a_relation_date_is_looked_for_only_once_a_pair_holds(gazetteer: Gazetteer) -> None:
    reading = reading_of(MET_ON_TUESDAY, gazetteer)
    jordan, lebanon = (reading.actors.ent_arg(e) for e in reading.doc.ents[:2])
    assembler = Assembler(reading)
    before = _date_lookups()
    # one party twice is no relation: its date costs nothing
    assert assembler.relations([Finding(None, Predicate.CONSULTED, 1, (jordan,), (jordan,))]) == []
    assert _date_lookups() == before
    (relation,) = assembler.relations([Finding(None, Predicate.CONSULTED, 1, (jordan,), (lebanon,))])
    assert _date_lookups() > before
    assert ("time_text", "on Tuesday") in relation.qualifiers


def test_the_words_of_a_doc_are_built_once(gazetteer: Gazetteer) -> None:
    reading = reading_of(PROMISED_AID, gazetteer)
    assert [t.text for t in reading.tokens] == [t.text for t in reading.doc]
    assert all(t.doc is reading.doc and t.i == i for i, t in enumerate(reading.tokens))
    promised = reading.doc[1]
    assert (reading.texts[1], reading.lowers[1], reading.lemmas[1], reading.pos[1], reading.deps[1]) == (
        promised.text, promised.lower_, promised.lemma_.lower(), promised.pos_, promised.dep_
    )
    assert reading.lemmas[0] == "jordan" and len(reading.pos) == len(reading.doc)


# Jordan met Lebanon on Tuesday in March.
MET_TWO_DATES = (
    'Jordan|Jordan|PROPN|NNP|nsubj|1 met|meet|VERB|VBD|ROOT|1 Lebanon|Lebanon|PROPN|NNP|dobj|1 on|on|ADP|IN|prep|1 Tuesday|Tuesday|PROPN|NNP|pobj|3 in|in|ADP|IN|prep|1 March|March|PROPN|NNP|pobj|5|- .|.|PUNCT|.|punct|1|-',
    [(0, 1, 'Country'), (2, 3, 'Country'), (4, 5, 'DATE'), (6, 7, 'DATE')],
)


def test_a_date_after_the_one_an_act_takes_is_not_resolved(gazetteer: Gazetteer) -> None:
    reading = reading_of(MET_TWO_DATES, gazetteer)
    span, met = reading.unit_span(0), reading.doc[1]
    assert [w.text for w in dates.dates_near(reading, [met], span)] == ["on Tuesday", "in March"]
    before = _date_lookups()
    when = dates.attached(reading, [met], span)
    assert when is not None and when.text == "on Tuesday"
    assert _date_lookups() == before + 1


def test_a_words_prepositions_and_conjuncts_are_found_once(gazetteer: Gazetteer) -> None:
    reading = reading_of(MET_TWO_DATES, gazetteer)
    met = reading.doc[1]
    found = syntax.preps(met)
    assert [(w, t.text) for w, t in found] == [("on", "Tuesday"), ("in", "March")]
    assert syntax.preps(reading.doc[1]) is found
    # the word asked about comes back as the very object given, whoever asked first
    again = reading.doc[0]
    assert syntax.conjuncts(reading.doc[0])[0] is not again and syntax.conjuncts(again)[0] is again
    assert modality.negated(met) is False


def test_the_words_of_titles_are_gathered_once_per_lexicon(gazetteer: Gazetteer) -> None:
    reading = reading_of(PROMISED_AID, gazetteer)
    assert "minister" in reading.lexicon.title_words
    assert reading.coref.title_words is reading.lexicon.title_words
    assert reading_of(PROMISED_AID, gazetteer).coref.title_words is reading.coref.title_words


def test_the_entities_of_a_doc_are_built_once(gazetteer: Gazetteer) -> None:
    reading = reading_of(PROMISED_AID, gazetteer)
    assert [e.text for e in reading.actors.ents] == ["Jordan", "Lebanon"]
    assert reading.actors.ent_at[6] is reading.actors.ents[1]


def test_a_cameo_codes_coding_is_found_once(gazetteer: Gazetteer) -> None:
    lexicon = reading_of(PROMISED_AID, gazetteer).lexicon
    coding = lexicon.coding("1952")  # a code the table has only through its parent
    assert coding is not None and coding.code == "1952"
    assert lexicon.coding("1952") is coding


def test_the_text_of_a_doc_is_joined_once(gazetteer: Gazetteer) -> None:
    reading = reading_of(MET_TWO_DATES, gazetteer)
    assert reading.text == reading.doc.text == "Jordan met Lebanon on Tuesday in March."
    assert reading.text is reading.text


def test_a_verb_without_frames_reads_none_of_its_phrases(gazetteer: Gazetteer) -> None:
    lexicon = reading_of(PROMISED_AID, gazetteer).lexicon
    verb = next(k for k, e in sorted(lexicon.verbs.items()) if not e.frames and e.code and " " not in k)
    # Jordan <verb> Lebanon on Tuesday.
    parse = (
        f'Jordan|Jordan|PROPN|NNP|nsubj|1 {verb}|{verb}|VERB|VB|ROOT|1 Lebanon|Lebanon|PROPN|NNP|dobj|1 '
        'on|on|ADP|IN|prep|1 Tuesday|Tuesday|PROPN|NNP|pobj|3|- .|.|PUNCT|.|punct|1|-',
        [(0, 1, 'Country'), (2, 3, 'Country'), (4, 5, 'DATE')],
    )
    reading = reading_of(parse, gazetteer)
    match = reading.coder.code(reading.doc[1])
    assert match is not None and match.key == verb and match.specific == 0
    assert 1 not in reading.doc.user_data.get("kg_preps", {})


def test_a_noun_no_event_key_holds_is_not_read_further(gazetteer: Gazetteer) -> None:
    reading = reading_of(MET_TWO_DATES, gazetteer)
    assert {"aid", "strike"} <= reading.lexicon.event_noun_parts
    tuesday = reading.doc[4]
    assert reading.coder.code_noun(tuesday) is None
    assert 4 not in reading.doc.user_data.get("kg_preps", {})
    other = reading_of(PROMISED_AID, gazetteer)
    assert other.coder.code_noun(other.doc[4]) is not None  # "aid"


def test_a_doc_is_freed_once_read_without_the_cycle_collector(gazetteer: Gazetteer) -> None:
    # The memo tables hold the Doc's tokens, which hold the Doc: extract_article drops them, so a
    # Doc goes when its caller lets it go, not at the next full collection (memory and collector time).
    reading = reading_of(PROMISED_AID, gazetteer)
    doc, article = reading.doc, reading.article
    del reading
    extraction = extract_article(doc, article, gazetteer)
    assert extraction.events and not any(key in doc.user_data for key in ("kg_dates", "kg_conjuncts", "kg_preps"))
    freed = weakref.ref(doc)
    gc.disable()
    try:
        del doc
        assert freed() is None
    finally:
        gc.enable()

"""The NLP stage: the model is a setting passed in, and kg's components follow the model's NER (no model loaded)."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc
from spacy.util import registry
from typer.testing import CliRunner

from kg.cli import app
from kg.gazetteer import Gazetteer, GazetteerEntry
from kg.nlp import (
    DEFAULT_MODEL,
    MODEL_ENV,
    add_components,
    model_name,
    paragraph_breaks,
)


def test_the_model_is_the_one_given_else_the_default_whatever_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # The CLI reads KG_MODEL (kg build --help shows it); the library only takes what it is given.
    monkeypatch.setenv(MODEL_ENV, "en_core_web_trf")
    assert model_name(None) == DEFAULT_MODEL
    assert model_name("en_core_web_lg") == "en_core_web_lg"


def test_kg_build_reads_the_model_from_kg_model(tmp_path: Path) -> None:
    seed = tmp_path / "a.txt"
    seed.write_text("Iraq talks\n\nIraq met Iran in Baghdad.\n", encoding="utf-8")
    arguments = ["build", str(seed), "-o", str(tmp_path / "out")]
    result = CliRunner().invoke(app, arguments, env={MODEL_ENV: "kg_no_such_model"})
    assert result.exit_code == 1
    assert "cannot load spaCy model 'kg_no_such_model'" in result.output


def test_importing_the_stage_registers_every_component_it_adds() -> None:
    factories = registry.factories.get_all()
    assert {"kg_paragraph_breaks", "kg_token_keys", "kg_gazetteer_ruler", "kg_entity_fixes"} <= set(factories)


def _gazetteer() -> Gazetteer:
    iraq = GazetteerEntry("iraq", "Iraq", "Country", aliases=("IQ",))
    return Gazetteer({"iraq": iraq})


def test_the_components_come_right_after_the_ner_and_before_what_follows_it() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("ner")
    nlp.add_pipe("sentencizer")
    add_components(nlp, _gazetteer())
    assert nlp.pipe_names == ["ner", "kg_token_keys", "kg_gazetteer", "kg_entity_fixes", "sentencizer"]


def test_without_a_ner_the_components_come_last() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    add_components(nlp, _gazetteer())
    assert nlp.pipe_names == ["sentencizer", "kg_token_keys", "kg_gazetteer", "kg_entity_fixes"]
    doc = nlp("Officials in Iraq spoke.")
    assert [(e.text, e.label_, e.ent_id_) for e in doc.ents] == [("Iraq", "Country", "iraq")]


def test_a_line_break_starts_a_sentence_and_nothing_else_does() -> None:
    doc = Doc(spacy.blank("en").vocab, words=["Iraq", "talks", "\n", "Baghdad", "said", "so"])
    paragraph_breaks(doc)
    assert [t.is_sent_start for t in doc] == [True, None, None, True, None, None]

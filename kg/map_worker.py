"""The per-article map: articles -> extractions, as a worker runs it (a local process or a Dask worker).

A pure function of its input and settings, and the only code a worker runs: the local pool
(``kg.pipeline``) and Dask (``kg.distributed``) both call :func:`extract_batch`.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

from spacy.language import Language

from kg.extract.extractor import extract_article
from kg.extract.lexicon import load_lexicon
from kg.gazetteer import Gazetteer, GazetteerLayers, load_layers
from kg.ingest import token_count
from kg.model import Article, Extraction
from kg.nlp import build_pipeline

DEFAULT_BATCH_SIZE = 32  # measured best for the small model (FINDINGS.md)
# The parser and NER need about 17 KB per token of a batch (measured, small model): a batch stops at this
# many tokens (kg.ingest.token_count), about 700 MB: one longest article and some.
MAX_BATCH_TOKENS = 40_000
_DEFAULT_LAYERS = GazetteerLayers()


def _batches(articles: Iterable[Article], batch_size: int) -> Iterator[list[Article]]:
    """Articles in batches of at most ``batch_size`` articles and ``MAX_BATCH_TOKENS`` tokens."""
    batch: list[Article] = []
    size = 0
    for article in articles:
        tokens = token_count(article.text)
        if batch and (len(batch) >= batch_size or size + tokens > MAX_BATCH_TOKENS):
            yield batch
            batch, size = [], 0
        batch.append(article)
        size += tokens
    if batch:
        yield batch


def extract(articles: Iterable[Article], nlp: Language, gazetteer: Gazetteer, batch_size: int) -> Iterator[Extraction]:
    """Run the pipeline over articles, streaming: no Doc outlives its article."""
    stream = (
        (doc, article)
        for batch in _batches(articles, batch_size)
        for doc, article in nlp.pipe(((a.text, a) for a in batch), as_tuples=True, batch_size=len(batch))
    )
    for doc, article in stream:
        yield extract_article(doc, article, gazetteer)


def worker_pipeline(model: str | None, layers: GazetteerLayers = _DEFAULT_LAYERS) -> tuple[Language, Gazetteer]:
    """The pipeline of this process for a model and gazetteer layers, loaded once (a worker serves many tasks)."""
    # The layers are loaded each time (cached by file content), so an edited gazetteer file gets a new pipeline.
    gazetteer = load_layers(layers)
    return _pipeline(model, gazetteer), gazetteer


@lru_cache(maxsize=2)
def _pipeline(model: str | None, gazetteer: Gazetteer) -> Language:
    nlp = build_pipeline(model, gazetteer)
    load_lexicon()
    # The model, the lexicon and the gazetteers live as long as the process: out of the collector's
    # reach, each full collection no longer walks their objects again (measured on a 300-article
    # build: 0.41 s of full collections before, 0.07 s after).
    gc.freeze()
    return nlp


def extract_batch(
    articles: Sequence[Article],
    model: str | None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    layers: GazetteerLayers = _DEFAULT_LAYERS,
) -> list[Extraction]:
    """The per-article map, a pure function of its input: runs in a worker process or on a Dask worker."""
    nlp, gazetteer = worker_pipeline(model, layers)
    return list(extract(articles, nlp, gazetteer, batch_size))

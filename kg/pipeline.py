"""Chains the stages: ingest -> nlp -> extract -> resolve -> graph."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from spacy.language import Language

from kg.errors import InputError, KGError
from kg.extract import entities, events, relations
from kg.gazetteer import Gazetteer, load_gazetteer
from kg.graph import build_graph
from kg.ingest import iter_articles
from kg.model import Article, Extraction, Resolution
from kg.nlp import build_pipeline
from kg.resolve import resolve

DEFAULT_BATCH_SIZE = 32  # measured best for the small model (FINDINGS.md)


@dataclass(frozen=True, slots=True)
class Settings:
    """What a build depends on besides its input."""

    model: str | None = None
    batch_size: int = DEFAULT_BATCH_SIZE


@dataclass(frozen=True, slots=True)
class BuildResult:
    graph: Graph
    extractions: tuple[Extraction, ...]
    resolution: Resolution
    skipped: tuple[KGError, ...]


def extract(articles: Iterable[Article], nlp: Language, gazetteer: Gazetteer, batch_size: int) -> Iterator[Extraction]:
    """Run the pipeline over articles, streaming: no Doc outlives its article."""
    stream = ((article.text, article) for article in articles)
    for doc, article in nlp.pipe(stream, as_tuples=True, batch_size=batch_size):
        # One relation engine per Doc: the event and claim readers reuse its arguments and coreference.
        engine = relations.extractor(doc, article, gazetteer)
        found = engine.run()
        found_events, found_claims = events.events_and_claims(doc, article, gazetteer, engine)
        yield Extraction(
            article=article,
            mentions=tuple(entities.mentions(doc, article)),
            relations=tuple(found),
            events=tuple(found_events),
            claims=tuple(found_claims),
        )


def build(
    paths: Sequence[Path],
    settings: Settings = Settings(),
    on_error: Callable[[KGError], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
    nlp: Language | None = None,
) -> BuildResult:
    """Build one resolved graph from files and folders of articles.

    Bad inputs are reported through ``on_error`` and skipped; ``progress`` is
    called with (articles done, articles in all).
    """
    skipped: list[KGError] = []

    def skip(error: InputError) -> None:
        skipped.append(error)
        if on_error is not None:
            on_error(error)

    articles = list(iter_articles(paths, skip))
    gazetteer = load_gazetteer()
    if not articles:
        empty = Resolution(entities=())
        return BuildResult(build_graph([], empty), (), empty, tuple(skipped))
    nlp = nlp or build_pipeline(settings.model, gazetteer)
    extractions: list[Extraction] = []
    for extraction in extract(articles, nlp, gazetteer, settings.batch_size):
        extractions.append(extraction)
        if progress is not None:
            progress(len(extractions), len(articles))
    resolution = resolve(extractions, gazetteer)
    graph = build_graph(extractions, resolution)
    return BuildResult(graph, tuple(extractions), resolution, tuple(skipped))

"""Chains the stages: ingest -> nlp -> extract -> resolve -> graph."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import IO

from rdflib import Graph

from kg.cache import ExtractionCache, IngestCache, TurtleCache
from kg.corrections import (
    Applied,
    apply_corrections,
    correction_triples,
    read_corrections,
)
from kg.distributed import map_on_dask
from kg.errors import InputError, KGError, SkippedInputs
from kg.fingerprints import extractor_fingerprint, ingest_fingerprint, turtle_fingerprint
from kg.gazetteer import GazetteerLayers, load_layers
from kg.graph import article_content, article_node, article_spans, build_graph, entity_triples, iter_triples
from kg.ingest import InputNotice, iter_articles
from kg.map_worker import DEFAULT_BATCH_SIZE, extract_batch
from kg.model import Article, Extraction, Resolution
from kg.nlp import model_name, model_version
from kg.rdf import Triple
from kg.rdflib_bridge import to_rdflib
from kg.resolve import resolve
from kg.turtle import PartTurtle, join_parts, part_turtle, stream_turtle

# Articles per task handed to a worker: at most CHUNK_SIZE, so results stream back and memory stays flat.
CHUNK_SIZE = 64
# The last chunks shrink to this, so that the build waits little for a worker's last ones (1,000
# articles, two jobs: 0.2 s of waiting with 4, 0.8 s with 8); smaller, batching in nlp.pipe loses more.
MIN_CHUNK = 4
# A worker takes about as long to start (import, gazetteer, model) as the build takes to read 40
# articles: fewer than this many are made sooner by the build alone, whatever --jobs says
# (measured, 2 jobs against 1: 24 articles 5.4 s against 4.9 s; 48 articles 6.2 s against 6.7 s).
MIN_SHARED = 32


@dataclass(frozen=True, slots=True)
class Settings:
    """What a build depends on besides its input."""

    model: str | None = None
    batch_size: int = DEFAULT_BATCH_SIZE
    jobs: int = 1
    cache_dir: Path | None = None
    dask_address: str | None = None
    # Refuse to build, before anything is written (the cache included), if any input is skipped.
    strict: bool = False
    # The gazetteer layers extraction and resolution use (the user's files, domain, world).
    gazetteer: GazetteerLayers = field(default_factory=GazetteerLayers)
    # A corrections file (kg.corrections), applied after resolution on every build.
    corrections: Path | None = None


@dataclass(frozen=True)
class BuildResult:
    extractions: tuple[Extraction, ...]
    resolution: Resolution
    skipped: tuple[KGError, ...]
    cached: int = 0
    # seconds spent per stage: ingest, extract (model and rules), resolve
    timings: tuple[tuple[str, float], ...] = ()
    # what ingest told about inputs it read (encodings, dropped dates, merged copies, files not read)
    notices: tuple[InputNotice, ...] = ()
    # paragraphs removed as boilerplate or metadata, by kind, most first
    dropped: tuple[tuple[str, int], ...] = ()
    # the corrections applied, in file order, with what each changed
    corrections: tuple[Applied, ...] = ()
    # With a cache: its folder, and the extraction cache's key of each extraction (None for one
    # corrections changed), so that graph.ttl takes an article's share from the build that made it.
    cache_dir: Path | None = None
    sources: tuple[str | None, ...] = ()

    @cached_property
    def graph(self) -> Graph:
        """The graph in memory (rdflib); large builds stream it with ``triples()`` instead."""
        graph = build_graph(self.extractions, self.resolution)
        graph.addN(
            (to_rdflib(s), to_rdflib(p), to_rdflib(o), graph) for s, p, o in correction_triples(self.corrections)
        )
        return graph

    def triples(self, full: bool = True) -> Iterator[Triple]:
        """The graph as a stream; ``full=False`` gives only what the network view reads."""
        yield from iter_triples(self.extractions, self.resolution, full)
        if full:
            yield from correction_triples(self.corrections)

    def write_turtle(self, output: str | IO[bytes], on_warning: Callable[[str], None] | None = None) -> int:
        """graph.ttl, the bytes of ``stream_turtle(self.triples(), output)``; returns the number of distinct triples.

        With a cache, what each article's text gives the file is made once and kept
        (``kg.cache.TurtleCache``): a rebuild makes it for new and changed articles only,
        and for those whose spans now resolve to another entity or label, then joins
        it with the rest, which is made afresh (the entities, the article nodes, corrections).
        """
        if self.cache_dir is None:
            return stream_turtle(self.triples(), output)
        # Made afresh every time: what does not depend on one article alone, and the articles' own nodes,
        # whose origin (file and line) and outlet may change with an unchanged text.
        others = [
            *entity_triples(self.resolution),
            *(triple for e in self.extractions for triple in article_node(e.article)),
            *correction_triples(self.corrections),
        ]
        try:
            count = join_parts(self._parts(self.cache_dir / "turtle.sqlite", on_warning), others, output)
        except ValueError:  # Turtle that does not cut into one block per subject: never seen, but then written whole
            count = None
        return stream_turtle(self.triples(), output) if count is None else count

    def _parts(self, path: Path, on_warning: Callable[[str], None] | None) -> list[PartTurtle]:
        labels = {entity.id: entity.label for entity in self.resolution.entities}
        spans = article_spans(self.resolution)
        with TurtleCache(path, turtle_fingerprint(), on_warning) as cache:
            keys = [
                cache.key(source, spans[e.article.id], labels) if source is not None else None
                for e, source in zip(self.extractions, self.sources, strict=True)
            ]
            found = cache.get_many([key for key in keys if key is not None])
            parts, made = [], []
            for extraction, key in zip(self.extractions, keys, strict=True):
                part = found.get(key) if key is not None else None
                if part is None:
                    made_of = spans[extraction.article.id]
                    part = part_turtle(article_content(extraction, self.resolution, labels, made_of))
                    if key is not None:
                        made.append((key, part))
                parts.append(part)
            cache.put_many(made)
        return parts


def _chunks(todo: list[Article], workers: int) -> list[list[Article]]:
    """Tasks for ``workers`` workers: full chunks first, then smaller and smaller ones.

    The shrinking tail (each chunk a quarter of a worker's share of what is left)
    makes the workers finish within a small chunk of each other, instead of one
    idling while another ends a big one.
    """
    if workers == 1:
        return [todo[i : i + CHUNK_SIZE] for i in range(0, len(todo), CHUNK_SIZE)]
    chunks, start = [], 0
    while start < len(todo):
        size = min(CHUNK_SIZE, max(MIN_CHUNK, (len(todo) - start) // (4 * workers)))
        chunks.append(todo[start : start + size])
        start += size
    return chunks


def _die_with_parent(parent: int) -> None:
    """Worker initializer: end this worker as soon as the build that started it ends, even killed by SIGKILL.

    Otherwise a worker whose parent is killed waits for tasks forever, holding its model in memory.
    """
    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        try:
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent was gone before the request above
        os._exit(1)
    # Where prctl is missing (macOS, BSD), or failed: watch for being handed to another parent.
    threading.Thread(target=_watch_parent, args=(parent,), name="kg-watch-parent", daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


def _map(chunks: list[list[Article]], settings: Settings) -> Iterator[list[Extraction]]:
    """Results of ``extract_batch`` over chunks, as they are made, wherever the settings say to run them."""
    if settings.dask_address:
        yield from map_on_dask(settings.dask_address, chunks, settings.model, settings.batch_size, settings.gazetteer)
    elif settings.jobs > 1 and len(chunks) > 1 and sum(map(len, chunks)) >= MIN_SHARED:
        # spawn: a worker must not inherit the parent's threads (the progress bar has one).
        context = multiprocessing.get_context("spawn")
        # This process is one of the jobs: it has the gazetteer loaded and starts at once.
        with ProcessPoolExecutor(
            max_workers=settings.jobs - 1, mp_context=context, initializer=_die_with_parent, initargs=(os.getpid(),)
        ) as pool:
            yield from _shared(pool, chunks, settings)
    else:
        for chunk in chunks:
            yield _extract(chunk, settings)


def _extract(chunk: list[Article], settings: Settings) -> list[Extraction]:
    return extract_batch(chunk, settings.model, settings.batch_size, settings.gazetteer)


def _shared(pool: Executor, chunks: list[list[Article]], settings: Settings) -> Iterator[list[Extraction]]:
    """Results of the chunks, shared between the pool's workers and this process, as they are made.

    Each worker is kept two chunks ahead (one at work, one waiting) and this process takes the
    next chunk itself: it starts at once, while the workers are still loading, and at the end
    waits for at most what was handed to them last.
    """
    todo = deque(chunks)
    handed: deque[Future[list[Extraction]]] = deque()
    ahead = 2 * (settings.jobs - 1)
    try:
        while todo or handed:
            while todo and len(handed) < ahead:
                # extract_batch itself, not a function of this module: a worker imports only kg.map_worker.
                handed.append(
                    pool.submit(extract_batch, todo.popleft(), settings.model, settings.batch_size, settings.gazetteer)
                )
            if todo:
                yield _extract(todo.popleft(), settings)
            for future in [f for f in handed if f.done() or not todo]:
                handed.remove(future)
                yield future.result()
    finally:
        for future in handed:
            future.cancel()


def _cache(settings: Settings, on_warning: Callable[[str], None] | None) -> ExtractionCache | None:
    if settings.cache_dir is None:
        return None
    name = model_name(settings.model)
    fingerprint = extractor_fingerprint(name, model_version(name), load_layers(settings.gazetteer).fingerprint)
    return ExtractionCache(settings.cache_dir / "extractions.sqlite", fingerprint, on_warning)


def check_settings(settings: Settings) -> None:
    """Load the gazetteer layers and read the corrections file, so that their errors come before anything is written.

    Raises:
        OntologyError: a gazetteer file is missing or malformed.
        CorrectionError: the corrections file is missing or malformed.
    """
    load_layers(settings.gazetteer)
    if settings.corrections is not None:
        read_corrections(settings.corrections)


def build(
    paths: Sequence[Path],
    settings: Settings = Settings(),
    on_error: Callable[[KGError], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
    on_warning: Callable[[str], None] | None = None,
    on_notice: Callable[[InputNotice], None] | None = None,
) -> BuildResult:
    """Build one resolved graph from files and folders of articles.

    Bad inputs are reported through ``on_error`` and skipped; ``progress`` is
    called with (articles done, articles in all). With a cache, only articles
    whose result is not cached go through the model; a cache that cannot be used
    is reported once through ``on_warning`` and the build goes on without it.
    What ingest tells about inputs it read is passed to ``on_notice`` (never an error).
    Corrections that name nothing in this build are reported through ``on_warning``.

    Raises:
        SkippedInputs: ``settings.strict`` and an input was skipped.
        OntologyError, CorrectionError: as ``check_settings``, before any input is read.
    """
    gazetteer = load_layers(settings.gazetteer)
    corrections = read_corrections(settings.corrections) if settings.corrections is not None else ()
    skipped: list[KGError] = []

    def skip(error: InputError) -> None:
        skipped.append(error)
        if on_error is not None:
            on_error(error)

    notices: list[InputNotice] = []

    def note(notice: InputNotice) -> None:
        notices.append(notice)
        if on_notice is not None:
            on_notice(notice)

    clock = time.perf_counter()
    dropped: Counter[str] = Counter()
    with ExitStack() as stack:
        memo = None
        if settings.cache_dir is not None:
            memo = stack.enter_context(IngestCache(settings.cache_dir / "ingest.sqlite", ingest_fingerprint()))
        articles = list(iter_articles(paths, skip, note, dropped, memo))
        if settings.strict and skipped:
            raise SkippedInputs(f"{len(skipped)} input(s) skipped; strict build, nothing written")
        if memo is not None and articles:
            memo.flush()
    ingested = time.perf_counter()
    cache = _cache(settings, on_warning) if articles else None
    done: dict[str, Extraction] = cache.get_many(articles) if cache else {}
    cached = len(done)
    todo = [a for a in articles if a.id not in done]
    # A Dask cluster's size is not known here: plan for at least two workers.
    chunks = _chunks(todo, max(settings.jobs, 2) if settings.dask_address else settings.jobs)
    try:
        for results in _map(chunks, settings):
            if cache:
                cache.put_many(results)
            done.update((e.article.id, e) for e in results)
            if progress is not None:
                progress(len(done), len(articles))
    finally:
        if cache:
            cache.close()
    extracted = time.perf_counter()
    extractions = tuple(done[a.id] for a in articles)
    resolution = resolve(extractions, gazetteer)
    applied: tuple[Applied, ...] = ()
    extracted_as = extractions
    if corrections:
        extractions, resolution, applied = apply_corrections(
            corrections, extractions, resolution, gazetteer, on_warning
        )
    # What names each extraction in the cache: the key it is stored under, unless a correction changed it.
    sources = tuple(
        cache.key(e.article) if cache and e is before else None
        for e, before in zip(extractions, extracted_as, strict=True)
    )
    timings = (
        ("ingest", ingested - clock),
        ("extract", extracted - ingested),
        ("resolve", time.perf_counter() - extracted),
    )
    return BuildResult(extractions, resolution, tuple(skipped), cached, timings, tuple(notices),
                       tuple(sorted(dropped.items(), key=lambda kv: (-kv[1], kv[0]))), applied,
                       settings.cache_dir if cache else None, sources)

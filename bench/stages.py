"""One measured build, in its own process: prints a JSON line of stage times and peak memory.

    python bench/stages.py CORPUS OUT --jobs 1 [--cache] [--store] [--bare] [--add FILE]

--add builds FILE too, a second input (the articles added for an incremental rebuild).

--bare times spaCy's ``nlp.pipe`` alone over the same texts, with the same model and
components (the floor no build can beat). Run by bench/run.py.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

from kg.gazetteer import load_gazetteer
from kg.ingest import iter_articles
from kg.map_worker import DEFAULT_BATCH_SIZE, worker_pipeline
from kg.outputs import Staged, write_atomic, write_store
from kg.pipeline import Settings, build
from kg.viz import graph_html


def _peak_mib(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def bare(corpus: Path) -> dict[str, float]:
    texts = [a.text for a in iter_articles([corpus], lambda e: None)]
    nlp, _ = worker_pipeline(None)
    started, cpu = time.perf_counter(), time.process_time()
    for _ in nlp.pipe(texts, batch_size=DEFAULT_BATCH_SIZE):
        pass
    return {
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - cpu,
        "articles": len(texts),
        "words": sum(len(t.split()) for t in texts),
    }


def full(corpus: list[Path], out: Path, jobs: int, cache: bool, store: bool) -> dict[str, float]:
    load_gazetteer()
    loading = time.perf_counter()
    if jobs == 1:
        worker_pipeline(None)  # reported apart, as for --bare; with --jobs the workers load theirs inside
    started, cpu = time.perf_counter(), time.process_time()
    result = build(corpus, Settings(jobs=jobs, cache_dir=out / ".cache" if cache else None))
    stages = dict(result.timings)
    clock = time.perf_counter()
    with Staged() as staged:
        triples = result.write_turtle(staged.file(out / "graph.ttl"))
        staged.commit()
    stages["write turtle"] = time.perf_counter() - clock
    clock = time.perf_counter()
    write_atomic(out / "graph.html", graph_html(result.triples(full=False)).encode("utf-8"))
    stages["write html"] = time.perf_counter() - clock
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    if store:  # an extra output, timed apart so builds with and without it compare
        clock = time.perf_counter()
        write_store(out / "store", result.triples())
        stages["write store"] = time.perf_counter() - clock
    words = sum(len(e.article.text.split()) for e in result.extractions)
    return {
        "seconds": seconds,
        # this process's CPU time (one job): the ratio to nlp.pipe's holds on a machine doing other work too
        "cpu_seconds": cpu_seconds,
        "model_load": started - loading,
        "articles": len(result.extractions),
        "words": words,
        "cached": result.cached,
        "entities": len(result.resolution.entities),
        "triples": triples,
        "turtle_mib": (out / "graph.ttl").stat().st_size / 2**20,
        "html_mib": (out / "graph.html").stat().st_size / 2**20,
        "stages": stages,  # type: ignore[dict-item]
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--cache", action="store_true")
    parser.add_argument("--store", action="store_true")
    parser.add_argument("--bare", action="store_true")
    parser.add_argument("--add", type=Path, action="append", default=[])
    args = parser.parse_args()
    loaded = time.perf_counter()
    inputs = [args.corpus, *args.add]
    report = bare(args.corpus) if args.bare else full(inputs, args.out, args.jobs, args.cache, args.store)
    report["peak_mib"] = _peak_mib(resource.RUSAGE_SELF)
    report["worker_peak_mib"] = _peak_mib(resource.RUSAGE_CHILDREN)
    report["process_seconds"] = time.perf_counter() - loaded
    print(json.dumps(report))


if __name__ == "__main__":
    main()

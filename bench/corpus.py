"""Synthetic corpora for benchmarks: N realistic articles made from the seeds.

Each article recombines seed paragraphs and swaps actors for others of the same
class from the gazetteer, so texts differ while keeping the seeds' language.
Deterministic: the same N gives the same file.

    python bench/corpus.py 1000 -o bench/corpus-1000.jsonl
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
from collections import defaultdict
from pathlib import Path

from kg.gazetteer import load_gazetteer
from kg.ingest import OUTLETS, iter_articles
from kg.vocab import ontology_dir

ROOT = Path(__file__).resolve().parent.parent


def _paragraphs() -> list[str]:
    errors: list[object] = []
    paragraphs: list[str] = []
    for article in iter_articles([ROOT / "seeds"], errors.append):
        body = article.text.split("\n\n")[1:]
        paragraphs.extend(p for p in body if len(p.split()) >= 8)
    return paragraphs


def _swaps(rng: random.Random) -> tuple[re.Pattern[str], dict[str, str]]:
    """A random one-to-one replacement of gazetteer labels by labels of the same class.

    The domain layer alone, so the corpora stay those BENCHMARKS.md measured.
    """
    by_class: dict[str, list[str]] = defaultdict(list)
    for entry in load_gazetteer(ontology_dir() / "gazetteer.ttl"):
        by_class[entry.cls].append(entry.label)
    mapping: dict[str, str] = {}
    for labels in by_class.values():
        shuffled = labels[:]
        rng.shuffle(shuffled)
        mapping.update(zip(labels, shuffled, strict=True))
    names = sorted(mapping, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b"), mapping


def make_corpus(n: int, seed: int = 0) -> list[dict[str, str]]:
    """``n`` articles as JSON-lines records (text, title, date, source)."""
    pool = _paragraphs()
    outlets = sorted(OUTLETS)
    start = dt.date(2023, 10, 17)
    records = []
    for i in range(n):
        rng = random.Random(f"{seed}-{i}")
        if i % 10 == 0:  # a new cast of actors every ten articles
            pattern, mapping = _swaps(rng)
        body = [
            pattern.sub(lambda m, names=mapping: names[m.group(0)], p)
            for p in rng.sample(pool, k=min(len(pool), rng.randint(6, 12)))
        ]
        title = body[0].split(". ")[0][:120]
        records.append({
            "title": title,
            "text": "\n\n".join(body),
            "date": (start + dt.timedelta(days=rng.randint(0, 180))).isoformat(),
            "source": rng.choice(outlets),
            "url": f"https://news.example/{seed}/{i}",
        })
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("w", encoding="utf-8") as handle:
        for record in make_corpus(args.n, args.seed):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()

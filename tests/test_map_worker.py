"""The per-article map: articles go through the model in batches bounded in articles and in tokens."""

from __future__ import annotations

import hashlib

import pytest

from kg.ingest import token_count
from kg.map_worker import MAX_BATCH_TOKENS, _batches
from kg.model import Article


def _article(words: int, n: int) -> Article:
    text = " ".join(["word"] * words)
    digest = hashlib.sha256(f"{n}{text}".encode()).hexdigest()
    return Article(id=digest[:16], origin=f"a{n}.txt", title="t", text=text, content_hash=digest)


@pytest.mark.parametrize(
    ("sizes", "batch_size", "expected"),
    [
        ([10] * 7, 3, [3, 3, 1]),
        # a batch stops before it would pass the token bound: one longest article and some
        ([MAX_BATCH_TOKENS // 2, MAX_BATCH_TOKENS // 2, 10, MAX_BATCH_TOKENS], 32, [2, 1, 1]),
        # an article over the bound is a batch of its own
        ([10, MAX_BATCH_TOKENS + 5, 10], 32, [1, 1, 1]),
    ],
)
def test_batches_are_bounded_in_articles_and_tokens_and_keep_the_order(
    sizes: list[int], batch_size: int, expected: list[int]
) -> None:
    articles = [_article(size, n) for n, size in enumerate(sizes)]
    batches = list(_batches(articles, batch_size))
    assert [len(b) for b in batches] == expected
    assert [a for b in batches for a in b] == articles
    for batch in batches:
        assert len(batch) == 1 or sum(token_count(a.text) for a in batch) <= MAX_BATCH_TOKENS

"""Property tests of the graph writer (no model): whatever the text, valid IRIs, Turtle that independent
parsers read, and literals that come back exactly as they went in."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.term import _is_valid_uri

from kg.graph import iter_triples
from kg.ingest import normalize_text
from kg.model import Article, Entity, Extraction, Mention, Ref, Relation, Resolution
from kg.normalize import slug
from kg.turtle import write_turtle
from kg.vocab import ENTITY, KG, PREFIXES, SCHEMA

from .hostile import FRAGMENTS, hostile_text

pytestmark = pytest.mark.fuzz
RAPPER = shutil.which("rapper")  # raptor2-utils: a third parser, in C (.ci/run installs it)
RDFS_LABEL = URIRef(PREFIXES["rdfs"] + "label")
SKOS_ALT = URIRef(PREFIXES["skos"] + "altLabel")
# Characters RFC 3987 keeps out of an IRI.
_NOT_IRI = re.compile(r"[\x00-\x20<>\"{}|\\^`\x7f-\x9f]")

# Any text at all but lone surrogates (ingest refuses those: tests/test_fuzz_ingest.py).
_ANY = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)
_RAW = st.one_of(hostile_text(6), _ANY, st.sampled_from(FRAGMENTS))


@st.composite
def graphs(draw: st.DrawFn, clean: bool) -> tuple[Article, Resolution, Extraction, list[str]]:
    """One article with entities named by hostile labels, a relation and qualifiers.

    With ``clean``, every string has been through ``normalize_text`` as ingest does.
    """
    def text(strategy: st.SearchStrategy[str] = _RAW) -> str:
        value = draw(strategy)
        return " ".join(normalize_text(value).split()) if clean else value

    body = text() or "x"
    title = text().replace("\n", " ") or "t"
    article_text = f"{title}\n\n{body}"
    digest = hashlib.sha256(article_text.encode("utf-8")).hexdigest()
    article = Article(
        id=digest[:16], origin=text() or "o", title=title, text=article_text,
        date=draw(st.none() | st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1))),
        source=text() or None, url=text() or None, dateline=text() or None, content_hash=digest,
    )
    labels = [label for label in (text().strip() for _ in range(draw(st.integers(2, 4)))) if label] or ["Iraq"]
    entities: dict[str, Entity] = {}
    for label in labels:
        ident = slug(label)
        entities.setdefault(ident, Entity(ident, label, draw(st.sampled_from(["Person", "ArmedGroup", "Settlement"])),
                                          alt_labels=tuple(sorted({text() or "a", label + "\u200f"}))))
    n = len(article_text)
    spans = sorted({(s, min(n, s + draw(st.integers(1, 20)))) for s in draw(st.lists(st.integers(0, n - 1), min_size=2,
                                                                                        max_size=4))})
    ids = sorted(entities)
    mentions = tuple(Mention(article.id, s, e, article_text[s:e], "Person") for s, e in spans)
    mention_entity = {(article.id, s, e): ids[i % len(ids)] for i, (s, e) in enumerate(spans)}
    relations: tuple[Relation, ...] = ()
    if len(spans) >= 2 and mention_entity[(article.id, *spans[0])] != mention_entity[(article.id, *spans[1])]:
        qualifiers = (("role", text() or "r"), ("time_text", text() or "t"), ("quantity", text() or "q"))
        relations = (Relation(article.id, Ref(*spans[0]), "attacked", Ref(*spans[1]), 0, n, text() or "rule", 0.5,
                              qualifiers),)
    resolution = Resolution(tuple(entities.values()), mention_entity)
    return article, resolution, Extraction(article, mentions, relations), labels


def _check_iri(iri: str) -> None:
    assert not _NOT_IRI.search(iri), iri
    assert _is_valid_uri(iri), iri
    ox.NamedNode(iri)


def _round_trip(article: Article, resolution: Resolution, extraction: Extraction, rapper: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "graph.ttl"
        written = write_turtle(path, iter_triples([extraction], resolution))
        data = path.read_bytes()
        ours = {(str(t.subject), str(t.predicate), str(t.object)) for t in ox.parse(data, format=ox.RdfFormat.TURTLE)}
        graph = Graph().parse(data=data, format="turtle")  # the independent parser
        if rapper and RAPPER:
            done = subprocess.run([RAPPER, "-q", "-i", "turtle", "-o", "ntriples", str(path)], capture_output=True)
            assert done.returncode == 0, done.stderr.decode(errors="replace")
            theirs = {(str(t.subject), str(t.predicate), str(t.object))
                      for t in ox.parse(done.stdout, format=ox.RdfFormat.N_TRIPLES)}
            assert theirs == ours
    assert len(graph) == len(ours) == written
    for s, p, o in graph:
        for term in (s, p, o):
            if isinstance(term, URIRef):
                _check_iri(str(term))
    # Every literal comes back exactly: labels, the article's text, each quote of it.
    for entity in resolution.entities:
        node = URIRef(ENTITY[entity.id])
        assert [str(v) for v in graph.objects(node, RDFS_LABEL)] == [entity.label]
        assert sorted(str(v) for v in graph.objects(node, SKOS_ALT)) == sorted(set(entity.alt_labels))
    texts = [str(v) for v in graph.objects(None, SCHEMA.text)]
    assert texts == [article.text]
    for field, prop in (("title", SCHEMA.headline), ("origin", KG.origin), ("source", SCHEMA.publisher),
                        ("dateline", KG.datelineText)):
        value = getattr(article, field)
        assert [str(v) for v in graph.objects(None, prop)] == ([value] if value else [])
    for mention in extraction.mentions:
        forms = {str(v) for v in graph.objects(None, KG.surfaceForm)}
        assert article.text[mention.start:mention.end] in forms
    if extraction.relations:
        relation = extraction.relations[0]
        assert [str(v) for v in graph.objects(None, KG.evidenceText)] == [article.text]
        assert {str(v) for v in graph.objects(None, KG.role)} == {dict(relation.qualifiers)["role"]}


@given(graphs(clean=False))
def test_any_text_gives_valid_iris_and_literals_that_round_trip(case: tuple[Article, Resolution, Extraction, list[str]]) -> None:
    """Any string (NUL, controls, U+2028, noncharacters, quotes, markup): two parsers read it back exactly."""
    article, resolution, extraction, _ = case
    _round_trip(article, resolution, extraction, rapper=False)


@given(graphs(clean=True))
def test_ingested_text_round_trips_through_three_parsers(case: tuple[Article, Resolution, Extraction, list[str]]) -> None:
    """Text as ingest leaves it: rdflib, pyoxigraph and raptor (C) all read the same triples."""
    article, resolution, extraction, _ = case
    _round_trip(article, resolution, extraction, rapper=True)


@given(st.one_of(_ANY, hostile_text(4), st.sampled_from(FRAGMENTS)))
def test_entity_iris_from_any_name_are_valid_and_distinct_from_empty(name: str) -> None:
    ident = slug(name)
    assert ident and ident == ident.strip("-")
    _check_iri(str(ENTITY[ident]))
    assert Literal(name).toPython() == name

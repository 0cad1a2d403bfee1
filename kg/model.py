"""Plain, frozen records that cross stage boundaries (no spaCy objects past extract/)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Article:
    """One news article after ingest: cleaned text plus the metadata found in it.

    ``text`` is what every character offset in the graph refers to: the title
    line, then the body, with boilerplate and metadata lines removed.
    """

    id: str
    origin: str
    title: str
    text: str
    date: dt.date | None = None
    source: str | None = None
    url: str | None = None
    dateline: str | None = None
    content_hash: str = ""


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of an article's text that names an actor or place.

    ``label`` is a class local name of the ontology (``Person``, ``Country``...);
    ``gazetteer_id`` is set when the span is a known alias of a gazetteer entry.
    """

    article_id: str
    start: int
    end: int
    text: str
    label: str
    gazetteer_id: str | None = None
    # Span of the long form this acronym abbreviates where the text defines it:
    # "Popular Mobilization Forces (PMF, ...)".
    alias_of: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class Ref:
    """What a relation argument points at: a mention's span, or a gazetteer entry.

    Demonyms ("Iraqi Prime Minister ...") point at an entity without naming it,
    so they carry ``gazetteer_id`` and the span of the word that implied it.
    """

    start: int
    end: int
    gazetteer_id: str | None = None


@dataclass(frozen=True, slots=True)
class Relation:
    """One piece of evidence for an edge: subject, predicate, object and the sentence."""

    article_id: str
    subject: Ref
    predicate: str
    object: Ref
    sentence_start: int
    sentence_end: int
    rule: str
    confidence: float
    qualifiers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything extracted from one article: the unit that is cached and mapped."""

    article: Article
    mentions: tuple[Mention, ...]
    relations: tuple[Relation, ...] = ()


@dataclass(frozen=True, slots=True)
class Entity:
    """One real-world actor or place after resolution."""

    id: str
    label: str
    cls: str
    alt_labels: tuple[str, ...] = ()
    gazetteer_id: str | None = None


@dataclass(frozen=True, slots=True)
class Resolution:
    """Resolved entities and, for every mention span, the entity it names."""

    entities: tuple[Entity, ...]
    # (article_id, start, end) -> entity id
    mention_entity: Mapping[tuple[str, int, int], str] = field(default_factory=dict)

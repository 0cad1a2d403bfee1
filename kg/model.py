"""Plain, frozen records that cross stage boundaries (no spaCy objects past extract/)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Publication:
    """One more place the same text was published (a syndicated copy): its file, outlet, URL and date.

    ``partial_date`` is the ISO year-month or year ("2024-02") when the copy gives no day.
    """

    origin: str
    source: str | None = None
    url: str | None = None
    date: dt.date | None = None
    partial_date: str | None = None

    @property
    def published(self) -> str | None:
        """The publication date in ISO form at the precision known ("2024-02-14", "2024-02"), or None."""
        return self.date.isoformat() if self.date else self.partial_date


@dataclass(frozen=True, slots=True)
class Article:
    """One news article after ingest: cleaned text plus the metadata found in it.

    ``text`` is what every character offset in the graph refers to: the title
    line, then the body, with boilerplate and metadata lines removed. ``date`` is
    a full date; when the source gives only a month or a year, ``date`` is None and
    ``partial_date`` holds it ("2024-02"). The article's own origin, source, URL
    and date are its first publication; ``publications`` are the other copies of
    the same text, in the order they were read.
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
    partial_date: str | None = None
    publications: tuple[Publication, ...] = ()

    @property
    def published(self) -> str | None:
        """The publication date in ISO form at the precision known ("2024-02-14", "2024-02"), or None."""
        return self.date.isoformat() if self.date else self.partial_date


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
class Event:
    """One concrete reported occurrence (one trigger in one sentence), typed with its PLOVER category.

    ``participants`` pairs a role ("actor", "target" or, for mutual events such
    as meetings, "participant") with the argument that plays it. ``time`` is ISO
    at the precision the text gives ("2024-02-29", "2024-02", "2023-W47"), and
    ``quantities`` are (kind, integer string) pairs: ("fatalities", "8").
    """

    article_id: str
    kind: str
    trigger_start: int
    trigger_end: int
    sentence_start: int
    sentence_end: int
    participants: tuple[tuple[str, Ref], ...] = ()
    place: Ref | None = None
    time: str | None = None
    time_text: str | None = None
    quantities: tuple[tuple[str, str], ...] = ()
    rule: str = ""
    # PLOVER mode and context of the wording ("visit", "military") and its CAMEO code
    mode: str = ""
    context: str = ""
    code: str = ""
    # (role, descriptor words, sector) of actors named by a descriptor: ("actor", "Iranian officials", "GOV")
    descriptors: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Claim:
    """A figure one article reports ("at least 102 attacks since October 17"), kept as said.

    Claims are never merged or reconciled: two outlets' counts are two claims.
    ``value`` is an integer string, ``approximation`` the hedge as written
    ("at least", "over", "around") or None. ``subject`` is whom the figure is
    about (the troops' country, the attacks' target); ``source`` who the text
    says reports it ("according to the Pentagon", "Washington has recorded").
    ``since`` is the start of the period a running count covers.
    """

    article_id: str
    measure: str
    value: str
    approximation: str | None
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    subject: Ref | None = None
    source: Ref | None = None
    places: tuple[Ref, ...] = ()
    since: str | None = None
    since_text: str | None = None
    time: str | None = None
    time_text: str | None = None
    rule: str = ""


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything extracted from one article: the unit that is cached and mapped."""

    article: Article
    mentions: tuple[Mention, ...]
    relations: tuple[Relation, ...] = ()
    events: tuple[Event, ...] = ()
    claims: tuple[Claim, ...] = ()


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

"""Entities, mentions and relations -> the graph of the contract, as a stream of triples (``kg.rdf.Triple``).

Triples are made as pyoxigraph terms, which cost a fraction of rdflib's to build
and serialise; ``build_graph`` converts them for code that wants an rdflib Graph.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from kg.model import Article, Claim, Event, Extraction, Ref, Relation, Resolution
from kg.rdf import Triple
from kg.rdflib_bridge import new_graph, rdflib_graph
from kg.vocab import ARTICLE, CLAIM, ENTITY, EVENT, KG, MENTION, PLOVER_CLASSES, PROV, SCHEMA, STATEMENT


class _Namespace:
    """IRIs under a base as pyoxigraph nodes; with a closed rdflib vocabulary, unknown names still raise.

    Names that recur across a build (vocabulary terms, entities, articles) are made once:
    building a node costs more than finding it again. One-off names (a mention, a
    statement) are not kept.
    """

    def __init__(self, namespace: Any, recurring: bool = True) -> None:
        closed = isinstance(namespace, type)  # an rdflib DefinedNamespace, whose base is its _NS
        self._base = str(namespace._NS) if closed else str(namespace)
        self._closed = namespace if closed else None
        self._lookup = lru_cache(maxsize=1 << 16)(self._node) if recurring else self._node

    def __getattr__(self, name: str) -> ox.NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        node = self._lookup(name)
        setattr(self, name, node)  # later lookups skip __getattr__
        return node

    def __getitem__(self, name: str) -> ox.NamedNode:
        return self._lookup(name)

    def _node(self, name: str) -> ox.NamedNode:
        if self._closed is not None:
            getattr(self._closed, name)  # a misspelt term raises here
        return ox.NamedNode(self._base + name)


_KG, _RDF, _RDFS, _SKOS, _XSD = _Namespace(KG), _Namespace(RDF), _Namespace(RDFS), _Namespace(SKOS), _Namespace(XSD)
_SCHEMA, _PROV = _Namespace(SCHEMA), _Namespace(PROV)
_ENTITY, _ARTICLE = _Namespace(ENTITY), _Namespace(ARTICLE)
_MENTION, _STATEMENT = _Namespace(MENTION, recurring=False), _Namespace(STATEMENT, recurring=False)
_EVENT, _CLAIM = _Namespace(EVENT, recurring=False), _Namespace(CLAIM, recurring=False)


def _lit(value: str | int | float, datatype: ox.NamedNode | None = None) -> ox.Literal:
    if isinstance(value, bool):
        raise TypeError("no boolean literals in this graph")
    if isinstance(value, int):
        return _integer(value)
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=datatype or _XSD.double)
    return ox.Literal(value, datatype=datatype) if datatype else ox.Literal(value)


@lru_cache(maxsize=1 << 16)
def _integer(value: int) -> ox.Literal:
    # Offsets and counts recur across mentions and articles.
    return ox.Literal(str(value), datatype=_XSD.integer)


# Qualifier keys a relation may carry, and the property each becomes on its statement node.
QUALIFIERS: dict[str, ox.NamedNode] = {
    "role": _KG.role,
    "quantity": _KG.quantity,
    "time": _KG.time,
    "time_text": _KG.timeText,
    "subject_descriptor": _KG.subjectDescriptor,
    "subject_sector": _KG.subjectSector,
    "object_descriptor": _KG.objectDescriptor,
    "object_sector": _KG.objectSector,
}
# Descriptor and sector of an event's actors and targets ("Iranian officials", GOV).
DESCRIPTORS: dict[str, tuple[ox.NamedNode, ox.NamedNode]] = {
    "actor": (_KG.actorDescriptor, _KG.actorSector),
    "target": (_KG.targetDescriptor, _KG.targetSector),
}
# Event participant roles and casualty counts, and the property each becomes on an event node.
ROLES: dict[str, ox.NamedNode] = {"actor": _KG.actor, "target": _KG.target, "participant": _KG.participant}
EVENT_QUANTITIES: dict[str, ox.NamedNode] = {"fatalities": _KG.fatalities, "injuries": _KG.injuries}
_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def article_iri(article: Article) -> ox.NamedNode:
    return _ARTICLE[article.id]


class _Triples(list):  # type: ignore[type-arg]
    """Collects one article's triples; ``add`` reads like rdflib's ``Graph.add``."""

    add = list.append


def entity_triples(resolution: Resolution) -> list[Triple]:
    """Class, label and alternative labels of every resolved entity."""
    graph = _Triples()
    for entity in resolution.entities:
        node = _ENTITY[entity.id]
        graph.add((node, _RDF.type, _KG[entity.cls]))
        graph.add((node, _RDFS.label, _lit(entity.label)))
        for alt in entity.alt_labels:
            graph.add((node, _SKOS.altLabel, _lit(alt)))
        if entity.gazetteer_id:
            graph.add((node, _KG.gazetteerEntry, _lit(entity.gazetteer_id)))
    return graph


def article_triples(
    extraction: Extraction,
    resolution: Resolution,
    labels: Mapping[str, str],
    spans: Sequence[tuple[int, int, str]],
    full: bool = True,
) -> list[Triple]:
    """Everything one article contributes: itself, its mentions, edges, statements, events and claims.

    ``spans`` are the article's (start, end, entity id) from the resolution. Without
    ``full``, only what the network view reads: no mention nodes, text, events or claims.
    """
    return article_node(extraction.article, full) + article_content(extraction, resolution, labels, spans, full)


def article_node(article: Article, full: bool = True) -> list[Triple]:
    """The article's node and its publications' (the part of ``article_triples`` made of its metadata)."""
    graph = _Triples()
    _add_article(graph, article, full)
    return graph


def article_content(
    extraction: Extraction,
    resolution: Resolution,
    labels: Mapping[str, str],
    spans: Sequence[tuple[int, int, str]],
    full: bool = True,
) -> list[Triple]:
    """What ``article_triples`` makes of the text but the article's node: a function of the article's id,
    text and date, its extraction, its spans and their entities' labels. None of its subjects is the
    article's node or a publication's."""
    graph = _Triples()
    article = extraction.article
    _add_mentions(graph, article, spans, full)
    _add_relations(graph, article, extraction.relations, resolution)
    if full:
        _add_events(graph, article, extraction.events, resolution, labels)
        _add_claims(graph, article, extraction.claims, resolution)
    return graph


def iter_triples(extractions: Iterable[Extraction], resolution: Resolution, full: bool = True) -> Iterator[Triple]:
    """The contract's graph as a stream, article by article (may repeat a triple)."""
    yield from entity_triples(resolution)
    labels = {entity.id: entity.label for entity in resolution.entities}
    spans = article_spans(resolution)
    for extraction in extractions:
        yield from article_triples(extraction, resolution, labels, spans[extraction.article.id], full)


def article_spans(resolution: Resolution) -> defaultdict[str, list[tuple[int, int, str]]]:
    """Each article's resolved spans, (start, end, entity id) in order, by article id (none for an article without)."""
    spans: defaultdict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for (article_id, start, end), entity_id in resolution.mention_entity.items():
        spans[article_id].append((start, end, entity_id))
    for found in spans.values():
        found.sort()
    return spans


def build_graph(extractions: Sequence[Extraction], resolution: Resolution) -> Graph:
    """The contract's graph in memory: entity nodes, articles, mentions, edges, statements, events, claims."""
    return rdflib_graph(iter_triples(extractions, resolution), new_graph())


def _add_article(graph: _Triples, article: Article, full: bool) -> None:
    """The article node: its first publication's outlet, URL and date on it, every other copy's on a node of its own."""
    node = article_iri(article)
    graph.add((node, _RDF.type, _SCHEMA.NewsArticle))
    graph.add((node, _SCHEMA.headline, _lit(article.title)))
    if article.published:
        graph.add((node, _SCHEMA.datePublished, _time_literal(article.published)))
    if article.source:
        graph.add((node, _SCHEMA.publisher, _lit(article.source)))
    if not full:
        return
    graph.add((node, _SCHEMA.text, _lit(article.text)))
    graph.add((node, _KG.contentHash, _lit(article.content_hash)))
    graph.add((node, _KG.origin, _lit(article.origin)))
    if article.url:
        graph.add((node, _SCHEMA.url, _lit(article.url, _XSD.anyURI)))
    if article.dateline:
        graph.add((node, _KG.datelineText, _lit(article.dateline)))
    for publication in article.publications:
        # Each copy's outlet, URL and date stay together on one node (``?article schema:publication? ?p``
        # reaches the article's own publication and every other).
        copy = _ARTICLE[f"{article.id}-{hashlib.sha256(publication.origin.encode('utf-8')).hexdigest()[:12]}"]
        graph.add((node, _SCHEMA.publication, copy))
        graph.add((copy, _RDF.type, _SCHEMA.PublicationEvent))
        graph.add((copy, _KG.origin, _lit(publication.origin)))
        if publication.published:
            graph.add((copy, _SCHEMA.datePublished, _time_literal(publication.published)))
        if publication.source:
            graph.add((copy, _SCHEMA.publisher, _lit(publication.source)))
        if publication.url:
            graph.add((copy, _SCHEMA.url, _lit(publication.url, _XSD.anyURI)))


def _add_mentions(graph: _Triples, article: Article, spans: Sequence[tuple[int, int, str]], full: bool) -> None:
    source = article_iri(article)
    mentioned_in, text = _KG.mentionedIn, article.text
    mention, mention_of, in_article = _KG.Mention, _KG.mentionOf, _KG.inArticle
    start_prop, end_prop, surface, rdf_type = _KG.start, _KG.end, _KG.surfaceForm, _RDF.type
    for start, end, entity_id in spans:
        entity = _ENTITY[entity_id]
        graph.add((entity, mentioned_in, source))
        if not full:
            continue
        node = _MENTION[f"{article.id}-{start}-{end}"]
        graph.extend((
            (node, rdf_type, mention),
            (node, mention_of, entity),
            (node, in_article, source),
            (node, start_prop, _integer(start)),
            (node, end_prop, _integer(end)),
            (node, surface, ox.Literal(text[start:end])),
        ))


def _add_relations(graph: _Triples, article: Article, relations: Iterable[Relation], resolution: Resolution) -> None:
    best: dict[str, tuple[str, str, Relation]] = {}
    for relation in relations:
        subject = resolution.mention_entity.get((article.id, relation.subject.start, relation.subject.end))
        obj = resolution.mention_entity.get((article.id, relation.object.start, relation.object.end))
        if subject is None or obj is None or subject == obj:
            continue
        ident = statement_id(article, subject, relation.predicate, obj, relation)
        # Two rules finding the same edge in the same sentence are one piece of evidence.
        if ident not in best or relation.confidence > best[ident][2].confidence:
            best[ident] = (subject, obj, relation)
    for ident, (subject, obj, relation) in sorted(best.items()):
        _add_statement(graph, article, ident, _ENTITY[subject], _KG[relation.predicate], _ENTITY[obj], relation)


def statement_id(article: Article, subject: str, predicate: str, obj: str, relation: Relation) -> str:
    """The local name of the statement node of ``relation`` once its ends are the entities ``subject`` and ``obj``."""
    raw = f"{article.id}|{subject}|{predicate}|{obj}|{relation.sentence_start}|{relation.sentence_end}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:20]


def _add_statement(
    graph: _Triples, article: Article, ident: str, s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode, relation: Relation
) -> None:
    graph.add((s, p, o))
    node = _STATEMENT[ident]
    graph.add((node, _RDF.type, _KG.Statement))
    graph.add((node, _RDF.subject, s))
    graph.add((node, _RDF.predicate, p))
    graph.add((node, _RDF.object, o))
    _add_evidence(graph, node, article, relation.sentence_start, relation.sentence_end, relation.rule)
    graph.add((node, _KG.confidence, _lit(str(round(relation.confidence, 3)), _XSD.decimal)))
    for key, value in relation.qualifiers:
        prop = QUALIFIERS.get(key)
        if prop is not None:
            graph.add((node, prop, _lit(value)))


def _entity_of(article: Article, ref: Ref | None, resolution: Resolution) -> str | None:
    if ref is None:
        return None
    return resolution.mention_entity.get((article.id, ref.start, ref.end))


def _add_time(
    graph: _Triples,
    node: ox.NamedNode,
    prop: ox.NamedNode,
    text_prop: ox.NamedNode,
    value: str | None,
    text: str | None,
) -> None:
    """A resolved time and the expression it was resolved from, each where known."""
    if value:
        graph.add((node, prop, _time_literal(value)))
    if text:
        graph.add((node, text_prop, _lit(text)))


def _time_literal(value: str) -> ox.Literal:
    """xsd:date for a full date; the ISO string as given otherwise ('2024-02', '2023-W47')."""
    return _lit(value, _XSD.date) if _FULL_DATE.match(value) else _lit(value)


def _record_id(article: Article, start: int, end: int, kind: str) -> str:
    raw = f"{article.id}|{start}|{end}|{kind}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:20]


def _add_evidence(graph: _Triples, node: ox.NamedNode, article: Article, start: int, end: int, rule: str) -> None:
    """Provenance shared by statements, events and claims: article, sentence and offsets, date, extractor."""
    graph.add((node, _PROV.wasDerivedFrom, article_iri(article)))
    graph.add((node, _KG.evidenceText, _lit(article.text[start:end])))
    graph.add((node, _KG.start, _lit(start)))
    graph.add((node, _KG.end, _lit(end)))
    if rule:
        graph.add((node, _KG.extractor, _lit(rule)))
    if article.date:
        graph.add((node, _KG.articleDate, _lit(article.date.isoformat(), _XSD.date)))


def _add_anchor(graph: _Triples, node: ox.NamedNode, article: Article, start: int, end: int) -> None:
    graph.add((node, _KG.anchorText, _lit(article.text[start:end])))
    graph.add((node, _KG.anchorStart, _lit(start)))
    graph.add((node, _KG.anchorEnd, _lit(end)))


def _add_events(
    graph: _Triples, article: Article, events: Iterable[Event], resolution: Resolution, labels: Mapping[str, str]
) -> None:
    """One node per event: PLOVER class, participants by role, place, time, casualties, evidence."""
    for event in events:
        roles: list[tuple[str, str]] = []
        for role, ref in event.participants:
            entity = _entity_of(article, ref, resolution)
            if entity is not None and role in ROLES and (role, entity) not in roles:
                roles.append((role, entity))
        if not roles or event.kind not in PLOVER_CLASSES:
            continue
        node = _EVENT[_record_id(article, event.trigger_start, event.trigger_end, event.kind)]
        graph.add((node, _RDF.type, _KG.Event))
        graph.add((node, _RDF.type, _KG[PLOVER_CLASSES[event.kind]]))
        graph.add((node, _KG.ploverType, _lit(event.kind)))
        graph.add((node, _SCHEMA.name, _lit(_event_name(article, event, roles, labels))))
        for role, entity in roles:
            graph.add((node, ROLES[role], _ENTITY[entity]))
        place = _entity_of(article, event.place, resolution)
        if place is not None:
            graph.add((node, _KG.place, _ENTITY[place]))
        _add_time(graph, node, _KG.time, _KG.timeText, event.time, event.time_text)
        for kind, value in event.quantities:
            prop = EVENT_QUANTITIES.get(kind)
            if prop is not None and value.isdigit():
                graph.add((node, prop, _lit(int(value))))
        for prop, value in (
            (_KG.ploverMode, event.mode),
            (_KG.ploverContext, event.context),
            (_KG.cameoCode, event.code),
        ):
            if value:
                graph.add((node, prop, _lit(value)))
        for role, words, sector in event.descriptors:
            if role in DESCRIPTORS:
                for prop, value in zip(DESCRIPTORS[role], (words, sector), strict=True):
                    if value:
                        graph.add((node, prop, _lit(value)))
        _add_anchor(graph, node, article, event.trigger_start, event.trigger_end)
        _add_evidence(graph, node, article, event.sentence_start, event.sentence_end, event.rule)


def _event_name(article: Article, event: Event, roles: Sequence[tuple[str, str]], labels: Mapping[str, str]) -> str:
    """'ASSAULT (drone strike): United States -> Harakat Hezbollah al-Nujaba; 2024-02-29'."""
    def names(role: str) -> str:
        return ", ".join(labels.get(e, e) for r, e in roles if r == role)

    actors, targets, others = names("actor"), names("target"), names("participant")
    who = others if others else f"{actors or '?'} -> {targets or '?'}"
    when = event.time or event.time_text
    name = f"{event.kind} ({article.text[event.trigger_start:event.trigger_end]}): {who}"
    return f"{name}; {when}" if when else name


def _add_claims(graph: _Triples, article: Article, claims: Iterable[Claim], resolution: Resolution) -> None:
    """One node per reported figure: measure, value and hedge as written, whom it is about, who reports it."""
    for claim in claims:
        if not claim.value.isdigit():
            continue
        node = _CLAIM[_record_id(article, claim.start, claim.end, claim.measure)]
        graph.add((node, _RDF.type, _KG.Claim))
        graph.add((node, _SCHEMA.name, _lit(article.text[claim.start : claim.end])))
        graph.add((node, _KG.measure, _lit(claim.measure)))
        graph.add((node, _KG.value, _lit(int(claim.value))))
        if claim.approximation:
            graph.add((node, _KG.approximation, _lit(claim.approximation)))
        subject = _entity_of(article, claim.subject, resolution)
        if subject is not None:
            graph.add((node, _KG.about, _ENTITY[subject]))
        source = _entity_of(article, claim.source, resolution)
        if source is not None:
            graph.add((node, _KG.reportedBy, _ENTITY[source]))
        for ref in claim.places:
            place = _entity_of(article, ref, resolution)
            if place is not None:
                graph.add((node, _KG.place, _ENTITY[place]))
        _add_time(graph, node, _KG.since, _KG.sinceText, claim.since, claim.since_text)
        _add_time(graph, node, _KG.time, _KG.timeText, claim.time, claim.time_text)
        _add_anchor(graph, node, article, claim.start, claim.end)
        _add_evidence(graph, node, article, claim.sentence_start, claim.sentence_end, claim.rule)

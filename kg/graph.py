"""Entities, mentions and relations -> one rdflib Graph following the graph contract."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.term import Node
from rdflib.namespace import SKOS

from kg.model import Article, Claim, Event, Extraction, Ref, Relation, Resolution
from kg.vocab import ARTICLE, CLAIM, ENTITY, EVENT, KG, MENTION, PLOVER_CLASSES, PREFIXES, PROV, SCHEMA, STATEMENT

# Qualifier keys a relation may carry, and the property each becomes on its statement node.
QUALIFIERS: dict[str, URIRef] = {
    "role": KG.role,
    "quantity": KG.quantity,
    "time": KG.time,
    "time_text": KG.timeText,
}
# Event participant roles and casualty counts, and the property each becomes on an event node.
ROLES: dict[str, URIRef] = {"actor": KG.actor, "target": KG.target, "participant": KG.participant}
EVENT_QUANTITIES: dict[str, URIRef] = {"fatalities": KG.fatalities, "injuries": KG.injuries}
_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def new_graph() -> Graph:
    """An empty graph with the fixed prefixes bound."""
    graph = Graph(bind_namespaces="none")
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri)
    return graph


def article_iri(article: Article) -> URIRef:
    return ARTICLE[article.id]


Triple = tuple[Node, Node, Node]


class _Triples(list):  # type: ignore[type-arg]
    """Collects one article's triples; ``add`` reads like rdflib's ``Graph.add``."""

    add = list.append


def entity_triples(resolution: Resolution) -> list[Triple]:
    """Class, label and alternative labels of every resolved entity."""
    graph = _Triples()
    for entity in resolution.entities:
        node = ENTITY[entity.id]
        graph.add((node, RDF.type, KG[entity.cls]))
        graph.add((node, RDFS.label, Literal(entity.label)))
        for alt in entity.alt_labels:
            graph.add((node, SKOS.altLabel, Literal(alt)))
        if entity.gazetteer_id:
            graph.add((node, KG.gazetteerEntry, Literal(entity.gazetteer_id)))
    return graph


def article_triples(extraction: Extraction, resolution: Resolution, labels: Mapping[str, str]) -> list[Triple]:
    """Everything one article contributes: itself, its mentions, edges, statements, events and claims."""
    graph = _Triples()
    _add_article(graph, extraction.article)
    _add_mentions(graph, extraction, resolution)
    _add_relations(graph, extraction.article, extraction.relations, resolution)
    _add_events(graph, extraction.article, extraction.events, resolution, labels)
    _add_claims(graph, extraction.article, extraction.claims, resolution)
    return graph


def iter_triples(extractions: Iterable[Extraction], resolution: Resolution) -> Iterator[Triple]:
    """The contract's graph as a stream, article by article (may repeat a triple)."""
    yield from entity_triples(resolution)
    labels = {entity.id: entity.label for entity in resolution.entities}
    for extraction in extractions:
        yield from article_triples(extraction, resolution, labels)


def build_graph(extractions: Sequence[Extraction], resolution: Resolution) -> Graph:
    """The contract's graph in memory: entity nodes, articles, mentions, edges, statements, events, claims."""
    graph = new_graph()
    graph.addN((s, p, o, graph) for s, p, o in iter_triples(extractions, resolution))
    return graph


def _add_article(graph: _Triples, article: Article) -> None:
    node = article_iri(article)
    graph.add((node, RDF.type, SCHEMA.NewsArticle))
    graph.add((node, SCHEMA.headline, Literal(article.title)))
    graph.add((node, SCHEMA.text, Literal(article.text)))
    graph.add((node, KG.contentHash, Literal(article.content_hash)))
    graph.add((node, KG.origin, Literal(article.origin)))
    if article.date:
        graph.add((node, SCHEMA.datePublished, Literal(article.date.isoformat(), datatype=XSD.date)))
    if article.source:
        graph.add((node, SCHEMA.publisher, Literal(article.source)))
    if article.url:
        graph.add((node, SCHEMA.url, Literal(article.url, datatype=XSD.anyURI)))
    if article.dateline:
        graph.add((node, KG.datelineText, Literal(article.dateline)))


def _add_mentions(graph: _Triples, extraction: Extraction, resolution: Resolution) -> None:
    article = extraction.article
    spans = {(m.start, m.end) for m in extraction.mentions}
    spans |= {(k[1], k[2]) for k in resolution.mention_entity if k[0] == article.id}
    for start, end in sorted(spans):
        entity_id = resolution.mention_entity.get((article.id, start, end))
        if entity_id is None:
            continue
        node = MENTION[f"{article.id}-{start}-{end}"]
        graph.add((node, RDF.type, KG.Mention))
        graph.add((node, KG.mentionOf, ENTITY[entity_id]))
        graph.add((node, KG.inArticle, article_iri(article)))
        graph.add((node, KG.start, Literal(start)))
        graph.add((node, KG.end, Literal(end)))
        graph.add((node, KG.surfaceForm, Literal(article.text[start:end])))
        graph.add((ENTITY[entity_id], KG.mentionedIn, article_iri(article)))


def _add_relations(graph: _Triples, article: Article, relations: Iterable[Relation], resolution: Resolution) -> None:
    best: dict[str, tuple[str, str, Relation]] = {}
    for relation in relations:
        subject = resolution.mention_entity.get((article.id, relation.subject.start, relation.subject.end))
        obj = resolution.mention_entity.get((article.id, relation.object.start, relation.object.end))
        if subject is None or obj is None or subject == obj:
            continue
        ident = _statement_id(article, subject, relation.predicate, obj, relation)
        # Two rules finding the same edge in the same sentence are one piece of evidence.
        if ident not in best or relation.confidence > best[ident][2].confidence:
            best[ident] = (subject, obj, relation)
    for ident, (subject, obj, relation) in sorted(best.items()):
        _add_statement(graph, article, ident, ENTITY[subject], KG[relation.predicate], ENTITY[obj], relation)


def _statement_id(article: Article, subject: str, predicate: str, obj: str, relation: Relation) -> str:
    raw = f"{article.id}|{subject}|{predicate}|{obj}|{relation.sentence_start}|{relation.sentence_end}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:20]


def _add_statement(graph: _Triples, article: Article, ident: str, s: URIRef, p: URIRef, o: URIRef, relation: Relation
) -> None:
    graph.add((s, p, o))
    node = STATEMENT[ident]
    graph.add((node, RDF.type, KG.Statement))
    graph.add((node, RDF.subject, s))
    graph.add((node, RDF.predicate, p))
    graph.add((node, RDF.object, o))
    _add_evidence(graph, node, article, relation.sentence_start, relation.sentence_end, relation.rule)
    graph.add((node, KG.confidence, Literal(round(relation.confidence, 3), datatype=XSD.decimal)))
    for key, value in relation.qualifiers:
        prop = QUALIFIERS.get(key)
        if prop is not None:
            graph.add((node, prop, Literal(value)))


def _entity_of(article: Article, ref: Ref | None, resolution: Resolution) -> str | None:
    if ref is None:
        return None
    return resolution.mention_entity.get((article.id, ref.start, ref.end))


def _time_literal(value: str) -> Literal:
    """xsd:date for a full date; the ISO string as given otherwise ('2024-02', '2023-W47')."""
    return Literal(value, datatype=XSD.date) if _FULL_DATE.match(value) else Literal(value)


def _record_id(article: Article, start: int, end: int, kind: str) -> str:
    raw = f"{article.id}|{start}|{end}|{kind}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:20]


def _add_evidence(graph: _Triples, node: URIRef, article: Article, start: int, end: int, rule: str) -> None:
    """Provenance shared by statements, events and claims: article, sentence and offsets, date, extractor."""
    graph.add((node, PROV.wasDerivedFrom, article_iri(article)))
    graph.add((node, KG.evidenceText, Literal(article.text[start:end])))
    graph.add((node, KG.start, Literal(start)))
    graph.add((node, KG.end, Literal(end)))
    if rule:
        graph.add((node, KG.extractor, Literal(rule)))
    if article.date:
        graph.add((node, KG.articleDate, Literal(article.date.isoformat(), datatype=XSD.date)))


def _add_anchor(graph: _Triples, node: URIRef, article: Article, start: int, end: int) -> None:
    graph.add((node, KG.anchorText, Literal(article.text[start:end])))
    graph.add((node, KG.anchorStart, Literal(start)))
    graph.add((node, KG.anchorEnd, Literal(end)))


def _add_events(graph: _Triples, article: Article, events: Iterable[Event], resolution: Resolution, labels: Mapping[str, str]
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
        node = EVENT[_record_id(article, event.trigger_start, event.trigger_end, event.kind)]
        graph.add((node, RDF.type, KG.Event))
        graph.add((node, RDF.type, KG[PLOVER_CLASSES[event.kind]]))
        graph.add((node, KG.ploverType, Literal(event.kind)))
        graph.add((node, SCHEMA.name, Literal(_event_name(article, event, roles, labels))))
        for role, entity in roles:
            graph.add((node, ROLES[role], ENTITY[entity]))
        place = _entity_of(article, event.place, resolution)
        if place is not None:
            graph.add((node, KG.place, ENTITY[place]))
        if event.time:
            graph.add((node, KG.time, _time_literal(event.time)))
        if event.time_text:
            graph.add((node, KG.timeText, Literal(event.time_text)))
        for kind, value in event.quantities:
            prop = EVENT_QUANTITIES.get(kind)
            if prop is not None and value.isdigit():
                graph.add((node, prop, Literal(int(value))))
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
        node = CLAIM[_record_id(article, claim.start, claim.end, claim.measure)]
        graph.add((node, RDF.type, KG.Claim))
        graph.add((node, SCHEMA.name, Literal(article.text[claim.start : claim.end])))
        graph.add((node, KG.measure, Literal(claim.measure)))
        graph.add((node, KG.value, Literal(int(claim.value))))
        if claim.approximation:
            graph.add((node, KG.approximation, Literal(claim.approximation)))
        subject = _entity_of(article, claim.subject, resolution)
        if subject is not None:
            graph.add((node, KG.about, ENTITY[subject]))
        source = _entity_of(article, claim.source, resolution)
        if source is not None:
            graph.add((node, KG.reportedBy, ENTITY[source]))
        for ref in claim.places:
            place = _entity_of(article, ref, resolution)
            if place is not None:
                graph.add((node, KG.place, ENTITY[place]))
        if claim.since:
            graph.add((node, KG.since, _time_literal(claim.since)))
        if claim.since_text:
            graph.add((node, KG.sinceText, Literal(claim.since_text)))
        if claim.time:
            graph.add((node, KG.time, _time_literal(claim.time)))
        if claim.time_text:
            graph.add((node, KG.timeText, Literal(claim.time_text)))
        _add_anchor(graph, node, article, claim.start, claim.end)
        _add_evidence(graph, node, article, claim.sentence_start, claim.sentence_end, claim.rule)

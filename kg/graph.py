"""Entities, mentions and relations -> one rdflib Graph following the graph contract."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kg.model import Article, Extraction, Relation, Resolution
from kg.vocab import ARTICLE, ENTITY, KG, MENTION, PREFIXES, PROV, SCHEMA, STATEMENT

# Qualifier keys a relation may carry, and the property each becomes on its statement node.
QUALIFIERS: dict[str, URIRef] = {
    "role": KG.role,
    "quantity": KG.quantity,
    "time": KG.time,
    "time_text": KG.timeText,
}


def new_graph() -> Graph:
    """An empty graph with the fixed prefixes bound."""
    graph = Graph(bind_namespaces="none")
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri)
    return graph


def article_iri(article: Article) -> URIRef:
    return ARTICLE[article.id]


def build_graph(extractions: Sequence[Extraction], resolution: Resolution) -> Graph:
    """The contract's graph: entity nodes, articles, mentions, direct edges and statement nodes."""
    graph = new_graph()
    for entity in resolution.entities:
        node = ENTITY[entity.id]
        graph.add((node, RDF.type, KG[entity.cls]))
        graph.add((node, RDFS.label, Literal(entity.label)))
        for alt in entity.alt_labels:
            graph.add((node, SKOS.altLabel, Literal(alt)))
        if entity.gazetteer_id:
            graph.add((node, KG.gazetteerEntry, Literal(entity.gazetteer_id)))
    for extraction in extractions:
        _add_article(graph, extraction.article)
        _add_mentions(graph, extraction, resolution)
        _add_relations(graph, extraction.article, extraction.relations, resolution)
    return graph


def _add_article(graph: Graph, article: Article) -> None:
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


def _add_mentions(graph: Graph, extraction: Extraction, resolution: Resolution) -> None:
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


def _add_relations(graph: Graph, article: Article, relations: Iterable[Relation], resolution: Resolution) -> None:
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


def _add_statement(
    graph: Graph, article: Article, ident: str, s: URIRef, p: URIRef, o: URIRef, relation: Relation
) -> None:
    graph.add((s, p, o))
    node = STATEMENT[ident]
    graph.add((node, RDF.type, KG.Statement))
    graph.add((node, RDF.subject, s))
    graph.add((node, RDF.predicate, p))
    graph.add((node, RDF.object, o))
    graph.add((node, PROV.wasDerivedFrom, article_iri(article)))
    graph.add((node, KG.evidenceText, Literal(article.text[relation.sentence_start : relation.sentence_end])))
    graph.add((node, KG.start, Literal(relation.sentence_start)))
    graph.add((node, KG.end, Literal(relation.sentence_end)))
    graph.add((node, KG.extractor, Literal(relation.rule)))
    graph.add((node, KG.confidence, Literal(round(relation.confidence, 3), datatype=XSD.decimal)))
    if article.date:
        graph.add((node, KG.articleDate, Literal(article.date.isoformat(), datatype=XSD.date)))
    for key, value in relation.qualifiers:
        prop = QUALIFIERS.get(key)
        if prop is not None:
            graph.add((node, prop, Literal(value)))

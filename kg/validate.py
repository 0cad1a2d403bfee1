"""Validation of a built graph: SHACL (``ontology/shapes.ttl``, with pyshacl) and truthfulness checks.

SHACL checks the shape of each node. The truthfulness checks compare nodes with
each other, which shapes cannot do: every edge has a statement giving its
evidence, every quoted sentence, anchor and surface form is the slice of its
article's text that its offsets say, every entity is named by a mention in
each article said to mention it, nothing cites an article missing from the
graph, and each article's content hash is that of its text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.term import BNode, Node

from kg.errors import OntologyError
from kg.rdf import Term, Triple, compact
from kg.rdflib_bridge import rdflib_graph, to_oxigraph
from kg.vocab import CLASS_TOP, KG, PROV, RELATION_PREDICATES, SCHEMA, ontology_dir

SH = Namespace("http://www.w3.org/ns/shacl#")
KGSH = Namespace("https://w3id.org/kg-news/shapes#")

# Truthfulness check (reported as its shape, ``kgsh:<name>``) -> what it asks of the graph.
TRUTH_CHECKS: dict[str, str] = {
    "EdgeEvidenceCheck": "every relation edge has a kg:Statement naming it, with its evidence",
    "StatementEdgeCheck": "every statement's edge is asserted as a direct triple",
    "OffsetCheck": "every quoted text is the slice of its article's schema:text between its offsets",
    "EntityMentionCheck": "every entity is named by a kg:Mention in each article said to mention it",
    "CitedArticleCheck": "every statement, event, claim and mention cites an article of the graph",
    "ContentHashCheck": "an article's kg:contentHash is the SHA-256 of its schema:text",
}
# Quoted text -> the offsets that locate it in the article.
_QUOTES = ((KG.evidenceText, KG.start, KG.end), (KG.anchorText, KG.anchorStart, KG.anchorEnd),
           (KG.surfaceForm, KG.start, KG.end))


@dataclass(frozen=True, slots=True)
class Violation:
    """One result of the SHACL report or of a truthfulness check, with the node shape it belongs to."""

    focus: Term
    shape: Term  # the named node shape (a property shape's parent), the source shape, or kgsh:<check>
    path: Term | None
    value: Term | None
    message: str
    severity: str
    constraint: str


class _Found(NamedTuple):
    """A violation as pyshacl and the checks find it, on the rdflib graph they read."""

    focus: Node
    shape: Node
    path: Node | None
    value: Node | None
    message: str
    severity: str
    constraint: str

    def violation(self) -> Violation:
        def term(node: Node | None) -> Term | None:
            return None if node is None else to_oxigraph(node)

        return Violation(to_oxigraph(self.focus), to_oxigraph(self.shape), term(self.path), term(self.value),
                         self.message, self.severity, self.constraint)

    def key(self) -> tuple[str, str, str, str, str, str]:
        return (str(self.focus), str(self.shape), str(self.path), self.constraint, str(self.value), self.message)


@dataclass(frozen=True, slots=True)
class Report:
    conforms: bool
    violations: tuple[Violation, ...]
    focus_nodes: int  # distinct nodes with at least one result


def _load(name: str) -> Graph:
    path = ontology_dir() / name
    try:
        return Graph().parse(path, format="turtle")
    except Exception as exc:  # rdflib parsers raise many unrelated types
        raise OntologyError(f"{path}: cannot be read ({exc})") from None


def _local(node: Node | None) -> str:
    text = str(node) if node is not None else ""
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def validate(triples: Iterable[Triple], shapes: Path | None = None, truth: bool = True) -> Report:
    """Validate a graph against the shapes (default ``ontology/shapes.ttl``), with the ontology's class tree.

    With ``truth``, the truthfulness checks (``TRUTH_CHECKS``) run too and their
    violations are reported with the SHACL ones.
    """
    from pyshacl import validate as shacl_validate

    graph = rdflib_graph(triples)  # pyshacl reads rdflib
    shapes_graph = Graph().parse(shapes, format="turtle") if shapes else _load("shapes.ttl")
    conforms, results, _ = shacl_validate(
        graph, shacl_graph=shapes_graph, ont_graph=_load("kg.ttl"), inference="none", abort_on_first=False,
        allow_warnings=True,
    )
    parents = {prop: shape for shape, prop in shapes_graph.subject_objects(SH.property)}
    violations: list[_Found] = []
    for result in results.subjects(SH.resultSeverity, None):
        source = results.value(result, SH.sourceShape)
        shape = parents.get(source, source) if isinstance(source, BNode) else source
        message = results.value(result, SH.resultMessage)
        violations.append(_Found(
            focus=results.value(result, SH.focusNode),
            shape=shape,
            path=results.value(result, SH.resultPath),
            value=results.value(result, SH.value),
            message=str(message) if message is not None else "",
            severity=_local(results.value(result, SH.resultSeverity)),
            constraint=_local(results.value(result, SH.sourceConstraintComponent)),
        ))
    if truth:
        violations.extend(_truth(graph))
    violations.sort(key=_Found.key)
    return Report(bool(conforms) and not violations, tuple(v.violation() for v in violations),
                  len({v.focus for v in violations}))


def _violation(focus: Node, check: str, path: Node | None, value: Node | None, message: str) -> _Found:
    return _Found(focus, KGSH[check], path, value, message, "Violation", "Truthfulness")


def _c(node: Node | None) -> str:
    return compact(str(node))


def _integer(node: Node | None) -> int | None:
    if isinstance(node, Literal) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return node.value
    return None


def truth_violations(triples: Iterable[Triple]) -> list[Violation]:
    """The truthfulness checks (``TRUTH_CHECKS``) on a graph: a graph that never lies has none."""
    return [found.violation() for found in _truth(rdflib_graph(triples))]


def _truth(graph: Graph) -> list[_Found]:
    return sorted(
        [*_cited_articles(graph), *_offsets(graph), *_edges(graph), *_entity_mentions(graph), *_hashes(graph)],
        key=lambda v: (str(v.focus), str(v.shape), str(v.path), str(v.value)),
    )


def _articles(graph: Graph) -> set[Node]:
    return set(graph.subjects(RDF.type, SCHEMA.NewsArticle))


def _cited_articles(graph: Graph) -> Iterator[_Found]:
    articles = _articles(graph)
    for prop in (PROV.wasDerivedFrom, KG.inArticle, KG.mentionedIn):
        for node, article in graph.subject_objects(prop):
            if article not in articles:
                yield _violation(node, "CitedArticleCheck", prop, article,
                                 f"cites {_c(article)}, which is not a schema:NewsArticle of the graph")


def _offsets(graph: Graph) -> Iterator[_Found]:
    articles = _articles(graph)
    texts = {article: str(text) for article, text in graph.subject_objects(SCHEMA.text) if article in articles}
    for prop in (PROV.wasDerivedFrom, KG.inArticle):
        for node, article in graph.subject_objects(prop):
            text = texts.get(article)
            if text is None:
                continue  # no such article (CitedArticleCheck) or no text (SHACL)
            for quote_prop, start_prop, end_prop in _QUOTES:
                quoted = graph.value(node, quote_prop)
                if quoted is None:
                    continue
                start, end = _integer(graph.value(node, start_prop)), _integer(graph.value(node, end_prop))
                if start is None or end is None:
                    yield _violation(node, "OffsetCheck", quote_prop, quoted,
                                     f"quotes {_c(article)} without integer offsets")
                elif not 0 <= start <= end <= len(text) or text[start:end] != str(quoted):
                    found = text[start:end] if 0 <= start <= end <= len(text) else "(outside the text)"
                    yield _violation(node, "OffsetCheck", quote_prop, quoted,
                                     f"is not the text of {_c(article)} at {start}-{end}, which reads {found[:60]!r}")


def _edges(graph: Graph) -> Iterator[_Found]:
    stated: dict[tuple[Node, Node, Node], Node] = {}
    for statement in graph.subjects(RDF.type, KG.Statement):
        parts = tuple(graph.value(statement, p) for p in (RDF.subject, RDF.predicate, RDF.object))
        if None not in parts:
            stated[parts] = statement  # type: ignore[index]
            if parts not in graph:  # type: ignore[operator]
                yield _violation(
                    statement,
                    "StatementEdgeCheck",
                    RDF.predicate,
                    parts[1],
                    f"gives evidence for {_c(parts[0])} {_c(parts[1])} {_c(parts[2])}, "
                    "an edge the graph does not assert",
                )
    for name in RELATION_PREDICATES:
        predicate = URIRef(str(KG._NS) + name)
        for s, o in graph.subject_objects(predicate):
            if (s, predicate, o) not in stated:
                yield _violation(s, "EdgeEvidenceCheck", predicate, o,
                                 f"edge kg:{name} to {_c(o)} has no kg:Statement giving its evidence")


def _entity_mentions(graph: Graph) -> Iterator[_Found]:
    named: set[tuple[Node, Node | None]] = set()
    for mention, entity in graph.subject_objects(KG.mentionOf):
        named.add((entity, None))
        named.add((entity, graph.value(mention, KG.inArticle)))
    entities = {e for cls in CLASS_TOP for e in graph.subjects(RDF.type, URIRef(str(KG._NS) + cls))}
    for entity in entities:
        if (entity, None) not in named:
            yield _violation(entity, "EntityMentionCheck", KG.mentionOf, None, "no kg:Mention names this entity")
    for entity, article in graph.subject_objects(KG.mentionedIn):
        if (entity, None) in named and (entity, article) not in named:
            yield _violation(entity, "EntityMentionCheck", KG.mentionedIn, article,
                             f"is said to be mentioned in {_c(article)}, but no kg:Mention there names it")


def _hashes(graph: Graph) -> Iterator[_Found]:
    for article in _articles(graph):
        text, digest = graph.value(article, SCHEMA.text), graph.value(article, KG.contentHash)
        if text is not None and digest is not None:
            if hashlib.sha256(str(text).encode("utf-8", "surrogatepass")).hexdigest() != str(digest):
                yield _violation(article, "ContentHashCheck", KG.contentHash, digest,
                                 "is not the SHA-256 of the article's schema:text")

"""Accuracy of a built graph against gold annotations (graph contract, section 4).

The whole set of articles is built into one graph; :func:`score` compares that graph,
given as triples, with the union of the gold files (``kg.gold``). It returns a
:class:`Report`; the CLI renders it (``kg.cli_render``).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

import pyoxigraph as ox

from kg.errors import OntologyError
from kg.gold import Gold, GoldEntity, GoldRelation, normalise, relation_key, relation_sets
from kg.network import project
from kg.rdf import Triple
from kg.vocab import PREFIXES, RELATION_PREDICATES, TOP_CLASSES, ontology_dir

_TYPE, _SUBCLASS_OF = PREFIXES["rdf"] + "type", PREFIXES["rdfs"] + "subClassOf"
_LABEL, _ALT_LABEL = PREFIXES["rdfs"] + "label", PREFIXES["skos"] + "altLabel"


# ---------------------------------------------------------------- report


@dataclass(frozen=True, slots=True)
class Scores:
    """True/false positive and false negative counts, with micro-averaged P/R/F1.

    A ratio whose denominator is zero is 0.0.
    """

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return _ratio(2 * p * r, p + r)


def _ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


class OverMerge(NamedTuple):
    """A node whose names match several gold entities; ``gold_ids[0]`` is the one it was assigned."""

    node: str
    gold_ids: tuple[str, ...]


class TypeMismatch(NamedTuple):
    """A matched node whose top class is not the gold type (``predicted`` joins several with '|')."""

    node: str
    gold_id: str
    expected: str
    predicted: str


class EntityFalsePositive(NamedTuple):
    """A predicted entity node that matches no gold entity."""

    node: str
    label: str


class RelationMiss(NamedTuple):
    """A required gold relation absent from the graph, with the first evidence given for it."""

    s: str
    p: str
    o: str
    evidence: str


class RelationFalsePositive(NamedTuple):
    """A predicted relation outside the gold sets.

    Ends are gold ids; an end that maps to no gold entity is shown as the node's
    label in double quotes, or as ``<IRI>`` when it has none.
    """

    s: str
    p: str
    o: str


@dataclass(frozen=True, slots=True)
class Report:
    """Everything :func:`score` found; lists are sorted for stable output.

    ``entities.fp`` counts both ``entity_false_positives`` (unmatched nodes) and
    ``duplicates``. ``by_predicate`` maps a predicate local name to its scores, in
    the order of the contract table, for the predicates with any count; its rows
    sum to ``relations``.
    """

    entities: Scores
    relations: Scores
    type_accuracy: float = 0.0
    duplicates: tuple[tuple[str, str], ...] = ()
    over_merges: tuple[OverMerge, ...] = ()
    type_errors: tuple[TypeMismatch, ...] = ()
    entity_misses: tuple[str, ...] = ()
    entity_false_positives: tuple[EntityFalsePositive, ...] = ()
    relation_misses: tuple[RelationMiss, ...] = ()
    relation_false_positives: tuple[RelationFalsePositive, ...] = ()
    by_predicate: Mapping[str, Scores] = field(default_factory=dict)


# ---------------------------------------------------------------- scoring


@dataclass(frozen=True, slots=True)
class _Graph:
    """What scoring reads of a graph, by node (an IRI, or a blank node's id): classes, names, class tree."""

    types: Mapping[str, list[str]]
    labels: Mapping[str, list[str]]
    alt_labels: Mapping[str, list[str]]
    parents: Mapping[str, list[str]]  # rdfs:subClassOf, over the graph and the ontology

    @classmethod
    def of(cls, triples: Iterable[Triple], ontology: Iterable[Triple]) -> _Graph:
        tables: dict[str, defaultdict[str, list[str]]] = {
            p: defaultdict(list) for p in (_TYPE, _LABEL, _ALT_LABEL, _SUBCLASS_OF)
        }
        for source in (triples, ontology):
            for s, p, o in source:
                table = tables.get(p.value)
                if table is not None and (source is triples or p.value == _SUBCLASS_OF):
                    table[s.value].append(o.value)
        return cls(tables[_TYPE], tables[_LABEL], tables[_ALT_LABEL], tables[_SUBCLASS_OF])

    def names(self, node: str, *, alternative: bool = True) -> set[str]:
        """Normalised ``rdfs:label`` (and ``skos:altLabel``) values of the node."""
        found = [*self.labels.get(node, ()), *(self.alt_labels.get(node, ()) if alternative else ())]
        return {normalise(name) for name in found} - {""}

    def first_label(self, node: str) -> str:
        # The contract allows one rdfs:label; taking the least keeps a broken graph's report stable.
        return min(self.labels.get(node, ()), default="")


def default_ontology() -> list[Triple]:
    """The class tree used for typing: every ``*.ttl`` of the ontology dir but the gazetteer."""
    ontology: list[Triple] = []
    for path in sorted(ontology_dir().glob("*.ttl")):
        if path.name == "gazetteer.ttl":
            continue
        try:
            ontology.extend((t.subject, t.predicate, t.object)
                            for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
        except (SyntaxError, ValueError, OSError) as exc:
            raise OntologyError(f"{path}: cannot be parsed ({exc})") from exc
    return ontology


def score(triples: Iterable[Triple], gold: Gold, ontology: Iterable[Triple] | None = None) -> Report:
    """Score a graph (its triples) against ``gold`` following section 4 of the graph contract.

    Args:
        triples: the built graph.
        gold: the union of the gold files (``kg.gold.load_gold``).
        ontology: the class tree for ``rdfs:subClassOf*``; by default the
            project ontology (:func:`default_ontology`).

    A node is assigned to one gold entity (over-merges included), and every node
    assigned to an optional entity is ignored, duplicates included.
    """
    triples = list(triples)
    graph = _Graph.of(triples, default_ontology() if ontology is None else ontology)
    tops = _predicted_entities(graph)
    match = _assign(graph, sorted(tops), gold)

    # Each entity absorbs one of its nodes, preferring one whose label matches it.
    per_entity: dict[str, list[str]] = defaultdict(list)
    for node in sorted(match.assigned):
        per_entity[match.assigned[node].id].append(node)
    absorbed: dict[str, str] = {}
    duplicates: list[tuple[str, str]] = []
    for entity_id, entity_nodes in per_entity.items():
        entity_nodes.sort(key=lambda n: (n not in match.label_matched, n))
        absorbed[entity_id] = entity_nodes[0]
        if not match.assigned[entity_nodes[0]].optional:
            duplicates.extend((n, entity_id) for n in entity_nodes[1:])

    found = [e for e in gold.required_entities if e.id in absorbed]
    misses = tuple(e.id for e in gold.required_entities if e.id not in absorbed)
    false_positives = tuple(EntityFalsePositive(n, graph.first_label(n)) for n in match.unmatched)
    type_errors = [
        TypeMismatch(absorbed[e.id], e.id, e.type, "|".join(sorted(tops[absorbed[e.id]])))
        for e in found
        if tops[absorbed[e.id]] != {e.type}
    ]

    # Duplicates map to their entity's id too, so their edges collapse with the original's.
    node_ids = {node: entity.id for node, entity in match.assigned.items()}
    relations, by_predicate, relation_misses, relation_fps = _score_relations(triples, graph, gold, node_ids)
    return Report(
        entities=Scores(tp=len(found), fp=len(false_positives) + len(duplicates), fn=len(misses)),
        relations=relations,
        type_accuracy=_ratio(len(found) - len(type_errors), len(found)),
        duplicates=tuple(sorted(duplicates)),
        over_merges=match.over_merges,
        type_errors=tuple(type_errors),
        entity_misses=misses,
        entity_false_positives=false_positives,
        relation_misses=relation_misses,
        relation_false_positives=relation_fps,
        by_predicate=by_predicate,
    )


class _Assignment(NamedTuple):
    assigned: dict[str, GoldEntity]
    label_matched: frozenset[str]  # nodes whose rdfs:label matches the entity they were assigned
    over_merges: tuple[OverMerge, ...]
    unmatched: tuple[str, ...]


def _assign(graph: _Graph, nodes: list[str], gold: Gold) -> _Assignment:
    """Assign each node to the gold entity it matches (contract 4.3), if any."""
    by_alias: dict[str, list[GoldEntity]] = defaultdict(list)
    for entity in gold.entities:
        for alias in {normalise(a) for a in entity.aliases} - {""}:
            by_alias[alias].append(entity)
    position = {entity.id: i for i, entity in enumerate(gold.entities)}

    def matches(names: set[str]) -> list[GoldEntity]:
        found = {e.id: e for name in names for e in by_alias.get(name, ())}
        return sorted(found.values(), key=lambda e: position[e.id])

    assigned: dict[str, GoldEntity] = {}
    label_matched: set[str] = set()
    over_merges: list[OverMerge] = []
    unmatched: list[str] = []
    for node in nodes:
        candidates = matches(graph.names(node))
        if not candidates:
            unmatched.append(node)
            continue
        by_label = matches(graph.names(node, alternative=False))
        chosen = by_label[0] if by_label else candidates[0]
        assigned[node] = chosen
        if by_label:
            label_matched.add(node)
        if len(candidates) > 1:
            others = tuple(e.id for e in candidates if e.id != chosen.id)
            over_merges.append(OverMerge(node, (chosen.id, *others)))
    return _Assignment(assigned, frozenset(label_matched), tuple(over_merges), tuple(unmatched))


def _score_relations(
    triples: Iterable[Triple], graph: _Graph, gold: Gold, node_ids: Mapping[str, str]
) -> tuple[Scores, dict[str, Scores], tuple[RelationMiss, ...], tuple[RelationFalsePositive, ...]]:
    """Totals, per-predicate scores, misses and false positives of the direct relation triples."""
    predicted = _predicted_relations(triples, graph, node_ids)
    required, optional = relation_sets(gold.relations)
    tp_keys = predicted.keys() & required
    fp_keys = predicted.keys() - required - optional
    fn_keys = required - predicted.keys()

    counts: dict[str, Counter[str]] = {p: Counter() for p in RELATION_PREDICATES}
    for keys, kind in ((tp_keys, "tp"), (fp_keys, "fp"), (fn_keys, "fn")):
        for _, p, _ in keys:
            counts[p][kind] += 1
    by_predicate = {p: Scores(c["tp"], c["fp"], c["fn"]) for p, c in counts.items() if c.total()}

    # A miss is shown as the first file wrote it, with that file's evidence.
    first: dict[tuple[str, str, str], GoldRelation] = {}
    for relation in gold.relations:
        if not relation.optional:
            first.setdefault(relation_key(relation.s, relation.p, relation.o), relation)
    misses = sorted((first[k] for k in fn_keys), key=lambda r: (_ORDER[r.p], r.s, r.o))
    fps = sorted((RelationFalsePositive(*predicted[k]) for k in fp_keys), key=lambda r: (_ORDER[r.p], r.s, r.o))
    return (
        Scores(len(tp_keys), len(fp_keys), len(fn_keys)),
        by_predicate,
        tuple(RelationMiss(r.s, r.p, r.o, r.evidence) for r in misses),
        tuple(fps),
    )


_ORDER = {name: i for i, name in enumerate(RELATION_PREDICATES)}


def _local_name(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1]


def _predicted_entities(graph: _Graph) -> dict[str, frozenset[str]]:
    """Nodes typed under a top class, with the top classes (local names) they fall under."""
    memo: dict[str, frozenset[str]] = {}

    def tops(cls: str) -> frozenset[str]:
        if cls not in memo:
            # rdfs:subClassOf* over the graph and the ontology together; 'seen' stops cycles.
            seen, todo, found = {cls}, [cls], set[str]()
            while todo:
                current = todo.pop()
                if _local_name(current) in TOP_CLASSES:
                    found.add(_local_name(current))
                for parent in graph.parents.get(current, ()):
                    if parent not in seen:
                        seen.add(parent)
                        todo.append(parent)
            memo[cls] = frozenset(found)
        return memo[cls]

    entities: dict[str, set[str]] = defaultdict(set)
    for node, classes in graph.types.items():
        for cls in classes:
            entities[node] |= tops(cls)
    return {node: frozenset(found) for node, found in entities.items() if found}


def _predicted_relations(
    triples: Iterable[Triple], graph: _Graph, node_ids: Mapping[str, str]
) -> dict[tuple[str, str, str], tuple[str, str, str]]:
    """The relation edges of the actor network as comparison key -> display form (collapsing duplicates).

    An end with no gold id keys on its IRI in angle brackets, which no gold id can
    equal, and displays as its quoted label when it has one.
    """
    found: dict[tuple[str, str, str], tuple[str, str, str]] = {}
    # The network's edges are sorted, so the display form kept for a collapsed key does not depend on input order.
    for s, name, o in project(triples).edges:
        (s_key, s_shown), (o_key, o_shown) = (_end(graph, n, node_ids) for n in (s, o))
        found.setdefault(relation_key(s_key, name, o_key), (s_shown, name, o_shown))
    return found


def _end(graph: _Graph, node: str, node_ids: Mapping[str, str]) -> tuple[str, str]:
    """Comparison key and display form of one end of a relation."""
    if node in node_ids:
        return node_ids[node], node_ids[node]
    label = graph.first_label(node)
    return f"<{node}>", (f'"{label}"' if label else f"<{node}>")

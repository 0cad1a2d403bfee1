"""Accuracy of a built graph against gold annotations (graph contract, section 4).

The whole set of articles is built into one graph; :func:`score` compares that
graph with the union of the gold files read by :func:`load_gold`. The module
computes and formats; it never prints (the CLI does).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from kg.errors import GoldError, GraphError, OntologyError
from kg.graph import to_rdflib
from kg.vocab import KG, RELATION_PREDICATES, SYMMETRIC_PREDICATES, TOP_CLASSES, ontology_dir

__all__ = [
    "EntityFalsePositive",
    "Gold",
    "GoldEntity",
    "GoldRelation",
    "OverMerge",
    "RelationFalsePositive",
    "RelationMiss",
    "Report",
    "Scores",
    "TypeMismatch",
    "default_ontology",
    "load_gold",
    "load_graph",
    "normalise",
    "relation_key",
    "render",
    "score",
    "summary_lines",
]

# ---------------------------------------------------------------- normalisation

_CURLY = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"'})
_POSSESSIVE = re.compile(r"'s\b")
_TO_SPACE = str.maketrans({"-": " ", "_": " ", "'": " ", ".": " "})


def normalise(name: str) -> str:
    """A name in the form every comparison of the evaluation uses (contract 4.1).

    >>> normalise("Mohamed Chia al-Soudani")
    'mohamed chia al soudani'
    >>> normalise("Sudani’s"), normalise("the Islamic Resistance in Iraq")
    ('sudani', 'islamic resistance in iraq')
    >>> normalise("U.S."), normalise("Ms. Nuland"), normalise("Al-Ḥashd  al-Shaʿbī")
    ('u s', 'ms nuland', 'al hashd al shaʿbi')
    >>> normalise("“Hamas” (movement)!"), normalise("THE Hague"), normalise("Hashd_al_Shaabi")
    ('hamas movement', 'hague', 'hashd al shaabi')
    >>> normalise("Shia’ al-Sudani"), normalise("Theodore")
    ('shia al sudani', 'theodore')
    """
    decomposed = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    text = text.translate(_CURLY)
    text = _POSSESSIVE.sub("", text)
    text = text.translate(_TO_SPACE)
    # Only punctuation goes; letters such as the ayn sign 'ʿ' (a modifier letter) stay.
    text = "".join(c for c in text if not unicodedata.category(c).startswith("P"))
    text = " ".join(text.split())
    if text.startswith("the "):
        text = text[4:]
    return text


# ---------------------------------------------------------------- gold


@dataclass(frozen=True, slots=True)
class GoldEntity:
    """One gold entity merged over every file that lists it."""

    id: str
    label: str
    type: str
    aliases: tuple[str, ...]
    optional: bool = False


@dataclass(frozen=True, slots=True)
class GoldRelation:
    """One gold relation as written in one file (``article`` is the file name)."""

    s: str
    p: str
    o: str
    optional: bool = False
    evidence: str = ""
    article: str = ""


@dataclass(frozen=True, slots=True)
class Gold:
    """The union of a set of gold files.

    ``entities`` are in order of first appearance (files sorted by name), which is
    the "file order" the scoring rules break ties with.
    """

    entities: tuple[GoldEntity, ...]
    relations: tuple[GoldRelation, ...]
    files: tuple[str, ...] = ()

    @property
    def required_entities(self) -> tuple[GoldEntity, ...]:
        """Entities that count towards recall."""
        return tuple(e for e in self.entities if not e.optional)

    @property
    def required_relations(self) -> frozenset[tuple[str, str, str]]:
        """Keys (see :func:`relation_key`) of the relations that count towards recall."""
        return _relation_sets(self.relations)[0]

    @property
    def optional_relations(self) -> frozenset[tuple[str, str, str]]:
        """Keys of the relations that are never required, so earn and cost nothing."""
        return _relation_sets(self.relations)[1]


def relation_key(s: str, p: str, o: str) -> tuple[str, str, str]:
    """The form relations are compared in: symmetric predicates as unordered pairs.

    >>> relation_key("iraq", "consulted", "iran") == relation_key("iran", "consulted", "iraq")
    True
    """
    if p in SYMMETRIC_PREDICATES and o < s:
        s, o = o, s
    return (s, p, o)


def _relation_sets(
    relations: Iterable[GoldRelation],
) -> tuple[frozenset[tuple[str, str, str]], frozenset[tuple[str, str, str]]]:
    # Like entities, a relation required by any file is required.
    required = {relation_key(r.s, r.p, r.o) for r in relations if not r.optional}
    optional = {relation_key(r.s, r.p, r.o) for r in relations if r.optional} - required
    return frozenset(required), frozenset(optional)


def load_gold(directory: Path) -> Gold:
    """Read and merge every ``*.json`` gold file of ``directory`` (contract section 3).

    Raises:
        GoldError: the directory has no gold file, or a file is not valid gold;
            the message names the file and the problem.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise GoldError(f"{directory}: not a directory of gold files")
    paths = sorted(directory.glob("*.json"))
    if not paths:
        raise GoldError(f"{directory}: no *.json gold files")

    first_seen: dict[str, GoldEntity] = {}
    aliases: dict[str, list[str]] = {}
    required_ids: set[str] = set()
    relations: list[GoldRelation] = []
    for path in paths:
        entities, file_relations = _read_gold_file(path)
        for entity in entities:
            first_seen.setdefault(entity.id, entity)
            known = aliases.setdefault(entity.id, [])
            known.extend(a for a in entity.aliases if a not in known)
            if not entity.optional:
                required_ids.add(entity.id)
        relations.extend(file_relations)

    merged = tuple(
        GoldEntity(e.id, e.label, e.type, tuple(aliases[e.id]), e.id not in required_ids)
        for e in first_seen.values()
    )
    for relation in relations:
        for end in (relation.s, relation.o):
            if end not in first_seen:
                raise GoldError(
                    f"{directory / relation.article}: relation {relation.s} {relation.p} "
                    f"{relation.o} names unknown entity id {end!r}"
                )
    return Gold(merged, tuple(relations), tuple(p.name for p in paths))


def _read_gold_file(path: Path) -> tuple[list[GoldEntity], list[GoldRelation]]:
    """Entities and relations of one gold file, checked field by field."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"{path}: cannot be read ({exc})") from None
    except json.JSONDecodeError as exc:
        raise GoldError(f"{path}: invalid JSON at line {exc.lineno}: {exc.msg}") from None
    except RecursionError:
        raise GoldError(f"{path}: invalid JSON: nested too deeply") from None
    except ValueError as exc:  # a number too long to convert
        raise GoldError(f"{path}: unreadable JSON: {str(exc).split(';')[0]}") from None
    if not isinstance(data, dict):
        raise GoldError(f"{path}: expected a JSON object, got {type(data).__name__}")
    _check_text(path, data)
    if not isinstance(data.get("article", ""), str):
        raise GoldError(f"{path}: 'article' must be a string")
    raw_entities = _require(path, data, "entities", list, "the file")
    raw_relations = data.get("relations", [])
    if not isinstance(raw_relations, list):
        raise GoldError(f"{path}: 'relations' must be a list")

    entities: list[GoldEntity] = []
    ids: set[str] = set()
    for i, raw in enumerate(raw_entities):
        where = f"entity #{i}"
        if not isinstance(raw, dict):
            raise GoldError(f"{path}: {where} is not an object")
        ident = _require(path, raw, "id", str, where)
        where = f"entity {ident!r}"
        if not ident:
            raise GoldError(f"{path}: entity #{i} has an empty id")
        if ident in ids:
            raise GoldError(f"{path}: {where} is listed twice")
        ids.add(ident)
        label = _require(path, raw, "label", str, where)
        kind = _require(path, raw, "type", str, where)
        if kind not in TOP_CLASSES:
            raise GoldError(f"{path}: {where} has type {kind!r}, expected one of {', '.join(TOP_CLASSES)}")
        names = raw.get("aliases", [])
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise GoldError(f"{path}: {where} 'aliases' must be a list of strings")
        optional = _optional(path, raw, where)
        # The label is a name of the entity even if the annotator forgot to repeat it.
        all_names = tuple(dict.fromkeys([label, *names]))
        entities.append(GoldEntity(ident, label, kind, all_names, optional))

    relations: list[GoldRelation] = []
    for i, raw in enumerate(raw_relations):
        where = f"relation #{i}"
        if not isinstance(raw, dict):
            raise GoldError(f"{path}: {where} is not an object")
        s = _require(path, raw, "s", str, where)
        p = _require(path, raw, "p", str, where)
        o = _require(path, raw, "o", str, where)
        if p not in RELATION_PREDICATES:
            raise GoldError(f"{path}: {where} has unknown predicate {p!r}")
        evidence = raw.get("evidence", "")
        if not isinstance(evidence, str):
            raise GoldError(f"{path}: {where} 'evidence' must be a string")
        relations.append(GoldRelation(s, p, o, _optional(path, raw, where), evidence, path.name))
    return entities, relations


def _check_text(path: Path, data: object) -> None:
    """Every string of the file is Unicode text: a lone surrogate ("\\ud800") cannot be printed."""
    todo: list[object] = [data]
    while todo:  # not recursive: the JSON may be as deep as the parser allows
        item = todo.pop()
        if isinstance(item, dict):
            todo.extend(item.keys())
            todo.extend(item.values())
        elif isinstance(item, list):
            todo.extend(item)
        elif isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as exc:
                bad = item[exc.start]
                problem = f"expected Unicode text, found a lone surrogate ({bad!r}) in {item[:40]!r}"
                raise GoldError(f"{path}: {problem}") from None


def _require(path: Path, raw: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
    if key not in raw:
        raise GoldError(f"{path}: {where} has no {key!r}")
    value = raw[key]
    if not isinstance(value, kind):
        raise GoldError(f"{path}: {where} {key!r} must be a {kind.__name__}, got {type(value).__name__}")
    return value


def _optional(path: Path, raw: Mapping[str, Any], where: str) -> bool:
    value = raw.get("optional", False)
    if not isinstance(value, bool):
        raise GoldError(f"{path}: {where} 'optional' must be true or false")
    return value


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


def load_graph(path: Path) -> rdflib.Graph:
    """A built graph file to score: N-Triples if it ends in ``.nt``, else Turtle.

    Raises:
        GraphError: the file cannot be read or parsed; the message names the file
            and the line the parser stopped at.
    """
    fmt = ox.RdfFormat.N_TRIPLES if path.suffix == ".nt" else ox.RdfFormat.TURTLE
    graph = rdflib.Graph()
    try:
        # pyoxigraph parses without recursion (rdflib's Turtle parser overflows on deep nesting).
        for t in ox.parse(path=str(path), format=fmt):
            graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))  # type: ignore[arg-type]
    except SyntaxError as exc:
        raise GraphError(f"{path}:{exc.lineno}: not a readable graph: {exc.msg}") from None
    except (OSError, ValueError) as exc:
        raise GraphError(f"{path}: cannot be read: {str(exc).splitlines()[0]}") from None
    return graph


def default_ontology() -> rdflib.Graph:
    """The class tree used for typing: every ``*.ttl`` of the ontology dir but the gazetteer."""
    ontology = rdflib.Graph()
    for path in sorted(ontology_dir().glob("*.ttl")):
        if path.name == "gazetteer.ttl":
            continue
        try:
            ontology.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several unrelated parser errors
            raise OntologyError(f"{path}: cannot be parsed ({exc})") from exc
    return ontology


def score(graph: rdflib.Graph, gold: Gold, ontology: rdflib.Graph | None = None) -> Report:
    """Score ``graph`` against ``gold`` following section 4 of the graph contract.

    Args:
        graph: the built graph.
        gold: the union of the gold files (:func:`load_gold`).
        ontology: the class tree for ``rdfs:subClassOf*``; by default the
            project ontology (:func:`default_ontology`).

    A node is assigned to one gold entity (over-merges included), and every node
    assigned to an optional entity is ignored, duplicates included.
    """
    if ontology is None:
        ontology = default_ontology()
    tops = _predicted_entities(graph, ontology)
    match = _assign(graph, sorted(tops, key=str), gold)

    # Each entity absorbs one of its nodes, preferring one whose label matches it.
    per_entity: dict[str, list[Node]] = defaultdict(list)
    for node in sorted(match.assigned, key=str):
        per_entity[match.assigned[node].id].append(node)
    absorbed: dict[str, Node] = {}
    duplicates: list[tuple[str, str]] = []
    for entity_id, entity_nodes in per_entity.items():
        entity_nodes.sort(key=lambda n: (n not in match.label_matched, str(n)))
        absorbed[entity_id] = entity_nodes[0]
        if not match.assigned[entity_nodes[0]].optional:
            duplicates.extend((str(n), entity_id) for n in entity_nodes[1:])

    found = [e for e in gold.required_entities if e.id in absorbed]
    misses = tuple(e.id for e in gold.required_entities if e.id not in absorbed)
    false_positives = tuple(EntityFalsePositive(str(n), _first_label(graph, n)) for n in match.unmatched)
    type_errors = [
        TypeMismatch(str(absorbed[e.id]), e.id, e.type, "|".join(sorted(tops[absorbed[e.id]])))
        for e in found
        if tops[absorbed[e.id]] != {e.type}
    ]

    # Duplicates map to their entity's id too, so their edges collapse with the original's.
    node_ids = {node: entity.id for node, entity in match.assigned.items()}
    relations, by_predicate, relation_misses, relation_fps = _score_relations(graph, gold, node_ids)
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
    assigned: dict[Node, GoldEntity]
    label_matched: frozenset[Node]  # nodes whose rdfs:label matches the entity they were assigned
    over_merges: tuple[OverMerge, ...]
    unmatched: tuple[Node, ...]


def _assign(graph: rdflib.Graph, nodes: list[Node], gold: Gold) -> _Assignment:
    """Assign each node to the gold entity it matches (contract 4.3), if any."""
    by_alias: dict[str, list[GoldEntity]] = defaultdict(list)
    for entity in gold.entities:
        for alias in {normalise(a) for a in entity.aliases} - {""}:
            by_alias[alias].append(entity)
    position = {entity.id: i for i, entity in enumerate(gold.entities)}

    def matches(names: set[str]) -> list[GoldEntity]:
        found = {e.id: e for name in names for e in by_alias.get(name, ())}
        return sorted(found.values(), key=lambda e: position[e.id])

    assigned: dict[Node, GoldEntity] = {}
    label_matched: set[Node] = set()
    over_merges: list[OverMerge] = []
    unmatched: list[Node] = []
    for node in nodes:
        candidates = matches(_names(graph, node, (RDFS.label, SKOS.altLabel)))
        if not candidates:
            unmatched.append(node)
            continue
        by_label = matches(_names(graph, node, (RDFS.label,)))
        chosen = by_label[0] if by_label else candidates[0]
        assigned[node] = chosen
        if by_label:
            label_matched.add(node)
        if len(candidates) > 1:
            others = tuple(e.id for e in candidates if e.id != chosen.id)
            over_merges.append(OverMerge(str(node), (chosen.id, *others)))
    return _Assignment(assigned, frozenset(label_matched), tuple(over_merges), tuple(unmatched))


def _score_relations(
    graph: rdflib.Graph, gold: Gold, node_ids: Mapping[Node, str]
) -> tuple[Scores, dict[str, Scores], tuple[RelationMiss, ...], tuple[RelationFalsePositive, ...]]:
    """Totals, per-predicate scores, misses and false positives of the direct relation triples."""
    predicted = _predicted_relations(graph, node_ids)
    required, optional = _relation_sets(gold.relations)
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


def _local_name(term: Node) -> str:
    text = str(term)
    return re.split(r"[#/]", text)[-1]


def _predicted_entities(graph: rdflib.Graph, ontology: rdflib.Graph) -> dict[Node, frozenset[str]]:
    """Nodes typed under a top class, with the top classes (local names) they fall under."""
    memo: dict[Node, frozenset[str]] = {}

    def tops(cls: Node) -> frozenset[str]:
        if cls not in memo:
            # rdfs:subClassOf* over the graph and the ontology together; 'seen' stops cycles.
            seen, todo, found = {cls}, [cls], set[str]()
            while todo:
                current = todo.pop()
                if _local_name(current) in TOP_CLASSES:
                    found.add(_local_name(current))
                for source in (graph, ontology):
                    for parent in source.objects(current, RDFS.subClassOf):
                        if parent not in seen:
                            seen.add(parent)
                            todo.append(parent)
            memo[cls] = frozenset(found)
        return memo[cls]

    entities: dict[Node, set[str]] = defaultdict(set)
    for node, cls in graph.subject_objects(RDF.type):
        found = tops(cls)
        if found:
            entities[node] |= found
    return {node: frozenset(found) for node, found in entities.items()}


def _names(graph: rdflib.Graph, node: Node, predicates: tuple[rdflib.URIRef, ...]) -> set[str]:
    """Normalised values of the node's naming ``predicates``."""
    return {normalise(str(v)) for p in predicates for v in graph.objects(node, p)} - {""}


def _first_label(graph: rdflib.Graph, node: Node) -> str:
    # The contract allows one rdfs:label; taking the least keeps a broken graph's report stable.
    return min((str(v) for v in graph.objects(node, RDFS.label)), default="")


def _predicted_relations(
    graph: rdflib.Graph, node_ids: Mapping[Node, str]
) -> dict[tuple[str, str, str], tuple[str, str, str]]:
    """Direct relation triples as comparison key -> display form (collapsing duplicates).

    An end with no gold id keys on its IRI in angle brackets, which no gold id can
    equal, and displays as its quoted label when it has one.
    """
    found: dict[tuple[str, str, str], tuple[str, str, str]] = {}
    for name in RELATION_PREDICATES:
        predicate = rdflib.URIRef(str(KG._NS) + name)
        # Sorted so the display form kept for a collapsed key does not depend on store order.
        for s, o in sorted(graph.subject_objects(predicate), key=lambda pair: (str(pair[0]), str(pair[1]))):
            (s_key, s_shown), (o_key, o_shown) = (_end(graph, n, node_ids) for n in (s, o))
            found.setdefault(relation_key(s_key, name, o_key), (s_shown, name, o_shown))
    return found


def _end(graph: rdflib.Graph, node: Node, node_ids: Mapping[Node, str]) -> tuple[str, str]:
    """Comparison key and display form of one end of a relation."""
    if node in node_ids:
        return node_ids[node], node_ids[node]
    label = _first_label(graph, node)
    return f"<{node}>", (f'"{label}"' if label else f"<{node}>")


# ---------------------------------------------------------------- output


def summary_lines(report: Report) -> list[str]:
    """The headline figures, one plain line each for entities and relations."""
    e, r = report.entities, report.relations
    return [
        f"entities  P={e.precision:.3f} R={e.recall:.3f} F1={e.f1:.3f}  "
        f"duplicates={len(report.duplicates)} over-merges={len(report.over_merges)} "
        f"type-accuracy={report.type_accuracy:.3f}",
        f"relations P={r.precision:.3f} R={r.recall:.3f} F1={r.f1:.3f}",
    ]


def render(report: Report, verbose: bool = False, by_predicate: bool = False) -> RenderableType:
    """Rich tables for the CLI: the summary, optionally per predicate, and with
    ``verbose`` every miss and false positive."""
    parts: list[RenderableType] = [_summary_table(report)]
    if by_predicate:
        parts.append(_predicate_table(report))
    if verbose:
        parts.extend(_detail_tables(report))
    return Group(*parts)


def _figure(value: float) -> str:
    return f"{value:.3f}"


def _summary_table(report: Report) -> Table:
    table = Table(title="Evaluation")
    for column in ("", "P", "R", "F1", "TP", "FP", "FN", "duplicates", "over-merges", "type accuracy"):
        table.add_column(column, justify="left" if not column else "right")
    e, r = report.entities, report.relations
    table.add_row(
        "entities", _figure(e.precision), _figure(e.recall), _figure(e.f1), str(e.tp), str(e.fp), str(e.fn),
        str(len(report.duplicates)), str(len(report.over_merges)), _figure(report.type_accuracy),
    )
    table.add_row(
        "relations", _figure(r.precision), _figure(r.recall), _figure(r.f1), str(r.tp), str(r.fp), str(r.fn),
        "", "", "",
    )
    return table


def _predicate_table(report: Report) -> Table:
    table = Table(title="Relations by predicate")
    table.add_column("predicate")
    for column in ("TP", "FP", "FN", "P", "R", "F1"):
        table.add_column(column, justify="right")
    for name, s in report.by_predicate.items():
        table.add_row(name, *_counts_and_figures(s))
    table.add_section()
    table.add_row("total", *_counts_and_figures(report.relations))
    return table


def _counts_and_figures(s: Scores) -> tuple[str, ...]:
    return (str(s.tp), str(s.fp), str(s.fn), _figure(s.precision), _figure(s.recall), _figure(s.f1))


def _detail_tables(report: Report) -> Iterator[Table]:
    # Text(...) rather than str: labels may contain '[' that rich would read as markup.
    sections: list[tuple[str, tuple[str, ...], Iterable[tuple[str, ...]]]] = [
        ("Missed entities", ("gold id",), ((g,) for g in report.entity_misses)),
        ("Entity false positives", ("node", "label"), report.entity_false_positives),
        ("Duplicates", ("node", "gold id"), report.duplicates),
        ("Over-merges", ("node", "assigned", "also matches"),
         ((m.node, m.gold_ids[0], ", ".join(m.gold_ids[1:])) for m in report.over_merges)),
        ("Type errors", ("node", "gold id", "expected", "predicted"), report.type_errors),
        ("Missed relations", ("s", "p", "o", "evidence"), report.relation_misses),
        ("Relation false positives", ("s", "p", "o"), report.relation_false_positives),
    ]
    for title, columns, rows in sections:
        materialised = list(rows)
        if not materialised:
            continue
        heading = f"{title} ({len(materialised)})"
        table = Table(title=heading, min_width=len(heading) + 4)
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in materialised:
            table.add_row(*(Text(value) for value in row))
        yield table

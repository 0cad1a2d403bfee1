"""Corrections a user keeps in a file, applied to every build: merge, split, retype, reject.

A corrections file is UTF-8 text, one correction per line, its fields separated by ``|``
(spaces around them do not count). Blank lines and lines starting with ``#`` are skipped::

    merge  | NODE | NODE [| NODE ...]           the first node keeps its IRI, label and class;
                                                 the others' mentions and names join it
    split  | NODE | ALIAS [| drop]              the mentions of NODE written ALIAS leave it: they
                                                 become a node of their own (the gazetteer's entry
                                                 where ALIAS is one), or with ``drop`` name nothing
    retype | NODE | CLASS                       NODE gets CLASS, a class of ontology/kg.ttl
    reject | SUBJECT | PREDICATE | OBJECT [| ARTICLE]
                                                 the edge and every statement giving evidence for it
                                                 (only that article's with ARTICLE) are not written
    reject | STATEMENT                          that one statement (kgs:…) is not written

A NODE is an entity IRI (``kge:masoud-barzani`` or the full IRI) or a name: a label, else
an alternative label, compared exactly, then as kg compares names (case, accents,
transliteration). An ARTICLE is its IRI (``kga:…``), its id, its ``kg:origin`` or the origin's
file name. Any line may add ``by: WHO``, ``why: REASON`` and ``when: DATE`` (ISO date or
date-time) fields; without ``when``, a correction is dated by the file's modification time.

Corrections apply after resolution, in file order, nodes first and rejections last, on
every build, cached or not: the extraction cache holds uncorrected results, so removing a
line undoes it on the next build. A correction that names nothing in this build is reported
(``FILE:LINE: ...``) and skipped; a line that cannot be read is an error naming it. Each
applied correction is recorded in the graph as a ``kg:Correction`` node.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KGError
from kg.gazetteer import Gazetteer, class_name, name_index_key
from kg.graph import statement_id
from kg.model import Entity, Extraction, Relation, Resolution
from kg.normalize import clean_surface, name_key
from kg.resolve import entity_id, name_key_of
from kg.vocab import (
    ACTOR_PREDICATES,
    ARTICLE,
    BASE,
    CLASS_TOP,
    ENTITY,
    KG,
    STATEMENT,
    SYMMETRIC_PREDICATES,
)

KINDS = ("merge", "split", "retype", "reject")
CORRECTION = BASE + "id/correction/"
DCTERMS = "http://purl.org/dc/terms/"
# Terms of ontology/kg.ttl that record corrections (tests/test_corrections.py checks they are declared there).
TERMS = (
    "Correction", "correctionKind", "correctionText", "correctedNode", "mergedNode", "splitAlias", "splitNode",
    "previousClass", "rejectedStatement",
)
_FIELD = re.compile(r"^(by|why|when)\s*:\s*(.*)$", re.IGNORECASE | re.DOTALL)

MentionKey = tuple[str, int, int]


class CorrectionError(KGError):
    """A corrections file that cannot be read: missing, not UTF-8, or a malformed line (named)."""


@dataclass(frozen=True, slots=True)
class Correction:
    """One line of a corrections file: its kind and arguments as written, who, why and when.

    ``when`` is ISO, a date or a date-time; ``origin`` is FILE:LINE.
    """

    kind: str
    args: tuple[str, ...]
    origin: str
    text: str
    when: str
    by: str | None = None
    why: str | None = None

    @property
    def iri(self) -> str:
        """The correction's node: a digest of what it does, so reordering the file keeps it."""
        what = "|".join((self.kind, *(" ".join(a.split()) for a in self.args)))
        return CORRECTION + hashlib.sha256(what.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Applied:
    """What a correction changed in this build: entity ids it touched, merged away or made; statements removed."""

    correction: Correction
    nodes: tuple[str, ...] = ()
    merged: tuple[str, ...] = ()
    split_node: str | None = None
    previous_class: str | None = None
    statements: tuple[str, ...] = ()


def read_corrections(path: Path) -> tuple[Correction, ...]:
    """The corrections of the file at ``path``, in file order.

    Raises:
        CorrectionError: the file is missing, unreadable or not UTF-8, or a line is
            malformed; the message names the file and line.
    """
    try:
        data = path.read_bytes()
        modified = path.stat().st_mtime
    except FileNotFoundError:
        raise CorrectionError(f"{path}: corrections file not found") from None
    except OSError as exc:
        raise CorrectionError(f"{path}: cannot read the corrections file: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        at = data[: exc.start].count(b"\n") + 1
        raise CorrectionError(
            f"{path}:{at}: not UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        ) from None
    when = dt.datetime.fromtimestamp(modified, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    corrections = []
    # Lines as an editor counts them: only \n (and \r\n) ends one.
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if line and not line.startswith("#"):
            corrections.append(_parse(line, f"{path}:{number}", when))
    return tuple(corrections)


def _parse(line: str, origin: str, file_time: str) -> Correction:
    def fail(problem: str) -> CorrectionError:
        return CorrectionError(f"{origin}: {problem}")

    if not line.isprintable():
        raise fail("the line holds a control or format character")
    kind, *fields = [f.strip() for f in line.split("|")]
    kind = kind.casefold()
    if kind not in KINDS:
        raise fail(f"unknown correction {kind!r}; expected {', '.join(KINDS)} (then fields separated by |)")
    args: list[str] = []
    meta: dict[str, str] = {}
    for value in fields:
        found = _FIELD.match(value)
        if found:
            key, text = found.group(1).casefold(), found.group(2).strip()
            if not text or key in meta:
                raise fail(f"{key}: {'is empty' if not text else 'is given twice'}")
            meta[key] = text
        elif not value:
            raise fail("an empty field (two | with nothing between them)")
        elif meta:
            raise fail(f"{value!r} comes after by:/why:/when:; write the correction's fields first")
        else:
            args.append(value)
    _check(kind, args, fail)
    return Correction(kind, tuple(args), origin, line, _when(meta.get("when"), fail) or file_time,
                      meta.get("by"), meta.get("why"))


USAGE = {
    "merge": "merge | NODE | NODE [| NODE ...]",
    "split": "split | NODE | ALIAS [| drop]",
    "retype": "retype | NODE | CLASS",
    "reject": "reject | SUBJECT | PREDICATE | OBJECT [| ARTICLE], or reject | STATEMENT (kgs:...)",
}


def _check(kind: str, args: list[str], fail: Callable[[str], CorrectionError]) -> None:
    """Refuse a line whose arguments do not fit its kind."""
    usage = f"expected {USAGE[kind]}"
    if kind == "merge" and len(args) < 2:
        raise fail(f"merge needs two nodes or more; {usage}")
    if kind == "split" and (len(args) not in (2, 3) or (len(args) == 3 and args[2].casefold() != "drop")):
        raise fail(f"split takes a node, an alias and optionally drop; {usage}")
    if kind == "retype":
        if len(args) != 2:
            raise fail(f"retype takes a node and a class; {usage}")
        if class_name(args[1]) is None:
            raise fail(f"unknown class {args[1]!r}; expected one of {', '.join(CLASS_TOP)}")
    if kind == "reject":
        if len(args) == 1:
            if _local(args[0], STATEMENT, "kgs:") is None:
                raise fail(f"{args[0]!r} is not a statement IRI; {usage}")
        elif len(args) in (3, 4):
            if _predicate(args[1]) is None:
                raise fail(f"unknown predicate {args[1]!r}; expected one of {', '.join(ACTOR_PREDICATES)}")
        else:
            raise fail(usage)


def _when(text: str | None, fail: Callable[[str], CorrectionError]) -> str | None:
    """An explicit ``when:`` as ISO: a date, or a date-time."""
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat().replace("+00:00", "Z")
    except ValueError:
        raise fail(f"when: {text!r} is not an ISO date (2024-03-01) or date-time (2024-03-01T14:30:00Z)") from None


def _local(ref: str, namespace: object, prefix: str) -> str | None:
    """The local name of ``ref`` if it is an IRI of ``namespace`` (``prefix:x``, ``<...x>`` or the bare IRI)."""
    base = str(namespace)
    ref = ref.removeprefix("<").removesuffix(">") if ref.startswith("<") else ref
    for start in (prefix, base):
        if ref.startswith(start) and len(ref) > len(start):
            return ref[len(start):]
    return None


def _predicate(text: str) -> str | None:
    name = text.removeprefix("<").removesuffix(">").removeprefix("kg:").removeprefix(str(KG._NS))
    return name if name in ACTOR_PREDICATES else None


# ---------------------------------------------------------------- applying


@dataclass
class _Node:
    id: str
    label: str
    cls: str
    alt: set[str]
    gazetteer_id: str | None
    members: list[MentionKey] = field(default_factory=list)


class _Graph:
    """The resolution as a mutable working copy, with name indexes kept up to date."""

    def __init__(self, resolution: Resolution, texts: Mapping[str, str]) -> None:
        self.texts = texts
        self.nodes = {e.id: _Node(e.id, e.label, e.cls, set(e.alt_labels), e.gazetteer_id) for e in resolution.entities}
        self.mention_entity = dict(resolution.mention_entity)
        for key, ident in self.mention_entity.items():
            self.nodes[ident].members.append(key)
        self.redirect: dict[str, str] = {}
        # Four ways to find a node by name, tried in order: label as written, label as kg compares
        # names, alternative label as written, alternative label compared. The compared ones cost a
        # name key per name, so they are filled the first time a name is not a label as written.
        self.tiers: tuple[defaultdict[str, set[str]], ...] = tuple(defaultdict(set) for _ in range(4))
        self.keyed = False
        for node in self.nodes.values():
            self._index(node, add=True)

    def _index(self, node: _Node, add: bool) -> None:
        names = [{node.label}, set(), node.alt, set()]
        if self.keyed:
            names[1], names[3] = {name_index_key(node.label)}, {name_index_key(a) for a in node.alt}
        for tier, found in zip(self.tiers, names, strict=True):
            for name in found:
                (tier[name].add if add else tier[name].discard)(node.id)

    def update(self, node: _Node, change: Callable[[], None]) -> None:
        """Apply ``change`` to ``node`` and index its names again."""
        self._index(node, add=False)
        change()
        self._index(node, add=True)

    def remove(self, node: _Node) -> None:
        self._index(node, add=False)
        del self.nodes[node.id]

    def add(self, node: _Node) -> None:
        self.nodes[node.id] = node
        self._index(node, add=True)

    def current(self, ident: str) -> str:
        while ident in self.redirect:
            ident = self.redirect[ident]
        return ident

    def find(self, ref: str) -> _Node | list[str] | None:
        """The node ``ref`` names; a sorted list of ids where a name fits several nodes; None where none."""
        ident = _local(ref, ENTITY, "kge:")
        if ident is not None:
            return self.nodes.get(self.current(ident))
        if not self.keyed and not self.tiers[0].get(ref):
            self.keyed = True
            for node in self.nodes.values():
                self._index(node, add=True)
        key = name_index_key(ref)
        for tier, name in zip(self.tiers, (ref, key, ref, key), strict=True):
            found = tier.get(name)
            if found and len(found) == 1:
                return self.nodes[next(iter(found))]
            if found:
                return sorted(found)
        return None

    def surface(self, key: MentionKey) -> str:
        return clean_surface(self.texts[key[0]][key[1]:key[2]])


class _Skip(Exception):
    """A correction that names nothing in this build: reported, then skipped."""


def apply_corrections(
    corrections: Sequence[Correction],
    extractions: Sequence[Extraction],
    resolution: Resolution,
    gazetteer: Gazetteer,
    on_warning: Callable[[str], None] | None = None,
) -> tuple[tuple[Extraction, ...], Resolution, tuple[Applied, ...]]:
    """The extractions and resolution with ``corrections`` applied, and what each applied one changed.

    Node corrections (merge, split, retype) change the resolution, in file order; rejections
    then remove relations from the extractions. A correction that names nothing (or changes
    nothing) is reported through ``on_warning`` as ``FILE:LINE: ...``, in line order, and skipped.
    """
    warnings: list[tuple[int, str]] = []

    def warn(correction: Correction, problem: str) -> None:
        warnings.append((_line(correction), f"{correction.origin}: {problem}; line ignored"))

    graph = _Graph(resolution, {e.article.id: e.article.text for e in extractions})
    applied: list[Applied] = []
    seen: dict[str, str] = {}
    rejections: list[Correction] = []
    for correction in corrections:
        first = seen.setdefault(correction.iri, correction.origin)
        if first != correction.origin:
            warn(correction, f"the same correction as {first}")
            continue
        if correction.kind == "reject":
            rejections.append(correction)
            continue
        try:
            applied.append(_NODE_CORRECTIONS[correction.kind](graph, correction, gazetteer))
        except _Skip as skip:
            warn(correction, f"{correction.kind}: {skip}")
    for node in [n for n in graph.nodes.values() if not n.members]:
        graph.remove(node)
    corrected = _resolution(graph)
    extractions, rejected = _reject(rejections, graph, extractions, warn)
    applied.extend(rejected)
    applied.sort(key=lambda a: _line(a.correction))
    for _, message in sorted(warnings):
        if on_warning is not None:
            on_warning(message)
    return extractions, corrected, tuple(_final(a, graph) for a in applied)


def _line(correction: Correction) -> int:
    return int(correction.origin.rsplit(":", 1)[1])


def _node(graph: _Graph, ref: str) -> _Node:
    found = graph.find(ref)
    if found is None:
        raise _Skip(f"{ref!r} names no node of the graph")
    if isinstance(found, list):
        shown = ", ".join(f"kge:{i}" for i in found[:5]) + (", ..." if len(found) > 5 else "")
        raise _Skip(f"{ref!r} names {len(found)} nodes ({shown}); write the one meant as its IRI")
    return found


def _merge(graph: _Graph, correction: Correction, gazetteer: Gazetteer) -> Applied:
    keep, *others = [_node(graph, ref) for ref in correction.args]
    others = list({o.id: o for o in others if o.id != keep.id}.values())
    if not others:
        raise _Skip(f"{', '.join(map(repr, correction.args))} are already one node (kge:{keep.id})")

    def absorb() -> None:
        for other in others:
            keep.alt |= {other.label, *other.alt}
            keep.members.extend(other.members)
        keep.alt.discard(keep.label)

    for other in others:
        graph.remove(other)
        graph.redirect[other.id] = keep.id
        for key in other.members:
            graph.mention_entity[key] = keep.id
    graph.update(keep, absorb)
    return Applied(correction, nodes=(keep.id,), merged=tuple(o.id for o in others))


def _split(graph: _Graph, correction: Correction, gazetteer: Gazetteer) -> Applied:
    node, alias = _node(graph, correction.args[0]), correction.args[1]
    drop = len(correction.args) == 3
    key = name_index_key(alias)
    if key == name_index_key(node.label) and not drop:
        raise _Skip(f"{alias!r} is the label of kge:{node.id}: split another name off it, or add | drop")
    moved = [m for m in node.members if name_index_key(graph.surface(m)) == key]
    if not moved:
        raise _Skip(f"{alias!r} is no name of kge:{node.id}")
    surfaces = Counter(graph.surface(m) for m in moved)
    target: _Node | None = None
    if not drop:
        target = _split_target(graph, node, alias, surfaces, gazetteer)
        if target.id == node.id:
            raise _Skip(f"{alias!r} would make kge:{node.id} again")
    left = set(moved)

    def shrink() -> None:
        node.members = [m for m in node.members if m not in left]
        node.alt -= set(surfaces)

    graph.update(node, shrink)
    for m in moved:
        if target is None:
            del graph.mention_entity[m]
        else:
            graph.mention_entity[m] = target.id
    if target is not None:
        joined = target

        def grow() -> None:
            joined.members.extend(moved)
            joined.alt |= set(surfaces) - {joined.label}

        if target.id in graph.nodes:
            graph.update(target, grow)
        else:
            grow()
            graph.add(target)
    return Applied(correction, nodes=(node.id,), split_node=target.id if target else None)


def _split_target(graph: _Graph, node: _Node, alias: str, surfaces: Counter[str], gazetteer: Gazetteer) -> _Node:
    """Where the mentions split off go: the gazetteer's entry for the alias, else the node named as resolve would."""
    entry = gazetteer.lookup(alias)
    if entry is not None and entry.id != node.gazetteer_id:
        ident, label, cls, gid = entry.id, entry.label, entry.cls, entry.id
    else:
        ident = entity_id(name_key_of(alias, person=CLASS_TOP.get(node.cls) == "Person") or name_key(alias), gazetteer)
        label = max(surfaces, key=lambda t: (surfaces[t], len(t), t))
        cls, gid = node.cls, None
    existing = graph.nodes.get(ident)
    return existing or _Node(ident, label, cls, set(), gid)


def _retype(graph: _Graph, correction: Correction, gazetteer: Gazetteer) -> Applied:
    node = _node(graph, correction.args[0])
    cls = class_name(correction.args[1])
    assert cls is not None  # checked when read
    if node.cls == cls:
        raise _Skip(f"kge:{node.id} is already kg:{cls}")
    previous, node.cls = node.cls, cls
    return Applied(correction, nodes=(node.id,), previous_class=previous)


_NODE_CORRECTIONS: dict[str, Callable[[_Graph, Correction, Gazetteer], Applied]] = {
    "merge": _merge, "split": _split, "retype": _retype,
}


def _resolution(graph: _Graph) -> Resolution:
    entities = [
        Entity(n.id, n.label, n.cls, tuple(sorted(n.alt - {n.label, ""})), n.gazetteer_id)
        for n in sorted(graph.nodes.values(), key=lambda n: n.id)
    ]
    return Resolution(tuple(entities), graph.mention_entity)


@dataclass
class _Rejection:
    correction: Correction
    ends: tuple[str, ...] = ()  # the edge's subject and object
    article_ids: frozenset[str] | None = None  # None: every article
    statements: set[str] = field(default_factory=set)


def _reject(
    corrections: Sequence[Correction],
    graph: _Graph,
    extractions: Sequence[Extraction],
    warn: Callable[[Correction, str], None],
) -> tuple[tuple[Extraction, ...], list[Applied]]:
    """Drop the relations the rejections name; report the rejections that name none."""
    by_statement: dict[str, list[_Rejection]] = defaultdict(list)
    by_edge: dict[tuple[str, str, str], list[_Rejection]] = defaultdict(list)
    rejections: list[_Rejection] = []
    for correction in corrections:
        try:
            rejection = _Rejection(correction)
            if len(correction.args) == 1:
                ident = _local(correction.args[0], STATEMENT, "kgs:")
                assert ident is not None  # checked when read
                by_statement[ident].append(rejection)
            else:
                s, o = (_node(graph, ref).id for ref in (correction.args[0], correction.args[2]))
                p = _predicate(correction.args[1])
                assert p is not None  # checked when read
                rejection.ends = (s, o)
                if len(correction.args) == 4:
                    rejection.article_ids = _articles(correction.args[3], extractions)
                by_edge[(s, p, o)].append(rejection)
                if p in SYMMETRIC_PREDICATES:
                    by_edge[(o, p, s)].append(rejection)
            rejections.append(rejection)
        except _Skip as skip:
            warn(correction, f"reject: {skip}")
    result = list(extractions)
    if rejections:
        for i, extraction in enumerate(extractions):
            kept = [r for r in extraction.relations if not _rejected(r, extraction, graph, by_statement, by_edge)]
            if len(kept) != len(extraction.relations):
                result[i] = replace(extraction, relations=tuple(kept))
    applied = []
    for rejection in rejections:
        if rejection.statements:
            applied.append(
                Applied(rejection.correction, rejection.ends, statements=tuple(sorted(rejection.statements)))
            )
        else:
            what = "statement" if len(rejection.correction.args) == 1 else "edge"
            warn(rejection.correction, f"reject: names no {what} of the graph")
    return tuple(result), applied


def _rejected(
    relation: Relation,
    extraction: Extraction,
    graph: _Graph,
    by_statement: Mapping[str, list[_Rejection]],
    by_edge: Mapping[tuple[str, str, str], list[_Rejection]],
) -> bool:
    """Whether a rejection names ``relation``; each that does records the statement and the edge's ends."""
    article = extraction.article
    s = graph.mention_entity.get((article.id, relation.subject.start, relation.subject.end))
    o = graph.mention_entity.get((article.id, relation.object.start, relation.object.end))
    if s is None or o is None or s == o:
        return False  # never written
    matches = [
        r for r in by_edge.get((s, relation.predicate, o), ()) if r.article_ids is None or article.id in r.article_ids
    ]
    if not matches and not by_statement:
        return False
    ident = statement_id(article, s, relation.predicate, o, relation)
    matches.extend(by_statement.get(ident, ()))
    for rejection in matches:
        rejection.statements.add(ident)
        rejection.ends = rejection.ends or (s, o)
    return bool(matches)


def _articles(ref: str, extractions: Sequence[Extraction]) -> frozenset[str]:
    """The ids of the articles ``ref`` names: IRI or id, else origin, else the origin's file name."""
    ident = _local(ref, ARTICLE, "kga:") or ref
    for match in (
        lambda a: a.id == ident,
        lambda a: a.origin == ref,
        lambda a: Path(a.origin).name == ref,
    ):
        found = frozenset(e.article.id for e in extractions if match(e.article))
        if found:
            return found
    raise _Skip(f"{ref!r} names no article of the build")


def _final(applied: Applied, graph: _Graph) -> Applied:
    """``applied`` with the ids it names as the graph has them after every correction."""
    def present(ids: Iterable[str]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(i for i in map(graph.current, ids) if i in graph.nodes))

    split = applied.split_node and graph.current(applied.split_node)
    return replace(applied, nodes=present(applied.nodes), split_node=split if split in graph.nodes else None)


# ---------------------------------------------------------------- recording


def correction_triples(
    applied: Iterable[Applied],
) -> list[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]]:
    """One ``kg:Correction`` node per applied correction: what it said, where, who, when, why, what it changed."""
    kg = {name: ox.NamedNode(str(KG._NS) + name) for name in TERMS}
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    xsd = "http://www.w3.org/2001/XMLSchema#"
    triples: list[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]] = []
    for item in applied:
        c = item.correction
        node = ox.NamedNode(c.iri)
        add = triples.append
        add((node, rdf_type, kg["Correction"]))
        add((node, kg["correctionKind"], ox.Literal(c.kind)))
        add((node, kg["correctionText"], ox.Literal(c.text)))
        add((node, ox.NamedNode(str(KG._NS) + "origin"), ox.Literal(c.origin)))
        date_type = "dateTime" if "T" in c.when else "date"
        add((node, ox.NamedNode(DCTERMS + "date"), ox.Literal(c.when, datatype=ox.NamedNode(xsd + date_type))))
        if c.by:
            add((node, ox.NamedNode(DCTERMS + "creator"), ox.Literal(c.by)))
        if c.why:
            add((node, ox.NamedNode(DCTERMS + "description"), ox.Literal(c.why)))
        for ident in item.nodes:
            add((node, kg["correctedNode"], ox.NamedNode(str(ENTITY) + ident)))
        for ident in item.merged:
            add((node, kg["mergedNode"], ox.NamedNode(str(ENTITY) + ident)))
        if c.kind == "split":
            add((node, kg["splitAlias"], ox.Literal(c.args[1])))
        if item.split_node:
            add((node, kg["splitNode"], ox.NamedNode(str(ENTITY) + item.split_node)))
        if item.previous_class:
            add((node, kg["previousClass"], ox.NamedNode(str(KG._NS) + item.previous_class)))
        for ident in item.statements:
            add((node, kg["rejectedStatement"], ox.NamedNode(str(STATEMENT) + ident)))
    return triples

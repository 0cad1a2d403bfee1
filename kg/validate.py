"""SHACL validation of a built graph against ``ontology/shapes.ttl`` (with pyshacl)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Namespace
from rdflib.term import BNode, Node

from kg.errors import OntologyError
from kg.query import to_rdflib
from kg.vocab import ontology_dir

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True, slots=True)
class Violation:
    """One result of the SHACL report, with the node shape it belongs to."""

    focus: Node
    shape: Node  # the named node shape (a property shape's parent), or the source shape
    path: Node | None
    value: Node | None
    message: str
    severity: str
    constraint: str


@dataclass(frozen=True, slots=True)
class Report:
    conforms: bool
    violations: tuple[Violation, ...]
    focus_nodes: int  # distinct nodes with at least one result


def to_graph(triples: Iterable[ox.Triple]) -> Graph:
    """An rdflib Graph of pyoxigraph triples (pyshacl reads rdflib)."""
    graph = Graph()
    for t in triples:
        graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))  # type: ignore[arg-type]
    return graph


def _load(name: str) -> Graph:
    path = ontology_dir() / name
    try:
        return Graph().parse(path, format="turtle")
    except Exception as exc:  # rdflib parsers raise many unrelated types
        raise OntologyError(f"{path}: cannot be read ({exc})") from None


def _local(node: Node | None) -> str:
    text = str(node) if node is not None else ""
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def validate(graph: Graph, shapes: Path | None = None) -> Report:
    """Validate ``graph`` against the shapes (default ``ontology/shapes.ttl``), with the ontology's class tree."""
    from pyshacl import validate as shacl_validate

    shapes_graph = Graph().parse(shapes, format="turtle") if shapes else _load("shapes.ttl")
    conforms, results, _ = shacl_validate(
        graph, shacl_graph=shapes_graph, ont_graph=_load("kg.ttl"), inference="none", abort_on_first=False,
        allow_warnings=True,
    )
    parents = {prop: shape for shape, prop in shapes_graph.subject_objects(SH.property)}
    violations = []
    for result in results.subjects(SH.resultSeverity, None):
        source = results.value(result, SH.sourceShape)
        shape = parents.get(source, source) if isinstance(source, BNode) else source
        message = results.value(result, SH.resultMessage)
        violations.append(Violation(
            focus=results.value(result, SH.focusNode),
            shape=shape,
            path=results.value(result, SH.resultPath),
            value=results.value(result, SH.value),
            message=str(message) if message is not None else "",
            severity=_local(results.value(result, SH.resultSeverity)),
            constraint=_local(results.value(result, SH.sourceConstraintComponent)),
        ))
    violations.sort(key=lambda v: (str(v.focus), str(v.shape), str(v.path), v.constraint, str(v.value), v.message))
    return Report(bool(conforms), tuple(violations), len({v.focus for v in violations}))

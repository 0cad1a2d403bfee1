"""The vocabulary in code agrees with ontology/kg.ttl: no predicate, class or event type only one side knows."""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, Graph, Literal

from kg.vocab import (
    CLASS_TOP, EVENT_PREDICATES, KG, PLOVER_CLASSES, RELATION_PREDICATES, SYMMETRIC_PREDICATES, EventType, Predicate,
    ontology_dir,
)


def _ontology() -> Graph:
    return Graph().parse(ontology_dir() / "kg.ttl")


def test_every_predicate_is_an_actor_relation_of_the_ontology() -> None:
    graph = _ontology()
    declared = {str(p).rsplit("#", 1)[1] for p in graph.subjects(RDFS.subPropertyOf, KG.actorRelation)}
    assert declared == {p.value for p in Predicate}
    symmetric = {str(p).rsplit("#", 1)[1] for p in graph.subjects(RDF.type, OWL.SymmetricProperty)}
    assert symmetric == SYMMETRIC_PREDICATES
    # the contract's fourteen come first, in the contract's order
    assert RELATION_PREDICATES[0] == "consulted" and RELATION_PREDICATES[-1] == "deployedIn" and len(RELATION_PREDICATES) == 14


def test_every_plover_type_has_its_class_and_the_class_names_the_type() -> None:
    graph = _ontology()
    for kind in EventType:
        cls = KG[PLOVER_CLASSES[kind.value]]
        assert (cls, RDFS.subClassOf, KG.Event) in graph, kind
        assert (cls, KG.ploverType, Literal(kind.value)) in graph, kind


def test_each_event_predicate_carries_its_plover_type() -> None:
    graph = _ontology()
    for kind, predicate in EVENT_PREDICATES.items():
        assert (KG[predicate.value], KG.ploverType, Literal(kind.value)) in graph, predicate


def test_class_tops_mirror_the_subclass_tree() -> None:
    graph = _ontology()
    for cls, top in CLASS_TOP.items():
        node, seen = KG[cls], set()
        while node != KG[top]:
            assert node not in seen, cls
            seen.add(node)
            parents = [p for p in graph.objects(node, RDFS.subClassOf) if str(p).startswith(str(KG._NS))]
            assert parents, cls
            node = parents[0]

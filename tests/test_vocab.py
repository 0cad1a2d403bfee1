"""The vocabulary in code agrees with ontology/kg.ttl: no term, predicate, class, event type or measure only one
side knows."""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal

from kg.corrections import TERMS as CORRECTION_TERMS
from kg.extract.lexicon import load_lexicon
from kg.vocab import (
    ACTOR_PREDICATES,
    CLASS_TOP,
    EVENT_PREDICATES,
    KG,
    PLOVER_CLASSES,
    RELATION_PREDICATES,
    SYMMETRIC_PREDICATES,
    TOP_CLASSES,
    EventType,
    Predicate,
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
    assert RELATION_PREDICATES[0] == "consulted" and RELATION_PREDICATES[-1] == "deployedIn"
    assert len(RELATION_PREDICATES) == 14


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


def _local(term: object) -> str:
    return str(term).rsplit("#", 1)[1]


def _declared(graph: Graph) -> set[str]:
    """Local names of every term kg.ttl declares (gives a type) in the kg namespace."""
    return {_local(s) for s in graph.subjects(RDF.type, None) if str(s).startswith(str(KG._NS))}


def test_the_namespace_in_code_and_the_ontology_declare_the_same_terms() -> None:
    # KG raises on a term it lacks, so a term only kg.ttl declares can never be written; one only KG
    # declares would be written undeclared. The corrections' terms are written by name (kg.corrections.TERMS).
    in_code = {name for name in KG.__annotations__ if not name.startswith("_")}
    assert in_code.isdisjoint(CORRECTION_TERMS)
    assert in_code | set(CORRECTION_TERMS) == _declared(_ontology())


def test_every_actor_class_of_the_ontology_has_its_top_in_code() -> None:
    graph = _ontology()
    actor_classes = set()
    for top in TOP_CLASSES:
        actor_classes.add(top)
        actor_classes.update(_local(c) for c in graph.transitive_subjects(RDFS.subClassOf, KG[top]))
    assert actor_classes == set(CLASS_TOP)
    assert set(CLASS_TOP.values()) == set(TOP_CLASSES)
    for top in TOP_CLASSES:
        assert (KG[top], RDF.type, OWL.Class) in graph
        assert not [p for p in graph.objects(KG[top], RDFS.subClassOf) if str(p).startswith(str(KG._NS))], top


def test_every_event_class_of_the_ontology_is_a_plover_type() -> None:
    graph = _ontology()
    event_classes = {_local(c) for c in graph.subjects(RDFS.subClassOf, KG.Event)}
    assert event_classes == set(PLOVER_CLASSES.values())
    assert set(PLOVER_CLASSES) == {kind.value for kind in EventType}


def test_every_predicate_is_an_object_property_and_every_event_type_has_its_edge() -> None:
    graph = _ontology()
    for predicate in Predicate:
        assert (KG[predicate.value], RDF.type, OWL.ObjectProperty) in graph, predicate
    assert set(EVENT_PREDICATES) == set(EventType)
    assert set(ACTOR_PREDICATES) == {p.value for p in Predicate}


def test_the_measures_claims_are_read_as_are_those_the_ontology_names() -> None:
    """kg:measure is a plain string; its definition lists what a figure counts, and claims count nothing else."""
    graph = _ontology()
    (definition,) = graph.objects(KG.measure, SKOS.definition)
    named = {word.strip(" .") for word in str(definition).split(":", 1)[1].split(",")}
    lexicon = load_lexicon()
    assert set(lexicon.claims.measures) == named
    # Casualty counts read from verbs ("killed three") are measures too, and properties of events.
    assert set(lexicon.events.victim_verbs) <= named
    for measure in lexicon.events.victim_verbs:
        assert (KG[measure], RDF.type, OWL.DatatypeProperty) in graph, measure

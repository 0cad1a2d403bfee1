"""kg.rdflib_bridge: every kind of term survives the trip to rdflib and back."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef

from kg.rdflib_bridge import rdflib_graph, to_oxigraph, to_rdflib, triples_of

XSD = "http://www.w3.org/2001/XMLSchema#"
TERMS = [
    ox.NamedNode("https://w3id.org/kg-news/id/entity/iraq"),
    ox.BlankNode("b0"),
    ox.Literal("al-Sudani"),
    ox.Literal("Bagdad", language="fr"),
    ox.Literal("2024-02-14", datatype=ox.NamedNode(XSD + "date")),
    ox.Literal("0.85", datatype=ox.NamedNode(XSD + "decimal")),
    ox.Literal('quote " and\nnewline \u202e'),
]


@pytest.mark.parametrize("term", TERMS, ids=str)
def test_terms_round_trip(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> None:
    assert to_oxigraph(to_rdflib(term)) == term


def test_a_plain_string_has_no_datatype_in_rdflib_and_xsd_string_in_oxigraph() -> None:
    assert to_rdflib(ox.Literal("x")) == Literal("x") and Literal("x").datatype is None
    assert to_oxigraph(Literal("x", datatype=URIRef(XSD + "string"))) == ox.Literal("x")
    assert to_rdflib(ox.BlankNode("b1")) == BNode("b1")


def test_graphs_convert_both_ways() -> None:
    triples = [(TERMS[0], ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), literal) for literal in TERMS[2:]]
    assert sorted(triples_of(rdflib_graph(triples)), key=str) == sorted(triples, key=str)

"""pyoxigraph terms <-> rdflib terms, for the few adapters that need rdflib.

Those are pyshacl (``kg.validate``), the rdflib query engine (``kg.engines``, which also
runs the CONSTRUCT of a view) and ``kg.graph.build_graph``. Everything else reads and
passes pyoxigraph terms (``kg.rdf``).
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier, Node

from kg.rdf import Term, Triple
from kg.vocab import PREFIXES

_XSD_STRING = str(XSD.string)


def to_rdflib(term: Term) -> Identifier:
    """A pyoxigraph term as the equal rdflib term (plain strings without a datatype)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype))
    raise TypeError(f"expected a pyoxigraph term, got {type(term).__name__}")


def to_oxigraph(term: Node) -> Term:
    """An rdflib term as the equal pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"expected an RDF term, got {type(term).__name__}")


def new_graph() -> Graph:
    """An empty rdflib graph with the fixed prefixes bound."""
    graph = Graph(bind_namespaces="none")
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri)
    return graph


def rdflib_graph(triples: Iterable[Triple], graph: Graph | None = None) -> Graph:
    """The triples added to ``graph`` (by default a new ``rdflib.Graph()``)."""
    graph = Graph() if graph is None else graph
    graph.addN((to_rdflib(s), to_rdflib(p), to_rdflib(o), graph) for s, p, o in triples)
    return graph


def triples_of(graph: Graph) -> list[Triple]:
    """The triples of an rdflib graph as pyoxigraph terms."""
    return [(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in graph]

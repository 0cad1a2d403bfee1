"""Serialisations of a built graph: stable Turtle, the export formats.

Equal graphs give equal bytes. Writing them to disk safely is ``kg.outputs``'s job.
"""

from __future__ import annotations

import csv
import heapq
import io
import json
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from contextlib import ExitStack
from typing import IO, TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.errors import ExportError
from kg.graph import to_oxigraph
from kg.vocab import PREFIXES

if TYPE_CHECKING:  # networkx is imported only by the exports that need it: `kg build` stays quick
    import networkx as nx  # type: ignore[import-untyped]


# A term of a triple stream: rdflib's, or pyoxigraph's (kg.graph makes those).
AnyTerm = Node | ox.NamedNode | ox.BlankNode | ox.Literal


def _triple_stream(graph: Iterable[tuple[Any, Any, Any]]) -> Iterable[tuple[Any, Any, Any]]:
    if isinstance(graph, Graph):
        return ((to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in graph)
    return graph


def sorted_triples(graph: Iterable[tuple[Any, Any, Any]]) -> list[ox.Triple]:
    """The triples (repeats dropped) in a stable order, so equal graphs serialise to equal bytes.

    Takes an rdflib Graph or a stream of pyoxigraph triples (``kg.graph.iter_triples``).
    """
    unique = {ox.Triple(s, p, o) for s, p, o in _triple_stream(graph)}
    # The N-Triples line orders by subject, then predicate, then object, at a third of the
    # cost of comparing the three terms' strings.
    return sorted(unique, key=str)


def turtle_bytes(graph: Iterable[tuple[AnyTerm, AnyTerm, AnyTerm]]) -> bytes:
    """Stable Turtle of an rdflib Graph or a triple stream: fixed prefixes, sorted subjects and predicates."""
    buffer = io.BytesIO()
    stream_turtle(graph, buffer)
    return buffer.getvalue()


def stream_turtle(graph: Iterable[tuple[Any, Any, Any]], output: str | IO[bytes]) -> int:
    """Stable Turtle to ``output``; returns the number of distinct triples.

    The triples go through a temporary file of sorted N-Triples lines, which pyoxigraph
    streams into Turtle: memory never holds every triple as an object.
    """
    with tempfile.TemporaryFile("w+", encoding="utf-8") as scratch:
        count = _write_sorted_ntriples(graph, scratch)
        scratch.seek(0)
        ordered = ox.parse(scratch, format=ox.RdfFormat.N_TRIPLES)
        ox.serialize(ordered, output=output, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    return count


# Lines sorted in memory at a time by ``_write_sorted_ntriples``: about 250 MB of text.
RUN_LINES = 1_000_000


def _write_sorted_ntriples(graph: Iterable[tuple[Any, Any, Any]], handle: IO[str]) -> int:
    """The distinct triples as N-Triples lines in ``sorted_triples`` order; returns how many.

    An external merge sort: runs of ``RUN_LINES`` lines are sorted and spilled to
    temporary files, so memory holds one run's text, never the whole graph as objects.
    """
    with ExitStack() as stack:
        runs: list[Iterable[str]] = []
        run: set[str] = set()
        for s, p, o in _triple_stream(graph):
            run.add(str(ox.Triple(s, p, o)) + " .\n")  # N-Triples escapes newlines: one line per triple
            if len(run) >= RUN_LINES:
                spill = stack.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8"))
                spill.writelines(sorted(run))
                spill.seek(0)
                runs.append(spill)
                run = set()
        runs.append(sorted(run))
        del run
        count, previous = 0, None
        for line in heapq.merge(*runs) if len(runs) > 1 else runs[0]:
            if line != previous:
                handle.write(line)
                count, previous = count + 1, line
    return count


# ---------------------------------------------------------------- every export format
# The functions below take the graph as pyoxigraph triples in sorted order (sorted_triples
# for an rdflib Graph, kg.query.read_triples for a file), so equal graphs give equal bytes.

EXPORT_FORMATS: dict[str, str] = {
    "turtle": "graph.ttl",
    "ntriples": "graph.nt",
    "nquads": "graph.nq",
    "trig": "graph.trig",
    "jsonld": "graph.jsonld",
    "graphml": "actors.graphml",
    "gexf": "actors.gexf",
    "csv": "nodes.csv + edges.csv",
}

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_NEWS_ARTICLE = "https://schema.org/NewsArticle"
_PROVENANCE = (PREFIXES["prov"] + "wasDerivedFrom", PREFIXES["kg"] + "inArticle")
_STATEMENT_PARTS = {
    PREFIXES["rdf"] + "subject": 0, PREFIXES["rdf"] + "predicate": 1, PREFIXES["rdf"] + "object": 2,
}


def _serialize(items: Sequence[ox.Triple] | Sequence[ox.Quad], fmt: ox.RdfFormat, prefixes: bool = False) -> bytes:
    data = ox.serialize(items, format=fmt, prefixes=PREFIXES if prefixes else None)
    assert data is not None  # no output file given, so pyoxigraph returns the bytes
    return data


def _v(term: Any) -> str:
    # pyoxigraph's stubs allow RDF-star triples as terms; a kg graph has none.
    return str(term.value)


def _triple_key(t: ox.Triple) -> tuple[str, str, str]:
    return (str(t.subject), str(t.predicate), str(t.object))


def _quad_key(q: ox.Quad) -> tuple[str, str, str, str]:
    return (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object))


def article_quads(triples: Sequence[ox.Triple]) -> list[ox.Quad]:
    """The graph as quads, one named graph per article (named by the article's IRI).

    An article's graph holds the article node, the mentions and statements derived from
    it, the ``kg:mentionedIn`` links to it and every direct edge it gives evidence for
    (an edge seen in three articles is in three graphs). Entity descriptions and anything
    not derived from one article stay in the default graph.
    """
    articles: set[Any] = {t.subject for t in triples if _v(t.predicate) == _RDF_TYPE and _v(t.object) == _NEWS_ARTICLE}
    sources: dict[Any, set[Any]] = defaultdict(set)
    parts: dict[Any, list[Any]] = defaultdict(lambda: [None, None, None])
    for t in triples:
        if _v(t.predicate) in _PROVENANCE and t.object in articles:
            sources[t.subject].add(t.object)
        elif _v(t.predicate) in _STATEMENT_PARTS:
            parts[t.subject][_STATEMENT_PARTS[_v(t.predicate)]] = t.object
    home = {node: next(iter(found)) for node, found in sources.items() if len(found) == 1}
    edge_articles: dict[tuple[Any, Any, Any], set[Any]] = defaultdict(set)
    for node, (s, p, o) in parts.items():
        if node in home and s is not None and p is not None and o is not None:
            edge_articles[(s, p, o)].add(home[node])
    mentioned_in = PREFIXES["kg"] + "mentionedIn"
    quads: list[ox.Quad] = []
    for t in triples:
        if t.subject in articles:
            graphs = {t.subject}
        elif t.subject in home:
            graphs = {home[t.subject]}
        elif _v(t.predicate) == mentioned_in and t.object in articles:
            graphs = {t.object}  # type: ignore[arg-type]
        else:
            graphs = edge_articles.get((t.subject, t.predicate, t.object)) or {ox.DefaultGraph()}
        quads.extend(ox.Quad(t.subject, t.predicate, t.object, g) for g in graphs)  # type: ignore[arg-type]
    quads.sort(key=_quad_key)
    return quads


def _compact(iri: str) -> str:
    best = ""
    for prefix, base in PREFIXES.items():
        if iri.startswith(base) and len(base) > len(best):
            best, name = base, prefix
    local = iri[len(best):]
    if best and local and all(c.isalnum() or c in "-_." for c in local):
        return f"{name}:{local}"
    return iri


def _jsonld_value(term: Any) -> Any:
    if isinstance(term, ox.NamedNode):
        return {"@id": _compact(term.value)}
    if isinstance(term, ox.BlankNode):
        return {"@id": f"_:{term.value}"}
    if term.language:
        return {"@value": _v(term), "@language": term.language}
    if _v(term.datatype) == PREFIXES["xsd"] + "string":
        return _v(term)
    return {"@value": _v(term), "@type": _compact(_v(term.datatype))}


def jsonld_bytes(triples: Sequence[ox.Triple]) -> bytes:
    """JSON-LD with the shipped prefixes as its context; nodes, properties and values sorted."""
    nodes: dict[str, dict[str, list[Any]]] = {}
    for t in triples:
        subject = _compact(_v(t.subject)) if isinstance(t.subject, ox.NamedNode) else f"_:{_v(t.subject)}"
        node = nodes.setdefault(subject, {})
        if _v(t.predicate) == _RDF_TYPE and isinstance(t.object, ox.NamedNode):
            node.setdefault("@type", []).append(_compact(_v(t.object)))
        else:
            node.setdefault(_compact(_v(t.predicate)), []).append(_jsonld_value(t.object))
    graph = []
    for subject in sorted(nodes):
        entry: dict[str, Any] = {"@id": subject}
        for key in sorted(nodes[subject], key=lambda k: (k != "@type", k)):
            values = nodes[subject][key]
            entry[key] = values[0] if len(values) == 1 else values
        graph.append(entry)
    document = {"@context": dict(sorted(PREFIXES.items())), "@graph": graph}
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


# What XML 1.0 cannot hold, even escaped: most C0 controls, surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(value: Any) -> Any:
    """A string attribute without the characters XML cannot hold (each becomes U+FFFD); other values as they are.

    networkx escapes markup (``<``, ``&``, quotes) but writes these raw, which no XML parser reads.
    """
    return _NOT_XML.sub("\ufffd", value) if isinstance(value, str) else value


def _xml_network(network: nx.MultiDiGraph) -> nx.MultiDiGraph:
    import networkx as nx  # type: ignore[import-untyped]

    clean = nx.MultiDiGraph()
    clean.add_nodes_from((_xml_safe(n), {k: _xml_safe(v) for k, v in d.items()}) for n, d in network.nodes(data=True))
    for s, o, key, data in network.edges(keys=True, data=True):
        clean.add_edge(_xml_safe(s), _xml_safe(o), key=key, **{k: _xml_safe(v) for k, v in data.items()})
    return clean


def graphml_bytes(network: nx.MultiDiGraph) -> bytes:
    """The actor network as GraphML (for Gephi, yEd, Cytoscape); edge ids unique."""
    import networkx as nx  # type: ignore[import-untyped]

    clean = _xml_network(network)
    numbered = nx.MultiDiGraph()
    numbered.add_nodes_from(clean.nodes(data=True))
    for i, (s, o, key, data) in enumerate(clean.edges(keys=True, data=True)):
        numbered.add_edge(s, o, key=key, eid=f"e{i}", **data)
    text = "\n".join(nx.generate_graphml(numbered, edge_id_from_attribute="eid"))
    return (text + "\n").encode("utf-8")


def gexf_bytes(network: nx.MultiDiGraph, modified: str | None = None) -> bytes:
    """The actor network as GEXF 1.2 (Gephi); ``modified`` fixes the meta date (else it is dropped)."""
    import networkx as nx  # type: ignore[import-untyped]

    text = "\n".join(nx.generate_gexf(_xml_network(network)))
    # networkx stamps today's date: replace it so the same graph gives the same bytes.
    replacement = f'lastmodifieddate="{modified}"' if modified else ""
    text = re.sub(r'\s?lastmodifieddate="[^"]*"', (" " + replacement) if replacement else "", text, count=1)
    return (text + "\n").encode("utf-8")


# A spreadsheet reads a cell starting with one of these as a formula ("=cmd|' /C calc'!A0").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    """A CSV cell that a spreadsheet shows as text: a string that could start a formula gets a leading ``'``."""
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def _csv(rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([_cell(value) for value in row] for row in rows)
    return buffer.getvalue().encode("utf-8")


def csv_tables(network: nx.MultiDiGraph) -> dict[str, bytes]:
    """The actor network as ``nodes.csv`` and ``edges.csv``."""
    nodes = [("id", "label", "class", "top", "articles")] + [
        (node, d["label"], d["cls"], d["top"], d["articles"]) for node, d in network.nodes(data=True)
    ]
    edges = [("source", "target", "predicate", "evidence", "symmetric", "first", "last")] + [
        (s, o, d["predicate"], d["evidence"], str(d["symmetric"]).lower(), d["first"], d["last"])
        for s, o, d in network.edges(data=True)
    ]
    return {"nodes.csv": _csv(nodes), "edges.csv": _csv(edges)}


def _latest_article_date(triples: Sequence[ox.Triple]) -> str | None:
    published = PREFIXES["schema"] + "datePublished"
    dates = [_v(t.object) for t in triples if _v(t.predicate) == published]
    return max(dates) if dates else None


def export_files(triples: Sequence[ox.Triple], fmt: str) -> dict[str, bytes]:
    """The graph in ``fmt`` (a key of EXPORT_FORMATS) as file name -> bytes (two files for csv)."""
    from kg.network import actor_network

    if fmt not in EXPORT_FORMATS:
        raise ExportError(f"unknown export format {fmt!r} (expected {', '.join(EXPORT_FORMATS)})")
    name = EXPORT_FORMATS[fmt]
    if fmt == "turtle":
        return {name: _serialize(triples, ox.RdfFormat.TURTLE, prefixes=True)}
    if fmt == "ntriples":
        return {name: _serialize(triples, ox.RdfFormat.N_TRIPLES)}
    if fmt == "nquads":
        return {name: _serialize(article_quads(triples), ox.RdfFormat.N_QUADS)}
    if fmt == "trig":
        return {name: _serialize(article_quads(triples), ox.RdfFormat.TRIG, prefixes=True)}
    if fmt == "jsonld":
        return {name: jsonld_bytes(triples)}
    network = actor_network(triples)
    if fmt == "graphml":
        return {name: graphml_bytes(network)}
    if fmt == "gexf":
        return {name: gexf_bytes(network, _latest_article_date(triples))}
    return csv_tables(network)

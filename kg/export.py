"""Serialisations of a built graph, written atomically."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.errors import ExportError
from kg.vocab import PREFIXES

if TYPE_CHECKING:  # networkx is imported only by the exports that need it: `kg build` stays quick
    import networkx as nx  # type: ignore[import-untyped]


def _ox_term(term: Node | ox.NamedNode | ox.BlankNode | ox.Literal) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        return term
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


def sorted_triples(graph: Iterable[tuple[Node, Node, Node]]) -> list[ox.Triple]:
    """The triples (repeats dropped) in a stable order, so equal graphs serialise to equal bytes."""
    unique = {ox.Triple(_ox_term(s), _ox_term(p), _ox_term(o)) for s, p, o in graph}  # type: ignore[arg-type]
    return sorted(unique, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def turtle_bytes(graph: Iterable[tuple[Node, Node, Node]]) -> bytes:
    """Stable Turtle of an rdflib Graph or a triple stream: fixed prefixes, sorted subjects and predicates."""
    return ox.serialize(sorted_triples(graph), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)  # type: ignore[no-any-return]


def write_turtle(path: Path, triples: Iterable[tuple[Node, Node, Node]]) -> int:
    """Stable Turtle of a triple stream to ``path``, atomically, without an in-memory rdflib Graph.

    Returns the number of distinct triples written.
    """
    ordered = sorted_triples(triples)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        ox.serialize(ordered, output=tmp, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        _publish(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(ordered)


def write_store(path: Path, triples: Iterable[tuple[Node, Node, Node]]) -> None:
    """Replace the on-disk pyoxigraph store at ``path`` with these triples.

    The new store is filled beside the old one and swapped in by renames, so a
    failed build leaves the old store in place.
    """
    path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.new."))
    try:
        store = ox.Store(str(fresh))
        store.bulk_extend(ox.Quad(_ox_term(s), _ox_term(p), _ox_term(o)) for s, p, o in triples)  # type: ignore[arg-type]
        store.flush()
        del store
        retired = path.parent / f".{path.name}.old"
        if path.exists():
            shutil.rmtree(retired, ignore_errors=True)
            path.rename(retired)
        fresh.rename(path)
        shutil.rmtree(retired, ignore_errors=True)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        _publish(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _publish(tmp: str, path: Path) -> None:
    """Make a finished temporary file durable, readable as a normal file is, and move it into place."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, path)


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


def graphml_bytes(network: nx.MultiDiGraph) -> bytes:
    """The actor network as GraphML (for Gephi, yEd, Cytoscape); edge ids unique."""
    import networkx as nx  # type: ignore[import-untyped]

    numbered = nx.MultiDiGraph()
    numbered.add_nodes_from(network.nodes(data=True))
    for i, (s, o, key, data) in enumerate(network.edges(keys=True, data=True)):
        numbered.add_edge(s, o, key=key, eid=f"e{i}", **data)
    text = "\n".join(nx.generate_graphml(numbered, edge_id_from_attribute="eid"))
    return (text + "\n").encode("utf-8")


def gexf_bytes(network: nx.MultiDiGraph, modified: str | None = None) -> bytes:
    """The actor network as GEXF 1.2 (Gephi); ``modified`` fixes the meta date (else it is dropped)."""
    import networkx as nx  # type: ignore[import-untyped]

    text = "\n".join(nx.generate_gexf(network))
    # networkx stamps today's date: replace it so the same graph gives the same bytes.
    replacement = f'lastmodifieddate="{modified}"' if modified else ""
    text = re.sub(r'\s?lastmodifieddate="[^"]*"', (" " + replacement) if replacement else "", text, count=1)
    return (text + "\n").encode("utf-8")


def _csv(rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
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

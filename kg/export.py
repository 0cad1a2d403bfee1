"""Serialisations of a built graph in the export formats (stable Turtle is ``kg.turtle``'s).

Equal graphs give equal bytes. Placing them on disk safely is ``kg.outputs``'s job.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.errors import ExportError
from kg.rdf import Term, Triple, compact
from kg.turtle import serialize
from kg.vocab import PREFIXES

if TYPE_CHECKING:  # networkx and the view are imported only by the exports that need them: `kg build` stays quick
    import networkx as nx  # type: ignore[import-untyped]

    from kg.network import ActorNetwork, Evidence
    from kg.viz_style import Look


# ---------------------------------------------------------------- every export format
# The functions below take the graph's distinct triples in sorted order (as kg.rdf.read_graph
# gives them), so equal graphs give equal bytes.

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
# The other names of a format: the suffix of its files (-f nt), as everyone writes it.
FORMAT_ALIASES: dict[str, str] = {"ttl": "turtle", "nt": "ntriples", "nq": "nquads"}
# A format's file suffix is its default file name's; kg reads the RDF ones back by it (kg.rdf.GRAPH_FORMATS).
_SUFFIXES = {Path(name).suffix: fmt for fmt, name in EXPORT_FORMATS.items() if fmt != "csv"}


def export_format(fmt: str | None, output: Path | None) -> str:
    """The format to export in: the one ``fmt`` names (a name of EXPORT_FORMATS or FORMAT_ALIASES),
    else the one the suffix of the ``output`` file names, else Turtle.

    The suffix of an output file must be its format's, so that what kg writes it reads back.

    >>> export_format("nt", None), export_format(None, Path("x.jsonld")), export_format(None, None)
    ('ntriples', 'jsonld', 'turtle')

    Raises:
        ExportError: an unknown format, an output suffix that is not the format's, or a suffix that names none.
    """
    named = FORMAT_ALIASES.get(fmt, fmt) if fmt is not None else None
    if named is not None and named not in EXPORT_FORMATS:
        known = ", ".join([*EXPORT_FORMATS, *FORMAT_ALIASES])
        raise ExportError(f"unknown export format {fmt!r} (expected one of {known})")
    if output is None or output.is_dir() or named == "csv":
        if named == "csv" and output is not None and output.suffix.lower() in {".csv", *_SUFFIXES}:
            raise ExportError(f"{output}: --format csv writes nodes.csv and edges.csv into a folder: give -o DIR")
        return named or "turtle"
    suffix = output.suffix.lower()
    implied = _SUFFIXES.get(suffix)
    if named is None:
        if implied is None:
            raise ExportError(
                f"{output}: cannot tell the format from the suffix {suffix or '(none)'!r}: give --format, or name "
                f"the file with one of {', '.join(_SUFFIXES)}"
            )
        return implied
    if implied != named:
        wanted = Path(EXPORT_FORMATS[named]).suffix
        said = f"names {implied}" if implied else "is not a suffix kg reads"
        raise ExportError(
            f"{output}: --format {fmt} writes {wanted} files, but the suffix {suffix or '(none)'!r} {said}; "
            f"name the file *{wanted}, or leave out --format"
        )
    return named

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_NEWS_ARTICLE = "https://schema.org/NewsArticle"
_PROVENANCE = (PREFIXES["prov"] + "wasDerivedFrom", PREFIXES["kg"] + "inArticle")
_STATEMENT_PARTS = {
    PREFIXES["rdf"] + "subject": 0, PREFIXES["rdf"] + "predicate": 1, PREFIXES["rdf"] + "object": 2,
}


def _ox_triples(triples: Sequence[Triple]) -> list[ox.Triple]:
    return [ox.Triple(s, p, o) for s, p, o in triples]  # type: ignore[arg-type]  # a literal is never a subject


def _quad_key(q: ox.Quad) -> tuple[str, str, str, str]:
    return (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object))


def article_quads(triples: Sequence[Triple]) -> list[ox.Quad]:
    """The graph as quads, one named graph per article (named by the article's IRI).

    An article's graph holds the article node, the mentions and statements derived from
    it, the ``kg:mentionedIn`` links to it and every direct edge it gives evidence for
    (an edge seen in three articles is in three graphs). Entity descriptions and anything
    not derived from one article stay in the default graph.
    """
    articles: set[Term] = {s for s, p, o in triples if p.value == _RDF_TYPE and o.value == _NEWS_ARTICLE}
    sources: dict[Term, set[Term]] = defaultdict(set)
    parts: dict[Term, list[Term | None]] = defaultdict(lambda: [None, None, None])
    for s, p, o in triples:
        if p.value in _PROVENANCE and o in articles:
            sources[s].add(o)
        elif p.value in _STATEMENT_PARTS:
            parts[s][_STATEMENT_PARTS[p.value]] = o
    home = {node: next(iter(found)) for node, found in sources.items() if len(found) == 1}
    edge_articles: dict[tuple[Term, Term, Term], set[Term]] = defaultdict(set)
    for node, (ps, pp, po) in parts.items():
        if node in home and ps is not None and pp is not None and po is not None:
            edge_articles[(ps, pp, po)].add(home[node])
    mentioned_in = PREFIXES["kg"] + "mentionedIn"
    quads: list[ox.Quad] = []
    for s, p, o in triples:
        graphs: set[Any]
        if s in articles:
            graphs = {s}
        elif s in home:
            graphs = {home[s]}
        elif p.value == mentioned_in and o in articles:
            graphs = {o}
        else:
            graphs = edge_articles.get((s, p, o)) or {ox.DefaultGraph()}
        quads.extend(ox.Quad(s, p, o, g) for g in graphs)  # type: ignore[arg-type]  # a literal is never a subject
    quads.sort(key=_quad_key)
    return quads


def _name(iri: str) -> str:
    return compact(iri, brackets=False)


def _jsonld_value(term: Term) -> Any:
    if isinstance(term, ox.NamedNode):
        return {"@id": _name(term.value)}
    if isinstance(term, ox.BlankNode):
        return {"@id": f"_:{term.value}"}
    if term.language:
        return {"@value": term.value, "@language": term.language}
    if term.datatype.value == PREFIXES["xsd"] + "string":
        return term.value
    return {"@value": term.value, "@type": _name(term.datatype.value)}


def jsonld_bytes(triples: Sequence[Triple]) -> bytes:
    """JSON-LD with the shipped prefixes as its context; nodes, properties and values sorted."""
    nodes: dict[str, dict[str, list[Any]]] = {}
    for s, p, o in triples:
        subject = _name(s.value) if isinstance(s, ox.NamedNode) else f"_:{s.value}"
        node = nodes.setdefault(subject, {})
        if p.value == _RDF_TYPE and isinstance(o, ox.NamedNode):
            node.setdefault("@type", []).append(_name(o.value))
        else:
            node.setdefault(_name(p.value), []).append(_jsonld_value(o))
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
    import networkx as nx

    clean = nx.MultiDiGraph()
    clean.add_nodes_from((_xml_safe(n), {k: _xml_safe(v) for k, v in d.items()}) for n, d in network.nodes(data=True))
    for s, o, key, data in network.edges(keys=True, data=True):
        clean.add_edge(_xml_safe(s), _xml_safe(o), key=key, **{k: _xml_safe(v) for k, v in data.items()})
    return clean


def graphml_bytes(network: nx.MultiDiGraph) -> bytes:
    """The actor network as GraphML (for Gephi, yEd, Cytoscape); edge ids unique."""
    import networkx as nx

    clean = _xml_network(network)
    numbered = nx.MultiDiGraph()
    numbered.add_nodes_from(clean.nodes(data=True))
    for i, (s, o, key, data) in enumerate(clean.edges(keys=True, data=True)):
        numbered.add_edge(s, o, key=key, eid=f"e{i}", **data)
    text = "\n".join(nx.generate_graphml(numbered, edge_id_from_attribute="eid"))
    return (text + "\n").encode("utf-8")


def gexf_bytes(
    network: nx.MultiDiGraph, modified: str | None = None, looks: Mapping[str, Look] | None = None,
    dates: Mapping[tuple[str, str, str], Sequence[str]] | None = None,
) -> bytes:
    """The actor network as GEXF 1.3 (Gephi); ``modified`` fixes the meta date (else it is dropped).

    ``looks`` gives each node its ``viz`` colour, size and position (those of the network view);
    ``dates`` gives each edge (source, predicate, target) the days of its evidence, written as
    one-day spells: the graph is then dynamic and Gephi's timeline plays it.
    """
    import networkx as nx

    from kg.viz_style import PREDICATE_COLOURS

    graph = _xml_network(network)
    for node, data in graph.nodes(data=True):
        look = (looks or {}).get(node)
        if look is not None:
            r, g, b = (int(look.colour[i : i + 2], 16) for i in (1, 3, 5))
            # Gephi's y axis points up, the page's down.
            data["viz"] = {"color": {"r": r, "g": g, "b": b, "a": 1.0}, "size": look.size,
                           "position": {"x": look.x, "y": -look.y, "z": 0.0}}
    for s, o, data in graph.edges(data=True):
        colour = PREDICATE_COLOURS.get(data["predicate"])
        if looks is not None and colour:
            r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
            data["viz"] = {"color": {"r": r, "g": g, "b": b, "a": 1.0}}
        days = (dates or {}).get((s, data["predicate"], o))
        if days:
            data["spells"] = [(day, day) for day in days]
    text = "\n".join(nx.generate_gexf(graph, version="1.3"))
    # networkx misspells the XML Schema instance namespace.
    text = text.replace('xmlns:xsi="http://w3.org/2001/', 'xmlns:xsi="http://www.w3.org/2001/', 1)
    # networkx stamps today's date: replace it so the same graph gives the same bytes.
    replacement = f'lastmodifieddate="{modified}"' if modified else ""
    text = re.sub(r'\s?lastmodifieddate="[^"]*"', (" " + replacement) if replacement else "", text, count=1)
    return (text + "\n").encode("utf-8")


def network_looks(network: ActorNetwork) -> dict[str, Look]:
    """How the view of the whole graph draws each actor; an actor it leaves out (untyped) is small and grey,
    placed among its neighbours."""
    from kg.viz_select import view_of
    from kg.viz_style import OTHER_STYLE, Look, looks

    drawn = looks(view_of(network))
    neighbours: dict[str, list[Look]] = defaultdict(list)
    for s, _, o in network.edges:
        for one, other in ((s, o), (o, s)):
            if one not in drawn and other in drawn:
                neighbours[one].append(drawn[other])
    found = dict(drawn)
    for iri in network.actors:
        if iri not in drawn:
            near = neighbours.get(iri, [])
            x = round(sum(look.x for look in near) / len(near), 1) if near else 0.0
            y = round(sum(look.y for look in near) / len(near), 1) if near else 0.0
            found[iri] = Look(OTHER_STYLE[0], OTHER_STYLE[1], 9.0, x, y)
    return found


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


def csv_tables(network: nx.MultiDiGraph, newest: Mapping[tuple[str, str, str], Evidence] | None = None,
               ) -> dict[str, bytes]:
    """The actor network as ``nodes.csv`` and ``edges.csv`` (Gephi's spreadsheet import reads both).

    An edge row names both ends by IRI and label and, from ``newest`` (edge -> its newest
    evidence), gives that evidence's sentence and its article's address (http(s) only).
    """
    from kg.viz_style import safe_url

    nodes = [("id", "label", "class", "top", "articles")] + [
        (node, d["label"], d["cls"], d["top"], d["articles"]) for node, d in network.nodes(data=True)
    ]
    edges: list[tuple[Any, ...]] = [("source", "target", "source_label", "target_label", "predicate", "evidence",
                                     "symmetric", "first", "last", "sentence", "url")]
    for s, o, d in network.edges(data=True):
        item = (newest or {}).get((s, d["predicate"], o))
        edges.append((s, o, network.nodes[s]["label"], network.nodes[o]["label"], d["predicate"], d["evidence"],
                      str(d["symmetric"]).lower(), d["first"], d["last"],
                      " ".join(item.sentence.split()) if item else "", (safe_url(item.url) if item else None) or ""))
    return {"nodes.csv": _csv(nodes), "edges.csv": _csv(edges)}


def _latest_article_date(triples: Sequence[Triple]) -> str | None:
    published = PREFIXES["schema"] + "datePublished"
    dates = [o.value for _, p, o in triples if p.value == published]
    return max(dates) if dates else None


def export_files(triples: Sequence[Triple], fmt: str) -> dict[str, bytes]:
    """The graph (sorted distinct triples, as ``kg.rdf.read_graph`` gives them) in ``fmt`` (a key of
    EXPORT_FORMATS) as file name -> bytes (two files for csv)."""
    from kg.network import project, to_networkx

    if fmt not in EXPORT_FORMATS:
        raise ExportError(f"unknown export format {fmt!r} (expected {', '.join(EXPORT_FORMATS)})")
    name = EXPORT_FORMATS[fmt]
    if fmt == "turtle":
        return {name: serialize(_ox_triples(triples), ox.RdfFormat.TURTLE, prefixes=True)}
    if fmt == "ntriples":
        return {name: serialize(_ox_triples(triples), ox.RdfFormat.N_TRIPLES)}
    if fmt == "nquads":
        return {name: serialize(article_quads(triples), ox.RdfFormat.N_QUADS)}
    if fmt == "trig":
        return {name: serialize(article_quads(triples), ox.RdfFormat.TRIG, prefixes=True)}
    if fmt == "jsonld":
        return {name: jsonld_bytes(triples)}
    actors = project(triples)
    network = to_networkx(actors)
    if fmt == "graphml":
        return {name: graphml_bytes(network)}
    if fmt == "gexf":
        return {name: gexf_bytes(network, _latest_article_date(triples), network_looks(actors), actors.dates())}
    newest = {edge: max(found, key=lambda e: (e.date or "", e.sentence))
              for edge, found in actors.evidence().items() if found}
    return csv_tables(network, newest)

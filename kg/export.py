"""Serialisations of a built graph, written atomically.

Every output is written beside its target under a hidden temporary name that
carries the writer's process id, and moved into place only when complete
(``Staged`` prepares several outputs before replacing any). A writer killed at
any moment leaves the previous outputs as they were; its temporaries are
removed by the next writer of the same target once that process is gone.
"""

from __future__ import annotations

import ctypes
import csv
import heapq
import io
import json
import os
import re
import shutil
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from contextlib import ExitStack
from itertools import islice
from pathlib import Path
from types import TracebackType
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
    _write_turtle(graph, buffer)
    return buffer.getvalue()


def _write_turtle(graph: Iterable[tuple[Any, Any, Any]], output: str | IO[bytes]) -> int:
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


# Quads per bulk load into an on-disk store (about 80 MB of memory).
STORE_CHUNK = 100_000
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


class Staged:
    """Outputs prepared beside their targets and put in place together by ``commit``.

    Until ``commit`` no target changes, so a run that fails or is killed while
    preparing leaves every previous output intact; ``commit`` only renames.
    Leaving the ``with`` block without committing discards what was prepared.
    """

    def __init__(self) -> None:
        self._files: list[tuple[str, Path]] = []
        self._stores: list[tuple[Path, Path]] = []

    def turtle(self, path: Path, triples: Iterable[tuple[AnyTerm, AnyTerm, AnyTerm]]) -> int:
        """Stable Turtle of a triple stream for ``path``; returns the number of distinct triples."""
        tmp = _temporary(path)
        self._files.append((tmp, path))
        return _write_turtle(triples, tmp)

    def bytes(self, path: Path, data: bytes) -> None:
        """``data`` for the file ``path``."""
        tmp = _temporary(path)
        self._files.append((tmp, path))
        with open(tmp, "wb") as handle:
            handle.write(data)

    def store(self, path: Path, triples: Iterable[tuple[AnyTerm, AnyTerm, AnyTerm]]) -> None:
        """An on-disk pyoxigraph store of these triples, to replace the one at ``path``."""
        path = path.resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        _restore_retired(path)
        _clear_stale(path)
        fresh = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.new.{os.getpid()}."))
        self._stores.append((fresh, path))
        store = ox.Store(str(fresh))
        quads = (ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in triples)  # type: ignore[arg-type]
        # One bulk load of everything holds it all in memory (about 0.8 KB a triple, measured);
        # loads of STORE_CHUNK quads stay small, and ``optimize`` compacts what they leave.
        while chunk := list(islice(quads, STORE_CHUNK)):
            store.bulk_extend(chunk)
        store.flush()
        store.optimize()
        del store

    def commit(self) -> None:
        """Move everything prepared into place: files durable first, then renames only."""
        for tmp, _ in self._files:
            _make_durable(tmp)
        for fresh, path in self._stores:
            _swap_in(fresh, path)
        for tmp, path in self._files:
            os.replace(tmp, path)
        self._files, self._stores = [], []

    def discard(self) -> None:
        for tmp, _ in self._files:
            Path(tmp).unlink(missing_ok=True)
        for fresh, _ in self._stores:
            shutil.rmtree(fresh, ignore_errors=True)
        self._files, self._stores = [], []

    def __enter__(self) -> Staged:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.discard()


def write_turtle(path: Path, triples: Iterable[tuple[AnyTerm, AnyTerm, AnyTerm]]) -> int:
    """Stable Turtle of a triple stream to ``path``, atomically, without an in-memory rdflib Graph.

    Returns the number of distinct triples written.
    """
    with Staged() as staged:
        count = staged.turtle(path, triples)
        staged.commit()
    return count


def write_store(path: Path, triples: Iterable[tuple[AnyTerm, AnyTerm, AnyTerm]]) -> None:
    """Replace the on-disk pyoxigraph store at ``path`` with these triples.

    The new store is filled beside the old one and swapped in (atomically where
    the system can exchange two directories), so a failed build leaves the old
    store in place.
    """
    with Staged() as staged:
        staged.store(path, triples)
        staged.commit()


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never a part."""
    with Staged() as staged:
        staged.bytes(path, data)
        staged.commit()


def _temporary(path: Path) -> str:
    """A new empty file beside ``path``, named for this process (``.NAME.PID.XXXX.tmp``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _clear_stale(path)
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp")
    except OSError as error:  # name the output, not the temporary
        raise OSError(error.errno, error.strerror, str(path)) from None
    os.close(fd)
    return tmp


# Temporary files (``.NAME.PID.XXXX.tmp``) and stores being filled (``.NAME.new.PID.XXXX``).
_STALE = (re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[^.]+\.tmp$"), re.compile(r"^\.(?P<name>.+)\.new\.(?P<pid>\d+)\.[^.]+$"))


def _clear_stale(path: Path) -> None:
    """Remove the temporaries that writers of ``path`` left when they were killed (their process is gone)."""
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return
    for entry in entries:
        found = [m for m in (pattern.match(entry.name) for pattern in _STALE) if m and m.group("name") == path.name]
        if not found or _alive(int(found[0].group("pid"))):
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            Path(entry.path).unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process
        return True
    return True


def _make_durable(tmp: str) -> None:
    """A finished temporary file on disk, readable as a normal file is."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())


def _retired(path: Path) -> Path:
    return path.parent / f".{path.name}.old"


def _restore_retired(path: Path) -> None:
    """Put back a store that a swap by two renames left aside when it was killed between them."""
    if not path.exists() and _retired(path).is_dir():
        _retired(path).rename(path)


def _swap_in(fresh: Path, path: Path) -> None:
    """Put the directory ``fresh`` at ``path`` and remove what was there."""
    if not path.exists():
        fresh.rename(path)
    elif _exchange(fresh, path):
        shutil.rmtree(fresh, ignore_errors=True)  # now the old store
    else:
        retired = _retired(path)
        shutil.rmtree(retired, ignore_errors=True)
        path.rename(retired)
        fresh.rename(path)
        shutil.rmtree(retired, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False where that is unavailable."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a C library without it (glibc < 2.28, musl)
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0  # type: ignore[no-any-return]


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

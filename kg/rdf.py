"""RDF as every module sees it: pyoxigraph terms, triples of them, and graphs read from files or stores.

A graph crosses module boundaries as :data:`Triple` tuples of pyoxigraph terms, never
as rdflib terms (``kg.rdflib_bridge`` converts for the few places that need rdflib).
:func:`read_graph` reads what every command takes as GRAPH: a graph file in any
format kg reads, or an on-disk store directory (``kg build --store``).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import GraphError
from kg.folders import is_store
from kg.locks import lock_holder
from kg.vocab import PREFIXES

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Triple = tuple[Term, Term, Term]

# Graph file suffix -> (pyoxigraph format, holds named graphs)
GRAPH_FORMATS: dict[str, tuple[ox.RdfFormat, bool]] = {
    ".ttl": (ox.RdfFormat.TURTLE, False),
    ".nt": (ox.RdfFormat.N_TRIPLES, False),
    ".nq": (ox.RdfFormat.N_QUADS, True),
    ".trig": (ox.RdfFormat.TRIG, True),
    ".jsonld": (ox.RdfFormat.JSON_LD, True),
}
BLANK = "_:"  # the text of a blank node starts so; no IRI does (an IRI scheme begins with a letter)


def triple_key(triple: Triple) -> tuple[str, str, str]:
    """The order kg sorts triples in: by the N-Triples form of subject, predicate, object."""
    s, p, o = triple
    return (str(s), str(p), str(o))


def compact(iri: str, *, brackets: bool = True) -> str:
    """An IRI written with the shipped prefixes where one fits (``kge:iraq``); else ``<iri>`` (or bare).

    >>> compact("https://w3id.org/kg-news/id/entity/iraq"), compact("urn:x"), compact("urn:x", brackets=False)
    ('kge:iraq', '<urn:x>', 'urn:x')
    """
    best, name = "", ""
    for prefix, base in PREFIXES.items():
        if iri.startswith(base) and len(base) > len(best):
            best, name = base, prefix
    local = iri[len(best):]
    if best and local and all(c.isalnum() or c in "-_." for c in local):
        return f"{name}:{local}"
    return f"<{iri}>" if brackets else iri


def is_graph(path: Path) -> bool:
    """Whether ``path`` is a built graph: a file of a graph format kg reads, or a store directory."""
    return (path.suffix.lower() in GRAPH_FORMATS and path.is_file()) or (path.is_dir() and is_store(path))


def graph_format(path: Path) -> tuple[ox.RdfFormat, bool]:
    """The format to read the graph file ``path`` in (from its suffix), and whether it holds named graphs."""
    try:
        return GRAPH_FORMATS[path.suffix.lower()]
    except KeyError:
        raise GraphError(f"{path}: unknown graph format (expected {', '.join(GRAPH_FORMATS)})") from None


def unreadable(path: Path, exc: BaseException) -> GraphError:
    """The one-line error for a graph file that does not parse (with its line) or cannot be read."""
    if isinstance(exc, SyntaxError) and exc.lineno is not None:
        return GraphError(f"{path}:{exc.lineno}: not a readable graph: {exc.msg}")
    return GraphError(f"{path}: cannot be read: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}")


def read_graph(path: Path) -> list[Triple]:
    """The distinct triples of a graph file (.ttl, .nt, .nq, .trig, .jsonld) or store directory, sorted.

    The named graphs of quad files are merged; a store's graph is its default graph (its
    named graph holds the query summaries, ``kg.summary``). pyoxigraph reads every format
    without fetching anything (rdflib's JSON-LD parser would fetch a remote ``@context``)
    and at any nesting depth.

    Raises:
        GraphError: no such file or store, an unknown suffix, or a file that does not parse.
    """
    if not path.is_dir() and not path.is_file():
        raise GraphError(f"{path}: no such graph file or store")
    try:
        quads: Iterable[Any] = (  # quads of plain triples: kg writes no RDF-star
            open_store(path).quads_for_pattern(None, None, None, ox.DefaultGraph()) if path.is_dir()
            else ox.parse(path=str(path), format=graph_format(path)[0])
        )
        seen = {(q.subject, q.predicate, q.object) for q in quads}
    except (SyntaxError, ValueError, OSError) as exc:
        raise unreadable(path, exc) from None
    return sorted(seen, key=triple_key)


def open_store(path: Path) -> ox.Store:
    """An on-disk Oxigraph store written by ``kg build --store``, opened read-only.

    Raises:
        GraphError: not a store, or one that cannot be opened (naming the process holding its lock).
    """
    try:
        return ox.Store.read_only(str(path))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 -- OSError, RuntimeError, or a pyo3 panic on foreign files
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        holder = lock_holder(path / "LOCK")
        if holder is not None:
            raise GraphError(
                f"{path}: cannot open the Oxigraph store read-only ({reason}); {holder} holds its lock "
                "(a running oxigraph server? query it with --endpoint)"
            ) from None
        if not (path / "CURRENT").is_file():
            raise GraphError(
                f"{path}: not an Oxigraph store (no CURRENT file; kg build --store DIR writes one)"
            ) from None
        raise GraphError(f"{path}: cannot open the Oxigraph store read-only ({reason})") from None

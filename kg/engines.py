"""The local query engines, and what a query returns.

Two local engines give the same answers: ``oxigraph`` (pyoxigraph's in-memory store, the
default: much faster on large graphs, see bench/) and ``rdflib``. A remote SPARQL endpoint
(``kg.endpoint``) answers the same prepared queries. Graph files are parsed by pyoxigraph
for both engines, which never fetches anything (rdflib's JSON-LD parser would fetch a remote
``@context``); a store directory is opened read-only. Parameters are bound as RDF terms
(pyoxigraph ``substitutions``, rdflib ``initBindings``), never pasted into the query text.
Whatever the engine, a :class:`Result` holds pyoxigraph terms.
"""

from __future__ import annotations

import itertools
import re
import warnings
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox
from rdflib import Dataset, Graph
from rdflib.plugins.sparql import CUSTOM_EVALS
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Identifier, Node

from kg.errors import GraphError, QueryError, QueryRefused
from kg.query_check import Query, syntax_error
from kg.rdf import Term, Triple, graph_format, open_store, unreadable
from kg.rdflib_bridge import to_oxigraph, to_rdflib
from kg.summary import summarize, summarized
from kg.vocab import PREFIXES

ENGINES: tuple[str, ...] = ("oxigraph", "rdflib")
DEFAULT_ENGINE = "oxigraph"  # measured faster on every shipped query (bench/query_engines.md)
Row = tuple[Term | None, ...]


@dataclass(frozen=True, slots=True)
class Result:
    """What a query returned, as pyoxigraph terms: rows for SELECT, a boolean for ASK, triples otherwise."""

    form: str
    variables: tuple[str, ...] = ()
    rows: tuple[Row, ...] = ()
    boolean: bool | None = None
    triples: tuple[Triple, ...] = ()
    truncated: bool = False  # more rows (or triples) than the limit: only the first ones are here
    seconds: float = field(default=0.0, compare=False)  # the engine's time (the check and loading aside)


class Engine(Protocol):
    """Anything that runs a prepared query with bound parameters, returning at most ``limit`` rows.

    The local engines also skip rows (``offset``); ``kg.query`` pages the others itself.
    """

    name: str

    def run(self, query: Query, bindings: Mapping[str, Term] | None = None, limit: int | None = None) -> Result: ...


def take(items: Iterable[Any], limit: int | None, offset: int = 0) -> tuple[tuple[Any, ...], bool]:
    """The ``limit`` items (all for None) after the first ``offset``, and whether there were more.

    Reads one past the limit at most; the skipped items are read, never converted.
    """
    items = itertools.islice(items, offset, None)
    if limit is None:
        return tuple(items), False
    taken = tuple(itertools.islice(items, limit + 1))
    return taken[:limit], len(taken) > limit


def select_star(
    query: Query, variables: tuple[str, ...], rows: Iterable[Row]
) -> tuple[tuple[str, ...], tuple[Row, ...]]:
    """The columns of a SELECT * result in the query's order (both engines, and endpoints, agree)."""
    rows = tuple(rows)
    if not query.star:
        return variables, rows
    ordered = query.columns(variables)
    where = [variables.index(name) for name in ordered]
    return ordered, tuple(tuple(row[i] for i in where) for row in rows)


def _refuse_datasets(query: Query) -> None:
    if query.datasets:
        raise QueryRefused(
            f"FROM <{query.datasets[0]}> refused: a local graph is queried as loaded "
            "(use GRAPH ?g { ... } for the named graphs of .nq/.trig files)"
        )


class OxigraphEngine:
    """pyoxigraph's in-memory store (quad files: the default graph is the merge of the named graphs)."""

    name = "oxigraph"

    def __init__(self, store: ox.Store, summarized: bool = False) -> None:
        self.store = store
        self.summarized = summarized  # whether the store holds its summaries (kg.summary)

    def __len__(self) -> int:
        return len(self.store)

    def run(self, query: Query, bindings: Mapping[str, Term] | None = None, limit: int | None = None,
            offset: int = 0) -> Result:
        _refuse_datasets(query)
        substitutions: dict[ox.Variable, Any] = {ox.Variable(name): term for name, term in (bindings or {}).items()}
        try:
            answer = self.store.query(query.text, prefixes=PREFIXES, substitutions=substitutions)
            if isinstance(answer, ox.QueryBoolean):
                return Result(query.form, boolean=bool(answer))
            if isinstance(answer, ox.QuerySolutions):
                # Solutions are computed as they are read: past the limit, nothing more is evaluated.
                variables = tuple(v.value for v in answer.variables)
                solutions, more = take(answer, limit, offset)
                rows = (tuple(solution[v] for v in variables) for solution in solutions)
                variables, ordered = select_star(query, variables, rows)
                return Result(query.form, variables=variables, rows=ordered, truncated=more)
            constructed, more = take(answer, limit, offset)
            triples = tuple((t.subject, t.predicate, t.object) for t in constructed)
            return Result(query.form, triples=triples, truncated=more)
        except SyntaxError as exc:
            raise syntax_error(exc) from None
        except (OSError, ValueError, RuntimeError) as exc:
            found = re.search(r"does not contains? variable \?(\w+) in its SELECT projection", str(exc))
            if found:
                raise QueryError(
                    f"--param {found.group(1)}: a parameter must be a variable the query returns; "
                    f"add ?{found.group(1)} to the SELECT (and GROUP BY)"
                ) from None
            raise QueryError(f"oxigraph: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None


# rdflib reads the endpoint of a SERVICE it calls from the query text again, with a regular
# expression over the first SERVICE pattern found anywhere in it (comments and strings included):
# evalServiceQuery in rdflib/plugins/sparql/evaluate.py and parserutils.Comp.postParse.
_RDFLIB_SERVICE = re.compile(r"^service <(.*)>[ \n]*{(.*)}[ \n]*$", re.DOTALL | re.IGNORECASE)
_GUARD = "kg-service-guard"


@contextmanager
def _services_only(allowed: tuple[str, ...]) -> Iterator[None]:
    """rdflib calls no SERVICE endpoint but those the check accepted, whatever it reads the endpoint from.

    A custom evaluation function (rdflib's supported hook, ``CUSTOM_EVALS``) sees each SERVICE
    pattern before rdflib evaluates it, placed first so no plugin runs before it.
    """

    def guard(ctx: Any, part: CompValue) -> Any:
        if part.name != "ServiceGraphPattern":
            raise NotImplementedError
        found = _RDFLIB_SERVICE.match(str(part["service_string"]) if "service_string" in part else "")
        endpoint = found.group(1) if found else None
        if endpoint not in allowed:
            raise QueryRefused(
                f"SERVICE <{endpoint or '?'}> refused: rdflib would call another endpoint than the one checked"
            )
        raise NotImplementedError  # the endpoint checked: rdflib's own evaluation calls it

    others = dict(CUSTOM_EVALS)
    CUSTOM_EVALS.clear()
    CUSTOM_EVALS[_GUARD] = guard
    CUSTOM_EVALS.update((name, hook) for name, hook in others.items() if name != _GUARD)
    try:
        yield
    finally:
        CUSTOM_EVALS.pop(_GUARD, None)


class RdflibEngine:
    """rdflib's in-memory graph (slow on large graphs, see FINDINGS.md); the reference engine."""

    name = "rdflib"

    def __init__(self, graph: Graph, summarized: bool = False) -> None:
        self.graph = graph
        self.summarized = summarized  # whether the graph holds its summaries (kg.summary)

    def __len__(self) -> int:
        return len(self.graph)

    def run(self, query: Query, bindings: Mapping[str, Term] | None = None, limit: int | None = None,
            offset: int = 0) -> Result:
        _refuse_datasets(query)
        if query.algebra is None:
            raise QueryError(f"rdflib cannot run this query: {query.algebra_error} (try --engine oxigraph)")
        init: dict[str, Identifier] = {name: to_rdflib(term) for name, term in (bindings or {}).items()}
        try:
            with warnings.catch_warnings(), _services_only(query.services):
                # rdflib's own SPARQL evaluator still calls its deprecated Dataset API (lazily: keep
                # the results inside the block)
                warnings.simplefilter("ignore", DeprecationWarning)
                answer = self.graph.query(query.algebra, initBindings=init)
                if answer.type == "ASK":
                    return Result(query.form, boolean=bool(answer.askAnswer))
                if answer.type == "SELECT":
                    variables = tuple(str(v) for v in answer.vars or ())
                    solutions, more = take(answer, limit, offset)
                    rows = (tuple(_term(row[i]) for i in range(len(variables))) for row in solutions)
                    variables, ordered = select_star(query, variables, rows)
                    return Result(query.form, variables=variables, rows=ordered, truncated=more)
                constructed, more = take(answer, limit, offset)
                triples = tuple((to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in constructed)
                return Result(query.form, triples=triples, truncated=more)
        except (QueryError, MemoryError):
            raise  # MemoryError: the worker reports its memory limit
        except RecursionError:
            raise QueryError("rdflib: the query is nested too deeply to evaluate") from None
        except Exception as exc:  # rdflib raises bare Exceptions from its evaluator
            raise QueryError(f"rdflib: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None


@dataclass(frozen=True, slots=True)
class GraphFile:
    """A graph file or store directory, loaded where the query runs: in its worker, under its memory limit."""

    path: Path
    engine: str = DEFAULT_ENGINE

    @property
    def name(self) -> str:
        return self.engine

    def load(self) -> OxigraphEngine | RdflibEngine:
        return load(self.path, self.engine)


def load(path: Path, engine: str = DEFAULT_ENGINE) -> OxigraphEngine | RdflibEngine:
    """Load a graph file (.ttl, .nt, .nq, .trig, .jsonld) into an engine, or open a store directory.

    A file's summaries (``kg.summary``) are computed as it is loaded; a store holds its own.
    """
    if engine not in ENGINES:
        raise QueryError(f"unknown engine {engine!r} (expected {' or '.join(ENGINES)})")
    if path.is_dir():
        store = open_store(path)
        return OxigraphEngine(store, summarized(store))
    if not path.is_file():
        raise GraphError(f"{path}: no such graph file or store")
    ox_format, quads = graph_format(path)
    # pyoxigraph parses the file for both engines: rdflib's own JSON-LD parser would fetch a remote @context.
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=ox_format)
        if quads:
            # The default graph is the merge of the named graphs, as on a store: oxigraph's own
            # union mode would repeat an edge once per article graph.
            store.extend([ox.Quad(q.subject, q.predicate, q.object) for q in store])
    except (SyntaxError, ValueError, OSError) as exc:
        raise unreadable(path, exc) from None
    summarize(store)
    if engine == "oxigraph":
        return OxigraphEngine(store, True)
    # A Dataset even for triple files, so GRAPH ?g { } means the same on both engines; its default
    # graph is the file's merged triples alone, as Oxigraph's is, not the union with the summaries.
    graph = Dataset(default_union=False)
    contexts: dict[Any, Graph] = {}

    def context(name: Any) -> Graph:
        if name not in contexts:
            contexts[name] = (
                graph.default_context if isinstance(name, ox.DefaultGraph) else graph.graph(to_rdflib(name))
            )
        return contexts[name]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # rdflib's Dataset API, as above
        graph.addN(
            (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), context(q.graph_name))
            for q in store
        )
    return RdflibEngine(graph, True)


def _term(term: Node | None) -> Term | None:
    return None if term is None else to_oxigraph(term)

"""SPARQL over a built graph: load it into an engine, check a query, bind parameters, run it.

Two local engines give the same answers: ``oxigraph`` (pyoxigraph's in-memory store,
the default: much faster on large graphs, see bench/) and ``rdflib``. A remote SPARQL
endpoint (``kg.store``) accepts the same prepared queries.

Every query is checked before any engine sees it (:func:`prepare`): updates (``LOAD``
included) are refused, ``SERVICE`` calls are refused unless an allow-list hook accepts the
endpoint, and ``FROM`` clauses are refused on local engines (rdflib would fetch their IRIs).
Graph files are parsed by pyoxigraph for both engines, which never fetches anything (rdflib's
JSON-LD parser would fetch a remote ``@context``): a local graph never reaches the network.
Parameters are bound as RDF terms (pyoxigraph ``substitutions``, rdflib ``initBindings``),
never pasted into the query text. :func:`execute` bounds a query's time and its rows.
"""

from __future__ import annotations

import functools
import itertools
import re
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any, Protocol, Union

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Identifier

from kg.errors import GraphError, QueryError, QueryRefused, QuerySyntaxError, QueryTimeout
from kg.graph import to_oxigraph, to_rdflib  # noqa: F401 - re-exported for results/store/validate
from kg.vocab import PREFIXES

ENGINES: tuple[str, ...] = ("oxigraph", "rdflib")
DEFAULT_ENGINE = "oxigraph"  # measured faster on every shipped query (bench/query_engines.md)
DEFAULT_TIMEOUT = 30.0  # seconds a query may run (kg query --timeout)
DEFAULT_LIMIT = 10_000  # rows (or triples) a query may return (kg query --limit)

FORMS: dict[str, str] = {
    "SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE",
}

# Graph file suffix -> (pyoxigraph format, rdflib format, holds named graphs)
GRAPH_FORMATS: dict[str, tuple[ox.RdfFormat, str, bool]] = {
    ".ttl": (ox.RdfFormat.TURTLE, "turtle", False),
    ".nt": (ox.RdfFormat.N_TRIPLES, "nt", False),
    ".nq": (ox.RdfFormat.N_QUADS, "nquads", True),
    ".trig": (ox.RdfFormat.TRIG, "trig", True),
    ".jsonld": (ox.RdfFormat.JSON_LD, "json-ld", True),
}

OxTerm = Union[ox.NamedNode, ox.BlankNode, ox.Literal]
Row = tuple[Union[Identifier, None], ...]
Triple = tuple[Identifier, Identifier, Identifier]

# Hook for the SERVICE allow-list (an endpoint IRI -> allowed?). None refuses every SERVICE.
ServicePolicy = Callable[[str], bool]


def allow_services(prefixes: Iterable[str]) -> ServicePolicy | None:
    """A SERVICE policy accepting the endpoints under these URL prefixes (None, refusing all, if none given).

    A prefix matches whole path segments: ``https://query.example.org/sparql`` allows itself and
    ``.../sparql/...``, not ``https://query.example.org/sparql-admin`` nor ``https://query.example.org.evil/``.
    """
    allowed = tuple(p for p in prefixes if p)
    if not allowed:
        return None

    def policy(endpoint: str) -> bool:
        iri = endpoint.strip("<>")
        return any(iri == p or iri.startswith(p if p.endswith("/") else p + "/") for p in allowed)

    return policy


@dataclass(frozen=True, slots=True)
class Query:
    """A checked SPARQL query: its text (as written), its form and the variables it names."""

    text: str
    form: str
    variables: frozenset[str]
    datasets: tuple[str, ...] = ()
    trailing_values: bool = False  # ends with its own VALUES block

    @property
    def is_graph(self) -> bool:
        return self.form in {"CONSTRUCT", "DESCRIBE"}


@dataclass(frozen=True, slots=True)
class Param:
    """A variable a shipped query expects to be bound with ``--param``."""

    name: str
    help: str
    required: bool = False


@dataclass(frozen=True, slots=True)
class ShippedQuery:
    """A query of ``kg/queries``: its name (file stem), one-line description and parameters."""

    name: str
    description: str
    text: str
    params: tuple[Param, ...] = ()


@dataclass(frozen=True, slots=True)
class Result:
    """What a query returned, as rdflib terms: rows for SELECT, a boolean for ASK, triples otherwise."""

    form: str
    variables: tuple[str, ...] = ()
    rows: tuple[Row, ...] = ()
    boolean: bool | None = None
    triples: tuple[Triple, ...] = ()
    truncated: bool = False  # more rows (or triples) than the limit: only the first ones are here


class Engine(Protocol):
    """Anything that runs a prepared query with bound parameters, returning at most ``limit`` rows."""

    name: str

    def run(self, query: Query, bindings: Mapping[str, OxTerm] | None = None, limit: int | None = None) -> Result: ...


def _first(items: Iterable[Any], limit: int | None) -> tuple[tuple[Any, ...], bool]:
    """The first ``limit`` items (all for None), and whether there were more; reads one past the limit at most."""
    if limit is None:
        return tuple(items), False
    taken = tuple(itertools.islice(items, limit + 1))
    return taken[:limit], len(taken) > limit


# ---------------------------------------------------------------- shipped queries

_PARAM_LINE = re.compile(r"^#\s*param\s+[?$](\w+)\s*(\(required\))?\s*:\s*(.*)$")
_NAME = re.compile(r"^[A-Za-z0-9_-]+$")


def _parse_shipped(name: str, text: str) -> ShippedQuery:
    lines = text.splitlines()
    if not lines or not lines[0].startswith("#"):
        raise QueryError(f"shipped query {name!r} does not start with a '# description' line")
    params = []
    for line in lines[1:]:
        if not line.startswith("#"):
            break
        found = _PARAM_LINE.match(line)
        if found:
            params.append(Param(found.group(1), found.group(3).strip(), bool(found.group(2))))
    return ShippedQuery(name, lines[0].lstrip("# ").strip(), text, tuple(params))


def shipped_queries() -> list[ShippedQuery]:
    """The queries shipped in ``kg/queries``, sorted by name."""
    folder = files("kg") / "queries"
    found = [
        _parse_shipped(entry.name[: -len(".rq")], entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".rq")
    ]
    return sorted(found, key=lambda q: q.name)


def resolve_query(spec: str) -> tuple[str, ShippedQuery | None]:
    """The SPARQL text that QUERY names: ``@file.rq``, a shipped query's name, or inline SPARQL."""
    if spec.startswith("@"):
        path = Path(spec[1:])
        try:
            return path.read_text(encoding="utf-8"), None
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"{path}: cannot read the query file ({exc.__class__.__name__})") from None
    if _NAME.match(spec):
        for query in shipped_queries():
            if query.name == spec:
                return query.text, query
        raise QueryError(f"no shipped query named {spec!r} (see kg query --list)")
    return spec, None


# ---------------------------------------------------------------- checking a query


def _walk(node: Any) -> Iterator[CompValue]:
    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
        for value in node:
            yield from _walk(value)


def _term_text(term: Any) -> str:
    if isinstance(term, CompValue) and term.name == "pname":
        return f"{term.get('prefix') or ''}:{term.get('localname') or ''}"
    return str(term)


def _syntax_error(exc: BaseException) -> QuerySyntaxError:
    message = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
    found = re.match(r"error at (\d+):(\d+): (.*)", message)
    if not found:
        return QuerySyntaxError(message)
    problem = found.group(3)
    if "Prefix not found" in problem:
        problem = "unknown prefix (the shipped prefixes are " + ", ".join(sorted(PREFIXES)) + ")"
    elif len(problem) > 100:
        problem = problem[:97] + "..."
    return QuerySyntaxError(problem, int(found.group(1)), int(found.group(2)))


def prepare(text: str, allow_service: ServicePolicy | None = None) -> Query:
    """Check a SPARQL query before any engine sees it (checked texts are remembered).

    Raises:
        QueryRefused: an update (INSERT, DELETE, LOAD, CLEAR...), or a SERVICE call the
            ``allow_service`` hook does not accept (with no hook, every SERVICE is refused).
        QuerySyntaxError: the text does not parse; the message names line and column.
    """
    if allow_service is None:
        return _prepare_cached(text)
    return _prepare(text, allow_service)


@functools.lru_cache(maxsize=256)
def _prepare_cached(text: str) -> Query:
    # rdflib's parser takes 30-200 ms on the shipped queries; a Query is immutable.
    return _prepare(text, None)


def _prepare(text: str, allow_service: ServicePolicy | None) -> Query:
    try:
        tree = parseQuery(text)
    except Exception as query_exc:  # pyparsing raises its own exception types
        try:
            parseUpdate(text)
        except Exception:
            pass
        else:
            raise QueryRefused(
                "updates (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE...) are refused: kg query only reads"
            ) from None
        if re.search(r"\bSERVICE\b", text, re.IGNORECASE):
            # Never hand a query that may call out to oxigraph just to get a better message.
            raise QuerySyntaxError(
                getattr(query_exc, "msg", str(query_exc)), getattr(query_exc, "lineno", None),
                getattr(query_exc, "col", None),
            ) from None
        try:
            ox.Store().query(text, prefixes=PREFIXES)
        except SyntaxError as ox_exc:
            raise _syntax_error(ox_exc) from None
        raise QuerySyntaxError(
            getattr(query_exc, "msg", str(query_exc)), getattr(query_exc, "lineno", None),
            getattr(query_exc, "col", None),
        ) from None
    body = tree[1]
    services = 0
    for node in _walk(tree):
        if node.name == "ServiceGraphPattern":
            services += 1
            endpoint = _term_text(node["term"] if "term" in node else "")
            if allow_service is None or not allow_service(endpoint):
                raise QueryRefused(f"SERVICE {endpoint} refused: federated queries to other endpoints are off")
    # CompValue.get returns the key itself when it is missing, hence the membership tests.
    datasets = tuple(
        _term_text(clause["default"] if "default" in clause else clause["named"])
        for clause in (body["datasetClause"] if "datasetClause" in body else ())
    )
    try:
        # The syntax authority: the store that runs the query by default. An empty store, and a
        # query that calls no SERVICE, so this only parses (an allowed SERVICE would be called).
        if not services:
            ox.Store().query(text, prefixes=PREFIXES)
    except SyntaxError as exc:
        raise _syntax_error(exc) from None
    variables = frozenset(re.findall(r"[?$]([A-Za-z_][A-Za-z0-9_]*)", text))
    trailing = "valuesClause" in body and body["valuesClause"] is not None
    return Query(text=text, form=FORMS[body.name], variables=variables, datasets=datasets, trailing_values=trailing)


# ---------------------------------------------------------------- parameters

_PREFIXED = re.compile(r"^([A-Za-z][\w.-]*)?:")


def parse_term(value: str) -> OxTerm:
    """A ``--param`` value as an RDF term, parsed, never pasted into a query.

    ``<iri>`` and ``prefix:name`` (shipped prefixes) are IRIs; Turtle literals
    (``"x"@en``, ``"2024-01-04"^^xsd:date``, ``42``, ``true``) keep their type;
    anything else is a plain string.

    >>> parse_term("kge:iraq")
    <NamedNode value=https://w3id.org/kg-news/id/entity/iraq>
    >>> parse_term("al-Sudani")
    <Literal value=al-Sudani datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>
    """
    value = value.strip()
    prefixed = _PREFIXED.match(value)
    if prefixed and not value.startswith("<") and (prefixed.group(1) or "") not in PREFIXES:
        if not value.startswith(("http:", "https:", "urn:")):
            raise QueryError(f"{value!r}: unknown prefix (known: {', '.join(sorted(PREFIXES))})")
        return _named_node(value)
    if not (value.startswith(("<", '"', "'")) or prefixed or re.match(r"^[-+]?[\d.]", value)
            or value in {"true", "false"}):
        return ox.Literal(value)
    declarations = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items())
    document = f"{declarations}<urn:kg:param> <urn:kg:value> {value} .\n"
    try:
        triples = list(ox.parse(document.encode("utf-8"), format=ox.RdfFormat.TURTLE))
    except SyntaxError:
        if value.startswith(("<", '"', "'")) or prefixed:
            raise QueryError(f"{value!r} is not a valid IRI or literal") from None
        return ox.Literal(value)
    if len(triples) != 1 or triples[0].subject != ox.NamedNode("urn:kg:param"):
        raise QueryError(f"{value!r} is not a single RDF term")
    term = triples[0].object
    if not isinstance(term, (ox.NamedNode, ox.Literal)):
        raise QueryError(f"{value!r}: a parameter is an IRI or a literal")
    return term


def _named_node(value: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(value)
    except ValueError as exc:
        raise QueryError(f"{value!r} is not a valid IRI ({exc})") from None


def bind_params(query: Query, params: Mapping[str, str], shipped: ShippedQuery | None = None) -> dict[str, OxTerm]:
    """Parse ``name=value`` parameters into terms, checking each names a variable of the query."""
    bindings: dict[str, OxTerm] = {}
    for name, value in params.items():
        name = name.lstrip("?$")
        if name not in query.variables:
            known = ", ".join(sorted(query.variables)) or "none"
            raise QueryError(f"--param {name}: the query has no variable ?{name} (variables: {known})")
        bindings[name] = parse_term(value)
    missing = [p for p in (shipped.params if shipped is not None else ()) if p.required and p.name not in bindings]
    if shipped is not None and missing:
        raise QueryError(f"query {shipped.name!r} needs --param {missing[0].name}=... ({missing[0].help})")
    return bindings


# ---------------------------------------------------------------- terms

_XSD_STRING = str(XSD.string)


def _plain(term: Any) -> Identifier | None:
    # rdflib sometimes types computed strings as xsd:string; oxigraph never distinguishes.
    if isinstance(term, Literal) and term.datatype is not None and str(term.datatype) == _XSD_STRING:
        return Literal(str(term))
    return term


# ---------------------------------------------------------------- engines


def _refuse_datasets(query: Query) -> None:
    if query.datasets:
        raise QueryRefused(
            f"FROM {query.datasets[0]} refused: a local graph is queried as loaded "
            "(use GRAPH ?g { ... } for the named graphs of .nq/.trig files)"
        )


class OxigraphEngine:
    """pyoxigraph's in-memory store (quad files: the default graph is the merge of the named graphs)."""

    name = "oxigraph"

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def __len__(self) -> int:
        return len(self.store)

    def run(self, query: Query, bindings: Mapping[str, OxTerm] | None = None, limit: int | None = None) -> Result:
        _refuse_datasets(query)
        substitutions: dict[ox.Variable, Any] = {ox.Variable(name): term for name, term in (bindings or {}).items()}
        try:
            answer = self.store.query(
                query.text, prefixes=PREFIXES, substitutions=substitutions)
            if isinstance(answer, ox.QueryBoolean):
                return Result(query.form, boolean=bool(answer))
            if isinstance(answer, ox.QuerySolutions):
                # Solutions are computed as they are read: past the limit, nothing more is evaluated.
                variables = tuple(v.value for v in answer.variables)
                solutions, more = _first(answer, limit)
                rows = tuple(tuple(to_rdflib(solution[v]) for v in variables) for solution in solutions)
                return Result(query.form, variables=variables, rows=rows, truncated=more)
            constructed, more = _first(answer, limit)
            triples = tuple(
                (to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in constructed
            )
            return Result(query.form, triples=triples, truncated=more)  # type: ignore[arg-type]
        except SyntaxError as exc:
            raise _syntax_error(exc) from None
        except (OSError, ValueError, RuntimeError) as exc:
            found = re.search(r"does not contains? variable \?(\w+) in its SELECT projection", str(exc))
            if found:
                raise QueryError(
                    f"--param {found.group(1)}: a parameter must be a variable the query returns; "
                    f"add ?{found.group(1)} to the SELECT (and GROUP BY)"
                ) from None
            raise QueryError(f"oxigraph: {exc}") from None


class RdflibEngine:
    """rdflib's in-memory graph (slow on large graphs, see FINDINGS.md); the reference engine."""

    name = "rdflib"

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def __len__(self) -> int:
        return len(self.graph)

    def run(self, query: Query, bindings: Mapping[str, OxTerm] | None = None, limit: int | None = None) -> Result:
        _refuse_datasets(query)
        init: dict[str, Identifier] = {name: to_rdflib(term) for name, term in (bindings or {}).items()}  # type: ignore[misc]
        try:
            with warnings.catch_warnings():
                # rdflib's own SPARQL evaluator still calls its deprecated Dataset API (lazily: keep
                # the results inside the block)
                warnings.simplefilter("ignore", DeprecationWarning)
                answer = self.graph.query(query.text, initNs=PREFIXES, initBindings=init)
                if answer.type == "ASK":
                    return Result(query.form, boolean=bool(answer.askAnswer))
                if answer.type == "SELECT":
                    variables = tuple(str(v) for v in answer.vars or ())
                    solutions, more = _first(answer, limit)
                    rows = tuple(
                        tuple(_plain(row[i]) for i in range(len(variables))) for row in solutions  # type: ignore[index]
                    )
                    return Result(query.form, variables=variables, rows=rows, truncated=more)
                constructed, more = _first(answer, limit)
                return Result(query.form, triples=constructed, truncated=more)
        except QueryError:
            raise
        except Exception as exc:  # rdflib raises bare Exceptions from its evaluator
            raise QueryError(f"rdflib: {exc}") from None


def graph_format(path: Path) -> tuple[ox.RdfFormat, str, bool]:
    """The formats to read ``path`` with, from its suffix."""
    try:
        return GRAPH_FORMATS[path.suffix.lower()]
    except KeyError:
        raise GraphError(
            f"{path}: unknown graph format (expected {', '.join(GRAPH_FORMATS)})"
        ) from None


def read_triples(path: Path) -> list[ox.Triple]:
    """The triples of a graph file; the named graphs of quad files are merged."""
    if not path.is_file():
        raise GraphError(f"{path}: no such graph file")
    fmt = graph_format(path)[0]
    try:
        seen = {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(path=str(path), format=fmt)}
    except (SyntaxError, ValueError, OSError) as exc:
        raise GraphError(f"{path}: cannot be read: {str(exc).splitlines()[0]}") from None
    return sorted(seen, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def load(path: Path, engine: str = DEFAULT_ENGINE) -> OxigraphEngine | RdflibEngine:
    """Load a graph file (.ttl, .nt, .nq, .trig, .jsonld) into an engine, or open a store directory."""
    if engine not in ENGINES:
        raise QueryError(f"unknown engine {engine!r} (expected {' or '.join(ENGINES)})")
    if path.is_dir():
        return open_store(path)
    if not path.is_file():
        raise GraphError(f"{path}: no such graph file")
    ox_format, _, quads = graph_format(path)
    if engine == "oxigraph":
        store = ox.Store()
        try:
            store.bulk_load(path=str(path), format=ox_format)
            if quads:
                # The default graph is the merge of the named graphs, as rdflib's union graph is:
                # oxigraph's own union mode would repeat an edge once per article graph.
                store.extend([ox.Quad(q.subject, q.predicate, q.object) for q in store])
        except (SyntaxError, ValueError, OSError) as exc:
            raise GraphError(f"{path}: cannot be read: {str(exc).splitlines()[0]}") from None
        return OxigraphEngine(store)
    # A Dataset even for triple files, so GRAPH ?g { } means the same on both engines. pyoxigraph
    # parses the file: rdflib's own JSON-LD parser would fetch a remote @context.
    graph = Dataset(default_union=True)
    contexts: dict[Any, Graph] = {}

    def context(name: Any) -> Graph:
        if name not in contexts:
            contexts[name] = graph.default_context if isinstance(name, ox.DefaultGraph) else graph.graph(to_rdflib(name))
        return contexts[name]

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # rdflib's Dataset API, as above
            graph.addN(
                (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), context(q.graph_name))  # type: ignore[misc]
                for q in ox.parse(path=str(path), format=ox_format)
            )
    except (SyntaxError, ValueError, OSError) as exc:
        raise GraphError(f"{path}: cannot be read: {str(exc).splitlines()[0]}") from None
    return RdflibEngine(graph)


def open_store(path: Path) -> OxigraphEngine:
    """An on-disk Oxigraph store written by ``kg build --store``, opened read-only."""
    try:
        return OxigraphEngine(ox.Store.read_only(str(path)))
    except OSError as exc:
        raise GraphError(f"{path}: not an Oxigraph store: {str(exc).splitlines()[0]}") from None


def execute(engine: Engine, query: Query, bindings: Mapping[str, OxTerm] | None = None, *,
            limit: int | None = DEFAULT_LIMIT, timeout: float | None = DEFAULT_TIMEOUT) -> Result:
    """Run a prepared query on ``engine``, keeping at most ``limit`` rows, for at most ``timeout`` seconds.

    Raises:
        QueryTimeout: the query is still running after ``timeout`` seconds. Neither engine can
            be interrupted, so it goes on in a daemon thread until it ends or the process exits
            (the CLI exits at once).
    """
    if timeout is None:
        return engine.run(query, bindings, limit)
    outcome: list[Result | BaseException] = []

    def work() -> None:
        try:
            outcome.append(engine.run(query, bindings, limit))
        except BaseException as exc:  # noqa: BLE001 -- handed to the calling thread
            outcome.append(exc)

    worker = threading.Thread(target=work, name="kg-query", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive() or not outcome:
        raise QueryTimeout(f"the query ran for more than {timeout:g} s (--timeout SECONDS to allow more)")
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


def run(engine: Engine, text: str, params: Mapping[str, str] | None = None,
        shipped: ShippedQuery | None = None, *, limit: int | None = None, timeout: float | None = None) -> Result:
    """Prepare ``text``, bind ``params`` and run it on ``engine`` (no limits unless given)."""
    query = prepare(text)
    return execute(engine, query, bind_params(query, params or {}, shipped), limit=limit, timeout=timeout)

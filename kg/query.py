"""SPARQL over a built graph: load it into an engine, check a query, bind parameters, run it.

Two local engines give the same answers: ``oxigraph`` (pyoxigraph's in-memory store,
the default: much faster on large graphs, see bench/) and ``rdflib``. A remote SPARQL
endpoint (``kg.store``) accepts the same prepared queries.

Every query is checked before any engine sees it (:func:`prepare`): updates (``LOAD``
included) are refused, ``SERVICE`` calls are refused unless an allow-list hook accepts the
endpoint, and ``FROM`` clauses are refused on local engines (rdflib would fetch their IRIs).
The check and the engines read the same text: ``\\u`` escapes are expanded once, as the
SPARQL grammar says (rdflib expands them everywhere, Oxigraph only inside strings, so a query
could otherwise hide a SERVICE inside what one of them reads as a string), rdflib runs the very
parse that was checked, and Oxigraph the expanded text, whose SERVICE calls its own parser must
find exactly where the check found them. Graph files are parsed by pyoxigraph for
both engines, which never fetches anything (rdflib's JSON-LD parser would fetch a remote
``@context``). Parameters are bound as RDF terms (pyoxigraph ``substitutions``, rdflib
``initBindings``), never pasted into the query text.

:func:`run` bounds a query's time, rows and memory: it checks and runs the query in a worker
process (``kg.worker``) that is killed at the deadline and, unless the query may call an allowed
SERVICE, cannot open a network socket at all.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import os
import re
import stat
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any, Protocol, Union
from urllib.parse import urlsplit

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal
from rdflib.namespace import XSD
from rdflib.plugins.sparql import CUSTOM_EVALS
from rdflib.plugins.sparql import parser as sparql_grammar
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Identifier, Variable

from kg import worker
from kg.errors import GraphError, QueryError, QueryRefused, QuerySyntaxError
from kg.graph import to_oxigraph, to_rdflib  # noqa: F401 - re-exported for results/store/validate
from kg.outputs import lock_holder
from kg.vocab import PREFIXES

ENGINES: tuple[str, ...] = ("oxigraph", "rdflib")
DEFAULT_ENGINE = "oxigraph"  # measured faster on every shipped query (bench/query_engines.md)
DEFAULT_TIMEOUT = worker.DEFAULT_TIMEOUT  # seconds a query may run (kg query --timeout)
DEFAULT_LIMIT = worker.DEFAULT_LIMIT  # rows (or triples) a query may return (kg query --limit)
DEFAULT_MAX_MEMORY = worker.DEFAULT_MAX_MEMORY  # bytes a query's worker may grow by (kg query --max-memory)
MAX_QUERY_FILE = 2**20  # bytes of a @file.rq query

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

# Hook for the SERVICE allow-list (an absolute endpoint IRI -> allowed?). None refuses every SERVICE.
ServicePolicy = Callable[[str], bool]
_DEFAULT_PORTS = {"http": 80, "https": 443}
_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def _endpoint_key(iri: str) -> tuple[str, str, int, tuple[str, ...]] | None:
    """Scheme, host, port and path segments of an http(s) IRI, normalised; None for anything unclear.

    Dot segments are resolved (``/sparql/../admin`` is ``/admin``); an encoded dot, slash or
    backslash, user information or a non-printable character make an IRI unclear: servers
    disagree on what they mean.
    """
    if not iri or any(c.isspace() or not c.isprintable() or c == "\\" for c in iri):
        return None
    try:
        parts = urlsplit(iri)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if scheme not in _DEFAULT_PORTS or not host or "@" in parts.netloc or "%" in parts.netloc:
        return None
    if re.search(r"%(2e|2f|5c)", parts.path, re.IGNORECASE):
        return None
    segments: list[str] = []
    for segment in parts.path.split("/")[1:]:
        if segment == "..":
            if segments:
                segments.pop()
        elif segment != ".":
            segments.append(segment)
    if parts.path.split("/")[-1] in {".", ".."}:
        segments.append("")
    return scheme, host, port or _DEFAULT_PORTS[scheme], tuple(segments)


def allow_services(prefixes: Iterable[str]) -> ServicePolicy | None:
    """A SERVICE policy accepting the endpoints under these URL prefixes (None, refusing all, if none given).

    A prefix matches whole path segments after normalisation (case-insensitive scheme and host,
    default ports, dot segments resolved): ``https://query.example.org/sparql`` allows itself and
    ``.../sparql/...``, not ``https://query.example.org/sparql-admin``, ``.../sparql/../admin``
    nor ``https://query.example.org.evil/``.

    Raises:
        QueryError: a prefix is not an http(s) URL (with no query string or fragment).
    """
    allowed = []
    for prefix in (p for p in prefixes if p):
        key = _endpoint_key(prefix)
        if key is None or "?" in prefix or "#" in prefix:
            raise QueryError(f"--allow-service {prefix!r}: expected an http:// or https:// URL prefix")
        scheme, host, port, segments = key
        allowed.append((scheme, host, port, segments[:-1] if segments and segments[-1] == "" else segments))
    if not allowed:
        return None

    def policy(endpoint: str) -> bool:
        key = _endpoint_key(endpoint.strip("<>"))
        return key is not None and any(
            key[:3] == (scheme, host, port) and key[3][: len(segments)] == segments
            for scheme, host, port, segments in allowed
        )

    return policy


@dataclass(frozen=True, slots=True)
class Query:
    """A checked SPARQL query: the text the engines run (escapes expanded), its form and variables."""

    text: str
    form: str
    variables: frozenset[str]
    datasets: tuple[str, ...] = ()
    trailing_values: bool = False  # ends with its own VALUES block
    star: bool = False  # SELECT *: columns in the order the variables first appear in the text
    services: tuple[str, ...] = ()  # SERVICE endpoints the policy accepted
    algebra: Any = field(default=None, compare=False, repr=False)  # rdflib's translation of the checked parse
    algebra_error: str | None = field(default=None, compare=False, repr=False)

    @property
    def is_graph(self) -> bool:
        return self.form in {"CONSTRUCT", "DESCRIBE"}

    def columns(self, names: Iterable[str]) -> tuple[str, ...]:
        """``names`` in the order of their first appearance in the query text (for SELECT *)."""
        first: dict[str, int] = {}
        for found in re.finditer(r"[?$]([A-Za-z_][A-Za-z0-9_]*)", self.text):
            first.setdefault(found.group(1), found.start())
        return tuple(sorted(names, key=lambda name: (first.get(name, len(self.text)), name)))


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
    seconds: float = field(default=0.0, compare=False)  # the engine's time (the check and loading aside)


class Engine(Protocol):
    """Anything that runs a prepared query with bound parameters, returning at most ``limit`` rows."""

    name: str

    def run(self, query: Query, bindings: Mapping[str, OxTerm] | None = None, limit: int | None = None) -> Result: ...


def take(items: Iterable[Any], limit: int | None) -> tuple[tuple[Any, ...], bool]:
    """The first ``limit`` items (all for None), and whether there were more; reads one past the limit at most."""
    if limit is None:
        return tuple(items), False
    taken = tuple(itertools.islice(items, limit + 1))
    return taken[:limit], len(taken) > limit


def select_star(query: Query, variables: tuple[str, ...], rows: Iterable[Row]) -> tuple[tuple[str, ...], tuple[Row, ...]]:
    """The columns of a SELECT * result in the query's order (both engines, and endpoints, agree)."""
    rows = tuple(rows)
    if not query.star:
        return variables, rows
    ordered = query.columns(variables)
    where = [variables.index(name) for name in ordered]
    return ordered, tuple(tuple(row[i] for i in where) for row in rows)


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


def read_query_file(path: Path) -> str:
    """The text of a query file: a regular file of at most ``MAX_QUERY_FILE`` bytes, in UTF-8."""
    try:
        # O_NONBLOCK: opening a FIFO waits for no writer; it is then refused as not a regular file.
        with open(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise QueryError(f"{path}: a query file must be a regular file")
            data = handle.read(MAX_QUERY_FILE + 1)
    except OSError as exc:
        raise QueryError(f"{path}: cannot read the query file ({exc.strerror or exc.__class__.__name__})") from None
    if len(data) > MAX_QUERY_FILE:
        raise QueryError(f"{path}: a query file is at most {MAX_QUERY_FILE // 2**20} MiB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise QueryError(f"{path}: the query file is not UTF-8") from None


def resolve_query(spec: str) -> tuple[str, ShippedQuery | None]:
    """The SPARQL text that QUERY names: ``@file.rq``, a shipped query's name, or inline SPARQL."""
    if spec.startswith("@"):
        return read_query_file(Path(spec[1:])), None
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
    if isinstance(term, Variable):
        return f"?{term}"
    return f"<{term}>"


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


def _expand_escapes(text: str) -> str:
    """The query with its ``\\uXXXX`` and ``\\UXXXXXXXX`` escapes expanded once, as the SPARQL grammar says."""
    try:
        expanded = sparql_grammar.expandUnicodeEscapes(text)
    except ValueError as exc:
        raise QuerySyntaxError(str(exc)) from None
    if re.search("[\ud800-\udfff]", expanded):
        raise QuerySyntaxError("a \\u escape names a surrogate, not a character")
    return expanded


# The word SERVICE where it can be the keyword: not inside a variable, prefixed or blank node name.
_SERVICE_WORD = re.compile(r"(?<![\w?$:@])service(?![\w:])", re.IGNORECASE)


def _service_keywords(text: str, parses: Callable[[str], bool]) -> list[int]:
    """Where a parser reads the SERVICE keyword in ``text``: each place where misspelling it breaks the parse.

    Inside a string, a comment or an IRI the misspelt word still parses: it is text there.
    """
    return [
        found.start() for found in _SERVICE_WORD.finditer(text)
        if not parses(text[: found.start()] + "servicx" + text[found.end():])
    ]


def _oxigraph_accepts(text: str, variables: Iterable[str]) -> bool:
    try:
        _oxigraph_parses(text, variables)
    except QueryError:
        return False
    return True


def _rdflib_accepts(text: str) -> bool:
    try:
        sparql_grammar.Query.parse_string(text, parse_all=True)
    except (Exception, RecursionError):  # pyparsing raises its own exception types
        return False
    return True


def _oxigraph_parses(text: str, variables: Iterable[str]) -> None:
    """Raise the syntax error Oxigraph finds in ``text``, evaluating nothing.

    Substituting a variable the query does not project makes Oxigraph stop between parsing and
    evaluation (it would otherwise compute aggregates, ORDER BY and SERVICE calls at once).
    """
    probe = "kg_parse_only"
    while probe in variables:
        probe += "_"
    try:
        ox.Store().query(text, prefixes=PREFIXES, substitutions={ox.Variable(probe): ox.Literal("")})
    except SyntaxError as exc:
        raise _syntax_error(exc) from None
    except (OSError, ValueError, RuntimeError):
        return
    raise QueryRefused(f"?{probe} is a variable name kg reserves")


def _parse_error(exc: BaseException) -> QuerySyntaxError:
    return QuerySyntaxError(getattr(exc, "msg", str(exc)), getattr(exc, "lineno", None), getattr(exc, "col", None))


def _update_requests(text: str) -> int | None:
    """How many operations ``text`` holds as a SPARQL update (0: empty); None if it is not one."""
    try:
        update = sparql_grammar.UpdateUnit.parse_string(text, parse_all=True)[0]
    except (Exception, RecursionError):  # pyparsing raises its own exception types
        return None
    return len(update["request"]) if "request" in update else 0


def _service_iri(term: Any, prefixes: Mapping[str, str]) -> str | None:
    """A SERVICE term as the absolute IRI it names; None for a variable or a relative IRI."""
    if isinstance(term, Variable):
        return None
    if isinstance(term, CompValue) and term.name == "pname":
        prefix = term["prefix"] if "prefix" in term else ""
        local = term["localname"] if "localname" in term else ""
        iri = prefixes.get(prefix or "", "") + re.sub(r"\\(.)", r"\1", local or "")
    else:
        iri = str(term)
    return iri if _ABSOLUTE.match(iri) else None


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
    expanded = _expand_escapes(text)
    variables = frozenset(re.findall(r"[?$]([A-Za-z_][A-Za-z0-9_]*)", expanded))
    try:
        # The check's parse, and rdflib's: the engine runs what is checked here, no second parse.
        tree = sparql_grammar.Query.parse_string(expanded, parse_all=True)
    except RecursionError:
        raise QuerySyntaxError("the query is nested too deeply to check") from None
    except Exception as exc:  # pyparsing raises its own exception types
        requests = _update_requests(expanded)
        if requests:
            raise QueryRefused(
                "updates (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE...) are refused: kg query only reads"
            ) from None
        if requests == 0:
            raise QuerySyntaxError("the query is empty (nothing but comments, PREFIX and BASE)") from None
        _oxigraph_parses(expanded, variables)  # its message names line and column
        raise _parse_error(exc) from None
    # The syntax authority: the engine that runs queries by default. rdflib parsed the text first,
    # so it is not nested deeply enough to overflow Oxigraph's recursive parser.
    _oxigraph_parses(expanded, variables)
    # Oxigraph's own parser, asked where it reads SERVICE: the places must be those the check read
    # (a lone carriage return ends a comment for Oxigraph, not for rdflib, to name one difference).
    oxigraph_services = _service_keywords(expanded, lambda altered: _oxigraph_accepts(altered, variables))
    prologue, body = tree[0], tree[1]
    prefixes = dict(PREFIXES)
    for declaration in prologue:
        if declaration.name == "PrefixDecl":
            prefixes[declaration["prefix"] if "prefix" in declaration else ""] = str(declaration["iri"])
    services = []
    try:
        nodes = list(_walk(tree))
    except RecursionError:
        raise QuerySyntaxError("the query is nested too deeply to check") from None
    for node in nodes:
        if node.name == "ServiceGraphPattern":
            term = node["term"] if "term" in node else None
            endpoint = _service_iri(term, prefixes)
            if endpoint is None or allow_service is None or not allow_service(endpoint):
                shown = _term_text(term) if endpoint is None else f"<{endpoint}>"
                raise QueryRefused(f"SERVICE {shown} refused: federated queries to other endpoints are off")
            services.append(endpoint)
    if len(oxigraph_services) != len(services) or any(
        _rdflib_accepts(expanded[:at] + "servicx" + expanded[at + len("service"):]) for at in oxigraph_services
    ):
        line = expanded.count("\n", 0, oxigraph_services[0]) + 1 if oxigraph_services else None
        raise QueryRefused(
            "SERVICE refused: Oxigraph and the check do not read the same SERVICE calls"
            + (f" (line {line})" if line else "")
        )
    # CompValue.get returns the key itself when it is missing, hence the membership tests.
    datasets = tuple(
        _term_text(clause["default"] if "default" in clause else clause["named"]).strip("<>")
        for clause in (body["datasetClause"] if "datasetClause" in body else ())
    )
    algebra, algebra_error = None, None
    try:
        algebra = translateQuery(tree, base=None, initNs=PREFIXES)
    except (Exception, RecursionError) as exc:  # rdflib raises bare Exceptions; only its engine needs this
        algebra_error = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
    trailing = "valuesClause" in body and body["valuesClause"] is not None
    star = body.name == "SelectQuery" and "projection" not in body
    return Query(
        text=expanded, form=FORMS[body.name], variables=variables, datasets=datasets, trailing_values=trailing,
        star=star, services=tuple(services), algebra=algebra, algebra_error=algebra_error,
    )


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
            f"FROM <{query.datasets[0]}> refused: a local graph is queried as loaded "
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
            answer = self.store.query(query.text, prefixes=PREFIXES, substitutions=substitutions)
            if isinstance(answer, ox.QueryBoolean):
                return Result(query.form, boolean=bool(answer))
            if isinstance(answer, ox.QuerySolutions):
                # Solutions are computed as they are read: past the limit, nothing more is evaluated.
                variables = tuple(v.value for v in answer.variables)
                solutions, more = take(answer, limit)
                rows = (tuple(to_rdflib(solution[v]) for v in variables) for solution in solutions)
                variables, ordered = select_star(query, variables, rows)
                return Result(query.form, variables=variables, rows=ordered, truncated=more)
            constructed, more = take(answer, limit)
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
            raise QueryRefused(f"SERVICE <{endpoint or '?'}> refused: rdflib would call another endpoint than the one checked")
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

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def __len__(self) -> int:
        return len(self.graph)

    def run(self, query: Query, bindings: Mapping[str, OxTerm] | None = None, limit: int | None = None) -> Result:
        _refuse_datasets(query)
        if query.algebra is None:
            raise QueryError(f"rdflib cannot run this query: {query.algebra_error} (try --engine oxigraph)")
        init: dict[str, Identifier] = {name: to_rdflib(term) for name, term in (bindings or {}).items()}  # type: ignore[misc]
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
                    solutions, more = take(answer, limit)
                    rows = (tuple(_plain(row[i]) for i in range(len(variables))) for row in solutions)  # type: ignore[index]
                    variables, ordered = select_star(query, variables, rows)
                    return Result(query.form, variables=variables, rows=ordered, truncated=more)
                constructed, more = take(answer, limit)
                return Result(query.form, triples=constructed, truncated=more)
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
            raise GraphError(f"{path}: not an Oxigraph store (no CURRENT file; kg build --store DIR writes one)") from None
        raise GraphError(f"{path}: cannot open the Oxigraph store read-only ({reason})") from None


def _ready(engine: Engine | GraphFile, phase: worker.Phase) -> Engine:
    if not isinstance(engine, GraphFile):
        return engine
    with phase.untimed():  # loading a large graph is not the query's time
        return engine.load()


def _timed(engine: Engine, query: Query, bindings: Mapping[str, OxTerm] | None, limit: int | None) -> Result:
    started = time.perf_counter()
    result = engine.run(query, bindings, limit)
    return dataclasses.replace(result, seconds=time.perf_counter() - started)


def execute(engine: Engine | GraphFile, query: Query, bindings: Mapping[str, OxTerm] | None = None, *,
            limit: int | None = DEFAULT_LIMIT, timeout: float | None = DEFAULT_TIMEOUT,
            max_memory: int | None = DEFAULT_MAX_MEMORY) -> Result:
    """Run a prepared query on ``engine``, keeping at most ``limit`` rows, for at most ``timeout`` seconds.

    With a timeout or a memory bound, the query runs in a worker process (``kg.worker``)
    that is killed at the deadline, cannot grow by more than ``max_memory`` bytes and, unless
    the engine is a remote endpoint or the query calls an allowed SERVICE, cannot reach the network.

    Raises:
        QueryTimeout: the query was still running after ``timeout`` seconds.
        QueryError: it needed more memory than ``max_memory``, or the engine failed.
    """
    def job(phase: worker.Phase) -> Result:
        return _timed(_ready(engine, phase), query, bindings, limit)

    if timeout is None and max_memory is None:
        return job(worker.Phase())
    network = bool(query.services) or bool(getattr(engine, "network", False))
    return worker.run(job, timeout=timeout, max_memory=max_memory, network=network)


def run(engine: Engine | GraphFile, text: str, params: Mapping[str, str] | None = None,
        shipped: ShippedQuery | None = None, *, limit: int | None = None, timeout: float | None = None,
        max_memory: int | None = None, allow_service: ServicePolicy | None = None) -> Result:
    """Check ``text``, bind ``params`` and run it on ``engine`` (no limits unless given).

    With a timeout or a memory bound, all of it (the check too: rdflib's parser takes a
    minute on a 40,000-value ``IN`` list) happens in the worker, within the same bounds;
    loading a :class:`GraphFile` there does not count against the timeout.
    """
    def job(phase: worker.Phase) -> Result:
        query = prepare(text, allow_service)
        bindings = bind_params(query, params or {}, shipped)
        return _timed(_ready(engine, phase), query, bindings, limit)

    if timeout is None and max_memory is None:
        return job(worker.Phase())
    network = allow_service is not None or bool(getattr(engine, "network", False))
    return worker.run(job, timeout=timeout, max_memory=max_memory, network=network)

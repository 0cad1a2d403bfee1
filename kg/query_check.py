"""Checking a SPARQL query before any engine sees it: it only reads, and reaches no other endpoint.

Updates (``LOAD`` included) are refused, ``SERVICE`` calls are refused unless an allow-list
hook accepts the endpoint, and the engines later refuse ``FROM`` clauses on local graphs
(rdflib would fetch their IRIs). The check and the engines read the same text: ``\\u``
escapes are expanded once, as the SPARQL grammar says (rdflib expands them everywhere,
Oxigraph only inside strings, so a query could otherwise hide a SERVICE inside what one of
them reads as a string), rdflib runs the very parse that was checked, and Oxigraph the
expanded text, whose SERVICE calls its own parser must find exactly where the check found them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pyoxigraph as ox
from rdflib.plugins.sparql import parser as sparql_grammar
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Variable

from kg.errors import QueryError, QueryRefused, QuerySyntaxError
from kg.vocab import PREFIXES

FORMS: dict[str, str] = {
    "SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE",
}
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


def syntax_error(exc: BaseException) -> QuerySyntaxError:
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
        raise syntax_error(exc) from None
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

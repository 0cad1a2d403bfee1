"""The SPARQL 1.1 Protocol of ``kg serve``: a request read into a query, a result written as the client asks.

Only queries: an update request (an ``update`` parameter, ``application/sparql-update``) is
refused before anything runs, and the query itself is checked and run by ``kg.query.run``
exactly as ``kg query`` runs it (``kg.query_check`` refuses updates, SERVICE, LOAD and FROM;
the worker bounds its time, rows and memory). SELECT and ASK results are written as SPARQL
JSON, XML, CSV or TSV, CONSTRUCT and DESCRIBE results as Turtle or N-Triples, by the Accept header.
Variables are bound with ``$name=value`` parameters (as RDF4J and GraphDB do), parsed as
``kg query --param`` values are, never pasted into the query text.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from kg.engines import Result
from kg.errors import KGError, QueryError, QueryRefused, QueryTimeout, one_line
from kg.results import graph_bytes, to_csv, to_json, to_tsv
from kg.vocab import PREFIXES

MAX_FIELDS = 100  # parameters of one request
_XSD_STRING = PREFIXES["xsd"] + "string"
# Characters XML 1.0 cannot carry, not even as character references.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_PARAM = re.compile(r"^\$([A-Za-z_][A-Za-z0-9_]*)$")
_UPDATE_REFUSED = "updates are refused: kg serve only reads"


class ProtocolError(KGError):
    """A request the endpoint answers with an HTTP error status and a one-line message."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        super().__init__(one_line(message))


@dataclass(frozen=True, slots=True)
class SparqlRequest:
    """A query as a protocol request carries it, with the variables it binds (``$name=value``)."""

    query: str
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Answer:
    """What the endpoint sends back: status, media type, body and extra headers."""

    status: int
    media_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


def _fields(text: str, where: str) -> list[tuple[str, str]]:
    try:
        return urllib.parse.parse_qsl(
            text, keep_blank_values=True, encoding="utf-8", errors="strict", max_num_fields=MAX_FIELDS
        )
    except UnicodeDecodeError:
        raise ProtocolError(400, f"the {where} is not UTF-8 once percent-decoded") from None
    except ValueError:
        raise ProtocolError(400, f"the {where} has more than {MAX_FIELDS} parameters") from None


def _media_type(header: str | None) -> tuple[str, dict[str, str]]:
    """A Content-Type header as its lower-case type and its parameters."""
    kind, *rest = (header or "").split(";")
    params = {}
    for item in rest:
        name, _, value = item.partition("=")
        params[name.strip().lower()] = value.strip().strip('"').lower()
    return kind.strip().lower(), params


def read_request(method: str, url_query: str, content_type: str | None, body: bytes) -> SparqlRequest:
    """The query of a SPARQL 1.1 Protocol request: GET ``?query=``, POST as a form or ``application/sparql-query``.

    Raises:
        ProtocolError: no query or two, an update, dataset parameters, a body in another
            media type or not in UTF-8 (each with its HTTP status).
    """
    fields = _fields(url_query, "URL query string")
    if method == "POST":
        kind, options = _media_type(content_type)
        if options.get("charset", "utf-8") != "utf-8":
            raise ProtocolError(415, f"charset {options['charset']!r}: the endpoint reads UTF-8 only")
        if kind == "application/sparql-update":
            raise ProtocolError(403, _UPDATE_REFUSED)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise ProtocolError(400, "the request body is not UTF-8") from None
        if kind == "application/x-www-form-urlencoded":
            fields += _fields(text, "form body")
        elif kind == "application/sparql-query":
            if any(name == "query" for name, _ in fields):
                raise ProtocolError(400, "a query in the body and another in the URL: send one")
            fields.append(("query", text))
        else:
            raise ProtocolError(
                415, f"Content-Type {kind or 'missing'}: POST a query as application/x-www-form-urlencoded "
                "or application/sparql-query",
            )
    names = [name for name, _ in fields]
    if "update" in names:
        raise ProtocolError(403, _UPDATE_REFUSED)
    if "default-graph-uri" in names or "named-graph-uri" in names:
        raise ProtocolError(400, "default-graph-uri and named-graph-uri are refused: the endpoint serves one graph")
    queries = [value for name, value in fields if name == "query"]
    if len(queries) != 1:
        raise ProtocolError(400, "expected one query parameter (SPARQL 1.1 Protocol: ?query=...)"
                            if not queries else "more than one query parameter")
    params = []
    for name, value in fields:
        found = _PARAM.match(name)
        if name.startswith("$") and not found:
            raise ProtocolError(400, f"{name!r}: a binding is $NAME=VALUE, NAME a SPARQL variable name")
        if found:
            params.append((found.group(1), value))
    if len({name for name, _ in params}) != len(params):
        raise ProtocolError(400, "a variable is bound twice")
    return SparqlRequest(queries[0], tuple(params))


# ---------------------------------------------------------------- answers

def _xml_term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != _XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def to_xml(result: Result) -> str:
    """SPARQL 1.1 XML results (SELECT and ASK).

    Raises:
        ProtocolError: a value holds a character XML 1.0 cannot carry (406: ask for JSON).
    """
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if result.form == "ASK":
        lines += ["<head/>", f"<boolean>{'true' if result.boolean else 'false'}</boolean>"]
    else:
        lines += ["<head>", *(f"<variable name={quoteattr(name)}/>" for name in result.variables), "</head>",
                  "<results>"]
        for row in result.rows:
            bindings = "".join(
                f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>"
                for name, term in zip(result.variables, row, strict=True) if term is not None
            )
            lines.append(f"<result>{bindings}</result>")
        lines.append("</results>")
    text = "\n".join([*lines, "</sparql>", ""])
    if _NOT_XML.search(text):
        raise ProtocolError(406, "the result holds characters XML 1.0 cannot carry: ask for SPARQL JSON")
    return text


_Writer = Callable[[Result], bytes]
# Media type -> writer, in the order of preference when the client accepts any.
SOLUTION_FORMATS: dict[str, _Writer] = {
    "application/sparql-results+json": lambda r: to_json(r).encode("utf-8"),
    "application/sparql-results+xml": lambda r: to_xml(r).encode("utf-8"),
    "text/csv": lambda r: to_csv(r).encode("utf-8"),
    "text/tab-separated-values": lambda r: to_tsv(r).encode("utf-8"),
    "application/json": lambda r: to_json(r).encode("utf-8"),
    "application/xml": lambda r: to_xml(r).encode("utf-8"),
}
GRAPH_FORMATS: dict[str, _Writer] = {
    "text/turtle": lambda r: graph_bytes(r, "turtle"),
    "application/n-triples": lambda r: graph_bytes(r, "ntriples"),
}


def negotiate(accept: str | None, offered: list[str]) -> str | None:
    """The media type of ``offered`` the Accept header prefers; None if it accepts none of them.

    Each type takes the quality of the most specific range naming it (``text/csv;q=0, */*``
    refuses CSV); the best quality wins, then the more specific range, the earlier range, the
    earlier offered type.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+json", ["text/csv", "application/sparql-results+json"])
    'application/sparql-results+json'
    """
    if not accept or not accept.strip():
        return offered[0]
    ranges = []
    for position, item in enumerate(accept.split(",")):
        kind, params = _media_type(item)
        try:
            quality = float(params.get("q", "1"))
        except ValueError:
            quality = 0.0
        ranges.append((kind, quality, position))
    best: tuple[tuple[float, int, int, int], str] | None = None
    for index, media in enumerate(offered):
        specific = {media: 2, media.split("/")[0] + "/*": 1, "*/*": 0}
        matching = [(specific[kind], quality, position) for kind, quality, position in ranges if kind in specific]
        if not matching:
            continue
        specificity, quality, position = max(matching)
        key = (quality, specificity, -position, -index)
        if quality > 0 and (best is None or key > best[0]):
            best = (key, media)
    return best[1] if best else None


def answer(run: Callable[[str, dict[str, str]], Result], request: SparqlRequest, accept: str | None) -> Answer:
    """Run the request's query with ``run`` (query text, bindings) and write its result as ``accept`` asks.

    Refusals (updates, SERVICE, LOAD, FROM) are 403, a query running past its time 503, any
    other query error (syntax, unknown prefix, bad binding, memory) 400, no acceptable format 406.
    """
    try:
        result = run(request.query, dict(request.params))
    except QueryRefused as exc:
        raise ProtocolError(403, str(exc)) from None
    except QueryTimeout as exc:
        raise ProtocolError(503, str(exc)) from None
    except QueryError as exc:
        raise ProtocolError(400, str(exc)) from None
    writers = GRAPH_FORMATS if result.form in {"CONSTRUCT", "DESCRIBE"} else SOLUTION_FORMATS
    media = negotiate(accept, list(writers))
    if media is None:
        raise ProtocolError(406, f"no {result.form} result format matches Accept: {accept}; "
                            f"the endpoint writes {', '.join(writers)}")
    headers = []
    if result.truncated:
        shown = len(result.triples) if result.triples else len(result.rows)
        headers.append(("Kg-Truncated", f"the first {shown} {'triples' if result.triples else 'rows'} only: "
                                        "the query returns more (kg serve --limit)"))
    charset = "; charset=utf-8" if media.startswith("text/") else ""
    return Answer(200, media + charset, writers[media](result), tuple(headers))

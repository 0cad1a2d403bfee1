"""Query results as text: SPARQL CSV/TSV/JSON, Turtle for graph results, short cells for a table.

CONSTRUCT and DESCRIBE results are triples; in CSV, TSV and JSON they are rows of
``subject``, ``predicate``, ``object``.

A graph's text is untrusted: table cells never carry a control or format character (an
escape sequence, a bidi override) to the terminal, and :func:`terminal_safe` does the same
for the other formats when they are written to a terminal. Written to a file or a pipe,
they keep the data exact.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from kg.engines import Result, Row
from kg.errors import QueryError, one_line
from kg.rdf import Term, compact
from kg.vocab import PREFIXES

RESULT_FORMATS: tuple[str, ...] = ("table", "csv", "tsv", "json", "turtle", "ntriples")
_XSD_STRING = PREFIXES["xsd"] + "string"


def _rows(result: Result) -> tuple[tuple[str, ...], Iterable[Row]]:
    if result.form in {"CONSTRUCT", "DESCRIBE"}:
        return ("subject", "predicate", "object"), result.triples
    return result.variables, result.rows


def cell(term: Term | None) -> str:
    """A term as a short table cell: prefixed IRI, bare literal value, empty when unbound.

    Control and format characters are escaped (``\\x1b``, ``\\n``, ``\\u202e``): a cell is
    printed to a terminal.
    """
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return one_line(compact(term.value))
    if isinstance(term, ox.BlankNode):
        return one_line(f"_:{term.value}")
    return one_line(term.value)


def terminal_safe(text: str) -> str:
    r"""``text`` with every control and format character but tabs and line ends escaped, for a terminal.

    >>> terminal_safe("a\x1b]0;title\x07b\r\n")
    'a\\x1b]0;title\\x07b\r\n'
    """
    return "".join(
        piece if piece in {"\r\n", "\n", "\t"} else one_line(piece) for piece in re.split(r"(\r\n|\n|\t)", text)
    )


def table_rows(result: Result) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """Header and rows of short cells, for a rich table."""
    if result.form == "ASK":
        return ("answer",), [("yes" if result.boolean else "no",)]
    header, rows = _rows(result)
    return header, [tuple(cell(term) for term in row) for row in rows]


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def _nt(term: Term | None) -> str:
    return "" if term is None else str(term)


def to_csv(result: Result, delimiter: str = ",") -> str:
    """SPARQL 1.1 CSV results (values only); ASK gives one ``boolean`` column."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    if result.form == "ASK":
        writer.writerows([("boolean",), ("true" if result.boolean else "false",)])
        return buffer.getvalue()
    header, rows = _rows(result)
    writer.writerow(header)
    writer.writerows([_csv_value(term) for term in row] for row in rows)
    return buffer.getvalue()


def to_tsv(result: Result) -> str:
    """SPARQL 1.1 TSV results: terms in N-Triples syntax, ``?var`` headers."""
    if result.form == "ASK":
        return "?boolean\n" + ("true" if result.boolean else "false") + "\n"
    header, rows = _rows(result)
    lines = ["\t".join(f"?{name}" for name in header)]
    lines += ["\t".join(_nt(term) for term in row) for row in rows]
    return "\n".join(lines) + "\n"


def _json_term(term: Term) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    value: dict[str, str] = {"type": "literal", "value": term.value}
    if term.language:
        value["xml:lang"] = term.language
    elif term.datatype.value != _XSD_STRING:  # a plain string has no datatype in SPARQL JSON
        value["datatype"] = term.datatype.value
    return value


def to_json(result: Result) -> str:
    """SPARQL 1.1 JSON results."""
    if result.form == "ASK":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)}, indent=2) + "\n"
    header, rows = _rows(result)
    bindings = [
        {name: _json_term(term) for name, term in zip(header, row, strict=True) if term is not None} for row in rows
    ]
    return json.dumps({"head": {"vars": list(header)}, "results": {"bindings": bindings}},
                      indent=2, ensure_ascii=False) + "\n"


def from_json(data: Any, form: str) -> Result:
    """A SPARQL 1.1 JSON results document (already decoded) as a Result; every term is checked."""
    try:
        if "boolean" in data:
            return Result(form, boolean=bool(data["boolean"]))
        variables = tuple(str(name) for name in data["head"]["vars"])
        rows = tuple(
            tuple(_from_json_term(binding[name]) if name in binding else None for name in variables)
            for binding in data["results"]["bindings"]
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise QueryError(f"malformed SPARQL JSON results ({one_line(str(exc))[:200]})") from None
    return Result(form, variables=variables, rows=rows)


def _from_json_term(term: dict[str, str]) -> Term:
    # pyoxigraph's constructors check IRIs, blank node labels, language tags and datatypes.
    kind, value = term["type"], term["value"]
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
    if kind not in {"literal", "typed-literal"}:
        raise ValueError(f"unknown term type {kind!r}")
    if "xml:lang" in term:
        return ox.Literal(value, language=term["xml:lang"])
    datatype = term.get("datatype")
    return ox.Literal(value) if datatype is None else ox.Literal(value, datatype=ox.NamedNode(datatype))


def graph_bytes(result: Result, fmt: str = "turtle") -> bytes:
    """A CONSTRUCT/DESCRIBE result as sorted Turtle or N-Triples."""
    triples = sorted(
        (ox.Triple(s, p, o) for s, p, o in result.triples),  # type: ignore[arg-type]  # a literal is never a subject
        key=lambda t: (str(t.subject), str(t.predicate), str(t.object)),
    )
    data = ox.serialize(
        triples, format=ox.RdfFormat.N_TRIPLES if fmt == "ntriples" else ox.RdfFormat.TURTLE,
        prefixes=None if fmt == "ntriples" else PREFIXES,
    )
    assert data is not None  # no output file given, so pyoxigraph returns the bytes
    return data


def render(result: Result, fmt: str) -> str:
    """The result in ``fmt`` (csv, tsv, json, turtle, ntriples); ``table`` is drawn by the CLI."""
    if fmt == "csv":
        return to_csv(result)
    if fmt == "tsv":
        return to_tsv(result)
    if fmt == "json":
        return to_json(result)
    if fmt in {"turtle", "ntriples"}:
        if result.form not in {"CONSTRUCT", "DESCRIBE"}:
            raise QueryError(f"--format {fmt} is for CONSTRUCT and DESCRIBE results; this is a {result.form}")
        return graph_bytes(result, fmt).decode("utf-8")
    raise QueryError(f"unknown result format {fmt!r} (expected {', '.join(RESULT_FORMATS)})")


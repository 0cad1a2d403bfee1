"""The error hierarchy: every failure the CLI reports as a one-line message."""

from __future__ import annotations


def one_line(text: str) -> str:
    r"""``text`` as one printable line: line breaks, control and format characters escaped.

    Messages quote file names, JSON keys and query text, any of which may hold a
    newline or a right-to-left override.

    >>> print(one_line("a.txt\nb: \u202eexe"))
    a.txt\nb: \u202eexe
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)


class KGError(Exception):
    """Base of every error kg raises on purpose."""


class InputError(KGError):
    """An input file or record cannot be read as an article.

    The message names the file (and line, for JSONL) and says what was
    expected and what arrived.
    """

    def __init__(self, path: str, problem: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        where = f"{path}:{line}" if line is not None else path
        super().__init__(one_line(f"{where}: {problem}"))


class ModelError(KGError):
    """The spaCy model named in the settings cannot be loaded."""


class OntologyError(KGError):
    """The ontology or gazetteer files are missing or malformed."""


class GoldError(KGError):
    """A gold annotation file is missing or malformed."""


class GraphError(KGError):
    """A built graph cannot be read or does not follow the contract."""


class QueryError(KGError):
    """A SPARQL query cannot be run: unknown name, bad parameter, or an engine failure."""


class QuerySyntaxError(QueryError):
    """A SPARQL query does not parse; the message names the line and column."""

    def __init__(self, problem: str, line: int | None = None, column: int | None = None) -> None:
        self.problem = problem
        self.line = line
        self.column = column
        where = f"line {line}, column {column}: " if line is not None and column is not None else ""
        super().__init__(f"SPARQL syntax error at {where}{problem}" if where else f"SPARQL syntax error: {problem}")


class QueryRefused(QueryError):
    """A request that ``kg query`` will not run: an update, a SERVICE call, a FROM clause."""


class QueryTimeout(QueryError):
    """A query ran longer than its time limit."""


class StoreError(KGError):
    """A remote SPARQL store or endpoint refused a request or could not be reached."""


class ExportError(KGError):
    """A graph cannot be written in the requested format."""


class UnsafeOutput(KGError):
    """Writing an output there would destroy data kg did not write: a foreign directory, an input, the output folder."""


class OutputInUse(KGError):
    """An output folder or store is held by another process, named in the message."""


class SkippedInputs(KGError):
    """A strict build met inputs it had to skip, so it built and wrote nothing."""

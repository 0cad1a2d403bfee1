"""The error hierarchy: every failure the CLI reports as a one-line message."""

from __future__ import annotations


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
        super().__init__(f"{where}: {problem}")


class ModelError(KGError):
    """The spaCy model named in the settings cannot be loaded."""


class OntologyError(KGError):
    """The ontology or gazetteer files are missing or malformed."""


class GoldError(KGError):
    """A gold annotation file is missing or malformed."""


class GraphError(KGError):
    """A built graph cannot be read or does not follow the contract."""

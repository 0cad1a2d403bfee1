"""Sections of a checked data file: a JSON table read into the frozen dataclass that declares it.

The word lists (``kg/data/names.json``) and the lexicon (``kg/data/lexicon.json``) are both
read this way, so a misspelt, missing or unknown table fails the same way, naming it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import Any, get_type_hints

# (value, type hint of the field, "section.table") -> the table as the dataclass holds it
TableReader = Callable[[Any, Any, str], Any]


def read_section(
    cls: type, raw: Any, name: str, table: TableReader, fail: Callable[[str], Exception]
) -> Any:
    """``cls`` made from the JSON object ``raw`` (section ``name``), each field read by ``table``.

    Keys starting with ``_`` are comments; any other key ``cls`` does not declare, or a field
    ``raw`` lacks, raises ``fail(message)``.
    """
    if not isinstance(raw, dict):
        raise fail(f"section {name!r} is missing or not a table")
    hints = get_type_hints(cls)
    declared = {f.name for f in fields(cls)}
    unknown = sorted(k for k in raw if not k.startswith("_") and k not in declared)
    if unknown:
        raise fail(f"unknown table {name}.{unknown[0]} (declared: {', '.join(sorted(declared))})")
    missing = sorted(declared - set(raw))
    if missing:
        raise fail(f"section {name!r} has no table {missing[0]!r}")
    return cls(**{f: table(raw[f], hints[f], f"{name}.{f}") for f in sorted(declared)})

"""Model records as plain JSON data, written and read generically from the dataclasses of ``kg.model``
and their type hints, and checked against them when read: data that does not decode to the right
types raises ``Undecodable``, and no data can run code (a cache file may come from anywhere).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import types
import typing
from collections.abc import Callable
from typing import Any

from kg.model import Article, Extraction

# The article is not stored: a hit carries the article as read this time.
_STORED = tuple((name, hint) for name, hint in typing.get_type_hints(Extraction).items() if name != "article")


class Undecodable(ValueError):
    """Stored data that does not have the types the dataclass definitions say."""


def encode(value: object) -> Any:
    """A model record as JSON data: a dataclass as the list of its fields, a date as ISO text.

    >>> from kg.model import Mention
    >>> encode(Mention("a1", 0, 4, "Iraq", "Country", alias_of=(5, 9)))
    ['a1', 0, 4, 'Iraq', 'Country', None, [5, 9]]
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [encode(getattr(value, f.name)) for f in dataclasses.fields(value)]
    if isinstance(value, (tuple, list)):
        return [encode(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float)):
        return value
    raise TypeError(f"cannot store a {type(value).__name__} in the cache")


def decode(hint: Any, data: Any) -> Any:
    """The value of type ``hint`` that ``encode`` wrote as ``data``, checked all the way down.

    Raises:
        Undecodable: ``data`` is not what ``encode`` makes of a value of that type.

    >>> from kg.model import Mention
    >>> decode(Mention, ['a1', 0, 4, 'Iraq', 'Country', None, [5, 9]])
    Mention(article_id='a1', start=0, end=4, text='Iraq', label='Country', gazetteer_id=None, alias_of=(5, 9))
    >>> decode(Mention, ['a1', 0, '4', 'Iraq', 'Country', None, None])
    Traceback (most recent call last):
    kg.plain_data.Undecodable: expected int, found str
    """
    return _decoder(hint)(data)


@functools.cache
def _decoder(hint: Any) -> Callable[[Any], Any]:
    """A checking decoder for one type, made once from its hints (a warm rebuild decodes every result)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        cls = hint
        hints = typing.get_type_hints(cls)
        fields = [_decoder(hints[f.name]) for f in dataclasses.fields(cls)]
        count = len(fields)

        def record(data: Any) -> Any:
            if type(data) is not list or len(data) != count:
                raise Undecodable(f"expected the {count} fields of {cls.__name__}")
            # Positional: the fields in their order, as ``encode`` wrote them.
            return cls(*[field(item) for field, item in zip(fields, data, strict=True)])

        return record
    if origin in (typing.Union, types.UnionType) and type(None) in args:
        # An optional value: None is None, without trying the other types first (an exception each).
        rest = tuple(option for option in args if option is not type(None))
        value = _decoder(rest[0] if len(rest) == 1 else typing.Union[rest])  # noqa: UP007

        def optional(data: Any) -> Any:
            return None if data is None else value(data)

        return optional
    if origin in (typing.Union, types.UnionType):
        options = [_decoder(option) for option in args]

        def either(data: Any) -> Any:
            for option in options:
                try:
                    return option(data)
                except Undecodable:
                    continue
            raise Undecodable(f"expected {hint}, found {type(data).__name__}")

        return either
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item_decoder = _decoder(args[0])

        def items(data: Any) -> Any:
            if type(data) is not list:
                raise Undecodable(f"expected a list, found {type(data).__name__}")
            return tuple(map(item_decoder, data))

        return items
    if origin is tuple:
        parts = [_decoder(arg) for arg in args]

        def fixed(data: Any) -> Any:
            if type(data) is not list or len(data) != len(parts):
                raise Undecodable(f"expected a list of {len(parts)} items")
            return tuple(part(item) for part, item in zip(parts, data, strict=True))

        return fixed
    if hint is dt.date:

        def date(data: Any) -> Any:
            try:
                return dt.date.fromisoformat(data)
            except (TypeError, ValueError):
                raise Undecodable(f"expected an ISO date, found {str(data)[:20]!r}") from None

        return date
    if hint is float:

        def number(data: Any) -> Any:
            if type(data) not in (int, float):
                raise Undecodable(f"expected float, found {type(data).__name__}")
            return float(data)

        return number
    if hint in (type(None), str, int, bool):
        # JSON gives exactly these types: a bool is not an int here, nor an int a bool.
        expected = type(None) if hint is type(None) else hint

        def scalar(data: Any) -> Any:
            if type(data) is not expected:
                raise Undecodable(f"expected {expected.__name__}, found {type(data).__name__}")
            return data

        return scalar
    raise TypeError(f"the cache cannot store values of type {hint}")


def encode_row(extraction: Extraction) -> str:
    """A result as the JSON text of a cache row (without its article)."""
    return json.dumps([encode(getattr(extraction, name)) for name, _ in _STORED], separators=(",", ":"))


def decode_row(value: object, article: Article) -> Extraction | None:
    """The result a cache row holds, carrying ``article``; None for a row that is not one."""
    if not isinstance(value, (str, bytes)):
        return None
    try:
        data = json.loads(value)
        if not isinstance(data, list) or len(data) != len(_STORED):
            return None
        fields = {name: decode(hint, item) for (name, hint), item in zip(_STORED, data, strict=True)}
        return Extraction(article, **fields)
    except (Undecodable, ValueError, RecursionError):  # JSON errors are ValueErrors
        return None

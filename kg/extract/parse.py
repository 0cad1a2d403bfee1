"""The parse of a Doc as tables made once per Doc: its words, each word's head and children; and the
answers the rules keep by word until the Doc is read.

spaCy builds a new Token at every ``doc[i]``, ``.children`` and ``.head``; the rules ask about the
same words again and again, so what they read of the parse is listed once here and kept in the
Doc's ``user_data`` (so that it goes with the Doc), until ``forget``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import numpy
from spacy.attrs import HEAD  # type: ignore[import-not-found]
from spacy.tokens import Doc, Token

_TABLES: set[str] = set()  # the names of the tables ``once`` has made, for ``forget``
T = TypeVar("T")


def once(token: Token, table: str, find: Callable[[Token], T]) -> T:
    """``find(token)``, found once per Doc: the rules ask the same of a word many times.

    The answers are kept by token index in the Doc's ``user_data`` table ``table``, so that they go
    with the Doc, until ``forget``.
    """
    memo: dict[int, Any] | None = token.doc.user_data.get(table)
    if memo is None:
        memo = token.doc.user_data[table] = {}
        _TABLES.add(table)
    if token.i not in memo:
        memo[token.i] = find(token)
    found: T = memo[token.i]
    return found


def doc_once(doc: Doc, table: str, find: Callable[[Doc], T]) -> T:
    """``find(doc)``, found once per Doc and kept like ``once``'s answers."""
    if table not in doc.user_data:
        doc.user_data[table] = find(doc)
        _TABLES.add(table)
    found: T = doc.user_data[table]
    return found


def words(doc: Doc) -> list[Token]:
    """The Doc's words, each built once (``doc[i]`` builds a new Token at each call)."""
    return doc_once(doc, "kg_words", list)


def children(token: Token) -> tuple[Token, ...]:
    """``token.children``, made once per Doc: ``Token.children`` builds every child anew at each call."""
    return doc_once(token.doc, "kg_children", _children_of).get(token.i, ())


def _children_of(doc: Doc) -> dict[int, tuple[Token, ...]]:
    tokens = words(doc)
    found: dict[int, list[Token]] = {}
    for i, head in enumerate(heads(doc)):
        if head == i:
            continue
        if head in found:
            found[head].append(tokens[i])  # in text order, as Token.children gives them
        else:
            found[head] = [tokens[i]]
    return {head: tuple(kids) for head, kids in found.items()}


def heads(doc: Doc) -> list[int]:
    """The index of every word's head (its own for a root), read at once from the Doc's array of offsets."""
    return doc_once(doc, "kg_heads", lambda d: (d.to_array(HEAD).astype(numpy.int64) + numpy.arange(len(d))).tolist())


def is_root(token: Token) -> bool:
    """Is ``token`` the root of its sentence (its own head)? Not ``token.head is token``: each
    ``.head`` is a new Token, so that is never true."""
    return heads(token.doc)[token.i] == token.i


def found_once(token: Token, table: str, find: Callable[[Token], list[Token]]) -> list[Token]:
    """``find(token)``, found once per Doc (a new list each time: callers may change theirs)."""
    return list(once(token, table, lambda t: tuple(find(t))))


def forget(doc: Doc) -> None:
    """Drop the answers kept in the Doc. They hold its tokens, which hold the Doc: until they are
    dropped, only the cycle collector can free a Doc and its arrays."""
    for table in _TABLES:
        doc.user_data.pop(table, None)

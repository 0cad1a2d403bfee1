"""The compiled CAMEO tables (``kg/data/cameo.json``) as typed objects: verb frames, the
CAMEO-to-PLOVER codings and the Phoenix agent nouns, built once and shared.

A verb's frames are its own followed by those of its dictionary blocks; each synonym set
and each block's frames are built once, so every verb of a block shares the same Frame
objects. A reference to an unknown block or synonym set fails at load, naming it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kg.errors import KGError
from kg.vocab import EventType


class LexiconError(KGError):
    """The lexicon files are missing or malformed."""



@dataclass(frozen=True, slots=True)
class Coding:
    """What a CAMEO code means in PLOVER: event type, mode and context."""

    code: str
    kind: EventType
    mode: str = ""
    context: str = ""


@dataclass(frozen=True, slots=True)
class NounPhrase:
    """A noun phrase a frame asks for: word alternatives for each modifier, then for the head."""

    head: frozenset[str]
    modifiers: tuple[frozenset[str], ...] = ()


@dataclass(frozen=True, slots=True)
class Frame:
    """One CAMEO verb pattern as a dependency frame; ``code`` None means 'no event'."""

    code: str | None
    subject: NounPhrase | None = None
    object: NounPhrase | None = None
    preps: tuple[tuple[str, NounPhrase | None], ...] = ()
    source: str | None = None
    target: str | None = None
    negated: bool = False
    verb: str | None = None  # a frame naming no noun holds for this verb of its block only
    origin: str | None = None  # the verb of its block the pattern was written for (wins a tie)


@dataclass(frozen=True, slots=True)
class VerbEntry:
    """A verb of the CAMEO dictionary: its default code (None: no event) and its frames."""

    code: str | None
    frames: tuple[Frame, ...] = ()


# ---- compiled tables: reading cameo.json

def _alternatives(raw: Any, synsets: Mapping[str, frozenset[str]]) -> frozenset[str]:
    """A word-alternative list of a noun phrase, or '&NAME': the synonym set NAME, shared."""
    if isinstance(raw, str):
        found = synsets.get(raw[1:]) if raw.startswith("&") else None
        if found is None:
            raise LexiconError(f"kg/data/cameo.json: unknown synonym set {raw!r}")
        return found
    return frozenset(str(w).lower() for w in raw)


def _noun_phrase(raw: Any, synsets: Mapping[str, frozenset[str]]) -> NounPhrase | None:
    if raw is None:
        return None
    words = [_alternatives(alternatives, synsets) for alternatives in raw]
    if not words or not all(words):
        raise ValueError(f"empty noun phrase {raw!r}")
    return NounPhrase(words[-1], tuple(words[:-1]))


def _frame(raw: Mapping[str, Any], synsets: Mapping[str, frozenset[str]]) -> Frame:
    return Frame(
        code=raw["code"],
        subject=_noun_phrase(raw.get("subject"), synsets),
        object=_noun_phrase(raw.get("object"), synsets),
        preps=tuple((p["prep"], _noun_phrase(p.get("np"), synsets)) for p in raw.get("preps", ())),
        source=raw.get("source"),
        target=raw.get("target"),
        negated=bool(raw.get("negated", False)),
        verb=raw.get("verb"),
        origin=raw.get("origin"),
    )


def build_cameo(raw: Mapping[str, Any]) -> tuple[dict[str, VerbEntry], dict[str, Coding], dict[str, tuple[str, ...]]]:
    """The compiled CAMEO verbs, the CAMEO-to-PLOVER table and the agent nouns (kg/data/cameo.json).

    Each synonym set and each block's frames are built once and shared: a verb's frames are its own
    followed by those of its blocks, the same Frame objects for every verb of a block.
    """
    where = "plover"
    try:
        plover = {
            code: Coding(
                code, EventType(entry["type"]), entry.get("mode", "").strip(), entry.get("context", "").strip()
            )
            for code, entry in raw["plover"].items()
        }
        where = "synsets"
        synsets = {name: frozenset(str(w).lower() for w in words) for name, words in raw["synsets"].items()}
        where = "blocks"
        blocks = {name: tuple(_frame(f, synsets) for f in frames) for name, frames in raw["blocks"].items()}
        where = "verbs"
        verbs = {}
        for key, entry in raw["verbs"].items():
            frames = tuple(_frame(f, synsets) for f in entry.get("frames", ()))
            for name in entry.get("blocks", ()):
                if name not in blocks:
                    raise LexiconError(f"kg/data/cameo.json: verb {key!r} lists the unknown block {name!r}")
                frames += blocks[name]
            verbs[key] = VerbEntry(entry["code"], frames)
        where = "agents"
        agents = {noun: tuple(codes) for noun, codes in raw["agents"].items()}
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise LexiconError(f"malformed CAMEO table {where!r} in kg/data/cameo.json: {exc!r}") from exc
    return verbs, plover, agents

"""Gold annotations (graph contract, section 3): read, checked field by field, and merged over a set of files.

Names are compared in one normal form (:func:`normalise`, contract 4.1), relations in one
key (:func:`relation_key`: symmetric predicates as unordered pairs).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import GoldError
from kg.vocab import RELATION_PREDICATES, SYMMETRIC_PREDICATES, TOP_CLASSES

_CURLY = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"'})
_POSSESSIVE = re.compile(r"'s\b")
_TO_SPACE = str.maketrans({"-": " ", "_": " ", "'": " ", ".": " "})


def normalise(name: str) -> str:
    """A name in the form every comparison of the evaluation uses (contract 4.1).

    >>> normalise("Mohamed Chia al-Soudani")
    'mohamed chia al soudani'
    >>> normalise("Sudani’s"), normalise("the Islamic Resistance in Iraq")
    ('sudani', 'islamic resistance in iraq')
    >>> normalise("U.S."), normalise("Ms. Nuland"), normalise("Al-Ḥashd  al-Shaʿbī")
    ('u s', 'ms nuland', 'al hashd al shaʿbi')
    >>> normalise("“Hamas” (movement)!"), normalise("THE Hague"), normalise("Hashd_al_Shaabi")
    ('hamas movement', 'hague', 'hashd al shaabi')
    >>> normalise("Shia’ al-Sudani"), normalise("Theodore")
    ('shia al sudani', 'theodore')
    """
    decomposed = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    text = text.translate(_CURLY)
    text = _POSSESSIVE.sub("", text)
    text = text.translate(_TO_SPACE)
    # Only punctuation goes; letters such as the ayn sign 'ʿ' (a modifier letter) stay.
    text = "".join(c for c in text if not unicodedata.category(c).startswith("P"))
    text = " ".join(text.split())
    if text.startswith("the "):
        text = text[4:]
    return text


@dataclass(frozen=True, slots=True)
class GoldEntity:
    """One gold entity merged over every file that lists it."""

    id: str
    label: str
    type: str
    aliases: tuple[str, ...]
    optional: bool = False


@dataclass(frozen=True, slots=True)
class GoldRelation:
    """One gold relation as written in one file (``article`` is the file name)."""

    s: str
    p: str
    o: str
    optional: bool = False
    evidence: str = ""
    article: str = ""


@dataclass(frozen=True, slots=True)
class Gold:
    """The union of a set of gold files.

    ``entities`` are in order of first appearance (files sorted by name), which is
    the "file order" the scoring rules break ties with.
    """

    entities: tuple[GoldEntity, ...]
    relations: tuple[GoldRelation, ...]
    files: tuple[str, ...] = ()

    @property
    def required_entities(self) -> tuple[GoldEntity, ...]:
        """Entities that count towards recall."""
        return tuple(e for e in self.entities if not e.optional)

    @property
    def required_relations(self) -> frozenset[tuple[str, str, str]]:
        """Keys (see :func:`relation_key`) of the relations that count towards recall."""
        return relation_sets(self.relations)[0]

    @property
    def optional_relations(self) -> frozenset[tuple[str, str, str]]:
        """Keys of the relations that are never required, so earn and cost nothing."""
        return relation_sets(self.relations)[1]


def relation_key(s: str, p: str, o: str) -> tuple[str, str, str]:
    """The form relations are compared in: symmetric predicates as unordered pairs.

    >>> relation_key("iraq", "consulted", "iran") == relation_key("iran", "consulted", "iraq")
    True
    """
    if p in SYMMETRIC_PREDICATES and o < s:
        s, o = o, s
    return (s, p, o)


def relation_sets(
    relations: Iterable[GoldRelation],
) -> tuple[frozenset[tuple[str, str, str]], frozenset[tuple[str, str, str]]]:
    """Keys of the required relations, and of those only ever optional."""
    # Like entities, a relation required by any file is required.
    required = {relation_key(r.s, r.p, r.o) for r in relations if not r.optional}
    optional = {relation_key(r.s, r.p, r.o) for r in relations if r.optional} - required
    return frozenset(required), frozenset(optional)


def load_gold(directory: Path) -> Gold:
    """Read and merge every ``*.json`` gold file of ``directory`` (contract section 3).

    Raises:
        GoldError: the directory has no gold file, or a file is not valid gold;
            the message names the file and the problem.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise GoldError(f"{directory}: not a directory of gold files")
    paths = sorted(directory.glob("*.json"))
    if not paths:
        raise GoldError(f"{directory}: no *.json gold files")

    first_seen: dict[str, GoldEntity] = {}
    aliases: dict[str, list[str]] = {}
    required_ids: set[str] = set()
    relations: list[GoldRelation] = []
    for path in paths:
        entities, file_relations = _read_gold_file(path)
        for entity in entities:
            first_seen.setdefault(entity.id, entity)
            known = aliases.setdefault(entity.id, [])
            known.extend(a for a in entity.aliases if a not in known)
            if not entity.optional:
                required_ids.add(entity.id)
        relations.extend(file_relations)

    merged = tuple(
        GoldEntity(e.id, e.label, e.type, tuple(aliases[e.id]), e.id not in required_ids)
        for e in first_seen.values()
    )
    for relation in relations:
        for end in (relation.s, relation.o):
            if end not in first_seen:
                raise GoldError(
                    f"{directory / relation.article}: relation {relation.s} {relation.p} "
                    f"{relation.o} names unknown entity id {end!r}"
                )
    return Gold(merged, tuple(relations), tuple(p.name for p in paths))


def _read_gold_file(path: Path) -> tuple[list[GoldEntity], list[GoldRelation]]:
    """Entities and relations of one gold file, checked field by field."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"{path}: cannot be read ({exc})") from None
    except json.JSONDecodeError as exc:
        raise GoldError(f"{path}: invalid JSON at line {exc.lineno}: {exc.msg}") from None
    except RecursionError:
        raise GoldError(f"{path}: invalid JSON: nested too deeply") from None
    except ValueError as exc:  # a number too long to convert
        raise GoldError(f"{path}: unreadable JSON: {str(exc).split(';')[0]}") from None
    if not isinstance(data, dict):
        raise GoldError(f"{path}: expected a JSON object, got {type(data).__name__}")
    _check_text(path, data)
    if not isinstance(data.get("article", ""), str):
        raise GoldError(f"{path}: 'article' must be a string")
    raw_entities = _require(path, data, "entities", list, "the file")
    raw_relations = data.get("relations", [])
    if not isinstance(raw_relations, list):
        raise GoldError(f"{path}: 'relations' must be a list")

    entities: list[GoldEntity] = []
    ids: set[str] = set()
    for i, raw in enumerate(raw_entities):
        where = f"entity #{i}"
        if not isinstance(raw, dict):
            raise GoldError(f"{path}: {where} is not an object")
        ident = _require(path, raw, "id", str, where)
        where = f"entity {ident!r}"
        if not ident:
            raise GoldError(f"{path}: entity #{i} has an empty id")
        if ident in ids:
            raise GoldError(f"{path}: {where} is listed twice")
        ids.add(ident)
        label = _require(path, raw, "label", str, where)
        kind = _require(path, raw, "type", str, where)
        if kind not in TOP_CLASSES:
            raise GoldError(f"{path}: {where} has type {kind!r}, expected one of {', '.join(TOP_CLASSES)}")
        names = raw.get("aliases", [])
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise GoldError(f"{path}: {where} 'aliases' must be a list of strings")
        optional = _optional(path, raw, where)
        # The label is a name of the entity even if the annotator forgot to repeat it.
        all_names = tuple(dict.fromkeys([label, *names]))
        entities.append(GoldEntity(ident, label, kind, all_names, optional))

    relations: list[GoldRelation] = []
    for i, raw in enumerate(raw_relations):
        where = f"relation #{i}"
        if not isinstance(raw, dict):
            raise GoldError(f"{path}: {where} is not an object")
        s = _require(path, raw, "s", str, where)
        p = _require(path, raw, "p", str, where)
        o = _require(path, raw, "o", str, where)
        if p not in RELATION_PREDICATES:
            raise GoldError(f"{path}: {where} has unknown predicate {p!r}")
        evidence = raw.get("evidence", "")
        if not isinstance(evidence, str):
            raise GoldError(f"{path}: {where} 'evidence' must be a string")
        relations.append(GoldRelation(s, p, o, _optional(path, raw, where), evidence, path.name))
    return entities, relations


def _check_text(path: Path, data: object) -> None:
    """Every string of the file is Unicode text: a lone surrogate ("\\ud800") cannot be printed."""
    todo: list[object] = [data]
    while todo:  # not recursive: the JSON may be as deep as the parser allows
        item = todo.pop()
        if isinstance(item, dict):
            todo.extend(item.keys())
            todo.extend(item.values())
        elif isinstance(item, list):
            todo.extend(item)
        elif isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as exc:
                bad = item[exc.start]
                problem = f"expected Unicode text, found a lone surrogate ({bad!r}) in {item[:40]!r}"
                raise GoldError(f"{path}: {problem}") from None


def _require(path: Path, raw: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
    if key not in raw:
        raise GoldError(f"{path}: {where} has no {key!r}")
    value = raw[key]
    if not isinstance(value, kind):
        raise GoldError(f"{path}: {where} {key!r} must be a {kind.__name__}, got {type(value).__name__}")
    return value


def _optional(path: Path, raw: Mapping[str, Any], where: str) -> bool:
    value = raw.get("optional", False)
    if not isinstance(value, bool):
        raise GoldError(f"{path}: {where} 'optional' must be true or false")
    return value

"""The gazetteer: known actors and places with their aliases, in layers.

Two layers ship with the package, and which of them to load is a setting
(``GazetteerLayers``), never a global:

* the *domain* layer, ``ontology/gazetteer.ttl``: the actors of this field, written by hand;
* the *world* layer, ``kg/data/world.json``: countries and their demonyms,
  international organisations, armed groups, people with dated roles and
  settlements, generated from field data by ``scripts/compile_gazetteer.py``.

*User* layers (``extra``), files a user gives (``kg build --gazetteer FILE``), go
above both: Turtle in the domain layer's format, or CSV with the header
``label,type,aliases`` (``load_user_layer``). A higher layer wins: an entry of a
lower layer whose label is a name of a higher entry of the same kind (same top
class; for places the same class: a city is not its country) is merged into it:
the higher entry keeps its id, label and class and gains the lower one's CAMEO
code, dated roles and demonyms, and, for people and places, its other names (the
dictionaries file several bodies under one organisation, so a merged organisation
brings no names). Any other name a higher
layer holds, or that begins a higher layer's name ("Islamic Resistance" before
"Islamic Resistance in Iraq"), is dropped from the lower entry, and an entry that
loses its label is dropped whole.

``ontology/gazetteer.ttl`` lists one entry per real-world entity: its class, one
canonical ``rdfs:label``, its ``skos:altLabel`` aliases, and two kinds of names
that imply the entity without naming it outright: ``kg:contextualAlias`` (a
common noun such as "coalition") and ``kg:demonym`` ("Iraqi").

Names are matched two ways. Acronyms (``kg.normalize.is_acronym``) match
case-sensitively, dots ignored, so "U.S." is "US" but "us" is nothing. Every
other name matches through ``kg.normalize.name_key``, which folds case, accents
and French/English transliterations ("Hachd al-Chaabi" is "Hashd al-Shaabi").
"""

from __future__ import annotations

import csv
import functools
import gc
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from kg.errors import OntologyError
from kg.normalize import clean_surface, fold, is_acronym, name_key, slug
from kg.vocab import CLASS_TOP, ENTITY, KG, ontology_dir

_KG_NS = str(KG._NS)
_PROPERTIES = {
    RDF.type: "rdf:type",
    RDFS.label: "rdfs:label",
    SKOS.altLabel: "skos:altLabel",
    KG.contextualAlias: "kg:contextualAlias",
    KG.demonym: "kg:demonym",
}


WORLD_FILE = Path(__file__).resolve().parent / "data" / "world.json"
DOMAIN = "domain"
WORLD = "world"
USER = "user"
CSV_HEADER = ("label", "type", "aliases")
# Everyday words a user may write in a CSV's type column for a class of the ontology.
CLASS_SYNONYMS = {"city": "Settlement", "town": "Settlement", "village": "Settlement", "organisation": "Organization"}


@dataclass(frozen=True, slots=True)
class Role:
    """A CAMEO code a source gives an entity, with the dates it held it (ISO; None when open).

    What a person held then ("IRQGOV" from 2006-05-20 to 2014-09-08), never a present-day fact.
    """

    code: str
    start: str | None = None
    end: str | None = None


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One known entity: canonical label, class and the names that point at it.

    ``cameo`` is the CAMEO code of a country or organisation; ``roles`` the dated
    codes of a person (or of a state that changed); ``layer`` the layer it comes from.
    """

    id: str
    label: str
    cls: str
    aliases: tuple[str, ...] = ()
    contextual: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    cameo: str | None = None
    roles: tuple[Role, ...] = ()
    layer: str = DOMAIN

    @property
    def top(self) -> str:
        """The contract's top class of the entry: ``Person``, ``Organization`` or ``Place``."""
        return CLASS_TOP[self.cls]

    @property
    def names(self) -> tuple[str, ...]:
        """The label followed by the aliases: every name that denotes the entry on its own."""
        return (self.label, *self.aliases)


def _acronym_key(text: str) -> str:
    return text.replace(".", "")


def name_index_key(name: str) -> str:
    """Index key of a label or alias: acronyms kept as written (dots dropped), else name_key."""
    name = clean_surface(name)
    if is_acronym(name):
        return "A:" + _acronym_key(name)
    return "N:" + name_key(name)


def word_index_key(word: str) -> str:
    """Index key of a demonym or contextual alias: acronyms as written, else folded."""
    word = clean_surface(word)
    if is_acronym(word):
        return "A:" + _acronym_key(word)
    return "N:" + " ".join(fold(word).split())


_ANSWERS_KEPT = 1 << 17  # look-ups remembered by a gazetteer (some MB), forgotten all at once past it


class Gazetteer:
    """The loaded gazetteer: entries by id and indexes from names to entries.

    Built by ``load_gazetteer`` or ``load_layers``; tests may build one from
    entries directly, in which case the fingerprint is a digest of the entries.
    ``layers`` names the layers it was built from, highest first.

    Raises:
        OntologyError: a name, demonym or contextual alias belongs to two entries.
    """

    def __init__(
        self,
        entries: Mapping[str, GazetteerEntry],
        fingerprint: str | None = None,
        path: Path | None = None,
        layers: tuple[str, ...] = (DOMAIN,),
        _name_keys: Mapping[str, str] | None = None,
    ) -> None:
        self.entries: Mapping[str, GazetteerEntry] = MappingProxyType(dict(sorted(entries.items())))
        self.fingerprint = fingerprint or hashlib.sha256(repr(tuple(self.entries.values())).encode()).hexdigest()
        self.path = path
        self.layers = layers
        keys = _name_keys or {}
        self._names = _index(
            path, self.entries.values(), lambda e: e.names, lambda n: keys.get(n) or name_index_key(n), "alias"
        )
        self._demonyms = _index(path, self.entries.values(), lambda e: e.demonyms, word_index_key, "demonym")
        self._contextual = _index(
            path, self.entries.values(), lambda e: e.contextual, word_index_key, "contextual alias"
        )
        # Answers by (kind, word as written): every article asks again about the same names.
        self._answers: dict[tuple[str, str], GazetteerEntry | None] = {}

    def get(self, id: str) -> GazetteerEntry | None:
        """The entry with this id (slug), if any."""
        return self.entries.get(id)

    def lookup(self, name: str) -> GazetteerEntry | None:
        """The entry a name denotes: an exact acronym first, else by ``name_key``.

        Contextual aliases and demonyms are not names; see ``contextual`` and ``demonym``.
        """
        return self._answer("name", name, self._lookup)

    def _answer(self, kind: str, text: str, find: Callable[[str], GazetteerEntry | None]) -> GazetteerEntry | None:
        key = (kind, text)
        if key not in self._answers:
            if len(self._answers) >= _ANSWERS_KEPT:
                self._answers.clear()
            self._answers[key] = find(text)
        return self._answers[key]

    def _lookup(self, name: str) -> GazetteerEntry | None:
        name = clean_surface(name)
        if not name:
            return None
        if is_acronym(name):
            found = self._names.get("A:" + _acronym_key(name))
            if found is not None:
                return self.entries[found]
            if len(_acronym_key(name)) <= 3:
                return None  # "US" is no spelling of the town of Oss: short capitals are acronyms or nothing
        # Capitals that are not a listed acronym ("ERBIL" in a dateline) match as a name.
        found = self._names.get("N:" + name_key(name))
        return self.entries[found] if found is not None else None

    def demonym(self, word: str) -> GazetteerEntry | None:
        """The entry an adjective implies ("Iraqi" -> Iraq); acronyms ("U.S.") are case-sensitive."""
        return self._answer("demonym", word, lambda w: self._find_word(self._demonyms, w))

    def contextual(self, word: str) -> GazetteerEntry | None:
        """The entry a common noun names when definite ("the coalition"), case-insensitive."""
        return self._answer("contextual", word, lambda w: self._find_word(self._contextual, w))

    def _find_word(self, index: Mapping[str, str], word: str) -> GazetteerEntry | None:
        word = clean_surface(word)
        if not word:
            return None
        found = index.get(word_index_key(word))
        if found is None and is_acronym(word):
            # Capitals that are not a listed acronym ("IRAQI" in a headline) fold like words.
            found = index.get("N:" + fold(word))
        return self.entries[found] if found is not None else None

    def acronyms(self) -> frozenset[str]:
        """Every all-capital label or alias, dots removed ("US", "PMF", "ISIS")."""
        return frozenset(key[2:] for key in self._names if key.startswith("A:"))

    def __iter__(self) -> Iterator[GazetteerEntry]:
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, id: object) -> bool:
        return id in self.entries

    def __repr__(self) -> str:
        where = str(self.path) if self.path else "in memory"
        return f"Gazetteer({where!r}, {len(self)} entries, layers {'+'.join(self.layers)})"


class _NameClash(OntologyError):
    """A name, demonym or contextual alias claimed by two entries (the loaders add the lines)."""

    def __init__(self, path: Path | None, what: str, name: str, entry: str, owner: str, owner_name: str) -> None:
        self.what, self.name, self.entry, self.owner, self.owner_name = what, name, entry, owner, owner_name
        super().__init__(
            f"{path or '<gazetteer>'}: {what} {name!r} of {entry} is also claimed by {owner} (as {owner_name!r})"
        )


def _index(
    path: Path | None,
    entries: Iterable[GazetteerEntry],
    names_of: Callable[[GazetteerEntry], Iterable[str]],
    key_of: Callable[[str], str],
    what: str,
) -> dict[str, str]:
    """Map every key to its entry id, refusing a key claimed by two entries."""
    index: dict[str, str] = {}
    claimed_by: dict[str, str] = {}
    for entry in entries:
        for name in names_of(entry):
            key = key_of(name)
            if key in ("A:", "N:"):
                raise OntologyError(f"{path or '<gazetteer>'}: {what} {name!r} of {entry.id} is empty once normalised")
            owner = index.setdefault(key, entry.id)
            if owner != entry.id:
                raise _NameClash(path, what, name, entry.id, owner, claimed_by[key])
            claimed_by.setdefault(key, name)
    return index


@dataclass(frozen=True)
class GazetteerLayers:
    """Which gazetteer layers to load, highest first: ``extra`` files, the domain layer, the world layer.

    ``domain_file`` and ``world_file`` replace the shipped files; ``extra`` lists
    user files (Turtle in the domain format, or CSV; see ``load_user_layer``), the first the highest.
    """

    domain: bool = True
    world: bool = True
    domain_file: Path | None = None
    world_file: Path | None = None
    extra: tuple[Path, ...] = field(default_factory=tuple)


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """The shipped layers (domain and world), or the one Turtle file at ``path`` alone.

    Loads are cached by path and content, so repeated calls are cheap and an
    edited file is read again.

    Raises:
        OntologyError: a file is missing, is not Turtle (or the world layer's JSON), or
            an entry is malformed (not one label, not one known class, an alias shared
            with another entry).
    """
    if path is None:
        return load_layers(GazetteerLayers())
    return _load_turtle(Path(path))


def load_layers(layers: GazetteerLayers) -> Gazetteer:
    """The gazetteer made of the layers ``layers`` switches on; see the module's doc for who wins.

    Raises:
        OntologyError: as ``load_gazetteer``; also when no layer is switched on.
    """
    with _uncollected():
        return _load_layers(layers)


@contextmanager
def _uncollected() -> Iterator[None]:
    """No cycle collection meanwhile: loading the world layer makes millions of objects, none of them
    garbage in a cycle, which the collector would walk again and again (1.0 s -> 0.65 s, shipped layers)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load_layers(layers: GazetteerLayers) -> Gazetteer:
    parts: list[tuple[str, _Layer]] = [(USER, _Layer.of(load_user_layer(Path(p)))) for p in layers.extra]
    if layers.domain:
        domain = _load_turtle(Path(layers.domain_file) if layers.domain_file else _domain_file())
        parts.append((DOMAIN, _Layer.of(domain)))
    if layers.world:
        parts.append((WORLD, _load_world(Path(layers.world_file) if layers.world_file else WORLD_FILE)))
    if not parts:
        raise OntologyError("<gazetteer>: no gazetteer layer is switched on")
    if len(parts) == 1 and parts[0][0] == DOMAIN:
        return domain
    return _combine(tuple(parts))


@dataclass(frozen=True, eq=False)
class _Layer:
    """A layer's entries before they are indexed together: the world layer is indexed once, with the others."""

    entries: tuple[GazetteerEntry, ...]
    fingerprint: str
    path: Path | None
    keys: Mapping[str, str]  # name -> name_index_key, where already known

    @staticmethod
    @functools.lru_cache(maxsize=8)
    def of(gazetteer: Gazetteer) -> _Layer:
        return _Layer(tuple(gazetteer), gazetteer.fingerprint, gazetteer.path, {})


def _domain_file() -> Path:
    return ontology_dir() / "gazetteer.ttl"


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise OntologyError(f"{path}: gazetteer file not found") from None
    except OSError as exc:
        raise OntologyError(f"{path}: cannot read gazetteer: {exc.strerror or exc}") from exc


def _load_turtle(path: Path) -> Gazetteer:
    return _load_bytes(path, _read(path))


def _load_world(path: Path) -> _Layer:
    return _load_world_bytes(path, _read(path))


@functools.lru_cache(maxsize=4)
def _load_world_bytes(path: Path, data: bytes) -> _Layer:
    """The world layer's JSON (``scripts/compile_gazetteer.py`` writes it): entries already free of shared names.

    Each entry carries the index keys of its label and aliases (``keys``), computed
    by the script with ``name_index_key``: keying 150,000 names takes seconds. A
    sample is checked against the current ``name_index_key``; if the normalisation
    changed since the file was written, every key is computed again.
    """
    try:
        records = json.loads(data)["entries"]
        entries = []
        keys: dict[str, str] = {}
        for record in records:
            names = [record["label"], *record.get("aliases", ())]
            if len(names) != len(record["keys"]):
                raise ValueError(f"entry {record['id']!r} has {len(record['keys'])} keys for {len(names)} names")
            keys.update(zip(names, record["keys"], strict=True))
        stale = any(name_index_key(name) != key for name, key in list(keys.items())[:: max(1, len(keys) // 50)])
        if stale:
            keys = {}
        for record in records:
            if record["cls"] not in CLASS_TOP:
                raise ValueError(f"entry {record['id']!r} has unknown class {record['cls']!r}")
            entries.append(
                GazetteerEntry(
                    id=record["id"],
                    label=record["label"],
                    cls=record["cls"],
                    aliases=tuple(record.get("aliases", ())),
                    demonyms=tuple(record.get("demonyms", ())),
                    cameo=record.get("cameo"),
                    roles=tuple(Role(*role) for role in record.get("roles", ())),
                    layer=WORLD,
                )
            )
    except (ValueError, KeyError, TypeError) as exc:
        raise OntologyError(f"{path}: not a world gazetteer file: {exc}") from exc
    return _Layer(tuple(entries), hashlib.sha256(data).hexdigest(), path, keys)


@functools.lru_cache(maxsize=4)
def _combine(parts: tuple[tuple[str, _Layer], ...]) -> Gazetteer:
    """One gazetteer from layers, highest first (cached: the layers themselves are cached by content)."""
    keys: dict[str, str] = {}
    for _, part in parts:
        keys.update(part.keys)

    def key(name: str) -> str:
        found = keys.get(name)
        if found is None:
            found = keys[name] = name_index_key(name)
        return found

    merged: dict[str, GazetteerEntry] = {}
    owner: dict[str, str] = {}  # name key -> id
    word_owner: dict[str, str] = {}  # demonym or contextual alias key -> id
    beginnings: set[str] = set()  # word prefixes of the names of the layers above
    for layer, part in parts:
        beginnings.update(_beginnings(owner))
        for entry in part.entries:
            if layer == USER:
                entry = replace(entry, layer=layer)
            names = entry.names
            label_owner = owner.get(key(entry.label))
            target = merged.get(label_owner) if label_owner else None
            if target is not None and not _same_kind(target, entry):
                continue  # "Tehran" the city under "Iran" the state's alias: the higher layer keeps the name
            if target is None and (label_owner is not None or entry.id in merged):
                continue
            base_id = target.id if target else entry.id
            base_label = target.label if target else entry.label
            # A merged organisation brings its code, not its names: the dictionaries file
            # several bodies under one ("Central Command" under the US military).
            names = entry.names if target is None or entry.top != "Organization" else ()
            # An alias that begins a name above ("Islamic Resistance" of "Islamic Resistance in Iraq")
            # is that name cut short more often than the lower entry.
            aliases = [
                n
                for n in names
                if owner.get(key(n), base_id) == base_id and n != base_label and key(n) not in beginnings
            ]
            demonyms = [d for d in entry.demonyms if word_owner.get(word_index_key(d), base_id) == base_id]
            contextual = [c for c in entry.contextual if word_owner.get(word_index_key(c), base_id) == base_id]
            if target is None and len(aliases) + 1 == len(entry.names) and (demonyms, contextual) == (
                list(entry.demonyms),
                list(entry.contextual),
            ):
                combined = entry  # nothing shared: most of the world layer
            else:
                base = target or replace(entry, aliases=(), demonyms=(), contextual=())
                combined = replace(
                    base,
                    aliases=tuple(sorted({*base.aliases, *aliases})),
                    demonyms=tuple(sorted({*base.demonyms, *demonyms})),
                    contextual=tuple(sorted({*base.contextual, *contextual})),
                    cameo=base.cameo or entry.cameo,
                    roles=tuple(sorted({*base.roles, *entry.roles}, key=_role_order)),
                )
            merged[base_id] = combined
            for name in combined.names:
                owner.setdefault(key(name), base_id)
            for word in (*combined.demonyms, *combined.contextual):
                word_owner.setdefault(word_index_key(word), base_id)
    fingerprint = hashlib.sha256("|".join(f"{layer}:{g.fingerprint}" for layer, g in parts).encode()).hexdigest()
    return Gazetteer(merged, fingerprint, parts[0][1].path, tuple(layer for layer, _ in parts), keys)


def _same_kind(higher: GazetteerEntry, lower: GazetteerEntry) -> bool:
    """One entity in two layers: the same top class, and for places the same class (a city is not its country).

    Bodies differ in how sources type them (a militia is an armed group here, a military force there).
    """
    if higher.top != lower.top:
        return False
    return higher.top != "Place" or higher.cls == lower.cls or "Place" in (higher.cls, lower.cls)


def _beginnings(owner: Mapping[str, str]) -> set[str]:
    """The name keys that are the first words of a longer name key ("N:islamic resistance")."""
    found: set[str] = set()
    for name in owner:
        words = name[2:].split()
        found.update(name[:2] + " ".join(words[:i]) for i in range(1, len(words)))
    return found


def _role_order(role: Role) -> tuple[str, str, str]:
    return (role.code, role.start or "", role.end or "")


@functools.lru_cache(maxsize=8)
def _load_bytes(path: Path, data: bytes) -> Gazetteer:
    """A Turtle gazetteer file (the domain layer's format); errors name the line of the entry at fault."""
    text = _decode(path, data)
    graph = Graph()
    try:
        graph.parse(data=text, format="turtle", publicID=str(ENTITY))
    except BadSyntax as exc:
        raise OntologyError(f"{path}: Turtle syntax error: line {exc.lines + 1}: {exc._why}") from exc
    # rdflib raises other types too (ValueError for a bad literal) depending on the fault.
    except Exception as exc:
        raise OntologyError(f"{path}: Turtle syntax error: {exc}") from exc
    lines = _subject_lines(text)

    def at(entry_id: str) -> str:
        return f"{path}:{lines[entry_id]}" if entry_id in lines else str(path)

    entries = {}
    for subject in sorted(set(graph.subjects()), key=str):
        try:
            entry = _entry(graph, subject)
        except _EntryError as exc:
            raise OntologyError(f"{at(exc.entry_id)}: {exc.problem}") from None
        entries[entry.id] = entry
    try:
        return Gazetteer(entries, hashlib.sha256(data).hexdigest(), path)
    except _NameClash as exc:
        where = f" on line {lines[exc.owner]}" if exc.owner in lines else ""
        raise OntologyError(
            f"{at(exc.entry)}: {exc.what} {exc.name!r} of {exc.entry} is also claimed by {exc.owner} "
            f"(as {exc.owner_name!r}){where}"
        ) from None


_SUBJECT = re.compile(r"(?:kge:|<" + re.escape(str(ENTITY)) + r")([A-Za-z0-9_.-]*[A-Za-z0-9_-])")


def _subject_lines(text: str) -> dict[str, int]:
    """The line where each entity IRI first appears: where its entry starts, in a gazetteer file."""
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.lstrip().startswith("#"):
            for match in _SUBJECT.finditer(line):
                lines.setdefault(match.group(1), number)
    return lines


def _decode(path: Path, data: bytes) -> str:
    """A gazetteer file's text: UTF-8 (a byte-order mark allowed), else an error naming the line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise OntologyError(
            f"{path}:{line}: not UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        ) from None


class _EntryError(Exception):
    """A malformed entry of a Turtle gazetteer: the loader adds the file and line."""

    def __init__(self, entry_id: str, problem: str) -> None:
        super().__init__(problem)
        self.entry_id, self.problem = entry_id, problem


def load_user_layer(path: Path) -> Gazetteer:
    """A user's gazetteer file: CSV when its name ends in ``.csv``, else Turtle in the domain layer's format.

    A CSV has the header ``label,type,aliases`` (``aliases`` may be left out); each
    row is one entity: its canonical label, its class (a class of ``ontology/kg.ttl``
    such as ``Person``, ``ArmedGroup``, ``Country``, ``Settlement``; ``City``, ``Town``
    and ``Village`` are read as ``Settlement``) and its other names, separated by
    ``|`` or ``;``. Blank lines and lines starting with ``#`` are skipped. The
    entity's id is the slug of its label, as in the domain layer.

    Raises:
        OntologyError: the file is missing, unreadable or not UTF-8, or a line is
            malformed (bad header, no label, unknown type, an entity or a name given
            twice); the message names the file and line.
    """
    if path.suffix.lower() == ".csv":
        return _load_csv(path, _read(path))
    return _load_turtle(path)


@functools.lru_cache(maxsize=8)
def _load_csv(path: Path, data: bytes) -> Gazetteer:
    text = _decode(path, data)
    entries: dict[str, GazetteerEntry] = {}
    line_of: dict[str, int] = {}  # entry id -> line
    name_owner: dict[str, tuple[str, str]] = {}  # name key -> (entry id, name)
    header: tuple[str, ...] | None = None
    reader = csv.reader(io.StringIO(text, newline=""), skipinitialspace=True, strict=True)
    line = 1
    try:
        for row in reader:
            here, line = line, reader.line_num + 1
            cells = [cell.strip() for cell in row]
            if not any(cells) or cells[0].startswith("#"):
                continue
            if header is None:
                header = tuple(cell.casefold() for cell in cells)
                if header not in (CSV_HEADER, CSV_HEADER[:2]):
                    raise OntologyError(
                        f"{path}:{here}: expected the header {','.join(CSV_HEADER)}, found {','.join(cells)!r}"
                    )
                continue
            entry = _csv_entry(f"{path}:{here}", cells, len(header))
            if entry.id in entries:
                raise OntologyError(
                    f"{path}:{here}: {entry.label!r} is already the entity of line {line_of[entry.id]} "
                    f"(kge:{entry.id}); give each entity one line, its other names in the aliases column"
                )
            for name in entry.names:
                owner = name_owner.setdefault(name_index_key(name), (entry.id, name))
                if owner[0] != entry.id:
                    raise OntologyError(
                        f"{path}:{here}: the name {name!r} of {entry.label!r} is also a name of "
                        f"{entries[owner[0]].label!r} on line {line_of[owner[0]]} (as {owner[1]!r})"
                    )
            entries[entry.id] = entry
            line_of[entry.id] = here
    except csv.Error as exc:
        raise OntologyError(f"{path}:{line}: not CSV: {exc}") from None
    if header is None:
        raise OntologyError(f"{path}: expected the header {','.join(CSV_HEADER)}, found an empty file")
    return Gazetteer(entries, hashlib.sha256(data).hexdigest(), path, (USER,))


def _csv_entry(where: str, cells: list[str], width: int) -> GazetteerEntry:
    """One CSV row as an entry; ``where`` is FILE:LINE for errors."""
    if len(cells) > width:
        raise OntologyError(
            f"{where}: {len(cells)} fields, expected at most {width} ({','.join(CSV_HEADER[:width])}); "
            "separate aliases with | or ;, or quote a field that holds a comma"
        )
    label, kind, aliases = (*cells, "", "")[:3]
    if not label:
        raise OntologyError(f"{where}: no label (the first field)")
    if not kind:
        raise OntologyError(f"{where}: {label!r} has no type (the second field): one of {', '.join(CLASS_TOP)}")
    cls = class_name(kind)
    if cls is None:
        raise OntologyError(f"{where}: {label!r} has unknown type {kind!r}; expected one of {', '.join(CLASS_TOP)}")
    names = [label, *(a.strip() for a in re.split(r"[|;]", aliases))]
    for name in names:
        if not name.isprintable():
            raise OntologyError(f"{where}: the name {name!r} holds a control or format character")
        if name and name_index_key(name) in ("A:", "N:"):
            raise OntologyError(f"{where}: the name {name!r} is empty once normalised")
    others = tuple(dict.fromkeys(a for a in names[1:] if a and a != label))
    return GazetteerEntry(id=slug(label), label=label, cls=cls, aliases=others, layer=USER)


def class_name(kind: str) -> str | None:
    """The ontology class a CSV type names ("ArmedGroup", "armed group", "kg:Country", "City"), or None."""
    key = re.sub(r"[\s_-]", "", kind.removeprefix("kg:")).casefold()
    by_key = {name.casefold(): name for name in CLASS_TOP}
    return by_key.get(key) or CLASS_SYNONYMS.get(key)


def _entry(graph: Graph, subject: Node) -> GazetteerEntry:
    """Read and check the entry whose subject is ``subject``."""
    if not isinstance(subject, URIRef) or not str(subject).startswith(str(ENTITY)):
        raise _EntryError(str(subject)[len(str(ENTITY)):], f"subject {subject} is not an entity IRI under {ENTITY}")
    entry_id = str(subject)[len(str(ENTITY)) :]
    for prop in set(graph.predicates(subject)):
        if prop not in _PROPERTIES:
            shown = prop.n3(graph.namespace_manager) if isinstance(prop, URIRef) else str(prop)
            raise _EntryError(entry_id, f"{entry_id} uses unknown property {shown}")

    labels = sorted(_literals(graph, subject, RDFS.label, entry_id))
    if len(labels) != 1:
        found = ", ".join(repr(label) for label in labels) or "none"
        raise _EntryError(entry_id, f"{entry_id} must have exactly one rdfs:label, has {len(labels)} ({found})")
    label = labels[0]
    if slug(label) != entry_id:
        raise _EntryError(entry_id, f"{entry_id} should be named kge:{slug(label)} after its label {label!r}")

    types = sorted(graph.objects(subject, RDF.type), key=str)
    if len(types) != 1:
        found = ", ".join(str(t) for t in types) or "none"
        raise _EntryError(entry_id, f"{entry_id} must have exactly one rdf:type, has {len(types)} ({found})")
    type_iri = str(types[0])
    cls = type_iri[len(_KG_NS) :] if type_iri.startswith(_KG_NS) else ""
    if cls not in CLASS_TOP:
        raise _EntryError(
            entry_id, f"{entry_id} has unknown class {type_iri}; expected kg: one of {', '.join(CLASS_TOP)}"
        )

    aliases = _literals(graph, subject, SKOS.altLabel, entry_id) - {label}
    return GazetteerEntry(
        id=entry_id,
        label=label,
        cls=cls,
        aliases=tuple(sorted(aliases)),
        contextual=tuple(sorted(_literals(graph, subject, KG.contextualAlias, entry_id))),
        demonyms=tuple(sorted(_literals(graph, subject, KG.demonym, entry_id))),
    )


def _literals(graph: Graph, subject: URIRef, prop: URIRef, entry_id: str) -> set[str]:
    """The string values of ``prop``, refusing IRIs and blank strings."""
    values: set[str] = set()
    for obj in graph.objects(subject, prop):
        if not isinstance(obj, Literal) or not str(obj).strip():
            raise _EntryError(entry_id, f"{entry_id} has a {_PROPERTIES[prop]} that is not a non-empty string: {obj}")
        values.add(str(obj))
    return values

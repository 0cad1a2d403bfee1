"""The domain gazetteer: known actors and places with their aliases, read from Turtle.

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

import functools
import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
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


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One known entity: canonical label, class and the names that point at it."""

    id: str
    label: str
    cls: str
    aliases: tuple[str, ...] = ()
    contextual: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()

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


def _name_index_key(name: str) -> str:
    """Index key of a label or alias: acronyms kept as written (dots dropped), else name_key."""
    name = clean_surface(name)
    if is_acronym(name):
        return "A:" + _acronym_key(name)
    return "N:" + name_key(name)


def _word_key(word: str) -> str:
    """Index key of a demonym or contextual alias: acronyms as written, else folded."""
    word = clean_surface(word)
    if is_acronym(word):
        return "A:" + _acronym_key(word)
    return "N:" + " ".join(fold(word).split())


class Gazetteer:
    """The loaded gazetteer: entries by id and indexes from names to entries.

    Built by ``load_gazetteer``; tests may build one from entries directly, in
    which case the fingerprint is a digest of the entries.

    Raises:
        OntologyError: a name, demonym or contextual alias belongs to two entries.
    """

    def __init__(
        self,
        entries: Mapping[str, GazetteerEntry],
        fingerprint: str | None = None,
        path: Path | None = None,
    ) -> None:
        self.entries: Mapping[str, GazetteerEntry] = MappingProxyType(dict(sorted(entries.items())))
        self.fingerprint = fingerprint or hashlib.sha256(repr(tuple(self.entries.values())).encode()).hexdigest()
        self.path = path
        self._names = _index(path, self.entries.values(), lambda e: e.names, _name_index_key, "alias")
        self._demonyms = _index(path, self.entries.values(), lambda e: e.demonyms, _word_key, "demonym")
        self._contextual = _index(path, self.entries.values(), lambda e: e.contextual, _word_key, "contextual alias")

    def get(self, id: str) -> GazetteerEntry | None:
        """The entry with this id (slug), if any."""
        return self.entries.get(id)

    def lookup(self, name: str) -> GazetteerEntry | None:
        """The entry a name denotes: an exact acronym first, else by ``name_key``.

        Contextual aliases and demonyms are not names; see ``contextual`` and ``demonym``.
        """
        name = clean_surface(name)
        if not name:
            return None
        if is_acronym(name):
            found = self._names.get("A:" + _acronym_key(name))
            if found is not None:
                return self.entries[found]
        # Capitals that are not a listed acronym ("ERBIL" in a dateline) match as a name.
        found = self._names.get("N:" + name_key(name))
        return self.entries[found] if found is not None else None

    def demonym(self, word: str) -> GazetteerEntry | None:
        """The entry an adjective implies ("Iraqi" -> Iraq); acronyms ("U.S.") are case-sensitive."""
        return self._find_word(self._demonyms, word)

    def contextual(self, word: str) -> GazetteerEntry | None:
        """The entry a common noun names when definite ("the coalition"), case-insensitive."""
        return self._find_word(self._contextual, word)

    def _find_word(self, index: Mapping[str, str], word: str) -> GazetteerEntry | None:
        word = clean_surface(word)
        if not word:
            return None
        found = index.get(_word_key(word))
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
        return f"Gazetteer({where!r}, {len(self)} entries)"


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
                raise OntologyError(
                    f"{path or '<gazetteer>'}: {what} {name!r} of {entry.id} is also claimed by {owner} "
                    f"(as {claimed_by[key]!r})"
                )
            claimed_by.setdefault(key, name)
    return index


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """Load and check a gazetteer file; the default is the one shipped in ``ontology/``.

    Loads are cached by path and content, so repeated calls are cheap and an
    edited file is read again.

    Raises:
        OntologyError: the file is missing, is not Turtle, or an entry is malformed
            (not one label, not one known class, an alias shared with another entry).
    """
    path = Path(path) if path is not None else ontology_dir() / "gazetteer.ttl"
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise OntologyError(f"{path}: gazetteer file not found") from None
    except OSError as exc:
        raise OntologyError(f"{path}: cannot read gazetteer: {exc.strerror or exc}") from exc
    return _load_bytes(path, data)


@functools.lru_cache(maxsize=8)
def _load_bytes(path: Path, data: bytes) -> Gazetteer:
    graph = Graph()
    try:
        graph.parse(data=data, format="turtle", publicID=str(ENTITY))
    # rdflib raises BadSyntax, ValueError or UnicodeDecodeError depending on the fault.
    except Exception as exc:
        raise OntologyError(f"{path}: Turtle syntax error: {exc}") from exc
    entries = (_entry(path, graph, subject) for subject in sorted(set(graph.subjects()), key=str))
    return Gazetteer({entry.id: entry for entry in entries}, hashlib.sha256(data).hexdigest(), path)


def _entry(path: Path, graph: Graph, subject: Node) -> GazetteerEntry:
    """Read and check the entry whose subject is ``subject``."""
    if not isinstance(subject, URIRef) or not str(subject).startswith(str(ENTITY)):
        raise OntologyError(f"{path}: subject {subject} is not an entity IRI under {ENTITY}")
    entry_id = str(subject)[len(str(ENTITY)) :]
    for prop in set(graph.predicates(subject)):
        if prop not in _PROPERTIES:
            shown = prop.n3(graph.namespace_manager) if isinstance(prop, URIRef) else str(prop)
            raise OntologyError(f"{path}: {entry_id} uses unknown property {shown}")

    labels = sorted(_literals(path, graph, subject, RDFS.label, entry_id))
    if len(labels) != 1:
        found = ", ".join(repr(label) for label in labels) or "none"
        raise OntologyError(f"{path}: {entry_id} must have exactly one rdfs:label, has {len(labels)} ({found})")
    label = labels[0]
    if slug(label) != entry_id:
        raise OntologyError(f"{path}: {entry_id} should be named kge:{slug(label)} after its label {label!r}")

    types = sorted(graph.objects(subject, RDF.type), key=str)
    if len(types) != 1:
        found = ", ".join(str(t) for t in types) or "none"
        raise OntologyError(f"{path}: {entry_id} must have exactly one rdf:type, has {len(types)} ({found})")
    type_iri = str(types[0])
    cls = type_iri[len(_KG_NS) :] if type_iri.startswith(_KG_NS) else ""
    if cls not in CLASS_TOP:
        raise OntologyError(
            f"{path}: {entry_id} has unknown class {type_iri}; expected kg: one of {', '.join(CLASS_TOP)}"
        )

    aliases = _literals(path, graph, subject, SKOS.altLabel, entry_id) - {label}
    return GazetteerEntry(
        id=entry_id,
        label=label,
        cls=cls,
        aliases=tuple(sorted(aliases)),
        contextual=tuple(sorted(_literals(path, graph, subject, KG.contextualAlias, entry_id))),
        demonyms=tuple(sorted(_literals(path, graph, subject, KG.demonym, entry_id))),
    )


def _literals(path: Path, graph: Graph, subject: URIRef, prop: URIRef, entry_id: str) -> set[str]:
    """The string values of ``prop``, refusing IRIs and blank strings."""
    values: set[str] = set()
    for obj in graph.objects(subject, prop):
        if not isinstance(obj, Literal) or not str(obj).strip():
            raise OntologyError(
                f"{path}: {entry_id} has a {_PROPERTIES[prop]} that is not a non-empty string: {obj}"
            )
        values.add(str(obj))
    return values

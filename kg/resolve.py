"""Mentions -> canonical entities: one node per real-world actor across all articles.

Resolution refuses to guess. Within an article, acronyms join the long form the
text defined, and a partial person name ("Ms. Nuland", "Sudani", "bin Salman",
"Sheikh Abdullah") joins the one full name of the same article it can be part
of; with two candidates ("Barzani" in an article naming Masoud and Nechirvan
Barzani) it stays a mention of its own. Across articles, clusters join on their
gazetteer entry, else on the transliteration key of their fullest name, so
"Mohamed Chia al-Soudani" and "Mohammed Shia al-Sudani" are one entity even
without a gazetteer entry; a lone surname never joins across articles, and a
name made only of generic words ("the Interior Ministry") names an actor of its
article only. A national army or a named government ("Israeli military",
"Syrian Transitional Administration") is its state; a group's singular, plural
and adjective ("Houthi", "Houthis") are the group; a capital that the text makes
stand for its state points at the state without becoming one of its names.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence

from kg.gazetteer import WORLD, Gazetteer, GazetteerEntry
from kg.model import Entity, Extraction, Mention, Ref, Resolution
from kg.normalize import (
    GIVEN_NAME_HONORIFICS,
    RANK_WORDS,
    clean_surface,
    fold,
    is_acronym,
    is_generic_name,
    name_key,
    slug,
    strip_titles,
)
from kg.vocab import CLASS_TOP, TOP_CLASSES

MentionKey = tuple[str, int, int]

# What a state's own forces and governments are called after its name or demonym: "Israeli military",
# "Syrian Transitional Administration". Not "forces" alone: "Lebanese Forces" is a party.
STATE_HEADS = frozenset(
    {"army", "military", "armed forces", "defense forces", "defence forces", "government", "administration", "regime"}
)
STATE_MODIFIERS = frozenset({"transitional", "interim", "caretaker", "provisional", "federal", "central", "new"})
# Layers file a national army or government under its own entry: those entries give way to the rule above.
STATE_BODY_CLASSES = frozenset({"MilitaryForce", "GovernmentBody", "Organization"})
# Names built on a father's name are said by the given name: "Abdullah bin Zayed" is "Abdullah".
PATRONYMIC = frozenset({"bin", "ibn", "bint", "ben"})

# A corpus repeats a few hundred names across tens of thousands of mentions, and
# normalising a string is pure: each distinct string is normalised once.
_name_key = functools.lru_cache(maxsize=1 << 16)(name_key)
_clean_surface = functools.lru_cache(maxsize=1 << 16)(clean_surface)


@functools.lru_cache(maxsize=1 << 16)
def _bare_name(text: str) -> str:
    """A person's name without titles, honorifics and ranks: "Sayyed Ali Khamenei" is "Ali Khamenei"."""
    words = strip_titles(text).split()
    while len(words) > 1 and fold(words[0]).rstrip(".") in GIVEN_NAME_HONORIFICS | RANK_WORDS:
        words = words[1:]
    return " ".join(words)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[MentionKey, MentionKey] = {}

    def add(self, item: MentionKey) -> None:
        self.parent.setdefault(item, item)

    def find(self, item: MentionKey) -> MentionKey:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: MentionKey, b: MentionKey) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The earlier mention stays the root so results do not depend on call order.
            self.parent[max(ra, rb)] = min(ra, rb)


def _key(m: Mention) -> MentionKey:
    return (m.article_id, m.start, m.end)


def _person_words(m: Mention) -> tuple[str, ...]:
    """Key words of a person's name; "al-Sudani" counts as the one word "al sudani"."""
    return _name_words(m.text)


@functools.lru_cache(maxsize=1 << 16)
def _name_words(text: str) -> tuple[str, ...]:
    return tuple(_surname_words(_name_key(_bare_name(text)).split()))


def _surname_words(words: list[str]) -> list[str]:
    merged: list[str] = []
    for word in words:
        if merged and merged[-1] == "al":
            merged[-1] = f"al {word}"
        else:
            merged.append(word)
    return merged


def resolve(extractions: Iterable[Extraction], gazetteer: Gazetteer) -> Resolution:
    """Cluster every mention of every article into entities."""
    extractions_list = list(extractions)
    mentions: list[Mention] = []
    uf = _UnionFind()
    gaz_of: dict[MentionKey, str] = {}
    # Mentions that point at an entry without naming it: a capital standing for its state.
    metonyms: set[MentionKey] = set()
    # Mentions whose name belongs to another entry (a town named like an outlet): they key no merge.
    unkeyed: set[MentionKey] = set()
    # Keyed by text within this call only: the entries belong to this gazetteer.
    entry_of: dict[tuple[str | None, str, str], tuple[GazetteerEntry | None, bool, bool]] = {}
    for extraction in extractions_list:
        article_mentions = sorted(extraction.mentions, key=lambda m: (m.start, m.end))
        mentions.extend(article_mentions)
        for m in article_mentions:
            mention_key = _key(m)
            uf.add(mention_key)
            if (m.gazetteer_id, m.text, m.label) not in entry_of:
                entry_of[(m.gazetteer_id, m.text, m.label)] = _entry(m, gazetteer)
            entry, metonym, homonym = entry_of[(m.gazetteer_id, m.text, m.label)]
            if entry is not None:
                gaz_of[mention_key] = entry.id
            if metonym:
                metonyms.add(mention_key)
            if metonym or homonym:
                unkeyed.add(mention_key)
        _link_within_article(article_mentions, uf, gaz_of, extraction.article.text)

    _merge_across_articles(_clusters(mentions, uf), uf, gaz_of, unkeyed)
    groups: dict[str, list[Mention]] = defaultdict(list)
    for members in _clusters(mentions, uf).values():
        groups[_global_key(members, gaz_of)].extend(members)
    implied = _add_implied(extractions_list, groups, gazetteer, {_key(m) for m in mentions}) | metonyms

    entities: list[Entity] = []
    mention_entity: dict[MentionKey, str] = {}
    for key in sorted(groups):
        members = sorted(groups[key], key=lambda m: (m.article_id, m.start))
        entity = _make_entity(key, members, gazetteer, implied)
        entities.append(entity)
        for m in members:
            mention_entity[_key(m)] = entity.id
    entities.sort(key=lambda e: e.id)
    return Resolution(entities=tuple(entities), mention_entity=mention_entity)


def _entry(m: Mention, gazetteer: Gazetteer) -> tuple[GazetteerEntry | None, bool, bool]:
    """The entry a mention names; whether it only stands for it (a capital for its state); whether its name is taken.

    A mention that extraction typed a settlement from context ("fighting in X")
    does not name an outlet or group called X: it names no entry, and its name
    keys no merge with that entry's mentions.
    """
    entry = gazetteer.get(m.gazetteer_id) if m.gazetteer_id else None
    if entry is not None:
        own = gazetteer.lookup(m.text)
        if own is not None and own.id != entry.id and own.top == entry.top == "Place":
            return entry, True, False
    else:
        entry = gazetteer.lookup(m.text) or _titled_person(m.text, gazetteer) or _group_form(m.text, gazetteer)
        if entry is not None and m.label in {"Settlement", "Region"} and entry.top != "Place":
            return None, False, True
    if entry is None or (entry.layer == WORLD and entry.cls in STATE_BODY_CLASSES):
        entry = _state_named(m.text, gazetteer) or entry
    return entry, False, False


def _titled_person(text: str, gazetteer: Gazetteer) -> GazetteerEntry | None:
    """The person a titled name is ("Sheikh Qais", "Ms. Nuland"): a title before a name makes it a person's."""
    bare = _bare_name(text)
    found = gazetteer.lookup(bare) if bare != _clean_surface(text) else None
    return found if found is not None and found.top == "Person" else None


def _group_form(text: str, gazetteer: Gazetteer) -> GazetteerEntry | None:
    """A group named by its adjective or its singular or plural: "Houthi", "Houthis" for the Houthis."""
    text = clean_surface(text)
    found = [gazetteer.demonym(text)]
    if re.fullmatch(r"[\w’'-]+", text):
        found += [gazetteer.lookup(text + "s"), gazetteer.lookup(text[:-1]) if text.endswith("s") else None]
    return next((e for e in found if e is not None and e.top == "Organization"), None)


def _state_named(text: str, gazetteer: Gazetteer) -> GazetteerEntry | None:
    """The country a national army or named government is ("Israeli military", "Iraqi Army"), if the text is one.

    The name is a country's name or demonym, then words a state calls its army or
    government ("Syrian Transitional Administration"); a national army and a named
    government are their state, as "Washington" is the United States.
    """
    words = clean_surface(text).split()
    for cut in range(len(words) - 1, 0, -1):
        owner_text = re.sub(r"['’]s$", "", " ".join(words[:cut]))
        owner = gazetteer.lookup(owner_text) or gazetteer.demonym(owner_text)
        if owner is not None and owner.cls == "Country":
            rest = [fold(w) for w in words[cut:]]
            while rest and rest[0] in STATE_MODIFIERS:
                rest = rest[1:]
            return owner if " ".join(rest) in STATE_HEADS else None
    return None


def _link_within_article(ms: Sequence[Mention], uf: _UnionFind, gaz_of: dict[MentionKey, str], text: str) -> None:
    by_span = {(m.start, m.end): m for m in ms}
    for m in ms:
        if m.alias_of and m.alias_of in by_span:
            uf.union(_key(m), _key(by_span[m.alias_of]))
    # One spelling of a full name, or one entry, is one person in an article.
    first_of: dict[tuple[str, ...] | str, Mention] = {}
    for m in ms:
        words = _person_words(m)
        if m.label == "Person" and len(words) > 1:
            uf.union(_key(m), _key(first_of.setdefault(gaz_of.get(_key(m)) or words, m)))
    full: dict[tuple[str, ...], list[Mention]] = defaultdict(list)
    for m in ms:
        if m.label == "Person" and len(_person_words(m)) > 1:
            full[_person_words(m)].append(m)
    for m in ms:
        words = _person_words(m)
        if not words or _key(m) in gaz_of:
            continue
        said_with = {fold(m.text.split()[0]).rstrip("."), _word_before(text, m.start)}
        honorific = not GIVEN_NAME_HONORIFICS.isdisjoint(said_with)
        candidates = {uf.find(_key(p)) for name, ps in full.items() if _part_of(words, name, honorific) for p in ps}
        # Only the one name it can be part of: "Barzani" between Masoud and Nechirvan Barzani stays apart.
        if len(candidates) == 1:
            uf.union(_key(m), candidates.pop())
    _join_number_forms(ms, uf, gaz_of)


def _part_of(part: tuple[str, ...], name: tuple[str, ...], honorific: bool) -> bool:
    """True if ``part`` is how a text shortens ``name``: its last words, or the given name where custom says so.

    >>> _part_of(("bin", "salman"), ("mohammed", "bin", "salman"), False)
    True
    >>> _part_of(("abdullah",), ("abdullah", "bin", "zayed"), False)
    True
    >>> _part_of(("masoud",), ("masoud", "barzani"), False)
    False
    """
    if len(part) >= len(name):
        return False
    if tuple(w.removeprefix("al ") for w in name[-len(part) :]) == tuple(w.removeprefix("al ") for w in part):
        return True
    given = honorific or not PATRONYMIC.isdisjoint(name)
    return given and len(part) == 1 and name[0] == part[0]


def _word_before(text: str, start: int) -> str:
    """The word before a position, folded and without a final dot ("Sheikh" in "Sheikh Abdullah")."""
    found = re.search(r"(\w+)\.?\s+$", text[max(0, start - 40) : start])
    return fold(found.group(1)) if found else ""


def _join_number_forms(ms: Sequence[Mention], uf: _UnionFind, gaz_of: dict[MentionKey, str]) -> None:
    """The singular and plural of one unknown one-word name in an article are one group: "Zaydi", "Zaydis"."""
    by_key: dict[str, Mention] = {}
    for m in ms:
        key = _name_key(m.text)
        if _key(m) not in gaz_of and key and " " not in key:
            by_key.setdefault(key, m)
    for key, m in by_key.items():
        other = by_key.get(key + "s")
        if other is not None:
            uf.union(_key(m), _key(other))


def _clusters(mentions: list[Mention], uf: _UnionFind) -> dict[MentionKey, list[Mention]]:
    clusters: dict[MentionKey, list[Mention]] = defaultdict(list)
    for m in mentions:
        clusters[uf.find(_key(m))].append(m)
    return clusters


def _merge_across_articles(
    clusters: dict[MentionKey, list[Mention]], uf: _UnionFind, gaz_of: dict[MentionKey, str], unkeyed: set[MentionKey]
) -> None:
    """Clusters of different articles that share a gazetteer entry or a full name are one entity.

    Lone surnames are left out of the keys: "Barzani" in one article and in
    another may be two different Barzanis. So are names of generic words ("the
    Foreign Ministry"), which join only within their article.
    """
    gid_of: dict[MentionKey, str | None] = {}
    owner: dict[str, MentionKey] = {}
    # Most clusters are one mention of a name met in many articles; clusters whose
    # members agree in text, label and entry have the same keys, so those are computed once.
    keys_of: dict[tuple[tuple[str, str, str | None], ...], tuple[str | None, list[str]]] = {}
    for root in sorted(clusters):
        members = clusters[root]
        signature = tuple([(m.text, m.label, gaz_of.get(_key(m))) for m in members])
        if signature not in keys_of:
            key = _global_key(members, gaz_of)
            gid = key[len("gaz:"):] if key.startswith("gaz:") else None
            # A capital standing for its state names the city, not the state: it keys nothing.
            naming = [m for m in members if _key(m) not in unkeyed]
            keys_of[signature] = gid, sorted(_strong_keys(naming, gid))
        gid_of[root], keys = keys_of[signature]
        # A local key is one of this cluster's article (a cluster is still one article's here).
        strong_keys = [f"{key}@{root[0]}" if key.startswith("local:") else key for key in keys]
        # Only this loop merges the cluster, so its set's root is tracked rather than looked up.
        here = root
        for strong in strong_keys:
            other = uf.find(owner.setdefault(strong, root))
            if other == here or (gid_of[other] and gid_of[here] and gid_of[other] != gid_of[here]):
                continue
            merged_gid = gid_of[other] or gid_of[here]
            uf.union(other, here)
            here = uf.find(here)
            gid_of[here] = merged_gid


def _strong_keys(members: list[Mention], gid: str | None) -> set[str]:
    keys = {"gaz:" + gid} if gid else set()
    full_names = {_person_words(m) for m in members if m.label == "Person"}
    for m in members:
        if m.label == "Person":
            words = _person_words(m)
            # A part of a name ("bin Salman") is no key, nor a name that is a part: the other
            # articles' may be another's.
            partial = words[:1] in {(p,) for p in PATRONYMIC} or any(_part_of(words, name, True) for name in full_names)
            if len(words) > 1 and not partial:
                keys.add("name:" + " ".join(words))
        elif is_acronym(m.text):
            keys.add("acronym:" + m.text.replace(".", ""))
        elif is_generic_name(m.text):
            keys.add("local:" + _name_key(m.text))  # "the Foreign Ministry" of one article is not another's
        else:
            keys.add("name:" + _name_key(m.text))
    return keys


def _global_key(members: list[Mention], gaz_of: dict[MentionKey, str]) -> str:
    # Several entries in one cluster: the one named by the longest mention.
    longest: dict[str, int] = {}
    for m in members:
        gid = gaz_of.get(_key(m))
        if gid is not None:
            longest[gid] = max(longest.get(gid, 0), len(m.text))
    if longest:
        return "gaz:" + max(longest, key=lambda i: (longest[i], -ord(i[0])))
    fullest = _fullest(members)
    key = name_key_of(fullest, person=_top(members) == "Person")
    # A generic name ("Interior Ministry") is its article's: the article is part of its key.
    return f"name:{key} {members[0].article_id}" if is_generic_name(fullest) else f"name:{key}"


def name_key_of(name: str, person: bool) -> str:
    """The key an entity outside the gazetteer is named by (``entity_id`` of it is its IRI's local name).

    A person's name is keyed without titles, honorifics and ranks; any other name whole.

    >>> name_key_of("Sayyed Ali Husseini", person=True), name_key_of("Interior Ministry", person=False)
    ('ali huseini', 'interiur ministry')
    """
    return _name_key(_bare_name(name)) if person else _name_key(name)


def _fullest(members: list[Mention]) -> str:
    return max((_clean_surface(m.text) for m in members), key=lambda t: (len(t.split()), len(t), t))


def _add_implied(
    extractions: list[Extraction], groups: dict[str, list[Mention]], gazetteer: Gazetteer, known: set[MentionKey]
) -> set[MentionKey]:
    """Arguments implied by a word ("Iraqi Prime Minister", "Secretary of State") name their entry.

    Returns the spans added: they point at the entity but are not names of it.
    """
    implied: set[MentionKey] = set()
    for extraction in extractions:
        article = extraction.article
        for ref in _refs(extraction):
            entry = gazetteer.get(ref.gazetteer_id) if ref.gazetteer_id else None
            key = (article.id, ref.start, ref.end)
            if entry is None or key in known or key in implied:
                continue
            text = article.text[ref.start : ref.end]
            groups["gaz:" + entry.id].append(Mention(article.id, ref.start, ref.end, text, entry.cls, entry.id))
            implied.add(key)
    return implied


def _refs(extraction: Extraction) -> Iterator[Ref]:
    """Every argument span the graph points at: relation ends, event participants and places, claim subjects."""
    for relation in extraction.relations:
        yield relation.subject
        yield relation.object
    for event in extraction.events:
        yield from (ref for _, ref in event.participants)
        if event.place is not None:
            yield event.place
    for claim in extraction.claims:
        yield from (ref for ref in (claim.subject, claim.source) if ref is not None)
        yield from claim.places


def _top(members: list[Mention]) -> str:
    # A fine class comes from the gazetteer or a head word ("movement", "province"),
    # stronger evidence than the statistical model's coarse label. So is being a part
    # of a personal name ("Qaani" of "Ismail Qaani"), whatever the model said.
    labels = Counter((m.label, _person_words(m)) for m in members)
    full_names = {words for (label, words) in labels if label == "Person" and len(words) > 1}
    counts: Counter[str] = Counter()
    for (label, words), n in labels.items():
        if any(_part_of(words, name, True) for name in full_names):
            counts["Person"] += 3 * n
        else:
            top = CLASS_TOP.get(label, "Place")
            counts[top] += n if label == top else 3 * n
    return max(TOP_CLASSES, key=lambda c: (counts[c], -TOP_CLASSES.index(c)))


def _make_entity(key: str, members: list[Mention], gazetteer: Gazetteer, implied: set[MentionKey]) -> Entity:
    entry = gazetteer.get(key[len("gaz:"):]) if key.startswith("gaz:") else None
    if entry is not None:
        label, cls, ident = entry.label, entry.cls, entry.id
    else:
        cls = _class(members)
        label = _bare_name(_fullest(members)) if cls == "Person" else _most_common(members)
        ident = entity_id(key.partition(":")[2], gazetteer)
    alt = sorted({_clean_surface(m.text) for m in members if _names_entity(m, implied, gazetteer, entry)} - {label, ""})
    return Entity(id=ident, label=label, cls=cls, alt_labels=tuple(alt), gazetteer_id=entry.id if entry else None)


def _names_entity(m: Mention, implied: set[MentionKey], gazetteer: Gazetteer, entry: GazetteerEntry | None) -> bool:
    """A mention is a surface form of its entity unless a word only implied it; a demonym ("Iraqi") still is one."""
    if _key(m) not in implied:
        return True
    found = gazetteer.demonym(m.text)
    return entry is not None and found is not None and found.id == entry.id


def entity_id(key: str, gazetteer: Gazetteer) -> str:
    """The IRI local name of an entity outside the gazetteer: a function of its ``name_key`` only.

    A key made of letters and digits between single spaces reads back from its
    slug, so it owns the plain slug. Any other key ("jean-pierre", "st. mary",
    one in another script) and a key whose slug is a gazetteer id add a digest of
    the key after "--", which no plain slug contains. Two entities so never share
    an id, and no article added to the corpus renames one: the label (the most
    common spelling) may change, the id does not.

    >>> from kg.gazetteer import Gazetteer
    >>> entity_id("jean pierre", Gazetteer({})), entity_id("jean-pierre", Gazetteer({}))
    ('jean-pierre', 'jean-pierre--a57fd9d0')
    """
    plain = slug(key)
    if plain.replace("-", " ") == key and gazetteer.get(plain) is None:
        return plain
    return f"{plain}--{hashlib.sha256(key.encode()).hexdigest()[:8]}"


def _class(members: list[Mention]) -> str:
    top = _top(members)
    fine = Counter(m.label for m in members if CLASS_TOP.get(m.label) == top and m.label != top)
    return max(sorted(fine), key=lambda c: fine[c]) if fine else top


def _most_common(members: list[Mention]) -> str:
    counts = Counter(_clean_surface(m.text) for m in members)
    return max(counts, key=lambda t: (counts[t], len(t), t))

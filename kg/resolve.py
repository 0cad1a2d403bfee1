"""Mentions -> canonical entities: one node per real-world actor across all articles.

Within an article, acronyms join the long form the text defined, and partial
person names ("Ms. Nuland", "Sudani") join the full name met in the same
article. Across articles, clusters join on their gazetteer entry, else on the
transliteration key of their fullest name, so "Mohamed Chia al-Soudani" and
"Mohammed Shia al-Sudani" are one entity even without a gazetteer entry.
"""

from __future__ import annotations

import functools
import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence

from kg.gazetteer import Gazetteer, GazetteerEntry
from kg.model import Entity, Extraction, Mention, Ref, Resolution
from kg.normalize import clean_surface, is_acronym, name_key, slug, strip_titles
from kg.vocab import CLASS_TOP, TOP_CLASSES

MentionKey = tuple[str, int, int]

# A corpus repeats a few hundred names across tens of thousands of mentions, and
# normalising a string is pure: each distinct string is normalised once.
_name_key = functools.lru_cache(maxsize=1 << 16)(name_key)
_clean_surface = functools.lru_cache(maxsize=1 << 16)(clean_surface)
_strip_titles = functools.lru_cache(maxsize=1 << 16)(strip_titles)


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
    return tuple(_surname_words(_name_key(_strip_titles(text)).split()))


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
    # Keyed by text within this call only: the entries belong to this gazetteer.
    entry_of_text: dict[str, GazetteerEntry | None] = {}
    for extraction in extractions_list:
        article_mentions = sorted(extraction.mentions, key=lambda m: (m.start, m.end))
        mentions.extend(article_mentions)
        for m in article_mentions:
            mention_key = _key(m)
            uf.add(mention_key)
            entry = gazetteer.get(m.gazetteer_id) if m.gazetteer_id else None
            if entry is None:
                if m.text not in entry_of_text:
                    entry_of_text[m.text] = gazetteer.lookup(m.text) or gazetteer.lookup(_strip_titles(m.text))
                entry = entry_of_text[m.text]
            if entry is not None:
                gaz_of[mention_key] = entry.id
        _link_within_article(article_mentions, uf, gaz_of)

    _merge_across_articles(_clusters(mentions, uf), uf, gaz_of)
    groups: dict[str, list[Mention]] = defaultdict(list)
    for members in _clusters(mentions, uf).values():
        groups[_global_key(members, gaz_of)].extend(members)
    _attach_lone_surnames(groups)
    implied = _add_implied(extractions_list, groups, gazetteer, {_key(m) for m in mentions})

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


def _link_within_article(ms: Sequence[Mention], uf: _UnionFind, gaz_of: dict[MentionKey, str]) -> None:
    by_span = {(m.start, m.end): m for m in ms}
    for m in ms:
        if m.alias_of and m.alias_of in by_span:
            uf.union(_key(m), _key(by_span[m.alias_of]))
    full_by_surname: dict[str, list[Mention]] = defaultdict(list)
    for m in ms:
        words = _person_words(m)
        if m.label == "Person" and len(words) > 1:
            full_by_surname[words[-1].removeprefix("al ")].append(m)
    for m in ms:
        words = _person_words(m)
        if len(words) != 1 or _key(m) in gaz_of:
            continue
        # A lone word is a surname when it ends a full person name of the same article;
        # the nearest full name before it wins, else the first after it.
        candidates = full_by_surname.get(words[0].removeprefix("al "))
        if candidates:
            before = [p for p in candidates if p.start < m.start]
            uf.union(_key(m), _key(before[-1] if before else candidates[0]))


def _clusters(mentions: list[Mention], uf: _UnionFind) -> dict[MentionKey, list[Mention]]:
    clusters: dict[MentionKey, list[Mention]] = defaultdict(list)
    for m in mentions:
        clusters[uf.find(_key(m))].append(m)
    return clusters


def _merge_across_articles(
    clusters: dict[MentionKey, list[Mention]], uf: _UnionFind, gaz_of: dict[MentionKey, str]
) -> None:
    """Clusters of different articles that share a gazetteer entry or a full name are one entity.

    Lone surnames are left out of the keys: "Barzani" in one article and in
    another may be two different Barzanis.
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
            keys_of[signature] = gid, sorted(_strong_keys(members, gid))
        gid_of[root], strong_keys = keys_of[signature]
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
    for m in members:
        if m.label == "Person":
            words = _person_words(m)
            if len(words) > 1:
                keys.add("name:" + " ".join(words))
        elif is_acronym(m.text):
            keys.add("acronym:" + m.text.replace(".", ""))
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
    return "name:" + _name_key(_strip_titles(_fullest(members)))


def _fullest(members: list[Mention]) -> str:
    return max((_clean_surface(m.text) for m in members), key=lambda t: (len(t.split()), len(t), t))


def _attach_lone_surnames(groups: dict[str, list[Mention]]) -> None:
    """A one-word person name with no full name in its article joins the one full name it ends, if unique."""
    full_by_surname: dict[str, set[str]] = defaultdict(set)
    for key, members in groups.items():
        words = _surname_words(key[len("name:"):].split()) if key.startswith("name:") else []
        if len(words) > 1 and _top(members) == "Person":
            full_by_surname[words[-1].removeprefix("al ")].add(key)
    for key in sorted(groups):
        words = _surname_words(key[len("name:"):].split()) if key.startswith("name:") else []
        if len(words) != 1 or _top(groups[key]) != "Person":
            continue
        targets = full_by_surname.get(words[0].removeprefix("al "), set())
        if len(targets) == 1:
            groups[targets.pop()].extend(groups.pop(key))


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
    # stronger evidence than the statistical model's coarse label.
    counts: Counter[str] = Counter()
    for m in members:
        top = CLASS_TOP.get(m.label, "Place")
        counts[top] += 1 if m.label == top else 3
    return max(TOP_CLASSES, key=lambda c: (counts[c], -TOP_CLASSES.index(c)))


def _make_entity(key: str, members: list[Mention], gazetteer: Gazetteer, implied: set[MentionKey]) -> Entity:
    entry = gazetteer.get(key[len("gaz:"):]) if key.startswith("gaz:") else None
    if entry is not None:
        label, cls, ident = entry.label, entry.cls, entry.id
    else:
        cls = _class(members)
        label = strip_titles(_fullest(members)) if cls == "Person" else _most_common(members)
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

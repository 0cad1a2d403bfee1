"""Entity mentions: the gazetteer ruler, corrections to the statistical NER, and Doc -> Mention.

A span becomes a mention only if it is a name: photo credits, bylines, source
tags, section labels, share buttons, title-case headline words, all-caps
emphasis, names of documents and events, and generic words with no owner
("the Ministry") are dropped; a capital that stands for its state ("Tehran
said") is tagged with the state's entry.
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from kg.gazetteer import WORLD, Gazetteer, GazetteerEntry
from kg.model import Article, Mention
from kg.normalize import (
    GENERIC_HEADS,
    GENERIC_MODIFIERS,
    GIVEN_NAME_HONORIFICS,
    RANK_WORDS,
    TITLES,
    fold,
    is_acronym,
    is_generic_name,
    name_key,
    token_key,
)
from kg.vocab import CLASS_TOP

# Statistical labels that name actors or places, and the class each maps to.
NER_CLASSES: dict[str, str] = {"PERSON": "Person", "ORG": "Organization", "GPE": "Place", "LOC": "Place", "FAC": "Facility"}
# A head word inside a name says more about its type than the statistical label does.
HEAD_WORD_CLASSES: dict[str, str] = {
    **dict.fromkeys(
        "brigade brigades battalion battalions forces force movement army front resistance militia "
        "kataib kata'ib kataeb saraya harakat asaib hezbollah hizballah group groups faction unit division corps "
        "regiment".split(),
        "ArmedGroup",
    ),
    **dict.fromkeys(
        "ministry department council commission parliament presidency government office court cabinet assembly "
        "administration".split(),
        "GovernmentBody",
    ),
    **dict.fromkeys("party bloc alliance coalition".split(), "PoliticalParty"),
    **dict.fromkeys("tv television channel radio newspaper".split(), "MediaOutlet"),
    **dict.fromkeys("embassy consulate".split(), "DiplomaticMission"),
    **dict.fromkeys("province governorate district region".split(), "Region"),
    **dict.fromkeys("base airbase airport camp garrison port".split(), "Facility"),
}
# Heads that end an organisation's name: a run of capitalised words ending in one is a name.
ORGANIZATION_HEADS = frozenset(
    """coalition commission council committee party front movement alliance bloc organization organisation union
    association authority agency court assembly ministry forces brigades battalions""".split()
)
# A lower-case head after an unknown name is part of it: "the Radwan force", "the Kfar airport".
NAME_HEADS = frozenset("force brigade battalion division corps regiment unit airport airbase".split())
# After a name, these make it a modifier of a set of states, not a name: "the Gulf Arab states".
STATE_SETS = frozenset("states countries nations monarchies kingdoms emirates".split())
# Named occasions are not actors: "the Arbaeen pilgrimage".
EVENT_HEADS = frozenset(
    "pilgrimage festival holiday holidays feast ceremony celebrations commemoration rituals procession anniversary".split()
)
# The last word of the names of texts and deals: "the UN Charter", "the Non-Proliferation Treaty".
DOCUMENT_HEADS = frozenset(
    "treaty charter accord accords agreement convention protocol doctrine constitution declaration memorandum act".split()
)
# Page labels, never actors: "Explainer: …", "Analysis: …".
SECTION_LABELS = frozenset(
    "explainer analysis opinion commentary editorial factbox exclusive interview update live watch breaking podcast "
    "gallery timeline feature insight review".split()
)
# "Credit: Jane Doe/AFP", "Photo by …": what follows on the line is a credit, not an actor.
CREDIT_CUES = frozenset("credit credits photo photos photograph photographs picture pictures image images illustration graphic".split())
# "Reporting by …; Editing by …": what follows is a byline.
BYLINE_VERBS = frozenset("reporting editing writing written edited compiled reported".split())
# "Join us on WhatsApp": a platform after these is a share button.
SHARE_VERBS = frozenset("join follow find like message subscribe contact".split())
# Titles that put a person's name after them, so the name is a person whatever the model said.
PERSON_TITLES = frozenset(
    """president minister premier secretary sheikh shaykh sayyid sayyed imam ayatollah king queen prince emir sultan
    general gen colonel col major maj lieutenant captain admiral sergeant senator sen ambassador chancellor speaker
    spokesperson spokesman spokeswoman commander mr mrs ms dr sir envoy governor mayor cleric mullah""".split()
)
# "the city of X", "the province of X".
PLACE_NOUNS: dict[str, str] = {
    **dict.fromkeys("city town village".split(), "Settlement"),
    **dict.fromkeys("province governorate region district".split(), "Region"),
    "port": "Place",
}
# A capital after these is the city; as a subject, an agent or with these it stands for the state.
CITY_PREPOSITIONS = frozenset("in at near to from into outside inside across around through of within toward towards".split())
STATE_PREPOSITIONS = frozenset("by with against".split())
# Verbs whose object is addressed, so a government: "urged Baghdad to act".
ADDRESS_VERBS = frozenset(
    """urge warn ask press accuse criticize criticise condemn blame call tell threaten pressure sanction support back
    reassure thank praise reject""".split()
)
# "Tehran's streets" are the city's; "Tehran's stance" is the state's.
URBAN_NOUNS = frozenset(
    """street streets suburb suburbs outskirts district districts neighborhood neighbourhood neighborhoods
    neighbourhoods resident residents mayor municipality airport center centre downtown skyline population
    university hospital hospitals square""".split()
)
HYPHENS = frozenset({"-", "–", "—"})
HEADLINE_TOKENS = 40  # a line of more tokens is prose, never a title-case headline
CAPITALS_FILE = Path(__file__).resolve().parent.parent / "data" / "capitals.json"
# Before a contextual alias these make it indefinite ("a coalition of fighters").
INDEFINITE = frozenset({"a", "an", "another", "any", "each", "every", "its", "their", "his", "her"})
# "(Archive photo)", "(File picture)": a credit word before these is not an actor.
CREDIT_NOUNS = frozenset({"photo", "photos", "picture", "pictures", "image", "images", "file", "footage"})
LEADING_JUNK = frozenset({"the", "The", "'s", "’s", "-", "–", "—", '"', "“", "”", "'", "‘", "’", "«", "»"})
ALIAS_KEY = "kg_alias_of"


GAZETTEER_SPANS = "kg_gazetteer"
# Classes of the world layer left to lookup: the statistical model finds people and towns,
# resolution types them from the gazetteer; 150,000 more patterns would cost seconds and
# hundreds of MB in every worker.
LOOKUP_ONLY_CLASSES = frozenset({"Person", "Settlement"})
# Words a capitalised name may hold in lower case ("Republic of the Congo", "al-Qaeda").
NAME_PARTICLES = frozenset("of the and for in on at to al el de du da la le bin ibn van von der y".split())


def add_components(nlp: Language, gazetteer: Gazetteer) -> None:
    """Add key normalisation, the gazetteer ruler and NER corrections after ``ner``."""
    # After the statistical components, whose features read the NORM this overwrites.
    place = {"after": "ner"} if "ner" in nlp.pipe_names else {"last": True}
    acronyms = sorted(gazetteer.acronyms())
    nlp.add_pipe("kg_token_keys", **place, config={"acronyms": acronyms})  # type: ignore[arg-type]
    # Writing to doc.spans rather than doc.ents lets kg_entity_fixes weigh each gazetteer
    # match against the statistical entity it overlaps.
    ruler = nlp.add_pipe("kg_gazetteer_ruler", name="kg_gazetteer", after="kg_token_keys", config={"acronyms": acronyms})
    patterned = (e for e in gazetteer if e.layer != WORLD or e.cls not in LOOKUP_ONLY_CLASSES)
    ruler.add_entries(patterned)  # type: ignore[attr-defined]
    contextual = sorted({name_key(a) for e in gazetteer for a in e.contextual})
    weak = sorted({d.casefold() for e in gazetteer for d in e.demonyms})
    fixes = nlp.add_pipe("kg_entity_fixes", after="kg_gazetteer", config={"contextual": contextual, "weak_words": weak})
    fixes.use_gazetteer(gazetteer)  # type: ignore[attr-defined]


@functools.lru_cache(maxsize=1)
def _capital_pairs() -> tuple[tuple[str, str], ...]:
    data = json.loads(CAPITALS_FILE.read_text(encoding="utf-8"))
    return tuple((country, city) for country, city in data["capitals"])


def capitals(gazetteer: Gazetteer) -> dict[str, GazetteerEntry]:
    """The country each capital city of the gazetteer stands for, by the city's entry id.

    A capital the gazetteer gives to its state outright (a layer lists "Washington"
    as a name of the United States) needs no context and is left out.
    """
    found: dict[str, GazetteerEntry] = {}
    for country_label, city_label in _capital_pairs():
        country, city = gazetteer.lookup(country_label), gazetteer.lookup(city_label)
        if country is not None and city is not None and country.cls == "Country" and city.cls == "Settlement":
            found[city.id] = country
    return found


@Language.factory("kg_gazetteer_ruler", default_config={"acronyms": []})
def make_gazetteer_ruler(nlp: Language, name: str, acronyms: list[str]) -> GazetteerRuler:
    return GazetteerRuler(nlp, TokenKeys(frozenset(acronyms)))


class GazetteerRuler:
    """Marks every gazetteer name in ``doc.spans[GAZETTEER_SPANS]`` (label: class, id: entry id).

    A phrase matcher on the NORM that ``kg_token_keys`` writes. The patterns are
    tokenised and keyed alone: spaCy's SpanRuler runs the whole model over each
    pattern, seconds per thousand, for the same NORMs. A name of the world layer
    matches only where the text capitalises it: "Black Star" the group, not "a black star".
    """

    def __init__(self, nlp: Language, keys: TokenKeys) -> None:
        self.nlp = nlp
        self.keys = keys
        self.matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        self.targets: dict[int, tuple[str, str, bool]] = {}

    def add_entries(self, entries: Iterable[GazetteerEntry]) -> None:
        patterns: dict[str, list[Doc]] = defaultdict(list)
        for entry in entries:
            key = repr((entry.cls, entry.id))
            self.targets[self.nlp.vocab.strings.add(key)] = (entry.cls, entry.id, entry.layer == WORLD)
            for name in (entry.label, *entry.aliases, *entry.contextual):
                patterns[key].append(self.keys(self.nlp.make_doc(name)))
        for key, docs in patterns.items():
            self.matcher.add(key, docs)

    def __call__(self, doc: Doc) -> Doc:
        found = set()
        for match_id, start, end in self.matcher(doc):
            cls, entry_id, capitalised = self.targets[match_id]
            if start < end and (not capitalised or _capitalised(doc[start:end])):
                found.add(Span(doc, start, end, label=cls, span_id=entry_id))
        doc.spans[GAZETTEER_SPANS] = sorted(found)
        return doc


def _capitalised(span: Span) -> bool:
    """Every word a capital or a particle, and one word at least a capital."""
    words = [t.text for t in span if t.is_alpha]
    return any(w[0].isupper() for w in words) and all(w[0].isupper() or w.lower() in NAME_PARTICLES for w in words)


@Language.factory("kg_token_keys", default_config={"acronyms": []})
def make_token_keys(nlp: Language, name: str, acronyms: list[str]) -> TokenKeys:
    return TokenKeys(frozenset(acronyms))


class TokenKeys:
    """Sets ``token.norm_`` to the transliteration key so the ruler matches any spelling.

    Known acronyms keep their capitals so "US" never matches the pronoun "us".
    Runs after the statistical components, whose features read NORM.
    """

    def __init__(self, acronyms: frozenset[str]) -> None:
        self.acronyms = acronyms

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            bare = token.text.replace(".", "")
            if bare in self.acronyms:
                token.norm_ = bare
            else:
                token.norm_ = token_key(token.text) or "'"
        return doc


@Language.factory("kg_entity_fixes", default_config={"contextual": [], "weak_words": []})
def make_entity_fixes(nlp: Language, name: str, contextual: list[str], weak_words: list[str]) -> EntityFixes:
    return EntityFixes(frozenset(contextual), frozenset(weak_words))


class EntityFixes:
    """Merges gazetteer matches with the statistical entities and corrects what generalises."""

    def __init__(self, contextual: frozenset[str], weak_words: frozenset[str]) -> None:
        self.contextual = contextual
        # Words that add nothing to a name around a gazetteer match: demonyms, titles, "the".
        self.weak_words = weak_words | TITLES | RANK_WORDS | {"the", "a", "an"}
        self.gazetteer = Gazetteer({})
        self.capital_of: Mapping[str, GazetteerEntry] = {}

    def use_gazetteer(self, gazetteer: Gazetteer) -> None:
        """Look names up in ``gazetteer`` (the classes the ruler leaves to lookup included)."""
        self.gazetteer = gazetteer
        self.capital_of = capitals(gazetteer)

    def __call__(self, doc: Doc) -> Doc:
        known: list[Span] = []
        # Spans of credits, source tags and documents: no name inside them is a mention.
        swallowed: list[Span] = []
        for span in doc.spans.get(GAZETTEER_SPANS, []):
            if _furniture(doc, span):
                swallowed.append(span)
            elif (fixed := self._fix(doc, span)) is not None:
                known.append(fixed)
        kept: list[Span] = []
        for ent in doc.ents:
            if ent.label_ not in NER_CLASSES:
                if not any(_overlaps(ent, k) for k in known):
                    kept.append(ent)
                continue
            for part in _split_at_spaced_dashes(doc, ent):
                if any(_overlaps(part, s) for s in swallowed):
                    continue
                if _furniture(doc, part) or _names_a_document(part):
                    swallowed.append(_with_bracketed_acronym(doc, part))
                    known = [k for k in known if not _overlaps(part, k)]
                    continue
                fixed = self._fix(doc, part)
                if fixed is None:
                    continue
                inside = [k for k in known if _overlaps(fixed, k)]
                if not inside:
                    kept.append(fixed)
                elif self._longer_name(fixed, inside):
                    # "Islamic Resistance in Iraq" is a name of its own, not a mention of Iraq.
                    known = [k for k in known if k not in inside]
                    kept.append(fixed)
        kept = _join_apostrophe_split_names(doc, _non_overlapping([*known, *kept]))
        kept = self._missed_names(doc, self._owned_institutions(doc, kept))
        kept, alias_of = _parenthetical_aliases(doc, kept)
        kept, generic_of = _generic_names(doc, kept)
        doc.ents = kept
        doc.user_data[ALIAS_KEY] = {**alias_of, **generic_of}
        return doc

    def _longer_name(self, ent: Span, inside: list[Span]) -> bool:
        covered = {i for k in inside for i in range(k.start, k.end)}
        if any(k.start < ent.start or k.end > ent.end for k in inside):
            return False
        extra = [t for t in ent if t.i not in covered]
        return any(t.is_alpha and t.lower_ not in self.weak_words and not t.is_lower for t in extra)

    def _fix(self, doc: Doc, ent: Span) -> Span | None:
        start, end = ent.start, ent.end
        while start < end and (doc[start].text in LEADING_JUNK or not any(c.isalnum() for c in doc[start].text)):
            start += 1
        while end > start and (doc[end - 1].text in LEADING_JUNK or not any(c.isalnum() for c in doc[end - 1].text)):
            end -= 1
        if start == end:
            return None
        span = doc[start:end]
        if ent.id_:
            if name_key(span.text) in self.contextual and not _definite(doc, span):
                return None
            # "a US military official": the alias is only a modifier here, not a name.
            if span[-1].pos_ == "ADJ" and span[-1].is_lower:
                return None
            # "fighting in Al-Mayadeen": the town, not the channel named after it.
            if ent.label_ == "MediaOutlet" and _after_locative(doc, start, end):
                return Span(doc, start, end, label="Settlement")
            return self._state_or_city(doc, Span(doc, start, end, label=ent.label_, span_id=ent.id_))
        # "Senior Kataib Hezbollah security official": the rank qualifies the official.
        while end - start > 1 and doc[start].lower_ in RANK_WORDS:
            start += 1
        end = _headline_end(doc, start, end)
        span = doc[start:end]
        if not self._is_name(doc, span):
            return None
        label = NER_CLASSES.get(ent.label_, ent.label_)
        person = label == "Person"
        # "the Iraqi Parliament Mohsen X": an institution's name before a person's is not part of it.
        while person and end - start > 1 and doc[start].lower_ in GENERIC_HEADS | GENERIC_MODIFIERS:
            start += 1
        start = _extend_left(doc, start, person)
        if person and doc[end - 1].tag_ == "NNPS":
            label = "Organization"  # a plural is a group, not a person: "the Zaydis"
        if end < len(doc) and doc[end].lower_ in NAME_HEADS and doc[end].is_lower:
            end += 1
        elif person and _after_locative(doc, start, end):
            label = "Place"
        elif not person and _after_person_title(doc, start, end):
            label = "Person"
        if label == "Person" and start > 0 and doc[start - 1].is_title and fold(doc[start - 1].text) in GIVEN_NAME_HONORIFICS:
            start -= 1  # "Sheikh Abdullah": the honorific and the given name are the name
        label = _head_word_class(doc[start:end]) or _head_noun_class(doc, end) or _place_noun_class(doc, start) or label
        return self._state_or_city(doc, Span(doc, start, end, label=label))

    def _is_name(self, doc: Doc, span: Span) -> bool:
        """False for what the model takes for a name but no reader would: see the module's doc."""
        start, end = span.start, span.end
        words = [t for t in span if t.is_alpha]
        following = doc[end] if end < len(doc) else None
        if not words or not any(c.isupper() for c in span.text):
            return False
        if len(span) == 1 and fold(span.text).rstrip(".") in TITLES | GENERIC_MODIFIERS | SECTION_LABELS:
            return False
        if following is not None and following.is_lower and following.lower_ in STATE_SETS:
            return False
        if len(span) == 1 and following is not None and following.lower_ in CREDIT_NOUNS:
            return False
        known = self.gazetteer.lookup(span.text)
        # "IMMEDIATELY": capitals longer than an acronym that no layer knows are emphasis.
        if known is None and all(w.is_upper for w in words) and sum(len(w) for w in words) > 6:
            return False
        if known is None and following is not None and following.lower_ in EVENT_HEADS:
            return False
        # "the president a Kurd": a name after "a" that heads its phrase is a common noun.
        return not (
            len(span) == 1
            and start > 0
            and doc[start - 1].lower_ in {"a", "an"}
            and (following is None or following.pos_ not in {"NOUN", "PROPN"})
        )

    def _state_or_city(self, doc: Doc, span: Span) -> Span:
        """A capital standing for its state ("Tehran said", "Tehran-backed") gets the state's entry."""
        entry = self.gazetteer.get(span.id_) if span.id_ else self.gazetteer.lookup(span.text)
        country = self.capital_of.get(entry.id) if entry is not None else None
        if country is None or not _stands_for_state(doc, span):
            return span
        return Span(doc, span.start, span.end, label=country.cls, span_id=country.id)

    def _missed_names(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """Names the model missed: a run of capitalised words that ends in an organisation's head word.

        "The Independent High Electoral Commission", "Al-Sudani's Reconstruction and Development
        Coalition". Not on a title-case line, and never over a name the model or the layers found,
        save a common noun the layers know ("Coalition") or a generic name inside the run.
        """
        found: list[Span] = []
        i = 0
        while i < len(doc):
            end = i
            while end < len(doc) and _in_capitalised_run(doc, end, first=end == i):
                end += 1
            if end > i and doc[i].is_sent_start and doc[i].pos_ != "PROPN":
                i += 1  # a capitalised first word of a sentence is no name's unless tagged so
                continue
            while end > i and not doc[end - 1].is_title:
                end -= 1  # a run ends on a capitalised word, not on "and"
            words = [t for t in doc[i:end] if t.is_title]
            if len(words) >= 2 and doc[end - 1].lower_ in ORGANIZATION_HEADS and not _title_case_line(doc, i):
                found.append(Span(doc, i, end, label=_head_word_class(doc[i:end]) or "Organization"))
            i = max(end, i + 1)
        named = [e for e in ents if e.label_ in CLASS_TOP]
        new = [
            f
            for f in found
            if all(
                e.start >= f.start and e.end <= f.end and (name_key(e.text) in self.contextual or is_generic_name(e.text))
                for e in named
                if _overlaps(e, f)
            )
            and not any(_overlaps(e, f) and e.label_ not in CLASS_TOP for e in ents)
            and not _furniture(doc, f)
        ]
        if not new:
            return ents
        return sorted([*new, *(e for e in ents if not any(_overlaps(e, f) for f in new))], key=lambda e: e.start)

    def _owned_institutions(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """ "The Syrian Presidency", "the Lebanese Army": a demonym before a capitalised institution is its owner."""
        found: list[Span] = []
        for token in doc:
            owner = self.gazetteer.demonym(token.text) if token.is_title else None
            if owner is None or owner.top != "Place":
                continue
            end = token.i + 1
            while end < len(doc) and doc[end].is_title and doc[end].lower_ in GENERIC_MODIFIERS:
                end += 1
            if end < len(doc) and doc[end].is_title and doc[end].lower_ in GENERIC_HEADS:
                span = doc[token.i : end + 1]
                found.append(Span(doc, span.start, span.end, label=_head_word_class(span) or "GovernmentBody"))
        named = [e for e in ents if e.label_ in CLASS_TOP]
        # Only where no name of the text or the layers covers more or other words.
        new = [f for f in found if all(e.start >= f.start and e.end <= f.end and not e.id_ for e in named if _overlaps(e, f))]
        if not new:
            return ents
        return sorted([*new, *(e for e in ents if not any(_overlaps(e, f) for f in new))], key=lambda e: e.start)


def _in_capitalised_run(doc: Doc, i: int, first: bool) -> bool:
    """A token of a run of capitalised words: a capitalised word (not "The" first), or "and"/"of"/"for" inside."""
    token = doc[i]
    if token.is_title and token.is_alpha:
        return not (first and (token.is_stop or fold(token.text) in TITLES | RANK_WORDS))
    return not first and token.lower_ in {"and", "of", "for"}


def _furniture(doc: Doc, span: Span) -> bool:
    """A span of page furniture: a credit, a byline, a source tag, a share button, a section label."""
    text = span.text
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    if "/" in text or (span.label_ in {"PERSON", "Person", "MediaOutlet"} and _touches_slash(doc, span)):
        return True  # "Jane Doe/AFP", "AP/Jane Doe", "Shafaq News/"
    if span.label_ == "MediaOutlet" and before is not None and before.text == "(" and after is not None and after.text == ")":
        return True  # "A session of parliament (AFP)", "ERBIL (Kurdistan24) -": the source, not an actor
    three_before = [t.lower_ for t in doc[max(0, span.start - 3) : span.start]]
    if len(three_before) == 3 and three_before[0] in SHARE_VERBS and three_before[1:] == ["us", "on"]:
        return True  # "Join us on WhatsApp"
    if len(span) == 1 and span[0].lower_ in SECTION_LABELS and after is not None and after.text == ":":
        return True
    return _after_credit_or_byline(doc, span.start)


def _with_bracketed_acronym(doc: Doc, span: Span) -> Span:
    """The span and the acronym in brackets right after it: "the Non-Proliferation Treaty (NPT)"."""
    end = span.end
    if end + 2 < len(doc) and doc[end].text == "(" and is_acronym(doc[end + 1].text) and doc[end + 2].text == ")":
        return doc[span.start : end + 3]
    return span


def _touches_slash(doc: Doc, span: Span) -> bool:
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    return (before is not None and before.text == "/" and not before.whitespace_) or (
        after is not None and after.text == "/" and not doc[span.end - 1].whitespace_
    )


def _after_credit_or_byline(doc: Doc, start: int) -> bool:
    """True if a credit ("Credit:", "Photo by") or byline ("Reporting by", a line's "By") opens before ``start``.

    The credit runs to the end of its line, bracket or clause (";"), never across a sentence end.
    """
    i = start - 1
    while i >= 0 and start - i <= 15:
        token = doc[i]
        if _ends_line(token) or token.text in {")", ";", ".", "!", "?"}:
            return False
        nxt = doc[i + 1] if i + 1 < len(doc) else None
        if token.lower_ in CREDIT_CUES and nxt is not None and nxt.text in {":", "by"}:
            # "Photo: A fighter in Baghdad" is a caption; "Photo: Jane Doe/AFP", "Credit: …" a credit.
            return token.lower_ in {"credit", "credits"} or nxt.text == "by" or _names_only(doc, i + 2)
        if token.lower_ == "by" and i > 0 and _byline_verb(doc, i - 1):
            return True
        # "By Reuters", "15:30 By Jane Doe", "L'OLJ / By staff": a capitalised "By" after no word, before the name.
        if token.text == "By" and i == start - 1 and (i == 0 or _ends_line(doc[i - 1]) or not doc[i - 1].is_alpha):
            return True
        i -= 1
    return False


def _names_only(doc: Doc, i: int) -> bool:
    """True if from token ``i`` to the end of its line or bracket there are only names: no lower-case word but "via"."""
    while i < len(doc) and not _ends_line(doc[i]) and doc[i].text not in {")", ";"}:
        if doc[i].is_alpha and doc[i].is_lower and doc[i].lower_ not in {"via", "and"}:
            return False
        i += 1
    return True


def _byline_verb(doc: Doc, i: int) -> bool:
    """ "Reporting by", "Photo by", "additional reporting by" (but not "as reported by", a source)."""
    token = doc[i]
    if token.lower_ in CREDIT_CUES:
        return True
    return token.lower_ in BYLINE_VERBS and (token.is_title or (i > 0 and doc[i - 1].lower_ == "additional"))


def _ends_line(token: Token) -> bool:
    return "\n" in token.whitespace_ or "\n" in token.text


def _names_a_document(span: Span) -> bool:
    """ "The UN Charter", "the Nuclear Non-Proliferation Treaty", "the Abraham Accords": texts and deals, not actors."""
    words = [t for t in span if t.is_alpha]
    return len(words) > 1 and words[-1].lower_ in DOCUMENT_HEADS and not words[-1].is_lower


def _headline_end(doc: Doc, start: int, end: int) -> int:
    """In a title-case line the model runs names into the verbs: "Blinken Makes Surprise Visit" ends before "Makes"."""
    if not _title_case_line(doc, start):
        return end
    for token in doc[start + 1 : end]:
        if token.tag_ in {"VBZ", "VBD", "VBP", "MD"}:
            return token.i
    return end


def _title_case_line(doc: Doc, i: int) -> bool:
    """True if token ``i`` is on a headline-like line: short, with most of its longer words capitalised."""
    first = i
    while first > 0 and not _ends_line(doc[first - 1]) and i - first < HEADLINE_TOKENS:
        first -= 1
    last = i
    while last < len(doc) - 1 and not _ends_line(doc[last]) and last - first < HEADLINE_TOKENS:
        last += 1
    if last - first >= HEADLINE_TOKENS:
        return False  # a long line is prose
    words = [t for t in doc[first : last + 1] if t.is_alpha and len(t) > 3]
    return len(words) >= 4 and sum(t.is_title or t.is_upper for t in words) >= 0.75 * len(words)


def _after_person_title(doc: Doc, start: int, end: int) -> bool:
    """ "President Pezeshkian", "Sheikh Mohamed": a capitalised title before a short name makes it a person."""
    before = doc[start - 1] if start > 0 else None
    return (
        before is not None
        and before.is_title
        and fold(before.text).rstrip(".") in PERSON_TITLES
        and end - start <= 4
        and all(t.is_title or not t.is_alpha for t in doc[start:end])
    )


def _place_noun_class(doc: Doc, start: int) -> str | None:
    """ "the city of X", "the province of X"."""
    if start >= 2 and doc[start - 1].lower_ == "of":
        return PLACE_NOUNS.get(doc[start - 2].lower_)
    return None


def _stands_for_state(doc: Doc, span: Span) -> bool:
    """True where a capital's name is its government: a subject, an agent, "X-backed", "X's stance", "with X".

    "In Tehran", "to Tehran", "Tehran's streets", a dateline: the city.
    """
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    possessive = after is not None and after.text in {"'s", "’s"}
    # The preposition before "at Tehran's interference" governs the possessed noun, not the capital.
    if before is not None and before.lower_ in CITY_PREPOSITIONS and not possessive:
        return False
    # A dateline: "BAGHDAD (Reuters) -", "Damascus, Syria—".
    if span.text.isupper() or ((before is None or _ends_line(before)) and after is not None and after.text in {",", "(", *HYPHENS}):
        return False
    if after is not None and after.text in HYPHENS and not doc[span.end - 1].whitespace_ and span.end + 1 < len(doc):
        participle = doc[span.end + 1].lower_
        return participle.endswith("ed") or participle in {"led", "run", "friendly"}
    if before is not None and before.text in HYPHENS and span.start >= 2 and doc[span.start - 2].lower_ == "pro":
        return True
    root = span.root
    while root.dep_ == "conj" and root.head.i < root.i:
        root = root.head  # "Tehran and Moscow said"
    head = root.head
    if root.dep_ in {"nsubj", "nsubjpass"}:
        return head.pos_ == "VERB"  # not "Tehran is a city"
    if root.dep_ == "poss":
        return head.pos_ == "NOUN" and head.lower_ not in URBAN_NOUNS
    if root.dep_ == "pobj":
        # "supported by Tehran", "talks with Tehran", "called on Tehran to act"
        return head.lower_ in STATE_PREPOSITIONS or (head.lower_ == "on" and _lemma(head.head) in ADDRESS_VERBS)
    if root.dep_ == "dobj":
        return _lemma(head) in ADDRESS_VERBS
    return False


def _lemma(token: Token) -> str:
    return token.lemma_ or token.lower_


def _split_at_spaced_dashes(doc: Doc, ent: Span) -> list[Span]:
    """ "Kurdistan Region - United States": a dash between spaces separates two names (datelines)."""
    if ent.id_:
        return [ent]
    parts, first = [], ent.start
    for token in ent:
        if token.text in {"-", "–", "—"} and token.i > ent.start and doc[token.i - 1].whitespace_ and token.whitespace_:
            parts.append(doc[first : token.i])
            first = token.i + 1
    parts.append(doc[first : ent.end])
    return [Span(doc, s.start, s.end, label=ent.label_) for s in parts if len(s)]


def _join_apostrophe_split_names(doc: Doc, ents: list[Span]) -> list[Span]:
    """ "Mohammed Shia’ al-Sudani": the tokenizer splits the name at the apostrophe; join it again.

    One part may be a known name ("al-Sudani"): the whole is looked up again in resolution.
    """
    joined: list[Span] = []
    for ent in ents:
        prev = joined[-1] if joined else None
        if (
            prev is not None
            and prev.label_ == ent.label_ == "Person"
            and not (prev.id_ and ent.id_)
            and ent.start == prev.end + 1
            and doc[prev.end].text in {"'", "’", "ʼ", "‘"}
            and not doc[prev.end - 1].whitespace_
        ):
            joined[-1] = Span(doc, prev.start, ent.end, label="Person")
        else:
            joined.append(ent)
    return joined


def _after_locative(doc: Doc, start: int, end: int) -> bool:
    """A 'person' right after 'in'/'near' that is not a possessor ("in Sudani's view") is a place."""
    before = doc[start - 1].lower_ if start > 0 else ""
    after = doc[end].text if end < len(doc) else ""
    return before in {"in", "near", "outside", "inside"} and after not in {"'s", "’s"}


def _head_noun_class(doc: Doc, end: int) -> str | None:
    """ "the al-Nujaba movement": a common-noun head right after the name gives its type."""
    if end < len(doc) and doc[end].is_lower and doc[end].pos_ == "NOUN":
        return HEAD_WORD_CLASSES.get(doc[end].lower_)
    return None


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _definite(doc: Doc, span: Span) -> bool:
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    return before not in INDEFINITE and after != "of"


def _extend_left(doc: Doc, start: int, person: bool) -> int:
    """Take in the first words the model left out ("Mushtaq" before "Talib al-Saidi", "Asaib" before "Ahl al-Haq").

    A person's name takes in no institution's word ("Parliament").
    """
    stops = TITLES | RANK_WORDS | (GENERIC_HEADS | GENERIC_MODIFIERS if person else frozenset())
    while start > 0:
        prev = doc[start - 1]
        if prev.ent_type_ or prev.pos_ != "PROPN" or not prev.is_title or prev.is_stop or fold(prev.text).rstrip(".") in stops:
            break
        start -= 1
    return start


def _head_word_class(span: Span) -> str | None:
    for token in reversed(span):
        found = HEAD_WORD_CLASSES.get(token.lower_)
        if found:
            return found
    return None


def _non_overlapping(spans: list[Span]) -> list[Span]:
    result: list[Span] = []
    taken: set[int] = set()
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if taken.isdisjoint(range(span.start, span.end)):
            result.append(span)
            taken.update(range(span.start, span.end))
    return sorted(result, key=lambda s: s.start)


_ALIAS_CUES = frozenset({"formerly", "also", "known", "as", "or", "aka", "a.k.a.", "previously", "called"})


def _parenthetical_aliases(doc: Doc, ents: list[Span]) -> tuple[list[Span], dict[tuple[int, int], tuple[int, int]]]:
    """Tie the names a text defines in brackets to the name before them.

    "Popular Mobilization Forces (PMF, or Hashd al-Shaabi)", "Jurf al-Nasr (formerly
    Jurf al-Sakhar)", "the Islamic State (IS)". An acronym defined this way is
    also tagged wherever else the article uses it. A known acronym that does not
    spell the name ("a parliament session (AFP)") is a source, not a new name.
    """
    alias_of: dict[tuple[int, int], tuple[int, int]] = {}
    defined: dict[str, Span] = {}
    by_start = {ent.start: ent for ent in ents}
    for ent in ents:
        if ent.label_ not in CLASS_TOP or ent.end >= len(doc) or doc[ent.end].text != "(":
            continue
        i, cued = ent.end + 1, False
        while i < len(doc) and doc[i].text != ")" and i - ent.end < 12:
            token = doc[i]
            inner = by_start.get(i)
            if inner is not None and inner.label_ in CLASS_TOP:
                # "Berlin (Germany)" explains, "X (formerly Y)" and "X (ABC)" rename.
                acronym = len(inner) == 1 and is_acronym(inner.text)
                renames = cued or (acronym and (not inner.id_ or bool(ent.id_) or spells(inner.text, ent.text)))
                if renames and (not inner.id_ or not ent.id_ or inner.id_ == ent.id_):
                    alias_of[(inner.start_char, inner.end_char)] = (ent.start_char, ent.end_char)
                i = inner.end
                continue
            if is_acronym(token.text) and token.text not in ent.text and spells(token.text, ent.text):
                defined[token.text] = ent
            elif token.lower_ in _ALIAS_CUES:
                cued = True
            elif not token.is_punct:
                break  # a bracket that explains rather than renames: "(in Iraq)"
            i += 1
    if not defined:
        return ents, alias_of
    covered = {i for ent in ents for i in range(ent.start, ent.end)}
    extra = []
    for token in doc:
        long_form = defined.get(token.text)
        if long_form is None:
            continue
        if token.i not in covered:
            extra.append(Span(doc, token.i, token.i + 1, label=long_form.label_, span_id=long_form.id_))
        span = (token.idx, token.idx + len(token.text))
        if span != (long_form.start_char, long_form.end_char):
            alias_of[span] = (long_form.start_char, long_form.end_char)
    return sorted([*ents, *extra], key=lambda s: s.start), alias_of


def spells(acronym: str, name: str) -> bool:
    """True if the acronym's letters are initials of the name's words, in order, the first the first.

    >>> spells("PMF", "Popular Mobilization Forces"), spells("DOD", "Department of Defense")
    (True, True)
    >>> spells("NPT", "Nuclear Non-Proliferation Treaty"), spells("AFP", "Kurdistan Regional Parliament")
    (True, False)
    """
    initials = [w[0].upper() for w in name.replace("-", " ").split() if w[0].isalpha()]
    letters = [c for c in acronym if c.isalpha()]
    if not letters or not initials or letters[0] != initials[0]:
        return False
    position = 0
    for letter in letters:
        while position < len(initials) and initials[position] != letter:
            position += 1
        if position == len(initials):
            return False
        position += 1
    return True


def _generic_names(doc: Doc, ents: list[Span]) -> tuple[list[Span], dict[tuple[int, int], tuple[int, int]]]:
    """Names made of generic words ("the Parliament", "the Supreme Court") join the one fuller name they shorten.

    The fuller name is the one name of the article with the same head and all
    their words ("Iraqi Parliament", "Supreme Federal Court"). With none or with
    several, a one-word generic name names nothing and is dropped; a longer one
    ("the Interior Ministry") stays a name of its own.
    """
    named = [e for e in ents if e.label_ in CLASS_TOP]
    alias_of: dict[tuple[int, int], tuple[int, int]] = {}
    dropped: set[tuple[int, int]] = set()
    for ent in named:
        if ent.id_ or not is_generic_name(ent.text):
            continue
        words = _words(ent)
        fuller: dict[str, Span] = {}
        for other in named:
            other_words = _words(other)
            if len(other_words) > len(words) and other_words[-1] == words[-1] and set(words) <= set(other_words):
                fuller.setdefault(name_key(other.text), other)
        if len(fuller) == 1:
            (target,) = fuller.values()
            alias_of[(ent.start_char, ent.end_char)] = (target.start_char, target.end_char)
        elif len(words) == 1:
            dropped.add((ent.start, ent.end))
    return [e for e in ents if (e.start, e.end) not in dropped], alias_of


def _words(span: Span) -> list[str]:
    words = [t.lower_ for t in span if t.is_alpha]
    return words[1:] if words[:1] == ["the"] else words


def mentions(doc: Doc, article: Article) -> list[Mention]:
    """The actor and place mentions of a processed article."""
    alias_of = doc.user_data.get(ALIAS_KEY, {})
    found = []
    for ent in doc.ents:
        if ent.label_ not in CLASS_TOP:
            continue
        key = (ent.start_char, ent.end_char)
        found.append(
            Mention(
                article_id=article.id,
                start=ent.start_char,
                end=ent.end_char,
                text=ent.text,
                label=ent.label_,
                gazetteer_id=ent.ent_id_ or None,
                alias_of=alias_of.get(key),
            )
        )
    return found

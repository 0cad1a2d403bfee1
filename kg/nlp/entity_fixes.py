"""The entity fixes: gazetteer matches merged with the statistical NER, and what the model gets wrong corrected.

A span becomes an entity only if it is a name: photo credits, bylines, source
tags, section labels, share buttons, title-case headline words, all-caps
emphasis, names of documents and events, and generic words with no owner
("the Ministry") are dropped; a capital that stands for its state ("Tehran
said") is tagged with the state's entry. The result is ``doc.ents`` and the
aliases in ``doc.user_data[ALIAS_KEY]``.
"""

from __future__ import annotations

from collections.abc import Mapping

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.gazetteer import Gazetteer, GazetteerEntry
from kg.nlp.aliases import ALIAS_KEY, generic_names, parenthetical_aliases
from kg.nlp.capitals import capitals, stands_for_state
from kg.nlp.furniture import (
    furniture,
    headline_end,
    names_a_document,
    title_case_line,
    with_bracketed_acronym,
)
from kg.nlp.ruler import GAZETTEER_SPANS
from kg.nlp.spans import (
    join_apostrophe_split_names,
    non_overlapping,
    overlaps,
    split_at_spaced_dashes,
)
from kg.nlp.words import load_words
from kg.normalize import (
    GENERIC_HEADS,
    GENERIC_MODIFIERS,
    GIVEN_NAME_HONORIFICS,
    RANK_WORDS,
    TITLES,
    fold,
    is_generic_name,
    name_key,
)
from kg.vocab import CLASS_TOP

WORDS = load_words()
# Statistical labels that name actors or places, and the class each maps to.
NER_CLASSES: dict[str, str] = {
    "PERSON": "Person", "ORG": "Organization", "GPE": "Place", "LOC": "Place", "FAC": "Facility",
}
# Words and marks a name neither starts nor ends with.
LEADING_JUNK = frozenset({"the", "The", "'s", "’s", "-", "–", "—", '"', "“", "”", "'", "‘", "’", "«", "»"})


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
            if furniture(doc, span):
                swallowed.append(span)
            elif (fixed := self._fix(doc, span)) is not None:
                known.append(fixed)
        kept: list[Span] = []
        for ent in doc.ents:
            if ent.label_ not in NER_CLASSES:
                if not any(overlaps(ent, k) for k in known):
                    kept.append(ent)
                continue
            for part in split_at_spaced_dashes(doc, ent):
                if any(overlaps(part, s) for s in swallowed):
                    continue
                if furniture(doc, part) or names_a_document(part):
                    swallowed.append(with_bracketed_acronym(doc, part))
                    known = [k for k in known if not overlaps(part, k)]
                    continue
                fixed = self._fix(doc, part)
                if fixed is None:
                    continue
                inside = [k for k in known if overlaps(fixed, k)]
                if not inside:
                    kept.append(fixed)
                elif self._longer_name(fixed, inside):
                    # "Islamic Resistance in Iraq" is a name of its own, not a mention of Iraq.
                    known = [k for k in known if k not in inside]
                    kept.append(fixed)
        kept = join_apostrophe_split_names(doc, non_overlapping([*known, *kept]))
        kept = self._missed_names(doc, self._owned_institutions(doc, kept))
        kept, alias_of = parenthetical_aliases(doc, kept)
        kept, generic_of = generic_names(doc, kept)
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
        end = headline_end(doc, start, end)
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
        if end < len(doc) and doc[end].lower_ in WORDS.types.name_heads and doc[end].is_lower:
            end += 1
        elif person and _after_locative(doc, start, end):
            label = "Place"
        elif not person and _after_person_title(doc, start, end):
            label = "Person"
        before = doc[start - 1] if start > 0 else None
        if label == "Person" and before is not None and before.is_title and fold(before.text) in GIVEN_NAME_HONORIFICS:
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
        not_alone = TITLES | GENERIC_MODIFIERS | WORDS.not_names.section_labels
        if len(span) == 1 and fold(span.text).rstrip(".") in not_alone:
            return False
        if following is not None and following.is_lower and following.lower_ in WORDS.not_names.state_sets:
            return False
        if len(span) == 1 and following is not None and following.lower_ in WORDS.furniture.credit_nouns:
            return False
        known = self.gazetteer.lookup(span.text)
        # "IMMEDIATELY": capitals longer than an acronym that no layer knows are emphasis.
        if known is None and all(w.is_upper for w in words) and sum(len(w) for w in words) > 6:
            return False
        if known is None and following is not None and following.lower_ in WORDS.not_names.event_heads:
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
        if country is None or not stands_for_state(doc, span):
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
            organization = doc[end - 1].lower_ in WORDS.types.organization_heads
            if len(words) >= 2 and organization and not title_case_line(doc, i):
                found.append(Span(doc, i, end, label=_head_word_class(doc[i:end]) or "Organization"))
            i = max(end, i + 1)
        named = [e for e in ents if e.label_ in CLASS_TOP]
        new = [
            f
            for f in found
            if all(
                e.start >= f.start
                and e.end <= f.end
                and (name_key(e.text) in self.contextual or is_generic_name(e.text))
                for e in named
                if overlaps(e, f)
            )
            and not any(overlaps(e, f) and e.label_ not in CLASS_TOP for e in ents)
            and not furniture(doc, f)
        ]
        if not new:
            return ents
        return sorted([*new, *(e for e in ents if not any(overlaps(e, f) for f in new))], key=lambda e: e.start)

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
        new = [
            f
            for f in found
            if all(e.start >= f.start and e.end <= f.end and not e.id_ for e in named if overlaps(e, f))
        ]
        if not new:
            return ents
        return sorted([*new, *(e for e in ents if not any(overlaps(e, f) for f in new))], key=lambda e: e.start)


def _in_capitalised_run(doc: Doc, i: int, first: bool) -> bool:
    """A token of a run of capitalised words: a capitalised word (not "The" first), or "and"/"of"/"for" inside."""
    token = doc[i]
    if token.is_title and token.is_alpha:
        return not (first and (token.is_stop or fold(token.text) in TITLES | RANK_WORDS))
    return not first and token.lower_ in {"and", "of", "for"}


def _after_person_title(doc: Doc, start: int, end: int) -> bool:
    """ "President Pezeshkian", "Sheikh Mohamed": a capitalised title before a short name makes it a person."""
    before = doc[start - 1] if start > 0 else None
    return (
        before is not None
        and before.is_title
        and fold(before.text).rstrip(".") in WORDS.types.person_titles
        and end - start <= 4
        and all(t.is_title or not t.is_alpha for t in doc[start:end])
    )


def _place_noun_class(doc: Doc, start: int) -> str | None:
    """ "the city of X", "the province of X"."""
    if start >= 2 and doc[start - 1].lower_ == "of":
        return WORDS.types.place_nouns.get(doc[start - 2].lower_)
    return None



def _after_locative(doc: Doc, start: int, end: int) -> bool:
    """A 'person' right after 'in'/'near' that is not a possessor ("in Sudani's view") is a place."""
    before = doc[start - 1].lower_ if start > 0 else ""
    after = doc[end].text if end < len(doc) else ""
    return before in {"in", "near", "outside", "inside"} and after not in {"'s", "’s"}


def _head_noun_class(doc: Doc, end: int) -> str | None:
    """ "the al-Nujaba movement": a common-noun head right after the name gives its type."""
    if end < len(doc) and doc[end].is_lower and doc[end].pos_ == "NOUN":
        return WORDS.types.head_classes.get(doc[end].lower_)
    return None



def _definite(doc: Doc, span: Span) -> bool:
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    return before not in WORDS.aliases.indefinite and after != "of"


def _extend_left(doc: Doc, start: int, person: bool) -> int:
    """Take in the first words the model left out ("Mushtaq" before "Talib al-Saidi", "Asaib" before "Ahl al-Haq").

    A person's name takes in no institution's word ("Parliament").
    """
    stops = TITLES | RANK_WORDS | (GENERIC_HEADS | GENERIC_MODIFIERS if person else frozenset())
    while start > 0:
        prev = doc[start - 1]
        if prev.ent_type_ or prev.pos_ != "PROPN" or not prev.is_title or prev.is_stop:
            break
        if fold(prev.text).rstrip(".") in stops:
            break
        start -= 1
    return start


def _head_word_class(span: Span) -> str | None:
    for token in reversed(span):
        found = WORDS.types.head_classes.get(token.lower_)
        if found:
            return found
    return None

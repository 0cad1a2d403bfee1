"""Entity mentions: the gazetteer ruler, corrections to the statistical NER, and Doc -> Mention."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.gazetteer import Gazetteer
from kg.model import Article, Mention
from kg.normalize import TITLES, fold, is_acronym, name_key, token_key
from kg.vocab import CLASS_TOP

# Statistical labels that name actors or places, and the class each maps to.
NER_CLASSES: dict[str, str] = {"PERSON": "Person", "ORG": "Organization", "GPE": "Place", "LOC": "Place", "FAC": "Facility"}
# A head word inside a name says more about its type than the statistical label does.
HEAD_WORD_CLASSES: dict[str, str] = {
    **dict.fromkeys(
        "brigade brigades battalion battalions forces force movement army front resistance militia "
        "kataib kata'ib saraya harakat asaib hezbollah hizballah group groups faction".split(),
        "ArmedGroup",
    ),
    **dict.fromkeys("ministry department council commission parliament presidency government office".split(), "GovernmentBody"),
    **dict.fromkeys("party".split(), "PoliticalParty"),
    **dict.fromkeys("embassy consulate".split(), "DiplomaticMission"),
    **dict.fromkeys("province governorate district region".split(), "Region"),
    **dict.fromkeys("base airbase airport camp garrison".split(), "Facility"),
}
# Before a contextual alias these make it indefinite ("a coalition of fighters").
INDEFINITE = frozenset({"a", "an", "another", "any", "each", "every", "its", "their", "his", "her"})
# "(Archive photo)", "(File picture)": a credit word before these is not an actor.
CREDIT_NOUNS = frozenset({"photo", "photos", "picture", "pictures", "image", "images", "file", "footage"})
LEADING_JUNK = frozenset({"the", "The", "'s", "’s", "-", "–", "—", '"', "“", "”", "'", "‘", "’", "«", "»"})
ALIAS_KEY = "kg_alias_of"


def add_components(nlp: Language, gazetteer: Gazetteer) -> None:
    """Add key normalisation, the gazetteer EntityRuler and NER corrections after ``ner``."""
    nlp.add_pipe("kg_token_keys", after="ner", config={"acronyms": sorted(gazetteer.acronyms())})
    ruler = nlp.add_pipe(
        "entity_ruler",
        name="kg_gazetteer",
        after="kg_token_keys",
        config={"phrase_matcher_attr": "NORM", "overwrite_ents": True},
    )
    patterns = []
    for entry in gazetteer:
        for alias in (entry.label, *entry.aliases, *entry.contextual):
            patterns.append({"label": entry.cls, "pattern": alias, "id": entry.id})
    ruler.add_patterns(patterns)  # type: ignore[attr-defined]
    contextual = sorted({name_key(a) for e in gazetteer for a in e.contextual})
    nlp.add_pipe("kg_entity_fixes", after="kg_gazetteer", config={"contextual": contextual})


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


@Language.factory("kg_entity_fixes", default_config={"contextual": []})
def make_entity_fixes(nlp: Language, name: str, contextual: list[str]) -> EntityFixes:
    return EntityFixes(frozenset(contextual))


class EntityFixes:
    """Corrects spans and types the statistical model gets wrong, in ways that generalise."""

    def __init__(self, contextual: frozenset[str]) -> None:
        self.contextual = contextual

    def __call__(self, doc: Doc) -> Doc:
        kept: list[Span] = []
        for ent in doc.ents:
            if ent.label_ not in CLASS_TOP and ent.label_ not in NER_CLASSES:
                kept.append(ent)
                continue
            fixed = self._fix(doc, ent)
            if fixed is not None:
                kept.append(fixed)
        kept = _non_overlapping(kept)
        kept, alias_of = _acronym_definitions(doc, kept)
        doc.ents = kept
        doc.user_data[ALIAS_KEY] = alias_of
        return doc

    def _fix(self, doc: Doc, ent: Span) -> Span | None:
        start, end = ent.start, ent.end
        while start < end and (doc[start].text in LEADING_JUNK or not any(c.isalnum() for c in doc[start].text)):
            start += 1
        while end > start and (doc[end - 1].text in LEADING_JUNK or not any(c.isalnum() for c in doc[end - 1].text)):
            end -= 1
        if start == end:
            return None
        span = doc[start:end]
        if ent.ent_id_:
            if name_key(span.text) in self.contextual and not _definite(doc, span):
                return None
            # "a US military official": the alias is only a modifier here, not a name.
            if span[-1].pos_ == "ADJ" and span[-1].is_lower:
                return None
            return Span(doc, start, end, label=ent.label_, span_id=ent.ent_id_)
        if not any(c.isupper() for c in span.text):
            return None
        if len(span) == 1 and fold(span.text).rstrip(".") in TITLES:
            return None
        if len(span) == 1 and end < len(doc) and doc[end].lower_ in CREDIT_NOUNS:
            return None
        label = NER_CLASSES.get(ent.label_, ent.label_)
        if label == "Person":
            start = _extend_person_left(doc, start)
        label = _head_word_class(doc[start:end]) or label
        return Span(doc, start, end, label=label)


def _definite(doc: Doc, span: Span) -> bool:
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    return before not in INDEFINITE and after != "of"


def _extend_person_left(doc: Doc, start: int) -> int:
    """Take in given names the model left out ("Mushtaq" before "Talib al-Saidi")."""
    while start > 0:
        prev = doc[start - 1]
        if prev.ent_type_ or prev.pos_ != "PROPN" or not prev.is_title or fold(prev.text).rstrip(".") in TITLES:
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


def _acronym_definitions(doc: Doc, ents: list[Span]) -> tuple[list[Span], dict[tuple[int, int], tuple[int, int]]]:
    """Tie "Long Name (ABBR" to its long form, and tag the acronym's other uses in the text."""
    alias_of: dict[tuple[int, int], tuple[int, int]] = {}
    defined: dict[str, Span] = {}
    for ent in ents:
        if ent.label_ not in CLASS_TOP or ent.end + 1 >= len(doc) or doc[ent.end].text != "(":
            continue
        abbr = doc[ent.end + 1]
        if is_acronym(abbr.text) and abbr.text not in ent.text:
            defined[abbr.text] = ent
    if not defined:
        return ents, alias_of
    covered = {i for ent in ents for i in range(ent.start, ent.end)}
    extra = []
    for token in doc:
        long_form = defined.get(token.text)
        if long_form is None:
            continue
        if token.i not in covered:
            extra.append(Span(doc, token.i, token.i + 1, label=long_form.label_, span_id=long_form.ent_id_))
        alias_of[(token.idx, token.idx + len(token.text))] = (long_form.start_char, long_form.end_char)
    return sorted([*ents, *extra], key=lambda s: s.start), alias_of


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
                alias_of=alias_of.get(key) if alias_of.get(key) != key else None,
            )
        )
    return found

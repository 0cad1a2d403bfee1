"""Entity mentions: the gazetteer ruler, corrections to the statistical NER, and Doc -> Mention."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from kg.gazetteer import WORLD, Gazetteer, GazetteerEntry
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
    nlp.add_pipe("kg_entity_fixes", after="kg_gazetteer", config={"contextual": contextual, "weak_words": weak})


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
        self.weak_words = weak_words | TITLES | {"the", "a", "an"}

    def __call__(self, doc: Doc) -> Doc:
        known = [s for s in (self._fix(doc, span) for span in doc.spans.get(GAZETTEER_SPANS, [])) if s is not None]
        kept: list[Span] = []
        for ent in doc.ents:
            if ent.label_ not in NER_CLASSES:
                if not any(_overlaps(ent, k) for k in known):
                    kept.append(ent)
                continue
            for part in _split_at_spaced_dashes(doc, ent):
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
        kept, alias_of = _parenthetical_aliases(doc, kept)
        doc.ents = kept
        doc.user_data[ALIAS_KEY] = alias_of
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
            return Span(doc, start, end, label=ent.label_, span_id=ent.id_)
        if not any(c.isupper() for c in span.text):
            return None
        if len(span) == 1 and fold(span.text).rstrip(".") in TITLES:
            return None
        if len(span) == 1 and end < len(doc) and doc[end].lower_ in CREDIT_NOUNS:
            return None
        label = NER_CLASSES.get(ent.label_, ent.label_)
        if label == "Person":
            start = _extend_person_left(doc, start)
            if _after_locative(doc, start, end):
                label = "Place"
        label = _head_word_class(doc[start:end]) or _head_noun_class(doc, end) or label
        return Span(doc, start, end, label=label)


def _split_at_spaced_dashes(doc: Doc, ent: Span) -> list[Span]:
    """ "Kurdistan Region - United States": a dash between spaces separates two names (datelines)."""
    if ent.ent_id_:
        return [ent]
    parts, first = [], ent.start
    for token in ent:
        if token.text in {"-", "–", "—"} and token.i > ent.start and doc[token.i - 1].whitespace_ and token.whitespace_:
            parts.append(doc[first : token.i])
            first = token.i + 1
    parts.append(doc[first : ent.end])
    return [Span(doc, s.start, s.end, label=ent.label_) for s in parts if len(s)]


def _join_apostrophe_split_names(doc: Doc, ents: list[Span]) -> list[Span]:
    """ "Mohammed Shia’ al-Sudani": the tokenizer splits the name at the apostrophe; join it again."""
    joined: list[Span] = []
    for ent in ents:
        prev = joined[-1] if joined else None
        if (
            prev is not None
            and prev.label_ == ent.label_ == "Person"
            and not prev.ent_id_
            and not ent.ent_id_
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


_ALIAS_CUES = frozenset({"formerly", "also", "known", "as", "or", "aka", "a.k.a.", "previously", "called"})


def _parenthetical_aliases(doc: Doc, ents: list[Span]) -> tuple[list[Span], dict[tuple[int, int], tuple[int, int]]]:
    """Tie the names a text defines in brackets to the name before them.

    "Popular Mobilization Forces (PMF, or Hashd al-Shaabi)", "Jurf al-Nasr (formerly
    Jurf al-Sakhar)", "the Islamic State (IS)". An acronym defined this way is
    also tagged wherever else the article uses it.
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
                renames = cued or (len(inner) == 1 and is_acronym(inner.text))
                if renames and (not inner.ent_id_ or not ent.ent_id_ or inner.ent_id_ == ent.ent_id_):
                    alias_of[(inner.start_char, inner.end_char)] = (ent.start_char, ent.end_char)
                i = inner.end
                continue
            if is_acronym(token.text) and token.text not in ent.text:
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
            extra.append(Span(doc, token.i, token.i + 1, label=long_form.label_, span_id=long_form.ent_id_))
        span = (token.idx, token.idx + len(token.text))
        if span != (long_form.start_char, long_form.end_char):
            alias_of[span] = (long_form.start_char, long_form.end_char)
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
                alias_of=alias_of.get(key),
            )
        )
    return found

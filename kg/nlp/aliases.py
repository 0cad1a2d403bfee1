"""Names that a text makes another name of: bracketed aliases and acronyms, and generic names that shorten a fuller one.

Each is recorded as ``alias span -> named span`` (character offsets) in ``doc.user_data[ALIAS_KEY]``,
which kg.extract reads into ``Mention.alias_of``.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from kg.nlp.words import load_words
from kg.normalize import is_acronym, is_generic_name, name_key
from kg.vocab import CLASS_TOP

WORDS = load_words()
ALIAS_KEY = "kg_alias_of"

Offsets = tuple[int, int]


def parenthetical_aliases(doc: Doc, ents: list[Span]) -> tuple[list[Span], dict[Offsets, Offsets]]:
    """Tie the names a text defines in brackets to the name before them.

    "Popular Mobilization Forces (PMF, or Hashd al-Shaabi)", "Jurf al-Nasr (formerly
    Jurf al-Sakhar)", "the Islamic State (IS)". An acronym defined this way is
    also tagged wherever else the article uses it. A known acronym that does not
    spell the name ("a parliament session (AFP)") is a source, not a new name.
    """
    alias_of: dict[Offsets, Offsets] = {}
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
            elif token.lower_ in WORDS.aliases.cues:
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


def generic_names(doc: Doc, ents: list[Span]) -> tuple[list[Span], dict[Offsets, Offsets]]:
    """Names made of generic words ("the Parliament", "the Supreme Court") join the one fuller name they shorten.

    The fuller name is the one name of the article with the same head and all
    their words ("Iraqi Parliament", "Supreme Federal Court"). With none or with
    several, a one-word generic name names nothing and is dropped; a longer one
    ("the Interior Ministry") stays a name of its own.
    """
    named = [e for e in ents if e.label_ in CLASS_TOP]
    alias_of: dict[Offsets, Offsets] = {}
    dropped: set[tuple[int, int]] = set()  # token bounds
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

"""Spans of a page that name no actor: credits, bylines, source tags, share buttons, section labels,
names of documents, and the title-case lines of headlines."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from kg.nlp.spans import ends_line
from kg.nlp.words import load_words
from kg.normalize import is_acronym

WORDS = load_words()
HEADLINE_TOKENS = 40  # a line of more tokens is prose, never a title-case headline


def furniture(doc: Doc, span: Span) -> bool:
    """A span of page furniture: a credit, a byline, a source tag, a share button, a section label."""
    text = span.text
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    if "/" in text or (span.label_ in {"PERSON", "Person", "MediaOutlet"} and _touches_slash(doc, span)):
        return True  # "Jane Doe/AFP", "AP/Jane Doe", "Shafaq News/"
    bracketed = before is not None and before.text == "(" and after is not None and after.text == ")"
    if span.label_ == "MediaOutlet" and bracketed:
        return True  # "A session of parliament (AFP)", "ERBIL (Kurdistan24) -": the source, not an actor
    three_before = [t.lower_ for t in doc[max(0, span.start - 3) : span.start]]
    if len(three_before) == 3 and three_before[0] in WORDS.furniture.share_verbs and three_before[1:] == ["us", "on"]:
        return True  # "Join us on WhatsApp"
    if len(span) == 1 and span[0].lower_ in WORDS.not_names.section_labels and after is not None and after.text == ":":
        return True
    return _after_credit_or_byline(doc, span.start)


def with_bracketed_acronym(doc: Doc, span: Span) -> Span:
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
        if ends_line(token) or token.text in {")", ";", ".", "!", "?"}:
            return False
        nxt = doc[i + 1] if i + 1 < len(doc) else None
        if token.lower_ in WORDS.furniture.credit_cues and nxt is not None and nxt.text in {":", "by"}:
            # "Photo: A fighter in Baghdad" is a caption; "Photo: Jane Doe/AFP", "Credit: …" a credit.
            return token.lower_ in {"credit", "credits"} or nxt.text == "by" or _names_only(doc, i + 2)
        if token.lower_ == "by" and i > 0 and _byline_verb(doc, i - 1):
            return True
        # "By Reuters", "15:30 By Jane Doe", "L'OLJ / By staff": a capitalised "By" after no word, before the name.
        if token.text == "By" and i == start - 1 and (i == 0 or ends_line(doc[i - 1]) or not doc[i - 1].is_alpha):
            return True
        i -= 1
    return False


def _names_only(doc: Doc, i: int) -> bool:
    """True if from token ``i`` to the end of its line or bracket there are only names: no lower-case word but "via"."""
    while i < len(doc) and not ends_line(doc[i]) and doc[i].text not in {")", ";"}:
        if doc[i].is_alpha and doc[i].is_lower and doc[i].lower_ not in {"via", "and"}:
            return False
        i += 1
    return True


def _byline_verb(doc: Doc, i: int) -> bool:
    """ "Reporting by", "Photo by", "additional reporting by" (but not "as reported by", a source)."""
    token = doc[i]
    if token.lower_ in WORDS.furniture.credit_cues:
        return True
    additional = i > 0 and doc[i - 1].lower_ == "additional"
    return token.lower_ in WORDS.furniture.byline_verbs and (token.is_title or additional)


def names_a_document(span: Span) -> bool:
    """ "The UN Charter", "the Nuclear Non-Proliferation Treaty", "the Abraham Accords": texts and deals, not actors."""
    words = [t for t in span if t.is_alpha]
    return len(words) > 1 and words[-1].lower_ in WORDS.not_names.document_heads and not words[-1].is_lower


def headline_end(doc: Doc, start: int, end: int) -> int:
    """In a title-case line the model runs names into the verbs: "Blinken Makes Surprise Visit" ends before "Makes"."""
    if not title_case_line(doc, start):
        return end
    for token in doc[start + 1 : end]:
        if token.tag_ in {"VBZ", "VBD", "VBP", "MD"}:
            return token.i
    return end


def title_case_line(doc: Doc, i: int) -> bool:
    """True if token ``i`` is on a headline-like line: short, with most of its longer words capitalised."""
    first = i
    while first > 0 and not ends_line(doc[first - 1]) and i - first < HEADLINE_TOKENS:
        first -= 1
    last = i
    while last < len(doc) - 1 and not ends_line(doc[last]) and last - first < HEADLINE_TOKENS:
        last += 1
    if last - first >= HEADLINE_TOKENS:
        return False  # a long line is prose
    words = [t for t in doc[first : last + 1] if t.is_alpha and len(t) > 3]
    return len(words) >= 4 and sum(t.is_title or t.is_upper for t in words) >= 0.75 * len(words)

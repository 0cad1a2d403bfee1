"""Small facts about tokens and spans that the entity components share: line ends, overlaps, splits and joins."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

HYPHENS = frozenset({"-", "–", "—"})


def ends_line(token: Token) -> bool:
    return "\n" in token.whitespace_ or "\n" in token.text


def overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def non_overlapping(spans: list[Span]) -> list[Span]:
    """The longest spans first, then in order, each kept only where no kept span already covers a token of it."""
    result: list[Span] = []
    taken: set[int] = set()
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if taken.isdisjoint(range(span.start, span.end)):
            result.append(span)
            taken.update(range(span.start, span.end))
    return sorted(result, key=lambda s: s.start)


def split_at_spaced_dashes(doc: Doc, ent: Span) -> list[Span]:
    """ "Kurdistan Region - United States": a dash between spaces separates two names (datelines)."""
    if ent.id_:
        return [ent]
    parts, first = [], ent.start
    for token in ent:
        if token.text in HYPHENS and token.i > ent.start and doc[token.i - 1].whitespace_ and token.whitespace_:
            parts.append(doc[first : token.i])
            first = token.i + 1
    parts.append(doc[first : ent.end])
    return [Span(doc, s.start, s.end, label=ent.label_) for s in parts if len(s)]


def join_apostrophe_split_names(doc: Doc, ents: list[Span]) -> list[Span]:
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

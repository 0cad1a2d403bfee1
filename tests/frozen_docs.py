"""Docs with a frozen parse, so dependency rules are tested without the statistical model."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc, Span

from kg.gazetteer import Gazetteer
from kg.vocab import CLASS_TOP


def frozen_doc(rows: str, ents: list[tuple[int, int, str]], gazetteer: Gazetteer) -> Doc:
    """A Doc from 'word|lemma|POS|tag|dep|head[|-]' rows (a trailing '|-' means no space after).

    Entity ids are set as the gazetteer ruler sets them.
    """
    fields = [row.split("|") for row in rows.split(" ")]
    doc = Doc(
        spacy.blank("en").vocab,
        words=[f[0] for f in fields],
        spaces=[len(f) < 7 for f in fields],
        lemmas=[f[1] for f in fields],
        pos=[f[2] for f in fields],
        tags=[f[3] for f in fields],
        deps=[f[4] for f in fields],
        heads=[int(f[5]) for f in fields],
    )
    spans = []
    for start, end, label in ents:
        entry = gazetteer.lookup(doc[start:end].text) if label in CLASS_TOP else None
        spans.append(Span(doc, start, end, label=label, span_id=entry.id if entry else ""))
    doc.ents = spans
    return doc

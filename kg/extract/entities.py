"""Entity mentions: the actors and places the NLP stage marked on a Doc, as Mention records."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Span

from kg.model import Article, Mention
from kg.nlp.aliases import ALIAS_KEY
from kg.vocab import CLASS_TOP


def mentions(
    doc: Doc, article: Article, ents: Sequence[Span] | None = None, text: str | None = None
) -> list[Mention]:
    """The actor and place mentions of a processed article (``ents``, ``text``: its entities and text, if
    listed and joined already)."""
    alias_of = doc.user_data.get(ALIAS_KEY, {})
    found = []
    for ent in doc.ents if ents is None else ents:
        label = ent.label_
        if label not in CLASS_TOP:
            continue
        start, end = ent.start_char, ent.end_char
        found.append(
            Mention(
                article_id=article.id,
                start=start,
                end=end,
                text=ent.text if text is None else text[start:end],
                label=label,
                gazetteer_id=ent.ent_id_ or None,
                alias_of=alias_of.get((start, end)),
            )
        )
    return found

"""Entity mentions: the actors and places the NLP stage marked on a Doc, as Mention records."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Span

from kg.model import Article, Mention
from kg.nlp.aliases import ALIAS_KEY
from kg.vocab import CLASS_TOP


def mentions(doc: Doc, article: Article, ents: Sequence[Span] | None = None) -> list[Mention]:
    """The actor and place mentions of a processed article (``ents``: its entities, if listed already)."""
    alias_of = doc.user_data.get(ALIAS_KEY, {})
    found = []
    for ent in doc.ents if ents is None else ents:
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

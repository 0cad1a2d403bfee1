"""The token keys: every token's NORM becomes its transliteration key, so one pattern matches every spelling."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg.normalize import token_key


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

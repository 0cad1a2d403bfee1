"""The gazetteer ruler: every name of the gazetteer layers found in a text, as spans for the entity fixes to weigh."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from kg.gazetteer import WORLD, GazetteerEntry
from kg.nlp.keys import TokenKeys
from kg.nlp.words import load_words

WORDS = load_words()
GAZETTEER_SPANS = "kg_gazetteer"
# Classes of the world layer left to lookup: the statistical model finds people and towns,
# resolution types them from the gazetteer; 150,000 more patterns would cost seconds and
# hundreds of MB in every worker.
LOOKUP_ONLY_CLASSES = frozenset({"Person", "Settlement"})


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
    particles = WORDS.types.particles
    return any(w[0].isupper() for w in words) and all(w[0].isupper() or w.lower() in particles for w in words)

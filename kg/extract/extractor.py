"""Everything extracted from one processed article: the only entry point of the extract stage."""

from __future__ import annotations

from spacy.tokens import Doc

from kg.extract import claims as claim_reader
from kg.extract import entities, parse
from kg.extract.assemble import Assembler, resolve_references
from kg.extract.lexicon import load_lexicon
from kg.extract.reading import Reading
from kg.extract.rules import RULES
from kg.gazetteer import Gazetteer
from kg.model import Article, Extraction


def extract_article(doc: Doc, article: Article, gazetteer: Gazetteer) -> Extraction:
    """Mentions, relations, events and claims of one article, read once."""
    try:
        reading = Reading(doc, article, gazetteer, load_lexicon())
        findings = resolve_references(reading, [f for rule in RULES for f in rule(reading)])
        assembler = Assembler(reading)
        relations = assembler.relations(findings)
        events = assembler.events(findings)
        found_claims = list(claim_reader.claims(reading, assembler.used_numbers))
        return Extraction(
            article=article,
            mentions=tuple(entities.mentions(doc, article, reading.actors.ents, reading.text)),
            relations=tuple(relations),
            events=tuple(events),
            claims=tuple(found_claims),
        )
    finally:
        parse.forget(doc)  # the Doc is freed as soon as its caller lets it go

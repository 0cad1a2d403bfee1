"""Shared by the relation-rule tests: a small gazetteer and a runner for one rule module on a frozen parse.

The parses in the test modules were produced once by the small English model for invented
sentences and frozen, so the rules are tested on realistic trees without loading the model.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

from kg.extract.assemble import Assembler
from kg.extract.findings import Finding
from kg.extract.lexicon import load_lexicon
from kg.extract.reading import Reading
from kg.gazetteer import Gazetteer, load_gazetteer
from kg.model import Article, Relation

from .frozen_docs import frozen_doc

GAZETTEER_TTL = """
@prefix kg: <https://w3id.org/kg-news/ontology#> .
@prefix kge: <https://w3id.org/kg-news/id/entity/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
kge:united-states a kg:Country ; rdfs:label "United States" ; skos:altLabel "US", "U.S.", "Washington" ;
    kg:demonym "American", "US", "U.S." .
kge:iraq a kg:Country ; rdfs:label "Iraq" ; kg:demonym "Iraqi" .
kge:iran a kg:Country ; rdfs:label "Iran" ; skos:altLabel "Tehran" ; kg:demonym "Iranian" .
kge:jordan a kg:Country ; rdfs:label "Jordan" ; kg:demonym "Jordanian" .
kge:turkey a kg:Country ; rdfs:label "Turkey" ; kg:demonym "Turkish" .
kge:germany a kg:Country ; rdfs:label "Germany" ; kg:demonym "German" .
kge:syria a kg:Country ; rdfs:label "Syria" ; kg:demonym "Syrian" .
kge:yemen a kg:Country ; rdfs:label "Yemen" ; kg:demonym "Yemeni" .
kge:lebanon a kg:Country ; rdfs:label "Lebanon" ; kg:demonym "Lebanese" .
kge:baghdad a kg:Settlement ; rdfs:label "Baghdad" .
kge:erbil a kg:Settlement ; rdfs:label "Erbil" .
kge:raqqa a kg:Settlement ; rdfs:label "Raqqa" .
kge:qaim a kg:Settlement ; rdfs:label "Qaim" .
kge:sinjar a kg:Settlement ; rdfs:label "Sinjar" .
kge:ankara a kg:Settlement ; rdfs:label "Ankara" .
kge:kurdistan-region a kg:Region ; rdfs:label "Kurdistan Region" .
kge:anbar a kg:Region ; rdfs:label "Anbar" .
kge:kataib-hezbollah a kg:ArmedGroup ; rdfs:label "Kataib Hezbollah" .
kge:hezbollah a kg:ArmedGroup ; rdfs:label "Hezbollah" .
kge:asaib-ahl-al-haq a kg:ArmedGroup ; rdfs:label "Asaib Ahl al-Haq" .
kge:popular-mobilization-forces a kg:ArmedGroup ; rdfs:label "Popular Mobilization Forces" ; skos:altLabel "PMF" .
kge:northern-shield-brigade a kg:ArmedGroup ; rdfs:label "Northern Shield Brigade" .
kge:cedar-unit a kg:ArmedGroup ; rdfs:label "Cedar Unit" .
kge:green-dawn-party a kg:PoliticalParty ; rdfs:label "Green Dawn Party" ; skos:altLabel "GDP" .
kge:national-front a kg:PoliticalParty ; rdfs:label "National Front" ; skos:altLabel "NF" .
kge:unity-alliance a kg:Organization ; rdfs:label "Unity Alliance" .
kge:global-coalition a kg:InternationalOrganization ; rdfs:label "Global Coalition" ;
    kg:contextualAlias "coalition" .
kge:kurdistan-regional-government a kg:GovernmentBody ; rdfs:label "Kurdistan Regional Government" .
kge:quds-force a kg:MilitaryForce ; rdfs:label "Quds Force" .
kge:iraqi-army a kg:MilitaryForce ; rdfs:label "Iraqi army" .
kge:us-department-of-state a kg:GovernmentBody ; rdfs:label "US Department of State" ;
    skos:altLabel "US State Department" .
kge:camp-delta a kg:MilitaryBase ; rdfs:label "Camp Delta" .
kge:camp-orion a kg:MilitaryBase ; rdfs:label "Camp Orion" .
kge:sabra a kg:Facility ; rdfs:label "Sabra" .
"""

DATE = dt.date(2024, 1, 10)
Rule = Callable[[Reading], Iterator[Finding]]


def rule_gazetteer(directory: Path) -> Gazetteer:
    path = directory / "gazetteer.ttl"
    path.write_text(GAZETTEER_TTL, encoding="utf-8")
    return load_gazetteer(path)


def reading_of(parse: tuple[str, list[tuple[int, int, str]]], gazetteer: Gazetteer) -> Reading:
    rows, ents = parse
    doc = frozen_doc(rows, ents, gazetteer)
    return Reading(doc, Article("t", "t", "", doc.text, date=DATE), gazetteer, load_lexicon())


def relations(rule: Rule, parse: tuple[str, list[tuple[int, int, str]]], gazetteer: Gazetteer) -> list[Relation]:
    """The relation records one rule module gives on a frozen parse."""
    reading = reading_of(parse, gazetteer)
    return Assembler(reading).relations(list(rule(reading)))


def triples(text: str, found: list[Relation]) -> set[tuple[str, str, str]]:
    return {(text[r.subject.start : r.subject.end], r.predicate, text[r.object.start : r.object.end]) for r in found}


def run(rule: Rule, parse: tuple[str, list[tuple[int, int, str]]], gazetteer: Gazetteer) -> set[tuple[str, str, str]]:
    """(subject text, predicate, object text) of what one rule module gives on a frozen parse."""
    reading = reading_of(parse, gazetteer)
    return triples(reading.doc.text, Assembler(reading).relations(list(rule(reading))))

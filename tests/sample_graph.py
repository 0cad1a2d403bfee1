"""A small hand-built graph that follows the graph contract, for tests that need no model."""

from __future__ import annotations

import hashlib
from pathlib import Path

TEXT_A1 = "Blinken meets Sudani\n\nAntony Blinken met Mohammed Shia al-Sudani in Baghdad. The Islamic Resistance in Iraq attacked US forces."
TEXT_A2 = "Attacks go on\n\nThe Islamic Resistance in Iraq attacked the United States again, Sudani said."
HASH_A1 = hashlib.sha256(TEXT_A1.encode()).hexdigest()
HASH_A2 = hashlib.sha256(TEXT_A2.encode()).hexdigest()

SAMPLE_TTL = f"""
@prefix kg: <https://w3id.org/kg-news/ontology#> .
@prefix kge: <https://w3id.org/kg-news/id/entity/> .
@prefix kga: <https://w3id.org/kg-news/id/article/> .
@prefix kgm: <https://w3id.org/kg-news/id/mention/> .
@prefix kgs: <https://w3id.org/kg-news/id/statement/> .
@prefix schema: <https://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

kga:a1 a schema:NewsArticle ;
    schema:headline "Blinken meets Sudani" ;
    schema:text {TEXT_A1!r} ;
    schema:datePublished "2024-01-05"^^xsd:date ;
    schema:publisher "Rudaw" ;
    kg:contentHash "{HASH_A1}" ;
    kg:origin "a1.txt" .
kga:a2 a schema:NewsArticle ;
    schema:headline "Attacks go on" ;
    schema:text {TEXT_A2!r} ;
    schema:publisher "Agence France-Presse" ;
    kg:contentHash "{HASH_A2}" ;
    kg:origin "a2.txt" .

kge:antony-blinken a kg:Person ; rdfs:label "Antony Blinken" ; skos:altLabel "Blinken" ;
    kg:mentionedIn kga:a1 ;
    kg:consulted kge:mohammed-shia-al-sudani .
kge:mohammed-shia-al-sudani a kg:Person ; rdfs:label "Mohammed Shia al-Sudani" ; skos:altLabel "Sudani" ;
    kg:mentionedIn kga:a1, kga:a2 ;
    kg:leaderOf kge:iraq .
kge:iraq a kg:Country ; rdfs:label "Iraq" ; kg:mentionedIn kga:a1 .
kge:baghdad a kg:Settlement ; rdfs:label "Baghdad" ; kg:mentionedIn kga:a1 ; kg:locatedIn kge:iraq .
kge:islamic-resistance-in-iraq a kg:ArmedGroup ; rdfs:label "Islamic Resistance in Iraq" ;
    kg:mentionedIn kga:a1, kga:a2 ;
    kg:attacked kge:united-states .
kge:united-states a kg:Country ; rdfs:label "United States" ; skos:altLabel "US" ;
    kg:mentionedIn kga:a1, kga:a2 .

kgm:a1-22-36 a kg:Mention ; kg:mentionOf kge:antony-blinken ; kg:inArticle kga:a1 ;
    kg:start 22 ; kg:end 36 ; kg:surfaceForm "Antony Blinken" .
kgm:a1-41-64 a kg:Mention ; kg:mentionOf kge:mohammed-shia-al-sudani ; kg:inArticle kga:a1 ;
    kg:start 41 ; kg:end 64 ; kg:surfaceForm "Mohammed Shia al-Sudani" .
kgm:a2-80-86 a kg:Mention ; kg:mentionOf kge:mohammed-shia-al-sudani ; kg:inArticle kga:a2 ;
    kg:start 80 ; kg:end 86 ; kg:surfaceForm "Sudani" .
kgm:a1-68-75 a kg:Mention ; kg:mentionOf kge:baghdad ; kg:inArticle kga:a1 ;
    kg:start 68 ; kg:end 75 ; kg:surfaceForm "Baghdad" .
kgm:a1-81-107 a kg:Mention ; kg:mentionOf kge:islamic-resistance-in-iraq ; kg:inArticle kga:a1 ;
    kg:start 81 ; kg:end 107 ; kg:surfaceForm "Islamic Resistance in Iraq" .
kgm:a1-103-107 a kg:Mention ; kg:mentionOf kge:iraq ; kg:inArticle kga:a1 ;
    kg:start 103 ; kg:end 107 ; kg:surfaceForm "Iraq" .
kgm:a1-117-119 a kg:Mention ; kg:mentionOf kge:united-states ; kg:inArticle kga:a1 ;
    kg:start 117 ; kg:end 119 ; kg:surfaceForm "US" .
kgm:a2-19-45 a kg:Mention ; kg:mentionOf kge:islamic-resistance-in-iraq ; kg:inArticle kga:a2 ;
    kg:start 19 ; kg:end 45 ; kg:surfaceForm "Islamic Resistance in Iraq" .
kgm:a2-59-72 a kg:Mention ; kg:mentionOf kge:united-states ; kg:inArticle kga:a2 ;
    kg:start 59 ; kg:end 72 ; kg:surfaceForm "United States" .

kgs:s1 a kg:Statement ; rdf:subject kge:antony-blinken ; rdf:predicate kg:consulted ;
    rdf:object kge:mohammed-shia-al-sudani ; prov:wasDerivedFrom kga:a1 ;
    kg:evidenceText "Antony Blinken met Mohammed Shia al-Sudani in Baghdad." ;
    kg:start 22 ; kg:end 76 ; kg:extractor "verb-meet" ; kg:confidence 0.8 ;
    kg:articleDate "2024-01-05"^^xsd:date ; kg:time "2024-01-04" ; kg:timeText "on Thursday" .
kgs:s2 a kg:Statement ; rdf:subject kge:islamic-resistance-in-iraq ; rdf:predicate kg:attacked ;
    rdf:object kge:united-states ; prov:wasDerivedFrom kga:a1 ;
    kg:evidenceText "The Islamic Resistance in Iraq attacked US forces." ;
    kg:start 77 ; kg:end 127 ; kg:extractor "verb-attack" ; kg:confidence 0.9 ;
    kg:articleDate "2024-01-05"^^xsd:date .
kgs:s3 a kg:Statement ; rdf:subject kge:islamic-resistance-in-iraq ; rdf:predicate kg:attacked ;
    rdf:object kge:united-states ; prov:wasDerivedFrom kga:a2 ;
    kg:evidenceText "The Islamic Resistance in Iraq attacked the United States again, Sudani said." ;
    kg:start 15 ; kg:end 92 ; kg:extractor "verb-attack" ; kg:confidence 0.85 .
kgs:s4 a kg:Statement ; rdf:subject kge:mohammed-shia-al-sudani ; rdf:predicate kg:leaderOf ;
    rdf:object kge:iraq ; prov:wasDerivedFrom kga:a1 ;
    kg:evidenceText "Antony Blinken met Mohammed Shia al-Sudani in Baghdad." ;
    kg:start 22 ; kg:end 76 ; kg:extractor "title-appos" ; kg:confidence 0.7 ; kg:role "prime minister" ;
    kg:articleDate "2024-01-05"^^xsd:date .
kgs:s5 a kg:Statement ; rdf:subject kge:baghdad ; rdf:predicate kg:locatedIn ;
    rdf:object kge:iraq ; prov:wasDerivedFrom kga:a1 ;
    kg:evidenceText "Antony Blinken met Mohammed Shia al-Sudani in Baghdad." ;
    kg:start 22 ; kg:end 76 ; kg:extractor "gazetteer" ; kg:confidence 0.6 ;
    kg:articleDate "2024-01-05"^^xsd:date .
"""


def write_sample(folder: Path, name: str = "graph.ttl") -> Path:
    """Write the sample graph as Turtle into ``folder`` and return its path."""
    path = folder / name
    path.write_text(SAMPLE_TTL, encoding="utf-8")
    return path

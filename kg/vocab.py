"""The ontology namespace as a closed vocabulary, the IRI bases and the fixed prefixes."""

from __future__ import annotations

from enum import StrEnum
from importlib.resources import files
from pathlib import Path

from rdflib import Namespace
from rdflib.namespace import DefinedNamespace
from rdflib.term import URIRef

BASE = "https://w3id.org/kg-news/"


class KG(DefinedNamespace):
    """Terms of ``ontology/kg.ttl``; a misspelt term raises instead of minting a new IRI."""

    _fail = True
    _NS = Namespace(BASE + "ontology#")

    # top classes and finer classes
    Person: URIRef
    Organization: URIRef
    Place: URIRef
    GovernmentBody: URIRef
    DiplomaticMission: URIRef
    MilitaryForce: URIRef
    ArmedGroup: URIRef
    PoliticalParty: URIRef
    InternationalOrganization: URIRef
    MilitaryOperation: URIRef
    MediaOutlet: URIRef
    Country: URIRef
    Region: URIRef
    Settlement: URIRef
    Facility: URIRef
    MilitaryBase: URIRef
    Mention: URIRef
    Statement: URIRef
    Event: URIRef
    Claim: URIRef
    # PLOVER categories of events
    Assault: URIRef
    Consult: URIRef
    Request: URIRef
    Accuse: URIRef
    Reject: URIRef
    Threaten: URIRef
    Cooperate: URIRef
    Support: URIRef
    Agree: URIRef
    Concede: URIRef
    Aid: URIRef
    Retreat: URIRef
    Protest: URIRef
    Sanction: URIRef
    Mobilize: URIRef
    Coerce: URIRef
    # relations
    actorRelation: URIRef
    consulted: URIRef
    requested: URIRef
    criticized: URIRef
    rejected: URIRef
    threatened: URIRef
    attacked: URIRef
    cooperatedWith: URIRef
    supported: URIRef
    memberOf: URIRef
    leaderOf: URIRef
    backedBy: URIRef
    affiliatedWith: URIRef
    locatedIn: URIRef
    deployedIn: URIRef
    agreedWith: URIRef
    concededTo: URIRef
    aided: URIRef
    retreatedFrom: URIRef
    protestedAgainst: URIRef
    sanctioned: URIRef
    mobilizedAgainst: URIRef
    coerced: URIRef
    investigated: URIRef
    ploverType: URIRef
    ploverMode: URIRef
    ploverContext: URIRef
    cameoCode: URIRef
    actorDescriptor: URIRef
    actorSector: URIRef
    targetDescriptor: URIRef
    targetSector: URIRef
    subjectDescriptor: URIRef
    subjectSector: URIRef
    objectDescriptor: URIRef
    objectSector: URIRef
    # mentions and articles
    mentionOf: URIRef
    inArticle: URIRef
    mentionedIn: URIRef
    start: URIRef
    end: URIRef
    surfaceForm: URIRef
    contentHash: URIRef
    origin: URIRef
    dateline: URIRef
    datelineText: URIRef
    gazetteerEntry: URIRef
    # statements
    evidenceText: URIRef
    articleDate: URIRef
    extractor: URIRef
    confidence: URIRef
    role: URIRef
    quantity: URIRef
    place: URIRef
    time: URIRef
    timeText: URIRef
    # events and claims
    actor: URIRef
    target: URIRef
    participant: URIRef
    fatalities: URIRef
    injuries: URIRef
    anchorText: URIRef
    anchorStart: URIRef
    anchorEnd: URIRef
    measure: URIRef
    value: URIRef
    approximation: URIRef
    about: URIRef
    reportedBy: URIRef
    since: URIRef
    sinceText: URIRef
    # gazetteer annotations
    contextualAlias: URIRef
    demonym: URIRef


ENTITY = Namespace(BASE + "id/entity/")
ARTICLE = Namespace(BASE + "id/article/")
MENTION = Namespace(BASE + "id/mention/")
STATEMENT = Namespace(BASE + "id/statement/")
EVENT = Namespace(BASE + "id/event/")
CLAIM = Namespace(BASE + "id/claim/")
SCHEMA = Namespace("https://schema.org/")
PROV = Namespace("http://www.w3.org/ns/prov#")

class EventType(StrEnum):
    """The sixteen PLOVER event types (PLOVER 2021 names; GSR 0.5 calls REQUEST "DEMAND", ACCUSE "DISAPPROVE")."""

    AGREE = "AGREE"
    CONSULT = "CONSULT"
    SUPPORT = "SUPPORT"
    CONCEDE = "CONCEDE"
    COOPERATE = "COOPERATE"
    AID = "AID"
    RETREAT = "RETREAT"
    REQUEST = "REQUEST"
    ACCUSE = "ACCUSE"
    REJECT = "REJECT"
    THREATEN = "THREATEN"
    PROTEST = "PROTEST"
    SANCTION = "SANCTION"
    MOBILIZE = "MOBILIZE"
    COERCE = "COERCE"
    ASSAULT = "ASSAULT"


class Predicate(StrEnum):
    """Direct edges between entities: the contract's fourteen, then the project's own for the other PLOVER types."""

    CONSULTED = "consulted"
    REQUESTED = "requested"
    CRITICIZED = "criticized"
    REJECTED = "rejected"
    THREATENED = "threatened"
    ATTACKED = "attacked"
    COOPERATED_WITH = "cooperatedWith"
    SUPPORTED = "supported"
    MEMBER_OF = "memberOf"
    LEADER_OF = "leaderOf"
    BACKED_BY = "backedBy"
    AFFILIATED_WITH = "affiliatedWith"
    LOCATED_IN = "locatedIn"
    DEPLOYED_IN = "deployedIn"
    # the project's own (the contract's scorer ignores them)
    AGREED_WITH = "agreedWith"
    CONCEDED_TO = "concededTo"
    AIDED = "aided"
    RETREATED_FROM = "retreatedFrom"
    PROTESTED_AGAINST = "protestedAgainst"
    SANCTIONED = "sanctioned"
    MOBILIZED_AGAINST = "mobilizedAgainst"
    COERCED = "coerced"
    INVESTIGATED = "investigated"


# The predicates of the contract's relation table, and which of them are symmetric.
RELATION_PREDICATES: tuple[str, ...] = tuple(p.value for p in list(Predicate)[:14])
# Every direct edge between actors: the contract's and the project's own.
ACTOR_PREDICATES: tuple[str, ...] = tuple(p.value for p in Predicate)
SYMMETRIC_PREDICATES: frozenset[str] = frozenset({"consulted", "cooperatedWith", "affiliatedWith"})
TOP_CLASSES: tuple[str, ...] = ("Person", "Organization", "Place")
# PLOVER type of an event -> the local name of its class in ontology/kg.ttl.
PLOVER_CLASSES: dict[str, str] = {t.value: t.value.capitalize() for t in EventType}
# PLOVER type -> the direct edge an event of that type gives between its actor and target.
EVENT_PREDICATES: dict[EventType, Predicate] = {
    EventType.AGREE: Predicate.AGREED_WITH,
    EventType.CONSULT: Predicate.CONSULTED,
    EventType.SUPPORT: Predicate.SUPPORTED,
    EventType.CONCEDE: Predicate.CONCEDED_TO,
    EventType.COOPERATE: Predicate.COOPERATED_WITH,
    EventType.AID: Predicate.AIDED,
    EventType.RETREAT: Predicate.RETREATED_FROM,
    EventType.REQUEST: Predicate.REQUESTED,
    EventType.ACCUSE: Predicate.CRITICIZED,
    EventType.REJECT: Predicate.REJECTED,
    EventType.THREATEN: Predicate.THREATENED,
    EventType.PROTEST: Predicate.PROTESTED_AGAINST,
    EventType.SANCTION: Predicate.SANCTIONED,
    EventType.MOBILIZE: Predicate.MOBILIZED_AGAINST,
    EventType.COERCE: Predicate.COERCED,
    EventType.ASSAULT: Predicate.ATTACKED,
}


def event_predicate(kind: EventType, mode: str = "", accord: bool = False) -> Predicate:
    """The direct edge of an event: an investigation (ACCUSE, mode investigate) is no criticism;
    an accord both sides made ("X and Y agreed", "a deal with Y") is cooperation between them."""
    if accord:
        return Predicate.COOPERATED_WITH
    if kind is EventType.ACCUSE and mode == "investigate":
        return Predicate.INVESTIGATED
    return EVENT_PREDICATES[kind]


# Mutual event types: every party is a participant ("X and Y met").
MUTUAL_EVENTS: frozenset[EventType] = frozenset({EventType.CONSULT, EventType.COOPERATE})

PREFIXES: dict[str, str] = {
    "kg": str(KG._NS),
    "kge": str(ENTITY),
    "kga": str(ARTICLE),
    "kgm": str(MENTION),
    "kgs": str(STATEMENT),
    "kgev": str(EVENT),
    "kgc": str(CLAIM),
    "schema": str(SCHEMA),
    "prov": str(PROV),
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
}


def ontology_dir() -> Path:
    """The directory holding ``kg.ttl``, ``shapes.ttl`` and ``gazetteer.ttl``."""
    return Path(str(files("kg.ontology")))

# Class local name -> top class, mirroring the rdfs:subClassOf tree of ontology/kg.ttl
# (tests/test_vocab.py checks the two agree).
CLASS_TOP: dict[str, str] = {
    "Person": "Person",
    "Organization": "Organization",
    "GovernmentBody": "Organization",
    "DiplomaticMission": "Organization",
    "MilitaryForce": "Organization",
    "ArmedGroup": "Organization",
    "PoliticalParty": "Organization",
    "InternationalOrganization": "Organization",
    "MilitaryOperation": "Organization",
    "MediaOutlet": "Organization",
    "Place": "Place",
    "Country": "Place",
    "Region": "Place",
    "Settlement": "Place",
    "Facility": "Place",
    "MilitaryBase": "Place",
}

"""The ontology namespace as a closed vocabulary, the IRI bases and the fixed prefixes."""

from __future__ import annotations

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
    ploverType: URIRef
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

# The predicates of the contract's relation table, and which of them are symmetric.
RELATION_PREDICATES: tuple[str, ...] = (
    "consulted", "requested", "criticized", "rejected", "threatened", "attacked",
    "cooperatedWith", "supported", "memberOf", "leaderOf", "backedBy",
    "affiliatedWith", "locatedIn", "deployedIn",
)
SYMMETRIC_PREDICATES: frozenset[str] = frozenset({"consulted", "cooperatedWith", "affiliatedWith"})
TOP_CLASSES: tuple[str, ...] = ("Person", "Organization", "Place")
# PLOVER category of an event -> the local name of its class in ontology/kg.ttl.
PLOVER_CLASSES: dict[str, str] = {
    "ASSAULT": "Assault", "CONSULT": "Consult", "REQUEST": "Request", "ACCUSE": "Accuse",
    "REJECT": "Reject", "THREATEN": "Threaten", "COOPERATE": "Cooperate", "SUPPORT": "Support",
}

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

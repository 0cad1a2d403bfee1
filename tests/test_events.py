"""Events and claims: graph nodes from hand-built records (no model), the reader on invented sentences
and the seeds end to end (real model)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable

import pytest
import rdflib
from pyshacl import validate
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.term import Node

from kg.gazetteer import Gazetteer, load_gazetteer
from kg.graph import build_graph, iter_triples
from kg.model import Article, Claim, Entity, Event, Extraction, Mention, Ref, Resolution
from kg.rdflib_bridge import triples_of
from kg.resolve import resolve
from kg.turtle import turtle_bytes
from kg.vocab import ARTICLE, ENTITY, KG, PROV, SCHEMA, ontology_dir

from .conftest import ROOT, SEEDS

# ---------------------------------------------------------------- graph nodes from hand-built records

TEXT = (
    "US strikes in Iraq. On Thursday, a US drone strike killed two Kataib Hezbollah commanders in Baghdad. "
    "The Pentagon said there had been at least 102 attacks on US forces since October 17."
)


def _span(text: str, surface: str, after: int = 0) -> tuple[int, int]:
    start = text.index(surface, after)
    return start, start + len(surface)


def _article(article_id: str = "a1", text: str = TEXT, date: dt.date | None = dt.date(2024, 2, 2),
             source: str | None = "Rudaw") -> Article:
    return Article(id=article_id, origin=f"{article_id}.txt", title=text.split(".")[0], text=text, date=date,
                   source=source, content_hash="0" * 64)


def _sample() -> tuple[list[Extraction], Resolution]:
    article = _article()
    second = TEXT.index("On Thursday")
    sentence = (second, TEXT.index("The Pentagon") - 1)
    last = (TEXT.index("The Pentagon"), len(TEXT))
    us = _span(TEXT, "US", second)
    kh = _span(TEXT, "Kataib Hezbollah")
    baghdad = _span(TEXT, "Baghdad")
    pentagon = _span(TEXT, "Pentagon")
    us_forces = _span(TEXT, "US", pentagon[1])
    mentions = tuple(
        Mention("a1", s, e, TEXT[s:e], label)
        for (s, e), label in [(us, "Country"), (kh, "ArmedGroup"), (baghdad, "Settlement"),
                              (pentagon, "GovernmentBody"), (us_forces, "Country")]
    )
    strike = _span(TEXT, "drone strike")
    event = Event(
        article_id="a1", kind="ASSAULT", trigger_start=strike[0], trigger_end=strike[1],
        sentence_start=sentence[0], sentence_end=sentence[1],
        participants=(("actor", Ref(*us)), ("target", Ref(*kh)), ("target", Ref(0, 2))),  # the last maps to nothing
        place=Ref(*baghdad), time="2024-02-01", time_text="On Thursday", quantities=(("fatalities", "2"),),
        rule="assault-noun",
    )
    figure = _span(TEXT, "at least 102 attacks")
    claim = Claim(
        article_id="a1", measure="attacks", value="102", approximation="at least", start=figure[0], end=figure[1],
        sentence_start=last[0], sentence_end=last[1], subject=Ref(*us_forces), source=Ref(*pentagon),
        since="2023-10-17", since_text="since October 17", rule="claim-count",
    )
    extraction = Extraction(article, mentions, (), (event,), (claim,))
    mention_entity = {("a1", *us): "united-states", ("a1", *kh): "kataib-hezbollah", ("a1", *baghdad): "baghdad",
                      ("a1", *pentagon): "pentagon", ("a1", *us_forces): "united-states"}
    resolution = Resolution(
        entities=(
            Entity("baghdad", "Baghdad", "Settlement"),
            Entity("kataib-hezbollah", "Kataib Hezbollah", "ArmedGroup"),
            Entity("pentagon", "Pentagon", "GovernmentBody"),
            Entity("united-states", "United States", "Country"),
        ),
        mention_entity=mention_entity,
    )
    return [extraction], resolution


def _int(graph: Graph, node: Node, prop: URIRef) -> int:
    return int(str(graph.value(node, prop)))


def _one(graph: Graph, cls: URIRef) -> URIRef:
    nodes = list(graph.subjects(RDF.type, cls))
    assert len(nodes) == 1, nodes
    node = nodes[0]
    assert isinstance(node, URIRef)
    return node


def test_event_node_has_plover_class_participants_place_time_and_casualties() -> None:
    graph = build_graph(*_sample())
    event = _one(graph, KG.Event)
    assert (event, RDF.type, KG.Assault) in graph
    assert graph.value(event, KG.ploverType) == Literal("ASSAULT")
    assert graph.value(event, KG.actor) == ENTITY["united-states"]
    # the participant whose span names no entity is left out, not minted
    assert list(graph.objects(event, KG.target)) == [ENTITY["kataib-hezbollah"]]
    assert graph.value(event, KG.place) == ENTITY["baghdad"]
    assert graph.value(event, KG.time) == Literal("2024-02-01", datatype=rdflib.XSD.date)
    assert graph.value(event, KG.timeText) == Literal("On Thursday")
    assert graph.value(event, KG.fatalities) == Literal(2)
    assert graph.value(event, KG.anchorText) == Literal("drone strike")
    assert graph.value(event, PROV.wasDerivedFrom) == ARTICLE["a1"]
    assert str(graph.value(event, SCHEMA.name)).startswith("ASSAULT (drone strike): United States -> Kataib Hezbollah")


def test_claim_node_keeps_the_figure_as_written() -> None:
    graph = build_graph(*_sample())
    claim = _one(graph, KG.Claim)
    assert graph.value(claim, KG.measure) == Literal("attacks")
    assert graph.value(claim, KG.value) == Literal(102)
    assert graph.value(claim, KG.value).datatype == rdflib.XSD.integer  # type: ignore[union-attr]
    assert graph.value(claim, KG.approximation) == Literal("at least")
    assert graph.value(claim, KG.about) == ENTITY["united-states"]
    assert graph.value(claim, KG.reportedBy) == ENTITY["pentagon"]
    assert graph.value(claim, KG.since) == Literal("2023-10-17", datatype=rdflib.XSD.date)
    assert graph.value(claim, KG.sinceText) == Literal("since October 17")
    assert graph.value(claim, KG.articleDate) == Literal("2024-02-02", datatype=rdflib.XSD.date)


def test_evidence_and_anchor_are_verbatim_slices() -> None:
    graph = build_graph(*_sample())
    for node in [_one(graph, KG.Event), _one(graph, KG.Claim)]:
        start, end = _int(graph, node, KG.start), _int(graph, node, KG.end)
        assert TEXT[start:end] == str(graph.value(node, KG.evidenceText))
        a, b = _int(graph, node, KG.anchorStart), _int(graph, node, KG.anchorEnd)
        assert TEXT[a:b] == str(graph.value(node, KG.anchorText))
        assert start <= a < b <= end


def test_partial_times_stay_plain_strings() -> None:
    extractions, resolution = _sample()
    (extraction,) = extractions
    event = extraction.events[0]
    month = dataclasses.replace(event, time="2024-02")
    graph = build_graph([Extraction(extraction.article, extraction.mentions, (), (month,))], resolution)
    assert graph.value(_one(graph, KG.Event), KG.time) == Literal("2024-02")


def test_event_without_any_known_participant_is_dropped() -> None:
    extractions, resolution = _sample()
    (extraction,) = extractions
    event = extraction.events[0]
    lonely = dataclasses.replace(event, participants=(("actor", Ref(0, 2)),))
    graph = build_graph([Extraction(extraction.article, extraction.mentions, (), (lonely,))], resolution)
    assert list(graph.subjects(RDF.type, KG.Event)) == []


def test_two_outlets_counts_stay_two_claims() -> None:
    """'At least 102 attacks' (one outlet) and 'over 165 times' (another) are never merged."""
    text_b = "Militias hit US troops over 165 times since mid-October."
    article_b = _article("b1", text_b, dt.date(2024, 2, 14), "Rudaw")
    figure = _span(text_b, "over 165 times")
    claim_b = Claim("b1", "attacks", "165", "over", *figure, 0, len(text_b), since="2023-10",
                    since_text="since mid-October")
    extractions, resolution = _sample()
    extractions.append(Extraction(article_b, (), (), (), (claim_b,)))
    graph = build_graph(extractions, resolution)
    claims = list(graph.subjects(RDF.type, KG.Claim))
    assert len(claims) == 2
    values = {_int(graph, c, KG.value): graph.value(c, PROV.wasDerivedFrom) for c in claims}
    assert values == {102: ARTICLE["a1"], 165: ARTICLE["b1"]}
    assert {str(graph.value(c, KG.since)) for c in claims} == {"2023-10-17", "2023-10"}


def test_event_and_claim_iris_are_deterministic_and_no_blank_nodes() -> None:
    first, second = build_graph(*_sample()), build_graph(*_sample())
    assert turtle_bytes(iter_triples(*_sample())) == turtle_bytes(iter_triples(*_sample()))
    assert set(first.subjects(RDF.type, KG.Event)) == set(second.subjects(RDF.type, KG.Event))
    assert not any(term.__class__.__name__ == "BNode" for triple in first for term in triple)


def _shapes_conform(graph: Graph) -> tuple[bool, str]:
    shapes = Graph().parse(ontology_dir() / "shapes.ttl")
    ontology = Graph().parse(ontology_dir() / "kg.ttl")
    conforms, _, text = validate(graph, shacl_graph=shapes, ont_graph=ontology)
    return bool(conforms), str(text)


def test_shapes_accept_events_and_claims_and_catch_a_merged_figure() -> None:
    extractions, resolution = _sample()
    graph = build_graph(extractions, resolution)
    for entity in ("united-states", "kataib-hezbollah", "baghdad", "pentagon"):
        assert (ENTITY[entity], KG.mentionedIn, ARTICLE["a1"]) in graph
    conforms, text = _shapes_conform(graph)
    assert conforms, text
    claim = _one(graph, KG.Claim)
    graph.add((claim, KG.value, Literal(165)))  # two figures on one claim: the shape refuses it
    event = _one(graph, KG.Event)
    graph.add((event, KG.target, ENTITY["nobody"]))  # a participant that is no entity of the graph
    conforms, text = _shapes_conform(graph)
    assert not conforms
    assert "exactly one integer value" in text
    assert "entities of the graph" in text


def test_resolution_maps_event_and_claim_refs_implied_by_a_word(small_gazetteer: Gazetteer) -> None:
    text = "An American strike hit Baghdad. Iraqi officials counted 3 attacks."
    article = _article("r1", text, None, None)
    american = _span(text, "American")
    iraqi = _span(text, "Iraqi")
    event = Event("r1", "ASSAULT", *_span(text, "strike"), 0, 31,
                  participants=(("actor", Ref(*american, gazetteer_id="united-states")),))
    claim = Claim("r1", "attacks", "3", None, *_span(text, "3 attacks"), 32, len(text),
                  source=Ref(*iraqi, gazetteer_id="iraq"))
    res = resolve([Extraction(article, (), (), (event,), (claim,))], small_gazetteer)
    assert res.mention_entity[("r1", *american)] == "united-states"
    assert res.mention_entity[("r1", *iraqi)] == "iraq"
    us = next(e for e in res.entities if e.id == "united-states")
    # a demonym standing for the state acting is one of its surface forms (the gold's convention too)
    assert "American" in us.alt_labels


# ---------------------------------------------------------------- the reader on invented sentences

ARTICLE_DATE = dt.date(2024, 2, 14)


@pytest.fixture(scope="module")
def read() -> Callable[[str], tuple[list[Event], list[Claim]]]:
    from kg.extract.extractor import extract_article
    from kg.nlp import build_pipeline

    gazetteer = load_gazetteer()
    nlp = build_pipeline(gazetteer=gazetteer)

    def run(text: str) -> tuple[list[Event], list[Claim]]:
        article = Article(id="t", origin="t.txt", title="", text=text, date=ARTICLE_DATE)
        found = extract_article(nlp(text), article, gazetteer)
        return list(found.events), list(found.claims)

    return run


def _roles(text: str, event: Event) -> set[tuple[str, str]]:
    return {(role, text[ref.start : ref.end]) for role, ref in event.participants}


@pytest.mark.model
def test_a_dated_attack_is_an_assault_event_with_casualties(read) -> None:  # type: ignore[no-untyped-def]
    text = ("On Tuesday, Kataib Hezbollah fighters attacked the Al-Asad Airbase with rockets, "
            "wounding three American soldiers.")
    events, claims = read(text)
    (event,) = events
    assert event.kind == "ASSAULT"
    # the soldiers it wounded are the attack's targets too
    assert _roles(text, event) == {("actor", "Kataib Hezbollah"), ("target", "Al-Asad Airbase"), ("target", "American")}
    assert (event.time, event.time_text) == ("2024-02-13", "On Tuesday")
    assert dict(event.quantities) == {"injuries": "3"}
    assert text[event.trigger_start : event.trigger_end] == "attacked"
    assert claims == []  # the casualty figure belongs to the event


@pytest.mark.model
def test_one_occurrence_told_by_several_triggers_is_one_event(read) -> None:  # type: ignore[no-untyped-def]
    text = ("Three US soldiers were killed and more than 40 were injured in a drone attack on Tower 22 "
            "in Jordan on January 28.")
    events, claims = read(text)
    (event,) = events
    assert _roles(text, event) == {("target", "US"), ("target", "Tower 22")}
    assert event.place is not None and text[event.place.start : event.place.end] == "Jordan"
    assert event.time == "2024-01-28"
    assert dict(event.quantities) == {"fatalities": "3"}
    # a hedged figure is reported, not counted: it stays a claim
    (claim,) = claims
    assert (claim.measure, claim.value, claim.approximation) == ("injuries", "40", "more than")


@pytest.mark.model
def test_a_meeting_is_a_consult_event(read) -> None:  # type: ignore[no-untyped-def]
    text = "Iraqi Prime Minister Mohammed Shia al-Sudani met US Secretary of State Antony Blinken in Baghdad on Monday."
    (event,), _ = read(text)
    assert event.kind == "CONSULT"
    assert _roles(text, event) == {("participant", "Mohammed Shia al-Sudani"), ("participant", "Antony Blinken")}
    assert event.time == "2024-02-12"


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        "Iran did not attack Israel.",
        "Kataib Hezbollah threatened to attack US bases.",
        "Iran-backed militias have repeatedly attacked US forces in Iraq.",
        "Militants attack US bases almost daily.",
        "The Pentagon has already carried out several strikes against pro-Iranian fighters in Iraq.",
        "Most of these drone strikes or rocket attacks were claimed by the Islamic Resistance in Iraq.",
    ],
)
def test_denied_planned_habitual_and_summarised_attacks_are_no_events(read, text) -> None:  # type: ignore[no-untyped-def]
    events, _ = read(text)
    assert [e for e in events if e.kind == "ASSAULT"] == []


@pytest.mark.model
def test_a_running_tally_is_a_claim_with_its_hedge_period_and_source(read) -> None:  # type: ignore[no-untyped-def]
    text = ("Since October 17 there have been at least 102 attacks on US forces in Iraq and Syria, "
            "according to the Pentagon.")
    events, claims = read(text)
    assert events == []
    (claim,) = claims
    assert (claim.measure, claim.value, claim.approximation) == ("attacks", "102", "at least")
    assert text[claim.start : claim.end] == "at least 102 attacks"
    assert claim.source is not None and text[claim.source.start : claim.source.end] == "Pentagon"
    assert claim.subject is not None and text[claim.subject.start : claim.subject.end] == "US"
    assert (claim.since, claim.since_text) == ("2023-10-17", "Since October 17")
    assert [text[p.start : p.end] for p in claim.places] == ["Iraq", "Syria"]


@pytest.mark.model
def test_times_counts_and_speakers(read) -> None:  # type: ignore[no-untyped-def]
    text = "The Pentagon said on Monday that US troops had been attacked around 170 times since October."
    events, claims = read(text)
    assert events == []
    (claim,) = claims
    assert (claim.measure, claim.value, claim.approximation) == ("attacks", "170", "around")
    assert text[claim.start : claim.end] == "around 170 times"
    assert claim.source is not None and text[claim.source.start : claim.source.end] == "Pentagon"
    assert (claim.since, claim.time) == ("2023-10", "2024-02-12")


@pytest.mark.model
def test_troop_counts_share_their_noun(read) -> None:  # type: ignore[no-untyped-def]
    text = "Washington has about 2,500 troops in Iraq and nearly 900 in Syria."
    _, claims = read(text)
    got = [(c.measure, c.value, c.approximation, [text[p.start : p.end] for p in c.places]) for c in claims]
    assert got == [("troops", "2500", "about", ["Iraq"]), ("troops", "900", "nearly", ["Syria"])]
    assert all(c.subject is not None and text[c.subject.start : c.subject.end] == "Washington" for c in claims)


# ---------------------------------------------------------------- the seeds end to end


@pytest.fixture(scope="module")
def seed_graph() -> Graph:
    from kg.pipeline import build

    return build([SEEDS]).graph


def _texts(graph: Graph) -> dict[URIRef, str]:
    return {s: str(o) for s, o in graph.subject_objects(SCHEMA.text)}  # type: ignore[misc]


@pytest.mark.model
def test_seed_graph_has_assault_and_consult_events(seed_graph: Graph) -> None:
    events = set(seed_graph.subjects(RDF.type, KG.Event))
    kinds = [str(seed_graph.value(e, KG.ploverType)) for e in events]
    assert kinds.count("ASSAULT") >= 4 and kinds.count("CONSULT") >= 4
    # the US drone strike that killed two members of al-Nujaba, as AFP reported it
    nujaba = [e for e in seed_graph.subjects(KG.target, ENTITY["harakat-hezbollah-al-nujaba"])
              if (e, RDF.type, KG.Assault) in seed_graph]
    (strike,) = nujaba
    assert seed_graph.value(strike, KG.actor) == ENTITY["united-states"]
    assert seed_graph.value(strike, KG.place) == ENTITY["baghdad"]
    assert seed_graph.value(strike, KG.time) == Literal("2024-02-29", datatype=rdflib.XSD.date)
    assert seed_graph.value(strike, KG.fatalities) == Literal(2)
    # Barzani received Burger on Wednesday, 2024-02-14 (Rudaw)
    received = [e for e in seed_graph.subjects(KG.participant, ENTITY["david-burger"])]
    assert any(seed_graph.value(e, KG.time) == Literal("2024-02-14", datatype=rdflib.XSD.date) for e in received)


@pytest.mark.model
def test_seed_attack_counts_stay_separate_claims(seed_graph: Graph) -> None:
    claims = [c for c in seed_graph.subjects(KG.measure, Literal("attacks"))]
    by_article: dict[object, set[int]] = {}
    for claim in claims:
        by_article.setdefault(seed_graph.value(claim, PROV.wasDerivedFrom), set()).add(
            _int(seed_graph, claim, KG.value)
        )
    assert len(by_article) >= 2
    values = [v for vs in by_article.values() for v in vs]
    assert {102, 165}.issubset(values)
    assert len(claims) == len(set(claims)) == len(values)
    # each figure keeps its own hedge
    hedges = {_int(seed_graph, c, KG.value): str(seed_graph.value(c, KG.approximation)) for c in claims}
    assert hedges[102] == "at least" and hedges[165] == "over"


@pytest.mark.model
def test_seed_event_and_claim_evidence_slices_its_article(seed_graph: Graph) -> None:
    texts = _texts(seed_graph)
    nodes = [*seed_graph.subjects(RDF.type, KG.Event), *seed_graph.subjects(RDF.type, KG.Claim)]
    assert len(nodes) > 20
    for node in nodes:
        text = texts[seed_graph.value(node, PROV.wasDerivedFrom)]  # type: ignore[index]
        start, end = _int(seed_graph, node, KG.start), _int(seed_graph, node, KG.end)
        assert text[start:end] == str(seed_graph.value(node, KG.evidenceText))
        a, b = _int(seed_graph, node, KG.anchorStart), _int(seed_graph, node, KG.anchorEnd)
        assert text[a:b] == str(seed_graph.value(node, KG.anchorText))
        assert start <= a < b <= end


@pytest.mark.model
def test_seed_graph_with_events_and_claims_conforms_to_the_shapes(seed_graph: Graph) -> None:
    reparsed = Graph().parse(data=turtle_bytes(triples_of(seed_graph)).decode("utf-8"), format="turtle")
    conforms, text = _shapes_conform(reparsed)
    assert conforms, text


def _readme_queries() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Queries\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sparql\n(.*?)```", section, flags=re.DOTALL)


@pytest.mark.model
def test_readme_queries_run_on_the_seed_graph(seed_graph: Graph) -> None:
    queries = _readme_queries()
    assert len(queries) == 4
    for query in queries:
        rows = list(seed_graph.query(query))
        assert rows, query


def test_readme_has_four_queries_in_its_queries_section() -> None:
    assert len(_readme_queries()) == 4

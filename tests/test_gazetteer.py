"""The gazetteer loader on small Turtle files, and the shipped gazetteer's data."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from kg.errors import OntologyError
from kg.gazetteer import Gazetteer, GazetteerEntry, load_gazetteer
from kg.nlp.capitals import capitals
from kg.normalize import is_acronym, name_key, slug, strip_titles
from kg.vocab import CLASS_TOP, ontology_dir

PREFIXES = """\
@prefix kg:   <https://w3id.org/kg-news/ontology#> .
@prefix kge:  <https://w3id.org/kg-news/id/entity/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
"""

GOOD = PREFIXES + """
kge:mohammed-shia-al-sudani a kg:Person ;
    rdfs:label "Mohammed Shia al-Sudani" ;
    skos:altLabel "Mohamed Chia al-Soudani", "Sudani", "Mohammed Shia al-Sudani" .
kge:iraq a kg:Country ; rdfs:label "Iraq" ;
    skos:altLabel "Iraqi government" ;
    kg:demonym "Iraqi" .
kge:united-states a kg:Country ; rdfs:label "United States" ;
    skos:altLabel "US", "U.S.", "Washington" ;
    kg:demonym "American", "US" .
kge:popular-mobilization-forces a kg:ArmedGroup ; rdfs:label "Popular Mobilization Forces" ;
    skos:altLabel "Hashd al-Shaabi", "PMF" .
kge:global-coalition-to-defeat-isis a kg:InternationalOrganization ;
    rdfs:label "Global Coalition to Defeat ISIS" ;
    kg:contextualAlias "coalition" .
"""

SEEDS = Path(__file__).parent / "gold" / "seeds"


def write(tmp_path: Path, text: str, name: str = "gazetteer.ttl") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def small(tmp_path: Path) -> Gazetteer:
    return load_gazetteer(write(tmp_path, GOOD))


@pytest.fixture(scope="module")
def shipped() -> Gazetteer:
    """The domain layer alone: the hand-written file."""
    return load_gazetteer(ontology_dir() / "gazetteer.ttl")


# ---------------------------------------------------------------- loader, good file


def test_entries_are_read_with_label_class_and_names(small: Gazetteer) -> None:
    sudani = small.get("mohammed-shia-al-sudani")
    assert sudani == GazetteerEntry(
        id="mohammed-shia-al-sudani",
        label="Mohammed Shia al-Sudani",
        cls="Person",
        aliases=("Mohamed Chia al-Soudani", "Sudani"),  # sorted, label not repeated
    )
    assert sudani.top == "Person"
    iraq = small.get("iraq")
    assert iraq is not None
    assert (iraq.cls, iraq.top, iraq.demonyms) == ("Country", "Place", ("Iraqi",))
    coalition = small.get("global-coalition-to-defeat-isis")
    assert coalition is not None and coalition.contextual == ("coalition",)
    assert small.get("nowhere") is None


def test_entries_are_ordered_by_id_and_iterable(small: Gazetteer) -> None:
    ids = list(small.entries)
    assert ids == sorted(ids)
    assert [entry.id for entry in small] == ids
    assert len(small) == 5
    assert "iraq" in small


def test_fingerprint_is_sha256_of_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    assert load_gazetteer(path).fingerprint == hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Mohammed Shia al-Sudani", "mohammed-shia-al-sudani"),
        ("Mohamed Chia al-Soudani", "mohammed-shia-al-sudani"),
        ("Muhammad Shia' al-Sudani", "mohammed-shia-al-sudani"),
        ("Soudani", "mohammed-shia-al-sudani"),
        ("Sudani’s", "mohammed-shia-al-sudani"),
        ("Hachd al-Chaabi", "popular-mobilization-forces"),
        ("the Popular Mobilization Forces", "popular-mobilization-forces"),
        ("PMF", "popular-mobilization-forces"),
        ("US", "united-states"),
        ("U.S.", "united-states"),
        ("IRAQ", "iraq"),  # capitals that are not an alias fall back to the name key
        ("Iraqi Government", "iraq"),
    ],
)
def test_lookup_finds_names_across_spellings(small: Gazetteer, name: str, expected: str) -> None:
    found = small.lookup(name)
    assert found is not None and found.id == expected


@pytest.mark.parametrize("name", ["us", "Us", "pmf", "coalition", "Iraqi", "American", "", "  "])
def test_lookup_ignores_lowercase_acronyms_contextual_aliases_and_demonyms(small: Gazetteer, name: str) -> None:
    assert small.lookup(name) is None


def test_demonyms_are_case_insensitive_except_acronyms(small: Gazetteer) -> None:
    for word in ("Iraqi", "iraqi", "IRAQI"):
        assert small.demonym(word) == small.get("iraq")
    assert small.demonym("American") == small.get("united-states")
    assert small.demonym("U.S.") == small.get("united-states")
    assert small.demonym("us") is None
    assert small.demonym("Iraq") is None


def test_contextual_alias(small: Gazetteer) -> None:
    assert small.contextual("Coalition") == small.get("global-coalition-to-defeat-isis")
    assert small.contextual("coalitions") is None


def test_acronyms_are_capital_aliases_without_dots(small: Gazetteer) -> None:
    assert small.acronyms() == frozenset({"US", "PMF"})


def test_load_is_cached_by_path_and_content(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    first = load_gazetteer(path)
    assert load_gazetteer(path) is first
    path.write_text(GOOD.replace('"Sudani"', '"al-Sudani"'), encoding="utf-8")
    second = load_gazetteer(path)
    assert second is not first and second.fingerprint != first.fingerprint
    assert second.lookup("al-Sudani") is not None


def test_gazetteer_built_from_entries_in_memory() -> None:
    iraq = GazetteerEntry(id="iraq", label="Iraq", cls="Country", demonyms=("Iraqi",))
    gazetteer = Gazetteer({"iraq": iraq})
    assert gazetteer.lookup("Irak") is iraq and gazetteer.demonym("iraqi") is iraq
    assert len(gazetteer.fingerprint) == 64
    clash = GazetteerEntry(id="irak", label="Irak", cls="Country")
    with pytest.raises(OntologyError, match=r"<gazetteer>: alias 'Iraq' of iraq is also claimed by irak \(as 'Irak'\)"):
        Gazetteer({"iraq": iraq, "irak": clash})


# ---------------------------------------------------------------- loader, errors


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.ttl"
    with pytest.raises(OntologyError, match=r"nope\.ttl: gazetteer file not found"):
        load_gazetteer(missing)


def test_turtle_syntax_error_names_file_and_carries_rdflib_message(tmp_path: Path) -> None:
    path = write(tmp_path, PREFIXES + 'kge:iraq a kg:Country ; rdfs:label "Iraq" \n kge:syria a kg:Country .')
    with pytest.raises(OntologyError, match=r"gazetteer\.ttl: Turtle syntax error: .+") as info:
        load_gazetteer(path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("kge:iraq a kg:Country .", r"iraq must have exactly one rdfs:label, has 0 \(none\)"),
        (
            'kge:iraq a kg:Country ; rdfs:label "Iraq", "Republic of Iraq" .',
            r"iraq must have exactly one rdfs:label, has 2 \('Iraq', 'Republic of Iraq'\)",
        ),
        ('kge:iraq a kg:Nation ; rdfs:label "Iraq" .', r"iraq has unknown class .*ontology#Nation"),
        (
            'kge:iraq a <https://schema.org/Country> ; rdfs:label "Iraq" .',
            r"iraq has unknown class https://schema\.org/Country",
        ),
        ('kge:iraq rdfs:label "Iraq" .', r"iraq must have exactly one rdf:type, has 0"),
        ('kge:iraq a kg:Country, kg:Region ; rdfs:label "Iraq" .', r"iraq must have exactly one rdf:type, has 2"),
        ('kge:irak a kg:Country ; rdfs:label "Iraq" .', r"irak should be named kge:iraq after its label 'Iraq'"),
        ('kge:iraq a kg:Country ; rdfs:label "Iraq" ; kg:demonyms "Iraqi" .', r"iraq uses unknown property"),
        ('kge:iraq a kg:Country ; rdfs:label "Iraq" ; skos:altLabel kge:syria .', r"iraq has a skos:altLabel"),
        ('<https://example.org/iraq> a kg:Country ; rdfs:label "Iraq" .', r"is not an entity IRI"),
    ],
)
def test_malformed_entries(tmp_path: Path, body: str, message: str) -> None:
    path = write(tmp_path, PREFIXES + body)
    with pytest.raises(OntologyError, match=message) as info:
        load_gazetteer(path)
    assert str(info.value).startswith(str(path))


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        # the same name after transliteration keys
        ('"Hashd al-Shaabi"', '"Hachd al-Chaabi"', r"'Hachd al-Chaabi' of (iraq|pmf) is also claimed by"),
        # an acronym, dots ignored
        ('"US"', '"U.S."', r"'U\.S\.' of (iraq|pmf) is also claimed by"),
    ],
)
def test_alias_claimed_by_two_entries_names_both(tmp_path: Path, first: str, second: str, message: str) -> None:
    body = f"""
kge:iraq a kg:Country ; rdfs:label "Iraq" ; skos:altLabel {first} .
kge:pmf a kg:ArmedGroup ; rdfs:label "PMF" ; skos:altLabel {second} .
"""
    with pytest.raises(OntologyError, match=message) as info:
        load_gazetteer(write(tmp_path, PREFIXES + body))
    assert "iraq" in str(info.value) and "pmf" in str(info.value)


def test_label_of_one_entry_as_alias_of_another(tmp_path: Path) -> None:
    body = """
kge:iraq a kg:Country ; rdfs:label "Iraq" .
kge:baghdad a kg:Settlement ; rdfs:label "Baghdad" ; skos:altLabel "Irak" .
"""
    with pytest.raises(OntologyError, match=r"alias 'Iraq' of iraq is also claimed by baghdad \(as 'Irak'\)"):
        load_gazetteer(write(tmp_path, PREFIXES + body))


def test_demonym_claimed_by_two_entries(tmp_path: Path) -> None:
    body = """
kge:kurdistan-region a kg:Region ; rdfs:label "Kurdistan Region" ; kg:demonym "Kurdish" .
kge:iraq a kg:Country ; rdfs:label "Iraq" ; kg:demonym "kurdish" .
"""
    with pytest.raises(OntologyError, match=r"demonym 'Kurdish' of kurdistan-region is also claimed by iraq"):
        load_gazetteer(write(tmp_path, PREFIXES + body))


def test_lowercase_and_capital_forms_of_an_acronym_do_not_collide(tmp_path: Path) -> None:
    body = """
kge:united-states a kg:Country ; rdfs:label "United States" ; skos:altLabel "US" .
kge:us-people a kg:Person ; rdfs:label "Us People" ; skos:altLabel "Us" .
"""
    gazetteer = load_gazetteer(write(tmp_path, PREFIXES + body))
    assert gazetteer.lookup("US") == gazetteer.get("united-states")
    assert gazetteer.lookup("us") == gazetteer.get("us-people")


# ---------------------------------------------------------------- the shipped gazetteer


def test_shipped_gazetteer_loads_from_the_ontology_dir(shipped: Gazetteer) -> None:
    assert shipped.path == ontology_dir() / "gazetteer.ttl"
    assert load_gazetteer(ontology_dir() / "gazetteer.ttl") is shipped
    assert shipped.layers == ("domain",)
    assert 200 <= len(shipped) <= 320


def test_shipped_file_uses_exactly_the_agreed_prefixes() -> None:
    text = (ontology_dir() / "gazetteer.ttl").read_text(encoding="utf-8")
    assert re.findall(r"^@prefix (\w+):", text, flags=re.MULTILINE) == ["kg", "kge", "rdfs", "skos"]


def test_shipped_entries_are_well_formed(shipped: Gazetteer) -> None:
    for entry in shipped:
        # a finer class: Person is the only top class with no subclass
        assert entry.cls in CLASS_TOP and entry.cls not in ("Organization", "Place"), entry.id
        assert entry.id == slug(entry.label)
        assert entry.label not in entry.aliases


def test_shipped_names_never_collide(shipped: Gazetteer) -> None:
    owner: dict[str, str] = {}
    for entry in shipped:
        for name in entry.names:
            key = "A:" + name.replace(".", "") if is_acronym(name) else "N:" + name_key(name)
            assert owner.setdefault(key, entry.id) == entry.id, (name, entry.id, owner[key])


def test_shipped_demonyms_and_contextual_aliases_name_no_other_entry(shipped: Gazetteer) -> None:
    for entry in shipped:
        for word in (*entry.demonyms, *entry.contextual):
            other = shipped.lookup(word)
            assert other is None or other.id == entry.id, (word, entry.id, other.id)
        # demonyms are not names, save the adjectival "US" the contract lists under both
        assert set(entry.demonyms) & set(entry.aliases) <= {"US", "U.S."}


def test_shipped_single_word_aliases_are_proper_names(shipped: Gazetteer) -> None:
    # A lowercase single word ("state", "forces") would match ordinary text.
    for entry in shipped:
        for name in entry.names:
            if " " not in name:
                bare = re.sub(r"^(al|el)-", "", name)
                assert bare[:1].isupper() or bare[:1].isdigit(), (name, entry.id)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Hachd al-Chaabi", "popular-mobilization-forces"),
        ("Hashd al-Shaabi", "popular-mobilization-forces"),
        ("PMF", "popular-mobilization-forces"),
        ("Mohamed Chia al-Soudani", "mohammed-shia-al-sudani"),
        ("Mohammed Shia’ al-Sudani", "mohammed-shia-al-sudani"),
        ("U.S.", "united-states"),
        ("Washington", "united-states"),
        ("Pentagon", "united-states-department-of-defense"),
        ("US State Department", "united-states-department-of-state"),
        ("IS", "islamic-state"),
        ("Daech", "islamic-state"),
        ("Islamic Resistance of Iraq", "islamic-resistance-in-iraq"),
        ("al-Nujaba movement", "harakat-hezbollah-al-nujaba"),
        ("Ain al-Assad air base", "ain-al-asad-air-base"),
        ("Jurf al-Sakhar", "jurf-al-nasr"),
        ("Babil province", "babil-governorate"),
        ("US-Iraq Higher Military Commission", "higher-military-commission"),
        ("Israeli military", "israel"),
        ("US military", "united-states"),
        ("Arbil", "erbil"),
        ("ERBIL", "erbil"),
        ("Kirkuk", "kirkuk"),
        ("Kirkuk province", "kirkuk-governorate"),
    ],
)
def test_shipped_lookup(shipped: Gazetteer, name: str, expected: str) -> None:
    found = shipped.lookup(name)
    assert found is not None and found.id == expected


def test_a_capital_is_no_name_of_its_state(shipped: Gazetteer) -> None:
    # "Tehran" is the city of the world layer; where a text makes it stand for Iran, extraction says so.
    assert shipped.lookup("Tehran") is None
    assert load_gazetteer().lookup("Tehran").cls == "Settlement"  # type: ignore[union-attr]


def test_shipped_lookup_keeps_lowercase_words_out(shipped: Gazetteer) -> None:
    for word in ("us", "is", "state", "resistance", "forces", "coalition"):
        assert shipped.lookup(word) is None, word


def test_shipped_demonyms_and_contextual(shipped: Gazetteer) -> None:
    assert shipped.demonym("Iraqi") == shipped.get("iraq")
    assert shipped.demonym("Iranian") == shipped.get("iran")
    assert shipped.demonym("Kurdish") == shipped.get("kurdistan-region")
    assert shipped.demonym("U.S.") == shipped.get("united-states")
    assert shipped.contextual("coalition") == shipped.get("global-coalition-to-defeat-isis")
    assert {"US", "PMF", "ISIS", "IRGC", "AFP"} <= shipped.acronyms()


# Gold aliases the gazetteer deliberately leaves to in-article coreference:
# bare surnames shared by several people of the domain.
AMBIGUOUS_SURNAMES = {"Barzani", "Miller"}
# Minor officials the seeds name in full: resolution, not the gazetteer, must find them.
LEFT_TO_RESOLUTION = {"victoria-nuland", "david-burger", "pete-nguyen", "sabrina-singh", "matthew-miller", "mushtaq-talib-al-saidi"}


def _seed_entities() -> list[dict[str, object]]:
    entities: list[dict[str, object]] = []
    for path in sorted(SEEDS.glob("*.json")):
        entities.extend(json.loads(path.read_text(encoding="utf-8"))["entities"])
    return entities


def test_shipped_gazetteer_agrees_with_the_seed_gold(shipped: Gazetteer) -> None:
    """The gazetteer never contradicts the seed gold, and leaves the seeds' minor officials to resolution."""
    entities = _seed_entities()
    assert entities, "no seed gold files"
    capital_of = capitals(shipped)
    for gold in entities:
        entry = shipped.get(str(gold["id"]))
        if entry is None:
            continue
        assert (entry.label, entry.top) == (gold["label"], gold["type"])
        for alias in gold["aliases"]:  # type: ignore[attr-defined]
            name = strip_titles(alias)
            found = shipped.lookup(name) or shipped.contextual(name)
            if found is None or name in AMBIGUOUS_SURNAMES:
                continue
            # The seed gold lets a capital stand for its state ("Tehran"): context decides, not lookup.
            assert found.id == entry.id or capital_of.get(found.id) == entry, (alias, entry.id, found.id)
    assert not LEFT_TO_RESOLUTION & set(shipped.entries)


def test_remembered_answers_are_the_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    # Look-ups are remembered per gazetteer; past the bound all are forgotten, and answers never change.
    words = ["Iraq", "IRAQ", "Iraqi", "the coalition", "coalition", "Nowhere Land", "U.S.", "US", "Iraq"]
    fresh = [(load_gazetteer().lookup(w), load_gazetteer().demonym(w), load_gazetteer().contextual(w)) for w in words]
    monkeypatch.setattr("kg.gazetteer._ANSWERS_KEPT", 3)
    gazetteer = Gazetteer({e.id: e for e in load_gazetteer()})
    for _ in range(3):
        assert [(gazetteer.lookup(w), gazetteer.demonym(w), gazetteer.contextual(w)) for w in words] == fresh
        assert len(gazetteer._answers) <= 3
    assert fresh[0][0] is not None and fresh[2][1] is not None and fresh[5] == (None, None, None)

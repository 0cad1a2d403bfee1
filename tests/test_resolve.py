from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.gazetteer import Gazetteer
from kg.model import Article, Extraction, Mention, Ref, Relation
from kg.normalize import name_key
from kg.resolve import entity_id, resolve


def _extraction(article_id: str, text: str, spans: list[tuple[str, str]], **kwargs: object) -> Extraction:
    """Mentions for each (surface, label) at its first occurrence after the previous one."""
    mentions, cursor = [], 0
    for surface, label in spans:
        start = text.index(surface, cursor)
        cursor = start + len(surface)
        mentions.append(Mention(article_id, start, cursor, surface, label, **kwargs))  # type: ignore[arg-type]
    article = Article(id=article_id, origin=f"{article_id}.txt", title=text.split("\n")[0], text=text)
    return Extraction(article, tuple(mentions))


def test_transliterated_names_merge_across_articles_without_gazetteer(small_gazetteer: Gazetteer) -> None:
    a = "Talks. Prime Minister Mohamed Chia al-Soudani spoke."
    b = "Visit. Mohammed Shia al-Sudani met Nuland."
    res = resolve([_extraction("a", a, [("Mohamed Chia al-Soudani", "Person")]),
                   _extraction("b", b, [("Mohammed Shia al-Sudani", "Person")])], small_gazetteer)
    assert len(res.entities) == 1
    (entity,) = res.entities
    assert entity.cls == "Person"
    assert {entity.label, *entity.alt_labels} == {"Mohamed Chia al-Soudani", "Mohammed Shia al-Sudani"}


def test_partial_names_join_the_full_name_of_their_article(small_gazetteer: Gazetteer) -> None:
    text = "Victoria Nuland visited. Ms. Nuland said. Later Nuland left."
    res = resolve([_extraction("a", text, [("Victoria Nuland", "Person"), ("Nuland", "Person"), ("Nuland", "Place")])],
                  small_gazetteer)
    assert [e.label for e in res.entities] == ["Victoria Nuland"]
    assert res.entities[0].cls == "Person"


def test_lone_surname_between_two_full_names_stays_its_own(small_gazetteer: Gazetteer) -> None:
    # Resolution refuses to guess: the nearest full name is not evidence enough.
    text = "Masoud Barzani spoke. Later Nechirvan Barzani arrived. Barzani said."
    ext = _extraction("a", text, [("Masoud Barzani", "Person"), ("Nechirvan Barzani", "Person"), ("Barzani", "Place")])
    res = resolve([ext], small_gazetteer)
    start = text.rindex("Barzani")
    assert res.mention_entity[("a", start, start + 7)] not in {"masoud-barzani", "nechirvan-barzani"}


def test_lone_surnames_in_different_articles_are_not_merged_blindly(small_gazetteer: Gazetteer) -> None:
    # Two full names end in the same surname: a lone "Barzani" elsewhere stays apart.
    a = _extraction("a", "Masoud Barzani spoke.", [("Masoud Barzani", "Person")])
    b = _extraction("b", "Nechirvan Barzani spoke.", [("Nechirvan Barzani", "Person")])
    c = _extraction("c", "Barzani spoke.", [("Barzani", "Person")])
    res = resolve([a, b, c], small_gazetteer)
    assert res.mention_entity[("c", 0, 7)] not in {"masoud-barzani", "nechirvan-barzani"}


def test_gazetteer_aliases_metonyms_and_acronym_definitions(small_gazetteer: Gazetteer) -> None:
    text = "Washington and the US. Hashd al-Shaabi fighters. The Mobilisation Council (MC) met; the MC said."
    ext = _extraction("a", text, [("Washington", "Place"), ("US", "Place"), ("Hashd al-Shaabi", "Person"),
                                  ("Mobilisation Council", "Organization")])
    mc1 = text.index("MC")
    mc2 = text.index("MC", mc1 + 1)
    council = (text.index("Mobilisation Council"), text.index("Mobilisation Council") + len("Mobilisation Council"))
    extra = (Mention("a", mc1, mc1 + 2, "MC", "Organization", alias_of=council),
             Mention("a", mc2, mc2 + 2, "MC", "Organization", alias_of=council))
    ext = Extraction(ext.article, ext.mentions + extra)
    res = resolve([ext], small_gazetteer)
    by_id = {e.id: e for e in res.entities}
    assert set(by_id["united-states"].alt_labels) == {"Washington", "US"}
    assert by_id["popular-mobilization-forces"].cls == "ArmedGroup"
    assert res.mention_entity[("a", mc2, mc2 + 2)] == res.mention_entity[("a", *council)]


def test_demonym_reference_is_a_surface_form_and_other_implied_words_are_not(small_gazetteer: Gazetteer) -> None:
    text = "Iraqi Prime Minister Ali Hassan spoke."
    ext = _extraction("a", text, [("Ali Hassan", "Person")])
    person = ext.mentions[0]
    title = (text.index("Prime Minister"), text.index("Prime Minister") + len("Prime Minister"))
    by_demonym = Relation("a", Ref(person.start, person.end), "leaderOf", Ref(0, 5, "iraq"), 0, len(text), "title", 0.9)
    by_title = Relation("a", Ref(person.start, person.end), "memberOf", Ref(*title, "iraq"), 0, len(text), "title", 0.9)
    res = resolve([Extraction(ext.article, ext.mentions, (by_demonym, by_title))], small_gazetteer)
    iraq = next(e for e in res.entities if e.id == "iraq")
    assert iraq.alt_labels == ("Iraqi",)  # "Prime Minister" points at Iraq but does not name it
    assert res.mention_entity[("a", 0, 5)] == res.mention_entity[("a", *title)] == "iraq"


def test_ids_are_stable_and_distinct(small_gazetteer: Gazetteer) -> None:
    text = "Jordan Smith met officials in Jordan Valley. Jordan Valley is green."
    ext = _extraction("a", text, [("Jordan Smith", "Person"), ("Jordan Valley", "Place")])
    first = resolve([ext], small_gazetteer)
    second = resolve([ext], small_gazetteer)
    assert first == second
    assert len({e.id for e in first.entities}) == len(first.entities) == 2


# Pairs of names whose slugs collide but that are two entities (their keys differ), and a
# pair that is one entity whose most common spelling changes when the second article comes.
_SLUG_CLASHES = [
    (("Jean-Pierre Martin", "Person"), ("Jean Pierre Martin", "Person")),
    (("St. Mary Clinic", "Organization"), ("St Mary Clinic", "Place")),
    (("Sons of the Valley", "Organization"), ("Sons in the Valley", "Organization")),
]


@pytest.mark.parametrize(("in_a", "in_b"), _SLUG_CLASHES)
def test_an_added_article_renames_no_entity(
    small_gazetteer: Gazetteer, in_a: tuple[str, str], in_b: tuple[str, str]
) -> None:
    a = _extraction("a", f"{in_a[0]} said so. Iraq agreed.", [in_a, ("Iraq", "Country")])
    b = _extraction("b", f"{in_b[0]} and {in_b[0]} said so.", [in_b, in_b])
    alone_a, alone_b = resolve([a], small_gazetteer), resolve([b], small_gazetteer)
    both = resolve([a, b], small_gazetteer)
    for alone in (alone_a, alone_b):
        assert {k: both.mention_entity[k] for k in alone.mention_entity} == dict(alone.mention_entity)
    assert len({e.id for e in both.entities}) == len(both.entities)


@given(st.lists(st.text(alphabet="aAbé-. ’'ʿ1ł", min_size=1, max_size=8), min_size=2, max_size=2, unique=True))
def test_entity_ids_of_different_keys_differ(names: list[str]) -> None:
    keys = {name_key(n) for n in names} - {""}
    assert len({entity_id(k, Gazetteer({})) for k in keys}) == len(keys)


def test_an_entity_named_like_a_gazetteer_id_gets_an_id_of_its_own(small_gazetteer: Gazetteer) -> None:
    assert entity_id("iraq", small_gazetteer) not in small_gazetteer.entries
    assert entity_id("irak", small_gazetteer) == "irak"


@pytest.mark.model
def test_a_build_with_one_more_article_keeps_every_iri(tmp_path: Path) -> None:
    from kg.pipeline import build

    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("Iraq talks continue\n\nMustafa Haddad told reporters in Baghdad that the talks would continue.\n")
    # The same man, spelt longer and more often: the label follows the new spelling, the IRI does not.
    b.write_text("Strike\n\nThe spokesman, Moustafa Haddad, said the attack killed two people. Moustafa Haddad left.\n")
    alone, both = build([a]), build([a, b])
    assert any(e.gazetteer_id is None and e.cls == "Person" for e in alone.resolution.entities)
    mentions = dict(alone.resolution.mention_entity)
    assert {k: both.resolution.mention_entity[k] for k in mentions} == mentions

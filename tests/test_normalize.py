from __future__ import annotations

import doctest

import pytest

import kg.normalize
from kg.normalize import clean_surface, name_key, slug, strip_titles, token_key


def test_doctests() -> None:
    failures, _ = doctest.testmod(kg.normalize)
    assert failures == 0


@pytest.mark.parametrize(
    ("french", "english"),
    [
        ("Soudani", "Sudani"),
        ("Chia", "Shia"),
        ("Mohamed", "Mohammed"),
        ("Hachd", "Hashd"),
        ("Chaabi", "Shaabi"),
        ("Assad", "Asad"),
        ("Moqtada", "Muqtada"),
    ],
)
def test_transliteration_pairs_share_a_key(french: str, english: str) -> None:
    assert token_key(french) == token_key(english)


@pytest.mark.parametrize(("a", "b"), [("Iran", "Iraq"), ("Hamas", "Homs"), ("Sudan", "Sudani"), ("Barzani", "Talabani")])
def test_different_names_keep_different_keys(a: str, b: str) -> None:
    assert token_key(a) != token_key(b)


def test_name_key_folds_articles_hyphens_and_case() -> None:
    assert name_key("Qais al-Khazali") == name_key("Qais Al Khazali") == name_key("QAIS EL-KHAZALI")
    assert name_key("the Pentagon") == name_key("Pentagon")


def test_clean_surface_and_titles() -> None:
    assert clean_surface("“Islamic Resistance in Iraq”") == "Islamic Resistance in Iraq"
    assert strip_titles("Mr. Soudani") == "Soudani"
    assert strip_titles("Deputy Press Secretary Sabrina Singh") == "Sabrina Singh"
    # A title alone is kept: there is no name to strip it from.
    assert strip_titles("President") == "President"


def test_slug_is_ascii_and_stable_for_other_scripts() -> None:
    assert slug("Mohamed Chia al-Soudani") == "mohamed-chia-al-soudani"
    arabic = slug("محمد شياع السوداني")
    assert arabic.startswith("x-") and arabic == slug("محمد شياع السوداني")
    assert arabic != slug("مسعود بارزاني")

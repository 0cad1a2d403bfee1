"""Name normalisation and transliteration-aware keys.

News in English and in French render the same Arabic name differently
(Soudani/Sudani, Chia/Shia, Hachd/Hashd, Mohamed/Mohammed, Assad/Asad). A key
folds those renderings together so resolution can equate names that are not in
the gazetteer. The key is for matching only; labels keep the text's spelling.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Protocol, TypeVar

_APOSTROPHES = "'’‘`ʼʻʿʾ´"

# Ordered: French digraphs first, then English spelling variants.
_TRANSLIT_RULES: tuple[tuple[str, str], ...] = (
    ("tch", "ch"),
    ("ch", "sh"),
    ("dj", "j"),
    ("ou", "u"),
    ("oo", "u"),
    ("o", "u"),
    ("ee", "i"),
    ("ck", "k"),
    ("q", "k"),
    ("ph", "f"),
)
# Arabic given names whose vowels vary beyond what the rules above fold.
_NAME_VARIANTS: dict[str, str] = {
    "muhamed": "muhamad",
    "husain": "husein", "husayn": "husein", "husin": "husein",
    "abdel": "abd al", "abdul": "abd al", "abdal": "abd al", "abd": "abd al",
}
_ARTICLES = {"al", "el", "ul", "al-", "el-"}
# "Islamic Resistance of Iraq" / "in Iraq": translations vary the connector, not the name.
_CONNECTORS = {"of", "in", "for"}
_DOUBLE = re.compile(r"(.)\1+")
TITLES: frozenset[str] = frozenset(
    """mr mrs ms miss dr sir sheikh shaykh sayyid imam ayatollah president vice prime minister
    premier secretary general gen lt col maj major colonel lieutenant captain capt admiral adm
    brig brigadier sergeant sgt commander senator sen rep representative ambassador chancellor
    king queen prince emir crown deputy spokesperson spokesman spokeswoman foreign defense
    defence state interior chief head leader speaker governor mayor envoy special press
    director undersecretary adviser advisor aide official""".split()
)
# Words that qualify a title or a name's holder without being part of the name:
# "Former President X", "Senior Kataib Hezbollah security official".
RANK_WORDS: frozenset[str] = frozenset(
    "senior former top late acting then ex veteran outgoing incoming retired ousted slain".split()
)
# Honorifics said before a given name, not a surname: "Sheikh Mohamed", "Prince Khalid", "Sayyed Ali".
GIVEN_NAME_HONORIFICS: frozenset[str] = frozenset(
    "sheikh shaykh sheik prince princess king queen emir amir sultan "
    "sayyid sayyed sayed seyyed syed imam mullah".split()
)
# Heads of institution names that every state has ("the Ministry", "the Court"), and the
# words that qualify them without naming an owner ("Interior", "Supreme", "Federal").
GENERIC_HEADS: frozenset[str] = frozenset(
    """army military parliament ministry government cabinet court council presidency assembly senate police
    command committee commission agency office authority administration department coalition alliance bloc
    leadership regime embassy consulate forces force navy judiciary legislature municipality""".split()
)
_FUNCTION_WORDS = frozenset({"the", "of", "and", "for", "affairs"})
GENERIC_MODIFIERS: frozenset[str] = frozenset(
    """supreme federal national central high higher joint interior foreign defense defence justice finance
    security intelligence electoral constitutional independent special general public transitional interim
    provisional caretaker regional state affairs oil health education armed operations of the and for""".split()
)


def fold(text: str) -> str:
    """Strip accents and case: NFKD with combining marks dropped, then casefold.

    >>> fold("Ḥashd al-Shaʿbī")
    'hashd al-shaʿbi'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=1 << 16)  # asked for every word of every article, and for every name resolved
def token_key(token: str) -> str:
    """Transliteration key of one word; punctuation-only words map to themselves.

    >>> [token_key(w) for w in ["Soudani", "Sudani", "Chia", "Shia'", "Hachd", "Hashd"]]
    ['sudani', 'sudani', 'shia', 'shia', 'hashd', 'hashd']
    >>> token_key("Mohamed") == token_key("Mohammed") == token_key("Muhammad")
    True
    >>> token_key("Assad") == token_key("Asad"), token_key("Chaabi") == token_key("Shaabi")
    (True, True)
    """
    word = fold(token).strip(_APOSTROPHES)
    word = "".join(c for c in word if c not in _APOSTROPHES)
    if not any(c.isalpha() for c in word):
        return word
    for old, new in _TRANSLIT_RULES:
        word = word.replace(old, new)
    word = _DOUBLE.sub(r"\1", word)
    return _NAME_VARIANTS.get(word, word)


def split_name(name: str) -> list[str]:
    """Words of a name, splitting on white space and on hyphens after an Arabic article."""
    name = clean_surface(name)
    words: list[str] = []
    for part in name.split():
        head, sep, tail = part.partition("-")
        if sep and fold(head) in {"al", "el", "ul", "as", "ash", "ad", "an", "ar", "at", "az"} and tail:
            words.extend([head, tail])
        else:
            words.append(part)
    return words


def name_key(name: str) -> str:
    """Key of a whole name: words keyed, Arabic articles unified, leading 'the' dropped.

    >>> name_key("Mohamed Chia al-Soudani") == name_key("Mohammed Shia' al-Sudani")
    True
    >>> name_key("Hachd al-Chaabi") == name_key("Hashd al-Shaabi")
    True
    >>> name_key("the Islamic Resistance in Iraq") == name_key("Islamic Resistance of Iraq")
    True
    """
    keys = ["of" if fold(w) in _CONNECTORS else token_key(w) for w in split_name(name)]
    keys = ["al" if k in _ARTICLES else k for k in keys if k]
    if keys and keys[0] == "the":
        keys = keys[1:]
    return " ".join(keys)


def clean_surface(text: str) -> str:
    """A surface form as a label: surrounding quotes and punctuation trimmed, possessive dropped.

    Inner characters are kept as written, so a label round-trips to the text.

    >>> clean_surface(" “Islamic Resistance in Iraq ")
    'Islamic Resistance in Iraq'
    >>> clean_surface("Sudani’s"), clean_surface("U.S."), clean_surface("Shia’ al-Sudani.")
    ('Sudani', 'U.S.', 'Shia’ al-Sudani')
    """
    text = " ".join(unicodedata.normalize("NFC", text).split())
    text = re.sub(r"['’]s$", "", text)
    text = text.strip(" \"'“”‘’«»-–—,;:()[]")
    # A final dot belongs to an abbreviation ("U.S.") but not to a sentence.
    if text.endswith(".") and not re.search(r"(?:^|[\s.])[A-Z]\.$", text):
        text = text.rstrip(".")
    return text


def strip_titles(name: str) -> str:
    """A person's name without leading titles and honorifics.

    >>> strip_titles("Kurdistan Region President Nechirvan Barzani")
    'Kurdistan Region President Nechirvan Barzani'
    >>> strip_titles("Ms. Nuland"), strip_titles("Major Pete Nguyen"), strip_titles("President Barzani")
    ('Nuland', 'Pete Nguyen', 'Barzani')
    """
    words = clean_surface(name).split()
    while len(words) > 1 and fold(words[0]).rstrip(".") in TITLES:
        words = words[1:]
    return " ".join(words)


def is_generic_name(text: str) -> bool:
    """True for the name any state gives an institution, so that it names no owner: a head and one qualifier at most.

    >>> is_generic_name("the Interior Ministry"), is_generic_name("Ministry of Foreign Affairs")
    (True, True)
    >>> is_generic_name("Iraqi Parliament"), is_generic_name("Supreme")
    (False, False)
    >>> is_generic_name("Independent High Electoral Commission")
    False
    """
    words = [fold(w) for w in clean_surface(text).split()]
    content = [w for w in words if w not in _FUNCTION_WORDS]
    return (
        0 < len(content) <= 2
        and any(w in GENERIC_HEADS for w in content)
        and all(w in GENERIC_HEADS | GENERIC_MODIFIERS for w in words)
    )


def is_acronym(text: str) -> bool:
    """True for all-capital abbreviations such as 'PMF', 'U.S.' or 'ISIS'.

    >>> is_acronym("U.S."), is_acronym("PMF"), is_acronym("Iraq"), is_acronym("ERBIL")
    (True, True, False, True)
    """
    letters = text.replace(".", "")
    return 1 < len(letters) <= 6 and letters.isalpha() and letters.isupper()


def slug(text: str) -> str:
    """IRI-safe slug of a canonical name.

    >>> slug("Mohammed Shia al-Sudani"), slug("Embassy of the United States, Baghdad")
    ('mohammed-shia-al-sudani', 'embassy-of-the-united-states-baghdad')
    """
    ascii_text = fold(text).encode("ascii", "ignore").decode()
    found = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    # Names in other scripts have no ASCII letters: a digest keeps them distinct.
    return found or "x-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


class Named(Protocol):
    """Something with an IRI, a label and other names: an actor as a name given by a user is matched against it."""

    @property
    def iri(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def aliases(self) -> tuple[str, ...]: ...


N = TypeVar("N", bound=Named)


def names_matching(name: str, named: Iterable[N]) -> list[N]:
    """What ``name`` calls, in label order: by label, then alias, then spelling-folded key ("Soudani" =
    "Sudani"), then a run of words of a name, then a part of a name; every one of the first test any passes.

    ``kg viz --focus`` and ``kg query -p actor=NAME`` find actors so.
    """
    wanted = fold(name.strip())
    if not wanted:
        return []
    key = f" {name_key(name)} "
    ordered = sorted(named, key=lambda a: (a.label, a.iri))
    tests: tuple[Callable[[N], bool], ...] = (
        lambda a: fold(a.label) == wanted,
        lambda a: any(fold(alias) == wanted for alias in a.aliases),
        lambda a: any(f" {name_key(x)} " == key for x in (a.label, *a.aliases)),
        lambda a: any(key in f" {name_key(x)} " for x in (a.label, *a.aliases)),
        lambda a: any(wanted in fold(x) for x in (a.label, *a.aliases)),
    )
    for test in tests:
        found = [a for a in ordered if test(a)]
        if found:
            return found
    return []

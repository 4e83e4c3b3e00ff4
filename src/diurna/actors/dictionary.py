"""The actor dictionary: countries (names, aliases, adjectives, capitals), organisations, sector phrases,
and the user's own YAML file of named people and organisations. Loaded once per process."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

import yaml

from diurna.errors import ConfigError

_FOLD_RE = re.compile(r"[\s\u2010-\u2015'’`.]+")


@lru_cache(maxsize=65_536)
def fold(text: str) -> str:
    """Matching key: case-folded, dots/apostrophes/dashes/space runs unified ("U.S." ~ "US")."""
    return _FOLD_RE.sub(" ", text.casefold()).replace("-", " ").strip()


@dataclass(frozen=True)
class KnownActor:
    name: str
    type: str
    country_code: str | None
    sector_code: str | None
    role: str = "name"  # name | adjective | capital: how the matched phrase denotes the actor
    title: str = ""  # a known person's office ("Foreign Minister")


@dataclass
class ActorDictionary:
    phrases: dict[str, KnownActor] = field(default_factory=dict)
    sectors: dict[str, tuple[str, int]] = field(default_factory=dict)
    country_names: dict[str, str] = field(default_factory=dict)
    # well-known people by folded name (and first + last name): their country and sector when the text
    # names them without either ("President Joseph Aoun")
    people: dict[str, KnownActor] = field(default_factory=dict)
    # every leading part of every key: a growing n-gram stops being looked up once it can start no phrase
    phrase_prefixes: set[str] = field(default_factory=set)
    sector_prefixes: set[str] = field(default_factory=set)

    def add(self, phrase: str, actor: KnownActor, overwrite: bool = False) -> None:
        key = fold(phrase)
        if not key or (key in self.phrases and not overwrite):
            return
        self.phrases[key] = actor
        self.phrase_prefixes.update(key[:n] for n in range(1, len(key) + 1))

    def add_sector(self, phrase: str, code: str, priority: int) -> None:
        key = fold(phrase)
        self.sectors[key] = (code, priority)
        self.sector_prefixes.update(key[:n] for n in range(1, len(key) + 1))

    def lookup(self, phrase: str) -> KnownActor | None:
        return self.phrases.get(fold(phrase))

    def add_person(self, name: str, actor: KnownActor) -> None:
        key = fold(name)
        self.people.setdefault(key, actor)
        words = key.split()
        if len(words) >= 3:
            self.people.setdefault(f"{words[0]} {words[-1]}", actor)

    def person(self, name: str) -> KnownActor | None:
        return self.people.get(fold(name))

    def sector(self, phrase: str) -> tuple[str, int] | None:
        return self.sectors.get(fold(phrase))

    def country_name(self, code: str | None) -> str | None:
        return self.country_names.get(code) if code else None


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("diurna.data").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines(), delimiter="\t"))


def _variants(cell: str | None) -> list[str]:
    return [v.strip() for v in (cell or "").split("|") if v.strip()]


def load_user_actors(dictionary: ActorDictionary, path: Path) -> None:
    """User YAML: a list of {name, aliases: [...], type, country_code, sector_code}; aliases in any script."""
    try:
        entries = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError("E110", path=path, detail=exc) from exc
    if not isinstance(entries, list):
        raise ConfigError("E111", path=path)
    for position, entry in enumerate(entries):
        if not isinstance(entry, dict) or not entry.get("name"):
            raise ConfigError("E112", path=path, position=position)
        actor = KnownActor(
            name=entry["name"],
            type=entry.get("type", "person"),
            country_code=entry.get("country_code"),
            sector_code=entry.get("sector_code"),
        )
        for phrase in [entry["name"], *entry.get("aliases", [])]:
            dictionary.add(phrase, actor, overwrite=True)
            if actor.type == "person":
                dictionary.people[fold(phrase)] = actor  # the user's word wins over the shipped table


@cache
def shipped_dictionary() -> ActorDictionary:
    dictionary = ActorDictionary()
    for row in _rows("actors/organizations.tsv"):
        actor = KnownActor(row["name"], row.get("type") or "organization", row["country_code"] or None,
                           row["sector_code"] or None)
        for phrase in [row["name"], *_variants(row.get("aliases"))]:
            dictionary.add(phrase, actor)
    for row in _rows("actors/countries.tsv"):
        code, name = row["alpha3"], row["name"]
        dictionary.country_names[code] = name
        for phrase in [name, *_variants(row.get("aliases"))]:
            dictionary.add(phrase, KnownActor(name, "country", code, None, "name"))
        for phrase in _variants(row.get("adjectives")):
            dictionary.add(phrase, KnownActor(name, "country", code, None, "adjective"))
        for phrase in _variants(row.get("capitals")):
            dictionary.add(phrase, KnownActor(name, "country", code, "GOV", "capital"))
    for row in _rows("actors/people.tsv"):
        actor = KnownActor(row["name"], "person", row["country_code"] or None, row["sector_code"] or None,
                           title=row.get("title") or "")
        for name in [row["name"], *_variants(row.get("aliases"))]:
            dictionary.add_person(name, actor)
    for row in _rows("actors/sectors.tsv"):
        dictionary.add_sector(row["phrase"], row["sector_code"], int(row.get("priority") or 0))
    return dictionary


def load_dictionary(user_file: Path | None = None) -> ActorDictionary:
    base = shipped_dictionary()
    if user_file is None:
        return base
    combined = ActorDictionary(dict(base.phrases), dict(base.sectors), dict(base.country_names), dict(base.people),
                               set(base.phrase_prefixes), set(base.sector_prefixes))
    load_user_actors(combined, user_file)
    return combined

"""The trigger lexicon and the CAMEO / Goldstein / PLOVER score tables, loaded once per process."""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml

from diurna.records import EVENT_TYPES


@dataclass(frozen=True)
class LexiconEntry:
    event_type: str
    cameo: str
    mode: str | None = None
    context: tuple[str, ...] = ()
    verb: str | None = None
    noun: str | None = None
    object: frozenset[str] = frozenset()
    prep: str | None = None
    particle: str | None = None
    xcomp: frozenset[str] = frozenset()
    subject: frozenset[str] = frozenset()

    @property
    def specificity(self) -> int:
        """Entries with more conditions are tried first: "impose sanctions" before "impose"."""
        return sum(bool(x) for x in (self.object, self.prep, self.particle, self.xcomp, self.subject))


@dataclass(frozen=True)
class CameoCode:
    code: str
    event_type: str | None
    mode: str | None
    context: str | None
    goldstein: float | None
    quad: str | None
    description: str


@dataclass
class Lexicon:
    verbs: dict[str, list[LexiconEntry]] = field(default_factory=lambda: defaultdict(list))
    nouns: dict[str, list[LexiconEntry]] = field(default_factory=lambda: defaultdict(list))
    cameo: dict[str, CameoCode] = field(default_factory=dict)
    plover_scores: dict[tuple[str, str], float] = field(default_factory=dict)
    context_keywords: dict[str, str] = field(default_factory=dict)
    context_first_words: set[str] = field(default_factory=set)  # a phrase is looked up only from these

    def default_cameo(self, event_type: str) -> str:
        """The most general CAMEO code of a PLOVER type, for events typed by the classifier."""
        codes = [c.code for c in self.cameo.values() if c.event_type == event_type]
        return min(codes, key=lambda code: (len(code), code))

    def plover_score(self, event_type: str, mode: str | None) -> float | None:
        return self.plover_scores.get((event_type, mode or ""), self.plover_scores.get((event_type, "")))


def _read(name: str) -> str:
    return resources.files("diurna.data").joinpath(name).read_text(encoding="utf-8")


def _tsv(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(_read(name).splitlines(), delimiter="\t"))


def _as_set(value: object) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str):
        return frozenset({value.lower()})
    return frozenset(str(v).lower() for v in value)  # type: ignore[union-attr]


def parse_entry(raw: dict) -> LexiconEntry:
    if raw.get("event_type") not in EVENT_TYPES:
        raise ValueError(f"lexicon entry with unknown event_type: {raw}")
    if bool(raw.get("verb")) == bool(raw.get("noun")):
        raise ValueError(f"lexicon entry needs exactly one of verb/noun: {raw}")
    context = raw.get("context") or ()
    return LexiconEntry(
        event_type=raw["event_type"], cameo=str(raw["cameo"]), mode=raw.get("mode"),
        context=tuple([context] if isinstance(context, str) else context),
        verb=(raw.get("verb") or None) and str(raw["verb"]).lower(),
        noun=(raw.get("noun") or None) and str(raw["noun"]).lower(),
        object=_as_set(raw.get("object")), prep=raw.get("prep"), particle=raw.get("particle"),
        xcomp=_as_set(raw.get("xcomp")), subject=_as_set(raw.get("subject")),
    )


@cache
def load_lexicon() -> Lexicon:
    lexicon = Lexicon()
    # libyaml's loader when PyYAML has it: the pure-Python one takes a second over the lexicon
    for raw in yaml.load(_read("events/lexicon.yaml"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        entry = parse_entry(raw)
        if entry.verb:
            lexicon.verbs[entry.verb].append(entry)
        else:
            lexicon.nouns[entry.noun].append(entry)  # type: ignore[index]
    for entries in (*lexicon.verbs.values(), *lexicon.nouns.values()):
        entries.sort(key=lambda e: -e.specificity)
    for row in _tsv("events/cameo.tsv"):
        goldstein = row.get("goldstein")
        lexicon.cameo[row["cameo"]] = CameoCode(
            code=row["cameo"], event_type=row.get("event_type") or None, mode=row.get("mode") or None,
            context=row.get("context") or None, goldstein=float(goldstein) if goldstein else None,
            quad=row.get("quad") or None, description=row.get("description", ""),
        )
    for row in _tsv("events/plover_scores.tsv"):
        lexicon.plover_scores[(row["event_type"], row.get("mode") or "")] = float(row["score"])
    for row in _tsv("events/contexts.tsv"):
        lexicon.context_keywords[row["keyword"].lower()] = row["context"]
        lexicon.context_first_words.add(row["keyword"].lower().split()[0])
    return lexicon

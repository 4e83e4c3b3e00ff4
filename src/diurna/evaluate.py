"""Scoring extractions against diurna's article-level gold (`tests/gold/articles/*.json`).

An extracted event matches a gold event when both have the same PLOVER type and the extracted evidence
sentence overlaps the gold evidence span; matching is one-to-one. An extracted event the coder marks negated
or hypothetical does not count as occurred. Negated gold events (aux "negation") are scored apart: one that
comes out as occurred counts as `negated_reported_as_occurred`. On matched events: actor and recipient
country and sector accuracy (right when a predicted code is among the gold ones, or both are empty), mode
and context accuracy (a shared value, or both empty) and aux accuracy (equal sets).
The gold format is described in tests/gold/README.md."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from diurna.actors.dictionary import fold
from diurna.records import Event, Extraction

# aux modes that say the event did not (or not yet certainly) happen
NOT_OCCURRED = {"negation", "hypothetical"}


@dataclass
class GoldArticle:
    path: Path
    article: str
    split: str
    events: list[dict]
    quotes: list[dict] = field(default_factory=list)
    people: list[dict] = field(default_factory=list)
    places: list[dict] = field(default_factory=list)
    posts: list[dict] = field(default_factory=list)


def load_gold(folder: Path) -> list[GoldArticle]:
    articles = []
    for path in sorted(Path(folder).glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        articles.append(GoldArticle(path=path, article=raw["article"], split=raw.get("split", "dev"),
                                    events=raw.get("events", []), quotes=raw.get("quotes", []),
                                    people=raw.get("people", []), places=raw.get("places", []),
                                    posts=raw.get("posts", [])))
    return articles


@dataclass
class Tally:
    gold: int = 0
    predicted: int = 0
    matched_gold: int = 0
    matched_predicted: int = 0

    @property
    def precision(self) -> float:
        return self.matched_predicted / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched_gold / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"gold": self.gold, "predicted": self.predicted, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class ArticleScores:
    events: Tally = field(default_factory=Tally)
    by_type: dict[str, Tally] = field(default_factory=dict)
    actor_country: Counter = field(default_factory=Counter)
    recipient_country: Counter = field(default_factory=Counter)
    actor_sector: Counter = field(default_factory=Counter)
    recipient_sector: Counter = field(default_factory=Counter)
    mode: Counter = field(default_factory=Counter)
    context: Counter = field(default_factory=Counter)
    aux: Counter = field(default_factory=Counter)
    negated_reported_as_occurred: int = 0
    event_date: Counter = field(default_factory=Counter)
    arabic_link: Counter = field(default_factory=Counter)
    quotes: Tally = field(default_factory=Tally)
    quote_speaker: Counter = field(default_factory=Counter)
    people: Tally = field(default_factory=Tally)
    places: Tally = field(default_factory=Tally)
    posts: Tally = field(default_factory=Tally)
    misses: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        def accuracy(counter: Counter) -> float | None:
            total = counter["right"] + counter["wrong"]
            return round(counter["right"] / total, 4) if total else None

        return {
            "events": self.events.as_dict(),
            "by_type": {t: tally.as_dict() for t, tally in sorted(self.by_type.items())},
            "actor_country_accuracy": accuracy(self.actor_country),
            "recipient_country_accuracy": accuracy(self.recipient_country),
            "actor_sector_accuracy": accuracy(self.actor_sector),
            "recipient_sector_accuracy": accuracy(self.recipient_sector),
            "mode_accuracy": accuracy(self.mode),
            "context_accuracy": accuracy(self.context),
            "aux_accuracy": accuracy(self.aux),
            "negated_reported_as_occurred": self.negated_reported_as_occurred,
            "event_date_accuracy": accuracy(self.event_date),
            "arabic_person_link_accuracy": accuracy(self.arabic_link),
            "quotes": self.quotes.as_dict(),
            "quote_speaker_accuracy": accuracy(self.quote_speaker),
            "quote_attribution_recall": round(self.quote_speaker["right"] / self.quotes.gold, 4)
            if self.quotes.gold else None,
            "people": self.people.as_dict(),
            "places": self.places.as_dict(),
            "posts": self.posts.as_dict(),
        }


def _span(text: str, snippet: str) -> tuple[int, int] | None:
    start = text.find(snippet)
    return (start, start + len(snippet)) if start >= 0 else None


def _overlaps(event: Event, span: tuple[int, int]) -> bool:
    return event.evidence.start < span[1] and span[0] < event.evidence.end


def _same_countries(predicted: list, gold: list[str]) -> bool:
    codes = {r.country_code for r in predicted if r.country_code}
    return bool(codes & set(gold)) if gold else not codes


def _sectors(refs: list) -> set[str]:
    return {code for r in refs for code in [r.sector_code, *r.other_sector_codes] if code}


def _as_set(value: str | list | None) -> set[str]:
    if not value:
        return set()
    return {value} if isinstance(value, str) else set(value)


def _overlap(predicted: set[str], gold: set[str]) -> str:
    """Right when the prediction shares a value with the gold, or both are empty."""
    return "right" if (predicted & gold if gold else not predicted) else "wrong"


def _names_match(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    a, b = fold(a).removeprefix("al "), fold(b).removeprefix("al ")
    return a == b or a in b or b in a


def score_article(gold: GoldArticle, extraction: Extraction, scores: ArticleScores) -> None:
    text = extraction.text
    occurred = [e for e in extraction.events if not NOT_OCCURRED & set(e.aux)]
    used: set[str] = set()
    for gold_event in gold.events:
        span = _span(text, gold_event["evidence"])
        kind = gold_event["event_type"]
        if "negation" in gold_event.get("aux", []):
            # the negated statement itself (its trigger inside the gold span) must not come out as occurred
            if span and any(e.event_type == kind and span[0] <= e.evidence.trigger_start < span[1] for e in occurred):
                scores.negated_reported_as_occurred += 1
            continue
        scores.events.gold += 1
        scores.by_type.setdefault(kind, Tally()).gold += 1
        match = None
        if span is not None:
            # of the events whose evidence overlaps the gold span, the one whose trigger lies inside it first
            candidates = [e for e in occurred if e.id not in used and e.event_type == kind and _overlaps(e, span)]
            candidates.sort(key=lambda e: not span[0] <= e.evidence.trigger_start < span[1])
            match = candidates[0] if candidates else None
        if match is None:
            scores.misses.append({"article": gold.article, "missed": kind, "evidence": gold_event["evidence"]})
            continue
        used.add(match.id)
        scores.events.matched_gold += 1
        scores.by_type[kind].matched_gold += 1
        scores.actor_country["right" if _same_countries(match.actor, gold_event.get("actor_country", []))
                             else "wrong"] += 1
        scores.recipient_country["right" if _same_countries(match.recipient,
                                                            gold_event.get("recipient_country", []))
                                 else "wrong"] += 1
        scores.actor_sector[_overlap(_sectors(match.actor), _as_set(gold_event.get("actor_sector")))] += 1
        scores.recipient_sector[_overlap(_sectors(match.recipient), _as_set(gold_event.get("recipient_sector")))] += 1
        scores.mode[_overlap(set(match.mode), _as_set(gold_event.get("mode")))] += 1
        scores.context[_overlap(set(match.context), _as_set(gold_event.get("context")))] += 1
        scores.aux["right" if set(match.aux) == _as_set(gold_event.get("aux")) else "wrong"] += 1
        if gold_event.get("date"):
            scores.event_date["right" if match.date == gold_event["date"] else "wrong"] += 1
    gold_negated_spans = [_span(text, g["evidence"]) for g in gold.events if "negation" in g.get("aux", [])]
    for event in occurred:
        if any(span and span[0] <= event.evidence.trigger_start < span[1] and event.event_type == g["event_type"]
               for g, span in zip([g for g in gold.events if "negation" in g.get("aux", [])], gold_negated_spans,
                                  strict=True)):
            continue  # already counted as negated_reported_as_occurred
        scores.events.predicted += 1
        scores.by_type.setdefault(event.event_type, Tally()).predicted += 1
        if event.id in used:
            scores.events.matched_predicted += 1
            scores.by_type[event.event_type].matched_predicted += 1
        else:
            scores.misses.append({"article": gold.article, "spurious": event.event_type,
                                  "evidence": event.evidence.sentence[:200], "trigger": event.trigger})

    scores.quotes.gold += len(gold.quotes)
    scores.quotes.predicted += len(extraction.quotes)
    for gold_quote in gold.quotes:
        found = next((q for q in extraction.quotes if gold_quote["text"] in q.text or q.text in gold_quote["text"]),
                     None)
        if found is not None:
            scores.quotes.matched_gold += 1
            scores.quotes.matched_predicted += 1
            speaker_ok = _names_match(found.speaker_name, gold_quote.get("speaker"))
            scores.quote_speaker["right" if speaker_ok else "wrong"] += 1

    persons = [e for e in extraction.entities if e.type == "person"]
    scores.people.gold += len(gold.people)
    scores.people.predicted += len(persons)
    for person in gold.people:
        if any(_names_match(p.name, person["name"]) for p in persons):
            scores.people.matched_gold += 1
            scores.people.matched_predicted += 1

    for person in gold.people:
        if not person.get("arabic"):
            continue
        linked = any(_names_match(e.name, person["name"]) and
                     any(m.lang == "ar" and (person["arabic"] in m.text or m.text in person["arabic"])
                         for m in e.mentions)
                     for e in persons)
        scores.arabic_link["right" if linked else "wrong"] += 1

    scores.places.gold += len(gold.places)
    scores.places.predicted += len(extraction.places)
    for place in gold.places:
        if any(p.country_code == place.get("country_code") and
               any(_names_match(m.text, place["name"]) for m in p.mentions) for p in extraction.places):
            scores.places.matched_gold += 1
            scores.places.matched_predicted += 1

    scores.posts.gold += len(gold.posts)
    scores.posts.predicted += len(extraction.posts)
    for post in gold.posts:
        if any(p.platform == post.get("platform") and fold(p.handle or "") == fold(post.get("handle") or "")
               for p in extraction.posts):
            scores.posts.matched_gold += 1
            scores.posts.matched_predicted += 1


def score(gold: list[GoldArticle], extractions: dict[str, Extraction]) -> dict[str, ArticleScores]:
    """Scores per split ("dev", "heldout", ...) and "all"; `extractions` keyed by gold `article` path."""
    by_split: dict[str, ArticleScores] = {"all": ArticleScores()}
    for article in gold:
        extraction = extractions[article.article]
        score_article(article, extraction, by_split["all"])
        score_article(article, extraction, by_split.setdefault(article.split, ArticleScores()))
    return by_split


# --- PLOVER's hand-coded example sentences ---------------------------------------------------------------
PLOVER_LABEL_MAP = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}


@dataclass
class PloverRecord:
    id: str
    date: str | None
    text: str
    event_type: str
    actor_countries: list[str]
    recipient_countries: list[str]
    actor_sectors: list[str]
    mode: str | None
    context: list[str]


def _codes(actors: object, key: str) -> list[str]:
    """Codes from a record's source/target list; a few records give bare strings, which carry none."""
    if not isinstance(actors, list):
        return []
    return [a[key] for a in actors if isinstance(a, dict) and a.get(key)]


def load_plover_records(path: Path) -> list[PloverRecord]:
    """PLOVER_GSR_CAMEO.json records with 0.5 labels mapped to PLOVER 2; the DOCUMENT record is skipped."""
    records = []
    for raw in json.loads(Path(path).read_text(encoding="utf-8")):
        if raw.get("event") == "DOCUMENT" or not raw.get("text"):
            continue
        context = raw.get("context") or ""
        if isinstance(context, list):
            context = ",".join(context)
        records.append(PloverRecord(
            id=raw["id"], date=raw.get("date"), text=raw["text"],
            event_type=PLOVER_LABEL_MAP.get(raw["event"], raw["event"]),
            actor_countries=_codes(raw.get("source"), "code"),
            recipient_countries=_codes(raw.get("target"), "code"),
            actor_sectors=_codes(raw.get("source"), "sector"),
            mode=raw.get("mode"), context=[c.strip() for c in context.split(",") if c.strip()],
        ))
    return records


@dataclass
class SentenceScores:
    by_type: dict[str, Tally] = field(default_factory=dict)
    actor_country: Counter = field(default_factory=Counter)
    recipient_country: Counter = field(default_factory=Counter)
    actor_sector: Counter = field(default_factory=Counter)
    mode: Counter = field(default_factory=Counter)
    context: Counter = field(default_factory=Counter)
    sentences: int = 0

    def tally(self, event_type: str) -> Tally:
        return self.by_type.setdefault(event_type, Tally())

    def as_dict(self) -> dict:
        micro = Tally()
        for tally in self.by_type.values():
            micro.gold += tally.gold
            micro.predicted += tally.predicted
            micro.matched_gold += tally.matched_gold
            micro.matched_predicted += tally.matched_predicted
        labelled = [t for t in self.by_type.values() if t.gold]
        macro = sum(t.f1 for t in labelled) / len(labelled) if labelled else 0.0

        def accuracy(counter: Counter) -> float | None:
            total = counter["right"] + counter["wrong"]
            return round(counter["right"] / total, 4) if total else None

        return {
            "sentences": self.sentences,
            "micro": micro.as_dict(),
            "macro_f1": round(macro, 4),
            "by_type": {t: tally.as_dict() for t, tally in sorted(self.by_type.items())},
            "actor_country_accuracy": accuracy(self.actor_country),
            "recipient_country_accuracy": accuracy(self.recipient_country),
            "actor_sector_accuracy": accuracy(self.actor_sector),
            "mode_accuracy": accuracy(self.mode),
            "context_accuracy": accuracy(self.context),
        }


def score_sentences(records: list[PloverRecord], extractions: list[Extraction]) -> SentenceScores:
    """One gold event per sentence: each predicted (occurred) type counts once per sentence."""
    scores = SentenceScores()
    for record, extraction in zip(records, extractions, strict=True):
        scores.sentences += 1
        occurred = [e for e in extraction.events if not NOT_OCCURRED & set(e.aux)]
        predicted_types = {e.event_type for e in occurred}
        scores.tally(record.event_type).gold += 1
        for event_type in predicted_types:
            tally = scores.tally(event_type)
            tally.predicted += 1
            if event_type == record.event_type:
                tally.matched_predicted += 1
        if record.event_type in predicted_types:
            scores.tally(record.event_type).matched_gold += 1
            matched = next(e for e in occurred if e.event_type == record.event_type)
            if record.actor_countries:
                scores.actor_country["right" if _same_countries(matched.actor, record.actor_countries)
                                     else "wrong"] += 1
            if record.recipient_countries:
                scores.recipient_country["right" if _same_countries(matched.recipient, record.recipient_countries)
                                         else "wrong"] += 1
            if record.actor_sectors:
                scores.actor_sector[_overlap(_sectors(matched.actor), set(record.actor_sectors))] += 1
            scores.mode[_overlap(set(matched.mode), _as_set(record.mode))] += 1
            scores.context[_overlap(set(matched.context), set(record.context))] += 1
    return scores


# --- running an evaluation ---------------------------------------------------------------------------------
def _article_path(gold_folder: Path, relative: str) -> Path:
    for base in (Path.cwd(), *Path(gold_folder).resolve().parents):
        candidate = base / relative
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"gold article {relative} not found from {gold_folder}")


def evaluate_articles(gold_folder: Path, pipeline) -> dict:  # noqa: ANN001 - a diurna.pipeline.Pipeline
    from diurna.ingest import iter_articles
    from diurna.records import Article

    gold = load_gold(gold_folder)
    paths = {g.article: _article_path(gold_folder, g.article) for g in gold}
    articles = []
    for relative, path in paths.items():
        article = next(a for a in iter_articles([str(path)]) if isinstance(a, Article))
        articles.append(article.model_copy(update={"origin": relative}))
    extractions = {a.origin: x for a, x in zip(articles, pipeline.extract(articles), strict=True)}
    by_split = score(gold, extractions)
    return {"kind": "articles", "gold": str(gold_folder), "articles": len(gold),
            "splits": {split: s.as_dict() for split, s in sorted(by_split.items())},
            "misses": {split: s.misses for split, s in sorted(by_split.items()) if split != "all"}}


def evaluate_plover(path: Path, pipeline) -> dict:  # noqa: ANN001 - a diurna.pipeline.Pipeline
    from diurna.records import Article, content_id

    records = load_plover_records(path)
    articles = [Article(id=content_id("plover", r.id), date=r.date, title=None, text=r.text, origin=r.id)
                for r in records]
    extractions = list(pipeline.extract(articles))
    return {"kind": "plover", "gold": str(path), **score_sentences(records, extractions).as_dict()}


def evaluate(gold: Path, pipeline) -> dict:  # noqa: ANN001 - a diurna.pipeline.Pipeline
    """Score against a gold folder of diurna article annotations or a PLOVER records JSON file."""
    gold = Path(gold)
    if gold.is_dir():
        return evaluate_articles(gold, pipeline)
    return evaluate_plover(gold, pipeline)

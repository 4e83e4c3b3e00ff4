"""The pipeline: stages registered by name and assembled from one Settings object.

Data flows one way: article -> segment (scripts, posts, the English view) -> nlp (batched `nlp.pipe`)
-> entities -> events -> quotes -> places -> dates -> `Extraction`. Each stage declares what it requires
and what it assigns on the per-article `Work`; `Pipeline` checks the order when it is built."""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from spacy.tokens import Doc

from diurna import dates, places, quotes, segment
from diurna.actors.context import fill_missing_countries
from diurna.actors.dictionary import ActorDictionary, load_dictionary
from diurna.actors.entities import ActorResolver, DocActors, find_entities
from diurna.arabic import read_arabic
from diurna.config import Settings
from diurna.errors import ConfigError, PipelineError, message
from diurna.events.classifier import classify_docs
from diurna.events.coder import CODER, code_events
from diurna.nlp import load_nlp
from diurna.records import Article, Event, Extraction, Failure, Place, Post, Quote, Segment

log = logging.getLogger(__name__)

WARM_UP_ARTICLE = Article(
    id="warm-up", origin="warm-up", date="2024-01-06", title="warm-up",
    text='Iraqi Foreign Minister Fuad Hussein met Syrian President Ahmed al-Sharaa in Damascus on Friday. '
         '"We support Syria," he said.\n\nقال وزير الخارجية العراقي فؤاد حسين إن العراق يدعم سوريا.')


@dataclass
class Work:
    """What the stages know about one article so far."""

    article: Article
    dictionary: ActorDictionary
    event_typing: str = "lexicon"
    segments: list[Segment] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    english_text: str = ""
    doc: Doc | None = None
    actors: DocActors | None = None
    resolver: ActorResolver | None = None
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    token_place: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Stage:
    name: str
    func: Callable[[Work], None] | None
    requires: tuple[str, ...]
    assigns: tuple[str, ...]


STAGES: dict[str, Stage] = {}


def register_stage(name: str, requires: tuple[str, ...] = (), assigns: tuple[str, ...] = ()):
    def decorator(func: Callable[[Work], None]) -> Callable[[Work], None]:
        STAGES[name] = Stage(name, func, requires, assigns)
        return func

    return decorator


@register_stage("segment", assigns=("segments", "posts", "english_text"))
def segment_stage(work: Work) -> None:
    work.segments = segment.segment_text(work.article.text)
    work.posts = segment.find_posts(work.article.text)
    work.english_text = segment.english_view(work.article.text, work.segments)


# nlp is batched over articles by the Pipeline itself (nlp.pipe), so it has no per-article function
STAGES["nlp"] = Stage("nlp", None, ("english_text",), ("doc",))


@register_stage("entities", requires=("doc",), assigns=("actors", "resolver"))
def entities_stage(work: Work) -> None:
    work.actors = find_entities(work.doc, work.dictionary)
    work.resolver = ActorResolver(work.actors, work.dictionary)


@register_stage("events", requires=("doc", "resolver"), assigns=("events",))
def events_stage(work: Work) -> None:
    work.events = code_events(work.doc, work.resolver, work.article.id, work.article.date, work.event_typing)
    for event in work.events:
        event.evidence.sentence = work.article.text[event.evidence.start : event.evidence.end]


@register_stage("arabic", requires=("segments", "actors", "events"), assigns=("events",))
def arabic_stage(work: Work) -> None:
    """Arabic passages: Arabic mentions linked to the article's entities, and events only Arabic states."""
    work.events += read_arabic(work.article.text, work.segments, work.actors.entities, work.article.id,
                               work.article.date, english_events=work.events)


@register_stage("quotes", requires=("doc", "resolver", "posts"), assigns=("quotes",))
def quotes_stage(work: Work) -> None:
    work.quotes = quotes.find_quotes(work.article.text, work.doc, work.resolver, work.article.id, work.posts,
                                     work.segments)


@register_stage("places", requires=("doc", "actors", "events", "segments"), assigns=("places",))
def places_stage(work: Work) -> None:
    work.places, work.token_place = places.find_places(work.doc, work.actors, work.dictionary)
    places.find_arabic_places(work.article.text, work.segments, work.places)
    places.locate_events(work.events, work.doc, work.places, work.token_place)


@register_stage("actor_countries", requires=("actors", "events", "places"))
def actor_countries_stage(work: Work) -> None:
    fill_missing_countries(work.events, list(work.actors.entities.values()), work.places, work.article.text)


@register_stage("dates", requires=("doc", "events", "posts"))
def dates_stage(work: Work) -> None:
    dates.date_events(work.events, work.doc, work.article.date, work.posts)


class Pipeline:
    def __init__(self, settings: Settings):
        self.settings = settings
        unknown = [name for name in settings.stages if name not in STAGES]
        if unknown:
            raise ConfigError("E120", names=unknown, known=sorted(STAGES))
        available = {"article", "dictionary"}
        for name in settings.stages:
            missing = [r for r in STAGES[name].requires if r not in available]
            if missing:
                raise ConfigError("E121", name=name, missing=missing)
            available.update(STAGES[name].assigns)
        self.stages = [STAGES[name] for name in settings.stages]
        split = settings.stages.index("nlp") if "nlp" in settings.stages else len(self.stages)
        self.before_nlp = [s for s in self.stages[:split] if s.func]
        self.after_nlp = [s for s in self.stages[split:] if s.func]
        self.nlp = load_nlp(settings.spacy_model) if "nlp" in settings.stages else None
        self.dictionary = load_dictionary(settings.actors_file)

    def warm_up(self) -> None:
        """Load what the stages load on first use (gazetteer, Arabic tables, classifier), then take every object
        loaded so far out of the garbage collector's sweeps: the models and tables are hundreds of thousands
        of objects that live as long as the process, and each full collection would walk them again."""
        list(self.extract_results([WARM_UP_ARTICLE]))
        gc.collect()
        gc.freeze()

    def _prepared(self, articles: Iterable[Article], failed: list[Failure]) -> Iterator[tuple[str, Work]]:
        for article in articles:
            work = Work(article=article, dictionary=self.dictionary, event_typing=self.settings.event_typing)
            try:
                for stage in self.before_nlp:
                    stage.func(work)
            except Exception as exc:  # noqa: BLE001 - one article's defect must not end the run
                failed.append(self._failure(article, exc))
                continue
            yield (work.english_text or article.text), work

    def extract_results(self, articles: Iterable[Article]) -> Iterator[Extraction | Failure]:
        """Stream extractions in input order (the parser sees articles in batches); an article that a stage
        fails on comes out as a `Failure` (code E901) in its place and the run goes on."""
        failed: list[Failure] = []
        prepared = self._prepared(articles, failed)
        if self.nlp is None:
            works: Iterable[Work] = (work for _, work in prepared)
        else:
            works = self._parsed(prepared)
        for work in works:
            yield from failed
            failed.clear()
            try:
                for stage in self.after_nlp:
                    stage.func(work)
                yield self._record(work)
            except Exception as exc:  # noqa: BLE001 - one article's defect must not end the run
                yield self._failure(work.article, exc)
        yield from failed

    def extract(self, articles: Iterable[Article]) -> Iterator[Extraction]:
        """Stream extractions in input order; raises `PipelineError` on an article a stage fails on."""
        return raise_failures(self.extract_results(articles))

    @staticmethod
    def _failure(article: Article, exc: Exception) -> Failure:
        log.exception("article %s (%s) failed in the pipeline", article.id, article.origin)
        return Failure(origin=article.origin, code="E901",
                       reason=message("E901", origin=article.origin, detail=f"{type(exc).__name__}: {exc}"))

    def _parsed(self, prepared: Iterator[tuple[str, Work]]) -> Iterator[Work]:
        parsed = self.nlp.pipe(prepared, as_tuples=True, batch_size=self.settings.batch_size)
        while batch := list(islice(parsed, self.settings.batch_size)):
            if self.settings.event_typing != "lexicon":
                classify_docs([doc for doc, _ in batch])
            for doc, work in batch:
                work.doc = doc
                yield work

    def _record(self, work: Work) -> Extraction:
        article = work.article
        events = work.events
        # the parser read the English view (other scripts blanked out): every mention's text is the article's
        for entity in work.actors.entities.values() if work.actors else []:
            for mention in entity.mentions:
                mention.text = article.text[mention.start : mention.end]
        for place in work.places:
            for mention in place.mentions:
                mention.text = article.text[mention.start : mention.end]
        limit = self.settings.max_events_per_article
        if len(events) > limit:
            log.warning("article %s: %d events, keeping the first %d", article.id, len(events), limit)
            events = events[:limit]
        return Extraction(
            id=article.id, date=article.date, title=article.title, text=article.text, url=article.url,
            source=article.source, author=article.author, languages=segment.languages(work.segments),
            segments=work.segments,
            posts=work.posts, entities=list(work.actors.entities.values()) if work.actors else [],
            events=events, quotes=work.quotes, places=work.places, coder=CODER,
        )


def raise_failures(results: Iterable[Extraction | Failure]) -> Iterator[Extraction]:
    """Extractions from `extract_results`, raising `PipelineError` at the first failure."""
    for result in results:
        if isinstance(result, Failure):
            raise PipelineError("E901", origin=result.origin, detail=result.reason)
        yield result


def extract(articles: Iterable[Article], settings: Settings | None = None) -> Iterator[Extraction]:
    """Library entry point: code articles into extractions with the given (or default) settings."""
    return Pipeline(settings or Settings()).extract(articles)

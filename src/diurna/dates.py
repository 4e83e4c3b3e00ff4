"""Event dates: a date expression attached to the trigger ("on Friday", "last week", "April 25"), resolved
against the article date with dateparser. A sentence with no date gives the event the article date
(`date_inferred` stays true). A resolved date after the article date marks the event `future`; one more
than `HISTORICAL_DAYS` before it marks it `historical`."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import dateparser
from spacy.tokens import Doc, Span, Token

from diurna.records import Event

HISTORICAL_DAYS = 30
_MAX_HOPS = 3


def _attached(ent: Span, trigger: Token) -> bool:
    token = ent.root
    for _ in range(_MAX_HOPS + 1):
        if token.i == trigger.i:
            return True
        if token.head is token:
            return False
        token = token.head
    return False


# A date only counts when it names a day: "in March" or "last year" leave the event on the article date.
_DAY_PRECISE = re.compile(
    r"\b(mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(today|yesterday|tomorrow|tonight)\b|\d"
    r"|\b(last|this|next) (week|weekend)\b",
    re.IGNORECASE,
)
_WEEKDAY_OR_RELATIVE = re.compile(r"day\b|\bweek", re.IGNORECASE)


def resolve_date(expression: str, article_date: str, prefer_future: bool) -> str | None:
    """The day an expression names, relative to the article date; None when it names no single day."""
    if not _DAY_PRECISE.search(expression):
        return None
    if _WEEKDAY_OR_RELATIVE.search(expression):
        prefer = "future" if prefer_future else "past"
    else:
        prefer = "current_period"
    parsed = dateparser.parse(
        expression,
        languages=["en", "ar"],
        settings={
            "RELATIVE_BASE": datetime.fromisoformat(article_date),
            "PREFER_DATES_FROM": prefer,
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    return parsed.date().isoformat() if parsed else None


def date_events(events: list[Event], doc: Doc, article_date: str | None) -> None:
    if not article_date:
        return
    by_char = {t.idx: t for t in doc}
    dates = [e for e in doc.ents if e.label_ == "DATE"]
    for event in events:
        trigger = by_char.get(event.evidence.trigger_start)
        if trigger is None:
            continue
        for ent in dates:
            if not (event.evidence.start <= ent.start_char < event.evidence.end) or not _attached(ent, trigger):
                continue
            resolved = resolve_date(ent.text, article_date, prefer_future="future" in event.aux)
            if resolved is None:
                continue
            event.date = resolved
            event.date_inferred = False
            break
        if event.date is None:
            continue
        day = date.fromisoformat(event.date)
        published = date.fromisoformat(article_date)
        if day > published and "future" not in event.aux:
            event.aux.append("future")
        elif day < published - timedelta(days=HISTORICAL_DAYS) and "historical" not in event.aux:
            event.aux.append("historical")

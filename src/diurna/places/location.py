"""Event location: the place where the event happened, not any place the sentence names.

1. attached: a locative prepositional phrase on the trigger, on its arguments ("protesters in Basra"), on the
   verb a nominal trigger depends on ("held talks in Amman"), or on a verb above it ("In Baghdad, officials
   said protesters ..."); the place is the phrase's object or sits inside it ("at the al-Qaim crossing",
   "near the town of Jisr al-Shughur"). Prepositions rank in > at/near/... > into/onto > to > from.
2. target: for material conflict (ASSAULT, COERCE) a place that is the direct object ("shelled Kobani").
3. sentence: a place in a locative phrase elsewhere in the sentence (confidence x 0.8).
4. inferred: the article's dateline, else the most specific place of the paragraph (nearest before the
   trigger first). An inferred location has confidence at most ``INFERRED_CONFIDENCE`` (0.3), and every
   explicit location has more, so ``confidence <= 0.3`` reads as "inferred"."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from diurna.places.resolve import dateline_span
from diurna.records import Event, Mention, Place

INFERRED_CONFIDENCE = 0.3
PARAGRAPH_CONFIDENCE = 0.25
PREP_RANK = {"in": 0, "at": 1, "near": 1, "outside": 1, "inside": 1, "within": 1, "around": 1, "across": 1,
             "along": 1, "on": 2, "off": 2, "over": 2, "through": 2, "between": 2, "into": 3, "onto": 3,
             "to": 4, "towards": 4, "toward": 4, "from": 5}
ARG_DEPS = {"nsubj", "nsubjpass", "dobj", "attr", "agent", "pobj"}
SPECIFICITY = {"crossing": 0, "site": 0, "port": 0, "base": 0, "camp": 0, "airport": 0, "district": 0, "dam": 0,
               "city": 1, "admin1": 2, "region": 2, "disputed": 2, "country": 3}
_PARAGRAPH = re.compile(r"\n\s*\n")


def _place_in(token: Token, token_place: dict[int, str]) -> tuple[str, int] | None:
    """The place a prepositional object is or contains (first in reading order), with its token."""
    if token.i in token_place:
        return token_place[token.i], token.i
    for t in token.subtree:
        if t.i in token_place and t.dep_ not in {"relcl"}:
            head = t
            inside_clause = False
            while head.i != token.i:
                if head.dep_ in {"relcl", "advcl", "ccomp"}:
                    inside_clause = True
                    break
                head = head.head
            if not inside_clause:
                return token_place[t.i], t.i
    return None


def _attached(token: Token, token_place: dict[int, str]) -> tuple[int, str, int] | None:
    """Best (rank, place id, token) among the locative phrases hanging on `token`."""
    best = None
    for prep in token.children:
        if prep.dep_ not in {"prep", "agent"} or prep.lower_ not in PREP_RANK:
            continue
        for pobj in prep.children:
            if pobj.dep_ not in {"pobj", "pcomp"}:
                continue
            found = _place_in(pobj, token_place)
            if found and (best is None or PREP_RANK[prep.lower_] < best[0]):
                best = (PREP_RANK[prep.lower_], *found)
    return best


def _chain(trigger: Token) -> list[list[Token]]:
    """Tokens whose locative phrases locate the event, in tiers of decreasing closeness."""
    tiers = [[trigger]]
    args = [c for c in trigger.children if c.dep_ in ARG_DEPS | {"xcomp", "advcl"}]
    tiers.append(args)
    up = []
    if trigger.dep_ in {"dobj", "nsubj", "nsubjpass", "pobj", "attr", "xcomp", "conj", "compound"}:
        head = trigger.head
        if head.dep_ == "prep":
            head = head.head
        up.append(head)
        tiers.append([head])
        tiers.append([c for c in head.children if c.dep_ in ARG_DEPS and c.i != trigger.i])
    ancestors = [a for a in trigger.ancestors if a not in up]
    tiers.append(ancestors)
    return tiers


def _explicit(trigger: Token, event: Event, token_place: dict[int, str]) -> tuple[str, int, float] | None:
    for tier in _chain(trigger):
        best = None
        for token in tier:
            found = _attached(token, token_place)
            if found and (best is None or found[0] < best[0]):
                best = found
        if best is not None:
            return best[1], best[2], 1.0
    if event.event_type in {"ASSAULT", "COERCE"}:
        for child in trigger.children:
            if child.dep_ == "dobj":
                found = _place_in(child, token_place)
                if found:
                    return found[0], found[1], 0.9
    best = None
    for token in trigger.sent:
        if token.dep_ == "prep" and token.lower_ in PREP_RANK:
            for pobj in token.children:
                found = _place_in(pobj, token_place) if pobj.dep_ == "pobj" else None
                if found and (best is None or PREP_RANK[token.lower_] < best[0]):
                    best = (PREP_RANK[token.lower_], *found)
    if best is not None:
        return best[1], best[2], 0.8
    return None


def _inferred(trigger: Token, doc: Doc, places: list[Place]) -> tuple[Place, float] | None:
    span = dateline_span(doc.text)
    if span is not None:
        for place in places:
            if any(m.start >= span[0] and m.end <= span[1] + 1 for m in place.mentions):
                return place, INFERRED_CONFIDENCE
    start, end = 0, len(doc.text)
    for match in _PARAGRAPH.finditer(doc.text):
        if match.end() <= trigger.idx:
            start = match.end()
        elif match.start() >= trigger.idx:
            end = match.start()
            break
    best = None
    for place in places:
        for m in place.mentions:
            if start <= m.start < end and m.lang == "en":
                rank = SPECIFICITY.get(place.feature or "", 4)
                distance = trigger.idx - m.start if m.start <= trigger.idx else 10_000 + m.start - trigger.idx
                key = (rank, distance)
                if best is None or key < best[0]:
                    best = (key, place)
    if best is None:
        return None
    return best[1], PARAGRAPH_CONFIDENCE


def locate_events(events: list[Event], doc: Doc, places: list[Place], token_place: dict[int, str]) -> None:
    """Set each event's location (a copy of the place, with the mention that locates it when explicit)."""
    by_id = {p.id: p for p in places}
    by_char = {t.idx: t.i for t in doc}
    for event in events:
        i = by_char.get(event.evidence.trigger_start)
        if i is None:
            span = doc.char_span(event.evidence.trigger_start, event.evidence.trigger_end, alignment_mode="expand")
            if span is None:
                continue
            i = span.root.i
        trigger = doc[i]
        found = _explicit(trigger, event, token_place)
        if found is not None:
            place_id, token_i, factor = found
            place = by_id.get(place_id)
            if place is None:
                continue
            token = doc[token_i]
            mentions = [m for m in place.mentions if m.start <= token.idx < m.end]
            event.location = place.model_copy(update={
                "mentions": [Mention(**m.model_dump()) for m in mentions[:1]],
                "confidence": round(max((place.confidence or 0.5) * factor, INFERRED_CONFIDENCE + 0.05), 2),
            })
            continue
        inferred = _inferred(trigger, doc, places)
        if inferred is not None:
            place, confidence = inferred
            event.location = place.model_copy(update={"mentions": [], "confidence": confidence})

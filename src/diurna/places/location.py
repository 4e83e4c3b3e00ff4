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

from diurna.nlp import doc_text, sentence_of, token_at
from diurna.places.resolve import dateline_span
from diurna.records import Event, Mention, Place

INFERRED_CONFIDENCE = 0.3
PARAGRAPH_CONFIDENCE = 0.25
PREP_RANK = {"in": 0, "at": 1, "near": 1, "outside": 1, "inside": 1, "within": 1, "around": 1, "across": 1,
             "along": 1, "on": 2, "off": 2, "over": 2, "through": 2, "into": 3, "onto": 3,
             "to": 4, "towards": 4, "toward": 4, "from": 5}
ARG_DEPS = {"nsubj", "nsubjpass", "dobj", "attr", "agent", "pobj"}
SPECIFICITY = {"crossing": 0, "site": 0, "port": 0, "base": 0, "camp": 0, "airport": 0, "district": 0, "dam": 0,
               "city": 1, "admin1": 2, "region": 2, "disputed": 2, "country": 3}
_PARAGRAPH = re.compile(r"\n\s*\n")


def _place_in(token: Token, token_place: dict[int, str]) -> tuple[str, int] | None:
    """The place a prepositional object is or contains, with its token: the object itself, else a place in
    its phrase (not inside a clause), preferring one that is not a mere modifier ("the Gaza border fence in
    Rafah" -> Rafah)."""
    if token.i in token_place:
        return token_place[token.i], token.i
    found = []
    for t in token.subtree:
        if t.i not in token_place:
            continue
        head, inside_clause = t, False
        while head.i != token.i:
            if head.dep_ in {"relcl", "advcl", "ccomp", "acl"}:
                inside_clause = True
                break
            head = head.head
        if not inside_clause:
            modifier = t.dep_ in {"compound", "amod", "nmod", "poss"} and t.head.i not in token_place
            found.append((modifier, t.i))
    if not found:
        return None
    _, i = min(found)
    return token_place[i], i


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


def _specificity(place: Place | None) -> int:
    return SPECIFICITY.get(place.feature or "", 4) if place is not None else 9


def _explicit(trigger: Token, event: Event, token_place: dict[int, str],
              by_id: dict[str, Place]) -> tuple[str, int, float] | None:
    attached = None
    for tier in _chain(trigger):
        best = None
        for token in tier:
            found = _attached(token, token_place)
            if found and (best is None or found[0] < best[0]):
                best = found
        if best is not None:
            attached = (best[1], best[2], 1.0)
            break
    target = None
    for child in trigger.children:
        if child.dep_ == "dobj":
            found = _place_in(child, token_place)
            material = event.event_type in {"ASSAULT", "COERCE"}
            if found and (material or by_id[found[0]].feature != "country"):
                target = (found[0], found[1], 0.9)
    if target and (attached is None or _specificity(by_id.get(target[0])) < _specificity(by_id.get(attached[0]))):
        return target
    if attached:
        return attached
    best = None
    for token in sentence_of(trigger):
        if token.dep_ == "prep" and token.lower_ in PREP_RANK:
            between = doc_text_between(trigger, token)
            if "\n\n" in between:
                continue
            for pobj in token.children:
                found = _place_in(pobj, token_place) if pobj.dep_ == "pobj" else None
                if found and (best is None or PREP_RANK[token.lower_] < best[0]):
                    best = (PREP_RANK[token.lower_], *found)
    if best is not None:
        return best[1], best[2], 0.8
    return None


def doc_text_between(a: Token, b: Token) -> str:
    lo, hi = sorted((a.idx, b.idx))
    return doc_text(a.doc)[lo:hi]


ACTOR_DEPS = {"nsubj", "nsubjpass", "dobj", "iobj", "dative", "poss", "amod", "agent", "attr", "appos"}


def _dateline_and_paragraph_breaks(doc: Doc) -> tuple[tuple[int, int] | None, list[tuple[int, int]]]:
    cached = doc.user_data.get("diurna_dateline_paragraphs")
    if cached is None:
        text = doc_text(doc)
        cached = dateline_span(text), [match.span() for match in _PARAGRAPH.finditer(text)]
        doc.user_data["diurna_dateline_paragraphs"] = cached
    return cached


def _setting_mentions(doc: Doc, places: list[Place], token_place: dict[int, str]) -> list[tuple[Place, int]]:
    """(place, offset) of the English mentions that can set a scene: not a place named as an actor."""
    by_char = token_at(doc)
    found = []
    for place in places:
        for m in place.mentions:
            token = by_char.get(m.start)
            if m.lang != "en" or token is None:
                continue
            while token.dep_ in {"compound", "flat"} and token.head.i in token_place:
                token = token.head
            if token.dep_ not in ACTOR_DEPS:  # "Baghdad accused Ankara" sets no scene
                found.append((place, m.start))
    return found


def _inferred(trigger: Token, doc: Doc, places: list[Place],
              settings: list[tuple[Place, int]]) -> tuple[Place, float] | None:
    span, breaks = _dateline_and_paragraph_breaks(doc)
    if span is not None:
        for place in places:
            if any(m.start >= span[0] and m.end <= span[1] + 1 for m in place.mentions):
                return place, INFERRED_CONFIDENCE
    start, end = 0, len(doc_text(doc))
    for break_start, break_end in breaks:
        if break_end <= trigger.idx:
            start = break_end
        elif break_start >= trigger.idx:
            end = break_start
            break
    best = None
    for place, mention_start in settings:
        if mention_start >= end:
            continue
        in_paragraph = mention_start >= start
        distance = trigger.idx - mention_start if mention_start <= trigger.idx else 10_000 + mention_start - trigger.idx
        key = (not in_paragraph, _specificity(place) if in_paragraph else 0, distance)
        if best is None or key < best[0]:
            best = (key, place)
    if best is None:
        return None
    return best[1], PARAGRAPH_CONFIDENCE


def locate_events(events: list[Event], doc: Doc, places: list[Place], token_place: dict[int, str]) -> None:
    """Set each event's location (a copy of the place, with the mention that locates it when explicit)."""
    by_id = {p.id: p for p in places}
    by_char = token_at(doc)
    settings: list[tuple[Place, int]] | None = None
    for event in events:
        trigger = by_char.get(event.evidence.trigger_start)
        if trigger is None:
            span = doc.char_span(event.evidence.trigger_start, event.evidence.trigger_end, alignment_mode="expand")
            if span is None:
                continue
            trigger = span.root
        found = _explicit(trigger, event, token_place, by_id)
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
        if settings is None:
            settings = _setting_mentions(doc, places, token_place)
        inferred = _inferred(trigger, doc, places, settings)
        if inferred is not None:
            place, confidence = inferred
            event.location = place.model_copy(update={"mentions": [], "confidence": confidence})
            event.location_inferred = True

"""The Arabic stage: entities and events from the Arabic segments of an article.

`read_arabic` adds Arabic mentions to the article's entities (persons linked to their English entity,
countries to the country entity, new entities for persons only the Arabic names) and returns the events
that the Arabic passages state, with evidence offsets into the original article text."""

from __future__ import annotations

from dataclasses import dataclass, field

from diurna import __version__
from diurna.actors.dictionary import fold
from diurna.arabic.entities import (
    BOUNDARY_PUNCT,
    MAX_NAME_TOKENS,
    NAME_LINKS,
    SENTENCE_END,
    Chunk,
    PersonHit,
    Token,
    clitic_variants,
    find_chunks,
    find_persons,
    tokenize,
)
from diurna.arabic.link import LINK_THRESHOLD, best_link
from diurna.arabic.normalise import norm
from diurna.arabic.romanise import known_name_part
from diurna.arabic.tables import Tables, Trigger, load_tables
from diurna.events.lexicon import load_lexicon
from diurna.records import ActorRef, Entity, Event, Evidence, Mention, Segment, content_id

CODER = f"diurna-arabic/{__version__}"
INTENT_TO_MEET = "036"
WITH_WINDOW = 10  # tokens after a verb to look for its required word ("حمّلت … المسؤولية")
SHORTENED_LINK_THRESHOLD = 88.0  # a name read shorter than found must match better
UNTITLED_LINK_THRESHOLD = 85.0  # a name with no title in front of it must match better still
_MARKS = {chr(c) for c in range(0x064B, 0x0660)} | {"\u0670", "\u0640"}
RECIPIENT_PREPS = {norm(w) for w in ("إلى", "الى", "مع", "على", "ضد", "لدى", "ب", "ل", "أمام", "في", "فوق")}
LED_BY = {norm(w) for w in ("برئاسة", "بقيادة", "يقوده", "يترأسه", "ترأسه")}
CLAUSE_WORDS = {norm(w) for w in ("أن", "بأن", "إن", "وأن", "وإن", "وذلك", "الذي", "التي", "الذين", "حيث",
                                  "بعد", "قبل", "خلال", "فيما", "بينما", "لكن", "بتوجيه", "بدعوة", "مؤكدا", "مؤكدة",
                                  "مشيرا", "مشيرة", "معتبرا", "معتبرة", "مضيفا", "مضيفة", "عقب", "إثر")}
NEGATION = {norm(w) for w in ("لم", "لا", "لن", "ما", "ليس", "دون")}
FUTURE_WORDS = {norm(w) for w in ("سوف", "لن", "المقرر", "المتوقع", "يعتزم", "تعتزم", "ينوي", "تنوي", "سيتم")}
SPEECH_VERBS = {norm(w) for w in ("قال", "قالت", "أكد", "أكدت", "أعلن", "أعلنت", "أوضح", "أوضحت", "أضاف",
                                  "أضافت", "صرح", "صرحت", "يؤكد", "تؤكد", "يقول", "تقول", "أفاد", "أفادت")}


@dataclass
class Unit:
    """An actor phrase over tokens [first, last): the entity it names and how it codes."""

    first: int
    last: int
    entity: Entity
    country: str | None
    sector: str | None
    others: list[str] = field(default_factory=list)
    prefix: str = ""
    led_by: bool = False


@dataclass
class _Trig:
    index: int
    end: int  # last token of the trigger (with its required word) + 1
    entry: Trigger
    prefix: str


class ArabicReader:
    def __init__(self, text: str, entities: dict[str, Entity], article_id: str, article_date: str | None,
                 use_package: bool = True):
        self.text = text
        self.entities = entities
        self.article_id = article_id
        self.article_date = article_date
        self.tables: Tables = load_tables()
        self.lexicon = load_lexicon()
        self.use_package = use_package
        self.english_people = {e.id: e.name for e in entities.values()
                               if e.type == "person" and any(m.lang != "ar" for m in e.mentions)}
        self._country_names = _english_country_names()
        self._previous_actor: Unit | None = None

    # --- entities --------------------------------------------------------------------------------------
    def _mention(self, entity: Entity, start: int, end: int) -> None:
        if not any(m.start == start and m.end == end for m in entity.mentions):
            entity.mentions.append(Mention(start=start, end=end, text=self.text[start:end], lang="ar"))

    def _start_after_prefix(self, token: Token, prefix: str) -> int:
        if not prefix:
            return token.start
        consumed, pos = 0, token.start
        # لل (ل + ال): the article is part of the word, so the mention keeps the preposition: للرئيس
        want = len(prefix) - 2 if prefix.endswith("لل") else len(prefix)
        while pos < token.end and consumed < want:
            if self.text[pos] not in _MARKS:
                consumed += 1
            pos += 1
        while pos < token.end and self.text[pos] in _MARKS:
            pos += 1
        return pos

    def country_entity(self, code: str) -> Entity:
        entity_id = content_id("entity", "country", code)
        entity = self.entities.get(entity_id)
        if entity is None:
            entity = Entity(id=entity_id, name=self.country_name(code) or code, type="country", country_code=code)
            self.entities[entity_id] = entity
        return entity

    def country_name(self, code: str | None) -> str | None:
        return self._country_names.get(code) or self.tables.country_names_en.get(code) if code else None

    def group_entity(self, country: str | None, sector: str | None, raw: str) -> Entity:
        """An unnamed actor ("الحكومة الجزائرية"): a group keyed like the English coder's groups."""
        name = " ".join(p for p in (self.country_name(country), sector) if p) or raw
        entity_id = content_id("entity", "group", f"{country}/{sector}/{name}")
        entity = self.entities.get(entity_id)
        if entity is None:
            entity = Entity(id=entity_id, name=name, type="group", country_code=country, sector_code=sector)
            self.entities[entity_id] = entity
        return entity

    def person_entity(self, tokens: list[Token], hit: PersonHit) -> tuple[Entity, int]:
        """Link the name after a title to an English person (trying shorter readings of the name when the
        longer does not match), or make a new person entity; returns the entity and the name's end token."""
        ends = [e for e in range(hit.name_last, hit.name_first, -1) if tokens[e - 1].text not in NAME_LINKS]
        linked, end = None, hit.name_last
        if self.english_people:
            for candidate_end in ends:
                name = self.text[tokens[hit.name_first].start : tokens[candidate_end - 1].end]
                threshold = LINK_THRESHOLD if candidate_end == hit.name_last else SHORTENED_LINK_THRESHOLD
                entity_id, _ = best_link(name, self.english_people, self.use_package, threshold)
                if entity_id:
                    linked, end = self.entities[entity_id], candidate_end
                    break
        if linked is None:
            end = self._trim_unknown(tokens, hit)
        title = self.text[tokens[hit.title_first].start : tokens[hit.title_last - 1].end]
        name_start = self._start_after_prefix(tokens[hit.name_first], "")
        name = self.text[name_start : tokens[end - 1].end]
        sector = hit.title.sector
        others = [o for o in [*hit.title.others, *(x.sector for x in hit.extra_titles if x.kind != "rank")]
                  if o and o != sector]
        if linked is None:
            entity_id = content_id("entity", "person", fold(norm(name)))
            linked = self.entities.get(entity_id)
            if linked is None:
                linked = Entity(id=entity_id, name=name, type="person", country_code=hit.country, sector_code=sector,
                                other_sector_codes=list(dict.fromkeys(others)), titles=[title])
                self.entities[entity_id] = linked
        if linked.country_code is None and hit.country:
            linked.country_code = hit.country
        if linked.sector_code is None and sector:
            linked.sector_code = sector
            linked.other_sector_codes = list(dict.fromkeys([*linked.other_sector_codes, *others]))
        self._mention(linked, name_start, tokens[end - 1].end)
        return linked, end

    def _trim_unknown(self, tokens: list[Token], hit: PersonHit) -> int:
        """Without an English match: from the third name token on, keep only words the romaniser's name
        dictionary knows ("جوزاف عون المجتمع الدولي" ends after عون)."""
        end = hit.name_first
        counted = 0
        for i in range(hit.name_first, hit.name_last):
            word = tokens[i].text
            if word not in NAME_LINKS:
                counted += 1
                if counted >= 3 and known_name_part(word) is False:
                    break
            end = i + 1
        while end > hit.name_first + 1 and tokens[end - 1].text in NAME_LINKS:
            end -= 1
        return end

    def units(self, tokens: list[Token], chunks: list[Chunk], persons: list[PersonHit]) -> list[Unit]:
        units: list[Unit] = []
        covered: set[int] = set()
        names: set[int] = set()
        for hit in persons:
            entity, end = self.person_entity(tokens, hit)
            names.update(range(hit.name_first, end))
            sector = hit.title.sector or entity.sector_code
            others = [o for o in [*hit.title.others, *entity.other_sector_codes] if o and o != sector]
            units.append(Unit(hit.title_first, end, entity, hit.country or entity.country_code, sector,
                              list(dict.fromkeys(others)), hit.prefix))
            covered.update(range(hit.title_first, end))
        for chunk in chunks:
            if chunk.first in covered:
                if chunk.country and chunk.first not in names:  # "الرئيس السوري": a mention of Syria
                    start = self._start_after_prefix(tokens[chunk.first], chunk.prefix)
                    self._mention(self.country_entity(chunk.country.code), start, tokens[chunk.last - 1].end)
                continue
            if chunk.kind == "country" and chunk.country:
                entity = self.country_entity(chunk.country.code)
                start = self._start_after_prefix(tokens[chunk.first], chunk.prefix)
                self._mention(entity, start, tokens[chunk.last - 1].end)
                sector = "GOV" if chunk.country.role == "capital" else None
                if units and units[-1].last == chunk.first and units[-1].entity.type == "group" \
                        and units[-1].country is None and chunk.country.role != "capital":
                    units[-1] = self._office_unit(tokens, units[-1], chunk)  # الحكومة الجزائرية
                    continue
                units.append(Unit(chunk.first, chunk.last, entity, chunk.country.code, sector, [], chunk.prefix))
            elif chunk.kind == "office" and chunk.office:
                office = chunk.office
                if office.kind == "rank" or not office.sector or office.priority <= 1:
                    continue
                raw = self.text[tokens[chunk.first].start : tokens[chunk.last - 1].end]
                entity = self.group_entity(office.country, office.sector, raw)
                units.append(Unit(chunk.first, chunk.last, entity, office.country, office.sector,
                                  list(office.others), chunk.prefix))
        units.sort(key=lambda u: u.first)
        for unit in units:
            if unit.entity.type == "group":
                start = self._start_after_prefix(tokens[unit.first], unit.prefix)
                self._mention(unit.entity, start, tokens[unit.last - 1].end)
        return units

    def _office_unit(self, tokens: list[Token], unit: Unit, country: Chunk) -> Unit:
        code = country.code
        raw = self.text[tokens[unit.first].start : tokens[country.last - 1].end]
        entity = self.group_entity(code, unit.sector, raw)
        return Unit(unit.first, country.last, entity, code, unit.sector, unit.others, unit.prefix)

    # --- events ----------------------------------------------------------------------------------------
    def triggers(self, tokens: list[Token], covered: set[int]) -> list[_Trig]:
        found: list[_Trig] = []
        skip_until = -1
        for token in tokens:
            if token.i <= skip_until or token.i in covered or not token.is_word:
                continue
            for prefix, base in clitic_variants(token.text):
                entries = self.tables.triggers.get(base)
                if not entries:
                    continue
                if "س" in prefix:
                    continue
                trig = self._match_entry(tokens, token, entries, prefix)
                if trig:
                    found.append(trig)
                    skip_until = trig.end - 1
                    break
            else:
                if token.text[:1] == "س" or token.text[:2] in {"وس", "فس"}:  # سيزور، وستقدم
                    cut = token.text.index("س") + 1
                    entries = self.tables.triggers.get(token.text[cut:])
                    if entries and any(e.kind == "verb" for e in entries):
                        verbs = [e for e in entries if e.kind == "verb" and e.with_words or e.kind == "verb"]
                        trig = self._match_entry(tokens, token, verbs, token.text[:cut])
                        if trig:
                            found.append(trig)
                            skip_until = trig.end - 1
        return found

    def _match_entry(self, tokens: list[Token], token: Token, entries: list[Trigger], prefix: str) -> _Trig | None:
        for entry in entries:
            if entry.kind == "noun" and any(p in prefix for p in "س"):
                continue
            if not entry.with_words:
                return _Trig(token.i, token.i + 1, entry, prefix)
            for j in range(token.i + 1, min(token.i + WITH_WINDOW + 1, len(tokens))):
                if tokens[j].text in BOUNDARY_PUNCT:
                    break
                if any(base in entry.with_words for _, base in clitic_variants(tokens[j].text)):
                    return _Trig(token.i, j + 1, entry, prefix)
        return None

    def events(self, tokens: list[Token], units: list[Unit]) -> list[Event]:
        covered = {i for u in units for i in range(u.first, u.last)}
        trigs = self.triggers(tokens, covered)
        events: list[Event] = []
        sentences: list[tuple[int, int]] = []
        start = 0
        for token in tokens:
            if token.text in SENTENCE_END and not _decimal_point(tokens, token.i):
                if token.i > start:
                    sentences.append((start, token.i + 1))
                start = token.i + 1
        if start < len(tokens):
            sentences.append((start, len(tokens)))
        for first, last in sentences:
            in_sentence = [t for t in trigs if first <= t.index < last]
            seen: set[tuple] = set()
            self._previous_actor = None
            for position in range(len(in_sentence)):
                event = self._event(tokens, units, in_sentence, position, first, last)
                if event is None:
                    continue
                key = (event.event_type, frozenset(a.country_code or a.entity_id for a in event.actor))
                if key not in seen:
                    seen.add(key)
                    events.append(event)
        return events

    def _clause(self, tokens: list[Token], trigs: list[_Trig], position: int, first: int, last: int) -> tuple[int, int]:
        trig = trigs[position]
        left = first
        for i in range(trig.index - 1, first - 1, -1):
            if tokens[i].text in BOUNDARY_PUNCT or tokens[i].text in CLAUSE_WORDS:
                left = i + 1
                break
        if position > 0:
            left = max(left, trigs[position - 1].end)
        right = last
        for i in range(trig.end, last):
            if tokens[i].text in BOUNDARY_PUNCT or tokens[i].text in CLAUSE_WORDS:
                right = i
                break
        if position + 1 < len(trigs):
            right = min(right, trigs[position + 1].index)
        return left, right

    def _event(self, tokens: list[Token], units: list[Unit], trigs: list[_Trig], position: int,
               first: int, last: int) -> Event | None:
        trig = trigs[position]
        entry = trig.entry
        purpose = trig.prefix.endswith("ل") and (entry.kind == "noun" or entry.lemma)
        if purpose and position > 0:
            return None  # "وصل … للقاء": the purpose of the earlier event, coded there
        left, right = self._clause(tokens, trigs, position, first, last)
        if entry.kind == "noun" and position > 0 and left == trigs[position - 1].end:
            return None  # "بحث التعاون": the object of the verb before it
        after = self._merge_led([u for u in units if trig.index < u.first and u.last <= right], tokens)
        before = self._merge_led([u for u in units if left <= u.first and u.last <= trig.index], tokens)
        marked = {id(u): self._marker(tokens, u) for u in after}
        actor_unit = next((u for u in after if marked[id(u)] is None), None)
        if actor_unit is None or (entry.kind == "verb" and before and self._svo(tokens, before[-1], trig)):
            if before:
                actor_unit = before[-1]
        unmarked = [u for u in after if marked[id(u)] is None]
        if trig.prefix[:1] in {"و", "ف"} and entry.takes_object and len(unmarked) == 1 and not before \
                and self._previous_actor is not None:
            # "قررت الحكومة الجزائرية … وتحمّل الحكومة الفرنسية المسؤولية": the subject carries over
            actor_unit = self._previous_actor
            after = [actor_unit, *after]
            marked[id(actor_unit)] = None
        if actor_unit is None:
            return None
        self._previous_actor = actor_unit
        recipient_units = []
        for unit in after:
            if unit is actor_unit:
                continue
            marker = marked[id(unit)]
            preps = entry.preps or RECIPIENT_PREPS
            if marker is not None and marker in preps:
                recipient_units.append(unit)
                break
            if marker is None and entry.takes_object and unit.first > actor_unit.first:
                recipient_units.append(unit)
                break
            if marker is None and entry.takes_object and actor_unit in before:
                recipient_units.append(unit)
                break
        actor = [self._ref(tokens, actor_unit)]
        recipient = [self._ref(tokens, u) for u in recipient_units if u.entity.id != actor_unit.entity.id]
        aux = self._aux(tokens, trig, left, purpose)
        claimed_by = self._claimed_by(tokens, units, trig, first)
        return self._build(tokens, trig, actor, recipient, aux, first, last, claimed_by)

    @staticmethod
    def _svo(tokens: list[Token], unit: Unit, trig: _Trig) -> bool:
        """A unit right before the trigger, nothing but particles between: the subject of an SVO clause."""
        between = [t.text for t in tokens[unit.last : trig.index]]
        return all(w in {"قد", "لقد", "لم", "لن", "سوف", "لا"} for w in between)

    def _merge_led(self, units: list[Unit], tokens: list[Token]) -> list[Unit]:
        """"وفد عراقي برئاسة … حميد الشطري": the person who leads the delegation is the actor."""
        merged: list[Unit] = []
        for unit in units:
            before = tokens[unit.first - 1].text if unit.first > 0 else ""
            if merged and (before in LED_BY or (unit.prefix and norm(tokens[unit.first].text) in LED_BY)):
                group = merged.pop()
                merged.append(Unit(group.first, unit.last, unit.entity, unit.country or group.country,
                                   unit.sector or group.sector, unit.others, group.prefix, led_by=True))
            else:
                merged.append(unit)
        return merged

    def _marker(self, tokens: list[Token], unit: Unit) -> str | None:
        """The preposition in front of a unit: a word before it or a clitic ب/ل on its first word."""
        if unit.prefix and unit.prefix[-1] in "بل":
            return unit.prefix[-1]
        if unit.first > 0:
            before = tokens[unit.first - 1].text
            for _, base in clitic_variants(before):
                if base in RECIPIENT_PREPS or base in {"من", "عن", "في"}:
                    return base
        return None

    def _aux(self, tokens: list[Token], trig: _Trig, left: int, purpose: bool) -> list[str]:
        aux: list[str] = []
        window = [t.text for t in tokens[max(left, trig.index - 3) : trig.index]]
        words = set(window)
        if words & NEGATION:
            aux.append("negation")
        future = bool(words & FUTURE_WORDS) or "س" in trig.prefix or "لن" in words
        future |= purpose
        future |= trig.entry.kind == "verb" and trig.entry.imperfect and trig.prefix.endswith("ل")
        if future:
            aux.append("future")
        return aux

    def _claimed_by(self, tokens: list[Token], units: list[Unit], trig: _Trig, first: int) -> ActorRef | None:
        """"أكد الوزير أن …": the speaker of the clause the event is reported in."""
        for i in range(trig.index - 1, first - 1, -1):
            if tokens[i].text in {"ان", "بان"}:
                for j in range(i - 1, first - 1, -1):
                    if any(b in SPEECH_VERBS for _, b in clitic_variants(tokens[j].text)):
                        speaker = next((u for u in units if j < u.first < i), None)
                        return self._ref(tokens, speaker) if speaker else None
                return None
        return None

    def _ref(self, tokens: list[Token], unit: Unit) -> ActorRef:
        start = self._start_after_prefix(tokens[unit.first], unit.prefix)
        raw = self.text[start : tokens[unit.last - 1].end]
        others = [o for o in unit.others if o and o != unit.sector]
        return ActorRef(entity_id=unit.entity.id, raw_text=raw, entity_name=unit.entity.name,
                        country_code=unit.country, sector_code=unit.sector,
                        other_sector_codes=list(dict.fromkeys(others)))

    def _build(self, tokens: list[Token], trig: _Trig, actor: list[ActorRef], recipient: list[ActorRef],
               aux: list[str], first: int, last: int, claimed_by: ActorRef | None) -> Event:
        entry = trig.entry
        event_type, code = entry.event_type, entry.cameo
        cameo = self.lexicon.cameo.get(code)
        mode = cameo.mode if cameo else None
        if event_type == "CONSULT" and "future" in aux:
            event_type, code, mode = "AGREE", INTENT_TO_MEET, None
            cameo = self.lexicon.cameo.get(code)
        trigger_start = self._start_after_prefix(tokens[trig.index], trig.prefix)
        # the required word is part of the trigger when it follows at once ("سحب سفيرها", "أكد دعم")
        trigger_end = tokens[trig.end - 1 if trig.end - trig.index <= 2 else trig.index].end
        sent_last = last - 1 if tokens[last - 1].text == "\n" else last
        start, end = tokens[first].start, tokens[sent_last - 1].end
        return Event(
            id=content_id(self.article_id, event_type, trigger_start, trigger_end),
            event_type=event_type, mode=[mode] if mode else [],
            context=[cameo.context] if cameo and cameo.context else [],
            aux=aux, actor=actor, recipient=recipient, date=self.article_date, date_inferred=True,
            cameo=code, goldstein=cameo.goldstein if cameo else None,
            quad=cameo.quad if cameo and cameo.quad else None,
            plover_score=self.lexicon.plover_score(event_type, mode), claimed_by=claimed_by,
            trigger=self.text[trigger_start:trigger_end],
            evidence=Evidence(start=start, end=end, trigger_start=trigger_start, trigger_end=trigger_end,
                              sentence=self.text[start:end]),
            confidence=0.7 if entry.kind == "verb" else 0.6, coder=CODER,
        )

    # --- the segment -----------------------------------------------------------------------------------
    def link_named_people(self, start: int, end: int) -> dict[str, str]:
        """English people the Arabic names without a title in front ("... بين أحمد الشرع ومظلوم عبدي"): the
        best-matching run of two to four words for each person not yet linked in this passage. A run inside
        an Arabic-only person's mention moves to the English person; returns {Arabic-only entity id: English
        entity id} for the Arabic-only people that were merged away that way."""
        tokens, _ = tokenize(self.text, start, end)
        linked_here = {e.id for e in self.entities.values()
                       if any(m.lang == "ar" and start <= m.start < end for m in e.mentions)}
        # a one-word "person" is often a surname alone or a misread company name: only full names here
        wanted = {i: n for i, n in self.english_people.items() if i not in linked_here and len(n.split()) > 1}
        if not wanted or not tokens:
            return {}
        arabic_only = self._arabic_only()
        blocked = [(m.start, m.end) for e in self.entities.values() if e.id not in arabic_only
                   for m in e.mentions if m.lang == "ar" and start <= m.start < end]
        best: dict[str, tuple[float, int, int]] = {}
        for first in range(len(tokens)):
            if tokens[first].text in NAME_LINKS and first + 1 < len(tokens) and tokens[first].text != "عبد":
                continue
            for last in range(first + 2, min(first + MAX_NAME_TOKENS, len(tokens)) + 1):
                run = tokens[first:last]
                if any(not t.text.isalpha() for t in run):
                    break
                if run[-1].text in NAME_LINKS:
                    continue  # "حسين أمير عبد" goes on to عبد اللهيان
                span = (run[0].start, run[-1].end)
                if any(b_start < span[1] and span[0] < b_end for b_start, b_end in blocked):
                    continue
                if self.text[span[0] : span[1]].count("\n"):
                    break
                entity_id, score = best_link(self.text[span[0] : span[1]], wanted, self.use_package,
                                             UNTITLED_LINK_THRESHOLD)
                if entity_id and score > best.get(entity_id, (0.0, 0, 0))[0]:
                    best[entity_id] = (score, *span)
        merged: dict[str, str] = {}
        for entity_id, (_, span_start, span_end) in best.items():
            for other_id in list(arabic_only):
                other = self.entities[other_id]
                other.mentions = [m for m in other.mentions if not (m.start < span_end and span_start < m.end)]
                if not other.mentions:
                    del self.entities[other_id]
                    arabic_only.discard(other_id)
                    merged[other_id] = entity_id
            self._mention(self.entities[entity_id], span_start, span_end)
        return merged

    def _arabic_only(self) -> set[str]:
        return {e.id for e in self.entities.values() if e.type == "person" and e.mentions
                and all(m.lang == "ar" for m in e.mentions)}

    def read_segment(self, start: int, end: int) -> list[Event]:
        tokens, _ = tokenize(self.text, start, end)
        chunks = find_chunks(tokens, self.tables)
        persons = find_persons(tokens, chunks, self.tables)
        units = self.units(tokens, chunks, persons)
        return self.events(tokens, units)


def _decimal_point(tokens: list[Token], i: int) -> bool:
    return 0 < i < len(tokens) - 1 and tokens[i].text == "." and tokens[i - 1].text.isdigit() \
        and tokens[i + 1].text.isdigit()


def _english_country_names() -> dict[str, str]:
    """English country names as the actor dictionary spells them (group names must match the English coder's)."""
    try:
        from diurna.actors.dictionary import shipped_dictionary

        return dict(shipped_dictionary().country_names)
    except Exception:  # the dictionary tables are missing: babel's English names then
        return {}


def read_arabic(text: str, segments: list[Segment], entities: dict[str, Entity], article_id: str,
                article_date: str | None, english_events: list[Event] | None = None,
                use_package: bool = True) -> list[Event]:
    """Read the Arabic segments of `text`: add Arabic mentions (and new entities) to `entities` in place
    and return the events only the Arabic states. With `english_events`, an Arabic event of the same type
    and actor countries as an English one is dropped here."""
    reader = ArabicReader(text, entities, article_id, article_date, use_package)
    events: list[Event] = []
    for segment in segments:
        if segment.script == "arabic":
            events += reader.read_segment(segment.start, segment.end)
            merged = reader.link_named_people(segment.start, segment.end)
            for ref in (r for e in events for r in [*e.actor, *e.recipient, *([e.claimed_by] if e.claimed_by else [])]
                        if r.entity_id in merged):
                person = entities[merged[ref.entity_id]]  # the Arabic-only person was this English one
                ref.entity_id, ref.entity_name = person.id, person.name
                ref.country_code = ref.country_code or person.country_code
    if english_events:
        english = {(e.event_type, frozenset(a.country_code or a.entity_id for a in e.actor)) for e in english_events}
        events = [e for e in events
                  if (e.event_type, frozenset(a.country_code or a.entity_id for a in e.actor)) not in english]
    return events

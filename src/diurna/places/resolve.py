"""Toponyms of a parsed document and their resolution against the gazetteer.

Toponyms come from spaCy GPE/LOC/FAC spans (cleaned of "the", direction words and feature nouns), from
gazetteer matches of capitalised token runs the model missed or mislabelled (with a locative cue), from an
article dateline ("BAGHDAD (Reuters) -") and from country adjectives that denote territory ("Syrian
territory", "the Lebanese border"). Arabic-script toponyms are matched in the Arabic segments of the raw text
(:func:`find_arabic_places`). Each toponym's candidates are scored with: kind priors (country > curated
feature > city by population > first-level division), the countries the document names, the countries of
the other places in the document, and the feature a neighbouring noun asks for ("Idlib province", "the
Jordan river", "the al-Qaim crossing"). See docs/places.md."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from diurna.actors.dictionary import ActorDictionary
from diurna.actors.entities import DocActors
from diurna.nlp import doc_text, sentence_starts, token_table
from diurna.places.gazetteer import FEATURE_CLASS, Entry, Gazetteer, gazetteer
from diurna.places.normalise import normalise_arabic
from diurna.records import Mention, Place, Segment

ARABIC_MARKS = "".join(chr(c) for c in range(0x064B, 0x0653)) + "\u0670\u0640"  # tashkeel, dagger alef, tatweel
NO_WORD_START = {"ؤ", "ئ", "ء", "ة", "ى"}  # letters no Arabic word begins with

PLACE_LABELS = {"GPE", "LOC", "FAC"}
STRAY_TOWN_POPULATION = 5_000
OTHER_NAME_LABELS = {"PERSON", "ORG", "NORP", "WORK_OF_ART", "PRODUCT", "EVENT"}
LOCATIVE_CUES = {"in", "at", "near", "outside", "inside", "into", "across", "along", "around", "to", "from", "on",
                 "off", "over", "within", "through", "towards", "toward", "of", "between", "and"}
DIRECTIONS = {"northern", "southern", "eastern", "western", "central", "north", "south", "east", "west",
              "northeastern", "northwestern", "southeastern", "southwestern", "northeast", "northwest", "southeast",
              "southwest", "upper", "lower", "greater", "occupied", "rural", "coastal", "downtown", "besieged"}
# a noun after a name that tells which kind of feature it is
FEATURE_NOUNS: dict[str, set[str]] = {
    "province": {"admin1", "region"}, "governorate": {"admin1", "region"}, "region": {"admin1", "region"},
    "state": {"admin1"}, "emirate": {"admin1"}, "oblast": {"admin1"}, "countryside": {"admin1"},
    "city": {"city"}, "town": {"city"}, "village": {"city"}, "district": {"district", "city"},
    "crossing": {"crossing"}, "river": {"river"}, "port": {"port"}, "harbour": {"port"}, "harbor": {"port"},
    "camp": {"camp"}, "airport": {"airport"}, "base": {"base"}, "airbase": {"base"}, "strait": {"strait"},
    "sea": {"sea"}, "gulf": {"gulf"}, "dam": {"dam"}, "field": {"site"}, "refinery": {"site"},
    "valley": {"valley"}, "mountains": {"mountain"}, "desert": {"desert"}, "corridor": {"site"},
}
FEATURE_WORDS = set(FEATURE_NOUNS) | {"border", "refugee", "air", "oil", "gas", "international", "naval"}
NATURAL = {"river", "sea", "gulf", "strait", "lake", "canal", "valley", "mountain", "desert", "plain", "peninsula"}
# nouns that make a country adjective a place: "Syrian territory", "the Lebanese border"
TERRITORY_NOUNS = {"territory", "soil", "border", "borders", "side", "coast", "coastline", "waters", "airspace",
                   "mainland", "countryside", "frontier", "interior", "desert", "shore", "shores", "land", "lands"}
DATELINE = re.compile(r"\A\s*([A-Z][A-Z'’.\- ]{2,40}?|[A-Z][a-z]+(?: [A-Z][a-z]+){0,2})\s*(?:,[^\n]{0,40}?)?"
                      r"\s*(?:\([^)\n]{1,40}\)\s*)?[-–—:]\s")

KIND_PRIOR = {"country": 7.0, "curated": 4.0, "admin1": 2.5}
DOC_COUNTRY_BONUS = 2.5
NEARBY_BONUS = 1.0
HINT_BONUS = 4.0


@dataclass
class Toponym:
    start: int  # char offsets
    end: int
    text: str
    candidates: list[Entry]
    hints: set[str] = field(default_factory=set)
    label: str = "GPE"
    tokens: tuple[int, int] | None = None  # token span in the doc (English only)
    lang: str = "en"
    fixed: bool = False  # a country adjective: no choice to make
    choice: Entry | None = None
    confidence: float = 0.0


def entry_score(entry: Entry, toponym: Toponym, doc_countries: set[str], nearby: set[str]) -> float:
    if entry.kind == "city":
        score = math.log10(entry.population + 10) / 1.5 + (1.0 if entry.capital else 0.0)
    else:
        score = KIND_PRIOR[entry.kind]
    if entry.kind in ("city", "admin1", "curated") and entry.country in doc_countries:
        score += DOC_COUNTRY_BONUS
    if entry.country in nearby:
        score += NEARBY_BONUS
    if toponym.hints and (entry.feature in toponym.hints or entry.kind in toponym.hints):
        score += HINT_BONUS
    if "the" in toponym.hints and entry.feature in NATURAL:
        score += 2.0
    if toponym.label == "LOC" and entry.feature in NATURAL | {"region", "disputed"}:
        score += 1.0
    if toponym.label == "FAC" and FEATURE_CLASS.get(entry.feature) == "S":
        score += 1.0
    return score


def choose(toponym: Toponym, doc_countries: set[str], nearby: set[str]) -> None:
    unique = list({e.key: e for e in toponym.candidates}.values())
    scored = sorted(((entry_score(e, toponym, doc_countries, nearby), e) for e in unique),
                    key=lambda item: (-item[0], item[1].key))
    best_score, best = scored[0]
    toponym.choice = best
    if len(scored) == 1:
        toponym.confidence = 0.95
    else:
        margin = best_score - scored[1][0]
        toponym.confidence = round(0.5 + 0.45 * (1 - math.exp(-margin)), 2)


def to_place(entry: Entry, confidence: float) -> Place:
    return Place(id=entry.key, name=entry.name, geonameid=entry.geonameid, country_code=entry.country,
                 admin1=entry.admin1, lat=entry.lat, lon=entry.lon, feature=entry.feature,
                 confidence=round(confidence, 2))


# --- English toponyms ------------------------------------------------------------------------------


def _lookup_span(gaz: Gazetteer, doc: Doc, start: int, end: int) -> tuple[list[Entry], set[str], int, int]:
    """Candidates of doc[start:end], trying the span with a following feature noun first, then without
    leading direction words / "the" and trailing feature nouns. Returns candidates, hints and the token
    span matched."""
    hints: set[str] = set()
    if start > 0 and doc[start - 1].lower_ == "the":
        hints.add("the")
    while start < end and doc[start].lower_ in {"the", *DIRECTIONS} and end - start > 1:
        if doc[start].lower_ != "the":
            trial = gaz.lookup(doc[start:end].text)
            if trial:
                return trial, hints, start, end
        start += 1
    while end > start and doc[end - 1].text in {"'s", "’s", "'", "’"}:
        end -= 1
    # extend over feature nouns that follow: "Idlib province", "the al-Qaim border crossing"
    stop = end
    starts = sentence_starts(doc)
    while (stop < len(doc) and stop - end < 3 and doc[stop].lower_ in FEATURE_WORDS
           and starts[stop] == starts[start]):
        stop += 1
    for n in range(stop, end, -1):
        found = gaz.lookup(doc[start:n].text)
        if found:
            return found, hints, start, n
    following = doc[end].lower_ if end < len(doc) else ""
    if following in FEATURE_NOUNS:
        hints |= FEATURE_NOUNS[following]
    if end + 1 < len(doc) and following == "border" and doc[end + 1].lower_ == "crossing":
        hints.add("crossing")
    found = gaz.lookup(doc[start:end].text)
    cut = end
    while not found and cut - start > 1 and doc[cut - 1].lower_ in FEATURE_NOUNS:
        hints |= FEATURE_NOUNS[doc[cut - 1].lower_]
        cut -= 1
        found = gaz.lookup(doc[start:cut].text)
    if found and "the" in hints:  # "the Jordan" may be the river
        found = found + gaz.lookup(doc[start:cut].text + " river")
    return found, hints, start, cut if found else end


def _cue_before(doc: Doc, i: int) -> bool:
    j = i - 1
    while j >= 0 and (doc[j].lower_ in {"the", "city", "town", "village", "of", "province", "governorate"}
                      or doc[j].lower_ in DIRECTIONS):
        if doc[j].lower_ == "of" and j > 0 and doc[j - 1].lower_ in {"city", "town", "village", "province",
                                                                   "governorate", "outskirts", "east", "west",
                                                                   "north", "south", "centre", "center"}:
            return True
        j -= 1
    return j >= 0 and doc[j].lower_ in LOCATIVE_CUES - {"and", "of"}


def _scan_tokens(doc: Doc, gaz: Gazetteer, taken: set[int]) -> list[Toponym]:
    """Capitalised token runs that are gazetteer names but no GPE/LOC/FAC span (the model missed them)."""
    found: list[Toponym] = []
    max_n = min(gaz.max_words + 2, 7)
    sentence = sentence_starts(doc)
    texts = token_table(doc).text
    i = 0
    while i < len(doc):
        if i in taken or not (texts[i][:1].isupper() or texts[i].lower() in {"al", "el"}):
            i += 1
            continue
        token = doc[i]
        matched = False
        limit = i  # the run may not leave the sentence or cross a token already taken
        while limit < len(doc) and limit - i < max_n and limit not in taken and sentence[limit] == sentence[i]:
            limit += 1
        for n in range(limit - i, 0, -1):
            last = doc[i + n - 1]
            if last.is_punct:
                continue
            if not last.text[:1].isupper() and last.lower_ not in FEATURE_WORDS:
                continue
            span = doc[i : i + n]
            candidates = gaz.lookup(span.text)
            if not candidates:
                continue
            labels = {t.ent_type_ for t in span} - {""}
            if labels & {"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"}:
                continue
            following = doc[i + n].lower_ if i + n < len(doc) else ""
            previous = doc[i - 1] if i > 0 else None
            listed = previous is not None and previous.lower_ in {"and", ",", "or"} and i - 2 in taken
            cue = _cue_before(doc, i) or following in FEATURE_NOUNS or span[-1].lower_ in FEATURE_NOUNS or listed
            strong = any(e.kind in ("country", "curated", "admin1") or e.population >= 100_000 for e in candidates)
            first_in_sentence = token.is_sent_start
            whole_ent = len({t.ent_iob_ for t in span[1:]} - {"I"}) == 0 and (i + n >= len(doc)
                                                                            or doc[i + n].ent_iob_ != "I")
            if labels & OTHER_NAME_LABELS and not cue and not (labels <= {"ORG", "PERSON"} and strong and whole_ent):
                continue
            if labels & OTHER_NAME_LABELS and not whole_ent and not strong:
                continue  # a word inside a longer name: "Commission on Human Rights" names no town Human
            if not cue and (not strong or (n == 1 and (first_in_sentence or token.pos_ != "PROPN"))):
                continue
            hints = FEATURE_NOUNS.get(following, set())
            found.append(Toponym(span.start_char, span.end_char, span.text, candidates, set(hints),
                                 "GPE", (i, i + n)))
            taken.update(range(i, i + n))
            i += n
            matched = True
            break
        if not matched:
            i += 1
    return found


def _adjective_places(doc: Doc, dictionary: ActorDictionary, gaz: Gazetteer, taken: set[int]) -> list[Toponym]:
    found = []
    for token in doc:
        if token.dep_ not in {"amod", "compound"} or token.i in taken or token.head.lower_ not in TERRITORY_NOUNS:
            continue
        known = dictionary.lookup(token.text)
        if known is None or known.type != "country" or known.role != "adjective" or not known.country_code:
            continue
        entry = gaz.country(known.country_code)
        if entry is not None:
            found.append(Toponym(token.idx, token.idx + len(token.text), token.text, [entry], set(), "NORP",
                                 (token.i, token.i + 1), fixed=True))
            taken.add(token.i)
    return found


def dateline_span(text: str) -> tuple[int, int] | None:
    match = DATELINE.match(text)
    if not match:
        return None
    return match.start(1), match.end(1)


def english_toponyms(doc: Doc, dictionary: ActorDictionary, gaz: Gazetteer) -> list[Toponym]:
    toponyms: list[Toponym] = []
    taken: set[int] = set()
    span = dateline_span(doc_text(doc))
    if span is not None:
        dl = doc.char_span(*span, alignment_mode="expand")
        if dl is not None:
            candidates = gaz.lookup(dl.text)
            if candidates:
                toponyms.append(Toponym(dl.start_char, dl.end_char, dl.text, candidates, {"city"}, "GPE",
                                        (dl.start, dl.end)))
                taken.update(range(dl.start, dl.end))
    for ent in doc.ents:
        if ent.label_ not in PLACE_LABELS or any(t.i in taken for t in ent):
            continue
        candidates, hints, start, end = _lookup_span(gaz, doc, ent.start, ent.end)
        if not candidates:
            continue
        matched: Span = doc[start:end]
        toponyms.append(Toponym(matched.start_char, matched.end_char, matched.text, candidates, hints, ent.label_,
                                (start, end)))
        taken.update(range(min(start, ent.start), max(end, ent.end)))
    toponyms.extend(_scan_tokens(doc, gaz, taken))
    toponyms.extend(_adjective_places(doc, dictionary, gaz, taken))
    return sorted(toponyms, key=lambda t: t.start)


def resolve_all(toponyms: list[Toponym], doc_countries: set[str], sentence_of=None) -> None:
    """Countries and unambiguous toponyms first; their countries then inform the rest, which are chosen
    twice so that each one sees the others' first choices as nearby mentions."""
    known = set(doc_countries)
    settled: set[int] = set()
    for n, t in enumerate(toponyms):
        unique = {e.key for e in t.candidates}
        if t.fixed or len(unique) == 1 or any(e.kind == "country" for e in t.candidates):
            choose(t, known, set())
            if t.fixed:
                t.confidence = 0.9
            if t.choice and t.choice.country and (t.choice.kind == "country" or len(unique) == 1):
                known.add(t.choice.country)
                settled.add(n)
    for round_ in range(2):
        for n, t in enumerate(toponyms):
            if n in settled:
                continue
            group = sentence_of(t) if sentence_of else None
            nearby = {o.choice.country for o in toponyms if o is not t and o.choice is not None and o.choice.country
                      and (group is None or sentence_of(o) == group)}
            choose(t, known, nearby)
            if round_ == 1 and t.choice and t.choice.country and t.confidence >= 0.7:
                known.add(t.choice.country)


def find_places(doc: Doc, index: DocActors, dictionary: ActorDictionary) -> tuple[list[Place], dict[int, str]]:
    """Places with their mentions, and token index -> place id for event location."""
    gaz = gazetteer()
    # "al-Sabah" in a sheikh's name and "Hamas" are no places, nor is a lower-case word ("metro stations")
    names = [(m.start, m.end) for e in index.entities.values() if e.type == "person" for m in e.mentions]
    toponyms = [t for t in english_toponyms(doc, dictionary, gaz)
                if t.fixed or (_capitalised(t.text) and not _inside_name(t, names) and not _known_group(t, dictionary))]
    # countries the document names; a capital the actor dictionary read as its country ("Tripoli" -> Libya)
    # does not count when that name is itself ambiguous
    ambiguous = {(t.start, t.end) for t in toponyms if len({e.key for e in t.candidates}) > 1}
    doc_countries = {e.country_code for e in index.entities.values() if e.type == "country" and e.country_code
                     and any((m.start, m.end) not in ambiguous for m in e.mentions)}

    sentence = sentence_starts(doc)

    def sentence_of(t: Toponym) -> int | None:
        return sentence[t.tokens[0]] if t.tokens else None

    resolve_all(toponyms, doc_countries, sentence_of)
    places: dict[str, Place] = {}
    token_place: dict[int, str] = {}
    for t in toponyms:
        if t.choice is None or _stray_town(t, doc_countries):
            continue
        place = places.get(t.choice.key)
        if place is None:
            place = places[t.choice.key] = to_place(t.choice, t.confidence)
        else:
            place.confidence = max(place.confidence or 0.0, t.confidence)
        place.mentions.append(Mention(start=t.start, end=t.end, text=t.text, lang=t.lang))
        if t.tokens:
            for i in range(*t.tokens):
                token_place[i] = place.id
    return list(places.values()), token_place


def _stray_town(toponym: Toponym, doc_countries: set[str]) -> bool:
    """A small town abroad, in a country the text never names, is more likely a misread word than the place
    ("the Bolan district" in Pakistan is no hamlet of Antigua)."""
    choice = toponym.choice
    return (choice is not None and choice.kind == "city" and choice.population < STRAY_TOWN_POPULATION
            and choice.country not in doc_countries and not toponym.fixed)


def _inside_name(toponym: Toponym, names: list[tuple[int, int]]) -> bool:
    """Part of a longer person's name: "al-Sabah" in "Meshal al-Ahmad al-Jaber al-Sabah"."""
    return any(start <= toponym.start and toponym.end <= end and end - start > toponym.end - toponym.start
               for start, end in names)


def _known_group(toponym: Toponym, dictionary: ActorDictionary) -> bool:
    known = dictionary.lookup(toponym.text)
    return known is not None and known.type == "group"


def _capitalised(name: str) -> bool:
    return name[:1].isupper() or name[:3].lower() in {"al-", "el-", "al ", "el "}


# --- Arabic toponyms -------------------------------------------------------------------------------

AR_WORD = re.compile(r"[\u0600-\u06ff\u0750-\u077f]+")
AR_CUES = {"في", "من", "الى", "إلى", "قرب", "مدينة", "بلدة", "قرية", "محافظة", "حي", "مخيم", "معبر", "منفذ",
           "شمال", "جنوب", "شرق", "غرب", "شمالي", "جنوبي", "شرقي", "غربي", "وسط", "ريف", "عاصمة", "داخل", "نحو",
           "باتجاه", "بمدينة", "بلدات", "أطراف", "اطراف", "مطار", "ميناء", "على"}
# frequent words that are also place names: matched only after a locative cue
AR_NEEDS_CUE = {normalise_arabic(w) for w in ("صور", "حماة", "جنين", "الخليل", "عين", "باب", "السلام", "الأمل",
                                            "النصر", "الحرية", "الوحدة", "الشام", "الجزيرة", "مصر", "الساحل")}
AR_STOP = {normalise_arabic(w) for w in (
    "في", "من", "على", "إلى", "عن", "مع", "بعد", "قبل", "هذا", "هذه", "التي", "الذي", "قال", "وزير", "رئيس",
    "كان", "كانت", "بين", "حيث", "أن", "إن", "لا", "ما", "لم", "لن", "قد", "كل", "عام", "يوم", "اليوم", "أمس",
    "حكومة", "الحكومة", "دولة", "الدولة", "مدينة", "محافظة", "منطقة", "وقال", "وأضاف", "أكد", "بيان", "الرئيس",
    "القوات", "الجيش", "الأمن", "الشعب", "الوطن", "العربية", "العربي", "الدولي", "الوطني", "المتحدة", "الأمم",
    "شمال", "جنوب", "شرق", "غرب", "وسط", "الشمال", "الجنوب", "الشرق", "الغرب", "الوسط", "ساحل", "الحدود",
)}
_AR_CUE_KEYS = {normalise_arabic(c) for c in AR_CUES}
_PROCLITICS = ("وب", "ول", "وال", "فب", "و", "ف", "ب", "ل", "ك")


def _arabic_variants(word: str) -> list[tuple[str, int]]:
    """(form, characters dropped at the front) for a first word with a possible proclitic."""
    variants = [(word, 0)]
    if word.startswith("لل") and len(word) > 4:
        variants.append(("ال" + word[2:], 1))
    if word.startswith("ولل") and len(word) > 5:
        variants.append(("ال" + word[3:], 2))
    for clitic in _PROCLITICS:
        if word.startswith(clitic) and len(word) - len(clitic) >= 3:
            rest = word[len(clitic):]
            if clitic.endswith("ال"):
                rest, dropped = "ال" + rest, len(clitic) - 2
            else:
                dropped = len(clitic)
            variants.append((rest, dropped))
    return variants


def arabic_toponyms(text: str, segments: list[Segment], gaz: Gazetteer) -> list[Toponym]:
    found: list[Toponym] = []
    for segment in segments:
        if segment.script != "arabic":
            continue
        words = [(m.start(), m.end(), m.group()) for m in AR_WORD.finditer(text, segment.start, segment.end)]
        i = 0
        while i < len(words):
            matched = False
            for n in range(min(5, len(words) - i), 0, -1):
                first_start, _, first = words[i]
                end = words[i + n - 1][1]
                rest = text[words[i][1]:end] if n > 1 else ""
                for form, dropped in _arabic_variants(first):
                    if dropped and form.lstrip(ARABIC_MARKS)[:1] in NO_WORD_START:
                        continue  # فؤاد is no ف + ؤاد: no Arabic word begins with a hamza on its seat
                    key = normalise_arabic(form + rest)
                    if key in AR_STOP or len(key.replace(" ", "")) < 3:
                        continue
                    candidates = gaz.lookup_key(key)
                    if not candidates:
                        continue
                    previous = normalise_arabic(words[i - 1][2]) if i > 0 else ""
                    cue = dropped > 0 and first[:dropped].endswith("ب") or previous in _AR_CUE_KEYS or \
                        previous[:1] in {"و", "ف"} and previous[1:] in _AR_CUE_KEYS
                    if n == 1 and not cue:
                        if key in AR_NEEDS_CUE:
                            continue
                        if not any(e.kind in ("country", "admin1", "curated") or e.population >= 100_000
                                   for e in candidates):
                            continue
                    start = first_start + dropped
                    found.append(Toponym(start, end, text[start:end], candidates, set(), "GPE", None, "ar"))
                    i += n
                    matched = True
                    break
                if matched:
                    break
            if not matched:
                i += 1
    return found


def find_arabic_places(text: str, segments: list[Segment], places: list[Place]) -> None:
    """Add Arabic-script toponym mentions (lang "ar") to the matching place, or append new places."""
    gaz = gazetteer()
    toponyms = arabic_toponyms(text, segments, gaz)
    if not toponyms:
        return
    known = {p.country_code for p in places if p.country_code}
    by_id = {p.id: p for p in places}
    resolve_all(toponyms, known)
    for t in toponyms:
        if t.choice is None:
            continue
        place = by_id.get(t.choice.key)
        if place is None:
            place = by_id[t.choice.key] = to_place(t.choice, t.confidence)
            places.append(place)
        if not any(m.start == t.start and m.end == t.end for m in place.mentions):
            place.mentions.append(Mention(start=t.start, end=t.end, text=t.text, lang="ar"))
            place.mentions.sort(key=lambda m: m.start)

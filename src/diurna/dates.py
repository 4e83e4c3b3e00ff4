"""Event dates: a date expression attached to the trigger ("on Friday", "last week", "April 25"), resolved
against the article date with dateparser. A sentence with no date gives the event the article date
(`date_inferred` stays true), except a past-tense physical act (`NARRATED_TYPES`), which takes the last day
named earlier in its paragraph, or in the lede for the second paragraph (still `date_inferred`). A date on
the verb of saying above the trigger ("said on Thursday it would reopen") is the day of the saying; a day
on a verb of planning is the day planned. "A day after X" dates X from its main clause, and "the day after
[a clause naming its day]" dates the main clause from it; "a day earlier", "the following day", "that day"
count from the last day named before them, and so does an act that follows on ("then", "within hours").
An event inside an embedded post is dated against the post's own date. A resolved date after the article
date marks the event `future`; one more than `HISTORICAL_DAYS` before it marks it `historical`."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache

import dateparser
from spacy.tokens import Doc, Span, Token

from diurna.nlp import TokensByOffset, doc_text, sentence_of, token_at
from diurna.records import Event, Post

HISTORICAL_DAYS = 30
# a month and day with no year further than this from the article date belong to the year before (or after)
_YEAR_TURN_DAYS = 60
_COUNT_WORDS = {"a": 1, "one": 1, "the": 1, "two": 2, "three": 3, "four": 4, "five": 5}
# "a day after [protesters stormed ...]"; "The day before, ..." names a day of its own (_RELATIVE_DAY)
_RELATIVE_CLAUSE = re.compile(r"\b(a|one|the|two|three|four|five) days? (after|before)\b(?!\s*[,.])", re.IGNORECASE)
_NEAREST_TOKENS = 12
_RELATIVE_DAY = re.compile(
    r"\b(?:(a|one|two|three|four|five) days? (earlier|later)"
    r"|the (previous|next|following|same) (?:day|morning|afternoon|evening|night)"
    r"|the day (before|after)(?=[,.])"
    r"|\b(that) (?:day|morning|afternoon|evening|night)\b)", re.IGNORECASE)
_SEQUEL = re.compile(r"\b(?:within (?:hours|minutes)|(?:hours|minutes|moments) later|shortly after(?:wards)?\b"
                    r"|soon after(?:wards)?\b)", re.IGNORECASE)
# physical acts are narrated in sequence, so an undated one belongs to the day the paragraph last named;
# statements (accusations, demands, warnings) are reported as made on the day of the article
NARRATED_TYPES = {"ASSAULT", "PROTEST", "MOBILIZE", "COERCE", "RETREAT", "AID"}
_MAX_HOPS = 3
SAYING = {"say", "tell", "announce", "state", "add"}


def _hops(ent: Span, trigger: Token) -> int | None:
    """How many head steps lead from the date expression up to the trigger (None: not within reach, or the
    way passes another verb, whose date it is: "released X on Sunday, and freed Y on Monday")."""
    token = ent.root
    for hops in range(_MAX_HOPS + 1):
        if token.i == trigger.i:
            return hops
        if token.head is token or (hops and token.pos_ in {"VERB", "AUX"}):
            return None
        token = token.head
    return None


# A date only counts when it names a day: "in March 2023", "next week" or "last year" leave the event on the
# article date.
_MONTHS = (r"(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|oct(ober)?"
           r"|nov(ember)?|dec(ember)?)")
_DAY_PRECISE = re.compile(
    r"\b(today|yesterday|tomorrow|tonight)\b"
    rf"|\b{_MONTHS}\.? \d{{1,2}}\b|\b\d{{1,2}} {_MONTHS}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b",
    re.IGNORECASE,
)
_WEEKDAY = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.IGNORECASE)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


_RELATIVE_DAYS = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}
_MONTH_DAY = re.compile(rf"\b(?:(?P<m1>{_MONTHS})\.? (?P<d1>\d{{1,2}})|(?P<d2>\d{{1,2}}) (?P<m2>{_MONTHS}))"
                        r"(?:,? (?P<y>\d{4}))?\b", re.IGNORECASE)


def _month_day(expression: str, published: date, prefer_future: bool) -> str | None:
    """The common shapes ("April 9", "9 April 2024", "yesterday") without dateparser's cost. A day named
    without a year is the nearest such day: "Nov. 17" in a March article is last November's, unless the
    event is still to come ("will hold talks on Jan. 8" in December is next January)."""
    for word, offset in _RELATIVE_DAYS.items():
        if re.search(rf"\b{word}\b", expression, re.IGNORECASE):
            return (published + timedelta(days=offset)).isoformat()
    found = _MONTH_DAY.search(expression)
    if found is None:
        return None
    month_name = (found.group("m1") or found.group("m2"))[:3].lower()
    day = int(found.group("d1") or found.group("d2"))
    year = int(found.group("y")) if found.group("y") else published.year
    try:
        named = date(year, datetime.strptime(month_name, "%b").month, day)
    except ValueError:
        return None
    if not found.group("y"):
        if not prefer_future and named > published + timedelta(days=_YEAR_TURN_DAYS):
            named = named.replace(year=year - 1)
        elif prefer_future and named < published - timedelta(days=_YEAR_TURN_DAYS):
            named = named.replace(year=year + 1)
    return named.isoformat()


@lru_cache(maxsize=8192)
def resolve_date(expression: str, article_date: str, prefer_future: bool) -> str | None:
    """The day an expression names, relative to the article date; None when it names no single day.

    A weekday is the latest such day up to the article date ("on Friday" in a Friday article is that
    Friday), or the next one from it for future events; other expressions go to dateparser."""
    published = date.fromisoformat(article_date)
    weekday = _WEEKDAY.search(expression)
    if weekday and not re.search(r"\b(last|next)\b", expression, re.IGNORECASE):
        target = _WEEKDAYS.index(weekday.group(1).lower())
        if prefer_future:
            return (published + timedelta(days=(target - published.weekday()) % 7)).isoformat()
        return (published - timedelta(days=(published.weekday() - target) % 7)).isoformat()
    if not (_DAY_PRECISE.search(expression) or weekday):
        return None
    quick = _month_day(expression, published, prefer_future)
    if quick is not None:
        return quick
    parsed = dateparser.parse(
        expression,
        languages=["en", "ar"],
        settings={
            "RELATIVE_BASE": datetime.combine(published, datetime.min.time()),
            "PREFER_DATES_FROM": ("future" if prefer_future else "past") if weekday else "current_period",
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    return parsed.date().isoformat() if parsed else None


_EASTERN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_ARABIC_WEEKDAYS = {"الاثنين": 0, "الإثنين": 0, "الثلاثاء": 1, "الأربعاء": 2, "الاربعاء": 2, "الخميس": 3,
                    "الجمعة": 4, "السبت": 5, "الأحد": 6, "الاحد": 6}
# MSA and Levantine/Iraqi month names; dateparser's ar-IQ locale reads both
_ARABIC_MONTHS = ("كانون الثاني|كانون الأول|تشرين الأول|تشرين الثاني|شباط|آذار|نيسان|أيار|حزيران|تموز|آب|أيلول"
                  "|يناير|فبراير|مارس|أبريل|ابريل|مايو|يونيو|يوليو|أغسطس|سبتمبر|أكتوبر|نوفمبر|ديسمبر")
_ARABIC_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})\s+({_ARABIC_MONTHS})(\s+\d{{4}})?")
_ARABIC_WEEKDAY = re.compile("|".join(_ARABIC_WEEKDAYS))


def resolve_arabic_date(sentence: str, article_date: str, prefer_future: bool) -> str | None:
    """A day named in an Arabic sentence: "25 نيسان 2025", "٢٥ أبريل", "يوم الجمعة"."""
    text = sentence.translate(_EASTERN_DIGITS)
    published = date.fromisoformat(article_date)
    found = _ARABIC_DAY_MONTH.search(text)
    if found is not None:
        parsed = dateparser.parse(found.group(0), locales=["ar-IQ"], settings={
            "RELATIVE_BASE": datetime.combine(published, datetime.min.time()), "PREFER_DATES_FROM": "current_period"})
        if parsed is not None:
            return parsed.date().isoformat()
    weekday = _ARABIC_WEEKDAY.search(text)
    if weekday is not None:
        target = _ARABIC_WEEKDAYS[weekday.group(0)]
        if prefer_future:
            return (published + timedelta(days=(target - published.weekday()) % 7)).isoformat()
        return (published - timedelta(days=(published.weekday() - target) % 7)).isoformat()
    return None


def date_events(events: list[Event], doc: Doc, article_date: str | None, posts: list[Post] = ()) -> None:
    if not article_date:
        return
    by_char = token_at(doc)
    # "on Sunday night" is a TIME to the model, but it names a day
    dates = [e for e in doc.ents if e.label_ == "DATE" or (e.label_ == "TIME" and _WEEKDAY.search(e.text))]
    for event in events:
        post = next((p for p in posts if p.date and p.start <= event.evidence.trigger_start < p.end), None)
        if post is not None:
            # an embedded post speaks from the day it was posted: its "today" is that day, and a post that
            # names no day states what it states on that day
            event.date, event.date_inferred = post.date, False
            _date_event(event, doc, by_char, dates, post.date)
        else:
            _date_event(event, doc, by_char, dates, article_date)
        _mark_tense(event, article_date)


def _date_event(event: Event, doc: Doc, by_char: TokensByOffset, dates: list[Span], article_date: str) -> None:
    """Date one event against `article_date` (the day its words were published)."""
    text = doc_text(doc)
    trigger = by_char.get(event.evidence.trigger_start)
    if trigger is None or trigger.is_space:
        # an event the Arabic passage states: the English parse never saw it
        resolved = resolve_arabic_date(event.evidence.sentence, article_date, "future" in event.aux)
        if resolved is not None:
            event.date, event.date_inferred = resolved, False
        return
    sentence = sentence_of(trigger)
    in_sentence = [e for e in dates if sentence.start_char <= e.start_char < sentence.end_char]
    attached = sorted((e for e in in_sentence if _hops(e, trigger) is not None),
                      key=lambda e: _hops(e, trigger))
    if not attached and trigger.dep_ == "conj":
        # "On Wednesday, Thailand expelled the ambassador and recalled its envoy": the shared day
        attached = [e for e in in_sentence if _hops(e, trigger.head) is not None and e.start < trigger.i]
    offset = _RELATIVE_CLAUSE.search(text, sentence.start_char, trigger.idx)
    marker = doc.char_span(*offset.span(2)) if offset is not None else None
    # the offset must govern the trigger's clause: "a day after [protesters stormed]", not a relative
    # clause before it ("Bolsonaro, who flew out two days before the inauguration, condemned ...")
    governed = marker.root.head if marker is not None else None
    if governed is not None and governed.dep_ == "npadvmod":
        governed = governed.head  # "[a day] after the clashes killed ...": the measure modifies the verb
    ancestors = {a.i for a in trigger.ancestors} | {trigger.i}
    if (governed is not None and (governed.i in ancestors or marker.root.i in ancestors)
            and not any(offset.end() <= e.start_char < trigger.idx for e in attached)):
        # "withdrew the bill on Wednesday, a day after protesters stormed parliament": the day of the
        # main clause, moved by the offset the clause names
        main = [e for e in in_sentence if e.end_char <= offset.start()]
        # "The strikes came two days after ...": with no day of its own the main clause is the article's
        anchor = (resolve_date(main[-1].text, article_date, prefer_future="future" in event.aux) if main
                  else article_date)
        if anchor is not None:
            days = _COUNT_WORDS[offset.group(1).lower()] * (1 if offset.group(2).lower() == "before" else -1)
            event.date = (date.fromisoformat(anchor) + timedelta(days=days)).isoformat()
            event.date_inferred = False
            return
    relative = _RELATIVE_DAY.search(text, sentence.start_char, sentence.end_char)
    if relative is not None and any(resolve_date(e.text, article_date, prefer_future=False) for e in attached
                                    if e.start_char != relative.start()):
        relative = None  # the trigger has a day of its own
    if relative is not None:
        # "A day earlier, protesters had stormed ...", "... withdrew the previous day": counted from the day
        # named before it in the sentence, else from the paragraph's last named day
        earlier = [e for e in in_sentence if e.end_char <= relative.start() and e.text != relative.group(0)]
        anchor = (resolve_date(earlier[-1].text, article_date, prefer_future=False) if earlier
                  else _last_day_before(sentence, dates, article_date))
        if anchor is not None:
            event.date = (date.fromisoformat(anchor) + timedelta(days=_relative_days(relative))).isoformat()
            event.date_inferred = False
            return
    if not attached and len(in_sentence) > 1:
        # several days in one sentence and none parsed onto the trigger: the nearest one after it in its
        # clause ("released three women held in Gaza on Sunday, and freed 90 prisoners on Monday")
        attached = sorted((e for e in in_sentence if 0 < e.start - trigger.i <= _NEAREST_TOKENS
                           and not any(t.text in {",", ";"} for t in doc[trigger.i : e.start])
                           and resolve_date(e.text, article_date, prefer_future=False)),
                          key=lambda e: e.start)
    # a date the parse attaches to the trigger; else the sentence's only day ("late on Friday, ...,
    # prompting Mexico to break off relations within hours"; "since December" names no day)
    if not attached:
        days = [e for e in in_sentence if resolve_date(e.text, article_date, prefer_future=False)
                and not _in_later_clause(e, trigger)]
        attached = days if len(days) == 1 and (len(in_sentence) == 1 or _attached_to_ancestor(days[0], trigger)) \
            else []
    if not attached and (after := _day_after_clause(text, doc, sentence, trigger, in_sentence, article_date)):
        event.date, event.date_inferred = after, False
        return
    for ent in attached:
        # "said on Thursday it would reopen the crossing": the day of the saying, not a future Thursday;
        # "plans another demonstration on Friday" is the coming Friday
        verb = _verb_of(ent)
        saying = _attached_to_ancestor(ent, trigger) and not (
            verb.lemma_.lower() not in SAYING and verb.i in {a.i for a in trigger.ancestors})
        resolved = resolve_date(ent.text, article_date, prefer_future="future" in event.aux and not saying)
        if resolved is None:
            continue
        event.date = resolved
        event.date_inferred = False
        break
    else:
        if _follows_on(text, sentence, trigger) and "future" not in event.aux:
            # "Syrian forces then pounded villages", "Within hours the governor banned ...": the day of what
            # the text told last
            sequel = _last_day_before(sentence, dates, article_date)
            if sequel is not None and sequel <= article_date:
                event.date = sequel
                return
        if (not in_sentence and event.event_type in NARRATED_TYPES and _past(trigger)
                and "future" not in event.aux):
            narrative = _narrative_date(doc, trigger, dates, article_date)
            if narrative is not None:
                event.date = narrative  # still inferred: the sentence itself names no day


def _follows_on(text: str, sentence: Span, trigger: Token) -> bool:
    """The act comes right after the one told before it: "then" on its verb, or "within hours", "minutes
    later", "shortly afterwards" ahead of it in its sentence ("since then" and "by then" name no sequel)."""
    verbs = {trigger.i, trigger.head.i}
    if any(c.lower_ == "then" and c.dep_ == "advmod" and c.head.i in verbs for c in sentence):
        return True
    return _SEQUEL.search(text, sentence.start_char, trigger.idx) is not None


def _verb_of(ent: Span) -> Token:
    """The verb a date expression hangs on."""
    head = ent.root.head
    while head.pos_ not in {"VERB", "AUX"} and head.head.i != head.i:
        head = head.head
    return head


def _in_later_clause(ent: Span, trigger: Token) -> bool:
    """The date belongs to a later clause, not in the past, with a subject of its own joined to the trigger's:
    "has urged a boycott, and it plans a demonstration on Friday"."""
    verb = _verb_of(ent)
    return (verb.i > trigger.i and verb.dep_ == "conj" and verb.head.i == trigger.i and not _past(verb)
            and any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children))


def _day_after_clause(text: str, doc: Doc, sentence: Span, trigger: Token, in_sentence: list[Span],
                      article_date: str) -> str | None:
    """ "asked New Delhi to withdraw its troops the day after he was sworn in on Nov. 17": the day the
    following clause names, moved by the offset."""
    offset = _RELATIVE_CLAUSE.search(text, trigger.idx, sentence.end_char)
    if offset is None:
        return None
    marker = doc.char_span(*offset.span(2))
    if marker is None or trigger.i not in {a.i for a in marker.root.ancestors}:
        return None
    named = [e for e in in_sentence if e.start_char >= offset.end()]
    anchor = resolve_date(named[0].text, article_date, prefer_future=False) if named else None
    if anchor is None:
        return None
    days = _COUNT_WORDS[offset.group(1).lower()] * (-1 if offset.group(2).lower() == "before" else 1)
    return (date.fromisoformat(anchor) + timedelta(days=days)).isoformat()


def _attached_to_ancestor(ent: Span, trigger: Token) -> bool:
    """Whether the date belongs to a verb above the trigger ("said on Thursday [it would reopen]"): it hangs on
    that verb, or it stands between that verb and the trigger's subject, where the parse may hang it on the
    trigger; or to a verb of saying hung on the trigger ("X condemned ..., Y said on Monday")."""
    ancestors = {a.i for a in trigger.ancestors if a.pos_ in {"VERB", "AUX"}}
    subject = next((c for c in trigger.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if subject is not None and any(a < ent.start for a in ancestors) and ent.end <= subject.i < trigger.i:
        return True
    head = ent.root.head
    for _ in range(_MAX_HOPS + 2):  # "said [in a statement [on Monday]]"
        if head.i in ancestors:
            return True
        if head.pos_ in {"VERB", "AUX"} or head.head is head:
            return head.lemma_.lower() in SAYING and trigger in head.ancestors
        head = head.head
    return False


def _relative_days(match: re.Match) -> int:
    count, direction, which, before_after, that = (g.lower() if g else g for g in match.groups())
    if that:
        return 0  # "rallied outside the assembly that day"
    if which:
        return {"previous": -1, "next": 1, "following": 1, "same": 0}[which]
    if before_after:
        return -1 if before_after == "before" else 1
    return _COUNT_WORDS[count] * (-1 if direction == "earlier" else 1)


def _past(trigger: Token) -> bool:
    if trigger.tag_ == "VBG" and trigger.dep_ in {"advcl", "xcomp", "conj"}:
        return _past(trigger.head)  # "faced lines of police, chanting ...": the tense of the clause it hangs on
    if trigger.tag_ == "VBD":
        return True
    return trigger.tag_ == "VBN" and any(c.lower_ in {"had", "was", "were"} for c in trigger.children)


def _narrative_date(doc: Doc, trigger: Token, dates: list[Span], article_date: str) -> str | None:
    """A past-tense sentence with no date of its own carries on the story told before it: the last day named
    in its paragraph ("Protesters stormed parliament on Tuesday. Police fired tear gas ..."); in the second
    paragraph, with no date yet, the lede's last date expression when that names a day (its "before dawn on
    Monday" for "Troops arrested nine smugglers"; a "last month" names none)."""
    sentence = sentence_of(trigger)
    text = doc_text(doc)
    paragraph_start = text.rfind("\n\n", 0, sentence.start_char) + 1
    before = [e for e in dates if e.start_char < sentence.start_char]
    in_paragraph = [e for e in before if e.start_char >= paragraph_start]
    for ent in reversed(in_paragraph):
        resolved = resolve_date(ent.text, article_date, prefer_future=False)
        if resolved is not None:
            return resolved if resolved <= article_date else None
    second_paragraph = paragraph_start > 0 and text.rfind("\n\n", 0, paragraph_start - 1) < 0
    if before and not in_paragraph and second_paragraph:
        resolved = resolve_date(before[-1].text, article_date, prefer_future=False)
        if resolved is not None and resolved <= article_date:
            return resolved
    return None


def _last_day_before(sentence: Span, dates: list[Span], article_date: str) -> str | None:
    """The last day the text names before `sentence`: what "the following day" counts from."""
    for ent in reversed([e for e in dates if e.start_char < sentence.start_char]):
        resolved = resolve_date(ent.text, article_date, prefer_future=False)
        if resolved is not None:
            return resolved
    return None


def _mark_tense(event: Event, article_date: str) -> None:
    if event.date is None:
        return
    day = date.fromisoformat(event.date)
    published = date.fromisoformat(article_date)
    if day > published and "future" not in event.aux:
        event.aux.append("future")
    elif day < published - timedelta(days=HISTORICAL_DAYS) and "historical" not in event.aux:
        event.aux.append("historical")

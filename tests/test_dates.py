"""Event dates resolved against the article date (English and Arabic expressions)."""

from __future__ import annotations

import pytest

from diurna.dates import resolve_arabic_date, resolve_date


@pytest.mark.parametrize(("expression", "future", "expected"), [
    ("on Friday", False, "2025-04-25"),          # the article's own weekday is the article day
    ("Thursday", False, "2025-04-24"),
    ("on Saturday", True, "2025-04-26"),         # a future event looks forward
    ("early on Monday", False, "2025-04-21"),
    ("April 9", False, "2025-04-09"),
    ("yesterday", False, "2025-04-24"),
    ("in March 2023", False, None),              # no single day
    ("next week", True, None),
    ("last year", False, None),
    ("Nov. 17", False, "2024-11-17"),            # no year: the nearest such day, last November here
    ("Jan. 8", True, "2026-01-08"),              # ... or the coming one for an event still ahead
])
def test_english_expressions(expression, future, expected):
    article_date = "2025-12-20" if expression == "Jan. 8" else "2025-04-25"
    assert resolve_date(expression, article_date, prefer_future=future) == expected


@pytest.mark.parametrize(("sentence", "future", "expected"), [
    ("وصل الوفد العراقي إلى دمشق يوم الجمعة", False, "2025-04-25"),
    ("أعلنت الوزارة في ٢٠ نيسان ٢٠٢٥ عن الاتفاق", False, "2025-04-20"),   # Levantine month, Eastern digits
    ("وقع الاتفاق في 3 تشرين الأول 2024", False, "2024-10-03"),
    ("سيزور الوزير أنقرة يوم الثلاثاء", True, "2025-04-29"),
    ("قال المتحدث إن الزيارة مهمة", False, None),
])
def test_arabic_expressions(sentence, future, expected):
    assert resolve_arabic_date(sentence, "2025-04-25", prefer_future=future) == expected


def test_event_dates_and_tense_in_the_pipeline(code):
    x = code("Turkish jets struck villages near Duhok on Tuesday. Iraq will host the summit on Saturday.\n\n"
             "Egypt and Qatar signed the agreement on April 2, 2024.", date="2025-04-25")
    by_trigger = {e.trigger: e for e in x.events}
    assert by_trigger["struck"].date == "2025-04-22" and not by_trigger["struck"].date_inferred
    assert by_trigger["host"].date == "2025-04-26" and "future" in by_trigger["host"].aux
    assert by_trigger["host"].actor[0].country_code == "IRQ"
    assert by_trigger["signed"].date == "2024-04-02" and "historical" in by_trigger["signed"].aux


def test_undated_physical_acts_carry_the_paragraphs_day(code):
    x = code("Protesters stormed parliament on Tuesday. Police fired tear gas at the crowds. "
             "The opposition accused the government of brutality.", date="2025-04-25")
    by_trigger = {e.trigger: e for e in x.events}
    assert by_trigger["fired"].date == "2025-04-22" and by_trigger["fired"].date_inferred
    # a statement is reported as made on the day of the article
    assert by_trigger["accused"].date == "2025-04-25"


def test_a_day_after_dates_the_clause_from_its_main_clause(code):
    x = code("The president withdrew the bill on Wednesday, a day after protesters stormed parliament.",
             date="2025-04-25")
    stormed = next(e for e in x.events if e.trigger == "stormed")
    assert stormed.date == "2025-04-22" and not stormed.date_inferred


def test_a_relative_clause_offset_does_not_date_the_main_verb(code):
    x = code("Bolsonaro, who flew to Florida two days before the inauguration, condemned the riots in a post on "
             "Sunday night.", date="2023-01-10")
    condemned = next(e for e in x.events if e.trigger == "condemned")
    assert condemned.date == "2023-01-08"  # "Sunday night" is a TIME to the model, but it names a day


def test_each_verb_keeps_its_own_day_and_conjuncts_share_one(code):
    x = code("Hamas released three women held in Gaza on Sunday, and Israel freed 90 prisoners early on Monday. "
             "On Wednesday, Thailand expelled the Cambodian ambassador and recalled its own envoy.",
             date="2025-04-25")
    by_trigger = {e.trigger: e for e in x.events}
    assert by_trigger["released"].date == "2025-04-20" and by_trigger["freed"].date == "2025-04-21"
    assert by_trigger["recalled"].date == "2025-04-23"


def test_days_counted_from_an_earlier_day(code):
    x = code("Police arrested 16 people on Tuesday. A day earlier, protesters had stormed the parliament building.\n\n"
             "The minister said on Wednesday that the army had withdrawn from the town the previous day.",
             date="2025-04-25")
    by_trigger = {e.trigger: e for e in x.events}
    assert by_trigger["stormed"].date == "2025-04-21"
    assert by_trigger["withdrawn"].date == "2025-04-22"


def test_the_day_of_the_saying_is_not_a_future_day(code):
    x = code("The army-led government said on Thursday it would reopen the border crossing to aid convoys.",
             date="2024-08-17")
    reopen = next(e for e in x.events if e.trigger == "reopen")
    assert reopen.date == "2024-08-15" and not reopen.date_inferred


def test_a_reported_event_takes_the_day_of_its_report(code):
    x = code("The United States condemned what it called China's reckless conduct and its 1951 treaty obligations, "
             "a State Department spokesman said in a statement on Monday.", date="2024-06-19")
    condemned = next(e for e in x.events if e.trigger == "condemned")
    assert condemned.date == "2024-06-17"


def test_the_second_paragraph_carries_the_ledes_day(code):
    text = ("Jordanian troops fought armed smugglers who crossed from Syria before dawn on Monday.\n\n"
            "One soldier was killed, the army said. Troops arrested nine smugglers and seized weapons.\n\n"
            "Police arrested two more men in Amman.")
    second, third = sorted((e for e in code(text, date="2023-12-19").events if e.trigger == "arrested"),
                           key=lambda e: e.evidence.trigger_start)
    assert second.date == "2023-12-18" and second.date_inferred
    assert third.date == "2023-12-19"  # the third paragraph is a new scene: it keeps the article date


def test_the_following_day_counts_from_the_last_day_named(code):
    x = code("Ethiopia and Somaliland signed a port deal on January 1.\n\n"
             "Somalia recalled its ambassador the following day.", date="2024-01-04")
    recalled = next(e for e in x.events if e.trigger == "recalled")
    assert recalled.date == "2024-01-02"


def test_the_day_before_and_the_following_morning_name_days(code):
    x = code("Army jets struck RSF positions on Thursday. The day before, the paramilitary force had shelled "
             "districts near the command.\n\nFighting broke out on Tuesday. Troops clashed again near the village "
             "the following morning.", date="2023-06-09")
    by_trigger = {e.trigger: e for e in x.events}
    assert by_trigger["shelled"].date == "2023-06-07"
    assert by_trigger["clashed"].date == "2023-06-07"


def test_that_day_is_the_day_named_before(code):
    x = code("Parliament passed the bill on Friday. Hundreds of people rallied outside the assembly that day.",
             date="2024-10-02")
    rallied = next(e for e in x.events if e.trigger == "rallied")
    assert rallied.date == "2024-09-27"


def test_a_planned_event_on_a_weekday_is_the_coming_one(code):
    x = code("The opposition front has urged a boycott, and it plans another demonstration in Tunis on Friday.",
             date="2024-10-02")
    by_trigger = {e.trigger: e for e in x.events}
    assert by_trigger["demonstration"].date == "2024-10-04"
    assert by_trigger["urged"].date == "2024-10-02"  # the plan's day is not the appeal's


def test_the_day_after_a_dated_clause(code):
    x = code("The new president asked Britain to withdraw its troops the day after he was sworn in on Nov. 17.",
             date="2024-03-06")
    asked = next(e for e in x.events if e.trigger == "asked")
    assert asked.date == "2023-11-18"


def test_an_embedded_post_speaks_from_its_own_day(code):
    x = code("The regional bloc weighed in on the crisis.\n\nThe Commission urges the government to restore "
             "the electoral calendar without delay. pic.twitter.com/Ab3dE5fGhq— ECOWAS (@ecowas_cedeao) "
             "February 5, 2024", date="2024-02-06")
    urges = next(e for e in x.events if e.trigger == "urges")
    assert urges.date == "2024-02-05"


def test_an_act_that_follows_on_takes_the_day_told_before(code):
    x = code("The clashes began on Saturday, when gunmen ambushed a patrol near the dam.\n\n"
             "The region has been tense for months, and the governor has long warned of such attacks.\n\n"
             "Army units then shelled the hills above the town. Within hours the governor imposed a curfew.\n\n"
             "Since then, officials said, no convoy has been attacked.", date="2025-06-04")
    by_trigger = {e.trigger: e for e in x.events}
    assert by_trigger["shelled"].date == "2025-05-31"
    assert by_trigger["imposed"].date == "2025-05-31"

"""The Arabic layer: normalisation with offsets, gazetteers, persons after titles, cross-lingual linking and
Arabic event triggers. All sentences here are written for these tests."""

from __future__ import annotations

import pytest

from diurna.arabic import normalise, read_arabic
from diurna.arabic.entities import find_chunks, find_persons, tokenize
from diurna.arabic.link import best_link
from diurna.arabic.romanise import package_available
from diurna.records import Entity, Event, Evidence, Mention, content_id
from diurna.segment import segment_text


def _people(text: str, *names: str) -> dict[str, Entity]:
    """English person entities as the English stage would leave them (one English mention each)."""
    entities = {}
    for name in names:
        entity_id = content_id("entity", "person", name.lower())
        entities[entity_id] = Entity(id=entity_id, name=name, type="person",
                                     mentions=[Mention(start=0, end=1, text=text[0])])
    return entities


def _read(text: str, *names: str, english_events: list[Event] | None = None):
    entities = _people(text, *names)
    events = read_arabic(text, segment_text(text), entities, "t1", "2025-05-01", english_events=english_events)
    return events, entities


def _one(events: list[Event], event_type: str) -> Event:
    found = [e for e in events if e.event_type == event_type]
    assert len(found) == 1, [(e.event_type, e.trigger) for e in events]
    return found[0]


# --- normalisation -------------------------------------------------------------------------------------


def test_normalise_folds_letters_and_drops_marks():
    assert normalise("أَحْمَدُ").text == "احمد"
    assert normalise("إسرائيل").text == "اسراييل"
    assert normalise("آل ثانـــي").text == "ال ثاني"
    assert normalise("مستشفى المدينة").text == "مستشفي المدينه"
    assert normalise("مسؤول", hamza=False).text == "مسؤول"
    assert normalise("مسؤول").text == "مسوول"
    assert normalise("٢٠٢٥").text == "2025"


def test_normalised_spans_map_back_exactly():
    text = "Reported: وقّعَ الوزيرُ اتفاقاً مع مِصْرَ."
    normalised = normalise(text)
    for word in ("وقع", "الوزير", "اتفاقا", "مصر"):
        start = normalised.text.index(word)
        s, e = normalised.span(start, start + len(word))
        assert normalise(text[s:e]).text == word
    s, e = normalised.span(normalised.text.index("مصر"), normalised.text.index("مصر") + 3)
    assert text[s:e] == "مِصْرَ"  # the marks on the last letter stay inside the span
    tokens, _ = tokenize(text)
    assert all(text[t.start : t.end] for t in tokens)
    assert [normalise(text[t.start : t.end]).text for t in tokens if t.is_word][-4:] == ["الوزير", "اتفاقا", "مع",
                                                                                         "مصر"]


# --- gazetteers and persons ----------------------------------------------------------------------------


@pytest.mark.parametrize("phrase, sector, others", [
    ("رئيس مجلس الوزراء", "GOV", ()),
    ("رئيس الجمهورية", "GOV", ()),
    ("وزير الخارجية", "GOV", ()),
    ("وزير الدفاع", "GOV", ("MIL",)),
    ("جهاز المخابرات الوطني", "SPY", ()),
    ("الشرطة", "COP", ()),
    ("المحكمة", "JUD", ()),
    ("مجلس النواب", "LEG", ()),
    ("المتحدث باسم الحكومة", "GOV", ()),
    ("المتمردون", "REB", ()),
    ("المتظاهرون", "CVL", ()),
])
def test_title_to_sector(phrase, sector, others):
    tokens, _ = tokenize(phrase)
    chunks = find_chunks(tokens)
    assert len(chunks) == 1 and chunks[0].office is not None
    assert chunks[0].office.sector == sector and chunks[0].office.others == others


def test_countries_adjectives_capitals_and_clitics():
    text = "وبالعراق قال مسؤول سوري في دمشق إن للسعودية دورا في حلب"
    tokens, _ = tokenize(text)
    found = {(text[tokens[c.first].start : tokens[c.last - 1].end], c.kind, c.code, c.prefix)
             for c in find_chunks(tokens)}
    assert ("وبالعراق", "country", "IRQ", "وب") in found
    assert ("سوري", "country", "SYR", "") in found
    assert ("دمشق", "country", "SYR", "") in found
    assert ("للسعودية", "country", "SAU", "لل") in found  # ل fused with the article
    assert ("حلب", "city", "SYR", "") in found


@pytest.mark.parametrize("sentence, name, country", [
    ("استقبل الرئيس السوري أحمد الشرع في دمشق وفدا", "أحمد الشرع", "SYR"),
    ("وقال وزير الخارجية العراقي فؤاد حسين إن المحادثات مثمرة", "فؤاد حسين", "IRQ"),
    ("أعلن رئيس مجلس الوزراء محمد شياع السوداني خلال مؤتمر", "محمد شياع السوداني", None),
    ("وصل رئيس جهاز المخابرات الوطني حميد الشطري إلى عمان", "حميد الشطري", None),
    ("التقى وزير الدفاع التركي يشار غولر، أمس", "يشار غولر", "TUR"),
    ("وأكد المتحدث باسم الحكومة باسم العوضي على أهمية الزيارة", "باسم العوضي", None),
    # فيصل reads as ف + يصل ("and he arrives") but the name dictionary knows it as a name
    ("وقال وزير الخارجية الأمير فيصل بن فرحان إن المملكة ترحب بالاتفاق", "فيصل بن فرحان", None),
])
def test_person_after_title(sentence, name, country):
    tokens, _ = tokenize(sentence)
    persons = find_persons(tokens, find_chunks(tokens))
    assert persons, sentence
    hit = persons[0]
    assert sentence[tokens[hit.name_first].start : tokens[hit.name_last - 1].end] == name
    assert hit.country == country


# --- linking -------------------------------------------------------------------------------------------

PAIRS = [
    ("حميد الشطري", "Hamid al-Shatri"), ("محمد شياع السوداني", "Mohammed Shia al-Sudani"),
    ("أحمد الشرع", "Ahmed al-Sharaa"), ("أسعد الشيباني", "Asaad al-Shaibani"), ("باسم العوضي", "Basim al-Awadi"),
    ("فؤاد حسين", "Fuad Hussein"), ("جوزاف عون", "Joseph Aoun"), ("نبيه بري", "Nabih Berri"),
    ("قيس سعيد", "Kais Saied"), ("عبد الفتاح السيسي", "Abdel Fattah el-Sisi"), ("بدر عبد العاطي", "Badr Abdelatty"),
    ("أيمن الصفدي", "Ayman Safadi"), ("عباس عراقجي", "Abbas Araghchi"), ("هاكان فيدان", "Hakan Fidan"),
    ("رجب طيب أردوغان", "Recep Tayyip Erdogan"), ("محمود عباس", "Mahmoud Abbas"), ("نواف سلام", "Nawaf Salam"),
    ("عبد الحميد الدبيبة", "Abdul Hamid Dbeibah"), ("خليفة حفتر", "Khalifa Haftar"),
    ("عبد الملك الحوثي", "Abdul-Malik al-Houthi"), ("مسعود بزشكيان", "Masoud Pezeshkian"),
    ("عبد المجيد تبون", "Abdelmadjid Tebboune"), ("عبد الفتاح البرهان", "Abdel Fattah al-Burhan"),
    ("محمد بن سلمان", "Mohammed bin Salman"), ("تميم بن حمد آل ثاني", "Tamim bin Hamad Al Thani"),
    ("مازن الفراية", "Mazen al-Faraya"), ("برونو روتايو", "Bruno Retailleau"), ("دونالد ترامب", "Donald Trump"),
]


def _accuracy(use_package: bool) -> float:
    names = {english: english for _, english in PAIRS}
    right = sum(best_link(arabic, names, use_package)[0] == english for arabic, english in PAIRS)
    return right / len(PAIRS)


def test_linking_accuracy_with_rules_only():
    assert len(PAIRS) >= 20
    assert _accuracy(use_package=False) >= 0.85


@pytest.mark.skipif(not package_available(), reason="arabic-name-romanizer not installed")
def test_linking_accuracy_with_romanizer():
    assert _accuracy(use_package=True) >= 0.9


def test_no_link_for_a_different_person():
    names = {"Ahmed al-Sharaa": "Ahmed al-Sharaa", "Hakan Fidan": "Hakan Fidan"}
    assert best_link("محمد شياع", names)[0] is None
    assert best_link("فؤاد حسين", names)[0] is None


def test_read_arabic_links_persons_and_countries():
    text = ("Iraqi officials visited Damascus.\n\n"
            "وصل وفد عراقي برئاسة رئيس جهاز المخابرات الوطني حميد الشطري إلى دمشق للقاء الرئيس السوري أحمد الشرع.")
    events, entities = _read(text, "Hamid al-Shatri", "Ahmed al-Sharaa")
    shatri = entities[content_id("entity", "person", "hamid al-shatri")]
    arabic = [m for m in shatri.mentions if m.lang == "ar"]
    assert [m.text for m in arabic] == ["حميد الشطري"] and text[arabic[0].start : arabic[0].end] == "حميد الشطري"
    assert shatri.sector_code == "SPY"
    sharaa = entities[content_id("entity", "person", "ahmed al-sharaa")]
    assert sharaa.country_code == "SYR" and [m.text for m in sharaa.mentions if m.lang == "ar"] == ["أحمد الشرع"]
    syria = entities[content_id("entity", "country", "SYR")]
    assert {m.text for m in syria.mentions} == {"دمشق", "السوري"}
    iraq = entities[content_id("entity", "country", "IRQ")]
    assert [m.text for m in iraq.mentions] == ["عراقي"]
    visit = _one(events, "CONSULT")
    assert visit.actor[0].entity_id == shatri.id and visit.actor[0].country_code == "IRQ"
    assert visit.recipient[0].country_code == "SYR" and visit.mode == ["visit"] and visit.cameo == "042"


def test_unlinked_person_becomes_new_entity():
    text = "أكد وزير الداخلية مازن الفراية دعم الحكومة للقرار."
    _, entities = _read(text, "Ahmed al-Sharaa")
    new = [e for e in entities.values() if e.name == "مازن الفراية"]
    assert len(new) == 1 and new[0].type == "person" and new[0].sector_code == "GOV"
    assert new[0].titles == ["وزير الداخلية"] and new[0].mentions[0].lang == "ar"


def test_untitled_arabic_names_link_to_english_people():
    text = ("Syrian President Ahmed al-Sharaa and SDF commander Mazloum Abdi signed the deal.\n\n"
            "وقّع الاتفاق كل من أحمد الشرع ومظلوم عبدي في دمشق.")
    _, entities = _read(text, "Ahmed al-Sharaa", "Mazloum Abdi")
    for name, arabic in (("ahmed al-sharaa", "أحمد الشرع"), ("mazloum abdi", "مظلوم عبدي")):
        person = entities[content_id("entity", "person", name)]
        mentions = [text[m.start : m.end] for m in person.mentions if m.lang == "ar"]
        assert mentions in ([arabic], ["و" + arabic]), mentions


def test_names_with_title_words_inside_and_honorifics_link():
    text = ("Prince Faisal bin Farhan called Abdulmalik al-Houthi and Hossein Amir-Abdollahian.\n\n"
            "قال عبد الملك الحوثي: إن الأمير فيصل بن فرحان اتصل به وبالوزير الإيراني حسين أمير عبد اللهيان.")
    _, entities = _read(text, "Prince Faisal bin Farhan", "Abdulmalik al-Houthi", "Hossein Amir-Abdollahian")
    expected = {"prince faisal bin farhan": "فيصل بن فرحان", "abdulmalik al-houthi": "عبد الملك الحوثي",
                "hossein amir-abdollahian": "حسين أمير عبد اللهيان"}
    for key, arabic in expected.items():
        person = entities[content_id("entity", "person", key)]
        assert [text[m.start : m.end] for m in person.mentions if m.lang == "ar"] == [arabic], key
    # الملك after عبد is part of the name, not "the king" (GOV)
    assert not any(m.text == "الملك" for e in entities.values() for m in e.mentions)


def test_untitled_pass_links_no_one_word_names():
    text = "Ericsson said it would comply.\n\nقررت الحكومة تعليق عمل شركة إريكسون في العراق."
    _, entities = _read(text, "Ericsson")
    assert not [m for e in entities.values() if e.name == "Ericsson" for m in e.mentions if m.lang == "ar"]


# --- events --------------------------------------------------------------------------------------------

FAMILIES = [
    ("زار وزير الخارجية المصري بدر عبد العاطي بيروت.", "CONSULT", "EGY", "LBN"),
    ("استقبل الرئيس اللبناني جوزاف عون وزير الخارجية الإيراني عباس عراقجي.", "CONSULT", "LBN", "IRN"),
    ("التقى رئيس الوزراء العراقي محمد شياع السوداني بالرئيس التركي رجب طيب أردوغان.", "CONSULT", "IRQ", "TUR"),
    ("وبحث وزير الخارجية الأردني أيمن الصفدي مع نظيره السوري الأوضاع.", "CONSULT", "JOR", None),
    ("اتفقت الحكومة العراقية مع الحكومة التركية على فتح المعبر.", "AGREE", "IRQ", "TUR"),
    ("أعلنت السعودية عزمها استثمار مليارات الدولارات في سوريا.", "AGREE", "SAU", None),
    ("وقعت مصر وقطر اتفاقية للتعاون الاقتصادي.", "SUPPORT", "EGY", None),
    ("أكد الرئيس الفرنسي دعم بلاده للبنان.", "SUPPORT", "FRA", "LBN"),
    ("رحبت وزارة الخارجية القطرية بالاتفاق بين الجانبين.", "SUPPORT", "QAT", None),
    ("تتعاون الشرطة العراقية مع الشرطة السورية لضبط الحدود.", "COOPERATE", "IRQ", "SYR"),
    ("قدمت الإمارات مساعدات إنسانية إلى السودان.", "AID", "ARE", "SDN"),
    ("أرسلت تركيا مساعدات طبية إلى غزة.", "AID", "TUR", "PSE"),
    ("اتهم الجيش السوداني قوات الدعم السريع بقصف المخيم.", "ACCUSE", "SDN", None),
    ("وأدانت الحكومة الأردنية الهجوم على القافلة.", "ACCUSE", "JOR", None),
    ("تظاهر آلاف الطلاب الصرب ضد الحكومة في بلغراد.", "PROTEST", None, None),
    ("احتج المتظاهرون التونسيون على قرار المحكمة.", "PROTEST", "TUN", None),
    ("قصف الجيش الإسرائيلي مواقع في جنوب لبنان.", "ASSAULT", "ISR", None),
    ("هاجمت قوات الأمن المحتجين في الخرطوم.", "ASSAULT", None, None),
]


@pytest.mark.parametrize("sentence, event_type, actor_country, recipient_country", FAMILIES)
def test_trigger_families(sentence, event_type, actor_country, recipient_country):
    text = "Officials said:\n" + sentence
    events, _ = _read(text)
    event = next((e for e in events if e.event_type == event_type), None)
    assert event is not None, [(e.event_type, e.trigger) for e in events]
    assert event.actor, sentence
    if actor_country:
        assert event.actor[0].country_code == actor_country
    if recipient_country:
        assert recipient_country in {r.country_code for r in event.recipient}
    assert event.coder.startswith("diurna-arabic/")
    evidence = event.evidence
    assert text[evidence.start : evidence.end] == evidence.sentence == sentence.rstrip(".") + "." \
        or text[evidence.start : evidence.end] == evidence.sentence
    assert text[evidence.trigger_start : evidence.trigger_end] == event.trigger
    assert event.cameo and event.goldstein is not None and event.quad and event.plover_score is not None


def test_event_only_stated_in_arabic():
    text = ("The ministry published a statement on Facebook:\n\n"
            "قررت الحكومة الجزائرية سحب سفيرها لدى الجمهورية الفرنسية، وتحمّل الحكومة الفرنسية المسؤولية الكاملة.")
    events, entities = _read(text)
    withdraw = _one(events, "SANCTION")
    assert withdraw.actor[0].country_code == "DZA" and withdraw.actor[0].sector_code == "GOV"
    assert withdraw.recipient[0].country_code == "FRA"
    assert withdraw.trigger == "سحب سفيرها" and withdraw.cameo == "161"
    blame = _one(events, "ACCUSE")
    assert blame.actor[0].country_code == "DZA" and blame.recipient[0].country_code == "FRA"
    start = text.index("قررت")
    assert blame.evidence.start == start and blame.evidence.end == len(text)
    group = entities[withdraw.actor[0].entity_id]
    assert group.type == "group" and any(m.text == "الحكومة الجزائرية" and m.lang == "ar" for m in group.mentions)


def test_purpose_and_future_and_negation():
    events, _ = _read("Statement:\nسيزور وزير الخارجية التركي هاكان فيدان بغداد الأسبوع المقبل.")
    intent = _one(events, "AGREE")  # a visit announced, not made: 036
    assert intent.cameo == "036" and "future" in intent.aux
    events, _ = _read("Statement:\nلم تقصف الطائرات الإسرائيلية المطار.")
    assert "negation" in _one(events, "ASSAULT").aux


def test_claimed_by_speaker():
    text = "Statement:\nقال المتحدث باسم الجيش إن المتمردين هاجموا قاعدة عسكرية."
    events, _ = _read(text)
    attack = _one(events, "ASSAULT")
    assert attack.actor[0].sector_code == "REB"
    assert attack.claimed_by is not None and attack.claimed_by.sector_code == "MIL"


def test_dedup_against_english_events():
    text = "Baghdad hosted talks.\nزار وزير الخارجية المصري بدر عبد العاطي بيروت."
    events, entities = _read(text)
    assert _one(events, "CONSULT")
    english = events[0].model_copy(update={"id": "en", "coder": "diurna-lexicon/x",
                                           "evidence": Evidence(start=0, end=5, trigger_start=0, trigger_end=5,
                                                                sentence=text[:5])})
    again, _ = _read(text, english_events=[english])
    assert not [e for e in again if e.event_type == "CONSULT"]


def test_english_only_text_is_untouched():
    text = "Iraq and Syria agreed to reopen the crossing."
    entities: dict[str, Entity] = {}
    assert read_arabic(text, segment_text(text), entities, "t", None) == []
    assert entities == {}


def test_city_names_are_cached_beside_the_gazetteer(tmp_path, monkeypatch):
    from diurna.arabic import tables

    monkeypatch.setenv("DIURNA_CACHE_DIR", str(tmp_path))
    built = tables._city_names()
    assert list(tmp_path.glob("arabic-cities-*.pickle")) and built
    monkeypatch.setattr(tables, "_build_city_names", lambda: pytest.fail("rebuilt although cached"))
    assert tables._city_names() == built


def test_an_arabic_first_name_gives_no_place(code):
    # فؤاد folds to فواد, which reads as ف + واد ("valley", a town's name) unless the hamza is remembered
    x = code("Iraq's foreign minister spoke on Friday.\n\nقال وزير الخارجية العراقي فؤاد حسين إن العراق يدعم سوريا.")
    assert {p.country_code for p in x.places} <= {"IRQ", "SYR"}

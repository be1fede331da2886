"""Any Unicode text gets an answer: normalisation and the model's analysis path never raise.

Property tests (hypothesis) over the full code-point range, including unassigned, private-use,
control and surrogate code points, plus walks over every code point in chunks. The API side of
the same promise (no 500 on any route) is in tests/api/test_unicode_api.py.
"""
from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kindshield_server.model import normalize, normalize_with_offsets
from kindshield_server.model.normalize import SUPPORTED_VERSIONS

MAX_CP = 0x10FFFF
SURROGATES = range(0xD800, 0xE000)

# every code point, surrogates included (valid in a Python str, and in JSON as \ud800 escapes)
any_char = st.characters(min_codepoint=0, max_codepoint=MAX_CP, exclude_categories=())
any_text = st.text(any_char, min_size=0, max_size=300)
# what the server hands the model: lone surrogates replaced by U+FFFD (api.analyze.clean_text)
scalar_char = st.characters(min_codepoint=0, max_codepoint=MAX_CP)
scalar_text = st.text(scalar_char, min_size=1, max_size=200)
# texts that mix the hard cases with ordinary words
HARD = ["\u0130", "\u0131", "ß", "ẞ", "ﬁ", "ﬃ", "ŉ", "ΐ", "Σ", "ς", "ΟΔΟΣ", "\u0345", "\u0307", "e\u0301",
        "\u200d", "\u200c", "\u202e", "\u2066", "\u2069", "\ufeff", "\x00", "\ufffd", "\U000e0001",
        "👨\u200d👩\u200d👧\u200d👦", "🏳\ufe0f\u200d🌈", "🇹🇷", "\u3000", "\u0600", "ǅ", "İstanbul", "fuck", "傻逼", "滚"]
mixed_text = st.lists(st.one_of(st.sampled_from(HARD), st.text(any_char, max_size=5)), max_size=40).map("".join)

KNOWN = ["İstanbul'da İzmir'den İbrahim", "STRASSE Straße ẞ", "ﬁnance ﬂow ﬃ", "ὈΔΥΣΣΕΎΣ ΟΔΟΣ σοφός",
         "a\u0301\u0302\u0303\u0304" * 50, "\u202eevil\u202c \u2066x\u2069", "👨\u200d👩\u200d👧\u200d👦 🏳️‍🌈",
         "nul\x00byte", "\ufeffbom", "İ" * 20_000, "ß" * 20_000]


def _check_normalized(text: str, version: str) -> None:
    out = normalize_with_offsets(text, version)
    assert isinstance(out.text, str)
    assert len(out.origin) == len(out.text)
    assert all(0 <= i < len(text) for i in out.origin)
    for start in range(0, len(out.text), max(1, len(out.text) // 7)):
        b, e = out.original_span(start, start + 3)
        assert 0 <= b <= e <= len(text)
    assert normalize(text, version) == out.text


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(any_text, mixed_text))
def test_normalize_never_raises(version, text):
    _check_normalized(text, version)


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
@pytest.mark.parametrize("text", KNOWN, ids=lambda t: repr(t[:12]))
def test_normalize_known_hard_cases(version, text):
    _check_normalized(text, version)


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_normalize_walks_every_code_point(version):
    """All 1,114,112 code points, 1,024 at a time, and each one alone (length-changing case
    mappings such as U+0130 only show up per character)."""
    for base in range(0, MAX_CP + 1, 1024):
        chunk = "".join(chr(c) for c in range(base, min(base + 1024, MAX_CP + 1)))
        _check_normalized(chunk, version)
        for ch in chunk:
            out = normalize_with_offsets(ch + "x", version)
            assert len(out.origin) == len(out.text)


# ---------------------------------------------------------------- the model's analysis path

@pytest.fixture(scope="module")
def model():
    from kindshield_server.model import ToxicityModel, default_model_dir

    return ToxicityModel.load(default_model_dir(), threads=1)


def _check_results(texts, results):
    assert len(results) == len(texts)
    for text, r in zip(texts, results):
        assert 0.0 <= r.score <= 1.0 and not math.isnan(r.score)
        assert all(0.0 <= v <= 1.0 and not math.isnan(v) for v in r.labels.values())
        assert r.severity in ("none", "low", "medium", "high")
        assert r.language in ("en", "zh", "und")
        for s in r.spans:
            assert 0 <= s.start < s.end <= len(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.one_of(scalar_text, mixed_text, any_text), min_size=1, max_size=4),
       lang=st.sampled_from(["auto", "en", "zh"]), explain=st.booleans())
def test_model_analyzes_any_text(model, texts, lang, explain):
    from kindshield_server.api.analyze import clean_text  # what every route does first

    texts = [clean_text(t) or "x" for t in texts]
    _check_results(texts, model.analyze(texts, lang=lang, explain=explain))


@pytest.mark.parametrize("text", KNOWN, ids=lambda t: repr(t[:12]))
def test_model_known_hard_cases(model, text):
    _check_results([text], model.analyze([text], explain=True))


@pytest.mark.timeout(1200)  # about a million pieces: minutes on 2 cores, no time asserted
def test_model_walks_every_scalar_value(model):
    """Every Unicode scalar value (surrogates are replaced before the model sees them), 2,048
    code points per text, several texts per call."""
    texts = []
    for base in range(0, MAX_CP + 1, 2048):
        chunk = "".join(chr(c) for c in range(base, min(base + 2048, MAX_CP + 1)) if c not in SURROGATES)
        if chunk:
            texts.append(chunk)
    for i in range(0, len(texts), 16):
        _check_results(texts[i:i + 16], model.analyze(texts[i:i + 16]))

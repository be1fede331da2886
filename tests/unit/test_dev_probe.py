"""The dev probe (training/dev_probe): loads, is big enough, labels agree, and is independent
of both the functional test suite and the training/dev mix."""
import json
import unicodedata
from collections import Counter

import pytest

from training.dev_probe import HERE, load_probe
from training.functional_suite import CATEGORIES, SUITE_CATEGORIES, SUITES, load_suite, text_key

OTHER_LANGS = {"ja", "ko", "fr", "de", "ru", "ar", "es"}
MIN_PER_CATEGORY = 18


@pytest.fixture(scope="module")
def rows():
    return load_probe()


def test_files_are_valid_jsonl_with_the_right_fields():
    for suite in SUITES:
        lines = (HERE / f"{suite}.jsonl").read_text(encoding="utf-8").splitlines()
        assert lines, suite
        for n, line in enumerate(lines, 1):
            row = json.loads(line)
            assert set(row) == {"text", "toxic", "category", "lang"}, (suite, n)
            assert isinstance(row["text"], str) and row["text"].strip() == row["text"] != "", (suite, n)
            assert isinstance(row["toxic"], int) and row["toxic"] in (0, 1), (suite, n)


def test_loader_tags_each_row_with_its_suite(rows):
    assert {r["suite"] for r in rows} == set(SUITES)
    assert len(load_probe(["zh"])) == sum(r["suite"] == "zh" for r in rows)
    assert len(load_probe(("en",))) == sum(r["suite"] == "en" for r in rows)


def test_loader_rejects_unknown_categories(tmp_path, monkeypatch):
    import training.dev_probe as probe

    (tmp_path / "en.jsonl").write_text(
        json.dumps({"text": "ok", "toxic": 0, "category": "one_word", "lang": "en"}) + "\n"
        + json.dumps({"text": "hm", "toxic": 0, "category": "nonsense", "lang": "en"}) + "\n",
        encoding="utf-8")
    monkeypatch.setattr(probe, "HERE", tmp_path)
    with pytest.raises(ValueError, match=r"en\.jsonl:2"):
        probe.load_probe(["en"])


def test_labels_match_categories(rows):
    for r in rows:
        assert r["category"] in CATEGORIES, r
        assert r["toxic"] == CATEGORIES[r["category"]], r


@pytest.mark.parametrize("suite", SUITES)
def test_at_least_18_per_category_and_exactly_the_suite_categories(rows, suite):
    counts = Counter(r["category"] for r in rows if r["suite"] == suite)
    assert set(counts) == set(SUITE_CATEGORIES[suite]), (suite, sorted(counts))
    for cat in SUITE_CATEGORIES[suite]:
        assert counts[cat] >= MIN_PER_CATEGORY, (suite, cat, counts[cat])


def test_lang_codes(rows):
    for r in rows:
        if r["category"] == "other_language":
            assert r["suite"] == "en" and r["lang"] in OTHER_LANGS, r
        else:
            assert r["lang"] == r["suite"], r


def test_other_languages_cover_each_language_twice(rows):
    per = Counter(r["lang"] for r in rows if r["category"] == "other_language")
    for lang in OTHER_LANGS:
        assert per[lang] >= 2, (lang, per[lang])


def test_chinese_probe_is_chinese(rows):
    for r in rows:
        if r["suite"] == "zh" and r["category"] != "one_word":
            assert any("\u4e00" <= ch <= "\u9fff" for ch in r["text"]), r


def test_one_word_cases_are_short(rows):
    for r in rows:
        if r["category"] != "one_word":
            continue
        if r["suite"] == "en":
            assert len(r["text"].split()) <= 3, r
        else:
            # 1-3 words: at most four CJK characters (好活当赏), eight characters in all (mark一下)
            cjk = sum(unicodedata.category(ch) == "Lo" for ch in r["text"])
            assert cjk <= 4 and len(r["text"]) <= 8, r


def test_no_duplicates_within_or_across_files(rows):
    seen = Counter(text_key(r["text"]) for r in rows)
    dups = [t for t, c in seen.items() if c > 1]
    assert not dups, dups


def test_no_probe_case_is_a_functional_suite_case(rows):
    suite_keys = {text_key(r["text"]) for r in load_suite()}
    clash = [r["text"] for r in rows if text_key(r["text"]) in suite_keys]
    assert not clash, clash


def test_no_probe_case_is_in_the_training_or_dev_mix(rows, shared_data):
    """The probe picks models on dev, so a model must never have seen its texts: none may occur
    in the training or dev mix (corpora plus every generated template)."""
    import argparse

    from training.data import prepare_examples

    train, dev = prepare_examples(argparse.Namespace(data=str(shared_data), limit=0, seed=13, davidson_offensive=7000))
    seen = {text_key(e.text) for e in train + dev}
    assert len(seen) > 1000  # the mix really loaded
    clash = [(r["suite"], r["category"], r["text"]) for r in rows if text_key(r["text"]) in seen]
    assert not clash, clash

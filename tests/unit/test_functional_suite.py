"""The functional test suite (training/functional_suite): loads, is big enough, labels agree."""
import json
from collections import Counter

import pytest

from training.functional_suite import CATEGORIES, HERE, SUITE_CATEGORIES, SUITES, load_suite, text_key

OTHER_LANGS = {"ja", "ko", "fr", "de", "ru", "ar", "es"}


@pytest.fixture(scope="module")
def rows():
    return load_suite()


def test_files_are_valid_jsonl_with_the_right_fields():
    for suite in SUITES:
        lines = (HERE / f"{suite}.jsonl").read_text(encoding="utf-8").splitlines()
        assert lines, suite
        for n, line in enumerate(lines, 1):
            row = json.loads(line)
            assert set(row) == {"text", "toxic", "category", "lang"}, (suite, n)
            assert isinstance(row["text"], str) and row["text"].strip() == row["text"] != "", (suite, n)
            assert row["toxic"] in (0, 1) and isinstance(row["toxic"], int), (suite, n)


def test_loader_tags_each_row_with_its_suite(rows):
    assert {r["suite"] for r in rows} == set(SUITES)
    assert len(load_suite(["zh"])) == sum(r["suite"] == "zh" for r in rows)


def test_labels_match_categories(rows):
    for r in rows:
        assert r["category"] in CATEGORIES, r
        assert r["toxic"] == CATEGORIES[r["category"]], r


def test_categories_have_both_labels():
    assert set(CATEGORIES.values()) == {0, 1}
    assert sum(CATEGORIES.values()) == 8 and len(CATEGORIES) == 16


@pytest.mark.parametrize("suite", SUITES)
def test_at_least_30_per_category(rows, suite):
    counts = Counter(r["category"] for r in rows if r["suite"] == suite)
    for cat in SUITE_CATEGORIES[suite]:
        assert counts[cat] >= 30, (suite, cat, counts[cat])
    assert set(counts) == set(SUITE_CATEGORIES[suite])


def test_lang_codes(rows):
    for r in rows:
        if r["category"] == "other_language":
            assert r["suite"] == "en" and r["lang"] in OTHER_LANGS, r
        else:
            assert r["lang"] == r["suite"], r


def test_other_languages_cover_each_language(rows):
    other = [r for r in rows if r["category"] == "other_language"]
    assert len(other) >= 35
    per = Counter(r["lang"] for r in other)
    for lang in OTHER_LANGS:
        assert per[lang] >= 5, (lang, per[lang])


def test_chinese_suite_is_chinese(rows):
    for r in rows:
        if r["suite"] == "zh" and r["category"] != "one_word":
            assert any("\u4e00" <= ch <= "\u9fff" for ch in r["text"]), r


def test_no_duplicates(rows):
    seen = Counter(text_key(r["text"]) for r in rows)
    dups = [t for t, c in seen.items() if c > 1]
    assert not dups, dups


def test_every_category_keeps_30_cases_the_training_mix_has_never_seen(rows, shared_data):
    """Reported figures leave out the cases whose text is also in the training or dev mix
    (training.compare); each category must still have 30 left in each suite."""
    import argparse

    from training.data import prepare_examples
    from training.functional_suite import unseen

    train, dev = prepare_examples(argparse.Namespace(data=str(shared_data), limit=0, seed=13, davidson_offensive=7000))
    left = unseen(rows, (e.text for e in train + dev))
    assert len(left) < len(rows)  # "lol" is in the training lists: the filter does bite
    per = Counter((r["suite"], r["category"]) for r in left)
    for suite, categories in SUITE_CATEGORIES.items():
        for category in categories:
            assert per[(suite, category)] >= 30, (suite, category, per[(suite, category)])

"""Targeted training templates: disjoint splits, both languages, known heads only."""
import random
from collections import Counter

import pytest

from training.targeted import targeted_examples

HEADS = {"toxic", "insult", "threat", "identity_attack", "obscene", "targeted_person"}
ABUSE = ["threat_implicit", "doxxing", "self_harm_incitement", "appearance_shaming", "putdown", "pile_on"]
BENIGN = ["one_word", "praise_idiom", "counter_speech", "quote", "negation"]


@pytest.fixture(scope="module")
def splits():
    return {s: targeted_examples(s, random.Random(0)) for s in ("train", "dev")}


def test_train_and_dev_texts_are_disjoint(splits):
    train = {t for t, *_ in splits["train"]}
    dev = {t for t, *_ in splits["dev"]}
    assert train and dev
    assert not train & dev


def test_deterministic_given_rng():
    assert targeted_examples("train", random.Random(3)) == targeted_examples("train", random.Random(3))


@pytest.mark.parametrize("split", ["train", "dev"])
def test_every_category_has_both_languages_and_enough_rows(splits, split):
    rows = splits[split]
    counts = Counter(case for *_, case in rows)
    for cat in ABUSE + BENIGN:
        for lang in ("en", "zh"):
            assert counts[f"{lang}_{cat}"] >= 40, (split, lang, cat, counts[f"{lang}_{cat}"])
    assert counts["other_lang"] >= 40
    assert len(rows) <= 6000
    for text, _, lang, case in rows:
        assert lang in ("en", "zh")
        if case[:3] in ("en_", "zh_"):
            assert case.startswith(lang + "_"), (text, lang, case)
        else:
            assert lang == "en", (text, lang, case)


@pytest.mark.parametrize("split", ["train", "dev"])
def test_labels_use_known_heads_and_fit_the_category(splits, split):
    for text, labels, _lang, case in splits[split]:
        assert text.strip()
        assert labels and set(labels) <= HEADS, (text, labels)
        assert all(v in (0, 1) for v in labels.values()), (text, labels)
        cat = case.split("_", 1)[1] if case[:3] in ("en_", "zh_") else case
        if cat in ABUSE:
            assert labels["toxic"] == 1 and labels["targeted_person"] == 1, (text, labels)
        else:
            assert labels["toxic"] == 0 and labels.get("insult", 0) == 0 and labels.get("threat", 0) == 0, (text, labels)
        if cat in ("threat_implicit", "doxxing", "self_harm_incitement"):
            assert labels["threat"] == 1
        if cat in ("appearance_shaming", "putdown"):
            assert labels["insult"] == 1


# ------------------------------------------------------- composed sentences
COMPOSED = {"threat_implicit": 1, "doxxing": 1, "profanity_nonhateful": 0, "reclaimed": 0}


@pytest.fixture(scope="module")
def composed():
    from training.compose import composed_examples

    return {s: composed_examples(s, random.Random(0)) for s in ("train", "dev")}


def test_composed_train_and_dev_share_no_sentence_and_no_filler(composed):
    from training import compose

    train = {t for t, *_ in composed["train"]}
    dev = {t for t, *_ in composed["dev"]}
    assert train and dev and not train & dev
    # The halves are disjoint part by part, so a dev sentence's filler never
    # appears in training: checked on the doxxing and threat fillers.
    for part, case in ((compose.EN_DOX_WHAT, "en_doxxing"), (compose.ZH_DOX_WHAT, "zh_doxxing"),
                       (compose.EN_KNOWN, "en_threat_implicit"), (compose.ZH_KNOWN, "zh_threat_implicit")):
        train_parts = compose._half(part, "train")
        for filler in compose._half(part, "dev"):
            if any(filler in other for other in train_parts):
                continue  # e.g. "new address" inside a train filler
            assert not any(filler in t for t, _, _, c in composed["train"] if c == case), filler


@pytest.mark.parametrize("split", ["train", "dev"])
def test_composed_labels_fit_the_category_and_stay_a_minority(composed, split):
    rows = composed[split]
    counts = Counter(case for *_, case in rows)
    assert len(rows) <= 1500  # of ~125k training rows
    for cat in COMPOSED:
        for lang in ("en", "zh"):
            assert counts[f"{lang}_{cat}"] >= 20, (split, lang, cat)
    for text, labels, lang, case in rows:
        assert set(labels) <= HEADS and text.strip()
        cat = case.split("_", 1)[1]
        assert labels["toxic"] == COMPOSED[cat], (text, labels)
        if cat == "profanity_nonhateful":
            # swearing aimed at no one: obscene, but not abuse
            assert labels["obscene"] == 1 and labels["targeted_person"] == 0
        if lang == "zh":
            assert any("\u4e00" <= ch <= "\u9fff" for ch in text), text


def test_old_obscene_templates_no_longer_call_swearing_at_no_one_toxic():
    from training.augment import functional_examples

    for split in ("train", "dev"):
        for text, labels, _lang, case in functional_examples(split, random.Random(0)):
            if case == "obscene":
                assert labels["toxic"] == 0 and labels["obscene"] == 1, text


def test_the_dev_view_for_choosing_models_is_built_from_dev_templates_only():
    from training.compare import dev_templates
    from training.compose import composed_examples
    from training.functional_suite import load_suite, text_key
    from training.sources import Example

    dev = [Example(t, labels, "functional", lang, "dev", meta={"case": case})
           for generate in (targeted_examples, composed_examples)
           for t, labels, lang, case in generate("dev", random.Random(13))]
    view = dev_templates(dev + [Example("a corpus row", {"toxic": 0}, "olid", "en", "dev")])
    assert 0.9 * len(dev) < len(view) < len(dev)  # the corpus row and the few suite-equal templates go
    assert {r["category"] for r in view} >= {"negation", "quote", "counter_speech", "threat_implicit"}
    assert all(r["suite"] in ("en", "zh") and r["toxic"] in (0, 1) for r in view)
    suite = {text_key(r["text"]) for r in load_suite()}
    assert not [r["text"] for r in view if text_key(r["text"]) in suite]

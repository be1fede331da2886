"""The second functional test suite (training/functional_suite_2): well-formed, big enough,
labels agree with categories, and no case shared with the first suite, the dev probe, the
written training sentences or any templated training rows."""
import importlib
import json
import os
import random
from collections import Counter
from pathlib import Path

import pytest

from training.functional_suite_2 import (
    CATEGORIES,
    HERE,
    LOOKALIKE_OF,
    SUITE_CATEGORIES,
    SUITES,
    load_suite2,
    text_key,
)

TRAINING = Path(__file__).resolve().parents[2] / "training"
SHARED_DATA = TRAINING.parents[1] / "shared" / "data"


@pytest.fixture(scope="module")
def rows():
    return load_suite2()


def test_rows_are_well_formed():
    for lang in SUITES:
        lines = (HERE / f"{lang}.jsonl").read_text(encoding="utf-8").splitlines()
        assert lines, lang
        for n, line in enumerate(lines, 1):
            where = f"{lang}.jsonl:{n}"
            row = json.loads(line)
            keys = {"text", "toxic", "category", "lang"}
            if row.get("category") == "lookalike":
                keys = keys | {"of"}
                assert row.get("of") in LOOKALIKE_OF, where
            assert set(row) == keys, where
            assert isinstance(row["text"], str) and row["text"].strip() == row["text"] != "", where
            assert isinstance(row["toxic"], int) and row["toxic"] in (0, 1), where
            assert row["category"] in SUITE_CATEGORIES[lang], where
            assert row["lang"] == lang, where


def test_labels_agree_with_categories(rows):
    bad = [(r["suite"], r["text"]) for r in rows if r["toxic"] != CATEGORIES[r["category"]]]
    assert not bad, bad


def test_enough_cases_per_category_and_language(rows):
    counts = Counter((r["suite"], r["category"]) for r in rows)
    for lang in SUITES:
        for cat in SUITE_CATEGORIES[lang]:
            need = 20 if cat == "homophone_pinyin_benign" else 32
            assert counts[(lang, cat)] >= need, (lang, cat, counts[(lang, cat)])
    assert not any(counts[("en", c)] for c in CATEGORIES if c not in SUITE_CATEGORIES["en"])


def test_every_lookalike_kind_is_covered(rows):
    counts = Counter((r["suite"], r["of"]) for r in rows if r["category"] == "lookalike")
    for lang in SUITES:
        for of in LOOKALIKE_OF:
            assert counts[(lang, of)] >= 5, (lang, of, counts[(lang, of)])


def test_loader_tags_language_and_of(rows):
    assert {r["suite"] for r in rows} == set(SUITES)
    assert len(load_suite2(["zh"])) == sum(r["suite"] == "zh" for r in rows)
    assert all((r["of"] is None) == (r["category"] != "lookalike") for r in rows)


def test_no_duplicate_texts(rows):
    dup = [k for k, n in Counter(text_key(r["text"]) for r in rows).items() if n > 1]
    assert not dup, dup


def _generated_texts(module_name: str, function_name: str) -> list[str]:
    """Texts of a training generator ``f(split, rng)`` for both splits; [] if absent."""
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return []
    fn = getattr(module, function_name, None)
    if fn is None:
        return []
    return [row[0] for split in ("train", "dev") for row in fn(split, random.Random(0))]


def _stance_texts(with_data: bool) -> list[str]:
    """Texts of the stance contrast generators in training.stance, if that module exists:
    the written twins and banter rows (no data needed), or with ``with_data`` the rows built
    from real abuse cores in the shared data folder."""
    try:
        module = importlib.import_module("training.stance")
    except ImportError:
        return []
    texts: list[str] = []
    for split in ("train", "dev"):
        if with_data:
            fn = getattr(module, "stance_examples", None)
            if fn is not None:
                texts += [row[0] for row in fn(split, random.Random(0), SHARED_DATA)]
            continue
        for name in ("written_twins", "banter_rows"):
            fn = getattr(module, name, None)
            if fn is not None:
                texts += [row[0] for row in fn(split)]
    return texts


def _other_sets() -> dict[str, list[str]]:
    from training.dev_probe import load_probe
    from training.functional_suite import load_suite

    return {
        "functional_suite": [r["text"] for r in load_suite()],
        "dev_probe": [r["text"] for r in load_probe()],
        "written": [
            json.loads(line)["text"]
            for path in sorted((TRAINING / "written").glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ],
        "targeted": _generated_texts("training.targeted", "targeted_examples"),
        "composed": _generated_texts("training.compose", "composed_examples"),
        "augment": _generated_texts("training.augment", "functional_examples"),
        "stance": _stance_texts(with_data=False),
    }


def _shared(rows, sets: dict[str, list[str]]) -> dict[str, list[str]]:
    mine = {text_key(r["text"]): r["text"] for r in rows}
    shared = {}
    for name, texts in sets.items():
        hits = sorted(mine[k] for k in {text_key(t) for t in texts} & mine.keys())
        if hits:
            shared[name] = hits
    return shared


def test_no_text_shared_with_training_or_the_other_suites(rows):
    shared = _shared(rows, _other_sets())
    assert not shared, shared


@pytest.mark.skipif(
    os.environ.get("KINDSHIELD_STANCE_OVERLAP") != "1" or not SHARED_DATA.is_dir(),
    reason="slow (1-2 min: builds the stance rows from ../shared/data); set KINDSHIELD_STANCE_OVERLAP=1",
)
def test_no_text_shared_with_the_stance_rows_built_from_data(rows):
    shared = _shared(rows, {"stance_from_data": _stance_texts(with_data=True)})
    assert not shared, shared

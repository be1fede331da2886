"""The hand-written training sentences (training/written): valid, split in halves, apart from held-out sets."""
import json
import random
from collections import Counter

import pytest

from training.dev_probe import load_probe
from training.functional_suite import load_suite, text_key
from training.written import CASE_LABELS, HERE, LANGS, load_written, written_examples

MIN_PER_CASE = 30


def test_rows_are_valid():
    for lang in LANGS:
        for n, line in enumerate((HERE / f"{lang}.jsonl").read_text(encoding="utf-8").splitlines(), 1):
            row = json.loads(line)
            assert set(row) == {"text", "case"}, (lang, n)
            assert row["case"] in CASE_LABELS, (lang, n)
            assert row["text"].strip() == row["text"] != "", (lang, n)


def test_every_case_has_enough_sentences_in_both_languages():
    counts = Counter((r["lang"], r["case"]) for r in load_written())
    for lang in LANGS:
        for c in CASE_LABELS:
            assert counts[(lang, c)] >= MIN_PER_CASE, (lang, c, counts[(lang, c)])


def test_sentences_are_unique():
    keys = [text_key(r["text"]) for r in load_written()]
    dupes = [k for k, n in Counter(keys).items() if n > 1]
    assert not dupes, dupes[:5]


def test_labels_follow_the_case():
    for c, labels in CASE_LABELS.items():
        assert labels["toxic"] == (c in {"threat_implicit", "self_harm_incitement", "pile_on", "putdown"}), c
        assert labels["targeted_person"] == labels["toxic"], c


def test_train_and_dev_halves_are_disjoint_and_cover_everything():
    train = written_examples("train", random.Random(0))
    dev = written_examples("dev", random.Random(0))
    assert {t for t, *_ in train}.isdisjoint({t for t, *_ in dev})
    assert len(train) + len(dev) == len(load_written())
    assert {case for *_, case in dev} == {f"{lang}_{c}" for lang in LANGS for c in CASE_LABELS}
    # labels are copies: changing one row must not change the table
    train[0][1]["toxic"] = 7
    assert all(v["toxic"] in (0, 1) for v in CASE_LABELS.values())


@pytest.mark.parametrize("name,held_out", [("functional test suite", load_suite), ("dev probe", load_probe)])
def test_no_sentence_is_in_a_held_out_set(name, held_out):
    held = {text_key(r["text"]) for r in held_out()}
    shared = [r["text"] for r in load_written() if text_key(r["text"]) in held]
    assert not shared, (name, len(shared))


def test_an_unknown_case_is_named_with_its_file_and_line(tmp_path, monkeypatch):
    import training.written as written

    (tmp_path / "en.jsonl").write_text('{"text": "hi", "case": "friendly"}\n{"text": "x", "case": "typo"}\n',
                                       encoding="utf-8")
    monkeypatch.setattr(written, "HERE", tmp_path)
    with pytest.raises(ValueError, match=r"en\.jsonl:2: unknown case 'typo'"):
        written.load_written(("en",))

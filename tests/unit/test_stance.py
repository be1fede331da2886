"""training.stance: stance contrast sets, benign twins, Chinese banter (issue 35)."""
from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from training.functional_suite import text_key

DATA = Path(os.environ.get("KINDSHIELD_DATA", "../shared/data"))
ROOT = Path(__file__).resolve().parents[2]
HEADS = {"toxic", "insult", "threat", "identity_attack", "obscene", "targeted_person"}
# A few fast sources (English and Chinese, with benign rows for mining) keep the test short.
SOURCES = ["toxic_spans", "hatemoji", "mlma", "olid", "swsr", "cold", "diasafety"]
LIMIT = 3000  # rows per source and split: enough cores and benign rows, fast

pytestmark = pytest.mark.skipif(not DATA.exists(), reason="shared data missing")


@pytest.fixture(scope="module")
def loaded():
    from training.sources import load_all
    from training.stance import cached_cores, stance_examples
    examples = load_all(DATA, sources=SOURCES, limit=LIMIT)
    rows = {sp: stance_examples(sp, random.Random(0), DATA, examples=examples) for sp in ("train", "dev")}
    return examples, rows, cached_cores(DATA, examples)


def test_rows_well_formed(loaded):
    _, rows, _ = loaded
    for split, got in rows.items():
        assert got, split
        for text, labels, lang, case in got:
            assert isinstance(text, str) and text.strip()
            assert lang in ("en", "zh") and case.startswith(lang + "_")
            assert labels and set(labels) <= HEADS and set(labels.values()) <= {0, 1}
            if labels.get("toxic") == 0:
                assert not any(labels.get(h) for h in ("insult", "threat", "targeted_person"))
            if any(labels.get(h) for h in ("insult", "threat", "identity_attack", "targeted_person")):
                assert labels.get("toxic") == 1, (text, labels)
    assert len(rows["train"]) <= 8000 and len(rows["dev"]) < len(rows["train"])


def test_deterministic(loaded):
    from training.stance import stance_examples
    examples, rows, _ = loaded
    assert stance_examples("train", random.Random(0), DATA, examples=examples) == rows["train"]


def test_train_dev_disjoint(loaded):
    _, rows, _ = loaded
    train = {text_key(r[0]) for r in rows["train"]}
    assert not train & {text_key(r[0]) for r in rows["dev"]}


def test_cores_on_both_sides_and_from_train(loaded):
    from kindshield_server.model.normalize import normalize
    from training.stance import cached_cores, core_half, stance_pairs
    examples, rows, pools = loaded
    cores = [c for pool in pools.values() for items in pool.values() for c in items]
    assert cores
    held = {e.meta["normalized"] for e in examples if e.split != "train"}
    train_keys = {text_key(e.text) for e in examples if e.split == "train"}
    for c in cores:
        assert c["split"] == "train" and c["half"] == core_half(c["text"])
        assert normalize(c["text"]) not in held, c  # never the text of a dev/test row
    # whole-row cores are cleaned train rows: spot-check that some match a train row exactly
    assert any(text_key(c["text"]) in train_keys for c in cores if c["source"] in ("swsr", "hatemoji"))
    assert cached_cores(DATA, examples) is pools
    for split, got in rows.items():
        texts = {r[0]: r for r in got}
        pairs = stance_pairs(split, random.Random(0), pools)
        assert pairs and all(c["half"] == split for c, _, _ in pairs)
        used = 0
        for core, good, bad in pairs:
            assert core["text"] in good[0] and core["text"] in bad[0]
            assert good[1]["toxic"] == 0 and bad[1]["toxic"] == 1
            # both sides of a pair are in the rows, or neither
            assert (good[0] in texts) == (bad[0] in texts)
            used += good[0] in texts
        assert used >= 0.9 * len(pairs)


def test_twins_outnumber_templates(loaded):
    from training.stance import template_keyword_counts, twin_keyword_counts
    _, rows, _ = loaded
    twins = twin_keyword_counts(rows["train"])
    low = {k: (n, twins.get(k, 0)) for k, n in template_keyword_counts().items() if twins.get(k, 0) <= n}
    assert not low, low


def test_written_parts_large_enough():
    from training.stance import frames_en, frames_zh
    for m in (frames_en, frames_zh):
        assert len(set(m.HARMLESS)) >= 40 and len(set(m.AIMED) | set(m.ENDORSE)) >= 25
        assert len(set(m.TWINS)) >= 150
    assert len(set(frames_zh.BANTER)) >= 80 and len(set(frames_zh.POLITE)) >= 60


def test_no_text_shared_with_suites(loaded):
    from training.dev_probe import load_probe
    from training.functional_suite import load_suite
    from training.functional_suite_2 import load_suite2
    from training.stance import (
        ISSUE_CASES,
        WRITTEN5,
        _written5_modules,
        frames_en,
        frames_zh,
        held_out_keys,
        near_held_out,
    )
    _, rows, _ = loaded
    held = held_out_keys()
    for cases in (load_suite(), load_probe(), load_suite2()):   # every suite is in the guard
        assert cases and {text_key(r["text"]) for r in cases} <= held
    ours = {text_key(r[0]) for got in rows.values() for r in got}
    ours |= {text_key(t) for m in (frames_en, frames_zh) for t in m.TWINS}
    ours |= {text_key(t) for t in frames_zh.BANTER + frames_zh.POLITE}
    written5 = [t for lang in ("en", "zh") for m in _written5_modules(lang) for name in WRITTEN5
                for t in getattr(m, name, [])]
    ours |= {text_key(t) for t in written5}
    shared = ours & held
    assert not shared, sorted(shared)[:5]
    # the issue's own cases: not in the written lists, not even inside a longer sentence
    written = [t for m in (frames_en, frames_zh) for t in m.TWINS] + frames_zh.BANTER + written5
    inside = [(c, t) for c in ISSUE_CASES for t in written if text_key(c) in text_key(t)]
    assert not inside, inside[:3]
    # nor near copies of any suite, probe or issue case (83 were found in stage 5's lists,
    # 8 in earlier twins and banter; all were removed or rewritten)
    near = near_held_out(written + frames_zh.POLITE)
    assert not near, near[:3]
    if os.environ.get("KINDSHIELD_STANCE_OVERLAP") == "1":   # every pair, not only the 3-gram candidates
        assert near_held_out(written + frames_zh.POLITE, exhaustive=True) == near


def test_negation_pairs_share_their_words_and_differ_in_stance():
    """Each negated (harmless) row has an asserted (abusive) partner with the same insult
    or the same group and claim; the abusive frames use negation words too, so "not" or
    "不" alone cannot decide."""
    from training.stance import frames_en, frames_zh, negation_rows
    for split in ("train", "dev"):
        rows = negation_rows(split, random.Random(3))
        assert all("{" not in t and "}" not in t for t, *_ in rows)
        for lang, fr in (("en", frames_en), ("zh", frames_zh)):
            good = [r for r in rows if r[3] == f"{lang}_negation_harmless"]
            bad = [r for r in rows if r[3] == f"{lang}_negation_abusive"]
            assert len(good) == len(bad) >= 50, (split, lang)
            assert all(r[1]["toxic"] == 0 for r in good) and all(r[1]["toxic"] == 1 for r in bad)
            words = fr.NEG_NOUN + getattr(fr, "NEG_ADJ", []) + fr.NEG_GROUPS
            for (g, *_), (b, *_) in zip(good, bad):   # rows come in (harmless, abusive) pairs
                shared = [w for w in words if w.lower() in g.lower() and w.lower() in b.lower()]
                assert shared, (g, b)
    negation = ("not", "never", "n't", "no one", "nobody")
    assert sum(any(n in f for n in negation) for f in frames_en.NEG_PERSON_ABUSIVE + frames_en.NEG_GROUP_ABUSIVE) >= 6
    assert sum(("不" in f or "没" in f) for f in frames_zh.NEG_PERSON_ABUSIVE + frames_zh.NEG_GROUP_ABUSIVE) >= 3
    train = {r[0] for r in negation_rows("train", random.Random(3))}
    dev = {r[0] for r in negation_rows("dev", random.Random(3))}
    assert not train & dev


def test_stage5_written_lists_and_quoted_claims():
    """Stage 5's written lists: each kind large enough, abusive and harmless sides both
    present, halves disjoint; every quoted group claim is on both sides (condemned:
    harmless; asserted or endorsed: abusive)."""
    from training.stance import WRITTEN5, _written5_modules, written5_rows
    for lang in ("en", "zh"):
        mods = _written5_modules(lang)
        sizes = {name: sum(len(getattr(m, name, [])) for m in mods) for name in WRITTEN5}
        for name in ("IMPLICIT_ABUSIVE", "IMPLICIT_GROUP_ABUSIVE", "IMPLICIT_HARMLESS", "VEILED_ABUSIVE",
                     "VEILED_HARMLESS", "COUNTER_REF"):
            assert sizes[name] >= 50, (lang, name, sizes[name])
        claims = [c for m in mods for c in getattr(m, "GROUP_CLAIMS", [])]
        frames = [f for m in mods for f in getattr(m, "QUOTE_CONDEMN", []) + getattr(m, "QUOTE_ENDORSE", [])]
        assert len(claims) >= 50 and all(f.count("{c}") == 1 for f in frames)
    halves = {}
    for split in ("train", "dev"):
        rows = written5_rows(split, random.Random(5))
        halves[split] = {text_key(r[0]) for r in rows}
        for lang in ("en", "zh"):
            claims = [c for m in _written5_modules(lang) for c in (getattr(m, "GROUP_CLAIMS", []))]
            mine = [r for r in rows if r[2] == lang]
            for claim in claims[0::2] if split == "train" else claims[1::2]:
                sides = {r[1]["toxic"] for r in mine if claim.lower() in r[0].lower() and ("quote" in r[3] or "claim" in r[3])}
                assert sides == {0, 1}, (split, claim, sides)
            for case in ("banter" if lang == "en" else "swear_banter", "implicit_abusive", "veiled_harmless"):
                assert any(r[3] == f"{lang}_{case}" for r in mine), (split, lang, case)
    assert not halves["train"] & halves["dev"]


def test_the_near_copy_guard_flags_near_copies_in_both_modes():
    from training.stance import near_held_out
    texts = ["Your mother must be so ashamed of what she raised, honestly.",   # contains an issue case
             "Your mum must be so ashamed of what she raised.",                # a one-word paraphrase
             "The bakery on the corner sells rye bread on Tuesdays."]          # nothing like any case
    for exhaustive in (False, True):
        assert [t for t, _ in near_held_out(texts, exhaustive=exhaustive)] == texts[:2]

"""Kindshield second functional TEST suite (English + Chinese). Evaluation only: never train on it.

Hand-written cases in ``en.jsonl`` and ``zh.jsonl``, one JSON object per line:
``{"text": ..., "toxic": 0|1, "category": ..., "lang": "en"|"zh"}``; lookalike rows also carry
``"of"``, the abuse category whose vocabulary they share. Written apart from every training
frame, from the first functional suite and from the dev probe (issue 35). See README.md.
"""
from __future__ import annotations

from pathlib import Path

from training.functional_suite import read_rows, text_key

__all__ = ["CATEGORIES", "HERE", "LOOKALIKE_OF", "SUITES", "SUITE_CATEGORIES", "load_suite2", "text_key"]

HERE = Path(__file__).resolve().parent
SUITES = ("en", "zh")

#: category -> expected ``toxic`` label.
CATEGORIES: dict[str, int] = {
    # harmless texts that a word-reacting model gets wrong
    "counter_speech_with_abuse": 0,
    "victim_retelling": 0,
    "negated_abuse": 0,
    "polite_disagreement": 0,
    "neutral_group_mention": 0,
    "banter_self_directed": 0,
    "swearing_at_no_one": 0,
    "lookalike": 0,
    "homophone_pinyin_benign": 0,  # zh only
    # abuse
    "implicit_putdown": 1,
    "veiled_threat": 1,
    "exclusion_call": 1,
    "explicit_abuse": 1,
    "homophone_pinyin": 1,  # zh only
}

ZH_ONLY = ("homophone_pinyin", "homophone_pinyin_benign")

#: categories present in each language's file.
SUITE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "en": tuple(c for c in CATEGORIES if c not in ZH_ONLY),
    "zh": tuple(CATEGORIES),
}

#: the abuse categories a ``lookalike`` row may imitate (its ``of`` field).
LOOKALIKE_OF = ("threat", "doxxing", "insult", "identity_hate", "self_harm", "pile_on", "sexual_harassment")


def load_suite2(langs: tuple[str, ...] | list[str] = SUITES) -> list[dict]:
    """All cases as dicts with keys text, toxic, category, lang, suite ("en"/"zh") and of
    (the imitated abuse category for lookalikes, else None)."""
    rows: list[dict] = []
    for lang in langs:
        for row in read_rows(HERE / f"{lang}.jsonl", "category", CATEGORIES):
            rows.append({
                "text": row["text"],
                "toxic": row["toxic"],
                "category": row["category"],
                "lang": row["lang"],
                "suite": lang,
                "of": row.get("of"),
            })
    return rows

"""Kindshield dev probe (English + Chinese): hand-written cases for choosing between models on dev.

What it is for: **dev-side model selection only** (which checkpoint, which average, which
threshold to carry forward). It is never trained on, and its figures are dev figures: never
report them as results; the held-out functional test suite (``training.functional_suite``)
and the corpora's test splits are what get reported.

Why it exists: the "dev templates" share their sentence frames with the training templates
(``training/targeted.py``, ``training/augment.py``, ``training/compose.py``), so selecting on
them overstated progress. These cases were written by hand apart from both the training
templates and the functional test suite (their authors read neither), so the probe shares
frames with neither; tests check no case's text is in the suite or in the training/dev mix.

Same format and categories as the suite: ``en.jsonl`` and ``zh.jsonl`` hold one
``{"text": ..., "toxic": 0|1, "category": ..., "lang": ...}`` per line; ``other_language``
cases sit in ``en.jsonl`` with their own ``lang``. See README.md.
"""
from __future__ import annotations

from pathlib import Path

from training.functional_suite import CATEGORIES, SUITE_CATEGORIES, SUITES, load_suite, text_key

__all__ = ["CATEGORIES", "HERE", "SUITES", "SUITE_CATEGORIES", "load_probe", "text_key"]

HERE = Path(__file__).resolve().parent


def load_probe(suites: tuple[str, ...] | list[str] = SUITES) -> list[dict]:
    """All probe cases as dicts with keys text, toxic, category, lang and suite ("en"/"zh")."""
    return load_suite(suites, folder=HERE)

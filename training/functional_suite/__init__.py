"""Kindshield functional TEST suite (English + Chinese). Evaluation only: never train on it.

Hand-written cases, one per line in ``en.jsonl`` and ``zh.jsonl``:
``{"text": ..., "toxic": 0|1, "category": ..., "lang": ...}``. ``en.jsonl`` also holds the
``other_language`` cases (ja, ko, fr, de, ru, ar, es), each with its own ``lang`` code; the file
a row comes from is its ``suite`` ("en" or "zh"), the language to report it under.

The sentence frames were written apart from the training templates (``training/augment.py``,
``training/targeted.py``) so the suite measures generalisation. See README.md.
"""
from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable
from pathlib import Path

HERE = Path(__file__).resolve().parent
SUITES = ("en", "zh")

#: category -> expected ``toxic`` label.
CATEGORIES: dict[str, int] = {
    # abuse
    "insult": 1,
    "putdown": 1,
    "appearance": 1,
    "threat_implicit": 1,
    "doxxing": 1,
    "self_harm_incitement": 1,
    "pileon_call": 1,
    "identity_hate": 1,
    # benign
    "one_word": 0,
    "other_language": 0,
    "counter_speech": 0,
    "quote": 0,
    "negation": 0,
    "reclaimed": 0,
    "profanity_nonhateful": 0,
    "praise_idiom": 0,
}

#: categories only present in some suites (other languages live in en.jsonl).
SUITE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "en": tuple(CATEGORIES),
    "zh": tuple(c for c in CATEGORIES if c != "other_language"),
}


def read_rows(path: Path, field: str, allowed) -> list[dict]:
    """The JSON rows of a .jsonl file, each row's ``field`` checked against ``allowed``.

    Shared by every hand-written case file (this suite, the dev probe, the written
    training sentences), so all of them reject a typo with its file and line."""
    rows: list[dict] = []
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            if row.get(field) not in allowed:
                raise ValueError(f"{path.name}:{n}: unknown {field} {row.get(field)!r}")
            rows.append(row)
    return rows


def load_suite(suites: tuple[str, ...] | list[str] = SUITES, folder: Path | None = None) -> list[dict]:
    """All cases as dicts with keys text, toxic, category, lang and suite ("en"/"zh").

    ``folder`` holds ``<suite>.jsonl`` files in this format (default: the test suite's)."""
    rows: list[dict] = []
    for suite in suites:
        for row in read_rows((folder or HERE) / f"{suite}.jsonl", "category", CATEGORIES):
            row["suite"] = suite
            rows.append(row)
    return rows


def text_key(text: str) -> str:
    """What makes two texts "the same" here: NFKC, case-folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def unseen(rows: list[dict], seen_texts: Iterable[str]) -> list[dict]:
    """The cases whose text is not among ``seen_texts`` (the training and dev mix).

    Short cases ("lol", "kys", "笑死我了") also occur in the training lists and
    corpora; a model has seen those, so they are not a test of generalisation and
    are left out of every reported figure."""
    seen = {text_key(t) for t in seen_texts}
    return [r for r in rows if text_key(r["text"]) not in seen]


def accuracy_by_category(rows: list[dict], predicted: list[int]) -> dict[tuple[str, str], float]:
    """Accuracy per (suite, category) given 0/1 predictions aligned with ``rows``."""
    hits: dict[tuple[str, str], list[int]] = {}
    for row, pred in zip(rows, predicted, strict=True):
        key = (row["suite"], row["category"])
        hits.setdefault(key, []).append(int(int(pred) == row["toxic"]))
    return {k: sum(v) / len(v) for k, v in sorted(hits.items())}

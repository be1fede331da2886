"""Hand-written training sentences, one sentence frame each (Kindshield 2.4).

The templates in ``training/targeted.py`` cross a few frames with many fillers,
and a model trained on them learns the frames: 2.3 rose on the dev templates
for Chinese negation (0.96 -> 0.99) while it fell on the functional test suite
(0.55 -> 0.36), whose frames differ. These files hold sentences written one at
a time, each with its own structure, for the categories where that gap showed.

``en.jsonl`` / ``zh.jsonl`` rows are ``{"text", "case"}``; labels follow from the
case (``CASE_LABELS``). Each case's sentences are split in two disjoint halves,
the even lines for training and the odd ones for dev, as the templates are.
They were written without reading the functional test suite or the dev probe,
and must stay apart from both (tests check that no text is shared).
"""
from __future__ import annotations

import random
from pathlib import Path

from training.functional_suite import read_rows

HERE = Path(__file__).resolve().parent
LANGS = ("en", "zh")

_QUIET = dict(toxic=0, insult=0, threat=0, targeted_person=0)  # obscene, identity unknown
_NONE = dict(_QUIET, identity_attack=0, obscene=0)
_ABUSE = dict(toxic=1, targeted_person=1, identity_attack=0, obscene=0)

#: the labels a case's sentences carry (heads left out are masked in training).
CASE_LABELS: dict[str, dict[str, int]] = {
    "negation": _QUIET,
    "counter_speech": _QUIET,
    "quote": _QUIET,
    "praise_idiom": dict(_QUIET, identity_attack=0),
    "friendly": _NONE,
    "friendly_meeting": _NONE,
    "threat_implicit": dict(_ABUSE, threat=1),
    "self_harm_incitement": dict(_ABUSE, threat=1),
    "pile_on": dict(_ABUSE),
    "putdown": dict(_ABUSE, insult=1),
}


def load_written(langs: tuple[str, ...] = LANGS) -> list[dict]:
    """Every row as a dict with keys text, case and lang, in file order."""
    return [{"text": row["text"], "case": row["case"], "lang": lang}
            for lang in langs for row in read_rows(HERE / f"{lang}.jsonl", "case", CASE_LABELS)]


def written_examples(split: str, rng: random.Random) -> list[tuple[str, dict[str, int], str, str]]:
    """(text, labels, lang, case) rows of one half: "train" takes each case's
    even-numbered sentences, "dev" the odd ones."""
    by_case: dict[tuple[str, str], list[str]] = {}
    for row in load_written():
        by_case.setdefault((row["lang"], row["case"]), []).append(row["text"])
    out = []
    for (lang, case), texts in sorted(by_case.items()):
        half = texts[0::2] if split == "train" else texts[1::2]
        out += [(t, dict(CASE_LABELS[case]), lang, f"{lang}_{case}") for t in half]
    rng.shuffle(out)
    return out

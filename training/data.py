"""The training mix: what train, dev and test hold, shared by train, export, evaluate and compare.

Kept apart from train.py so that export and evaluation need not import the
training loop (and train.py need not import them back).
"""
from __future__ import annotations

import random

from .augment import functional_examples
from .compose import composed_examples
from .sources import Example, load_all
from .targeted import targeted_examples
from .written import written_examples

MAX_TOKENS = 128  # the shipped window; inference covers long texts with windows
# Training truncates harder: on a 2-core CPU a step costs about linearly in
# length, and a comment's first 64 pieces carry nearly all of its label.
TRAIN_TOKENS = 64


def prepare_examples(args) -> tuple[list[Example], list[Example]]:
    examples = load_all(args.data, limit=args.limit * 4 if args.limit else 0)
    rng = random.Random(args.seed)
    if args.limit:
        by_source: dict[str, list[Example]] = {}
        for ex in examples:
            by_source.setdefault((ex.source, ex.split), []).append(ex)
        examples = [e for group in by_source.values() for e in group[: args.limit]]
    train = [e for e in examples if e.split == "train"]
    dev = [e for e in examples if e.split == "dev"]
    # Davidson's "offensive" class is mostly casual profanity; capping it keeps
    # the model from learning "swearing == abuse".
    offensive = [e for e in train if e.source == "davidson" and e.labels["toxic"] and not e.labels["identity_attack"]]
    rng.shuffle(offensive)
    drop = {id(e) for e in offensive[args.davidson_offensive:]}
    train = [e for e in train if id(e) not in drop]
    # OLID's untargeted offensive rows are swearing at no one; Kindshield's "toxic"
    # is abuse aimed at someone, so their toxic label is left unknown in training
    # (obscene stays). Dev and test keep OLID's own labels.
    for e in train:
        if e.source == "olid" and e.labels.get("obscene"):
            e.labels = {k: v for k, v in e.labels.items() if k != "toxic"}
    for split, target in (("train", train), ("dev", dev)):
        for generate in (functional_examples, targeted_examples, composed_examples, written_examples):
            written = generate is written_examples
            for text, labels, lang, case in generate(split, random.Random(args.seed)):
                meta = {"case": case, "written": True} if written else {"case": case}
                target.append(Example(text, labels, "functional", lang, split, meta=meta))
    return train, dev


def test_split(data, limit: int = 0) -> list[Example]:
    """The test splits of every source: reported on, never tuned on."""
    return [e for e in load_all(data, limit=limit) if e.split == "test"]

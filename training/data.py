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

# Model 3's sets (training/sources3.py) stay a part of the mix, not most of it:
# at most this many training rows per source and class (toxic 1 / 0 / unknown).
NEW_SOURCE_CAP = {"latent_hatred": 5000, "ghc": 3000, "weibo_roles": 3000, "unhealthy": 3000,
                  "edos": 2500, "corgi_rewrites": 1500, "conan": 4000}
# Sub-labels that make a text toxic when a source says they apply (the heads agree:
# a threat or an insult is abuse). obscene is not among them: swearing at no one is not.
TOXIC_SUBLABELS = ("insult", "threat", "identity_attack")


def cap_new_sources(train: list[Example], rng: random.Random) -> list[Example]:
    groups: dict[tuple, list[Example]] = {}
    for e in train:
        if e.source in NEW_SOURCE_CAP:
            groups.setdefault((e.source, e.labels.get("toxic")), []).append(e)
    drop = set()
    for (source, _), items in groups.items():
        rng.shuffle(items)
        drop.update(id(e) for e in items[NEW_SOURCE_CAP[source]:])
    return [e for e in train if id(e) not in drop]


def heads_agree(examples: list[Example]) -> None:
    """A training text whose insult, threat or identity_attack label is 1 is toxic too
    (2.5 scored 'I will follow you home tonight.' threat 0.88 but toxic 0.30)."""
    for e in examples:
        if any(e.labels.get(k) == 1 for k in TOXIC_SUBLABELS):
            e.labels["toxic"] = 1


def relabel_olid_with_abuseeval(train: list[Example], data) -> int:
    """OLID train's toxic becomes AbuseEval's abuse label (explicit or implicit abuse),
    which separates abuse from mere profanity; dev and test keep OLID's own labels."""
    from pathlib import Path

    from .sources3 import abuseeval_labels

    path = Path(data)
    if not (path / "abuseval_olid_train").is_dir():
        return 0
    abuse = abuseeval_labels(path)
    n = 0
    for e in train:
        if e.source == "olid" and e.meta.get("id") in abuse:
            e.labels["toxic"] = abuse[e.meta["id"]]
            n += 1
    return n


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
    if getattr(args, "model3_mix", False):
        relabel_olid_with_abuseeval(train, args.data)
        train = cap_new_sources(train, random.Random(args.seed))
    else:   # the mix of 2.x: the sets of model 3 only for evaluation (test splits)
        train = [e for e in train if e.source not in NEW_SOURCE_CAP]
        dev = [e for e in dev if e.source not in NEW_SOURCE_CAP]
    for split, target in (("train", train), ("dev", dev)):
        for generate in (functional_examples, targeted_examples, composed_examples, written_examples):
            written = generate is written_examples
            for text, labels, lang, case in generate(split, random.Random(args.seed)):
                meta = {"case": case, "written": True} if written else {"case": case}
                target.append(Example(text, labels, "functional", lang, split, meta=meta))
        if getattr(args, "model3_mix", False):
            from .stance import stance_examples

            for text, labels, lang, case in stance_examples(split, random.Random(args.seed), args.data,
                                                            examples=examples):
                target.append(Example(text, labels, "stance", lang, split, meta={"case": case}))
    if getattr(args, "model3_mix", False):
        heads_agree(train)
    return train, dev


def test_split(data, limit: int = 0) -> list[Example]:
    """The test splits of every source: reported on, never tuned on."""
    return [e for e in load_all(data, limit=limit) if e.split == "test"]

"""One loader per dataset in ../shared/data, mapped onto Kindshield's heads.

A dataset supplies only some heads; the others stay ``None`` (unknown) and are
masked out of the loss — never treated as 0. See ../shared/data/README.md.
"""
from __future__ import annotations

import csv
import html
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from kindshield_server.model.normalize import normalize

LABELS = ("toxic", "insult", "threat", "identity_attack", "obscene", "targeted_person")
DEV_FRACTION = 0.1
SEED = 0


@dataclass
class Example:
    text: str
    labels: dict[str, int]  # only the heads this source knows
    source: str
    lang: str
    split: str = "train"
    meta: dict = field(default_factory=dict)


def _clean_tweet(text: str) -> str:
    text = html.unescape(text)
    text = re.sub(r"^RT\s+", "", text)
    text = re.sub(r"@[A-Za-z0-9_]+", "@USER", text)
    text = re.sub(r"https?://\S+", "URL", text)
    return text.strip()


def load_davidson(root: Path) -> list[Example]:
    out = []
    with open(root / "davidson_hate_offensive" / "labeled_data.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            cls = int(row["class"])
            out.append(Example(_clean_tweet(row["tweet"]),
                               {"toxic": int(cls in (0, 1)), "identity_attack": int(cls == 0)},
                               "davidson", "en"))
    return out


def load_olid(root: Path) -> list[Example]:
    out = []
    with open(root / "olid" / "olid-training-v1.0.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            off = row["subtask_a"] == "OFF"
            b, c = row["subtask_b"], row["subtask_c"]
            labels = {"toxic": int(off), "obscene": int(off and b == "UNT"),
                      "targeted_person": int(off and c == "IND"),
                      "identity_attack": int(off and c == "GRP")}
            out.append(Example(_clean_tweet(row["tweet"]), labels, "olid", "en"))
    return out


def load_mlma(root: Path) -> list[Example]:
    out = []
    with open(root / "mlma_hate_speech_en" / "en_dataset_with_stop_words.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            kinds = set(row["sentiment"].split("_"))
            toxic = int(kinds != {"normal"})
            labels = {"toxic": toxic, "identity_attack": int("hateful" in kinds)}
            if toxic:
                labels["targeted_person"] = int(row["group"] == "individual")
            text = row["tweet"].encode("utf-8").decode("unicode_escape", errors="ignore") \
                if "\\u" in row["tweet"] else row["tweet"]
            try:
                text = text.encode("latin-1").decode("utf-8")
            except (UnicodeEncodeError, UnicodeDecodeError):
                pass
            # Escaped emoji arrive as surrogate pairs: join them, drop lone halves.
            text = text.encode("utf-16", "surrogatepass").decode("utf-16", "ignore")
            out.append(Example(_clean_tweet(text), labels, "mlma", "en"))
    return out


_SPAN_TYPES = {"Insult": "insult", "Threat": "threat", "Identity based Attack": "identity_attack",
               "Profane/Obscene": "obscene"}


def load_toxic_spans(root: Path) -> list[Example]:
    base = root / "toxic_spans"
    texts = {}
    with open(base / "comments.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            texts[row["comment_id"]] = row["comment_text"]
    annotators: dict[str, list[str]] = defaultdict(list)
    not_toxic: Counter = Counter()
    ann_comment = {}
    with open(base / "annotations.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            annotators[row["comment_id"]].append(row["annotation"])
            ann_comment[row["annotation"]] = row["comment_id"]
            if row["not toxic"] == "True":
                not_toxic[row["comment_id"]] += 1
    typed: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    char_spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    with open(base / "spans.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            cid = ann_comment.get(row["annotation"])
            if cid is None:
                continue
            head = _SPAN_TYPES.get(row["type"])
            if head:
                typed[cid][head].add(row["annotation"])
            try:
                char_spans[cid].append((int(row["start"]), int(row["end"])))
            except ValueError:
                pass
    out = []
    for cid, text in texts.items():
        n = len(annotators.get(cid, ())) or 1
        toxic = int(not_toxic[cid] * 2 <= n)
        labels = {"toxic": toxic}
        for head in _SPAN_TYPES.values():
            labels[head] = int(toxic and len(typed[cid][head]) * 2 > n)
        out.append(Example(text, labels, "toxic_spans", "en", meta={"spans": char_spans.get(cid, [])}))
    return out


def load_cold(root: Path) -> list[Example]:
    out = []
    for name, split in (("train.csv", "train"), ("dev.csv", "dev")):
        with open(root / "cold" / name, encoding="utf-8-sig") as f:
            for row in csv.DictReader(f):
                lab = int(row["label"])
                # COLD's offensive class is offence on race/region/gender topics.
                out.append(Example(row["TEXT"], {"toxic": lab, "identity_attack": lab}, "cold", "zh",
                                   split=split, meta={"topic": row["topic"]}))
    return out


def load_swsr(root: Path) -> list[Example]:
    out = []
    with open(root / "swsr" / "SexComment.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            lab = int(row["label"])
            # A non-sexist comment may still insult: SWSR's 0 says nothing about toxicity.
            labels = {"identity_attack": lab}
            if lab:
                labels["toxic"] = 1
                if row["target"] in ("I", "G"):
                    labels["targeted_person"] = int(row["target"] == "I")
            out.append(Example(row["comment_text"], labels, "swsr", "zh"))
    return out


def load_swsr_lexicon(root: Path) -> list[str]:
    path = root / "swsr" / "SexHateLex.txt"
    return [w.strip() for w in path.read_text(encoding="utf-8").splitlines() if w.strip()]


LOADERS = {
    "davidson": load_davidson, "olid": load_olid, "mlma": load_mlma,
    "toxic_spans": load_toxic_spans, "cold": load_cold, "swsr": load_swsr,
}


def load_all(root: str | Path, sources=None, limit: int = 0) -> list[Example]:
    """Load, deduplicate on normalised text, and assign fixed-seed dev splits.

    ``limit`` keeps only the first N rows of each source (smoke tests)."""
    root = Path(root)
    examples: list[Example] = []
    for name, loader in LOADERS.items():
        if sources and name not in sources:
            continue
        items = loader(root)
        if limit:
            items = [e for e in items if e.split == "dev"][:limit] + [e for e in items if e.split != "dev"][:limit]
        seen: set[str] = set()
        unique = []
        # Dev rows first so that a duplicate of a COLD dev row never stays in train.
        for ex in sorted(items, key=lambda e: e.split != "dev"):
            key = normalize(ex.text)
            if not key or key in seen:
                continue
            seen.add(key)
            ex.meta["normalized"] = key
            unique.append(ex)
        if name != "cold":
            rng = random.Random(f"{SEED}:{name}")
            for ex in unique:
                ex.split = "dev" if rng.random() < DEV_FRACTION else "train"
        examples.extend(unique)
    return examples

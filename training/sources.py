"""One loader per dataset in ../shared/data, mapped onto Kindshield's heads.

A dataset supplies only some heads; the others stay ``None`` (unknown) and are
masked out of the loss — never treated as 0. See ../shared/data/README.md.
"""
from __future__ import annotations

import csv
import html
import random
import re
import warnings
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from kindshield_server.model.normalize import normalize

LABELS = ("toxic", "insult", "threat", "identity_attack", "obscene", "targeted_person")
DEV_FRACTION = 0.1
TEST_FRACTION = 0.1
SEED = 0
# Sources first used by 2.0: 1.x never saw any of their text.
NEW_IN_2 = ("hatemoji", "diasafety", "toxigen", "stormfront", "reddit_cs", "chnci")


@dataclass
class Example:
    text: str
    labels: dict[str, int]  # only the heads this source knows
    source: str
    lang: str
    split: str = "train"
    meta: dict = field(default_factory=dict)


def _unescape(text: str) -> str:
    """MLMA stores emoji as literal \\uXXXX escapes. Its tweets also hold stray
    backslashes ("\\w"), which the codec passes through with a DeprecationWarning each."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return text.encode("utf-8").decode("unicode_escape", errors="ignore")


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
            out.append(Example(_clean_tweet(row["tweet"]), labels, "olid", "en", meta={"id": row["id"]}))
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
            text = _unescape(row["tweet"]) if "\\u" in row["tweet"] else row["tweet"]
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
    # COLD's dev file stays dev; a test split is carved out of its train file in load_all.
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


def load_hatemoji(root: Path) -> list[Example]:
    out = []
    for name, split in (("train.csv", "train"), ("validation.csv", "dev"), ("test.csv", "test")):
        with open(root / "hatemoji_build" / name, encoding="utf-8") as f:
            for row in csv.DictReader(f):
                lab = int(row["label_gold"])
                labels = {"toxic": lab, "identity_attack": lab, "threat": int(row["type"] == "threateninglanguage")}
                out.append(Example(row["text"], labels, "hatemoji", "en", split=split))
    return out


def load_diasafety(root: Path) -> list[Example]:
    out = []
    for name, split in (("train.json", "train"), ("val.json", "dev"), ("test.json", "test")):
        import json

        for item in json.loads((root / "diasafety" / name).read_text(encoding="utf-8")):
            unsafe = item["label"] == "Unsafe"
            cat = item["category"]
            if cat == "Offending User":
                labels = {"insult": int(unsafe), "targeted_person": int(unsafe)}
                if unsafe:
                    labels["toxic"] = 1
            elif cat == "Biased Opinion":
                labels = {"identity_attack": int(unsafe)}
            elif cat in ("Risk Ignorance", "Unauthorized Expertise"):
                labels = {"toxic": 0, "insult": 0, "threat": 0, "identity_attack": 0}
            else:  # Toxicity Agreement: the reply alone ("yeah, totally") says nothing
                continue
            out.append(Example(item["response"], labels, "diasafety", "en", split=split))
    return out


def load_toxigen(root: Path) -> list[Example]:
    out = []
    for path in sorted((root / "toxigen_demonstrations" / "demonstrations").rglob("*.txt")):
        lab = int(path.name.startswith("hate_"))
        for line in path.read_text(encoding="utf-8").splitlines():
            text = line.strip().lstrip("-").strip()
            if text:
                out.append(Example(text, {"toxic": lab, "identity_attack": lab}, "toxigen", "en"))
    return out


def load_stormfront(root: Path) -> list[Example]:
    out = []
    with open(root / "stormfront_whitesupremacy" / "stormfront_sentences.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["label"] not in ("hate", "noHate") or len(row["text"].split()) <= 2:
                continue
            lab = int(row["label"] == "hate")
            out.append(Example(row["text"].strip(), {"toxic": lab, "identity_attack": lab}, "stormfront", "en"))
    return out


def load_reddit_counterspeech(root: Path) -> list[Example]:
    out = []
    with open(root / "reddit_counterspeech" / "counterspeech_dataset.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            reply = (row.get("reply") or "").strip()
            if len(reply.split()) > 2:
                attack = row["reply_attack"] == "1"
                labels = {"insult": int(attack), "targeted_person": int(attack)}
                if attack:
                    labels["toxic"] = 1
                if row["reply_counterspeech"] == "1":
                    labels["identity_attack"] = 0
                out.append(Example(reply, labels, "reddit_cs", "en"))
            newcomer = (row.get("newcomer") or "").strip()
            if row["newcomer_counterspeech"] == "1" and len(newcomer.split()) > 2:
                out.append(Example(newcomer, {"identity_attack": 0}, "reddit_cs", "en"))
    return out


CHNCI_CAP = {1: 15000, 0: 25000}


def load_chnci(root: Path) -> list[Example]:
    """CHNCI, rows where all three pseudo-labels agree, texts over 3 characters.

    Its "cyberbullying" is broad (criticism, sarcasm), so positives are weak
    ``toxic`` only (down-weighted in training) and capped; agreed negatives are
    in-domain short-video comments, which we have nowhere else."""
    rows: dict[int, list[Example]] = {0: [], 1: []}
    for path in sorted((root / "chnci" / "dataset").rglob("*.csv")):
        with open(path, encoding="gb18030", errors="replace") as f:
            for row in csv.DictReader(f):
                try:
                    labs = {int(float(row[k])) for k in ("label1", "label2", "label3")}
                except (TypeError, ValueError):
                    continue
                text = (row.get("content") or "").strip()
                if len(labs) != 1 or len(text) <= 3:
                    continue
                lab = labs.pop()
                rows[lab].append(Example(text, {"toxic": lab}, "chnci", "zh",
                                         meta={"incident": path.stem, "weak": True}))
    rng = random.Random(f"{SEED}:chnci")
    out = []
    for lab, items in rows.items():
        rng.shuffle(items)
        out.extend(items[:CHNCI_CAP[lab]])
    return out


LOADERS = {
    "davidson": load_davidson, "olid": load_olid, "mlma": load_mlma,
    "toxic_spans": load_toxic_spans, "cold": load_cold, "swsr": load_swsr,
    "hatemoji": load_hatemoji, "diasafety": load_diasafety, "toxigen": load_toxigen,
    "stormfront": load_stormfront, "reddit_cs": load_reddit_counterspeech, "chnci": load_chnci,
}


def load_all(root: str | Path, sources=None, limit: int = 0) -> list[Example]:
    """Load, deduplicate on normalised text, and assign fixed-seed train/dev/test splits.

    Sources that ship splits keep them (COLD: dev.csv is dev, test is carved out
    of train.csv); the others are split 80/10/10 with a seed per source. A text
    seen in test or dev never also stays in train (duplicates are dropped,
    test first, then dev). ``limit`` keeps only the first N rows of each source
    (smoke tests)."""
    root = Path(root)
    examples: list[Example] = []
    for name, loader in LOADERS.items():
        if sources and name not in sources:
            continue
        items = loader(root)
        if limit:
            items = items[: limit * 3] if {e.split for e in items} == {"train"} else \
                [e for sp in ("train", "dev", "test") for e in items if e.split == sp][:0] + \
                [e for sp in ("train", "dev", "test") for e in [x for x in items if x.split == sp][:limit]]
        shipped = {e.split for e in items}
        rng = random.Random(f"{SEED}:{name}")
        if shipped == {"train"}:
            for ex in items:
                r = rng.random()
                ex.split = "test" if r < TEST_FRACTION else "dev" if r < TEST_FRACTION + DEV_FRACTION else "train"
        elif "test" not in shipped:  # COLD: carve test out of train
            for ex in items:
                if ex.split == "train" and rng.random() < TEST_FRACTION:
                    ex.split = "test"
        seen: set[str] = set()
        unique = []
        # Test rows first, then dev, so that a duplicate never stays in train.
        rank = {"test": 0, "dev": 1, "train": 2}
        for ex in sorted(items, key=lambda e: rank[e.split]):
            key = normalize(ex.text)
            if not key or key in seen:
                continue
            seen.add(key)
            ex.meta["normalized"] = key
            unique.append(ex)
        examples.extend(unique)
    return examples


# Sets first used by model 3 (issue 35); their loaders live in sources3.py, which
# imports Example from here, hence the import at the end.
from .sources3 import LOADERS_3  # noqa: E402

LOADERS.update(LOADERS_3)

"""Loaders for the sets first used by model 3 (issue 35), mapped onto Kindshield's heads.

Each follows its folder's README in ../shared/data (mapping table and "Rows to
drop": rows whose text is also in held-out evaluation data are skipped here).
Unknown heads stay out of the labels dict (masked in training), never 0.

What each brings:
- ``conan`` (Multitarget-CONAN): expert counter-narratives that restate the hate
  they answer (toxic 0), beside the hate itself (toxic 1, identity_attack 1).
- ``weibo_roles``: Chinese counter-speech at last: defenders, mediators and
  bystanders (toxic 0) beside bullies and instigators (weak toxic 1).
- ``unhealthy``: news comments; hostile/antagonising (toxic 1) and healthy
  disagreement (toxic 0); condescending/dismissive/sarcastic-only rows are left out.
- ``edos``: sexism with its vectors (threats, derogation, slurs); "not sexist"
  says nothing about other abuse, so only identity_attack is 0 there.
- ``latent_hatred``: implicit hate (no slur, no swear word) and its threats.
- ``ghc`` (Gab Hate Corpus): dignity attacks and calls for violence (toxic 1);
  vulgarity alone is swearing, not abuse: obscene 1 with toxic unknown.
- ``corgi_rewrites`` (CORGI-PM): the debiased rewrites only, as clean Chinese
  negatives; the biased originals are stereotypes, not abuse (README).
AbuseEval is not a source of its own: it relabels OLID train (``abuseeval_labels``).
"""
from __future__ import annotations

import csv
import hashlib
from pathlib import Path

from .sources import Example, _clean_tweet

csv.field_size_limit(1 << 24)


def _split_of(key: str, salt: str) -> str:
    """A fixed split from a text (so rows that belong together share it): 10% test, 10% dev."""
    r = int(hashlib.sha256(f"{salt}:{key}".encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "test" if r < 0.1 else "dev" if r < 0.2 else "train"


def load_conan(root: Path) -> list[Example]:
    out, seen = [], set()
    with open(root / "multitarget_conan" / "Multitarget-CONAN.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            hate, counter = row["HATE_SPEECH"].strip(), row["COUNTER_NARRATIVE"].strip()
            split = _split_of(hate, "conan")   # a counter-narrative goes where the hate it answers goes
            meta = {"target": row["TARGET"]}
            if hate and hate not in seen:
                seen.add(hate)
                out.append(Example(hate, {"toxic": 1, "identity_attack": 1, "targeted_person": 0}, "conan", "en",
                                   split, dict(meta)))
            if counter and counter not in seen:
                seen.add(counter)
                out.append(Example(counter, {"toxic": 0, "identity_attack": 0, "insult": 0, "threat": 0,
                                             "targeted_person": 0}, "conan", "en", split,
                                   dict(meta, counter_speech=True)))
    return out


WEIBO_DROP = {98, 112, 137, 373, 439, 497, 500, 530, 3648, 5105, 6886, 7090, 7091, 10443, 11035, 11049, 11283}
WEIBO_BULLY = {"施暴者", "煽动者"}
WEIBO_NOT_BULLY = {"调和者", "旁观者", "辩护者", "非事件参与者"}


def load_weibo_roles(root: Path) -> list[Example]:
    """Roles, not abuse labels: bully-side toxic is weak (down-weighted like CHNCI);
    accusers and monitors (often harsh words against the bullying) are left out."""
    out = []
    path = root / "zh_weibo_cyberbullying_roles" / "Cyberbullying roles data_original.CSV"
    with open(path, encoding="gb18030", errors="replace") as f:
        for i, row in enumerate(csv.reader(f)):
            if i == 0 or len(row) < 3 or (i - 1) in WEIBO_DROP:
                continue
            text, role = row[1].strip(), row[2].strip()
            if len(text) <= 3:
                continue
            if role in WEIBO_BULLY:
                labels = {"toxic": 1, "targeted_person": 1}
            elif role in WEIBO_NOT_BULLY:
                labels = {"toxic": 0, "insult": 0, "threat": 0, "targeted_person": 0}
            else:
                continue
            out.append(Example(text, labels, "weibo_roles", "zh", meta={"role": role, "weak": True}))
    return out


UNHEALTHY_DROP = {"1739443299", "1739443829", "1739451709", "2327176729"}


def load_unhealthy(root: Path) -> list[Example]:
    out = []
    for name in ("val.csv", "test.csv"):
        with open(root / "unhealthy_conversations" / name, encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if row["_unit_id"] in UNHEALTHY_DROP:
                    continue
                text = row["comment"].strip()
                on = {k for k in ("hostile", "antagonize", "healthy", "condescending", "dismissive", "sarcastic",
                                  "generalisation_unfair") if float(row.get(k) or 0) >= 0.5}
                if on & {"hostile", "antagonize"}:
                    labels = {"toxic": 1}
                elif "healthy" in on and not on & {"condescending", "dismissive", "sarcastic", "generalisation_unfair"}:
                    labels = {"toxic": 0, "insult": 0, "threat": 0, "identity_attack": 0}
                else:
                    continue
                if text:
                    out.append(Example(text, labels, "unhealthy", "en"))
    return out


EDOS_DROP = {"sexism2022_english-12626"}


def load_edos(root: Path) -> list[Example]:
    out = []
    with open(root / "edos_sexism" / "edos_labelled_aggregated.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["rewire_id"] in EDOS_DROP:
                continue
            text = row["text"].replace("[USER]", "@USER").replace("[URL]", "URL").strip()
            if row["label_sexist"] == "sexist":
                vector = row["label_vector"].split(" ")[0]
                labels = {"toxic": 1, "identity_attack": 1}
                if vector in ("2.1", "2.2", "2.3", "3.1"):
                    labels["insult"] = 1
                if vector == "1.1":
                    labels["threat"] = 1
            else:
                labels = {"identity_attack": 0}
            split = {"train": "train", "dev": "dev", "test": "test"}[row["split"]]
            out.append(Example(text, labels, "edos", "en", split, {"vector": row["label_vector"]}))
    return out


LATENT_DROP = {14181}


def load_latent_hatred(root: Path) -> list[Example]:
    folder = root / "implicit_hate_latent_hatred"
    threatening = set()
    with open(folder / "implicit_hate_v1_stg2_posts.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if "threatening" in (row.get("implicit_class"), row.get("extra_implicit_class")):
                threatening.add(row["post"].strip())
    out = []
    with open(folder / "implicit_hate_v1_stg1_posts.tsv", encoding="utf-8") as f:
        for i, row in enumerate(csv.DictReader(f, delimiter="\t")):
            if i in LATENT_DROP:
                continue
            post = row["post"].strip()
            hate = row["class"] in ("implicit_hate", "explicit_hate")
            labels = {"toxic": int(hate), "identity_attack": int(hate)}
            if post in threatening:
                labels["threat"] = 1
            text = _clean_tweet(post.strip('" '))
            if text:
                out.append(Example(text, labels, "latent_hatred", "en", meta={"class": row["class"]}))
    return out


GHC_DROP = {"ghc_train.tsv": {183, 1988, 2507, 2823, 5040, 8206, 8372, 10159, 10399, 11619, 12716, 13150, 13713,
                              13820, 13830, 14058, 14247, 16374, 16693, 16968, 17198, 17871, 19742, 21407, 21572},
            "ghc_test.tsv": {483, 1359, 1378, 2793, 4733, 4780, 5208}}


def load_ghc(root: Path) -> list[Example]:
    out = []
    for name, split in (("ghc_train.tsv", None), ("ghc_test.tsv", "test")):
        with open(root / "gab_hate_corpus" / name, encoding="utf-8") as f:
            for i, row in enumerate(csv.DictReader(f, delimiter="\t")):
                if i in GHC_DROP[name]:
                    continue
                hd, cv, vo = (row[k].strip() == "1" for k in ("hd", "cv", "vo"))
                if hd or cv:
                    labels = {"toxic": 1, "identity_attack": 1, "threat": int(cv)}
                elif vo:
                    labels = {"obscene": 1, "identity_attack": 0}   # vulgar, not hateful: toxic unknown
                else:
                    labels = {"toxic": 0, "identity_attack": 0, "obscene": 0}
                text = row["text"].strip()
                if text:
                    out.append(Example(text, labels, "ghc", "en",
                                       split or ("dev" if _split_of(text, "ghc") != "train" else "train")))
    return out


def load_corgi_rewrites(root: Path) -> list[Example]:
    import numpy as np

    data = np.load(root / "zh_corgi_pm_gender_bias" / "CORGI-PC_splitted_biased_corpus_v1.npy",
                   allow_pickle=True).item()
    out = []
    none = {"toxic": 0, "insult": 0, "threat": 0, "identity_attack": 0, "obscene": 0, "targeted_person": 0}
    for part, split in (("train", "train"), ("valid", "dev"), ("test", "test")):
        for text in data[part].get("edit_sentence", []):
            text = str(text).strip()
            if len(text) > 3:
                out.append(Example(text, dict(none), "corgi_rewrites", "zh", split))
    return out


def abuseeval_labels(root: Path) -> dict[str, int]:
    """OLID tweet id -> 1 (explicit or implicit abuse) / 0 (not abuse, profanity included)."""
    out = {}
    with open(root / "abuseval_olid_train" / "abuseval_offenseval_train.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            out[row["id"].strip()] = int(row["abuse"].strip() in ("EXP", "IMP"))
    return out


LOADERS_3 = {
    "conan": load_conan, "weibo_roles": load_weibo_roles, "unhealthy": load_unhealthy, "edos": load_edos,
    "latent_hatred": load_latent_hatred, "ghc": load_ghc, "corgi_rewrites": load_corgi_rewrites,
}

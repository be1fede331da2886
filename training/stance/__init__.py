"""Stance contrast sets, benign twins and Chinese banter (Kindshield 3, issue 35).

Model 2.5 reacts to words, not to what the writer does with them. This module
builds three kinds of rows, each (text, labels, lang, case):

1. **Stance contrast sets** from real abuse. Abusive *cores* come from the
   **train** splits of the shared corpora only (Toxic Spans span texts, short
   toxic rows of Toxic Spans / Davidson hate / MLMA / Stormfront / Hatemoji,
   COLD / SWSR / CHNCI positives, the Chinese lexicons). Every core is put into
   one hand-written harmless frame (retold by a victim, quoted to condemn,
   reported, negated, asked about, attributed with disapproval) and one
   abusive frame (aimed at the reader, endorsed, repeated): the same core on
   both sides, so only stance separates them. Cores are split into train/dev
   halves by a stable hash, frames by ``_half``: dev never shares a sentence
   with train.
2. **Benign twins** of the words the threat and doxxing templates in
   ``training/targeted.py`` rely on: hand-written sentences plus real benign
   rows mined by keyword from the sources (the split's own rows), capped per
   keyword.
3. **Chinese banter / self-mockery and polite disagreement**, hand-written.

Frames and sentences live in ``frames_en.py`` / ``frames_zh.py``; they were
written without reading the functional suites or the dev probe.
"""
from __future__ import annotations

import functools
import json
import random
import re
import zlib
from pathlib import Path

from training.augment import _half
from training.functional_suite import text_key

from . import frames_en, frames_zh

Row = tuple[str, dict[str, int], str, str]

HEADS = ("toxic", "insult", "threat", "identity_attack", "obscene", "targeted_person")
#: harmless stance: nothing aimed at anyone (identity_attack / obscene left unknown)
HARMLESS = dict(toxic=0, insult=0, threat=0, targeted_person=0)
#: hand-written clean sentences: every head known
CLEAN = dict(HARMLESS, identity_attack=0, obscene=0)

FRAMES = {"en": frames_en, "zh": frames_zh}

#: stance rows per language (each core gives one harmless and one abusive row)
CORES_PER_LANG = {"train": 900, "dev": 120}
#: mined benign rows per keyword and language
MINE_CAP = {"train": 100, "dev": 6}

#: the words the threat / doxxing templates rely on (regex for EN, substring for ZH)
EN_KEYWORDS = {
    "address": r"\baddress(es)?\b", "home": r"\bhome\b", "house": r"\bhouses?\b",
    "door": r"\bdoors?\b", "school": r"\bschools?\b", "real name": r"\breal names?\b",
    "location": r"\blocations?\b", "follow": r"\bfollow(ed|ing|s)?\b", "see you": r"\bsee you\b",
    "outside": r"\boutside\b", "car": r"\bcars?\b", "kids": r"\bkids\b", "walk home": r"\bwalk(ing)? home\b",
    "tonight": r"\btonight\b", "where you live": r"\bwhere you live\b", "phone number": r"\bphone numbers?\b",
    "number": r"\bnumbers?\b", "street": r"\bstreets?\b", "alone": r"\balone\b", "waiting": r"\bwaiting\b",
    "parked": r"\bparked\b", "family": r"\bfamily\b", "work": r"\bwork\b",
}
ZH_KEYWORDS = ["住址", "地址", "学校", "真实姓名", "跟着", "门口", "小区", "放学", "见", "等你", "住哪",
               "电话", "公司", "下班", "楼下", "家", "门牌号", "单位", "照片", "身份证", "手机号", "出门",
               "锁好门", "孩子"]

_EN_RX = {k: re.compile(v, re.I) for k, v in EN_KEYWORDS.items()}
_CACHE: dict[str, list] = {}
_POOLS: dict[tuple, dict] = {}


def _load(data) -> list:
    """``load_all(data)``, cached per data folder for the life of the process."""
    from training.sources import load_all
    key = str(Path(data).resolve())
    if key not in _CACHE:
        _CACHE[key] = load_all(data)
    return _CACHE[key]


def core_half(core: str) -> str:
    """The split a core belongs to: a stable hash of its text key."""
    return "train" if zlib.crc32(text_key(core).encode("utf-8")) % 2 == 0 else "dev"


def keyword_hits(text: str, lang: str) -> list[str]:
    if lang == "en":
        return [k for k, rx in _EN_RX.items() if rx.search(text)]
    return [k for k in ZH_KEYWORDS if k in text]


# ----------------------------------------------------------------- cores
_URL = re.compile(r"https?://\S+|www\.\S+")
_HANDLE = re.compile(r"@\w+|\bRT\b|&\w+;|#")
_STRIP = " \t\n.,;:!?-~*\"'“”‘’「」()[]。！？，、；：…～"
#: rows that retell abuse received are victims' words, not abuse to endorse
_RETOLD = re.compile(r"\b(called me|calls me|calling me|got called|been called|call me)\b", re.I)


def _clean(text: str) -> str:
    text = _HANDLE.sub(" ", _URL.sub(" ", text))
    text = re.sub(r"[\"“”]", "", text)
    return " ".join(text.split()).strip(_STRIP)


def _ok_en(core: str, max_chars: int) -> bool:
    return 3 <= len(core) <= max_chars and sum(ch.isalpha() for ch in core) >= 3


def _ok_zh(core: str, max_chars: int) -> bool:
    return 2 <= len(core) <= max_chars and any("\u4e00" <= ch <= "\u9fff" for ch in core)


def _merge(spans) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def _lexicon_zh(data: Path) -> list[tuple[str, str]]:
    """(core, kind) from the Chinese lexicons: insult words and put-down sentences."""
    base = data / "lexicons"
    out = []
    try:
        words = json.loads((base / "tea_silencer" / "insult.json").read_text(encoding="utf-8"))["侮辱"]
        out += [(w.strip(), "word") for w in words if 2 <= len(w.strip()) <= 6]
    except (OSError, KeyError, ValueError):
        pass
    try:
        words = json.loads((base / "bad_words_chinese" / "badWordsChinese.json").read_text(encoding="utf-8"))["words"]
        out += [(w.strip(), "word") for w in words if 2 <= len(w.strip()) <= 6]
    except (OSError, KeyError, ValueError):
        pass
    for name, key in (("mother_insult_sentences.json", "飞马"), ("sarcasm_sentences.json", "阴阳")):
        try:
            sents = json.loads((base / "tea_silencer" / name).read_text(encoding="utf-8"))[key]
            out += [(_clean(s), "person") for s in sents]
        except (OSError, KeyError, ValueError):
            pass
    return [(c, k) for c, k in out if _ok_zh(c, 40) and "共" not in c and "测试" not in c]


def collect_cores(data, examples=None) -> dict[str, dict[str, list[dict]]]:
    """Every candidate core, by language and pool: dicts with text, kind
    ("word": can be thrown at the reader, "person": a sentence at a person,
    "group": hate about a group), labels (heads the endorsed core carries),
    source, split (always "train": the row it came from) and half (train/dev).

    Cores whose text is also a dev/test row of any source are left out."""
    data = Path(data)
    from kindshield_server.model.normalize import normalize
    examples = _load(data) if examples is None else examples
    held = {e.meta.get("normalized") or normalize(e.text) for e in examples if e.split != "train"}
    pools: dict[str, dict[str, list[dict]]] = {"en": {}, "zh": {}}

    def add(lang, pool, text, kind, labels, source):
        text = _clean(text)
        ok = _ok_en(text, 80 if kind != "word" else 40) if lang == "en" else _ok_zh(text, 40)
        if not ok or _RETOLD.search(text) or normalize(text) in held:
            return
        pools[lang].setdefault(pool, []).append(dict(text=text, kind=kind, labels=labels, source=source,
                                                    split="train", half=core_half(text)))

    for e in examples:
        if e.split != "train":
            continue
        lab, src = e.labels, e.source
        ia = {"identity_attack": 1} if lab.get("identity_attack") == 1 else {}
        if src == "toxic_spans" and lab.get("toxic") == 1:
            for s, t in _merge(e.meta.get("spans") or []):
                span = e.text[s:t]
                if 1 <= len(span.split()) <= 4:
                    add("en", "span", span, "word", {}, "toxic_spans:span")
            if len(e.text) <= 80:
                keep = {h: lab[h] for h in ("insult", "threat", "identity_attack") if h in lab}
                add("en", "ts_row", e.text, "group" if ia else "person", keep, "toxic_spans")
        elif len(e.text) > 80:
            continue
        elif src in ("davidson", "stormfront", "hatemoji") and lab.get("identity_attack") == 1:
            keep = {h: lab[h] for h in ("threat",) if lab.get(h) == 1}
            add("en", "group", e.text, "group", dict(keep, identity_attack=1), src)
        elif src == "mlma" and lab.get("toxic") == 1:
            add("en", "group", e.text, "group", dict(ia), src)
        elif src in ("cold", "swsr") and lab.get("toxic") == 1 and len(e.text) <= 40:
            kind = "person" if lab.get("targeted_person") == 1 else "group"
            add("zh", src, e.text, kind, dict(ia), src)
        elif src == "chnci" and lab.get("toxic") == 1 and len(e.text) <= 40:
            add("zh", "chnci", e.text, "person", {}, src)
    for text, kind in _lexicon_zh(data):
        if normalize(text) not in held:
            pools["zh"].setdefault("lexicon", []).append(dict(
                text=text, kind=kind, labels={}, source="lexicon", split="train", half=core_half(text)))
    for lang in pools:  # one entry per text key, first source wins
        seen: set[str] = set()
        for pool, items in pools[lang].items():
            uniq = []
            for c in items:
                k = text_key(c["text"])
                if k not in seen:
                    seen.add(k)
                    uniq.append(c)
            pools[lang][pool] = uniq
    return pools


#: share of each language's cores per pool (groups weigh heavily: issue 35's
#: trial moved nothing on English counter-speech with person insults only)
POOL_SHARE = {"en": {"span": 0.35, "ts_row": 0.15, "group": 0.50},
              "zh": {"lexicon": 0.30, "cold": 0.35, "swsr": 0.25, "chnci": 0.10}}


def pick_cores(split: str, rng: random.Random, pools) -> dict[str, list[dict]]:
    out = {}
    for lang, shares in POOL_SHARE.items():
        chosen = []
        for pool, share in shares.items():
            items = [c for c in pools[lang].get(pool, []) if c["half"] == split]
            items.sort(key=lambda c: c["text"])
            rng.shuffle(items)
            chosen += items[: round(CORES_PER_LANG[split] * share)]
        out[lang] = chosen
    return out


def _fill(frame: str, core: str, lang: str) -> str:
    return frame.replace("{c}", core)


def stance_pairs(split: str, rng: random.Random, pools) -> list[tuple[dict, Row, Row]]:
    """(core, harmless row, abusive row): each core in one frame of each side."""
    pairs = []
    for lang, cores in pick_cores(split, rng, pools).items():
        fr = FRAMES[lang]
        harmless, aimed, endorse = _half(fr.HARMLESS, split), _half(fr.AIMED, split), _half(fr.ENDORSE, split)
        for c in cores:
            good = (_fill(rng.choice(harmless), c["text"], lang), dict(HARMLESS), lang, f"{lang}_stance_harmless")
            if c["kind"] == "word" and rng.random() < 0.6:
                labels = dict(toxic=1, insult=1, targeted_person=1)
                frame = rng.choice(aimed)
            else:
                labels = dict(c["labels"], toxic=1)
                frame = rng.choice(endorse)
            pairs.append((c, good, (_fill(frame, c["text"], lang), labels, lang, f"{lang}_stance_abusive")))
    return pairs


# ----------------------------------------------------------------- twins
def written_twins(split: str) -> list[Row]:
    return [(t, dict(CLEAN), lang, f"{lang}_twin_written")
            for lang in ("en", "zh") for t in _half(FRAMES[lang].TWINS, split)]


def mined_twins(split: str, rng: random.Random, examples) -> list[Row]:
    """Real benign rows (toxic 0) of the split's own source rows, by keyword, capped."""
    by_kw: dict[tuple[str, str], list[str]] = {}
    for e in examples:
        if e.split != split or e.labels.get("toxic") != 0 or len(e.text) > 200 or e.source == "functional":
            continue
        if any(e.labels.get(h) == 1 for h in HEADS):
            continue
        for k in keyword_hits(e.text, e.lang):
            by_kw.setdefault((e.lang, k), []).append(e.text)
    rows, used = [], set()
    for (lang, _k), texts in sorted(by_kw.items(), key=lambda kv: (len(kv[1]), kv[0])):
        texts = sorted(set(texts))
        rng.shuffle(texts)
        n = 0
        for t in texts:
            if n >= MINE_CAP[split]:
                break
            if t in used:
                continue
            used.add(t)
            n += 1
            rows.append((t, dict(toxic=0, insult=0, threat=0), lang, f"{lang}_twin_mined"))
    return rows


def banter_rows(split: str) -> list[Row]:
    return ([(t, dict(CLEAN), "zh", "zh_banter") for t in _half(frames_zh.BANTER, split)]
            + [(t, dict(CLEAN), "zh", "zh_polite_disagreement") for t in _half(frames_zh.POLITE, split)])


#: negation contrast pairs per language and split (each gives one harmless and one abusive row)
NEGATION_PAIRS = {"train": 500, "dev": 60}


def negation_rows(split: str, rng: random.Random) -> list[Row]:
    """The same insult (at a person) or claim (about a group), negated by the writer
    or asserted: English negated abuse fell in stage 2, and the functional templates'
    one "you are doing great" frame had become the shortcut. Frames are split in
    halves between train and dev; words are shared."""
    rows: list[Row] = []
    for lang in ("en", "zh"):
        fr = FRAMES[lang]
        ph, pa = _half(fr.NEG_PERSON_HARMLESS, split), _half(fr.NEG_PERSON_ABUSIVE, split)
        gh, ga = _half(fr.NEG_GROUP_HARMLESS, split), _half(fr.NEG_GROUP_ABUSIVE, split)
        words = [("n", w) for w in fr.NEG_NOUN] + [("a", w) for w in getattr(fr, "NEG_ADJ", [])]
        seen: set[str] = set()
        for i in range(NEGATION_PAIRS[split] * 3):
            if len(seen) >= 2 * NEGATION_PAIRS[split]:
                break
            if i % 2 == 0:
                slot, word = rng.choice(words)
                good = _fill_slots(rng.choice([f for f in ph if "{" + slot + "}" in f] or ph), slot, word)
                bad = _fill_slots(rng.choice([f for f in pa if "{" + slot + "}" in f] or pa), slot, word)
                good_l, bad_l = dict(HARMLESS), dict(toxic=1, insult=1, targeted_person=1)
            else:
                g, x = rng.choice(fr.NEG_GROUPS), rng.choice(fr.NEG_GROUP_ATTRS)
                good, bad = (_fill_group(rng.choice(ph_), g, x) for ph_ in (gh, ga))
                good_l = dict(toxic=0, insult=0, threat=0, identity_attack=0, targeted_person=0)
                bad_l = dict(toxic=1, identity_attack=1, targeted_person=0)
            if "{" in good or "{" in bad or good in seen or bad in seen:
                continue
            seen |= {good, bad}
            rows += [(good, good_l, lang, f"{lang}_negation_harmless"), (bad, bad_l, lang, f"{lang}_negation_abusive")]
    return rows


def _fill_slots(frame: str, slot: str, word: str) -> str:
    return frame.replace("{" + slot + "}", word)


def _fill_group(frame: str, group: str, attr: str) -> str:
    return frame.replace("{G}", group[:1].upper() + group[1:]).replace("{g}", group).replace("{x}", attr)


#: stage 5 (issue 35): written apart from the suites by hand, one list per kind of text
#: (``putdowns_{lang}.py``, ``veiled_{lang}.py``). Each list is split in halves by ``_half``.
_PERSON = dict(toxic=1, insult=1, targeted_person=1)
_GROUP = dict(toxic=1, identity_attack=1, targeted_person=0)
_NO_ONE = dict(HARMLESS, identity_attack=0)  # obscene left unknown (swearing at no one, counter-speech)
WRITTEN5 = {  # list name -> (case suffix, labels)
    "BANTER": ("banter", _NO_ONE),
    "SWEAR_BANTER": ("swear_banter", _NO_ONE),
    "IMPLICIT_ABUSIVE": ("implicit_abusive", _PERSON),
    "IMPLICIT_GROUP_ABUSIVE": ("implicit_group", _GROUP),
    "IMPLICIT_HARMLESS": ("implicit_harmless", CLEAN),
    "HOMOPHONE_ABUSIVE": ("homophone_abusive", dict(toxic=1, insult=1)),
    "HOMOPHONE_HARMLESS": ("homophone_harmless", CLEAN),
    "VEILED_ABUSIVE": ("veiled_abusive", dict(toxic=1, threat=1, targeted_person=1)),
    "VEILED_HARMLESS": ("veiled_harmless", CLEAN),
    "COUNTER_REF": ("counter_ref", _NO_ONE),
}
#: condemning frames per quoted claim (the claim itself and one endorsing frame are the abusive side)
QUOTE_CONDEMN_PER_CLAIM = 3


def _written5_modules(lang: str) -> list:
    import importlib

    return [importlib.import_module(f"training.stance.{name}_{lang}") for name in ("putdowns", "veiled")]


def written5_rows(split: str, rng: random.Random) -> list[Row]:
    """Stage 5: banter and swearing at no one, implicit put-downs and group hate with
    their harmless lookalikes, veiled threats with theirs, Chinese homophone abuse,
    counter-speech that refers to group hate, and group claims quoted to condemn
    them (harmless) or asserted and endorsed (abusive) -- the same claim on both sides."""
    rows: list[Row] = []
    for lang in ("en", "zh"):
        for mod in _written5_modules(lang):
            for name, (case, labels) in WRITTEN5.items():
                rows += [(t, dict(labels), lang, f"{lang}_{case}") for t in _half(getattr(mod, name, []), split)]
            claims = _half(getattr(mod, "GROUP_CLAIMS", []), split)
            condemn = _half(getattr(mod, "QUOTE_CONDEMN", []), split)
            endorse = _half(getattr(mod, "QUOTE_ENDORSE", []), split)
            for claim in claims:
                for frame in rng.sample(condemn, min(QUOTE_CONDEMN_PER_CLAIM, len(condemn))):
                    rows.append((_fill(frame, claim, lang), dict(CLEAN), lang, f"{lang}_quote_condemn"))
                said = _fill(rng.choice(endorse), claim, lang)
                rows.append((said[:1].upper() + said[1:], dict(_GROUP), lang, f"{lang}_quote_endorse"))
                bare = claim[:1].upper() + claim[1:] + ("." if lang == "en" else "。")
                rows.append((bare, dict(_GROUP), lang, f"{lang}_claim_bare"))
    return rows


def cached_cores(data, examples) -> dict:
    """``collect_cores`` for this data folder and example list, computed once."""
    key = (str(Path(data).resolve()), id(examples), len(examples))
    if key not in _POOLS:
        _POOLS.clear()
        _POOLS[key] = collect_cores(data, examples)
    return _POOLS[key]


#: the user cases quoted in issue 35 (tried on each release; stage 4 found some of them
#: word for word among the written twins and banter, which were then rewritten)
ISSUE_CASES = (
    "Your package will arrive at your home address on Monday.",
    "Remember to lock your door when you leave home.",
    "Posting rules: use your real name and keep replies on topic.",
    "Comments and replies on this noticeboard follow the school's online code of conduct. Be kind.",
    "请填写你的真实姓名和家庭住址以便发货", "你在哪个学校上学？我也是新来的",
    "Someone in my DMs called me a worthless slut. Reported and blocked.",
    "说女生“就该在家做饭”是歧视，请停止", "你这个小疯子，居然真的做到了！", "我们几个死宅今晚开黑",
    "Your mother must be so ashamed of what she raised.", "请你原地消失，谢谢",
    "I will follow you home tonight.", "I respectfully disagree with your point.",
)


def near_held_out(texts, cutoff: float = 0.65, exhaustive: bool = False) -> list[tuple[str, str]]:
    """(text, held-out case) for each written text that is a near copy of a suite or
    probe case: either contains the other, or difflib's ratio of their text keys is
    over ``cutoff``. Stage 5's written lists had 83 such sentences (written apart,
    yet common phrasings meet); they were removed. The ratio is computed only for
    cases that share at least 30% of the shorter text's character 3-grams (an index
    keeps this fast): a ratio over 0.65 with fewer has not been seen. ``exhaustive``
    compares every pair instead (2,001 written texts against 2,642 cases: about 2 min,
    against under a second), which is how that claim is checked: both found none on
    the lists of 2026-12-07."""
    import difflib

    held = sorted(held_out_keys())
    index: dict[str, set[int]] = {}
    for i, h in enumerate(held):
        for j in range(len(h) - 2):
            index.setdefault(h[j:j + 3], set()).add(i)
    def near(k: str, h: str, candidate: bool) -> bool:
        """One key inside the other, or (for a candidate pair) difflib's ratio over the cutoff;
        the quick ratios are upper bounds of it, so they only skip pairs that cannot pass."""
        if (len(h) > 10 and h in k) or (len(k) > 10 and k in h):
            return True
        if not candidate:
            return False
        sm = difflib.SequenceMatcher(None, k, h)
        return sm.real_quick_ratio() > cutoff and sm.quick_ratio() > cutoff and sm.ratio() > cutoff

    found = []
    for t in texts:
        k = text_key(t.replace("{c}", ""))
        if exhaustive:
            pairs = ((h, True) for h in held)
        else:
            grams = {k[j:j + 3] for j in range(len(k) - 2)}
            shared: dict[int, int] = {}
            for g in grams:
                for i in index.get(g, ()):
                    shared[i] = shared.get(i, 0) + 1
            pairs = ((held[i], n >= max(2, 0.3 * min(len(grams), len(held[i]) - 2))) for i, n in shared.items())
        hit = next((h for h, candidate in pairs if near(k, h, candidate)), None)
        if hit is not None:
            found.append((t, hit))
    return found


@functools.lru_cache(maxsize=1)
def held_out_keys() -> frozenset[str]:
    """Text keys of every evaluation suite (both functional suites, the dev probe).
    Filling slots can rebuild a suite's sentence word for word even from frames
    written apart (stage 3 rebuilt "Don't listen to them, you are not a failure."),
    so generated rows are checked against them."""
    from training.dev_probe import load_probe
    from training.functional_suite import load_suite
    from training.functional_suite_2 import load_suite2

    return frozenset([text_key(r["text"]) for r in load_suite() + load_probe() + load_suite2()]
                     + [text_key(t) for t in ISSUE_CASES])


def stance_examples(split: str, rng: random.Random, data, examples=None) -> list[Row]:
    """(text, labels, lang, case) rows for "train" or "dev". ``examples``: an
    already loaded ``load_all(data)`` (or a subset of it) to reuse."""
    examples = _load(data) if examples is None else examples
    pools = cached_cores(data, examples)
    seen: set[str] = set(held_out_keys())
    out: list[Row] = []
    for _, good, bad in stance_pairs(split, rng, pools):  # keep both sides or neither
        keys = {text_key(good[0]), text_key(bad[0])}
        if len(keys) == 2 and not keys & seen:
            seen |= keys
            out += [good, bad]
    for r in (written_twins(split) + mined_twins(split, rng, examples) + banter_rows(split)
              + negation_rows(split, rng) + written5_rows(split, rng)):
        k = text_key(r[0])
        if k not in seen:
            seen.add(k)
            out.append(r)
    rng.shuffle(out)
    return out


def template_keyword_counts() -> dict[tuple[str, str], int]:
    """How many abusive rows of ``targeted_examples("train")`` use each keyword."""
    from training.targeted import targeted_examples
    counts: dict[tuple[str, str], int] = {}
    for text, labels, lang, _ in targeted_examples("train", random.Random(0)):
        if labels.get("toxic") == 1:
            for k in keyword_hits(text, lang):
                counts[(lang, k)] = counts.get((lang, k), 0) + 1
    return counts


def twin_keyword_counts(rows: list[Row]) -> dict[tuple[str, str], int]:
    counts: dict[tuple[str, str], int] = {}
    for text, _, lang, case in rows:
        if "_twin_" in case:
            for k in keyword_hits(text, lang):
                counts[(lang, k)] = counts.get((lang, k), 0) + 1
    return counts


def report(src="../shared/data") -> None:
    """Counts per case and split, runtime and keyword ratios (for the README)."""
    import time
    from collections import Counter
    t0 = time.time()
    for sp in ("train", "dev"):
        got = stance_examples(sp, random.Random(0), src)
        print(sp, len(got), sorted(Counter(c for *_, c in got).items()))
    print(f"{time.time() - t0:.1f}s")
    twins = twin_keyword_counts(stance_examples("train", random.Random(0), src))
    for key, n in sorted(template_keyword_counts().items()):
        print(key, n, twins.get(key, 0), round(twins.get(key, 0) / n, 1))

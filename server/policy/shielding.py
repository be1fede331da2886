"""Shielding decisions: deliver, fold or block one inbound item.

Pure: the caller supplies the model's label probabilities (and spans), the
model's per-label thresholds, the recipient's settings, whether a lockdown is
active and the sender's relation. Every decision carries the reasons that led
to it; each reason names its rule and (where relevant) the labels.

Rules, in order (the most severe action wins; all reasons that applied are kept):

1. ``allow_list``: an allow-listed sender is always delivered.
2. ``reclaimed_term``: if every hostile span lies on a term the recipient has
   reclaimed, that hostility is set aside.
3. ``hostile_block`` / ``hostile_fold``: an item is hostile when its ``toxic``
   score is at or above the sensitivity-adjusted threshold: that one decision
   folds; a toxic score far above it, or a threat among its kinds, blocks.
   The sub-labels (insult, threat, identity_attack, obscene) at or above their
   thresholds say what kind of hostility it is; on their own they decide
   nothing, so "Fuck, I missed the bus" (obscene, not toxic) or a polite
   disagreement that grazes identity_attack is delivered.
   During a lockdown any hostile item is blocked (``lockdown_hostile``).
   ``swearing``: with the opt-in ``hide_swearing`` setting, swearing that
   attacks no one (obscene over its threshold, not toxic) is folded, never blocked.
4. ``audience``: a sender the "who may comment / message" setting does not
   admit is folded (comments, replies, mentions) or blocked (direct messages);
   ``nobody`` blocks.
5. ``lockdown_stranger``: during a lockdown, strangers' comments are folded and
   their direct messages blocked.
6. ``default``: otherwise delivered.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from .settings import AUDIENCE_ADMITS, MESSAGE_KINDS, ProtectionSettings

ACTIONS = ("deliver", "fold", "block")
_SEVERITY = {a: i for i, a in enumerate(ACTIONS)}

#: Labels that describe hostility. ``targeted_person`` says that an item is
#: aimed at someone; it is context, not hostility by itself.
HOSTILE_LABELS = ("toxic", "insult", "threat", "identity_attack", "obscene")
#: The one label whose decision makes an item hostile (fold, block, nudge, blur).
DECIDING_LABEL = "toxic"
#: Labels that block as soon as they pass their (adjusted) threshold on a hostile item.
SEVERE_LABELS = frozenset({"threat"})
#: Kinds whose height never turns a fold into a block: strong language is not a
#: stronger attack.
NOT_SEVERE_BY_HEIGHT = frozenset({"obscene"})
DEFAULT_THRESHOLD = 0.5

#: How each sensitivity moves the model's thresholds: t' = t * scale + (1 - t) * lift
#: strict lowers them (flags more); relaxed raises them and ignores bare profanity.
_SENSITIVITY = {
    "strict": {"scale": 0.7, "lift": 0.0, "ignore": frozenset()},
    "standard": {"scale": 1.0, "lift": 0.0, "ignore": frozenset()},
    "relaxed": {"scale": 1.0, "lift": 0.4, "ignore": frozenset({"obscene"})},
}
#: Block when a label is this far from its fold threshold towards 1.0.
BLOCK_FRACTION = 0.6
#: Spans scoring below this are not taken as the source of hostility.
SPAN_MIN_SCORE = 0.0


@dataclass(frozen=True)
class Reason:
    rule: str
    detail: str
    labels: tuple[str, ...] = ()
    action: str = "deliver"

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "labels": list(self.labels), "action": self.action, "detail": self.detail}


@dataclass(frozen=True)
class Decision:
    action: str
    reasons: tuple[Reason, ...]
    score: float
    hostile: bool
    hostile_labels: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"action": self.action, "reasons": [r.to_dict() for r in self.reasons], "score": round(self.score, 4)}


@dataclass(frozen=True)
class Item:
    kind: str
    relation: str
    sender_id: str
    labels: Mapping[str, float]
    text: str = ""
    spans: Sequence[tuple[int, int, float]] = field(default_factory=tuple)


def adjusted_thresholds(thresholds: Mapping[str, float], sensitivity: str) -> dict[str, float]:
    cfg = _SENSITIVITY[sensitivity]
    out: dict[str, float] = {}
    for label in HOSTILE_LABELS:
        if label in cfg["ignore"]:
            continue
        t = float(thresholds.get(label, DEFAULT_THRESHOLD))
        out[label] = min(0.99, t * cfg["scale"] + (1.0 - t) * cfg["lift"])
    return out


def block_threshold(fold_threshold: float) -> float:
    return fold_threshold + (1.0 - fold_threshold) * BLOCK_FRACTION


def _term_ranges(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    folded = text.casefold()
    # casefold() can change length for a few characters; only trust positions when it doesn't.
    if len(folded) != len(text):
        folded = text.lower() if len(text.lower()) == len(text) else text
    for term in terms:
        if not term:
            continue
        for m in re.finditer(re.escape(term.casefold()), folded):
            ranges.append((m.start(), m.end()))
    return ranges


def spans_covered_by_reclaimed(text: str, spans: Sequence[tuple[int, int, float]], terms: Sequence[str]) -> bool:
    """True when there is at least one hostile span and every one overlaps a reclaimed term."""
    if not terms or not text:
        return False
    relevant = [(s, e) for s, e, sc in spans if e > s and sc >= SPAN_MIN_SCORE]
    if not relevant:
        return False
    ranges = _term_ranges(text, terms)
    if not ranges:
        return False
    return all(any(s < re_ and rs < e for rs, re_ in ranges) for s, e in relevant)


def hostility_score(labels: Mapping[str, float]) -> float:
    """The score that decides: the toxic label's."""
    return float(labels.get(DECIDING_LABEL, 0.0))


def hostile_kinds(labels: Mapping[str, float], thresholds: Mapping[str, float]) -> tuple[str, ...]:
    """Empty when the toxic decision is negative; otherwise ``toxic`` and every
    sub-label at or above its threshold (what kind of hostility it is).
    ``thresholds`` holds only the labels that count (relaxed drops obscene)."""
    if float(labels.get(DECIDING_LABEL, 0.0)) < thresholds.get(DECIDING_LABEL, DEFAULT_THRESHOLD):
        return ()
    return tuple(l for l in HOSTILE_LABELS if l in thresholds and float(labels.get(l, 0.0)) >= thresholds[l])


def is_swearing(labels: Mapping[str, float], thresholds: Mapping[str, float]) -> bool:
    """Obscene over its threshold without the toxic decision: swearing at no one."""
    return (float(labels.get("obscene", 0.0)) >= float(thresholds.get("obscene", DEFAULT_THRESHOLD))
            and float(labels.get(DECIDING_LABEL, 0.0)) < float(thresholds.get(DECIDING_LABEL, DEFAULT_THRESHOLD)))


def decide(item: Item, settings: ProtectionSettings, thresholds: Mapping[str, float],
           lockdown_active: bool) -> Decision:
    reasons: list[Reason] = []
    score = hostility_score(item.labels)

    fold_t = adjusted_thresholds(thresholds, settings.sensitivity)
    over = hostile_kinds(item.labels, fold_t)
    hostile = bool(over)

    if item.sender_id and item.sender_id in settings.allow_senders:
        return Decision("deliver", (Reason("allow_list", "sender is on your allow-list", over, "deliver"),),
                        score, hostile, over)

    if hostile and spans_covered_by_reclaimed(item.text, item.spans, settings.reclaimed_terms):
        reasons.append(Reason("reclaimed_term", "the flagged words are terms you reclaimed", over, "deliver"))
        hostile = False
        over_for_rules: tuple[str, ...] = ()
    else:
        over_for_rules = over

    if over_for_rules:
        severe = tuple(l for l in over_for_rules if l in SEVERE_LABELS
                       or (l not in NOT_SEVERE_BY_HEIGHT
                           and float(item.labels.get(l, 0.0)) >= block_threshold(fold_t[l])))
        desc = ", ".join(f"{l} {float(item.labels.get(l, 0.0)):.2f}≥{fold_t[l]:.2f}" for l in over_for_rules)
        if lockdown_active:
            reasons.append(Reason("lockdown_hostile", f"hostile content during lockdown ({desc})", over_for_rules, "block"))
        elif severe:
            reasons.append(Reason("hostile_block", f"clearly hostile ({settings.sensitivity} sensitivity: {desc})",
                                  severe, "block"))
        else:
            reasons.append(Reason("hostile_fold", f"possibly hostile ({settings.sensitivity} sensitivity: {desc})",
                                  over_for_rules, "fold"))
    elif settings.hide_swearing and "obscene" in fold_t and is_swearing(item.labels, fold_t) \
            and not any(r.rule == "reclaimed_term" for r in reasons):
        reasons.append(Reason("swearing", "swearing (you chose to hide it: hide_swearing)", ("obscene",), "fold"))

    setting_name = "who_may_message" if item.kind in MESSAGE_KINDS else "who_may_comment"
    audience = settings.audience_for(item.kind)
    if item.relation not in AUDIENCE_ADMITS[audience]:
        action = "block" if (item.kind in MESSAGE_KINDS or audience == "nobody") else "fold"
        reasons.append(Reason("audience", f"{setting_name}={audience} does not admit a {item.relation}",
                              (), action))

    if lockdown_active and item.relation == "stranger":
        action = "block" if item.kind in MESSAGE_KINDS else "fold"
        reasons.append(Reason("lockdown_stranger", "one-click protection is on: content from strangers is limited",
                              (), action))

    if not reasons:
        reasons.append(Reason("default", "no rule applies", (), "deliver"))

    action = max((r.action for r in reasons), key=_SEVERITY.__getitem__)
    return Decision(action, tuple(reasons), score, hostile, over)

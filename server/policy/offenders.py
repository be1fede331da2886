"""The repeat-offender signal: pure decisions, no Flask, no database.

A sender is known only by a keyed pseudonym (HMAC of the platform's raw sender id with the
instance secret).  A sender is *flagged* when hostile to at least ``min_recipients`` distinct
recipients within ``window``.  The threshold keeps holding until the ``min_recipients``-th most
recent recipient's last hostile item leaves the window (``met_until``); the flag *clears* a
further ``window`` after that, unless an operator's review keeps it (any outcome other than
``no_action``).  A reviewed sender who is again hostile to ``min_recipients`` recipients after
the review is flagged anew.

Every state is derived from stored times and "now", so every worker gives the same answer.
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Iterable

from .clock import ensure_utc

OUTCOMES = ("no_action", "warned", "muted", "suspended")
#: Review outcomes that keep a sender on the operator's list after the flag would have decayed.
KEEPING_OUTCOMES = frozenset({"warned", "muted", "suspended"})
STATUSES = ("not_flagged", "flagged", "reviewed", "cleared")
SEVERITIES = ("none", "low", "medium", "high")
PSEUDONYM_CHARS = 32


@dataclass(frozen=True)
class OffenderPolicy:
    min_recipients: int = 5
    window: timedelta = timedelta(days=7)

    def __post_init__(self) -> None:
        if self.min_recipients < 1:
            raise ValueError("offender_min_recipients must be at least 1")
        if self.window <= timedelta(0):
            raise ValueError("offender_window_days must be greater than 0")


def sender_pseudonym(raw_sender_id: str, secret: str) -> str:
    """The instance-wide pseudonym of a platform sender id (equal ids, equal pseudonyms; without
    the secret a guessed id cannot be matched).  Domain-separated from the per-recipient pile-on
    hashes keyed by the same secret."""
    return hmac.new(secret.encode("utf-8"), b"offender-sender\x00" + raw_sender_id.encode("utf-8"),
                    hashlib.sha256).hexdigest()[:PSEUDONYM_CHARS]


def recipient_pseudonym(user_id: int, secret: str) -> str:
    return hmac.new(secret.encode("utf-8"), f"offender-recipient\x00{int(user_id)}".encode("utf-8"),
                    hashlib.sha256).hexdigest()[:PSEUDONYM_CHARS]


def threshold_met_until(latest_per_recipient: Iterable[datetime], policy: OffenderPolicy) -> datetime | None:
    """Until when ``min_recipients`` distinct recipients stay inside the window, given each
    recipient's latest hostile item; None when fewer recipients than that."""
    times = sorted((ensure_utc(t) for t in latest_per_recipient), reverse=True)
    if len(times) < policy.min_recipients:
        return None
    return times[policy.min_recipients - 1] + policy.window


@dataclass(frozen=True)
class FlagState:
    flagged_at: datetime | None = None     # start of the current (or last) flag
    met_until: datetime | None = None      # the threshold holds until then, from the items seen so far
    reviewed_at: datetime | None = None    # the latest review
    review_outcome: str | None = None


def _reviewed_this_flag(state: FlagState) -> bool:
    return (state.flagged_at is not None and state.reviewed_at is not None
            and ensure_utc(state.reviewed_at) >= ensure_utc(state.flagged_at))


def clears_at(state: FlagState, policy: OffenderPolicy) -> datetime | None:
    """When the current flag clears by itself (None: not flagged, or kept by a review)."""
    if state.flagged_at is None or state.met_until is None:
        return None
    if _reviewed_this_flag(state) and state.review_outcome in KEEPING_OUTCOMES:
        return None
    return ensure_utc(state.met_until) + policy.window


def status(state: FlagState, now: datetime, policy: OffenderPolicy) -> str:
    if state.flagged_at is None:
        return "not_flagged"
    reviewed = _reviewed_this_flag(state)
    if reviewed and state.review_outcome in KEEPING_OUTCOMES:
        return "reviewed"
    ends = clears_at(state, policy)
    if ends is None or ensure_utc(now) >= ends:
        return "cleared"
    return "reviewed" if reviewed else "flagged"


def on_hostile(state: FlagState, latest_per_recipient: dict[str, datetime], now: datetime,
               policy: OffenderPolicy) -> tuple[FlagState, bool]:
    """Fold a sender's new hostile items in.  ``latest_per_recipient``: each recipient's latest
    hostile item from this sender within the window ending ``now`` (new items included).
    Returns the state to store and whether a new flag was raised."""
    now = ensure_utc(now)
    met_until = threshold_met_until(latest_per_recipient.values(), policy)
    if met_until is None:
        return state, False
    current = status(state, now, policy)
    raise_flag = current in ("not_flagged", "cleared")
    if current == "reviewed":
        # a reviewed sender is flagged again only for hostility after the review
        since = ensure_utc(state.reviewed_at)  # type: ignore[arg-type]
        raise_flag = threshold_met_until([t for t in latest_per_recipient.values() if ensure_utc(t) > since],
                                         policy) is not None
    if raise_flag:
        return replace(state, flagged_at=now, met_until=met_until), True
    previous = ensure_utc(state.met_until) if state.met_until is not None else met_until
    return replace(state, met_until=max(previous, met_until)), False


def review(state: FlagState, outcome: str, now: datetime) -> FlagState:
    if outcome not in OUTCOMES:
        raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)}")
    return replace(state, reviewed_at=ensure_utc(now), review_outcome=outcome)


def max_severity(severities: Iterable[str]) -> str:
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    best = 0
    for s in severities:
        best = max(best, rank.get(s, 0))
    return SEVERITIES[best]

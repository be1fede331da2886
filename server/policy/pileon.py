"""Pile-on detection over a per-recipient sliding window of hostile events.

The detector keeps no state of its own: the caller loads the recipient's
recent hostile events (score, hashed sender id, time: never text), the
recipient's baseline and the current episode, asks :func:`assess`, and stores
what it returns. The window can therefore live in a database table or a Redis
sorted set, and several workers give the same answer as long as the caller
serialises the read-assess-write step per recipient (a row lock or a Redis
transaction).

A pile-on is either
* absolute: at least ``min_items`` hostile items from at least
  ``min_senders`` distinct senders within ``window`` (defaults 10 / 5 / 30 min), or
* relative: at least ``rate_min_items`` items from ``rate_min_senders``
  senders within the window, at ``rate_factor`` times the recipient's own
  established baseline rate or more.

One episode raises one notice. An episode stays open while the pile-on
condition keeps holding; it closes after ``quiet_period`` without the
condition holding, and only a new episode raises a new notice. A campaign that
never pauses gets a fresh notice at most once per ``renotify_after``.
"""
from __future__ import annotations

import hashlib
import hmac
import math
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Iterable, Mapping

from .clock import ensure_utc, format_time, parse_time


@dataclass(frozen=True)
class PileOnConfig:
    window: timedelta = timedelta(minutes=30)
    min_items: int = 10
    min_senders: int = 5
    rate_factor: float = 20.0
    rate_min_items: int = 6
    rate_min_senders: int = 3
    baseline_tau: timedelta = timedelta(days=7)
    baseline_min_age: timedelta = timedelta(days=3)
    quiet_period: timedelta = timedelta(minutes=30)
    renotify_after: timedelta = timedelta(hours=24)

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None) -> "PileOnConfig":
        """Build from config values; durations in seconds or minutes (``*_minutes``/``*_seconds``)."""
        cfg = cls()
        if not values:
            return cfg
        changes: dict[str, Any] = {}
        for key, raw in values.items():
            k = key.lower()
            for suffix, unit in (("_minutes", 60), ("_seconds", 1), ("_hours", 3600), ("_days", 86400)):
                if k.endswith(suffix):
                    name = k[: -len(suffix)]
                    if name in ("window", "baseline_tau", "baseline_min_age", "quiet_period", "renotify_after"):
                        changes[name] = timedelta(seconds=float(raw) * unit)
                    break
            else:
                if k in ("min_items", "min_senders", "rate_min_items", "rate_min_senders"):
                    changes[k] = int(raw)
                elif k == "rate_factor":
                    changes[k] = float(raw)
        return replace(cfg, **changes)


@dataclass(frozen=True)
class HostileEvent:
    at: datetime
    score: float
    sender_hash: str


def hash_sender(sender_id: str, recipient_key: str, secret: str = "") -> str:
    """A per-recipient pseudonym for a sender id: equal ids give equal hashes for
    one recipient, and nothing links them across recipients."""
    key = (secret + "\x00" + recipient_key).encode("utf-8")
    return hmac.new(key, sender_id.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


@dataclass(frozen=True)
class Baseline:
    """An exponentially decayed hostile-event rate (events per hour)."""
    rate_per_hour: float
    updated_at: datetime
    first_seen: datetime

    def decayed(self, now: datetime, tau: timedelta) -> float:
        dt = max(0.0, (ensure_utc(now) - ensure_utc(self.updated_at)).total_seconds())
        return self.rate_per_hour * math.exp(-dt / tau.total_seconds())

    def established(self, now: datetime, config: PileOnConfig) -> bool:
        return ensure_utc(now) - ensure_utc(self.first_seen) >= config.baseline_min_age

    def to_dict(self) -> dict[str, Any]:
        return {"rate_per_hour": self.rate_per_hour, "updated_at": format_time(self.updated_at),
                "first_seen": format_time(self.first_seen)}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Baseline":
        return cls(float(d["rate_per_hour"]), parse_time(d["updated_at"]), parse_time(d["first_seen"]))


def update_baseline(baseline: Baseline | None, events_at: Iterable[datetime], config: PileOnConfig) -> Baseline | None:
    """Fold new hostile events into the baseline rate (O(1) state)."""
    tau_h = config.baseline_tau.total_seconds() / 3600.0
    b = baseline
    for at in sorted(ensure_utc(t) for t in events_at):
        if b is None:
            b = Baseline(1.0 / tau_h, at, at)
            continue
        rate = b.decayed(at, config.baseline_tau) if at > b.updated_at else b.rate_per_hour
        b = Baseline(rate + 1.0 / tau_h, max(at, ensure_utc(b.updated_at)), b.first_seen)
    return b


@dataclass(frozen=True)
class Episode:
    started_at: datetime
    last_met_at: datetime
    notified_at: datetime
    notice_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"started_at": format_time(self.started_at), "last_met_at": format_time(self.last_met_at),
                "notified_at": format_time(self.notified_at), "notice_id": self.notice_id}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Episode":
        return cls(parse_time(d["started_at"]), parse_time(d["last_met_at"]), parse_time(d["notified_at"]),
                   d.get("notice_id"))


@dataclass(frozen=True)
class Assessment:
    pile_on: bool
    raise_notice: bool
    items: int
    senders: int
    rule: str | None          # "absolute" | "baseline" | None
    episode: Episode | None   # the episode to store (None: no open episode)
    window_start: datetime
    baseline_expected: float | None = None

    def summary(self, config: PileOnConfig) -> dict[str, Any]:
        return {
            "items": self.items, "senders": self.senders, "rule": self.rule,
            "window_minutes": int(config.window.total_seconds() // 60),
            "window_start": format_time(self.window_start),
        }


def window_events(events: Iterable[HostileEvent], now: datetime, config: PileOnConfig) -> list[HostileEvent]:
    now = ensure_utc(now)
    start = now - config.window
    return [e for e in events if start < ensure_utc(e.at) <= now]


def assess(events: Iterable[HostileEvent], now: datetime, config: PileOnConfig = PileOnConfig(),
           baseline: Baseline | None = None, episode: Episode | None = None) -> Assessment:
    """Decide whether the recipient is in a pile-on, and whether to raise a notice now.

    ``events``: the recipient's hostile events (older ones are ignored);
    ``baseline``: the rate *before* the current window's events, if known;
    ``episode``: the currently stored episode, if any.
    """
    now = ensure_utc(now)
    current = window_events(events, now, config)
    items = len(current)
    senders = len({e.sender_hash for e in current})
    rule: str | None = None
    expected: float | None = None
    if items >= config.min_items and senders >= config.min_senders:
        rule = "absolute"
    elif baseline is not None and baseline.established(now, config):
        expected = baseline.decayed(now, config.baseline_tau) * config.window.total_seconds() / 3600.0
        if (items >= config.rate_min_items and senders >= config.rate_min_senders
                and items >= config.rate_factor * max(expected, 1e-9)):
            rule = "baseline"
    met = rule is not None

    # Is the stored episode still open?
    open_ep = episode
    if open_ep is not None and now - ensure_utc(open_ep.last_met_at) >= config.quiet_period and not met:
        open_ep = None
    if open_ep is not None and met and now - ensure_utc(open_ep.last_met_at) >= config.quiet_period:
        open_ep = None  # the previous episode ended in quiet; this is a new one

    raise_notice = False
    new_ep: Episode | None = open_ep
    if met:
        if open_ep is None:
            new_ep = Episode(now, now, now)
            raise_notice = True
        elif now - ensure_utc(open_ep.notified_at) >= config.renotify_after:
            new_ep = Episode(open_ep.started_at, now, now)
            raise_notice = True
        else:
            new_ep = replace(open_ep, last_met_at=now)
    return Assessment(met, raise_notice, items, senders, rule, new_ep, now - config.window, expected)


def notice_content(assessment: Assessment, config: PileOnConfig) -> dict[str, Any]:
    """The risk notice shown to the target (counts only: no text, no sender ids)."""
    minutes = int(config.window.total_seconds() // 60)
    return {
        "type": "pile_on",
        "title": "A lot of hostile replies are arriving",
        "message": (f"{assessment.items} hostile items from {assessment.senders} different accounts arrived within "
                    f"{minutes} minutes. Turning on one-click protection limits what strangers can send you."),
        "message_zh": (f"{minutes} 分钟内收到来自 {assessment.senders} 个账号的 {assessment.items} 条不友善内容。"
                       f"开启一键防护可以限制陌生人给你发送的内容。"),
        "recommended_action": "one_click_protection",
        "recommended_duration_hours": 72,
        "evidence": assessment.summary(config),
    }

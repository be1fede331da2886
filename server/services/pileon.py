"""Pile-on assessment for /v1/shield: feed the recipient's sliding window with hostile items
(score, hashed sender id and time only: no text) and raise at most one risk notice per episode.

Race freedom: the assessment runs while holding the recipient's ``pileon_state`` row lock
(store/pileon.py), the episode lives in that row, and a notice's ``(user_id, dedupe_key)`` is
unique (see store/windows.py).
"""
from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Sequence

from flask import current_app

from ..policy.pileon import HostileEvent, PileOnConfig, assess, notice_content, update_baseline
from ..store import notices as notices_store
from ..store import pileon as pileon_store
from ..store.windows import get_window_store

PILEON_ENV_PREFIX = "KINDSHIELD_PILEON_"
_CONFIG_KEY = "kindshield.pileon_config"


def pileon_config() -> PileOnConfig:
    """Defaults, overridden by KINDSHIELD_PILEON_* (e.g. KINDSHIELD_PILEON_MIN_ITEMS=10,
    KINDSHIELD_PILEON_MIN_SENDERS=5, KINDSHIELD_PILEON_WINDOW_MINUTES=30,
    KINDSHIELD_PILEON_RATE_FACTOR=20, KINDSHIELD_PILEON_QUIET_PERIOD_MINUTES=30,
    KINDSHIELD_PILEON_RENOTIFY_AFTER_HOURS=24) or app.config["KINDSHIELD_PILEON"]."""
    cached = current_app.extensions.get(_CONFIG_KEY)
    if cached is not None:
        return cached
    config = current_app.config.get("KINDSHIELD")
    values = dict(getattr(config, "pileon", None) or {})   # KINDSHIELD_PILEON_*, read by config.py
    values.update(current_app.config.get("KINDSHIELD_PILEON") or {})
    cfg = PileOnConfig.from_mapping(values)
    current_app.extensions[_CONFIG_KEY] = cfg
    return cfg


def record_hostile(conn, user_id: int, events: Sequence[HostileEvent], t: datetime,
                   cfg: PileOnConfig) -> list[str]:
    """Add ``events`` to the recipient's window, assess it and store the new episode and
    baseline; returns the ids of the notices raised (zero or one).  Inside the user's write
    transaction; does nothing without events."""
    raised: list[str] = []
    if not events:
        return raised
    episode, baseline = pileon_store.lock_pileon_state(conn, user_id, t)
    keep = max(cfg.window, cfg.quiet_period)
    # the database or Redis (KINDSHIELD_WINDOW_STORE); serialised by the pileon_state row lock
    window = get_window_store().add_and_read(conn, user_id, events, t - cfg.window, t - keep, keep)
    a = assess(window, t, cfg, baseline, episode)
    episode = a.episode
    if a.raise_notice and episode is not None:
        key = "pileon:" + hashlib.sha256(
            f"{episode.started_at.isoformat()}|{episode.notified_at.isoformat()}".encode()).hexdigest()[:32]
        nid = notices_store.add_notice(conn, user_id, "pile_on", key, notice_content(a, cfg), t)
        if nid:
            raised.append(nid)
            episode = type(episode)(episode.started_at, episode.last_met_at, episode.notified_at, nid)
    baseline = update_baseline(baseline, [e.at for e in events], cfg)
    pileon_store.save_pileon_state(conn, user_id, episode, baseline, t)
    return raised

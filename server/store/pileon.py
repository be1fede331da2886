"""The pile-on state per recipient (``pileon_state``, locked around each assessment) and the
database sliding window (``hostile_events``; windows.py may keep the window in Redis instead).

Every function takes an open :class:`sqlalchemy.Connection` inside a transaction
(``store.begin()`` / ``store.read()``); ``now`` comes from the feature clock (server/clock.py).
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Iterable

from sqlalchemy import Connection, delete, insert, select, update

from ..policy.pileon import Baseline, Episode, HostileEvent
from .schema import hostile_events, pileon_state
from .sql import lock_row, upsert


def lock_pileon_state(conn: Connection, user_id: int, now: datetime):
    upsert(conn, pileon_state, {"user_id": user_id, "episode": None, "baseline_rate": None,
                                        "baseline_updated_at": None, "baseline_first_seen": None,
                                        "updated_at": now}, ["user_id"])
    row = lock_row(conn, pileon_state, "user_id", user_id)
    episode = Episode.from_dict(json.loads(row.episode)) if row.episode else None
    baseline = None
    if row.baseline_rate is not None:
        baseline = Baseline(row.baseline_rate, row.baseline_updated_at, row.baseline_first_seen)
    return episode, baseline


def save_pileon_state(conn: Connection, user_id: int, episode: Episode | None, baseline: Baseline | None,
                      now: datetime) -> None:
    conn.execute(update(pileon_state).where(pileon_state.c.user_id == user_id).values(
        episode=json.dumps(episode.to_dict()) if episode else None,
        baseline_rate=baseline.rate_per_hour if baseline else None,
        baseline_updated_at=baseline.updated_at if baseline else None,
        baseline_first_seen=baseline.first_seen if baseline else None,
        updated_at=now))


def add_hostile_events(conn: Connection, user_id: int, events: Iterable[HostileEvent]) -> None:
    rows = [{"user_id": user_id, "at": e.at, "score": float(e.score), "sender_hash": e.sender_hash} for e in events]
    if rows:
        conn.execute(insert(hostile_events), rows)


def window_events(conn: Connection, user_id: int, since: datetime, prune_before: datetime) -> list[HostileEvent]:
    conn.execute(delete(hostile_events).where(hostile_events.c.user_id == user_id, hostile_events.c.at < prune_before))
    rows = conn.execute(select(hostile_events.c.at, hostile_events.c.score, hostile_events.c.sender_hash)
                        .where(hostile_events.c.user_id == user_id, hostile_events.c.at > since)).all()
    return [HostileEvent(r.at, r.score, r.sender_hash) for r in rows]

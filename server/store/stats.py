"""Per-user, per-day counters (``daily_counters``) for /v1/stats and /transparency.

Every function takes an open :class:`sqlalchemy.Connection` inside a transaction
(``store.begin()`` / ``store.read()``); ``now`` comes from the feature clock (server/clock.py).
"""
from __future__ import annotations

from datetime import datetime
from typing import Mapping

from sqlalchemy import Connection, func, select

from ..policy.clock import ensure_utc
from .schema import daily_counters
from .sql import upsert


def bump(conn: Connection, user_id: int, now: datetime, counts: Mapping[str, int]) -> None:
    """Add ``counts`` to the user's counters of the day of ``now`` (UTC)."""
    day = ensure_utc(now).date().isoformat()
    for name, n in counts.items():
        if n:
            upsert(conn, daily_counters, {"user_id": user_id, "day": day, "name": name, "count": int(n)},
                   ["user_id", "day", "name"], set_={"count": daily_counters.c.count + int(n)})


def counter_rows(conn: Connection, user_id: int | None, first_day: str) -> list[tuple[str, str, int]]:
    """(day, name, count) rows since ``first_day``; ``user_id=None`` sums over every user."""
    q = select(daily_counters.c.day, daily_counters.c.name, func.sum(daily_counters.c.count)) \
        .where(daily_counters.c.day >= first_day).group_by(daily_counters.c.day, daily_counters.c.name)
    if user_id is not None:
        q = q.where(daily_counters.c.user_id == user_id)
    return [(r[0], r[1], int(r[2])) for r in conn.execute(q).all()]

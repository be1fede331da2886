"""The test-only feature clock offset (``feature_clock`` table); the caller decides whether it is enabled.

Every function takes an open :class:`sqlalchemy.Connection` inside a transaction
(``store.begin()`` / ``store.read()``); ``now`` comes from the feature clock (server/clock.py).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection, select

from .schema import feature_clock
from .sql import upsert


def clock_offset(conn: Connection) -> timedelta:
    row = conn.execute(select(feature_clock.c.offset_seconds).where(feature_clock.c.id == 1)).first()
    return timedelta(seconds=row.offset_seconds) if row else timedelta(0)


def set_clock_offset(conn: Connection, offset: timedelta, now: datetime) -> None:
    values = {"offset_seconds": offset.total_seconds(), "updated_at": now}
    upsert(conn, feature_clock, {"id": 1, **values}, ["id"], set_=values)

"""Protection settings (``protection_settings``) and one-click lockdowns (``lockdowns``).

Every function takes an open :class:`sqlalchemy.Connection` inside a transaction
(``store.begin()`` / ``store.read()``); ``now`` comes from the feature clock (server/clock.py).
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from ..policy.lockdown import Lockdown
from ..policy.settings import ProtectionSettings
from .schema import lockdowns, protection_settings
from .sql import new_id, upsert


def load_settings(conn: Connection, user_id: int) -> ProtectionSettings:
    row = conn.execute(select(protection_settings).where(protection_settings.c.user_id == user_id)).first()
    if row is None:
        return ProtectionSettings()
    return ProtectionSettings(
        who_may_comment=row.who_may_comment, who_may_message=row.who_may_message, sensitivity=row.sensitivity,
        allow_senders=tuple(json.loads(row.allow_senders)), reclaimed_terms=tuple(json.loads(row.reclaimed_terms)),
        hide_swearing=bool(row.hide_swearing),
    )


def save_settings(conn: Connection, user_id: int, s: ProtectionSettings, now: datetime) -> None:
    values = dict(who_may_comment=s.who_may_comment, who_may_message=s.who_may_message, sensitivity=s.sensitivity,
                  allow_senders=json.dumps(list(s.allow_senders), ensure_ascii=False),
                  reclaimed_terms=json.dumps(list(s.reclaimed_terms), ensure_ascii=False),
                  hide_swearing=s.hide_swearing, updated_at=now)
    upsert(conn, protection_settings, {"user_id": user_id, **values}, ["user_id"], set_=values)


def _lockdown_of(row) -> Lockdown:
    return Lockdown(started_at=row.started_at, duration_hours=row.duration_hours, ended_at=row.ended_at)


def active_lockdown(conn: Connection, user_id: int, now: datetime):
    """The row of the lockdown active at ``now`` (or None)."""
    rows = conn.execute(select(lockdowns).where(
        lockdowns.c.user_id == user_id, lockdowns.c.superseded.is_(False), lockdowns.c.until > now,
        lockdowns.c.started_at <= now).order_by(lockdowns.c.started_at.desc())).all()
    for row in rows:
        if _lockdown_of(row).is_active(now):
            return row
    return None


def latest_lockdown(conn: Connection, user_id: int):
    return conn.execute(select(lockdowns).where(lockdowns.c.user_id == user_id, lockdowns.c.superseded.is_(False))
                        .order_by(lockdowns.c.started_at.desc()).limit(1)).first()


def start_lockdown(conn: Connection, user_id: int, duration_hours: int, now: datetime):
    lk = Lockdown.start(now, duration_hours)
    carried = (0, 0)
    current = active_lockdown(conn, user_id, now)
    if current is not None:  # a new one-click replaces the running one; its counts carry over
        carried = (current.folded, current.blocked)
        conn.execute(update(lockdowns).where(lockdowns.c.id == current.id)
                     .values(superseded=True, ended_at=now, reminder_sent_at=current.reminder_sent_at or now,
                             recap_sent_at=now))
    lid = new_id()
    conn.execute(insert(lockdowns).values(
        id=lid, user_id=user_id, started_at=lk.started_at, duration_hours=duration_hours, until=lk.until,
        ended_at=None, superseded=False, reminder_sent_at=None, recap_sent_at=None,
        folded=carried[0], blocked=carried[1]))
    return conn.execute(select(lockdowns).where(lockdowns.c.id == lid)).first()


def end_lockdown(conn: Connection, user_id: int, now: datetime):
    current = active_lockdown(conn, user_id, now)
    if current is None:
        return None
    conn.execute(update(lockdowns).where(lockdowns.c.id == current.id).values(ended_at=now))
    return conn.execute(select(lockdowns).where(lockdowns.c.id == current.id)).first()


def count_in_lockdown(conn: Connection, lockdown_id: str, folded: int, blocked: int) -> None:
    if folded or blocked:
        conn.execute(update(lockdowns).where(lockdowns.c.id == lockdown_id).values(
            folded=lockdowns.c.folded + folded, blocked=lockdowns.c.blocked + blocked))


def lockdown_view(row, now: datetime) -> dict[str, Any]:
    d = _lockdown_of(row).to_dict(now)
    d["id"] = row.id
    d["folded"] = row.folded
    d["blocked"] = row.blocked
    return d


def pending_lockdown_notices(conn: Connection, user_id: int) -> list:
    """Lockdowns that may still owe a reminder or a recap."""
    return conn.execute(select(lockdowns).where(
        lockdowns.c.user_id == user_id, lockdowns.c.superseded.is_(False), lockdowns.c.recap_sent_at.is_(None))).all()


def mark_lockdown(conn: Connection, lockdown_id: str, **values: Any) -> None:
    conn.execute(update(lockdowns).where(lockdowns.c.id == lockdown_id).values(**values))

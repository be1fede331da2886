"""Risk notices, reminders and recaps (``notices``): counts and labels only, never text.

``(user_id, dedupe_key)`` is unique, so a notice is raised at most once even when several workers
decide at the same moment.

Every function takes an open :class:`sqlalchemy.Connection` inside a transaction
(``store.begin()`` / ``store.read()``); ``now`` comes from the feature clock (server/clock.py).
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Mapping

from sqlalchemy import Connection, and_, or_, select, update

from ..policy.clock import format_time
from .schema import notices
from .sql import new_id, upsert
from .stats import bump


def add_notice(conn: Connection, user_id: int, type_: str, dedupe_key: str, payload: Mapping[str, Any],
               now: datetime) -> str | None:
    """Insert a notice unless one with ``dedupe_key`` exists; returns the new id or None."""
    nid = new_id()
    n = upsert(conn, notices, {
        "id": nid, "user_id": user_id, "type": type_, "dedupe_key": dedupe_key[:128], "created_at": now,
        "acked_at": None, "payload": json.dumps(payload, ensure_ascii=False, sort_keys=True)},
        ["user_id", "dedupe_key"])
    if n:
        bump(conn, user_id, now, {"notices": 1})
        return nid
    return None


def list_notices(conn: Connection, user_id: int, include_acked: bool = True, limit: int = 100,
                 after_id: str | None = None) -> list[dict[str, Any]] | None:
    """Newest first; with ``after_id`` (cursor paging) the notices after that one in the same
    order, or None when the user has no such notice."""
    q = select(notices).where(notices.c.user_id == user_id)
    if not include_acked:
        q = q.where(notices.c.acked_at.is_(None))
    if after_id is not None:
        at = conn.execute(select(notices.c.created_at).where(notices.c.user_id == user_id,
                                                             notices.c.id == after_id)).scalar()
        if at is None:
            return None
        q = q.where(or_(notices.c.created_at < at, and_(notices.c.created_at == at, notices.c.id > after_id)))
    rows = conn.execute(q.order_by(notices.c.created_at.desc(), notices.c.id).limit(limit)).all()
    return [notice_view(r) for r in rows]


def notice_view(row) -> dict[str, Any]:
    payload = json.loads(row.payload)
    return {"id": row.id, "type": row.type, "created_at": format_time(row.created_at),
            "acked": row.acked_at is not None,
            "acked_at": format_time(row.acked_at) if row.acked_at else None, **{
                k: v for k, v in payload.items() if k not in ("id", "type", "created_at", "acked", "acked_at")}}


def ack_notice(conn: Connection, user_id: int, notice_id: str, now: datetime):
    row = conn.execute(select(notices).where(notices.c.id == notice_id, notices.c.user_id == user_id)).first()
    if row is None:
        return None
    if row.acked_at is None:
        conn.execute(update(notices).where(notices.c.id == notice_id).values(acked_at=now))
        row = conn.execute(select(notices).where(notices.c.id == notice_id)).first()
    return row

"""Reports the reporter made public and an operator published on /transparency (``published_cases``).

Every function takes an open :class:`sqlalchemy.Connection` inside a transaction
(``store.begin()`` / ``store.read()``); ``now`` comes from the feature clock (server/clock.py).
"""
from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import Connection, delete, select

from .schema import published_cases, report_records
from .sql import upsert


def publish_case(conn: Connection, report_id: str, admin_user_id: int, now: datetime) -> bool:
    return bool(upsert(conn, published_cases, {"report_id": report_id, "published_at": now,
                                                       "published_by": admin_user_id}, ["report_id"]))


def unpublish_case(conn: Connection, report_id: str) -> bool:
    return conn.execute(delete(published_cases).where(published_cases.c.report_id == report_id)).rowcount > 0


def public_candidates(conn: Connection, limit: int = 200) -> list:
    rows = conn.execute(select(report_records).where(report_records.c.kind == "report")
                        .order_by(report_records.c.received_at.desc()).limit(5000)).all()
    out = []
    for r in rows:
        try:
            content = json.loads(r.content)
        except ValueError:
            continue
        if content.get("public") is True:
            out.append((r, content))
            if len(out) >= limit:
                break
    return out


def published_rows(conn: Connection, limit: int = 50) -> list:
    return conn.execute(select(report_records, published_cases.c.published_at)
                        .join(published_cases, published_cases.c.report_id == report_records.c.id)
                        .order_by(published_cases.c.published_at.desc()).limit(limit)).all()

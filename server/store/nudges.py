"""Writer nudges shown by /v1/precheck and their outcomes (``nudges``): labels only, no text.

Every function takes an open :class:`sqlalchemy.Connection` inside a transaction
(``store.begin()`` / ``store.read()``); ``now`` comes from the feature clock (server/clock.py).
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Sequence

from sqlalchemy import Connection, insert, select, update

from ..policy.clock import ensure_utc
from .schema import nudges
from .sql import new_id
from .stats import bump


def add_nudge(conn: Connection, user_id: int, language: str, labels: Sequence[str], now: datetime) -> str:
    nid = new_id()
    conn.execute(insert(nudges).values(id=nid, user_id=user_id, created_at=now, language=language,
                                       labels=json.dumps(list(labels)), outcome=None, outcome_at=None))
    bump(conn, user_id, now, {"nudges_shown": 1})
    return nid


def set_nudge_outcome(conn: Connection, user_id: int, nudge_id: str, outcome: str, now: datetime):
    """Returns (row_before, changed) or (None, False) when not found."""
    row = conn.execute(select(nudges).where(nudges.c.id == nudge_id, nudges.c.user_id == user_id)).first()
    if row is None:
        return None, False
    if row.outcome == outcome:
        return row, False
    conn.execute(update(nudges).where(nudges.c.id == nudge_id).values(outcome=outcome, outcome_at=now))
    heeded_before = row.outcome in ("edited", "discarded")
    heeded_now = outcome in ("edited", "discarded")
    if heeded_now != heeded_before:
        bump(conn, user_id, ensure_utc(row.created_at), {"nudges_heeded": 1 if heeded_now else -1})
    return row, True

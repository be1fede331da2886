"""The webhook outbox (issue 13): events are written in the same transaction as the change that
caused them, and sent later by a background thread in every worker.  The tables are in schema.py.

* ``webhook_outbox``    one row per event: its JSON body, delivery status, attempts, the next
                        attempt's time and the claim (token + lease) of the worker sending it.
* ``webhook_attempts``  the delivery log: one row per attempt (HTTP status or error class).

One delivery per event with many workers: a worker claims a due event with one conditional
UPDATE (``... WHERE id = :id AND status = 'pending' AND (claimed_until IS NULL OR
claimed_until < :now)``).  On PostgreSQL a concurrent claimer waits for the first one's commit
and then re-checks the condition, which no longer holds; on SQLite writers are serialised.
Exactly one worker therefore gets ``rowcount == 1``; it finishes the event only while its token
still holds the claim.  Times here are real (wall-clock) times, never the test feature clock.
"""
from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta
from typing import Any, Mapping

from sqlalchemy import Connection, and_, insert, or_, select, update

from ..policy.clock import format_time
from .schema import webhook_attempts, webhook_outbox


def enqueue(conn: Connection, event: str, dedupe_key: str, data: Mapping[str, Any], now: datetime,
            created_at: datetime) -> str | None:
    """Add an event (inside the caller's transaction); None when that dedupe key is already queued."""
    if conn.execute(select(webhook_outbox.c.id).where(webhook_outbox.c.dedupe_key == dedupe_key)).first():
        return None
    event_id = str(uuid.uuid4())
    body = {"id": event_id, "type": event, "created_at": format_time(created_at), "data": data}
    conn.execute(insert(webhook_outbox).values(
        id=event_id, event=event, dedupe_key=dedupe_key, payload=json.dumps(body, ensure_ascii=False,
                                                                          separators=(",", ":")),
        created_at=now, status="pending", attempts=0, next_attempt_at=now))
    return event_id


def due_ids(conn: Connection, now: datetime, limit: int) -> list[str]:
    o = webhook_outbox.c
    q = (select(o.id).where(o.status == "pending", o.next_attempt_at <= now,
                            or_(o.claimed_until.is_(None), o.claimed_until < now))
         .order_by(o.next_attempt_at, o.created_at).limit(limit))
    return [r[0] for r in conn.execute(q).all()]


def claim(conn: Connection, event_id: str, token: str, now: datetime, lease: timedelta):
    """Claim one due event for this worker; returns (payload, attempt number) or None when
    another worker has it (or it is no longer due)."""
    o = webhook_outbox.c
    res = conn.execute(update(webhook_outbox).where(
        o.id == event_id, o.status == "pending", o.next_attempt_at <= now,
        or_(o.claimed_until.is_(None), o.claimed_until < now),
    ).values(claim_token=token, claimed_until=now + lease, attempts=o.attempts + 1))
    if res.rowcount != 1:
        return None
    row = conn.execute(select(o.payload, o.attempts).where(o.id == event_id)).first()
    return row.payload, int(row.attempts)


def finish(conn: Connection, event_id: str, token: str, *, attempt: int, now: datetime, worker: str,
           status_code: int | None, error: str | None, duration_ms: int, delivered: bool,
           retry_at: datetime | None) -> bool:
    """Record an attempt and its outcome, if this worker still holds the claim."""
    o = webhook_outbox.c
    values: dict[str, Any] = {"claim_token": None, "claimed_until": None, "last_status_code": status_code,
                              "last_error": error}
    if delivered:
        values.update(status="delivered", delivered_at=now)
    elif retry_at is None:
        values.update(status="failed")
    else:
        values.update(next_attempt_at=retry_at)
    res = conn.execute(update(webhook_outbox).where(and_(o.id == event_id, o.claim_token == token)).values(**values))
    conn.execute(insert(webhook_attempts).values(event_id=event_id, attempt=attempt, at=now, status_code=status_code,
                                                 error=error, duration_ms=duration_ms, worker=worker[:64]))
    return res.rowcount == 1


def deliveries(conn: Connection, status: str | None, limit: int, after_id: str | None = None) -> list[dict] | None:
    """Newest first; with ``after_id`` (cursor paging) the events after that one, or None when
    there is no such event."""
    o = webhook_outbox.c
    q = select(webhook_outbox).order_by(o.created_at.desc(), o.id).limit(limit)
    if status:
        q = q.where(o.status == status)
    if after_id is not None:
        at = conn.execute(select(o.created_at).where(o.id == after_id)).scalar()
        if at is None:
            return None
        q = q.where(or_(o.created_at < at, and_(o.created_at == at, o.id > after_id)))
    rows = conn.execute(q).all()
    log: dict[str, list] = {r.id: [] for r in rows}
    if rows:
        a = webhook_attempts.c
        for r in conn.execute(select(webhook_attempts).where(a.event_id.in_(list(log)))
                              .order_by(a.event_id, a.attempt, a.id)):
            log[r.event_id].append({"attempt": r.attempt, "at": format_time(r.at), "status_code": r.status_code,
                                    "error": r.error, "duration_ms": r.duration_ms})
    out = []
    for r in rows:
        body = json.loads(r.payload)
        out.append({
            "id": r.id, "event": r.event, "status": r.status, "attempts": r.attempts,
            "offender_id": ((body.get("data") or {}).get("offender") or {}).get("id"),
            "created_at": format_time(r.created_at),
            "next_attempt_at": format_time(r.next_attempt_at) if r.status == "pending" else None,
            "delivered_at": format_time(r.delivered_at) if r.delivered_at else None,
            "last_status_code": r.last_status_code, "last_error": r.last_error,
            "log": log[r.id],
        })
    return out


def retry(conn: Connection, event_id: str, now: datetime) -> str | None:
    """Queue a failed (or delivered) event again with a fresh series of attempts; its earlier
    attempts stay in the log.  Returns the previous status, or None for an unknown id."""
    o = webhook_outbox.c
    row = conn.execute(select(o.status).where(o.id == event_id)).first()
    if row is None:
        return None
    if row.status != "pending":
        conn.execute(update(webhook_outbox).where(o.id == event_id).values(
            status="pending", attempts=0, next_attempt_at=now, claim_token=None, claimed_until=None))
    return row.status

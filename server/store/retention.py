"""Retention queries: delete records older than a cutoff, one kind at a time (services/retention.py
decides the cutoffs and runs them periodically).  Each returns the number of rows deleted.

Report chains are pruned from the front only (a contiguous prefix of records older than the
cutoff), and the last pruned record's sha256 is kept in ``report_chain_prunes`` so the rest
still verifies.  Screenshots are deleted alone (the record keeps their sha256) and listed in
``pruned_screenshots``.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, and_, delete, exists, not_, or_, select

from ..policy.clock import format_time, parse_time
from . import schema as s
from .lifecycle import pruned_screenshots, report_chain_prunes
from .sql import upsert


def users_with_reports_before(conn: Connection, cutoff: datetime) -> list[int]:
    # received_at is ISO 8601 text: a coarse textual filter, refined per record by prune_report_chain
    return [r[0] for r in conn.execute(select(s.report_records.c.user_id).distinct().where(
        s.report_records.c.received_at < format_time(cutoff))).all()]


def prune_report_chain(conn: Connection, user_id: int, cutoff: datetime, now: datetime) -> int:
    """Delete the user's oldest records received before ``cutoff`` (a prefix of the chain)."""
    rows = conn.execute(select(s.report_records.c.id, s.report_records.c.seq, s.report_records.c.sha256,
                               s.report_records.c.received_at)
                        .where(s.report_records.c.user_id == user_id).order_by(s.report_records.c.seq)).all()
    prefix = []
    for r in rows:
        if parse_time(r.received_at) >= cutoff:
            break
        prefix.append(r)
    if not prefix:
        return 0
    ids = [r.id for r in prefix]
    conn.execute(delete(s.report_screenshots).where(s.report_screenshots.c.record_id.in_(ids)))
    conn.execute(delete(s.published_cases).where(s.published_cases.c.report_id.in_(ids)))
    conn.execute(delete(pruned_screenshots).where(pruned_screenshots.c.record_id.in_(ids)))
    n = conn.execute(delete(s.report_records).where(s.report_records.c.id.in_(ids))).rowcount
    last = prefix[-1]
    values = {"through_seq": last.seq, "through_sha256": last.sha256, "pruned_at": now}
    upsert(conn, report_chain_prunes, {"user_id": user_id, **values}, ["user_id"], set_=values)
    return n


def prune_screenshots(conn: Connection, cutoff: datetime, now: datetime) -> int:
    rows = conn.execute(select(s.report_records.c.id, s.report_records.c.user_id, s.report_records.c.received_at)
                        .join(s.report_screenshots, s.report_screenshots.c.record_id == s.report_records.c.id)
                        .where(s.report_records.c.received_at < format_time(cutoff))).all()
    rows = [r for r in rows if parse_time(r.received_at) < cutoff]
    if not rows:
        return 0
    ids = [r.id for r in rows]
    n = conn.execute(delete(s.report_screenshots).where(s.report_screenshots.c.record_id.in_(ids))).rowcount
    for r in rows:
        upsert(conn, pruned_screenshots, {"record_id": r.id, "user_id": r.user_id, "pruned_at": now}, ["record_id"])
    return n


def prune_before(conn: Connection, table, column, cutoff: datetime, *extra) -> int:
    return conn.execute(delete(table).where(column < cutoff, *extra)).rowcount


def prune_notices(conn: Connection, cutoff: datetime) -> int:
    return prune_before(conn, s.notices, s.notices.c.created_at, cutoff)


def prune_nudges(conn: Connection, cutoff: datetime) -> int:
    return prune_before(conn, s.nudges, s.nudges.c.created_at, cutoff)


def prune_lockdowns(conn: Connection, cutoff: datetime) -> int:
    """Lockdowns that ended before the cutoff (same retention as notices: their recaps)."""
    return prune_before(conn, s.lockdowns, s.lockdowns.c.until, cutoff)


def prune_daily_counters(conn: Connection, cutoff: datetime) -> int:
    return conn.execute(delete(s.daily_counters).where(s.daily_counters.c.day < cutoff.strftime("%Y-%m-%d"))).rowcount


def prune_outbox(conn: Connection, cutoff: datetime) -> int:
    """Delivered or failed webhook events (and their delivery attempts) older than the cutoff;
    pending events are kept whatever their age."""
    done = and_(s.webhook_outbox.c.status.in_(("delivered", "failed")), s.webhook_outbox.c.created_at < cutoff)
    ids = select(s.webhook_outbox.c.id).where(done).scalar_subquery()
    conn.execute(delete(s.webhook_attempts).where(s.webhook_attempts.c.event_id.in_(ids)))
    return conn.execute(delete(s.webhook_outbox).where(done)).rowcount


def prune_offender_events(conn: Connection, cutoff: datetime) -> int:
    """Every sender's hostile-item records older than the offender retention (not only the
    senders that offend again)."""
    return prune_before(conn, s.offender_events, s.offender_events.c.at, cutoff)


def prune_offenders(conn: Connection, cutoff: datetime) -> int:
    """Senders last seen before the cutoff with no records left and not currently flagged."""
    has_events = exists().where(s.offender_events.c.sender == s.offenders.c.sender)
    open_flag = and_(s.offenders.c.flagged_at.is_not(None), or_(s.offenders.c.met_until.is_(None),
                                                                s.offenders.c.met_until >= cutoff))
    return conn.execute(delete(s.offenders).where(s.offenders.c.last_seen < cutoff, not_(has_events),
                                                  not_(open_flag))).rowcount


def prune_offender_reviews(conn: Connection, cutoff: datetime) -> int:
    return prune_before(conn, s.offender_reviews, s.offender_reviews.c.created_at, cutoff)


def prune_offender_flags(conn: Connection, cutoff: datetime) -> int:
    return prune_before(conn, s.offender_flags, s.offender_flags.c.flagged_at, cutoff)

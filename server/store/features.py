"""Tables and repository functions for the protection features (issue 4).

Tables (portable: SQLite and PostgreSQL):

* ``protection_settings``  one row per user: audiences, sensitivity, allow-lists.
* ``lockdowns``            one-click protection periods, with folded/blocked counters.
* ``notices``              risk notices, reminders, recaps (counts and labels only, never text);
                           ``(user_id, dedupe_key)`` is unique, so a notice is raised at most once
                           even when several workers decide at the same moment.
* ``pileon_state``         one row per recipient: the open pile-on episode and the baseline rate.
                           Locked (SELECT ... FOR UPDATE / BEGIN IMMEDIATE) around each assessment.
* ``hostile_events``       the per-recipient sliding window: time, score, hashed sender id.
* ``nudges``               writer nudges shown and their outcomes (labels only, no text).
* ``report_chains``        one row per user: the chain head; locked while appending.
* ``report_records``       the hash-chained report and status records (the only text we keep).
* ``report_screenshots``   PNG evidence, one per report record.
* ``published_cases``      reports the reporter made public and the operator published.
* ``daily_counters``       per-user, per-day counters for /v1/stats and /transparency.
* ``feature_clock``        the test-only clock offset (used only when enabled by configuration).

Every function takes an open :class:`sqlalchemy.Connection` inside a transaction
(``store.begin()`` / ``store.read()``) and ``now`` from the injected clock.
"""
from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta
from typing import Any, Iterable, Mapping, Sequence

from sqlalchemy import (
    Boolean, Column, Connection, Float, ForeignKey, Index, Integer, LargeBinary, String, Table, Text,
    UniqueConstraint, and_, delete, func, insert, select, update,
)

from ..policy.chain import ChainRecord, GENESIS, new_record
from ..policy.clock import ensure_utc, format_time
from ..policy.lockdown import Lockdown
from ..policy.pileon import Baseline, Episode, HostileEvent
from ..policy.settings import ProtectionSettings
from .schema import UTCDateTime, metadata

_USER_FK = lambda: ForeignKey("users.id", ondelete="CASCADE")  # noqa: E731

protection_settings = Table(
    "protection_settings", metadata,
    Column("user_id", Integer, _USER_FK(), primary_key=True),
    Column("who_may_comment", String(16), nullable=False),
    Column("who_may_message", String(16), nullable=False),
    Column("sensitivity", String(16), nullable=False),
    Column("allow_senders", Text, nullable=False),     # JSON list of sender ids
    Column("reclaimed_terms", Text, nullable=False),   # JSON list of terms
    Column("updated_at", UTCDateTime(), nullable=False),
)

lockdowns = Table(
    "lockdowns", metadata,
    Column("id", String(36), primary_key=True),
    Column("user_id", Integer, _USER_FK(), nullable=False, index=True),
    Column("started_at", UTCDateTime(), nullable=False),
    Column("duration_hours", Integer, nullable=False),
    Column("until", UTCDateTime(), nullable=False),
    Column("ended_at", UTCDateTime(), nullable=True),        # ended early by the user
    Column("superseded", Boolean, nullable=False, default=False),
    Column("reminder_sent_at", UTCDateTime(), nullable=True),
    Column("recap_sent_at", UTCDateTime(), nullable=True),
    Column("folded", Integer, nullable=False, default=0),
    Column("blocked", Integer, nullable=False, default=0),
)

notices = Table(
    "notices", metadata,
    Column("id", String(36), primary_key=True),
    Column("user_id", Integer, _USER_FK(), nullable=False),
    Column("type", String(32), nullable=False),
    Column("dedupe_key", String(128), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("acked_at", UTCDateTime(), nullable=True),
    Column("payload", Text, nullable=False),                  # JSON: counts, labels, times; never text
    UniqueConstraint("user_id", "dedupe_key", name="uq_notices_user_id_dedupe_key"),
    Index("ix_notices_user_created", "user_id", "created_at"),
)

pileon_state = Table(
    "pileon_state", metadata,
    Column("user_id", Integer, _USER_FK(), primary_key=True),
    Column("episode", Text, nullable=True),                   # JSON Episode or NULL
    Column("baseline_rate", Float, nullable=True),
    Column("baseline_updated_at", UTCDateTime(), nullable=True),
    Column("baseline_first_seen", UTCDateTime(), nullable=True),
    Column("updated_at", UTCDateTime(), nullable=False),
)

hostile_events = Table(
    "hostile_events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, _USER_FK(), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Column("score", Float, nullable=False),
    Column("sender_hash", String(64), nullable=False),
    Index("ix_hostile_events_user_at", "user_id", "at"),
)

nudges = Table(
    "nudges", metadata,
    Column("id", String(36), primary_key=True),
    Column("user_id", Integer, _USER_FK(), nullable=False, index=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("language", String(8), nullable=False),
    Column("labels", Text, nullable=False),                   # JSON list of label names
    Column("outcome", String(16), nullable=True),
    Column("outcome_at", UTCDateTime(), nullable=True),
)

report_chains = Table(
    "report_chains", metadata,
    Column("user_id", Integer, _USER_FK(), primary_key=True),
    Column("length", Integer, nullable=False),
    Column("head_sha256", String(64), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

report_records = Table(
    "report_records", metadata,
    Column("id", String(36), primary_key=True),
    Column("user_id", Integer, _USER_FK(), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("kind", String(16), nullable=False),               # report | status
    Column("report_id", String(36), nullable=True, index=True),  # status records: the report they update
    Column("received_at", String(40), nullable=False),        # exactly as hashed
    Column("content", Text, nullable=False),                  # canonical JSON, as hashed
    Column("screenshot_sha256", String(64), nullable=True),
    Column("prev_sha256", String(64), nullable=False),
    Column("sha256", String(64), nullable=False),
    UniqueConstraint("user_id", "seq", name="uq_report_records_user_id_seq"),
)

report_screenshots = Table(
    "report_screenshots", metadata,
    Column("record_id", String(36), ForeignKey("report_records.id", ondelete="CASCADE"), primary_key=True),
    Column("data", LargeBinary, nullable=False),
)

published_cases = Table(
    "published_cases", metadata,
    Column("report_id", String(36), ForeignKey("report_records.id", ondelete="CASCADE"), primary_key=True),
    Column("published_at", UTCDateTime(), nullable=False),
    Column("published_by", Integer, nullable=True),
)

daily_counters = Table(
    "daily_counters", metadata,
    Column("user_id", Integer, _USER_FK(), primary_key=True),
    Column("day", String(10), primary_key=True),              # YYYY-MM-DD (UTC)
    Column("name", String(32), primary_key=True),
    Column("count", Integer, nullable=False),
)

feature_clock = Table(
    "feature_clock", metadata,
    Column("id", Integer, primary_key=True),
    Column("offset_seconds", Float, nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)


def new_id() -> str:
    return str(uuid.uuid4())


def _dialect(conn: Connection) -> str:
    return conn.engine.dialect.name


def _insert_ignore(conn: Connection, table: Table, values: Mapping[str, Any], index_elements: Sequence[str]) -> int:
    """INSERT ... ON CONFLICT DO NOTHING (SQLite and PostgreSQL); returns rows inserted."""
    d = _dialect(conn)
    if d == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dinsert
    elif d == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dinsert
    else:  # pragma: no cover - other engines: best effort
        if conn.execute(select(func.count()).select_from(table).where(
                and_(*[table.c[k] == values[k] for k in index_elements]))).scalar_one():
            return 0
        return conn.execute(insert(table).values(**values)).rowcount
    stmt = (dinsert(table).values(**values).on_conflict_do_nothing(index_elements=list(index_elements))
            .returning(table.c[index_elements[0]]))
    # rowcount is not reliable for INSERT ... ON CONFLICT on every driver (psycopg gives -1): count RETURNING rows
    return len(conn.execute(stmt).all())


def _lock_row(conn: Connection, table: Table, key_col: str, key: Any):
    """SELECT the row FOR UPDATE (PostgreSQL row lock; SQLite writers are already
    serialised by BEGIN IMMEDIATE)."""
    stmt = select(table).where(table.c[key_col] == key)
    if _dialect(conn) == "postgresql":
        stmt = stmt.with_for_update()
    return conn.execute(stmt).first()


# ---------------------------------------------------------------------------
# clock (test-only offset; the caller decides whether it is enabled)

def clock_offset(conn: Connection) -> timedelta:
    row = conn.execute(select(feature_clock.c.offset_seconds).where(feature_clock.c.id == 1)).first()
    return timedelta(seconds=row.offset_seconds) if row else timedelta(0)


def set_clock_offset(conn: Connection, offset: timedelta, now: datetime) -> None:
    if not _insert_ignore(conn, feature_clock, {"id": 1, "offset_seconds": offset.total_seconds(),
                                                "updated_at": now}, ["id"]):
        conn.execute(update(feature_clock).where(feature_clock.c.id == 1)
                     .values(offset_seconds=offset.total_seconds(), updated_at=now))


# ---------------------------------------------------------------------------
# counters

def bump(conn: Connection, user_id: int, now: datetime, counts: Mapping[str, int]) -> None:
    day = ensure_utc(now).date().isoformat()
    for name, n in counts.items():
        if not n:
            continue
        d = _dialect(conn)
        if d in ("postgresql", "sqlite"):
            if d == "postgresql":
                from sqlalchemy.dialects.postgresql import insert as dinsert
            else:
                from sqlalchemy.dialects.sqlite import insert as dinsert
            stmt = dinsert(daily_counters).values(user_id=user_id, day=day, name=name, count=int(n))
            stmt = stmt.on_conflict_do_update(index_elements=["user_id", "day", "name"],
                                              set_={"count": daily_counters.c.count + stmt.excluded.count})
            conn.execute(stmt)
        else:  # pragma: no cover
            res = conn.execute(update(daily_counters).where(
                daily_counters.c.user_id == user_id, daily_counters.c.day == day, daily_counters.c.name == name)
                .values(count=daily_counters.c.count + int(n)))
            if not res.rowcount:
                conn.execute(insert(daily_counters).values(user_id=user_id, day=day, name=name, count=int(n)))


def counter_rows(conn: Connection, user_id: int | None, first_day: str) -> list[tuple[str, str, int]]:
    """(day, name, count) rows since ``first_day``; ``user_id=None`` sums over every user."""
    q = select(daily_counters.c.day, daily_counters.c.name, func.sum(daily_counters.c.count)) \
        .where(daily_counters.c.day >= first_day).group_by(daily_counters.c.day, daily_counters.c.name)
    if user_id is not None:
        q = q.where(daily_counters.c.user_id == user_id)
    return [(r[0], r[1], int(r[2])) for r in conn.execute(q).all()]


# ---------------------------------------------------------------------------
# settings

def load_settings(conn: Connection, user_id: int) -> ProtectionSettings:
    row = conn.execute(select(protection_settings).where(protection_settings.c.user_id == user_id)).first()
    if row is None:
        return ProtectionSettings()
    return ProtectionSettings(
        who_may_comment=row.who_may_comment, who_may_message=row.who_may_message, sensitivity=row.sensitivity,
        allow_senders=tuple(json.loads(row.allow_senders)), reclaimed_terms=tuple(json.loads(row.reclaimed_terms)),
    )


def save_settings(conn: Connection, user_id: int, s: ProtectionSettings, now: datetime) -> None:
    values = dict(who_may_comment=s.who_may_comment, who_may_message=s.who_may_message, sensitivity=s.sensitivity,
                  allow_senders=json.dumps(list(s.allow_senders), ensure_ascii=False),
                  reclaimed_terms=json.dumps(list(s.reclaimed_terms), ensure_ascii=False), updated_at=now)
    if not _insert_ignore(conn, protection_settings, {"user_id": user_id, **values}, ["user_id"]):
        conn.execute(update(protection_settings).where(protection_settings.c.user_id == user_id).values(**values))


# ---------------------------------------------------------------------------
# lockdowns

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


# ---------------------------------------------------------------------------
# notices

def add_notice(conn: Connection, user_id: int, type_: str, dedupe_key: str, payload: Mapping[str, Any],
               now: datetime) -> str | None:
    """Insert a notice unless one with ``dedupe_key`` exists; returns the new id or None."""
    nid = new_id()
    n = _insert_ignore(conn, notices, {
        "id": nid, "user_id": user_id, "type": type_, "dedupe_key": dedupe_key[:128], "created_at": now,
        "acked_at": None, "payload": json.dumps(payload, ensure_ascii=False, sort_keys=True)},
        ["user_id", "dedupe_key"])
    if n:
        bump(conn, user_id, now, {"notices": 1})
        return nid
    return None


def list_notices(conn: Connection, user_id: int, include_acked: bool = True, limit: int = 100) -> list[dict[str, Any]]:
    q = select(notices).where(notices.c.user_id == user_id)
    if not include_acked:
        q = q.where(notices.c.acked_at.is_(None))
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


# ---------------------------------------------------------------------------
# pile-on window

def lock_pileon_state(conn: Connection, user_id: int, now: datetime):
    _insert_ignore(conn, pileon_state, {"user_id": user_id, "episode": None, "baseline_rate": None,
                                        "baseline_updated_at": None, "baseline_first_seen": None,
                                        "updated_at": now}, ["user_id"])
    row = _lock_row(conn, pileon_state, "user_id", user_id)
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


# ---------------------------------------------------------------------------
# nudges

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


# ---------------------------------------------------------------------------
# report chain

def _record_of(row) -> ChainRecord:
    return ChainRecord(seq=row.seq, id=row.id, kind=row.kind, received_at=row.received_at,
                       content=json.loads(row.content), screenshot_sha256=row.screenshot_sha256,
                       prev_sha256=row.prev_sha256, sha256=row.sha256)


def append_record(conn: Connection, user_id: int, *, kind: str, content: Mapping[str, Any], now: datetime,
                  screenshot: bytes | None = None, report_id: str | None = None) -> ChainRecord:
    """Append one record to the user's chain, holding the chain row's lock."""
    _insert_ignore(conn, report_chains, {"user_id": user_id, "length": 0, "head_sha256": GENESIS,
                                         "updated_at": now}, ["user_id"])
    head = _lock_row(conn, report_chains, "user_id", user_id)
    prev = None
    if head.length:
        prow = conn.execute(select(report_records).where(report_records.c.user_id == user_id,
                                                         report_records.c.seq == head.length)).first()
        prev = _record_of(prow) if prow is not None else None
    if prev is None and head.length:
        # the head's record is missing: refuse to fork the chain
        raise RuntimeError("report chain head record missing")
    rec = new_record(prev, id=new_id(), kind=kind, received_at=format_time(now), content=content,
                     screenshot=screenshot)
    conn.execute(insert(report_records).values(
        id=rec.id, user_id=user_id, seq=rec.seq, kind=rec.kind, report_id=report_id,
        received_at=rec.received_at, content=json.dumps(rec.content, ensure_ascii=False, sort_keys=True),
        screenshot_sha256=rec.screenshot_sha256, prev_sha256=rec.prev_sha256, sha256=rec.sha256))
    if screenshot is not None:
        conn.execute(insert(report_screenshots).values(record_id=rec.id, data=screenshot))
    conn.execute(update(report_chains).where(report_chains.c.user_id == user_id).values(
        length=rec.seq, head_sha256=rec.sha256, updated_at=now))
    return rec


def chain_records(conn: Connection, user_id: int) -> list[ChainRecord]:
    rows = conn.execute(select(report_records).where(report_records.c.user_id == user_id)
                        .order_by(report_records.c.seq)).all()
    out = []
    for r in rows:
        try:
            out.append(_record_of(r))
        except (ValueError, TypeError):  # unparsable content: keep it so verify names it
            out.append(ChainRecord(seq=r.seq, id=r.id, kind=r.kind, received_at=r.received_at,
                                   content={"__unparsable__": True}, screenshot_sha256=r.screenshot_sha256,
                                   prev_sha256=r.prev_sha256, sha256=r.sha256 + "!"))
    return out


def chain_head(conn: Connection, user_id: int) -> str | None:
    row = conn.execute(select(report_chains.c.head_sha256).where(report_chains.c.user_id == user_id)).first()
    return row.head_sha256 if row else None


def screenshots_of(conn: Connection, user_id: int) -> dict[str, bytes]:
    rows = conn.execute(select(report_screenshots.c.record_id, report_screenshots.c.data)
                        .join(report_records, report_records.c.id == report_screenshots.c.record_id)
                        .where(report_records.c.user_id == user_id)).all()
    return {r.record_id: bytes(r.data) for r in rows}


def report_row(conn: Connection, user_id: int, report_id: str):
    return conn.execute(select(report_records).where(
        report_records.c.id == report_id, report_records.c.user_id == user_id,
        report_records.c.kind == "report")).first()


def screenshot_of(conn: Connection, record_id: str) -> bytes | None:
    row = conn.execute(select(report_screenshots.c.data).where(report_screenshots.c.record_id == record_id)).first()
    return bytes(row.data) if row else None


def status_records(conn: Connection, user_id: int, report_id: str | None = None) -> list:
    q = select(report_records).where(report_records.c.user_id == user_id, report_records.c.kind == "status")
    if report_id is not None:
        q = q.where(report_records.c.report_id == report_id)
    return conn.execute(q.order_by(report_records.c.seq)).all()


def report_rows(conn: Connection, user_id: int, limit: int, offset: int = 0) -> list:
    return conn.execute(select(report_records).where(report_records.c.user_id == user_id,
                                                     report_records.c.kind == "report")
                        .order_by(report_records.c.seq.desc()).limit(limit).offset(offset)).all()


def count_reports(conn: Connection, user_id: int) -> int:
    return conn.execute(select(func.count()).select_from(report_records).where(
        report_records.c.user_id == user_id, report_records.c.kind == "report")).scalar_one()


# ---------------------------------------------------------------------------
# published cases

def publish_case(conn: Connection, report_id: str, admin_user_id: int, now: datetime) -> bool:
    return bool(_insert_ignore(conn, published_cases, {"report_id": report_id, "published_at": now,
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

"""Tables and queries of the data lifecycle (issue 37): the erasure ledger, what retention pruned,
and the per-user data a data-subject export/deletion touches.

* ``erasure_records``       an instance-wide hash chain (same record format as the report chains,
                            policy/chain.py) with one record per deleted user: the user id, how many
                            records of each kind were deleted and the final head of the user's report
                            chain.  Never a name, text or screenshot: it proves *that* a chain existed
                            and was erased, so ``verify --all`` can tell an erasure from a truncation.
* ``report_chain_prunes``   per user: the report-chain prefix that retention removed (through which
                            sequence number, and that record's sha256), so verification starts there.
* ``pruned_screenshots``    screenshots removed by retention (the record and its sha256 stay).

Every function takes an open :class:`sqlalchemy.Connection` inside a transaction.
"""
from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Connection, Integer, String, Table, Text, delete, insert, select, update

from ..policy.chain import GENESIS, ChainRecord, new_record
from ..policy.clock import format_time
from . import schema as s
from .schema import UTCDateTime, metadata
from .sql import new_id

erasure_records = Table(
    "erasure_records", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("id", String(36), nullable=False, unique=True),
    Column("received_at", String(40), nullable=False),
    Column("content", Text, nullable=False),          # canonical JSON: user id, counts, final chain head
    Column("prev_sha256", String(64), nullable=False),
    Column("sha256", String(64), nullable=False),
)

report_chain_prunes = Table(
    "report_chain_prunes", metadata,
    Column("user_id", Integer, s._USER_FK(), primary_key=True),
    Column("through_seq", Integer, nullable=False),    # records 1..through_seq were removed by retention
    Column("through_sha256", String(64), nullable=False),
    Column("pruned_at", UTCDateTime(), nullable=False),
)

pruned_screenshots = Table(
    "pruned_screenshots", metadata,
    Column("record_id", String(36), primary_key=True),
    Column("user_id", Integer, s._USER_FK(), nullable=False, index=True),
    Column("pruned_at", UTCDateTime(), nullable=False),
)

# every table with a user_id column, in deletion order (children first); api_keys last but one,
# users last.  A new per-user table must be added here (tests/api/test_user_data.py checks it).
USER_TABLES: tuple[Table, ...] = (
    s.lockdowns, s.notices, s.pileon_state, s.hostile_events, s.nudges, s.daily_counters,
    s.protection_settings, pruned_screenshots, report_chain_prunes, s.report_records, s.report_chains,
    s.api_keys, s.platform_subjects,
)
# columns never exported (secrets, even hashed)
_NOT_EXPORTED = {"api_keys": {"key_hash"}}


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return format_time(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _rows(conn: Connection, table: Table, where) -> list[dict]:
    skip = _NOT_EXPORTED.get(table.name, set())
    rows = conn.execute(select(table).where(where)).all()
    return [{k: _jsonable(v) for k, v in r._mapping.items() if k not in skip} for r in rows]


def user_row(conn: Connection, user_id: int):
    """The user's row; None when there is none or the user was erased."""
    row = conn.execute(select(s.users).where(s.users.c.id == user_id)).first()
    return None if is_erased(row) else row


def user_id_by_name(conn: Connection, name: str) -> int | None:
    row = conn.execute(select(s.users.c.id).where(s.users.c.name == name)).first()
    return row.id if row else None


def export_user(conn: Connection, user_id: int, recipient_pseudonym: str | None) -> tuple[dict, dict[str, bytes]]:
    """Everything stored for ``user_id``: ``(tables, screenshots)``; tables maps a table name to
    its rows (JSON-ready), screenshots maps a report record id to its PNG bytes."""
    user = user_row(conn, user_id)
    tables: dict[str, list[dict]] = {"users": [{k: _jsonable(v) for k, v in user._mapping.items()}]}
    for table in USER_TABLES:
        tables[table.name] = _rows(conn, table, table.c.user_id == user_id)
    for rec in tables.get("report_records", []):
        try:
            rec["content"] = json.loads(rec["content"])
        except (TypeError, ValueError):
            pass
    record_ids = [r["id"] for r in tables["report_records"]]
    tables["published_cases"] = _rows(conn, s.published_cases, s.published_cases.c.report_id.in_(record_ids))
    if recipient_pseudonym:
        # hostile items other people sent to this user (pseudonymous sender, labels, score; no text)
        tables["offender_events"] = _rows(conn, s.offender_events, s.offender_events.c.recipient == recipient_pseudonym)
    shots = conn.execute(select(s.report_screenshots.c.record_id, s.report_screenshots.c.data)
                         .where(s.report_screenshots.c.record_id.in_(record_ids))).all()
    return tables, {r.record_id: bytes(r.data) for r in shots}


def delete_user(conn: Connection, user_id: int, recipient_pseudonym: str | None) -> dict[str, int]:
    """Delete every row of ``user_id`` (the users row too); returns rows deleted per table."""
    counts: dict[str, int] = {}
    record_ids = select(s.report_records.c.id).where(s.report_records.c.user_id == user_id).scalar_subquery()
    counts["report_screenshots"] = conn.execute(
        delete(s.report_screenshots).where(s.report_screenshots.c.record_id.in_(record_ids))).rowcount
    counts["published_cases"] = conn.execute(
        delete(s.published_cases).where(s.published_cases.c.report_id.in_(record_ids))).rowcount
    for table in USER_TABLES:
        counts[table.name] = conn.execute(delete(table).where(table.c.user_id == user_id)).rowcount
    if recipient_pseudonym:
        counts["offender_events"] = conn.execute(
            delete(s.offender_events).where(s.offender_events.c.recipient == recipient_pseudonym)).rowcount
    # the users row stays as a nameless tombstone: SQLite would otherwise give the id to the next
    # new user, and the erasure ledger (keyed by id) would then describe someone else
    counts["users"] = conn.execute(update(s.users).where(s.users.c.id == user_id)
                                   .values(name=tombstone_name(user_id))).rowcount
    return counts


ERASED_PREFIX = "~erased-"


def tombstone_name(user_id: int) -> str:
    return f"{ERASED_PREFIX}{int(user_id)}"


def is_erased(row) -> bool:
    return row is not None and row.name == tombstone_name(row.id)


# ---------------------------------------------------------------------------
# the erasure ledger

def _erasure_of(row) -> ChainRecord:
    return ChainRecord(seq=row.seq, id=row.id, kind="erasure", received_at=row.received_at,
                       content=json.loads(row.content), screenshot_sha256=None,
                       prev_sha256=row.prev_sha256, sha256=row.sha256)


def erasure_chain(conn: Connection) -> list[ChainRecord]:
    return [_erasure_of(r) for r in conn.execute(select(erasure_records).order_by(erasure_records.c.seq)).all()]


def append_erasure(conn: Connection, content: dict, now: datetime) -> ChainRecord:
    """Append to the instance's erasure chain.  Callers hold the erasure lock (store.advisory_lock
    with ERASURE_LOCK) so two deletions cannot fork it."""
    last = conn.execute(select(erasure_records).order_by(erasure_records.c.seq.desc()).limit(1)).first()
    prev = _erasure_of(last) if last is not None else None
    rec = new_record(prev, id=new_id(), kind="erasure", received_at=format_time(now), content=content)
    conn.execute(insert(erasure_records).values(
        seq=rec.seq, id=rec.id, received_at=rec.received_at,
        content=json.dumps(rec.content, ensure_ascii=False, sort_keys=True),
        prev_sha256=rec.prev_sha256, sha256=rec.sha256))
    return rec


def erasure_head(conn: Connection) -> tuple[int, str]:
    last = conn.execute(select(erasure_records.c.seq, erasure_records.c.sha256)
                        .order_by(erasure_records.c.seq.desc()).limit(1)).first()
    return (last.seq, last.sha256) if last else (0, GENESIS)


ERASURE_LOCK = 0x45524153   # "ERAS": advisory lock key of the erasure chain

"""The hash-chained report and status records (``report_chains``, ``report_records``,
``report_screenshots``); the chain row is locked while appending.

Every function takes an open :class:`sqlalchemy.Connection` inside a transaction
(``store.begin()`` / ``store.read()``); ``now`` comes from the feature clock (server/clock.py).
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Iterator, Mapping

from sqlalchemy import Connection, func, insert, select, update

from ..policy.chain import GENESIS, ChainRecord, new_record
from ..policy.clock import format_time
from .schema import report_chains, report_records, report_screenshots
from .sql import lock_row, new_id, upsert


def record_of(row) -> ChainRecord:
    """A stored row as the :class:`ChainRecord` it was hashed as."""
    return ChainRecord(seq=row.seq, id=row.id, kind=row.kind, received_at=row.received_at,
                       content=json.loads(row.content), screenshot_sha256=row.screenshot_sha256,
                       prev_sha256=row.prev_sha256, sha256=row.sha256)


def append_record(conn: Connection, user_id: int, *, kind: str, content: Mapping[str, Any], now: datetime,
                  screenshot: bytes | None = None, report_id: str | None = None,
                  idempotency_key_sha256: str | None = None) -> ChainRecord:
    """Append one record to the user's chain, holding the chain row's lock."""
    upsert(conn, report_chains, {"user_id": user_id, "length": 0, "head_sha256": GENESIS,
                                         "updated_at": now}, ["user_id"])
    head = lock_row(conn, report_chains, "user_id", user_id)
    prev = None
    if head.length:
        prow = conn.execute(select(report_records).where(report_records.c.user_id == user_id,
                                                         report_records.c.seq == head.length)).first()
        prev = record_of(prow) if prow is not None else None
    if prev is None and head.length:
        # the head's record is missing: refuse to fork the chain
        raise RuntimeError("report chain head record missing")
    rec = new_record(prev, id=new_id(), kind=kind, received_at=format_time(now), content=content,
                     screenshot=screenshot)
    conn.execute(insert(report_records).values(
        id=rec.id, user_id=user_id, seq=rec.seq, kind=rec.kind, report_id=report_id,
        received_at=rec.received_at, content=json.dumps(rec.content, ensure_ascii=False, sort_keys=True),
        screenshot_sha256=rec.screenshot_sha256, prev_sha256=rec.prev_sha256, sha256=rec.sha256,
        idempotency_key_sha256=idempotency_key_sha256))
    if screenshot is not None:
        conn.execute(insert(report_screenshots).values(record_id=rec.id, data=screenshot))
    conn.execute(update(report_chains).where(report_chains.c.user_id == user_id).values(
        length=rec.seq, head_sha256=rec.sha256, updated_at=now))
    return rec


def record_by_idempotency_key(conn: Connection, user_id: int, key_sha256: str):
    """The user's record filed with this (hashed) Idempotency-Key, or None."""
    return conn.execute(select(report_records).where(
        report_records.c.user_id == user_id, report_records.c.idempotency_key_sha256 == key_sha256)).first()


def chain_records(conn: Connection, user_id: int) -> list[ChainRecord]:
    rows = conn.execute(select(report_records).where(report_records.c.user_id == user_id)
                        .order_by(report_records.c.seq)).all()
    out = []
    for r in rows:
        try:
            out.append(record_of(r))
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


def report_rows(conn: Connection, user_id: int, limit: int, offset: int = 0, before_seq: int | None = None) -> list:
    q = select(report_records).where(report_records.c.user_id == user_id, report_records.c.kind == "report")
    if before_seq is not None:   # cursor paging: the page after the report with this seq
        q = q.where(report_records.c.seq < before_seq)
    return conn.execute(q.order_by(report_records.c.seq.desc()).limit(limit).offset(offset)).all()


def count_reports(conn: Connection, user_id: int) -> int:
    return conn.execute(select(func.count()).select_from(report_records).where(
        report_records.c.user_id == user_id, report_records.c.kind == "report")).scalar_one()


def records_filed_since(conn: Connection, user_id: int, since: str) -> int:
    """Records (reports and status changes) the user appended at or after ``since`` (ISO time)."""
    return conn.execute(select(func.count()).select_from(report_records).where(
        report_records.c.user_id == user_id, report_records.c.received_at >= since)).scalar_one()


def screenshot_bytes(conn: Connection, user_id: int) -> int:
    """Total size of the user's stored screenshots (computed by the database, no blob is read)."""
    return int(conn.execute(select(func.coalesce(func.sum(func.length(report_screenshots.c.data)), 0))
                            .join(report_records, report_records.c.id == report_screenshots.c.record_id)
                            .where(report_records.c.user_id == user_id)).scalar_one())


VERIFY_PAGE = 200


def iter_chain(conn: Connection, user_id: int, page: int = VERIFY_PAGE) -> Iterator[tuple[ChainRecord, bool]]:
    """The user's chain in sequence order, ``page`` rows per query (keyset pagination, any
    database), as (record, has a stored screenshot).  Screenshots are not read here: see
    :class:`StreamedScreenshots`.  Memory stays at one page whatever the chain's length."""
    last = 0
    has_shot = report_screenshots.c.record_id.is_not(None).label("has_shot")
    while True:
        rows = conn.execute(select(report_records, has_shot)
                            .outerjoin(report_screenshots, report_screenshots.c.record_id == report_records.c.id)
                            .where(report_records.c.user_id == user_id, report_records.c.seq > last)
                            .order_by(report_records.c.seq).limit(page)).all()
        if not rows:
            return
        for r in rows:
            try:
                rec = record_of(r)
            except (ValueError, TypeError):  # unparsable content: keep it so verify names it
                rec = ChainRecord(seq=r.seq, id=r.id, kind=r.kind, received_at=r.received_at,
                                  content={"__unparsable__": True}, screenshot_sha256=r.screenshot_sha256,
                                  prev_sha256=r.prev_sha256, sha256=r.sha256 + "!")
            yield rec, bool(r.has_shot)
        last = rows[-1].seq


class StreamedScreenshots(Mapping):
    """The ``screenshots`` mapping policy.chain.verify() expects, read one blob at a time when
    verify reaches its record (never all of a user's screenshots at once)."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._ids: set[str] = set()

    def expect(self, record_id: str) -> None:
        self._ids.add(record_id)

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._ids

    def __getitem__(self, record_id: str) -> bytes | None:
        self._ids.discard(record_id)
        return screenshot_of(self._conn, record_id)

    def __iter__(self):
        return iter(list(self._ids))

    def __len__(self) -> int:
        return len(self._ids)

"""Repository functions for the repeat-offender signal (issue 13); the tables are in schema.py.

* ``offender_events``   one row per hostile item seen by /v1/shield: sender pseudonym, recipient
                        pseudonym, time, hostile labels, score, severity.  Never text, never a raw id.
                        Rows older than the retention are deleted as new items arrive.
* ``offenders``         one row per sender pseudonym: first/last seen and the flag state.
                        Written under a per-sender lock, so concurrent workers decide one flag.
* ``offender_flags``    one row per flag raised (for the monthly transparency counts).
* ``offender_reviews``  what an operator decided, with an optional note.
"""
from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any, Iterable, Mapping, Sequence

from sqlalchemy import Connection, delete, distinct, func, insert, or_, select, text, update

from ..policy import offenders as policy
from ..policy.clock import ensure_utc, format_time
from .schema import offender_events, offender_flags, offender_reviews, offenders

_SENDER_LOCK_BASE = 0x4F46 << 48   # "OF": per-sender advisory lock keys, apart from the per-user ones


def lock_sender(conn: Connection, sender: str) -> None:
    """Serialise one sender's read-decide-write across workers (PostgreSQL advisory transaction
    lock; SQLite writers are already serialised by BEGIN IMMEDIATE).  Callers lock several
    senders in sorted order, so they cannot deadlock on each other."""
    if conn.engine.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _SENDER_LOCK_BASE + int(sender[:12], 16)})


def load_state(conn: Connection, sender: str):
    row = conn.execute(select(offenders).where(offenders.c.sender == sender)).first()
    if row is None:
        return None, policy.FlagState()
    return row, policy.FlagState(row.flagged_at, row.met_until, row.reviewed_at, row.review_outcome)


def add_events(conn: Connection, sender: str, recipient: str, at: datetime,
               items: Sequence[tuple[Sequence[str], float, str]]) -> None:
    conn.execute(insert(offender_events), [
        {"sender": sender, "recipient": recipient, "at": at, "labels": ",".join(labels)[:120],
         "score": float(score), "severity": severity if severity in policy.SEVERITIES else "none"}
        for labels, score, severity in items])


def latest_per_recipient(conn: Connection, sender: str, since: datetime) -> dict[str, datetime]:
    q = (select(offender_events.c.recipient, func.max(offender_events.c.at))
         .where(offender_events.c.sender == sender, offender_events.c.at > since)
         .group_by(offender_events.c.recipient))
    return {r: ensure_utc(_as_dt(t)) for r, t in conn.execute(q).all()}


def _as_dt(value: Any) -> datetime:
    """func.max() over a UTCDateTime comes back untyped on SQLite (a string)."""
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def save_state(conn: Connection, row, sender: str, state: policy.FlagState, now: datetime,
               seen_at: datetime | None = None) -> None:
    values = {"flagged_at": state.flagged_at, "met_until": state.met_until, "reviewed_at": state.reviewed_at,
              "review_outcome": state.review_outcome, "updated_at": now}
    if row is None:
        conn.execute(insert(offenders).values(sender=sender, first_seen=seen_at or now, last_seen=seen_at or now,
                                              **values))
        return
    if seen_at is not None:
        values["last_seen"] = max(ensure_utc(row.last_seen), ensure_utc(seen_at))
    conn.execute(update(offenders).where(offenders.c.sender == sender).values(**values))


def add_flag(conn: Connection, sender: str, at: datetime) -> None:
    conn.execute(insert(offender_flags).values(sender=sender, flagged_at=at))


def prune(conn: Connection, sender: str, before: datetime) -> None:
    conn.execute(delete(offender_events).where(offender_events.c.sender == sender, offender_events.c.at < before))


def add_review(conn: Connection, sender: str, outcome: str, note: str | None, reviewer: str, now: datetime) -> dict:
    rid = str(uuid.uuid4())
    conn.execute(insert(offender_reviews).values(id=rid, sender=sender, outcome=outcome, note=note,
                                                 reviewer=reviewer, created_at=now))
    return {"id": rid, "outcome": outcome, "note": note, "reviewer": reviewer, "created_at": format_time(now)}


def reviews_of(conn: Connection, senders: Iterable[str]) -> dict[str, list[dict]]:
    senders = list(senders)
    out: dict[str, list[dict]] = defaultdict(list)
    if not senders:
        return out
    rows = conn.execute(select(offender_reviews).where(offender_reviews.c.sender.in_(senders))
                        .order_by(offender_reviews.c.created_at.desc(), offender_reviews.c.id)).all()
    for r in rows:
        out[r.sender].append({"id": r.id, "outcome": r.outcome, "note": r.note, "reviewer": r.reviewer,
                              "created_at": format_time(r.created_at)})
    return out


# ---------------------------------------------------------------------------
# records as the operator sees them

def _aggregates(conn: Connection, senders: Sequence[str], since: datetime) -> dict[str, dict]:
    """Per sender, over items after ``since``: recipients, items, label counts, max severity."""
    agg: dict[str, dict] = {s: {"recipients": 0, "hostile_items": 0, "labels": {}, "severities": set()}
                            for s in senders}
    if not senders:
        return agg
    e = offender_events.c
    cond = (e.sender.in_(list(senders)), e.at > since)
    for s, n_recipients, n_items in conn.execute(
            select(e.sender, func.count(distinct(e.recipient)), func.count()).where(*cond).group_by(e.sender)):
        agg[s]["recipients"], agg[s]["hostile_items"] = int(n_recipients), int(n_items)
    for s, labels, severity, n in conn.execute(
            select(e.sender, e.labels, e.severity, func.count()).where(*cond).group_by(e.sender, e.labels, e.severity)):
        counts = agg[s]["labels"]
        for label in filter(None, labels.split(",")):
            counts[label] = counts.get(label, 0) + int(n)
        agg[s]["severities"].add(severity)
    return agg


def records(conn: Connection, rows: Sequence, now: datetime, days: int, pol: policy.OffenderPolicy) -> list[dict]:
    senders = [r.sender for r in rows]
    period = _aggregates(conn, senders, ensure_utc(now) - timedelta(days=days))
    window = _aggregates(conn, senders, ensure_utc(now) - pol.window)
    reviews = reviews_of(conn, senders)
    out = []
    for r in rows:
        state = policy.FlagState(r.flagged_at, r.met_until, r.reviewed_at, r.review_outcome)
        a = period[r.sender]
        ends = policy.clears_at(state, pol)
        st = policy.status(state, now, pol)
        out.append({
            "id": r.sender,
            "status": st,
            "recipients": a["recipients"],
            "hostile_items": a["hostile_items"],
            "labels": dict(sorted(a["labels"].items(), key=lambda kv: (-kv[1], kv[0]))),
            "max_severity": policy.max_severity(a["severities"]),
            "window_recipients": window[r.sender]["recipients"],
            "first_seen": format_time(r.first_seen),
            "last_seen": format_time(r.last_seen),
            "flagged_at": format_time(r.flagged_at) if r.flagged_at else None,
            "clears_at": format_time(ends) if ends is not None and st != "cleared" else None,
            "reviews": reviews.get(r.sender, []),
        })
    return out


def record(conn: Connection, sender: str, now: datetime, days: int, pol: policy.OffenderPolicy) -> dict | None:
    row = conn.execute(select(offenders).where(offenders.c.sender == sender)).first()
    return records(conn, [row], now, days, pol)[0] if row is not None else None


def list_records(conn: Connection, status: str, now: datetime, days: int, pol: policy.OffenderPolicy,
                 limit: int) -> list[dict]:
    since = ensure_utc(now) - timedelta(days=days)
    q = select(offenders)
    if status == "all":
        q = q.where(or_(offenders.c.flagged_at.is_not(None), offenders.c.last_seen > since))
    else:
        q = q.where(offenders.c.flagged_at.is_not(None))
    rows = conn.execute(q).all()
    if status != "all":
        rows = [r for r in rows if policy.status(policy.FlagState(r.flagged_at, r.met_until, r.reviewed_at,
                                                                  r.review_outcome), now, pol) == status]
    out = records(conn, rows, now, days, pol)
    out.sort(key=lambda o: (-o["recipients"], -o["hostile_items"], o["id"]))
    return out[:limit]


# ---------------------------------------------------------------------------
# monthly counts for /transparency and /v1/stats

def monthly_counts(conn: Connection, now: datetime, months: int = 12) -> list[dict]:
    """The last ``months`` calendar months (UTC), oldest first: distinct senders flagged and
    reviewed, and reviews by outcome."""
    now = ensure_utc(now)
    keys = []
    y, m = now.year, now.month
    for _ in range(months):
        keys.append(f"{y:04d}-{m:02d}")
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    keys.reverse()
    first = datetime(int(keys[0][:4]), int(keys[0][5:]), 1, tzinfo=now.tzinfo)
    flagged: dict[str, set] = defaultdict(set)
    reviewed: dict[str, set] = defaultdict(set)
    outcomes: dict[str, dict[str, int]] = defaultdict(lambda: {o: 0 for o in policy.OUTCOMES})
    for sender, at in conn.execute(select(offender_flags.c.sender, offender_flags.c.flagged_at)
                                   .where(offender_flags.c.flagged_at >= first)):
        flagged[format_time(at)[:7]].add(sender)
    for sender, outcome, at in conn.execute(
            select(offender_reviews.c.sender, offender_reviews.c.outcome, offender_reviews.c.created_at)
            .where(offender_reviews.c.created_at >= first)):
        month = format_time(at)[:7]
        reviewed[month].add(sender)
        if outcome in policy.OUTCOMES:
            outcomes[month][outcome] += 1
    return [{"month": k, "flagged": len(flagged[k]), "reviewed": len(reviewed[k]),
             "outcomes": dict(outcomes[k])} for k in keys]


def totals_of(months: Sequence[Mapping[str, Any]]) -> dict:
    out = {"flagged": 0, "reviewed": 0, "outcomes": {o: 0 for o in policy.OUTCOMES}}
    for m in months:
        out["flagged"] += m["flagged"]
        out["reviewed"] += m["reviewed"]
        for o, n in m["outcomes"].items():
            out["outcomes"][o] += n
    return out

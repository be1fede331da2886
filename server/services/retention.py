"""Retention: records of each kind are deleted once older than their setting (in days; 0 keeps
them until the user deletes their data).  A background thread in every worker runs the job every
``retention_interval_seconds``; ``kindshield-server cleanup`` runs it once (for cron, or with the
interval set to 0).  Several workers running it at once is harmless (each DELETE is idempotent);
on PostgreSQL a try-lock lets one of them do the work.

==============================  ======================================  =======
setting (KINDSHIELD_...)        what                                    default
==============================  ======================================  =======
RETENTION_REPORTS_DAYS          reports and status records (chain       0 (keep)
                                prefix; the chain still verifies)
RETENTION_SCREENSHOTS_DAYS      report screenshots (the sha256 stays)   0 (keep)
RETENTION_NOTICES_DAYS          notices, ended lockdowns                180
RETENTION_NUDGES_DAYS           writer nudges and their outcomes        90
RETENTION_STATS_DAYS            per-day counters, offender flag counts  400
RETENTION_OUTBOX_DAYS           delivered/failed webhook events and     30
                                their delivery attempts
OFFENDER_RETENTION_DAYS         hostile-item records of every sender,   90
                                then senders with none left
RETENTION_OFFENDER_REVIEWS_DAYS operators' offender reviews             365
==============================  ======================================  =======
"""
from __future__ import annotations

import logging
import os
import threading
from datetime import datetime, timedelta, timezone
from typing import Callable

from sqlalchemy import text

from .. import metrics
from ..store import Store
from ..store import feature_clock as clock_store
from ..store import retention as repo

log = logging.getLogger("kindshield.retention")
EXTENSION_KEY = "kindshield.retention"
_JOB_LOCK_ID = 0x52455445   # "RETE": pg_try_advisory_xact_lock key


def now_for(store: Store, config) -> datetime:
    """The feature clock outside a request: the system clock, shifted by the test clock's offset
    when that is enabled (so retention is tested by moving the clock)."""
    t = datetime.now(timezone.utc)
    if getattr(config, "test_clock", False):
        with store.read() as conn:
            t = t + clock_store.clock_offset(conn)
    return t


def _days(config, name: str) -> float:
    return float(getattr(config, name, 0) or 0)


def run_once(store: Store, config, now: datetime | None = None) -> dict[str, int]:
    """Apply every retention setting once; returns rows deleted per kind."""
    now = now or now_for(store, config)
    done: dict[str, int] = {}

    def step(kind: str, setting: str, fn: Callable, minimum: timedelta = timedelta(0)) -> None:
        days = _days(config, setting)
        if days <= 0:
            return
        cutoff = now - max(timedelta(days=days), minimum)
        with store.begin() as conn:
            done[kind] = done.get(kind, 0) + int(fn(conn, cutoff) or 0)

    if _days(config, "retention_reports_days") > 0:
        cutoff = now - timedelta(days=_days(config, "retention_reports_days"))
        with store.read() as conn:
            users = repo.users_with_reports_before(conn, cutoff)
        done["reports"] = 0
        for uid in users:
            with store.begin(uid) as conn:   # the user's lock: no report is filed meanwhile
                done["reports"] += repo.prune_report_chain(conn, uid, cutoff, now)
    step("screenshots", "retention_screenshots_days", lambda c, t: repo.prune_screenshots(c, t, now))
    step("notices", "retention_notices_days", repo.prune_notices)
    step("lockdowns", "retention_notices_days", repo.prune_lockdowns)
    step("nudges", "retention_nudges_days", repo.prune_nudges)
    step("stats", "retention_stats_days", repo.prune_daily_counters)
    step("offender_flags", "retention_stats_days", repo.prune_offender_flags)
    step("outbox", "retention_outbox_days", repo.prune_outbox)
    # the flag decision needs two windows of history, as services/offenders.retention() says
    window = timedelta(days=_days(config, "offender_window_days"))
    step("offender_events", "offender_retention_days", repo.prune_offender_events, 2 * window)
    step("offenders", "offender_retention_days", repo.prune_offenders, 2 * window)
    step("offender_reviews", "retention_offender_reviews_days", repo.prune_offender_reviews)
    for kind, n in done.items():
        if n:
            metrics.inc("kindshield_retention_deleted_total", {"kind": kind}, n)
    return done


def run_if_first(store: Store, config) -> dict[str, int] | None:
    """run_once, unless another worker is running it right now (PostgreSQL try-lock)."""
    if store.dialect != "postgresql":
        return run_once(store, config)
    with store.engine.connect() as conn:
        with conn.begin():
            if not conn.execute(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": _JOB_LOCK_ID}).scalar():
                return None
            return run_once(store, config)


class RetentionJob:
    """One thread per worker process (started again after a fork)."""

    def __init__(self, store: Store, config) -> None:
        self.store, self.config = store, config
        self.interval = float(config.retention_interval_seconds)
        self._pid = 0
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.stop = threading.Event()

    def ensure_running(self) -> None:
        if self._pid == os.getpid() and self._thread is not None and self._thread.is_alive():
            return
        with self._lock:
            if self._pid == os.getpid() and self._thread is not None and self._thread.is_alive():
                return
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._run, name="kindshield-retention", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while not self.stop.wait(self.interval):
            try:
                deleted = run_if_first(self.store, self.config)
                if deleted and any(deleted.values()):
                    log.info("retention: deleted %s", ", ".join(f"{k}={v}" for k, v in deleted.items() if v))
            except Exception as exc:  # noqa: BLE001 - keep the thread alive; the database may be down
                log.warning("retention job: %s (next run in %.0fs)", type(exc).__name__, self.interval)


def init_app(app) -> None:
    config = app.config["KINDSHIELD"]
    if float(getattr(config, "retention_interval_seconds", 0) or 0) <= 0:
        return
    from ..store import EXTENSION_KEY as STORE_KEY

    job = RetentionJob(app.extensions[STORE_KEY], config)
    app.extensions[EXTENSION_KEY] = job

    @app.before_request
    def _ensure_retention_job():
        job.ensure_running()

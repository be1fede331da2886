"""Counts of texts analysed through /v1/analyze and the Perspective route: collected by an
analysis listener (counts only, never text) and written to ``daily_counters`` in small batches.

The app owns the buffer and its writer thread: :func:`init_app` (called by create_app) puts an
:class:`AnalysisCounts` in ``app.extensions``; its thread starts with the first counted analysis
(so it runs in each gunicorn worker, after the fork) and stops, after a last write, at exit.
/v1/shield and /v1/precheck count themselves, in their own transaction.
"""
from __future__ import annotations

import atexit
import logging
import threading
from collections import defaultdict
from datetime import datetime, timezone

from flask import current_app, has_app_context

from .. import analysis
from ..clock import now
from ..store import get_store
from ..store import stats as stats_store

log = logging.getLogger("kindshield.stats")

EXTENSION_KEY = "kindshield.analysis_counts"
OWN_SOURCES = frozenset({"shield", "precheck"})  # these count themselves, in their own transaction
FLUSH_SECONDS = 5.0


class AnalysisCounts:
    """Per-user, per-day counts waiting to be written, and the thread that writes them."""

    def __init__(self, app, flush_seconds: float = FLUSH_SECONDS) -> None:
        self.app = app
        self.flush_seconds = flush_seconds
        self._lock = threading.Lock()
        self._counts: dict[tuple[int, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    def add(self, user_id: int, day: str, analysed: int, flagged: int) -> None:
        with self._lock:
            c = self._counts[(user_id, day)]
            c["analysed"] += analysed
            c["flagged"] += flagged
            if not self._stop.is_set() and (self._thread is None or not self._thread.is_alive()):
                # a background writer per process (started lazily: after a gunicorn fork), so a slow or
                # locked database never delays analysis
                self._thread = threading.Thread(target=self._run, name="kindshield-stats", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.flush_seconds):
            self.flush()

    def flush(self) -> None:
        """Write the pending counts now (kept for the next try when the database fails)."""
        with self._lock:
            if not self._counts:
                return
            pending = self._counts
            self._counts = defaultdict(lambda: defaultdict(int))
        try:
            ctx = None if has_app_context() else self.app.app_context()
            if ctx is not None:
                ctx.push()
            try:
                with get_store().begin() as conn:
                    for (uid, day), counts in pending.items():
                        when = datetime.fromisoformat(day).replace(hour=12, tzinfo=timezone.utc)
                        stats_store.bump(conn, uid, when, counts)
            finally:
                if ctx is not None:
                    ctx.pop()
        except Exception as exc:  # statistics must never break analysis; keep the counts for next time
            log.warning("could not write analysis counters: %s", type(exc).__name__)
            with self._lock:
                for key, counts in pending.items():
                    for k, v in counts.items():
                        self._counts[key][k] += v

    def stop(self) -> None:
        """Stop the writer thread and write what is left."""
        self._stop.set()
        thread = self._thread
        if thread is not None and thread.is_alive() and thread is not threading.current_thread():
            thread.join(timeout=self.flush_seconds + 5)
        self.flush()


def _on_analysis(event) -> None:
    if event.user_id is None or event.source in OWN_SOURCES:
        return
    counts: AnalysisCounts | None = current_app.extensions.get(EXTENSION_KEY)
    if counts is None:
        return
    flagged = sum(1 for r in event.results if getattr(r, "toxic", False))
    counts.add(event.user_id, now().date().isoformat(), len(event.results), flagged)


def flush() -> None:
    """Write the current app's pending counts (before reading the counters)."""
    counts: AnalysisCounts | None = current_app.extensions.get(EXTENSION_KEY)
    if counts is not None:
        counts.flush()


def init_app(app) -> AnalysisCounts:
    counts = AnalysisCounts(app)
    app.extensions[EXTENSION_KEY] = counts
    analysis.add_listener(_on_analysis)
    atexit.register(counts.stop)
    return counts

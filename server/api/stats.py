"""GET /v1/stats?days=30: per-day counts (analysed, flagged, folded, blocked, nudges shown and
heeded, notices, lockdowns, reports) and totals. Your own figures; an admin key gets the
instance-wide figures (``?scope=user`` for the admin's own).

Counts of texts analysed through /v1/analyze and the Perspective route are collected by an
analysis listener (counts only) and written in small batches.
"""
from __future__ import annotations

import atexit
import logging
import threading
import time
from collections import defaultdict
from datetime import timedelta

from marshmallow import fields, validate

from .. import analysis
from ..auth import current_user, require_auth
from ..policy.stats import MAX_DAYS, day_range, heeded_rate, series
from ..store import get_store
from ..store import features as fs
from ..store import offenders as offender_store
from . import ApiBlueprint, StrictSchema
from .protection import now

log = logging.getLogger("kindshield.stats")

blp = ApiBlueprint("stats", __name__, url_prefix="/v1", description="Statistics")

OWN_SOURCES = frozenset({"shield", "precheck"})  # these count themselves, in their own transaction
FLUSH_SECONDS = 5.0


class StatsQuerySchema(StrictSchema):
    days = fields.Integer(load_default=30, validate=validate.Range(min=1, max=MAX_DAYS))
    scope = fields.String(load_default=None, validate=validate.OneOf(("user", "instance")))


def stats_payload(conn, user_id, t, days):
    first = day_range(t, days)[0].isoformat()
    s = series(fs.counter_rows(conn, user_id, first), t, days)
    s["nudge_heeded_rate"] = heeded_rate(s["totals"])
    return s


@blp.route("/stats", methods=["GET"])
@require_auth
@blp.arguments(StatsQuerySchema, location="query")
def stats(args):
    """Per-day counters for the last `days` days (UTC), zero-filled, with totals."""
    user = current_user()
    scope = args["scope"] or ("instance" if user.is_admin else "user")
    if scope == "instance" and not user.is_admin:
        from ..errors import forbidden

        raise forbidden("Instance-wide statistics need an admin key.")
    _flush(force=True)
    t = now()
    with get_store().read() as conn:
        payload = stats_payload(conn, None if scope == "instance" else user.id, t, args["days"])
        if scope == "instance":   # monthly repeat-offender counts: instance-wide only
            months = offender_store.monthly_counts(conn, t)
            payload["offenders"] = {"months": months, "totals": offender_store.totals_of(months)}
    return {"scope": scope, **payload}


# ---------------------------------------------------------------------------
# analysis listener: buffered per-user counts for /v1/analyze and the Perspective route

class _Buffer:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: dict[tuple[int, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.last_flush = time.monotonic()
        self.app = None
        self.thread: threading.Thread | None = None


_buf = _Buffer()


def _listener(event) -> None:
    if event.user_id is None or event.source in OWN_SOURCES:
        return
    t = now()
    day = t.date().isoformat()
    flagged = sum(1 for r in event.results if getattr(r, "toxic", False))
    with _buf.lock:
        c = _buf.counts[(event.user_id, day)]
        c["analysed"] += len(event.results)
        c["flagged"] += flagged
        if _buf.thread is None or not _buf.thread.is_alive():
            # a background writer per process (started lazily: after a gunicorn fork), so a slow or
            # locked database never delays analysis
            _buf.thread = threading.Thread(target=_flusher, name="kindshield-stats", daemon=True)
            _buf.thread.start()


def _flusher() -> None:
    while True:
        time.sleep(FLUSH_SECONDS)
        _flush(force=True)


def _flush(force: bool = False) -> None:
    with _buf.lock:
        if not _buf.counts or (not force and time.monotonic() - _buf.last_flush < FLUSH_SECONDS):
            return
        pending = _buf.counts
        _buf.counts = defaultdict(lambda: defaultdict(int))
        _buf.last_flush = time.monotonic()
    try:
        from datetime import datetime, timezone

        from flask import has_app_context

        app = _buf.app
        if app is None:
            return
        ctx = None if has_app_context() else app.app_context()
        if ctx is not None:
            ctx.push()
        try:
            with get_store().begin() as conn:
                for (uid, day), counts in pending.items():
                    when = datetime.fromisoformat(day).replace(hour=12, tzinfo=timezone.utc)
                    fs.bump(conn, uid, when, counts)
        finally:
            if ctx is not None:
                ctx.pop()
    except Exception as exc:  # statistics must never break analysis; keep the counts for next time
        log.warning("could not write analysis counters: %s", type(exc).__name__)
        with _buf.lock:
            for key, counts in pending.items():
                for k, v in counts.items():
                    _buf.counts[key][k] += v


def init_app(app) -> None:
    _buf.app = app
    analysis.add_listener(_listener)
    atexit.register(_flush, True)

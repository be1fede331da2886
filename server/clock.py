"""The feature clock: "now" for every protection feature (lockdown expiry, pile-on windows,
per-day statistics, offender decay, report times).

In production it is the system clock.  With ``KINDSHIELD_TEST_CLOCK=1`` in the server's
environment (or ``app.config["KINDSHIELD_TEST_CLOCK"]``; off by default) an admin key may shift
it through ``PUT /v1/testing/clock`` (api/protection.py); the offset is kept in the database
(store/feature_clock.py), so every worker of the instance agrees on "now".
"""
from __future__ import annotations

from datetime import datetime

from flask import current_app, g

from .policy.clock import SystemClock
from .store import feature_clock as clock_store
from .store import get_store

TEST_CLOCK_ENV = "KINDSHIELD_TEST_CLOCK"
_CACHE_KEY = "_ks_feature_now"
_system_clock = SystemClock()


def test_clock_enabled() -> bool:
    # app.config["KINDSHIELD_TEST_CLOCK"] lets a test app switch it on; otherwise the
    # setting read by config.py (KINDSHIELD_TEST_CLOCK).
    flag = current_app.config.get("KINDSHIELD_TEST_CLOCK")
    if flag is None:
        config = current_app.config.get("KINDSHIELD")
        flag = getattr(config, "test_clock", False)
    return str(flag).strip().lower() in ("1", "true", "yes", "on")


def real_now() -> datetime:
    """The system clock, never shifted."""
    return _system_clock.now()


def now() -> datetime:
    """The feature clock's "now" for this request (cached per request)."""
    cached = g.get(_CACHE_KEY)
    if cached is not None:
        return cached
    t = _system_clock.now()
    if test_clock_enabled():
        with get_store().read() as conn:
            t = t + clock_store.clock_offset(conn)
    setattr(g, _CACHE_KEY, t)
    return t


def forget() -> None:
    """Drop this request's cached "now" (after the test clock was moved)."""
    g.pop(_CACHE_KEY, None)

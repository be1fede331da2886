"""Clocks: every time-dependent decision takes its time from one of these.

Policy functions take an explicit ``now`` (an aware UTC ``datetime``); the
server obtains ``now`` from a :class:`Clock` so that tests can move time
forwards without sleeping.
"""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from typing import Protocol

UTC = timezone.utc


def ensure_utc(value: datetime) -> datetime:
    """Return ``value`` as an aware UTC datetime (naive values are taken as UTC)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def parse_time(value: str) -> datetime:
    """Parse an ISO 8601 timestamp ("Z" accepted); naive means UTC."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    return ensure_utc(datetime.fromisoformat(text))


def format_time(value: datetime) -> str:
    """ISO 8601 UTC with a trailing Z and at most microsecond precision."""
    v = ensure_utc(value)
    if v.microsecond:
        return v.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return v.strftime("%Y-%m-%dT%H:%M:%SZ")


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    """Wall-clock time, UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told to (tests, the test-only clock hook)."""

    def __init__(self, start: datetime | None = None) -> None:
        self._lock = threading.Lock()
        self._now = ensure_utc(start) if start is not None else datetime.now(UTC)

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def set(self, value: datetime) -> None:
        with self._lock:
            self._now = ensure_utc(value)

    def advance(self, delta: timedelta) -> datetime:
        with self._lock:
            self._now = self._now + delta
            return self._now

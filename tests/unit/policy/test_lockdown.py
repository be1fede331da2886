from datetime import datetime, timedelta, timezone

import pytest

from kindshield_server.policy.clock import ManualClock, format_time, parse_time
from kindshield_server.policy.lockdown import (
    DURATIONS_HOURS,
    Lockdown,
    LockdownError,
    recap,
    reminder_lead,
    reminder_message,
)

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("hours", DURATIONS_HOURS)
def test_durations_until_and_reminder(hours):
    lk = Lockdown.start(T0, hours)
    assert lk.until == T0 + timedelta(hours=hours)
    assert lk.reminder_due_at == lk.until - timedelta(hours=12)
    assert lk.is_active(T0) and lk.is_active(lk.until - timedelta(seconds=1))
    assert not lk.is_active(lk.until)
    assert lk.state(lk.until) == "expired"


@pytest.mark.parametrize("bad", [0, 1, 48, "24", 24.0, True, None])
def test_invalid_durations(bad):
    with pytest.raises(LockdownError):
        Lockdown.start(T0, bad)


def test_reminder_at_half_when_shorter():
    assert reminder_lead(timedelta(hours=10)) == timedelta(hours=5)
    assert reminder_lead(timedelta(hours=24)) == timedelta(hours=12)
    assert reminder_lead(timedelta(hours=720)) == timedelta(hours=12)


def test_reminder_and_recap_due_with_manual_clock():
    clock = ManualClock(T0)
    lk = Lockdown.start(clock.now(), 72)
    assert not lk.reminder_due(clock.now(), False)
    clock.advance(timedelta(hours=59, minutes=59))
    assert not lk.reminder_due(clock.now(), False)
    clock.advance(timedelta(minutes=1))
    assert lk.reminder_due(clock.now(), False)
    assert not lk.reminder_due(clock.now(), True)
    msg = reminder_message(lk, clock.now())
    assert "12 hours" in msg["message"] and msg["type"] == "lockdown_reminder"
    assert not lk.recap_due(clock.now(), False)
    clock.advance(timedelta(hours=12))
    assert lk.recap_due(clock.now(), False) and not lk.recap_due(clock.now(), True)
    assert not lk.reminder_due(clock.now(), False)  # too late for a reminder once it ended
    r = recap(lk, folded=3, blocked=1)
    assert r["folded"] == 3 and r["blocked"] == 1 and "3 items were folded" in r["message"]
    assert "1 item was blocked" in r["message"]


def test_end_early():
    lk = Lockdown.start(T0, 24)
    ended = lk.end_early(T0 + timedelta(hours=2))
    assert ended.state(T0 + timedelta(hours=3)) == "ended_early"
    assert not ended.is_active(T0 + timedelta(hours=2))
    assert ended.recap_due(T0 + timedelta(hours=2), False)
    assert "ended early" in recap(ended, 0, 0)["message"]
    with pytest.raises(LockdownError):
        ended.end_early(T0 + timedelta(hours=4))
    d = ended.to_dict(T0 + timedelta(hours=3))
    assert d["active"] is False and d["ended_at"] == format_time(T0 + timedelta(hours=2))


def test_time_parsing_roundtrip():
    assert parse_time("2025-03-01T08:00:00Z") == T0
    assert parse_time(format_time(T0)) == T0
    assert parse_time("2025-03-01T16:00:00+08:00") == T0

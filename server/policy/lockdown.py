"""The one-click lockdown clock: durations, reminder, expiry and recap.

A lockdown is fully described by when it started, how long it was asked for
and (if the user ended it early) when it was ended; whether it is active, when
its reminder falls due and whether its recap is due are all computed from
those values and ``now``, so every worker sees the same state without any
background job.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from .clock import ensure_utc, format_time

DURATIONS_HOURS = (24, 72, 168, 720)
REMINDER_LEAD = timedelta(hours=12)


class LockdownError(ValueError):
    pass


def validate_duration(hours: Any) -> int:
    if isinstance(hours, bool) or not isinstance(hours, int) or hours not in DURATIONS_HOURS:
        raise LockdownError(f"duration_hours must be one of {', '.join(map(str, DURATIONS_HOURS))}")
    return hours


def reminder_lead(length: timedelta) -> timedelta:
    """12 hours before the end, or half the length if that is shorter."""
    return min(REMINDER_LEAD, length / 2)


@dataclass(frozen=True)
class Lockdown:
    started_at: datetime
    duration_hours: int
    ended_at: datetime | None = None  # set when ended early by the user

    @classmethod
    def start(cls, now: datetime, duration_hours: int) -> "Lockdown":
        return cls(started_at=ensure_utc(now), duration_hours=validate_duration(duration_hours))

    @property
    def until(self) -> datetime:
        return ensure_utc(self.started_at) + timedelta(hours=self.duration_hours)

    @property
    def length(self) -> timedelta:
        return timedelta(hours=self.duration_hours)

    @property
    def reminder_due_at(self) -> datetime:
        return self.until - reminder_lead(self.length)

    def end_time(self) -> datetime:
        """When it stopped (or will stop) protecting."""
        if self.ended_at is not None:
            return min(ensure_utc(self.ended_at), self.until)
        return self.until

    def is_active(self, now: datetime) -> bool:
        now = ensure_utc(now)
        return ensure_utc(self.started_at) <= now < self.end_time()

    def state(self, now: datetime) -> str:
        now = ensure_utc(now)
        if self.ended_at is not None and ensure_utc(self.ended_at) < self.until:
            return "ended_early" if now >= ensure_utc(self.ended_at) else "active"
        return "active" if now < self.until else "expired"

    def end_early(self, now: datetime) -> "Lockdown":
        if not self.is_active(now):
            raise LockdownError("lockdown is not active")
        return Lockdown(self.started_at, self.duration_hours, ensure_utc(now))

    def remaining(self, now: datetime) -> timedelta:
        return max(timedelta(0), self.end_time() - ensure_utc(now))

    def reminder_due(self, now: datetime, already_sent: bool) -> bool:
        return (not already_sent) and self.is_active(now) and ensure_utc(now) >= self.reminder_due_at

    def recap_due(self, now: datetime, already_sent: bool) -> bool:
        return (not already_sent) and ensure_utc(now) >= self.end_time()

    def to_dict(self, now: datetime) -> dict[str, Any]:
        return {
            "active": self.is_active(now),
            "state": self.state(now),
            "duration_hours": self.duration_hours,
            "started_at": format_time(self.started_at),
            "until": format_time(self.until),
            "ended_at": format_time(self.end_time()) if self.state(now) != "active" else None,
            "reminder_at": format_time(self.reminder_due_at),
            "remaining_seconds": int(self.remaining(now).total_seconds()),
        }


def reminder_message(lockdown: Lockdown, now: datetime) -> dict[str, Any]:
    hours = max(1, round(lockdown.remaining(now).total_seconds() / 3600))
    return {
        "type": "lockdown_reminder",
        "title": "Protection ends soon",
        "message": (f"One-click protection ends in about {hours} hour{'s' if hours != 1 else ''} "
                    f"(at {format_time(lockdown.until)}). Extend it if you still need it."),
        "message_zh": f"一键防护将在约 {hours} 小时后结束（{format_time(lockdown.until)}）。如仍需要，可以延长。",
        "until": format_time(lockdown.until),
        "recommended_action": "extend_protection",
    }


def recap(lockdown: Lockdown, folded: int, blocked: int) -> dict[str, Any]:
    """The recap shown after a lockdown ends: scores-free counts only."""
    ended = lockdown.end_time()
    how = "ended early" if lockdown.ended_at is not None and lockdown.ended_at < lockdown.until else "ended"
    return {
        "type": "lockdown_recap",
        "title": "Protection recap",
        "message": (f"One-click protection {how} at {format_time(ended)}. "
                    f"While it was on, {folded} item{'s were' if folded != 1 else ' was'} folded and "
                    f"{blocked} item{'s were' if blocked != 1 else ' was'} blocked."),
        "message_zh": f"一键防护已于 {format_time(ended)} 结束。期间折叠了 {folded} 条、拦截了 {blocked} 条内容。",
        "started_at": format_time(lockdown.started_at),
        "ended_at": format_time(ended),
        "folded": folded,
        "blocked": blocked,
    }

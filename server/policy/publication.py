"""What the public transparency page may show (pure): coarse periods and no small counts.

On a small instance the public figures are a few people's own activity: exact per-day counts
would tell anyone who can load the page when one person filed a report or turned on lockdown.
So figures are grouped by week (or month) and every count below ``min_count`` is withheld
(``None``, shown as "fewer than N"), including zero, which is as telling as one.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Iterable, Mapping

from .clock import ensure_utc
from .stats import COUNTERS

GRANULARITIES = ("week", "month", "day")
#: periods shown per granularity (the page's window)
PERIODS = {"week": 13, "month": 6, "day": 30}


def window_start(now: datetime, granularity: str) -> date:
    """The first day of the oldest period shown (weeks start on Monday, UTC)."""
    today = ensure_utc(now).date()
    if granularity == "day":
        return today - timedelta(days=PERIODS["day"] - 1)
    if granularity == "week":
        return today - timedelta(days=today.weekday()) - timedelta(weeks=PERIODS["week"] - 1)
    y, m = today.year, today.month - (PERIODS["month"] - 1)
    while m < 1:
        y, m = y - 1, m + 12
    return date(y, m, 1)


def period_of(day: date, granularity: str) -> date:
    if granularity == "week":
        return day - timedelta(days=day.weekday())
    if granularity == "month":
        return day.replace(day=1)
    return day


def withhold(value: int, min_count: int) -> int | None:
    return None if min_count > 0 and value < min_count else value


def periods(daily: Iterable[Mapping[str, Any]], granularity: str, min_count: int) -> list[dict]:
    """Group the per-day rows (``{"date": "YYYY-MM-DD", <counter>: n}``) into periods
    ``{"from", "to", <counter>: n | None}`` (oldest first), withholding small counts."""
    groups: dict[date, dict] = {}
    for row in daily:
        day = date.fromisoformat(row["date"])
        start = period_of(day, granularity)
        g = groups.setdefault(start, {"from": day.isoformat(), "to": day.isoformat(), **{c: 0 for c in COUNTERS}})
        g["to"] = max(g["to"], day.isoformat())
        g["from"] = min(g["from"], day.isoformat())
        for c in COUNTERS:
            g[c] += int(row.get(c, 0))
    return [{**g, **{c: withhold(g[c], min_count) for c in COUNTERS}} for _, g in sorted(groups.items())]


def withhold_all(counts: Mapping[str, Any], min_count: int) -> dict:
    """The same mapping with every int below ``min_count`` withheld (nested mappings too)."""
    out: dict = {}
    for k, v in counts.items():
        if isinstance(v, bool) or not isinstance(v, (int, Mapping)):
            out[k] = v
        elif isinstance(v, Mapping):
            out[k] = withhold_all(v, min_count)
        else:
            out[k] = withhold(v, min_count)
    return out

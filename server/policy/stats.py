"""Per-day counters: names and zero-filled series (pure helpers)."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Iterable, Mapping

from .clock import ensure_utc

COUNTERS = (
    "analysed", "flagged", "folded", "blocked", "nudges_shown", "nudges_heeded",
    "notices", "lockdowns", "reports",
)
MAX_DAYS = 365


def day_of(moment: datetime) -> date:
    return ensure_utc(moment).date()


def day_range(now: datetime, days: int) -> list[date]:
    """The ``days`` UTC dates ending today (oldest first)."""
    today = day_of(now)
    return [today - timedelta(days=i) for i in range(days - 1, -1, -1)]


def series(rows: Iterable[tuple[date | str, str, int]], now: datetime, days: int) -> dict[str, Any]:
    """Build ``{"days": [{"date", <counter>: n...}], "totals": {...}}`` from (day, counter, count) rows."""
    dates = day_range(now, days)
    table: dict[str, dict[str, int]] = {d.isoformat(): {c: 0 for c in COUNTERS} for d in dates}
    for day, counter, count in rows:
        key = day.isoformat() if isinstance(day, date) else str(day)
        if key in table and counter in table[key]:
            table[key][counter] += int(count)
    out_days = [{"date": k, **v} for k, v in table.items()]
    totals = {c: sum(d[c] for d in out_days) for c in COUNTERS}
    return {"from": dates[0].isoformat(), "to": dates[-1].isoformat(), "days": out_days, "totals": totals}


def heeded_rate(totals: Mapping[str, int]) -> float | None:
    shown = totals.get("nudges_shown", 0)
    return round(totals.get("nudges_heeded", 0) / shown, 4) if shown else None

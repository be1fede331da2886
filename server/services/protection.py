"""Lockdown notices (reminder, recap): computed from stored times and "now", so every worker agrees.

Called by every route that shows the user their protection state or notices (protection,
notices, shield), inside the user's write transaction.
"""
from __future__ import annotations

from datetime import datetime

from ..policy import lockdown as lockdown_policy
from ..policy.lockdown import Lockdown
from ..store import notices as notices_store
from ..store import protection as protection_store


def sync_lockdown_notices(conn, user_id: int, t: datetime) -> None:
    for row in protection_store.pending_lockdown_notices(conn, user_id):
        lk = Lockdown(row.started_at, row.duration_hours, row.ended_at)
        if lk.reminder_due(t, row.reminder_sent_at is not None):
            notices_store.add_notice(conn, user_id, "lockdown_reminder", f"reminder:{row.id}",
                                     {**lockdown_policy.reminder_message(lk, t), "lockdown_id": row.id}, t)
            protection_store.mark_lockdown(conn, row.id, reminder_sent_at=t)
        if lk.recap_due(t, row.recap_sent_at is not None):
            if row.reminder_sent_at is None:
                protection_store.mark_lockdown(conn, row.id, reminder_sent_at=t)  # too late for a reminder now
            notices_store.add_notice(conn, user_id, "lockdown_recap", f"recap:{row.id}",
                                     {**lockdown_policy.recap(lk, row.folded, row.blocked), "lockdown_id": row.id}, t)
            protection_store.mark_lockdown(conn, row.id, recap_sent_at=t)

"""The repeat-offender signal, wired to the server: settings, the hook /v1/shield calls inside
its write transaction, reviews, and the webhook events they cause.

Settings (``Config`` fields, so ``KINDSHIELD_*`` environment variables or the TOML file):
``offender_min_recipients`` (5), ``offender_window_days`` (7), ``offender_retention_days`` (90).
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any, Sequence

from flask import current_app
from sqlalchemy import Connection

from ..policy import offenders as policy
from ..store import offenders as repo
from . import offender_trust, webhooks

CONFIG_KEY = "kindshield.offender_policy"
DEFAULT_DAYS = 30


def _config():
    return current_app.config["KINDSHIELD"]


def offender_policy() -> policy.OffenderPolicy:
    cached = current_app.extensions.get(CONFIG_KEY)
    if cached is None:
        cfg = _config()
        cached = policy.OffenderPolicy(int(getattr(cfg, "offender_min_recipients", 5)),
                                       timedelta(days=float(getattr(cfg, "offender_window_days", 7.0))))
        current_app.extensions[CONFIG_KEY] = cached
    return cached


def retention() -> timedelta:
    days = float(getattr(_config(), "offender_retention_days", 90.0))
    # never shorter than what the flag decision needs
    return max(timedelta(days=days), 2 * offender_policy().window)


def sender_secret() -> str:
    """The instance secret that keys every sender pseudonym (the pile-on windows use it too)."""
    return getattr(_config(), "sender_hash_secret", "")


def pseudonym(raw_sender_id: str) -> str:
    return policy.sender_pseudonym(raw_sender_id, sender_secret())


def record_from_shield(conn: Connection, user_id: int, now: datetime, messages: Sequence[dict],
                       decisions: Sequence[Any], results: Sequence[Any]) -> None:
    """Count every hostile item of a /v1/shield batch for its sender (inside the batch's write
    transaction: all-or-nothing with the rest of the batch).  Allow-listed senders are not
    counted, as in the pile-on windows.  Stores pseudonyms, labels, score and severity only.
    Only trusted keys feed the signal, and only with countable ids (services/offender_trust.py)."""
    from flask import g

    if not offender_trust.key_feeds_offenders(g.get("current_user")):
        return
    secret = sender_secret()
    by_sender: dict[str, list] = defaultdict(list)
    for m, d, r in zip(messages, decisions, results):
        if d is None or not getattr(d, "hostile", False):
            continue
        if any(x.rule == "allow_list" for x in d.reasons):
            continue
        if not offender_trust.countable_sender_id(m["sender"].get("id")):
            continue
        by_sender[policy.sender_pseudonym(m["sender"]["id"], secret)].append(
            (tuple(d.hostile_labels), float(d.score), str(getattr(r, "severity", "none"))))
    if not by_sender:
        return
    from .rotation import rekey_from_config  # records kept under a previous secret move over first

    rekey_from_config(conn, _config(), [m["sender"]["id"] for m, d in zip(messages, decisions)
                                        if d is not None and getattr(d, "hostile", False)])
    pol = offender_policy()
    recipient = policy.recipient_pseudonym(user_id, secret)
    for sender in sorted(by_sender):   # a fixed lock order: concurrent batches cannot deadlock
        repo.lock_sender(conn, sender)
        row, state = repo.load_state(conn, sender)
        repo.add_events(conn, sender, recipient, now, by_sender[sender])
        latest = repo.latest_per_recipient(conn, sender, now - pol.window)
        new_state, flagged = policy.on_hostile(state, latest, now, pol)
        repo.save_state(conn, row, sender, new_state, now, seen_at=now)
        repo.prune(conn, sender, now - retention())
        if flagged:
            repo.add_flag(conn, sender, now)
            _event(conn, "offender.flagged", f"flagged:{sender}:{now.isoformat()}", sender, now)


def review(conn: Connection, sender: str, outcome: str, note: str | None, reviewer: str, now: datetime) -> dict | None:
    """Record an operator's decision; None when the sender is unknown."""
    repo.lock_sender(conn, sender)
    row, state = repo.load_state(conn, sender)
    if row is None:
        return None
    entry = repo.add_review(conn, sender, outcome, note, reviewer, now)
    repo.save_state(conn, row, sender, policy.review(state, outcome, now), now)
    _event(conn, "offender.reviewed", f"reviewed:{entry['id']}", sender, now, review=entry)
    return entry


def _event(conn: Connection, event: str, dedupe_key: str, sender: str, now: datetime, **extra: Any) -> None:
    if not webhooks.enabled():
        return
    pol = offender_policy()
    rec = repo.record(conn, sender, now, int(pol.window.total_seconds() // 86400) or 1, pol) or {"id": sender}
    rec.pop("reviews", None)
    data = {"offender": rec, "policy": {"min_recipients": pol.min_recipients,
                                        "window_days": pol.window.total_seconds() / 86400}, **extra}
    webhooks.enqueue(conn, event, dedupe_key, data, now)

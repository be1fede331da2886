"""Rotating secrets without losing history.

Sender-hash secret: set the new value as ``KINDSHIELD_SENDER_HASH_SECRET`` and list the old ones in
``KINDSHIELD_SENDER_HASH_PREVIOUS_SECRETS`` (comma-separated, newest first).  A sender's offender
records are re-keyed lazily -- the first time the sender is seen again (a hostile item in
/v1/shield, or an operator's lookup) -- from the old pseudonym to the new one, recipients
included, under the sender's lock; a sender never seen again keeps the old pseudonym until
retention deletes the records.  Remove an old secret once ``offender_retention_days`` have passed.
Pile-on windows (30 minutes by default) are not re-keyed: during the first window after the switch
a sender may count twice towards ``min_senders``.

Webhook secret: set ``KINDSHIELD_WEBHOOK_NEXT_SECRET``; every delivery then carries
``X-Kindshield-Signature-Next`` (HMAC with the next secret) beside ``X-Kindshield-Signature``.
When the receiver accepts either, make the next secret the secret and unset the next one.
"""
from __future__ import annotations

from typing import Iterable, Sequence

from sqlalchemy import Connection, select, update

from ..policy import offenders as policy
from ..store import offenders as repo
from ..store.schema import offender_events, offender_flags, offender_reviews, offenders, users

_recipient_maps: dict[tuple[str, str], dict[str, str]] = {}


def _recipient_map(conn: Connection, old_secret: str, new_secret: str) -> dict[str, str]:
    """old recipient pseudonym -> new one, for every user (computed once per process: users created
    after the switch never had an old pseudonym)."""
    key = (old_secret, new_secret)
    if key not in _recipient_maps:
        ids = [r[0] for r in conn.execute(select(users.c.id)).all()]
        _recipient_maps[key] = {policy.recipient_pseudonym(i, old_secret): policy.recipient_pseudonym(i, new_secret)
                                for i in ids}
    return _recipient_maps[key]


def rekey_senders(conn: Connection, raw_ids: Iterable[str], secret: str, previous: Sequence[str]) -> int:
    """Move the records of these senders from an old pseudonym to the current one; returns how
    many senders moved.  Locks in the same (sorted new-pseudonym) order as the offender hook."""
    previous = [p for p in previous if p and p != secret]
    if not previous:
        return 0
    pairs = sorted({(policy.sender_pseudonym(r, secret), r) for r in raw_ids})
    moved = 0
    for new, raw in pairs:
        olds = [(policy.sender_pseudonym(raw, p), p) for p in previous]
        found = conn.execute(select(offenders.c.sender).where(offenders.c.sender.in_([o for o, _ in olds]))).all()
        if not found:
            continue
        repo.lock_sender(conn, new)
        for old, old_secret in olds:
            if not conn.execute(select(offenders.c.sender).where(offenders.c.sender == old)).first():
                continue
            if conn.execute(select(offenders.c.sender).where(offenders.c.sender == new)).first():
                # both exist (seen under the new secret before the old was listed): keep the new state
                conn.execute(offenders.delete().where(offenders.c.sender == old))
            else:
                conn.execute(update(offenders).where(offenders.c.sender == old).values(sender=new))
            for table in (offender_events, offender_flags, offender_reviews):
                conn.execute(update(table).where(table.c.sender == old).values(sender=new))
            mapping = _recipient_map(conn, old_secret, secret)
            rows = conn.execute(select(offender_events.c.recipient).distinct()
                                .where(offender_events.c.sender == new)).all()
            for (recipient,) in rows:
                if recipient in mapping:
                    conn.execute(update(offender_events).where(offender_events.c.sender == new,
                                                               offender_events.c.recipient == recipient)
                                 .values(recipient=mapping[recipient]))
            moved += 1
    return moved


def rekey_from_config(conn: Connection, config, raw_ids: Iterable[str]) -> int:
    return rekey_senders(conn, raw_ids, getattr(config, "sender_hash_secret", ""),
                         tuple(getattr(config, "sender_hash_previous_secrets", ()) or ()))

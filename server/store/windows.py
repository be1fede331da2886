"""Where the pile-on sliding windows live: the database (default) or Redis.

Each recipient's window holds only (time, score, hashed sender id) of hostile inbound items:
never text, never a raw sender id.

* :class:`DatabaseWindow` (``window_store = "database"``): the ``hostile_events`` table.
* :class:`RedisWindow` (``window_store = "redis"``): one sorted set per recipient,
  ``<redis_prefix>:pileon:<user_id>``, score = event time (epoch seconds), member =
  ``"<score>|<sender hash>|<random>"``; pruned on every write and given a TTL of
  ``window + quiet period`` (+ margin), so an idle recipient's window disappears by itself.

``window_store = "auto"`` (the default) picks Redis when ``KINDSHIELD_REDIS_URL`` is set.

Race freedom does not depend on the window's home: ``/v1/shield`` adds events and assesses the
window while holding the recipient's ``pileon_state`` row lock (``SELECT ... FOR UPDATE`` on
PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite), the episode lives in that row, and a notice's
``(user_id, dedupe_key)`` is unique in the database.  Two workers can therefore never both decide
to raise a notice for one episode, and even if they did, only one row could be inserted.

Redis unreachable -> ``redis.exceptions.RedisError`` -> 503 + Retry-After (errors.py); the
database transaction around it rolls back, so nothing is acknowledged that was not stored.
"""
from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta, timezone
from typing import Iterable, Protocol

from sqlalchemy import Connection

from ..policy.pileon import HostileEvent
from . import pileon as pileon_store

log = logging.getLogger("kindshield.store")

EXTENSION_KEY = "kindshield.windows"
REDIS_KEY = "kindshield.redis"
TTL_MARGIN = timedelta(minutes=5)


class WindowStore(Protocol):
    name: str

    def add_and_read(self, conn: Connection, user_id: int, events: Iterable[HostileEvent], since: datetime,
                     prune_before: datetime, ttl: timedelta) -> list[HostileEvent]:
        """Add ``events`` to the recipient's window, drop events older than ``prune_before``,
        and return the events after ``since``.  Called inside the recipient's locked transaction."""


class DatabaseWindow:
    name = "database"

    def add_and_read(self, conn, user_id, events, since, prune_before, ttl):
        pileon_store.add_hostile_events(conn, user_id, list(events))
        return pileon_store.window_events(conn, user_id, since, prune_before)


def _ts(t: datetime) -> float:
    return t.timestamp()


class RedisWindow:
    name = "redis"

    def __init__(self, client, prefix: str) -> None:
        self.client = client
        self.prefix = prefix

    def key(self, user_id: int) -> str:
        return f"{self.prefix}:pileon:{int(user_id)}"

    def add_and_read(self, conn, user_id, events, since, prune_before, ttl):
        key = self.key(user_id)
        members = {}
        for e in events:
            members[f"{float(e.score):.6f}|{e.sender_hash}|{uuid.uuid4().hex[:12]}"] = _ts(e.at)
        pipe = self.client.pipeline(transaction=True)   # MULTI ... EXEC: one atomic step
        if members:
            pipe.zadd(key, members)
        pipe.zremrangebyscore(key, "-inf", f"({_ts(prune_before)!r}")
        pipe.zrangebyscore(key, f"({_ts(since)!r}", "+inf", withscores=True)
        pipe.expire(key, max(60, int((ttl + TTL_MARGIN).total_seconds())))
        results = pipe.execute()
        rows = results[-2]
        out = []
        for member, score in rows:
            if isinstance(member, bytes):
                member = member.decode("ascii", "replace")
            parts = member.split("|")
            if len(parts) != 3:
                continue
            out.append(HostileEvent(datetime.fromtimestamp(float(score), timezone.utc), float(parts[0]), parts[1]))
        return out


def make_redis_client(config):
    """One client (a thread-safe connection pool) per process, or None without a Redis URL.
    Short timeouts: an unreachable Redis answers 503 quickly instead of holding requests."""
    if not config.redis_url:
        return None
    import redis

    return redis.Redis.from_url(config.redis_url, socket_connect_timeout=2, socket_timeout=2,
                                retry_on_timeout=False, health_check_interval=15)


def resolve_window_store(config) -> str:
    choice = (config.window_store or "auto").strip().lower()
    if choice == "auto":
        return "redis" if config.redis_url else "database"
    if choice not in ("redis", "database"):
        raise ValueError(f"window_store: expected auto, redis or database, got {config.window_store!r}")
    if choice == "redis" and not config.redis_url:
        raise ValueError("window_store=redis needs KINDSHIELD_REDIS_URL")
    return choice


def make_window_store(config, redis_client) -> WindowStore:
    if resolve_window_store(config) == "redis":
        return RedisWindow(redis_client, config.redis_prefix)
    return DatabaseWindow()


def get_window_store() -> WindowStore:
    from flask import current_app

    store = current_app.extensions.get(EXTENSION_KEY)
    if store is None:  # an app built without create_app's wiring (tests): the database
        store = current_app.extensions[EXTENSION_KEY] = DatabaseWindow()
    return store


def redis_ping(client) -> bool:
    try:
        return bool(client.ping())
    except Exception as exc:  # noqa: BLE001 - readiness only reports
        log.warning("redis ping failed: %s", type(exc).__name__)
        return False

"""Signed webhooks to the platform: ``offender.flagged`` and ``offender.reviewed``.

An event is written to the outbox table in the transaction that caused it (so it exists exactly
when the change was committed), then a background thread in each worker process sends it:

    POST <KINDSHIELD_WEBHOOK_URL>
    Content-Type: application/json
    X-Kindshield-Event: offender.flagged
    X-Kindshield-Event-Id: <uuid>            (the body's "id": receivers can drop a repeat)
    X-Kindshield-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>." + raw body, keyed with
                            KINDSHIELD_WEBHOOK_SECRET>  (refuse t more than 300 s from now)

A 2xx answer delivers it; anything else (or no answer within ``webhook_timeout``) is retried
after ``webhook_retry_base_seconds * 2**(attempt-1)`` (at most an hour) until
``webhook_max_attempts``, then marked failed.  Every attempt is in the delivery log
(``GET /v1/admin/webhooks/deliveries``).  Which worker sends an event is decided by an atomic
claim in the database (store/webhooks.py), so many workers send each event once.  Sending
never happens in a request: a slow or failing receiver cannot delay /v1/shield.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import os
import socket
import threading
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any, Mapping

from flask import Flask, current_app, g

from .. import metrics
from ..store import get_store
from ..store import webhooks as outbox

log = logging.getLogger("kindshield.webhooks")

EXTENSION_KEY = "kindshield.webhooks"
SIGNATURE_HEADER = "X-Kindshield-Signature"
MAX_RETRY_DELAY = timedelta(hours=1)
CLAIM_BATCH = 10
USER_AGENT = "kindshield-webhook/1"


#: receivers should refuse a signature whose timestamp is further than this from their clock
SIGNATURE_TOLERANCE_SECONDS = 300


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    """``t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>." + body>``: the time is signed with the body,
    so a captured request replayed later is refused, while each retry is signed afresh."""
    t = int(time.time() if timestamp is None else timestamp)
    mac = hmac.new(secret.encode("utf-8"), f"{t}.".encode("ascii") + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


def verify_signature(secret: str, header: str, body: bytes, now: float | None = None,
                     tolerance: int = SIGNATURE_TOLERANCE_SECONDS) -> bool:
    """What a receiver does (see README): parse ``t`` and ``v1``, refuse a stale ``t``, compare."""
    parts = dict(p.split("=", 1) for p in (header or "").split(",") if "=" in p)
    try:
        t = int(parts.get("t", ""))
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - t) > tolerance:
        return False
    expected = sign(secret, body, t)
    return hmac.compare_digest(expected, f"t={t},v1={parts.get('v1', '')}")


def retry_delay(attempt: int, base_seconds: float) -> timedelta:
    return min(MAX_RETRY_DELAY, timedelta(seconds=base_seconds * (2 ** max(0, attempt - 1))))


def _wall_now() -> datetime:
    return datetime.now(timezone.utc)


def enabled() -> bool:
    return bool(getattr(current_app.config["KINDSHIELD"], "webhook_url", ""))


def enqueue(conn, event: str, dedupe_key: str, data: Mapping[str, Any], created_at: datetime) -> str | None:
    """Queue an event inside the caller's transaction; the sender thread is woken after the request."""
    event_id = outbox.enqueue(conn, event, dedupe_key, data, _wall_now(), created_at)
    if event_id:
        g.kindshield_webhook_queued = True
    return event_id


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):   # a redirect is a failed delivery, never followed
        return None


class WebhookSender:
    """One per process: claims due events and sends them, one at a time."""

    def __init__(self, app: Flask, config) -> None:
        self.app = app
        self.url = config.webhook_url
        self.secret = config.webhook_secret
        self.next_secret = getattr(config, "webhook_next_secret", "")
        self.timeout = float(config.webhook_timeout)
        self.max_attempts = int(config.webhook_max_attempts)
        self.base_delay = float(config.webhook_retry_base_seconds)
        self.poll = float(config.webhook_poll_seconds)
        self.lease = timedelta(seconds=self.timeout + 30)
        self.wake = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid = 0
        self.worker = f"{socket.gethostname()[:40]}:{os.getpid()}"
        self._opener = urllib.request.build_opener(_NoRedirect())

    def ensure_running(self) -> None:
        """Start the thread in this process (again after a fork: threads do not survive it)."""
        if self._pid == os.getpid() and self._thread is not None and self._thread.is_alive():
            return
        with self._lock:
            if self._pid == os.getpid() and self._thread is not None and self._thread.is_alive():
                return
            self._pid = os.getpid()
            self.worker = f"{socket.gethostname()[:40]}:{os.getpid()}"
            self.wake = threading.Event()
            self._thread = threading.Thread(target=self._run, name="kindshield-webhooks", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            try:
                with self.app.app_context():
                    while self.deliver_due():
                        pass
            except Exception as exc:  # noqa: BLE001 - keep the thread alive; the database may be down
                log.warning("webhook sender: %s (retrying)", type(exc).__name__)
            self.wake.wait(self.poll)
            self.wake.clear()

    def deliver_due(self) -> int:
        """Send the events that are due and that this worker manages to claim; returns how many."""
        store = get_store()
        now = _wall_now()
        with store.read() as conn:
            ids = outbox.due_ids(conn, now, CLAIM_BATCH)
        sent = 0
        for event_id in ids:
            token = str(uuid.uuid4())
            with store.begin() as conn:
                claimed = outbox.claim(conn, event_id, token, _wall_now(), self.lease)
            if claimed is None:
                continue   # another worker has it
            payload, attempt = claimed
            self._send(store, event_id, token, payload, attempt)
            sent += 1
        return sent

    def _send(self, store, event_id: str, token: str, payload: str, attempt: int) -> None:
        body = payload.encode("utf-8")
        event = _event_type(payload)
        req = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Content-Type": "application/json", "User-Agent": USER_AGENT, "X-Kindshield-Event": event,
            "X-Kindshield-Event-Id": event_id, "X-Kindshield-Delivery-Attempt": str(attempt),
            SIGNATURE_HEADER: sign(self.secret, body)})
        if self.next_secret:   # rotation window: receivers accept either (services/rotation.py)
            req.add_header(SIGNATURE_HEADER + "-Next", sign(self.next_secret, body))
        status_code: int | None = None
        error: str | None = None
        t0 = time.perf_counter()
        try:
            with self._opener.open(req, timeout=self.timeout) as resp:
                status_code = resp.status
                resp.read(65536)
        except urllib.error.HTTPError as exc:
            status_code = exc.code
            error = f"HTTP {exc.code}"
        except Exception as exc:  # noqa: BLE001 - any failure is a failed attempt; only the class is kept
            error = type(exc).__name__
            reason = getattr(exc, "reason", None)
            if reason is not None:
                error += f": {type(reason).__name__}" if not isinstance(reason, str) else f": {reason[:100]}"
        duration_ms = int((time.perf_counter() - t0) * 1000)
        delivered = status_code is not None and 200 <= status_code < 300
        now = _wall_now()
        retry_at = None if delivered or attempt >= self.max_attempts else now + retry_delay(attempt, self.base_delay)
        with store.begin() as conn:
            outbox.finish(conn, event_id, token, attempt=attempt, now=now, worker=self.worker,
                          status_code=status_code, error=error, duration_ms=duration_ms, delivered=delivered,
                          retry_at=retry_at)
        outcome = "delivered" if delivered else ("retry" if retry_at else "failed")
        # counts and timings only: which event type, how it went
        metrics.inc("kindshield_webhook_attempts_total", {"event": event, "outcome": outcome})
        metrics.observe("kindshield_webhook_seconds", duration_ms / 1000, {"event": event})
        log.info("webhook %s %s attempt %d: %s (%s, %d ms)", event, event_id, attempt, outcome,
                 status_code if status_code is not None else error, duration_ms)


def _event_type(payload: str) -> str:
    import json

    try:
        return str(json.loads(payload).get("type", ""))
    except ValueError:
        return ""


def validate(config) -> None:
    if config.webhook_url:
        if not config.webhook_url.startswith(("http://", "https://")):
            raise ValueError("webhook_url must be an http:// or https:// URL")
        if not config.webhook_secret:
            raise ValueError("KINDSHIELD_WEBHOOK_URL needs KINDSHIELD_WEBHOOK_SECRET (every delivery is signed)")
    if config.webhook_max_attempts < 1 or config.webhook_timeout <= 0 or config.webhook_poll_seconds <= 0:
        raise ValueError("webhook_max_attempts, webhook_timeout and webhook_poll_seconds must be positive")


def init_app(app: Flask) -> None:
    config = app.config["KINDSHIELD"]
    validate(config)
    if not config.webhook_url:
        return
    sender = WebhookSender(app, config)
    app.extensions[EXTENSION_KEY] = sender

    @app.before_request
    def _ensure_webhook_sender():
        sender.ensure_running()

    @app.teardown_request
    def _wake_webhook_sender(_exc):
        if g.pop("kindshield_webhook_queued", False):
            sender.wake.set()

    sender.ensure_running()

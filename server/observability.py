"""Running behind a reverse proxy, and being watched: trusted proxies, log format, metrics access
and the gauges computed at scrape time.

* ``KINDSHIELD_TRUSTED_PROXIES`` (addresses or networks, comma-separated) and
  ``KINDSHIELD_TRUSTED_PROXY_HOPS`` (default 1): requests whose peer is a trusted proxy get their
  client address, scheme, host and port from ``X-Forwarded-For/-Proto/-Host/-Port`` (Werkzeug's
  ProxyFix), so rate limits, the access log and generated URLs see the real client.  From any
  other peer those headers are removed before the app sees them (a client cannot claim an address).
* ``KINDSHIELD_LOG_FORMAT=json``: one JSON object per line (``ts`` in UTC with offset, ``level``,
  ``logger``, ``message``; access lines add ``request_id``, ``method``, ``route``, ``status``,
  ``latency_ms``, ``client``, ``user`` -- a pseudonym, never the id or name).  Text lines use the
  same UTC timestamps.
* ``KINDSHIELD_METRICS_TOKEN``: when set, ``/metrics`` needs ``Authorization: Bearer <token>``
  (so it can stay on the public port); without it, keep ``/metrics`` off the public proxy.
* gauges: ``kindshield_build_info{version,model}``, ``kindshield_webhook_outbox_pending``,
  ``kindshield_redis_up``, ``kindshield_db_pool_checked_out`` (refreshed on each scrape).
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import time
from datetime import datetime, timezone

from flask import Flask, current_app, request

from . import metrics

log = logging.getLogger("kindshield")
PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST",
                 "HTTP_X_FORWARDED_PORT", "HTTP_X_FORWARDED_PREFIX", "HTTP_FORWARDED")
ACCESS_FIELDS = ("request_id", "method", "route", "status", "latency_ms", "client", "user")

metrics.describe("kindshield_build_info", "gauge", "Always 1; the labels name the server version and the model.")
metrics.describe("kindshield_webhook_outbox_pending", "gauge", "Webhook events waiting to be delivered.")
metrics.describe("kindshield_redis_up", "gauge", "1 when the configured Redis answers (absent without Redis).")
metrics.describe("kindshield_db_pool_checked_out", "gauge", "Database connections in use in this worker.")


# ---------------------------------------------------------------------------
# logging

def _utc_iso(created: float) -> str:
    return datetime.fromtimestamp(created, timezone.utc).isoformat(timespec="milliseconds")


class UTCTextFormatter(logging.Formatter):
    """``2026-12-06T11:00:00.123+00:00 INFO kindshield: message`` (UTC, offset included)."""

    def format(self, record: logging.LogRecord) -> str:
        text = f"{_utc_iso(record.created)} {record.levelname} {record.name}: {record.getMessage()}"
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        return text


class JSONFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        doc = {"ts": _utc_iso(record.created), "level": record.levelname, "logger": record.name,
               "message": record.getMessage()}
        for name in ACCESS_FIELDS:
            if hasattr(record, name):
                doc[name] = getattr(record, name)
        if record.exc_info:
            doc["exception"] = self.formatException(record.exc_info)
        return json.dumps(doc, ensure_ascii=False)


def configure_logging(config) -> None:
    """Give the handlers app.py installed the configured format (UTC either way)."""
    fmt = JSONFormatter() if str(getattr(config, "log_format", "text")).lower() == "json" else UTCTextFormatter()
    for name in ("kindshield", "flask-limiter"):
        for handler in logging.getLogger(name).handlers:
            handler.setFormatter(fmt)


def user_pseudonym(user_id: int, secret: str) -> str:
    """A stable per-instance pseudonym for logs (the same user gives the same value)."""
    return "u-" + hmac.new(secret.encode("utf-8"), f"log-user\x00{int(user_id)}".encode(),
                           hashlib.sha256).hexdigest()[:12]


# ---------------------------------------------------------------------------
# trusted proxies

class TrustedProxies:
    """WSGI middleware: ProxyFix for peers in ``networks``; proxy headers dropped for anyone else."""

    def __init__(self, app, networks, hops: int) -> None:
        from werkzeug.middleware.proxy_fix import ProxyFix

        self.app = app
        self.networks = networks
        self.fixed = ProxyFix(app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=0)

    def trusted(self, peer: str | None) -> bool:
        try:
            addr = ipaddress.ip_address(peer or "")
        except ValueError:
            return False
        return any(addr in net for net in self.networks)

    def __call__(self, environ, start_response):
        if self.networks and self.trusted(environ.get("REMOTE_ADDR")):
            return self.fixed(environ, start_response)
        for name in PROXY_HEADERS:
            environ.pop(name, None)
        return self.app(environ, start_response)


def parse_networks(values) -> list:
    return [ipaddress.ip_network(v.strip(), strict=False) for v in values if v.strip()]


# ---------------------------------------------------------------------------
# metrics access and scrape-time gauges

def metrics_authorized() -> bool:
    token = getattr(current_app.config["KINDSHIELD"], "metrics_token", "")
    if not token:
        return True
    given = request.headers.get("Authorization", "")
    return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


def refresh_gauges(app: Flask) -> None:
    """Values that are read, not counted: computed when Prometheus scrapes."""
    from sqlalchemy import func, select

    from .store import EXTENSION_KEY, windows
    from .store.schema import webhook_outbox

    store = app.extensions[EXTENSION_KEY]
    try:
        with store.read() as conn:
            pending = conn.execute(select(func.count()).select_from(webhook_outbox)
                                   .where(webhook_outbox.c.status == "pending")).scalar_one()
        metrics.set_gauge("kindshield_webhook_outbox_pending", pending)
    except Exception:  # noqa: BLE001 - database down: /readyz says so; keep the scrape working
        pass
    pool = store.engine.pool
    if hasattr(pool, "checkedout"):
        metrics.set_gauge("kindshield_db_pool_checked_out", pool.checkedout())
    client = app.extensions.get(windows.REDIS_KEY)
    if client is not None:
        metrics.set_gauge("kindshield_redis_up", 1 if windows.redis_ping(client) else 0)


def init_app(app: Flask, config, model) -> None:
    from . import __version__

    networks = parse_networks(getattr(config, "trusted_proxies", ()) or ())
    app.wsgi_app = TrustedProxies(app.wsgi_app, networks, int(getattr(config, "trusted_proxy_hops", 1) or 1))
    model_label = f"{getattr(model, 'name', 'none')}-{getattr(model, 'version', '')}".rstrip("-")
    metrics.set_gauge("kindshield_build_info", 1, {"version": __version__, "model": model_label})
    app.extensions["kindshield.started_at"] = time.time()

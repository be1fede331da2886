"""Per-key rate limiting (Flask-Limiter), shared across every route of the API.

* Bucket: the API key's id when the request carries a valid key, else the client address.
* Limit: the key's own ``rate_limit`` (``keys create --rate-limit``) or ``Config.rate_limit``.
* Storage: memory (per process) by default; Redis when ``KINDSHIELD_REDIS_URL`` is set (shared by
  all workers, keys under ``<redis_prefix>:limits:``).  A breach answers 429 with ``Retry-After``.
* Redis unreachable (a deliberate choice): Flask-Limiter's in-memory fallback.  Each worker keeps
  enforcing every limit in its own memory (so with N workers a key may get up to N times its limit
  while Redis is down), and analysis keeps working instead of answering 503.  The limiter logs
  "Rate limit storage unreachable - falling back to in-memory storage", probes Redis again with
  exponential back-off (1, 2, 4, ... 32 s) and switches back by itself ("Rate limit storage
  recovered"); no restart.  ``swallow_errors`` stays off: an unexpected storage error during the
  fallback answers 503 + Retry-After rather than silently dropping limits.
* Public routes opt out with :func:`exempt` (health, metrics, OpenAPI, docs, discovery).
"""
from __future__ import annotations

from typing import Callable

from flask import current_app, request
from flask_limiter import ApplicationLimit, Limiter

from .auth import peek_user

EXTENSION_KEY = "kindshield.limiter"


def exempt(view: Callable) -> Callable:
    """Mark a view as not rate limited (apply under @blp.route)."""
    view._kindshield_no_limit = True  # type: ignore[attr-defined]
    return view


def _bucket() -> str:
    user = peek_user()
    if user is not None:
        return f"key:{user.key_id}"
    return f"ip:{request.remote_addr or '-'}"


def _limit_value() -> str:
    user = peek_user()
    if user is not None and user.rate_limit:
        return user.rate_limit
    return current_app.config["KINDSHIELD"].rate_limit


def _skip() -> bool:
    if request.method == "OPTIONS" or request.endpoint is None:
        return True
    if request.endpoint in current_app.extensions.get("kindshield.limit_exempt", ()):
        return True
    view = current_app.view_functions.get(request.endpoint)
    return bool(getattr(view, "_kindshield_no_limit", False))


def init_app(app, config) -> Limiter:
    storage_uri = config.redis_url or "memory://"
    options: dict = {}
    if config.redis_url:
        options = {"socket_connect_timeout": 2, "socket_timeout": 2,
                   "key_prefix": f"{config.redis_prefix}:limits"}
    limiter = Limiter(
        key_func=_bucket,
        application_limits=[ApplicationLimit(limit_provider=_limit_value, key_function=_bucket,
                                             scope="kindshield")],
        headers_enabled=True,
        strategy="moving-window",
        storage_uri=storage_uri,
        storage_options=options,
        swallow_errors=False,
        in_memory_fallback_enabled=bool(config.redis_url),
        key_prefix="kindshield",
    )
    limiter.request_filter(_skip)
    limiter.init_app(app)
    app.extensions[EXTENSION_KEY] = limiter
    return limiter

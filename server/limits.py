"""Per-key rate limiting (Flask-Limiter), shared across every route of the API.

* Bucket: the API key's id when the request carries a valid key, else the client address.
* Limit: the key's own ``rate_limit`` (``keys create --rate-limit``) or ``Config.rate_limit``.
* Storage: memory (per process) by default; Redis when ``KINDSHIELD_REDIS_URL`` is set (shared by
  all workers, keys under ``<redis_prefix>:limits:``).  A breach answers 429 with ``Retry-After``.
* Redis unreachable (a deliberate choice): Flask-Limiter's in-memory fallback.  Each worker keeps
  enforcing every limit in its own memory (so with N workers a key may get up to N times its limit
  while Redis is down), and analysis keeps working instead of answering 503.  The limiter logs
  "Rate limit storage unreachable - falling back to in-memory storage", probes Redis again with
  back-off (here: every 2 s, see :class:`_Limiter`) and switches back by itself ("Rate limit storage
  recovered"); no restart.  ``swallow_errors`` stays off: an unexpected storage error during the
  fallback answers 503 + Retry-After rather than silently dropping limits.
* Public routes opt out with :func:`exempt` (health, metrics, OpenAPI, docs, discovery).
* Unmatched routes and methods (404/405) are limited per client address with
  ``Config.unmatched_rate_limit``, so probing with invented paths or methods is bounded too.
"""
from __future__ import annotations

import time
from typing import Callable

from flask import current_app, request
from flask_limiter import ApplicationLimit, Limiter

from .auth import peek_user

EXTENSION_KEY = "kindshield.limiter"
UNMATCHED_ENDPOINT = "kindshield.unmatched"


def exempt(view: Callable) -> Callable:
    """Mark a view as not rate limited (apply under @blp.route)."""
    view._kindshield_no_limit = True  # type: ignore[attr-defined]
    return view


def _unmatched() -> bool:
    """No route (404) or no such method on it (405): nothing a client needs to repeat quickly."""
    return request.endpoint is None


def _bucket() -> str:
    if _unmatched():   # by client address even with a valid key: probing costs the prober
        return f"unmatched:{request.remote_addr or '-'}"
    user = peek_user()
    if user is not None:
        return f"key:{user.key_id}"
    return f"ip:{request.remote_addr or '-'}"


def _limit_value() -> str:
    if _unmatched():
        return current_app.config["KINDSHIELD"].unmatched_rate_limit
    user = peek_user()
    if user is not None and user.rate_limit:
        return user.rate_limit
    return current_app.config["KINDSHIELD"].rate_limit


def _skip() -> bool:
    if request.endpoint is None:
        return False   # unmatched routes and methods are limited per address (see _bucket)
    if request.method == "OPTIONS":
        return True
    if request.endpoint in current_app.extensions.get("kindshield.limit_exempt", ()):
        return True
    view = current_app.view_functions.get(request.endpoint)
    return bool(getattr(view, "_kindshield_no_limit", False))


class _Limiter(Limiter):
    """Flask-Limiter, probing a dead Redis every ``PROBE_SECONDS`` (not with the library's
    exponential back-off of up to 32 s), so shared limits come back within seconds."""

    PROBE_SECONDS = 2.0
    _ks_last_probe = 0.0

    def _Limiter__should_check_backend(self) -> bool:  # overrides the library's private back-off
        now = time.monotonic()
        if now - self._ks_last_probe >= self.PROBE_SECONDS:
            self._ks_last_probe = now
            return True
        return False


def init_app(app, config) -> Limiter:
    storage_uri = config.redis_url or "memory://"
    options: dict = {}
    if config.redis_url:
        options = {"socket_connect_timeout": 2, "socket_timeout": 2,
                   "key_prefix": f"{config.redis_prefix}:limits"}
    cls = _Limiter if hasattr(Limiter, "_Limiter__should_check_backend") else Limiter
    limiter = cls(
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
        # the library exempts requests without an endpoint; name them so 404/405 floods are limited
        request_identifier=lambda: request.endpoint or UNMATCHED_ENDPOINT,
    )
    limiter.request_filter(_skip)
    limiter.init_app(app)
    app.extensions[EXTENSION_KEY] = limiter
    return limiter

"""Which Host headers the server answers to, and its own address without trusting them.

* ``trusted_hosts`` (``KINDSHIELD_TRUSTED_HOSTS=kindshield.example.org,localhost``): when set,
  every request whose Host is not listed gets 400 ``untrusted_host``: a DNS-rebinding page
  (``evil.example`` resolved to 127.0.0.1) can no longer read anything from the server.
* When it is not set, the public pages that need no key (``/transparency``) still check the
  Host against :func:`default_hosts`: loopback names, the configured ``host`` and
  ``public_url``'s host.
* :func:`root_url` is ``public_url``, else the configured host and port, never the request's
  Host header (a forged Host must not steer the discovery document, and with it a client's key).
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, request

from .errors import ApiError

LOOPBACK = ("localhost", "127.0.0.1", "::1")
_WILDCARD = ("", "0.0.0.0", "::", "[::]")


def _hostname(host_header: str) -> str:
    """``Example.org:8731`` -> ``example.org``; ``[::1]:80`` -> ``::1``."""
    h = (host_header or "").strip().lower()
    if h.startswith("["):
        return h[1:h.find("]")] if "]" in h else ""
    return h.rsplit(":", 1)[0] if h.count(":") == 1 else h


def configured_hosts(cfg) -> frozenset[str]:
    return frozenset(_hostname(h) for h in cfg.trusted_hosts if h.strip())


def default_hosts(cfg) -> frozenset[str]:
    hosts = set(LOOPBACK)
    if cfg.host not in _WILDCARD:
        hosts.add(_hostname(cfg.host) if not cfg.host.count(":") > 1 else cfg.host.lower())
    if cfg.public_url:
        hosts.add((urlsplit(cfg.public_url).hostname or "").lower())
    return frozenset(h for h in hosts if h)


def _untrusted() -> ApiError:
    return ApiError(400, "untrusted_host", "This server does not answer to that Host header.")


def require_known_host() -> None:
    """For public pages: the Host must be a trusted host (or, with none configured, a default one)."""
    cfg = current_app.config["KINDSHIELD"]
    allowed = configured_hosts(cfg) or default_hosts(cfg)
    if _hostname(request.headers.get("Host", "")) not in allowed:
        raise _untrusted()


def root_url(cfg) -> str:
    """This server's base URL for documents that name it (ends with "/")."""
    if cfg.public_url:
        return cfg.public_url.rstrip("/") + "/"
    host = "127.0.0.1" if cfg.host in _WILDCARD else cfg.host
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{int(cfg.port)}/"


def init_app(app) -> None:
    cfg = app.config["KINDSHIELD"]
    allowed = configured_hosts(cfg)
    if not allowed:
        return

    @app.before_request
    def _check_host():
        if _hostname(request.headers.get("Host", "")) not in allowed:
            raise _untrusted()

"""Strict configuration: every setting checked at start, with one line naming the variable and the
accepted values; unknown ``KINDSHIELD_*`` names reported with the closest known name.

The checks iterate over :class:`config.Config`'s fields, so a setting added later is covered by
the generic rules of its type and name (numbers are not negative; ``*_secret`` is empty or at least
32 bytes; ``*rate_limit`` parses as a Flask-Limiter/`limits` string; ``*_url`` has a scheme);
:data:`RULES` adds the specific ranges and choices.

    validate(config)            -> raises ConfigError (the first problem, one line)
    problems(config)            -> every problem, one line each
    unknown_names(env)          -> warnings for misspelled KINDSHIELD_* variables
    check_dependencies(config)  -> problems + database, Redis and model reachable (check-config)
"""
from __future__ import annotations

import dataclasses
import difflib
import os
from typing import Any, Callable, Mapping

from .config import ENV_PREFIX, PILEON_PREFIX, Config

MIN_SECRET_BYTES = 32
HARNESS_PREFIX = ENV_PREFIX + "TEST_"    # the test harness's own variables (KINDSHIELD_TEST_DATABASE_URL...)
EXTRA_NAMES = {ENV_PREFIX + "CONFIG"}
PILEON_NAMES = (
    ["min_items", "min_senders", "rate_min_items", "rate_min_senders", "rate_factor"]
    + [f"{d}_{u}" for d in ("window", "baseline_tau", "baseline_min_age", "quiet_period", "renotify_after")
       for u in ("minutes", "seconds", "hours", "days")]
)


class ConfigError(ValueError):
    """A setting that cannot be used; ``str()`` is one line naming the variable."""


def env_name(field: str) -> str:
    return ENV_PREFIX + field.upper()


# ---------------------------------------------------------------------------
# rules: each takes the value and returns None (fine) or the accepted values, as text

def between(lo: float, hi: float | None = None) -> Callable[[Any], str | None]:
    def rule(v):
        if v < lo or (hi is not None and v > hi):
            return f"a number from {lo:g} to {hi:g}" if hi is not None else f"a number >= {lo:g}"
        return None
    return rule


def above(lo: float) -> Callable[[Any], str | None]:
    return lambda v: None if v > lo else f"a number > {lo:g}"


def one_of(*choices: str, case: bool = False) -> Callable[[Any], str | None]:
    def rule(v):
        got = v if case else str(v).lower()
        return None if got in [c if case else c.lower() for c in choices] else "one of " + ", ".join(choices)
    return rule


def rate_limit_rule(v) -> str | None:
    from limits import parse_many

    try:
        if not parse_many(str(v)):
            raise ValueError
    except ValueError:
        return 'limits like "600 per minute" or "10/second; 1000/day" (number per second|minute|hour|day)'
    return None


def secret_rule(v) -> str | None:
    values = v if isinstance(v, (tuple, list)) else (v,)
    for s in values:
        if s and len(str(s).encode("utf-8")) < MIN_SECRET_BYTES:
            return f"empty or at least {MIN_SECRET_BYTES} bytes (e.g. `python -c \"import secrets; print(secrets.token_urlsafe(32))\"`)"
    return None


def http_url_rule(v) -> str | None:
    return None if not v or str(v).startswith(("http://", "https://")) else "an http:// or https:// URL"


def redis_url_rule(v) -> str | None:
    return None if not v or str(v).startswith(("redis://", "rediss://", "unix://")) else \
        "a redis://, rediss:// or unix:// URL"


def database_url_rule(v) -> str | None:
    if not v:
        return None
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        make_url(str(v))
    except ArgumentError:
        return "an SQLAlchemy URL, e.g. postgresql+psycopg://user:pass@host/db or sqlite:////path/file.db"
    return None


def timezone_rule(v) -> str | None:
    if not v:
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(str(v))
    except (ZoneInfoNotFoundError, ValueError):
        return "an IANA time zone such as UTC or Asia/Shanghai"
    return None


RULES: dict[str, Callable[[Any], str | None]] = {
    "port": between(0, 65535),
    "server_threads": between(1, 1024),
    "model_threads": between(1, 256),
    "model_max_batch": between(1, 1024),
    "device": one_of("cpu", "cuda"),
    "window_store": one_of("auto", "redis", "database"),
    "db_busy_timeout": above(0),
    "max_body_bytes": between(1024),
    "max_texts": between(1),
    "max_text_chars": between(1),
    "log_level": one_of("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"),
    "log_format": one_of("text", "json"),
    "offender_min_recipients": between(1),
    "offender_window_days": above(0),
    "offender_retention_days": above(0),
    "webhook_timeout": above(0),
    "webhook_max_attempts": between(1, 100),
    "webhook_poll_seconds": above(0),
    "webhook_retry_base_seconds": above(0),
    "db_pool_size": between(1, 1000),
    "db_max_overflow": between(0, 1000),
    "public_url": http_url_rule,
    "webhook_url": http_url_rule,
    "redis_url": redis_url_rule,
    "database_url": database_url_rule,
    "stats_timezone": timezone_rule,
    "metrics_token": secret_rule,
    # secrets being retired are accepted at any length: rotating away from a short one keeps history
    "sender_hash_previous_secrets": lambda v: None,
    "trusted_proxy_hops": between(1, 10),
    "trusted_proxies": lambda v: trusted_proxies_rule(v),
}


def trusted_proxies_rule(v) -> str | None:
    import ipaddress

    try:
        for item in v:
            ipaddress.ip_network(str(item).strip(), strict=False)
    except ValueError:
        return "comma-separated IP addresses or networks, e.g. 127.0.0.1,10.0.0.0/8"
    return None


def _generic(name: str, default: Any) -> Callable[[Any], str | None] | None:
    if name.endswith(("_secret", "_secrets")):
        return secret_rule
    if name.endswith("rate_limit"):
        return lambda v: rate_limit_rule(v) if v else None
    if name.endswith("_url"):
        return lambda v: None if not v or "://" in str(v) else "a URL with a scheme (scheme://...)"
    if isinstance(default, (int, float)) and not isinstance(default, bool):
        return between(0)
    return None


def _default(field: dataclasses.Field) -> Any:
    if field.default is not dataclasses.MISSING:
        return field.default
    if field.default_factory is not dataclasses.MISSING:  # type: ignore[misc]
        return field.default_factory()  # type: ignore[misc]
    return None


def _shown(name: str, value: Any) -> str:
    if name.endswith(("_secret", "_secrets")):
        return f"<{len(str(value).encode('utf-8'))} bytes>" if not isinstance(value, (tuple, list)) else "<hidden>"
    if name.endswith("_url") and "@" in str(value):
        return "<url with credentials>"
    return repr(value) if isinstance(value, str) else str(value)


def problems(config: Config) -> list[str]:
    """Every unusable setting, one line each: ``KINDSHIELD_X=value: expected <accepted values>``."""
    out: list[str] = []
    for field in dataclasses.fields(config):
        name = field.name
        value = getattr(config, name)
        rule = RULES.get(name) or _generic(name, _default(field))
        if rule is None:
            continue
        try:
            accepted = rule(value)
        except TypeError:
            accepted = "a value of type " + type(_default(field)).__name__
        if accepted:
            out.append(f"{env_name(name)}={_shown(name, value)}: expected {accepted}")
    testing = bool(getattr(config, "testing", False))
    for field in dataclasses.fields(config):
        if field.name.startswith("test_") and getattr(config, field.name) and not testing:
            out.append(f"{env_name(field.name)} is a test-only setting (it changes what the API does): "
                       f"refused unless {env_name('testing')}=1 marks this instance as a test instance")
    if getattr(config, "webhook_url", "") and not getattr(config, "webhook_secret", ""):
        out.append(f"{env_name('webhook_url')} is set: expected {env_name('webhook_secret')} too (every delivery is signed)")
    out += _pileon_problems(getattr(config, "pileon", {}) or {})
    return out


def _pileon_problems(values: Mapping[str, Any]) -> list[str]:
    out = []
    for key, raw in values.items():
        if key not in PILEON_NAMES:
            continue   # reported by unknown_names (a warning)
        try:
            number = float(raw)
        except (TypeError, ValueError):
            out.append(f"{PILEON_PREFIX}{key.upper()}={raw!r}: expected a number")
            continue
        if key.endswith(("items", "senders")) and (number < 1 or number != int(number)):
            out.append(f"{PILEON_PREFIX}{key.upper()}={raw!r}: expected a whole number >= 1")
        elif number <= 0:
            out.append(f"{PILEON_PREFIX}{key.upper()}={raw!r}: expected a number > 0")
    return out


def validate(config: Config) -> None:
    found = problems(config)
    if found:
        more = f" (and {len(found) - 1} more: run `kindshield-server check-config`)" if len(found) > 1 else ""
        raise ConfigError(found[0] + more)


def unknown_names(env: Mapping[str, str] | None = None) -> list[str]:
    """One warning per KINDSHIELD_* variable that no setting reads, with the closest known name."""
    env = os.environ if env is None else env
    known = {env_name(f.name) for f in dataclasses.fields(Config) if f.name != "pileon"} | EXTRA_NAMES
    pileon = {PILEON_PREFIX + n.upper() for n in PILEON_NAMES}
    out = []
    for key in sorted(env):
        if not key.startswith(ENV_PREFIX) or key in known or key in pileon:
            continue
        if key.startswith(HARNESS_PREFIX):
            continue
        pool = pileon if key.startswith(PILEON_PREFIX) else known
        close = difflib.get_close_matches(key, sorted(pool), n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]}?" if close else ""
        out.append(f"unknown setting {key} is ignored{hint}")
    return out


def check_dependencies(config: Config) -> list[str]:
    """``problems`` plus: the database answers, Redis answers (when configured), the model's
    files are there.  Used by ``kindshield-server check-config``."""
    out = problems(config)   # unknown names: warnings, printed by the CLI
    if any(p.startswith(ENV_PREFIX) and "expected" in p for p in out):
        return out
    from sqlalchemy import text

    from .store import make_engine

    try:
        engine = make_engine(config)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - reported, one line
        out.append(f"{env_name('database_url')}: the database does not answer ({type(exc).__name__}: "
                   f"{str(exc).splitlines()[0][:200]})")
    if config.redis_url:
        from .store import windows

        client = windows.make_redis_client(config)
        if client is None or not windows.redis_ping(client):
            out.append(f"{env_name('redis_url')}: Redis does not answer at the configured address")
    try:
        model_dir = config.resolved_model_dir()
        if not (model_dir / "model.onnx").is_file():
            out.append(f"{env_name('model_dir')}={str(model_dir)!r}: expected a folder with model.onnx")
    except Exception as exc:  # noqa: BLE001
        out.append(f"{env_name('model_dir')}: {type(exc).__name__}: {exc}")
    return out

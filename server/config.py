"""Configuration: defaults -> optional TOML file -> KINDSHIELD_* environment -> command-line flags.

Every setting is a field of :class:`Config`.  Its environment variable is
``KINDSHIELD_`` + the upper-cased field name (``rate_limit`` -> ``KINDSHIELD_RATE_LIMIT``).
A TOML file named by ``KINDSHIELD_CONFIG`` (or ``--config``) may set any field by its name.
"""
from __future__ import annotations

import dataclasses
import os
import tomllib
from pathlib import Path
from typing import Any, Mapping

ENV_PREFIX = "KINDSHIELD_"
PILEON_PREFIX = ENV_PREFIX + "PILEON_"   # pile-on detector settings (policy/pileon.py PileOnConfig.from_mapping)
MiB = 1024 * 1024


def default_data_dir() -> str:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(base, "kindshield")


@dataclasses.dataclass
class Config:
    # network
    host: str = "127.0.0.1"
    port: int = 8731
    server_threads: int = 8         # waitress threads of `kindshield-server serve` (gunicorn: its own --threads)
    public_url: str = ""            # e.g. https://kindshield.example.org ; used in the discovery document
    # storage
    data_dir: str = dataclasses.field(default_factory=default_data_dir)
    database_url: str = ""          # any SQLAlchemy URL; empty = SQLite file <data_dir>/kindshield.db
    db_busy_timeout: float = 5.0    # seconds to wait for a locked database before answering 503
    redis_url: str = ""             # rate-limit storage (and shared state) when set; memory otherwise
    redis_prefix: str = "kindshield"    # prefix of every Redis key this instance writes
    window_store: str = "auto"      # pile-on sliding windows: auto (redis when redis_url is set) | redis | database
    # model
    model_dir: str = ""             # empty = kindshield_server.model.default_model_dir()
    model_threads: int = 2
    device: str = "cpu"             # cpu | cuda (cuda needs onnxruntime-gpu; otherwise CPU, logged)
    model_max_batch: int = 16       # merge concurrent requests into one model call of up to N texts (1 = off)
    # limits
    max_body_bytes: int = 1 * MiB
    max_texts: int = 256
    max_text_chars: int = 20_000
    rate_limit: str = "600 per minute"   # per API key, over all routes (Flask-Limiter syntax; ";" separates)
    auth_cache_seconds: float = 10.0     # how long a verified key is trusted without a database look-up
    # repeat offenders and the operator webhook (server/services/offenders.py, services/webhooks.py)
    offender_min_recipients: int = 5        # flag a sender hostile to at least this many distinct recipients
    offender_window_days: float = 7.0       # ... within this window; the flag clears a further window below it
    offender_retention_days: float = 90.0   # hostile-item records (pseudonyms, labels, score) kept this long
    webhook_url: str = ""                   # POST offender.flagged / offender.reviewed here (empty = no webhook)
    webhook_secret: str = ""                # HMAC-SHA256 key of X-Kindshield-Signature (required with a URL)
    webhook_next_secret: str = ""           # during a rotation: X-Kindshield-Signature-Next is signed with it
    webhook_timeout: float = 5.0            # seconds per delivery attempt
    webhook_max_attempts: int = 10          # then the event is marked failed in the delivery log
    webhook_retry_base_seconds: float = 5.0 # attempt n+1 waits base * 2**(n-1) seconds (at most an hour)
    webhook_poll_seconds: float = 1.0       # how often each worker looks for due events
    # web
    cors_origins: tuple[str, ...] = ()   # exact origins, e.g. chrome-extension://<id>, https://app.example
    log_level: str = "INFO"
    log_format: str = "text"             # text | json (one object per line); timestamps in UTC either way
    trusted_proxies: tuple[str, ...] = ()   # reverse proxies (addresses/networks) whose X-Forwarded-* is believed
    trusted_proxy_hops: int = 1          # how many proxies in a row add X-Forwarded-For entries
    metrics_token: str = ""              # /metrics needs "Authorization: Bearer <token>" when set (32+ bytes)
    db_pool_size: int = 5                # PostgreSQL connections kept per worker process
    db_max_overflow: int = 10            # ... plus this many under load (see the sizing guide)
    create_first_key: bool = True        # `serve` creates and prints an admin key when there are none
    pairing: bool = True                 # /pair + POST /v1/pair: a browser gets a key by one-time code (api/pairing.py)
    # protection
    sender_hash_secret: str = ""         # keys the sender pseudonyms (set it, 32+ random bytes, same on every worker)
    sender_hash_previous_secrets: tuple[str, ...] = ()   # old values during a rotation (services/rotation.py)
    pileon: dict = dataclasses.field(default_factory=dict)   # KINDSHIELD_PILEON_<NAME> -> {"<name>": value}
    # data lifecycle: retention per kind of record, in days (0 = keep until the user deletes their
    # data); enforced every retention_interval_seconds by each worker and by `kindshield-server cleanup`
    retention_reports_days: float = 0.0
    retention_screenshots_days: float = 0.0
    retention_notices_days: float = 180.0
    retention_nudges_days: float = 90.0
    retention_stats_days: float = 400.0
    retention_outbox_days: float = 30.0
    retention_offender_reviews_days: float = 365.0
    retention_interval_seconds: float = 3600.0   # 0 = only `kindshield-server cleanup` (e.g. from cron)
    receipt_secret: str = ""             # signs the chain-heads digest (`heads export`); 32+ random bytes
    # hostile clients (issue 34): every limit explicit, see README "Limits"
    unmatched_rate_limit: str = "120 per minute"   # per client address: requests matching no route or method
    offender_trusted_keys: tuple[str, ...] = ()    # key names whose /v1/shield items feed the offender signal
    reports_per_day: int = 200                     # reports (and status changes) a user may file per day (429)
    report_screenshot_quota_bytes: int = 200 * MiB # screenshot bytes stored per user, all reports together (413)
    trusted_hosts: tuple[str, ...] = ()            # Host names this server answers to (empty: every host except
                                                   # on /transparency, which allows localhost, `host` and public_url's)
    transparency_public: bool = False              # serve /transparency(.json) to anyone (the operator's opt-in)
    transparency_min_count: int = 10               # public counts below this show as "fewer than N" (0 = exact)
    transparency_granularity: str = "week"         # week | month | day: the public page's period
    # fairness between keys (server/fairness.py, analysis.ModelService)
    text_budget: str = "3200000 per minute"        # characters analysed per key ("" = off); an explained
    explain_cost_factor: int = 3                   # ... text counts this many times its length
    model_chunk_chars: int = 20_000                # most characters per model call: keys take turns between calls
    max_queued_chars_per_key: int = 2_000_000      # characters one key may have waiting for the model (429 beyond)
    # testing only (never set in production)
    testing: bool = False                # allows the test_* settings below (refused at start otherwise)
    test_clock: bool = False             # PUT /v1/testing/clock may move the feature clock
    test_fault_marker: str = ""          # a text containing it fails inside the analysis layer (per-item isolation tests)

    # ------------------------------------------------------------------
    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return "sqlite:///" + str(Path(self.data_dir).expanduser().resolve() / "kindshield.db")

    @property
    def sqlite_path(self) -> Path | None:
        url = self.sqlalchemy_url
        if url.startswith("sqlite:///") and ":memory:" not in url:
            return Path(url[len("sqlite:///"):])
        return None

    def resolved_model_dir(self) -> Path:
        if self.model_dir:
            return Path(self.model_dir).expanduser()
        from .model import default_model_dir  # imported lazily: model/ loads onnxruntime

        return Path(default_model_dir())

    def replace(self, **changes: Any) -> "Config":
        return dataclasses.replace(self, **_coerce_all(changes))


_FIELDS = {f.name: f for f in dataclasses.fields(Config)}


def _coerce(name: str, value: Any) -> Any:
    field = _FIELDS[name]
    default = field.default if field.default is not dataclasses.MISSING else field.default_factory()  # type: ignore[misc]
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off", ""):
            return False
        raise ValueError(f"{ENV_PREFIX}{name.upper()}={value!r}: expected a boolean (1/0, true/false, yes/no, on/off)")
    if isinstance(default, (int, float)):
        kind = int if isinstance(default, int) else float
        try:
            return kind(value)
        except (TypeError, ValueError):
            raise ValueError(f"{ENV_PREFIX}{name.upper()}={value!r}: expected "
                             f"{'a whole number' if kind is int else 'a number'}") from None
    if isinstance(default, dict):
        return {str(k).lower(): v for k, v in dict(value).items()}
    if isinstance(default, tuple):
        if isinstance(value, str):
            return tuple(v.strip() for v in value.split(",") if v.strip())
        return tuple(value)
    return str(value)


def _coerce_all(values: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(_FIELDS)
    if unknown:
        raise ValueError(f"unknown configuration setting(s): {', '.join(sorted(unknown))}")
    return {k: _coerce(k, v) for k, v in values.items()}


def load_config(
    overrides: Mapping[str, Any] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    config_file: str | None = None,
) -> Config:
    """Build a Config: defaults, then a TOML file, then KINDSHIELD_* env, then ``overrides``.

    ``overrides`` values of ``None`` are ignored (so argparse results can be passed as they are).
    """
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    path = config_file or env.get(ENV_PREFIX + "CONFIG")
    if path:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
        data = data.get("kindshield", data)
        values.update(_coerce_all(data))
    for name in _FIELDS:
        key = ENV_PREFIX + name.upper()
        if key in env and name != "pileon":   # a group, read below
            values[name] = _coerce(name, env[key])
    # open-ended groups: KINDSHIELD_PILEON_MIN_ITEMS=10 -> pileon["min_items"] = "10"
    group = {k[len(PILEON_PREFIX):].lower(): v for k, v in env.items() if k.startswith(PILEON_PREFIX)}
    if group:
        values["pileon"] = {**values.get("pileon", {}), **group}
    if overrides:
        values.update(_coerce_all({k: v for k, v in overrides.items() if v is not None}))
    return Config(**values)

"""create_app(config): wires configuration, store (with migrations), model, auth, limits,
blueprints, CORS, the JSON error handler, request ids, access log and metrics."""
from __future__ import annotations

import dataclasses
import importlib
import logging
import re
import time
import uuid
from typing import Any, Mapping

from flask import Flask, g, request
from flask_smorest import Api as _SmorestApi
from marshmallow import Schema, fields

from . import __version__, analysis, auth, config_check, datadir, errors, hosts, limits, metrics, observability
from .config import Config, load_config
from .jsonbody import SafeJSONProvider
from .services import retention as retention_service
from .services import stats as stats_service
from .store import EXTENSION_KEY as STORE_KEY
from .store import Store, windows

log = logging.getLogger("kindshield")
access_log = logging.getLogger("kindshield.access")

# API modules registered when present: each may define `blp` (a Blueprint) and/or `init_app(app)`.
API_MODULES = (
    "ops", "analyze", "perspective", "docs",
    "protection", "shield", "notices", "precheck", "reports", "stats", "transparency", "offenders",
    "userdata", "webhook_admin", "limits_info", "platform", "pairing",
)

REDIS_SEEN_KEY = "kindshield.redis_seen"
_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


class ErrorBodySchema(Schema):
    code = fields.String(required=True, metadata={"description": "stable machine-readable code"})
    message = fields.String(required=True)
    details = fields.Raw(allow_none=True)


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBodySchema, required=True)


class Api(_SmorestApi):
    ERROR_SCHEMA = ErrorSchema


def _configure_logging(level: str) -> None:
    root = logging.getLogger("kindshield")
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
        root.propagate = False
    root.setLevel(level.upper())
    limiter_log = logging.getLogger("flask-limiter")   # "storage unreachable" / "recovered" lines
    if not limiter_log.handlers and root.handlers:
        limiter_log.addHandler(root.handlers[0])
        limiter_log.setLevel(logging.INFO)
        limiter_log.propagate = False


def _cors_origin_patterns(origins) -> list:
    patterns = []
    for origin in origins:
        origin = origin.strip().rstrip("/")
        if not origin:
            continue
        if "*" in origin or "://" not in origin:
            raise ValueError(f"CORS origin must be an exact origin like chrome-extension://<id>, got {origin!r}")
        patterns.append(re.compile("^" + re.escape(origin) + "$", re.IGNORECASE))
    return patterns


def _document_subject_header(api: Api) -> None:
    """OpenAPI: the ``Kindshield-Subject`` header (platform keys, server/platform.py) on every
    operation that takes a key, since authentication reads it for all of them; the description
    names the routes where a platform key must send it."""
    from .platform import MAX_SUBJECT_CHARS, SUBJECT_HEADER, SUBJECT_ROUTES

    api.spec.components.parameter("KindshieldSubject", "header", {
        "name": SUBJECT_HEADER,
        "required": False,
        "description": (
            "Platform keys only (the `platform` scope): the platform's own id of the user this request acts "
            "for. Stored only as a keyed pseudonym. Required with a platform key on "
            + ", ".join(f"`{r}`" for r in SUBJECT_ROUTES)
            + " (400 `subject_required` without it); elsewhere optional. Any other key sending it gets "
            "403 `subject_not_allowed`; a malformed value 400 `invalid_subject`."),
        "schema": {"type": "string", "minLength": 1, "maxLength": MAX_SUBJECT_CHARS, "pattern": "^[!-~]+$"},
    })
    ref = {"$ref": "#/components/parameters/KindshieldSubject"}
    for operations in api.spec._paths.values():
        for op in operations.values():
            if isinstance(op, dict) and any("bearerAuth" in req for req in op.get("security", [])):
                params = op.setdefault("parameters", [])
                if ref not in params:
                    params.append(dict(ref))


def create_app(config: Config | Mapping[str, Any] | None = None, *, model: Any = None,
               load_model: bool = True, migrate: bool = True) -> Flask:
    """Build the WSGI app.

    ``config``: a Config, or a mapping of overrides applied over defaults + environment.
    ``model``: an already-loaded model (shared by several apps in one process); otherwise the
    model is loaded from ``config.model_dir`` (raises ModelLoadError) unless ``load_model`` is False
    (then /readyz answers 503 and analysis routes 503 until one is attached).
    """
    if config is None or isinstance(config, Mapping):
        config = load_config(config or {})
    config_check.validate(config)      # one line naming the variable, before anything starts
    datadir.prepare(config)             # 0700 data directory, 0600 SQLite file
    if not config.sender_hash_secret:   # never unkeyed: generated into the data directory once
        config = dataclasses.replace(config, sender_hash_secret=datadir.sender_secret(config))
    _configure_logging(config.log_level)
    observability.configure_logging(config)   # UTC timestamps; KINDSHIELD_LOG_FORMAT=json
    for warning in config_check.unknown_names():
        log.warning("%s", warning)

    app = Flask("kindshield_server", template_folder="web/templates", static_folder="web/static")
    app.config.update(
        KINDSHIELD=config,
        MAX_CONTENT_LENGTH=config.max_body_bytes,
        JSON_SORT_KEYS=False,
        API_TITLE="Kindshield API",
        API_VERSION=__version__,   # the package's (also in the Kindshield-Version header)
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={
            "info": {"description": "Self-hosted toxicity analysis and protection from online abuse. "
                                    "Authenticate with `Authorization: Bearer <key>`."},
            "components": {"securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer"},
                "keyQuery": {"type": "apiKey", "in": "query", "name": "key"},
            }},
        },
    )
    app.json = SafeJSONProvider(app)   # request.get_json(): deep nesting / huge numbers -> 400
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]

    # storage first: a broken database should fail loudly at start
    store = Store(config)
    if migrate:
        store.migrate()
    app.extensions[STORE_KEY] = store
    auth.init_app(app, store, config)
    redis_client = windows.make_redis_client(config)
    app.extensions[windows.REDIS_KEY] = redis_client
    # a Redis that never answered is a configuration problem (wrong host/port): not ready until it
    # does; one that answered once and then fails is an outage, and the worker degrades (README)
    app.extensions[REDIS_SEEN_KEY] = redis_client is None or windows.redis_ping(redis_client)
    app.extensions[windows.EXTENSION_KEY] = windows.make_window_store(config, redis_client)

    if model is None and load_model:
        model = analysis.load_model(config)
    if model is not None:
        app.extensions[analysis.EXTENSION_KEY] = analysis.ModelService(
            model, config.model_max_batch, config.test_fault_marker,
            chunk_chars=config.model_chunk_chars, max_queued_chars=config.max_queued_chars_per_key)

    observability.init_app(app, config, model)   # trusted proxies, build_info
    stats_service.init_app(app)    # buffered analysis counts; its writer thread belongs to this app
    retention_service.init_app(app)   # the periodic retention job (services/retention.py)

    app.extensions["kindshield.limit_exempt"] = {"static", "api-docs.openapi_json"}
    _install_request_hooks(app, config)
    hosts.init_app(app)            # KINDSHIELD_TRUSTED_HOSTS: 400 untrusted_host for any other Host

    api = Api(app)
    app.extensions["kindshield.api"] = api
    for name in API_MODULES:
        try:
            module = importlib.import_module(f"{__package__}.api.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__package__}.api.{name}":
                continue
            raise
        blp = getattr(module, "blp", None)
        if blp is not None:
            api.register_blueprint(blp)
        init = getattr(module, "init_app", None)
        if init is not None:
            init(app)

    if not config.test_clock:      # test-only routes stay out of a production API description
        api.spec._paths.pop("/v1/testing/clock", None)
    _document_subject_header(api)
    errors.init_app(app)           # after Api(app): replaces flask-smorest's handler
    limits.init_app(app, config)   # its before_request runs after ours (request id, size, type)
    _log_startup(app, config, store, model)

    patterns = _cors_origin_patterns(config.cors_origins)
    if patterns:
        from flask_cors import CORS

        CORS(app, origins=patterns, supports_credentials=False, max_age=600,
             allow_headers=["Authorization", "Content-Type", "X-Request-Id", "Idempotency-Key"],
             expose_headers=["X-Request-Id", "Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining",
                             "X-RateLimit-Reset", "Idempotent-Replayed"],
             methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
    return app


def _redact_url(url: str) -> str:
    """A database/Redis URL without its password (for logs)."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - not an SQLAlchemy URL (redis://...)
        return re.sub(r"://([^:/@]*):[^@/]*@", r"://\1:***@", url)


def _log_startup(app: Flask, config: Config, store: Store, model: Any) -> None:
    """One line per process saying what this worker uses: database, Redis, windows, model device."""
    win = app.extensions[windows.EXTENSION_KEY].name
    redis_part = _redact_url(config.redis_url) if config.redis_url else "none (rate limits in memory, per process)"
    if config.redis_url and not app.extensions.get(REDIS_SEEN_KEY):
        log.warning("Redis at %s does not answer: /readyz answers 503 until it does (check KINDSHIELD_REDIS_URL)",
                    _redact_url(config.redis_url))
        redis_part += " (NOT REACHABLE)"
    provider = getattr(model, "provider", None) or ("not loaded" if model is None else "unknown")
    log.info("kindshield worker ready: database=%s (%s) redis=%s pileon_windows=%s model_provider=%s "
             "device_requested=%s", store.dialect, store.engine.url.render_as_string(hide_password=True),
             redis_part, win, provider, config.device)


def _read_chunked_body(limit: int) -> None:
    """Read a chunked body (no Content-Length) up to ``limit`` bytes: 413 beyond, else cache it
    for the parsers (werkzeug truncates instead of failing on some servers)."""
    stream = request.environ["wsgi.input"]
    parts, total = [], 0
    while total <= limit:
        chunk = stream.read(min(65536, limit + 1 - total))
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
    if total > limit:
        raise errors.ApiError(413, details={"max_bytes": limit})
    request._cached_data = b"".join(parts)  # what Request.get_data() returns from now on


def _install_request_hooks(app: Flask, config: Config) -> None:
    @app.before_request
    def _start():
        g.t0 = time.perf_counter()
        rid = request.headers.get("X-Request-Id", "")
        g.request_id = rid if _REQUEST_ID_RE.match(rid) else uuid.uuid4().hex
        limit = config.max_body_bytes
        view = app.view_functions.get(request.endpoint) if request.endpoint else None
        limit = getattr(view, "_kindshield_max_body", None) or limit   # per-route: api.body_limit()
        request.max_content_length = limit   # enforced by werkzeug while reading (chunked bodies too)
        length = request.content_length
        if length is not None and length > limit:
            raise errors.ApiError(413, details={"max_bytes": limit})
        chunked = "chunked" in request.headers.get("Transfer-Encoding", "").lower()
        has_body = (length or 0) > 0 or chunked
        if request.method in ("POST", "PUT", "PATCH") and has_body and not request.is_json:
            raise errors.ApiError(415)
        if chunked and length is None:
            _read_chunked_body(limit)

    @app.after_request
    def _finish(response):
        if response.status_code not in (429, 503):   # Flask-Limiter sets it on every response
            response.headers.pop("Retry-After", None)
        elif response.status_code == 503 and g.get("kindshield_retry_after"):
            response.headers["Retry-After"] = g.kindshield_retry_after
        rid = g.get("request_id") or uuid.uuid4().hex
        response.headers["X-Request-Id"] = rid
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if request.path.startswith("/v1"):
            response.headers.setdefault("Cache-Control", "no-store")
        elapsed = time.perf_counter() - g.get("t0", time.perf_counter())
        # route pattern, never the concrete path or query (the query can hold ?key=)
        route = request.url_rule.rule if request.url_rule is not None else "<unmatched>"
        status = response.status_code
        method = metrics.method_label(request.method)   # a fixed set: invented methods cannot grow /metrics
        metrics.inc("kindshield_http_requests_total", {"route": route, "method": method, "status": status})
        metrics.observe("kindshield_http_request_seconds", elapsed, {"route": route})
        if status == 429:
            metrics.inc("kindshield_rate_limited_total")
        user = g.get("current_user")
        who = observability.user_pseudonym(user.id, config.sender_hash_secret) if user else "-"
        client = request.remote_addr or "-"   # the real client behind a trusted proxy (observability.py)
        access_log.info("%s %s %s %d %.1fms client=%s user=%s", rid, method, route, status, elapsed * 1000,
                        client, who, extra={"request_id": rid, "method": method, "route": route,
                                            "status": status, "latency_ms": round(elapsed * 1000, 1),
                                            "client": client, "user": who})
        return response

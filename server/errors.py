"""The one JSON error format and its handler.

Every error response is ``{"error": {"code": str, "message": str, "details": object|null}}``
with an ``X-Request-Id`` header (set by app.py for every response).  Messages and details never
contain text sent by the client.

Raise :class:`ApiError` (or one of the helpers) anywhere in a request::

    from kindshield_server.errors import ApiError, not_found
    raise not_found("report not found")
    raise ApiError(409, "conflict", "report already resolved", details={"id": rid})

Routes that need a different wire format (the Perspective-compatible route) register a
formatter with :func:`set_formatter_for_blueprint`.
"""
from __future__ import annotations

import logging
import traceback
from typing import Any, Callable

from flask import Flask, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException

log = logging.getLogger("kindshield.errors")

# HTTP status -> our default error code
CODES: dict[int, str] = {
    400: "invalid_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    408: "request_timeout",
    409: "conflict",
    411: "length_required",
    413: "payload_too_large",
    414: "uri_too_long",
    415: "unsupported_media_type",
    416: "range_not_satisfiable",
    422: "invalid_request",
    428: "precondition_required",
    429: "rate_limited",
    431: "headers_too_large",
    500: "internal_error",
    501: "not_implemented",
    503: "service_unavailable",
}

MESSAGES: dict[int, str] = {
    400: "The request is invalid.",
    401: "A valid API key is required.",
    403: "This API key may not do that.",
    404: "No such resource.",
    405: "Method not allowed for this resource.",
    413: "The request body is too large.",
    415: "The request body must be JSON (Content-Type: application/json).",
    429: "Too many requests; retry after the number of seconds in Retry-After.",
    500: "Internal server error.",
    503: "The service is temporarily unavailable; retry after the number of seconds in Retry-After.",
}


class ApiError(Exception):
    """An error with an HTTP status, a stable machine-readable code and a human message."""

    def __init__(
        self,
        status: int,
        code: str | None = None,
        message: str | None = None,
        details: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.status = int(status)
        self.code = code or CODES.get(self.status, "error")
        self.message = message or MESSAGES.get(self.status, "Error.")
        self.details = details
        self.headers = dict(headers or {})
        super().__init__(f"{self.status} {self.code}: {self.message}")


def bad_request(message: str, details: Any = None, code: str = "invalid_request") -> ApiError:
    return ApiError(400, code, message, details)


def unauthorized(message: str | None = None) -> ApiError:
    return ApiError(401, "unauthorized", message, headers={"WWW-Authenticate": 'Bearer realm="kindshield"'})


def forbidden(message: str | None = None) -> ApiError:
    return ApiError(403, "forbidden", message)


def not_found(message: str | None = None) -> ApiError:
    return ApiError(404, "not_found", message)


def unavailable(message: str | None = None, retry_after: int = 1, code: str = "service_unavailable") -> ApiError:
    return ApiError(503, code, message, headers={"Retry-After": str(int(retry_after))})


# --------------------------------------------------------------------------
# wire formatting

Formatter = Callable[[ApiError], Response]
_blueprint_formatters: dict[str, Formatter] = {}


def set_formatter_for_blueprint(blueprint_name: str, formatter: Formatter) -> None:
    """Use ``formatter`` for errors raised while serving ``blueprint_name``'s routes."""
    _blueprint_formatters[blueprint_name] = formatter


def default_formatter(err: ApiError) -> Response:
    resp = jsonify({"error": {"code": err.code, "message": err.message, "details": err.details}})
    resp.status_code = err.status
    return resp


def render(err: ApiError) -> Response:
    fmt = _blueprint_formatters.get(request.blueprint or "", default_formatter) if request else default_formatter
    resp = fmt(err)
    for k, v in err.headers.items():
        resp.headers[k] = v
    if "Retry-After" in err.headers:   # Flask-Limiter's after_request would overwrite it
        g.kindshield_retry_after = err.headers["Retry-After"]
    return resp


def _safe_validation_details(data: Any) -> Any:
    """webargs/marshmallow messages keyed by location -> field; drop the location level."""
    if isinstance(data, dict) and len(data) == 1:
        (loc, inner), = data.items()
        if loc in ("json", "query", "path", "form", "headers", "view_args", "querystring"):
            return {"fields": inner, "location": loc}
    return {"fields": data}


def from_http_exception(exc: HTTPException) -> ApiError:
    status = exc.code or 500
    headers: dict[str, str] = {}
    try:
        for key, value in exc.get_headers():
            if key.lower() in ("allow", "www-authenticate", "retry-after"):
                headers[key] = value
    except Exception:  # pragma: no cover - defensive
        pass
    details = None
    message = MESSAGES.get(status)
    if status in (400, 422):
        data = getattr(exc, "data", None)
        messages = data.get("messages") if isinstance(data, dict) else None
        if messages is not None:
            details = _safe_validation_details(messages)
            message = "The request is invalid; see details."
            status = 400
    if status == 405 and getattr(exc, "valid_methods", None):
        headers["Allow"] = ", ".join(exc.valid_methods)  # type: ignore[attr-defined]
        details = {"allowed": list(exc.valid_methods)}  # type: ignore[attr-defined]
    if status == 429:
        limit = getattr(exc, "limit", None)
        if limit is not None:
            details = {"limit": str(getattr(limit, "limit", limit))}
    return ApiError(status, CODES.get(status, "error"), message or exc.name, details, headers)


def init_app(app: Flask) -> None:
    """Register the handlers.  Call after flask-smorest's Api so ours replace its handler."""

    @app.errorhandler(ApiError)
    def _api_error(err: ApiError):
        return render(err)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        return render(from_http_exception(exc))

    try:  # database failures are the server's state, not the client's fault: 503 + Retry-After
        from sqlalchemy.exc import DBAPIError, OperationalError
        from sqlalchemy.exc import TimeoutError as PoolTimeout

        @app.errorhandler(OperationalError)
        @app.errorhandler(PoolTimeout)
        def _db_unavailable(exc: Exception):
            log.warning("database unavailable: %s", type(exc).__name__)
            return render(unavailable("The database is unavailable or busy; retry shortly.", 2, "database_unavailable"))

        @app.errorhandler(DBAPIError)
        def _db_error(exc: DBAPIError):
            if getattr(exc, "connection_invalidated", False) or type(exc.orig).__name__ in (
                "OperationalError", "InterfaceError", "ConnectionException", "AdminShutdown",
            ):
                log.warning("database unavailable: %s", type(exc.orig).__name__)
                return render(unavailable("The database is unavailable or busy; retry shortly.", 2, "database_unavailable"))
            log.error("database error: %s", type(exc.orig).__name__)
            return render(ApiError(500, "internal_error"))
    except ImportError:  # pragma: no cover
        pass

    try:  # rate-limit storage (Redis) down: 503, the request may be retried
        from limits.errors import StorageError  # type: ignore

        @app.errorhandler(StorageError)
        def _limits_storage(exc: Exception):
            log.warning("rate-limit storage unavailable: %s", type(exc).__name__)
            return render(unavailable("Rate-limit storage is unavailable; retry shortly.", 2, "rate_limit_unavailable"))
    except ImportError:  # pragma: no cover
        pass

    try:
        from redis.exceptions import RedisError  # type: ignore

        @app.errorhandler(RedisError)
        def _redis_down(exc: Exception):
            log.warning("redis unavailable: %s", type(exc).__name__)
            return render(unavailable("Shared state (Redis) is unavailable; retry shortly.", 2, "redis_unavailable"))
    except ImportError:  # pragma: no cover
        pass

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        # log the type and the traceback (no request data); never show it to the client
        # the traceback without the exception's message (which could quote request data)
        tb = "".join(traceback.format_tb(exc.__traceback__))
        log.error("unhandled %s on %s %s\n%s", type(exc).__name__, request.method,
                  request.url_rule or "<unmatched>", tb)
        return render(ApiError(500, "internal_error"))

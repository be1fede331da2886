"""The exception hierarchy of the Kindshield SDK.

::

    KindshieldError
    ├── APIError                    the server answered with an error
    │   ├── ValidationError         400 / 422: the request was rejected as invalid
    │   ├── AuthenticationError     401: missing, unknown or revoked API key
    │   ├── PermissionDeniedError   403: the key may not do this
    │   ├── NotFoundError           404: no such resource (or not yours)
    │   ├── ConflictError           409: the resource is in another state
    │   ├── PayloadTooLargeError    413: the request body is too large
    │   ├── RateLimitError          429: slow down; see ``retry_after``
    │   └── ServerError             5xx: the server could not answer
    └── APIConnectionError          no (complete) answer from the server
        └── APITimeoutError         connect or read timeout

Catch :class:`KindshieldError` to handle everything the SDK raises.
"""
from __future__ import annotations

from typing import Any, Mapping, Optional

__all__ = [
    "KindshieldError",
    "APIError",
    "ValidationError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "ConflictError",
    "PayloadTooLargeError",
    "RateLimitError",
    "ServerError",
    "APIConnectionError",
    "APITimeoutError",
    "error_for_status",
]


class KindshieldError(Exception):
    """Base class of every exception raised by the Kindshield SDK."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        #: Human-readable description of what went wrong.
        self.message = message


class APIError(KindshieldError):
    """The server answered with an HTTP error status.

    Attributes:
        status: HTTP status code (e.g. ``404``).
        code: Machine-readable error code from the body's ``error.code``
            (e.g. ``"not_found"``); ``"http_<status>"`` when the body was not
            Kindshield JSON (a proxy's HTML page, say).
        message: Human-readable message from ``error.message``.
        details: ``error.details`` from the body (a mapping, possibly empty).
        request_id: The server's ``X-Request-Id`` for this request, to quote
            when asking an operator to look at their logs; ``None`` if absent.
        retry_after: Seconds the server asked the client to wait
            (``Retry-After`` header), if it sent one.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int,
        code: str,
        details: Optional[Mapping[str, Any]] = None,
        request_id: Optional[str] = None,
        retry_after: Optional[float] = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.details: Mapping[str, Any] = dict(details or {})
        self.request_id = request_id
        self.retry_after = retry_after

    def __str__(self) -> str:
        text = f"{self.message} (HTTP {self.status}, code {self.code!r}"
        if self.request_id:
            text += f", request id {self.request_id}"
        text += ")"
        fields = self.details.get("fields")
        if isinstance(fields, Mapping) and fields:
            # which field was wrong and why: the first thing a developer needs from a 400
            import json

            text += "; fields: " + json.dumps(fields, ensure_ascii=False, sort_keys=True)[:2000]
        return text

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status={self.status!r}, code={self.code!r}, "
            f"message={self.message!r}, request_id={self.request_id!r})"
        )


class ValidationError(APIError):
    """400 or 422: the server rejected the request's content (``details``
    usually names the offending fields)."""


class AuthenticationError(APIError):
    """401: the API key is missing, unknown or revoked."""


class PermissionDeniedError(APIError):
    """403: the key is valid but may not do this (e.g. an admin-only call)."""


class NotFoundError(APIError):
    """404: the resource does not exist, or belongs to another user."""


class ConflictError(APIError):
    """409: the request conflicts with the resource's current state."""


class PayloadTooLargeError(APIError):
    """413: the request body is larger than the server accepts."""


class RateLimitError(APIError):
    """429: too many requests for this key.

    ``retry_after`` holds the seconds the server asked for (``None`` if it did
    not say). The client has already retried as far as its ``max_retries``
    allowed before raising this.
    """


class ServerError(APIError):
    """5xx: the server failed or is unavailable (e.g. 503 while the database
    is locked, with ``retry_after``)."""


class APIConnectionError(KindshieldError):
    """No complete HTTP answer: the connection was refused, reset or broken.

    ``__cause__`` holds the underlying :mod:`requests` exception.
    """

    def __init__(self, message: str = "Could not connect to the Kindshield server") -> None:
        super().__init__(message)


class APITimeoutError(APIConnectionError):
    """The server did not connect or answer within the configured timeout."""

    def __init__(self, message: str = "The Kindshield server did not answer in time") -> None:
        super().__init__(message)


_STATUS_CLASSES = {
    400: ValidationError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: PayloadTooLargeError,
    422: ValidationError,
    429: RateLimitError,
}


def error_for_status(
    status: int,
    *,
    code: str,
    message: str,
    details: Optional[Mapping[str, Any]] = None,
    request_id: Optional[str] = None,
    retry_after: Optional[float] = None,
) -> APIError:
    """Build the most specific :class:`APIError` subclass for ``status``."""
    cls = _STATUS_CLASSES.get(status)
    if cls is None:
        cls = ServerError if status >= 500 else APIError
    return cls(
        message,
        status=status,
        code=code,
        details=details,
        request_id=request_id,
        retry_after=retry_after,
    )

"""What the sync :class:`~kindshield.Client` and the :class:`~kindshield.AsyncClient` share:
building requests, reading answers and errors, the retry decision, and the multi-request
operations (size-aware batching, paging) written once as *flows*.

A flow is a generator that yields :class:`Call` objects and receives, for each, the decoded JSON
body (or has the call's :class:`~kindshield.KindshieldError` thrown into it). Each client drives
flows with its own transport (``requests`` or ``aiohttp``), so the splitting, 413 recovery and
paging logic exists once and both clients behave the same.
"""
from __future__ import annotations

import email.utils
import json
import logging
import random
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Dict, Generator, List, Mapping, Optional, Sequence, Set, Tuple, TypeVar

from . import _constants as C
from ._errors import APIError, PayloadTooLargeError, ValidationError, error_for_status

T = TypeVar("T")

#: Debug lines for each request, retry and wait (with its reason). Silent unless configured:
#: ``logging.getLogger("kindshield").setLevel(logging.DEBUG)``.
log = logging.getLogger("kindshield")

JSON_CONTENT_TYPE = "application/json; charset=utf-8"
#: The header that names the platform's user a ``platform`` key acts for.
SUBJECT_HEADER = "Kindshield-Subject"
#: The server's version (``major.minor.patch``), on every answer.
VERSION_HEADER = "Kindshield-Version"
#: The server's limits, on every ``/v1`` answer (so a configured server is respected without an
#: extra request).
MAX_BODY_HEADER = "Kindshield-Max-Body-Bytes"
MAX_ITEMS_HEADER = "Kindshield-Max-Texts"


def encode_json(body: Any) -> bytes:
    """UTF-8 JSON without ``\\u`` escapes and without spaces: a Chinese character costs 3 bytes,
    not 6, so twice as much text fits under the server's body limit."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


@dataclass
class Call:
    """One API request a flow wants made."""

    method: str
    path: str
    body: Any = None
    params: Optional[Mapping[str, Any]] = None
    idempotent: Optional[bool] = None
    auth: bool = True
    #: Retries for this call (``None``: the client's ``max_retries``).
    max_retries: Optional[int] = None
    #: ``"json"`` (the decoded body), ``"text"`` (the body as text) or ``"meta"`` (decoded body and
    #: :class:`ResponseMeta` as a pair).
    expect: str = "json"
    #: Headers of this call only (an ``Idempotency-Key``), sent on every attempt.
    headers: Optional[Mapping[str, str]] = None

    def is_idempotent(self) -> bool:
        if self.idempotent is not None:
            return self.idempotent
        return self.method.upper() in ("GET", "HEAD", "PUT", "DELETE", "OPTIONS")

    def content(self) -> Optional[bytes]:
        return None if self.body is None else encode_json(self.body)


@dataclass(frozen=True)
class ResponseMeta:
    """What a successful answer said besides its body: the request id to quote to an operator
    and the response headers (``X-RateLimit-Remaining``, ``Kindshield-Version`` ...)."""

    status: int
    request_id: Optional[str]
    headers: Mapping[str, str] = field(default_factory=dict)


def attach_meta(value: Any, meta: Optional[ResponseMeta]) -> None:
    """Put the answer's :class:`ResponseMeta` on a result (read back as ``result.meta``)."""
    if meta is None or value is None or isinstance(value, (str, bytes, int, float, bool, tuple, list, dict)):
        return
    try:
        object.__setattr__(value, "_kindshield_meta", meta)
    except (AttributeError, TypeError):   # a type without a __dict__: nothing to attach to
        pass


def request_headers(base: Mapping[str, str], api_key: Optional[str], auth: bool, has_body: bool,
                    subject: Optional[str], extra: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
    headers = dict(base)
    if extra:
        headers.update(extra)
    if auth and api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    if has_body:
        headers["Content-Type"] = JSON_CONTENT_TYPE
    if subject is not None and auth:
        headers[SUBJECT_HEADER] = subject
    return headers


def query_params(params: Optional[Mapping[str, Any]]) -> Optional[Dict[str, str]]:
    """A call's query as strings, the way ``requests`` sends it: ``None`` values left out,
    ``True``/``False`` as ``true``/``false`` (aiohttp takes only strings and numbers)."""
    if not params:
        return None
    out: Dict[str, str] = {}
    for key, value in params.items():
        if value is None:
            continue
        out[key] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return out


def parse_retry_after(value: Optional[str]) -> Optional[float]:
    """``Retry-After`` as seconds (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def make_error(status: int, reason: Optional[str], headers: Mapping[str, str], content: bytes) -> APIError:
    """The most specific :class:`APIError` for an error answer (Kindshield JSON or not)."""
    request_id = headers.get(C.REQUEST_ID_HEADER)
    retry_after = parse_retry_after(headers.get("Retry-After"))
    code = f"http_{status}"
    message = f"HTTP {status} {reason or ''}".strip()
    details: Mapping[str, Any] = {}
    try:
        body = json.loads(content.decode("utf-8")) if content else None
    except (ValueError, UnicodeDecodeError):
        body = None
    if isinstance(body, Mapping):
        err = body.get("error")
        if isinstance(err, Mapping):
            code = str(err.get("code") or code)
            message = str(err.get("message") or message)
            raw_details = err.get("details")
            if isinstance(raw_details, Mapping):
                details = raw_details
            elif raw_details is not None:
                details = {"details": raw_details}
            # Perspective-style errors carry a status string too.
            if "status" in err and not err.get("code"):
                code = str(err["status"])
        elif isinstance(err, str):
            message = err
    return error_for_status(
        status, code=code, message=message, details=details, request_id=request_id, retry_after=retry_after
    )


def decode_json(status: int, headers: Mapping[str, str], content: bytes, what: str) -> Any:
    if status == 204 or not content:
        return None
    try:
        return json.loads(content.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise APIError(
            f"The server answered {what} with something that is not JSON",
            status=status,
            code="invalid_response",
            request_id=headers.get(C.REQUEST_ID_HEADER),
        ) from None


def backoff_delay(attempt: int, retry_after: Optional[float]) -> float:
    """How long to wait before retry ``attempt + 1``: the server's ``Retry-After`` when it sent
    one, else exponential backoff with jitter."""
    if retry_after is not None:
        return retry_after
    delay = min(C.MAX_RETRY_DELAY, C.INITIAL_RETRY_DELAY * (2.0 ** attempt))
    return float(delay * (1.0 - C.RETRY_JITTER * random.random()))


def should_retry_status(error: APIError, idempotent: bool, attempt: int, retries: int) -> bool:
    codes = C.RETRY_STATUS_CODES if idempotent else C.SAFE_RETRY_STATUS_CODES
    if attempt >= retries or error.status not in codes:
        return False
    return error.retry_after is None or error.retry_after <= C.MAX_RETRY_AFTER


_warned_versions: Set[str] = set()


def check_version(headers: Mapping[str, str]) -> None:
    """Warn once per server version when its major version differs from the SDK's."""
    server = headers.get(VERSION_HEADER)
    if not server or server in _warned_versions:
        return
    _warned_versions.add(server)
    sdk_major = C.VERSION.split(".", 1)[0]
    if server.split(".", 1)[0] != sdk_major:
        import warnings

        warnings.warn(
            f"kindshield {C.VERSION} talks to a Kindshield server {server}: major versions differ, "
            f"some calls may fail or behave differently",
            RuntimeWarning,
            stacklevel=4,
        )


# ------------------------------------------------------------------ server limits and batching


class ServerLimits:
    """The server's batch limits as last seen (its response headers), starting from the defaults.

    Shared by a client and the clients made from it with ``with_options``/``for_subject``."""

    def __init__(self) -> None:
        self.max_items: int = C.MAX_BATCH_SIZE
        self.max_body_bytes: int = C.MAX_BODY_BYTES

    def update(self, headers: Mapping[str, str]) -> None:
        for name, attr in ((MAX_ITEMS_HEADER, "max_items"), (MAX_BODY_HEADER, "max_body_bytes")):
            value = headers.get(name)
            if value and value.isdigit() and int(value) > 0:
                setattr(self, attr, int(value))


def plan_batches(sizes: Sequence[int], envelope: int, max_items: int, max_bytes: int) -> List[Tuple[int, int]]:
    """Split items of encoded ``sizes`` (each counted with its separating comma) into consecutive
    ``(start, end)`` ranges of at most ``max_items`` items whose body (``envelope`` bytes plus the
    items) stays within ``max_bytes``. An item too large on its own gets a batch of its own (the
    server then says why)."""
    ranges: List[Tuple[int, int]] = []
    start, used = 0, envelope
    for i, size in enumerate(sizes):
        if i > start and (i - start >= max_items or used + size > max_bytes):
            ranges.append((start, i))
            start, used = i, envelope
        used += size
    if start < len(sizes):
        ranges.append((start, len(sizes)))
    return ranges


def batched_flow(
    path: str,
    items: Sequence[Any],
    make_body: Callable[[List[Any]], Dict[str, Any]],
    limits: ServerLimits,
    *,
    idempotent: bool,
) -> Generator[Call, Any, List[Any]]:
    """POST ``items`` in as few requests as the server's limits allow, in order; returns each
    batch's decoded answer, in order.

    A 413 (the server's body limit is smaller than we knew) splits that batch in two and goes
    on; so does a 400 naming a smaller ``max_texts``. A batch of one valid text always fits, so
    a 413 is never surfaced for valid input. The request was refused before the server acted,
    so even shielding (not idempotent) may be sent again."""
    sizes = [len(encode_json(item)) + 1 for item in items]   # +1: the comma between items
    envelope = len(encode_json(make_body([]))) - 1            # the first item has no comma
    pending = plan_batches(sizes, envelope, limits.max_items, limits.max_body_bytes)
    answers: List[Any] = []
    while pending:
        start, end = pending.pop(0)
        call = Call("POST", path, make_body(list(items[start:end])), idempotent=idempotent)
        try:
            answers.append((yield call))
        except PayloadTooLargeError as exc:
            if end - start < 2:
                _add_offset(exc, start, len(items))
                raise
            told = exc.details.get("max_bytes")
            if isinstance(told, int) and 0 < told < limits.max_body_bytes:
                limits.max_body_bytes = told
            log.debug("kindshield: %s: 413 for %d items (%d bytes); splitting", path, end - start,
                      envelope + sum(sizes[start:end]))
            middle = (start + end) // 2
            pending[:0] = [(start, middle), (middle, end)]
        except ValidationError as exc:
            told = exc.details.get("max_texts")
            if isinstance(told, int) and 0 < told < end - start:
                limits.max_items = told
                log.debug("kindshield: %s: the server takes at most %d items; splitting", path, told)
                sub = plan_batches(sizes[start:end], envelope, told, limits.max_body_bytes)
                pending[:0] = [(s + start, e + start) for s, e in sub]
                continue
            _add_offset(exc, start, len(items))
            raise
        except APIError as exc:
            _add_offset(exc, start, len(items))
            raise
    return answers


def _add_offset(exc: APIError, start: int, total: int) -> None:
    """Name the failing batch's first item when the input was split."""
    if total > 1 and "batch_offset" not in exc.details:
        exc.details = {**exc.details, "batch_offset": start}


# ------------------------------------------------------------------ paging


def page_items(data: Any, *keys: str) -> List[Mapping[str, Any]]:
    """A list from the server: either the body itself or under one of ``keys``."""
    if isinstance(data, list):
        return data
    if isinstance(data, Mapping):
        for key in keys:
            value = data.get(key)
            if isinstance(value, list):
                return value
    return []


def next_cursor(data: Any) -> Optional[str]:
    if isinstance(data, Mapping):
        value = data.get("next_cursor")
        if isinstance(value, str) and value:
            return value
    return None

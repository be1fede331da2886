"""Every tunable of the Kindshield SDK in one place.

Nothing here is read at import time from the environment except through
:class:`kindshield.Client`, which looks up :data:`ENV_BASE_URL` and
:data:`ENV_API_KEY` when no explicit value is given.
"""
from __future__ import annotations

from ._version import __version__ as _VERSION

__all__ = [
    "VERSION",
    "DEFAULT_BASE_URL",
    "ENV_BASE_URL",
    "ENV_API_KEY",
    "ENV_TIMEOUT",
    "ENV_SUBJECT",
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_READ_TIMEOUT",
    "DEFAULT_MAX_RETRIES",
    "INITIAL_RETRY_DELAY",
    "MAX_RETRY_DELAY",
    "MAX_RETRY_AFTER",
    "RETRY_JITTER",
    "RETRY_STATUS_CODES",
    "SAFE_RETRY_STATUS_CODES",
    "IDEMPOTENCY_HEADER",
    "REPLAYED_HEADER",
    "MAX_BATCH_SIZE",
    "MAX_BODY_BYTES",
    "MAX_SUBJECT_CHARS",
    "MAX_TEXT_CHARS",
    "MAX_SCREENSHOT_BYTES",
    "DEFAULT_STATS_DAYS",
    "REPORTS_PAGE_SIZE",
    "ONE_CLICK_HOURS",
    "USER_AGENT",
    "REQUEST_ID_HEADER",
]

#: Version of this SDK (``kindshield/_version.py``), shared with the server and the extension.
VERSION = _VERSION

#: Where a Kindshield server listens when nothing else is configured.
DEFAULT_BASE_URL = "http://127.0.0.1:8731"

#: Environment variable read for the base URL when ``base_url`` is not passed.
ENV_BASE_URL = "KINDSHIELD_URL"

#: Environment variable read for the API key when ``api_key`` is not passed.
ENV_API_KEY = "KINDSHIELD_API_KEY"

#: Environment variable read (seconds, float) for the read timeout when
#: ``timeout`` is not passed. Mostly useful for the command line.
ENV_TIMEOUT = "KINDSHIELD_TIMEOUT"

#: Environment variable of the command line's ``--subject`` (platform keys).
ENV_SUBJECT = "KINDSHIELD_SUBJECT"

#: Seconds allowed to open the TCP connection. Always set: a client never
#: waits forever for a server that does not answer.
DEFAULT_CONNECT_TIMEOUT = 5.0

#: Seconds allowed between bytes of the response. A full batch of 256 long
#: texts with ``explain=True`` on a small CPU is the slowest request.
DEFAULT_READ_TIMEOUT = 60.0

#: Retries after the first attempt (so ``2`` means up to three attempts).
DEFAULT_MAX_RETRIES = 2

#: Delay before the first retry, in seconds; doubled on each further retry.
INITIAL_RETRY_DELAY = 0.5

#: Upper bound of a computed (exponential) backoff delay, in seconds.
MAX_RETRY_DELAY = 8.0

#: The longest ``Retry-After`` the client waits for by itself, in seconds.
#: A server asking for more gets a :class:`kindshield.RateLimitError` (or
#: :class:`kindshield.ServerError`) raised at once, carrying ``retry_after``,
#: so the caller decides whether to wait that long.
MAX_RETRY_AFTER = 60.0

#: Fraction of a computed backoff delay that is randomised away
#: (full delay times ``1 - RETRY_JITTER * random()``), so that many clients
#: do not retry in lockstep.
RETRY_JITTER = 0.25

#: Status codes retried for idempotent calls (GET, PUT, DELETE and the
#: analysis POSTs): rate limited, and the gateway/unavailable family.
RETRY_STATUS_CODES = frozenset({429, 502, 503, 504})

#: Status codes retried even for calls that create something (filing a
#: report, recording a nudge outcome): the server promises it did nothing.
SAFE_RETRY_STATUS_CODES = frozenset({429, 503})

#: Most texts the server accepts in one ``POST /v1/analyze`` or messages in
#: one ``POST /v1/shield``; larger inputs are split by the SDK.
MAX_BATCH_SIZE = 256

#: The server's default request body limit (``max_body_bytes``); batches are split to stay under
#: it, and under the limit a configured server announces in ``Kindshield-Max-Body-Bytes``.
MAX_BODY_BYTES = 1024 * 1024

#: Longest platform user id (``Kindshield-Subject``) the server accepts.
MAX_SUBJECT_CHARS = 200

#: Longest text the server accepts, in characters (checked by the server).
MAX_TEXT_CHARS = 20_000

#: Largest screenshot accepted with a report, in bytes (before base64).
MAX_SCREENSHOT_BYTES = 5 * 1024 * 1024

#: Days covered by :meth:`kindshield.Client.stats` by default.
DEFAULT_STATS_DAYS = 30

#: Reports fetched per request when :meth:`kindshield.Reports.list` pages
#: through all of them (the server's maximum is 500).
REPORTS_PAGE_SIZE = 200

#: Lockdown lengths the server accepts for one-click protection, in hours.
ONE_CLICK_HOURS = (24, 72, 168, 720)

#: ``User-Agent`` sent with every request.
USER_AGENT = f"kindshield-python/{VERSION}"

#: Response header in which the server names its request id.
REQUEST_ID_HEADER = "X-Request-Id"

#: Request header that makes filing a report or changing its status safe to retry: the
#: server answers a retry with the record the first try filed (see :data:`REPLAYED_HEADER`).
IDEMPOTENCY_HEADER = "Idempotency-Key"

#: Response header (``"true"``) on an answer replayed for a retried Idempotency-Key.
REPLAYED_HEADER = "Idempotent-Replayed"

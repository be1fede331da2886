"""The asyncio client: the same resources, results, errors, retries and options as
:class:`kindshield.Client`, on :mod:`aiohttp` (``pip install "kindshield[async]"``).

aiohttp rather than httpx by measurement (``bench/async_transport.py``, ``bench/ASYNC_TRANSPORT.md``):
against a real local server, with 32 calls in flight, it spent 5-12 times less client CPU per call
(0.3-0.4 ms against 2.2-4.9 ms) and answered more calls per second (x1.3-1.7 on analyze, x2.6-3.7
on a route without model work), in the same runs on the same machine.

Both clients run the same flows (:mod:`kindshield._flows`) and share the request building and
response parsing in :mod:`kindshield._core`; only the transport differs. ::

    async with kindshield.AsyncClient(api_key=PLATFORM_KEY, deadline=10) as platform:
        alice = platform.for_subject("user-42")
        result = await alice.shield(messages)
        async for report in alice.reports.iter():
            ...

A 429 or 503 is retried after the server's ``Retry-After`` without blocking the event loop;
``deadline`` bounds a whole call (all its requests, retries and waits together).
"""
from __future__ import annotations

import asyncio
import time
from typing import (
    Any,
    AsyncIterator,
    Dict,
    Generator,
    Iterable,
    List,
    Literal,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    TypeVar,
    Union,
)

from . import _constants as C
from . import _core, _flows, _keys
from ._admin import Offender, ReviewResult, WebhookDelivery
from ._errors import APIConnectionError, APITimeoutError, KindshieldError
from ._keys import ApiKey, KeyScope, PlatformStats
from ._options import Timeout, TimeoutTypes, check_subject, client_options, deadline_end, remaining
from ._page import Page, aiterate
from ._resources import report_body, update_body
from ._types import (
    Analysis,
    Audience,
    ChainVerification,
    Health,
    Language,
    Notice,
    NudgeOutcome,
    Precheck,
    Protection,
    Report,
    ReportFormat,
    ReportReceipt,
    Sensitivity,
    ShieldMessage,
    ShieldResult,
    Stats,
)

try:
    import aiohttp
except ImportError:  # pragma: no cover - the sync client needs only requests
    aiohttp = None  # type: ignore[assignment]

#: aiohttp's connect timeout (3.10+; older ones raise a plain ServerTimeoutError for both).
_CONNECT_TIMEOUT_ERRORS: Tuple[type, ...] = tuple(
    t for t in (getattr(aiohttp, "ConnectionTimeoutError", None),) if isinstance(t, type))

__all__ = ["AsyncClient"]

T = TypeVar("T")


class AsyncClient:
    """An asyncio client for one Kindshield server (see :class:`kindshield.Client` for the
    arguments they share).

    Args:
        deadline: Seconds a whole call may take, retries and ``Retry-After`` waits included
            (default: none; each request still has ``timeout``). When the next wait would pass
            it, the last error is raised at once; a request running into it raises
            :class:`~kindshield.APITimeoutError`.
        session: An :class:`aiohttp.ClientSession` to use (proxies, certificates, connection
            limits); the client then leaves closing it to you. Without one, the client opens its
            own on first use (in the running event loop) and closes it in :meth:`aclose`.

    Use it as ``async with`` (or ``await client.aclose()``) to release its connections; one
    client may be shared by every task of an event loop.
    """

    def __init__(
        self,
        base_url: Optional[str] = None,
        api_key: Optional[str] = None,
        *,
        timeout: Optional[TimeoutTypes] = None,
        max_retries: int = C.DEFAULT_MAX_RETRIES,
        deadline: Optional[float] = None,
        headers: Optional[Mapping[str, str]] = None,
        subject: Optional[str] = None,
        session: Optional["aiohttp.ClientSession"] = None,
    ) -> None:
        if aiohttp is None:  # pragma: no cover
            raise KindshieldError('AsyncClient needs aiohttp: pip install "kindshield[async]"')
        options = client_options(base_url, api_key, timeout, max_retries, deadline, headers, subject)
        self.base_url: str = options.base_url
        self.api_key: Optional[str] = options.api_key
        self.timeout: Timeout = options.timeout
        self.max_retries: int = options.max_retries
        self.deadline: Optional[float] = options.deadline
        self.subject: Optional[str] = options.subject
        self._headers: Dict[str, str] = options.headers
        # one pool for this client and those made from it (with_options, for_subject)
        self._pool = _Pool(session)
        self._owns_pool = True
        self._limits = _core.ServerLimits()
        self.protection = AsyncProtection(self)
        self.notices = AsyncNotices(self)
        self.reports = AsyncReports(self)
        self.admin = AsyncAdmin(self)

    # ------------------------------------------------------------ lifecycle

    async def aclose(self) -> None:
        """Release the connections (if this client opened them)."""
        if self._owns_pool:
            await self._pool.close()

    async def __aenter__(self) -> "AsyncClient":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"kindshield.AsyncClient(base_url={self.base_url!r})"

    def with_options(self, *, timeout: Optional[TimeoutTypes] = None, max_retries: Optional[int] = None,
                     deadline: Optional[float] = None) -> "AsyncClient":
        """A client for the same server and key with other limits, sharing the connections."""
        other = AsyncClient(
            self.base_url, self.api_key,
            timeout=self.timeout if timeout is None else timeout,
            max_retries=self.max_retries if max_retries is None else max_retries,
            deadline=self.deadline if deadline is None else deadline,
            headers=self._headers, subject=self.subject,
        )
        other._pool, other._owns_pool = self._pool, False
        other._limits = self._limits
        return other

    def for_subject(self, subject: str) -> "AsyncClient":
        """A client acting for one of the platform's users (see :meth:`kindshield.Client.for_subject`)."""
        other = self.with_options()
        other.subject = check_subject(subject)
        return other

    # ------------------------------------------------------------ transport

    async def _send(self, call: _core.Call, end: Optional[float]) -> Tuple[Any, _core.ResponseMeta]:
        idempotent = call.is_idempotent()
        retries = self.max_retries if call.max_retries is None else call.max_retries
        content = call.content()
        headers = _core.request_headers(self._headers, self.api_key, call.auth, content is not None, self.subject,
                                        call.headers)
        url = self.base_url + call.path
        params = _core.query_params(call.params)
        where = f"{call.method} {call.path}"
        attempt = 0
        while True:
            left = remaining(end)
            if left is not None and left <= 0:
                raise APITimeoutError(f"{where}: the call's deadline ({self.deadline:g} s) passed "
                                      f"after {attempt} attempt(s)")
            read = self.timeout.read if left is None else min(self.timeout.read, left)
            # sock_read bounds each wait for bytes (like requests' read timeout); total, the whole
            # request when a deadline is set
            timeout = aiohttp.ClientTimeout(total=left, sock_connect=min(self.timeout.connect, read),
                                            sock_read=read)
            _core.log.debug("kindshield: %s (attempt %d)", where, attempt + 1)
            try:
                session = self._pool.get()
                async with session.request(call.method, url, data=content, params=params, headers=headers,
                                           timeout=timeout) as response:
                    body = await response.read()
            except asyncio.TimeoutError as exc:   # aiohttp's timeouts are TimeoutErrors too
                connect = isinstance(exc, _CONNECT_TIMEOUT_ERRORS)
                if attempt < retries and (idempotent or connect) and await self._wait(attempt, None, end, where):
                    attempt += 1
                    continue
                which = "connect" if connect else "read"
                raise APITimeoutError(f"{where}: no answer from {self.base_url} within the {which} timeout "
                                      f"({read:g} s) after {attempt + 1} attempt(s)") from exc
            except aiohttp.ClientError as exc:
                never_sent = isinstance(exc, aiohttp.ClientConnectorError)   # refused, DNS: nothing sent
                if attempt < retries and (idempotent or never_sent) and await self._wait(attempt, None, end, where):
                    attempt += 1
                    continue
                raise APIConnectionError(f"{where}: could not reach the Kindshield server at {self.base_url} "
                                         f"after {attempt + 1} attempt(s): {type(exc).__name__}") from exc
            self._limits.update(response.headers)
            _core.check_version(response.headers)
            request_id = response.headers.get(C.REQUEST_ID_HEADER)
            _core.log.debug("kindshield: %s -> %d (request id %s)", where, response.status, request_id)
            if response.status >= 400:
                error = _core.make_error(response.status, response.reason, response.headers, body)
                if _core.should_retry_status(error, idempotent, attempt, retries) and \
                        await self._wait(attempt, error.retry_after, end, f"{where}: HTTP {error.status}"):
                    attempt += 1
                    continue
                raise error
            meta = _core.ResponseMeta(response.status, request_id, dict(response.headers))
            if call.expect == "text":
                return body.decode("utf-8", errors="replace"), meta
            data = _core.decode_json(response.status, response.headers, body, where)
            return ((data, meta) if call.expect == "meta" else data), meta

    async def _wait(self, attempt: int, retry_after: Optional[float], end: Optional[float], reason: str) -> bool:
        """Sleep before the next attempt; False (no retry) when that would pass the deadline."""
        delay = _core.backoff_delay(attempt, retry_after)
        if end is not None and time.monotonic() + delay >= end:
            _core.log.debug("kindshield: not retrying %s: waiting %.2f s would pass the deadline", reason, delay)
            return False
        _core.log.debug("kindshield: retrying after %.2f s (%s%s)", delay, reason,
                        ", as Retry-After asked" if retry_after is not None else "")
        await asyncio.sleep(delay)
        return True

    async def _drive(self, flow: Generator[_core.Call, Any, T]) -> T:
        """Run a flow (see :mod:`kindshield._core`) with this client's transport, within the deadline."""
        end = deadline_end(self.deadline)
        meta: Optional[_core.ResponseMeta] = None
        try:
            call = next(flow)
            while True:
                try:
                    result, meta = await self._send(call, end)
                except KindshieldError as exc:
                    call = flow.throw(exc)
                else:
                    call = flow.send(result)
        except StopIteration as stop:
            value: T = stop.value
            _core.attach_meta(value, meta)
            return value

    # ------------------------------------------------------------ API

    async def analyze(self, texts: Union[str, Iterable[str]], *, lang: Language = "auto",
                      explain: bool = False) -> Analysis:
        """Score one text or many (see :meth:`kindshield.Client.analyze`; split by count and size)."""
        return await self._drive(_flows.analyze(_flows.analyze_items(texts), lang, explain, self._limits))

    async def is_toxic(self, text: str, *, lang: Language = "auto") -> bool:
        """Whether the model finds ``text`` toxic."""
        return (await self.analyze(text, lang=lang))[0].toxic

    async def precheck(self, text: str, *, lang: Language = "auto") -> Precheck:
        """Check a text the user is about to post (see :meth:`kindshield.Client.precheck`)."""
        return await self._drive(_flows.precheck(text, lang))

    async def record_outcome(self, nudge_id: str, outcome: NudgeOutcome) -> None:
        """Record what the writer did after a nudge."""
        await self._drive(_flows.record_outcome(nudge_id, outcome))

    async def shield(self, messages: Iterable[Union[ShieldMessage, Mapping[str, Any]]], *,
                     lang: Language = "auto") -> ShieldResult:
        """Deliver, fold or block inbound messages (see :meth:`kindshield.Client.shield`)."""
        return await self._drive(_flows.shield(_flows.shield_items(messages), lang, self._limits))

    async def stats(self, days: int = C.DEFAULT_STATS_DAYS, *, scope: Optional[str] = None) -> Stats:
        """Per-day counts and totals (see :meth:`kindshield.Client.stats`)."""
        return await self._drive(_flows.stats(days, scope))

    async def platform_stats(self, days: int = C.DEFAULT_STATS_DAYS) -> PlatformStats:
        """All of the platform's users together (a ``platform`` key without a subject)."""
        return await self._drive(_keys.platform_stats(days))

    async def health(self) -> Health:
        """Whether the server is alive and ready (see :meth:`kindshield.Client.health`)."""
        return await self._drive(_flows.health())


class _Pool:
    """The aiohttp session of a client and the clients made from it, opened on first use: an
    aiohttp session belongs to the event loop it was made in, and a client may be built before
    one runs."""

    def __init__(self, session: Optional["aiohttp.ClientSession"]) -> None:
        self._session = session
        self._owned = session is None

    def get(self) -> "aiohttp.ClientSession":
        if self._session is None or (self._owned and self._session.closed):
            # trust_env: HTTP(S)_PROXY/NO_PROXY and .netrc, as requests (the sync Client) honours them
            self._session = aiohttp.ClientSession(trust_env=True)
        return self._session

    async def close(self) -> None:
        if self._owned and self._session is not None and not self._session.closed:
            await self._session.close()
        if self._owned:
            self._session = None


class _AsyncResource:
    def __init__(self, client: AsyncClient) -> None:
        self._client = client


class AsyncProtection(_AsyncResource):
    """``client.protection`` of the :class:`AsyncClient` (see :class:`kindshield.ProtectionResource`)."""

    async def get(self) -> Protection:
        return await self._client._drive(_flows.protection_get())

    async def update(self, *, who_may_comment: Optional[Audience] = None, who_may_message: Optional[Audience] = None,
                     sensitivity: Optional[Sensitivity] = None, allow_senders: Optional[Sequence[str]] = None,
                     reclaimed_terms: Optional[Sequence[str]] = None,
                     hide_swearing: Optional[bool] = None) -> Protection:
        changes = update_body(who_may_comment, who_may_message, sensitivity, allow_senders, reclaimed_terms,
                              hide_swearing)
        return await self._client._drive(_flows.protection_update(changes))

    async def one_click(self, hours: int = 72) -> Protection:
        return await self._client._drive(_flows.protection_one_click(hours))

    async def end(self) -> Protection:
        return await self._client._drive(_flows.protection_end())


class AsyncNotices(_AsyncResource):
    """``client.notices`` of the :class:`AsyncClient` (see :class:`kindshield.Notices`)."""

    async def list(self, *, unacked_only: bool = False, limit: int = 100,
                   cursor: Optional[str] = None) -> Page[Notice]:
        return await self._client._drive(_flows.notices_page(unacked_only, limit, cursor))

    def iter(self, *, unacked_only: bool = False, page_size: int = 100) -> AsyncIterator[Notice]:
        """``async for notice in client.notices.iter(): ...``"""
        return aiterate(self._client._drive, lambda c: _flows.notices_page(unacked_only, page_size, c))

    async def ack(self, notice_id: str) -> Optional[Notice]:
        return await self._client._drive(_flows.notice_ack(notice_id))


class AsyncReports(_AsyncResource):
    """``client.reports`` of the :class:`AsyncClient` (see :class:`kindshield.Reports`)."""

    async def file(self, *, text: str, url: Optional[str] = None, author: Optional[str] = None,
                   platform: Optional[str] = None, seen_at: Any = None, context: Optional[str] = None,
                   category: Optional[str] = None, note: Optional[str] = None, screenshot: Any = None,
                   public: Optional[bool] = None, idempotency_key: Optional[str] = None) -> ReportReceipt:
        body = report_body(text, url, author, platform, seen_at, context, category, note, screenshot, public)
        return await self._client._drive(_flows.report_file(body, idempotency_key))

    async def get(self, report_id: str) -> Report:
        return await self._client._drive(_flows.report_get(report_id))

    async def list(self, *, limit: Optional[int] = None, offset: int = 0) -> List[Report]:
        """All reports, newest first (or one page with ``limit``/``offset``)."""
        if limit is not None:
            return await self._client._drive(_flows.reports_page(limit, None, offset))
        return [report async for report in self.iter()]

    def iter(self, *, page_size: int = C.REPORTS_PAGE_SIZE) -> AsyncIterator[Report]:
        """``async for report in client.reports.iter(): ...``"""
        return aiterate(self._client._drive, lambda c: _flows.reports_page(page_size, c))

    async def update_status(self, report_id: str, status: Literal["sent_to_platform", "resolved"], *,
                            note: Optional[str] = None, idempotency_key: Optional[str] = None) -> Report:
        return await self._client._drive(_flows.report_update_status(report_id, status, note, idempotency_key))

    async def export(self, format: ReportFormat = "json") -> str:
        return await self._client._drive(_flows.reports_export(format))

    async def verify(self) -> ChainVerification:
        return await self._client._drive(_flows.reports_verify())


class AsyncOffenders(_AsyncResource):
    """``client.admin.offenders`` of the :class:`AsyncClient` (see :class:`kindshield.Offenders`)."""

    async def list(self, *, status: str = "flagged", days: int = 30, limit: int = 100,
                   cursor: Optional[str] = None) -> Page[Offender]:
        return await self._client._drive(_flows.offenders_page(status, days, limit, cursor))

    def iter(self, *, status: str = "flagged", days: int = 30, page_size: int = 100) -> AsyncIterator[Offender]:
        return aiterate(self._client._drive, lambda c: _flows.offenders_page(status, days, page_size, c))

    async def lookup(self, sender_id: str, *, days: int = 30) -> Offender:
        result: Offender = await self._client._drive(_flows.offender_lookup(sender_id, days))
        return result

    async def get(self, offender_id: str, *, days: int = 30) -> Offender:
        result: Offender = await self._client._drive(_flows.offender_get(offender_id, days))
        return result

    async def review(self, offender_id: str, outcome: str, note: Optional[str] = None) -> ReviewResult:
        result: ReviewResult = await self._client._drive(_flows.offender_review(offender_id, outcome, note))
        return result


class AsyncWebhooks(_AsyncResource):
    """``client.admin.webhooks`` of the :class:`AsyncClient`."""

    async def deliveries(self, *, status: Optional[str] = None, limit: int = 100,
                         cursor: Optional[str] = None) -> Page[WebhookDelivery]:
        return await self._client._drive(_flows.deliveries_page(status, limit, cursor))

    def iter_deliveries(self, *, status: Optional[str] = None, page_size: int = 100) -> AsyncIterator[WebhookDelivery]:
        return aiterate(self._client._drive, lambda c: _flows.deliveries_page(status, page_size, c))


class AsyncKeys(_AsyncResource):
    """``client.admin.keys`` of the :class:`AsyncClient` (see :class:`kindshield.Keys`)."""

    async def create(self, name: str, *, scopes: Sequence[KeyScope] = ("user",), user: Optional[str] = None,
                     rate_limit: Optional[str] = None) -> ApiKey:
        return await self._client._drive(_keys.create(name, scopes, user, rate_limit))

    async def list(self) -> List[ApiKey]:
        return await self._client._drive(_keys.list_keys())

    async def revoke(self, name: str) -> ApiKey:
        return await self._client._drive(_keys.revoke(name))

    async def rotate(self, name: str) -> ApiKey:
        return await self._client._drive(_keys.rotate(name))


class AsyncAdmin:
    """Operator features of the :class:`AsyncClient` (admin keys)."""

    def __init__(self, client: AsyncClient) -> None:
        self.offenders = AsyncOffenders(client)
        self.webhooks = AsyncWebhooks(client)
        self.keys = AsyncKeys(client)


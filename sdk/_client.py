"""The Kindshield client: configuration, transport, retries and the
top-level API methods. The feature groups live in :mod:`kindshield._resources`.
"""
from __future__ import annotations

import time
from typing import Any, Dict, Generator, Iterable, List, Mapping, Optional, Tuple, TypeVar, Union

import requests

from . import _constants as C
from . import _core, _flows, _keys
from ._admin import Admin
from ._errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    KindshieldError,
)
from ._keys import PlatformStats
from ._options import Timeout, TimeoutTypes, client_options, deadline_end, remaining
from ._options import check_subject as _check_subject
from ._resources import Notices, ProtectionResource, Reports
from ._types import Analysis, Health, Language, NudgeOutcome, Precheck, ShieldMessage, ShieldResult, Stats

__all__ = ["Client", "Timeout", "TimeoutTypes"]

T = TypeVar("T")


_parse_retry_after = _core.parse_retry_after


def _never_sent(exc: BaseException) -> bool:
    """Whether a connection error happened before the request left (refused,
    DNS, connect timeout): then even a non-idempotent call may be retried."""
    import urllib3.exceptions as u3

    seen = set()
    stack: List[Any] = [exc]
    while stack:
        item = stack.pop()
        if item is None or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, (u3.NewConnectionError, u3.ConnectTimeoutError, requests.exceptions.ConnectTimeout)):
            return True
        if isinstance(item, u3.MaxRetryError):
            stack.append(item.reason)
        if isinstance(item, BaseException):
            stack.extend(a for a in item.args if isinstance(a, BaseException))
            stack.append(item.__cause__)
            stack.append(item.__context__)
    return False


class Client:
    """A client for one Kindshield server.

    Args:
        base_url: The server's address, e.g. ``"http://127.0.0.1:8731"``
            (a path prefix is kept). Defaults to ``$KINDSHIELD_URL``, then
            ``http://127.0.0.1:8731``.
        api_key: The API key (sent as ``Authorization: Bearer KEY``).
            Defaults to ``$KINDSHIELD_API_KEY``. Only :meth:`health` works
            without one.
        timeout: Seconds: a :class:`Timeout`, a ``(connect, read)`` pair or
            one number (the read timeout). Defaults to ``$KINDSHIELD_TIMEOUT``
            as the read timeout, then 5 s connect / 60 s read.
        max_retries: Retries after a failed first attempt (default 2). Only
            connection errors, 429 and 502/503/504 are retried (calls that
            create something: only when the server cannot have acted, except
            report filings and status changes, which carry an
            ``Idempotency-Key`` and are retried like reads), with
            exponential backoff and jitter, honouring ``Retry-After``.
        deadline: Seconds a whole call may take: all its requests (the parts of a split batch;
            each page of a listing is a call of its own), retries and
            ``Retry-After`` waits together (default: none; each request still has ``timeout``). When the next wait would pass it, the last error is raised at
            once; a request running into it raises :class:`~kindshield.APITimeoutError`.
        session: A :class:`requests.Session` to use (proxies, certificates);
            the client then leaves closing it to you.
        headers: Extra headers sent with every request.
        subject: With a ``platform`` key: the platform's own id of the user
            this client acts for (sent as the ``Kindshield-Subject`` header;
            the server keeps only a keyed hash of it). See :meth:`for_subject`.

    The client keeps one connection pool; use it as a context manager (or call
    :meth:`close`) to release it::

        with kindshield.Client() as client:
            print(client.analyze("have a nice day")[0].toxic)

    A client may be shared between threads.
    """

    #: One-click protection and settings (:class:`~kindshield.ProtectionResource`).
    protection: ProtectionResource
    #: Risk notices (:class:`~kindshield.Notices`).
    notices: Notices
    #: Reports with evidence (:class:`~kindshield.Reports`).
    reports: Reports
    #: Operator features, admin keys only (:class:`~kindshield.Admin`): offenders, webhook deliveries.
    admin: Admin

    def __init__(
        self,
        base_url: Optional[str] = None,
        api_key: Optional[str] = None,
        *,
        timeout: Optional[TimeoutTypes] = None,
        max_retries: int = C.DEFAULT_MAX_RETRIES,
        deadline: Optional[float] = None,
        session: Optional[requests.Session] = None,
        headers: Optional[Mapping[str, str]] = None,
        subject: Optional[str] = None,
    ) -> None:
        options = client_options(base_url, api_key, timeout, max_retries, deadline, headers, subject)
        self.base_url: str = options.base_url
        self.api_key: Optional[str] = options.api_key
        self.timeout: Timeout = options.timeout
        self.max_retries: int = options.max_retries
        #: Seconds a whole call may take, retries and waits included (``None``: no deadline).
        self.deadline: Optional[float] = options.deadline
        self._owns_session = session is None
        self._session = session if session is not None else requests.Session()
        self._headers: Dict[str, str] = options.headers
        #: The platform user this client acts for (``platform`` keys; see :meth:`for_subject`).
        self.subject: Optional[str] = options.subject
        self._limits = _core.ServerLimits()
        self.protection = ProtectionResource(self)
        self.notices = Notices(self)
        self.reports = Reports(self)
        self.admin = Admin(self)

    # ------------------------------------------------------------ lifecycle

    def close(self) -> None:
        """Release the connection pool (if this client created it)."""
        if self._owns_session:
            self._session.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"kindshield.Client(base_url={self.base_url!r})"

    def with_options(
        self, *, timeout: Optional[TimeoutTypes] = None, max_retries: Optional[int] = None,
        deadline: Optional[float] = None,
    ) -> "Client":
        """A client for the same server and key with other timeouts, retries or deadline,
        sharing this client's connection pool::

            client.with_options(timeout=300, max_retries=5).analyze(big_batch)
        """
        other = Client(
            self.base_url,
            self.api_key,
            timeout=self.timeout if timeout is None else timeout,
            max_retries=self.max_retries if max_retries is None else max_retries,
            deadline=self.deadline if deadline is None else deadline,
            session=self._session,
            headers=self._headers,
            subject=self.subject,
        )
        other._limits = self._limits
        return other

    def for_subject(self, subject: str) -> "Client":
        """A client acting for one of the platform's users (a ``platform``
        key): protection, lockdown, pile-on detection, notices, nudges,
        reports and statistics are that user's own, kept apart from every
        other user's. Shares this client's connection pool::

            platform = kindshield.Client(api_key=PLATFORM_KEY)
            platform.for_subject("user-42").protection.one_click(hours=24)
        """
        other = self.with_options()
        other.subject = _check_subject(subject)
        return other

    # ------------------------------------------------------------ transport

    def _retry_delay(self, attempt: int, retry_after: Optional[float]) -> float:
        return _core.backoff_delay(attempt, retry_after)

    def _request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Optional[Mapping[str, Any]] = None,
        idempotent: Optional[bool] = None,
        max_retries: Optional[int] = None,
        auth: bool = True,
        end: Optional[float] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> requests.Response:
        """Send one API call, retrying as configured, within ``end`` (a :func:`time.monotonic`
        instant: the call's deadline); return the (2xx) response or raise the mapped
        :class:`KindshieldError`."""
        call = _core.Call(method, path, json, params, idempotent, auth)
        idempotent = call.is_idempotent()
        retries = self.max_retries if max_retries is None else max_retries
        url = self.base_url + path
        content = call.content()
        headers = _core.request_headers(self._headers, self.api_key, auth, content is not None, self.subject,
                                        extra_headers)
        where = f"{method} {path}"
        attempt = 0
        while True:
            left = remaining(end)
            if left is not None and left <= 0:
                raise APITimeoutError(f"{where}: the call's deadline ({self.deadline:g} s) passed "
                                      f"after {attempt} attempt(s)")
            read = self.timeout.read if left is None else min(self.timeout.read, left)
            connect = min(self.timeout.connect, read)
            _core.log.debug("kindshield: %s (attempt %d)", where, attempt + 1)
            try:
                response = self._session.request(
                    method, url, data=content, params=params, headers=headers, timeout=(connect, read)
                )
            except requests.exceptions.Timeout as exc:
                is_connect = isinstance(exc, requests.exceptions.ConnectTimeout)
                which = "connect" if is_connect else "read"
                if attempt < retries and (idempotent or is_connect) and \
                        self._wait(attempt, None, end, f"{where}: {which} timeout"):
                    attempt += 1
                    continue
                raise APITimeoutError(
                    f"{where}: no answer from {self.base_url} within the {which} timeout "
                    f"({connect if is_connect else read:g} s) after {attempt + 1} attempt(s)"
                ) from exc
            except requests.exceptions.ConnectionError as exc:
                if attempt < retries and (idempotent or _never_sent(exc)) and \
                        self._wait(attempt, None, end, f"{where}: connection error {type(exc).__name__}"):
                    attempt += 1
                    continue
                raise APIConnectionError(
                    f"{where}: could not reach the Kindshield server at {self.base_url} "
                    f"after {attempt + 1} attempt(s): {type(exc).__name__}"
                ) from exc
            except requests.exceptions.RequestException as exc:
                raise KindshieldError(f"{where}: invalid request: {exc}") from exc

            self._limits.update(response.headers)
            _core.check_version(response.headers)
            _core.log.debug("kindshield: %s -> %d (request id %s)", where, response.status_code,
                            response.headers.get(C.REQUEST_ID_HEADER))
            if response.status_code < 400:
                return response
            error = self._make_error(response)
            if _core.should_retry_status(error, idempotent, attempt, retries):
                response.close()
                if self._wait(attempt, error.retry_after, end, f"{where}: HTTP {error.status}"):
                    attempt += 1
                    continue
            raise error

    def _wait(self, attempt: int, retry_after: Optional[float], end: Optional[float], reason: str) -> bool:
        """Sleep before the next attempt; False (no retry: the caller raises the last error) when
        that wait would pass the call's deadline."""
        delay = self._retry_delay(attempt, retry_after)
        if end is not None and time.monotonic() + delay >= end:
            _core.log.debug("kindshield: not retrying %s: waiting %.2f s would pass the deadline", reason, delay)
            return False
        _core.log.debug("kindshield: retrying after %.2f s (%s%s)", delay, reason,
                        ", as Retry-After asked" if retry_after is not None else "")
        time.sleep(delay)
        return True

    @staticmethod
    def _make_error(response: requests.Response) -> APIError:
        return _core.make_error(response.status_code, response.reason, response.headers, response.content)

    def _json(self, response: requests.Response) -> Any:
        return _core.decode_json(response.status_code, response.headers, response.content,
                                 f"{response.request.method} {response.url}")

    @staticmethod
    def _meta(response: requests.Response) -> _core.ResponseMeta:
        return _core.ResponseMeta(response.status_code, response.headers.get(C.REQUEST_ID_HEADER),
                                  dict(response.headers))

    def _perform(self, call: _core.Call, end: Optional[float] = None) -> Tuple[Any, _core.ResponseMeta]:
        response = self._request(call.method, call.path, json=call.body, params=call.params,
                                 idempotent=call.idempotent, auth=call.auth, max_retries=call.max_retries, end=end,
                                 extra_headers=call.headers)
        meta = self._meta(response)
        if call.expect == "text":
            response.encoding = "utf-8"
            return response.text, meta
        data = self._json(response)
        return ((data, meta) if call.expect == "meta" else data), meta

    def _drive(self, flow: Generator[_core.Call, Any, T]) -> T:
        """Run a flow (see :mod:`kindshield._core`) with this client's transport, within the deadline."""
        end = deadline_end(self.deadline)
        meta: Optional[_core.ResponseMeta] = None
        try:
            call = next(flow)
            while True:
                try:
                    result, meta = self._perform(call, end)
                except KindshieldError as exc:
                    call = flow.throw(exc)
                else:
                    call = flow.send(result)
        except StopIteration as stop:
            value: T = stop.value
            _core.attach_meta(value, meta)
            return value

    def _get(self, path: str, params: Optional[Mapping[str, Any]] = None) -> Any:
        return self._json(self._request("GET", path, params=params, end=deadline_end(self.deadline)))

    def _post(self, path: str, body: Any = None, *, idempotent: bool = False) -> Any:
        return self._json(self._request("POST", path, json=body, idempotent=idempotent,
                                        end=deadline_end(self.deadline)))

    # ------------------------------------------------------------ analysis

    def analyze(
        self,
        texts: Union[str, Iterable[str]],
        *,
        lang: Language = "auto",
        explain: bool = False,
    ) -> Analysis:
        """Score one text or many.

        Args:
            texts: One string, or an iterable of strings (each 1–20,000
                characters). Any number: batches larger than the server's
                limits (256 texts, 1 MiB of UTF-8 JSON by default; the
                limits a configured server announces in its response
                headers are used once seen) are split into several requests
                and the results put back together in input order. A 413 is
                answered by splitting the batch further, so valid texts never
                fail for their size.
            lang: ``"auto"`` (detect per text), ``"en"`` or ``"zh"``.
            explain: Also return the ``spans`` that drove each score.

        Returns:
            An :class:`~kindshield.Analysis`: a sequence of
            :class:`~kindshield.AnalysisResult` (one per text, in order) with
            the ``model`` that produced them. An empty input gives an empty
            analysis without calling the server.

        Raises:
            ValidationError: a text is empty or too long, or ``lang`` is not
                supported (``details`` then carries ``batch_offset``, the
                index of the failing batch's first text, when the input was
                split).
        """
        items = _flows.analyze_items(texts)
        return self._drive(_flows.analyze(items, lang, explain, self._limits))

    def is_toxic(self, text: str, *, lang: Language = "auto") -> bool:
        """Whether the model finds ``text`` toxic (one request)."""
        return self.analyze(text, lang=lang)[0].toxic

    def precheck(self, text: str, *, lang: Language = "auto") -> Precheck:
        """Check a text the user is about to post (writer-side nudge).

        Returns a :class:`~kindshield.Precheck`; when ``nudge`` is true, show
        its ``message`` and report what the writer did with
        :meth:`record_outcome`.
        """
        return self._drive(_flows.precheck(text, lang))

    def record_outcome(self, nudge_id: str, outcome: NudgeOutcome) -> None:
        """Record what the writer did after a nudge: ``"edited"``,
        ``"posted_anyway"`` or ``"discarded"``."""
        self._drive(_flows.record_outcome(nudge_id, outcome))

    def shield(
        self,
        messages: Iterable[Union[ShieldMessage, Mapping[str, Any]]],
        *,
        lang: Language = "auto",
    ) -> ShieldResult:
        """Decide, for inbound messages and comments, whether to deliver,
        fold or block each one, from the model's scores, the recipient's
        settings, an active lockdown and the allow-lists.

        Args:
            messages: :class:`~kindshield.ShieldMessage` objects or dicts in
                the server's shape (``id``, ``kind``, ``text``, ``sender`` with
                ``id`` and ``relation``, optional ``sent_at``). Any number;
                split by count and size like :meth:`analyze`.
            lang: ``"auto"``, ``"en"`` or ``"zh"``.

        Returns:
            A :class:`~kindshield.ShieldResult`: one
            :class:`~kindshield.ShieldDecision` per message, in order, and the
            ids of any risk notices the batch raised.

        Shielding feeds the pile-on detector, so it is not retried after the
        server may have acted (only on refused connections, 429 and 503).
        """
        return self._drive(_flows.shield(_flows.shield_items(messages), lang, self._limits))

    # ------------------------------------------------------------ transparency

    def stats(self, days: int = C.DEFAULT_STATS_DAYS, *, scope: Optional[str] = None) -> Stats:
        """Per-day counts (analysed, flagged, folded, blocked, nudges shown
        and heeded, notices, lockdowns, reports) for the last ``days`` days
        (1–365, UTC, oldest first) and their totals.

        ``scope``: ``"user"`` (your own figures) or ``"instance"`` (everyone's;
        admin keys only, and their default).
        """
        return self._drive(_flows.stats(days, scope))

    def platform_stats(self, days: int = C.DEFAULT_STATS_DAYS) -> PlatformStats:
        """All of the platform's users together (a ``platform`` key, not acting for a subject):
        per-day counts, totals and how many users it has acted for. One user's own figures are
        ``client.for_subject(user_id).stats()``."""
        return self._drive(_keys.platform_stats(days))

    def health(self) -> Health:
        """Whether the server is alive (``/healthz``) and ready to analyse
        (``/readyz``: model loaded, database reachable). Needs no API key,
        never retries, and reports a 503 as ``ready=False`` rather than
        raising; an unreachable server raises :class:`APIConnectionError`."""
        return self._drive(_flows.health())

    def _probe(self, path: str) -> Tuple[bool, Mapping[str, Any]]:
        try:
            response = self._request("GET", path, max_retries=0, auth=False)
        except APIError as exc:
            return False, {"status": exc.status, "code": exc.code, "message": exc.message, **exc.details}
        try:
            body = response.json()
        except ValueError:
            body = {}
        return True, body if isinstance(body, Mapping) else {"body": body}

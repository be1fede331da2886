"""Feature groups of the API, reached as attributes of the client:
``client.protection``, ``client.notices`` and ``client.reports``."""
from __future__ import annotations

import base64
import os
from datetime import datetime
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Literal, Optional, Sequence, Union

from . import _constants as C
from . import _flows
from ._page import Page, iterate
from ._types import (
    Audience,
    ChainVerification,
    Notice,
    Protection,
    Report,
    ReportFormat,
    ReportReceipt,
    Sensitivity,
    _format_time,
)

if TYPE_CHECKING:  # pragma: no cover
    from ._client import Client

__all__ = ["ProtectionResource", "Notices", "Reports"]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class _Resource:
    def __init__(self, client: "Client") -> None:
        self._client = client


class ProtectionResource(_Resource):
    """One-click protection (lockdown) and the fine-grained settings.

    Reached as ``client.protection``.
    """

    def get(self) -> Protection:
        """The user's settings and current (or last) lockdown."""
        return self._client._drive(_flows.protection_get())

    def update(
        self,
        *,
        who_may_comment: Optional[Audience] = None,
        who_may_message: Optional[Audience] = None,
        sensitivity: Optional[Sensitivity] = None,
        allow_senders: Optional[Sequence[str]] = None,
        reclaimed_terms: Optional[Sequence[str]] = None,
        hide_swearing: Optional[bool] = None,
    ) -> Protection:
        """Change some settings (the others are kept) and return the result.

        Args:
            who_may_comment: ``"everyone"``, ``"followers"``, ``"mutuals"``,
                ``"contacts"`` or ``"nobody"``.
            who_may_message: Same choices, for direct messages.
            sensitivity: ``"relaxed"``, ``"standard"`` or ``"strict"``.
            allow_senders: Replaces the list of always-delivered sender ids.
            reclaimed_terms: Replaces the list of reclaimed terms.
            hide_swearing: Fold swearing aimed at no one (off by default:
                only hostility, the ``toxic`` decision, is folded or blocked).
        """
        changes = update_body(who_may_comment, who_may_message, sensitivity, allow_senders, reclaimed_terms,
                              hide_swearing)
        return self._client._drive(_flows.protection_update(changes))

    def one_click(self, hours: int = 72) -> Protection:
        """Turn on one-click protection for ``hours`` (24, 72, 168 or 720):
        strangers are folded or blocked and hostile content from anyone is
        blocked until ``until``, when it ends by itself (a reminder notice
        comes 12 hours before). A running lockdown is replaced.

        Returns the :class:`~kindshield.Protection` with the new lockdown
        (``active`` true, ``until`` set).
        """
        return self._client._drive(_flows.protection_one_click(hours))

    def end(self) -> Protection:
        """End one-click protection early (a recap notice follows).

        Returns the :class:`~kindshield.Protection` whose ``lockdown`` is the
        one just ended.

        Raises:
            NotFoundError: no one-click protection is active.
        """
        return self._client._drive(_flows.protection_end())


class Notices(_Resource):
    """Risk notices for the user: pile-on warnings, lockdown reminders and
    recaps. Reached as ``client.notices``."""

    def list(self, *, unacked_only: bool = False, limit: int = 100, cursor: Optional[str] = None) -> Page[Notice]:
        """One page of the user's notices, newest first (at most ``limit``, up to 500; only
        unacknowledged ones with ``unacked_only=True``); ``next_cursor`` fetches the next page.
        Reminders and recaps that fell due are added by the server first. :meth:`iter` walks
        them all."""
        return self._client._drive(_flows.notices_page(unacked_only, limit, cursor))

    def iter(self, *, unacked_only: bool = False, page_size: int = 100) -> Iterator[Notice]:
        """Every notice, newest first, a page at a time (``for n in client.notices.iter(): ...``)."""
        return iterate(self._client._drive, lambda c: _flows.notices_page(unacked_only, page_size, c))

    def ack(self, notice_id: str) -> Optional[Notice]:
        """Acknowledge a notice (idempotent); returns it as updated when the
        server sends it back."""
        return self._client._drive(_flows.notice_ack(notice_id))


class Reports(_Resource):
    """Reports with evidence, kept in a per-user hash chain so any later
    change is detectable. Reached as ``client.reports``."""

    def file(
        self,
        *,
        text: str,
        url: Optional[str] = None,
        author: Optional[str] = None,
        platform: Optional[str] = None,
        seen_at: Optional[Union[datetime, str]] = None,
        context: Optional[str] = None,
        category: Optional[str] = None,
        note: Optional[str] = None,
        screenshot: Optional[Union[bytes, str, "os.PathLike[str]"]] = None,
        public: Optional[bool] = None,
        idempotency_key: Optional[str] = None,
    ) -> ReportReceipt:
        """File a report. The content is stored verbatim (reports are the only
        place Kindshield keeps text, because the user asked it to).

        Args:
            text: The abusive content.
            url: Where it was seen.
            author: The author's handle.
            platform: The platform it was seen on (e.g. ``"weibo"``).
            seen_at: When the user saw it (a datetime or ISO 8601 string).
            context: Surrounding context (the thread, earlier messages).
            category: ``"harassment"`` (the server's default), ``"hate"``,
                ``"threat"``, ``"sexual_harassment"``, ``"doxxing"``,
                ``"impersonation"``, ``"spam"``, ``"self_harm"`` or ``"other"``.
            note: A free note.
            screenshot: PNG evidence (≤ 5 MB): bytes, or a path to a file.
            public: Offer the case (redacted) for the public transparency page.
            idempotency_key: Sent as ``Idempotency-Key`` (default: a new UUID
                per call). Every retry of the call sends it, so a filing whose
                answer was lost (a timeout, a database restart) is found, not
                filed twice. Pass your own to make retries across processes
                safe (e.g. a queue message id); the same key with other
                content is a :class:`~kindshield.ValidationError` (422,
                ``idempotency_key_reused``).

        Returns:
            The server's :class:`~kindshield.ReportReceipt` (id, time, hashes).

        Raises:
            ValueError: the screenshot is not a PNG or larger than 5 MB
                (checked before anything is sent).
        """
        body = report_body(text, url, author, platform, seen_at, context, category, note, screenshot, public)
        return self._client._drive(_flows.report_file(body, idempotency_key))

    def get(self, report_id: str) -> Report:
        """One report with its evidence (screenshot included)."""
        return self._client._drive(_flows.report_get(report_id))

    def list(self, *, limit: Optional[int] = None, offset: int = 0) -> List[Report]:
        """The user's reports, newest first, without screenshot bytes (but
        with their text). All of them by default (fetched page by page with
        a cursor); ``limit``/``offset`` for one page. :meth:`iter` walks them
        without holding them all."""
        if limit is not None:
            return self._client._drive(_flows.reports_page(limit, None, offset))
        return list(self.iter())

    def iter(self, *, page_size: int = C.REPORTS_PAGE_SIZE) -> Iterator[Report]:
        """Every report, newest first, a page at a time (``for r in client.reports.iter(): ...``)."""
        return iterate(self._client._drive, lambda c: _flows.reports_page(page_size, c))

    def update_status(self, report_id: str, status: Literal["sent_to_platform", "resolved"], *,
                      note: Optional[str] = None, idempotency_key: Optional[str] = None) -> Report:
        """Move a report forward: ``"sent_to_platform"`` or ``"resolved"``
        (never back: that is a :class:`~kindshield.ConflictError`). The change
        is appended to the chain as a new linked record; returns the report
        with its new status. ``idempotency_key`` as in :meth:`file`: a retry
        of a change that went through is answered, not a 409."""
        return self._client._drive(_flows.report_update_status(report_id, status, note, idempotency_key))

    def export(self, format: ReportFormat = "json") -> str:
        """All reports, oldest first, as a document to save or hand to a
        platform, the police or a support service, with what victim-support
        guides ask for (when, what, who, where, evidence hash, chain hashes):
        ``format="json"`` or ``"csv"``. Returned as text (without the byte
        order mark the server puts before CSV for spreadsheet programs)."""
        return self._client._drive(_flows.reports_export(format))

    def verify(self) -> ChainVerification:
        """Re-check the whole hash chain on the server; ``first_bad`` names
        the first record that no longer matches."""
        return self._client._drive(_flows.reports_verify())


def update_body(who_may_comment: Optional[str], who_may_message: Optional[str], sensitivity: Optional[str],
                allow_senders: Optional[Sequence[str]], reclaimed_terms: Optional[Sequence[str]],
                hide_swearing: Optional[bool] = None) -> Dict[str, Any]:
    changes: Dict[str, Any] = {}
    if who_may_comment is not None:
        changes["who_may_comment"] = who_may_comment
    if who_may_message is not None:
        changes["who_may_message"] = who_may_message
    if sensitivity is not None:
        changes["sensitivity"] = sensitivity
    if allow_senders is not None:
        changes["allow_senders"] = list(allow_senders)
    if reclaimed_terms is not None:
        changes["reclaimed_terms"] = list(reclaimed_terms)
    if hide_swearing is not None:
        changes["hide_swearing"] = bool(hide_swearing)
    return changes


def report_body(text: str, url: Optional[str], author: Optional[str], platform: Optional[str],
                seen_at: Optional[Union[datetime, str]], context: Optional[str], category: Optional[str],
                note: Optional[str], screenshot: Optional[Union[bytes, str, "os.PathLike[str]"]],
                public: Optional[bool]) -> Dict[str, Any]:
    """The body of ``POST /v1/reports`` (the screenshot read and checked before anything is sent)."""
    body: Dict[str, Any] = {"text": text}
    for key, value in (("url", url), ("author", author), ("platform", platform), ("context", context),
                       ("category", category), ("note", note)):
        if value is not None:
            body[key] = value
    if seen_at is not None:
        body["seen_at"] = _format_time(seen_at) if isinstance(seen_at, datetime) else str(seen_at)
    if public is not None:
        body["public"] = bool(public)
    if screenshot is not None:
        body["screenshot"] = base64.b64encode(_read_png(screenshot)).decode("ascii")
    return body


_segment = _flows.segment   # (kept under its old name)


def _read_png(value: Union[bytes, str, "os.PathLike[str]"]) -> bytes:
    if isinstance(value, (bytes, bytearray, memoryview)):
        data = bytes(value)
    else:
        with open(os.fspath(value), "rb") as handle:
            data = handle.read(C.MAX_SCREENSHOT_BYTES + 1)
    if not data.startswith(PNG_SIGNATURE):
        raise ValueError("screenshot must be a PNG image")
    if len(data) > C.MAX_SCREENSHOT_BYTES:
        raise ValueError(f"screenshot must be at most {C.MAX_SCREENSHOT_BYTES} bytes")
    return data

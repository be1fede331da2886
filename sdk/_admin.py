"""Operator features (admin keys): ``client.admin.offenders`` and ``client.admin.webhooks``.

::

    for offender in client.admin.offenders.list():            # flagged, most recipients first
        print(offender.id, offender.recipients, offender.labels)
    found = client.admin.offenders.lookup("weibo:1234567890")   # the platform's raw id; hashed by the server
    client.admin.offenders.review(found.id, "warned", note="first warning sent")
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Iterator, List, Mapping, Optional, Sequence, Tuple

from . import _flows, _keys
from ._convert import JsonMixin, json_field
from ._keys import ApiKey, KeyScope
from ._page import Page, iterate
from ._types import _EMPTY, _raw_field

if TYPE_CHECKING:  # pragma: no cover
    from ._client import Client

__all__ = ["Admin", "Keys", "Offenders", "Webhooks", "Offender", "OffenderReview", "ReviewResult", "WebhookDelivery",
           "WebhookAttempt", "OUTCOMES"]

#: What an operator may record after reviewing a sender.
OUTCOMES: Tuple[str, ...] = ("no_action", "warned", "muted", "suspended")


@dataclass(frozen=True)
class OffenderReview(JsonMixin):
    """One operator decision about a sender."""

    id: str
    outcome: str
    note: Optional[str] = None
    reviewer: Optional[str] = None
    created_at: Optional[datetime] = None


@dataclass(frozen=True)
class Offender(JsonMixin):
    """A sender known by its pseudonym (``id``), never by the raw platform id.

    Attributes:
        id: The pseudonym (pass it to :meth:`Offenders.review`).
        status: ``"flagged"``, ``"reviewed"``, ``"cleared"`` or ``"not_flagged"``.
        recipients: Distinct recipients of hostile items in the period asked for.
        hostile_items: Hostile items in that period.
        labels: How many of those items carried each label.
        max_severity: ``"none"``, ``"low"``, ``"medium"`` or ``"high"``.
        window_recipients: Distinct recipients within the flag window.
        clears_at: When the flag clears by itself (``None`` when not flagged or kept by a review).
        reviews: The operator's decisions, newest first.
    """

    id: str
    status: str = json_field(absent="")
    recipients: int = 0
    hostile_items: int = 0
    labels: Mapping[str, int] = field(default_factory=lambda: _EMPTY)
    max_severity: str = "none"
    window_recipients: int = 0
    first_seen: Optional[datetime] = None
    last_seen: Optional[datetime] = None
    flagged_at: Optional[datetime] = None
    clears_at: Optional[datetime] = None
    reviews: Tuple[OffenderReview, ...] = ()
    raw: Mapping[str, Any] = _raw_field()


@dataclass(frozen=True)
class ReviewResult(JsonMixin):
    """What :meth:`Offenders.review` returns: the recorded review and the updated record."""

    review: OffenderReview
    offender: Offender


@dataclass(frozen=True)
class WebhookAttempt(JsonMixin):
    attempt: int
    at: Optional[datetime] = json_field(absent=None)
    status_code: Optional[int] = None
    error: Optional[str] = None
    duration_ms: int = 0


@dataclass(frozen=True)
class WebhookDelivery(JsonMixin):
    """One webhook event and its attempts (``status``: pending, delivered or failed)."""

    id: str
    event: str
    status: str
    attempts: int = 0
    offender_id: Optional[str] = None
    created_at: Optional[datetime] = None
    next_attempt_at: Optional[datetime] = None
    delivered_at: Optional[datetime] = None
    last_status_code: Optional[int] = None
    last_error: Optional[str] = None
    log: Tuple[WebhookAttempt, ...] = ()
    raw: Mapping[str, Any] = _raw_field()


class Offenders:
    """Repeat offenders: senders hostile to many recipients. Reached as ``client.admin.offenders``."""

    def __init__(self, client: "Client") -> None:
        self._client = client

    def list(self, *, status: str = "flagged", days: int = 30, limit: int = 100,
             cursor: Optional[str] = None) -> Page[Offender]:
        """One page of senders by ``status`` (``"flagged"``, ``"reviewed"``, ``"cleared"`` or ``"all"``),
        most recipients first; counts cover the last ``days`` days. ``next_cursor`` (when the
        server pages this list) fetches the next page; :meth:`iter` walks them all."""
        return self._client._drive(_flows.offenders_page(status, days, limit, cursor))

    def iter(self, *, status: str = "flagged", days: int = 30, page_size: int = 100) -> Iterator[Offender]:
        """Every sender of ``status``, a page at a time."""
        return iterate(self._client._drive, lambda c: _flows.offenders_page(status, days, page_size, c))

    def lookup(self, sender_id: str, *, days: int = 30) -> Offender:
        """A sender's record by the platform's raw id (the server hashes it and keeps only the hash).

        Raises:
            NotFoundError: no hostile item from that sender is on record (code ``offender_not_found``).
        """
        result: Offender = self._client._drive(_flows.offender_lookup(sender_id, days))
        return result

    def get(self, offender_id: str, *, days: int = 30) -> Offender:
        """A sender's record by its pseudonym."""
        result: Offender = self._client._drive(_flows.offender_get(offender_id, days))
        return result

    def review(self, offender_id: str, outcome: str, note: Optional[str] = None) -> ReviewResult:
        """Record what the operator decided: ``"no_action"``, ``"warned"``, ``"muted"`` or ``"suspended"``
        (any but ``"no_action"`` keeps the sender listed after the flag would have decayed)."""
        result: ReviewResult = self._client._drive(_flows.offender_review(offender_id, outcome, note))
        return result


class Webhooks:
    """The webhook delivery log. Reached as ``client.admin.webhooks``."""

    def __init__(self, client: "Client") -> None:
        self._client = client

    def deliveries(self, *, status: Optional[str] = None, limit: int = 100,
                   cursor: Optional[str] = None) -> Page[WebhookDelivery]:
        """One page of events, newest first, with every attempt (``status``: pending, delivered or
        failed); :meth:`iter_deliveries` walks them all."""
        return self._client._drive(_flows.deliveries_page(status, limit, cursor))

    def iter_deliveries(self, *, status: Optional[str] = None, page_size: int = 100) -> Iterator[WebhookDelivery]:
        """Every event, a page at a time."""
        return iterate(self._client._drive, lambda c: _flows.deliveries_page(status, page_size, c))


class Keys:
    """API keys, over the API. Reached as ``client.admin.keys``."""

    def __init__(self, client: "Client") -> None:
        self._client = client

    def create(self, name: str, *, scopes: Sequence[KeyScope] = ("user",), user: Optional[str] = None,
               rate_limit: Optional[str] = None) -> ApiKey:
        """Create a key; its ``key`` is in this answer only (store it now).

        ``scopes``: ``["user"]`` (default), ``["admin"]`` or ``["platform"]`` (acts for the
        platform's users, see :meth:`kindshield.Client.for_subject`)."""
        return self._client._drive(_keys.create(name, scopes, user, rate_limit))

    def list(self) -> List[ApiKey]:
        """Every key, oldest first (names, prefixes and scopes; never the keys)."""
        return self._client._drive(_keys.list_keys())

    def revoke(self, name: str) -> ApiKey:
        """Revoke a key (an admin key cannot revoke itself)."""
        return self._client._drive(_keys.revoke(name))

    def rotate(self, name: str) -> ApiKey:
        """A new secret for the key (same name, user, scopes, limit), in ``key``; the old
        secret stops working."""
        return self._client._drive(_keys.rotate(name))


class Admin:
    """Operator features; every call needs an admin key (else :class:`~kindshield.PermissionDeniedError`)."""

    def __init__(self, client: "Client") -> None:
        self.offenders = Offenders(client)
        self.webhooks = Webhooks(client)
        self.keys = Keys(client)

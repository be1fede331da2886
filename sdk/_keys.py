"""API keys over the API (admin keys): ``client.admin.keys``; and the platform's own figures.

::

    created = admin.admin.keys.create("acme-comments", scopes=["platform"])
    print(created.key)                        # shown once: store it now
    admin.admin.keys.rotate("acme-comments")  # a new secret; the old one stops working
    admin.admin.keys.revoke("acme-comments")
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Dict, Generator, List, Literal, Mapping, Optional, Sequence, Tuple

from ._convert import JsonMixin
from ._core import Call
from ._types import Stats, _raw_field

__all__ = ["ApiKey", "KeyScope", "PlatformStats"]

#: What a key may do: ``user`` (a person's own key), ``admin`` (operator routes, instance-wide
#: figures), ``platform`` (acts for the platform's users named by ``subject``).
KeyScope = Literal["user", "admin", "platform"]


@dataclass(frozen=True)
class ApiKey(JsonMixin):
    """A key as the server lists it. ``key`` is set only in the answer that created or rotated
    it (the server keeps only a hash)."""

    name: str
    prefix: str
    user: str
    scopes: Tuple[str, ...] = ()
    rate_limit: Optional[str] = None
    created_at: Optional[datetime] = None
    revoked_at: Optional[datetime] = None
    key: Optional[str] = None
    raw: Mapping[str, Any] = _raw_field()

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class PlatformStats(JsonMixin):
    """All of a platform's subjects together (:meth:`kindshield.Client.platform_stats`)."""

    subjects: int
    stats: Stats
    raw: Mapping[str, Any] = _raw_field()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "PlatformStats":
        return cls(subjects=int(data.get("subjects") or 0), stats=Stats.from_dict(data), raw=dict(data))


def _segment(value: str) -> str:
    from ._flows import segment

    return segment(value)


def create(name: str, scopes: Sequence[KeyScope], user: Optional[str],
           rate_limit: Optional[str]) -> Generator[Call, Any, ApiKey]:
    body: Dict[str, Any] = {"name": name, "scopes": list(scopes)}
    if user is not None:
        body["user"] = user
    if rate_limit is not None:
        body["rate_limit"] = rate_limit
    result: ApiKey = ApiKey.from_dict((yield Call("POST", "/v1/admin/keys", body)))
    return result


def list_keys() -> Generator[Call, Any, List[ApiKey]]:
    data = yield Call("GET", "/v1/admin/keys")
    return [ApiKey.from_dict(k) for k in (data or {}).get("keys", [])]


def revoke(name: str) -> Generator[Call, Any, ApiKey]:
    result: ApiKey = ApiKey.from_dict((yield Call("DELETE", f"/v1/admin/keys/{_segment(name)}")))
    return result


def rotate(name: str) -> Generator[Call, Any, ApiKey]:
    # not idempotent: a retry after the server acted would rotate twice (and lose the first key)
    result: ApiKey = ApiKey.from_dict((yield Call("POST", f"/v1/admin/keys/{_segment(name)}/rotate")))
    return result


def platform_stats(days: int) -> Generator[Call, Any, PlatformStats]:
    result: PlatformStats = PlatformStats.from_dict((yield Call("GET", "/v1/platform/stats", params={"days": int(days)})))
    return result

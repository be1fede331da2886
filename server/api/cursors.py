"""Cursor pagination for the list routes (reports, notices, offenders, webhook deliveries).

A cursor is the sort key of the last item of a page, as URL-safe base64 of a small JSON array:
the next page starts strictly after it, so items filed while a client pages are neither skipped
nor repeated (an offset would shift).  Cursors are opaque to clients; a damaged one is 400
``invalid_cursor``.  They are not signed: a cursor only positions a query that is already limited
to what the caller may see.
"""
from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from marshmallow import fields, validate

from ..errors import bad_request

MAX_CURSOR_CHARS = 512


def cursor_field() -> fields.String:
    return fields.String(load_default=None, validate=validate.Length(min=1, max=MAX_CURSOR_CHARS),
                         metadata={"description": "`next_cursor` of the previous page"})


def next_cursor_field() -> fields.String:
    return fields.String(allow_none=True, metadata={
        "description": "pass as `cursor` for the next page; null on the last page"})


def encode(*key: Any) -> str:
    raw = json.dumps(list(key), separators=(",", ":"), ensure_ascii=True).encode("ascii")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode(token: str | None, *types: type) -> tuple | None:
    """The sort key in ``token`` (``None`` for no cursor), checked against ``types``."""
    if token is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        key = json.loads(raw.decode("ascii"))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        key = None
    if not isinstance(key, list) or len(key) != len(types) or \
            not all(isinstance(v, t) and not isinstance(v, bool) for v, t in zip(key, types)):
        raise invalid_cursor()
    return tuple(key)


def invalid_cursor():
    return bad_request("The cursor is not one this list gave out.", {"fields": {"cursor": ["invalid cursor"]}},
                       code="invalid_cursor")


def page(items: list, limit: int, key_of) -> tuple[list, str | None]:
    """``items`` fetched with ``limit + 1``: the page, and the cursor after it when there is more."""
    if len(items) <= limit:
        return items, None
    items = items[:limit]
    return items, encode(*key_of(items[-1]))

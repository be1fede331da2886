"""Parsing request bodies as JSON without letting hostile input reach the 500 handler.

``json.loads`` raises two errors that are not ``JSONDecodeError`` and that neither Flask nor
webargs turn into a 400: ``RecursionError`` for deeply nested arrays/objects (``[[[[...``,
100,000 levels in a 1 MB body) and ``ValueError`` for an integer longer than Python's
int-conversion limit (4,300 digits).  Both are the client's fault: :func:`loads` answers them
with 400 ``invalid_json``.  Ordinary syntax errors keep raising ``JSONDecodeError`` (webargs and
Flask answer those with 400 ``invalid_request`` as before).
"""
from __future__ import annotations

import json

from flask.json.provider import DefaultJSONProvider

from .errors import ApiError

INVALID_JSON = "invalid_json"


def loads(data: str | bytes) -> object:
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise json.JSONDecodeError(f"Bytes decoding error : {exc.reason}", doc="?", pos=exc.start) from None
    try:
        return json.loads(data)
    except json.JSONDecodeError:
        raise
    except RecursionError:
        raise ApiError(400, INVALID_JSON, "The JSON body is nested too deeply.", {"reason": "too_deep"}) from None
    except ValueError:   # "Exceeds the limit (4300 digits) for integer string conversion"
        raise ApiError(400, INVALID_JSON, "The JSON body has a number with too many digits.",
                       {"reason": "number_too_long"}) from None


class SafeJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider with :func:`loads` (for ``request.get_json()``)."""

    def loads(self, s, **kwargs):
        return loads(s)

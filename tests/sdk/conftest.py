"""Fixtures for the SDK tests.

``stub`` is a tiny scripted HTTP server on 127.0.0.1 (see ``sdk_stub.py``)
for what a real server cannot be made to do on demand: answer 429 with
``Retry-After``, 502/503/504, stall past the read timeout, drop the
connection. Everything else is tested against the real server
(``live_server`` from ``tests/conftest.py``).
"""
from __future__ import annotations

from typing import Any

import pytest

from kindshield import _constants
from sdk_stub import Stub


@pytest.fixture
def stub() -> Any:
    """A fresh scripted HTTP server on 127.0.0.1."""
    server = Stub()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make computed backoff delays tiny (Retry-After is still honoured)."""
    monkeypatch.setattr(_constants, "INITIAL_RETRY_DELAY", 0.01)
    monkeypatch.setattr(_constants, "MAX_RETRY_DELAY", 0.05)

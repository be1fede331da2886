"""One real Kindshield server (real model, temporary SQLite file) for the protection-feature
tests, started with the test-only feature clock enabled (KINDSHIELD_TEST_CLOCK=1) so that
lockdown expiry and pile-on windows are tested by moving the clock, never by sleeping."""
from __future__ import annotations

import base64
import itertools
import struct
import zlib
from datetime import datetime, timezone

import pytest
from procs import root_conftest

start_server = root_conftest().start_server

_names = itertools.count(1)


@pytest.fixture(scope="package")
def fserver(tmp_path_factory):
    env = {"KINDSHIELD_TEST_CLOCK": "1", "KINDSHIELD_DB_BUSY_TIMEOUT": "1",
           # the public page, with exact counts (its privacy defaults are tested in tests/api/hostile)
           "KINDSHIELD_TRANSPARENCY_PUBLIC": "1", "KINDSHIELD_TRANSPARENCY_MIN_COUNT": "0"}
    with start_server(tmp_path_factory.mktemp("kindshield-features"), env) as server:
        yield server


@pytest.fixture
def new_user(fserver):
    """A fresh user (own API key) for each call, so tests never see each other's data."""
    def make(prefix: str = "user") -> str:
        return fserver.create_key(f"{prefix}-{next(_names)}")
    return make


def clock(server, *, advance_hours: float | None = None, now: str | None = None) -> datetime:
    body = {"advance_seconds": advance_hours * 3600} if advance_hours is not None else {"now": now}
    import requests
    r = requests.put(server.url("/v1/testing/clock"), json=body, headers=server.headers(server.admin_key), timeout=30)
    assert r.status_code == 200, r.text
    return datetime.fromisoformat(r.json()["now"].replace("Z", "+00:00"))


def png_bytes(w: int = 4, h: int = 3) -> bytes:
    def chunk(t: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + t + body + struct.pack(">I", zlib.crc32(t + body) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + bytes([200, 60, 60]) * w for _ in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def png_b64(w: int = 4, h: int = 3) -> str:
    return base64.b64encode(png_bytes(w, h)).decode("ascii")


def utc(s: str) -> datetime:
    return datetime.fromisoformat(s.replace("Z", "+00:00")).astimezone(timezone.utc)

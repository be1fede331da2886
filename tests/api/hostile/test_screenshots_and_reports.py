"""Screenshots and the report chain against a real server: decompression bombs, broken streams
and trailing scripts are refused; per-user quotas stop filing floods; verify reads the chain row
by row (the server's peak memory does not grow with the user's screenshots)."""
from __future__ import annotations

import uuid
import zlib

import pytest
import requests

from .pngs import b64, bomb, png

MiB = 1024 * 1024


def _file(server, key, screenshot=None, text="you are worthless"):
    body = {"text": text, "category": "harassment"}
    if screenshot is not None:
        body["screenshot"] = b64(screenshot)
    return requests.post(server.url("/v1/reports"), json=body, headers=server.headers(key), timeout=120)


def _total(server, key):
    return requests.get(server.url("/v1/reports"), headers=server.headers(key), timeout=30).json()["total"]


@pytest.mark.parametrize("name, data, status", [
    ("bomb", bomb(), 413),
    ("idat-not-zlib", png(8, 8, idat=b"this is not a zlib stream at all"), 400),
    ("script-after-iend", png(8, 8, after_iend=b"<script>alert(document.domain)</script>"), 400),
    ("stream-too-short", png(8, 8, idat=zlib.compress(b"\x00" * 10)), 400),
    ("stream-too-long", png(8, 8, idat=zlib.compress(b"\x00" * 100_000)), 400),
], ids=lambda v: v if isinstance(v, str) else "")
def test_hostile_screenshots_are_refused(live_server, name, data, status):
    key = live_server.create_key(f"shots-{name}-{uuid.uuid4().hex[:6]}")
    r = _file(live_server, key, data)
    assert r.status_code == status, (name, r.status_code, r.text[:300])
    assert r.json()["error"]["code"] == ("payload_too_large" if status == 413 else "invalid_screenshot")
    assert _total(live_server, key) == 0
    assert _file(live_server, key, png(8, 8)).status_code == 201   # an honest one still goes in


def test_per_user_quotas(server_factory):
    server = server_factory(env={"KINDSHIELD_REPORTS_PER_DAY": "4",
                                 "KINDSHIELD_REPORT_SCREENSHOT_QUOTA_BYTES": str(3 * MiB)})
    shot = png(600, 700, noise=True)          # about 1.2 MB
    assert 1.1 * MiB < len(shot) < 1.5 * MiB
    assert _file(server, None, shot).status_code == 201
    assert _file(server, None, shot).status_code == 201
    r = _file(server, None, shot)
    assert r.status_code == 413 and r.json()["error"]["code"] == "screenshot_quota_exceeded", r.text
    # another user has a quota of their own
    other = server.create_key("other-user")
    assert _file(server, other, shot).status_code == 201
    # the count quota: two more records today, then 429 with Retry-After
    assert _file(server, None).status_code == 201
    assert _file(server, None).status_code == 201
    r = _file(server, None)
    assert r.status_code == 429 and r.json()["error"]["code"] == "report_quota_exceeded", r.text
    assert int(r.headers["Retry-After"]) > 0
    assert _total(server, None) == 4


def _peak_rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise AssertionError("no VmHWM")


def test_verify_streams_the_chain(server_factory):
    server = server_factory()
    n = 20
    for _ in range(n):                          # 20 x 4.8 MB of incompressible screenshots
        r = _file(server, None, png(1000, 1600, noise=True))
        assert r.status_code == 201, r.text[:300]
    before = _peak_rss_kib(server.process.pid)
    r = requests.get(server.url("/v1/reports/verify"), headers=server.headers(), timeout=120)
    assert r.status_code == 200 and r.json()["ok"] is True and r.json()["checked"] == n, r.text
    grown = (_peak_rss_kib(server.process.pid) - before) / 1024
    # loading every screenshot at once would add about 96 MB; one at a time stays in the noise
    assert grown < 25, f"verify raised the server's peak memory by {grown:.0f} MB"

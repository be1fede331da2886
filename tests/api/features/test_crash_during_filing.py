"""`kill -9` while reports are being filed: every acknowledged report survives,
nothing half-written appears, and the chain still verifies after a restart."""
from __future__ import annotations

import os
import signal
import threading
import time

import requests

from .conftest import png_b64, start_server


def test_kill_9_during_filing_keeps_whole_reports_only(tmp_path):
    data = tmp_path / "crash"
    acknowledged: list[str] = []
    with start_server(data) as server:
        key = server.api_key
        stop = threading.Event()

        def file_reports():
            i = 0
            while not stop.is_set():
                body = {"text": f"hostile message {i}", "url": f"https://example.com/p/{i}", "author": "@troll",
                        "category": "harassment", "screenshot": png_b64()}
                try:
                    r = requests.post(server.url("/v1/reports"), json=body,
                                      headers={"Authorization": f"Bearer {key}"}, timeout=10)
                except requests.RequestException:
                    return  # the server is gone
                if r.status_code == 201:
                    acknowledged.append(r.json()["id"])
                i += 1

        writers = [threading.Thread(target=file_reports) for _ in range(3)]
        for w in writers:
            w.start()
        deadline = time.monotonic() + 60
        while len(acknowledged) < 15 and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(server.process.pid, signal.SIGKILL)  # mid-stream: requests are in flight
        server.process.wait()
        stop.set()
        for w in writers:
            w.join(timeout=30)
    assert len(acknowledged) >= 15

    # Same data directory, new process (start_server reuses <tmp>/data).
    with start_server(data, keys=False) as again:
        headers = {"Authorization": f"Bearer {key}"}
        listed = requests.get(again.url("/v1/reports"), params={"limit": 500}, headers=headers, timeout=60)
        assert listed.status_code == 200, listed.text
        body = listed.json()
        items = body["reports"]
        stored = {str(r["id"]) for r in items}
        assert {str(i) for i in acknowledged} <= stored  # nothing acknowledged is lost
        for rid in stored:  # every stored report is whole, screenshot included
            one = requests.get(again.url(f"/v1/reports/{rid}"), headers=headers, timeout=60)
            assert one.status_code == 200
            report = one.json()
            assert report["text"].startswith("hostile message")
            assert report["screenshot"] and report["screenshot_sha256"]
        verify = requests.get(again.url("/v1/reports/verify"), headers=headers, timeout=60).json()
        assert verify["ok"] is True, verify

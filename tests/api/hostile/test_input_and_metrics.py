"""Hostile input against a real server: malformed JSON must be a 400 with a code (never a 500
with a traceback), and invented methods and paths must not grow /metrics or the access log."""
from __future__ import annotations

import re

import requests

ALLOWED_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "other"}


def _post_raw(server, path, body: bytes):
    return requests.post(server.url(path), data=body, timeout=60,
                         headers=server.headers(**{"Content-Type": "application/json"}))


def test_deeply_nested_json_is_400_invalid_json(live_server):
    body = b"[" * 100_000 + b"]" * 100_000
    for path in ("/v1/analyze", "/v1/shield", "/v1alpha1/comments:analyze"):
        resp = _post_raw(live_server, path, body)
        assert resp.status_code == 400, (path, resp.status_code, resp.text[:300])
        if path.startswith("/v1/"):   # the Perspective route answers in Google's error format
            assert resp.json()["error"]["code"] == "invalid_json"
    assert "RecursionError" not in live_server.log_text()


def test_a_5000_digit_number_is_400_invalid_json(live_server):
    body = b'{"texts": ["hello"], "lang": ' + b"9" * 5000 + b"}"
    resp = _post_raw(live_server, "/v1/analyze", body)
    assert resp.status_code == 400, resp.text[:300]
    assert resp.json()["error"]["code"] == "invalid_json"
    assert "Exceeds the limit" not in live_server.log_text()
    assert "unhandled" not in live_server.log_text()


def _method_labels(metrics_text: str) -> set[str]:
    return set(re.findall(r'kindshield_http_requests_total\{[^}]*method="([^"]*)"', metrics_text))


def test_invented_methods_and_paths_do_not_grow_metrics(server_factory):
    server = server_factory(env={"KINDSHIELD_UNMATCHED_RATE_LIMIT": "40 per minute"})
    before = requests.get(server.url("/metrics"), timeout=10).text
    statuses = []
    with requests.Session() as s:
        for i in range(300):
            method = f"SENTINELMETHOD{i:04d}"
            r = s.request(method, server.url(f"/no/such/path/SENTINELPATH{i}"), timeout=10)
            statuses.append(r.status_code)
            r = s.request(method, server.url("/v1/analyze"), timeout=10)   # a real route, a made-up method
            statuses.append(r.status_code)
    # the flood is refused once the per-address budget for unmatched requests is spent
    assert statuses.count(429) >= 500, statuses[:60]
    assert set(statuses) <= {404, 405, 429}
    # ... and, with a valid key, the prober is still limited by address
    r = requests.request("SENTINELMETHODZ", server.url("/nothing"), headers=server.headers(), timeout=10)
    assert r.status_code == 429 and r.json()["error"]["code"] == "rate_limited"
    # ... while real routes of the same address keep working
    assert server.post("/v1/analyze", {"texts": ["hello there"]}).status_code == 200

    after = requests.get(server.url("/metrics"), timeout=10).text
    assert _method_labels(after) <= ALLOWED_METHODS, _method_labels(after)
    assert "SENTINEL" not in after
    assert len(after) < len(before) + 20_000, (len(before), len(after))
    assert "SENTINELMETHOD" not in server.log_text()

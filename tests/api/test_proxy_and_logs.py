"""Behind a reverse proxy and watched: trusted X-Forwarded-For gives each client its own rate-limit
bucket (and only from a trusted proxy), the access log names the client, JSON logs parse line by
line with UTC timestamps, /metrics is behind its token with one charset and a build_info gauge.
Real server processes; the "proxy" is this test, talking from 127.0.0.1."""
from __future__ import annotations

import json
import secrets

import pytest
import requests
from conftest import start_server

METRICS_TOKEN = secrets.token_urlsafe(32)


def _anonymous(server, client_ip):
    return requests.get(server.url("/v1/reports"), headers={"X-Forwarded-For": client_ip}, timeout=30)


@pytest.fixture(scope="module")
def proxied(tmp_path_factory):
    env = {"KINDSHIELD_TRUSTED_PROXIES": "127.0.0.1,::1", "KINDSHIELD_RATE_LIMIT": "3 per minute",
           "KINDSHIELD_LOG_FORMAT": "json", "KINDSHIELD_METRICS_TOKEN": METRICS_TOKEN}
    with start_server(tmp_path_factory.mktemp("kindshield-proxied"), env) as server:
        yield server


def test_trusted_proxy_limits_each_client_separately(proxied):
    codes_a = [_anonymous(proxied, "203.0.113.5").status_code for _ in range(4)]
    assert codes_a == [401, 401, 401, 429], codes_a
    assert _anonymous(proxied, "203.0.113.6").status_code == 401   # another client: its own bucket
    # the proxy appends the peer it saw: the right-most entry is the client (one trusted hop)
    assert _anonymous(proxied, "198.51.100.1, 203.0.113.7").status_code == 401


def test_untrusted_peer_cannot_choose_its_bucket(tmp_path):
    with start_server(tmp_path, {"KINDSHIELD_RATE_LIMIT": "3 per minute"}, keys=False) as server:
        codes = [_anonymous(server, f"203.0.113.{i}").status_code for i in range(10, 14)]
        log = server.log_text()
    assert codes == [401, 401, 401, 429], codes   # X-Forwarded-For ignored: one bucket (the peer's)
    assert "client=127.0.0.1" in log and "203.0.113." not in log


def test_json_logs_parse_line_by_line_with_request_id_user_and_latency(proxied):
    r = requests.get(proxied.url("/v1/reports"), headers={**proxied.headers(), "X-Request-Id": "trace-json-1",
                                                         "X-Forwarded-For": "203.0.113.50"}, timeout=30)
    assert r.status_code == 200
    lines = [ln for ln in proxied.log_text().splitlines() if ln.strip()]
    docs = [json.loads(ln) for ln in lines if ln.startswith("{")]
    startup = [ln for ln in lines if not ln.startswith("{")]
    # only the CLI's own first lines (before logging is configured) may be plain text
    assert len(docs) >= 3 and len(startup) <= 2, startup
    access = [d for d in docs if d.get("request_id") == "trace-json-1"]
    assert len(access) == 1, docs[-5:]
    a = access[0]
    assert a["logger"] == "kindshield.access" and a["status"] == 200 and a["route"] == "/v1/reports"
    assert a["client"] == "203.0.113.50" and a["user"].startswith("u-") and isinstance(a["latency_ms"], float)
    assert all(d["ts"].endswith("+00:00") for d in docs)
    assert proxied.api_key not in proxied.log_text()


def test_metrics_behind_token_one_charset_and_build_info(proxied):
    assert requests.get(proxied.url("/metrics"), timeout=30).status_code == 401
    bad = requests.get(proxied.url("/metrics"), headers={"Authorization": "Bearer nope"}, timeout=30)
    assert bad.status_code == 401 and bad.json()["error"]["code"] == "unauthorized"
    r = requests.get(proxied.url("/metrics"), headers={"Authorization": f"Bearer {METRICS_TOKEN}"}, timeout=30)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    import kindshield_server
    info = [ln for ln in r.text.splitlines() if ln.startswith("kindshield_build_info{")]
    assert len(info) == 1 and f'version="{kindshield_server.__version__}"' in info[0] and 'model="' in info[0]
    assert "kindshield_webhook_outbox_pending 0.0" in r.text


def test_test_only_routes_are_not_in_the_production_api_description(proxied):
    paths = requests.get(proxied.url("/openapi.json"), timeout=30).json()["paths"]
    assert "/v1/testing/clock" not in paths and "/v1/me/export" in paths

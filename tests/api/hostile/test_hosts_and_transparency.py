"""Host headers and the public transparency page against a real server: a forged Host cannot
steer the discovery document, a DNS-rebinding page cannot read /transparency, the page is the
operator's opt-in, and it never shows small exact counts."""
from __future__ import annotations

import time

import pytest
import requests


def test_forged_host_does_not_steer_the_discovery_document(live_server):
    for path in ("/$discovery/rest?version=v1alpha1", "/discovery/v1/apis/commentanalyzer/v1alpha1/rest"):
        r = requests.get(live_server.url(path), headers={"Host": "evil.example"}, timeout=30)
        assert r.status_code == 200, r.text
        assert r.json()["rootUrl"] == f"http://127.0.0.1:{live_server.port}/"
        assert "evil.example" not in r.text


def test_transparency_is_off_unless_the_operator_publishes_it(live_server):
    for path in ("/transparency", "/transparency.json", "/v1/transparency"):
        r = requests.get(live_server.url(path), timeout=30)
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found", (path, r.text[:200])


@pytest.fixture(scope="module")
def public_server(tmp_path_factory):
    from .conftest import start_server

    with start_server(tmp_path_factory.mktemp("kindshield-public"), {"KINDSHIELD_TRANSPARENCY_PUBLIC": "1"}) as s:
        yield s


def test_one_persons_activity_is_not_readable_from_the_public_page(public_server):
    s = public_server
    assert s.post("/v1/reports", {"text": "you are worthless", "category": "harassment"}).status_code == 201
    assert s.post("/v1/analyze", {"texts": [f"hello number {i}" for i in range(12)]}).status_code == 200
    deadline = time.monotonic() + 30
    while True:   # analysis counts are written in the background, every few seconds
        data = requests.get(s.url("/transparency.json"), timeout=30).json()
        if data["totals"]["analysed"] is not None or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert data["granularity"] == "week" and data["min_count"] == 10
    assert data["totals"]["reports"] is None            # one report: "fewer than 10", never 1
    assert data["totals"]["lockdowns"] is None          # zero is as telling as one
    assert data["totals"]["analysed"] >= 12             # control: large counts are shown
    for period in data["periods"]:
        assert period["from"] <= period["to"]
        for key, value in period.items():
            if key not in ("from", "to"):
                assert value is None or value >= 10, (key, value)
    assert "daily" not in data
    html = requests.get(s.url("/transparency"), timeout=30).text
    assert 'data-key="reports">fewer than 10<' in html


@pytest.mark.parametrize("path", ["/transparency", "/transparency.json", "/v1/transparency"])
def test_dns_rebinding_cannot_read_the_public_page(public_server, path):
    rebound = requests.get(public_server.url(path), headers={"Host": f"rebind.example:{public_server.port}"},
                           timeout=30)
    assert rebound.status_code == 400 and rebound.json()["error"]["code"] == "untrusted_host"
    for host in (f"127.0.0.1:{public_server.port}", f"localhost:{public_server.port}"):
        assert requests.get(public_server.url(path), headers={"Host": host}, timeout=30).status_code == 200


def test_trusted_hosts_setting_refuses_every_other_host(server_factory):
    s = server_factory(env={"KINDSHIELD_TRUSTED_HOSTS": "kindshield.test,127.0.0.1"})
    r = requests.post(s.url("/v1/analyze"), json={"texts": ["hi"]},
                      headers={**s.headers(), "Host": "rebind.example"}, timeout=30)
    assert r.status_code == 400 and r.json()["error"]["code"] == "untrusted_host"
    ok = requests.post(s.url("/v1/analyze"), json={"texts": ["hi"]},
                       headers={**s.headers(), "Host": "kindshield.test"}, timeout=30)
    assert ok.status_code == 200


def test_published_cases_are_redacted_in_every_field(public_server):
    s = public_server
    text = ("u/victim_user is pathetic, write to victim (at) gmail (dot) com or see victim.example.de/profile")
    r = s.post("/v1/reports", {"text": text, "platform": "victim.example.de/profile", "public": True})
    assert r.status_code == 201
    rid = r.json()["id"]
    assert requests.post(s.url("/v1/transparency/cases"), json={"report_id": rid},
                         headers=s.headers(s.admin_key), timeout=30).status_code == 201
    body = requests.get(s.url("/transparency.json"), timeout=30).text
    for leaked in ("victim_user", "gmail", "victim.example.de", "example.de"):
        assert leaked not in body, leaked
    assert "pathetic" in body

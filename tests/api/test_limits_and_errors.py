"""Every limit and error code: JSON error body + X-Request-Id, never HTML, never 500."""
import json

import pytest
import requests


def assert_error(resp, status, code=None):
    assert resp.status_code == status, resp.text
    assert resp.headers["Content-Type"].startswith("application/json"), resp.headers["Content-Type"]
    assert resp.headers.get("X-Request-Id")
    body = resp.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    return body["error"]


@pytest.mark.parametrize("payload, where", [
    ({"texts": []}, "texts"),
    ({"texts": ["ok"] * 257}, "texts"),
    ({"texts": [""]}, "texts"),
    ({"texts": ["x" * 20_001]}, "texts"),
    ({"texts": "not a list"}, "texts"),
    ({"texts": [1, 2]}, "texts"),
    ({"texts": ["ok"], "lang": "fr"}, "lang"),
    ({"texts": ["ok"], "explain": "yes"}, "explain"),
    ({"texts": ["ok"], "unexpected": True}, "unexpected"),
    ({}, "texts"),
    ([], None),
    ("just a string", None),
])
def test_invalid_bodies_are_400(live_server, payload, where):
    err = assert_error(live_server.post("/v1/analyze", payload), 400, "invalid_request")
    if where:
        assert where in err["details"]["fields"]


def test_limits_at_the_boundary_are_accepted(live_server):
    assert live_server.post("/v1/analyze", {"texts": ["ok"] * 256}).status_code == 200
    resp = live_server.post("/v1/analyze", {"texts": ["calm words. " * 1666 + "abcdefgh"]})
    assert resp.status_code == 200, resp.text
    assert len("calm words. " * 1666 + "abcdefgh") == 20_000


def test_malformed_json_is_400(live_server):
    resp = requests.post(live_server.url("/v1/analyze"), data=b'{"texts": [',
                         headers=live_server.headers(**{"Content-Type": "application/json"}), timeout=30)
    assert_error(resp, 400, "invalid_request")
    resp = requests.post(live_server.url("/v1/analyze"), data=b'\xff\xfe\x00garbage',
                         headers=live_server.headers(**{"Content-Type": "application/json"}), timeout=30)
    assert_error(resp, 400, "invalid_request")


def test_body_over_1_mib_is_413(live_server):
    body = json.dumps({"texts": ["a" * 10_000] * 110}).encode()   # ~1.1 MB
    assert len(body) > 1024 * 1024
    resp = requests.post(live_server.url("/v1/analyze"), data=body,
                         headers=live_server.headers(**{"Content-Type": "application/json"}), timeout=60)
    assert_error(resp, 413, "payload_too_large")


def test_chunked_body_over_1_mib_is_413(live_server):
    def chunks():
        yield b'{"texts": ['
        for _ in range(120):
            yield b'"' + b"a" * 10_000 + b'",'
        yield b'"end"]}'

    resp = requests.post(live_server.url("/v1/analyze"), data=chunks(),
                         headers=live_server.headers(**{"Content-Type": "application/json"}), timeout=60)
    assert_error(resp, 413, "payload_too_large")

    def small():
        yield b'{"texts": ["hello ", '
        yield b'"world"]}'

    resp = requests.post(live_server.url("/v1/analyze"), data=small(),
                         headers=live_server.headers(**{"Content-Type": "application/json"}), timeout=60)
    assert resp.status_code == 200 and len(resp.json()["results"]) == 2


def test_non_json_is_415(live_server):
    resp = requests.post(live_server.url("/v1/analyze"), data="texts=hello",
                         headers=live_server.headers(**{"Content-Type": "application/x-www-form-urlencoded"}),
                         timeout=30)
    assert_error(resp, 415, "unsupported_media_type")
    resp = requests.post(live_server.url("/v1/analyze"), data=b'{"texts": ["hi"]}',
                         headers=live_server.headers(**{"Content-Type": "text/plain"}), timeout=30)
    assert_error(resp, 415)


def test_404_and_405_are_json(live_server):
    assert_error(requests.get(live_server.url("/v1/does-not-exist"), timeout=10), 404, "not_found")
    assert_error(requests.get(live_server.url("/definitely/not/here.html"), timeout=10), 404)
    resp = requests.get(live_server.url("/v1/analyze"), headers=live_server.headers(), timeout=10)
    err = assert_error(resp, 405, "method_not_allowed")
    assert "POST" in resp.headers["Allow"]
    assert "POST" in err["details"]["allowed"]
    assert_error(requests.delete(live_server.url("/healthz"), timeout=10), 405)


def test_rate_limit_is_per_key_with_retry_after(live_server):
    limited = live_server.create_key("limited-key", rate_limit="3 per minute")
    for _ in range(3):
        assert live_server.post("/v1/analyze", {"texts": ["hi"]}, key=limited).status_code == 200
    resp = live_server.post("/v1/analyze", {"texts": ["hi"]}, key=limited)
    err = assert_error(resp, 429, "rate_limited")
    retry_after = int(resp.headers["Retry-After"])
    assert 0 < retry_after <= 61
    assert err["details"]["limit"]
    # limits are per key: the ordinary key is unaffected
    assert live_server.post("/v1/analyze", {"texts": ["hi"]}).status_code == 200
    # invalid requests and other routes count against the same key too, and stay 429
    resp = live_server.post("/v1alpha1/comments:analyze",
                            {"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {}}}, key=limited)
    assert resp.status_code == 429 and resp.headers["Retry-After"]
    assert resp.json()["error"]["status"] == "RESOURCE_EXHAUSTED"   # Google's format on that route
    assert_error(live_server.post("/v1/analyze", {"texts": []}, key=limited), 429)


def test_client_input_never_gives_html(live_server):
    odd = [
        ("POST", "/v1/analyze", b"\x00\x01\x02", "application/json"),
        ("POST", "/v1/analyze", b'{"texts": [null]}', "application/json"),
        ("POST", "/v1/analyze", b'{"texts": ["a"], "lang": null}', "application/json"),
        ("POST", "/v1/analyze", b'{"texts": {"a": 1}}', "application/json"),
        ("POST", "/v1/analyze", b'{"texts": [["nested"]]}', "application/json"),
        ("POST", "/v1/analyze", b'1e999999', "application/json"),
        ("POST", "/v1/analyze", b'{"texts": ["a"]}', "application/json; charset=latin-1"),
        ("PUT", "/v1/analyze", b'{}', "application/json"),
        ("GET", "/v1/analyze/../../etc/passwd", b"", None),
        ("GET", "/%ff%fe", b"", None),
    ]
    for method, path, data, ctype in odd:
        headers = live_server.headers()
        if ctype:
            headers["Content-Type"] = ctype
        resp = requests.request(method, live_server.url(path), data=data, headers=headers, timeout=30)
        assert resp.status_code < 500, (method, path, data, resp.status_code, resp.text[:300])
        assert "html" not in resp.headers.get("Content-Type", ""), (method, path)
        if resp.status_code >= 400:
            assert_error(resp, resp.status_code)

"""CORS: only configured origins (the extension's chrome-extension:// origin), never a wildcard."""
import requests


def _origins(live_server):
    ext, web = live_server.env["KINDSHIELD_CORS_ORIGINS"].split(",")
    assert ext.startswith("chrome-extension://")
    return ext, web


def preflight(live_server, origin):
    return requests.options(live_server.url("/v1/analyze"), headers={
        "Origin": origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type"}, timeout=10)


def test_allowed_origins_get_cors_headers(live_server):
    for origin in _origins(live_server):
        resp = preflight(live_server, origin)
        assert resp.status_code in (200, 204)
        assert resp.headers["Access-Control-Allow-Origin"] == origin
        assert "POST" in resp.headers["Access-Control-Allow-Methods"]
        assert "authorization" in resp.headers["Access-Control-Allow-Headers"].lower()
        assert resp.headers.get("Access-Control-Allow-Credentials") != "true"
        actual = requests.post(live_server.url("/v1/analyze"), json={"texts": ["hi"]},
                               headers=live_server.headers(Origin=origin), timeout=30)
        assert actual.status_code == 200
        assert actual.headers["Access-Control-Allow-Origin"] == origin
        assert "X-Request-Id" in actual.headers.get("Access-Control-Expose-Headers", "")


def test_other_origins_get_nothing(live_server):
    web = _origins(live_server)[1]
    for origin in ("https://evil.example.com", "chrome-extension://someotherextension", "null",
                   web + ".evil.com", web.replace("https://", "http://")):
        resp = preflight(live_server, origin)
        assert "Access-Control-Allow-Origin" not in resp.headers, origin
        actual = requests.post(live_server.url("/v1/analyze"), json={"texts": ["hi"]},
                               headers=live_server.headers(Origin=origin), timeout=30)
        assert "Access-Control-Allow-Origin" not in actual.headers
    resp = requests.get(live_server.url("/healthz"), headers={"Origin": "https://evil.example.com"}, timeout=10)
    assert resp.headers.get("Access-Control-Allow-Origin") not in ("*",)

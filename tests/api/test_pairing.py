"""Pairing a browser by a one-time code (server/api/pairing.py), against a real server process."""
import re

import requests

CODE_RE = re.compile(r"\b([A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4})\b")


def page_code(server) -> str:
    resp = requests.get(server.url("/pair"), timeout=10)
    assert resp.status_code == 200 and resp.headers["Content-Type"].startswith("text/html")
    assert resp.headers["Cache-Control"] == "no-store"
    return CODE_RE.search(resp.text).group(1)


def pair(server, code, **extra):
    return requests.post(server.url("/v1/pair"), json={"code": code, **extra}, timeout=30)


def test_start_up_output_and_pair_page_show_the_same_one_time_code(live_server):
    printed = CODE_RE.search(live_server.log_text().split("welcome page:", 1)[1]).group(1)
    code = page_code(live_server)
    assert code == printed or pair(live_server, printed).status_code == 403  # another test may have used it


def test_code_gives_a_new_non_admin_key_once(live_server):
    code = page_code(live_server)
    resp = pair(live_server, code.lower().replace("-", " "), name="Chrome on laptop")  # typed loosely
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert body["admin"] is False and body["name"].startswith("Chrome-on-laptop-")
    key = body["key"]
    assert requests.get(live_server.url("/v1/protection"), headers=live_server.headers(key), timeout=30).status_code == 200
    admin_only = requests.get(live_server.url("/v1/admin/offenders"), headers=live_server.headers(key), timeout=30)
    assert admin_only.status_code == 403
    again = pair(live_server, code)
    assert again.status_code == 403 and again.json()["error"]["code"] == "pairing_code_invalid"
    assert page_code(live_server) != code, "a used code is replaced"


def test_wrong_codes_burn_the_code(live_server):
    code = page_code(live_server)
    for _ in range(5):
        assert pair(live_server, "ZZZZ-ZZZZ" if code != "ZZZZ-ZZZZ" else "YYYY-YYYY").status_code == 403
    assert pair(live_server, code).status_code == 403, "five wrong tries burn the live code"
    assert page_code(live_server) != code


def test_bad_bodies_are_json_400(live_server):
    for body in ({}, {"code": "ABCD-EFGH", "extra": 1}, {"code": 5}, {"code": "ABCD-EFGH", "name": "<b>"}):
        resp = requests.post(live_server.url("/v1/pair"), json=body, timeout=30)
        assert resp.status_code == 400 and resp.json()["error"]["code"] == "invalid_request", (body, resp.text)


def test_pair_page_refuses_proxied_and_rebound_requests(live_server):
    # (waitress itself drops X-Forwarded-For / Forwarded from untrusted peers before the app sees them)
    for headers in ({"X-Real-IP": "203.0.113.9"}, {"Host": "evil.example"}, {"Host": "evil.example:8731"}):
        resp = requests.get(live_server.url("/pair"), headers=headers, timeout=10)
        assert resp.status_code == 403 and resp.json()["error"]["code"] == "forbidden", headers
        assert not CODE_RE.search(resp.text)
    assert requests.get(live_server.url("/pair").replace("127.0.0.1", "localhost"), timeout=10).status_code == 200


def test_pairing_can_be_turned_off(server_factory):
    server = server_factory(env={"KINDSHIELD_PAIRING": "0"})
    assert requests.get(server.url("/pair"), timeout=10).status_code == 404
    resp = requests.post(server.url("/v1/pair"), json={"code": "ABCD-EFGH"}, timeout=10)
    assert resp.status_code == 404 and resp.json()["error"]["code"] == "not_found"
    assert "welcome page:" not in server.log_text()

"""API keys: Bearer auth, hashing at rest, revocation, admin flag, the CLI."""
import json
import sqlite3

import requests

from .test_limits_and_errors import assert_error


def test_missing_invalid_and_malformed_keys_are_401(live_server):
    url = live_server.url("/v1/analyze")
    body = {"texts": ["hello"]}
    resp = requests.post(url, json=body, timeout=30)
    assert_error(resp, 401, "unauthorized")
    assert resp.headers.get("WWW-Authenticate", "").startswith("Bearer")
    for header in ("Bearer ks_notarealkeyatall", "Bearer ", "Basic dXNlcjpwYXNz", live_server.api_key,
                   "Bearer " + live_server.api_key + "x", "Bearer " + live_server.api_key[:-1]):
        assert_error(requests.post(url, json=body, headers={"Authorization": header}, timeout=30), 401)
    # ?key= is only for the Perspective route
    assert_error(requests.post(url + "?key=" + live_server.api_key, json=body, timeout=30), 401)


def test_auth_comes_before_body_validation(live_server):
    resp = requests.post(live_server.url("/v1/analyze"), json={"texts": []}, timeout=30)
    assert_error(resp, 401)


def test_keys_are_hashed_at_rest_and_never_logged(live_server):
    key = live_server.create_key("hash-check")
    assert key.startswith("ks_") and len(key) > 40
    assert live_server.post("/v1/analyze", {"texts": ["hi"]}, key=key).status_code == 200
    with sqlite3.connect(live_server.db_path) as conn:
        rows = conn.execute("SELECT prefix, key_hash FROM api_keys WHERE name = 'hash-check'").fetchall()
    (prefix, key_hash), = rows
    assert key.startswith(prefix) and len(prefix) < 16
    assert key not in key_hash and len(key_hash) == 64
    for path in live_server.data_dir.iterdir():
        assert key.encode() not in path.read_bytes(), path
    assert live_server.api_key not in live_server.log_text()
    assert key not in live_server.log_text()
    listing = live_server.cli("keys", "list").stdout
    assert "hash-check" in listing and key not in listing


def test_revoked_key_is_refused(live_server):
    key = live_server.create_key("to-revoke")
    assert live_server.post("/v1/analyze", {"texts": ["hi"]}, key=key).status_code == 200
    out = live_server.cli("keys", "revoke", "to-revoke")
    assert "to-revoke" in out.stdout
    assert_error(live_server.post("/v1/analyze", {"texts": ["hi"]}, key=key), 401)
    again = live_server.cli("keys", "revoke", "to-revoke", check=False)
    assert again.returncode != 0 and "to-revoke" in again.stderr
    listed = json.loads(live_server.cli("keys", "list", "--json").stdout)
    entry = next(k for k in listed if k["name"] == "to-revoke")
    assert entry["revoked_at"]


def test_admin_flag_and_users(live_server):
    listed = {k["name"]: k for k in json.loads(live_server.cli("keys", "list", "--json").stdout)}
    assert listed["admin"]["is_admin"] is True
    assert listed["tester"]["is_admin"] is False
    second = live_server.create_key("tester-laptop", user="tester")
    listed = {k["name"]: k for k in json.loads(live_server.cli("keys", "list", "--json").stdout)}
    assert listed["tester-laptop"]["user"] == "tester"
    assert live_server.post("/v1/analyze", {"texts": ["hi"]}, key=second).status_code == 200
    dup = live_server.cli("keys", "create", "--name", "tester-laptop", check=False)
    assert dup.returncode != 0 and "already exists" in dup.stderr

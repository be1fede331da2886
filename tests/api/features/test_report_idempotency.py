"""Idempotency-Key on the two report writes: a retry of a filing or a status change whose first
try committed (but whose answer was lost) finds that record instead of appending a second one."""
from __future__ import annotations

import sqlite3
import threading
import uuid

import requests

from .conftest import png_b64


def _post(server, key, body, idem=None, path="/v1/reports", method="POST"):
    headers = server.headers(key)
    if idem is not None:
        headers["Idempotency-Key"] = idem
    return requests.request(method, server.url(path), json=body, headers=headers, timeout=60)


def _reports(server, key):
    r = requests.get(server.url("/v1/reports?limit=500"), headers=server.headers(key), timeout=60)
    assert r.status_code == 200, r.text
    return r.json()


def _verify(server, key):
    v = requests.get(server.url("/v1/reports/verify"), headers=server.headers(key), timeout=60).json()
    assert v["ok"] is True and v["first_bad"] is None, v
    return v


def test_the_same_key_files_once_and_answers_the_first_receipt_again(fserver, new_user):
    key = new_user("idem")
    idem = str(uuid.uuid4())
    body = {"text": "you are pathetic, log off", "author": "@x", "category": "harassment",
            "seen_at": "2026-12-01T10:00:00Z", "screenshot": png_b64()}
    first = _post(fserver, key, body, idem)
    assert first.status_code == 201, first.text
    assert "Idempotent-Replayed" not in first.headers
    again = _post(fserver, key, body, idem)
    assert again.status_code == 201, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()          # id, seq, hashes, receipt: the first answer
    other = _post(fserver, key, body, str(uuid.uuid4()))   # a new key is a new filing
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]
    assert other.json()["seq"] == first.json()["seq"] + 1

    listed = _reports(fserver, key)
    assert listed["total"] == 2
    assert _verify(fserver, key)["checked"] == 2
    stats = requests.get(fserver.url("/v1/stats?days=1"), headers=fserver.headers(key), timeout=60).json()
    assert stats["totals"]["reports"] == 2       # the replay counted nothing


def test_a_key_reused_for_another_request_is_422_and_files_nothing(fserver, new_user):
    key = new_user("idem-reuse")
    idem = "reuse-" + uuid.uuid4().hex
    body = {"text": "first text", "category": "harassment"}
    assert _post(fserver, key, body, idem).status_code == 201
    for changed in ({**body, "text": "second text"}, {**body, "category": "threat"},
                    {**body, "screenshot": png_b64()}):
        r = _post(fserver, key, changed, idem)
        assert r.status_code == 422, r.text
        assert r.json()["error"]["code"] == "idempotency_key_reused"
    rid = _reports(fserver, key)["reports"][0]["id"]
    r = _post(fserver, key, {"status": "resolved"}, idem, path=f"/v1/reports/{rid}", method="PATCH")
    assert r.status_code == 422 and r.json()["error"]["code"] == "idempotency_key_reused"
    assert _reports(fserver, key)["total"] == 1
    assert _verify(fserver, key)["checked"] == 1


def test_a_retried_status_change_is_not_a_409(fserver, new_user):
    key = new_user("idem-status")
    rid = _post(fserver, key, {"text": "stop messaging me", "category": "harassment"}).json()["id"]
    idem = str(uuid.uuid4())
    change = {"status": "sent_to_platform", "note": "sent via the form"}
    path = f"/v1/reports/{rid}"
    first = _post(fserver, key, change, idem, path=path, method="PATCH")
    assert first.status_code == 200, first.text
    again = _post(fserver, key, change, idem, path=path, method="PATCH")
    assert again.status_code == 200, again.text        # without the key: 409 invalid_transition
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["record"] == first.json()["record"]
    no_key = _post(fserver, key, change, path=path, method="PATCH")
    assert no_key.status_code == 409 and no_key.json()["error"]["code"] == "invalid_transition"
    one = requests.get(fserver.url(path), headers=fserver.headers(key), timeout=60).json()
    assert [h["status"] for h in one["status_history"]] == ["sent_to_platform"]
    # the same key on another report is another request
    rid2 = _post(fserver, key, {"text": "again", "category": "harassment"}).json()["id"]
    r = _post(fserver, key, change, idem, path=f"/v1/reports/{rid2}", method="PATCH")
    assert r.status_code == 422 and r.json()["error"]["code"] == "idempotency_key_reused"
    assert _verify(fserver, key)["checked"] == 3


def test_malformed_keys_are_400_and_file_nothing(fserver, new_user):
    key = new_user("idem-bad")
    for bad in ("", "has space", "x" * 256, "tab\there"):
        r = _post(fserver, key, {"text": "t", "category": "other"}, bad)
        assert r.status_code == 400, (bad, r.text)
        err = r.json()["error"]
        assert err["code"] == "invalid_idempotency_key" and err["details"]["max_length"] == 255
    assert _post(fserver, key, {"text": "t", "category": "other"}, "x" * 255).status_code == 201
    assert _reports(fserver, key)["total"] == 1


def test_keys_belong_to_one_user(fserver, new_user):
    alice, bob = new_user("idem-alice"), new_user("idem-bob")
    idem = str(uuid.uuid4())
    body = {"text": "same words, two people", "category": "harassment"}
    a = _post(fserver, alice, body, idem)
    b = _post(fserver, bob, body, idem)
    assert a.status_code == b.status_code == 201
    assert "Idempotent-Replayed" not in b.headers and a.json()["id"] != b.json()["id"]


def test_concurrent_tries_of_one_key_file_one_report(fserver, new_user):
    key = new_user("idem-race")
    idem = str(uuid.uuid4())
    body = {"text": "a report sent from two tabs at once", "category": "harassment"}
    answers: list[requests.Response] = []
    barrier = threading.Barrier(6)

    def send():
        barrier.wait()
        answers.append(_post(fserver, key, body, idem))

    threads = [threading.Thread(target=send) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    ok = [r for r in answers if r.status_code == 201]
    # SQLite writers queue behind BEGIN IMMEDIATE for KINDSHIELD_DB_BUSY_TIMEOUT: a try that waited
    # longer gets 503 + Retry-After (then retries with the same key), never a second report
    assert all(r.status_code in (201, 503) for r in answers), [(r.status_code, r.text) for r in answers]
    assert ok and len({r.json()["id"] for r in ok}) == 1
    assert sum("Idempotent-Replayed" not in r.headers for r in ok) == 1
    assert _reports(fserver, key)["total"] == 1


def test_only_the_keys_hash_is_stored(fserver, new_user):
    key = new_user("idem-store")
    idem = "idem-sentinel-" + uuid.uuid4().hex
    assert _post(fserver, key, {"text": "t", "category": "other"}, idem).status_code == 201
    con = sqlite3.connect(fserver.db_path, timeout=10)
    try:
        tables = [t for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for t in tables:
            for row in con.execute(f'SELECT * FROM "{t}"'):
                assert not any(isinstance(v, str) and idem in v for v in row), t
    finally:
        con.close()
    assert idem not in fserver.log_text()

"""Writer nudges in English and Chinese; reports with evidence in a per-user hash chain;
per-user isolation; the privacy sentinel; 503 on a locked database; statistics."""
from __future__ import annotations

import base64
import csv
import io
import json
import sqlite3

import requests

from .conftest import png_b64

SENTINEL = "ZQX-SENTINEL-7c1e9-护盾"


def H(key):
    return {"Authorization": f"Bearer {key}"}


def post(server, key, path, body):
    return requests.post(server.url(path), json=body, headers=H(key), timeout=120)


def get(server, key, path, **params):
    return requests.get(server.url(path), params=params, headers=H(key), timeout=60)


def test_nudges_in_english_and_chinese(fserver, new_user):
    key = new_user("writer")
    r = post(fserver, key, "/v1/precheck", {"text": "you are a worthless idiot and everyone hates you"})
    assert r.status_code == 200, r.text
    en = r.json()
    assert en["nudge"] is True and en["nudge_id"] and en["language"] == "en"
    assert "rephrase" in en["message"]
    assert not any(w in en["message"].lower() for w in ("you are abusive", "bully", "toxic person"))
    assert set(en["labels"]) >= {"toxic", "insult", "threat", "identity_attack", "obscene", "targeted_person"}
    text = "you are a worthless idiot and everyone hates you"
    assert en["spans"], en   # a clear insult: the nudge must point at the words
    assert all(0 <= sp["start"] < sp["end"] <= len(text) for sp in en["spans"])
    assert "“" in en["message"]  # points at the words: a quoted span of the text
    assert any(" ".join(text[sp["start"]:sp["end"]].split())[:10] in en["message"] for sp in en["spans"])

    r = post(fserver, key, "/v1/precheck", {"text": "你这个傻逼，滚出去，去死吧", "lang": "zh"})
    zh = r.json()
    assert r.status_code == 200 and zh["nudge"] is True and zh["language"] == "zh"
    assert "换个说法" in zh["message"]

    r = post(fserver, key, "/v1/precheck", {"text": "thank you, this made my day"})
    assert r.json()["nudge"] is False and r.json()["nudge_id"] is None and r.json()["message"] is None

    assert post(fserver, key, "/v1/precheck/outcome", {"nudge_id": en["nudge_id"], "outcome": "edited"}).status_code == 200
    assert post(fserver, key, "/v1/precheck/outcome", {"nudge_id": zh["nudge_id"], "outcome": "posted_anyway"}).status_code == 200
    assert post(fserver, key, "/v1/precheck/outcome", {"nudge_id": en["nudge_id"], "outcome": "maybe"}).status_code == 400
    other = new_user("other-writer")
    assert post(fserver, other, "/v1/precheck/outcome", {"nudge_id": en["nudge_id"], "outcome": "edited"}).status_code == 404

    s = get(fserver, key, "/v1/stats", days=30).json()
    assert s["scope"] == "user" and s["totals"]["nudges_shown"] == 2 and s["totals"]["nudges_heeded"] == 1
    assert s["totals"]["analysed"] == 3 and len(s["days"]) == 30


def test_report_chain_verifies_and_names_the_edited_record(fserver, new_user):
    key = new_user("reporter")
    ids = []
    prev = None
    for i, text in enumerate(["first hostile message", "second hostile message", "third hostile message"]):
        body = {"text": text, "url": f"https://example.com/p/{i}", "author": f"@troll{i}", "platform": "example",
                "seen_at": "2025-03-01T08:00:00Z", "context": "under my post", "category": "harassment",
                "note": "keep for the police"}
        if i == 1:
            body["screenshot"] = png_b64()
        r = post(fserver, key, "/v1/reports", body)
        assert r.status_code == 201, r.text
        j = r.json()
        assert set(j) >= {"id", "received_at", "sha256", "prev_sha256"}
        if ids:
            assert j["prev_sha256"] == prev
        prev = j["sha256"]
        ids.append(j["id"])
    r = requests.patch(fserver.url(f"/v1/reports/{ids[0]}"), json={"status": "sent_to_platform"}, headers=H(key), timeout=60)
    assert r.status_code == 200 and r.json()["status"] == "sent_to_platform" and r.json()["record"]["prev_sha256"] == prev
    r = requests.patch(fserver.url(f"/v1/reports/{ids[0]}"), json={"status": "sent_to_platform"}, headers=H(key), timeout=60)
    assert r.status_code == 409

    full = get(fserver, key, f"/v1/reports/{ids[1]}").json()
    assert base64.b64decode(full["screenshot"]).startswith(b"\x89PNG") and full["text"] == "second hostile message"
    listing = get(fserver, key, "/v1/reports").json()
    assert listing["total"] == 3 and [x["id"] for x in listing["reports"]] == ids[::-1]
    assert listing["reports"][-1]["status"] == "sent_to_platform"

    v = get(fserver, key, "/v1/reports/verify").json()
    assert v == {"ok": True, "checked": 4, "first_bad": None, "first_bad_seq": None, "reason": None}

    exp = get(fserver, key, "/v1/reports/export", format="json").json()["reports"]
    assert [e["id"] for e in exp] == ids
    for field in ("when_received", "when_seen", "what", "who", "where_url", "evidence_screenshot_sha256", "sha256"):
        assert field in exp[0]
    r = get(fserver, key, "/v1/reports/export", format="csv")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text.lstrip("\ufeff"))))
    assert [row["id"] for row in rows] == ids and rows[0]["who"] == "'@troll0"  # formula-safe

    # tamper with the second report directly in the SQLite file
    con = sqlite3.connect(fserver.db_path, timeout=10)
    try:
        content = json.loads(con.execute("SELECT content FROM report_records WHERE id = ?", (ids[1],)).fetchone()[0])
        content["text"] = "second friendly message"
        con.execute("UPDATE report_records SET content = ? WHERE id = ?", (json.dumps(content), ids[1]))
        con.commit()
    finally:
        con.close()
    v = get(fserver, key, "/v1/reports/verify").json()
    assert v["ok"] is False and v["first_bad"] == ids[1] and v["first_bad_seq"] == 2 and v["checked"] == 2


def test_screenshot_validation(fserver, new_user):
    key = new_user("shots")
    r = post(fserver, key, "/v1/reports", {"text": "x", "screenshot": base64.b64encode(b"GIF89a not a png").decode()})
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_screenshot"
    r = post(fserver, key, "/v1/reports", {"text": "x", "screenshot": "%%%not-base64%%%"})
    assert r.status_code == 400
    big = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * (5 * 1024 * 1024 + 10)).decode()
    r = post(fserver, key, "/v1/reports", {"text": "x", "screenshot": big})
    assert r.status_code == 413
    r = post(fserver, key, "/v1/reports", {"text": "x", "category": "nonsense"})
    assert r.status_code == 400
    assert get(fserver, key, "/v1/reports").json()["total"] == 0


def test_user_b_gets_404_for_user_a_report(fserver, new_user):
    a, b = new_user("alice"), new_user("bob")
    rid = post(fserver, a, "/v1/reports", {"text": "evidence of alice"}).json()["id"]
    assert get(fserver, b, f"/v1/reports/{rid}").status_code == 404
    assert requests.patch(fserver.url(f"/v1/reports/{rid}"), json={"status": "resolved"}, headers=H(b),
                          timeout=60).status_code == 404
    assert get(fserver, b, "/v1/reports").json()["total"] == 0
    assert get(fserver, b, "/v1/reports/export", format="json").json()["reports"] == []
    assert get(fserver, b, "/v1/reports/verify").json()["checked"] == 0
    assert get(fserver, a, f"/v1/reports/{rid}").status_code == 200
    assert get(fserver, a, "/v1/stats").json()["totals"]["reports"] == 1
    assert get(fserver, b, "/v1/stats").json()["totals"]["reports"] == 0
    assert get(fserver, b, "/v1/stats", scope="instance").status_code == 403
    inst = get(fserver, fserver.admin_key, "/v1/stats").json()
    assert inst["scope"] == "instance" and inst["totals"]["reports"] >= 1


def test_privacy_sentinel_only_in_reports(fserver, new_user):
    key = new_user("privacy")
    text = f"you stupid idiot {SENTINEL}"
    r = post(fserver, key, "/v1/shield", {"messages": [{"id": "p1", "kind": "dm", "text": text,
                                                        "sender": {"id": "s1", "relation": "stranger"}}]})
    assert r.status_code == 200 and SENTINEL not in r.text
    assert post(fserver, key, "/v1/precheck", {"text": text}).status_code == 200
    assert post(fserver, key, "/v1/precheck", {"text": text, "lang": "zh"}).status_code == 200
    r = post(fserver, key, "/v1/shield", {"messages": [{"id": "p2", "kind": "dm", "text": text,
                                                        "sender": {"id": "s1", "relation": "bogus"}}]})
    assert r.status_code == 400 and SENTINEL not in r.text
    rid = post(fserver, key, "/v1/reports", {"text": text, "note": SENTINEL}).json()["id"]

    assert SENTINEL not in fserver.log_text()
    con = sqlite3.connect(fserver.db_path, timeout=10)
    try:
        tables = [t for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        found = []
        for t in tables:
            for row in con.execute(f'SELECT * FROM "{t}"'):
                for value in row:
                    if isinstance(value, bytes):
                        value = value.decode("utf-8", "replace")
                    if isinstance(value, str) and SENTINEL in value:
                        found.append((t, row[0]))
    finally:
        con.close()
    assert found and {t for t, _ in found} == {"report_records"} and {i for _, i in found} == {rid}


def test_locked_database_gives_503_with_retry_after(fserver, new_user):
    key = new_user("locked")
    con = sqlite3.connect(fserver.db_path, timeout=10, isolation_level=None)
    try:
        con.execute("BEGIN EXCLUSIVE")
        r = post(fserver, key, "/v1/reports", {"text": "filed while the database is locked"})
        assert r.status_code == 503 and r.headers.get("Retry-After")
        assert r.json()["error"]["code"] == "database_unavailable"
    finally:
        con.execute("ROLLBACK")
        con.close()
    assert post(fserver, key, "/v1/reports", {"text": "filed after the lock"}).status_code == 201
    assert get(fserver, key, "/v1/reports/verify").json()["ok"] is True

"""Operating an instance on real PostgreSQL + Redis with two gunicorn workers: export then delete a
user (nothing of theirs left; the chains verify and record the deletion), retention of every kind
with the injected clock, truncation of a copy detected by `verify --all --heads`, per-client rate
limits behind a trusted proxy, JSON logs that parse line by line."""
from __future__ import annotations

import base64
import io
import json
import struct
import uuid
import zipfile
import zlib

import pytest
import requests
from sqlalchemy import create_engine, text

from .conftest import H, root

pytestmark = pytest.mark.services   # real PostgreSQL + Redis (skipped without them)

HOSTILE = "you are a worthless idiot, nobody wants you here"
PER_USER = ("api_keys", "protection_settings", "lockdowns", "notices", "pileon_state", "hostile_events", "nudges",
            "report_chains", "report_records", "daily_counters")


def png(seed: int) -> bytes:
    def chunk(t: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + t + body + struct.pack(">I", zlib.crc32(t + body) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + bytes([seed % 256, 60, 60]) * 4 for _ in range(3))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 3, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def call(base, method, path, key, body=None, **params):
    return requests.request(method, base + path, json=body, params=params or None, headers=H(key), timeout=120)


def populate(base, key, n_reports):
    for i in range(n_reports):
        r = call(base, "POST", "/v1/reports", key, {"text": f"report {i}", "screenshot": base64.b64encode(png(i)).decode()})
        assert r.status_code == 201, r.text
    assert call(base, "PUT", "/v1/protection", key, {"sensitivity": "strict"}).status_code == 200
    assert call(base, "POST", "/v1/protection/one-click", key, {"duration_hours": 24}).status_code in (200, 201)
    assert call(base, "DELETE", "/v1/protection/one-click", key).status_code == 200
    assert call(base, "GET", "/v1/notices", key).status_code == 200
    assert call(base, "POST", "/v1/precheck", key, {"text": HOSTILE}).json()["nudge"] is True
    messages = [{"id": "m1", "kind": "comment", "text": HOSTILE,
                 "sender": {"id": "troll-" + uuid.uuid4().hex, "relation": "stranger"}}]
    assert call(base, "POST", "/v1/shield", key, {"messages": messages}).status_code == 200


def test_user_export_delete_retention_verify_proxy_and_logs(deployment_factory, tmp_path):
    dep = deployment_factory(env={
        "KINDSHIELD_TEST_CLOCK": "1", "KINDSHIELD_SENDER_HASH_SECRET": "scale-" + uuid.uuid4().hex,
        "KINDSHIELD_RECEIPT_SECRET": "receipt-" + uuid.uuid4().hex, "KINDSHIELD_LOG_FORMAT": "json",
        "KINDSHIELD_TRUSTED_PROXIES": "127.0.0.1", "KINDSHIELD_RETENTION_INTERVAL_SECONDS": "0",
        # only named keys feed the repeat-offender signal (issue 34); retention needs its records
        "KINDSHIELD_OFFENDER_TRUSTED_KEYS": "subject,keeper",
        "KINDSHIELD_RETENTION_NOTICES_DAYS": "30", "KINDSHIELD_RETENTION_NUDGES_DAYS": "30",
        "KINDSHIELD_RETENTION_STATS_DAYS": "30", "KINDSHIELD_OFFENDER_RETENTION_DAYS": "30",
        "KINDSHIELD_RETENTION_SCREENSHOTS_DAYS": "60"})
    app = dep.gunicorn(2)
    limited = dep.gunicorn(2, env={"KINDSHIELD_RATE_LIMIT": "3 per minute"}, name="limited")
    dep.wait_ready()
    base = app.base_url
    engine = create_engine(dep.database_url)

    subject, keeper = dep.create_key("subject"), dep.create_key("keeper")
    populate(base, subject, 3)
    populate(base, keeper, 2)
    with engine.connect() as db:
        uid = db.execute(text("SELECT id FROM users WHERE name = 'subject'")).scalar_one()
    heads = tmp_path / "heads.json"
    dep.cli("heads", "export", "--out", str(heads))

    # export (any worker), then delete: nothing of theirs left
    r = call(base, "GET", f"/v1/admin/users/{uid}/export", dep.admin_key)
    assert r.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(r.content))
    doc = json.loads(archive.read("data.json"))
    assert len([x for x in doc["tables"]["report_records"] if x["kind"] == "report"]) == 3
    assert len(doc["screenshots"]) == 3 and doc["tables"]["notices"] and doc["tables"]["nudges"]
    r = call(base, "DELETE", f"/v1/admin/users/{uid}", dep.admin_key, confirm="delete")
    assert r.status_code == 200 and r.json()["deleted"]["report_records"] == 3, r.text
    with engine.connect() as db:
        for t in PER_USER:
            assert db.execute(text(f"SELECT COUNT(*) FROM {t} WHERE user_id = :u"), {"u": uid}).scalar_one() == 0, t
        assert db.execute(text("SELECT name FROM users WHERE id = :u"), {"u": uid}).scalar_one() == f"~erased-{uid}"
    for _ in range(4):   # every worker: the key is gone (auth cache is off in tests)
        assert call(base, "GET", "/v1/reports", subject).status_code == 401
    result = json.loads(dep.cli("verify", "--all", "--heads", str(heads), "--json"))
    assert result["ok"] is True and result["erasures"] == 1, result

    # retention with the injected clock: aged notices, nudges, counters, offender records and
    # screenshots go; the keeper's chain still verifies
    r = requests.put(base + "/v1/testing/clock", json={"advance_seconds": 90 * 86400}, headers=H(dep.admin_key),
                     timeout=30)
    assert r.status_code == 200
    done = json.loads(dep.cli("cleanup", "--json"))
    assert done["notices"] >= 1 and done["nudges"] >= 1 and done["stats"] >= 1 and done["screenshots"] == 2, done
    assert done["offender_events"] >= 1, done
    with engine.connect() as db:
        for t in ("notices", "nudges", "daily_counters", "offender_events", "report_screenshots"):
            assert db.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar_one() == 0, t
    assert call(base, "GET", "/v1/reports/verify", keeper).json()["ok"] is True

    # truncated by one record, chain row rewritten to match: a plain verify cannot tell, the
    # heads exported before can (the live database is damaged on purpose, at the end of its life)
    with engine.begin() as db:
        kid = db.execute(text("SELECT id FROM users WHERE name = 'keeper'")).scalar_one()
        sha1 = db.execute(text("SELECT sha256 FROM report_records WHERE user_id = :u AND seq = 1"),
                          {"u": kid}).scalar_one()
        db.execute(text("DELETE FROM report_records WHERE user_id = :u AND seq = 2"), {"u": kid})
        db.execute(text("UPDATE report_chains SET length = 1, head_sha256 = :h WHERE user_id = :u"),
                   {"u": kid, "h": sha1})
    assert json.loads(dep.cli("verify", "--all", "--json"))["ok"] is True
    proc = root.run_cli(dep.env, "verify", "--all", "--heads", str(heads), "--json", check=False)
    bad = json.loads(proc.stdout)
    assert proc.returncode == 1 and bad["ok"] is False
    assert any(p.get("user_id") == kid and "truncated" in p["reason"] for p in bad["problems"]), bad

    # behind the trusted proxy: each client its own bucket, shared by every worker through Redis
    lb = limited.base_url
    codes = [requests.get(lb + "/v1/reports", headers={"X-Forwarded-For": "203.0.113.9"}, timeout=30).status_code
             for _ in range(4)]
    assert codes == [401, 401, 401, 429], codes
    assert requests.get(lb + "/v1/reports", headers={"X-Forwarded-For": "203.0.113.10"}, timeout=30).status_code == 401

    # JSON logs: every line the app wrote parses; access lines carry id, user pseudonym, latency
    docs = [json.loads(line) for line in app.log_text().splitlines() if line.startswith("{")]
    access = [d for d in docs if d["logger"] == "kindshield.access"]
    assert access and all({"request_id", "latency_ms", "user", "client", "ts"} <= set(d) for d in access)
    assert all(d["ts"].endswith("+00:00") for d in docs)

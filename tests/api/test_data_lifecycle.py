"""Data-subject rights, retention and instance-wide integrity against a real server (real model,
real SQLite file, the CLI as an operator runs it).  Time moves with the test-only feature clock.

* export then delete a user: the archive holds everything; afterwards nothing of theirs is left,
  other users are untouched, and `verify --all` still passes and shows the erasure;
* self-service: a user exports and deletes their own data with their key;
* a truncated copy of the database (last report and its chain-head row gone) fails `verify --all`;
* retention removes aged records of every kind and keeps the rest; report chains still verify.
"""
from __future__ import annotations

import base64
import io
import json
import sqlite3
import struct
import uuid
import zipfile
import zlib

import pytest
import requests
from conftest import run_cli, start_server  # at import: later 'conftest' may be tests/sdk's

SENDER_SECRET = "sender-secret-" + uuid.uuid4().hex
RECEIPT_SECRET = "receipt-secret-" + uuid.uuid4().hex
HOSTILE = "you are a worthless idiot, nobody wants you here"
PER_USER_TABLES = ("api_keys", "protection_settings", "lockdowns", "notices", "pileon_state", "hostile_events",
                   "nudges", "report_chains", "report_records", "daily_counters", "report_chain_prunes",
                   "pruned_screenshots")


def png(seed: int) -> bytes:
    def chunk(t: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + t + body + struct.pack(">I", zlib.crc32(t + body) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + bytes([seed % 256, 60, 60]) * 4 for _ in range(3))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 3, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


# Only keys the operator names feed the repeat-offender signal (issue 34); these tests need
# offender records of their users, so their keys get names from this trusted list.
TRUSTED_KEYS = [f"feeder-{i}" for i in range(40)]
_feeders = iter(TRUSTED_KEYS)


def feeder(role: str) -> str:
    """A fresh key name the servers below trust to feed the offender signal (``role`` is for reading)."""
    return next(_feeders)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    env = {"KINDSHIELD_TEST_CLOCK": "1", "KINDSHIELD_SENDER_HASH_SECRET": SENDER_SECRET,
           "KINDSHIELD_OFFENDER_TRUSTED_KEYS": ",".join(TRUSTED_KEYS),
           "KINDSHIELD_RECEIPT_SECRET": RECEIPT_SECRET, "KINDSHIELD_RETENTION_INTERVAL_SECONDS": "0"}
    with start_server(tmp_path_factory.mktemp("kindshield-lifecycle"), env) as s:
        yield s


def H(key):
    return {"Authorization": f"Bearer {key}"}


def call(server, method, path, key, body=None, **params):
    return requests.request(method, server.url(path), json=body, params=params or None, headers=H(key), timeout=120)


def populate(server, key, n_reports=3):
    """Reports with screenshots, settings, a lockdown and its recap notice, a nudge, counters,
    and hostile items from a sender (offender records keyed by this user as recipient)."""
    ids = []
    for i in range(n_reports):
        r = call(server, "POST", "/v1/reports", key, {"text": f"report {i} {uuid.uuid4().hex}", "category": "harassment",
                                                      "screenshot": base64.b64encode(png(i)).decode()})
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    assert call(server, "PUT", "/v1/protection", key, {"sensitivity": "strict"}).status_code == 200
    assert call(server, "POST", "/v1/protection/one-click", key, {"duration_hours": 24}).status_code in (200, 201)
    assert call(server, "DELETE", "/v1/protection/one-click", key).status_code == 200
    assert call(server, "GET", "/v1/notices", key).json()["notices"], "the lockdown recap notice is missing"
    assert call(server, "POST", "/v1/precheck", key, {"text": HOSTILE}).json()["nudge"] is True
    messages = [{"id": "m1", "kind": "comment", "text": HOSTILE, "sender": {"id": "troll-" + uuid.uuid4().hex,
                                                                            "relation": "stranger"}}]
    assert call(server, "POST", "/v1/shield", key, {"messages": messages}).status_code == 200
    return ids


def user_id(server, name):
    r = call(server, "GET", "/v1/admin/users", server.admin_key, name=name)
    assert r.status_code == 200, r.text
    return r.json()["users"][0]["id"]


def rows_of(db_path, uid) -> dict[str, int]:
    with sqlite3.connect(db_path) as db:
        counts = {t: db.execute(f"SELECT COUNT(*) FROM {t} WHERE user_id = ?", (uid,)).fetchone()[0]
                  for t in PER_USER_TABLES}
        # the users row stays as a nameless tombstone (its id must never be given to someone else)
        counts["users"] = db.execute("SELECT COUNT(*) FROM users WHERE id = ? AND name != ?",
                                     (uid, f"~erased-{uid}")).fetchone()[0]
        counts["report_screenshots"] = db.execute(
            "SELECT COUNT(*) FROM report_screenshots s JOIN report_records r ON r.id = s.record_id "
            "WHERE r.user_id = ?", (uid,)).fetchone()[0]
    return counts


def recipient_rows(db_path) -> int:
    with sqlite3.connect(db_path) as db:
        return db.execute("SELECT COUNT(*) FROM offender_events").fetchone()[0]


def test_every_per_user_table_is_covered_by_export_and_delete(server):
    """A table with a user_id column that the data-subject code does not know would be left behind."""
    from kindshield_server.store import all_metadata, lifecycle
    covered = {t.name for t in lifecycle.USER_TABLES}
    with_user = {t.name for t in all_metadata().sorted_tables if "user_id" in t.c}
    assert with_user <= covered, with_user - covered


def test_admin_exports_then_deletes_a_revoked_user_and_the_chains_still_verify(server, tmp_path):
    name = feeder("subject")
    key = server.create_key(name)
    other = server.create_key(feeder("bystander"))
    report_ids = populate(server, key)
    populate(server, other, 1)
    uid = user_id(server, name)
    heads = tmp_path / "heads.json"
    server.cli("heads", "export", "--out", str(heads))

    server.cli("keys", "revoke", name)
    assert call(server, "GET", "/v1/me/export", key).status_code == 401   # the revoked key
    r = call(server, "GET", f"/v1/admin/users/{uid}/export", server.admin_key)
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(r.content))
    doc = json.loads(archive.read("data.json"))
    tables = doc["tables"]
    assert [u["name"] for u in tables["users"]] == [name]
    assert sorted(rec["id"] for rec in tables["report_records"] if rec["kind"] == "report") == sorted(report_ids)
    assert all(rec["content"]["text"].startswith("report ") for rec in tables["report_records"])
    assert len(doc["screenshots"]) == 3 and doc["report_chain"]["ok"] is True
    for i, rid in enumerate(sorted(report_ids, key=lambda x: report_ids.index(x))):
        assert archive.read(f"screenshots/{rid}.png") == png(i)
    for t in ("notices", "nudges", "daily_counters", "protection_settings", "lockdowns", "api_keys", "offender_events"):
        assert tables[t], f"{t} missing from the export"
    assert all("key_hash" not in k for k in tables["api_keys"])
    # the CLI writes the same archive
    out = tmp_path / "cli.zip"
    server.cli("users", "export", name, "--out", str(out))
    assert json.loads(zipfile.ZipFile(out).read("data.json"))["tables"]["report_records"] == tables["report_records"]

    before_events = recipient_rows(server.db_path)
    assert call(server, "DELETE", f"/v1/admin/users/{uid}", server.admin_key).status_code == 400   # no confirm
    r = call(server, "DELETE", f"/v1/admin/users/{uid}", server.admin_key, confirm="delete")
    assert r.status_code == 200, r.text
    res = r.json()
    assert res["deleted"]["report_records"] == 3 and res["deleted"]["report_screenshots"] == 3
    assert res["deleted"]["users"] == 1 and res["deleted"]["offender_events"] == 1 and res["erasure"]["sha256"]
    assert set(rows_of(server.db_path, uid).values()) == {0}
    assert recipient_rows(server.db_path) == before_events - 1
    with sqlite3.connect(server.db_path) as db:
        ledger = [json.loads(c) for (c,) in db.execute("SELECT content FROM erasure_records")]
        assert not db.execute("SELECT COUNT(*) FROM report_records WHERE content LIKE '%report 0%' "
                              "AND user_id = ?", (uid,)).fetchone()[0]
    mine = [e for e in ledger if e["user_id"] == uid]
    assert len(mine) == 1 and mine[0]["report_chain"]["length"] == 3 and name not in json.dumps(ledger)
    assert "report 0" not in json.dumps(ledger)
    assert call(server, "GET", f"/v1/admin/users/{uid}/export", server.admin_key).status_code == 404
    assert call(server, "GET", "/v1/reports/verify", other).json()["ok"] is True

    # instance-wide: every chain and the erasure ledger verify, also against the heads anchored
    # before the deletion (the erasure covers the anchored chain)
    proc = server.cli("verify", "--all", "--heads", str(heads), "--json")
    result = json.loads(proc.stdout)
    assert result["ok"] is True and result["erasures"] >= 1, result


def test_a_user_exports_and_deletes_their_own_data_with_their_key(server):
    name = feeder("self")
    key = server.create_key(name)
    populate(server, key, 2)
    uid = user_id(server, name)
    r = call(server, "GET", "/v1/me/export", key)
    assert r.status_code == 200
    doc = json.loads(zipfile.ZipFile(io.BytesIO(r.content)).read("data.json"))
    assert doc["user_id"] == uid and len(doc["screenshots"]) == 2
    assert call(server, "DELETE", "/v1/me", key).status_code == 400
    assert call(server, "DELETE", "/v1/me", key, confirm="yes").status_code == 400
    r = call(server, "DELETE", "/v1/me", key, confirm="delete")
    assert r.status_code == 200 and r.json()["deleted"]["api_keys"] == 1
    assert call(server, "GET", "/v1/reports", key).status_code == 401
    assert set(rows_of(server.db_path, uid).values()) == {0}


def test_cli_deletes_a_user_and_needs_yes(server):
    name = feeder("cli")
    key = server.create_key(name)
    populate(server, key, 1)
    uid = user_id(server, name)
    proc = server.cli("users", "delete", name, check=False)
    assert proc.returncode == 1 and "--yes" in proc.stderr
    proc = server.cli("users", "delete", str(uid), "--yes")
    assert f"Deleted user {uid}" in proc.stdout and "report_records=1" in proc.stdout
    assert set(rows_of(server.db_path, uid).values()) == {0}
    assert server.cli("users", "delete", name, "--yes", check=False).returncode == 1


def test_verify_all_detects_a_truncated_restore(server, tmp_path):
    key = server.create_key(feeder("truncated"))
    receipts = []
    for i in range(2):
        r = call(server, "POST", "/v1/reports", key, {"text": f"evidence {i}"})
        assert r.status_code == 201
        receipts.append(r.json()["head_receipt"])
    # each filing returns the signed chain head; a changed receipt does not check out
    from kindshield_server.services.integrity import check_receipt
    assert [x["seq"] for x in receipts] == [1, 2] and all(check_receipt(RECEIPT_SECRET, x) for x in receipts)
    assert not check_receipt(RECEIPT_SECRET, {**receipts[1], "seq": 1})
    assert not check_receipt("another-secret-" + uuid.uuid4().hex, receipts[1])
    heads = tmp_path / "heads.json"
    server.cli("heads", "export", "--out", str(heads))
    assert json.loads(heads.read_text())["signature"].startswith("hmac-sha256=")
    uid = json.loads(call(server, "GET", "/v1/reports/export", key).text)["reports"][0]["id"]
    with sqlite3.connect(server.db_path) as db:
        uid = db.execute("SELECT user_id FROM report_records WHERE id = ?", (uid,)).fetchone()[0]

    # a "restored" copy of the database, with the last report and the chain-head row deleted
    copy_dir = tmp_path / "restored"
    copy_dir.mkdir()
    with sqlite3.connect(server.db_path) as src, sqlite3.connect(copy_dir / "kindshield.db") as dst:
        src.backup(dst)
    with sqlite3.connect(copy_dir / "kindshield.db") as db:
        db.execute("DELETE FROM report_records WHERE user_id = ? AND seq = 2", (uid,))
        db.execute("DELETE FROM report_chains WHERE user_id = ?", (uid,))
    env = {**server.env, "KINDSHIELD_DATA_DIR": str(copy_dir)}
    proc = run_cli(env, "verify", "--all", "--heads", str(heads), check=False)
    assert proc.returncode == 1 and "truncated" in proc.stdout, proc.stdout
    # consistently truncated (chain row rewritten to the shorter chain): only the anchor can tell
    with sqlite3.connect(copy_dir / "kindshield.db") as db:
        sha1 = db.execute("SELECT sha256 FROM report_records WHERE user_id = ? AND seq = 1", (uid,)).fetchone()[0]
        db.execute("INSERT INTO report_chains (user_id, length, head_sha256, updated_at) VALUES (?, 1, ?, "
                   "'2026-01-01 00:00:00.000000')", (uid, sha1))
    assert run_cli(env, "verify", "--all", check=False).returncode == 0
    proc = run_cli(env, "verify", "--all", "--heads", str(heads), check=False)
    assert proc.returncode == 1 and f"user {uid}" in proc.stdout and "truncated" in proc.stdout
    # a heads file edited to hide it is refused
    doc = json.loads(heads.read_text())
    doc["chains"][str(uid)]["length"] = 1
    doc["chains"][str(uid)]["head_sha256"] = sha1
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(doc))
    proc = run_cli(env, "verify", "--all", "--heads", str(forged), check=False)
    assert proc.returncode == 1 and "digest mismatch" in proc.stdout
    # the live database is intact
    assert server.cli("verify", "--all", "--heads", str(heads)).returncode == 0


def _clock(server, days):
    r = requests.put(server.url("/v1/testing/clock"), json={"advance_seconds": days * 86400},
                     headers=H(server.admin_key), timeout=30)
    assert r.status_code == 200, r.text


def _count(db_path, table, where="1=1", args=()):
    with sqlite3.connect(db_path) as db:
        return db.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", args).fetchone()[0]


@pytest.fixture
def retention_server(tmp_path_factory):
    env = {"KINDSHIELD_TEST_CLOCK": "1", "KINDSHIELD_SENDER_HASH_SECRET": SENDER_SECRET,
           "KINDSHIELD_OFFENDER_TRUSTED_KEYS": ",".join(TRUSTED_KEYS),
           "KINDSHIELD_RETENTION_INTERVAL_SECONDS": "0",
           "KINDSHIELD_RETENTION_REPORTS_DAYS": "300", "KINDSHIELD_RETENTION_SCREENSHOTS_DAYS": "100",
           "KINDSHIELD_RETENTION_NOTICES_DAYS": "30", "KINDSHIELD_RETENTION_NUDGES_DAYS": "30",
           "KINDSHIELD_RETENTION_STATS_DAYS": "30", "KINDSHIELD_OFFENDER_RETENTION_DAYS": "30",
           "KINDSHIELD_RETENTION_OFFENDER_REVIEWS_DAYS": "30", "KINDSHIELD_RETENTION_OUTBOX_DAYS": "30"}
    with start_server(tmp_path_factory.mktemp("kindshield-retention"), env) as s:
        yield s


def test_retention_removes_aged_records_of_every_kind_and_chains_still_verify(retention_server):
    server = retention_server
    aged_name = feeder("aged")
    key = server.create_key(aged_name)
    populate(server, key, 2)   # day 0: reports+screenshots, notices, nudges, counters, offender records
    db = server.db_path
    before = {t: _count(db, t) for t in ("notices", "nudges", "daily_counters", "offender_events", "offenders",
                                         "report_screenshots", "report_records", "lockdowns")}
    assert all(before.values()), before

    # nothing is old yet: cleanup deletes nothing
    out = json.loads(server.cli("cleanup", "--json").stdout)
    assert not any(out.values()), out

    _clock(server, 120)   # past every 30-day setting and the 100-day screenshot setting
    fresh_name = feeder("fresh")
    fresh = server.create_key(fresh_name)
    populate(server, fresh, 1)
    assert call(server, "POST", "/v1/reports", key, {"text": "a newer report"}).status_code == 201
    out = json.loads(server.cli("cleanup", "--json").stdout)
    assert out["notices"] >= 1 and out["nudges"] >= 1 and out["stats"] >= 1 and out["offender_events"] >= 1
    assert out["screenshots"] == 2 and out["reports"] == 0 and out["offenders"] >= 1, out
    with sqlite3.connect(db) as conn:
        fresh_uid = conn.execute("SELECT id FROM users WHERE name = ?", (fresh_name,)).fetchone()[0]
        aged_uid = conn.execute("SELECT id FROM users WHERE name = ?", (aged_name,)).fetchone()[0]
    # what remains is the fresh user's (and the aged user's newer report)
    assert _count(db, "notices", "user_id != ?", (fresh_uid,)) == 0
    assert _count(db, "nudges", "user_id != ?", (fresh_uid,)) == 0
    assert _count(db, "notices", "user_id = ?", (fresh_uid,)) >= 1
    assert _count(db, "offender_events") == 1 and _count(db, "report_screenshots") == 1
    assert _count(db, "report_records", "user_id = ?", (aged_uid,)) == 3
    assert call(server, "GET", "/v1/reports/verify", key).json()["ok"] is True   # screenshots pruned, hashes kept

    _clock(server, 200)   # the first two reports are now 320 days old, the newer one 200
    out = json.loads(server.cli("cleanup", "--json").stdout)
    assert out["reports"] == 2, out
    assert _count(db, "report_records", "user_id = ?", (aged_uid,)) == 1
    v = call(server, "GET", "/v1/reports/verify", key).json()
    assert v["ok"] is True and v["checked"] == 1, v
    assert call(server, "POST", "/v1/reports", key, {"text": "after pruning"}).status_code == 201
    assert call(server, "GET", "/v1/reports/verify", key).json()["ok"] is True
    assert json.loads(server.cli("verify", "--all", "--json").stdout)["ok"] is True


def test_backup_copy_made_with_sqlite_backup_verifies(server, tmp_path):
    """The documented SQLite backup (the online backup API, here through Python's sqlite3)."""
    copy_dir = tmp_path / "backup"
    copy_dir.mkdir()
    with sqlite3.connect(server.db_path) as src, sqlite3.connect(copy_dir / "kindshield.db") as dst:
        src.backup(dst)
    proc = run_cli({**server.env, "KINDSHIELD_DATA_DIR": str(copy_dir)}, "verify", "--all")
    assert proc.stdout.startswith("OK:")


def test_the_periodic_job_applies_retention_without_a_command(tmp_path):
    env = {"KINDSHIELD_TEST_CLOCK": "1", "KINDSHIELD_RETENTION_INTERVAL_SECONDS": "0.5",
           "KINDSHIELD_RETENTION_NUDGES_DAYS": "30"}
    with start_server(tmp_path, env) as server:
        key = server.api_key
        assert call(server, "POST", "/v1/precheck", key, {"text": HOSTILE}).json()["nudge"] is True
        import time
        time.sleep(1.5)
        assert _count(server.db_path, "nudges") == 1      # not old yet: the job ran and kept it
        _clock(server, 31)
        deadline = time.monotonic() + 20
        while _count(server.db_path, "nudges"):
            assert time.monotonic() < deadline, "the retention job never deleted the aged nudge"
            time.sleep(0.2)

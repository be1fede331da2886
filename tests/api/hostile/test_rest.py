"""The smaller holes, against a real server: replayable webhooks, unkeyed sender pseudonyms,
world-readable data files."""
from __future__ import annotations

import hashlib
import hmac
import stat
import time
import uuid

import pytest
import requests
from webhook_receiver import WebhookReceiver, for_offender

HOSTILE = "you are a worthless idiot, nobody wants you here"
WEBHOOK_SECRET = "whsec-" + uuid.uuid4().hex


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_data_directory_and_database_are_private(live_server):
    assert _mode(live_server.data_dir) == 0o700
    for name in ("kindshield.db", "kindshield.db-wal", "kindshield.db-shm", "sender_hash_secret"):
        path = live_server.data_dir / name
        if path.exists():
            assert _mode(path) & 0o077 == 0, (name, oct(_mode(path)))
    assert (live_server.data_dir / "sender_hash_secret").exists()


@pytest.fixture(scope="module")
def receiver():
    r = WebhookReceiver()
    yield r
    r.close()


@pytest.fixture(scope="module")
def hook_server(tmp_path_factory, receiver):
    from .conftest import start_server

    env = {"KINDSHIELD_WEBHOOK_URL": receiver.url, "KINDSHIELD_WEBHOOK_SECRET": WEBHOOK_SECRET,
           "KINDSHIELD_WEBHOOK_POLL_SECONDS": "0.2",
           "KINDSHIELD_OFFENDER_TRUSTED_KEYS": ",".join(f"platform-{i}" for i in range(5))}
    # no KINDSHIELD_SENDER_HASH_SECRET: the server must key pseudonyms with a generated one
    with start_server(tmp_path_factory.mktemp("kindshield-rest"), env) as s:
        yield s


_platform_keys: dict[int, str] = {}


def _flag(server, sender):
    for i in range(5):
        key = _platform_keys.get(i) or _platform_keys.setdefault(i, server.create_key(f"platform-{i}"))
        body = {"messages": [{"id": "m", "kind": "comment", "text": HOSTILE,
                              "sender": {"id": sender, "relation": "mutual"}}]}
        r = requests.post(server.url("/v1/shield"), json=body, headers=server.headers(key), timeout=120)
        assert r.status_code == 200 and r.json()["decisions"][0]["action"] in ("fold", "block"), r.text
    r = requests.post(server.url("/v1/admin/offenders/lookup"), json={"sender_id": sender},
                      headers=server.headers(server.admin_key), timeout=30)
    assert r.status_code == 200 and r.json()["status"] == "flagged", r.text
    return r.json()["id"]


def test_sender_pseudonyms_are_keyed_without_a_configured_secret(hook_server):
    sender = "weibo:" + uuid.uuid4().hex[:10]
    oid = _flag(hook_server, sender)
    unkeyed = hmac.new(b"", b"offender-sender\x00" + sender.encode(), hashlib.sha256).hexdigest()[:32]
    assert oid != unkeyed   # a guessed id hashed without the secret does not match


def test_a_captured_webhook_cannot_be_replayed_later(hook_server, receiver):
    oid = _flag(hook_server, "weibo:" + uuid.uuid4().hex[:10])
    got = receiver.wait_for(for_offender(oid, "offender.flagged"))[0]
    header = got.headers["X-Kindshield-Signature"]
    assert header.startswith("t=") and ",v1=" in header
    assert got.signature_valid(WEBHOOK_SECRET)
    assert not got.signature_valid("another secret")
    # the same bytes replayed ten minutes later fail the timestamp check receivers are told to make
    assert not got.signature_valid(WEBHOOK_SECRET, now=time.time() + 600)
    # and the body alone (the old scheme) no longer verifies: the time is part of the MAC
    body_only = hmac.new(WEBHOOK_SECRET.encode(), got.body, hashlib.sha256).hexdigest()
    assert body_only not in header

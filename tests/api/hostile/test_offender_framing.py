"""The repeat-offender signal cannot be framed: ordinary user keys (the browser extension) never
feed it, and placeholder, blank or display-name ids never count, even from a trusted key.
A real server, the real model, a real SQLite file; the admin look-up is the oracle."""
from __future__ import annotations

import uuid

import pytest
import requests

HOSTILE = ["you are a worthless idiot, nobody wants you here", "你就是个废物，滚出去"]
TRUSTED = [f"platform-{i}" for i in range(5)]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from .conftest import start_server

    env = {"KINDSHIELD_SENDER_HASH_SECRET": "framing-" + uuid.uuid4().hex,
           "KINDSHIELD_OFFENDER_MIN_RECIPIENTS": "5",
           "KINDSHIELD_OFFENDER_TRUSTED_KEYS": ",".join(TRUSTED)}
    with start_server(tmp_path_factory.mktemp("kindshield-framing"), env) as s:
        yield s


def _shield(server, key, sender):
    body = {"messages": [{"id": "m0", "kind": "dm", "text": HOSTILE[0],
                          "sender": {"relation": "stranger", **({} if sender is None else {"id": sender})}}]}
    r = requests.post(server.url("/v1/shield"), json=body, headers=server.headers(key), timeout=120)
    assert r.status_code == 200, r.text
    d = r.json()["decisions"][0]
    assert d["action"] in ("fold", "block"), d   # the model must see it as hostile, or the test proves nothing
    return d


def _status(server, sender_id):
    r = requests.post(server.url("/v1/admin/offenders/lookup"), json={"sender_id": sender_id},
                      headers=server.headers(server.admin_key), timeout=30)
    if r.status_code == 404:
        assert r.json()["error"]["code"] == "offender_not_found"
        return None
    assert r.status_code == 200, r.text
    return r.json()["status"]


def test_five_ordinary_user_keys_cannot_frame_a_name(server):
    victim_of_framing = "weibo:" + uuid.uuid4().hex[:10]
    for i in range(5):
        key = server.create_key(f"ordinary-{uuid.uuid4().hex[:6]}-{i}")
        _shield(server, key, victim_of_framing)
        _shield(server, key, "Jane Doe")
    assert _status(server, victim_of_framing) is None
    assert _status(server, "Jane Doe") is None


@pytest.fixture(scope="module")
def trusted_keys(server):
    return [server.create_key(name) for name in TRUSTED]


@pytest.mark.parametrize("placeholder", ["unknown", "Unknown", " ", "anonymous", "匿名", "weibo:unknown",
                                         "Jane Doe"])
def test_placeholder_and_display_name_ids_never_count(server, trusted_keys, placeholder):
    for key in trusted_keys:
        _shield(server, key, placeholder)
    assert _status(server, placeholder) is None


def test_items_without_a_sender_id_are_accepted_and_never_count(server, trusted_keys):
    for key in trusted_keys:
        _shield(server, key, None)
    r = requests.get(server.url("/v1/admin/offenders?status=all"), headers=server.headers(server.admin_key), timeout=30)
    assert r.status_code == 200
    assert r.json()["offenders"] == []


def test_control_a_stable_id_from_trusted_keys_is_flagged(server, trusted_keys):
    sender = "weibo:" + uuid.uuid4().hex[:10]
    for key in trusted_keys:
        _shield(server, key, sender)
    assert _status(server, sender) == "flagged"

"""Rotating secrets against real servers on one SQLite file (stopped and restarted with new
settings, as an operator does): a rotated sender-hash secret keeps a sender's offender history
(recipients included) when the old one is listed as previous, and loses it when not; during a
webhook-secret rotation each delivery is signed with both; a failed event is sent again on request."""
from __future__ import annotations

import uuid

import pytest
import requests
from conftest import start_server
from webhook_receiver import WebhookReceiver

OLD, NEW, OTHER = (f"sender-secret-{n}-" + uuid.uuid4().hex for n in ("old", "new", "other"))
HOOK_OLD, HOOK_NEXT = ("whsec-" + uuid.uuid4().hex, "whsec-next-" + uuid.uuid4().hex)
HOSTILE = ["you are a worthless idiot, nobody wants you here", "你就是个废物，滚出去"]


def H(key):
    return {"Authorization": f"Bearer {key}"}


def hostile_from(server, key, sender, i):
    msg = [{"id": "m1", "kind": "comment", "text": HOSTILE[i % 2], "sender": {"id": sender, "relation": "mutual"}}]
    r = requests.post(server.url("/v1/shield"), json={"messages": msg}, headers=H(key), timeout=120)
    assert r.status_code == 200 and r.json()["decisions"][0]["action"] in ("fold", "block"), r.text


def lookup(server, sender):
    return requests.post(server.url("/v1/admin/offenders/lookup"), json={"sender_id": sender},
                         headers=H(server.admin_key), timeout=60)


@pytest.fixture(scope="module")
def receiver():
    r = WebhookReceiver()
    yield r
    r.close()


def test_rotated_sender_secret_keeps_history_and_webhooks_carry_both_signatures(tmp_path, receiver):
    troll = "troll-" + uuid.uuid4().hex[:8]
    # only named keys feed the repeat-offender signal (issue 34)
    base = {"KINDSHIELD_TEST_CLOCK": "1", "KINDSHIELD_OFFENDER_TRUSTED_KEYS": ",".join(f"recipient-{i}" for i in range(5))}
    with start_server(tmp_path, {**base, "KINDSHIELD_SENDER_HASH_SECRET": OLD}) as first:
        recipients = [first.create_key(f"recipient-{i}") for i in range(5)]
        for i, key in enumerate(recipients):
            hostile_from(first, key, troll, i)
        before = lookup(first, troll).json()
        admin_key = first.admin_key
    assert before["status"] == "flagged" and before["recipients"] == 5 and before["hostile_items"] == 5

    # a new secret without the old one listed: the history is cut (what rotation must avoid)
    with start_server(tmp_path, {**base, "KINDSHIELD_SENDER_HASH_SECRET": OTHER}, keys=False) as cut:
        cut.admin_key = admin_key
        assert lookup(cut, troll).status_code == 404

    env = {**base, "KINDSHIELD_SENDER_HASH_SECRET": NEW, "KINDSHIELD_SENDER_HASH_PREVIOUS_SECRETS": OLD,
           "KINDSHIELD_WEBHOOK_URL": receiver.url, "KINDSHIELD_WEBHOOK_SECRET": HOOK_OLD,
           "KINDSHIELD_WEBHOOK_NEXT_SECRET": HOOK_NEXT, "KINDSHIELD_WEBHOOK_MAX_ATTEMPTS": "1",
           "KINDSHIELD_WEBHOOK_POLL_SECONDS": "0.2"}
    with start_server(tmp_path, env, keys=False) as second:
        second.admin_key = admin_key
        # a hostile item from the same sender to a recipient already counted: history continues
        hostile_from(second, recipients[0], troll, 0)
        after = lookup(second, troll).json()
        assert after["id"] != before["id"]                     # re-keyed to the new pseudonym
        assert after["hostile_items"] == 6 and after["recipients"] == 5, after   # recipients re-keyed too
        assert after["status"] == "flagged" and after["first_seen"] == before["first_seen"]

        # the review event is signed with the current and the next webhook secret; the receiver
        # answers 500 once, so with one attempt allowed the event fails and is retried on request
        receiver.fail_next = 1
        r = requests.post(second.url(f"/v1/admin/offenders/{after['id']}/review"), json={"outcome": "warned"},
                          headers=H(admin_key), timeout=60)
        assert r.status_code in (200, 201), r.text
        got = receiver.wait_for(lambda x: x.json.get("type") == "offender.reviewed")
        assert got[0].answered == 500
        body = got[0].body
        assert got[0].signature_valid(HOOK_OLD)
        assert got[0].signature_valid(HOOK_NEXT, header="X-Kindshield-Signature-Next")
        assert not got[0].signature_valid(HOOK_OLD, header="X-Kindshield-Signature-Next")
        event_id = got[0].headers["X-Kindshield-Event-Id"]
        import time
        deadline = time.monotonic() + 30
        while True:
            d = requests.get(second.url("/v1/admin/webhooks/deliveries"), params={"status": "failed"},
                             headers=H(admin_key), timeout=30).json()["deliveries"]
            if any(x["id"] == event_id for x in d):
                break
            assert time.monotonic() < deadline, "the event never failed"
            time.sleep(0.2)
        r = requests.post(second.url(f"/v1/admin/webhooks/deliveries/{event_id}/retry"), headers=H(admin_key),
                          timeout=30)
        assert r.status_code == 202 and r.json() == {"id": event_id, "previous_status": "failed", "status": "pending"}
        again = receiver.wait_for(lambda x: x.headers.get("X-Kindshield-Event-Id") == event_id, count=2)
        assert again[-1].answered == 200 and again[-1].body == body
        assert requests.post(second.url("/v1/admin/webhooks/deliveries/nope/retry"), headers=H(admin_key),
                             timeout=30).status_code == 404
        assert requests.post(second.url(f"/v1/admin/webhooks/deliveries/{event_id}/retry"),
                             headers=H(recipients[0]), timeout=30).status_code == 403

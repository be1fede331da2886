"""The repeat-offender webhook with several workers: gunicorn with 2 workers plus a separate
`kindshield-server serve` process, on one PostgreSQL database and one Redis.  Every process runs
a webhook sender that polls the shared outbox; each event must reach the receiver exactly once,
and a sender harassing five recipients through every worker at the same instant is flagged once."""
from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from webhook_receiver import WebhookReceiver, for_offender

from .conftest import H, msg, pick_hostile, shield

pytestmark = pytest.mark.services   # real PostgreSQL + Redis (skipped without them)

SECRET = "whsec-" + uuid.uuid4().hex
TROLLS = 3
RECIPIENTS = 5


@pytest.fixture
def receiver():
    r = WebhookReceiver()
    yield r
    r.close()


def test_each_webhook_event_is_delivered_once_across_workers(deployment_factory, receiver):
    dep = deployment_factory(env={"KINDSHIELD_WEBHOOK_URL": receiver.url, "KINDSHIELD_WEBHOOK_SECRET": SECRET,
                                  "KINDSHIELD_WEBHOOK_POLL_SECONDS": "0.05",
                                  "KINDSHIELD_SENDER_HASH_SECRET": "scale-" + uuid.uuid4().hex,
                                  "KINDSHIELD_OFFENDER_TRUSTED_KEYS": ",".join(f"victim-{i}" for i in range(RECIPIENTS))})
    dep.gunicorn(2)
    dep.serve()
    dep.wait_ready()
    urls = [p.base_url for p in dep.procs]
    hostile = pick_hostile(urls[0], dep.create_key("probe"))
    victims = [dep.create_key(f"victim-{i}") for i in range(RECIPIENTS)]
    trolls = [f"troll-{uuid.uuid4().hex[:8]}" for _ in range(TROLLS)]

    # every troll hits all five recipients at the same instant, spread over the processes: the
    # fifth recipient arrives in several workers at once, and only one of them may raise the flag
    jobs = [(t, v) for t in trolls for v in range(RECIPIENTS)]
    barrier = threading.Barrier(len(jobs))

    def send(job_index):
        troll, victim = jobs[job_index]
        barrier.wait(timeout=60)
        return shield(urls[job_index % len(urls)], victims[victim],
                      [msg(job_index, hostile[job_index % len(hostile)], "mutual", sender=troll)])

    with ThreadPoolExecutor(len(jobs)) as pool:
        responses = list(pool.map(send, range(len(jobs))))
    assert [r.status_code for r in responses] == [200] * len(jobs), [r.text for r in responses if r.status_code != 200]

    admin = H(dep.admin_key)
    ids = []
    for troll in trolls:
        r = requests.post(urls[0] + "/v1/admin/offenders/lookup", json={"sender_id": troll}, headers=admin, timeout=30)
        assert r.status_code == 200 and r.json()["status"] == "flagged", r.text
        ids.append(r.json()["id"])
    for oid in ids:
        receiver.wait_for(for_offender(oid, "offender.flagged"))

    # a second event per troll (a review, through another process); when it has arrived, every
    # worker has polled the outbox many times since the flag was delivered
    for i, oid in enumerate(ids):
        r = requests.post(urls[(i + 1) % len(urls)] + f"/v1/admin/offenders/{oid}/review",
                          json={"outcome": "warned"}, headers=admin, timeout=30)
        assert r.status_code == 201, r.text
    for oid in ids:
        receiver.wait_for(for_offender(oid, "offender.reviewed"))

    for oid in ids:
        for event in ("offender.flagged", "offender.reviewed"):
            got = receiver.matching(for_offender(oid, event))
            assert len(got) == 1, f"{event} for {oid} arrived {len(got)} times"
            assert got[0].signature_valid(SECRET)
    log = requests.get(urls[1] + "/v1/admin/webhooks/deliveries", headers=admin, timeout=30).json()["deliveries"]
    assert sorted((d["offender_id"], d["event"]) for d in log) == sorted(
        (oid, e) for oid in ids for e in ("offender.flagged", "offender.reviewed"))
    assert all(d["status"] == "delivered" and d["attempts"] == 1 and len(d["log"]) == 1 for d in log)

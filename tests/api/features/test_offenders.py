"""The repeat-offender signal end to end: a real server with the real model and a real SQLite
file, the injected feature clock (KINDSHIELD_TEST_CLOCK), and a real HTTP receiver for the
signed webhook.  Texts are ones any decent model flags (or clearly does not); no test depends
on an exact score."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import uuid

import pytest
import requests
from webhook_receiver import WebhookReceiver, for_offender

from .conftest import clock, start_server

HOSTILE = ["you are a worthless idiot, nobody wants you here", "你就是个废物，滚出去"]
FRIENDLY = ["thanks for sharing, this was really helpful", "have a lovely weekend"]   # the model in flux misreads some Chinese thanks
WEBHOOK_SECRET = "whsec-" + uuid.uuid4().hex
SENDER_SECRET = "sender-secret-" + uuid.uuid4().hex
ADMIN_ROUTES = [("GET", "/v1/admin/offenders", None), ("POST", "/v1/admin/offenders/lookup", {"sender_id": "x"}),
                ("GET", "/v1/admin/offenders/" + "0" * 32, None),
                ("POST", "/v1/admin/offenders/" + "0" * 32 + "/review", {"outcome": "warned"}),
                ("GET", "/v1/admin/webhooks/deliveries", None)]


@pytest.fixture(scope="module")
def receiver():
    r = WebhookReceiver()
    yield r
    r.close()


@pytest.fixture(scope="module")
def oserver(tmp_path_factory, receiver):
    env = {"KINDSHIELD_TEST_CLOCK": "1", "KINDSHIELD_SENDER_HASH_SECRET": SENDER_SECRET,
           "KINDSHIELD_WEBHOOK_URL": receiver.url, "KINDSHIELD_WEBHOOK_SECRET": WEBHOOK_SECRET,
           "KINDSHIELD_WEBHOOK_RETRY_BASE_SECONDS": "0.2", "KINDSHIELD_WEBHOOK_POLL_SECONDS": "0.2",
           # the recipients' keys stand for platform keys: only trusted keys feed the signal
           "KINDSHIELD_OFFENDER_TRUSTED_KEYS": ",".join(f"recipient-{i}" for i in range(6)),
           "KINDSHIELD_TRANSPARENCY_PUBLIC": "1", "KINDSHIELD_TRANSPARENCY_MIN_COUNT": "0"}
    with start_server(tmp_path_factory.mktemp("kindshield-offenders"), env) as server:
        yield server


@pytest.fixture(scope="module")
def recipients(oserver):
    """Six users who receive messages (the signal is keyed by sender, so tests can share them)."""
    return [oserver.create_key(f"recipient-{i}") for i in range(6)]


def H(key):
    return {"Authorization": f"Bearer {key}"}


def shield(server, key, items):
    """items: (sender id, text); every sender is a mutual (no audience rule applies)."""
    messages = [{"id": f"m{i}", "kind": "comment", "text": text, "sender": {"id": sender, "relation": "mutual"}}
                for i, (sender, text) in enumerate(items)]
    r = requests.post(server.url("/v1/shield"), json={"messages": messages}, headers=H(key), timeout=120)
    assert r.status_code == 200, r.text
    return r.json()["decisions"]


def harass(server, recipients, sender):
    """``sender`` sends one clearly hostile comment to each recipient; the model must flag each."""
    for i, key in enumerate(recipients):
        d = shield(server, key, [(sender, HOSTILE[i % 2])])[0]
        assert d["action"] in ("fold", "block"), d


def admin(server, method, path, body=None, **params):
    return requests.request(method, server.url(path), json=body, params=params or None,
                            headers=H(server.admin_key), timeout=60)


def lookup(server, sender_id):
    return admin(server, "POST", "/v1/admin/offenders/lookup", {"sender_id": sender_id})


def listed(server, status):
    r = admin(server, "GET", "/v1/admin/offenders", status=status)
    assert r.status_code == 200, r.text
    return {o["id"]: o for o in r.json()["offenders"]}


def wait_no_pending(server):
    import time
    deadline = time.monotonic() + 60
    while admin(server, "GET", "/v1/admin/webhooks/deliveries", status="pending").json()["deliveries"]:
        assert time.monotonic() < deadline, "webhook events stay pending"
        time.sleep(0.1)


def test_sender_hostile_to_five_recipients_is_flagged_friendly_and_one_off_are_not(oserver, recipients, receiver):
    troll, friend, one_off = (f"{p}-{uuid.uuid4().hex[:8]}" for p in ("troll", "friend", "oneoff"))
    for i, key in enumerate(recipients[:5]):
        batch = [(troll, HOSTILE[i % 2]), (friend, FRIENDLY[i % 2])] + ([(one_off, HOSTILE[0])] if i == 0 else [])
        decisions = shield(oserver, key, batch)
        assert decisions[0]["action"] in ("fold", "block") and decisions[1]["action"] == "deliver", json.dumps(decisions[1])
        if i == 3:   # four recipients: below the default threshold of five
            assert lookup(oserver, troll).json()["status"] == "not_flagged"

    rec = lookup(oserver, troll)
    assert rec.status_code == 200, rec.text
    rec = rec.json()
    assert rec["status"] == "flagged" and rec["recipients"] == 5 and rec["hostile_items"] == 5
    assert rec["window_recipients"] == 5 and rec["flagged_at"] and rec["clears_at"] and rec["reviews"] == []
    assert rec["labels"] and all(n >= 1 for n in rec["labels"].values())
    assert rec["max_severity"] in ("low", "medium", "high") and rec["first_seen"] <= rec["last_seen"]
    assert len(rec["id"]) == 32 and troll not in rec["id"]

    flagged = listed(oserver, "flagged")
    assert rec["id"] in flagged
    assert lookup(oserver, one_off).json()["status"] == "not_flagged"
    assert lookup(oserver, one_off).json()["recipients"] == 1
    missing = lookup(oserver, friend)   # never hostile: nothing on record
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "offender_not_found"
    everyone = listed(oserver, "all")
    assert rec["id"] in everyone and lookup(oserver, one_off).json()["id"] in everyone
    counts = [o["recipients"] for o in everyone.values()]
    assert counts == sorted(counts, reverse=True)   # most recipients first

    hook = receiver.wait_for(for_offender(rec["id"], "offender.flagged"))
    assert len(hook) == 1 and hook[0].signature_valid(WEBHOOK_SECRET)
    assert not hook[0].signature_valid("another secret")
    body = hook[0].json
    assert hook[0].headers["X-Kindshield-Event"] == "offender.flagged"
    assert hook[0].headers["X-Kindshield-Event-Id"] == body["id"]
    assert body["data"]["offender"]["recipients"] == 5 and body["data"]["policy"]["min_recipients"] == 5


def test_review_is_recorded_visible_and_sent(oserver, recipients, receiver):
    troll = f"troll-{uuid.uuid4().hex[:8]}"
    harass(oserver, recipients[:5], troll)
    oid = lookup(oserver, troll).json()["id"]
    r = admin(oserver, "POST", f"/v1/admin/offenders/{oid}/review", {"outcome": "warned", "note": "first warning"})
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["review"]["outcome"] == "warned" and out["review"]["reviewer"] == "admin"
    assert out["offender"]["status"] == "reviewed" and out["offender"]["clears_at"] is None
    rec = admin(oserver, "GET", f"/v1/admin/offenders/{oid}").json()
    assert [(x["outcome"], x["note"]) for x in rec["reviews"]] == [("warned", "first warning")]
    assert oid in listed(oserver, "reviewed") and oid not in listed(oserver, "flagged")

    hook = receiver.wait_for(for_offender(oid, "offender.reviewed"))
    assert hook[0].signature_valid(WEBHOOK_SECRET) and hook[0].json["data"]["review"]["outcome"] == "warned"

    for body, code, status in ((({"outcome": "banned"}), "invalid_request", 400),
                               ({"outcome": "warned", "extra": 1}, "invalid_request", 400),
                               ({"note": "x"}, "invalid_request", 400)):
        bad = admin(oserver, "POST", f"/v1/admin/offenders/{oid}/review", body)
        assert bad.status_code == status and bad.json()["error"]["code"] == code, bad.text
    unknown = admin(oserver, "POST", f"/v1/admin/offenders/{'f' * 32}/review", {"outcome": "muted"})
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "offender_not_found"
    assert admin(oserver, "GET", "/v1/admin/offenders/not-a-pseudonym").status_code == 404
    bad_status = admin(oserver, "GET", "/v1/admin/offenders", status="everything")
    assert bad_status.status_code == 400 and bad_status.json()["error"]["code"] == "invalid_request"


def test_operator_routes_need_an_admin_key(oserver):
    for method, path, body in ADMIN_ROUTES:
        r = requests.request(method, oserver.url(path), json=body, headers=H(oserver.api_key), timeout=30)
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden", (path, r.text)
        r = requests.request(method, oserver.url(path), json=body, timeout=30)
        assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized", (path, r.text)


def _webhook_attempts(oserver) -> dict[str, float]:
    text = requests.get(oserver.url("/metrics"), timeout=30).text
    found = re.findall(r'^kindshield_webhook_attempts_total\{event="offender.flagged",outcome="(\w+)"\} ([0-9.e+]+)$',
                       text, re.M)
    return {outcome: float(n) for outcome, n in found}


def test_webhook_is_retried_after_the_receiver_fails_once(oserver, recipients, receiver):
    wait_no_pending(oserver)
    before = _webhook_attempts(oserver)
    receiver.fail_next = 1
    troll = f"troll-{uuid.uuid4().hex[:8]}"
    harass(oserver, recipients[:5], troll)
    oid = lookup(oserver, troll).json()["id"]
    got = receiver.wait_for(for_offender(oid, "offender.flagged"), count=2)
    assert [g.answered for g in got] == [500, 200]
    assert got[0].body == got[1].body and all(g.signature_valid(WEBHOOK_SECRET) for g in got)
    assert [g.headers["X-Kindshield-Delivery-Attempt"] for g in got] == ["1", "2"]
    wait_no_pending(oserver)
    log = [d for d in admin(oserver, "GET", "/v1/admin/webhooks/deliveries").json()["deliveries"]
           if d["offender_id"] == oid and d["event"] == "offender.flagged"]
    assert len(log) == 1 and log[0]["status"] == "delivered" and log[0]["attempts"] == 2
    assert [a["status_code"] for a in log[0]["log"]] == [500, 200]
    assert len(receiver.matching(for_offender(oid, "offender.flagged"))) == 2   # no third send
    after = _webhook_attempts(oserver)   # the one worker's metrics show the retry and the delivery
    assert after.get("retry", 0) - before.get("retry", 0) == 1, (before, after)
    assert after.get("delivered", 0) - before.get("delivered", 0) == 1, (before, after)


def test_counts_decay_and_flags_clear_unless_a_review_keeps_them(oserver, recipients):
    slow, troll, kept = (f"{p}-{uuid.uuid4().hex[:8]}" for p in ("slow", "troll", "kept"))
    harass(oserver, recipients[:3], slow)            # three recipients now ...
    harass(oserver, recipients[:5], troll)
    harass(oserver, recipients[:5], kept)
    kept_id = lookup(oserver, kept).json()["id"]
    assert admin(oserver, "POST", f"/v1/admin/offenders/{kept_id}/review", {"outcome": "muted"}).status_code == 201
    clock(oserver, advance_hours=8 * 24)
    harass(oserver, recipients[3:5], slow)           # ... two more eight days later: the first three fell away
    s = lookup(oserver, slow).json()
    assert s["status"] == "not_flagged" and s["window_recipients"] == 2 and s["recipients"] == 5
    t = lookup(oserver, troll).json()
    assert t["status"] == "flagged" and t["window_recipients"] == 0   # below threshold for 1 day of 7

    clock(oserver, advance_hours=6 * 24 + 1)          # 7 days above the threshold + 7 below it
    t = lookup(oserver, troll).json()
    assert t["status"] == "cleared" and t["clears_at"] is None
    assert t["id"] not in listed(oserver, "flagged") and t["id"] in listed(oserver, "cleared")
    assert lookup(oserver, kept).json()["status"] == "reviewed"   # the operator's review keeps it

    harass(oserver, recipients[:1], troll)            # a single new recipient does not re-flag
    assert lookup(oserver, troll).json()["status"] == "cleared"
    harass(oserver, recipients[1:5], troll)           # five recipients in the window again: flagged anew
    again = lookup(oserver, troll).json()
    assert again["status"] == "flagged" and again["flagged_at"] > t["flagged_at"]


def test_monthly_counts_on_transparency_and_admin_stats(oserver, recipients):
    before = requests.get(oserver.url("/transparency.json"), timeout=30).json()["offenders"]
    troll = f"troll-{uuid.uuid4().hex[:8]}"
    harass(oserver, recipients[:5], troll)
    oid = lookup(oserver, troll).json()["id"]
    assert admin(oserver, "POST", f"/v1/admin/offenders/{oid}/review", {"outcome": "suspended"}).status_code == 201
    after = requests.get(oserver.url("/transparency.json"), timeout=30).json()["offenders"]
    assert after["months"][-1]["month"] == clock(oserver, advance_hours=0).strftime("%Y-%m")
    assert len(after["months"]) == 12
    b, a = before["months"][-1], after["months"][-1]
    if b["month"] == a["month"]:
        assert (a["flagged"], a["reviewed"]) == (b["flagged"] + 1, b["reviewed"] + 1)
        assert a["outcomes"]["suspended"] == b["outcomes"]["suspended"] + 1
    assert after["totals"]["outcomes"]["suspended"] == before["totals"]["outcomes"]["suspended"] + 1
    html = requests.get(oserver.url("/transparency"), timeout=30).text
    assert f'data-month="{a["month"]}" data-flagged="{a["flagged"]}" data-suspended="{a["outcomes"]["suspended"]}"' in html

    stats = admin(oserver, "GET", "/v1/stats")
    assert stats.status_code == 200 and stats.json()["offenders"]["months"][-1] == a
    own = requests.get(oserver.url("/v1/stats"), headers=H(oserver.api_key), timeout=30).json()
    assert "offenders" not in own


def test_raw_sender_id_is_never_stored_logged_or_exposed(oserver, recipients, receiver):
    sentinel = "RAWSENDER" + uuid.uuid4().hex.upper()
    harass(oserver, recipients[:5], sentinel)
    rec = lookup(oserver, sentinel).json()
    assert rec["status"] == "flagged"
    assert admin(oserver, "POST", f"/v1/admin/offenders/{rec['id']}/review", {"outcome": "no_action"}).status_code == 201
    receiver.wait_for(for_offender(rec["id"], "offender.reviewed"))
    bodies = [admin(oserver, "GET", "/v1/admin/offenders", status="all").text,
              admin(oserver, "GET", "/v1/admin/webhooks/deliveries").text,
              requests.get(oserver.url("/metrics"), timeout=30).text,
              requests.get(oserver.url("/transparency.json"), timeout=30).text]
    bodies += [r.body.decode() for r in receiver.matching(lambda r: True)]
    for body in bodies:
        assert sentinel not in body
    log = oserver.log_text()
    assert sentinel not in log and "worthless" not in log and "废物" not in log
    needles = [sentinel.encode(), sentinel.lower().encode(), sentinel.encode("utf-16-le"),
               HOSTILE[0].encode(), HOSTILE[1].encode("utf-8")]
    files = [p for p in oserver.data_dir.rglob("*") if p.is_file()]
    assert any(p.name == "kindshield.db" for p in files)
    for path in files:   # the database and its -wal/-shm files
        data = path.read_bytes()
        for needle in needles:
            assert needle not in data, f"{needle!r} found in {path}"


def test_sdk_and_cli(oserver, recipients):
    import kindshield

    troll = f"troll-{uuid.uuid4().hex[:8]}"
    harass(oserver, recipients[:5], troll)
    with kindshield.Client(oserver.base_url, oserver.admin_key) as client:
        found = client.admin.offenders.lookup(troll)
        assert isinstance(found, kindshield.Offender) and found.status == "flagged" and found.recipients == 5
        assert found.id in {o.id for o in client.admin.offenders.list()}
        assert all(isinstance(o, kindshield.Offender) for o in client.admin.offenders.list(status="all", days=7))
        result = client.admin.offenders.review(found.id, "warned", note="sdk")
        assert isinstance(result.review, kindshield.OffenderReview) and result.review.outcome == "warned"
        assert result.offender.status == "reviewed" and result.offender.reviews[0].note == "sdk"
        assert kindshield.Offender.from_dict(found.to_dict()) == found
        with pytest.raises(kindshield.NotFoundError) as err:
            client.admin.offenders.lookup("nobody-" + uuid.uuid4().hex)
        assert err.value.code == "offender_not_found"
        deliveries = client.admin.webhooks.deliveries()
        assert deliveries and all(isinstance(d, kindshield.WebhookDelivery) for d in deliveries)
    with kindshield.Client(oserver.base_url, oserver.api_key) as client, pytest.raises(kindshield.PermissionDeniedError):
        client.admin.offenders.list()

    env = {"KINDSHIELD_URL": oserver.base_url, "KINDSHIELD_API_KEY": oserver.admin_key, "PATH": ""}

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "kindshield.cli", *args], env=env, capture_output=True,
                              text=True, timeout=60)

    out = cli("offenders", "--status", "reviewed", "--json")
    assert out.returncode == 0, out.stderr
    assert found.id in {o["id"] for o in json.loads(out.stdout)}
    table = cli("offenders", "--status", "reviewed")
    assert table.returncode == 0 and found.id in table.stdout and "RECIPIENTS" in table.stdout
    looked = cli("offenders", "lookup", troll, "--json")
    assert looked.returncode == 0 and json.loads(looked.stdout)["id"] == found.id
    reviewed = cli("offenders", "review", found.id, "--outcome", "suspended", "--note", "cli")
    assert reviewed.returncode == 0, reviewed.stderr
    assert client_status(oserver, troll) == ("reviewed", "suspended")
    assert cli("offenders", "lookup", "nobody-" + uuid.uuid4().hex).returncode == 3
    assert cli("offenders", "review", found.id, "--outcome", "banned").returncode == 2


def client_status(server, sender):
    rec = lookup(server, sender).json()
    return rec["status"], rec["reviews"][0]["outcome"]


def test_openapi_documents_the_operator_routes(oserver):
    spec = requests.get(oserver.url("/openapi.json"), timeout=30).json()
    for path in ("/v1/admin/offenders", "/v1/admin/offenders/lookup", "/v1/admin/offenders/{offender_id}/review",
                 "/v1/admin/webhooks/deliveries"):
        assert path in spec["paths"], path
    review = spec["paths"]["/v1/admin/offenders/{offender_id}/review"]["post"]
    assert "201" in review["responses"] and "403" in review["responses"]
    assert spec["components"]["schemas"]["OffenderReviewRequest"]["properties"]["outcome"]["enum"] == \
        ["no_action", "warned", "muted", "suspended"]

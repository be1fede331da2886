"""Platform mode end to end, against the real server and model: one platform key made over the
admin API acts for 3 of the platform's users (subjects), through the SDK.  Lockdown, pile-on
notices and reports stay with their subject; subject ids appear nowhere in the database file,
the server log or the metrics; a second platform's equal ids are other people."""
from __future__ import annotations

import requests

import kindshield

from .conftest import clock
from .test_shield_and_notices import hostile_texts, msg

SUBJECTS = ("acme-user-alice-7781", "acme-user-bob-9921", "acme-user-carol-4410")


def test_one_platform_key_acts_for_three_isolated_subjects(fserver, new_user):
    admin = kindshield.Client(fserver.base_url, fserver.admin_key)
    created = admin.admin.keys.create("acme-comments", scopes=["platform"], rate_limit="6000 per minute")
    assert created.key and created.key.startswith("ks_") and created.scopes == ("platform",)
    listed = {k.name: k for k in admin.admin.keys.list()}
    assert listed["acme-comments"].scopes == ("platform",) and listed["acme-comments"].key is None

    platform = kindshield.Client(fserver.base_url, created.key)
    alice, bob, carol = (platform.for_subject(s) for s in SUBJECTS)

    # a platform key must say whom it acts for; an ordinary key may not act for anyone
    try:
        platform.protection.get()
        raise AssertionError("a platform key without a subject was accepted on /v1/protection")
    except kindshield.ValidationError as exc:
        assert exc.code == "subject_required"
    ordinary = kindshield.Client(fserver.base_url, new_user("ordinary"), subject="someone")
    try:
        ordinary.protection.get()
        raise AssertionError("an ordinary key acted for a subject")
    except kindshield.PermissionDeniedError as exc:
        assert exc.code == "subject_not_allowed"

    # lockdown for one subject does not touch the others
    assert alice.protection.one_click(24).active
    assert not bob.protection.get().active and not carol.protection.get().active
    assert alice.protection.get().active

    # settings are per subject
    carol.protection.update(sensitivity="strict")
    assert carol.protection.get().settings.sensitivity == "strict"
    assert bob.protection.get().settings.sensitivity != "strict"

    # a pile-on against bob raises his notice only
    hostile = hostile_texts(fserver, new_user("calibrate"))
    clock(fserver, advance_hours=2)
    for minute in range(20):
        bob.shield([msg(minute * 2 + j, hostile[(minute + j) % len(hostile)], "stranger",
                        sender=f"attacker-{(minute * 2 + j) % 8}") for j in range(2)])
        clock(fserver, advance_hours=1 / 60)
    bob_notices = [n for n in bob.notices.list() if n.type == "pile_on"]
    assert len(bob_notices) == 1
    assert [n for n in alice.notices.list() if n.type == "pile_on"] == []
    assert [n for n in carol.notices.list() if n.type == "pile_on"] == []
    try:
        alice.notices.ack(bob_notices[0].id)
        raise AssertionError("one subject acknowledged another's notice")
    except kindshield.NotFoundError:
        pass

    # reports are per subject (each has its own chain)
    receipt = carol.reports.file(text="you are a worthless idiot", url="https://acme.example/c/1")
    assert [r.id for r in carol.reports.list()] == [receipt.id]
    assert alice.reports.list() == [] and bob.reports.list() == []
    assert carol.reports.verify().ok
    try:
        alice.reports.get(receipt.id)
        raise AssertionError("one subject read another's report")
    except kindshield.NotFoundError:
        pass

    # statistics: per subject, and for the platform as a whole
    assert bob.stats(days=2).total("blocked") + bob.stats(days=2).total("folded") >= 40
    assert alice.stats(days=2).total("blocked") + alice.stats(days=2).total("folded") == 0
    whole = platform.platform_stats(days=2)
    assert whole.subjects == 3
    assert whole.stats.total("reports") == 1

    # another platform's user with the same id is someone else
    other = admin.admin.keys.create("other-platform", scopes=["platform"])
    other_alice = kindshield.Client(fserver.base_url, other.key, subject=SUBJECTS[0])
    assert not other_alice.protection.get().active and other_alice.reports.list() == []

    # subject ids are stored and shown only as keyed pseudonyms: not in the database, logs or metrics
    metrics = requests.get(fserver.url("/metrics"), timeout=30).text
    database = b"".join(p.read_bytes() for p in fserver.data_dir.glob("kindshield.db*"))
    log = fserver.log_text()
    for subject in SUBJECTS:
        assert subject not in metrics and subject not in log
        assert subject.encode() not in database

    # rotation: a new secret, the old one refused at once; revocation
    rotated = admin.admin.keys.rotate("acme-comments")
    assert rotated.key and rotated.key != created.key
    try:
        alice.protection.get()
        raise AssertionError("the old secret still works after rotation")
    except kindshield.AuthenticationError:
        pass
    assert kindshield.Client(fserver.base_url, rotated.key, subject=SUBJECTS[0]).protection.get().active
    assert admin.admin.keys.revoke("acme-comments").revoked_at is not None
    try:
        kindshield.Client(fserver.base_url, rotated.key, subject=SUBJECTS[0]).protection.get()
        raise AssertionError("a revoked key still works")
    except kindshield.AuthenticationError:
        pass


def test_key_management_needs_an_admin_key_and_rejects_bad_input(fserver, new_user):
    user = kindshield.Client(fserver.base_url, new_user("not-admin"))
    try:
        user.admin.keys.list()
        raise AssertionError("a user key listed the keys")
    except kindshield.PermissionDeniedError:
        pass
    admin = kindshield.Client(fserver.base_url, fserver.admin_key)
    for body in ({"name": "x", "scopes": ["root"]}, {"name": "bad name"}, {"name": "y", "extra": 1},
                 {"name": "z", "scopes": ["admin", "platform"]}, {"name": "w", "rate_limit": "lots"}):
        r = requests.post(fserver.url("/v1/admin/keys"), json=body, headers=fserver.headers(fserver.admin_key),
                          timeout=30)
        assert r.status_code == 400, (body, r.text)
        assert r.json()["error"]["code"]
    admin.admin.keys.create("dup-key")
    try:
        admin.admin.keys.create("dup-key")
        raise AssertionError("a duplicate key name was accepted")
    except kindshield.ConflictError as exc:
        assert exc.code == "key_exists"
    r = requests.get(fserver.url("/v1/protection"), headers={**fserver.headers(fserver.admin_key),
                                                             "Kindshield-Subject": "has space"}, timeout=30)
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_subject"

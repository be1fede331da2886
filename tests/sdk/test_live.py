"""The SDK against the REAL Kindshield server (real model, temporary SQLite):
every method, typed round trips, error mapping for the codes the server
returns, large-batch splitting."""
from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
from datetime import datetime, timedelta, timezone

import pytest
from sdk_stub import tiny_png

import kindshield
from kindshield import _constants

HOSTILE_EN = "you are a stupid idiot and a loser"
HOSTILE_ZH = "你真是个废物，蠢货"
KIND_EN = "thank you, have a lovely day"
KIND_ZH = "谢谢你，祝你今天愉快"


def client_for(server, key: str, **kw) -> kindshield.Client:
    return kindshield.Client(server.base_url, key, **kw)


# ---------------------------------------------------------------- health and analysis


def test_health(client):
    health = client.health()
    assert health.alive and health.ready and health.ok
    assert health.details["model"]["name"]


def test_analyze_returns_typed_results_in_order(client):
    texts = [KIND_EN, HOSTILE_EN, KIND_ZH, HOSTILE_ZH]
    analysis = client.analyze(texts)
    assert isinstance(analysis, kindshield.Analysis) and len(analysis) == 4
    assert [r.text for r in analysis] == texts
    assert [r.toxic for r in analysis] == [False, True, False, True]
    assert analysis.any_toxic and [r.text for r in analysis.toxic_results] == [HOSTILE_EN, HOSTILE_ZH]
    assert [r.language for r in analysis] == ["en", "en", "zh", "zh"]
    for r in analysis:
        assert isinstance(r, kindshield.AnalysisResult)
        assert isinstance(r.labels, kindshield.Labels) and 0.0 <= r.score <= 1.0
        assert r.score == r.labels.toxic
        assert r.severity in ("none", "low", "medium", "high")
        assert r.spans == ()  # explain=False
    assert analysis[1].severity != "none" and analysis[0].severity == "none"
    assert isinstance(analysis.model, kindshield.ModelInfo) and analysis.model.name and analysis.model.version


def test_analyze_one_string_and_is_toxic(client):
    analysis = client.analyze(HOSTILE_ZH, lang="zh")
    assert len(analysis) == 1 and analysis[0].toxic and analysis[0].language == "zh"
    assert client.is_toxic(HOSTILE_EN) is True
    assert client.is_toxic(KIND_EN) is False


def test_explain_spans_point_into_the_text(client):
    analysis = client.analyze(["honestly, you are an idiot", "你真是个废物"], explain=True)
    for r in analysis:
        assert r.toxic and r.spans, r
        for span, piece in zip(r.spans, r.span_texts()):
            assert 0 <= span.start < span.end <= len(r.text)
            assert piece == r.text[span.start:span.end] and piece.strip()


def test_typed_results_round_trip(client):
    analysis = client.analyze([HOSTILE_EN, KIND_ZH], explain=True)
    again = kindshield.Analysis.from_dict(json.loads(json.dumps(analysis.to_dict(), ensure_ascii=False)))
    assert again == analysis
    with pytest.raises(dataclasses.FrozenInstanceError):
        analysis[0].score = 0.0  # type: ignore[misc]  # frozen
    assert hash(analysis[0]) == hash(again[0])


def test_large_batches_are_split_and_reassembled_in_order(client):
    base = [KIND_EN, HOSTILE_EN, "ok", HOSTILE_ZH, KIND_ZH]
    texts = [f"{base[i % len(base)]} {i}" for i in range(600)]
    analysis = client.analyze(texts)
    assert len(analysis) == 600
    assert [r.text for r in analysis] == texts
    # Each result belongs to its own text: the server scores a text the same way
    # whatever it is sent with, so a misplaced result would show a different score.
    for i in list(range(0, 600, 37)) + [255, 256, 511, 512, 599]:
        (alone,) = client.analyze(texts[i])
        assert (analysis[i].score, analysis[i].labels) == (alone.score, alone.labels), i
    assert all(analysis[i].toxic for i in range(1, 600, len(base)))      # the English insult
    assert not any(analysis[i].toxic for i in range(0, 600, len(base)))  # the English thanks


def test_text_limits_map_to_validation_errors(client):
    with pytest.raises(kindshield.ValidationError) as info:
        client.analyze(["fine", ""])
    assert info.value.status == 400 and info.value.code == "invalid_request"
    assert info.value.request_id
    with pytest.raises(kindshield.ValidationError) as info:
        client.analyze("x" * (_constants.MAX_TEXT_CHARS + 1))
    assert info.value.status == 400
    with pytest.raises(kindshield.ValidationError) as info:
        client.analyze("bonjour", lang="fr")
    assert "lang" in json.dumps(info.value.details)


def test_a_body_over_the_limit_is_payload_too_large(client):
    # one raw request of 1.6 MB: over the 1 MiB body limit
    with pytest.raises(kindshield.PayloadTooLargeError) as info:
        client._request("POST", "/v1/analyze", json={"texts": ["y" * 8_000] * 200})
    assert info.value.status == 413 and info.value.code == "payload_too_large"
    # analyze() splits the same texts by size instead of failing
    assert len(client.analyze(["y" * 8_000] * 200)) == 200


def test_authentication_errors(sdk_server):
    for key in ("ks_not_a_real_key", None):
        with kindshield.Client(sdk_server.base_url, key) as bad:
            bad.api_key = key
            with pytest.raises(kindshield.AuthenticationError) as info:
                bad.analyze("hello")
        assert info.value.status == 401 and info.value.code == "unauthorized" and info.value.request_id


def test_permission_denied_for_instance_stats_with_a_user_key(client):
    with pytest.raises(kindshield.PermissionDeniedError) as info:
        client.stats(scope="instance")
    assert info.value.status == 403 and info.value.code == "forbidden"


def test_method_not_allowed_is_an_api_error(client):
    with pytest.raises(kindshield.APIError) as info:
        client._request("DELETE", "/v1/analyze")
    assert info.value.status == 405 and info.value.code == "method_not_allowed"
    assert type(info.value) is kindshield.APIError


def test_rate_limit_maps_to_rate_limit_error_with_retry_after(sdk_server, new_key):
    key = new_key("limited", rate_limit="2 per minute")
    with client_for(sdk_server, key, max_retries=0) as limited:
        limited.is_toxic("one")
        limited.is_toxic("two")
        with pytest.raises(kindshield.RateLimitError) as info:
            limited.is_toxic("three")
    err = info.value
    assert err.status == 429 and err.code == "rate_limited"
    assert err.retry_after is not None and 0 < err.retry_after <= 60


# ---------------------------------------------------------------- nudges


@pytest.mark.parametrize("text, language", [(HOSTILE_EN, "en"), (HOSTILE_ZH, "zh")])
def test_precheck_nudges_in_the_texts_language_and_records_the_outcome(client, text, language):
    result = client.precheck(text)
    assert isinstance(result, kindshield.Precheck)
    assert result.nudge and result.nudge_id and result.message
    assert result.language == language and result.flagged
    if language == "zh":
        assert any("\u4e00" <= ch <= "\u9fff" for ch in result.message)
    assert kindshield.Precheck.from_dict(result.to_dict()) == result
    assert client.record_outcome(result.nudge_id, "edited") is None


def test_precheck_without_nudge(client):
    result = client.precheck(KIND_EN)
    assert not result.nudge and result.nudge_id is None and result.message is None


def test_record_outcome_errors(client):
    with pytest.raises(kindshield.NotFoundError):
        client.record_outcome("no-such-nudge", "edited")
    nudge = client.precheck(HOSTILE_EN)
    with pytest.raises(kindshield.ValidationError):
        client.record_outcome(nudge.nudge_id, "ignored")


# ---------------------------------------------------------------- protection, shielding, notices


def test_protection_settings_lockdown_shielding_and_notices(sdk_server, new_key):
    with client_for(sdk_server, new_key("protect")) as c:
        protection = c.protection.get()
        assert isinstance(protection, kindshield.Protection) and not protection.active
        assert protection.settings == kindshield.ProtectionSettings()

        updated = c.protection.update(sensitivity="strict", allow_senders=["friend-1"], reclaimed_terms=["Queer"])
        assert updated.settings.sensitivity == "strict"
        assert updated.settings.allow_senders == ("friend-1",)
        assert updated.settings.reclaimed_terms == ("queer",)
        assert updated.settings.who_may_comment == "everyone"  # untouched fields keep their value
        assert c.protection.get().settings == updated.settings
        with pytest.raises(kindshield.ValidationError) as info:
            c.protection.update(who_may_comment="strangers")
        assert info.value.code == "invalid_request"
        c.protection.update(sensitivity="standard")
        assert c.protection.update(hide_swearing=True).settings.hide_swearing is True
        swearing = c.analyze(["Fuck, I missed the bus again."])[0]
        assert swearing.swearing and not swearing.toxic and swearing.kinds == ()
        assert c.protection.update(hide_swearing=False).settings.hide_swearing is False

        messages = [
            kindshield.ShieldMessage(id="kind-stranger", text=KIND_EN, sender_id="s1", relation="stranger"),
            kindshield.ShieldMessage(id="kind-mutual", text=KIND_EN, sender_id="m1", relation="mutual"),
            kindshield.ShieldMessage(id="hostile-mutual", text=HOSTILE_EN, kind="dm", sender_id="m2",
                                     relation="mutual"),
            {"id": "friend", "kind": "comment", "text": HOSTILE_EN, "sender": {"id": "friend-1", "relation": "stranger"}},
        ]
        before = c.shield(messages)
        assert isinstance(before, kindshield.ShieldResult) and before.lockdown_active is False
        decisions = before.by_id()
        assert decisions["kind-stranger"].action == "deliver"
        assert decisions["kind-mutual"].action == "deliver"
        assert decisions["hostile-mutual"].action in ("fold", "block")
        assert decisions["friend"].action == "deliver" and "allow_list" in decisions["friend"].rules
        assert all(isinstance(r, kindshield.ShieldReason) and r.rule for d in before for r in d.reasons)
        assert kindshield.ShieldResult.from_dict(before.to_dict()) == before

        on = c.protection.one_click(hours=24)
        assert on.active and on.lockdown is not None and on.lockdown.duration_hours == 24
        assert on.until is not None
        expected = datetime.now(timezone.utc) + timedelta(hours=24)
        assert abs((on.until - expected).total_seconds()) < 120
        assert c.protection.get().active

        during = c.shield(messages[:2]).by_id()
        assert during["kind-stranger"].action in ("fold", "block")
        assert "lockdown_stranger" in during["kind-stranger"].rules
        assert during["kind-mutual"].action == "deliver"

        off = c.protection.end()
        assert not off.active and off.lockdown is not None and off.lockdown.state == "ended_early"
        with pytest.raises(kindshield.NotFoundError):
            c.protection.end()

        notices = c.notices.list()
        recap = [n for n in notices if n.type == "lockdown_recap"]
        assert len(recap) == 1 and recap[0].message and recap[0].message_zh and not recap[0].acked
        assert isinstance(recap[0].created_at, datetime)
        acked = c.notices.ack(recap[0].id)
        assert acked is not None and acked.acked and acked.acked_at is not None
        assert c.notices.ack(recap[0].id).acked  # idempotent
        assert recap[0].id not in [n.id for n in c.notices.list(unacked_only=True)]
        assert kindshield.Notice.from_dict(acked.to_dict()) == acked
        with pytest.raises(kindshield.NotFoundError):
            c.notices.ack("no-such-notice")

        with pytest.raises(kindshield.ValidationError):
            c.protection.one_click(hours=5)


def test_a_pile_on_raises_one_notice(sdk_server, new_key):
    with client_for(sdk_server, new_key("pileon")) as c:
        raised = []
        for wave in range(3):
            result = c.shield([
                kindshield.ShieldMessage(id=f"w{wave}-{i}", text=f"{HOSTILE_EN} {i}", sender_id=f"attacker-{i}")
                for i in range(12)
            ])
            raised.extend(result.notices)
        assert len(raised) == 1
        pile_on = [n for n in c.notices.list() if n.type == "pile_on"]
        assert [n.id for n in pile_on] == raised
        assert pile_on[0].recommended_action == "one_click_protection"


# ---------------------------------------------------------------- reports


def test_reports_file_get_list_export_verify(sdk_server, new_key):
    png = tiny_png()
    with client_for(sdk_server, new_key("reports")) as c:
        first = c.reports.file(text=HOSTILE_ZH, url="https://example.com/p/1", author="@someone",
                               platform="weibo", seen_at=datetime(2026, 11, 1, 8, 0, tzinfo=timezone.utc),
                               context="replies to my post", category="harassment", note="第三次了",
                               screenshot=png)
        assert isinstance(first, kindshield.ReportReceipt) and first.status == "filed" and first.seq == 1
        assert len(first.sha256) == 64 and isinstance(first.received_at, datetime)
        second = c.reports.file(text=HOSTILE_EN, category="threat")
        assert second.prev_sha256 == first.sha256

        report = c.reports.get(first.id)
        assert isinstance(report, kindshield.Report)
        assert report.text == HOSTILE_ZH and report.author == "@someone" and report.platform == "weibo"
        assert report.note == "第三次了" and report.context == "replies to my post"
        assert report.seen_at == datetime(2026, 11, 1, 8, 0, tzinfo=timezone.utc)
        assert report.screenshot == png and report.has_screenshot
        assert report.screenshot_sha256 == hashlib.sha256(png).hexdigest()
        assert kindshield.Report.from_dict(report.to_dict()) == report

        listed = c.reports.list()
        assert [r.id for r in listed] == [second.id, first.id]  # newest first
        assert listed[1].screenshot is None and listed[1].has_screenshot
        assert [r.id for r in c.reports.list(limit=1)] == [second.id]

        moved = c.reports.update_status(first.id, "sent_to_platform", note="used the platform's form")
        assert moved.status == "sent_to_platform"
        with pytest.raises(kindshield.ConflictError) as info:
            c.reports.update_status(first.id, "sent_to_platform")
        assert info.value.status == 409 and info.value.code == "invalid_transition"
        assert c.reports.get(first.id).status_history[-1].status == "sent_to_platform"

        rows = list(csv.DictReader(io.StringIO(c.reports.export(format="csv"))))
        assert [r["id"] for r in rows] == [first.id, second.id]
        assert rows[0]["what"] == HOSTILE_ZH and rows[0]["sha256"] == first.sha256
        document = json.loads(c.reports.export())
        assert [r["id"] for r in document["reports"]] == [first.id, second.id]

        check = c.reports.verify()
        assert isinstance(check, kindshield.ChainVerification)
        assert check.ok and check.checked == 3 and check.first_bad is None

        with pytest.raises(kindshield.ValidationError) as info:
            c.reports.file(text="x", screenshot=png[:-12] + b"\0" * 12)  # corrupt IEND chunk
        assert info.value.code == "invalid_screenshot"
        with pytest.raises(kindshield.ValidationError):
            c.reports.file(text="x", category="not-a-category")
        with pytest.raises(kindshield.NotFoundError):
            c.reports.get("no-such-report")

    with client_for(sdk_server, new_key("other")) as other:
        with pytest.raises(kindshield.NotFoundError):
            other.reports.get(first.id)
        assert other.reports.list() == []
        assert other.reports.verify().ok


def test_a_report_filed_again_with_its_key_is_filed_once(sdk_server, new_key):
    with client_for(sdk_server, new_key("idempotent")) as c:
        first = c.reports.file(text=HOSTILE_EN, category="threat", idempotency_key="inbox-item-17")
        again = c.reports.file(text=HOSTILE_EN, category="threat", idempotency_key="inbox-item-17")
        assert again.id == first.id and again.sha256 == first.sha256
        assert again.meta.headers.get("Idempotent-Replayed") == "true"
        assert "Idempotent-Replayed" not in first.meta.headers
        with pytest.raises(kindshield.ValidationError) as info:
            c.reports.file(text=HOSTILE_ZH, idempotency_key="inbox-item-17")
        assert info.value.status == 422 and info.value.code == "idempotency_key_reused"
        assert [r.id for r in c.reports.list()] == [first.id]


# ---------------------------------------------------------------- stats


def test_stats(sdk_server, new_key):
    with client_for(sdk_server, new_key("stats")) as c:
        c.analyze([HOSTILE_EN, KIND_EN, KIND_ZH])
        c.precheck(HOSTILE_EN)
        stats = c.stats(days=7)
        assert isinstance(stats, kindshield.Stats) and stats.scope == "user"
        assert len(stats.days) == 7 and all(isinstance(d, kindshield.DayStats) for d in stats.days)
        assert stats.days[-1].date == datetime.now(timezone.utc).date()
        assert stats.total("analysed") >= 4 and stats.total("nudges_shown") >= 1
        assert stats.days[-1]["analysed"] == stats.total("analysed")
        assert kindshield.Stats.from_dict(stats.to_dict()) == stats
        with pytest.raises(kindshield.ValidationError):
            c.stats(days=0)
    with client_for(sdk_server, sdk_server.admin_key) as admin:
        everyone = admin.stats(days=3)
        assert everyone.scope == "instance" and everyone.total("analysed") >= stats.total("analysed")

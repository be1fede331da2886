"""Retries, timeouts and error mapping, against a scripted local HTTP server
(``stub``): it answers 429 with Retry-After, 502/503/504, stalls on purpose
and drops connections, which a real server cannot be made to do on demand."""
from __future__ import annotations

import socket
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from unittest import mock

import pytest
import requests
from sdk_stub import Reply, analyze_reply, error_reply

import kindshield
from kindshield import _constants

# ---------------------------------------------------------------- configuration


def test_base_url_and_key_from_environment(stub, monkeypatch):
    monkeypatch.setenv("KINDSHIELD_URL", stub.base_url + "/")
    monkeypatch.setenv("KINDSHIELD_API_KEY", "ks_from_env")
    stub.script("POST", "/v1/analyze", analyze_reply)
    with kindshield.Client() as client:
        assert client.base_url == stub.base_url
        client.analyze("hello")
    seen = stub.calls("POST", "/v1/analyze")[0]
    assert seen.headers["Authorization"] == "Bearer ks_from_env"
    assert seen.headers["User-Agent"].startswith("kindshield-python/")
    assert seen.body == {"texts": ["hello"], "lang": "auto", "explain": False}


def test_explicit_arguments_beat_environment(monkeypatch):
    monkeypatch.setenv("KINDSHIELD_URL", "http://10.9.9.9:1")
    monkeypatch.setenv("KINDSHIELD_API_KEY", "env")
    client = kindshield.Client("http://127.0.0.1:9/prefix/", "explicit")
    assert client.base_url == "http://127.0.0.1:9/prefix"
    assert client.api_key == "explicit"


def test_defaults_without_environment(monkeypatch):
    monkeypatch.delenv("KINDSHIELD_URL", raising=False)
    monkeypatch.delenv("KINDSHIELD_API_KEY", raising=False)
    monkeypatch.delenv("KINDSHIELD_TIMEOUT", raising=False)
    client = kindshield.Client()
    assert client.base_url == "http://127.0.0.1:8731"
    assert client.api_key is None
    assert client.timeout == kindshield.Timeout(_constants.DEFAULT_CONNECT_TIMEOUT, _constants.DEFAULT_READ_TIMEOUT)


def test_bad_base_url_is_rejected():
    with pytest.raises(kindshield.KindshieldError):
        kindshield.Client("127.0.0.1:8731")


@pytest.mark.parametrize("value, expected", [
    (None, (5.0, 60.0)),
    (30, (5.0, 30.0)),
    (2.5, (2.5, 2.5)),
    ((1, 7), (1.0, 7.0)),
    (kindshield.Timeout(3, 4), (3.0, 4.0)),
])
def test_timeout_forms(value, expected, monkeypatch):
    monkeypatch.delenv("KINDSHIELD_TIMEOUT", raising=False)
    assert kindshield.Client("http://x", timeout=value).timeout.as_tuple() == expected


def test_timeout_must_be_positive():
    with pytest.raises(ValueError):
        kindshield.Timeout(0, 5)
    with pytest.raises(ValueError):
        kindshield.Client("http://x", timeout=(5, -1))


def test_timeout_from_environment(monkeypatch):
    monkeypatch.setenv("KINDSHIELD_TIMEOUT", "12")
    assert kindshield.Client("http://x").timeout.read == 12.0


def test_connect_and_read_timeouts_are_always_passed_to_requests():
    session = mock.Mock(spec=requests.Session)
    response = mock.Mock(status_code=200, content=b'{"status": "ok"}', headers={})
    response.json.return_value = {"status": "ok"}
    session.request.return_value = response
    client = kindshield.Client("http://127.0.0.1:1", "k", session=session, timeout=(1.5, 9))
    client.stats()
    client.with_options(timeout=3).health()
    timeouts = [call.kwargs["timeout"] for call in session.request.call_args_list]
    assert timeouts[0] == (1.5, 9.0)
    assert all(isinstance(t, tuple) and len(t) == 2 and all(x > 0 for x in t) for t in timeouts)
    assert timeouts[1:] == [(3.0, 3.0), (3.0, 3.0)]


def test_one_session_is_reused_and_closed_by_the_context_manager(stub):
    stub.script("POST", "/v1/analyze", analyze_reply)
    with mock.patch.object(requests.Session, "close") as close:
        with stub.client() as client:
            session = client._session
            client.analyze("a")
            client.analyze("b")
            other = client.with_options(max_retries=0)
            assert other._session is session
            other.close()  # does not own the pool: a no-op
            assert close.call_count == 0
        assert close.call_count == 1


def test_a_callers_session_is_not_closed():
    session = mock.Mock(spec=requests.Session)
    with kindshield.Client("http://x", session=session):
        pass
    session.close.assert_not_called()


# ---------------------------------------------------------------- retries


def test_429_retry_after_is_honoured(stub):
    stub.script("POST", "/v1/analyze",
                error_reply(429, "rate_limited", "Too many requests.", {"limit": "1 per second"},
                            {"Retry-After": "1"}),
                analyze_reply)
    with stub.client() as client:
        started = time.monotonic()
        result = client.analyze("hello")
    calls = stub.calls("POST", "/v1/analyze")
    assert len(calls) == 2
    assert calls[1].at - calls[0].at >= 0.95
    assert time.monotonic() - started < 5
    assert result[0].text == "hello"


def test_retry_after_as_http_date(stub):
    when = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=2), usegmt=True)
    stub.script("GET", "/v1/stats", error_reply(429, "rate_limited", headers={"Retry-After": when}),
                Reply(200, {"days": [], "totals": {}}))
    with stub.client() as client:
        client.stats()
    calls = stub.calls("GET", "/v1/stats")
    assert len(calls) == 2
    assert calls[1].at - calls[0].at >= 0.5  # an HTTP date has whole-second precision


def test_429_that_persists_raises_rate_limit_error_with_retry_after(stub, fast_backoff):
    stub.script("POST", "/v1/analyze", error_reply(429, "rate_limited", "Slow down.", headers={"Retry-After": "0"}))
    with stub.client(max_retries=2) as client, pytest.raises(kindshield.RateLimitError) as info:
        client.analyze("x")
    err = info.value
    assert (err.status, err.code, err.message, err.retry_after) == (429, "rate_limited", "Slow down.", 0.0)
    assert err.request_id and err.request_id.startswith("req-")
    assert len(stub.calls("POST", "/v1/analyze")) == 3


def test_a_retry_after_beyond_the_cap_is_not_waited_for(stub):
    stub.script("POST", "/v1/analyze",
                error_reply(429, "rate_limited", headers={"Retry-After": str(int(_constants.MAX_RETRY_AFTER) + 60)}))
    started = time.monotonic()
    with stub.client() as client, pytest.raises(kindshield.RateLimitError) as info:
        client.analyze("x")
    assert time.monotonic() - started < 2
    assert info.value.retry_after == _constants.MAX_RETRY_AFTER + 60
    assert len(stub.calls("POST", "/v1/analyze")) == 1


@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_errors_are_retried_for_analysis(stub, fast_backoff, status):
    stub.script("POST", "/v1/analyze", error_reply(status, "service_unavailable"),
                error_reply(status, "service_unavailable"), analyze_reply)
    with stub.client(max_retries=2) as client:
        assert client.analyze(["a", "b"])[1].text == "b"
    assert len(stub.calls("POST", "/v1/analyze")) == 3


def test_503_forever_raises_server_error_after_max_retries(stub, fast_backoff):
    stub.script("GET", "/v1/protection",
                error_reply(503, "database_unavailable", "The database is busy.", headers={"Retry-After": "0"}))
    with stub.client(max_retries=3) as client, pytest.raises(kindshield.ServerError) as info:
        client.protection.get()
    assert info.value.code == "database_unavailable"
    assert info.value.retry_after == 0.0
    assert len(stub.calls("GET", "/v1/protection")) == 4


def test_max_retries_zero_means_one_attempt(stub):
    stub.script("POST", "/v1/analyze", error_reply(503, "service_unavailable"))
    with stub.client(max_retries=0) as client, pytest.raises(kindshield.ServerError):
        client.analyze("x")
    assert len(stub.calls("POST", "/v1/analyze")) == 1


def test_with_options_changes_retries(stub, fast_backoff):
    stub.script("POST", "/v1/analyze", error_reply(503, "service_unavailable"))
    with stub.client(max_retries=0) as client, pytest.raises(kindshield.ServerError):
        client.with_options(max_retries=4).analyze("x")
    assert len(stub.calls("POST", "/v1/analyze")) == 5


def test_backoff_is_exponential_with_jitter():
    client = kindshield.Client("http://x")
    for attempt in range(6):
        full = min(_constants.MAX_RETRY_DELAY, _constants.INITIAL_RETRY_DELAY * 2 ** attempt)
        delays = {client._retry_delay(attempt, None) for _ in range(50)}
        assert all(full * (1 - _constants.RETRY_JITTER) <= d <= full for d in delays)
        assert len(delays) > 1  # jittered
    assert client._retry_delay(0, 7.0) == 7.0  # Retry-After wins


def test_backoff_delays_grow_between_attempts(stub, monkeypatch):
    monkeypatch.setattr(_constants, "INITIAL_RETRY_DELAY", 0.2)
    monkeypatch.setattr(_constants, "RETRY_JITTER", 0.0)
    stub.script("POST", "/v1/analyze", error_reply(503, "service_unavailable"))
    with stub.client(max_retries=2) as client, pytest.raises(kindshield.ServerError):
        client.analyze("x")
    at = [c.at for c in stub.calls("POST", "/v1/analyze")]
    assert at[1] - at[0] >= 0.18
    assert at[2] - at[1] >= 0.38


@pytest.mark.parametrize("status, cls, code", [
    (400, kindshield.ValidationError, "invalid_request"),
    (401, kindshield.AuthenticationError, "unauthorized"),
    (403, kindshield.PermissionDeniedError, "forbidden"),
    (404, kindshield.NotFoundError, "not_found"),
    (405, kindshield.APIError, "method_not_allowed"),
    (409, kindshield.ConflictError, "conflict"),
    (413, kindshield.PayloadTooLargeError, "payload_too_large"),
    (415, kindshield.APIError, "unsupported_media_type"),
    (422, kindshield.ValidationError, "invalid_request"),
    (500, kindshield.ServerError, "internal_error"),
])
def test_other_errors_are_mapped_and_never_retried(stub, status, cls, code):
    details = {"fields": {"texts": ["Missing data for required field."]}}
    stub.script("POST", "/v1/analyze", error_reply(status, code, "Explained.", details))
    with stub.client(max_retries=3) as client, pytest.raises(cls) as info:
        client.analyze("x")
    err = info.value
    assert type(err) is cls
    assert isinstance(err, kindshield.APIError) and isinstance(err, kindshield.KindshieldError)
    assert (err.status, err.code, err.message) == (status, code, "Explained.")
    assert err.details == details
    assert err.request_id == "req-1"
    assert "Explained." in str(err) and str(status) in str(err) and "req-1" in str(err)
    assert len(stub.calls("POST", "/v1/analyze")) == 1


def test_a_non_json_error_page_is_still_an_api_error(stub, fast_backoff):
    stub.script("GET", "/v1/stats", Reply(502, raw=b"<html><body>Bad Gateway</body></html>"))
    with stub.client(max_retries=1) as client, pytest.raises(kindshield.ServerError) as info:
        client.stats()
    assert info.value.status == 502
    assert info.value.code == "http_502"
    assert "<html>" not in str(info.value)
    assert len(stub.calls("GET", "/v1/stats")) == 2


def test_a_non_json_success_is_reported_not_crashed_on(stub):
    stub.script("GET", "/v1/stats", Reply(200, raw=b"<html>a captive portal</html>"))
    with stub.client() as client, pytest.raises(kindshield.APIError) as info:
        client.stats()
    assert info.value.code == "invalid_response"


RECEIPT = {"id": "r1", "received_at": "2026-11-28T10:00:00Z", "sha256": "a" * 64, "prev_sha256": "0" * 64}


def _keys(stub, method="POST", path="/v1/reports"):
    return [c.headers.get("Idempotency-Key") for c in stub.calls(method, path)]


def test_calls_that_create_something_are_not_retried_after_the_server_may_have_acted(stub, fast_backoff):
    stub.script("POST", "/v1/precheck/outcome", error_reply(502, "bad_gateway"))
    with stub.client(max_retries=3) as client, pytest.raises(kindshield.ServerError):
        client.record_outcome("n1", "posted_anyway")
    assert len(stub.calls("POST", "/v1/precheck/outcome")) == 1


def test_report_filing_is_retried_after_a_502_with_one_idempotency_key(stub, fast_backoff):
    # the key makes it safe: had the first try committed, the server answers the retry with it
    stub.script("POST", "/v1/reports", error_reply(502, "bad_gateway"), Reply(201, RECEIPT))
    with stub.client(max_retries=3) as client:
        assert client.reports.file(text="evidence").id == "r1"
        keys = _keys(stub)
        assert len(keys) == 2 and keys[0] == keys[1] and len(keys[0]) == 36   # a UUID
        stub.script("POST", "/v1/reports", Reply(201, RECEIPT))
        client.reports.file(text="evidence")                  # another filing: another key
        assert _keys(stub)[2] != keys[0]
        stub.script("POST", "/v1/reports", error_reply(504, "gateway_timeout"), Reply(201, RECEIPT))
        client.reports.file(text="evidence", idempotency_key="queue-message-7")   # the caller's own
        assert _keys(stub)[3:] == ["queue-message-7", "queue-message-7"]


def test_a_status_change_is_retried_with_one_idempotency_key(stub, fast_backoff):
    path = "/v1/reports/r1"
    stub.script("PATCH", path, error_reply(502, "bad_gateway"), Reply(200, {**RECEIPT, "status": "resolved"}))
    with stub.client(max_retries=3) as client:
        assert client.reports.update_status("r1", "resolved").status == "resolved"
    keys = _keys(stub, "PATCH", path)
    assert len(keys) == 2 and keys[0] == keys[1] and keys[0]


def test_calls_that_create_something_are_retried_when_the_server_did_nothing(stub, fast_backoff):
    receipt = {"id": "r1", "received_at": "2026-11-28T10:00:00Z", "sha256": "a" * 64, "prev_sha256": "0" * 64}
    stub.script("POST", "/v1/reports", error_reply(503, "database_unavailable", headers={"Retry-After": "0"}),
                error_reply(429, "rate_limited", headers={"Retry-After": "0"}), Reply(201, receipt))
    with stub.client(max_retries=3) as client:
        assert client.reports.file(text="evidence").id == "r1"
    assert len(stub.calls("POST", "/v1/reports")) == 3
    assert len(set(_keys(stub))) == 1


# ---------------------------------------------------------------- timeouts and connections


def test_a_stalled_server_raises_timeout_error_quickly(stub):
    stub.script("GET", "/v1/stats", Reply(200, {"days": []}, stall=3))
    started = time.monotonic()
    with stub.client(timeout=(1, 0.4), max_retries=0) as client, pytest.raises(kindshield.APITimeoutError) as info:
        client.stats()
    assert time.monotonic() - started < 2.5
    assert isinstance(info.value, kindshield.APIConnectionError)
    assert "0.4" in str(info.value)
    assert isinstance(info.value.__cause__, requests.exceptions.Timeout)


def test_a_stalled_analysis_is_retried_then_succeeds(stub, fast_backoff):
    stub.script("POST", "/v1/analyze", lambda seen: Reply(200, None, stall=2), analyze_reply)
    with stub.client(timeout=(1, 0.4), max_retries=1) as client:
        assert client.analyze("after a stall")[0].text == "after a stall"
    assert len(stub.calls("POST", "/v1/analyze")) == 2


def test_a_stalled_report_filing_is_retried_with_its_key(stub, fast_backoff):
    stub.script("POST", "/v1/reports", Reply(201, RECEIPT, stall=2), Reply(201, RECEIPT))
    with stub.client(timeout=(1, 0.4), max_retries=3) as client:
        assert client.reports.file(text="evidence").id == "r1"
    assert len(stub.calls("POST", "/v1/reports")) == 2 and len(set(_keys(stub))) == 1


def test_a_stalled_nudge_outcome_is_not_retried(stub, fast_backoff):
    stub.script("POST", "/v1/precheck/outcome", Reply(204, None, stall=2))
    with stub.client(timeout=(1, 0.4), max_retries=3) as client, pytest.raises(kindshield.APITimeoutError):
        client.record_outcome("n1", "posted_anyway")
    time.sleep(0.1)
    assert len(stub.calls("POST", "/v1/precheck/outcome")) == 1


def test_a_dropped_connection_is_a_connection_error_and_retried_for_analysis(stub, fast_backoff):
    stub.script("POST", "/v1/analyze", Reply(drop=True), analyze_reply)
    with stub.client(max_retries=2) as client:
        assert client.analyze("x")[0].text == "x"
    assert len(stub.calls("POST", "/v1/analyze")) == 2

    stub.script("POST", "/v1/analyze", Reply(drop=True))
    with stub.client(max_retries=1) as client, pytest.raises(kindshield.APIConnectionError) as info:
        client.analyze("x")
    assert not isinstance(info.value, kindshield.APITimeoutError)


def test_a_dropped_connection_is_not_retried_for_a_nudge_outcome(stub, fast_backoff):
    stub.script("POST", "/v1/precheck/outcome", Reply(drop=True))
    with stub.client(max_retries=3) as client, pytest.raises(kindshield.APIConnectionError):
        client.record_outcome("n1", "posted_anyway")
    assert len(stub.calls("POST", "/v1/precheck/outcome")) == 1


def test_a_dropped_connection_is_retried_for_report_filing_with_its_key(stub, fast_backoff):
    stub.script("POST", "/v1/reports", Reply(drop=True), Reply(201, RECEIPT))
    with stub.client(max_retries=3) as client:
        assert client.reports.file(text="evidence").id == "r1"
    assert len(stub.calls("POST", "/v1/reports")) == 2 and len(set(_keys(stub))) == 1


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_connection_refused_is_retried_even_for_report_filing(fast_backoff):
    port = _closed_port()
    client = kindshield.Client(f"http://127.0.0.1:{port}", "k", max_retries=2)
    with mock.patch.object(client._session, "request", wraps=client._session.request) as request:
        with pytest.raises(kindshield.APIConnectionError) as info:
            client.reports.file(text="evidence")
    assert request.call_count == 3
    assert f"127.0.0.1:{port}" in str(info.value)
    assert isinstance(info.value.__cause__, requests.exceptions.ConnectionError)


def test_health_never_retries_and_reports_not_ready(stub):
    stub.script("GET", "/healthz", Reply(200, {"status": "ok"}))
    stub.script("GET", "/readyz", error_reply(503, "not_ready", "Model not loaded.", headers={"Retry-After": "1"}))
    with stub.client(max_retries=3) as client:
        health = client.health()
    assert health.alive and not health.ready and not health.ok
    assert health.details["code"] == "not_ready"
    assert len(stub.calls("GET", "/readyz")) == 1
    assert "Authorization" not in stub.calls("GET", "/healthz")[0].headers


# ---------------------------------------------------------------- batching


def test_large_batches_are_split_and_reassembled_in_order(stub):
    stub.script("POST", "/v1/analyze", analyze_reply)
    texts = [("bad " if i % 7 == 0 else "ok ") + "x" * (i % 50) + f" #{i}" for i in range(600)]
    with stub.client() as client:
        analysis = client.analyze(texts)
    sizes = [len(c.body["texts"]) for c in stub.calls("POST", "/v1/analyze")]
    assert sizes == [256, 256, 88]
    assert [r.text for r in analysis] == texts
    assert [r.toxic for r in analysis] == ["bad" in t for t in texts]
    assert analysis.model == kindshield.ModelInfo("stub-model", "0.0.1")


def test_a_smaller_server_batch_limit_is_followed(stub):
    def limited(seen):
        if len(seen.body["texts"]) > 100:
            return error_reply(400, "invalid_request", "At most 100 texts per request.", {"max_texts": 100})
        return analyze_reply(seen)

    stub.script("POST", "/v1/analyze", limited)
    texts = [f"t{i}" for i in range(250)]
    with stub.client() as client:
        assert [r.text for r in client.analyze(texts)] == texts
    sizes = [len(c.body["texts"]) for c in stub.calls("POST", "/v1/analyze")]
    assert sizes == [250, 100, 100, 50]


def test_an_error_in_a_later_batch_names_its_offset(stub):
    def fail_second(seen):
        if seen.body["texts"][0] == "t256":
            return error_reply(400, "invalid_request", "Each text may have at most 20000 characters.",
                               {"indexes": [3], "max_chars": 20000})
        return analyze_reply(seen)

    stub.script("POST", "/v1/analyze", fail_second)
    with stub.client() as client, pytest.raises(kindshield.ValidationError) as info:
        client.analyze([f"t{i}" for i in range(300)])
    assert info.value.details == {"indexes": [3], "max_chars": 20000, "batch_offset": 256}


def test_empty_input_makes_no_request(stub):
    with stub.client() as client:
        analysis = client.analyze([])
    assert len(analysis) == 0 and not analysis.any_toxic
    assert stub.seen == []


def test_non_string_texts_are_rejected_before_sending(stub):
    with stub.client() as client, pytest.raises(TypeError):
        client.analyze(["ok", 3])  # type: ignore[list-item]
    assert stub.seen == []


def test_shield_batches_and_accepts_dataclasses_and_dicts(stub):
    def decide(seen):
        return Reply(200, {"decisions": [
            {"id": m["id"], "action": "fold" if m["sender"]["relation"] == "stranger" else "deliver",
             "reasons": [{"rule": "default", "labels": [], "action": "deliver", "detail": "ok"}], "score": 0.1}
            for m in seen.body["messages"]], "lockdown_active": False, "notices": []})

    stub.script("POST", "/v1/shield", decide)
    messages = [kindshield.ShieldMessage(id=f"m{i}", text="hi", sender_id=f"u{i}",
                                         relation="stranger" if i % 2 else "mutual") for i in range(300)]
    messages.append({"id": "dict", "kind": "dm", "text": "hey", "sender": {"id": "u", "relation": "contact"}})
    with stub.client() as client:
        result = client.shield(messages)
    assert [len(c.body["messages"]) for c in stub.calls("POST", "/v1/shield")] == [256, 45]
    assert [d.id for d in result] == [f"m{i}" for i in range(300)] + ["dict"]
    assert result.by_id()["m1"].action == "fold" and result.by_id()["dict"].delivered
    assert result[0].reasons[0].rule == "default"
    sent = stub.calls("POST", "/v1/shield")[0].body["messages"][1]
    assert sent == {"id": "m1", "kind": "comment", "text": "hi", "sender": {"id": "u1", "relation": "stranger"}}


def test_ids_in_paths_are_escaped(stub):
    stub.script("GET", "/v1/reports/a%2Fb%20c", Reply(200, {"id": "a/b c"}))
    with stub.client() as client:
        assert client.reports.get("a/b c").id == "a/b c"


def test_screenshots_are_checked_before_sending(stub, tmp_path):
    with stub.client() as client:
        with pytest.raises(ValueError):
            client.reports.file(text="x", screenshot=b"GIF89a not a png")
        big = tmp_path / "big.png"
        big.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * (_constants.MAX_SCREENSHOT_BYTES + 1))
        with pytest.raises(ValueError):
            client.reports.file(text="x", screenshot=big)
    assert stub.seen == []

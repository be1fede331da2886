"""What a developer can see: the kindshield logger, the request id and headers on results, the
server's version (and a warning when its major version differs), field errors in str(error)."""
from __future__ import annotations

import logging
import warnings

import pytest
from sdk_stub import Reply, analyze_reply, error_reply

import kindshield
from kindshield import _core


def test_results_carry_the_request_id_and_headers(client):
    analysis = client.analyze("have a nice day")
    assert analysis.meta is not None and analysis.meta.request_id and analysis.meta.status == 200
    assert analysis.meta.headers["Kindshield-Version"] == kindshield.__version__
    stats = client.stats(days=1)
    assert stats.meta is not None and stats.meta.request_id != analysis.meta.request_id


def test_str_of_a_validation_error_names_the_fields(client):
    with pytest.raises(kindshield.ValidationError) as info:
        client.analyze("bonjour", lang="fr")  # type: ignore[arg-type]
    assert "lang" in str(info.value) and "fields" in str(info.value)


def test_the_logger_tells_each_request_retry_and_wait(stub, caplog):
    stub.script("POST", "/v1/analyze",
                error_reply(429, "rate_limited", headers={"Retry-After": "0"}), analyze_reply)
    caplog.set_level(logging.DEBUG, logger="kindshield")
    with stub.client(api_key="ks_test") as client:
        client.analyze("hello")
    lines = [r.getMessage() for r in caplog.records if r.name == "kindshield"]
    assert any("POST /v1/analyze (attempt 1)" in x for x in lines)
    assert any("-> 429" in x for x in lines)
    assert any("retrying after 0.00 s (POST /v1/analyze: HTTP 429, as Retry-After asked)" in x for x in lines)
    assert any("POST /v1/analyze (attempt 2)" in x for x in lines)
    assert not any("ks_test" in x for x in lines)   # never the key


def test_a_server_of_another_major_version_is_warned_about_once(stub, monkeypatch):
    monkeypatch.setattr(_core, "_warned_versions", set())
    stub.script("GET", "/v1/stats", Reply(200, {"days": [], "totals": {}}, headers={"Kindshield-Version": "97.0.0"}))
    with stub.client(api_key="ks_test") as client:
        with pytest.warns(RuntimeWarning, match="97.0.0"):
            client.stats()
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            client.stats()   # once per server version


def test_the_same_major_version_is_not_warned_about(stub, monkeypatch):
    monkeypatch.setattr(_core, "_warned_versions", set())
    major = kindshield.__version__.split(".")[0]
    stub.script("GET", "/v1/stats", Reply(200, {"days": [], "totals": {}},
                                          headers={"Kindshield-Version": f"{major}.99.0"}))
    with stub.client(api_key="ks_test") as client, warnings.catch_warnings():
        warnings.simplefilter("error")
        client.stats()

"""Size-aware batching, against real servers: UTF-8 JSON, split by the server's count and byte
limits (read from its response headers), a 413 split and retried, order kept."""
from __future__ import annotations

import logging

import pytest

import kindshield
from kindshield import _core

KIND_ZH = "谢谢你的分享，祝你今天愉快，"     # 14 characters
HOSTILE_ZH = "你真是个废物，蠢货，滚开，"      # 13 characters


def _requests_made(caplog: pytest.LogCaptureFixture, path: str) -> int:
    return sum(1 for r in caplog.records if r.name == "kindshield" and f"POST {path} (attempt" in r.getMessage())


def test_256_chinese_comments_of_700_characters_go_in_one_request(client, caplog):
    texts = [(KIND_ZH * 60)[:690] + f"{i:010d}" for i in range(256)]
    assert all(len(t) == 700 for t in texts)
    # with \\u escapes this body would be 256 * 4,200 bytes: over the 1 MiB limit
    assert len(_core.encode_json({"texts": texts})) < 1024 * 1024 < len(__import__("json").dumps({"texts": texts}))
    caplog.set_level(logging.DEBUG, logger="kindshield")
    analysis = client.with_options(timeout=300).analyze(texts, lang="zh")
    assert len(analysis) == 256 and not analysis.any_toxic
    assert _requests_made(caplog, "/v1/analyze") == 1


@pytest.fixture(scope="module")
def small_server(tmp_path_factory, start_server):
    """A server configured with a 64 KiB body limit and at most 10 texts per request."""
    env = {"KINDSHIELD_MAX_BODY_BYTES": "65536", "KINDSHIELD_MAX_TEXTS": "10"}
    with start_server(tmp_path_factory.mktemp("kindshield-small"), env=env) as server:
        yield server


def test_a_configured_server_is_respected_and_413_is_split_order_kept(small_server, caplog):
    caplog.set_level(logging.DEBUG, logger="kindshield")
    # 9 texts of 3,000 Chinese characters: 81 kB of UTF-8, over the 64 KiB limit, under 10 texts
    texts = [((HOSTILE_ZH if i % 2 else KIND_ZH) * 240)[:3000] for i in range(9)]
    with kindshield.Client(small_server.base_url, small_server.api_key, timeout=300) as client:
        first = client.analyze(texts, lang="zh")
        assert [r.toxic for r in first] == [bool(i % 2) for i in range(9)]     # order kept
        assert any("413 for 9 items" in r.getMessage() for r in caplog.records)   # recovered, not raised
        # the limits came with the answers: the next calls are planned within them
        assert client._limits.max_body_bytes == 65536 and client._limits.max_items == 10
        caplog.clear()
        second = client.analyze(texts + ["thank you"] * 16, lang="auto")
        assert len(second) == 25 and [r.toxic for r in second][:9] == [bool(i % 2) for i in range(9)]
        assert not any(r.getMessage().startswith("kindshield: /v1/analyze: 413") for r in caplog.records)
        # 7 long texts fill 64 KiB; then 2 long + 8 short reach 10 texts; then the last 8
        assert _requests_made(caplog, "/v1/analyze") == 3

        caplog.clear()
        messages = [{"id": f"m{i}", "kind": "comment", "text": text,
                     "sender": {"id": f"s{i}", "relation": "stranger"}} for i, text in enumerate(texts)]
        decisions = client.shield(messages, lang="zh").decisions
        assert [d.id for d in decisions] == [f"m{i}" for i in range(9)]
        assert _requests_made(caplog, "/v1/shield") >= 2


def test_the_limits_route_and_headers(small_server):
    import requests

    r = requests.get(small_server.base_url + "/v1/limits", timeout=30)
    assert r.status_code == 200
    body = r.json()
    assert body["max_body_bytes"] == 65536 and body["max_texts"] == 10 and body["version"]
    assert r.headers["Kindshield-Max-Body-Bytes"] == "65536" and r.headers["Kindshield-Version"] == body["version"]


def test_plan_batches_keeps_order_and_limits():
    sizes = [10, 10, 50, 10, 10, 10]
    assert _core.plan_batches(sizes, 5, 10, 40) == [(0, 2), (2, 3), (3, 6)]
    assert _core.plan_batches(sizes, 5, 2, 1000) == [(0, 2), (2, 4), (4, 6)]
    assert _core.plan_batches([], 5, 2, 1000) == []

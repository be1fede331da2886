"""The AsyncClient: retries that honour Retry-After without blocking the event loop, the
overall deadline, UTF-8 bodies, the shared parsing (stub); and the real server in asyncio."""
from __future__ import annotations

import asyncio
import time

import pytest
from sdk_stub import Reply, analyze_reply, error_reply

import kindshield


def test_429_retry_after_is_honoured_without_blocking_the_loop(stub):
    stub.script("POST", "/v1/analyze",
                error_reply(429, "rate_limited", "Too many requests.", headers={"Retry-After": "1"}),
                analyze_reply)

    async def main():
        ticks = 0

        async def ticker():
            nonlocal ticks
            while True:
                await asyncio.sleep(0.05)
                ticks += 1

        task = asyncio.create_task(ticker())
        async with kindshield.AsyncClient(stub.base_url, "ks_test") as client:
            result = await client.analyze("你好")
        task.cancel()
        return result, ticks

    result, ticks = asyncio.run(main())
    calls = stub.calls("POST", "/v1/analyze")
    assert len(calls) == 2 and calls[1].at - calls[0].at >= 0.95
    assert ticks >= 10                      # the loop kept running while the client waited
    assert result[0].text == "你好"
    assert calls[0].headers["Content-Type"].startswith("application/json")


def test_the_deadline_bounds_retries_and_waits(stub):
    stub.script("GET", "/v1/stats", error_reply(503, "database_unavailable", headers={"Retry-After": "3"}))

    async def main():
        async with kindshield.AsyncClient(stub.base_url, "ks_test", max_retries=5, deadline=1.0) as client:
            await client.stats()

    started = time.monotonic()
    with pytest.raises(kindshield.ServerError) as info:
        asyncio.run(main())
    assert time.monotonic() - started < 1.5          # did not wait 3 s for a retry past the deadline
    assert info.value.retry_after == 3 and len(stub.calls("GET", "/v1/stats")) == 1


def test_report_writes_carry_one_idempotency_key_across_retries(stub, fast_backoff):
    receipt = {"id": "r1", "received_at": "2026-11-28T10:00:00Z", "sha256": "a" * 64, "prev_sha256": "0" * 64}
    stub.script("POST", "/v1/reports", error_reply(502, "bad_gateway"), Reply(201, receipt))
    stub.script("PATCH", "/v1/reports/r1", Reply(drop=True), Reply(200, {**receipt, "status": "resolved"}))

    async def main():
        async with kindshield.AsyncClient(stub.base_url, "ks_test", max_retries=2) as client:
            filed = await client.reports.file(text="evidence", idempotency_key="msg-42")
            changed = await client.reports.update_status("r1", "resolved")
        return filed, changed

    filed, changed = asyncio.run(main())
    assert filed.id == "r1" and changed.status == "resolved"
    assert [c.headers.get("Idempotency-Key") for c in stub.calls("POST", "/v1/reports")] == ["msg-42"] * 2
    keys = {c.headers.get("Idempotency-Key") for c in stub.calls("PATCH", "/v1/reports/r1")}
    assert len(stub.calls("PATCH", "/v1/reports/r1")) == 2 and len(keys) == 1 and None not in keys


def test_a_stalled_server_runs_into_the_deadline(stub):
    stub.script("GET", "/v1/stats", Reply(200, {"days": [], "totals": {}}, stall=3))

    async def main():
        async with kindshield.AsyncClient(stub.base_url, "ks_test", deadline=0.5) as client:
            await client.stats()

    started = time.monotonic()
    with pytest.raises(kindshield.APITimeoutError):
        asyncio.run(main())
    assert time.monotonic() - started < 2


def test_errors_carry_status_code_request_id_and_field_errors(stub):
    stub.script("POST", "/v1/analyze",
                error_reply(400, "invalid_request", "Invalid input.",
                            {"fields": {"lang": ["Must be one of: auto, en, zh."]}}))

    async def main():
        async with kindshield.AsyncClient(stub.base_url, "ks_test") as client:
            await client.analyze("bonjour", lang="fr")

    with pytest.raises(kindshield.ValidationError) as info:
        asyncio.run(main())
    assert info.value.status == 400 and info.value.request_id.startswith("req-")
    assert "lang" in str(info.value) and "Must be one of" in str(info.value)


def test_the_real_server_in_asyncio(sdk_server, new_key):
    key = new_key("async")

    async def main():
        async with kindshield.AsyncClient(sdk_server.base_url, key, deadline=120) as client:
            analysis, health = await asyncio.gather(
                client.analyze(["thank you", "you are a stupid idiot and a loser"]), client.health())
            assert [r.toxic for r in analysis] == [False, True] and health.ready
            receipts = await asyncio.gather(*(client.reports.file(text=f"abuse {i}") for i in range(5)))
            listed = [r.id async for r in client.reports.iter(page_size=2)]
            assert sorted(listed) == sorted(r.id for r in receipts) and len(set(listed)) == 5
            assert (await client.reports.verify()).ok
            on = await client.protection.one_click(24)
            assert on.active and (await client.protection.end()).lockdown is not None

    asyncio.run(main())

"""The overall deadline of a call (``deadline=``), in the sync Client as in the AsyncClient,
against the real server: it covers retries and ``Retry-After`` waits (a rate-limited key), and a
call that runs into it mid-request raises :class:`kindshield.APITimeoutError`. Bounds on time
are generous: they only tell "gave up" from "waited the minute out"."""
from __future__ import annotations

import asyncio
import time

import pytest

import kindshield


@pytest.fixture
def limited_key(sdk_server):
    """A key limited to 1 request a minute: its second call gets 429 with Retry-After ~60 s."""
    with kindshield.Client(sdk_server.base_url, sdk_server.admin_key) as admin:
        return admin.admin.keys.create(f"deadline-{time.monotonic_ns()}", rate_limit="1 per minute").key


def test_the_deadline_stops_retrying_a_429_instead_of_waiting(sdk_server, limited_key):
    with kindshield.Client(sdk_server.base_url, limited_key, max_retries=5, deadline=3) as client:
        assert client.deadline == 3.0
        assert client.with_options(max_retries=1).deadline == 3.0
        client.analyze("have a nice day")                      # the minute's one request
        started = time.monotonic()
        with pytest.raises(kindshield.RateLimitError) as info:
            client.analyze("have a nice day")                  # 429: waiting Retry-After would pass the deadline
    assert time.monotonic() - started < 30                    # did not wait out the minute
    assert info.value.status == 429 and info.value.retry_after is not None
    assert 3 < info.value.retry_after <= 60


def test_the_async_client_behaves_the_same(sdk_server, limited_key):
    async def main() -> None:
        async with kindshield.AsyncClient(sdk_server.base_url, limited_key, max_retries=5, deadline=3) as client:
            await client.analyze("have a nice day")
            await client.analyze("have a nice day")

    started = time.monotonic()
    with pytest.raises(kindshield.RateLimitError) as info:
        asyncio.run(main())
    assert time.monotonic() - started < 30 and info.value.status == 429


def test_a_slow_call_runs_into_the_deadline(sdk_server, sdk_key):
    # 300 long texts: two requests the server needs seconds for; 0.3 s is far too little
    texts = [f"comment {i}: " + "you are such a thoughtful and kind person " * 25 for i in range(300)]
    started = time.monotonic()
    with kindshield.Client(sdk_server.base_url, sdk_key, deadline=0.3) as client, \
            pytest.raises(kindshield.APITimeoutError) as info:
        client.analyze(texts, explain=True)
    assert time.monotonic() - started < 30
    assert "timeout" in str(info.value) or "deadline" in str(info.value)


def test_both_clients_refuse_the_same_bad_options():
    pytest.importorskip("aiohttp")
    bad = [{"deadline": 0}, {"deadline": -1}, {"deadline": "5"}, {"max_retries": -1}, {"max_retries": 1.5},
           {"timeout": 0}, {"subject": "has space"}, {"subject": ""}, {"base_url": "127.0.0.1:8731"}]
    for options in bad:
        kwargs = {"base_url": "http://127.0.0.1:1", "api_key": "ks_x", **options}
        errors = []
        for cls in (kindshield.Client, kindshield.AsyncClient):
            with pytest.raises((ValueError, kindshield.KindshieldError)) as info:
                cls(**kwargs)
            errors.append((type(info.value), str(info.value)))
        assert errors[0] == errors[1], options

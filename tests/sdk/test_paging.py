"""Cursor pagination over 1,200 reports, sync and async, against the real server."""
from __future__ import annotations

import asyncio
import logging

import pytest
import requests

import kindshield


@pytest.fixture(scope="module")
def many_reports(sdk_server):
    key = sdk_server.create_key("sdk-paging", rate_limit="100000 per minute")
    with kindshield.Client(sdk_server.base_url, key) as client:
        ids = [client.reports.file(text=f"abuse number {i}", category="harassment").id for i in range(1200)]
    return key, ids[::-1]   # newest first


def test_every_report_once_in_order_a_page_at_a_time(sdk_server, many_reports, caplog):
    key, newest_first = many_reports
    caplog.set_level(logging.DEBUG, logger="kindshield")
    with kindshield.Client(sdk_server.base_url, key) as client:
        seen = [r.id for r in client.reports.iter(page_size=500)]
        assert seen == newest_first
        pages = [r for r in caplog.records if "GET /v1/reports (attempt" in r.getMessage()]
        assert len(pages) == 3
        assert [r.id for r in client.reports.list()] == newest_first   # list() = every page

        first = client._drive(kindshield._flows.reports_page(100, None))
        assert len(first) == 100 and first.next_cursor and first.meta and first.meta.request_id
        # a report filed while paging does not shift the next page (an offset would)
        client.reports.file(text="filed while paging")
        second = client._drive(kindshield._flows.reports_page(100, first.next_cursor))
        assert [r.id for r in second] == newest_first[100:200]


def test_async_iteration(sdk_server, many_reports):
    key, newest_first = many_reports

    async def main():
        async with kindshield.AsyncClient(sdk_server.base_url, key) as client:
            return [r.id async for r in client.reports.iter(page_size=300)]

    assert asyncio.run(main())[-1200:] == newest_first


@pytest.mark.parametrize("path", ["/v1/reports", "/v1/notices", "/v1/admin/offenders", "/v1/admin/webhooks/deliveries"])
def test_a_damaged_cursor_is_a_400(sdk_server, path):
    for cursor in ("not-a-cursor", "WyJ4Il0", "W10"):
        r = requests.get(sdk_server.url(path), params={"cursor": cursor}, headers=sdk_server.headers(sdk_server.admin_key),
                         timeout=30)
        assert r.status_code == 400, (path, cursor, r.text)
        assert r.json()["error"]["code"] == "invalid_cursor"

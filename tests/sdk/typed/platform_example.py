"""A typed program using every resource of both clients: ``tests/sdk/test_typing.py`` runs
``mypy --strict`` on it (it is never executed), so the SDK's annotations stay usable."""
from __future__ import annotations

import asyncio
from typing import List, Optional

import kindshield
from kindshield import (
    Analysis,
    ApiKey,
    AsyncClient,
    ChainVerification,
    Client,
    Health,
    Notice,
    Page,
    PlatformStats,
    Precheck,
    Protection,
    Report,
    ReportReceipt,
    ResponseMeta,
    Severity,
    ShieldAction,
    ShieldMessage,
    ShieldResult,
    Stats,
)


def sync_platform(admin_key: str) -> None:
    with Client("http://127.0.0.1:8731", admin_key, timeout=30, max_retries=3) as admin:
        created: ApiKey = admin.admin.keys.create("acme", scopes=["platform"], rate_limit="6000 per minute")
        keys: List[ApiKey] = admin.admin.keys.list()
        rotated: ApiKey = admin.admin.keys.rotate("acme")
        assert created.key is not None and rotated.key is not None and len(keys) > 0
        for offender in admin.admin.offenders.iter(status="all"):
            print(offender.id, offender.recipients)
        first: Page[kindshield.Offender] = admin.admin.offenders.list(limit=10)
        if first:
            admin.admin.offenders.review(first[0].id, "warned", note="first warning")
        admin.admin.offenders.get("x" * 32)
        admin.admin.offenders.lookup("weibo:1")
        for delivery in admin.admin.webhooks.iter_deliveries(status="failed"):
            print(delivery.id, delivery.status)
        admin.admin.webhooks.deliveries(limit=5)
        instance: Stats = admin.stats(7, scope="instance")
        print(instance.total("analyzed"))
        admin.admin.keys.revoke("acme")

    with Client(api_key=rotated.key) as platform:
        whole: PlatformStats = platform.platform_stats(days=7)
        print(whole.subjects, whole.stats.total("blocked"))
        alice = platform.for_subject("user-42")
        analysis: Analysis = alice.analyze(["你好", "have a nice day"], lang="auto", explain=True)
        severity: Severity = analysis[0].severity
        meta: Optional[ResponseMeta] = analysis.meta
        print(severity, meta.request_id if meta else None)
        result: ShieldResult = alice.shield([ShieldMessage(id="m1", text="hi", kind="dm", sender_id="u9",
                                                           relation="stranger")], lang="zh")
        action: ShieldAction = result.decisions[0].action
        print(action)
        check: Precheck = alice.precheck("you idiot")
        if check.nudge and check.nudge_id:
            alice.record_outcome(check.nudge_id, "edited")
        protection: Protection = alice.protection.one_click(24)
        alice.protection.update(who_may_comment="followers", sensitivity="strict", allow_senders=["u1"])
        alice.protection.get()
        alice.protection.end()
        print(protection.active)
        notices: Page[Notice] = alice.notices.list(unacked_only=True, limit=50)
        for notice in alice.notices.iter():
            alice.notices.ack(notice.id)
        print(notices.next_cursor)
        receipt: ReportReceipt = alice.reports.file(text="abuse", url="https://example.com", category="threat")
        report: Report = alice.reports.get(receipt.id)
        alice.reports.update_status(report.id, "sent_to_platform", note="sent")
        every: List[Report] = alice.reports.list()
        for r in alice.reports.iter(page_size=100):
            print(r.id, r.status)
        print(len(every), alice.reports.export("csv")[:10])
        verified: ChainVerification = alice.reports.verify()
        print(verified.ok, alice.stats(30).total("reports"), alice.is_toxic("x"))
        health: Health = alice.health()
        print(health.ready)


async def async_platform(platform_key: str) -> None:
    async with AsyncClient(api_key=platform_key, deadline=10.0) as platform:
        alice = platform.for_subject("user-42")
        analysis: Analysis = await alice.analyze("你好")
        result: ShieldResult = await alice.shield([{"id": "m1", "kind": "comment", "text": "hi",
                                                    "sender": {"id": "u9", "relation": "mutual"}}])
        protection: Protection = await alice.protection.one_click(72)
        await alice.protection.update(who_may_message="contacts")
        await alice.protection.end()
        page: Page[Notice] = await alice.notices.list()
        async for notice in alice.notices.iter(unacked_only=True):
            await alice.notices.ack(notice.id)
        receipt: ReportReceipt = await alice.reports.file(text="abuse")
        report: Report = await alice.reports.get(receipt.id)
        await alice.reports.update_status(report.id, "resolved")
        async for r in alice.reports.iter():
            print(r.id)
        reports: List[Report] = await alice.reports.list(limit=10)
        verified: ChainVerification = await alice.reports.verify()
        check: Precheck = await alice.precheck("you idiot", lang="en")
        if check.nudge_id:
            await alice.record_outcome(check.nudge_id, "discarded")
        stats: Stats = await alice.stats(7)
        whole: PlatformStats = await platform.platform_stats()
        health: Health = await platform.health()
        keys: List[ApiKey] = await platform.admin.keys.list()
        async for offender in platform.admin.offenders.iter():
            await platform.admin.offenders.review(offender.id, "no_action")
        async for delivery in platform.admin.webhooks.iter_deliveries():
            print(delivery.id)
        print(analysis[0].toxic, result.decisions[0].action, protection.active, len(page), len(reports),
              verified.ok, stats.total("analyzed"), whole.subjects, health.ready, len(keys),
              await alice.reports.export(), await alice.is_toxic("x"))


if __name__ == "__main__":
    sync_platform("ks_admin")
    asyncio.run(async_platform("ks_platform"))

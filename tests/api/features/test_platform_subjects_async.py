"""The same platform scenario with the AsyncClient in asyncio: one platform key, 3 subjects
served concurrently (asyncio.gather); lockdown, pile-on notices and reports stay with their
subject."""
from __future__ import annotations

import asyncio

import kindshield

from .conftest import clock
from .test_shield_and_notices import hostile_texts, msg

SUBJECTS = ("async-user-dana-1", "async-user-eli-2", "async-user-fay-3")


def test_async_platform_key_with_three_concurrent_subjects(fserver, new_user):
    with kindshield.Client(fserver.base_url, fserver.admin_key) as admin:
        key = admin.admin.keys.create("async-platform", scopes=["platform"], rate_limit="6000 per minute").key
    hostile = hostile_texts(fserver, new_user("async-calibrate"))
    clock(fserver, advance_hours=2)

    async def main():
        async with kindshield.AsyncClient(fserver.base_url, key, deadline=120) as platform:
            dana, eli, fay = (platform.for_subject(s) for s in SUBJECTS)
            lock, receipt = await asyncio.gather(dana.protection.one_click(24), fay.reports.file(text="go away, idiot"))
            assert lock.active
            for minute in range(20):   # eli is piled on while the others go on with their day
                await asyncio.gather(
                    eli.shield([msg(minute * 2 + j, hostile[(minute + j) % len(hostile)], "stranger",
                                    sender=f"attacker-{(minute * 2 + j) % 8}") for j in range(2)]),
                    dana.shield([msg(minute, "see you at the meetup tomorrow!", "mutual", sender="friend")]),
                    fay.analyze("thanks for sharing"),
                )
                clock(fserver, advance_hours=1 / 60)
            protections = await asyncio.gather(*(s.protection.get() for s in (dana, eli, fay)))
            assert [p.active for p in protections] == [True, False, False]
            piles = [[n async for n in s.notices.iter() if n.type == "pile_on"] for s in (dana, eli, fay)]
            assert [len(p) for p in piles] == [0, 1, 0]
            reports = await asyncio.gather(*(s.reports.list() for s in (dana, eli, fay)))
            assert [[r.id for r in rs] for rs in reports] == [[], [], [receipt.id]]
            whole = await platform.platform_stats(days=2)
            assert whole.subjects == 3

    asyncio.run(main())

"""Data-subject rights: export everything stored for a user as one archive, delete all of it, and
verify report chains in the presence of retention and erasures.

Used by the self-service and admin routes (api/userdata.py) and by ``kindshield-server users``.
Deleting a user removes their reports and screenshots, notices, nudges, counters, protection
state, pile-on windows (database and Redis), the hostile items others sent them (offender
records keyed by their recipient pseudonym) and their keys; then one record is appended to the
instance's erasure chain (store/lifecycle.py) with the counts and the final head of the user's
report chain -- never the content -- so ``verify --all`` can tell an erasure from a truncation.
"""
from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime
from typing import Any

from sqlalchemy import select

from ..policy import offenders as offender_policy
from ..policy.chain import VerifyResult, verify
from ..policy.clock import format_time
from ..store import Store
from ..store import lifecycle as repo
from ..store import reports as reports_store
from ..store.schema import report_chains

ARCHIVE_FORMAT = "kindshield-user-export/1"


def recipient_pseudonym(config, user_id: int) -> str:
    return offender_policy.recipient_pseudonym(user_id, getattr(config, "sender_hash_secret", ""))


def build_archive(store: Store, config, user_id: int, now: datetime) -> bytes | None:
    """A ZIP: ``data.json`` (every row, by table) and ``screenshots/<record id>.png``; None when
    the user does not exist."""
    with store.read() as conn:
        if repo.user_row(conn, user_id) is None:
            return None
        tables, shots = repo.export_user(conn, user_id, recipient_pseudonym(config, user_id))
        check = verify_user_chain(conn, user_id)
    doc = {"format": ARCHIVE_FORMAT, "user_id": user_id, "exported_at": format_time(now),
           "report_chain": check.to_dict(), "tables": tables,
           "screenshots": {rid: f"screenshots/{rid}.png" for rid in sorted(shots)}}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("data.json", json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True))
        for rid, png in sorted(shots.items()):
            zf.writestr(f"screenshots/{rid}.png", png, compress_type=zipfile.ZIP_STORED)
    return buf.getvalue()


def erase_user(store: Store, config, user_id: int, *, requested_by: str, now: datetime,
               redis_client: Any = None) -> dict | None:
    """Delete everything of ``user_id``; returns ``{"deleted": counts, "erasure": record}``, or
    None when the user does not exist."""
    with store.begin(user_id) as conn:
        store.advisory_lock(conn, repo.ERASURE_LOCK)
        if repo.user_row(conn, user_id) is None:
            return None
        head = reports_store.chain_head(conn, user_id)
        length = conn.execute(select(report_chains.c.length).where(report_chains.c.user_id == user_id)).scalar()
        counts = repo.delete_user(conn, user_id, recipient_pseudonym(config, user_id))
        rec = repo.append_erasure(conn, {
            "user_id": int(user_id), "requested_by": requested_by,
            "report_chain": {"length": int(length or 0), "head_sha256": head},
            "deleted": {k: int(v) for k, v in sorted(counts.items()) if v},
        }, now)
    if redis_client is not None:
        try:   # the Redis pile-on window (expires on its own too: TTL = the window)
            redis_client.delete(f"{config.redis_prefix}:pileon:{int(user_id)}")
        except Exception:  # noqa: BLE001 - Redis down: the key expires with its TTL
            pass
    return {"user_id": user_id, "deleted": {k: v for k, v in counts.items() if v},
            "erasure": {"seq": rec.seq, "sha256": rec.sha256, "received_at": rec.received_at}}


def verify_user_chain(conn, user_id: int) -> VerifyResult:
    """Re-hash a user's report chain, starting after what retention pruned, skipping the
    screenshots retention removed (their sha256 stays in the record)."""
    head = reports_store.chain_head(conn, user_id)
    prune = conn.execute(select(repo.report_chain_prunes).where(
        repo.report_chain_prunes.c.user_id == user_id)).first()
    pruned = {r.record_id for r in conn.execute(select(repo.pruned_screenshots.c.record_id).where(
        repo.pruned_screenshots.c.user_id == user_id)).all()}
    # row by row: records in pages, each screenshot read (and hashed) alone when reached,
    # never all of a user's screenshots in memory at once
    screenshots = reports_store.StreamedScreenshots(conn)

    def records():
        for rec, has_shot in reports_store.iter_chain(conn, user_id):
            if (rec.screenshot_sha256 is not None or has_shot) and rec.id not in pruned:
                screenshots.expect(rec.id)
            yield rec

    start = (prune.through_seq, prune.through_sha256) if prune is not None else None
    return verify(records(), screenshots=screenshots, head_sha256=head, start=start)

"""Instance-wide integrity: every report chain and the erasure chain re-hashed, and checked
against a digest of chain heads exported earlier and kept OUTSIDE the database (``kindshield-server
heads export``), so a restored or tampered copy that lost its newest records -- chain-head row and
all -- is detected, while a user erased on request is told apart by the erasure chain.

Digest format (JSON)::

    {"format": "kindshield-heads/1", "exported_at": "...Z",
     "chains": {"<user id>": {"length": n, "head_sha256": "..."}},
     "erasures": {"length": n, "head_sha256": "..."},
     "digest": sha256 of the canonical JSON of chains + erasures,
     "signature": "hmac-sha256=<hex>" keyed with KINDSHIELD_RECEIPT_SECRET (null without one)}
"""
from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime
from typing import Any, Mapping

from sqlalchemy import select, union

from ..policy.chain import GENESIS, canonical_bytes, verify
from ..policy.clock import format_time
from ..store import Store
from ..store import lifecycle as repo
from ..store.schema import report_chains, report_records
from .userdata import verify_user_chain

HEADS_FORMAT = "kindshield-heads/1"


def _sign(secret: str, digest: str) -> str | None:
    if not secret:
        return None
    return "hmac-sha256=" + hmac.new(secret.encode("utf-8"), digest.encode("ascii"), hashlib.sha256).hexdigest()


def _digest(chains: Mapping[str, Any], erasures: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_bytes({"chains": dict(chains), "erasures": dict(erasures)})).hexdigest()


def head_receipt(secret: str, user_id: int, seq: int, head_sha256: str) -> dict:
    """What a client keeps after filing: the chain head it saw, signed by the instance.  Anyone
    holding it can later show that the chain had reached ``seq`` with that head (``verify --all``
    compares chains with such heads; ``check_receipt`` checks one)."""
    doc = {"user_id": int(user_id), "seq": int(seq), "head_sha256": head_sha256}
    return {**doc, "signature": _sign(secret, hashlib.sha256(canonical_bytes(doc)).hexdigest())}


def check_receipt(secret: str, receipt: Mapping[str, Any]) -> bool:
    doc = {"user_id": int(receipt["user_id"]), "seq": int(receipt["seq"]), "head_sha256": receipt["head_sha256"]}
    expected = _sign(secret, hashlib.sha256(canonical_bytes(doc)).hexdigest())
    return expected is not None and hmac.compare_digest(str(receipt.get("signature")), expected)


def export_heads(store: Store, secret: str, now: datetime) -> dict:
    with store.read() as conn:
        rows = conn.execute(select(report_chains.c.user_id, report_chains.c.length, report_chains.c.head_sha256)
                            .order_by(report_chains.c.user_id)).all()
        length, head = repo.erasure_head(conn)
    chains = {str(r.user_id): {"length": int(r.length), "head_sha256": r.head_sha256} for r in rows}
    erasures = {"length": length, "head_sha256": head}
    digest = _digest(chains, erasures)
    return {"format": HEADS_FORMAT, "exported_at": format_time(now), "chains": chains, "erasures": erasures,
            "digest": digest, "signature": _sign(secret, digest)}


def verify_all(store: Store, heads: Mapping[str, Any] | None = None, secret: str = "") -> dict:
    """``{"ok", "chains": n, "records": n, "problems": [{"user_id"|"erasures", "reason", ...}]}``."""
    problems: list[dict] = []
    if heads is not None:
        problems += _check_digest(heads, secret)
    checked_records = 0
    with store.read() as conn:
        user_ids = sorted(r[0] for r in conn.execute(union(select(report_chains.c.user_id),
                                                           select(report_records.c.user_id))).all())
        with_head = {r[0] for r in conn.execute(select(report_chains.c.user_id)).all()}
        for uid in user_ids:
            res = verify_user_chain(conn, uid)
            checked_records += res.checked
            if uid not in with_head:
                problems.append({"user_id": uid, "reason": "report chain has records but no chain-head row"})
            elif not res.ok:
                problems.append({"user_id": uid, **res.to_dict()})
        erasures = repo.erasure_chain(conn)
        res = verify(erasures)
        if not res.ok:
            problems.append({"erasures": True, **res.to_dict()})
        if heads is not None:
            problems += _check_anchors(conn, heads, erasures)
    return {"ok": not problems, "chains": len(user_ids), "records": checked_records,
            "erasures": len(erasures), "anchored": heads is not None, "problems": problems}


def _check_digest(heads: Mapping[str, Any], secret: str) -> list[dict]:
    if heads.get("format") != HEADS_FORMAT:
        return [{"heads": True, "reason": f"not a {HEADS_FORMAT} document"}]
    digest = _digest(heads.get("chains") or {}, heads.get("erasures") or {})
    if digest != heads.get("digest"):
        return [{"heads": True, "reason": "the heads document was changed after export (digest mismatch)"}]
    if secret and heads.get("signature") is not None and not hmac.compare_digest(
            str(heads.get("signature")), _sign(secret, digest) or ""):
        return [{"heads": True, "reason": "the heads document's signature does not match KINDSHIELD_RECEIPT_SECRET"}]
    return []


def _record_hash_at(conn, user_id: int, seq: int) -> str | None:
    row = conn.execute(select(report_records.c.sha256).where(report_records.c.user_id == user_id,
                                                             report_records.c.seq == seq)).first()
    return row.sha256 if row else None


def _check_anchors(conn, heads: Mapping[str, Any], erasures) -> list[dict]:
    problems: list[dict] = []
    erased = {}
    for rec in erasures:
        c = rec.content
        if isinstance(c.get("user_id"), int):
            erased[c["user_id"]] = c.get("report_chain") or {}
    for key, anchor in sorted((heads.get("chains") or {}).items()):
        uid, length, head = int(key), int(anchor["length"]), anchor["head_sha256"]
        if length == 0:
            continue
        if uid in erased:
            final = erased[uid]
            if int(final.get("length") or 0) < length or (
                    int(final.get("length") or 0) == length and final.get("head_sha256") != head):
                problems.append({"user_id": uid, "reason": "erasure record does not cover the anchored chain head"})
            continue
        prune = conn.execute(select(repo.report_chain_prunes).where(
            repo.report_chain_prunes.c.user_id == uid)).first()
        if prune is not None and prune.through_seq >= length:
            if prune.through_seq == length and prune.through_sha256 != head:
                problems.append({"user_id": uid, "reason": "pruned chain does not match the anchored head"})
            continue
        actual = _record_hash_at(conn, uid, length)
        if actual is None:
            problems.append({"user_id": uid, "anchored_length": length,
                             "reason": "records missing: the chain is shorter than its anchored head (truncated)"})
        elif actual != head:
            problems.append({"user_id": uid, "anchored_length": length,
                             "reason": "the record at the anchored head differs from the anchored sha256"})
    anchor = heads.get("erasures") or {}
    length = int(anchor.get("length") or 0)
    if length:
        at = next((r for r in erasures if r.seq == length), None)
        if at is None or at.sha256 != anchor.get("head_sha256"):
            problems.append({"erasures": True, "anchored_length": length,
                             "reason": "the erasure chain does not contain its anchored head"})
    elif anchor.get("head_sha256") not in (None, GENESIS):
        problems.append({"erasures": True, "reason": "invalid anchored erasure head"})
    return problems


def load_heads(path: str) -> dict:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)

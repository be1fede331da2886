"""The per-user tamper-evident report chain.

Each record's ``sha256`` covers its canonical serialisation: version, sequence
number, id, kind, received time, content, the screenshot's sha256 and the
previous record's sha256. Changing any stored field, reordering, deleting or
inserting a record breaks verification at the first affected record.

Canonical form: JSON, keys sorted, no insignificant whitespace, UTF-8, non-ASCII
kept as is, no floats (content values are strings, integers, booleans, nulls,
lists and objects of these). Text is hashed exactly as received (no Unicode
normalisation: evidence must stay verbatim).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

CHAIN_VERSION = 1
GENESIS = "0" * 64
STATUSES = ("filed", "sent_to_platform", "resolved")
_STATUS_RANK = {s: i for i, s in enumerate(STATUSES)}


class ChainError(ValueError):
    pass


def _check_value(value: Any, path: str = "content") -> None:
    if value is None or isinstance(value, (str, bool, int)):
        return
    if isinstance(value, float):
        raise ChainError(f"{path}: floats are not allowed in chained content")
    if isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            _check_value(v, f"{path}[{i}]")
        return
    if isinstance(value, Mapping):
        for k, v in value.items():
            if not isinstance(k, str):
                raise ChainError(f"{path}: keys must be strings")
            _check_value(v, f"{path}.{k}")
        return
    raise ChainError(f"{path}: unsupported type {type(value).__name__}")


def canonical_bytes(obj: Any) -> bytes:
    _check_value(obj)
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class ChainRecord:
    seq: int
    id: str
    kind: str                      # "report" | "status"
    received_at: str               # ISO 8601 UTC, as stored
    content: Mapping[str, Any]
    screenshot_sha256: str | None
    prev_sha256: str
    sha256: str = ""

    def hash_input(self) -> dict[str, Any]:
        return {
            "v": CHAIN_VERSION,
            "seq": self.seq,
            "id": self.id,
            "kind": self.kind,
            "received_at": self.received_at,
            "content": dict(self.content),
            "screenshot_sha256": self.screenshot_sha256,
            "prev_sha256": self.prev_sha256,
        }

    def compute_hash(self) -> str:
        return sha256_hex(canonical_bytes(self.hash_input()))


def new_record(prev: ChainRecord | None, *, id: str, kind: str, received_at: str,
               content: Mapping[str, Any], screenshot: bytes | None = None,
               screenshot_sha256: str | None = None) -> ChainRecord:
    """Build the next record after ``prev`` (None: the first record of a chain)."""
    if screenshot is not None:
        screenshot_sha256 = sha256_hex(screenshot)
    rec = ChainRecord(
        seq=(prev.seq + 1) if prev else 1,
        id=id, kind=kind, received_at=received_at, content=dict(content),
        screenshot_sha256=screenshot_sha256,
        prev_sha256=prev.sha256 if prev else GENESIS,
    )
    return ChainRecord(**{**rec.__dict__, "sha256": rec.compute_hash()})


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad: str | None = None
    first_bad_seq: int | None = None
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "checked": self.checked, "first_bad": self.first_bad,
                "first_bad_seq": self.first_bad_seq, "reason": self.reason}


def verify(records: Iterable[ChainRecord], screenshots: Mapping[str, bytes | None] | None = None,
           head_sha256: str | None = None, start: tuple[int, str] | None = None) -> VerifyResult:
    """Verify records in sequence order; name the first record that does not check out.

    ``screenshots`` maps record id -> stored screenshot bytes (when given, each
    is re-hashed and compared); ``head_sha256`` is the chain head the store
    recorded separately (catches deletion of the newest records).  ``start`` = ``(seq, sha256)``
    of the last record that retention removed (the chain then continues at ``seq + 1``).
    """
    prev_hash = start[1] if start else GENESIS
    expected_seq = start[0] + 1 if start else 1
    checked = 0
    last: ChainRecord | None = None
    for rec in records:
        reason = None
        if rec.seq != expected_seq:
            reason = f"sequence gap: expected {expected_seq}, found {rec.seq}"
        elif rec.prev_sha256 != prev_hash:
            reason = "prev_sha256 does not match the previous record"
        else:
            try:
                computed = rec.compute_hash()
            except ChainError as exc:
                computed, reason = None, f"content cannot be serialised: {exc}"
            if reason is None and computed != rec.sha256:
                reason = "content does not match its sha256"
            if reason is None and screenshots is not None and rec.id in screenshots:
                blob = screenshots[rec.id]
                actual = sha256_hex(blob) if blob is not None else None
                if actual != rec.screenshot_sha256:
                    reason = "screenshot does not match its sha256"
        if reason is not None:
            return VerifyResult(False, checked + 1, rec.id, rec.seq, reason)
        checked += 1
        prev_hash = rec.sha256
        expected_seq += 1
        last = rec
    if head_sha256 is not None and head_sha256 != (last.sha256 if last else prev_hash):
        return VerifyResult(False, checked, last.id if last else None, last.seq if last else None,
                            "chain head does not match the last record (records missing at the end)")
    return VerifyResult(True, checked)


def check_transition(current: str, new: str) -> None:
    """Status moves forward only: filed -> sent_to_platform -> resolved (skipping allowed)."""
    if new not in _STATUS_RANK:
        raise ChainError(f"status must be one of {', '.join(STATUSES)}")
    if _STATUS_RANK[new] <= _STATUS_RANK.get(current, -1):
        raise ChainError(f"cannot change status from {current} to {new}")


def current_statuses(records: Sequence[ChainRecord]) -> dict[str, str]:
    """Latest status for every report id, from the chain's status records."""
    status: dict[str, str] = {}
    for rec in records:
        if rec.kind == "report":
            status[rec.id] = "filed"
        elif rec.kind == "status":
            rid = rec.content.get("report_id")
            if isinstance(rid, str):
                status[rid] = str(rec.content.get("status"))
    return status

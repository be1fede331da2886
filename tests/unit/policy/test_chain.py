import base64
import struct
import zlib
from dataclasses import replace

import pytest

from kindshield_server.policy.chain import (
    GENESIS,
    ChainError,
    canonical_bytes,
    check_transition,
    current_statuses,
    new_record,
    verify,
)
from kindshield_server.policy.evidence import EvidenceError, decode_screenshot, validate_png


def png(w=2, h=2):
    def chunk(t, body):
        return struct.pack(">I", len(body)) + t + body + struct.pack(">I", zlib.crc32(t + body) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * w for _ in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def build(n=4):
    recs, prev = [], None
    for i in range(n):
        prev = new_record(prev, id=f"r{i}", kind="report", received_at=f"2025-03-01T08:0{i}:00Z",
                          content={"text": f"msg {i} 你好", "n": i}, screenshot=png() if i == 1 else None)
        recs.append(prev)
    return recs


def test_canonical_form_is_stable():
    assert canonical_bytes({"b": 1, "a": "é"}) == '{"a":"é","b":1}'.encode()
    with pytest.raises(ChainError):
        canonical_bytes({"x": 1.5})


def test_chain_links_and_verifies():
    recs = build()
    assert recs[0].prev_sha256 == GENESIS and recs[0].seq == 1
    assert all(recs[i].prev_sha256 == recs[i - 1].sha256 for i in range(1, 4))
    res = verify(recs, head_sha256=recs[-1].sha256)
    assert res.ok and res.checked == 4 and res.first_bad is None


def test_tampering_names_first_bad_record():
    recs = build()
    bad = replace(recs[2], content={**recs[2].content, "text": "changed"})
    res = verify([recs[0], recs[1], bad, recs[3]])
    assert not res.ok and res.first_bad == "r2" and res.first_bad_seq == 3
    # a rehashed edit breaks the next link
    forged = new_record(recs[1], id="r2", kind="report", received_at=recs[2].received_at, content={"text": "x"})
    res = verify([recs[0], recs[1], forged, recs[3]])
    assert res.first_bad == "r3"
    # deletion in the middle
    assert verify([recs[0], recs[2], recs[3]]).first_bad == "r2"
    # deletion at the end is caught by the head
    res = verify(recs[:3], head_sha256=recs[3].sha256)
    assert not res.ok and res.first_bad == "r2"


def test_screenshot_hash_checked():
    recs = build()
    assert verify(recs, screenshots={"r1": png()}).ok
    res = verify(recs, screenshots={"r1": png(3, 3)})
    assert res.first_bad == "r1" and "screenshot" in res.reason


def test_status_transitions_and_current_status():
    check_transition("filed", "sent_to_platform")
    check_transition("filed", "resolved")
    for cur, new in [("resolved", "filed"), ("sent_to_platform", "sent_to_platform"), ("filed", "closed")]:
        with pytest.raises(ChainError):
            check_transition(cur, new)
    recs = build(2)
    s = new_record(recs[-1], id="s1", kind="status", received_at="2025-03-02T00:00:00Z",
                   content={"report_id": "r0", "status": "resolved"})
    assert current_statuses(recs + [s]) == {"r0": "resolved", "r1": "filed"}
    assert verify(recs + [s]).ok


def test_png_validation():
    data = png()
    assert validate_png(data) == (2, 2)
    assert decode_screenshot(base64.b64encode(data).decode()) == data
    assert decode_screenshot("data:image/png;base64," + base64.b64encode(data).decode()) == data
    for bad in ["not base64!!", base64.b64encode(b"GIF89a....").decode(),
                base64.b64encode(data[:-5]).decode(),
                base64.b64encode(data[:20] + b"X" + data[21:]).decode()]:
        with pytest.raises(EvidenceError):
            decode_screenshot(bad)
    with pytest.raises(EvidenceError):
        decode_screenshot(base64.b64encode(data).decode(), max_bytes=10)

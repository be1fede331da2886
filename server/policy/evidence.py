"""Evidence checks: the PNG screenshot attached to a report, and report fields."""
from __future__ import annotations

import base64
import binascii
import struct
import zlib

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_SCREENSHOT_BYTES = 5 * 1024 * 1024
MAX_DIMENSION = 20000


class EvidenceError(ValueError):
    pass


def decode_screenshot(b64: str, max_bytes: int = MAX_SCREENSHOT_BYTES) -> bytes:
    """Decode base64 (standard alphabet; a ``data:image/png;base64,`` prefix is accepted)
    and validate it as a PNG of at most ``max_bytes``."""
    if not isinstance(b64, str):
        raise EvidenceError("screenshot must be a base64 string")
    text = b64.strip()
    if text.startswith("data:"):
        head, _, text = text.partition(",")
        if head.lower() != "data:image/png;base64":
            raise EvidenceError("screenshot data URL must be image/png;base64")
    text = "".join(text.split())
    if len(text) > (max_bytes + 2) // 3 * 4 + 4:
        raise EvidenceError(f"screenshot is larger than {max_bytes} bytes")
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise EvidenceError("screenshot is not valid base64") from None
    if len(data) > max_bytes:
        raise EvidenceError(f"screenshot is larger than {max_bytes} bytes")
    validate_png(data)
    return data


def validate_png(data: bytes) -> tuple[int, int]:
    """Check the PNG structure (signature, IHDR first, chunk CRCs, IDAT, IEND last).
    Returns (width, height)."""
    if not data.startswith(PNG_SIGNATURE):
        raise EvidenceError("screenshot is not a PNG (bad signature)")
    pos = len(PNG_SIGNATURE)
    first = True
    seen_idat = False
    size: tuple[int, int] | None = None
    while True:
        if pos + 8 > len(data):
            raise EvidenceError("screenshot PNG is truncated")
        length, ctype = struct.unpack(">I4s", data[pos:pos + 8])
        if length > len(data) - pos - 12:
            raise EvidenceError("screenshot PNG is truncated")
        body = data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        if zlib.crc32(ctype + body) & 0xFFFFFFFF != crc:
            raise EvidenceError("screenshot PNG has a corrupt chunk")
        if first:
            if ctype != b"IHDR" or length != 13:
                raise EvidenceError("screenshot PNG does not start with IHDR")
            w, h = struct.unpack(">II", body[:8])
            if not (0 < w <= MAX_DIMENSION and 0 < h <= MAX_DIMENSION):
                raise EvidenceError("screenshot PNG has invalid dimensions")
            size = (w, h)
            first = False
        if ctype == b"IDAT":
            seen_idat = True
        pos += 12 + length
        if ctype == b"IEND":
            break
    if not seen_idat:
        raise EvidenceError("screenshot PNG has no image data")
    assert size is not None
    return size

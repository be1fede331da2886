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


class ScreenshotTooLarge(EvidenceError):
    """Over a size limit (bytes or pixels): answered with 413, not 400."""


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
        raise ScreenshotTooLarge(f"screenshot is larger than {max_bytes} bytes")
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise EvidenceError("screenshot is not valid base64") from None
    if len(data) > max_bytes:
        raise ScreenshotTooLarge(f"screenshot is larger than {max_bytes} bytes")
    validate_png(data)
    return data


#: the most pixels a screenshot may have (a full-page capture of 2,500 x 10,000 fits); its
#: scanlines are inflated to count them, never kept, so memory stays at one chunk whatever the size
MAX_SCREENSHOT_PIXELS = 25_000_000
_INFLATE_CHUNK = 1 << 20
#: allowed bit depths by colour type (PNG spec, table 11.1) and channels per pixel
_DEPTHS = {0: (1, 2, 4, 8, 16), 2: (8, 16), 3: (1, 2, 4, 8), 4: (8, 16), 6: (8, 16)}
_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
#: Adam7 passes: (x start, y start, x step, y step)
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))


def _scanline_bytes(width: int, height: int, bits_per_pixel: int, interlaced: bool) -> int:
    """How many bytes the image data must inflate to (each scanline: a filter byte + pixels)."""
    def rows(w: int, h: int) -> int:
        return 0 if w == 0 or h == 0 else h * (1 + (w * bits_per_pixel + 7) // 8)
    if not interlaced:
        return rows(width, height)
    return sum(rows((width - x0 + dx - 1) // dx if width > x0 else 0, (height - y0 + dy - 1) // dy if height > y0 else 0)
               for x0, y0, dx, dy in _ADAM7)


class _Inflater:
    """Inflates the IDAT stream chunk by chunk, counting (not keeping) the output, and stops as
    soon as it exceeds what the header promises: a decompression bomb costs at most one chunk."""

    def __init__(self, expected: int) -> None:
        self.expected = expected
        self.total = 0
        self._z = zlib.decompressobj()

    def feed(self, data: bytes) -> None:
        if self._z.eof:
            if data:
                raise EvidenceError("screenshot PNG has data after the end of its image stream")
            return
        buf = data
        while True:
            try:
                out = self._z.decompress(buf, _INFLATE_CHUNK)
            except zlib.error:
                raise EvidenceError("screenshot PNG image data is not a valid zlib stream") from None
            self.total += len(out)
            if self.total > self.expected:
                raise EvidenceError("screenshot PNG image data is larger than its dimensions allow")
            buf = self._z.unconsumed_tail
            if self._z.eof:
                if buf or self._z.unused_data:
                    raise EvidenceError("screenshot PNG has data after the end of its image stream")
                return
            if not buf and len(out) < _INFLATE_CHUNK:
                return

    def finish(self) -> None:
        if not self._z.eof or self.total != self.expected:
            raise EvidenceError("screenshot PNG image data is truncated or broken")


def validate_png(data: bytes, max_pixels: int = MAX_SCREENSHOT_PIXELS) -> tuple[int, int]:
    """Check the PNG: signature, IHDR first, chunk CRCs, one run of IDAT chunks whose zlib
    stream inflates to exactly the size the header implies, IEND last with nothing after it.
    At most ``max_pixels`` pixels (checked before inflating).  Returns (width, height)."""
    if not data.startswith(PNG_SIGNATURE):
        raise EvidenceError("screenshot is not a PNG (bad signature)")
    pos = len(PNG_SIGNATURE)
    first = True
    size: tuple[int, int] | None = None
    inflater: _Inflater | None = None
    idat_state = "before"   # before -> inside -> after: IDAT chunks must be consecutive
    palette_needed = False
    seen_palette = False
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
            w, h, depth, colour, compression, filtering, interlace = struct.unpack(">IIBBBBB", body)
            if not (0 < w <= MAX_DIMENSION and 0 < h <= MAX_DIMENSION):
                raise EvidenceError("screenshot PNG has invalid dimensions")
            if depth not in _DEPTHS.get(colour, ()) or compression != 0 or filtering != 0 or interlace > 1:
                raise EvidenceError("screenshot PNG has an invalid header")
            if w * h > max_pixels:
                raise ScreenshotTooLarge(f"screenshot has more than {max_pixels} pixels")
            size = (w, h)
            palette_needed = colour == 3
            inflater = _Inflater(_scanline_bytes(w, h, depth * _CHANNELS[colour], bool(interlace)))
            first = False
        elif ctype == b"IHDR":
            raise EvidenceError("screenshot PNG has a second IHDR")
        if ctype == b"PLTE":
            seen_palette = True
        if ctype == b"IDAT":
            if idat_state == "after":
                raise EvidenceError("screenshot PNG has image data chunks that are not consecutive")
            if palette_needed and not seen_palette:
                raise EvidenceError("screenshot PNG has no palette")
            idat_state = "inside"
            assert inflater is not None
            inflater.feed(body)
        elif idat_state == "inside":
            idat_state = "after"
        pos += 12 + length
        if ctype == b"IEND":
            if length != 0:
                raise EvidenceError("screenshot PNG has a malformed IEND")
            break
    if pos != len(data):
        raise EvidenceError("screenshot PNG has bytes after IEND")
    if idat_state == "before":
        raise EvidenceError("screenshot PNG has no image data")
    assert size is not None and inflater is not None
    inflater.finish()
    return size

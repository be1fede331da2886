"""PNG files for the screenshot tests, built by hand (no imaging library): valid ones, a
decompression bomb, a broken stream, a script after IEND."""
from __future__ import annotations

import base64
import os
import struct
import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"


def chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def ihdr(w: int, h: int, depth: int = 8, colour: int = 2) -> bytes:
    return chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, colour, 0, 0, 0))


def png(w: int, h: int, *, idat: bytes | None = None, after_iend: bytes = b"", noise: bool = False) -> bytes:
    """An RGB PNG; ``noise`` fills it with random pixels stored uncompressed (a big honest file)."""
    if idat is None:
        row = (lambda: b"\x00" + os.urandom(w * 3)) if noise else (lambda: b"\x00" + b"\x80" * (w * 3))
        idat = zlib.compress(b"".join(row() for _ in range(h)), 0 if noise else 6)
    return SIGNATURE + ihdr(w, h) + chunk(b"IDAT", idat) + chunk(b"IEND", b"") + after_iend


def bomb() -> bytes:
    """20000 x 20000 grey pixels (400 MB once decoded) in about 400 KB."""
    z = zlib.compressobj(9)
    row = b"\x00" * 20001
    data = b"".join(z.compress(row) for _ in range(20000)) + z.flush()
    return SIGNATURE + ihdr(20000, 20000, 8, 0) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")

"""Redaction for typical cases published on the public /transparency page."""
from __future__ import annotations

import re

_URL = re.compile(r"(?i)\b(?:https?://|ftp://|www\.)\S+")
_DOMAIN = re.compile(r"(?i)\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|cn|io|co|me|tv|info|xyz|top|edu|gov)\b\S*")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HANDLE = re.compile(r"(?<![\w@])[@＠][\w\u4e00-\u9fff.-]{1,64}")
_PHONE = re.compile(r"(?<!\d)(?:\+?\d[\d\s-]{7,}\d)(?!\d)")
_HASHTAG_USER = re.compile(r"//\s*[@＠][^:：\s]+[:：]")  # Weibo-style "//@name:" repost chains
MAX_PUBLIC_TEXT = 500


def redact(text: str) -> str:
    """Remove handles, URLs, e-mail addresses and phone numbers from ``text``."""
    out = _HASHTAG_USER.sub("//[handle]:", text)
    out = _EMAIL.sub("[email]", out)
    out = _URL.sub("[link]", out)
    out = _DOMAIN.sub("[link]", out)
    out = _HANDLE.sub("[handle]", out)
    out = _PHONE.sub("[number]", out)
    out = " ".join(out.split())
    if len(out) > MAX_PUBLIC_TEXT:
        out = out[: MAX_PUBLIC_TEXT - 1] + "…"
    return out

"""Redaction for typical cases published on the public /transparency page."""
from __future__ import annotations

import re

_URL = re.compile(r"(?i)\b(?:https?://|ftp://|www\.)\S+")
# any host name with a letters-only TLD of 2+ letters (victim.example.de/profile), not only common ones
_DOMAIN = re.compile(r"(?i)\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,24}\b(?:[/:?#]\S*)?")
# "victim (at) gmail (dot) com", "victim [at] gmail [dot] com", "victim at gmail dot com"
_OBFUSCATED_EMAIL = re.compile(
    r"(?i)[\w.+-]+\s*[(\[{<]\s*(?:at|@)\s*[)\]}>]\s*[\w-]+(?:\s*[(\[{<]\s*(?:dot|\.)\s*[)\]}>]\s*[\w-]+)+"
    # spelled out without brackets only when it ends like an address ("... dot com", "... dot de")
    r"|(?i:[\w.+-]+\s+at\s+[\w-]+(?:\s+dot\s+[\w-]+)*\s+dot\s+(?:com|net|org|edu|gov|info|io|[a-z]{2})\b)")
# Reddit-style user and community names: u/victim_user, /r/somewhere
_SLASH_NAME = re.compile(r"(?i)(?<![\w/])/?(?:u|r|user)/[\w-]{2,}")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HANDLE = re.compile(r"(?<![\w@])[@＠][\w\u4e00-\u9fff.-]{1,64}")
_PHONE = re.compile(r"(?<!\d)(?:\+?\d[\d\s-]{7,}\d)(?!\d)")
_HASHTAG_USER = re.compile(r"//\s*[@＠][^:：\s]+[:：]")  # Weibo-style "//@name:" repost chains
MAX_PUBLIC_TEXT = 500


def redact(text: str) -> str:
    """Remove handles, URLs, e-mail addresses and phone numbers from ``text``."""
    out = _HASHTAG_USER.sub("//[handle]:", text)
    out = _EMAIL.sub("[email]", out)
    out = _OBFUSCATED_EMAIL.sub("[email]", out)
    out = _SLASH_NAME.sub("[handle]", out)
    out = _URL.sub("[link]", out)
    out = _DOMAIN.sub("[link]", out)
    out = _HANDLE.sub("[handle]", out)
    out = _PHONE.sub("[number]", out)
    out = " ".join(out.split())
    if len(out) > MAX_PUBLIC_TEXT:
        out = out[: MAX_PUBLIC_TEXT - 1] + "…"
    return out
